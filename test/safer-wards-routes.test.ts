import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Database } from '../src/core/database/connect.ts';
import { rowsOf, type Scope, withOrganisation, withSystem } from '../src/core/database/tenancy.ts';
import { createPerson } from '../src/core/people.ts';
import { periodOf } from '../src/core/periods.ts';
import { addToTeam, createTeam } from '../src/core/teams.ts';
import { occupiedBedDaysByDay, occupiedBedDaysByMonth } from '../src/modules/safer-wards/census.ts';
import { wardFigures } from '../src/modules/safer-wards/figures.ts';
import { createForceRecord, type ForceRecordInput } from '../src/modules/safer-wards/force.ts';
import { saferWards } from '../src/modules/safer-wards/index.tsx';
import { admit, discharge, findStay, setLeave } from '../src/modules/safer-wards/wards.ts';
import { buildTestApp, Visitor } from './helpers/app.ts';
import { databaseKinds } from './helpers/databases.ts';

const riverside = '00000000-0000-4000-8000-000000000001';
const cwmTeg = '00000000-0000-4000-8000-000000000002';
const gareth = '00000000-0000-4000-8100-000000000002'; // lead and coach
const amara = '00000000-0000-4000-8100-000000000003'; // coach
const jordan = '00000000-0000-4000-8100-000000000006'; // person, signs in
const sam = '00000000-0000-4000-8100-000000000007';
const nia = '00000000-0000-4000-8100-000000000008';
const dafydd = '00000000-0000-4000-8200-000000000002';
const elin = '00000000-0000-4000-8200-000000000003';

const asStaff = <T>(
  database: Database,
  organisationId: string,
  actor: string,
  work: (scope: Scope) => Promise<T>,
) => withOrganisation(database, { organisationId, actorPersonId: actor }, work);

async function query<T>(database: Database, text: ReturnType<typeof sql>) {
  return withSystem(database, (tx) => rowsOf<T>(tx.execute(text)));
}

const at = (iso: string) => new Date(iso);

/** A complete record, ready to sign off, for the fixture's uses of force. */
function complete(staff: string, start: string, end: string): ForceRecordInput {
  return {
    place: 'Lounge',
    reason: 'To stop a fall from the window ledge',
    description: 'Two staff guided to a seated hold for four minutes',
    inCarePlan: 'yes',
    planItemsTried: ['The quiet room'],
    efforts: 'Offered the quiet room and a walk first',
    nonStaff: 'none',
    othersInvolved: '',
    outcome: 'Settled, had a warm drink',
    harm: 'none',
    peopleTold: 'yes',
    peopleToldDetails: 'Sister, by phone, the same evening',
    types: [{ type: 'physical', position: 'seated', startedAt: at(start), endedAt: at(end) }],
    staff: [{ personId: staff, jobTitle: 'Staff nurse' }],
  };
}

