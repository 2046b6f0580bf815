import { and, asc, count, desc, eq, gt, gte, isNull, or, sql } from 'drizzle-orm';
import { audit } from './audit.ts';
import type { Config } from './config.ts';
import type { CurrentUser } from './context.ts';
import type { Database, Tx } from './database/connect.ts';
import {
  account,
  invitation,
  membership,
  organisation,
  outboxMessage,
  passwordReset,
  person,
  type Role,
} from './database/schema.ts';
import { type Scope, withOrganisation, withSystem } from './database/tenancy.ts';
import type { Translate } from './i18n/index.ts';
import { oneTimeLinkPattern, queueMail } from './mail.ts';
import { unreadCount } from './notifications.ts';
import { hashPassword, verifyAgainstDecoy, verifyPassword } from './passwords.ts';
import { tellOfResetBySomeone } from './security-notices.ts';
import {
  clearAccountFailures,
  isThrottled,
  recordFailure,
  rememberSignInAddress,
  signedInFromHereRecently,
  throttleKeys,
} from './throttle.ts';
import { hashToken, isUuid, newToken } from './tokens.ts';

export const invitationDays = 7;
export const passwordResetHours = 2;

export interface Membership {
  personId: string;
  calledName: string;
  organisationId: string;
  organisationName: string;
  defaultLanguage: 'en' | 'cy';
}

function systemScope(
  tx: Tx,
  organisationId: string,
  actorPersonId: string | null,
  requestId: string | null,
): Scope {
  return { tx, organisationId, actorPersonId, requestId };
}

async function organisationsOf(tx: Tx, accountId: string): Promise<Membership[]> {
  return tx
    .select({
      personId: person.id,
      calledName: person.calledName,
      organisationId: organisation.id,
      organisationName: organisation.name,
      defaultLanguage: organisation.defaultLanguage,
    })
    .from(person)
    .innerJoin(organisation, eq(organisation.id, person.organisationId))
    .where(eq(person.accountId, accountId))
    .orderBy(asc(organisation.name));
}

export type SignInResult =
  | { outcome: 'signed-in'; accountId: string; language: 'en' | 'cy' | null; memberships: Membership[] }
  | { outcome: 'wrong' }
  | { outcome: 'throttled' };

/** Checks an email and password, slowing down repeated failures per account and per address. */
export async function signIn(
  database: Database,
  config: Config,
  input: { email: string; password: string; address: string; requestId: string },
): Promise<SignInResult> {
  const keys = throttleKeys(input.email, input.address);
  const addressHash = hashToken(config.secretKey, `address:${input.address}`);
  const [found] = await withSystem(database, (tx) =>
    tx.select().from(account).where(sql`lower(${account.email}) = ${input.email.trim().toLowerCase()}`),
  );
  const knownHere = found
    ? await withSystem(database, (tx) => signedInFromHereRecently(tx, found.id, addressHash))
    : false;
  const throttled = await withSystem(database, (tx) => isThrottled(tx, keys, { knownHere }));
  if (throttled) return { outcome: 'throttled' };
  const correct = found
    ? await verifyPassword(found.passwordHash, input.password)
    : await verifyAgainstDecoy(input.password, config.passwordMemoryCost);
  if (!found || !correct) {
    await withSystem(database, (tx) => recordFailure(tx, keys));
    return { outcome: 'wrong' };
  }
  const memberships = await withSystem(database, async (tx) => {
    await clearAccountFailures(tx, input.email);
    await rememberSignInAddress(tx, found.id, addressHash);
    return organisationsOf(tx, found.id);
  });
  return { outcome: 'signed-in', accountId: found.id, language: found.language, memberships };
}

export async function membershipsOf(database: Database, accountId: string): Promise<Membership[]> {
  return withSystem(database, (tx) => organisationsOf(tx, accountId));
}

/** Records a sign-in in the organisation's audit trail. */
export async function recordSignIn(
  database: Database,
  membershipRow: Pick<Membership, 'personId' | 'organisationId'>,
  requestId: string,
  action: 'sign-in' | 'sign-out',
) {
  await withOrganisation(
    database,
    { organisationId: membershipRow.organisationId, actorPersonId: membershipRow.personId, requestId },
    (scope) => audit(scope, { action, subjectType: 'session', subjectPersonId: membershipRow.personId }),
  );
}

