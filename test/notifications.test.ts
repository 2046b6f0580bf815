import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Database } from '../src/core/database/connect.ts';
import { openPostgres } from '../src/core/database/connect.ts';
import { rowsOf, withOrganisation, withSystem } from '../src/core/database/tenancy.ts';
import { enqueueJob, type JobKind, JobRunner, latestSlot } from '../src/core/jobs.ts';
import { notificationJobKinds, notify } from '../src/core/notifications.ts';
import { addEntry } from '../src/modules/coaching/entries.ts';
import { writtenAboutMe } from '../src/modules/coaching/notifications.ts';
import { buildTestApp, testJobRunner, Visitor } from './helpers/app.ts';
import { databaseKinds } from './helpers/databases.ts';

const riverside = '00000000-0000-4000-8000-000000000001';
const cwmTeg = '00000000-0000-4000-8000-000000000002';
const amaraId = '00000000-0000-4000-8100-000000000003';
const jordanId = '00000000-0000-4000-8100-000000000006';

async function query<T>(database: Database, text: ReturnType<typeof sql>) {
  return withSystem(database, (tx) => rowsOf<T>(tx.execute(text)));
}

for (const kind of databaseKinds()) {
  describe(`notifications and jobs on ${kind.name}`, () => {
    let database: Database;
    let built: Awaited<ReturnType<typeof buildTestApp>>;
    let jordan: Visitor;
    let amara: Visitor;
    let clock = new Date();
    let runner: JobRunner;

    const amaraWrites = (words: string) =>
      withOrganisation(database, { organisationId: riverside, actorPersonId: amaraId }, (scope) =>
        addEntry(scope, {
          personId: jordanId,
          kind: 'conversation',
          talkedAbout: words,
          nextSteps: '',
          happenedOn: null,
          place: '',
        }),
      );

    before(async () => {
      database = await kind.open();
      built = await buildTestApp(database);
      jordan = new Visitor(built.app, '203.0.113.60');
      await jordan.signIn('person@riverside.example');
      amara = new Visitor(built.app, '203.0.113.61');
      await amara.signIn('coach@riverside.example');
      runner = testJobRunner(database, built.services, () => clock);
      // Everything the demo load asked for is done first, so each test sees only its own work.
      await runner.runReady();
    });
    after(() => database.close());

    it('tells the person when their coach writes, counts it in the header, and opening it marks it read', async () => {
      await jordan.post('/notifications/read-all', {});
      await jordan.get('/');
      assert.doesNotMatch(jordan.lastBody, /alongside-header__count/);
      const entryId = await amaraWrites('We talked about the allotment.');
      await jordan.get('/');
      assert.match(jordan.lastBody, /<span class="alongside-header__count" aria-hidden="true">1<\/span>/);
      assert.match(jordan.lastBody, /\(1 unread\)/);
      await jordan.get('/notifications');
      assert.match(jordan.lastBody, /Something new was written about you/);
      // Nothing the coach wrote is in the notification.
      assert.doesNotMatch(jordan.lastBody, /allotment/);
      const id = /href="\/notifications\/([0-9a-f-]{36})"/.exec(jordan.lastBody)![1]!;
      const opened = await jordan.get(`/notifications/${id}`);
      assert.equal(opened.status, 303);
      assert.equal(opened.headers.get('location'), `/me/everything/${entryId}`);
      await jordan.get('/');
      assert.doesNotMatch(jordan.lastBody, /alongside-header__count/);
      // Someone else's notification is not found, and nothing changes.
      assert.equal((await amara.get(`/notifications/${id}`)).status, 404);
      assert.equal((await amara.post(`/notifications/${id}/read`, {})).status, 404);
    });

    it('tells nobody when the change is undone, nor the person of their own act', async () => {
      const before = await query<{ n: number }>(database, sql`select count(*)::int as n from notification`);
      await assert.rejects(
        withOrganisation(database, { organisationId: riverside, actorPersonId: amaraId }, async (scope) => {
          await notify(scope, jordanId, writtenAboutMe, '/me');
          throw new Error('undone');
        }),
      );
      await withOrganisation(database, { organisationId: riverside, actorPersonId: jordanId }, (scope) =>
        notify(scope, jordanId, writtenAboutMe, '/me'),
      );
      const after = await query<{ n: number }>(database, sql`select count(*)::int as n from notification`);
      assert.equal(after[0]!.n, before[0]!.n);
    });

    it('keeps a choice per kind; an email at once and a daily digest hold no name and no record text', async () => {
      await jordan.get('/notifications/choices');
      assert.match(jordan.lastBody, /Something new written about me/);
      // A choice left out is said beside the field, and the others are kept.
      const bad = await jordan.post('/notifications/choices', {});
      assert.equal(bad.status, 400);
      assert.match(jordan.lastBody, /Choose how you hear about: Something new written about me/);
      await jordan.get('/notifications/choices');
      const fields = [...jordan.lastBody.matchAll(/name="(kind-[^"]+)"/g)].map((m) => m[1]!);
      const choose = (delivery: string) =>
        jordan.post(
          '/notifications/choices',
          Object.fromEntries(
            [...new Set(fields)].map((field) => [
              field,
              field === 'kind-coaching--written-about-me' ? delivery : 'page',
            ]),
          ),
        );
      assert.equal((await choose('email')).status, 303);
      await amaraWrites('Jordan told me about the hospital appointment.');
      clock = new Date(Date.now() + 1_000);
      await runner.runReady();
      const atOnce = await query<{ subject: string; body_text: string; to_address: string }>(
        database,
        sql`select subject, body_text, to_address from outbox_message
          where to_address = 'person@riverside.example' order by created_at desc limit 1`,
      );
      assert.equal(atOnce[0]?.subject, 'Something new in Alongside');
      assert.doesNotMatch(atOnce[0]!.body_text, /hospital|Jordan|Amara/);
      assert.match(atOnce[0]!.body_text, /http:\/\/localhost:3000\/notifications/);

      assert.equal((await choose('digest')).status, 303);
      await amaraWrites('Jordan is worried about rent.');
      await amaraWrites('Jordan found a walking group.');
      const digest = notificationJobKinds.find((k) => k.kind === 'notifications.daily-digest')!;
      clock = new Date(
        latestSlot(digest.schedule!.dailyAt, new Date(Date.now() + 86_400_000)).at.getTime() + 60_000,
      );
      await runner.runReady();
      const digests = await query<{ subject: string; body_text: string }>(
        database,
        sql`select subject, body_text from outbox_message
          where to_address = 'person@riverside.example' and subject = 'What is new for you in Alongside'`,
      );
      assert.equal(digests.length, 1);
      assert.match(digests[0]!.body_text, /There are 2 new things for you/);
      assert.doesNotMatch(digests[0]!.body_text, /rent|walking|Jordan|Amara/);
      // A second run for the same day sends nothing more.
      await runner.runReady();
      const again = await query<{ n: number }>(
        database,
        sql`select count(*)::int as n from outbox_message where subject = 'What is new for you in Alongside'
          and to_address = 'person@riverside.example'`,
      );
      assert.equal(again[0]!.n, 1);
      assert.equal((await choose('page')).status, 303);
    });

    it('retries a failing job with doubling waits, then keeps it failed with the error', async () => {
      let calls = 0;
      const flaky: JobKind = {
        kind: 'test.flaky',
        label: 'notifications.jobs.email',
        maxAttempts: 3,
        async run() {
          calls += 1;
          throw new Error('the mail server said no');
        },
      };
      const start = new Date();
      let now = start;
      const own = new JobRunner({ database, services: built.services, kinds: [flaky], clock: () => now });
      const id = await withOrganisation(database, { organisationId: riverside }, (scope) =>
        enqueueJob(scope, 'test.flaky', {}),
      );
      const state = async () =>
        (
          await query<{ state: string; run_at: Date; attempts: number; last_error: string }>(
            database,
            sql`select state, run_at, attempts, last_error from job where id = ${id}`,
          )
        )[0]!;
      now = new Date(start.getTime() + 1_000);
      await own.runReady();
      let row = await state();
      assert.equal(row.state, 'waiting');
      assert.equal(new Date(row.run_at).getTime() - now.getTime(), 30_000);
      assert.equal(row.last_error, 'the mail server said no');
      await own.runReady();
      assert.equal(calls, 1, 'not tried again before its time');
      now = new Date(now.getTime() + 30_000);
      await own.runReady();
      row = await state();
      assert.equal(new Date(row.run_at).getTime() - now.getTime(), 60_000);
      now = new Date(now.getTime() + 60_000);
      await own.runReady();
      row = await state();
      assert.equal(row.state, 'failed');
      assert.equal(row.attempts, 3);
      assert.equal(calls, 3);
    });

    it('takes up a job whose runner stopped part-way once its lease has run out', async () => {
      let finished = 0;
      const slow: JobKind = {
        kind: 'test.slow',
        label: 'notifications.jobs.email',
        async run() {
          finished += 1;
        },
      };
      let now = new Date(Date.now() + 10_000);
      const id = await withOrganisation(database, { organisationId: cwmTeg }, (scope) =>
        enqueueJob(scope, 'test.slow', {}),
      );
      // A runner claimed it, then its server died.
      await query(
        database,
        sql`update job set state = 'running', locked_by = 'gone', attempts = 1,
        locked_until = ${new Date(now.getTime() + 60_000).toISOString()}::timestamptz where id = ${id}`,
      );
      const other = new JobRunner({
        database,
        services: built.services,
        kinds: [slow],
        clock: () => now,
        leaseMs: 60_000,
      });
      await other.runReady();
      assert.equal(finished, 0, 'not while the lease holds');
      now = new Date(now.getTime() + 61_000);
      await other.runReady();
      assert.equal(finished, 1);
      const [row] = await query<{ state: string }>(database, sql`select state from job where id = ${id}`);
      assert.equal(row!.state, 'done');
    });

    if (kind.name === 'postgresql') {
      it('two runners on one PostgreSQL fire a schedule once per organisation and run every job once', async () => {
        // Two more servers' connections to this test's own database.
        const [{ name }] = (await query<{ name: string }>(
          database,
          sql`select current_database() as name`,
        )) as [{ name: string }];
        const url = new URL(process.env.TEST_DATABASE_URL!);
        url.pathname = `/${name}`;
        const ran: string[] = [];
        const daily: JobKind = {
          kind: 'test.daily',
          label: 'notifications.jobs.dailyDigest',
          schedule: { dailyAt: '06:00' },
          async run(context) {
            ran.push(`daily:${context.organisationId}:${context.slot}`);
          },
        };
        const many: JobKind = {
          kind: 'test.many',
          label: 'notifications.jobs.email',
          async run(context) {
            ran.push(`many:${context.payload.n}`);
            await new Promise((resolve) => setTimeout(resolve, 1));
          },
        };
        await withOrganisation(database, { organisationId: riverside }, async (scope) => {
          for (let n = 0; n < 200; n++) await enqueueJob(scope, 'test.many', { n });
        });
        const now = new Date(Date.now() + 5_000);
        const pools = [openPostgres(url.toString(), 3), openPostgres(url.toString(), 3)];
        try {
          const runners = pools.map(
            (pool) =>
              new JobRunner({
                database: pool,
                services: built.services,
                kinds: [daily, many],
                clock: () => now,
              }),
          );
          const counts = await Promise.all(runners.map((r) => r.runReady()));
          assert.ok(
            counts.every((n) => n > 0),
            `both runners worked: ${counts}`,
          );
          const manyRuns = ran.filter((r) => r.startsWith('many:'));
          assert.equal(manyRuns.length, 200);
          assert.equal(new Set(manyRuns).size, 200, 'no job ran twice');
          const organisations = await query<{ n: number }>(
            database,
            sql`select count(*)::int as n from organisation`,
          );
          const dailyRuns = ran.filter((r) => r.startsWith('daily:'));
          assert.equal(dailyRuns.length, organisations[0]!.n);
          assert.equal(new Set(dailyRuns).size, dailyRuns.length);
        } finally {
          await Promise.all(pools.map((pool) => pool.close()));
        }
      });
    }
  });
}
