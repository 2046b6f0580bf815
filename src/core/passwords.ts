import { Algorithm, hash, verify } from '@node-rs/argon2';

export const minimumPasswordLength = 10;

/** Argon2id with OWASP's recommended parameters by default (19 MiB, 2 passes). */
export function hashPassword(password: string, memoryCost = 19456): Promise<string> {
  return hash(password, { algorithm: Algorithm.Argon2id, memoryCost, timeCost: 2, parallelism: 1 });
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** Spent on unknown addresses too, so the time taken never tells whether an account exists. */
let decoyHash: Promise<string> | undefined;
export async function verifyAgainstDecoy(password: string, memoryCost?: number): Promise<false> {
  decoyHash ??= hashPassword('alongside-decoy-password', memoryCost);
  await verifyPassword(await decoyHash, password);
  return false;
}
