import { and, desc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import { audit } from './audit.ts';
import type { AppServices } from './context.ts';
import type { Database } from './database/connect.ts';
import {
  account,
  type NotificationDelivery,
  notification,
  notificationChoice,
  organisation,
  person,
  type Role,
} from './database/schema.ts';
import { rowsOf, type Scope, withOrganisation } from './database/tenancy.ts';
import type { Language } from './i18n/index.ts';
import { enqueueJob, type JobContext, type JobKind } from './jobs.ts';
import { queueMail } from './mail.ts';

/**
 * Something a person should know about (decision 021). A module declares its kinds in its definition;
 * the core keeps them, the person's choices, the page, the header's count and the emails.
 */
export interface NotificationKind {
  /** '<module id>.<name>', e.g. 'coaching.written-about-me'. */
  kind: string;
  /** Catalogue key: what it is, on the page where a person chooses how to hear of it. */
  label: string;
  /** Catalogue key: the line on the notifications page; may use the params given to `notify`. */
  message: string;
  /** How it reaches someone who has not chosen. */
  defaultDelivery: NotificationDelivery;
  /** Only people with one of these roles are offered the choice (everyone when absent). */
  roles?: readonly Role[];
}

/** Words for the notifications page only: short, never record text, and never sent by email. */
export type NotificationParams = Record<string, string | number>;

const localLink = /^\/(?![/\\])[^\s]*$/;

/**
 * Tells one person of something, in the same transaction as the change, so a change that is undone
 * tells nobody. Nobody is told of their own act, nor anyone without an account (they could not open
 * it); their choice for the kind decides how it reaches them. Returns the notification's id, if any.
 */
export async function notify(
  scope: Scope,
  recipientPersonId: string,
  kind: NotificationKind,
  link: string,
  params: NotificationParams = {},
): Promise<string | null> {
  const [id] = await notifyEach(scope, [recipientPersonId], kind, link, params);
  return id ?? null;
}

/** The same, for many people at once (a team, the leads): one statement, whatever their number. */
export async function notifyEach(
  scope: Scope,
  recipientPersonIds: readonly string[],
  kind: NotificationKind,
  link: string,
  params: NotificationParams = {},
): Promise<string[]> {
  if (!localLink.test(link) || link.length > 500)
    throw new Error(`A notification's link must be a local path.`);
  const recipients = [...new Set(recipientPersonIds)].filter((id) => id !== scope.actorPersonId);
  if (recipients.length === 0) return [];
  const inserted = await rowsOf<{ id: string; delivery: NotificationDelivery }>(
    scope.tx.execute(sql`
      insert into notification (organisation_id, recipient_person_id, kind, link, params, delivery)
      select ${scope.organisationId}, p.id, ${kind.kind}, ${link}, ${JSON.stringify(params)}::jsonb,
        coalesce(c.delivery, ${kind.defaultDelivery})
      from person p
      left join notification_choice c on c.person_id = p.id and c.kind = ${kind.kind}
      where p.organisation_id = ${scope.organisationId}
        and p.id = any(${`{${recipients.join(',')}}`}::uuid[])
        and p.account_id is not null
        and coalesce(c.delivery, ${kind.defaultDelivery}) <> 'none'
      returning id, delivery`),
  );
  for (const row of inserted)
    if (row.delivery === 'email') await enqueueJob(scope, emailAtOnce.kind, { notificationId: row.id });
  return inserted.map((row) => row.id);
}

/** The count in the header: unread, up to 100 ("99+" is as useful as any larger number). */
export async function unreadCount(scope: Scope, personId: string): Promise<number> {
  const [row] = await rowsOf<{ unread: number }>(
    scope.tx.execute(sql`select count(*)::int as unread from (
      select 1 from notification
      where organisation_id = ${scope.organisationId} and recipient_person_id = ${personId} and read_at is null
      limit 100) as waiting`),
  );
  return Number(row?.unread ?? 0);
}

export interface NotificationLine {
  id: string;
  kind: string;
  link: string;
  params: NotificationParams;
  createdAt: Date;
  readAt: Date | null;
}

/** A page of the person's notifications, newest first, and whether there is an earlier page. */
export async function notificationsOf(
  scope: Scope,
  personId: string,
  page: { number: number; size: number },
): Promise<{ lines: NotificationLine[]; more: boolean }> {
  const rows = await scope.tx
    .select({
      id: notification.id,
      kind: notification.kind,
      link: notification.link,
      params: notification.params,
      createdAt: notification.createdAt,
      readAt: notification.readAt,
    })
    .from(notification)
    .where(
      and(
        eq(notification.organisationId, scope.organisationId),
        eq(notification.recipientPersonId, personId),
      ),
    )
    .orderBy(desc(notification.createdAt), desc(notification.id))
    .limit(page.size + 1)
    .offset((page.number - 1) * page.size);
  return { lines: rows.slice(0, page.size), more: rows.length > page.size };
}

/** Opening a notification marks it read and says where it leads; someone else's gives nothing. */
export async function openNotification(scope: Scope, personId: string, id: string): Promise<string | null> {
  const [row] = await scope.tx
    .update(notification)
    .set({ readAt: sql`coalesce(${notification.readAt}, now())` })
    .where(
      and(
        eq(notification.id, id),
        eq(notification.organisationId, scope.organisationId),
        eq(notification.recipientPersonId, personId),
      ),
    )
    .returning({ link: notification.link });
  return row && localLink.test(row.link) ? row.link : null;
}

/** Marks every unread notification of the person read (opening one marks it); returns how many. */
export async function markAllRead(scope: Scope, personId: string): Promise<number> {
  const rows = await scope.tx
    .update(notification)
    .set({ readAt: new Date() })
    .where(
      and(
        eq(notification.organisationId, scope.organisationId),
        eq(notification.recipientPersonId, personId),
        isNull(notification.readAt),
      ),
    )
    .returning({ id: notification.id });
  return rows.length;
}

/** The kinds a person is offered, with what they chose or the kind's default. */
export async function choicesOf(
  scope: Scope,
  personId: string,
  kinds: readonly NotificationKind[],
): Promise<Map<string, NotificationDelivery>> {
  const chosen = await scope.tx
    .select({ kind: notificationChoice.kind, delivery: notificationChoice.delivery })
    .from(notificationChoice)
    .where(
      and(
        eq(notificationChoice.organisationId, scope.organisationId),
        eq(notificationChoice.personId, personId),
      ),
    );
  const byKind = new Map(chosen.map((row) => [row.kind, row.delivery]));
  return new Map(kinds.map((kind) => [kind.kind, byKind.get(kind.kind) ?? kind.defaultDelivery]));
}

/** Keeps the person's choices (only for kinds they are offered), and says in the trail that they changed. */
export async function setChoices(
  scope: Scope,
  personId: string,
  choices: ReadonlyMap<string, NotificationDelivery>,
): Promise<void> {
  for (const [kind, delivery] of choices) {
    await scope.tx
      .insert(notificationChoice)
      .values({ organisationId: scope.organisationId, personId, kind, delivery })
      .onConflictDoUpdate({
        target: [notificationChoice.personId, notificationChoice.kind],
        set: { delivery, changedAt: new Date() },
      });
  }
  await audit(scope, {
    action: 'update',
    subjectType: 'notification-choices',
    subjectId: personId,
    subjectPersonId: personId,
    detail: { kinds: [...choices.keys()] },
  });
}

/** Which kinds a person with these roles is offered. */
export function kindsFor(kinds: readonly NotificationKind[], roles: readonly Role[]): NotificationKind[] {
  return kinds.filter((kind) => !kind.roles || kind.roles.some((role) => roles.includes(role)));
}

// ——— Email ———

/** Where an email may point: the page, or the choices. Nothing in it says what happened or to whom. */
function emailWords(services: AppServices, language: Language) {
  const t = services.translate(language);
  const origin = services.config.publicUrl.origin;
  return {
    t,
    url: `${origin}/notifications`,
    choicesUrl: `${origin}/notifications/choices`,
  };
}

interface Addressee {
  personId: string;
  email: string;
  language: Language;
}

/** The addresses and languages of people here with an account (their own choice, else the organisation's). */
async function addresseesOf(scope: Scope, personIds: readonly string[]): Promise<Map<string, Addressee>> {
  if (personIds.length === 0) return new Map();
  const rows = await scope.tx
    .select({
      personId: person.id,
      email: account.email,
      language: account.language,
      organisationLanguage: organisation.defaultLanguage,
    })
    .from(person)
    .innerJoin(account, eq(account.id, person.accountId))
    .innerJoin(organisation, eq(organisation.id, person.organisationId))
    .where(and(eq(person.organisationId, scope.organisationId), inArray(person.id, [...personIds])));
  return new Map(
    rows.map((row) => [
      row.personId,
      { personId: row.personId, email: row.email, language: row.language ?? row.organisationLanguage },
    ]),
  );
}

/** One email for one notification the person wanted at once. Run again, it sends nothing twice. */
async function sendAtOnce(context: JobContext): Promise<void> {
  const notificationId = String(context.payload.notificationId ?? '');
  if (!context.organisationId) throw new Error('An email notification belongs to an organisation.');
  await withOrganisation(context.database, { organisationId: context.organisationId }, async (scope) => {
    const [row] = await scope.tx
      .select({ id: notification.id, recipient: notification.recipientPersonId, sentAt: notification.sentAt })
      .from(notification)
      .where(and(eq(notification.id, notificationId), eq(notification.organisationId, scope.organisationId)))
      .for('update');
    if (!row || row.sentAt) return;
    const addressee = (await addresseesOf(scope, [row.recipient])).get(row.recipient);
    if (addressee) {
      const words = emailWords(context.services, addressee.language);
      await queueMail(scope, context.services.config, {
        to: addressee.email,
        subject: words.t('notifications.email.subject'),
        text: words.t('notifications.email.text', { url: words.url, choicesUrl: words.choicesUrl }),
      });
    }
    await scope.tx.update(notification).set({ sentAt: new Date() }).where(eq(notification.id, row.id));
  });
}

/** How many people's digests go to the outbox in one transaction. */
const digestBatch = 500;

/**
 * The daily digest for one organisation: one email to each person with notifications waiting for it
 * (made before `until`), saying only how many. Each batch is its own transaction and marks what it
 * sent, so a stop part-way leaves the rest for the next try and nobody gets two. Returns how many
 * emails went to the outbox.
 */
export async function sendDailyDigests(
  database: Database,
  services: AppServices,
  organisationId: string,
  until: Date,
  progress: (done: number, total: number) => Promise<void> = async () => {},
): Promise<number> {
  const waitingForDigest = and(
    eq(notification.organisationId, organisationId),
    eq(notification.delivery, 'digest'),
    isNull(notification.sentAt),
    lt(notification.createdAt, until),
  );
  const waiting = await withOrganisation(database, { organisationId }, (scope) =>
    scope.tx
      .selectDistinct({ personId: notification.recipientPersonId })
      .from(notification)
      .where(waitingForDigest),
  );
  let sent = 0;
  for (let start = 0; start < waiting.length; start += digestBatch) {
    const batch = waiting.slice(start, start + digestBatch);
    sent += await withOrganisation(database, { organisationId }, async (scope) => {
      const ids = batch.map((row) => row.personId);
      // Still unsent now: another try of this digest may have sent some of them already.
      const still = await scope.tx
        .update(notification)
        .set({ sentAt: new Date() })
        .where(and(waitingForDigest, inArray(notification.recipientPersonId, ids)))
        .returning({ personId: notification.recipientPersonId, readAt: notification.readAt });
      const unreadBy = new Map<string, number>();
      for (const row of still)
        if (!row.readAt) unreadBy.set(row.personId, (unreadBy.get(row.personId) ?? 0) + 1);
      const addressees = await addresseesOf(scope, [...unreadBy.keys()]);
      let here = 0;
      for (const [personId, unread] of unreadBy) {
        const addressee = addressees.get(personId);
        if (!addressee) continue;
        const words = emailWords(services, addressee.language);
        await queueMail(scope, services.config, {
          to: addressee.email,
          subject: words.t('notifications.digest.subject'),
          text: words.t('notifications.digest.text', {
            count: unread,
            url: words.url,
            choicesUrl: words.choicesUrl,
          }),
        });
        here += 1;
      }
      return here;
    });
    await progress(Math.min(start + digestBatch, waiting.length), waiting.length);
  }
  return sent;
}

export const emailAtOnce: JobKind = {
  kind: 'notifications.email',
  label: 'notifications.jobs.email',
  run: sendAtOnce,
};

export const dailyDigest: JobKind = {
  kind: 'notifications.daily-digest',
  label: 'notifications.jobs.dailyDigest',
  schedule: { dailyAt: '07:00' },
  async run(context) {
    if (!context.organisationId) throw new Error('A digest belongs to an organisation.');
    await sendDailyDigests(
      context.database,
      context.services,
      context.organisationId,
      context.now,
      context.progress,
    );
  },
};

export const notificationJobKinds: JobKind[] = [emailAtOnce, dailyDigest];
