import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type Database, openPglite, openPostgres } from '../src/core/database/connect.ts';

/**
 * A database for one benchmark run, dropped afterwards. PGlite by default, in a data folder with durable
 * writes as `npm start` opens it; PGLITE=fast turns fsync off and PGLITE=memory keeps it in memory.
 * BENCH_DATABASE_URL=postgres://… makes a fresh database on that server, with a pool of 10.
 */
export async function openBenchDatabase(): Promise<{ database: Database; drop(): Promise<void> }> {
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) {
    const mode = process.env.PGLITE ?? 'durable';
    if (mode === 'memory') {
      const database = await openPglite();
      return { database, drop: () => database.close() };
    }
    const folder = mkdtempSync(join(tmpdir(), 'alongside-bench-'));
    const database = await openPglite(folder, { durable: mode !== 'fast' });
    return {
      database,
      async drop() {
        await database.close();
        rmSync(folder, { recursive: true, force: true });
      },
    };
  }
  const name = `alongside_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const target = new URL(url);
  target.pathname = `/${name}`;
  const database = openPostgres(target.toString(), 10);
  return {
    database,
    async drop() {
      await database.close();
      const dropper = new pg.Client({ connectionString: url });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}
