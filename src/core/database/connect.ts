import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzleNodePostgres } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import type { Config } from '../config.ts';
import { DurableNodeFS, durableStartParams, lockDataFolder, syncTree } from './embedded.ts';

export type AppDb = PgDatabase<PgQueryResultHKT>;
export type Tx = Parameters<Parameters<AppDb['transaction']>[0]>[0];

/** One shape for both engines: the embedded PGlite and a PostgreSQL server behind a pool. */
export interface Database {
  kind: 'pglite' | 'postgresql';
  db: AppDb;
  /** Runs a multi-statement SQL script in one transaction (migrations). */
  runScript(script: string): Promise<void>;
  /** Runs `work` while holding a cluster-wide lock, so two starting servers never migrate at once. */
  exclusively<T>(work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const migrationLock = 4_242_001;

export interface EmbeddedOptions {
  /**
   * Wait for the disk at every commit (the default for a data folder). Tests on throw-away folders
   * may turn it off; an in-memory database has no disk to wait for.
   */
  durable?: boolean;
}

/**
 * The embedded database: in memory without a folder (tests), else in `dataDir`, locked to this
 * process and, unless told otherwise, durable: a commit is on the disk before anyone is told it saved.
 */
export async function openPglite(dataDir?: string, options: EmbeddedOptions = {}): Promise<Database> {
  if (!dataDir) return wrapPglite(await PGlite.create(), null);
  const lock = lockDataFolder(dataDir);
  try {
    const durable = options.durable !== false;
    const isNew = !existsSync(join(dataDir, 'PG_VERSION'));
    const client = await PGlite.create(
      durable ? { fs: new DurableNodeFS(dataDir), startParams: durableStartParams() } : { dataDir },
    );
    if (durable && isNew) syncTree(dataDir);
    return wrapPglite(client, lock);
  } catch (error) {
    lock.release();
    throw error;
  }
}

function wrapPglite(client: PGlite, lock: { release(): void } | null): Database {
  return {
    kind: 'pglite',
    db: drizzlePglite(client) as unknown as AppDb,
    async runScript(script) {
      await client.transaction(async (tx) => {
        await tx.exec(script);
      });
    },
    // PGlite has one connection and one process: its own queue already makes this exclusive.
    exclusively: (work) => work(),
    async close() {
      try {
        if (!client.closed) await client.close();
      } finally {
        lock?.release();
      }
    },
  };
}

export function openPostgres(url: string, poolSize = 10): Database {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client's network error must not crash the server; the next query gets a fresh client.
  pool.on('error', () => {});
  return {
    kind: 'postgresql',
    db: drizzleNodePostgres(pool) as unknown as AppDb,
    async runScript(script) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        await client.query(script);
        await client.query('commit');
      } catch (error) {
        await client.query('rollback');
        throw error;
      } finally {
        client.release();
      }
    },
    async exclusively(work) {
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [migrationLock]);
        return await work();
      } finally {
        await client.query('select pg_advisory_unlock($1)', [migrationLock]).catch(() => {});
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}

export async function openDatabase(config: Config): Promise<Database> {
  return config.database.kind === 'postgresql'
    ? openPostgres(config.database.url, config.database.poolSize)
    : openPglite(config.database.dataDir);
}