/**
 * The signed-in person as the app sees them, read inside their organisation (so isolation applies),
 * with the organisation's name in the language being spoken.
 */
export async function loadCurrentUser(
  database: Database,
  session: { accountId: string | null; personId: string | null; organisationId: string | null },
  language: 'en' | 'cy',
): Promise<CurrentUser | null> {
  const { accountId, personId, organisationId } = session;
  if (!accountId || !personId || !organisationId) return null;
  return withOrganisation(database, { organisationId }, async ({ tx }) => {
    const [row] = await tx
      .select({
        calledName: person.calledName,
        accountId: person.accountId,
        organisationName: organisation.name,
        organisationNameCy: organisation.nameCy,
        email: account.email,
      })
      .from(person)
      .innerJoin(organisation, eq(organisation.id, person.organisationId))
      .innerJoin(account, eq(account.id, person.accountId))
      .where(and(eq(person.id, personId), eq(person.organisationId, organisationId)));
    if (!row || row.accountId !== accountId) return null;
    const roleRows = await tx
      .select({ role: membership.role })
      .from(membership)
      .where(and(eq(membership.personId, personId), eq(membership.organisationId, organisationId)));
    return {
      accountId,
      personId,
      organisationId,
      organisationName: (language === 'cy' && row.organisationNameCy) || row.organisationName,
      calledName: row.calledName,
      email: row.email,
      roles: roleRows.map((r) => r.role as Role),
      unreadNotifications: await unreadCount(
        { tx, organisationId, actorPersonId: personId, requestId: null },
        personId,
      ),
    };
  });
}

export async function setAccountLanguage(database: Database, accountId: string, language: 'en' | 'cy') {
  await withSystem(database, (tx) => tx.update(account).set({ language }).where(eq(account.id, accountId)));
}

// ——— Invitations ———

/** Invites a person to make an account: a one-use link that expires, sent through the outbox. */
export async function invite(
  scope: Scope,
  config: Config,
  input: { personId: string; email: string; t: Translate; inviterName: string; organisationName: string },
): Promise<{ link: string; invitationId: string }> {
  const token = newToken();
  // A new invitation replaces any still waiting, so only the newest link works.
  await scope.tx
    .update(invitation)
    .set({ expiresAt: new Date() })
    .where(
      and(
        eq(invitation.organisationId, scope.organisationId),
        eq(invitation.personId, input.personId),
        isNull(invitation.usedAt),
        gt(invitation.expiresAt, new Date()),
      ),
    );
  const [row] = await scope.tx
    .insert(invitation)
    .values({
      organisationId: scope.organisationId,
      personId: input.personId,
      email: input.email.trim(),
      tokenHash: hashToken(config.secretKey, token),
      invitedByPersonId: scope.actorPersonId,
      expiresAt: new Date(Date.now() + invitationDays * 86_400_000),
    })
    .returning({ id: invitation.id });
  const link = new URL(`/invitation/${token}`, config.publicUrl).toString();
  await queueMail(scope, config, {
    to: input.email.trim(),
    linkKind: 'invitation',
    subject: input.t('mail.invitation.subject', { organisation: input.organisationName }),
    text: input.t('mail.invitation.body', {
      inviter: input.inviterName,
      organisation: input.organisationName,
      link,
      count: invitationDays,
    }),
  });
  await audit(scope, {
    action: 'invite',
    subjectType: 'invitation',
    subjectId: row!.id,
    subjectPersonId: input.personId,
  });
  return { link, invitationId: row!.id };
}

/** Invitations to this person still waiting to be used (at most one, since a new one replaces the old). */
export function waitingInvitations(scope: Scope, personId: string) {
  return scope.tx
    .select({ email: invitation.email, createdAt: invitation.createdAt, expiresAt: invitation.expiresAt })
    .from(invitation)
    .where(
      and(
        eq(invitation.organisationId, scope.organisationId),
        eq(invitation.personId, personId),
        isNull(invitation.usedAt),
        gt(invitation.expiresAt, new Date()),
      ),
    );
}

export type InvitationState =
  | { state: 'unknown' }
  | { state: 'used' | 'expired' }
  | {
      state: 'open';
      invitationId: string;
      organisationId: string;
      organisationName: string;
      defaultLanguage: 'en' | 'cy';
      personId: string;
      calledName: string;
      email: string;
      hasAccount: boolean;
    };

