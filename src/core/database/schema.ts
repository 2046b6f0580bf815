import { integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Drizzle's view of the core tables; the SQL in ./migrations is what creates them (a test keeps both in step). */
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const organisation = pgTable('organisation', {
  id: uuid('id').primaryKey().defaultRandom(),
  slug: text('slug').notNull(),
  name: text('name').notNull(),
  nameCy: text('name_cy'),
  defaultLanguage: text('default_language').notNull().$type<'en' | 'cy'>().default('en'),
  createdAt: createdAt(),
});

export const account = pgTable('account', {
  id: uuid('id').primaryKey().defaultRandom(),
  email: text('email').notNull(),
  passwordHash: text('password_hash').notNull(),
  language: text('language').$type<'en' | 'cy'>(),
  createdAt: createdAt(),
  passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }).notNull().defaultNow(),
});

export const person = pgTable('person', {
  id: uuid('id').primaryKey().defaultRandom(),
  organisationId: uuid('organisation_id').notNull(),
  accountId: uuid('account_id'),
  calledName: text('called_name').notNull(),
  fullName: text('full_name'),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const roles = ['person', 'peer', 'coach', 'lead', 'partner', 'admin', 'funder'] as const;
export type Role = (typeof roles)[number];

export const membership = pgTable('membership', {
  id: uuid('id').primaryKey().defaultRandom(),
  organisationId: uuid('organisation_id').notNull(),
  personId: uuid('person_id').notNull(),
  role: text('role').notNull().$type<Role>(),
  grantedByPersonId: uuid('granted_by_person_id'),
  grantedAt: timestamp('granted_at', { withTimezone: true }).notNull().defaultNow(),
});

export const session = pgTable('session', {
  idHash: text('id_hash').primaryKey(),
  accountId: uuid('account_id'),
  personId: uuid('person_id'),
  organisationId: uuid('working_organisation_id'),
  csrfToken: text('csrf_token').notNull(),
  language: text('language').$type<'en' | 'cy'>(),
  createdAt: createdAt(),
  lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  device: text('device'),
});

export const signInFailure = pgTable('sign_in_failure', {
  id: uuid('id').primaryKey().defaultRandom(),
  throttleKey: text('throttle_key').notNull(),
  failedAt: timestamp('failed_at', { withTimezone: true }).notNull().defaultNow(),
});

export const invitation = pgTable('invitation', {
  id: uuid('id').primaryKey().defaultRandom(),
  organisationId: uuid('organisation_id').notNull(),
  personId: uuid('person_id').notNull(),
  email: text('email').notNull(),
  tokenHash: text('token_hash').notNull(),
  invitedByPersonId: uuid('invited_by_person_id'),
  createdAt: createdAt(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
});

export const passwordReset = pgTable('password_reset', {
  id: uuid('id').primaryKey().defaultRandom(),
  accountId: uuid('account_id').notNull(),
  tokenHash: text('token_hash').notNull(),
  createdAt: createdAt(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
  startedByPersonId: uuid('started_by_person_id'),
  startedInOrganisationId: uuid('started_in_organisation_id'),
});

export const outboxMessage = pgTable('outbox_message', {
  id: uuid('id').primaryKey().defaultRandom(),
  organisationId: uuid('organisation_id').notNull(),
  toAddress: text('to_address').notNull(),
  subject: text('subject').notNull(),
  bodyText: text('body_text').notNull(),
  createdAt: createdAt(),
  delivery: text('delivery').notNull().$type<'outbox' | 'smtp'>(),
  sentAt: timestamp('sent_at', { withTimezone: true }),
  failure: text('failure'),
  linkKind: text('link_kind').$type<'invitation' | 'password-reset'>(),
  causedByPersonId: uuid('caused_by_person_id'),
});

export const securityNotice = pgTable('security_notice', {
  id: uuid('id').primaryKey().defaultRandom(),
  organisationId: uuid('organisation_id').notNull(),
  personId: uuid('person_id').notNull(),
  kind: text('kind').notNull().$type<'password-reset-by-admin' | 'admin-reset-someone'>(),
  aboutPersonId: uuid('about_person_id'),
  byPersonId: uuid('by_person_id'),
  createdAt: createdAt(),
  seenAt: timestamp('seen_at', { withTimezone: true }),
});

export const signInAddress = pgTable('sign_in_address', {
  accountId: uuid('account_id').notNull(),
  addressHash: text('address_hash').notNull(),
  lastSuccessAt: timestamp('last_success_at', { withTimezone: true }).notNull().defaultNow(),
});

export const formSubmission = pgTable('form_submission', {
  keyHash: text('key_hash').primaryKey(),
  location: text('location'),
  createdAt: createdAt(),
});

export const auditEvent = pgTable('audit_event', {
  id: uuid('id').primaryKey().defaultRandom(),
  organisationId: uuid('organisation_id').notNull(),
  occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
  actorPersonId: uuid('actor_person_id'),
  action: text('action').notNull(),
  subjectType: text('subject_type').notNull(),
  subjectId: text('subject_id'),
  subjectPersonId: uuid('subject_person_id'),
  requestId: text('request_id'),
  detail: jsonb('detail').notNull().$type<Record<string, unknown>>().default({}),
});

export const teamKinds = ['coaching', 'family', 'ward', 'peer', 'other'] as const;
export type TeamKind = (typeof teamKinds)[number];
export const teamRoles = ['coach', 'lead', 'peer'] as const;
export type TeamRole = (typeof teamRoles)[number];

export const team = pgTable('team', {
  id: uuid('id').primaryKey().defaultRandom(),
  organisationId: uuid('organisation_id').notNull(),
  name: text('name').notNull(),
  nameCy: text('name_cy'),
  kind: text('kind').$type<TeamKind>(),
  beds: integer('beds'),
  createdAt: createdAt(),
  closedAt: timestamp('closed_at', { withTimezone: true }),
});

export const teamMember = pgTable('team_member', {
  id: uuid('id').primaryKey().defaultRandom(),
  organisationId: uuid('organisation_id').notNull(),
  teamId: uuid('team_id').notNull(),
  personId: uuid('person_id').notNull(),
  role: text('role').notNull().$type<TeamRole>(),
  since: timestamp('since', { withTimezone: true }).notNull().defaultNow(),
  until: timestamp('until', { withTimezone: true }),
  addedByPersonId: uuid('added_by_person_id'),
});

export const teamPerson = pgTable('team_person', {
  id: uuid('id').primaryKey().defaultRandom(),
  organisationId: uuid('organisation_id').notNull(),
  teamId: uuid('team_id').notNull(),
  personId: uuid('person_id').notNull(),
  since: timestamp('since', { withTimezone: true }).notNull().defaultNow(),
  until: timestamp('until', { withTimezone: true }),
  movedByPersonId: uuid('moved_by_person_id'),
});

export const coreTables = {
  organisation,
  account,
  person,
  membership,
  session,
  signInFailure,
  invitation,
  passwordReset,
  outboxMessage,
  auditEvent,
  securityNotice,
  signInAddress,
  formSubmission,
  team,
  teamMember,
  teamPerson,
};

export const notificationDeliveries = ['page', 'email', 'digest', 'none'] as const;
export type NotificationDelivery = (typeof notificationDeliveries)[number];

export const notification = pgTable('notification', {
  id: uuid('id').primaryKey().defaultRandom(),
  organisationId: uuid('organisation_id').notNull(),
  recipientPersonId: uuid('recipient_person_id').notNull(),
  kind: text('kind').notNull(),
  link: text('link').notNull(),
  params: jsonb('params').notNull().$type<Record<string, string | number>>().default({}),
  delivery: text('delivery').notNull().$type<Exclude<NotificationDelivery, 'none'>>(),
  createdAt: createdAt(),
  readAt: timestamp('read_at', { withTimezone: true }),
  sentAt: timestamp('sent_at', { withTimezone: true }),
});

export const notificationChoice = pgTable('notification_choice', {
  organisationId: uuid('organisation_id').notNull(),
  personId: uuid('person_id').notNull(),
  kind: text('kind').notNull(),
  delivery: text('delivery').notNull().$type<NotificationDelivery>(),
  changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
});
