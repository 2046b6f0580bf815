import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { inflateSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import type { Database } from '../src/core/database/connect.ts';
import { rowsOf, withOrganisation } from '../src/core/database/tenancy.ts';
import { createPerson } from '../src/core/people.ts';
import { periodOf } from '../src/core/periods.ts';
import { tScore, tScoreOverTime } from '../src/modules/coaching/gas.ts';
import { buildTestApp, Visitor } from './helpers/app.ts';
import { databaseKinds } from './helpers/databases.ts';

const riverside = '00000000-0000-4000-8000-000000000001';
const cwmTeg = '00000000-0000-4000-8000-000000000002';
const jordanId = '00000000-0000-4000-8100-000000000006';
const samId = '00000000-0000-4000-8100-000000000007';
const elinId = '00000000-0000-4000-8200-000000000003';

async function query<T>(database: Database, organisationId: string, text: ReturnType<typeof sql>) {
  return withOrganisation(database, { organisationId }, (scope) => rowsOf<T>(scope.tx.execute(text)));
}

const match = (body: string, pattern: RegExp) => {
  const found = pattern.exec(body);
  assert.ok(found, `nothing matches ${pattern}`);
  return found[1]!;
};

describe('Goal Attainment Scaling', () => {
  it('gives 50 when every goal is where it was expected to be', () => {
    assert.equal(
      tScore([
        { level: 0, importance: 2, difficulty: 3 },
        { level: 0, importance: 1, difficulty: 1 },
      ]),
      50,
    );
  });
  it('follows the Kiresuk-Sherman formula with rho 0.3', () => {
    // One goal at +2 with weight 1: 50 + 10 * 2 / sqrt(0.7 * 1 + 0.3 * 1) = 70.
    assert.equal(tScore([{ level: 2, importance: 1, difficulty: 1 }]), 70);
    // Two goals, weights 6 and 1, at +1 and -2: 50 + 10 * (6 - 2) / sqrt(0.7 * 37 + 0.3 * 49).
    const expected = 50 + (10 * 4) / Math.sqrt(0.7 * 37 + 0.3 * 49);
    const got = tScore([
      { level: 1, importance: 2, difficulty: 3 },
      { level: -2, importance: 1, difficulty: 1 },
    ])!;
    assert.ok(Math.abs(got - expected) < 1e-9);
  });
  it('leaves out goals weighted zero and has nothing to say when all are', () => {
    assert.equal(tScore([{ level: 2, importance: 0, difficulty: 3 }]), null);
  });
  it('counts each goal at its latest level over time', () => {
    const weights = new Map([
      ['a', { importance: 1, difficulty: 1 }],
      ['b', { importance: 1, difficulty: 1 }],
    ]);
    const points = tScoreOverTime(weights, [
      { goalId: 'a', level: -2, ratedAt: new Date('2026-01-01') },
      { goalId: 'b', level: 0, ratedAt: new Date('2026-02-01') },
      { goalId: 'a', level: 0, ratedAt: new Date('2026-03-01') },
    ]);
    assert.deepEqual(
      points.map((p) => p.tScore),
      [30, Math.round((50 - 20 / Math.sqrt(0.7 * 2 + 0.3 * 4)) * 10) / 10, 50],
    );
  });
});

for (const kind of databaseKinds()) {
  describe(`coaching pages on ${kind.name}`, () => {
    let database: Database;
    let app: Awaited<ReturnType<typeof buildTestApp>>['app'];
    let amara: Visitor;
    let jordan: Visitor;
    let dafydd: Visitor;
    let priya: Visitor;

    before(async () => {
      database = await kind.open();
      ({ app } = await buildTestApp(database));
      amara = new Visitor(app);
      await amara.signIn('coach@riverside.example');
      jordan = new Visitor(app, '203.0.113.8');
      await jordan.signIn('person@riverside.example');
      dafydd = new Visitor(app, '203.0.113.9');
      await dafydd.signIn('coach@cwmteg.example');
      priya = new Visitor(app, '203.0.113.10');
      await priya.signIn('admin@riverside.example');
    });
    after(() => database.close());

    it('seeds people with About Me, goals, scales and conversations in both organisations, some in Welsh', async () => {
      for (const organisationId of [riverside, cwmTeg]) {
        const [row] = await query<{
          supported: number;
          versions: number;
          goals: number;
          ratings: number;
          entries: number;
        }>(
          database,
          organisationId,
          sql`select (select count(*)::int from coaching_support) as supported,
            (select count(*)::int from about_me_version) as versions,
            (select count(*)::int from coaching_goal) as goals,
            (select count(*)::int from where_i_am_rating) as ratings,
            (select count(*)::int from coaching_entry) as entries`,
        );
        assert.ok(
          row!.supported >= 3 &&
            row!.versions >= 5 &&
            row!.goals >= 3 &&
            row!.ratings >= 6 &&
            row!.entries >= 3,
        );
      }
      await dafydd.get(`/coaching/people/${elinId}/about-me`);
      assert.match(dafydd.lastBody, /Cael trefn ar y tŷ/);
    });

    it("lists the coach's people, those not seen for longest first, and finds them by name", async () => {
      const response = await amara.get('/coaching');
      assert.equal(response.status, 200);
      const names = [
        ...amara.lastBody.matchAll(
          /<a class="govuk-link" href="\/coaching\/people\/[^"]+"><bdi>([^<]+)<\/bdi>/g,
        ),
      ].map((m) => m[1]);
      assert.ok(names.includes('Jordan') && names.includes('Sam'), names.join());
      await amara.get('/coaching?search=sam');
      assert.match(amara.lastBody, /<bdi>Sam<\/bdi>/);
      assert.doesNotMatch(amara.lastBody, /<bdi>Jordan<\/bdi><\/a>,?<\/td>/);
      // The people who asked for a coach on the public page are waiting at the top.
      await amara.get('/coaching');
      assert.match(amara.lastBody, /People who asked for a coach[\s\S]*Robin/);
    });

    it('starts supporting someone with only what they would like to be called', async () => {
      await amara.get('/coaching/start');
      const empty = await amara.post('/coaching/start', { calledName: '  ' });
      assert.equal(empty.status, 400);
      assert.match(amara.lastBody, /This cannot be left empty/);
      const response = await amara.post('/coaching/start', { calledName: 'Bea' });
      assert.equal(response.status, 303);
      const location = response.headers.get('location')!;
      assert.match(location, /^\/coaching\/people\/[0-9a-f-]{36}\?done=started$/);
      await amara.get(location);
      assert.match(amara.lastBody, /You are now supporting them/);
      await amara.get('/coaching');
      assert.match(amara.lastBody, /<bdi>Bea<\/bdi>/);
    });

    it('records a conversation the person can see, comment on and disagree with', async () => {
      await amara.get(`/coaching/conversation?person=${jordanId}`);
      const bad = await amara.post('/coaching/conversation', {
        person: jordanId,
        talkedAbout: '',
        nextSteps: 'Phone the council',
        happenedOn: '2999-01-01',
      });
      assert.equal(bad.status, 400);
      assert.match(amara.lastBody, /Phone the council/, 'what was typed is kept');
      assert.match(amara.lastBody, /today or in the past/);
      const saved = await amara.post('/coaching/conversation', {
        person: jordanId,
        talkedAbout: 'Talked about the allotment waiting list.',
        nextSteps: 'Jordan will visit the allotments on Saturday.',
        happenedOn: '',
        place: 'Allotments',
      });
      assert.equal(saved.status, 303);
      await jordan.get('/me/everything');
      assert.match(jordan.lastBody, /Talked about the allotment waiting list\./);
      const entryId = match(jordan.lastBody, /href="\/me\/everything\/([0-9a-f-]{36})"/);
      await jordan.get(`/me/everything/${entryId}`);
      assert.match(jordan.lastBody, /action="\/me\/everything\/[0-9a-f-]{36}\/responses"/);
      const disagree = await jordan.post(`/me/everything/${entryId}/responses`, {
        kind: 'disagree',
        words: 'It was Sunday, not Saturday.',
      });
      assert.equal(disagree.status, 303);
      await amara.get(`/coaching/people/${jordanId}/everything`);
      assert.match(amara.lastBody, /Disagreement[\s\S]*It was Sunday, not Saturday\./);
    });

    it('pauses gently when a coach writes a label about a person, and saves the words as written if they choose', async () => {
      const words = {
        person: jordanId,
        talkedAbout: 'Jordan refused to engage with the housing officer.',
        nextSteps: '',
      };
      const paused = await amara.post('/coaching/conversation', words);
      assert.equal(paused.status, 200);
      assert.match(amara.lastBody, /A thought about wording/);
      assert.match(amara.lastBody, /refused to engage/);
      assert.match(amara.lastBody, />Jordan refused to engage with the housing officer\.<\/textarea>/);
      assert.match(amara.lastBody, /name="wordingSeen" value="yes"/);
      const before = await query<{ count: number }>(
        database,
        riverside,
        sql`select count(*)::int as count from coaching_entry where talked_about like 'Jordan refused%'`,
      );
      assert.equal(before[0]!.count, 0, 'nothing is saved while paused');
      const kept = await amara.post('/coaching/conversation', { ...words, wordingSeen: 'yes' });
      assert.equal(kept.status, 303);
      const after = await query<{ count: number }>(
        database,
        riverside,
        sql`select count(*)::int as count from coaching_entry where talked_about like 'Jordan refused%'`,
      );
      assert.equal(after[0]!.count, 1);
    });

    it('hides an entry only with a reason and words, shows the person what the reason allows, and puts it in the trail', async () => {
      await amara.post('/coaching/conversation', {
        person: jordanId,
        talkedAbout: 'Information about a neighbour’s safety.',
        nextSteps: '',
      });
      const [entry] = await query<{ id: string }>(
        database,
        riverside,
        sql`select id from coaching_entry where talked_about like 'Information about a neighbour%'`,
      );
      const entryId = entry!.id;
      await amara.get(`/coaching/people/${jordanId}/everything`);
      assert.match(amara.lastBody, new RegExp(`href="/coaching/people/${jordanId}/everything/${entryId}"`));
      await amara.get(`/coaching/people/${jordanId}/everything/${entryId}`);
      assert.match(
        amara.lastBody,
        new RegExp(`action="/coaching/people/${jordanId}/everything/${entryId}/hide"`),
      );
      const noReason = await amara.post(`/coaching/people/${jordanId}/everything/${entryId}/hide`, {
        words: 'x',
      });
      assert.equal(noReason.status, 400);
      assert.match(amara.lastBody, /Choose why it must be hidden/);
      const hidden = await amara.post(`/coaching/people/${jordanId}/everything/${entryId}/hide`, {
        reason: 'someone-else',
        words: 'About the neighbour, not Jordan.',
      });
      assert.equal(hidden.status, 303);
      await jordan.get('/me/everything');
      assert.doesNotMatch(jordan.lastBody, /neighbour/);
      assert.match(jordan.lastBody, /is not shown to you because it is about someone else/);
      // Jordan cannot answer what is withheld, nor hide or show anything.
      assert.equal(
        (await jordan.post(`/me/everything/${entryId}/responses`, { kind: 'comment', words: 'hi' })).status,
        404,
      );
      assert.equal((await jordan.get(`/me/everything/${entryId}`)).status, 404);
      const [event] = await query<{ action: string; reason: string }>(
        database,
        riverside,
        sql`select action, detail->>'reason' as reason from audit_event where subject_id = ${entryId} and action = 'coaching:hide'`,
      );
      assert.equal(event?.reason, 'someone-else');
      await priya.get(`/admin/audit?person=${jordanId}`);
      assert.match(priya.lastBody, /Hid from the person/);
      // A reason that must not even show the entry exists.
      await amara.post(`/coaching/people/${jordanId}/everything/${entryId}/show`, {});
      await amara.post(`/coaching/people/${jordanId}/everything/${entryId}/hide`, {
        reason: 'police-or-court',
        words: 'Police asked us to wait.',
      });
      await jordan.get('/me/everything');
      assert.doesNotMatch(jordan.lastBody, /neighbour|Police asked/);
      assert.doesNotMatch(jordan.lastBody, new RegExp(entryId));
    });

    it('keeps every version of About Me and shows who wrote it', async () => {
      await jordan.get('/me/about-me?edit');
      const tooLong = await jordan.post('/me/about-me', { 'good-day': 'x'.repeat(4001), strengths: 'Kept' });
      assert.equal(tooLong.status, 400);
      assert.match(jordan.lastBody, /too long/);
      assert.match(jordan.lastBody, />Kept<\/textarea>/);
      await jordan.post('/me/about-me', { 'good-day': 'Sunshine and a bike ride.' });
      await amara.get(`/coaching/people/${jordanId}/about-me`);
      await amara.post(`/coaching/people/${jordanId}/about-me`, {
        'good-day': 'Sunshine, a bike ride and pancakes.',
      });
      // A coach writing a label about someone gets a gentle pause; the person writing about themselves does not.
      const paused = await amara.post(`/coaching/people/${jordanId}/about-me`, {
        'day-to-day': 'Jordan is an addict in recovery.',
      });
      assert.equal(paused.status, 200);
      assert.match(amara.lastBody, /A thought about wording/);
      assert.equal(
        (
          await jordan.post('/me/about-me', {
            'talk-to-me-about': 'Being an addict in recovery, if I bring it up.',
          })
        ).status,
        303,
      );
      await jordan.get('/me/about-me/history');
      assert.match(jordan.lastBody, /Sunshine and a bike ride\./);
      assert.match(jordan.lastBody, /Sunshine, a bike ride and pancakes\.[\s\S]*/);
      assert.match(jordan.lastBody, /Amara, with you/);
    });

    it("refuses someone else's About Me and another organisation's ids, changing nothing", async () => {
      assert.equal((await jordan.get(`/coaching/people/${samId}/about-me`)).status, 404);
      assert.equal(
        (await jordan.post(`/coaching/people/${samId}/about-me`, { strengths: 'hacked' })).status,
        404,
      );
      assert.equal((await amara.get(`/coaching/people/${elinId}`)).status, 404);
      assert.equal(
        (await amara.post(`/coaching/people/${elinId}/about-me`, { strengths: 'hacked' })).status,
        404,
      );
      const rows = await query<{ count: number }>(
        database,
        riverside,
        sql`select count(*)::int as count from about_me_version where words = 'hacked'`,
      );
      assert.equal(rows[0]!.count, 0);
      const welsh = await query<{ count: number }>(
        database,
        cwmTeg,
        sql`select count(*)::int as count from about_me_version where words = 'hacked'`,
      );
      assert.equal(welsh[0]!.count, 0);
      // Priya is an admin, not a coach: people's records are not hers to read.
      assert.equal((await priya.get(`/coaching/people/${jordanId}`)).status, 404);
      assert.equal((await priya.get('/coaching')).status, 403);
    });

    it('adds a goal with steps, refuses levels out of order, scales it, and celebrates reaching it', async () => {
      await jordan.get('/me/goals');
      const empty = await jordan.post('/me/goals', { words: '', step1: 'A step kept' });
      assert.equal(empty.status, 400);
      assert.match(jordan.lastBody, /value="A step kept"/);
      const added = await jordan.post('/me/goals', {
        words: 'Learn to swim',
        theme: 'health',
        step1: 'Find the pool times',
        step2: 'Buy goggles',
        step3: 'Go on Tuesday',
      });
      const goalPath = added.headers.get('location')!.replace(/\?.*/, '');
      await jordan.get(goalPath);
      assert.match(
        jordan.lastBody,
        /Find the pool times[\s\S]*Buy goggles[\s\S]*Go on Tuesday/,
        'steps in the order written',
      );
      const gap = await jordan.post(`${goalPath}/scaling`, {
        minus2: 'Not been',
        minus1: 'Been once',
        expected: '',
        plus1: 'Swim a length',
        plus2: 'Swim ten lengths',
        difficulty: '2',
      });
      assert.equal(gap.status, 400);
      assert.match(jordan.lastBody, /all five are needed/);
      assert.match(jordan.lastBody, /Choose how important this goal is to you/, 'every problem at once');
      assert.match(jordan.lastBody, /value="Swim ten lengths"/);
      await jordan.post(`${goalPath}/scaling`, {
        minus2: 'Not been',
        minus1: 'Been once',
        expected: 'Go every week',
        plus1: 'Swim a length',
        plus2: 'Swim ten lengths',
        importance: '3',
        difficulty: '2',
      });
      assert.equal((await jordan.post(`${goalPath}/rating`, { level: '3' })).status, 400);
      assert.equal((await jordan.post(`${goalPath}/rating`, { level: '1' })).status, 303);
      await jordan.get(goalPath);
      assert.match(jordan.lastBody, /<svg class="alongside-chart"/);
      // Jordan's demo goal (weight 6) was last at +1; this one (weight 6) is now at +1 too.
      const expected = tScore([
        { level: 1, importance: 3, difficulty: 2 },
        { level: 1, importance: 3, difficulty: 2 },
      ])!.toFixed(1);
      const scores = [...jordan.lastBody.matchAll(/govuk-table__cell--numeric">([\d.]+)<\/td>/g)].map(
        (m) => m[1],
      );
      assert.equal(scores.at(-1), expected);
      const reached = await jordan.post(`${goalPath}/status`, { status: 'reached', words: 'I did it' });
      await jordan.get(reached.headers.get('location')!);
      assert.match(jordan.lastBody, /You did it!/);
    });

    it('rates scales the person named and draws the journey with a table beside it', async () => {
      await jordan.get('/me/where-i-am');
      const missing = await jordan.post('/me/where-i-am/scales', { name: '', lowWords: 'kept low' });
      assert.equal(missing.status, 400);
      assert.match(jordan.lastBody, /value="kept low"/);
      await jordan.post('/me/where-i-am/scales', {
        name: 'Calm',
        lowWords: 'no',
        highWords: 'yes',
        firstValue: '4',
      });
      await jordan.get('/me/where-i-am');
      const field = match(
        jordan.lastBody,
        /<label class="govuk-label govuk-label--s" for="(scale-[0-9a-f-]{36})">\s*Calm/,
      );
      assert.equal((await jordan.post('/me/where-i-am/ratings', { [field]: '11' })).status, 400);
      assert.equal((await jordan.post('/me/where-i-am/ratings', { [field]: '7' })).status, 303);
      await jordan.get('/me/where-i-am');
      assert.match(jordan.lastBody, /<svg class="alongside-chart"[\s\S]*Calm/);
      assert.match(
        jordan.lastBody,
        /<th scope="col" class="govuk-table__header govuk-table__header--numeric">Calm<\/th>/,
      );
      // A scale that is someone else's is ignored, not rated.
      const [samScale] = await query<{ id: string }>(
        database,
        riverside,
        sql`select id from where_i_am_scale where person_id = ${samId} limit 1`,
      );
      assert.equal(
        (await jordan.post('/me/where-i-am/ratings', { [`scale-${samScale!.id}`]: '1' })).status,
        404,
      );
    });

    it('lets the person pause and end support, and come back with everything still there', async () => {
      await jordan.get('/me');
      await jordan.post('/me/support', { status: 'paused', words: 'Busy with the move' });
      await amara.get('/coaching');
      assert.match(amara.lastBody, /<bdi>Jordan<\/bdi><\/a><\/td><td[^>]*>[^<]*<\/td><td[^>]*>Paused/);
      await jordan.post('/me/support', { status: 'active', words: 'Back again' });
      await jordan.get('/me');
      assert.match(jordan.lastBody, /Busy with the move[\s\S]*Back again/);
      await jordan.get('/me/goals');
      assert.match(jordan.lastBody, /Move into a place of my own/);
    });

    it('takes a self-introduction on the public page, with consent, and shows it to the coaches', async () => {
      const visitor = new Visitor(app, '203.0.113.50');
      const page = await visitor.get('/ask/riverside');
      assert.equal(page.status, 200);
      const noConsent = await visitor.post('/ask/riverside', {
        calledName: 'Lou',
        howToReach: 'text 07700 900999',
      });
      assert.equal(noConsent.status, 400);
      assert.match(visitor.lastBody, /value="text 07700 900999"/);
      const sent = await visitor.post('/ask/riverside', {
        calledName: 'Lou',
        howToReach: 'text 07700 900999',
        consent: 'yes',
      });
      assert.equal(sent.status, 303);
      assert.equal((await visitor.get('/ask/nowhere')).status, 404);
      const [row] = await query<{ consent: string }>(
        database,
        riverside,
        sql`select consent_wording as consent from coaching_self_introduction where how_to_reach = 'text 07700 900999'`,
      );
      assert.match(row!.consent, /Riverside/);
      await amara.get('/coaching');
      assert.match(amara.lastBody, /People who asked for a coach[\s\S]*Lou/);
      const louId = match(amara.lastBody, /href="\/coaching\/people\/([0-9a-f-]{36})"><bdi>Lou<\/bdi>/);
      await amara.get(`/coaching/people/${louId}`);
      assert.match(amara.lastBody, /How to get in touch:[\s\S]*text 07700 900999/);
      await amara.post(`/coaching/people/${louId}/support`, {
        status: 'active',
        words: 'Met Lou at the library.',
      });
      await amara.get('/coaching');
      assert.match(amara.lastBody, /People I walk alongside[\s\S]*<bdi>Lou<\/bdi>/);
    });

    it('lets the person download everything about them: JSON with every entry, and a PDF with ŵ and ŷ', async () => {
      const elin = new Visitor(app, '203.0.113.60');
      await elin.signIn('person@cwmteg.example');
      const json = await elin.get('/account/my-record.json');
      assert.equal(json.status, 200);
      assert.match(json.headers.get('content-disposition') ?? '', /attachment/);
      const record = JSON.parse(elin.lastBody);
      assert.equal(record.person.calledName, 'Elin');
      const stored = await query<{ talkedAbout: string }>(
        database,
        cwmTeg,
        sql`select talked_about as "talkedAbout" from coaching_entry where person_id = ${elinId} and hidden_reason is null`,
      );
      const exported = record.coaching.everythingAboutMe.map(
        (entry: { talkedAbout: string }) => entry.talkedAbout,
      );
      assert.equal(exported.length, stored.length);
      for (const entry of stored) assert.ok(exported.includes(entry.talkedAbout));
      assert.ok(
        record.coaching.aboutMe.headings.some((v: { words: string }) => v.words.includes('dŵr poeth')),
      );
      assert.equal(record.coaching.everythingAboutMe[0].writtenBy, 'Dafydd', 'writers are named');
      assert.ok('time-bank' in record, 'every module contributes');

      const pdf = await app.request('/account/my-record.pdf', {
        headers: { cookie: elin.cookieHeader(), 'x-forwarded-for': '203.0.113.60' },
      });
      assert.equal(pdf.headers.get('content-type'), 'application/pdf');
      const bytes = Buffer.from(await pdf.arrayBuffer());
      assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
      // The embedded font maps its glyphs back to Unicode: ŵ (U+0175) and ŷ (U+0177) are drawn, not dropped.
      const text = bytes.toString('latin1');
      const maps: string[] = [];
      for (const found of text.matchAll(/stream\r?\n/g)) {
        const start = found.index! + found[0].length;
        const end = text.indexOf('endstream', start);
        try {
          maps.push(inflateSync(bytes.subarray(start, end)).toString('latin1'));
        } catch {}
      }
      const cmap = maps.filter((m) => m.includes('beginbfrange') || m.includes('beginbfchar')).join('\n');
      assert.match(cmap, /<0175>/i);
      assert.match(cmap, /<0177>/i);
      const events = await query<{ count: number }>(
        database,
        cwmTeg,
        sql`select count(*)::int as count from audit_event where action = 'export' and subject_type = 'person' and subject_person_id = ${elinId}`,
      );
      assert.equal(events[0]!.count, 2);
    });

    it('declares its figures for impact, each equal to what is worked out by hand', async () => {
      const organisationId = crypto.randomUUID();
      await database.db.execute(
        sql`insert into organisation (id, slug, name) values (${organisationId}, ${`figures-${organisationId.slice(0, 8)}`}, 'Figures')`,
      );
      const stats = await withOrganisation(database, { organisationId }, async (scope) => {
        const run = (text: ReturnType<typeof sql>) => scope.tx.execute(text);
        const person = (calledName: string) => createPerson(scope, { calledName, roles: ['person'] });
        const support = async (personId: string, changes: [string, string][]) => {
          const [row] = await rowsOf<{ id: string }>(
            run(sql`insert into coaching_support (organisation_id, person_id, status, started_at)
              values (${organisationId}, ${personId}, ${changes.at(-1)![0]}, ${changes[0]![1]}) returning id`),
          );
          for (const [status, at] of changes)
            await run(sql`insert into coaching_support_change (organisation_id, support_id, status, changed_at)
              values (${organisationId}, ${row!.id}, ${status}, ${at})`);
        };
        const conversation = (
          personId: string,
          happenedOn: string | null,
          createdAt = '2025-01-01T12:00:00Z',
        ) =>
          run(sql`insert into coaching_entry (organisation_id, person_id, kind, talked_about, happened_on, created_at)
            values (${organisationId}, ${personId}, 'conversation', 'Talked', ${happenedOn}, ${createdAt})`);
        const goal = async (personId: string, status: string, changedAt: string | null, scaled = false) => {
          const [row] = await rowsOf<{ id: string }>(
            run(sql`insert into coaching_goal (organisation_id, person_id, words, status, status_changed_at, gas_levels,
                gas_importance, gas_difficulty)
              values (${organisationId}, ${personId}, 'A goal', ${status}, ${changedAt},
                ${scaled ? '["a","b","c","d","e"]' : null}::jsonb, ${scaled ? 2 : null}, ${scaled ? 2 : null})
              returning id`),
          );
          return row!.id;
        };
        const gasRating = (goalId: string, personId: string, level: number, at: string) =>
          run(sql`insert into coaching_goal_rating (organisation_id, goal_id, person_id, level, rated_at)
            values (${organisationId}, ${goalId}, ${personId}, ${level}, ${at})`);
        const scale = async (personId: string, ratings: [number, string][]) => {
          const [row] = await rowsOf<{ id: string }>(
            run(sql`insert into where_i_am_scale (organisation_id, person_id, name)
              values (${organisationId}, ${personId}, 'Settled') returning id`),
          );
          for (const [value, at] of ratings)
            await run(sql`insert into where_i_am_rating (organisation_id, scale_id, person_id, value, rated_at)
              values (${organisationId}, ${row!.id}, ${personId}, ${value}, ${at})`);
        };

        const [a, b, c, d, e, f, g] = [
          await person('A'),
          await person('B'),
          await person('C'),
          await person('D'),
          await person('E'),
          await person('F'),
          await person('G'),
        ] as [string, string, string, string, string, string, string];
        // A: supported since before the period. B: began in February, paused, ended in March. C: asked,
        // began and ended in January. D: ended in 2024 and came back in March. E: began at 00:30 on
        // 1 April in the UK (23:30 on 31 March UTC, summer time), after the period. F only asked.
        // G ended at 23:30 on 31 December, before it.
        await support(a, [['active', '2024-11-10T10:00:00Z']]);
        await support(b, [
          ['active', '2025-02-05T10:00:00Z'],
          ['paused', '2025-02-20T10:00:00Z'],
          ['ended', '2025-03-10T10:00:00Z'],
        ]);
        await support(c, [
          ['asked', '2025-01-02T10:00:00Z'],
          ['active', '2025-01-15T10:00:00Z'],
          ['ended', '2025-01-31T12:00:00Z'],
        ]);
        await support(d, [
          ['active', '2024-06-01T10:00:00Z'],
          ['ended', '2024-09-01T10:00:00Z'],
          ['active', '2025-03-05T10:00:00Z'],
        ]);
        await support(e, [['active', '2025-03-31T23:30:00Z']]);
        await support(f, [['asked', '2025-02-01T10:00:00Z']]);
        await support(g, [
          ['active', '2024-01-01T10:00:00Z'],
          ['ended', '2024-12-31T23:30:00Z'],
        ]);

        // Conversations: A 3 (one written at 23:30 on 28 February, still February), B 1 (another written
        // at 23:30 UTC on 31 March is April in the UK), C none, D 2; outside the period: A's in December, E's.
        await conversation(a, '2025-01-10');
        await conversation(a, '2025-02-10');
        await conversation(a, null, '2025-02-28T23:30:00Z');
        await conversation(a, '2024-12-31');
        await conversation(b, '2025-03-01');
        await conversation(b, null, '2025-03-31T23:30:00Z');
        await conversation(d, '2025-03-06');
        await conversation(d, '2025-03-20');
        await conversation(e, '2025-04-02');
        await run(sql`insert into coaching_entry (organisation_id, person_id, kind, talked_about, happened_on)
          values (${organisationId}, ${a}, 'own', 'My own words', '2025-02-11')`);

        // Goals: reached in January and February, let go in March; one reached in April (UK), one in
        // December, one still being worked on.
        await goal(a, 'reached', '2025-01-20T10:00:00Z');
        await goal(b, 'reached', '2025-03-31T23:30:00Z');
        await goal(c, 'reached', '2025-02-15T10:00:00Z');
        await goal(d, 'let-go', '2025-03-02T10:00:00Z');
        await goal(a, 'working-on', null);
        await goal(a, 'reached', '2024-12-15T10:00:00Z');

        // Goal Attainment Scaling: A's goal ends the period at +1 (as expected or better), B's at -1 (its 0
        // came in April in the UK), D's was rated only in December.
        const scaledA = await goal(a, 'working-on', null, true);
        const scaledB = await goal(b, 'working-on', null, true);
        const scaledD = await goal(d, 'working-on', null, true);
        await gasRating(scaledA, a, -1, '2025-01-05T10:00:00Z');
        await gasRating(scaledA, a, 1, '2025-03-01T10:00:00Z');
        await gasRating(scaledB, b, -1, '2025-02-10T10:00:00Z');
        await gasRating(scaledB, b, 0, '2025-03-31T23:30:00Z');
        await gasRating(scaledD, d, 2, '2024-12-01T10:00:00Z');

        // Scales: A up 3 on one and down 3 on another (nought: not up); B's first scale has one rating in
        // the period (its second is April in the UK), the other goes up 1; D's December rating is outside,
        // so 6 then 5 (down); C from 1 to 8 (up). Rated twice: A, B, C, D; moved up: B, C.
        await scale(a, [
          [3, '2025-01-05T10:00:00Z'],
          [5, '2025-02-05T10:00:00Z'],
          [6, '2025-03-05T10:00:00Z'],
        ]);
        await scale(a, [
          [7, '2025-01-06T10:00:00Z'],
          [4, '2025-03-06T10:00:00Z'],
        ]);
        await scale(b, [
          [2, '2025-02-01T10:00:00Z'],
          [4, '2025-03-31T23:30:00Z'],
        ]);
        await scale(b, [
          [5, '2025-01-10T10:00:00Z'],
          [6, '2025-02-10T10:00:00Z'],
        ]);
        await scale(d, [
          [4, '2024-12-31T23:30:00Z'],
          [6, '2025-03-01T10:00:00Z'],
          [5, '2025-03-02T10:00:00Z'],
        ]);
        await scale(c, [
          [1, '2025-01-03T10:00:00Z'],
          [8, '2025-01-20T10:00:00Z'],
        ]);

        const { coaching } = await import('../src/modules/coaching/index.tsx');
        return coaching.statistics!(scope, periodOf('2025-01', '2025-03')!);
      });
      const byKey = new Map(stats.map((s) => [s.key, s]));
      const figure = (key: string) => {
        const found = byKey.get(key);
        assert.ok(found, `no figure ${key}`);
        return found;
      };
      const expect = (key: string, value: number | null, months?: number[]) => {
        assert.equal(figure(key).value, value, key);
        assert.deepEqual(figure(key).byMonth, months, `${key} by month`);
      };
      expect('people-supported', 4, [2, 2, 3]);
      expect('people-new', 2, [1, 1, 0]);
      expect('people-returning', 2, [1, 1, 3]);
      expect('conversations', 6, [1, 2, 3]);
      // Conversations each: C 0, B 1, D 2, A 3; the middle 1.5, quartiles 0.75 and 2.25 (to one place).
      expect('conversations-median', 1.5);
      assert.deepEqual(figure('conversations-median').spread, { lower: 0.8, upper: 2.3 });
      expect('goals-reached', 2, [1, 1, 0]);
      expect('goals-let-go', 1, [0, 0, 1]);
      expect('gas-goals-rated', 2);
      expect('gas-goals-as-expected', 1);
      expect('gas-goals-as-expected-share', 50);
      expect('rated-twice', 4);
      expect('moved-up', 2);
      expect('moved-up-share', 50);

      assert.deepEqual(figure('conversations').derivation, {
        label: 'statistics.from.conversations',
        values: { conversations: 6 },
      });
      // Five scales rated at least twice in the period, with 3 + 2 + 2 + 2 + 2 ratings.
      assert.deepEqual(figure('moved-up').derivation.values, { ratings: 11, scales: 5 });
      assert.deepEqual(figure('gas-goals-rated').derivation.values, { ratings: 3 });
      for (const key of ['people-supported', 'people-new', 'people-returning', 'rated-twice', 'moved-up'])
        assert.equal(figure(key).countsPeople, true, key);
      for (const key of ['conversations', 'conversations-median', 'goals-reached', 'goals-let-go'])
        assert.equal(figure(key).countsPeople, false, key);
      assert.equal(figure('people-new').partOf, 'people-supported');
      assert.equal(figure('people-returning').partOf, 'people-supported');
      assert.deepEqual(figure('moved-up-share').rate, {
        numerator: 'moved-up',
        denominator: 'rated-twice',
        per: 100,
      });
      assert.deepEqual([...new Set(stats.map((s) => s.section))], ['reach', 'sessions', 'goals', 'distance']);

      // Every label and derivation has words in English and Welsh.
      const { coaching } = await import('../src/modules/coaching/index.tsx');
      for (const language of ['en', 'cy'] as const) {
        const words = coaching.catalogues![language] as Record<string, unknown>;
        const lookUp = (key: string) =>
          key
            .split('.')
            .reduce<unknown>((at, part) => (at as Record<string, unknown> | undefined)?.[part], words);
        for (const s of stats) {
          assert.equal(typeof lookUp(s.label), 'string', `${language} ${s.label}`);
          assert.equal(typeof lookUp(s.derivation.label), 'string', `${language} ${s.derivation.label}`);
        }
      }
    });

    it('has no middle figure for a period with nobody supported', async () => {
      const organisationId = crypto.randomUUID();
      await database.db.execute(
        sql`insert into organisation (id, slug, name) values (${organisationId}, ${`empty-${organisationId.slice(0, 8)}`}, 'Empty')`,
      );
      const stats = await withOrganisation(database, { organisationId }, async (scope) => {
        const { coaching } = await import('../src/modules/coaching/index.tsx');
        return coaching.statistics!(scope, periodOf('2025-01', '2025-03')!);
      });
      const byKey = new Map(stats.map((s) => [s.key, s]));
      assert.equal(byKey.get('people-supported')?.value, 0);
      assert.deepEqual(byKey.get('people-supported')?.byMonth, [0, 0, 0]);
      assert.equal(byKey.get('conversations-median')?.value, null);
      assert.equal(byKey.get('moved-up-share')?.value, null);
    });
  });
}
