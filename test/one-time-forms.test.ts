import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type SQL, sql } from 'drizzle-orm';
import type { Database } from '../src/core/database/connect.ts';
import { rowsOf, withSystem } from '../src/core/database/tenancy.ts';
import { buildTestApp, Visitor } from './helpers/app.ts';
import { databaseKinds } from './helpers/databases.ts';

const jordanId = '00000000-0000-4000-8100-000000000006';

/** The one-time token of the form on the last page that posts to `action`, as a browser would send it. */
function onceOf(visitor: Visitor, action: string): string {
  const at = visitor.lastBody.indexOf(`action="${action}"`);
  assert.ok(at >= 0, `no form posting to ${action}`);
  const token = /name="_once" value="([A-Za-z0-9_-]+)"/.exec(visitor.lastBody.slice(at));
  assert.ok(token, `the form posting to ${action} has no one-time token`);
  return token[1]!;
}

async function count(database: Database, query: SQL): Promise<number> {
  const [row] = await rowsOf<{ n: number }>(withSystem(database, (tx) => tx.execute(query)));
  return row!.n;
}

for (const kind of databaseKinds()) {
  describe(`one record per intention on ${kind.name}`, () => {
    let database: Database;
    let app: Awaited<ReturnType<typeof buildTestApp>>['app'];
    let amara: Visitor;
    before(async () => {
      database = await kind.open();
      ({ app } = await buildTestApp(database));
      amara = new Visitor(app);
      await amara.signIn('coach@riverside.example');
    });
    after(() => database.close());

    it('a conversation sent three times is stored once, and each repeat goes where the first went', async () => {
      await amara.get('/coaching/conversation');
      const form = {
        _once: onceOf(amara, '/coaching/conversation'),
        person: jordanId,
        talkedAbout: 'We planned the allotment visit together',
        nextSteps: '',
        happenedOn: '',
        place: '',
      };
      const responses = [];
      for (let n = 0; n < 3; n++) responses.push(await amara.post('/coaching/conversation', form));
      const places = responses.map((response) => [response.status, response.headers.get('location')]);
      assert.deepEqual(places, Array(3).fill(places[0]));
      assert.equal(places[0]![0], 303);
      assert.equal(
        await count(
          database,
          sql`select count(*)::int as n from coaching_entry where talked_about = ${form.talkedAbout}`,
        ),
        1,
      );
    });

    it('a double click (two at the same moment) stores one conversation', async () => {
      await amara.get('/coaching/conversation');
      const form = {
        _once: onceOf(amara, '/coaching/conversation'),
        person: jordanId,
        talkedAbout: 'Double click on a slow phone',
      };
      const [first, second] = await Promise.all([
        amara.post('/coaching/conversation', form),
        amara.post('/coaching/conversation', form),
      ]);
      assert.equal(first.status, 303);
      assert.equal(second.status, 303);
      assert.equal(first.headers.get('location'), second.headers.get('location'));
      assert.equal(
        await count(
          database,
          sql`select count(*)::int as n from coaching_entry where talked_about = ${form.talkedAbout}`,
        ),
        1,
      );
    });

    it('a form shown again with a message can be corrected and sent with the same token', async () => {
      await amara.get('/coaching/conversation');
      const once = onceOf(amara, '/coaching/conversation');
      const missing = await amara.post('/coaching/conversation', {
        _once: once,
        person: jordanId,
        talkedAbout: '',
      });
      assert.equal(missing.status, 400);
      const fixed = await amara.post('/coaching/conversation', {
        _once: once,
        person: jordanId,
        talkedAbout: 'Corrected and sent again',
      });
      assert.equal(fixed.status, 303);
      assert.equal(
        await count(
          database,
          sql`select count(*)::int as n from coaching_entry where talked_about = 'Corrected and sent again'`,
        ),
        1,
      );
    });

    it('a token is only good in the session that was shown the form', async () => {
      await amara.get('/coaching/conversation');
      const form = {
        _once: onceOf(amara, '/coaching/conversation'),
        person: jordanId,
        talkedAbout: 'Said in one session',
      };
      assert.equal((await amara.post('/coaching/conversation', form)).status, 303);
      const colleague = new Visitor(app);
      await colleague.signIn('lead@riverside.example');
      await colleague.get('/choose-organisation');
      await colleague.post('/choose-organisation', { organisation: '00000000-0000-4000-8000-000000000001' });
      await colleague.get('/coaching/conversation');
      assert.equal((await colleague.post('/coaching/conversation', form)).status, 303);
      assert.equal(
        await count(
          database,
          sql`select count(*)::int as n from coaching_entry where talked_about = 'Said in one session'`,
        ),
        2,
        "another person's submission of a token is their own",
      );
    });

    it('a recorded time-bank exchange moves the hours once', async () => {
      const gareth = new Visitor(app, '203.0.113.9');
      await gareth.signIn('lead@riverside.example');
      await gareth.get('/choose-organisation');
      await gareth.post('/choose-organisation', { organisation: '00000000-0000-4000-8000-000000000001' });
      const [bank] = await rowsOf<{ id: string }>(
        withSystem(database, (tx) =>
          tx.execute(sql`select id from time_bank where name = 'Riverside Time Bank'`),
        ),
      );
      const [giver, receiver] = await rowsOf<{ id: string }>(
        withSystem(database, (tx) =>
          tx.execute(sql`select a.id from time_bank_account a join person p on p.id = a.person_id
            where a.bank_id = ${bank!.id} and a.kind = 'member' and p.called_name in ('Dev', 'Jordan')
            order by p.called_name`),
        ),
      );
      const balance = async (accountId: string) =>
        count(database, sql`select balance_minutes::int as n from time_bank_account where id = ${accountId}`);
      const before = [await balance(giver!.id), await balance(receiver!.id)];
      await gareth.get(`/time-bank/${bank!.id}/record`);
      const form = {
        _once: onceOf(gareth, `/time-bank/${bank!.id}/record`),
        giver: giver!.id,
        receiver: receiver!.id,
        hours: '1',
        minutes: '15',
        whatWasDone: 'Helped carry the shopping home',
      };
      for (let n = 0; n < 3; n++)
        assert.equal((await gareth.post(`/time-bank/${bank!.id}/record`, form)).status, 303);
      assert.deepEqual(
        [await balance(giver!.id), await balance(receiver!.id)],
        [before[0]! + 75, before[1]! - 75],
      );
    });

    it('a challenge sent twice is raised once', async () => {
      await amara.get('/learning/challenges/new');
      const form = {
        _once: onceOf(amara, '/learning/challenges'),
        addressedTo: 'leaders',
        whatIsWrong: 'The rota changes with a day of notice',
        suggestion: '',
        whoItAffects: '',
        anonymity: 'named',
      };
      const first = await amara.post('/learning/challenges', form);
      const second = await amara.post('/learning/challenges', form);
      assert.equal(first.status, 303);
      assert.equal(second.headers.get('location'), first.headers.get('location'));
      assert.equal(
        await count(
          database,
          sql`select count(*)::int as n from learning_challenge where what_is_wrong = ${form.whatIsWrong}`,
        ),
        1,
      );
    });

    it('a personal-budget request sent twice is asked once', async () => {
      const jordan = new Visitor(app);
      await jordan.signIn('person@riverside.example');
      await jordan.get(`/budget/people/${jordanId}/ask`);
      const form = {
        _once: onceOf(jordan, `/budget/people/${jordanId}/requests`),
        words: 'Train ticket to see my sister',
        amount: '12.50',
        goal: '',
      };
      const first = await jordan.post(`/budget/people/${jordanId}/requests`, form);
      assert.equal(first.status, 303, jordan.lastBody.slice(0, 400));
      await jordan.post(`/budget/people/${jordanId}/requests`, form);
      assert.equal(
        await count(
          database,
          sql`select count(*)::int as n from personal_budget_request where words = ${form.words}`,
        ),
        1,
      );
    });

    it('the public "ask for a coach" form sent twice asks once', async () => {
      const visitor = new Visitor(app, '203.0.113.61');
      await visitor.get('/ask/riverside');
      const form = {
        _once: onceOf(visitor, '/ask/riverside'),
        calledName: 'Kit',
        howToReach: 'call 07700 900123 after six',
        consent: 'yes',
      };
      const first = await visitor.post('/ask/riverside', form);
      const second = await visitor.post('/ask/riverside', form);
      assert.equal(first.status, 303);
      assert.equal(second.headers.get('location'), first.headers.get('location'));
      assert.equal(
        await count(
          database,
          sql`select count(*)::int as n from coaching_self_introduction where how_to_reach = ${form.howToReach}`,
        ),
        1,
      );
    });
  });
}
