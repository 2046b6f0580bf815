import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import ICAL from 'ical.js';
import pino from 'pino';
import { feedDaysAhead, feedDaysBack, feedReadsPerHour } from '../src/core/calendar-feeds.ts';
import type { Database } from '../src/core/database/connect.ts';
import { rowsOf, withOrganisation, withSystem } from '../src/core/database/tenancy.ts';
import { giveRole, removeRole } from '../src/core/people.ts';
import { limitKeyHash } from '../src/core/request-limits.ts';
import { redactPath } from '../src/core/web/middleware.ts';
import { buildTestApp, testOrigin, Visitor } from './helpers/app.ts';
import { databaseKinds } from './helpers/databases.ts';

const riverside = '00000000-0000-4000-8000-000000000001';
const cwmTeg = '00000000-0000-4000-8000-000000000002';
const amaraId = '00000000-0000-4000-8100-000000000003';
const tomaszId = '00000000-0000-4000-8100-000000000004';
const jordanId = '00000000-0000-4000-8100-000000000006';
const day = 86_400_000;

async function query<T>(database: Database, organisationId: string, text: ReturnType<typeof sql>) {
  return withOrganisation(database, { organisationId }, (scope) => rowsOf<T>(scope.tx.execute(text)));
}

const addressPattern = new RegExp(`value="${testOrigin}(/calendar/[A-Za-z0-9_-]{43}\\.ics)"`);

/** The feed's address shown on /account/calendar, as a path, or null when there is none. */
async function shownAddress(visitor: Visitor): Promise<string | null> {
  const page = await visitor.get('/account/calendar');
  assert.equal(page.status, 200);
  return addressPattern.exec(visitor.lastBody)?.[1] ?? null;
}

interface Feed {
  status: number;
  text: string;
  headers: Headers;
  events: ICAL.Event[];
  calendar: ICAL.Component | null;
}