export async function findInvitation(
  database: Database,
  config: Config,
  token: string,
): Promise<InvitationState> {
  if (token.length > 100) return { state: 'unknown' };
  return withSystem(database, async (tx) => {
    const [row] = await tx
      .select({
        invitationId: invitation.id,
        organisationId: invitation.organisationId,
        organisationName: organisation.name,
        defaultLanguage: organisation.defaultLanguage,
        personId: invitation.personId,
        calledName: person.calledName,
        email: invitation.email,
        expiresAt: invitation.expiresAt,
        usedAt: invitation.usedAt,
      })
      .from(invitation)
      .innerJoin(person, eq(person.id, invitation.personId))
      .innerJoin(organisation, eq(organisation.id, invitation.organisationId))
      .where(eq(invitation.tokenHash, hashToken(config.secretKey, token)));
    if (!row) return { state: 'unknown' };
    if (row.usedAt) return { state: 'used' };
    if (row.expiresAt <= new Date()) return { state: 'expired' };
    const [existing] = await tx
      .select({ id: account.id })
      .from(account)
      .where(sql`lower(${account.email}) = ${row.email.toLowerCase()}`);
    const { expiresAt: _expires, usedAt: _used, ...open } = row;
    return { state: 'open', ...open, hasAccount: Boolean(existing) };
  });
}

export type AcceptResult =
  | { outcome: 'accepted'; accountId: string; membership: Membership }
  | { outcome: 'gone' }
  | { outcome: 'wrong-password' }
  | { outcome: 'already-member' }
  | { outcome: 'throttled' };

/** Thrown inside the acceptance transaction to undo it when the person was linked meanwhile. */
class AlreadyLinked extends Error {}

/**
 * Accepts an invitation: makes the account (or, for an address that already has one, checks its
 * password) and links it to the invited person. The token is spent in the same transaction.
 */
export async function acceptInvitation(
  database: Database,
  config: Config,
  input: { token: string; password: string; requestId: string; address: string },
): Promise<AcceptResult> {
  const found = await findInvitation(database, config, input.token);
  if (found.state !== 'open') return { outcome: 'gone' };
  let existingAccountId: string | null = null;
  if (found.hasAccount) {
    // Checking an existing account's password here is a sign-in, so it is slowed down like one.
    const keys = throttleKeys(found.email, input.address);
    if (await withSystem(database, (tx) => isThrottled(tx, keys))) return { outcome: 'throttled' };
    const [existing] = await withSystem(database, (tx) =>
      tx.select().from(account).where(sql`lower(${account.email}) = ${found.email.toLowerCase()}`),
    );
    if (!existing || !(await verifyPassword(existing.passwordHash, input.password))) {
      await withSystem(database, (tx) => recordFailure(tx, keys));
      return { outcome: 'wrong-password' };
    }
    existingAccountId = existing.id;
  }
  const passwordHash = existingAccountId
    ? null
    : await hashPassword(input.password, config.passwordMemoryCost);
  return withSystem(database, async (tx) => {
    if (existingAccountId) {
      // One account is one person in an organisation: someone already here cannot become a second person.
      const [already] = await tx
        .select({ id: person.id })
        .from(person)
        .where(and(eq(person.organisationId, found.organisationId), eq(person.accountId, existingAccountId)));
      if (already && already.id !== found.personId) return { outcome: 'already-member' } as const;
    }
    const spent = await tx
      .update(invitation)
      .set({ usedAt: new Date() })
      .where(
        and(
          eq(invitation.id, found.invitationId),
          isNull(invitation.usedAt),
          gt(invitation.expiresAt, new Date()),
        ),
      )
      .returning({ id: invitation.id });
    if (spent.length === 0) return { outcome: 'gone' } as const;
    let accountId = existingAccountId;
    if (!accountId) {
      const [created] = await tx
        .insert(account)
        .values({ email: found.email, passwordHash: passwordHash! })
        .returning({ id: account.id });
      accountId = created!.id;
    }
    const linked = await tx
      .update(person)
      .set({ accountId, updatedAt: new Date() })
      .where(
        and(eq(person.id, found.personId), or(isNull(person.accountId), eq(person.accountId, accountId))),
      )
      .returning({ id: person.id });
    if (linked.length === 0) throw new AlreadyLinked();
    await audit(systemScope(tx, found.organisationId, found.personId, input.requestId), {
      action: 'accept-invitation',
      subjectType: 'invitation',
      subjectId: found.invitationId,
      subjectPersonId: found.personId,
    });
    return {
      outcome: 'accepted',
      accountId,
      membership: {
        personId: found.personId,
        calledName: found.calledName,
        organisationId: found.organisationId,
        organisationName: found.organisationName,
        defaultLanguage: found.defaultLanguage,
      },
    } as const;
  }).catch((error: unknown) => {
    if (error instanceof AlreadyLinked) return { outcome: 'gone' } as const;
    throw error;
  });
}

