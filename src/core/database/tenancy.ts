import { sql } from 'drizzle-orm';
import type { Database, Tx } from './connect.ts';

/** What a piece of work on an organisation's data knows: where it is, who is doing it, for which request. */
export interface Scope {
  tx: Tx;
  organisationId: string;
  actorPersonId: string | null;
  requestId: string | null;
}

export interface ScopeOptions {
  organisationId: string;
  actorPersonId?: string | null;
  requestId?: string | null;
}

/**
 * Runs `work` in a transaction as the `alongside_app` role, which owns no table, with the organisation
 * set for row-level security. A query that forgets its organisation filter still sees only this one.
 */
export function withOrganisation<T>(
  database: Database,
  options: ScopeOptions,
  work: (scope: Scope) => Promise<T>,
): Promise<T> {
  return database.db.transaction(async (tx) => {
    await tx.execute(sql`set local role alongside_app`);
    await tx.execute(sql`select set_config('app.organisation_id', ${options.organisationId}, true)`);
    return work({
      tx,
      organisationId: options.organisationId,
      actorPersonId: options.actorPersonId ?? null,
      requestId: options.requestId ?? null,
    });
  });
}

/**
 * Runs `work` as the owning role, outside any organisation. Only sign-in, sessions, invitations and
 * password resets use it: they must find an account before anyone knows which organisation it is in.
 */
export function withSystem<T>(database: Database, work: (tx: Tx) => Promise<T>): Promise<T> {
  return database.db.transaction(work);
}

/** Rows from a raw `tx.execute`, which PGlite and node-postgres both return under `rows`. */
export async function rowsOf<Row>(result: Promise<unknown>): Promise<Row[]> {
  return ((await result) as { rows: Row[] }).rows;
}
