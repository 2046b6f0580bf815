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
  return retryingConflicts(() =>
    database.db.transaction(async (tx) => {
      await tx.execute(sql`set local role alongside_app`);
      await tx.execute(sql`select set_config('app.organisation_id', ${options.organisationId}, true)`);
      return work({
        tx,
        organisationId: options.organisationId,
        actorPersonId: options.actorPersonId ?? null,
        requestId: options.requestId ?? null,
      });
    }),
  );
}

/** PostgreSQL ended the transaction to untangle it from another: a serialization failure or deadlock. */
export function isConflict(error: unknown): boolean {
  for (let cause = error; cause && typeof cause === 'object'; cause = (cause as { cause?: unknown }).cause) {
    const code = (cause as { code?: unknown }).code;
    if (code === '40001' || code === '40P01') return true;
  }
  return false;
}

/** How many times a piece of work was run again after a conflict (for tests and figures). */
export const conflictRetries = { count: 0 };

/**
 * A transaction PostgreSQL ended because of another one at the same moment is run once more, after a
 * short random pause: nothing of it was kept, and the other one has usually finished by then.
 */
async function retryingConflicts<T>(transaction: () => Promise<T>): Promise<T> {
  try {
    return await transaction();
  } catch (error) {
    if (!isConflict(error)) throw error;
    conflictRetries.count += 1;
    await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 45));
    return transaction();
  }
}

/**
 * Runs `work` as the owning role, outside any organisation. Only sign-in, sessions, invitations and
 * password resets use it: they must find an account before anyone knows which organisation it is in.
 */
export function withSystem<T>(database: Database, work: (tx: Tx) => Promise<T>): Promise<T> {
  return retryingConflicts(() => database.db.transaction(work));
}

/** Rows from a raw `tx.execute`, which PGlite and node-postgres both return under `rows`. */
export async function rowsOf<Row>(result: Promise<unknown>): Promise<Row[]> {
  return ((await result) as { rows: Row[] }).rows;
}

/**
 * Runs `work` with a Database whose every transaction is a savepoint inside one outer transaction, so
 * many steps written for their own transactions (loading the demo data) commit together or not at all.
 * The outer transaction runs as the owner; after each inner `withOrganisation` the role and
 * organisation are put back, so the next step starts as the previous one would have.
 */
export function inOneTransaction<T>(
  database: Database,
  work: (inner: Database, tx: Tx) => Promise<T>,
): Promise<T> {
  return database.db.transaction(async (outer) => {
    const savepoints = Object.create(outer) as Tx;
    savepoints.transaction = ((step: (tx: Tx) => Promise<unknown>) =>
      outer.transaction(async (tx) => {
        const result = await step(tx);
        await tx.execute(sql`reset role`);
        await tx.execute(sql`select set_config('app.organisation_id', '', true)`);
        return result;
      })) as Tx['transaction'];
    const inner: Database = {
      ...database,
      db: savepoints as unknown as Database['db'],
      exclusively: (step) => step(),
      runScript: () => Promise.reject(new Error('inOneTransaction: no scripts inside')),
      close: () => Promise.reject(new Error('inOneTransaction: the outer database closes')),
    };
    return work(inner, outer);
  });
}
