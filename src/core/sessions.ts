import { and, desc, eq, gt, lt, ne } from 'drizzle-orm';
import type { Config } from './config.ts';
import type { Database } from './database/connect.ts';
import { session } from './database/schema.ts';
import { withSystem } from './database/tenancy.ts';
import type { Language } from './i18n/index.ts';
import { hashToken, newToken } from './tokens.ts';

export type SessionRecord = typeof session.$inferSelect;

export interface SessionStart {
  accountId?: string | null;
  personId?: string | null;
  organisationId?: string | null;
  language?: Language | null;
  /** A few words for the list of places signed in ("Firefox on Windows"); never the full user agent. */
  device?: string | null;
}

export interface SessionSummary {
  /** The session row's key: the keyed hash, never the cookie's token. */
  idHash: string;
  device: string | null;
  createdAt: Date;
  lastSeenAt: Date;
}

/** Sessions live in a table; the cookie holds a random id and the table only its keyed hash. */
export class Sessions {
  constructor(
    private readonly database: Database,
    private readonly config: Config,
  ) {}

  private expiry(from = new Date()): Date {
    return new Date(from.getTime() + this.config.sessionIdleMinutes * 60_000);
  }

  /** A session not yet stored: anonymous visitors only get a row once they see a page with a form. */
  prepare(start: SessionStart): { token: string; record: SessionRecord } {
    const token = newToken();
    const now = new Date();
    return {
      token,
      record: {
        idHash: hashToken(this.config.secretKey, token),
        accountId: start.accountId ?? null,
        personId: start.personId ?? null,
        organisationId: start.organisationId ?? null,
        language: start.language ?? null,
        csrfToken: newToken(),
        createdAt: now,
        lastSeenAt: now,
        expiresAt: this.expiry(now),
        device: start.device ?? null,
      },
    };
  }

  async save(record: SessionRecord): Promise<void> {
    await withSystem(this.database, (tx) => tx.insert(session).values(record));
  }

  async start(start: SessionStart): Promise<{ token: string; record: SessionRecord }> {
    const prepared = this.prepare(start);
    await this.save(prepared.record);
    return prepared;
  }

  /** Finds a live session and rolls its expiry forward (at most once a minute, to spare the database). */
  async find(token: string | undefined): Promise<SessionRecord | null> {
    if (!token || token.length > 100) return null;
    const idHash = hashToken(this.config.secretKey, token);
    return withSystem(this.database, async (tx) => {
      const [record] = await tx.select().from(session).where(eq(session.idHash, idHash));
      if (!record) return null;
      const now = new Date();
      if (record.expiresAt <= now) {
        await tx.delete(session).where(eq(session.idHash, idHash));
        return null;
      }
      if (now.getTime() - record.lastSeenAt.getTime() > 60_000) {
        const expiresAt = this.expiry(now);
        await tx.update(session).set({ lastSeenAt: now, expiresAt }).where(eq(session.idHash, idHash));
        return { ...record, lastSeenAt: now, expiresAt };
      }
      return record;
    });
  }

  async update(
    token: string,
    changes: Partial<Pick<SessionRecord, 'organisationId' | 'personId' | 'language'>>,
  ) {
    await withSystem(this.database, (tx) =>
      tx
        .update(session)
        .set(changes)
        .where(eq(session.idHash, hashToken(this.config.secretKey, token))),
    );
  }

  async end(token: string): Promise<void> {
    await withSystem(this.database, (tx) =>
      tx.delete(session).where(eq(session.idHash, hashToken(this.config.secretKey, token))),
    );
  }

  /** Signs an account out on every device; returns how many sessions ended. */
  async endEverywhere(accountId: string): Promise<number> {
    const ended = await withSystem(this.database, (tx) =>
      tx.delete(session).where(eq(session.accountId, accountId)).returning({ idHash: session.idHash }),
    );
    return ended.length;
  }

  /** Where an account is signed in now, most recently used first. */
  async listForAccount(accountId: string): Promise<SessionSummary[]> {
    return withSystem(this.database, (tx) =>
      tx
        .select({
          idHash: session.idHash,
          device: session.device,
          createdAt: session.createdAt,
          lastSeenAt: session.lastSeenAt,
        })
        .from(session)
        .where(and(eq(session.accountId, accountId), gt(session.expiresAt, new Date())))
        .orderBy(desc(session.lastSeenAt))
        .limit(50),
    );
  }

  /** Signs the account out in one place; returns false when that session is not the account's. */
  async endOne(accountId: string, idHash: string): Promise<boolean> {
    const ended = await withSystem(this.database, (tx) =>
      tx
        .delete(session)
        .where(and(eq(session.accountId, accountId), eq(session.idHash, idHash)))
        .returning({ idHash: session.idHash }),
    );
    return ended.length > 0;
  }

  /** Signs the account out everywhere but here (after a new password, say). */
  async endOthers(accountId: string, keepToken: string): Promise<number> {
    const keep = hashToken(this.config.secretKey, keepToken);
    const ended = await withSystem(this.database, (tx) =>
      tx
        .delete(session)
        .where(and(eq(session.accountId, accountId), ne(session.idHash, keep)))
        .returning({ idHash: session.idHash }),
    );
    return ended.length;
  }

  /** The row key for a cookie's token, to tell "this device" in a list. */
  keyOf(token: string): string {
    return hashToken(this.config.secretKey, token);
  }

  async removeExpired(): Promise<void> {
    await withSystem(this.database, (tx) => tx.delete(session).where(lt(session.expiresAt, new Date())));
  }
}
