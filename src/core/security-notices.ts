import { and, desc, eq, inArray, isNull, ne } from 'drizzle-orm';
import { membership, person, securityNotice } from './database/schema.ts';
import type { Scope } from './database/tenancy.ts';

/**
 * Things a person must be told when they next sign in, because someone else did something to their
 * account (or, for leads, to someone's account) that could be used to read records unseen. They are
 * shown before anything else after signing in, and stay listed on the account page.
 */
export type SecurityNoticeKind = 'password-reset-by-admin' | 'admin-reset-someone';

export interface SecurityNotice {
  id: string;
  kind: SecurityNoticeKind;
  createdAt: Date;
  seenAt: Date | null;
  aboutName: string | null;
  byName: string | null;
}

/**
 * An admin started a new password for someone: that person is told, and so is every lead of the
 * organisation but the admin themselves.
 */
export async function tellOfResetBySomeone(scope: Scope, personId: string): Promise<void> {
  const adminId = scope.actorPersonId;
  const leads = await scope.tx
    .selectDistinct({ personId: membership.personId })
    .from(membership)
    .where(
      and(
        eq(membership.organisationId, scope.organisationId),
        eq(membership.role, 'lead'),
        adminId ? ne(membership.personId, adminId) : undefined,
        ne(membership.personId, personId),
      ),
    );
  await scope.tx.insert(securityNotice).values([
    {
      organisationId: scope.organisationId,
      personId,
      kind: 'password-reset-by-admin',
      aboutPersonId: personId,
      byPersonId: adminId,
    },
    ...leads.map((lead) => ({
      organisationId: scope.organisationId,
      personId: lead.personId,
      kind: 'admin-reset-someone' as const,
      aboutPersonId: personId,
      byPersonId: adminId,
    })),
  ]);
}

/** A person's notices, newest first: `unseenOnly` for the page shown at sign-in. */
export async function noticesFor(
  scope: Scope,
  personId: string,
  options: { unseenOnly?: boolean; limit?: number } = {},
): Promise<SecurityNotice[]> {
  const rows = await scope.tx
    .select({
      id: securityNotice.id,
      kind: securityNotice.kind,
      createdAt: securityNotice.createdAt,
      seenAt: securityNotice.seenAt,
      aboutPersonId: securityNotice.aboutPersonId,
      byPersonId: securityNotice.byPersonId,
    })
    .from(securityNotice)
    .where(
      and(
        eq(securityNotice.organisationId, scope.organisationId),
        eq(securityNotice.personId, personId),
        options.unseenOnly ? isNull(securityNotice.seenAt) : undefined,
      ),
    )
    .orderBy(desc(securityNotice.createdAt))
    .limit(options.limit ?? 20);
  const ids = [...new Set(rows.flatMap((row) => [row.aboutPersonId, row.byPersonId]))].filter(
    (id): id is string => Boolean(id),
  );
  const names =
    ids.length === 0
      ? new Map<string, string>()
      : new Map(
          (
            await scope.tx
              .select({ id: person.id, calledName: person.calledName })
              .from(person)
              .where(and(eq(person.organisationId, scope.organisationId), inArray(person.id, ids)))
          ).map((row) => [row.id, row.calledName]),
        );
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    createdAt: row.createdAt,
    seenAt: row.seenAt,
    aboutName: row.aboutPersonId ? (names.get(row.aboutPersonId) ?? null) : null,
    byName: row.byPersonId ? (names.get(row.byPersonId) ?? null) : null,
  }));
}

export async function hasUnseenNotices(scope: Scope, personId: string): Promise<boolean> {
  return (await noticesFor(scope, personId, { unseenOnly: true, limit: 1 })).length > 0;
}

export async function markNoticesSeen(scope: Scope, personId: string): Promise<void> {
  await scope.tx
    .update(securityNotice)
    .set({ seenAt: new Date() })
    .where(
      and(
        eq(securityNotice.organisationId, scope.organisationId),
        eq(securityNotice.personId, personId),
        isNull(securityNotice.seenAt),
      ),
    );
}
