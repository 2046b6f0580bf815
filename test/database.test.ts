import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import type { Database } from '../src/core/database/connect.ts';
import {
  assertEveryTenantTableIsolated,
  MigrationError,
  migrate,
  tenantTables,
} from '../src/core/database/migrate.ts';
import { coreTables } from '../src/core/database/schema.ts';
import { rowsOf, withOrganisation, withSystem } from '../src/core/database/tenancy.ts';
import { demoOrganisations } from '../src/demo/people.ts';
import { migrationSources } from '../src/modules/index.ts';
import { buildTestApp } from './helpers/app.ts';
import { databaseKinds } from './helpers/databases.ts';

const everyOrganisation = demoOrganisations.map((o) => o.id);
const [riverside, cwmTeg] = everyOrganisation as [string, string];

/** Drizzle wraps the database's error; the reason is in its cause. */
function failsBecause(pattern: RegExp) {
  return (error: unknown) => {
    const cause = (error as { cause?: { message?: string } }).cause?.message ?? '';
    assert.match(`${(error as Error).message} ${cause}`, pattern);
    return true;
  };
}

for (const kind of databaseKinds()) {
  describe(`database on ${kind.name}`, () => {
    let database: Database;
    before(async () => {
      database = await kind.open();
      await buildTestApp(database);
    });
    after(() => database.close());

    /** The organisations with rows in a table, read as the owner. */
    const ownersOf = async (table: string) => {
      const rows = await rowsOf<{ organisation_id: string }>(
        withSystem(database, (tx) => tx.execute(sql.raw(`select distinct organisation_id from ${table}`))),
      );
      return new Set(rows.map((row) => row.organisation_id));
    };

    // A module's demo may be for one organisation only (the ward's is for Glan Hafren), so each table
    // needs rows of some demo organisation, and the core's tables rows of every one.
    it('holds rows of a demo organisation in every tenant table (so the isolation test means something)', async () => {
      const tables = await tenantTables(database);
      assert.ok(tables.length >= 5, `found ${tables.join(', ')}`);
      for (const table of tables) {
        const owners = await ownersOf(table);
        assert.ok(owners.size > 0, `${table} should hold rows of a demo organisation`);
      }
      for (const table of ['person', 'membership', 'team', 'audit_event']) {
        const owners = await ownersOf(table);
        assert.ok(
          everyOrganisation.every((o) => owners.has(o)),
          `${table} should hold rows of every demo organisation`,
        );
      }
    });

    it('with the organisation set to A, a raw SELECT on any tenant table returns no row of B', async () => {
      const tables = await tenantTables(database);
      const owners = new Map<string, Set<string>>();
      for (const table of tables) owners.set(table, await ownersOf(table));
      for (const mine of everyOrganisation) {
        await withOrganisation(database, { organisationId: mine }, async ({ tx }) => {
          for (const table of tables) {
            const rows = await rowsOf<{ organisation_id: string }>(
              tx.execute(sql.raw(`select organisation_id from ${table}`)),
            );
            if (owners.get(table)!.has(mine)) assert.ok(rows.length > 0, `${table}: own rows are visible`);
            assert.equal(
              rows.filter((row) => row.organisation_id !== mine).length,
              0,
              `${table} leaked another organisation's rows`,
            );
          }
          const organisations = await rowsOf<{ id: string }>(tx.execute(sql`select id from organisation`));
          assert.deepEqual(
            organisations.map((o) => o.id),
            [mine],
          );
        });
      }
    });

    it('sees nothing at all when no organisation is set', async () => {
      // Listed before the transaction: PGlite has one connection, so a query outside it would wait forever.
      const tables = [...(await tenantTables(database)), 'organisation', 'account'];
      await database.db.transaction(async (tx) => {
        await tx.execute(sql`set local role alongside_app`);
        for (const table of tables) {
          const rows = await rowsOf(tx.execute(sql.raw(`select 1 from ${table}`)));
          assert.equal(rows.length, 0, `${table} should show nothing without an organisation`);
        }
      });
    });

    it('refuses to write a row into another organisation', async () => {
      await assert.rejects(
        withOrganisation(database, { organisationId: riverside }, ({ tx }) =>
          tx.execute(sql`insert into person (organisation_id, called_name) values (${cwmTeg}, 'Intruder')`),
        ),
        failsBecause(/row-level security/),
      );
      await assert.rejects(
        withOrganisation(database, { organisationId: riverside }, ({ tx }) =>
          tx.execute(sql`update person set organisation_id = ${cwmTeg} where organisation_id = ${riverside}`),
        ),
        failsBecause(/row-level security/),
      );
    });

    it('never lets the application role read a password hash', async () => {
      await assert.rejects(
        withOrganisation(database, { organisationId: riverside }, ({ tx }) =>
          tx.execute(sql`select password_hash from account`),
        ),
        failsBecause(/permission denied/),
      );
    });

    it('keeps the audit trail append-only, even for the owner', async () => {
      await assert.rejects(
        withSystem(database, (tx) => tx.execute(sql`update audit_event set action = 'edited'`)),
        failsBecause(/append-only/),
      );
      await assert.rejects(
        withSystem(database, (tx) => tx.execute(sql`delete from audit_event`)),
        failsBecause(/append-only/),
      );
      await assert.rejects(
        withOrganisation(database, { organisationId: riverside }, ({ tx }) =>
          tx.execute(sql`delete from audit_event`),
        ),
        failsBecause(/permission denied|append-only/),
      );
    });

    it('matches the Drizzle schema column for column', async () => {
      for (const table of Object.values(coreTables) as PgTable[]) {
        const { name, columns } = getTableConfig(table);
        const rows = await rowsOf<{ column_name: string; is_nullable: string }>(
          database.db.execute(
            sql`select column_name, is_nullable from information_schema.columns where table_schema = 'public' and table_name = ${name}`,
          ),
        );
        const inDatabase = new Map(rows.map((row) => [row.column_name, row.is_nullable === 'NO']));
        assert.deepEqual(
          columns.map((c) => c.name).sort(),
          [...inDatabase.keys()].sort(),
          `${name}: columns differ between schema.ts and the migrations`,
        );
        for (const column of columns)
          assert.equal(column.notNull, inDatabase.get(column.name), `${name}.${column.name} nullability`);
      }
    });

    it('migrates once: running again applies nothing', async () => {
      assert.deepEqual(await migrate(database, migrationSources()), []);
    });

    it('refuses a table with organisation rows but no row-level security', async () => {
      await database.runScript('create table careless_note (id int primary key, organisation_id uuid)');
      await assert.rejects(assertEveryTenantTableIsolated(database), (error: unknown) => {
        assert.ok(error instanceof MigrationError);
        assert.match(error.message, /careless_note/);
        return true;
      });
      await database.runScript('drop table careless_note');
      await assertEveryTenantTableIsolated(database);
    });
  });
}
