import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Database } from '../src/core/database/connect.ts';
import { rowsOf, withOrganisation } from '../src/core/database/tenancy.ts';
import { buildTestApp, Visitor } from './helpers/app.ts';
import { databaseKinds } from './helpers/databases.ts';

const riverside = '00000000-0000-4000-8000-000000000001';
const cwmTeg = '00000000-0000-4000-8000-000000000002';
const jordanId = '00000000-0000-4000-8100-000000000006';
const amaraId = '00000000-0000-4000-8100-000000000003';
const elinId = '00000000-0000-4000-8200-000000000003';

async function query<T>(database: Database, organisationId: string, text: ReturnType<typeof sql>) {
  return withOrganisation(database, { organisationId }, (scope) => rowsOf<T>(scope.tx.execute(text)));
}

for (const kind of databaseKinds()) {
  describe(`a goal's words, changed after saving, on ${kind.name}`, () => {
    let database: Database;
    let app: Awaited<ReturnType<typeof buildTestApp>>['app'];
    let jordan: Visitor;
    let amara: Visitor;
    let dafydd: Visitor;
    let goalId = '';

    const earlier = () =>
      query<{ words: string; writtenBy: string; changedBy: string; writtenAt: Date; changedAt: Date }>(
        database,
        riverside,
        sql`select words, written_by as "writtenBy", changed_by as "changedBy", written_at as "writtenAt",
          changed_at as "changedAt" from coaching_goal_earlier_words where goal_id = ${goalId} order by changed_at`,
      );
    const wordsNow = async () =>
      (
        await query<{ words: string }>(
          database,
          riverside,
          sql`select words from coaching_goal where id = ${goalId}`,
        )
      )[0]!.words;

    before(async () => {
      database = await kind.open();
      ({ app } = await buildTestApp(database));
      jordan = new Visitor(app, '203.0.113.70');
      await jordan.signIn('person@riverside.example');
      amara = new Visitor(app, '203.0.113.71');
      await amara.signIn('coach@riverside.example');
      dafydd = new Visitor(app, '203.0.113.72');
      await dafydd.signIn('coach@cwmteg.example');
      await jordan.get('/me/goals');
      const added = await jordan.post('/me/goals', { words: 'Get an allotment', theme: 'everyday-life' });
      assert.equal(added.status, 303);
      goalId = /\/me\/goals\/([0-9a-f-]{36})/.exec(added.headers.get('location')!)![1]!;
    });
    after(() => database.close());

    it('lets the person change their words, keeping the earlier words with who and when', async () => {
      await jordan.get(`/me/goals/${goalId}`);
      assert.match(jordan.lastBody, /Change the words/);
      assert.match(jordan.lastBody, /<textarea[^>]*name="goalWords"[^>]*>Get an allotment<\/textarea>/);
      assert.doesNotMatch(jordan.lastBody, /Earlier words/, 'nothing earlier yet');
      const saved = await jordan.post(`/me/goals/${goalId}/words`, {
        goalWords: 'Grow our own vegetables on a shared allotment',
      });
      assert.equal(saved.status, 303);
      assert.equal(await wordsNow(), 'Grow our own vegetables on a shared allotment');
      const kept = await earlier();
      assert.equal(kept.length, 1);
      assert.equal(kept[0]!.words, 'Get an allotment');
      assert.equal(kept[0]!.writtenBy, jordanId);
      assert.equal(kept[0]!.changedBy, jordanId);
      await jordan.get(`/me/goals/${goalId}`);
      assert.match(
        jordan.lastBody,
        /<h1 class="govuk-heading-l">Grow our own vegetables on a shared allotment<\/h1>/,
      );
      assert.match(jordan.lastBody, /Earlier words[\s\S]*Get an allotment[\s\S]*Written by you, /);
      const [event] = await query<{ detail: { fields: string[] }; actor: string }>(
        database,
        riverside,
        sql`select detail, actor_person_id as actor from audit_event where subject_type = 'coaching:goal'
          and subject_id = ${goalId} and action = 'update' order by occurred_at desc limit 1`,
      );
      assert.deepEqual(event!.detail.fields, ['words'], 'the change is audited, without the words');
      assert.equal(event!.actor, jordanId);
    });

    it('lets the coach change them with the person; the language guard pauses first', async () => {
      const path = `/coaching/people/${jordanId}/goals/${goalId}/words`;
      await amara.get(`/coaching/people/${jordanId}/goals/${goalId}`);
      const paused = await amara.post(path, {
        goalWords: 'Jordan, non-compliant with the waiting list, wants a plot',
      });
      assert.equal(paused.status, 200, 'a pause, not a refusal');
      assert.match(amara.lastBody, /id="goalWords-wording"[\s\S]*non-compliant/);
      assert.match(amara.lastBody, /name="wordingSeen" value="yes"/);
      assert.match(amara.lastBody, /Jordan, non-compliant with the waiting list, wants a plot<\/textarea>/);
      assert.equal((await earlier()).length, 1, 'nothing written while paused');
      const kept = await amara.post(path, {
        goalWords: 'A plot on the allotments by spring',
        wordingSeen: '',
      });
      assert.equal(kept.status, 303);
      const history = await earlier();
      assert.equal(history.length, 2);
      assert.equal(history[1]!.words, 'Grow our own vegetables on a shared allotment');
      assert.equal(history[1]!.writtenBy, jordanId, 'the words Jordan wrote are his');
      assert.equal(history[1]!.changedBy, amaraId);
      assert.ok(new Date(history[1]!.writtenAt) >= new Date(history[0]!.changedAt));
      await jordan.post(`/me/goals/${goalId}/words`, { goalWords: 'A plot on the allotments by the summer' });
      const third = await earlier();
      assert.equal(third.length, 3);
      assert.equal(third[2]!.writtenBy, amaraId, 'the coach’s words are the coach’s');
      await jordan.get(`/me/goals/${goalId}`);
      assert.match(jordan.lastBody, /A plot on the allotments by spring[\s\S]*Written by Amara, /);
    });

    it('keeps what was typed and writes nothing when the words are empty, too long, or the same', async () => {
      const before = await earlier();
      let response = await jordan.post(`/me/goals/${goalId}/words`, { goalWords: '   ' });
      assert.equal(response.status, 400);
      assert.match(jordan.lastBody, /<p id="goalWords-error" class="govuk-error-message">/);
      assert.match(jordan.lastBody, /<details class="govuk-details" open="">/, 'the form is open');
      const long = `Ŵyn ar y fferm ${'a '.repeat(300)}`;
      response = await jordan.post(`/me/goals/${goalId}/words`, { goalWords: long });
      assert.equal(response.status, 400);
      assert.ok(jordan.lastBody.includes(long.trim()), 'the long words are kept to mend');
      response = await jordan.post(`/me/goals/${goalId}/words`, { goalWords: await wordsNow() });
      assert.equal(response.status, 303);
      assert.equal((await earlier()).length, before.length, 'the same words again keep nothing new');
    });

    it('puts the earlier words in the person’s own record', async () => {
      const json = await jordan.get('/account/my-record.json');
      assert.equal(json.status, 200);
      const record = JSON.parse(jordan.lastBody);
      const goal = record.coaching.goals.find((one: { id: string }) => one.id === goalId);
      assert.equal(goal.words, 'A plot on the allotments by the summer');
      assert.deepEqual(
        goal.earlierWords.map((one: { words: string; writtenBy: string; changedBy: string }) => [
          one.words,
          one.writtenBy,
          one.changedBy,
        ]),
        [
          ['Get an allotment', 'Jordan', 'Jordan'],
          ['Grow our own vegetables on a shared allotment', 'Jordan', 'Amara'],
          ['A plot on the allotments by spring', 'Amara', 'Jordan'],
        ],
        'oldest first, with writers named',
      );
    });

    it('treats another organisation’s goal as not found, and writes nothing', async () => {
      const [elinGoal] = await query<{ id: string; words: string }>(
        database,
        cwmTeg,
        sql`select id, words from coaching_goal where person_id = ${elinId} limit 1`,
      );
      assert.ok(elinGoal, 'the demo gives Elin a goal');
      const attempts: [Visitor, string][] = [
        [jordan, `/me/goals/${elinGoal.id}/words`],
        [amara, `/coaching/people/${elinId}/goals/${elinGoal.id}/words`],
        [amara, `/coaching/people/${jordanId}/goals/${elinGoal.id}/words`],
        [dafydd, `/coaching/people/${jordanId}/goals/${goalId}/words`],
        [dafydd, `/coaching/people/${elinId}/goals/${goalId}/words`],
      ];
      for (const [visitor, path] of attempts) {
        await visitor.get('/');
        const response = await visitor.post(path, { goalWords: 'Somebody else’s words' });
        assert.equal(response.status, 404, path);
      }
      const [still] = await query<{ words: string }>(
        database,
        cwmTeg,
        sql`select words from coaching_goal where id = ${elinGoal.id}`,
      );
      assert.equal(still!.words, elinGoal.words);
      assert.equal(await wordsNow(), 'A plot on the allotments by the summer');
      for (const organisationId of [riverside, cwmTeg]) {
        const counted: { n: number }[] = await query<{ n: number }>(
          database,
          organisationId,
          sql`select count(*)::int as n from coaching_goal_earlier_words where words = 'Somebody else’s words'
            or goal_id = ${elinGoal.id}`,
        );
        assert.equal(counted[0]!.n, 0);
      }
    });
  });
}
