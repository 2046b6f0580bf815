import { sql } from 'drizzle-orm';
import type { Database } from './database/connect.ts';
import { rowsOf, withSystem } from './database/tenancy.ts';
import { hashToken } from './tokens.ts';

/**
 * Limits per hour on things anyone can do without signing in (asking for a coach, reading a calendar
 * feed), counted in the database so every server of one installation counts together. Each key is
 * kept only as a keyed hash: an address is never stored. The hour is the clock hour, so a limit
 * reached is lifted at the next hour at the latest.
 */
export interface Limit {
  /** What is counted, e.g. `ask:address:203.0.113.7`; hashed before it is stored. */
  key: string;
  /** How many times in one clock hour. */
  most: number;
}

class LimitReached extends Error {}

/** What is stored for a limit's key: a keyed hash, so the table holds no address. */
export function limitKeyHash(secretKey: string, key: string): string {
  return hashToken(secretKey, `limit:${key}`);
}

/**
 * Counts one more use against every limit, or none if any of them is already used up: a refused
 * attempt is not counted, so trying again later works as soon as the hour turns.
 */
export async function withinLimits(database: Database, secretKey: string, limits: Limit[]): Promise<boolean> {
  try {
    await withSystem(database, async (tx) => {
      // Always in the same order, so two requests at once wait for each other instead of deadlocking.
      const hashed = limits
        .map((limit) => ({ hash: limitKeyHash(secretKey, limit.key), most: limit.most }))
        .sort((a, b) => (a.hash < b.hash ? -1 : 1));
      for (const limit of hashed) {
        const [row] = await rowsOf<{ count: number }>(
          tx.execute(sql`insert into request_count (key_hash, window_start, count)
            values (${limit.hash}, date_trunc('hour', now()), 1)
            on conflict (key_hash, window_start) do update set count = request_count.count + 1
            returning count`),
        );
        if ((row?.count ?? 0) > limit.most) throw new LimitReached();
      }
      // Earlier hours have no further use; clearing them as we go keeps the table small without a job.
      await tx.execute(sql`delete from request_count where window_start < date_trunc('hour', now())`);
    });
    return true;
  } catch (error) {
    if (error instanceof LimitReached) return false;
    throw error;
  }
}
