import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { csvCell, typed } from '../src/core/csv.ts';
import type { Database } from '../src/core/database/connect.ts';
import { rowsOf, withOrganisation } from '../src/core/database/tenancy.ts';
import { createPerson } from '../src/core/people.ts';
import { periodOf } from '../src/core/periods.ts';
import { keyFor, listSystems } from '../src/modules/barriers/barriers.ts';
import { suppress } from '../src/modules/barriers/figures.ts';
import { barriers as barriersModule } from '../src/modules/barriers/index.tsx';
import { buildTestApp, recordWriter, Visitor } from './helpers/app.ts';
import { databaseKinds } from './helpers/databases.ts';

const riverside = '00000000-0000-4000-8000-000000000001';
const cwmTeg = '00000000-0000-4000-8000-000000000002';
const jordanId = '00000000-0000-4000-8100-000000000006';
const samId = '00000000-0000-4000-8100-000000000007';
const elinId = '00000000-0000-4000-8200-000000000003';
const amaraId = '00000000-0000-4000-8100-000000000003';

async function query<T>(database: Database, organisationId: string, text: ReturnType<typeof sql>) {
  return withOrganisation(database, { organisationId }, (scope) => rowsOf<T>(scope.tx.execute(text)));
}

const found = (body: string, pattern: RegExp) => {
  const match = pattern.exec(body);
  assert.ok(match, `nothing matches ${pattern}`);
  return match[1]!;
};

/** The page's main part, without the header and navigation (which name the person signed in). */
const main = (body: string) => /<main[\s\S]*<\/main>/.exec(body)?.[0] ?? '';

describe('small-number suppression and CSV', () => {
  it('hides 1 to 4, and one more when a single hidden count could be worked out', () => {
    assert.deepEqual(suppress([10, 0, 7]), [10, 0, 7]);
    assert.deepEqual(suppress([10, 3, 7, 0]), [10, 'small', 'hidden', 0]);
    assert.deepEqual(suppress([10, 3, 2]), [10, 'small', 'small']);
    assert.deepEqual(suppress([4]), ['small']);
    assert.deepEqual(suppress([0, 0]), [0, 0]);
  });

  it('defuses typed text that looks like a formula, and never the app’s own values', () => {
    assert.equal(csvCell(typed('=HYPERLINK("x")')), `"'=HYPERLINK(""x"")"`);
    assert.equal(csvCell('fewer than 5'), 'fewer than 5');
    assert.equal(csvCell(-3), '-3');
  });

  it('makes keys for new systems from their names, never the same twice', () => {
    assert.equal(keyFor('Social care', new Set()), 'social-care');
    assert.equal(keyFor('Gofal cymdeithasol', new Set()), 'gofal-cymdeithasol');
    assert.equal(keyFor('Housing', new Set(['housing'])), 'housing-2');
    assert.equal(keyFor('!!!', new Set()), 'system');
  });
});