// ——— Password reset ———

/**
 * Sends a reset link when the address has an account. Says nothing either way to the person asking,
 * so the form cannot be used to find out who has an account.
 *
 * Without a mail server a link would wait in the organisation's outbox, where an admin could use it to
 * sign in as the account holder unseen. So no link is made: the admin is told in the outbox that the
 * person asked, and starts a reset for them from their page, which the person and the leads are told of.
 */
export async function requestPasswordReset(
  database: Database,
  config: Config,
  input: { email: string; translate(language: 'en' | 'cy'): Translate; requestId: string },
): Promise<void> {
  await withSystem(database, async (tx) => {
    const [found] = await tx
      .select()
      .from(account)
      .where(sql`lower(${account.email}) = ${input.email.trim().toLowerCase()}`);
    if (!found) return;
    const places = await organisationsOf(tx, found.id);
    const first = places[0];
    if (!first) return;
    // A few messages an hour is plenty; more would let anyone fill someone's inbox or an outbox.
    const [recent] = await tx
      .select({ links: count() })
      .from(passwordReset)
      .where(
        and(
          eq(passwordReset.accountId, found.id),
          gt(passwordReset.createdAt, new Date(Date.now() - 3_600_000)),
        ),
      );
    if ((recent?.links ?? 0) >= 3) return;
    const scope = systemScope(tx, first.organisationId, first.personId, input.requestId);
    const t = input.translate(found.language ?? first.defaultLanguage);
    if (!config.smtpUrl) {
      // One outbox, one admin to ask: an account in several organisations asks whichever admin it likes.
      if (places.length > 1) return;
      // Counted like a link, so the outbox cannot be filled either; the row opens nothing.
      await tx.insert(passwordReset).values({
        accountId: found.id,
        tokenHash: hashToken(config.secretKey, newToken()),
        expiresAt: new Date(),
      });
      await queueMail(scope, config, {
        to: found.email,
        subject: t('mail.resetAsked.subject', { name: first.calledName }),
        text: t('mail.resetAsked.body', { name: first.calledName }),
      });
      await audit(scope, {
        action: 'request-password-reset',
        subjectType: 'account',
        subjectPersonId: first.personId,
      });
      return;
    }
    const token = newToken();
    await tx.insert(passwordReset).values({
      accountId: found.id,
      tokenHash: hashToken(config.secretKey, token),
      expiresAt: new Date(Date.now() + passwordResetHours * 3_600_000),
    });
    const link = new URL(`/password-reset/${token}`, config.publicUrl).toString();
    await queueMail(scope, config, {
      to: found.email,
      linkKind: 'password-reset',
      subject: t('mail.reset.subject'),
      text: t('mail.reset.body', { link, count: passwordResetHours }),
    });
    await audit(scope, {
      action: 'request-password-reset',
      subjectType: 'account',
      subjectPersonId: first.personId,
    });
  });
}

export type ResetForSomeone =
  | { outcome: 'started'; accountId: string; link: string | null; emailed: boolean }
  | { outcome: 'missing' | 'no-account' | 'own-account' | 'elsewhere-too' };

/**
 * An admin starts a new password for someone in their organisation who cannot get into their account.
 * It is never unseen: every session of the account ends at once, the account holder is told at their
 * next sign-in (and by email when there is a mail server), every lead of the organisation is told, and
 * it is in the audit trail. With a mail server the link goes only to the account holder; without one,
 * the admin is shown it once, to pass on, and it is kept nowhere readable. An account that is also
 * used in another organisation can only be reset by email, since that organisation's records are
 * not this admin's to open.
 */
