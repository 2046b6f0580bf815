import { eq, lt, sql } from 'drizzle-orm';
import type { Database } from './database/connect.ts';
import { formSubmission } from './database/schema.ts';
import { rowsOf, withSystem } from './database/tenancy.ts';
import { hashToken } from './tokens.ts';

/**
 * One record per intention. Every form carries a one-time token (`_once`, made fresh each time the form
 * is shown). The first submission of a token claims it; when that submission ends in a redirect (the
 * thing was made), the redirect is kept, and any later submission of the same token — a double click,
 * a retry after a lost response, going back and sending again — is sent where the first one went
 * instead of making the thing again. A submission that did not succeed (a message beside a field) frees
 * the token, so the corrected form can be sent.
 */
export const onceField = '_once';
/** How long a spent token is remembered: long enough for any retry a browser or a person makes. */
export const rememberedHours = 24;

export type Claim = { outcome: 'first' } | { outcome: 'repeat'; location: string | null };

/** The stored key: the token bound to the session that was shown the form, as a keyed hash. */
export function submissionKey(secretKey: string, sessionKey: string, token: string): string {
  return hashToken(secretKey, `form:${sessionKey}:${token}`);
}

export async function claimSubmission(database: Database, key: string): Promise<Claim> {
  const claimed = await rowsOf<{ key_hash: string }>(
    withSystem(database, (tx) =>
      tx.execute(sql`insert into form_submission (key_hash) values (${key})
        on conflict (key_hash) do nothing returning key_hash`),
    ),
  );
  if (claimed.length > 0) return { outcome: 'first' };
  return { outcome: 'repeat', location: await locationOf(database, key) };
}

async function locationOf(database: Database, key: string): Promise<string | null> {
  const [row] = await withSystem(database, (tx) =>
    tx
      .select({ location: formSubmission.location })
      .from(formSubmission)
      .where(eq(formSubmission.keyHash, key)),
  );
  return row?.location ?? null;
}

/**
 * A repeat that arrives while the first is still being saved (a double click) waits a moment for the
 * first to finish, then goes where it went.
 */
export async function waitForFirst(database: Database, key: string, seconds = 5): Promise<string | null> {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    const location = await locationOf(database, key);
    if (location) return location;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return null;
}

export async function rememberResult(database: Database, key: string, location: string): Promise<void> {
  await withSystem(database, (tx) =>
    tx.update(formSubmission).set({ location }).where(eq(formSubmission.keyHash, key)),
  );
}

/** The first submission did not make anything, so the same form may be sent again. */
export async function freeSubmission(database: Database, key: string): Promise<void> {
  await withSystem(database, (tx) => tx.delete(formSubmission).where(eq(formSubmission.keyHash, key)));
}

export async function forgetOldSubmissions(database: Database): Promise<void> {
  const before = new Date(Date.now() - rememberedHours * 3_600_000);
  await withSystem(database, (tx) => tx.delete(formSubmission).where(lt(formSubmission.createdAt, before)));
}