for (const kind of databaseKinds()) {
  describe(`calendar feeds on ${kind.name}`, () => {
    let database: Database;
    let app: Awaited<ReturnType<typeof buildTestApp>>['app'];
    let services: Awaited<ReturnType<typeof buildTestApp>>['services'];
    let tomasz: Visitor;
    let amara: Visitor;
    let gareth: Visitor;
    let jordan: Visitor;
    let tomaszFeed = '';
    let linkUpId = '';
    const logged: string[] = [];

    /** A calendar app's request: no cookie, nothing but the address. */
    async function read(path: string): Promise<Feed> {
      const response = await app.request(path);
      const text = await response.text();
      assert.deepEqual(response.headers.getSetCookie(), [], `no cookie is set for ${response.status}`);
      if (response.status !== 200)
        return { status: response.status, text, headers: response.headers, events: [], calendar: null };
      const calendar = new ICAL.Component(ICAL.parse(text));
      return {
        status: 200,
        text,
        headers: response.headers,
        calendar,
        events: calendar.getAllSubcomponents('vevent').map((event) => new ICAL.Event(event)),
      };
    }

    before(async () => {
      database = await kind.open();
      ({ app, services } = await buildTestApp(database));
      // What the request log writes, to check that a feed's secret never reaches it.
      services.logger = pino(
        { level: 'info', base: undefined },
        new Writable({
          write(chunk, _encoding, done) {
            logged.push(String(chunk));
            done();
          },
        }),
      );
      tomasz = new Visitor(app, '203.0.113.40');
      await tomasz.signIn('peer@riverside.example');
      amara = new Visitor(app, '203.0.113.41');
      await amara.signIn('coach@riverside.example');
      jordan = new Visitor(app, '203.0.113.42');
      await jordan.signIn('person@riverside.example');
      gareth = new Visitor(app, '203.0.113.43');
      await gareth.signIn('lead@riverside.example');
      await gareth.get('/choose-organisation');
      await gareth.post('/choose-organisation', { organisation: riverside });
    });
    after(() => database.close());

    it('is linked from the account page and explains itself; a person makes an address and sees it again', async () => {
      await tomasz.get('/account');
      assert.match(tomasz.lastBody, /href="\/account\/calendar"/);
      assert.equal(await shownAddress(tomasz), null);
      assert.match(tomasz.lastBody, /Anyone who has this address can see the dates in it/);
      assert.match(tomasz.lastBody, /You do not have a calendar address at the moment/);
      const made = await tomasz.post('/account/calendar', {});
      assert.equal(made.status, 303);
      assert.equal(made.headers.get('location'), '/account/calendar?done=made');
      await tomasz.get(made.headers.get('location')!);
      assert.match(tomasz.lastBody, /Your calendar address is ready/);
      tomaszFeed = (await shownAddress(tomasz))!;
      assert.ok(tomaszFeed, 'the address is shown');
      // Shown again on a later visit, the same address.
      assert.equal(await shownAddress(tomasz), tomaszFeed);
      // Only a keyed hash and a seed are kept: the secret itself is nowhere in the table.
      const secret = tomaszFeed.slice('/calendar/'.length, -'.ics'.length);
      const rows = await query<Record<string, unknown>>(
        database,
        riverside,
        sql`select * from calendar_feed where person_id = ${tomaszId}`,
      );
      assert.equal(rows.length, 1);
      assert.ok(!JSON.stringify(rows).includes(secret));
    });

    it('serves the feed without a session: iCalendar with CRLF, lines within 75 octets, UID and DTSTAMP', async () => {
      const feed = await read(tomaszFeed);
      assert.equal(feed.status, 200);
      assert.equal(feed.headers.get('content-type'), 'text/calendar; charset=utf-8');
      assert.equal(feed.headers.get('cache-control'), 'no-store');
      assert.ok(feed.text.endsWith('\r\n'));
      for (const line of feed.text.slice(0, -2).split('\r\n')) {
        assert.ok(!/[\r\n]/.test(line), 'no bare line break');
        assert.ok(Buffer.byteLength(line) <= 75, `${Buffer.byteLength(line)} octets: ${line}`);
      }
      assert.ok(feed.events.length > 0);
      for (const event of feed.events) {
        assert.ok(event.uid.endsWith('@localhost'), event.uid);
        assert.ok(event.component.getFirstPropertyValue('dtstamp'), 'every event has a DTSTAMP');
      }
      const again = await read(tomaszFeed);
      assert.deepEqual(
        again.events.map((event) => event.uid),
        feed.events.map((event) => event.uid),
        'the same UIDs on every read',
      );
      assert.equal(
        new Set(feed.events.map((event) => event.uid)).size,
        feed.events.length,
        'UIDs are unique',
      );
    });

    it("holds the person's own dates only: every space of the team, their own link-ups, nobody's name", async () => {
      // Tomasz's demo link-ups have ended; a new one with Jordan, both agreed, is where he logs a session
      // (through the link-up's own page), which starts it and sets its first review.
      const [open] = await withOrganisation(database, { organisationId: riverside }, async (scope) => {
        const [request] = await rowsOf<{ id: string }>(
          scope.tx.execute(sql`insert into peer_request (organisation_id, person_id, words, status)
            values (${riverside}, ${jordanId}, 'Someone to walk with', 'linked') returning id`),
        );
        return rowsOf<{ id: string }>(
          scope.tx.execute(sql`insert into peer_link_up (organisation_id, request_id, profile_id, stage, peer_agreed_at,
              seeker_agreed_at)
            select ${riverside}, ${request!.id}, id, 'introduced', now(), now() from peer_profile
            where person_id = ${tomaszId} returning id`),
        );
      });
      linkUpId = open!.id;
      await tomasz.get(`/peer/link-ups/${open!.id}`);
      const logged = await tomasz.post(`/peer/link-ups/${open!.id}/sessions`, {
        happenedOn: new Date(Date.now() - 3 * day).toISOString().slice(0, 10),
        hours: '1',
        minutes: '0',
        whatWeDid: 'Walked to the market with Jordan',
      });
      assert.equal(logged.status, 303);
      const now = Date.now();
      const feed = await read(tomaszFeed);
      const uids = new Set(feed.events.map((event) => event.uid.replace(/@localhost$/, '')));
      const spaces = await query<{ id: string; startsAt: string }>(
        database,
        riverside,
        sql`select id, starts_at as "startsAt" from learning_space`,
      );
      const sessions = await query<{ id: string; mine: boolean; happenedOn: string }>(
        database,
        riverside,
        sql`select s.id, (p.person_id = ${tomaszId} or r.person_id = ${tomaszId}) as mine,
            to_char(s.happened_on, 'YYYY-MM-DD') as "happenedOn"
          from peer_session s join peer_link_up l on l.id = s.link_up_id join peer_profile p on p.id = l.profile_id
          join peer_request r on r.id = l.request_id`,
      );
      const reviews = await query<{ id: string; mine: boolean }>(
        database,
        riverside,
        sql`select l.id, (p.person_id = ${tomaszId} or r.person_id = ${tomaszId}) as mine
          from peer_link_up l join peer_profile p on p.id = l.profile_id join peer_request r on r.id = l.request_id
          where l.next_review_on is not null and l.stage <> 'ended'`,
      );
      const allowed = new Set([
        ...spaces.map((space) => space.id),
        ...sessions.filter((s) => s.mine).map((s) => `peer-session-${s.id}`),
        ...reviews.filter((r) => r.mine).map((r) => `peer-review-${r.id}`),
      ]);
      for (const uid of uids) assert.ok(allowed.has(uid), `${uid} is not one of Tomasz's dates`);
      // Well inside the window (a day from either edge), everything of his is there.
      const inside = (at: number) =>
        at > now - (feedDaysBack - 1) * day && at < now + (feedDaysAhead - 1) * day;
      const expectedSpaces = spaces.filter((space) => inside(new Date(space.startsAt).getTime()));
      const expectedSessions = sessions.filter(
        (s) => s.mine && inside(Date.parse(`${s.happenedOn}T12:00:00Z`)),
      );
      assert.ok(
        expectedSpaces.length > 0 && expectedSessions.length > 0,
        'the demo has spaces and sessions now',
      );
      for (const space of expectedSpaces) assert.ok(uids.has(space.id), `space ${space.id} is missing`);
      for (const session of expectedSessions)
        assert.ok(uids.has(`peer-session-${session.id}`), `session ${session.id} is missing`);
      // Nothing older than the window, and another peer's sessions never.
      for (const space of spaces.filter(
        (s) => new Date(s.startsAt).getTime() < now - (feedDaysBack + 1) * day,
      ))
        assert.ok(!uids.has(space.id));
      assert.ok(
        sessions.some((s) => !s.mine),
        'other link-ups have sessions too',
      );
      // Plain titles, and no name of anyone supported anywhere in the feed.
      for (const event of feed.events)
        assert.ok(
          ['Reflective space', 'Link-up meeting', 'Link-up review'].includes(event.summary),
          event.summary,
        );
      const supported = await query<{ calledName: string; fullName: string | null }>(
        database,
        riverside,
        sql`select distinct p.called_name as "calledName", p.full_name as "fullName"
          from person p join peer_request r on r.person_id = p.id`,
      );
      const unfolded = feed.text.replace(/\r\n /g, '');
      for (const someone of supported)
        for (const name of [someone.calledName, someone.fullName].filter(Boolean) as string[])
          assert.ok(!unfolded.includes(name), `"${name}" appears in the feed`);
      // A link-up's date links to its page, which needs signing in.
      const meeting = feed.events.find((event) => event.summary === 'Link-up meeting')!;
      assert.match(
        meeting.description,
        /See it in Alongside \(you will need to sign in\): http:\/\/localhost:3000\/peer\/link-ups\//,
      );
      assert.equal(meeting.startDate.isDate, true);
    });

    it("never carries another organisation's dates", async () => {
      const feed = await read(tomaszFeed);
      const theirs = await query<{ id: string }>(database, cwmTeg, sql`select id from learning_space`);
      assert.ok(theirs.length > 0);
      const uids = new Set(feed.events.map((event) => event.uid.replace(/@localhost$/, '')));
      for (const space of theirs) assert.ok(!uids.has(space.id));
      const names = await query<{ name: string }>(
        database,
        cwmTeg,
        sql`select name from learning_space_series`,
      );
      for (const { name } of names) assert.ok(!feed.text.replace(/\r\n /g, '').includes(name));
    });

    it('round-trips a comma, semicolon, backslash and a ŵ that sits across the 75-octet boundary', async () => {
      // DESCRIPTION: is 12 octets; escaping adds one octet for each , ; and \. ŵ (two octets) is placed
      // to start at octet 74 of the line, so it must move whole to the next line.
      const start = 'Tea, talk; back\\slash ';
      const escapedLength = Buffer.byteLength(start) + (start.match(/[,;\\]/g)?.length ?? 0);
      const name = `${start}${'x'.repeat(62 - escapedLength)}ŵ and more`;
      const place = 'Tŷ Gwyn, room 2; back\\door';
      const firstDate = new Date(Date.now() + 7 * day).toISOString().slice(0, 10);
      await gareth.get('/learning/spaces');
      const created = await gareth.post('/learning/spaces', {
        name,
        firstDate,
        time: '14:00',
        everyDays: '14',
        minutes: '90',
        place,
      });
      assert.equal(created.status, 303);
      const seriesPath = created.headers.get('location')!.split('?')[0]!;
      const feed = await read(tomaszFeed);
      const lines = feed.text.split('\r\n');
      const at = lines.findIndex((line) => line.startsWith('DESCRIPTION:Tea\\, talk\\; back\\\\slash'));
      assert.ok(at >= 0, 'the new series is in the feed');
      assert.equal(Buffer.byteLength(lines[at]!), 74);
      assert.ok(lines[at + 1]!.startsWith(' ŵ and more'), lines[at + 1]);
      const ours = feed.events.filter((event) => event.description.startsWith(name));
      assert.equal(ours.length, 6, 'six dates planned');
      assert.equal(ours[0]!.summary, 'Reflective space');
      assert.equal(ours[0]!.location, place);
      assert.equal(ours[0]!.description.split('\n')[0], name);
      assert.equal(ours[0]!.duration.toSeconds(), 90 * 60);
      // The series' own download uses the same writer, its name as the title.
      const download = await gareth.get(`${seriesPath}/calendar.ics`);
      const downloaded = new ICAL.Component(ICAL.parse(await download.text()));
      const event = new ICAL.Event(downloaded.getFirstSubcomponent('vevent')!);
      assert.equal(event.summary, name);
      assert.equal(event.location, place);
      assert.equal(event.uid, ours[0]!.uid, 'one UID for a space, in the download and in the feed');
    });

    it('follows the permissions the person has now: no team role, no reflective spaces', async () => {
      const amaraFeed = await shownAddress(amara);
      assert.ok(amaraFeed, 'the demo coach has an address already');
      let feed = await read(amaraFeed);
      assert.ok(feed.events.some((event) => event.summary === 'Reflective space'));
      // The coach team sees every link-up signed in, but they are not her appointments.
      assert.ok(!feed.events.some((event) => event.summary.startsWith('Link-up')));
      await withOrganisation(database, { organisationId: riverside }, (scope) =>
        removeRole(scope, amaraId, 'coach'),
      );
      try {
        feed = await read(amaraFeed);
        assert.equal(feed.status, 200);
        assert.equal(feed.events.length, 0);
      } finally {
        await withOrganisation(database, { organisationId: riverside }, (scope) =>
          giveRole(scope, amaraId, 'coach'),
        );
      }
      // Someone supported, who is not on the team, gets no reflective spaces either.
      await jordan.post('/account/calendar', {});
      const jordanFeed = await read((await shownAddress(jordan))!);
      assert.equal(jordanFeed.status, 200);
      assert.ok(!jordanFeed.events.some((event) => event.summary === 'Reflective space'));
      // ...but the link-up he is supported in: the same meeting and review as his peer, with no names.
      const ofTheLinkUp = (feed: Feed) =>
        feed.events
          .filter((event) => event.description.includes(`/peer/link-ups/${linkUpId}`))
          .map((event) => `${event.summary} ${event.uid}`)
          .sort();
      const jordans = ofTheLinkUp(jordanFeed);
      assert.equal(jordans.length, 2);
      assert.match(jordans[0]!, /^Link-up meeting /);
      assert.match(jordans[1]!, /^Link-up review /);
      assert.deepEqual(jordans, ofTheLinkUp(await read(tomaszFeed)));
      assert.ok(!jordanFeed.text.includes('Tomasz') && !jordanFeed.text.includes('market'));
    });

    it("keeps one organisation's feed to that organisation for someone who works in two", async () => {
      await gareth.post('/account/calendar', {});
      const riversideFeed = (await shownAddress(gareth))!;
      const feed = await read(riversideFeed);
      assert.ok(feed.events.some((event) => event.summary === 'Reflective space'));
      assert.match(
        String(feed.calendar!.getFirstPropertyValue('x-wr-calname')),
        /Riverside Community Coaching/,
      );
      // In Cwm Teg he is another person there, with no address of his own yet.
      await gareth.get('/choose-organisation');
      await gareth.post('/choose-organisation', { organisation: cwmTeg });
      assert.equal(await shownAddress(gareth), null);
      // Stopping "his" address there stops nothing in Riverside, and writes nothing there.
      const stops = () =>
        query<{ n: number }>(
          database,
          riverside,
          sql`select (select count(*)::int from calendar_feed where revoked_at is not null
              and person_id = '00000000-0000-4000-8100-000000000002')
            + (select count(*)::int from audit_event where subject_type = 'calendar-feed' and action = 'delete') as n`,
        );
      const before = await stops();
      assert.equal((await gareth.post('/account/calendar/stop', {})).status, 303);
      assert.deepEqual(await stops(), before);
      assert.equal((await read(riversideFeed)).status, 200);
      await gareth.get('/choose-organisation');
      await gareth.post('/choose-organisation', { organisation: riverside });
    });

    it('speaks the language of the account or the organisation: Welsh for Cwm Teg', async () => {
      const coach = new Visitor(app, '203.0.113.44');
      await coach.signIn('coach@cwmteg.example');
      const page = await coach.get('/account/calendar');
      assert.equal(page.status, 200);
      assert.match(coach.lastBody, /Gall unrhyw un sydd â’r cyfeiriad hwn weld y dyddiadau sydd ynddo/);
      const feed = await read((await shownAddress(coach))!);
      assert.ok(feed.events.length > 0);
      for (const event of feed.events) assert.equal(event.summary, 'Man myfyrio');
      assert.match(String(feed.calendar!.getFirstPropertyValue('x-wr-calname')), /^Dyddiadau o Alongside/);
    });

    it('audits each read in the organisation, with how many dates and nothing of them', async () => {
      const feed = await read(tomaszFeed);
      const [row] = await query<{
        action: string;
        actor: string;
        detail: Record<string, unknown>;
        subjectPerson: string;
      }>(
        database,
        riverside,
        sql`select action, actor_person_id as actor, detail, subject_person_id as "subjectPerson" from audit_event
          where subject_type = 'calendar-feed' and action = 'read' order by occurred_at desc limit 1`,
      );
      assert.equal(row!.action, 'read');
      assert.equal(row!.actor, tomaszId);
      assert.equal(row!.subjectPerson, tomaszId);
      assert.deepEqual(row!.detail, { events: feed.events.length });
      const [used] = await query<{ lastUsedAt: string | null }>(
        database,
        riverside,
        sql`select last_used_at as "lastUsedAt" from calendar_feed where person_id = ${tomaszId} and revoked_at is null`,
      );
      assert.ok(used!.lastUsedAt);
      await tomasz.get('/account/calendar');
      assert.doesNotMatch(tomasz.lastBody, /Last read by a calendar app<\/dt>\s*<dd[^>]*>Not yet/);
    });

    it('keeps the secret out of the logs', async () => {
      const secret = tomaszFeed.slice('/calendar/'.length, -'.ics'.length);
      logged.length = 0;
      await read(tomaszFeed);
      await read(`/calendar/${randomBytes(32).toString('base64url')}.ics`);
      assert.ok(
        logged.some((line) => line.includes('"path":"/calendar/…"')),
        logged.join(''),
      );
      assert.ok(!logged.some((line) => line.includes(secret)));
      assert.equal(redactPath(`/calendar/${secret}.ics`), '/calendar/…');
    });

    it('answers "not found" for an unknown, malformed or stopped address, at once', async () => {
      assert.equal((await read(`/calendar/${randomBytes(32).toString('base64url')}.ics`)).status, 404);
      assert.equal((await read('/calendar/short.ics')).status, 404);
      assert.equal((await read(tomaszFeed.slice(0, -'.ics'.length))).status, 404);
      assert.equal((await read(`${tomaszFeed}x`)).status, 404);
      // A new address stops the old one.
      await tomasz.get('/account/calendar');
      await tomasz.post('/account/calendar', {});
      const newer = (await shownAddress(tomasz))!;
      assert.notEqual(newer, tomaszFeed);
      assert.equal((await read(tomaszFeed)).status, 404);
      assert.equal((await read(newer)).status, 200);
      // Stopping it: "not found" straight away, and the page says there is none.
      const stop = await tomasz.post('/account/calendar/stop', {});
      assert.equal(stop.headers.get('location'), '/account/calendar?done=stopped');
      assert.equal((await read(newer)).status, 404);
      assert.equal(await shownAddress(tomasz), null);
      await tomasz.get(stop.headers.get('location')!);
      assert.match(tomasz.lastBody, /Your calendar address has stopped working/);
      const [audited] = await query<{ n: number }>(
        database,
        riverside,
        sql`select count(*)::int as n from audit_event where subject_type = 'calendar-feed' and action = 'delete'
          and subject_person_id = ${tomaszId}`,
      );
      assert.equal(audited!.n, 2, 'replaced once, stopped once');
      // Signed out, the page is behind sign-in.
      const stranger = new Visitor(app, '203.0.113.45');
      const page = await stranger.get('/account/calendar');
      assert.equal(page.status, 303);
      assert.match(page.headers.get('location')!, /^\/sign-in/);
    });

    it('refuses a feed read too often in one hour, kindly, and writes nothing', async () => {
      await tomasz.get('/account/calendar');
      await tomasz.post('/account/calendar', {});
      const address = (await shownAddress(tomasz))!;
      const [feed] = await query<{ id: string }>(
        database,
        riverside,
        sql`select id from calendar_feed where person_id = ${tomaszId} and revoked_at is null`,
      );
      // As if a calendar app had read it feedReadsPerHour times already this hour.
      await withSystem(database, (tx) =>
        tx.execute(sql`insert into request_count (key_hash, window_start, count)
          values (${limitKeyHash(services.config.secretKey, `calendar-feed:${feed!.id}`)}, date_trunc('hour', now()), ${feedReadsPerHour})`),
      );
      const before = await query<{ n: number }>(
        database,
        riverside,
        sql`select count(*)::int as n from audit_event`,
      );
      const refused = await read(address);
      assert.equal(refused.status, 429);
      const wait = Number(refused.headers.get('retry-after'));
      assert.ok(wait >= 1 && wait <= 3600, `Retry-After ${wait}`);
      const afterwards = await query<{ n: number }>(
        database,
        riverside,
        sql`select count(*)::int as n from audit_event`,
      );
      assert.equal(afterwards[0]!.n, before[0]!.n);
    });
  });
}
