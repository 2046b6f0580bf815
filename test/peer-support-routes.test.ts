import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Database } from '../src/core/database/connect.ts';
import { rowsOf, withOrganisation } from '../src/core/database/tenancy.ts';
import { createPerson } from '../src/core/people.ts';
import { lastWholeMonths, periodOf } from '../src/core/periods.ts';
import { modules } from '../src/modules/index.ts';
import { overlappingTimes, slotsOf } from '../src/modules/peer-support/peers.ts';
import { sessionMinutes } from '../src/modules/peer-support/routes/link-up.tsx';
import { buildTestApp, recordWriter, Visitor } from './helpers/app.ts';
import { databaseKinds } from './helpers/databases.ts';

const riverside = '00000000-0000-4000-8000-000000000001';
const cwmTeg = '00000000-0000-4000-8000-000000000002';
const tomaszId = '00000000-0000-4000-8100-000000000004';

async function query<T>(database: Database, organisationId: string, text: ReturnType<typeof sql>) {
  return withOrganisation(database, { organisationId }, (scope) => rowsOf<T>(scope.tx.execute(text)));
}

const match = (body: string, pattern: RegExp) => {
  const found = pattern.exec(body);
  assert.ok(found, `nothing matches ${pattern}`);
  return found[1]!;
};

