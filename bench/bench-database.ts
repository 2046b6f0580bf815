import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Database, openPglite } from '../src/core/database/connect.ts';
import { throwawayPostgres } from '../test/helpers/databases.ts';

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
  return throwawayPostgres(url, 'alongside_bench', 10);
}
