import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Hono } from 'hono';
import { createApp } from '../src/app.tsx';
import { loadConfig } from '../src/core/config.ts';
import type { AppEnv } from '../src/core/context.ts';
import type { Database } from '../src/core/database/connect.ts';
import { organisation } from '../src/core/database/schema.ts';
import {
  conflictRetries,
  rowsOf,
  type Scope,
  withOrganisation,
  withSystem,
} from '../src/core/database/tenancy.ts';
import { createLogger } from '../src/core/logger.ts';
import { defineModule } from '../src/core/module.ts';
import { createPerson } from '../src/core/people.ts';
import { modules } from '../src/modules/index.ts';
import {
  confirmExchange,
  createBank,
  joinBank,
  listAccounts,
  proposeExchange,
} from '../src/modules/time-bank/ledger.ts';
import { databaseKinds } from './helpers/databases.ts';

const onPostgres = databaseKinds().find((kind) => kind.name === 'postgresql');
const noProfile = { canOffer: '', wouldLike: '', area: '', contact: '' };

/** A promise with its resolve handle, to make two transactions meet at a chosen point. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

async function deadlocksSoFar(database: Database): Promise<number> {
  const [row] = await rowsOf<{ n: number }>(
    withSystem(database, async (tx) => {
      await tx.execute(sql`select pg_stat_force_next_flush()`);
      await tx.execute(sql`select pg_stat_clear_snapshot()`);
      return tx.execute(
        sql`select deadlocks::int as n from pg_stat_database where datname = current_database()`,
      );
    }),
  );
  return row!.n;
}

describe('two people at the same moment on PostgreSQL', { skip: !onPostgres }, () => {
  let database: Database;
  let organisationId: string;
  const work = <T>(fn: (scope: Scope) => Promise<T>, personId: string | null = null) =>
    withOrganisation(database, { organisationId, actorPersonId: personId, requestId: 'test' }, fn);

  before(async () => {
    database = await onPostgres!.open();
    organisationId = crypto.randomUUID();
    await withSystem(database, (tx) =>
      tx.insert(organisation).values({ id: organisationId, slug: 'race', name: 'Race' }),
    );
  });
  after(() => database.close());

  it('a proposal racing a confirmation on the same pair never deadlocks, and the hours count once', async () => {
    const { bankId, a, b } = await work(async (scope) => {
      const bankId = await createBank(scope, { name: 'Race bank', overdraftLimitMinutes: 6_000 });
      const people = [
        await createPerson(scope, { calledName: 'Ana' }),
        await createPerson(scope, { calledName: 'Bryn' }),
      ];
      const accounts = [
        await joinBank(scope, bankId, people[0]!, noProfile),
        await joinBank(scope, bankId, people[1]!, noProfile),
      ];
      // The confirmation locks in id order; the proposal's foreign-key checks go giver first. Naming the
      // higher id the giver of the proposal is the order that deadlocked with `for update`.
      const [low, high] = accounts[0]! < accounts[1]! ? [0, 1] : [1, 0];
      return {
        bankId,
        a: { accountId: accounts[low]!, personId: people[low]! },
        b: { accountId: accounts[high]!, personId: people[high]! },
      };
    });
    const before = await deadlocksSoFar(database);
    const retriesBefore = conflictRetries.count;
    const waiting = async (count: number) => {
      for (let tries = 0; tries < 500; tries++) {
        const [row] = await rowsOf<{ n: number }>(
          withSystem(database, (tx) =>
            tx.execute(sql`select count(*)::int as n from pg_stat_activity
              where datname = current_database() and wait_event_type = 'Lock'`),
          ),
        );
        if (row!.n >= count) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.fail(`${count} transactions never came to wait`);
    };
    // A proposed to give B half an hour.
    const proposed = await work(
      (scope) =>
        proposeExchange(scope, {
          bankId,
          proposerAccountId: a.accountId,
          parts: [{ giverAccountId: a.accountId, receiverAccountId: b.accountId, minutes: 30 }],
          whatWasDone: 'half an hour',
        }),
      a.personId,
    );
    assert.ok(proposed.ok);
    // Someone else holds A's account for a moment (a coordinator correcting an exchange, say). B's
    // confirmation comes to wait for A; then B's new proposal (B gives A an hour) takes its check on B and
    // waits for A too. When the moment passes, the confirmation holds A and wants B, while the proposal
    // holds B and wants A: with `for update` that was a deadlock.
    const holding = gate();
    const release = gate();
    const someoneElse = withSystem(database, async (tx) => {
      await tx.execute(sql`select id from time_bank_account where id = ${a.accountId} for update`);
      holding.open();
      await release.opened;
    });
    await holding.opened;
    const confirming = work((scope) => confirmExchange(scope, proposed.value, b.personId), b.personId);
    await waiting(1);
    const proposing = work(
      (scope) =>
        proposeExchange(scope, {
          bankId,
          proposerAccountId: b.accountId,
          parts: [{ giverAccountId: b.accountId, receiverAccountId: a.accountId, minutes: 60 }],
          whatWasDone: 'an hour back',
        }),
      b.personId,
    );
    await waiting(2);
    release.open();
    await someoneElse;
    const [confirmed, counterProposal] = await Promise.all([confirming, proposing]);
    assert.ok(confirmed.ok, JSON.stringify(confirmed));
    assert.ok(counterProposal.ok, JSON.stringify(counterProposal));
    assert.equal(conflictRetries.count, retriesBefore, 'nothing needed a second try');
    assert.equal(await deadlocksSoFar(database), before, 'PostgreSQL found no deadlock');
    const balances = await work(
      async (scope) => new Map((await listAccounts(scope, bankId)).map((x) => [x.id, x.balanceMinutes])),
    );
    // The confirmed half hour counted once; the new proposal waits for A to confirm it.
    assert.equal(balances.get(a.accountId), 30);
    assert.equal(balances.get(b.accountId), -30);
  });

  it('runs a transaction PostgreSQL ends as a deadlock once more, so both people are saved', async () => {
    const rows = await work(async (scope) => {
      const bankId = await createBank(scope, { name: 'Deadlock bank', overdraftLimitMinutes: 600 });
      const x = await createPerson(scope, { calledName: 'Xan' });
      const y = await createPerson(scope, { calledName: 'Yas' });
      return {
        bankId,
        x: await joinBank(scope, bankId, x, noProfile),
        y: await joinBank(scope, bankId, y, noProfile),
      };
    });
    // Two transactions lock the same two rows in opposite orders, meeting in the middle: a real deadlock.
    const firstHasX = gate();
    const secondHasY = gate();
    let attempts = 0;
    const lockBoth = (first: string, second: string, mine: ReturnType<typeof gate>, theirs: Promise<void>) =>
      work(async (scope) => {
        attempts += 1;
        await scope.tx.execute(
          sql`update time_bank_account set area = 'first' where id = ${first} and organisation_id = ${organisationId}`,
        );
        mine.open();
        await theirs;
        await scope.tx.execute(
          sql`update time_bank_account set area = 'second' where id = ${second} and organisation_id = ${organisationId}`,
        );
        return 'saved';
      });
    const retriesBefore = conflictRetries.count;
    const outcomes = await Promise.all([
      lockBoth(rows.x, rows.y, firstHasX, secondHasY.opened),
      lockBoth(rows.y, rows.x, secondHasY, firstHasX.opened),
    ]);
    assert.deepEqual(outcomes, ['saved', 'saved']);
    assert.equal(attempts, 3, 'one of the two ran again');
    assert.equal(conflictRetries.count, retriesBefore + 1);
  });
});

describe('a conflict that outlasts its second try', () => {
  it('is a kind page asking to try again, never a 500', async () => {
    const [kind] = databaseKinds();
    const database = await kind!.open();
    try {
      const config = loadConfig({
        NODE_ENV: 'test',
        SECRET_KEY: 'test-secret-key-that-is-long-enough-0123456789',
        DATA_DIR: '/tmp/alongside-conflict-test',
      });
      // A module whose page always meets a deadlock, as PostgreSQL reports it through Drizzle.
      const stuck = defineModule({
        id: 'stuck',
        routes(app: Hono<AppEnv>) {
          app.get('/stuck', () => {
            throw new Error('Failed query', {
              cause: Object.assign(new Error('deadlock'), { code: '40P01' }),
            });
          });
        },
      });
      const { app } = createApp({
        config,
        database,
        logger: createLogger('silent'),
        modules: [...modules, stuck],
      });
      const response = await app.request('/stuck');
      assert.equal(response.status, 503);
      assert.equal(response.headers.get('retry-after'), '1');
      const page = await response.text();
      assert.match(page, /Someone else was changing this at the same moment/);
      assert.match(page, /Nothing was saved/);
    } finally {
      await database.close();
    }
  });
});