/** The visible words of a page's main part, tags and spaces squeezed out. */
const mainText = (body: string) =>
  (/<main[\s\S]*<\/main>/.exec(body)?.[0] ?? '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

describe('free times and session hours', () => {
  it('finds free times that overlap on the same day, and only those', () => {
    assert.equal(
      overlappingTimes([
        { day: 'tue', from: 9, to: 12 },
        { day: 'tue', from: 11, to: 13 },
      ]),
      true,
    );
    assert.equal(
      overlappingTimes([
        { day: 'tue', from: 9, to: 12 },
        { day: 'tue', from: 12, to: 14 },
      ]),
      false,
    );
    assert.equal(
      overlappingTimes([
        { day: 'tue', from: 9, to: 12 },
        { day: 'wed', from: 9, to: 12 },
      ]),
      false,
    );
  });
  it('turns free times into the weekly slots matching compares', () => {
    assert.deepEqual(slotsOf([{ day: 'tue', from: 9, to: 12 }]), ['tue-morning']);
    assert.deepEqual(slotsOf([{ day: 'mon', from: 11, to: 19 }]), [
      'mon-morning',
      'mon-afternoon',
      'mon-evening',
    ]);
  });
  it('takes whole hours and minutes, more than nothing and at most twelve hours', () => {
    assert.equal(sessionMinutes('1', '30'), 90);
    assert.equal(sessionMinutes('', '45'), 45);
    assert.equal(sessionMinutes('0', '0'), null);
    assert.equal(sessionMinutes('-2', '0'), null);
    assert.equal(sessionMinutes('13', '0'), null);
    assert.equal(sessionMinutes('1.5', '0'), null);
    assert.equal(sessionMinutes('1', '75'), null);
  });
});

for (const kind of databaseKinds()) {
  describe(`peer support pages on ${kind.name}`, () => {
    let database: Database;
    let app: Awaited<ReturnType<typeof buildTestApp>>['app'];
    let amara: Visitor;
    let tomasz: Visitor;
    let helen: Visitor;
    let dafydd: Visitor;
    let jordan: Visitor;
    let linkUpId = '';
    let familyRequestId = '';

    before(async () => {
      database = await kind.open();
      ({ app } = await buildTestApp(database));
      amara = new Visitor(app);
      await amara.signIn('coach@riverside.example');
      tomasz = new Visitor(app, '203.0.113.8');
      await tomasz.signIn('peer@riverside.example');
      helen = new Visitor(app, '203.0.113.9');
      await helen.signIn('partner@riverside.example');
      dafydd = new Visitor(app, '203.0.113.10');
      await dafydd.signIn('coach@cwmteg.example');
      jordan = new Visitor(app, '203.0.113.11');
      await jordan.signIn('person@riverside.example');
    });
    after(() => database.close());

    it('seeds a scheme like the case study: about thirty trained peers, over a thousand hours, some into work', async () => {
      const module = modules.find((m) => m.id === 'peer-support')!;
      const figures = await withOrganisation(database, { organisationId: riverside }, (scope) =>
        module.statistics!(scope, lastWholeMonths(36)),
      );
      const figure = (key: string) => figures.find((f) => f.key === key)?.value ?? -1;
      const [row] = await query<{ trained: number }>(
        database,
        riverside,
        sql`select count(*)::int as trained from peer_profile where level_key is not null`,
      );
      assert.ok(row!.trained >= 25 && row!.trained <= 35, `${row!.trained} trained peers`);
      assert.ok(figure('volunteers-trained') > 0 && figure('volunteers-trained') <= row!.trained);
      assert.ok(figure('hours-of-support') > 1000, `${figure('hours-of-support')} hours`);
      assert.ok(figure('peers-into-work') >= 5);
      assert.ok(figure('link-ups-started') > 0 && figure('people-reached') > 0);
      const [welsh] = await query<{ n: number }>(
        database,
        cwmTeg,
        sql`select count(*)::int as n from peer_profile where languages ? 'cy'`,
      );
      assert.ok(welsh!.n >= 5);
    });

    it('gives the impact report reach, hours, training and work that equal what is worked out by hand', async () => {
      const organisationId = crypto.randomUUID();
      await database.db.execute(
        sql`insert into organisation (id, slug, name) values (${organisationId}, ${`figures-${organisationId.slice(0, 8)}`}, 'Figures')`,
      );
      const module = modules.find((m) => m.id === 'peer-support')!;
      const figures = await withOrganisation(database, { organisationId }, async (scope) => {
        const run = (text: ReturnType<typeof sql>) => scope.tx.execute(text);
        const one = async (text: ReturnType<typeof sql>) => (await rowsOf<{ id: string }>(run(text)))[0]!.id;
        const person = (calledName: string) => createPerson(scope, { calledName });
        const household = (name: string) =>
          one(
            sql`insert into peer_household (organisation_id, name) values (${organisationId}, ${name}) returning id`,
          );
        const peer = async (calledName: string) =>
          one(sql`insert into peer_profile (organisation_id, person_id)
            values (${organisationId}, ${await person(calledName)}) returning id`);
        const request = (personId: string, householdId: string | null) =>
          one(sql`insert into peer_request (organisation_id, person_id, household_id, words)
            values (${organisationId}, ${personId}, ${householdId}, 'Someone to talk to') returning id`);
        const linkUp = async (requestId: string, profileId: string, changes: [string, string][]) => {
          const id = await one(sql`insert into peer_link_up (organisation_id, request_id, profile_id, stage)
            values (${organisationId}, ${requestId}, ${profileId}, ${changes.at(-1)![0]}) returning id`);
          for (const [stage, at] of changes)
            await run(sql`insert into peer_link_up_change (organisation_id, link_up_id, stage, changed_at)
              values (${organisationId}, ${id}, ${stage}, ${at})`);
          return id;
        };
        const session = (linkUpId: string, happenedOn: string, minutes: number) =>
          run(sql`insert into peer_session (organisation_id, link_up_id, happened_on, minutes, what_we_did)
            values (${organisationId}, ${linkUpId}, ${happenedOn}, ${minutes}, 'A walk')`);
        const level = (profileId: string, at: string) =>
          run(sql`insert into peer_level_change (organisation_id, profile_id, level_key, confirmed_at)
            values (${organisationId}, ${profileId}, 'listener', ${at})`);
        const step = (profileId: string, kind: string, reachedOn: string | null) =>
          run(sql`insert into peer_journey_step (organisation_id, profile_id, kind, words, reached_on)
            values (${organisationId}, ${profileId}, ${kind}, 'A job', ${reachedOn})`);

        const [sam, sara, sion, sue] = [
          await person('Sam'),
          await person('Sara'),
          await person('Siôn'),
          await person('Sue'),
        ];
        const [pia, pat, pol] = [await peer('Pia'), await peer('Pat'), await peer('Pol')];
        const [onePlace, another] = [await household('The Joneses'), await household('The Smiths')];
        // Introduced in the period: Sam (the Joneses) in January and again in March, Sara (the Joneses)
        // in February, Siôn at 23:30 on 31 March in the UK (22:30 UTC). Sue's link-up was introduced at
        // 00:30 on 1 April in the UK (23:30 UTC on 31 March): after the period. One still suggested.
        const first = await linkUp(await request(sam, onePlace), pia, [
          ['introduced', '2025-01-15T10:00:00Z'],
          ['active', '2025-02-01T10:00:00Z'],
        ]);
        const second = await linkUp(await request(sara, onePlace), pat, [
          ['introduced', '2025-02-10T10:00:00Z'],
        ]);
        await linkUp(await request(sion, null), pia, [['introduced', '2025-03-31T22:30:00Z']]);
        await linkUp(await request(sam, null), pol, [['introduced', '2025-03-05T10:00:00Z']]);
        await linkUp(await request(sue, another), pat, [['introduced', '2025-03-31T23:30:00Z']]);
        await linkUp(await request(sue, another), pol, [['suggested', '2025-02-01T10:00:00Z']]);
        // Sessions: 60 minutes in January, 90 in February, 30 on 31 March; not 1 April or 31 December.
        await session(first, '2025-01-20', 60);
        await session(second, '2025-02-11', 90);
        await session(first, '2025-03-31', 30);
        await session(first, '2025-04-01', 120);
        await session(first, '2024-12-31', 45);
        // First levels: Pia's in December (her second, in February, is not a first), Pat's at 23:30 on
        // 31 March in the UK, Pol's at 00:30 on 1 April in the UK.
        await level(pia, '2024-12-01T10:00:00Z');
        await level(pia, '2025-02-01T10:00:00Z');
        await level(pat, '2025-03-31T22:30:00Z');
        await level(pol, '2025-03-31T23:30:00Z');
        // Into work: Pia twice in the period (one peer), Pat not yet and in April, Pol into study.
        await step(pia, 'work', '2025-02-01');
        await step(pia, 'work', '2025-03-01');
        await step(pat, 'work', null);
        await step(pat, 'work', '2025-04-01');
        await step(pol, 'study', '2025-02-01');
        return module.statistics!(scope, periodOf('2025-01', '2025-03')!);
      });
      const figure = (key: string) => figures.find((f) => f.key === key)!;
      const linkUps = { label: 'statistics.from.linkUps', values: { linkUps: 4 } };
      assert.deepEqual(
        { ...figure('people-reached') },
        {
          key: 'people-reached',
          label: 'statistics.peopleReached',
          section: 'reach',
          unit: 'people',
          value: 3,
          byMonth: [1, 1, 2],
          derivation: linkUps,
          countsPeople: true,
        },
      );
      assert.equal(figure('households-reached').value, 1);
      assert.deepEqual(figure('households-reached').byMonth, [1, 1, 0]);
      assert.equal(figure('households-reached').countsPeople, true);
      // 60 + 90 + 30 minutes.
      assert.equal(figure('hours-of-support').value, 3);
      assert.deepEqual(figure('hours-of-support').byMonth, [1, 1.5, 0.5]);
      assert.equal(figure('hours-of-support').unit, 'hours');
      assert.deepEqual(figure('hours-of-support').derivation, {
        label: 'statistics.from.sessions',
        values: { sessions: 3 },
      });
      assert.equal(figure('volunteers-trained').value, 1);
      assert.equal(figure('volunteers-trained').section, 'volunteers');
      assert.equal(figure('peers-into-work').value, 1);
      assert.deepEqual(figure('peers-into-work').derivation.values, { steps: 2 });
      assert.equal(figure('link-ups-started').value, 4);
      assert.equal(figure('link-ups-started').countsPeople, false);
      assert.deepEqual(
        figures.map((f) => [f.key, f.unit, f.countsPeople]),
        [
          ['people-reached', 'people', true],
          ['households-reached', 'people', true],
          ['hours-of-support', 'hours', false],
          ['volunteers-trained', 'people', true],
          ['peers-into-work', 'people', true],
          ['link-ups-started', 'count', false],
        ],
      );
    });

    it('keeps each side to its own pages', async () => {
      assert.equal((await tomasz.get('/peer-support')).status, 403);
      assert.equal((await helen.get('/peer-support/matching')).status, 403);
      assert.equal((await jordan.get('/introduce')).status, 403);
      assert.equal((await jordan.get('/peer/profile')).status, 403);
      assert.equal((await amara.get('/peer-support')).status, 200);
    });

    it('refuses an introduction without consent, keeping what the partner typed, and changes nothing', async () => {
      const [before] = await query<{ n: number }>(
        database,
        riverside,
        sql`select count(*)::int as n from peer_request`,
      );
      await helen.get('/introduce');
      assert.match(helen.lastBody, /They agreed that I share their name/);
      const response = await helen.post('/introduce', {
        calledName: 'Kasia',
        howToReach: '07700 900123, mornings',
        words: '',
      });
      assert.equal(response.status, 400);
      assert.match(helen.lastBody, /Tick to say they agreed to be introduced/);
      assert.match(helen.lastBody, /value="Kasia"/);
      assert.match(helen.lastBody, /07700 900123, mornings/);
      const [after] = await query<{ n: number }>(
        database,
        riverside,
        sql`select count(*)::int as n from peer_request`,
      );
      assert.equal(after!.n, before!.n);
    });

    it('takes a partner introduction with consent, records the wording and tells the coach team in the app and by email', async () => {
      const response = await helen.post('/introduce', {
        calledName: 'Kasia',
        howToReach: '07700 900123, mornings',
        words: 'A new baby and no family here; would like someone who speaks Polish.',
        wholeFamily: 'yes',
        language: 'pl',
        languageMust: 'yes',
        consent: 'yes',
      });
      assert.equal(response.status, 303);
      assert.equal(response.headers.get('location'), '/introduce/thanks');
      const [request] = await query<{
        id: string;
        consent: string;
        language: string;
        must: boolean;
        household: string;
      }>(
        database,
        riverside,
        sql`select r.id, r.consent_wording as consent, r.language, r.language_must as must, h.name as household
          from peer_request r join person p on p.id = r.person_id left join peer_household h on h.id = r.household_id
          where p.called_name = 'Kasia'`,
      );
      familyRequestId = request!.id;
      assert.match(request!.consent, /Riverside Community Coaching links people with peers/);
      assert.equal(request!.language, 'pl');
      assert.equal(request!.must, true);
      assert.equal(request!.household, 'Kasia’s family');
      const mail = await query<{ to: string; body: string }>(
        database,
        riverside,
        sql`select to_address as to, body_text as body from outbox_message where subject like 'Someone new has been introduced%'`,
      );
      assert.deepEqual(mail.map((m) => m.to).sort(), ['coach@riverside.example', 'lead@riverside.example']);
      assert.ok(mail.every((m) => !m.body.includes('Kasia') && m.body.includes('/peer-support')));
      const unseen = async () => {
        await amara.get('/peer-support');
        return Number(/data-unseen="(\d+)"/.exec(amara.lastBody)?.[1] ?? 0);
      };
      const before = await unseen();
      assert.ok(before >= 1);
      assert.match(mainText(amara.lastBody), /Kasia introduced [\s\S]*? New/);
      await amara.get(`/peer-support/requests/${familyRequestId}`);
      assert.match(amara.lastBody, /07700 900123, mornings/);
      assert.equal(await unseen(), before - 1);
    });

    it('suggests one set of link-ups across everyone waiting, each explained, keeping a must-have language', async () => {
      await amara.get('/peer-support/matching');
      const text = mainText(amara.lastBody);
      assert.match(text, /Kasia with Tomasz both speak Polish/);
      // Nobody else speaks Polish, so nobody else is offered as a swap for Kasia.
      const card = match(amara.lastBody, new RegExp(`data-suggestion="${familyRequestId}"([\\s\\S]*?)</li>`));
      assert.doesNotMatch(card, /Or choose someone else/);
      const count = Number(match(text, /(\d+) suggestions? for \d+ waiting/));
      const waiting = Number(match(text, /suggestions? for (\d+) waiting/));
      assert.ok(count >= 4 && count <= waiting);
    });

    it('never suggests a rejected pair again', async () => {
      await amara.get('/peer-support/matching');
      const [, requestId, peerId] =
        /name="request" value="([^"]+)"\/?>\s*<input type="hidden" name="peer" value="([^"]+)"/.exec(
          amara.lastBody.slice(amara.lastBody.indexOf('/peer-support/matching/reject') - 400),
        )!;
      const other = [
        ...amara.lastBody.matchAll(
          /action="\/peer-support\/matching\/reject"[\s\S]*?name="request" value="([^"]+)"[\s\S]*?name="peer" value="([^"]+)"/g,
        ),
      ]
        .map((m) => [m[1]!, m[2]!])
        .find(([request]) => request !== familyRequestId)!;
      assert.ok(requestId && peerId);
      const response = await amara.post('/peer-support/matching/reject', {
        request: other[0]!,
        peer: other[1]!,
      });
      assert.equal(response.status, 303);
      await amara.get('/peer-support/matching');
      const pairs = [
        ...amara.lastBody.matchAll(
          /action="\/peer-support\/matching\/accept" class="alongside-inline-form">[\s\S]*?name="request" value="([^"]+)"[\s\S]*?name="peer" value="([^"]+)"/g,
        ),
      ].map((m) => `${m[1]} ${m[2]}`);
      assert.ok(!pairs.includes(`${other[0]} ${other[1]}`));
      // A forced accept of the rejected pair is refused too, and nothing is linked.
      const forced = await amara.post('/peer-support/matching/accept', {
        request: other[0]!,
        peer: other[1]!,
      });
      assert.equal(forced.status, 400);
      const [row] = await query<{ status: string }>(
        database,
        riverside,
        sql`select status from peer_request where id = ${other[0]!}`,
      );
      assert.equal(row!.status, 'waiting');
    });

    it('lets a coach swap a suggestion for another peer the engine allows', async () => {
      await amara.get('/peer-support/matching');
      const found =
        /action="\/peer-support\/matching\/accept" novalidate[^>]*>[\s\S]*?name="request" value="([^"]+)"[\s\S]*?<select[^>]*>\s*<option value="([^"]+)"/.exec(
          amara.lastBody,
        );
      assert.ok(found, 'a swap is offered');
      const [, requestId, peerId] = found;
      assert.notEqual(requestId, familyRequestId);
      const response = await amara.post('/peer-support/matching/accept', {
        request: requestId!,
        peer: peerId!,
      });
      assert.equal(response.status, 303);
      const [row] = await query<{ profile: string; stage: string }>(
        database,
        riverside,
        sql`select profile_id as profile, stage from peer_link_up where request_id = ${requestId!}`,
      );
      assert.deepEqual(row, { profile: peerId, stage: 'suggested' });
    });

    it('does not let another organisation see or act on these link-ups', async () => {
      const [peer] = await query<{ id: string }>(
        database,
        riverside,
        sql`select id from peer_profile where person_id = ${tomaszId}`,
      );
      assert.equal(
        (await dafydd.post('/peer-support/matching/accept', { request: familyRequestId, peer: peer!.id }))
          .status,
        404,
      );
      assert.equal((await dafydd.get(`/peer-support/requests/${familyRequestId}`)).status, 404);
      assert.equal((await dafydd.get(`/peer-support/peers/${peer!.id}`)).status, 404);
      const [linked] = await query<{ id: string }>(
        database,
        riverside,
        sql`select id from peer_link_up limit 1`,
      );
      assert.equal((await dafydd.get(`/peer/link-ups/${linked!.id}`)).status, 404);
      const [row] = await query<{ status: string }>(
        database,
        riverside,
        sql`select status from peer_request where id = ${familyRequestId}`,
      );
      assert.equal(row!.status, 'waiting');
    });

    it('accepts a suggestion; both sides agree once; the coach records the family’s agreement with them', async () => {
      const [peer] = await query<{ id: string }>(
        database,
        riverside,
        sql`select id from peer_profile where person_id = ${tomaszId}`,
      );
      await amara.get('/peer-support/matching');
      const response = await amara.post('/peer-support/matching/accept', {
        request: familyRequestId,
        peer: peer!.id,
      });
      assert.equal(response.status, 303);
      linkUpId = match(response.headers.get('location')!, /\/peer\/link-ups\/([^?]+)/);
      // Accepting the same request again finds it already linked.
      assert.equal(
        (await amara.post('/peer-support/matching/accept', { request: familyRequestId, peer: peer!.id }))
          .status,
        404,
      );

      await tomasz.get(`/peer/link-ups/${linkUpId}`);
      assert.match(mainText(tomasz.lastBody), /both speak Polish/);
      const none = await tomasz.post(`/peer/link-ups/${linkUpId}/agree`, {
        agreedWords: 'Walks',
        meeting: 'Fridays',
      });
      assert.equal(none.status, 400);
      assert.match(tomasz.lastBody, /Choose at least one kind of support/);
      assert.match(tomasz.lastBody, /Fridays/);
      const agreed = await tomasz.post(`/peer/link-ups/${linkUpId}/agree`, {
        supports: ['first-meeting', 'emotional'],
        agreedWords: 'Walks with the pram and a coffee.',
        meeting: 'Friday mornings at the park café',
      });
      assert.equal(agreed.status, 303);
      const twice = await tomasz.post(`/peer/link-ups/${linkUpId}/agree`, {
        supports: ['practical'],
        agreedWords: 'Something else',
        meeting: 'Sundays',
      });
      assert.equal(twice.status, 400);
      assert.match(tomasz.lastBody, /You have already agreed to this link-up/);
      const [row] = await query<{ supports: string[]; meeting: string; stage: string }>(
        database,
        riverside,
        sql`select supports, meeting, stage from peer_link_up where id = ${linkUpId}`,
      );
      assert.deepEqual(row, {
        supports: ['first-meeting', 'emotional'],
        meeting: 'Friday mornings at the park café',
        stage: 'suggested',
      });

      // Someone who is not one of the two sides finds nothing, and cannot agree for them.
      assert.equal((await jordan.get(`/peer/link-ups/${linkUpId}`)).status, 404);
      assert.equal(
        (await jordan.post(`/peer/link-ups/${linkUpId}/agree`, { supports: 'practical' })).status,
        404,
      );
      const family = await amara.post(`/peer/link-ups/${linkUpId}/agree`, {});
      assert.equal(family.status, 303);
      assert.match(family.headers.get('location')!, /done=introduced/);
      await amara.get(`/peer/link-ups/${linkUpId}`);
      assert.match(mainText(amara.lastBody), /Kasia has agreed \(recorded by the team with them\)/);
    });

    it('logs sessions from either side; refuses negative or absurd hours; the peer’s hours rise', async () => {
      await tomasz.get('/peer');
      const before = match(tomasz.lastBody, /data-hours[^>]*>([^<]+)</);
      for (const [hours, minutes] of [
        ['-1', '0'],
        ['40', '0'],
        ['0', '0'],
      ]) {
        const refused = await tomasz.post(`/peer/link-ups/${linkUpId}/sessions`, {
          happenedOn: new Date().toISOString().slice(0, 10),
          hours: hours!,
          minutes: minutes!,
          whatWeDid: 'A walk by the river',
        });
        assert.equal(refused.status, 400);
        assert.match(tomasz.lastBody, /no more than 12 hours/);
        assert.match(tomasz.lastBody, /A walk by the river/);
      }
      const future = await tomasz.post(`/peer/link-ups/${linkUpId}/sessions`, {
        happenedOn: '2999-01-01',
        hours: '1',
        minutes: '0',
        whatWeDid: 'A walk',
      });
      assert.equal(future.status, 400);
      const logged = await tomasz.post(`/peer/link-ups/${linkUpId}/sessions`, {
        happenedOn: new Date().toISOString().slice(0, 10),
        hours: '1',
        minutes: '30',
        whatWeDid: 'A walk by the river',
        howItFelt: 'Lighter',
      });
      assert.equal(logged.status, 303);
      await tomasz.get('/peer');
      const after = match(tomasz.lastBody, /data-hours[^>]*>([^<]+)</);
      const minutesOf = (text: string) =>
        Number(/(\d+) hours?/.exec(text)?.[1] ?? 0) * 60 + Number(/(\d+) minutes?/.exec(text)?.[1] ?? 0);
      assert.equal(minutesOf(after) - minutesOf(before), 90);
      const [row] = await query<{ stage: string; sessions: number }>(
        database,
        riverside,
        sql`select stage, (select count(*)::int from peer_session where link_up_id = ${linkUpId}) as sessions
          from peer_link_up where id = ${linkUpId}`,
      );
      assert.deepEqual(row, { stage: 'active', sessions: 1 });
    });

    it('keeps coach notes visible to both sides unless hidden with a reason, and pauses on labels', async () => {
      const paused = await amara.post(`/peer/link-ups/${linkUpId}/notes`, {
        note: 'Kasia is non-compliant with the plan.',
      });
      assert.equal(paused.status, 200);
      assert.match(amara.lastBody, /non-compliant/);
      const [none] = await query<{ n: number }>(
        database,
        riverside,
        sql`select count(*)::int as n from peer_coach_note where link_up_id = ${linkUpId}`,
      );
      assert.equal(none!.n, 0);
      assert.equal(
        (
          await amara.post(`/peer/link-ups/${linkUpId}/notes`, {
            note: 'Lovely first walk; Kasia wants to try the baby group.',
          })
        ).status,
        303,
      );
      assert.equal(
        (
          await amara.post(`/peer/link-ups/${linkUpId}/notes`, {
            note: 'A worry about a neighbour, to talk over first.',
          })
        ).status,
        303,
      );
      await tomasz.get(`/peer/link-ups/${linkUpId}`);
      assert.match(tomasz.lastBody, /Lovely first walk/);
      assert.match(tomasz.lastBody, /A worry about a neighbour/);
      await amara.get(`/peer/link-ups/${linkUpId}`);
      const [note] = await query<{ id: string }>(
        database,
        riverside,
        sql`select id from peer_coach_note where words like 'A worry%'`,
      );
      const noReason = await amara.post(`/peer/link-ups/${linkUpId}/notes/${note!.id}/hide`, {
        hideWords: '',
      });
      assert.equal(noReason.status, 400);
      const hidden = await amara.post(`/peer/link-ups/${linkUpId}/notes/${note!.id}/hide`, {
        reason: 'someone-else',
        hideWords: 'It is about a neighbour.',
      });
      assert.equal(hidden.status, 303);
      await tomasz.get(`/peer/link-ups/${linkUpId}`);
      assert.match(tomasz.lastBody, /Lovely first walk/);
      assert.doesNotMatch(tomasz.lastBody, /A worry about a neighbour/);
      const [audited] = await query<{ n: number }>(
        database,
        riverside,
        sql`select count(*)::int as n from audit_event where action = 'hide' and subject_type = 'peer-support:note'
          and not (detail::text like '%neighbour%')`,
      );
      assert.equal(audited!.n, 1);
    });

    it('refuses capacity below current link-ups and free times that overlap, changing nothing', async () => {
      const [before] = await query<{ capacity: number; open: number }>(
        database,
        riverside,
        sql`select p.capacity, (select count(*)::int from peer_link_up l where l.profile_id = p.id
            and l.stage in ('suggested', 'introduced', 'active', 'reviewed', 'paused')) as open
          from peer_profile p where person_id = ${tomaszId}`,
      );
      assert.ok(before!.open >= 1);
      await tomasz.get('/peer/profile');
      const base = { words: 'Our son was in special care.', area: 'RV1', day1: 'tue', from1: '9', to1: '12' };
      const low = await tomasz.post('/peer/profile', { ...base, capacity: String(before!.open - 1) });
      assert.equal(low.status, 400);
      assert.match(tomasz.lastBody, /You hold \d+ link-ups? now/);
      const overlap = await tomasz.post('/peer/profile', {
        ...base,
        capacity: '3',
        day2: 'tue',
        from2: '11',
        to2: '14',
      });
      assert.equal(overlap.status, 400);
      assert.match(tomasz.lastBody, /Two of your free times overlap/);
      const [after] = await query<{ capacity: number; words: string }>(
        database,
        riverside,
        sql`select capacity, words from peer_profile where person_id = ${tomaszId}`,
      );
      assert.equal(after!.capacity, before!.capacity);
      assert.notEqual(after!.words, base.words);
      const saved = await tomasz.post('/peer/profile', {
        ...base,
        capacity: '3',
        tags: 'neonatal',
        languages: ['en', 'pl'],
      });
      assert.equal(saved.status, 303);
    });

    it('reviews and ends a link-up with a celebration, asking for words first', async () => {
      assert.equal(
        (await amara.post(`/peer/link-ups/${linkUpId}/stage`, { to: 'reviewed', words: 'Going well' }))
          .status,
        303,
      );
      const [reviewed] = await query<{ stage: string; due: string }>(
        database,
        riverside,
        sql`select stage, (next_review_on - current_date)::int as due from peer_link_up where id = ${linkUpId}`,
      );
      assert.equal(reviewed!.stage, 'reviewed');
      assert.equal(Number(reviewed!.due), 70);
      const noWords = await amara.post(`/peer/link-ups/${linkUpId}/stage`, {
        to: 'ended',
        endedKind: 'celebration',
      });
      assert.equal(noWords.status, 400);
      const ended = await amara.post(`/peer/link-ups/${linkUpId}/stage`, {
        to: 'ended',
        endedKind: 'celebration',
        words: 'Kasia goes to the baby group on her own now.',
      });
      assert.equal(ended.status, 303);
      await tomasz.get(`/peer/link-ups/${linkUpId}`);
      assert.match(
        mainText(tomasz.lastBody),
        /What they celebrated Kasia goes to the baby group on her own now/,
      );
      // Nothing more is logged on an ended link-up.
      const late = await tomasz.post(`/peer/link-ups/${linkUpId}/sessions`, {
        happenedOn: new Date().toISOString().slice(0, 10),
        hours: '1',
        minutes: '0',
        whatWeDid: 'Coffee',
      });
      assert.equal(late.status, 400);
      await amara.get('/peer-support/board');
      assert.match(mainText(amara.lastBody), /Ended \(\d+\)[\s\S]*Tomasz with Kasia/);
    });

    it('moves a peer up a level only when a coach confirms with the training done', async () => {
      const [peer] = await query<{ id: string }>(
        database,
        riverside,
        sql`select id from peer_profile where person_id = ${tomaszId}`,
      );
      await amara.get(`/peer-support/peers/${peer!.id}`);
      const early = await amara.post(`/peer-support/peers/${peer!.id}/level`, { level: 'mentor' });
      assert.equal(early.status, 400);
      assert.match(amara.lastBody, /needs training that is not complete yet: Supporting other peers/);
      const skip = await amara.post(`/peer-support/peers/${peer!.id}/level`, { level: 'meeter-greeter' });
      assert.equal(skip.status, 400);
      assert.equal(
        (await amara.post(`/peer-support/peers/${peer!.id}/training`, { module: 'mentoring' })).status,
        303,
      );
      assert.equal(
        (await amara.post(`/peer-support/peers/${peer!.id}/level`, { level: 'mentor' })).status,
        303,
      );
      const [row] = await query<{ level: string }>(
        database,
        riverside,
        sql`select level_key as level from peer_profile where id = ${peer!.id}`,
      );
      assert.equal(row!.level, 'mentor');
      // A peer cannot confirm their own level.
      assert.equal(
        (await tomasz.post(`/peer-support/peers/${peer!.id}/level`, { level: 'mentor' })).status,
        403,
      );
    });

    it('records the peer’s journey in their words and gives them a CV as a PDF', async () => {
      const bad = await tomasz.post('/peer/journey', { kind: 'work', journeyWords: '', reachedOn: '' });
      assert.equal(bad.status, 400);
      assert.equal(
        (
          await tomasz.post('/peer/journey', {
            kind: 'work',
            journeyWords: 'A job as a family support worker',
            reachedOn: '',
          })
        ).status,
        303,
      );
      const [step] = await query<{ id: string; reached: string | null }>(
        database,
        riverside,
        sql`select s.id, s.reached_on as reached from peer_journey_step s join peer_profile p on p.id = s.profile_id
          where p.person_id = ${tomaszId}`,
      );
      assert.equal(step!.reached, null);
      assert.equal((await tomasz.post(`/peer/journey/${step!.id}/reached`, {})).status, 303);
      assert.equal((await tomasz.post(`/peer/journey/${step!.id}/reached`, {})).status, 404);
      const response = await app.request('/peer/cv.pdf', { headers: { cookie: tomasz.cookieHeader() } });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'application/pdf');
      const pdf = Buffer.from(await response.arrayBuffer());
      assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
      assert.ok(pdf.length > 5000);
      assert.equal((await jordan.get('/peer/cv.pdf')).status, 403);
    });

    it('lets a person ask for a peer in their own words, with a language that is a must', async () => {
      await jordan.get('/peer/ask');
      const empty = await jordan.post('/peer/ask', { words: '', support: 'practical' });
      assert.equal(empty.status, 400);
      const asked = await jordan.post('/peer/ask', {
        words: 'Someone to go to groups with.',
        tags: 'new-to-the-area',
        language: 'cy',
        languageMust: 'yes',
        support: 'practical',
        day1: 'sat',
        from1: '10',
        to1: '14',
        day2: 'sat',
        from2: '13',
        to2: '15',
      });
      assert.equal(asked.status, 400);
      assert.match(jordan.lastBody, /Two of your free times overlap/);
      assert.match(jordan.lastBody, /Someone to go to groups with/);
      const [none] = await query<{ n: number }>(
        database,
        riverside,
        sql`select count(*)::int as n from peer_request where person_id = '00000000-0000-4000-8100-000000000006'`,
      );
      assert.equal(none!.n, 0);
      const sent = await jordan.post('/peer/ask', {
        words: 'Someone to go to groups with.',
        tags: 'new-to-the-area',
        language: 'cy',
        languageMust: 'yes',
        support: 'practical',
        day1: 'sat',
        from1: '10',
        to1: '14',
      });
      assert.equal(sent.status, 303);
      const [row] = await query<{ tags: string[]; language: string; must: boolean; slots: string[] }>(
        database,
        riverside,
        sql`select tags, language, language_must as must, slots from peer_request where person_id = '00000000-0000-4000-8100-000000000006'`,
      );
      assert.deepEqual(row, {
        tags: ['new-to-the-area'],
        language: 'cy',
        must: true,
        slots: ['sat-morning', 'sat-afternoon'],
      });
    });

    it('saves matching weights as organisation settings and refuses nonsense', async () => {
      await amara.get('/peer-support/settings');
      const weights = {
        sharedExperience: '40',
        language: '15',
        distance: '15',
        sharedTime: '15',
        support: '10',
        spareCapacity: '5',
        waiting: '10',
      };
      const bad = await amara.post('/peer-support/settings', {
        ...weights,
        language: '-3',
        reviewEveryWeeks: '10',
      });
      assert.equal(bad.status, 400);
      assert.match(amara.lastBody, /value="-3"/);
      assert.equal(
        (await amara.post('/peer-support/settings', { ...weights, reviewEveryWeeks: '8' })).status,
        303,
      );
      const [row] = await query<{ weights: Record<string, number>; weeks: number }>(
        database,
        riverside,
        sql`select weights, review_every_weeks as weeks from peer_settings`,
      );
      assert.equal(row!.weights.sharedExperience, 40);
      assert.equal(row!.weeks, 8);
      const [welsh] = await query<{ weights: Record<string, number> }>(
        database,
        cwmTeg,
        sql`select weights from peer_settings`,
      );
      assert.deepEqual(welsh!.weights, {});
    });

    it('keeps places for distances, and attaches a sharing family only from this organisation', async () => {
      await amara.get('/peer-support/settings');
      const bad = await amara.post('/peer-support/settings/places', {
        placeName: 'CF24',
        lat: '451',
        lon: '-3.16',
      });
      assert.equal(bad.status, 400);
      assert.match(amara.lastBody, /Enter a number in decimal degrees/);
      assert.match(amara.lastBody, /value="CF24"/);
      assert.equal(
        (await amara.post('/peer-support/settings/places', { placeName: 'CF24', lat: '51.49', lon: '-3.16' }))
          .status,
        303,
      );
      const [place] = await query<{ lat: number }>(
        database,
        riverside,
        sql`select lat from peer_place where name = 'CF24'`,
      );
      assert.equal(Number(place!.lat), 51.49);
      const [peer] = await query<{ id: string }>(
        database,
        riverside,
        sql`select id from peer_profile where person_id = ${tomaszId}`,
      );
      const [theirs] = await query<{ id: string }>(
        database,
        cwmTeg,
        sql`select id from peer_household limit 1`,
      );
      assert.equal(
        (await amara.post(`/peer-support/peers/${peer!.id}/household`, { household: theirs!.id })).status,
        404,
      );
      const [ours] = await query<{ id: string }>(
        database,
        riverside,
        sql`select id from peer_household limit 1`,
      );
      assert.equal(
        (await amara.post(`/peer-support/peers/${peer!.id}/household`, { household: ours!.id })).status,
        303,
      );
      const [row] = await query<{ household: string }>(
        database,
        riverside,
        sql`select household_id as household from peer_profile where id = ${peer!.id}`,
      );
      assert.equal(row!.household, ours!.id);
    });

    it('lets the coach team rename levels, choose their training, and add modules and levels', async () => {
      await amara.get('/peer-support/levels');
      const badModule = await amara.post('/peer-support/levels/modules', {
        moduleName: 'First aid',
        sessionsNeeded: '0',
      });
      assert.equal(badModule.status, 400);
      assert.match(amara.lastBody, /whole number from 1 to 50/);
      assert.match(amara.lastBody, /value="First aid"/);
      assert.equal(
        (
          await amara.post('/peer-support/levels/modules', {
            moduleName: 'First aid',
            moduleNameCy: 'Cymorth cyntaf',
            sessionsNeeded: '1',
          })
        ).status,
        303,
      );
      const [module] = await query<{ key: string }>(
        database,
        riverside,
        sql`select key from peer_training_module where name = 'First aid'`,
      );
      const empty = await amara.post('/peer-support/levels/buddy', { levelName: '', needs: 'welcome' });
      assert.equal(empty.status, 400);
      const renamed = await amara.post('/peer-support/levels/buddy', {
        levelName: 'Buddy',
        levelNameCy: 'Cyfaill',
        needs: ['welcome', 'listening', module!.key, 'not-a-module'],
      });
      assert.equal(renamed.status, 303);
      const [buddy] = await query<{ needs: string[] }>(
        database,
        riverside,
        sql`select needs_training as needs from peer_level where key = 'buddy'`,
      );
      assert.deepEqual(buddy!.needs, ['welcome', 'listening', module!.key]);
      assert.equal((await amara.post('/peer-support/levels/no-such-level', { levelName: 'X' })).status, 404);
      assert.equal(
        (await amara.post('/peer-support/levels/new', { levelName: 'Trainer', suits: 'everything' })).status,
        303,
      );
      const levels = await query<{ name: string; rank: number }>(
        database,
        riverside,
        sql`select name, rank from peer_level order by rank`,
      );
      assert.deepEqual(levels.at(-1), { name: 'Trainer', rank: 4 });
      const [theirs] = await query<{ n: number }>(
        database,
        cwmTeg,
        sql`select count(*)::int as n from peer_level`,
      );
      assert.equal(theirs!.n, 3);
      assert.equal((await tomasz.get('/peer-support/levels')).status, 403);
    });

    it('exports what it holds about a person, without hidden notes', async () => {
      const module = modules.find((m) => m.id === 'peer-support')!;
      const exported = await withOrganisation(database, { organisationId: riverside }, (scope) =>
        module.exportPerson!(scope, tomaszId, recordWriter()),
      );
      const text = JSON.stringify(exported);
      assert.match(text, /A walk by the river/);
      assert.match(text, /Lovely first walk/);
      assert.doesNotMatch(text, /A worry about a neighbour/);
      assert.match(text, /family support worker/);
    });

    it('speaks Welsh in Cwm Teg', async () => {
      await dafydd.get('/peer-support/matching');
      assert.match(dafydd.lastBody, /Cysylltiadau a awgrymir/);
      assert.match(mainText(dafydd.lastBody), /mae’r ddau’n siarad Cymraeg/);
    });
  });
}
