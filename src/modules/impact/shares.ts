import { sql } from 'drizzle-orm';
import { audit } from '../../core/audit.ts';
import type { Database } from '../../core/database/connect.ts';
import { rowsOf, type Scope, withSystem } from '../../core/database/tenancy.ts';
import { hashToken, newToken } from '../../core/tokens.ts';
import { auditSubject } from './settings.ts';

/** A share link as its maker sees it; the secret itself is shown once, when it is made. */
export interface ImpactShare {
  id: string;
  label: string;
  firstMonth: string;
  lastMonth: string;
  madeAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  openedCount: number;
  lastOpenedAt: Date | null;
}

const tokenPattern = /^[A-Za-z0-9_-]{20,100}$/;

export async function makeShare(
  scope: Scope,
  secretKey: string,
  share: { label: string; firstMonth: string; lastMonth: string; days: number },
): Promise<{ id: string; token: string }> {
  const token = newToken();
  const [row] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`insert into impact_share (organisation_id, token_hash, label, first_month, last_month,
        made_by_person_id, expires_at)
      values (${scope.organisationId}, ${hashToken(secretKey, token)}, ${share.label}, ${share.firstMonth},
        ${share.lastMonth}, ${scope.actorPersonId}, now() + make_interval(days => ${share.days}))
      returning id`),
  );
  await audit(scope, {
    action: 'create',
    subjectType: auditSubject.share,
    subjectId: row!.id,
    detail: { firstMonth: share.firstMonth, lastMonth: share.lastMonth, days: share.days },
  });
  return { id: row!.id, token };
}

const shareColumns = sql`id, label, first_month as "firstMonth", last_month as "lastMonth", made_at as "madeAt",
  expires_at as "expiresAt", revoked_at as "revokedAt", opened_count as "openedCount", last_opened_at as "lastOpenedAt"`;

const asShare = (row: ImpactShare): ImpactShare => ({
  ...row,
  madeAt: new Date(row.madeAt),
  expiresAt: new Date(row.expiresAt),
  revokedAt: row.revokedAt ? new Date(row.revokedAt) : null,
  lastOpenedAt: row.lastOpenedAt ? new Date(row.lastOpenedAt) : null,
});

/** The newest share links first, a page at a time. */
export async function listShares(scope: Scope, limit = 20, offset = 0): Promise<ImpactShare[]> {
  return (
    await rowsOf<ImpactShare>(
      scope.tx.execute(sql`select ${shareColumns} from impact_share where organisation_id = ${scope.organisationId}
        order by made_at desc, id limit ${limit} offset ${offset}`),
    )
  ).map(asShare);
}

export async function revokeShare(scope: Scope, id: string): Promise<boolean> {
  const rows = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`update impact_share set revoked_at = now(), revoked_by_person_id = ${scope.actorPersonId}
      where id = ${id} and organisation_id = ${scope.organisationId} and revoked_at is null returning id`),
  );
  if (rows.length === 0) return false;
  await audit(scope, { action: 'delete', subjectType: auditSubject.share, subjectId: id });
  return true;
}

/**
 * The share a secret opens, across organisations (the reader has no session): only one not revoked
 * and not expired. The opening itself is counted and audited inside the organisation by the caller.
 */
export async function findShare(
  database: Database,
  secretKey: string,
  token: string,
): Promise<(ImpactShare & { organisationId: string }) | null> {
  if (!tokenPattern.test(token)) return null;
  const [row] = await withSystem(database, (tx) =>
    rowsOf<ImpactShare & { organisationId: string }>(
      tx.execute(sql`select ${shareColumns}, organisation_id as "organisationId" from impact_share
        where token_hash = ${hashToken(secretKey, token)} and revoked_at is null and expires_at > now()`),
    ),
  );
  return row ? { ...asShare(row), organisationId: row.organisationId } : null;
}

export async function recordOpening(scope: Scope, id: string): Promise<void> {
  await scope.tx.execute(sql`update impact_share set opened_count = opened_count + 1, last_opened_at = now()
    where id = ${id} and organisation_id = ${scope.organisationId}`);
  await audit(scope, { action: 'read', subjectType: auditSubject.share, subjectId: id });
}
