import { and, count, eq, gte, inArray, like, lt } from 'drizzle-orm';
import type { Tx } from './database/connect.ts';
import { signInAddress, signInFailure } from './database/schema.ts';

/**
 * Repeated failed sign-ins slow down for fifteen minutes: a guesser at one address after 5 tries at
 * one account, one address after 20 tries at any accounts, and one account after 50 tries from
 * anywhere. Counting the account and address together first means a stranger elsewhere cannot lock
 * someone out with a handful of wrong guesses.
 *
 * The limit per address does not apply to an account that has signed in from that address in the last
 * 30 days: a whole office behind one connection is not locked out because one person (or a stranger on
 * the same wifi) guessed badly. Its own limit (5 at that address, 50 anywhere) still does.
 */
export const throttleWindowMinutes = 15;
export const knownAddressDays = 30;
export const limits = { accountAtAddress: 5, address: 20, account: 50 };

export interface ThrottleKeys {
  accountAtAddress: string;
  address: string;
  account: string;
}

export function throttleKeys(email: string, address: string): ThrottleKeys {
  const account = `account:${email.trim().toLowerCase()}`;
  return { accountAtAddress: `${account}|address:${address}`, address: `address:${address}`, account };
}

function windowStart(now: Date) {
  return new Date(now.getTime() - throttleWindowMinutes * 60_000);
}

export async function isThrottled(
  tx: Tx,
  keys: ThrottleKeys,
  options: { knownHere?: boolean } = {},
  now = new Date(),
): Promise<boolean> {
  const rows = await tx
    .select({ key: signInFailure.throttleKey, failures: count() })
    .from(signInFailure)
    .where(
      and(
        inArray(signInFailure.throttleKey, [keys.accountAtAddress, keys.address, keys.account]),
        gte(signInFailure.failedAt, windowStart(now)),
      ),
    )
    .groupBy(signInFailure.throttleKey);
  const failuresFor = (key: string) => rows.find((row) => row.key === key)?.failures ?? 0;
  return (
    failuresFor(keys.accountAtAddress) >= limits.accountAtAddress ||
    (!options.knownHere && failuresFor(keys.address) >= limits.address) ||
    failuresFor(keys.account) >= limits.account
  );
}

export async function recordFailure(tx: Tx, keys: ThrottleKeys, now = new Date()): Promise<void> {
  await tx.insert(signInFailure).values([
    { throttleKey: keys.accountAtAddress, failedAt: now },
    { throttleKey: keys.address, failedAt: now },
    { throttleKey: keys.account, failedAt: now },
  ]);
  // Old failures have no further use; clearing them as we go keeps the table small without a job.
  await tx.delete(signInFailure).where(lt(signInFailure.failedAt, windowStart(now)));
}

/** After a correct password or a new one, the account's own failures are forgotten everywhere. */
export async function clearAccountFailures(tx: Tx, email: string): Promise<void> {
  const account = `account:${email.trim().toLowerCase()}`;
  await tx.delete(signInFailure).where(eq(signInFailure.throttleKey, account));
  await tx
    .delete(signInFailure)
    .where(like(signInFailure.throttleKey, `${account.replace(/[\\%_]/g, (ch) => `\\${ch}`)}|%`));
}

/** Has this account signed in from this address (its keyed hash) in the last 30 days? */
export async function signedInFromHereRecently(
  tx: Tx,
  accountId: string,
  addressHash: string,
  now = new Date(),
): Promise<boolean> {
  const [row] = await tx
    .select({ at: signInAddress.lastSuccessAt })
    .from(signInAddress)
    .where(
      and(
        eq(signInAddress.accountId, accountId),
        eq(signInAddress.addressHash, addressHash),
        gte(signInAddress.lastSuccessAt, new Date(now.getTime() - knownAddressDays * 86_400_000)),
      ),
    );
  return Boolean(row);
}

export async function rememberSignInAddress(tx: Tx, accountId: string, addressHash: string): Promise<void> {
  await tx
    .insert(signInAddress)
    .values({ accountId, addressHash, lastSuccessAt: new Date() })
    .onConflictDoUpdate({
      target: [signInAddress.accountId, signInAddress.addressHash],
      set: { lastSuccessAt: new Date() },
    });
}
