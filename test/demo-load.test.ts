import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { createServices } from '../src/app.tsx';
import { loadConfig } from '../src/core/config.ts';
import { type Database, openPostgres } from '../src/core/database/connect.ts';
import { migrate } from '../src/core/database/migrate.ts';
import { rowsOf, withSystem } from '../src/core/database/tenancy.ts';
import { createLogger } from '../src/core/logger.ts';
import { defineModule } from '../src/core/module.ts';
import { demoOrganisations } from '../src/demo/people.ts';
import { seedDemo } from '../src/demo/seed.ts';
import { migrationSources, modules } from '../src/modules/index.ts';
import { databaseKinds } from './helpers/databases.ts';

const config = loadConfig({
  NODE_ENV: 'test',
  SECRET_KEY: 'test-secret-key-that-is-long-enough-0123456789',
  PASSWORD_MEMORY_COST: '1024',
  DATA_DIR: '/tmp/alongside-demo-load-test',
});

function servicesOn(database: Database, withModules = modules) {
  return createServices({ config, database, logger: createLogger('silent'), modules: withModules });
}

/** How many rows the demo load leaves in a few tables of the core and of the modules. */
async function counts(database: Database) {
  const [row] = await rowsOf<Record<string, number>>(
    withSystem(database, (tx) =>
      tx.execute(sql`select
        (select count(*)::int from organisation) as organisations,
        (select count(*)::int from person) as people,
        (select count(*)::int from account) as accounts,
        (select count(*)::int from coaching_entry) as entries,
        (select count(*)::int from time_bank_exchange) as exchanges,
        (select count(*)::int from peer_link_up) as link_ups,
        (select count(*)::int from learning_challenge) as challenges`),
    ),
  );
  return row!;
}

for (const kind of databaseKinds()) {
  describe(`loading the demo data on ${kind.name}`, () => {
    let database: Database;
    before(async () => {
      database = await kind.open();
    });
    after(() => database.close());

    it('is all or nothing: a stop after some modules have loaded leaves no row at all', async () => {
      const stop = new AbortController();
      // A module that asks to stop once the ones before it have loaded their records.
      const stopper = defineModule({ id: 'stop-here', seedDemo: async () => stop.abort() });
      const atCoaching = modules.findIndex((module) => module.id === 'coaching');
      const withStop = [...modules.slice(0, atCoaching + 1), stopper, ...modules.slice(atCoaching + 1)];
      await assert.rejects(
        () => seedDemo(servicesOn(database, withStop), { onlyIfEmpty: true, signal: stop.signal }),
        { name: 'AbortError' },
      );
      assert.deepEqual(Object.values(await counts(database)), [0, 0, 0, 0, 0, 0, 0]);
    });

    it('then loads completely, once, and a second load changes nothing', async () => {
      assert.equal(await seedDemo(servicesOn(database), { onlyIfEmpty: true }), 'loaded');
      const loaded = await counts(database);
      assert.equal(loaded.organisations, demoOrganisations.length);
      for (const [table, n] of Object.entries(loaded)) assert.ok(n > 0, `${table} is empty`);
      assert.equal(await seedDemo(servicesOn(database), { onlyIfEmpty: true }), 'already-there');
      // `npm run seed` on a loaded database: every row is already there, so nothing is added.
      assert.equal(await seedDemo(servicesOn(database)), 'loaded');
      assert.deepEqual(await counts(database), loaded);
    });
  });
}

const serverUrl = process.env.TEST_DATABASE_URL;
describe('two servers starting together on one empty PostgreSQL', { skip: !serverUrl }, () => {
  const name = `alongside_test_${randomBytes(6).toString('hex')}`;
  let url: string;
  let first: Database;
  let second: Database;

  before(async () => {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const parsed = new URL(serverUrl!);
    parsed.pathname = `/${name}`;
    url = parsed.toString();
    first = openPostgres(url, 3);
    second = openPostgres(url, 3);
  });
  after(async () => {
    await first.close();
    await second.close();
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  });

  it('migrate and load the demo data once between them', async () => {
    // Each does what main.ts does at start: migrate, then load the demo into an empty database.
    const start = async (database: Database) => {
      await migrate(database, migrationSources());
      return seedDemo(servicesOn(database), { onlyIfEmpty: true });
    };
    const outcomes = await Promise.all([start(first), start(second)]);
    assert.deepEqual(outcomes.sort(), ['already-there', 'loaded']);
    // The same as one load on its own, on a database nobody else touched: nothing was loaded twice.
    const reference = await databaseKinds()[0]!.open();
    try {
      await seedDemo(servicesOn(reference));
      assert.deepEqual(await counts(first), await counts(reference));
    } finally {
      await reference.close();
    }
  });
});
