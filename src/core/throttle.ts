import { and, count, eq, gte, inArray, lt } from 'drizzle-orm';
import type { Tx } from './database/connect.ts';
import { signInFailure } from './database/schema.ts';

/** Repeated failed sign-ins slow down per account and per address, for fifteen minutes. */
export const throttleWindowMinutes = 15;
export const failuresAllowedPerAccount = 5;
export const failuresAllowedPerAddress = 20;

export function throttleKeys(email: string, address: string) {
  return { account: `account:${email.trim().toLowerCase()}`, address: `address:${address}` };
}

function windowStart(now: Date) {
  return new Date(now.getTime() - throttleWindowMinutes * 60_000);
}

export async function isThrottled(tx: Tx, keys: { account: string; address: string }, now = new Date()) {
  const rows = await tx
    .select({ key: signInFailure.throttleKey, failures: count() })
    .from(signInFailure)
    .where(
      and(
        inArray(signInFailure.throttleKey, [keys.account, keys.address]),
        gte(signInFailure.failedAt, windowStart(now)),
      ),
    )
    .groupBy(signInFailure.throttleKey);
  const failuresFor = (key: string) => rows.find((row) => row.key === key)?.failures ?? 0;
  return (
    failuresFor(keys.account) >= failuresAllowedPerAccount ||
    failuresFor(keys.address) >= failuresAllowedPerAddress
  );
}

export async function recordFailure(tx: Tx, keys: { account: string; address: string }, now = new Date()) {
  await tx.insert(signInFailure).values([
    { throttleKey: keys.account, failedAt: now },
    { throttleKey: keys.address, failedAt: now },
  ]);
  // Old failures have no further use; clearing them as we go keeps the table small without a job.
  await tx.delete(signInFailure).where(lt(signInFailure.failedAt, windowStart(now)));
}

export async function clearAccountFailures(tx: Tx, keys: { account: string }) {
  await tx.delete(signInFailure).where(eq(signInFailure.throttleKey, keys.account));
}