export async function startPasswordResetFor(
  database: Database,
  config: Config,
  input: {
    organisationId: string;
    adminPersonId: string;
    personId: string;
    requestId: string;
    translate(language: 'en' | 'cy'): Translate;
    endSessions(accountId: string): Promise<number>;
  },
): Promise<ResetForSomeone> {
  if (!isUuid(input.personId)) return { outcome: 'missing' };
  const result = await withSystem(database, async (tx): Promise<ResetForSomeone> => {
    const [someone] = await tx
      .select({ accountId: person.accountId, calledName: person.calledName })
      .from(person)
      .where(and(eq(person.id, input.personId), eq(person.organisationId, input.organisationId)));
    if (!someone) return { outcome: 'missing' };
    if (!someone.accountId) return { outcome: 'no-account' };
    if (input.personId === input.adminPersonId) return { outcome: 'own-account' };
    const places = await organisationsOf(tx, someone.accountId);
    if (!config.smtpUrl && places.length > 1) return { outcome: 'elsewhere-too' };
    const [holder] = await tx
      .select({ email: account.email, language: account.language })
      .from(account)
      .where(eq(account.id, someone.accountId));
    // Only the newest link works.
    await tx
      .update(passwordReset)
      .set({ expiresAt: new Date() })
      .where(and(eq(passwordReset.accountId, someone.accountId), isNull(passwordReset.usedAt)));
    const token = newToken();
    await tx.insert(passwordReset).values({
      accountId: someone.accountId,
      tokenHash: hashToken(config.secretKey, token),
      expiresAt: new Date(Date.now() + passwordResetHours * 3_600_000),
      startedByPersonId: input.adminPersonId,
      startedInOrganisationId: input.organisationId,
    });
    const scope = systemScope(tx, input.organisationId, input.adminPersonId, input.requestId);
    const link = new URL(`/password-reset/${token}`, config.publicUrl).toString();
    const here = places.find((place) => place.organisationId === input.organisationId);
    const t = input.translate(holder!.language ?? here?.defaultLanguage ?? 'en');
    if (config.smtpUrl) {
      await queueMail(scope, config, {
        to: holder!.email,
        linkKind: 'password-reset',
        subject: t('mail.resetByAdmin.subject'),
        text: t('mail.resetByAdmin.body', {
          organisation: here?.organisationName ?? '',
          link,
          count: passwordResetHours,
        }),
      });
    }
    await audit(scope, {
      action: 'start-password-reset',
      subjectType: 'account',
      subjectPersonId: input.personId,
      detail: { emailed: Boolean(config.smtpUrl) },
    });
    await tellOfResetBySomeone(scope, input.personId);
    return {
      outcome: 'started',
      accountId: someone.accountId,
      link: config.smtpUrl ? null : link,
      emailed: Boolean(config.smtpUrl),
    };
  });
  // Whoever is signed in as them now (the holder, or anyone else) is signed out.
  if (result.outcome === 'started') await input.endSessions(result.accountId);
  return result;
}

export async function passwordResetIsOpen(
  database: Database,
  config: Config,
  token: string,
): Promise<boolean> {
  if (token.length > 100) return false;
  const [row] = await withSystem(database, (tx) =>
    tx
      .select({ id: passwordReset.id })
      .from(passwordReset)
      .where(
        and(
          eq(passwordReset.tokenHash, hashToken(config.secretKey, token)),
          isNull(passwordReset.usedAt),
          gt(passwordReset.expiresAt, new Date()),
        ),
      ),
  );
  return Boolean(row);
}

