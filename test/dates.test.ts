import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Database } from '../src/core/database/connect.ts';
import { rowsOf, withOrganisation } from '../src/core/database/tenancy.ts';
import { addToDay, calendarDay, checkDay, isCalendarDay, readDay, todayInUk } from '../src/core/dates.ts';
import { buildTestApp, Visitor } from './helpers/app.ts';
import { databaseKinds } from './helpers/databases.ts';

const riverside = '00000000-0000-4000-8000-000000000001';
const jordanId = '00000000-0000-4000-8100-000000000006';
const tomaszId = '00000000-0000-4000-8100-000000000004';

describe('calendar days', () => {
  it('reads what a date field sends and what someone types day first', () => {
    assert.equal(readDay('2026-03-27'), '2026-03-27');
    assert.equal(readDay(' 2026-3-7 '), '2026-03-07');
    assert.equal(readDay('27 3 2026'), '2026-03-27');
    assert.equal(readDay('27/03/2026'), '2026-03-27');
    assert.equal(readDay('27.3.2026'), '2026-03-27');
    assert.equal(readDay('2024-02-29'), '2024-02-29', 'a leap day');
  });

  it('has no day the calendar does not have', () => {
    for (const odd of ['2026-02-30', '2025-02-29', '1900-02-29', '2026-04-31', '2026-13-01', '2026-00-10']) {
      assert.equal(readDay(odd), null, odd);
    }
    for (const odd of ['', 'yesterday', '2026-03', '20260-01-01', '2026-03-27T10:00', '٢٠٢٦-٠٣-٢٧', '3/27']) {
      assert.equal(readDay(odd), null, odd);
    }
    assert.equal(isCalendarDay('2026-03-27'), true);
    assert.equal(isCalendarDay('2026-3-27'), false, 'only the form a date field writes');
    assert.equal(isCalendarDay('2026-02-30'), false);
    assert.equal(isCalendarDay('0000-01-01'), false, 'a browser’s date field has no year 0');
  });

  it('says the year 0 and years past 2100 are not real dates, whatever the field', () => {
    for (const odd of ['0000-01-01', '1899-12-31', '2101-01-01', '9999-12-31']) {
      const reading = checkDay(odd);
      assert.equal(reading.ok, false, odd);
      assert.equal(!reading.ok && reading.problem, 'real', odd);
    }
    assert.deepEqual(checkDay(''), { ok: true, day: '' });
    assert.equal(!checkDay('', { required: true }).ok && 'required', 'required');
  });

  it('names a field’s own limits, and today for "when did it happen"', () => {
    const today = todayInUk();
    const tomorrow = addToDay(today, { days: 1 });
    const past = checkDay(tomorrow, { past: true });
    assert.ok(!past.ok && past.problem === 'tooLate' && past.message === 'errors.date.notFuture');
    assert.deepEqual(checkDay(today, { past: true }), { ok: true, day: today });
    const future = checkDay(addToDay(today, { days: -1 }), { future: true });
    assert.ok(!future.ok && future.message === 'errors.date.notPast');
    const early = checkDay('2019-12-31', { earliest: '2020-01-01', messages: { tooEarly: 'x.y' } });
    assert.ok(!early.ok && early.problem === 'tooEarly' && early.message === 'x.y');
    assert.deepEqual(!early.ok && early.params, { from: '2020-01-01', to: '2100-12-31' });
  });

  it('counts years and months as the calendar does', () => {
    assert.equal(addToDay('2024-02-29', { years: 1 }), '2025-02-28');
    assert.equal(addToDay('2026-01-31', { months: 1 }), '2026-02-28');
    assert.equal(addToDay('2026-12-31', { days: 1 }), '2027-01-01');
    assert.equal(addToDay('2026-03-01', { years: -1 }), '2025-03-01');
  });

  it('is a zod field that reads to YYYY-MM-DD or empty', () => {
    assert.equal(calendarDay().parse(undefined), '');
    assert.equal(calendarDay().parse('1/2/2026'), '2026-02-01');
    const refused = calendarDay({ required: true }).safeParse('2026-02-30');
    assert.equal(refused.success, false);
    assert.equal(refused.error?.issues[0]?.message, 'errors.date.real');
  });
});

