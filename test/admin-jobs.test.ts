import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Database } from '../src/core/database/connect.ts';
import { rowsOf, withSystem } from '../src/core/database/tenancy.ts';
import { buildTestApp, Visitor } from './helpers/app.ts';
import { databaseKinds } from './helpers/databases.ts';

const riverside = '00000000-0000-4000-8000-000000000001';
const cwmTeg = '00000000-0000-4000-8000-000000000002';

async function query<T>(database: Database, text: ReturnType<typeof sql>) {
  return withSystem(database, (tx) => rowsOf<T>(tx.execute(text)));
}

/** A job as the runner leaves it, written straight to the table so the page has something to show. */
async function jobLike(
  database: Database,
  organisationId: string,
  state: 'failed' | 'running',
  lastError: string | null,
) {
  const [row] = await query<{ id: string }>(
    database,
    sql`insert into job (organisation_id, kind, state, attempts, max_attempts, last_error, progress_done,
        progress_total, run_at)
      values (${organisationId}, 'notifications.daily-digest', ${state}, 5, 5, ${lastError},
        ${state === 'running' ? 1500 : null}, ${state === 'running' ? 20000 : null}, now())
      returning id`,
  );
  return row!.id;
}

for (const kind of databaseKinds()) {
  describe(`the background work page on ${kind.name}`, () => {
    let database: Database;
    let built: Awaited<ReturnType<typeof buildTestApp>>;
    let admin: Visitor;
    let failedId = '';
    let runningId = '';
    let otherOrganisationsId = '';

    before(async () => {
      database = await kind.open();
      built = await buildTestApp(database);
      admin = new Visitor(built.app, '203.0.113.80');
      await admin.signIn('admin@riverside.example');
      failedId = await jobLike(database, riverside, 'failed', 'The mail server did not answer in time');
      runningId = await jobLike(database, riverside, 'running', null);
      otherOrganisationsId = await jobLike(database, cwmTeg, 'failed', 'Cwm Teg only');
    });
    after(() => database.close());

    it('lists a failed job with what went wrong, and only this organisation’s jobs', async () => {
      const list = await admin.get('/admin/jobs?state=failed');
      assert.equal(list.status, 200);
      assert.match(admin.lastBody, /Daily email of what is new/);
      assert.match(admin.lastBody, /What went wrong: The mail server did not answer in time/);
      assert.match(admin.lastBody, new RegExp(`/admin/jobs/${failedId}/try-again`));
      assert.doesNotMatch(admin.lastBody, /Cwm Teg only/);
      assert.doesNotMatch(admin.lastBody, new RegExp(otherOrganisationsId));
      // Filtered to failed, the running job is not among them.
      assert.doesNotMatch(admin.lastBody, new RegExp(runningId));
    });

    it('refreshes a job under way by itself, with its progress, and not one that has ended', async () => {
      await admin.get(`/admin/jobs/${runningId}`);
      assert.match(admin.lastBody, /<meta http-equiv="refresh" content="5"/);
      assert.match(admin.lastBody, /1,?500 of 20,?000/);
      await admin.get(`/admin/jobs/${failedId}`);
      assert.doesNotMatch(admin.lastBody, /http-equiv="refresh"/);
    });

    it('tries a failed job again from the start, and audits who asked', async () => {
      await admin.get(`/admin/jobs/${failedId}`);
      const tried = await admin.post(`/admin/jobs/${failedId}/try-again`, {});
      assert.equal(tried.status, 303);
      assert.equal(tried.headers.get('location'), '/admin/jobs?done=1');
      const [job] = await query<{ state: string; attempts: number }>(
        database,
        sql`select state, attempts from job where id = ${failedId}`,
      );
      assert.deepEqual({ ...job }, { state: 'waiting', attempts: 0 });
      const [audited] = await query<{ n: number }>(
        database,
        sql`select count(*)::int as n from audit_event where subject_type = 'job' and subject_id = ${failedId}
          and action = 'update'`,
      );
      assert.equal(audited!.n, 1);
      await admin.get('/admin/jobs?done=1');
      assert.match(admin.lastBody, /It will be tried again in a moment\./);
    });

    it('finds nothing of another organisation’s job, and changes nothing', async () => {
      assert.equal((await admin.get(`/admin/jobs/${otherOrganisationsId}`)).status, 404);
      await admin.get('/admin/jobs');
      assert.equal((await admin.post(`/admin/jobs/${otherOrganisationsId}/try-again`, {})).status, 404);
      assert.equal((await admin.get('/admin/jobs/not-a-job')).status, 404);
      const [job] = await query<{ state: string; attempts: number }>(
        database,
        sql`select state, attempts from job where id = ${otherOrganisationsId}`,
      );
      assert.deepEqual({ ...job }, { state: 'failed', attempts: 5 });
    });

    it('is for admins only: a coach is refused and changes nothing', async () => {
      const coach = new Visitor(built.app, '203.0.113.81');
      await coach.signIn('coach@riverside.example');
      assert.equal((await coach.get('/admin/jobs')).status, 403);
      const runningBefore = await query<{ state: string }>(
        database,
        sql`select state from job where id = ${runningId}`,
      );
      await coach.get('/');
      assert.equal((await coach.post(`/admin/jobs/${runningId}/try-again`, {})).status, 403);
      const runningAfter = await query<{ state: string }>(
        database,
        sql`select state from job where id = ${runningId}`,
      );
      assert.deepEqual(runningAfter, runningBefore);
    });
  });
}
