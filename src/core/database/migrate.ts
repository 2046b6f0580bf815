import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { Database } from './connect.ts';
import { rowsOf } from './tenancy.ts';

export interface MigrationSource {
  /** `core` or a module id; migration ids are `source/file.sql`. */
  source: string;
  directory: string;
}

export const coreMigrations: MigrationSource = {
  source: 'core',
  directory: fileURLToPath(new URL('./migrations', import.meta.url)),
};

export class MigrationError extends Error {}

function listMigrations(sources: MigrationSource[]) {
  return sources.flatMap(({ source, directory }) =>
    readdirSync(directory)
      .filter((file) => file.endsWith('.sql'))
      .sort()
      .map((file) => {
        const script = readFileSync(join(directory, file), 'utf8');
        return {
          id: `${source}/${file}`,
          script,
          checksum: createHash('sha256').update(script).digest('hex'),
        };
      }),
  );
}

/** Applies every migration not yet applied, in order, each in its own transaction; returns the ids applied. */
export async function migrate(
  database: Database,
  sources: MigrationSource[],
  options: { signal?: AbortSignal } = {},
): Promise<string[]> {
  const migrations = listMigrations([coreMigrations, ...sources.filter((s) => s.source !== 'core')]);
  return database.exclusively(async () => {
    await database.runScript(`create table if not exists schema_migration (
      id text primary key, checksum text not null, applied_at timestamptz not null default now())`);
    const applied = new Map(
      (
        await rowsOf<{ id: string; checksum: string }>(
          database.db.execute(sql`select id, checksum from schema_migration`),
        )
      ).map((row) => [row.id, row.checksum]),
    );
    const done: string[] = [];
    for (const migration of migrations) {
      // Each migration is its own transaction: a stop between two leaves the database at the first.
      options.signal?.throwIfAborted();
      const previous = applied.get(migration.id);
      if (previous !== undefined) {
        if (previous !== migration.checksum) {
          throw new MigrationError(
            `Migration ${migration.id} was changed after it was applied. Add a new migration instead of editing an old one.`,
          );
        }
        continue;
      }
      const record = `insert into schema_migration (id, checksum) values ('${migration.id.replace(/'/g, "''")}', '${migration.checksum}');`;
      await database.runScript(`${migration.script}\n;\n${record}`);
      done.push(migration.id);
    }
    await assertEveryTenantTableIsolated(database);
    return done;
  });
}

/** Refuses to run with a table that holds organisation rows but lacks row-level security and a policy. */
export async function assertEveryTenantTableIsolated(database: Database): Promise<void> {
  const unprotected = await rowsOf<{ table_name: string }>(
    database.db.execute(sql`
      select c.table_name
      from information_schema.columns c
      join pg_class t on t.relname = c.table_name and t.relkind = 'r'
      join pg_namespace n on n.oid = t.relnamespace and n.nspname = c.table_schema
      where c.table_schema = 'public' and c.column_name = 'organisation_id'
        and (not t.relrowsecurity or not exists (
          select 1 from pg_policies p where p.schemaname = 'public' and p.tablename = c.table_name))
      order by 1`),
  );
  if (unprotected.length > 0) {
    throw new MigrationError(
      `These tables hold organisation rows without row-level security: ${unprotected.map((r) => r.table_name).join(', ')}`,
    );
  }
}

/** Every table whose rows belong to an organisation (for the isolation tests). */
export async function tenantTables(database: Database): Promise<string[]> {
  const rows = await rowsOf<{ table_name: string }>(
    database.db.execute(sql`
      select table_name from information_schema.columns
      where table_schema = 'public' and column_name = 'organisation_id'
      order by 1`),
  );
  return rows.map((row) => row.table_name);
}
