import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Database, openPglite, openPostgres } from '../../src/core/database/connect.ts';
import { migrate } from '../../src/core/database/migrate.ts';
import { migrationSources } from '../../src/modules/index.ts';

export interface DatabaseKind {
  name: 'pglite' | 'postgresql';
  /** A new, empty, migrated database of this kind; closing it throws it away. */
  open(): Promise<Database>;
}

/** PGlite always; the real PostgreSQL server as well when TEST_DATABASE_URL names one (CI does). */
export function databaseKinds(): DatabaseKind[] {
  const kinds: DatabaseKind[] = [
    {
      name: 'pglite',
      async open() {
        const database = await openPglite();
        await migrate(database, migrationSources());
        return database;
      },
    },
  ];
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    kinds.push({
      name: 'postgresql',
      async open() {
        const { database, drop } = await throwawayPostgres(serverUrl, 'alongside_test', 5);
        await migrate(database, migrationSources());
        return { ...database, close: drop };
      },
    });
  }
  return kinds;
}

/**
 * A new, empty database on a PostgreSQL server, for one test file or one benchmark run; `drop` closes
 * the pool and removes the database.
 */
export async function throwawayPostgres(
  serverUrl: string,
  prefix: string,
  poolSize: number,
): Promise<{ database: Database; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = openPostgres(url.toString(), poolSize);
  return {
    database,
    async drop() {
      await database.close();
      const dropper = new pg.Client({ connectionString: serverUrl });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}