/** Sets a new password from a reset link and signs the account out everywhere. */
export async function completePasswordReset(
  database: Database,
  config: Config,
  input: {
    token: string;
    password: string;
    requestId: string;
    endSessions(accountId: string): Promise<number>;
  },
): Promise<boolean> {
  const passwordHash = await hashPassword(input.password, config.passwordMemoryCost);
  const accountId = await withSystem(database, async (tx) => {
    const [spent] = await tx
      .update(passwordReset)
      .set({ usedAt: new Date() })
      .where(
        and(
          eq(passwordReset.tokenHash, hashToken(config.secretKey, input.token)),
          isNull(passwordReset.usedAt),
          gt(passwordReset.expiresAt, new Date()),
        ),
      )
      .returning({ accountId: passwordReset.accountId });
    if (!spent) return null;
    const [changed] = await tx
      .update(account)
      .set({ passwordHash, passwordChangedAt: new Date() })
      .where(eq(account.id, spent.accountId))
      .returning({ email: account.email });
    // A new password ends any slow-down on the account, as the sign-in page promises.
    await clearAccountFailures(tx, changed!.email);
    for (const place of await organisationsOf(tx, spent.accountId)) {
      await audit(systemScope(tx, place.organisationId, place.personId, input.requestId), {
        action: 'reset-password',
        subjectType: 'account',
        subjectPersonId: place.personId,
      });
    }
    return spent.accountId;
  });
  if (!accountId) return false;
  await input.endSessions(accountId);
  return true;
}

export type ChangePasswordResult = { outcome: 'changed' } | { outcome: 'wrong' } | { outcome: 'throttled' };

/**
 * A signed-in person chooses a new password, giving their current one (so a device left signed in
 * cannot be used to take the account over). Checking it counts as a sign-in try. Every other session
 * of the account ends; this one carries on.
 */
export async function changePassword(
  database: Database,
  config: Config,
  input: {
    accountId: string;
    current: string;
    password: string;
    address: string;
    requestId: string;
    place: Pick<Membership, 'organisationId' | 'personId'>;
  },
): Promise<ChangePasswordResult> {
  const [found] = await withSystem(database, (tx) =>
    tx.select().from(account).where(eq(account.id, input.accountId)),
  );
  if (!found) return { outcome: 'wrong' };
  const keys = throttleKeys(found.email, input.address);
  if (await withSystem(database, (tx) => isThrottled(tx, keys, { knownHere: true })))
    return { outcome: 'throttled' };
  if (!(await verifyPassword(found.passwordHash, input.current))) {
    await withSystem(database, (tx) => recordFailure(tx, keys));
    return { outcome: 'wrong' };
  }
  const passwordHash = await hashPassword(input.password, config.passwordMemoryCost);
  await withSystem(database, async (tx) => {
    await tx
      .update(account)
      .set({ passwordHash, passwordChangedAt: new Date() })
      .where(eq(account.id, input.accountId));
    await clearAccountFailures(tx, found.email);
    // Links to choose a password that are still open would undo this one.
    await tx
      .update(passwordReset)
      .set({ expiresAt: new Date() })
      .where(and(eq(passwordReset.accountId, input.accountId), isNull(passwordReset.usedAt)));
    await audit(systemScope(tx, input.place.organisationId, input.place.personId, input.requestId), {
      action: 'change-password',
      subjectType: 'account',
      subjectPersonId: input.place.personId,
    });
  });
  return { outcome: 'changed' };
}

/**
 * An invitation this person (the viewer) sent, still waiting, that sits in the outbox because there is
 * no mail server: its link, for them to pass on by hand. Nobody else is shown it (decision 016).
 */
export async function invitationToPassOn(
  scope: Scope,
  personId: string,
  viewerPersonId: string,
): Promise<string | null> {
  const [waiting] = await scope.tx
    .select({ email: invitation.email, createdAt: invitation.createdAt })
    .from(invitation)
    .where(
      and(
        eq(invitation.organisationId, scope.organisationId),
        eq(invitation.personId, personId),
        eq(invitation.invitedByPersonId, viewerPersonId),
        isNull(invitation.usedAt),
        gt(invitation.expiresAt, new Date()),
      ),
    )
    .orderBy(desc(invitation.createdAt))
    .limit(1);
  if (!waiting) return null;
  const [message] = await scope.tx
    .select({ bodyText: outboxMessage.bodyText })
    .from(outboxMessage)
    .where(
      and(
        eq(outboxMessage.organisationId, scope.organisationId),
        eq(outboxMessage.causedByPersonId, viewerPersonId),
        eq(outboxMessage.linkKind, 'invitation'),
        eq(outboxMessage.delivery, 'outbox'),
        eq(outboxMessage.toAddress, waiting.email),
        gte(outboxMessage.createdAt, waiting.createdAt),
      ),
    )
    .orderBy(desc(outboxMessage.createdAt))
    .limit(1);
  return message?.bodyText.match(oneTimeLinkPattern)?.[0] ?? null;
}
