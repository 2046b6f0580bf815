import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type SQL, sql } from 'drizzle-orm';
import type { Database } from '../src/core/database/connect.ts';
import { rowsOf, withSystem } from '../src/core/database/tenancy.ts';
import { buildTestApp, Visitor } from './helpers/app.ts';
import { databaseKinds } from './helpers/databases.ts';

const riverside = '00000000-0000-4000-8000-000000000001';
const jordanId = '00000000-0000-4000-8100-000000000006';
const amaraId = '00000000-0000-4000-8100-000000000003';
const cwmTegTeam = '00000000-0000-4000-8000-a00000000002';

async function count(database: Database, query: SQL): Promise<number> {
  const [row] = await rowsOf<{ n: number }>(withSystem(database, (tx) => tx.execute(query)));
  return row!.n;
}

const found = (body: string, pattern: RegExp) => {
  const match = pattern.exec(body);
  assert.ok(match, `nothing matches ${pattern}`);
  return match[1]!;
};

for (const kind of databaseKinds()) {
  describe(`teams inside an organisation on ${kind.name}`, () => {
    let database: Database;
    let app: Awaited<ReturnType<typeof buildTestApp>>['app'];
    let priya: Visitor;
    let amara: Visitor;
    let gareth: Visitor;
    let kai: Visitor;
    let northside = '';
    let kaiId = '';

    before(async () => {
      database = await kind.open();
      ({ app } = await buildTestApp(database));
      priya = new Visitor(app);
      await priya.signIn('admin@riverside.example');
      amara = new Visitor(app, '198.51.100.61');
      await amara.signIn('coach@riverside.example');
      gareth = new Visitor(app, '198.51.100.62');
      await gareth.signIn('lead@riverside.example');
      await gareth.get('/choose-organisation');
      await gareth.post('/choose-organisation', { organisation: riverside });
    });
    after(() => database.close());

    it('starts every organisation with one team holding everyone', async () => {
      await priya.get('/admin/teams');
      assert.match(priya.lastBody, /Riverside Community Coaching/);
      const [teams] = await rowsOf<{ n: number; staff: number; people: number }>(
        withSystem(database, (tx) =>
          tx.execute(sql`select count(*)::int as n,
            (select count(*)::int from team_member where organisation_id = ${riverside} and until is null) as staff,
            (select count(*)::int from team_person where organisation_id = ${riverside} and until is null) as people
            from team where organisation_id = ${riverside}`),
        ),
      );
      assert.equal(teams!.n, 1);
      assert.ok(teams!.staff >= 3 && teams!.people >= 3, JSON.stringify(teams));
    });

    it('lets an admin make a second team, keeping what was typed when something is wrong', async () => {
      await priya.get('/admin/teams');
      const wrong = await priya.post('/admin/teams', {
        name: 'Northside',
        nameCy: 'Gogledd',
        kind: 'ward',
        beds: '0',
      });
      assert.equal(wrong.status, 400);
      assert.match(priya.lastBody, /id="beds-error"[\s\S]*whole number from 1 to 1000/);
      assert.match(priya.lastBody, /value="Gogledd"/);
      const made = await priya.post('/admin/teams', {
        name: 'Northside',
        nameCy: 'Gogledd',
        kind: 'coaching',
        beds: '',
      });
      assert.equal(made.status, 303);
      northside = found(made.headers.get('location')!, /\/admin\/teams\/([0-9a-f-]{36})/);
      // A new coach, Kai, joins Northside only.
      await priya.get('/admin/people/new');
      const added = await priya.post('/admin/people', {
        calledName: 'Kai',
        email: 'kai@example.org',
        roles: ['coach'],
      });
      kaiId = found(added.headers.get('location')!, /\/admin\/people\/([0-9a-f-]{36})/);
      await priya.get(`/admin/teams/${northside}`);
      assert.equal(
        (await priya.post(`/admin/teams/${northside}/join`, { person: kaiId, role: 'coach' })).status,
        303,
      );
      await priya.get(`/admin/teams/${northside}`);
      assert.match(priya.lastBody, /Kai[\s\S]*Coach/);
      // Kai takes up the invitation the admin sent (the admin may see their own invitation's link).
      await priya.get('/admin/outbox');
      const link = found(priya.lastBody, /http:\/\/localhost:3000(\/invitation\/[A-Za-z0-9_-]+)/);
      kai = new Visitor(app, '198.51.100.63');
      await kai.get(link);
      await kai.post(link, { password: 'kai walks alongside', confirm: 'kai walks alongside' });
      assert.equal((await kai.get('/coaching')).status, 200);
    });

    it("gives another organisation's team 404 and writes nothing", async () => {
      const before = await count(database, sql`select count(*)::int as n from team_member`);
      assert.equal((await priya.get(`/admin/teams/${cwmTegTeam}`)).status, 404);
      await priya.get(`/admin/teams/${northside}`);
      assert.equal(
        (await priya.post(`/admin/teams/${cwmTegTeam}/join`, { person: kaiId, role: 'coach' })).status,
        404,
      );
      assert.equal((await priya.post(`/admin/teams/${cwmTegTeam}`, { name: 'Taken over' })).status, 404);
      assert.equal(await count(database, sql`select count(*)::int as n from team_member`), before);
      assert.equal(
        await count(database, sql`select count(*)::int as n from team where name = 'Taken over'`),
        0,
      );
    });

    it('a coach of one team cannot find or write about a person only in another, and nothing is written', async () => {
      assert.equal(
        (await amara.get(`/coaching/people/${jordanId}`)).status,
        200,
        'Amara is in Jordan’s team',
      );
      assert.equal((await kai.get(`/coaching/people/${jordanId}`)).status, 404);
      assert.equal((await kai.get(`/coaching/people/${jordanId}/everything`)).status, 404);
      await kai.get('/coaching?everyone=yes');
      assert.doesNotMatch(kai.lastBody, /Jordan/);
      const entries = sql`select count(*)::int as n from coaching_entry where person_id = ${jordanId}`;
      const before = await count(database, entries);
      await kai.get('/coaching/conversation');
      const posted = await kai.post('/coaching/conversation', {
        person: jordanId,
        talkedAbout: 'Not my team',
      });
      assert.equal(posted.status, 400);
      assert.equal(await count(database, entries), before);
      assert.equal(
        (await kai.post(`/coaching/people/${jordanId}/everything`, { talkedAbout: 'x' })).status,
        404,
      );
      assert.equal(await count(database, entries), before);
      // Personal budget and barriers follow the same teams.
      assert.equal((await kai.get(`/budget/people/${jordanId}`)).status, 404);
      const [barrier] = await rowsOf<{ id: string }>(
        withSystem(database, (tx) =>
          tx.execute(sql`select id from barrier where person_id = ${jordanId} limit 1`),
        ),
      );
      assert.equal((await kai.get(`/barriers/${barrier!.id}`)).status, 404);
      await kai.get('/barriers/new');
      assert.doesNotMatch(kai.lastBody, /<option value="00000000-0000-4000-8100-000000000006"/);
    });

    it('a coach starting to support someone puts them with their own team, out of sight of the other', async () => {
      await kai.get('/coaching/start');
      const started = await kai.post('/coaching/start', { calledName: 'Zed' });
      assert.equal(started.status, 303);
      const zedId = found(started.headers.get('location')!, /\/coaching\/people\/([0-9a-f-]{36})/);
      assert.equal((await kai.get(`/coaching/people/${zedId}`)).status, 200);
      assert.equal((await amara.get(`/coaching/people/${zedId}`)).status, 404);
    });

    it('someone who asks for a coach with no team yet is seen by the leads, who place them', async () => {
      const visitor = new Visitor(app, '203.0.113.70');
      await visitor.get('/ask/riverside');
      await visitor.post('/ask/riverside', {
        calledName: 'Wren',
        howToReach: 'text 07700 900321',
        consent: 'yes',
      });
      const [wren] = await rowsOf<{ id: string }>(
        withSystem(database, (tx) =>
          tx.execute(
            sql`select id from person where organisation_id = ${riverside} and called_name = 'Wren'`,
          ),
        ),
      );
      assert.equal((await gareth.get(`/coaching/people/${wren!.id}`)).status, 200, 'a lead sees them');
      assert.equal((await amara.get(`/coaching/people/${wren!.id}`)).status, 404, 'a coach does not yet');
      await gareth.get('/coaching/handover');
      const placed = await gareth.post('/coaching/handover', {
        whose: 'person',
        person: wren!.id,
        toCoach: amaraId,
        toTeam: '',
      });
      // Wren is with no team, so Amara cannot be given them without a team.
      assert.equal(placed.status, 400);
      assert.match(gareth.lastBody, /not in a team they will be with/);
      assert.match(gareth.lastBody, new RegExp(`<option value="${wren!.id}" selected`));
    });

    it('a lead hands a person over in one step, and the person sees who walks alongside them now', async () => {
      await gareth.get('/coaching/handover');
      const wrong = await gareth.post('/coaching/handover', {
        whose: 'person',
        person: jordanId,
        toCoach: amaraId,
        toTeam: northside,
      });
      assert.equal(wrong.status, 400, 'Amara is not in Northside');
      const before = await count(
        database,
        sql`select count(*)::int as n from coaching_coach_change where previous_coach_id = ${amaraId}`,
      );
      const handed = await gareth.post('/coaching/handover', {
        whose: 'person',
        person: jordanId,
        toCoach: kaiId,
        toTeam: northside,
      });
      assert.equal(handed.status, 303);
      assert.equal(handed.headers.get('location'), '/coaching?done=handedOver&count=1');
      await gareth.get(handed.headers.get('location')!);
      assert.match(gareth.lastBody, /1 person has been handed over/);
      assert.equal((await kai.get(`/coaching/people/${jordanId}`)).status, 200);
      assert.equal((await amara.get(`/coaching/people/${jordanId}`)).status, 404);
      assert.equal(
        await count(
          database,
          sql`select count(*)::int as n from coaching_coach_change where previous_coach_id = ${amaraId}`,
        ),
        before + 1,
        'the history keeps who it was',
      );
      const jordan = new Visitor(app, '198.51.100.64');
      await jordan.signIn('person@riverside.example');
      await jordan.get('/me');
      assert.match(jordan.lastBody, /Walking alongside you: Kai, since \d{1,2} \w+ \d{4}/);
      assert.match(jordan.lastBody, /Before[\s\S]*Amara, until/);
    });

    it('a lead hands over a whole caseload at once, all or nothing', async () => {
      const caseload = await count(
        database,
        sql`select count(*)::int as n from coaching_support where coach_id = ${amaraId} and status <> 'ended'`,
      );
      assert.ok(caseload >= 1);
      await gareth.get('/coaching/handover');
      // Kai is not in Riverside's first team: nobody moves.
      const refused = await gareth.post('/coaching/handover', {
        whose: 'caseload',
        fromCoach: amaraId,
        toCoach: kaiId,
      });
      assert.equal(refused.status, 400);
      assert.equal(
        await count(
          database,
          sql`select count(*)::int as n from coaching_support where coach_id = ${amaraId} and status <> 'ended'`,
        ),
        caseload,
      );
      const garethId = '00000000-0000-4000-8100-000000000002';
      const moved = await gareth.post('/coaching/handover', {
        whose: 'caseload',
        fromCoach: amaraId,
        toCoach: garethId,
      });
      assert.equal(moved.status, 303);
      assert.equal(
        await count(
          database,
          sql`select count(*)::int as n from coaching_support where coach_id = ${amaraId} and status <> 'ended'`,
        ),
        0,
      );
    });

    it("makes a team's reflective space and check-ins mean that team", async () => {
      await kai.get('/learning/spaces');
      const made = await kai.post('/learning/spaces', {
        name: 'Northside reflective space',
        firstDate: new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10),
        time: '14:00',
        everyDays: '14',
        minutes: '90',
        place: 'The library',
      });
      assert.equal(made.status, 303, kai.lastBody.slice(0, 300));
      const seriesPath = made.headers.get('location')!.split('?')[0]!;
      assert.equal((await kai.get(seriesPath)).status, 200);
      assert.equal((await amara.get(seriesPath)).status, 404, "another team's space is not Amara's");
      await amara.get('/learning/spaces');
      assert.doesNotMatch(amara.lastBody, /Northside reflective space/);
      // The space's date shows only Northside's staff to mark as there.
      await kai.get(seriesPath);
      const date = found(kai.lastBody, /href="(\/learning\/spaces\/[0-9a-f-]{36}\/[0-9a-f-]{36})"/);
      await kai.get(date);
      assert.match(kai.lastBody, />Kai</);
      assert.doesNotMatch(kai.lastBody, />Amara</);
      // Asking a colleague for a conversation offers the team, not the whole organisation.
      await kai.get('/learning/wellbeing');
      assert.doesNotMatch(kai.lastBody, /<option value="00000000-0000-4000-8100-000000000003"/);
      await amara.get('/learning/wellbeing');
      assert.match(
        amara.lastBody,
        /<option value="00000000-0000-4000-8100-000000000002"/,
        'Gareth is in Amara’s team',
      );
    });

    it('keeps the handover page for leads', async () => {
      assert.equal((await amara.get('/coaching/handover')).status, 403);
      assert.equal((await priya.get('/coaching/handover')).status, 403);
    });
  });
}
