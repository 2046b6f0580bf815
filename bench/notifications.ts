/**
 * Notifications and background jobs figures (not a test), on a fresh database:
 *   1. 100,000 notifications fanned out to 20,000 people with accounts (notifyEach, 1,000 at a time);
 *   2. the daily digest for those 20,000 people (each with 5 waiting): time and peak memory;
 *   3. 20,000 jobs enqueued, then run by two runners at once: jobs per second, each job run once, and
 *      the median and 95th percentile of the time from enqueue to done.
 *   npm run bench:notifications                      (PGlite, durable, as `npm start` opens it)
 *   BENCH_DATABASE_URL=postgres://… npm run bench:notifications
 * PEOPLE and JOBS change the sizes.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { createApp } from '../src/app.tsx';
import { loadConfig } from '../src/core/config.ts';
import { migrate } from '../src/core/database/migrate.ts';
import { rowsOf, withOrganisation, withSystem } from '../src/core/database/tenancy.ts';
import { enqueueJob, type JobKind, JobRunner } from '../src/core/jobs.ts';
import { createLogger } from '../src/core/logger.ts';
import { notifyEach, sendDailyDigests } from '../src/core/notifications.ts';
import { writtenAboutMe } from '../src/modules/coaching/notifications.ts';
import { migrationSources, modules } from '../src/modules/index.ts';
import { openBenchDatabase } from './bench-database.ts';
import { peakMemory, percentile } from './measure.ts';

const people = Number(process.env.PEOPLE ?? 20_000);
const notifications = 100_000;
const jobs = Number(process.env.JOBS ?? 20_000);
const fanOutSize = 1_000;

const seconds = (ms: number) => (ms / 1000).toFixed(2);

const { database, drop } = await openBenchDatabase();
// The app's own folder (its keys and files), separate from the database's.
const dataDir = mkdtempSync(join(tmpdir(), 'alongside-bench-app-'));
try {
  await migrate(database, migrationSources());
  const config = loadConfig({
    NODE_ENV: 'test',
    SECRET_KEY: 'bench-secret-key-that-is-long-enough-0123456789',
    DATA_DIR: dataDir,
    PUBLIC_URL: 'http://localhost:3000',
  });
  const { services } = createApp({ config, database, logger: createLogger('silent'), modules });
  const organisationId = crypto.randomUUID();
  // People with accounts, written set-based: the figures are about notifying them, not making them.
  await withSystem(database, async (tx) => {
    await tx.execute(
      sql`insert into organisation (id, slug, name) values (${organisationId}, 'bench', 'Bench')`,
    );
    await tx.execute(sql`
      with made as (
        insert into account (email, password_hash)
        select 'person' || n || '@bench.example', 'not-a-hash' from generate_series(1, ${people}) n
        returning id, email)
      insert into person (organisation_id, account_id, called_name)
      select ${organisationId}, id, 'Person ' || split_part(email, '@', 1) from made`);
  });
  const everyone = (
    await withSystem(database, (tx) =>
      rowsOf<{ id: string }>(
        tx.execute(sql`select id from person where organisation_id = ${organisationId}`),
      ),
    )
  ).map((row) => row.id);
  const scope = { organisationId, requestId: 'bench' };

  // 1. Fan-out, each person choosing the digest, so step 2 has real work.
  await withSystem(database, (tx) =>
    tx.execute(sql`insert into notification_choice (organisation_id, person_id, kind, delivery)
      select ${organisationId}, id, ${writtenAboutMe.kind}, 'digest' from person
      where organisation_id = ${organisationId}`),
  );
  const calls: number[] = [];
  const fanOutStarted = performance.now();
  const fanOut = await peakMemory(async () => {
    for (let sent = 0, call = 0; sent < notifications; sent += fanOutSize, call++) {
      const from = (call * fanOutSize) % everyone.length;
      const recipients = everyone.slice(from, from + fanOutSize);
      const started = performance.now();
      await withOrganisation(database, scope, (s) =>
        notifyEach(s, recipients, writtenAboutMe, '/me/everything', {}),
      );
      calls.push(performance.now() - started);
    }
  });
  const fanOutMs = performance.now() - fanOutStarted;
  calls.sort((a, b) => a - b);

  // 2. The digest for everyone.
  const digestStarted = performance.now();
  const digest = await peakMemory(() =>
    sendDailyDigests(database, services, organisationId, new Date(Date.now() + 1_000)),
  );
  const digestMs = performance.now() - digestStarted;

  // 3. Jobs: enqueued 500 to a transaction, then two runners take them at once.
  const ran = new Map<string, number>();
  const tiny: JobKind = {
    kind: 'bench.tiny',
    label: 'notifications.jobs.email',
    async run(context) {
      const n = String(context.payload.n);
      ran.set(n, (ran.get(n) ?? 0) + 1);
    },
  };
  const enqueueStarted = performance.now();
  for (let start = 0; start < jobs; start += 500)
    await withOrganisation(database, scope, async (s) => {
      for (let n = start; n < Math.min(jobs, start + 500); n++) await enqueueJob(s, tiny.kind, { n });
    });
  const enqueueMs = performance.now() - enqueueStarted;
  const runners = [0, 1].map(
    (i) => new JobRunner({ database, services, kinds: [tiny], instanceId: `bench-${i}` }),
  );
  const runStarted = performance.now();
  const perRunner = await Promise.all(runners.map((runner) => runner.runReady()));
  const runMs = performance.now() - runStarted;
  const waits = (
    await withSystem(database, (tx) =>
      rowsOf<{ ms: number }>(
        tx.execute(sql`select extract(epoch from (finished_at - created_at)) * 1000 as ms from job
          where kind = 'bench.tiny' and state = 'done'`),
      ),
    )
  )
    .map((row) => Number(row.ms))
    .sort((a, b) => a - b);
  const twice = [...ran.values()].filter((count) => count > 1).length;

  console.log(`Notifications and jobs on ${database.kind}, ${people.toLocaleString('en-GB')} people\n`);
  console.log('| measure | result |');
  console.log('| --- | --- |');
  console.log(
    `| ${notifications.toLocaleString('en-GB')} notifications, ${fanOutSize.toLocaleString('en-GB')} per call | ${seconds(fanOutMs)} s (${Math.round(notifications / (fanOutMs / 1000)).toLocaleString('en-GB')} per second); a call: median ${percentile(calls, 0.5).toFixed(0)} ms, 95th percentile ${percentile(calls, 0.95).toFixed(0)} ms; peak memory ${fanOut.peakMiB} MiB |`,
  );
  console.log(
    `| daily digest for ${people.toLocaleString('en-GB')} people | ${seconds(digestMs)} s, ${digest.result.toLocaleString('en-GB')} emails to the outbox; peak memory ${digest.peakMiB} MiB |`,
  );
  console.log(`| enqueue ${jobs.toLocaleString('en-GB')} jobs | ${seconds(enqueueMs)} s |`);
  console.log(
    `| two runners run them | ${seconds(runMs)} s (${Math.round(jobs / (runMs / 1000)).toLocaleString('en-GB')} jobs per second; ${perRunner.join(' + ')}); ${ran.size.toLocaleString('en-GB')} ran, ${twice} twice |`,
  );
  console.log(
    `| enqueue to done | median ${seconds(percentile(waits, 0.5))} s, 95th percentile ${seconds(percentile(waits, 0.95))} s (all were waiting from the start) |`,
  );
} finally {
  await drop();
  rmSync(dataDir, { recursive: true, force: true });
}