async function query<T>(database: Database, text: ReturnType<typeof sql>) {
  return withOrganisation(database, { organisationId: riverside }, (scope) =>
    rowsOf<T>(scope.tx.execute(text)),
  );
}

const escaped = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

for (const kind of databaseKinds()) {
  describe(`impossible and out-of-range dates on ${kind.name}`, () => {
    let database: Database;
    let app: Awaited<ReturnType<typeof buildTestApp>>['app'];
    let amara: Visitor;
    let tomasz: Visitor;
    let gareth: Visitor;

    before(async () => {
      database = await kind.open();
      ({ app } = await buildTestApp(database));
      amara = new Visitor(app, '203.0.113.40');
      await amara.signIn('coach@riverside.example');
      tomasz = new Visitor(app, '203.0.113.41');
      await tomasz.signIn('peer@riverside.example');
      gareth = new Visitor(app, '203.0.113.42');
      await gareth.signIn('lead@riverside.example');
      await gareth.get('/choose-organisation');
      await gareth.post('/choose-organisation', { organisation: riverside });
    });
    after(() => database.close());

    /**
     * Posts a form with a date that is not a real day: the page comes back with the message beside the
     * date field, everything else typed still in the form, and nothing written.
     */
    async function refusesDate(
      visitor: Visitor,
      path: string,
      form: Record<string, string>,
      field: string,
      count: () => Promise<number>,
      message = /Enter a real date, for example 27 3 2026/,
    ) {
      for (const odd of ['2026-02-30', '0000-01-01']) {
        const before = await count();
        const response = await visitor.post(path, { ...form, [field]: odd });
        assert.equal(response.status, 400, `${path} with ${odd}`);
        const beside = new RegExp(`<p id="${field}-error" class="govuk-error-message">(.*?)</p>`).exec(
          visitor.lastBody,
        );
        assert.ok(beside, `a message beside ${field}`);
        assert.match(beside[1]!, message);
        assert.match(
          visitor.lastBody,
          new RegExp(`name="${field}" type="text" value="${odd}"`),
          'the date as typed',
        );
        for (const [name, value] of Object.entries(form)) {
          if (value) assert.ok(visitor.lastBody.includes(escaped(value)), `${name} is kept`);
        }
        assert.equal(await count(), before, 'nothing written');
      }
    }

    it('a conversation’s date', async () => {
      await amara.get(`/coaching/conversation?person=${jordanId}`);
      await refusesDate(
        amara,
        '/coaching/conversation',
        {
          person: jordanId,
          talkedAbout: 'Talked about the "allotment" & the shed',
          nextSteps: 'Ffonio’r cyngor ŵyr',
          place: 'The library',
        },
        'happenedOn',
        async () =>
          (
            await query<{ n: number }>(
              database,
              sql`select count(*)::int as n from coaching_entry where person_id = ${jordanId}`,
            )
          )[0]!.n,
      );
      const tomorrow = addToDay(todayInUk(), { days: 1 });
      const response = await amara.post('/coaching/conversation', {
        person: jordanId,
        talkedAbout: 'Plans',
        happenedOn: tomorrow,
      });
      assert.equal(response.status, 400);
      assert.match(amara.lastBody, /id="happenedOn-error"[^>]*>.*The date must be today or in the past/);
    });

    it('a reflective space’s first date, and an action’s due date', async () => {
      const series = async () =>
        (await query<{ n: number }>(database, sql`select count(*)::int as n from learning_space_series`))[0]!
          .n;
      await amara.get('/learning/spaces');
      const form = { name: 'Peer space', time: '14:00', everyDays: '14', minutes: '90', place: 'Room 2' };
      // The year 0 is before the earliest day a series can start, and is told as that.
      await refusesDate(
        amara,
        '/learning/spaces',
        form,
        'firstDate',
        series,
        /Enter a real date, for example 27 3 2026|The date must be the same as or after/,
      );
      const farAhead = await amara.post('/learning/spaces', {
        ...form,
        firstDate: addToDay(todayInUk(), { years: 3 }),
      });
      assert.equal(farAhead.status, 400, 'years ahead is a slip');
      assert.match(amara.lastBody, /id="firstDate-error"[^>]*>.*The date must be the same as or before/);
      const created = await amara.post('/learning/spaces', {
        ...form,
        firstDate: addToDay(todayInUk(), { days: 3 }),
      });
      assert.equal(created.status, 303);
      const seriesPath = created.headers.get('location')!.replace(/\?.*/, '');
      await amara.get(seriesPath);
      const spacePath = /href="(\/learning\/spaces\/[0-9a-f-]{36}\/[0-9a-f-]{36})"/.exec(amara.lastBody)![1]!;
      await amara.get(spacePath);
      await refusesDate(
        amara,
        `${spacePath}/actions`,
        { what: 'Ask the council about the <b>bins</b>', who: '' },
        'dueOn',
        async () =>
          (await query<{ n: number }>(database, sql`select count(*)::int as n from learning_action`))[0]!.n,
      );
    });

    it('a peer’s journey date, and a link-up session’s date', async () => {
      await tomasz.get('/peer');
      await refusesDate(
        tomasz,
        '/peer/journey',
        { kind: 'work', journeyWords: 'A job as a family support worker 🙂' },
        'reachedOn',
        async () =>
          (
            await query<{ n: number }>(
              database,
              sql`select count(*)::int as n from peer_journey_step s join peer_profile p on p.id = s.profile_id
                where p.person_id = ${tomaszId}`,
            )
          )[0]!.n,
      );
      // Either side or the coach team logs a session; the coach logs one here.
      const [linkUp] = await query<{ id: string }>(
        database,
        sql`select id from peer_link_up where stage in ('introduced', 'active', 'reviewed') order by id limit 1`,
      );
      assert.ok(linkUp, 'the demo has a link-up under way');
      await amara.get(`/peer/link-ups/${linkUp.id}`);
      await refusesDate(
        amara,
        `/peer/link-ups/${linkUp.id}/sessions`,
        { hours: '1', minutes: '30', whatWeDid: 'A walk by the river', howItFelt: 'Lighter' },
        'happenedOn',
        async () =>
          (
            await query<{ n: number }>(
              database,
              sql`select count(*)::int as n from peer_session where link_up_id = ${linkUp.id}`,
            )
          )[0]!.n,
        /Enter a real date, for example 27 3 2026|The date must be the same as or after 1 January 2000/,
      );
    });

    it('a time-bank exchange’s date, recorded by a coordinator', async () => {
      const [bank] = await query<{ id: string }>(
        database,
        sql`select id from time_bank where name = 'Riverside Time Bank'`,
      );
      const members = await query<{ id: string }>(
        database,
        sql`select id from time_bank_account where bank_id = ${bank!.id} and kind = 'member' order by id limit 2`,
      );
      const exchanges = async () =>
        (await query<{ n: number }>(database, sql`select count(*)::int as n from time_bank_exchange`))[0]!.n;
      await gareth.get(`/time-bank/${bank!.id}/record`);
      const form = {
        giver: members[0]!.id,
        receiver: members[1]!.id,
        hours: '2',
        minutes: '15',
        whatWasDone: 'Did the weekly shop',
      };
      await refusesDate(
        gareth,
        `/time-bank/${bank!.id}/record`,
        form,
        'happenedOn',
        exchanges,
        /Enter a real date, for example 27 3 2026|That is more than a year ago/,
      );
      await gareth.get(`/time-bank/${bank!.id}/group`);
      const group = await gareth.post(`/time-bank/${bank!.id}/group`, {
        direction: 'one-gives',
        one: members[0]!.id,
        many: members[1]!.id,
        hours: '1',
        minutes: '',
        whatWasDone: 'A group walk',
        happenedOn: '0000-01-01',
      });
      assert.equal(group.status, 400, 'a group exchange on the year 0 is refused, not a 500');
      assert.match(gareth.lastBody, /id="happenedOn-error"[^>]*>.*more than a year ago/);
    });
  });
}