for (const kind of databaseKinds()) {
  describe(`barriers log on ${kind.name}`, () => {
    let database: Database;
    let app: Awaited<ReturnType<typeof buildTestApp>>['app'];
    let amara: Visitor;
    let jordan: Visitor;
    let tomasz: Visitor;
    let priya: Visitor;
    let dafydd: Visitor;
    let rhian: Visitor;
    let housing: string;
    const countBarriers = async (organisationId = riverside) =>
      (await query<{ n: number }>(database, organisationId, sql`select count(*)::int as n from barrier`))[0]!
        .n;
    const barrierRow = async (id: string, organisationId = riverside) =>
      (
        await query<{ status: string; consent: string; what: string; effect: string }>(
          database,
          organisationId,
          sql`select status, consent, what_happened as what, effect from barrier where id = ${id}`,
        )
      )[0];

    before(async () => {
      database = await kind.open();
      ({ app } = await buildTestApp(database));
      amara = new Visitor(app, '203.0.113.20');
      await amara.signIn('coach@riverside.example');
      jordan = new Visitor(app, '203.0.113.21');
      await jordan.signIn('person@riverside.example');
      tomasz = new Visitor(app, '203.0.113.22');
      await tomasz.signIn('peer@riverside.example');
      priya = new Visitor(app, '203.0.113.23');
      await priya.signIn('admin@riverside.example');
      dafydd = new Visitor(app, '203.0.113.24');
      await dafydd.signIn('coach@cwmteg.example');
      rhian = new Visitor(app, '203.0.113.25');
      await rhian.signIn('admin@cwmteg.example');
      [{ id: housing }] = (await query<{ id: string }>(
        database,
        riverside,
        sql`select id from barrier_system where key = 'housing'`,
      )) as [{ id: string }];
    });
    after(() => database.close());

    it('seeds barriers in both organisations, the default systems in both languages, some in Welsh', async () => {
      assert.ok((await countBarriers(riverside)) >= 20);
      assert.ok((await countBarriers(cwmTeg)) >= 10);
      for (const organisationId of [riverside, cwmTeg]) {
        const systems = await query<{ key: string; name: string; nameCy: string }>(
          database,
          organisationId,
          sql`select key, name, name_cy as "nameCy" from barrier_system order by position`,
        );
        assert.deepEqual(
          systems.map((s) => s.key),
          ['housing', 'benefits', 'health', 'justice', 'education', 'work', 'money', 'other'],
        );
        assert.ok(systems.every((s) => s.nameCy && s.nameCy !== s.name));
        const [consented] = await query<{ n: number }>(
          database,
          organisationId,
          sql`select count(*)::int as n from barrier where consent = 'yes'`,
        );
        assert.ok(consented!.n >= 2);
      }
      const welsh = await query<{ n: number }>(
        database,
        cwmTeg,
        sql`select count(*)::int as n from barrier where what_happened like '%yn Saesneg%' or what_happened like '%Mae''r%'`,
      );
      assert.ok(welsh[0]!.n >= 3);
    });

    it('lets a coach record a barrier for a person, keeping what was typed when something is wrong', async () => {
      const before = await countBarriers();
      await amara.get('/barriers/new');
      assert.match(amara.lastBody, /<option value="[^"]+">Jordan<\/option>/);
      assert.match(amara.lastBody, /<textarea[^>]*data-language-guard/);

      let response = await amara.post('/barriers', { person: '', system: '', whatHappened: '', effect: '' });
      assert.equal(response.status, 400);
      assert.match(amara.lastBody, /id="person-error"[\s\S]*Choose whose way it got in/);
      assert.match(amara.lastBody, /id="system-error"[\s\S]*Choose which system put it in the way/);
      assert.match(amara.lastBody, /id="whatHappened-error"[\s\S]*Write what happened/);

      const long = 'x'.repeat(2001);
      response = await amara.post('/barriers', {
        person: jordanId,
        system: housing,
        whatHappened: long,
        effect: 'Lost a week',
      });
      assert.equal(response.status, 400);
      assert.match(amara.lastBody, /use 2000 characters or fewer/);
      assert.ok(amara.lastBody.includes(long), 'what was typed is kept');
      assert.match(amara.lastBody, /<option value="[^"]+" selected="">Jordan<\/option>/);
      assert.match(amara.lastBody, />Lost a week<\/textarea>/);

      // Someone of another organisation is not anyone this form can name.
      response = await amara.post('/barriers', {
        person: elinId,
        system: housing,
        whatHappened: 'The letter came too late',
        effect: '',
      });
      assert.equal(response.status, 400);
      assert.match(amara.lastBody, /We cannot find that person here/);
      assert.match(amara.lastBody, />The letter came too late<\/textarea>/);
      // Nor is another organisation's system.
      const [cwmHousing] = await query<{ id: string }>(
        database,
        cwmTeg,
        sql`select id from barrier_system where key = 'housing'`,
      );
      response = await amara.post('/barriers', {
        person: jordanId,
        system: cwmHousing!.id,
        whatHappened: 'The letter came too late',
      });
      assert.equal(response.status, 400);
      assert.match(amara.lastBody, /Choose a system from the list/);
      assert.equal(await countBarriers(), before, 'nothing was recorded');

      // A label about the person gets the language guard's gentle pause, with everything kept.
      response = await amara.post('/barriers', {
        person: jordanId,
        system: housing,
        whatHappened: 'The office said Jordan was non-compliant and closed the case',
      });
      assert.equal(response.status, 200);
      assert.match(amara.lastBody, /A thought about wording/);
      assert.match(amara.lastBody, /name="wordingSeen" value="yes"/);
      assert.equal(await countBarriers(), before, 'nothing was recorded while paused');

      response = await amara.post('/barriers', {
        person: jordanId,
        system: housing,
        whatHappened: 'The housing office lost the form a second time',
        effect: 'Another month on the waiting list',
        // A coach cannot answer for the person.
        consent: 'yes',
      });
      assert.equal(response.status, 303);
      const id = found(
        response.headers.get('location') ?? '',
        /^\/barriers\/([0-9a-f-]{36})\?done=recorded$/,
      );
      const row = await barrierRow(id);
      assert.equal(row?.status, 'open');
      assert.equal(row?.consent, 'not-asked');
      await amara.get(`/barriers/${id}?done=recorded`);
      assert.match(amara.lastBody, /The barrier is saved/);
      assert.match(amara.lastBody, /Jordan has not been asked yet/);
      assert.doesNotMatch(main(amara.lastBody), /name="consent"/);

      // The audit trail names the fields, never what was written.
      const events = await query<{ detail: unknown; subject: string }>(
        database,
        riverside,
        sql`select detail, subject_person_id as subject from audit_event
          where subject_type = 'barriers:barrier' and subject_id = ${id} and action = 'create'`,
      );
      assert.equal(events.length, 1);
      assert.equal(events[0]!.subject, jordanId);
      assert.doesNotMatch(JSON.stringify(events[0]!.detail), /housing office/);
      assert.match(JSON.stringify(events[0]!.detail), /whatHappened/);

      // It is there in Jordan's own list, and he can read it.
      await jordan.get('/barriers');
      assert.match(jordan.lastBody, /The housing office lost the form a second time/);
      assert.equal((await jordan.get(`/barriers/${id}`)).status, 200);
      assert.match(jordan.lastBody, /name="consent"/);
    });

    it('lets a person record their own, asking them about sharing their words', async () => {
      await jordan.get('/barriers/new');
      assert.doesNotMatch(jordan.lastBody, /name="person"/);
      let response = await jordan.post('/barriers', {
        system: housing,
        whatHappened: 'The repairs line rang off after an hour',
        effect: '',
      });
      assert.equal(response.status, 400);
      assert.match(jordan.lastBody, /id="consent-error"[\s\S]*Choose yes or no/);
      assert.match(jordan.lastBody, />The repairs line rang off after an hour<\/textarea>/);
      // Naming someone else does nothing: a person records only their own.
      response = await jordan.post('/barriers', {
        person: samId,
        system: housing,
        whatHappened: 'The repairs line rang off after an hour',
        consent: 'no',
      });
      assert.equal(response.status, 303);
      const id = found(response.headers.get('location') ?? '', /^\/barriers\/([0-9a-f-]{36})/);
      const [row] = await query<{ person: string; by: string; consent: string }>(
        database,
        riverside,
        sql`select person_id as person, recorded_by_person_id as by, consent from barrier where id = ${id}`,
      );
      assert.deepEqual(row, { person: jordanId, by: jordanId, consent: 'no' });
    });

    it("never shows a person someone else's barrier, nor lets them change it", async () => {
      const [sams] = await query<{ id: string; status: string }>(
        database,
        riverside,
        sql`select id, status from barrier where person_id = ${samId} order by created_at desc limit 1`,
      );
      for (const visitor of [jordan, tomasz]) {
        assert.equal((await visitor.get(`/barriers/${sams!.id}`)).status, 404);
        assert.equal((await visitor.get(`/barriers/${sams!.id}/edit`)).status, 404);
        await visitor.get('/barriers');
        const response = await visitor.post(`/barriers/${sams!.id}/status`, {
          status: 'changed',
          words: 'x',
        });
        assert.equal(response.status, 404);
        const edit = await visitor.post(`/barriers/${sams!.id}/edit`, {
          system: housing,
          whatHappened: 'Overwritten',
        });
        assert.equal(edit.status, 404);
      }
      assert.equal((await barrierRow(sams!.id))?.status, sams!.status);
      assert.notEqual((await barrierRow(sams!.id))?.what, 'Overwritten');
      // Jordan's list is his own: nobody else's words are in it.
      await jordan.get('/barriers');
      assert.doesNotMatch(jordan.lastBody, /letting agent asked for a guarantor/);
      // The report is for the team.
      assert.equal((await jordan.get('/barriers/report')).status, 403);
      assert.equal((await jordan.get('/barriers/report.csv')).status, 403);
    });

    it('keeps another organisation’s barriers out of reach: 404 and nothing changes', async () => {
      const [theirs] = await query<{ id: string; status: string; consent: string }>(
        database,
        cwmTeg,
        sql`select id, status, consent from barrier where person_id = ${elinId} order by created_at limit 1`,
      );
      const id = theirs!.id;
      assert.equal((await amara.get(`/barriers/${id}`)).status, 404);
      assert.equal((await amara.get(`/barriers/${id}/edit`)).status, 404);
      await amara.get('/barriers');
      assert.equal((await amara.post(`/barriers/${id}/status`, { status: 'changed' })).status, 404);
      assert.equal(
        (await amara.post(`/barriers/${id}/edit`, { system: housing, whatHappened: 'Changed' })).status,
        404,
      );
      assert.equal((await amara.post(`/barriers/${id}/consent`, { consent: 'no' })).status, 404);
      const after = await barrierRow(id, cwmTeg);
      assert.equal(after?.status, theirs!.status);
      assert.equal(after?.consent, theirs!.consent);
      assert.notEqual(after?.what, 'Changed');
      // Their systems are theirs too.
      const [system] = await query<{ id: string }>(
        database,
        cwmTeg,
        sql`select id from barrier_system where key = 'money'`,
      );
      assert.equal((await priya.get(`/barriers/systems/${system!.id}`)).status, 404);
      await priya.get('/barriers/systems');
      assert.equal((await priya.post(`/barriers/systems/${system!.id}`, { name: 'Mine now' })).status, 404);
      assert.equal((await priya.post(`/barriers/systems/${system!.id}/delete`, {})).status, 404);
      // Nor do their barriers appear in this organisation's list.
      await amara.get('/barriers?status=open');
      assert.doesNotMatch(amara.lastBody, /llinell gymorth Gymraeg/);
    });

    it('lets a coach record what was done, with the words kept in the history', async () => {
      const [row] = await query<{ id: string }>(
        database,
        riverside,
        sql`select id from barrier where person_id = ${samId} and status = 'open' order by created_at limit 1`,
      );
      const id = row!.id;
      await amara.get(`/barriers/${id}`);
      let response = await amara.post(`/barriers/${id}/status`, {
        status: 'sideways',
        words: 'x'.repeat(1001),
      });
      assert.equal(response.status, 400);
      assert.match(amara.lastBody, /Choose where it stands now/);
      response = await amara.post(`/barriers/${id}/status`, {
        status: 'challenged',
        words: 'x'.repeat(1001),
      });
      assert.equal(response.status, 400);
      assert.match(amara.lastBody, /use 1000 characters or fewer/);
      assert.ok(amara.lastBody.includes('x'.repeat(1001)));
      assert.equal((await barrierRow(id))?.status, 'open');
      response = await amara.post(`/barriers/${id}/status`, {
        status: 'challenged',
        words: 'Wrote to the library manager',
      });
      assert.equal(response.status, 303);
      assert.equal((await barrierRow(id))?.status, 'challenged');
      await amara.get(`/barriers/${id}`);
      assert.match(amara.lastBody, /Amara marked it as challenged/);
      assert.match(amara.lastBody, /Wrote to the library manager/);
      // A lead who is not a coach reads but does not change.
      const [elins] = await query<{ id: string; status: string }>(
        database,
        cwmTeg,
        sql`select id, status from barrier where status = 'open' limit 1`,
      );
      assert.equal((await rhian.get(`/barriers/${elins!.id}`)).status, 200);
      assert.doesNotMatch(main(rhian.lastBody), /name="status"/);
      assert.equal((await rhian.post(`/barriers/${elins!.id}/status`, { status: 'changed' })).status, 403);
      assert.equal((await barrierRow(elins!.id, cwmTeg))?.status, 'open');
    });

    it('lets only the person give or withdraw consent, and the report shows only consented words', async () => {
      const what = 'The benefits office would only talk by phone, and the phone line was closed on Fridays';
      let response = await (async () => {
        await amara.get('/barriers/new');
        return amara.post('/barriers', { person: jordanId, system: housing, whatHappened: what, effect: '' });
      })();
      const id = found(response.headers.get('location') ?? '', /^\/barriers\/([0-9a-f-]{36})/);
      await amara.get('/barriers/report');
      assert.ok(!amara.lastBody.includes(what), 'not asked yet: not on the report');
      // A coach cannot answer for him.
      await amara.get(`/barriers/${id}`);
      response = await amara.post(`/barriers/${id}/consent`, { consent: 'yes' });
      assert.equal(response.status, 403);
      assert.match(amara.lastBody, /Only the person whose way it got in can say/);
      assert.equal((await barrierRow(id))?.consent, 'not-asked');

      await jordan.get(`/barriers/${id}`);
      response = await jordan.post(`/barriers/${id}/consent`, {});
      assert.equal(response.status, 400);
      assert.match(jordan.lastBody, /Choose yes or no/);
      response = await jordan.post(`/barriers/${id}/consent`, { consent: 'yes' });
      assert.equal(response.status, 303);
      assert.equal((await barrierRow(id))?.consent, 'yes');
      await amara.get('/barriers/report');
      assert.ok(amara.lastBody.includes(what), 'consented: on the report');
      const report = main(amara.lastBody);
      for (const name of ['Jordan', 'Sam', 'Nia', 'Dev', 'Tomasz', 'Reilly'])
        assert.doesNotMatch(report, new RegExp(`\\b${name}\\b`), `${name} is named on the report`);
      // Whose words were shown is kept in the audit trail, so Jordan can see his example was used.
      const [shown] = await query<{ n: number }>(
        database,
        riverside,
        sql`select count(*)::int as n from audit_event where subject_type = 'barriers:report'
          and (detail -> 'people') @> to_jsonb(${jordanId}::text)`,
      );
      assert.ok(shown!.n >= 1);

      // A coach correcting the words he agreed to share puts the question back to him.
      await amara.get(`/barriers/${id}/edit`);
      assert.match(amara.lastBody, /they will be asked again/);
      response = await amara.post(`/barriers/${id}/edit`, {
        system: housing,
        whatHappened: `${what}.`,
        effect: '',
      });
      assert.equal(response.status, 303);
      assert.equal((await barrierRow(id))?.consent, 'not-asked');
      await amara.get('/barriers/report');
      assert.ok(!amara.lastBody.includes(what), 'changed words are not shared until he says so');

      await jordan.get(`/barriers/${id}`);
      await jordan.post(`/barriers/${id}/consent`, { consent: 'yes' });
      await jordan.post(`/barriers/${id}/consent`, { consent: 'no' });
      assert.equal((await barrierRow(id))?.consent, 'no');
      await amara.get('/barriers/report');
      assert.ok(!amara.lastBody.includes(what), 'withdrawn: gone from the report');
      await jordan.get(`/barriers/${id}`);
      assert.match(jordan.lastBody, /Jordan said no to sharing their words/);

      // Consented demo words are there; a demo barrier whose person said no is not.
      assert.match(amara.lastBody, /times out after 20 minutes/);
      assert.doesNotMatch(amara.lastBody, /two bus rides away/);
    });

    it('shows exact counts to the team, and hides small numbers in the version to share and the CSV', async () => {
      await amara.get('/barriers/report');
      const housingCount = Number(
        found(amara.lastBody, /<td class="govuk-table__cell">Housing<\/td><td[^>]*>(\d+)<\/td>/),
      );
      const [inDatabase] = await query<{ n: number }>(
        database,
        riverside,
        sql`select count(*)::int as n from barrier where system_id = ${housing}
          and created_at >= now() - interval '11 months'`,
      );
      assert.ok(housingCount >= inDatabase!.n);
      assert.match(
        amara.lastBody,
        /<svg[^>]*role="img"[^>]*aria-labelledby="by-system-title by-system-description"/,
      );
      assert.match(amara.lastBody, /<td class="govuk-table__cell">Other<\/td><td[^>]*>1<\/td>/);

      await amara.get('/barriers/report?view=share');
      assert.match(amara.lastBody, /<td class="govuk-table__cell">Other<\/td><td[^>]*>fewer than 5<\/td>/);
      assert.doesNotMatch(main(amara.lastBody), /<td[^>]*govuk-table__cell--numeric">[1-4]<\/td>/);
      assert.doesNotMatch(main(amara.lastBody), /<text[^>]*>[1-4]<\/text>/);

      const response = await amara.get('/barriers/report.csv');
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /text\/csv/);
      assert.match(
        response.headers.get('content-disposition') ?? '',
        /attachment; filename="what-gets-in-the-way-/,
      );
      const bytes = new Uint8Array(await response.arrayBuffer());
      // A byte order mark first, so spreadsheets read Welsh letters as UTF-8.
      assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf]);
      const csv = new TextDecoder().decode(bytes);
      const cells = csv.split(/\r\n/).flatMap((line) => line.split(','));
      assert.ok(cells.includes('fewer than 5'));
      assert.ok(!cells.some((cell) => /^[1-4]$/.test(cell)), 'no count from 1 to 4 leaves the team');
      assert.match(csv, /^By,Name,Barriers,Open,Challenged,Changed\r\n/);
      const [exported] = await query<{ n: number }>(
        database,
        riverside,
        sql`select count(*)::int as n from audit_event where subject_type = 'barriers:report' and action = 'export'`,
      );
      assert.ok(exported!.n >= 1);
    });

    it('pages through the team list newest first, and filters by system and status', async () => {
      await amara.get('/barriers');
      const firstPage = [...amara.lastBody.matchAll(/href="\/barriers\/([0-9a-f-]{36})"/g)].map((m) => m[1]);
      assert.equal(firstPage.length, 20);
      const older = found(amara.lastBody, /href="(\/barriers\?after=[^"]+)" rel="next"/).replace(
        /&amp;/g,
        '&',
      );
      await amara.get(older);
      const secondPage = [...amara.lastBody.matchAll(/href="\/barriers\/([0-9a-f-]{36})"/g)].map((m) => m[1]);
      assert.ok(secondPage.length > 0);
      assert.ok(secondPage.every((id) => !firstPage.includes(id)));
      const total = await countBarriers();
      assert.ok(firstPage.length + secondPage.length <= total);

      await amara.get(`/barriers?system=${housing}&status=changed`);
      const filtered = [...amara.lastBody.matchAll(/href="\/barriers\/([0-9a-f-]{36})"/g)].map((m) => m[1]!);
      const [expected] = await query<{ n: number }>(
        database,
        riverside,
        sql`select count(*)::int as n from barrier where system_id = ${housing} and status = 'changed'`,
      );
      assert.equal(filtered.length, expected!.n);
      assert.ok(filtered.length > 0);
    });

    it('lets an admin add, rename, hide and delete systems, but never delete one in use', async () => {
      assert.equal((await amara.get('/barriers/systems')).status, 403);
      await priya.get('/barriers/systems');
      let response = await priya.post('/barriers/systems', { name: '', nameCy: 'Trafnidiaeth' });
      assert.equal(response.status, 400);
      assert.match(priya.lastBody, /Write the system&#39;s name|Write the system's name/);
      assert.match(priya.lastBody, /value="Trafnidiaeth"/);
      response = await priya.post('/barriers/systems', { name: 'housing' });
      assert.equal(response.status, 400);
      assert.match(priya.lastBody, /There is already a system with this name/);
      response = await priya.post('/barriers/systems', { name: 'Transport', nameCy: 'Trafnidiaeth' });
      assert.equal(response.status, 303);
      const [transport] = await query<{ id: string; key: string }>(
        database,
        riverside,
        sql`select id, key from barrier_system where name = 'Transport'`,
      );
      assert.equal(transport!.key, 'transport');

      // Housing is in use: it can be hidden, not deleted.
      response = await priya.post(`/barriers/systems/${housing}/delete`, {});
      assert.equal(response.status, 303);
      assert.match(response.headers.get('location') ?? '', /systemInUse/);
      assert.equal(
        (await query(database, riverside, sql`select id from barrier_system where id = ${housing}`)).length,
        1,
      );
      await priya.get(`/barriers/systems/${housing}`);
      assert.doesNotMatch(main(priya.lastBody), /Delete the system/);
      response = await priya.post(`/barriers/systems/${housing}`, {
        name: 'Housing and homes',
        nameCy: 'Tai a chartrefi',
        hidden: 'yes',
      });
      assert.equal(response.status, 303);
      await amara.get('/barriers/new');
      assert.doesNotMatch(amara.lastBody, /Housing and homes/);
      assert.match(amara.lastBody, /Transport/);
      await amara.get('/barriers/report');
      assert.match(amara.lastBody, /Housing and homes/, 'a hidden system stays in the report');
      await priya.get(`/barriers/systems/${housing}`);
      await priya.post(`/barriers/systems/${housing}`, { name: 'Housing', nameCy: 'Tai' });

      response = await priya.post(`/barriers/systems/${transport!.id}/delete`, {});
      assert.match(response.headers.get('location') ?? '', /systemDeleted/);
      assert.equal(
        (await query(database, riverside, sql`select id from barrier_system where id = ${transport!.id}`))
          .length,
        0,
      );
    });

    it('gives a new organisation the default systems on first use, once', async () => {
      const organisationId = crypto.randomUUID();
      await database.db.execute(
        sql`insert into organisation (id, slug, name) values (${organisationId}, ${`new-${organisationId.slice(0, 8)}`}, 'New')`,
      );
      // Two first readers at once (in parallel on PostgreSQL) add the defaults once.
      const listed = await Promise.all(
        [1, 2].map(() =>
          withOrganisation(database, { organisationId }, async (scope) => (await listSystems(scope)).length),
        ),
      );
      assert.deepEqual(listed, [8, 8]);
      const [row] = await query<{ n: number }>(
        database,
        organisationId,
        sql`select count(*)::int as n from barrier_system`,
      );
      assert.equal(row!.n, 8);
    });

    it('speaks Welsh in Cwm Teg', async () => {
      await dafydd.get('/barriers');
      await dafydd.get('/language/cy?back=/barriers');
      await dafydd.get('/barriers');
      assert.match(dafydd.lastBody, /Rhwystrau diweddar/);
      await dafydd.get('/barriers/report');
      assert.match(dafydd.lastBody, /Beth sy&#39;n sefyll yn y ffordd|Beth sy'n sefyll yn y ffordd/);
      assert.match(dafydd.lastBody, /Tai/);
    });

    it('counts barriers by system for impact reports, each equal to what is worked out by hand', async () => {
      const organisationId = crypto.randomUUID();
      await database.db.execute(
        sql`insert into organisation (id, slug, name) values (${organisationId}, ${`figures-${organisationId.slice(0, 8)}`}, 'Figures')`,
      );
      const statistics = await withOrganisation(database, { organisationId }, async (scope) => {
        const run = (text: ReturnType<typeof sql>) => scope.tx.execute(text);
        const systems = new Map((await listSystems(scope)).map((system) => [system.key, system.id]));
        const [transport] = await rowsOf<{ id: string }>(
          run(sql`insert into barrier_system (organisation_id, key, name, name_cy, position)
            values (${organisationId}, 'transport', 'Transport for Wales', 'Trafnidiaeth Cymru', 85) returning id`),
        );
        systems.set('transport', transport!.id);
        await run(sql`update barrier_system set is_hidden = true where key in ('justice', 'education')`);
        const [p1, p2, p3] = [
          await createPerson(scope, { calledName: 'One', roles: ['person'] }),
          await createPerson(scope, { calledName: 'Two', roles: ['person'] }),
          await createPerson(scope, { calledName: 'Three', roles: ['person'] }),
        ];
        const barrier = (personId: string | undefined, system: string, at: string) =>
          run(sql`insert into barrier (organisation_id, person_id, system_id, what_happened, created_at)
            values (${organisationId}, ${personId}, ${systems.get(system)}, 'It got in the way', ${at})`);
        // Housing: January, 23:30 on 28 February (still February), and 23:30 UTC on 31 March, which is
        // 1 April in the UK (summer time), so outside. Transport at 23:30 on 31 January is January (GMT).
        await barrier(p1, 'housing', '2025-01-05T10:00:00Z');
        await barrier(p2, 'housing', '2025-02-28T23:30:00Z');
        await barrier(p1, 'housing', '2025-03-31T23:30:00Z');
        await barrier(p2, 'benefits', '2025-03-10T10:00:00Z');
        await barrier(p3, 'transport', '2025-01-31T23:30:00Z');
        await barrier(p3, 'transport', '2025-03-15T10:00:00Z');
        // A hidden system used in the period is counted; one used only before it is left out.
        await barrier(p1, 'justice', '2025-02-14T10:00:00Z');
        await barrier(p2, 'education', '2024-12-10T10:00:00Z');
        await barrier(p2, 'health', '2024-12-31T23:59:00Z');
        return barriersModule.statistics!(scope, periodOf('2025-01', '2025-03')!);
      });
      const byKey = new Map(statistics.map((s) => [s.key, s]));
      const expect = (key: string, value: number, months: number[]) => {
        const found = byKey.get(key);
        assert.ok(found, `no figure ${key}`);
        assert.equal(found.value, value, key);
        assert.deepEqual(found.byMonth, months, `${key} by month`);
      };
      expect('barriers', 6, [2, 2, 2]);
      expect('barriers-housing', 2, [1, 1, 0]);
      expect('barriers-benefits', 1, [0, 0, 1]);
      expect('barriers-transport', 2, [1, 0, 1]);
      expect('barriers-justice', 1, [0, 1, 0]);
      expect('barriers-health', 0, [0, 0, 0]);
      expect('people-meeting-barriers', 3, [2, 2, 2]);
      assert.equal(byKey.has('barriers-education'), false, 'a hidden system unused in the period');
      assert.equal(byKey.get('barriers-housing')?.label, 'statistics.systems.housing');
      assert.equal(byKey.get('barriers-transport')?.label, 'Transport for Wales');
      const parts = statistics.filter((s) => s.partOf === 'barriers');
      assert.equal(
        parts.reduce((sum, s) => sum + (s.value ?? 0), 0),
        6,
        'the systems add up to the whole',
      );
      assert.ok(statistics.every((s) => s.section === 'barriers'));
      assert.ok(statistics.every((s) => s.countsPeople === (s.key === 'people-meeting-barriers')));
      assert.deepEqual(byKey.get('barriers')?.derivation, {
        label: 'statistics.from.barriers',
        values: { barriers: 6 },
      });
      for (const language of ['en', 'cy'] as const) {
        const words = barriersModule.catalogues![language] as Record<string, unknown>;
        const lookUp = (key: string) =>
          key
            .split('.')
            .reduce<unknown>((at, part) => (at as Record<string, unknown> | undefined)?.[part], words);
        for (const s of statistics) {
          if (s.key !== 'barriers-transport')
            assert.equal(typeof lookUp(s.label), 'string', `${language} ${s.label}`);
          assert.equal(typeof lookUp(s.derivation.label), 'string', `${language} ${s.derivation.label}`);
        }
      }
    });

    it('exports a person’s barriers with their history', async () => {
      const exported = (await withOrganisation(
        database,
        { organisationId: riverside, actorPersonId: amaraId },
        (scope) => barriersModule.exportPerson!(scope, jordanId, recordWriter()),
      )) as {
        barriers: {
          whatHappened: string;
          history: { status?: { code: string }; consent?: { code: string } }[];
        }[];
      };
      const [jordans] = await query<{ n: number }>(
        database,
        riverside,
        sql`select count(*)::int as n from barrier where person_id = ${jordanId}`,
      );
      assert.equal(exported.barriers.length, jordans!.n);
      const challenged = exported.barriers.find((b) =>
        b.whatHappened.startsWith("The council's housing team"),
      );
      assert.ok(challenged?.history.some((h) => h.status?.code === 'challenged'));
      assert.ok(challenged?.history.some((h) => h.consent?.code === 'yes'));
      // Nobody else's barriers come with it.
      assert.ok(exported.barriers.every((b) => !b.whatHappened.includes('guarantor')));
    });
  });
}