for (const kind of databaseKinds()) {
  describe(`safer wards on ${kind.name}`, () => {
    let database: Database;
    let built: Awaited<ReturnType<typeof buildTestApp>>;
    let coach: Visitor;
    let lead: Visitor;
    let person: Visitor;
    let ward = '';
    let otherWard = '';
    let censusWard = '';
    let cwmWard = '';
    let otherRecord = '';
    let cwmRecord = '';

    before(async () => {
      database = await kind.open();
      built = await buildTestApp(database);
      ward = await asStaff(database, riverside, gareth, async (scope) => {
        const id = await createTeam(scope, {
          name: 'Willow test',
          nameCy: 'Helygen prawf',
          kind: 'ward',
          beds: 4,
        });
        await addToTeam(scope, id, gareth, 'lead');
        await addToTeam(scope, id, amara, 'coach');
        // Jordan has been on this ward for ten days.
        const admitted = await admit(scope, id, jordan, new Date(Date.now() - 10 * 86_400_000));
        assert.ok(admitted.ok);
        return id;
      });
      // A ward Amara does not work on, with Sam on it and a record about him.
      ({ otherWard, otherRecord } = await asStaff(database, riverside, gareth, async (scope) => {
        const id = await createTeam(scope, { name: 'Rowan test', kind: 'ward', beds: 4 });
        await addToTeam(scope, id, gareth, 'coach');
        await admit(scope, id, sam, new Date(Date.now() - 5 * 86_400_000));
        const start = new Date(Date.now() - 2 * 86_400_000);
        const record = await createForceRecord(
          scope,
          id,
          sam,
          complete(gareth, start.toISOString(), new Date(start.getTime() + 300_000).toISOString()),
        );
        return { otherWard: id, otherRecord: record };
      }));
      ({ cwmWard, cwmRecord } = await asStaff(database, cwmTeg, dafydd, async (scope) => {
        const id = await createTeam(scope, { name: 'Cwm ward', kind: 'ward', beds: 4 });
        await addToTeam(scope, id, dafydd, 'coach');
        await admit(scope, id, elin, new Date(Date.now() - 5 * 86_400_000));
        const start = new Date(Date.now() - 2 * 86_400_000);
        const record = await createForceRecord(
          scope,
          id,
          elin,
          complete(dafydd, start.toISOString(), new Date(start.getTime() + 300_000).toISOString()),
        );
        return { cwmWard: id, cwmRecord: record };
      }));
      coach = new Visitor(built.app, '203.0.113.120');
      await coach.signIn('coach@riverside.example');
      lead = new Visitor(built.app, '203.0.113.121');
      // Gareth works in two organisations, so chooses this one first.
      await lead.signIn('lead@riverside.example');
      await lead.get('/choose-organisation');
      await lead.post('/choose-organisation', { organisation: riverside });
      person = new Visitor(built.app, '203.0.113.122');
      await person.signIn('person@riverside.example');
    });
    after(() => database.close());

    it('records an interaction from the ward home in three steps, the help plan shown', async () => {
      const home = await coach.get(`/wards/${ward}`);
      assert.equal(home.status, 200);
      assert.match(coach.lastBody, new RegExp(`/wards/${ward}/interactions/new\\?person=${jordan}`));
      await coach.get(`/wards/${ward}/interactions/new?person=${jordan}`);
      // The day and time are filled in with now; only the kind is chosen.
      const day = /name="atDay" type="date" value="([^"]+)"/.exec(coach.lastBody)?.[1];
      const time = /name="atTime" type="text" inputmode="numeric" autocomplete="off" value="([^"]+)"/.exec(
        coach.lastBody,
      )?.[1];
      assert.ok(day && time);
      const saved = await coach.post(`/wards/${ward}/interactions`, {
        person: jordan,
        kind: 'asked-for-help',
        words: '',
        atDay: day,
        atTime: time,
      });
      assert.equal(saved.status, 303);
      const [row] = await query<{ n: number }>(
        database,
        sql`select count(*)::int as n from ward_interaction where person_id = ${jordan} and kind = 'asked-for-help'`,
      );
      assert.equal(Number(row!.n), 1);
    });

    it('keeps what was typed and says why, for a time in the future or someone not on the ward', async () => {
      await coach.get(`/wards/${ward}/interactions/new`);
      const future = await coach.post(`/wards/${ward}/interactions`, {
        person: jordan,
        kind: 'talk-down',
        words: 'Walked in the garden together',
        atDay: '2099-01-01',
        atTime: '10:00',
      });
      assert.equal(future.status, 400);
      assert.match(coach.lastBody, /Walked in the garden together/);
      assert.match(coach.lastBody, /id="at-error"/);
      await coach.get(`/wards/${ward}/interactions/new`);
      const notHere = await coach.post(`/wards/${ward}/interactions`, {
        person: nia,
        kind: 'talk-down',
        words: 'Kept',
        atDay: '2026-01-01',
        atTime: '10:00',
      });
      assert.equal(notHere.status, 400);
      assert.match(coach.lastBody, /id="person-error"/);
      // Force opens the full record, with the words typed carried into it and nothing saved yet.
      await coach.get(`/wards/${ward}/interactions/new`);
      const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
      const force = await coach.post(`/wards/${ward}/interactions`, {
        person: jordan,
        kind: 'use-of-force',
        words: 'Held at the door for a minute',
        atDay: day,
        atTime: '09:30',
      });
      assert.equal(force.status, 200);
      assert.match(coach.lastBody, /action="\/wards\/[0-9a-f-]+\/force"/);
      assert.match(coach.lastBody, /Held at the door for a minute<\/textarea>/);
      assert.match(coach.lastBody, /name="start0Time"[^>]*value="09:30"/);
      const [row] = await query<{ n: number }>(
        database,
        sql`select count(*)::int as n from ward_interaction where kind = 'talk-down' and team_id = ${ward}`,
      );
      assert.equal(Number(row!.n), 0);
    });

    it('refuses bad times on a use of force beside each field, keeping everything typed', async () => {
      const today = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
      await coach.get(`/wards/${ward}/force/new?person=${jordan}`);
      const form = {
        person: jordan,
        place: 'Garden door',
        reason: 'Words kept for the next try',
        type0: 'physical',
        position0: 'standing',
        start0Day: today,
        start0Time: '10:00',
        end0Day: today,
        end0Time: '09:00',
        type1: 'seclusion',
        start1Day: '2099-01-01',
        start1Time: '10:00',
        end1Day: '2099-01-01',
        end1Time: '11:00',
        type2: 'mechanical',
        start2Day: '2020-01-01',
        start2Time: '10:00',
        end2Day: '2020-01-03',
        end2Time: '10:00',
        [`staff-${sam}`]: 'yes',
        [`jobTitle-${sam}`]: 'Not staff here',
        [`staff-${dafydd}`]: 'yes',
        [`jobTitle-${dafydd}`]: 'Staff of another organisation',
      };
      const refused = await coach.post(`/wards/${ward}/force`, form);
      assert.equal(refused.status, 400);
      assert.match(coach.lastBody, /id="end0-error"/); // end before start
      assert.match(coach.lastBody, /id="start1-error"/); // in the future
      assert.match(coach.lastBody, /id="confirmLong-error"/); // over 24 hours, not confirmed
      assert.match(coach.lastBody, /id="staff-error"/); // not on this ward's staff
      assert.match(coach.lastBody, /Words kept for the next try/);
      assert.match(coach.lastBody, /Garden door/);
      await coach.get(`/wards/${ward}/force/new?person=${jordan}`);
      await coach.post(`/wards/${ward}/force`, {
        ...form,
        end0Time: '10:05',
        type1: '',
        start1Day: '',
        start1Time: '',
        end1Day: '',
        end1Time: '',
        [`staff-${sam}`]: '',
        [`staff-${dafydd}`]: '',
        confirmLong: 'yes',
      });
      // 2020 is before Jordan came to the ward.
      assert.match(coach.lastBody, /id="start2-error"/);
      const [row] = await query<{ n: number }>(
        database,
        sql`select count(*)::int as n from force_record where person_id = ${jordan}`,
      );
      assert.equal(Number(row!.n), 0);
    });

    let recordId = '';
    it('saves a draft, lists each missing item at sign-off, signs off, then changes only by amendment', async () => {
      const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
      await coach.get(`/wards/${ward}/force/new?person=${jordan}`);
      assert.match(coach.lastBody, /What Jordan told us helps|Jordan/);
      const draft = await coach.post(`/wards/${ward}/force`, {
        person: jordan,
        type0: 'physical',
        position0: 'prone',
        start0Day: day,
        start0Time: '10:00',
        end0Day: day,
        end0Time: '10:04',
        [`staff-${amara}`]: 'yes',
        [`jobTitle-${amara}`]: 'Staff nurse',
      });
      assert.equal(draft.status, 303);
      recordId = /force\/([0-9a-f-]{36})/.exec(draft.headers.get('location') ?? '')![1]!;
      await coach.get(`/wards/${ward}/force/${recordId}`);
      const refused = await coach.post(`/wards/${ward}/force/${recordId}/sign-off`, {});
      assert.equal(refused.status, 400);
      // Each missing item, (a) to (p), is said beside its own field of the form to finish it.
      for (const field of [
        'reason',
        'place',
        'inCarePlan',
        'description',
        'nonStaff',
        'outcome',
        'harm',
        'efforts',
        'peopleTold',
      ]) {
        assert.match(coach.lastBody, new RegExp(`href="#${field}"`), field);
        assert.match(coach.lastBody, new RegExp(`id="${field}-error"`), field);
      }
      await coach.get(`/wards/${ward}/force/${recordId}/edit`);
      const filled = await coach.post(`/wards/${ward}/force/${recordId}`, {
        place: 'Corridor',
        reason: 'To keep someone from harm',
        description: 'Held briefly',
        inCarePlan: 'no',
        efforts: 'Talked together first',
        nonStaff: 'none',
        outcome: 'Calm again',
        harm: 'none',
        peopleTold: 'none-named',
        type0: 'physical',
        position0: 'prone',
        start0Day: day,
        start0Time: '10:00',
        end0Day: day,
        end0Time: '10:04',
        [`staff-${amara}`]: 'yes',
        [`jobTitle-${amara}`]: 'Staff nurse',
      });
      assert.equal(filled.status, 303);
      await coach.get(`/wards/${ward}/force/${recordId}`);
      assert.equal((await coach.post(`/wards/${ward}/force/${recordId}/sign-off`, {})).status, 303);
      const [signed] = await query<{ status: string; version: number }>(
        database,
        sql`select status, version from force_record where id = ${recordId}`,
      );
      assert.equal(signed!.status, 'signed-off');
      await coach.get(`/wards/${ward}/force/${recordId}/edit`);
      const noReason = await coach.post(`/wards/${ward}/force/${recordId}`, {
        place: 'Changed place',
        reason: 'x',
        type0: 'physical',
        position0: 'prone',
        start0Day: day,
        start0Time: '10:00',
        end0Day: day,
        end0Time: '10:04',
      });
      assert.equal(noReason.status, 400);
      assert.match(coach.lastBody, /id="amendmentReason-error"/);
      const [unchanged] = await query<{ place: string; version: number }>(
        database,
        sql`select place, version from force_record where id = ${recordId}`,
      );
      assert.equal(unchanged!.place, 'Corridor');
      assert.equal(Number(unchanged!.version), Number(signed!.version));
      // An amendment with a reason may change an item, but never empty one.
      await coach.get(`/wards/${ward}/force/${recordId}/edit`);
      const emptied = await coach.post(`/wards/${ward}/force/${recordId}`, {
        place: 'Changed place',
        amendmentReason: 'The place was wrong',
        type0: 'physical',
        position0: 'prone',
        start0Day: day,
        start0Time: '10:00',
        end0Day: day,
        end0Time: '10:04',
      });
      assert.equal(emptied.status, 400);
      for (const field of ['reason', 'description', 'staff', 'outcome', 'peopleTold'])
        assert.match(coach.lastBody, new RegExp(`id="${field}-error"`), field);
      assert.match(coach.lastBody, /The place was wrong/);
      const [still] = await query<{ place: string }>(
        database,
        sql`select place from force_record where id = ${recordId}`,
      );
      assert.equal(still!.place, 'Corridor');
    });

    it('keeps a staff debrief beside the record and sends its lesson to a reflective space, with no name', async () => {
      await coach.get(`/wards/${ward}/force/${recordId}`);
      const space =
        /<select class="govuk-select" id="space" name="space"[^>]*>\s*<option value="">[^<]*<\/option>\s*<option value="([0-9a-f-]{36})"/.exec(
          coach.lastBody,
        )?.[1];
      assert.ok(space, 'the page offers a reflective space of Amara’s teams');
      const empty = await coach.post(`/wards/${ward}/force/${recordId}/debrief`, {
        beforeWords: '',
        chances: '',
        differently: '',
        space,
      });
      assert.equal(empty.status, 400);
      assert.match(coach.lastBody, /id="beforeWords-error"/);
      await coach.get(`/wards/${ward}/force/${recordId}`);
      const saved = await coach.post(`/wards/${ward}/force/${recordId}/debrief`, {
        beforeWords: 'A busy handover; the lounge was loud.',
        chances: 'Nobody offered the quiet room when Jordan first asked.',
        differently:
          'Offer the quiet room as soon as someone asks for help at handover, as Jordan asked; tell Jordan’s sister.',
        space,
      });
      assert.equal(saved.status, 303);
      assert.match(saved.headers.get('location') ?? '', /done=lesson/);
      const [topic] = await query<{ words: string }>(
        database,
        sql`select words from learning_topic where series_id = ${space} order by raised_at desc limit 1`,
      );
      assert.match(topic!.words, /Offer the quiet room as soon as someone asks/);
      assert.doesNotMatch(topic!.words, /Jordan/);
      assert.match(topic!.words, /as the person asked; tell the person’s sister/);
      const [kept] = await query<{ n: number }>(
        database,
        sql`select count(*)::int as n from force_debrief where force_record_id = ${recordId} and side = 'staff'`,
      );
      assert.equal(Number(kept!.n), 1);
    });

    it('starts a record of force for someone who has left the ward from their page', async () => {
      const left = await asStaff(database, riverside, gareth, async (scope) => {
        const stay = await admit(scope, ward, nia, new Date(Date.now() - 9 * 86_400_000));
        assert.ok(stay.ok);
        await discharge(scope, (await findStay(scope, stay.stayId))!, new Date(Date.now() - 2 * 86_400_000));
        return nia;
      });
      await coach.get(`/wards/${ward}/force/new?person=${left}`);
      assert.match(coach.lastBody, new RegExp(`<option value="${left}" selected="">Nia</option>`));
    });

    it('keeps a leave or discharge time that cannot be, open beside its field, and changes nothing', async () => {
      await coach.get(`/wards/${ward}/patients/${jordan}`);
      const stay = new RegExp(`/wards/${ward}/stays/([0-9a-f-]{36})/discharge`).exec(coach.lastBody)?.[1];
      assert.ok(stay);
      const before = await coach.post(`/wards/${ward}/stays/${stay}/discharge`, {
        atDay: '2020-02-03',
        atTime: '11:15',
      });
      assert.equal(before.status, 400);
      assert.match(coach.lastBody, /id="discharge-at-error"/);
      assert.match(coach.lastBody, /value="2020-02-03"/);
      assert.match(coach.lastBody, /<details class="govuk-details" open="">/);
      await coach.get(`/wards/${ward}/patients/${jordan}`);
      const future = await coach.post(`/wards/${ward}/stays/${stay}/leave`, {
        atDay: '2099-01-01',
        atTime: '09:00',
      });
      assert.equal(future.status, 400);
      assert.match(coach.lastBody, /id="leave-at-error"/);
      const [row] = await query<{ discharged: string | null; leaves: number }>(
        database,
        sql`select discharged_at as discharged, (select count(*)::int from ward_leave where stay_id = ${stay}) as leaves
          from ward_stay where id = ${stay}`,
      );
      assert.equal(row!.discharged, null);
      assert.equal(Number(row!.leaves), 0);
    });

    it('admits someone new with only a name, and refuses a full ward or someone on another ward, keeping what was typed', async () => {
      await coach.get(`/wards/${ward}/admit`);
      const day = new Date(Date.now() - 3_600_000).toISOString().slice(0, 10);
      const noName = await coach.post(`/wards/${ward}/admit`, {
        calledName: '',
        fullName: 'Kept Full Name',
        atDay: day,
        atTime: '00:30',
      });
      assert.equal(noName.status, 400);
      assert.match(coach.lastBody, /id="calledName-error"/);
      assert.match(coach.lastBody, /value="Kept Full Name"/);
      await coach.get(`/wards/${ward}/admit?search=Sam`);
      const elsewhere = await coach.post(`/wards/${ward}/admit`, {
        person: sam,
        atDay: day,
        atTime: '00:30',
      });
      assert.equal(elsewhere.status, 400, 'Sam is on another ward');
      for (const name of ['Rhiannon', 'Ade', 'Lou']) {
        await coach.get(`/wards/${ward}/admit`);
        assert.equal(
          (await coach.post(`/wards/${ward}/admit`, { calledName: name, atDay: day, atTime: '00:30' }))
            .status,
          303,
          name,
        );
      }
      // Four beds: Jordan and three more. A fifth is refused, and no person is made for them.
      await coach.get(`/wards/${ward}/admit`);
      const full = await coach.post(`/wards/${ward}/admit`, {
        calledName: 'Fifth',
        atDay: day,
        atTime: '00:30',
      });
      assert.equal(full.status, 400);
      assert.match(coach.lastBody, /value="Fifth"/);
      const [made] = await query<{ n: number }>(
        database,
        sql`select count(*)::int as n from person where called_name = 'Fifth'`,
      );
      assert.equal(Number(made!.n), 0);
    });

    it('answers 404 for another ward’s or organisation’s records, and writes nothing', async () => {
      for (const path of [
        `/wards/${otherWard}`,
        `/wards/${ward}/force/${otherRecord}`,
        `/wards/${cwmWard}`,
        `/wards/${ward}/force/${cwmRecord}`,
        `/wards/${ward}/patients/${sam}`,
        `/wards/${ward}/patients/${elin}`,
      ]) {
        assert.equal((await coach.get(path)).status, 404, path);
      }
      await coach.get(`/wards/${ward}`);
      assert.equal(
        (await coach.post(`/wards/${ward}/force/${otherRecord}/debrief`, { beforeWords: 'x' })).status,
        404,
      );
      assert.equal((await coach.post(`/wards/${ward}/force/${cwmRecord}/offer`, {})).status, 404);
      assert.equal(
        (
          await coach.post(`/wards/${ward}/interactions`, {
            person: elin,
            kind: 'talk-down',
            atDay: '2026-01-01',
            atTime: '10:00',
          })
        ).status,
        400,
      );
      const [row] = await query<{ n: number }>(
        database,
        sql`select count(*)::int as n from force_debrief where force_record_id in (${otherRecord}, ${cwmRecord})`,
      );
      assert.equal(Number(row!.n), 0);
    });

    it('lets the patient read the record and give their own account, kept beside the staff’s', async () => {
      await person.get('/my-ward');
      assert.match(person.lastBody, new RegExp(`/my-ward/force/${recordId}`));
      await person.get(`/my-ward/force/${recordId}`);
      assert.match(person.lastBody, /To keep someone from harm/);
      const given = await person.post(`/my-ward/force/${recordId}/account`, {
        state: 'given',
        words: 'I was frightened and nobody asked what would help.',
      });
      assert.equal(given.status, 303);
      const [row] = await query<{ words: string }>(
        database,
        sql`select words from force_debrief where force_record_id = ${recordId} and side = 'patient'`,
      );
      assert.match(row!.words, /nobody asked/);
      assert.equal((await person.get(`/my-ward/force/${otherRecord}`)).status, 404);
    });

    it('keeps the staff account back from the patient only for a reason the ward manager writes, and says why', async () => {
      await coach.get(`/wards/${ward}/force/${recordId}`);
      assert.equal(
        (await coach.post(`/wards/${ward}/force/${recordId}/withhold`, { withheldReason: 'x' })).status,
        403,
      );
      await lead.get(`/wards/${ward}/force/${recordId}`);
      const kept = await lead.post(`/wards/${ward}/force/${recordId}/withhold`, {
        withheldReason: 'Talked with Jordan first; we will read it together on Friday.',
      });
      assert.equal(kept.status, 303);
      await person.get(`/my-ward/force/${recordId}`);
      assert.match(person.lastBody, /we will read it together on Friday/);
      assert.doesNotMatch(person.lastBody, /To keep someone from harm/);
      // Their own account is still theirs to read.
      assert.match(person.lastBody, /nobody asked what would help/);
      const [audited] = await query<{ n: number }>(
        database,
        sql`select count(*)::int as n from audit_event where subject_id = ${recordId} and detail->>'withheld' = 'true'`,
      );
      assert.equal(Number(audited!.n), 1);
      await lead.get(`/wards/${ward}/force/${recordId}`);
      await lead.post(`/wards/${ward}/force/${recordId}/withhold`, { withheldReason: '' });
      await person.get(`/my-ward/force/${recordId}`);
      assert.match(person.lastBody, /To keep someone from harm/);
    });

    it('exports every s.6(5) item for the ward manager, and not for a nurse', async () => {
      const from = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
      const to = new Date().toISOString().slice(0, 10);
      assert.equal((await coach.get(`/wards/${ward}/force.csv?from=${from}&to=${to}`)).status, 403);
      const csv = await lead.get(`/wards/${ward}/force.csv?from=${from}&to=${to}`);
      assert.equal(csv.headers.get('location'), null);
      assert.equal(csv.status, 200);
      const lines = lead.lastBody
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n');
      assert.equal(lines.length, 2);
      assert.match(lines[0]!, /Reason/i);
      assert.match(lines[1]!, /Prone/);
      assert.match(lines[1]!, /Amara \(Staff nurse\)/);
      assert.match(lines[1]!, new RegExp(jordan));
      // The full name identifies the person; times are as the ward clock read them.
      assert.match(lines[1]!, /Jordan Reilly \(Jordan\)/);
      assert.match(lines[1]!, /,\d{4}-\d{2}-\d{2} 10:00,/);
      assert.doesNotMatch(lines[1]!, /T\d{2}:\d{2}:\d{2}/);
      const [audited] = await query<{ n: number }>(
        database,
        sql`select count(*)::int as n from audit_event where subject_type = 'safer-wards:force-export'`,
      );
      assert.equal(Number(audited!.n), 1);
    });

    it('counts occupied bed days by the midnight census and the rate per 1,000 by hand', async () => {
      const result = await asStaff(database, riverside, gareth, async (scope) => {
        censusWard = await createTeam(scope, { name: 'Census test', kind: 'ward', beds: 4 });
        // A: 10 Jan 14:00 to 20 Jan 10:00 — midnights ending 10..19 January: 10 days.
        const a = await admit(scope, censusWard, nia, at('2025-01-10T14:00:00Z'));
        assert.ok(a.ok);
        await discharge(scope, (await findStay(scope, a.stayId))!, at('2025-01-20T10:00:00Z'));
        // B: in and out the same day: none.
        const b = await admit(scope, censusWard, nia, at('2025-01-21T09:00:00Z'));
        assert.ok(b.ok);
        await discharge(scope, (await findStay(scope, b.stayId))!, at('2025-01-21T17:00:00Z'));
        // C: 25 Jan 12:00 to 5 Feb 08:00, on leave 28 Jan 18:00 to 30 Jan 10:00 (two midnights away).
        const c = await admit(scope, censusWard, nia, at('2025-01-25T12:00:00Z'));
        assert.ok(c.ok);
        await setLeave(scope, (await findStay(scope, c.stayId))!, at('2025-01-28T18:00:00Z'));
        await setLeave(scope, (await findStay(scope, c.stayId))!, at('2025-01-30T10:00:00Z'));
        await discharge(scope, (await findStay(scope, c.stayId))!, at('2025-02-05T08:00:00Z'));
        for (const day of ['2025-01-11', '2025-01-15', '2025-01-26']) {
          await createForceRecord(
            scope,
            censusWard,
            nia,
            complete(gareth, `${day}T10:00:00Z`, `${day}T10:05:00Z`),
          );
        }
        const days = await occupiedBedDaysByDay(scope, censusWard, '2025-01-01', '2025-02-28');
        const months = await occupiedBedDaysByMonth(scope, censusWard, '2025-01-01', '2025-02-28');
        const figures = await wardFigures(scope, censusWard, { months: 2, today: '2025-02-28' });
        return { days, months, figures };
      });
      assert.equal(result.days.get('2025-01-10'), 1);
      assert.equal(result.days.get('2025-01-19'), 1);
      assert.equal(result.days.get('2025-01-20'), undefined);
      assert.equal(result.days.get('2025-01-21'), undefined);
      assert.equal(result.days.get('2025-01-28'), undefined);
      assert.equal(result.days.get('2025-01-29'), undefined);
      assert.equal(result.days.get('2025-01-30'), 1);
      assert.equal(result.months.get('2025-01'), 15); // 10 + (25, 26, 27, 30, 31)
      assert.equal(result.months.get('2025-02'), 4); // 1–4 February
      const january = result.figures.months.find((m) => m.month === '2025-01')!;
      assert.equal(january.uses, 3);
      assert.equal(january.rate, 200); // 3 × 1,000 ÷ 15
    });

    it('keeps a use of force for three years whoever asks to delete it', async () => {
      await assert.rejects(
        query(database, sql`delete from force_record where id = ${recordId}`),
        (error: Error) => {
          // The database's own words, under the query wrapper's.
          assert.match(String((error.cause as Error | undefined)?.message ?? error.message), /three years/);
          return true;
        },
      );
    });

    it('gives the impact report force, bed days and the rate, each equal to what is worked out by hand', async () => {
      const organisationId = crypto.randomUUID();
      await database.db.execute(
        sql`insert into organisation (id, slug, name) values (${organisationId}, ${`figures-${organisationId.slice(0, 8)}`}, 'Figures')`,
      );
      const figures = await withOrganisation(database, { organisationId }, async (scope) => {
        const run = (text: ReturnType<typeof sql>) => scope.tx.execute(text);
        const one = async (text: ReturnType<typeof sql>) => (await rowsOf<{ id: string }>(run(text)))[0]!.id;
        const ward = (name: string, beds: number) =>
          one(sql`insert into team (organisation_id, name, kind, beds)
            values (${organisationId}, ${name}, 'ward', ${beds}) returning id`);
        const [oak, ash] = [await ward('Oak', 10), await ward('Ash', 5)];
        const [p1, p2, p3, p4] = [
          await createPerson(scope, { calledName: 'Pat' }),
          await createPerson(scope, { calledName: 'Ria' }),
          await createPerson(scope, { calledName: 'Tom' }),
          await createPerson(scope, { calledName: 'Viv' }),
        ];
        const stay = (wardId: string, personId: string, admittedAt: string, dischargedAt: string | null) =>
          one(sql`insert into ward_stay (organisation_id, team_id, person_id, admitted_at, discharged_at)
            values (${organisationId}, ${wardId}, ${personId}, ${admittedAt}, ${dischargedAt}) returning id`);
        // Midnights on the ward, by the day each ends: Pat 1 and 2 January (admitted in December);
        // Ria 26–28 February and 2–3 March (on leave over the midnight ending 1 March); Tom 30 and 31
        // March, still there; Viv came at 00:30 on 1 April in the UK (23:30 UTC on 31 March).
        await stay(oak, p1, '2024-12-30T15:00:00Z', '2025-01-03T10:00:00Z');
        const ria = await stay(oak, p2, '2025-02-26T12:00:00Z', '2025-03-04T12:00:00Z');
        await run(sql`insert into ward_leave (organisation_id, stay_id, starts_at, ends_at)
          values (${organisationId}, ${ria}, '2025-03-01T10:00:00Z', '2025-03-02T10:00:00Z')`);
        await stay(ash, p3, '2025-03-30T12:00:00Z', null);
        await stay(ash, p4, '2025-03-31T23:30:00Z', null);

        const force = async (
          wardId: string,
          personId: string,
          startedAt: string | null,
          types: [string, string][],
          debriefs: [string, string][] = [],
        ) => {
          const id =
            await one(sql`insert into force_record (organisation_id, team_id, person_id, status, started_at,
              ended_at)
            values (${organisationId}, ${wardId}, ${personId}, ${startedAt ? 'signed-off' : 'draft'}, ${startedAt},
              ${startedAt}) returning id`);
          for (const [index, [type, position]] of types.entries())
            await run(sql`insert into force_type_used (organisation_id, force_record_id, type, position, started_at,
                ended_at, ordinal)
              values (${organisationId}, ${id}, ${type}, ${position}, ${startedAt}, ${startedAt}, ${index})`);
          for (const [side, state] of debriefs)
            await run(sql`insert into force_debrief (organisation_id, force_record_id, side, state)
              values (${organisationId}, ${id}, ${side}, ${state})`);
        };
        await force(
          oak,
          p1,
          '2025-01-02T10:00:00Z',
          [
            ['physical', 'prone'],
            ['seclusion', ''],
          ],
          [['patient', 'offered']],
        );
        await force(
          oak,
          p2,
          '2025-02-27T10:00:00Z',
          [['physical', 'standing']],
          [
            ['patient', 'given'],
            ['staff', 'given'],
          ],
        );
        await force(oak, p2, '2025-03-03T10:00:00Z', [['physical', 'prone']], [['patient', 'declined']]);
        await force(ash, p3, '2025-03-31T22:30:00Z', [['chemical', '']]); // 23:30 on 31 March in the UK
        // Not in the period: April in the UK, and a draft with no time yet.
        await force(ash, p1, '2025-03-31T23:30:00Z', [['physical', 'prone']], [['patient', 'given']]);
        await force(ash, p4, null, []);

        const interaction = (kind: string, happenedAt: string) =>
          run(sql`insert into ward_interaction (organisation_id, team_id, person_id, happened_at, kind)
            values (${organisationId}, ${oak}, ${p1}, ${happenedAt}, ${kind})`);
        await interaction('asked-for-help', '2025-01-15T10:00:00Z');
        await interaction('asked-for-help', '2025-03-31T23:30:00Z');
        await interaction('talked-through', '2025-02-01T10:00:00Z');
        return saferWards.statistics!(scope, periodOf('2025-01', '2025-03')!);
      });
      const figure = (key: string) => figures.find((f) => f.key === key)!;
      assert.deepEqual(
        { ...figure('uses-of-force') },
        {
          key: 'uses-of-force',
          label: 'statistics.uses',
          section: 'restrictive-practice',
          unit: 'count',
          value: 4,
          byMonth: [1, 1, 2],
          derivation: { label: 'statistics.from.records', values: { records: 4 } },
          countsPeople: false,
        },
      );
      assert.equal(figure('occupied-bed-days').value, 9);
      assert.deepEqual(figure('occupied-bed-days').byMonth, [2, 3, 4]);
      assert.equal(figure('occupied-bed-days').unit, 'days');
      assert.equal(figure('occupied-bed-days').costable, true);
      // 4 × 1,000 ÷ 9; each month 1,000 ÷ 2, 1,000 ÷ 3 and 2,000 ÷ 4.
      assert.equal(figure('force-per-1000-obd').value, 444.4);
      assert.deepEqual(figure('force-per-1000-obd').byMonth, [500, 333.3, 500]);
      assert.deepEqual(figure('force-per-1000-obd').rate, {
        numerator: 'uses-of-force',
        denominator: 'occupied-bed-days',
        per: 1000,
      });
      assert.equal(figure('prone').value, 2);
      assert.deepEqual(figure('prone').byMonth, [1, 0, 1]);
      assert.deepEqual(
        ['physical', 'mechanical', 'chemical', 'seclusion', 'segregation'].map(
          (type) => figure(`force-${type}`).value,
        ),
        [3, 0, 1, 1, 0],
      );
      assert.deepEqual(figure('force-physical').byMonth, [1, 1, 1]);
      assert.equal(figure('people-force-used-on').value, 3);
      assert.equal(figure('people-force-used-on').countsPeople, true);
      assert.equal(figures.filter((f) => f.countsPeople).length, 1);
      assert.equal(figure('debriefs-offered').value, 3);
      assert.equal(figure('debriefs-given').value, 1);
      assert.equal(figure('staff-debriefs').value, 1);
      assert.equal(figure('asked-for-help').value, 1);
      assert.deepEqual(figure('asked-for-help').byMonth, [1, 0, 0]);
    });
  });
}
