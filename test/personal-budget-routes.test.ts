import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Database } from '../src/core/database/connect.ts';
import { rowsOf, withOrganisation, withSystem } from '../src/core/database/tenancy.ts';
import { createPerson } from '../src/core/people.ts';
import { periodOf } from '../src/core/periods.ts';
import { approveRequest, askToSpend, findBudget } from '../src/modules/personal-budget/budget.ts';
import { receiptImage } from '../src/modules/personal-budget/demo.ts';
import { personalBudget } from '../src/modules/personal-budget/index.tsx';
import { formatPence } from '../src/modules/personal-budget/money.ts';
import { buildTestApp, recordWriter, Visitor } from './helpers/app.ts';
import { databaseKinds } from './helpers/databases.ts';

const riverside = '00000000-0000-4000-8000-000000000001';
const cwmTeg = '00000000-0000-4000-8000-000000000002';
const jordanId = '00000000-0000-4000-8100-000000000006';
const samId = '00000000-0000-4000-8100-000000000007';
const elinId = '00000000-0000-4000-8200-000000000003';

async function query<T>(database: Database, organisationId: string, text: ReturnType<typeof sql>) {
  return withOrganisation(database, { organisationId }, (scope) => rowsOf<T>(scope.tx.execute(text)));
}

/** A visitor that can also send a multipart form with a file, as a phone's browser sends a photo. */
class Uploader extends Visitor {
  upload(
    path: string,
    fields: Record<string, string>,
    file: { name: string; type: string; bytes: Uint8Array } | null,
  ) {
    return this.uploadFile(path, fields, 'receipt', file);
  }
}

const found = (body: string, pattern: RegExp) => {
  const match = pattern.exec(body);
  assert.ok(match, `nothing matches ${pattern}`);
  return match[1]!;
};

/** "Left in the budget: £X" on a budget page. */
const leftIn = (body: string) => found(body, /Left in the budget: <strong>([^<]+)<\/strong>/);

for (const kind of databaseKinds()) {
  describe(`personal budget pages on ${kind.name}`, () => {
    let database: Database;
    let app: Awaited<ReturnType<typeof buildTestApp>>['app'];
    let jordan: Uploader;
    let gareth: Uploader;
    let amara: Uploader;
    let priya: Uploader;

    const budgetOf = async (organisationId: string, personId: string) => {
      const [row] = await query<{ balance: number; entries: number; sum: number }>(
        database,
        organisationId,
        sql`select a.balance_pence::int as balance,
          (select count(*)::int from personal_budget_entry e where e.account_id = a.id) as entries,
          (select coalesce(sum(pence), 0)::int from personal_budget_entry e where e.account_id = a.id) as sum
          from personal_budget_account a where a.person_id = ${personId}`,
      );
      assert.ok(row, 'the budget is open');
      assert.equal(row.balance, row.sum, 'the balance is the sum of the ledger');
      return row;
    };
    const statusOf = async (organisationId: string, requestId: string) => {
      const [row] = await query<{ status: string }>(
        database,
        organisationId,
        sql`select status from personal_budget_request where id = ${requestId}`,
      );
      return row?.status;
    };
    /** Jordan asks for something and returns the new request's path. */
    const ask = async (words: string, amount: string) => {
      await jordan.get(`/budget/people/${jordanId}/ask`);
      const response = await jordan.post(`/budget/people/${jordanId}/requests`, { words, amount, goal: '' });
      assert.equal(response.status, 303, jordan.lastBody.slice(0, 300));
      await jordan.get(`/budget/people/${jordanId}`);
      const id = found(jordan.lastBody, new RegExp(`href="/budget/requests/([^"]+)">${words}<`));
      return `/budget/requests/${id}`;
    };

    before(async () => {
      database = await kind.open();
      ({ app } = await buildTestApp(database));
      jordan = new Uploader(app);
      await jordan.signIn('person@riverside.example');
      gareth = new Uploader(app, '203.0.113.9');
      await gareth.signIn('lead@riverside.example');
      await gareth.get('/choose-organisation');
      await gareth.post('/choose-organisation', { organisation: riverside });
      amara = new Uploader(app, '203.0.113.11');
      await amara.signIn('coach@riverside.example');
      priya = new Uploader(app, '203.0.113.12');
      await priya.signIn('admin@riverside.example');
    });
    after(() => database.close());

    it('seeds budgets, requests, a question, spends and a receipt in both organisations', async () => {
      for (const organisationId of [riverside, cwmTeg]) {
        const [row] = await query<{ budgets: number; spent: number; receipts: number; questions: number }>(
          database,
          organisationId,
          sql`select (select count(*)::int from personal_budget_account) as budgets,
            (select count(*)::int from personal_budget_request where status = 'spent') as spent,
            (select count(*)::int from personal_budget_receipt) as receipts,
            (select count(*)::int from personal_budget_question) as questions`,
        );
        assert.ok(row!.budgets >= 2 && row!.spent >= 2 && row!.receipts >= 1 && row!.questions >= 1);
      }
      const { balance } = await budgetOf(riverside, jordanId);
      assert.equal(balance, 25_000 - 4500 - 3699);
    });

    it('approves and spends with a receipt photo, and the balance is right', async () => {
      const before = (await budgetOf(riverside, jordanId)).balance;
      const path = await ask('Swimming lessons at the leisure centre', '£24.50');
      await gareth.get(path);
      assert.match(gareth.lastBody, /Approve £24.50/);
      assert.equal((await gareth.post(`${path}/approve`, {})).status, 303);
      assert.equal(await statusOf(riverside, path.split('/').pop()!), 'approved');
      await jordan.get(`/budget/people/${jordanId}`);
      assert.match(jordan.lastBody, /£24.50 of it is approved and waiting to be spent/);
      await jordan.get(path);
      assert.match(jordan.lastBody, /enctype="multipart\/form-data"/);
      assert.match(jordan.lastBody, /type="file" accept="image\/\*" capture="environment"/);
      const photo = receiptImage();
      const response = await jordan.upload(
        `${path}/spend`,
        { amount: '23.99' },
        { name: 'receipt.png', type: 'image/png', bytes: photo },
      );
      assert.equal(response.status, 303, jordan.lastBody.slice(0, 500));
      const after = await budgetOf(riverside, jordanId);
      assert.equal(after.balance, before - 2399);
      await jordan.get(`/budget/people/${jordanId}`);
      assert.equal(leftIn(jordan.lastBody), formatPence(before - 2399));
      assert.match(jordan.lastBody, /Spent: Swimming lessons at the leisure centre/);
      assert.match(jordan.lastBody, /−£23.99/);
      // The receipt comes back as it went in, as an image the browser must not second-guess.
      await jordan.get(path);
      assert.match(
        jordan.lastBody,
        /<img[^>]*src="\/budget\/requests\/[^"]+\/receipt"[^>]*alt="Photo of the receipt/,
      );
      const receipt = await jordan.get(`${path}/receipt`);
      assert.equal(receipt.status, 200);
      assert.equal(receipt.headers.get('content-type'), 'image/png');
      assert.equal(receipt.headers.get('x-content-type-options'), 'nosniff');
      assert.match(receipt.headers.get('content-disposition') ?? '', /^inline/);
      assert.deepEqual(new Uint8Array(await receipt.arrayBuffer()), new Uint8Array(photo));
      const [looked] = await query<{ n: number }>(
        database,
        riverside,
        sql`select count(*)::int as n from audit_event where subject_type = 'personal-budget:receipt'
          and action = 'read' and subject_person_id = ${jordanId}`,
      );
      assert.ok(looked!.n >= 1, 'looking at a receipt is audited');
      // Spent is final: a second spend changes nothing.
      assert.equal((await jordan.upload(`${path}/spend`, { amount: '1' }, null)).status, 400);
      assert.match(jordan.lastBody, /not approved, so it cannot be spent/);
      assert.equal((await budgetOf(riverside, jordanId)).balance, before - 2399);
    });

    it('refuses to approve or spend beyond the balance, unless a lead overrides with words (audited)', async () => {
      const { balance } = await budgetOf(riverside, jordanId);
      // The seeded laptop request (£120) is waiting too: approving it first leaves less free.
      const path = await ask('A bike to get to work', '£9,999');
      const requestId = path.split('/').pop()!;
      await gareth.get(path);
      assert.match(gareth.lastBody, /This is more than the £[\d,.]+ free in this budget/);
      let response = await gareth.post(`${path}/approve`, {});
      assert.equal(response.status, 400);
      assert.match(gareth.lastBody, /id="override-error"[\s\S]*free in this budget, so nothing was changed/);
      assert.equal(await statusOf(riverside, requestId), 'asked');
      // Ticking without words is not enough.
      response = await gareth.post(`${path}/approve`, { override: 'yes', overrideWords: ' ' });
      assert.equal(response.status, 400);
      assert.match(gareth.lastBody, /Say why it is right to go over the balance/);
      assert.match(gareth.lastBody, /value="yes" checked/);
      assert.equal(await statusOf(riverside, requestId), 'asked');
      response = await gareth.post(`${path}/approve`, {
        override: 'yes',
        overrideWords: 'A one-off: the bike gets Jordan to the new job',
      });
      assert.equal(response.status, 303);
      assert.equal(await statusOf(riverside, requestId), 'approved');
      const [event] = await query<{ detail: Record<string, unknown> }>(
        database,
        riverside,
        sql`select detail from audit_event where action = 'personal-budget:approve' and subject_id = ${requestId}`,
      );
      assert.equal(event!.detail.override, true);
      assert.doesNotMatch(JSON.stringify(event!.detail), /one-off/, 'the audit names fields, never words');
      // The person may spend up to what was approved, more is refused; the ledger shows the override.
      await jordan.get(path);
      response = await jordan.upload(`${path}/spend`, { amount: '10000' }, null);
      assert.equal(response.status, 400);
      assert.match(jordan.lastBody, /more than the £9,999.00 approved/);
      assert.match(jordan.lastBody, /value="10000"/, 'what was typed is kept');
      assert.equal((await budgetOf(riverside, jordanId)).balance, balance);
      response = await jordan.upload(`${path}/spend`, { amount: '9999' }, null);
      assert.equal(response.status, 303);
      assert.equal((await budgetOf(riverside, jordanId)).balance, balance - 999_900);
      await jordan.get(`/budget/people/${jordanId}`);
      assert.match(jordan.lastBody, /Left in the budget:[\s\S]*<strong>−£/);
      assert.match(jordan.lastBody, /Over the balance, agreed by a lead:<\/strong> A one-off/);
      const [spend] = await query<{ n: number }>(
        database,
        riverside,
        sql`select count(*)::int as n from audit_event where action = 'personal-budget:spend'
          and subject_id = ${requestId} and detail ->> 'override' = 'true'`,
      );
      assert.equal(spend!.n, 1);
      // Now nothing is free: another request cannot be approved without an override either.
      const small = await ask('A phone top-up', '5');
      assert.equal((await gareth.post(`${small}/approve`, {})).status, 400);
      assert.equal(await statusOf(riverside, small.split('/').pop()!), 'asked');
      // A lead corrects the big spend: a reversing entry with a reason; the original stays.
      await gareth.get(`/budget/people/${jordanId}`);
      const correct = found(
        gareth.lastBody,
        /href="([^"]+\/correct)">Correct this entry<span[^>]*>\s*\(−£9,999\.00/,
      );
      await gareth.get(correct);
      assert.equal((await gareth.post(correct, { reason: '' })).status, 400);
      assert.match(gareth.lastBody, /Say why, so it makes sense/);
      assert.equal((await gareth.post(correct, { reason: 'The bike shop refunded it' })).status, 303);
      assert.equal((await budgetOf(riverside, jordanId)).balance, balance);
      assert.equal((await gareth.post(correct, { reason: 'Again' })).status, 400);
      assert.match(gareth.lastBody, /corrected already/);
      assert.equal((await budgetOf(riverside, jordanId)).balance, balance);
      await assert.rejects(
        withSystem(database, (tx) => tx.execute(sql`update personal_budget_entry set pence = 1`)),
      );
    });

    it('refuses a receipt that is not a photo, or too large, and changes nothing', async () => {
      const path = await ask('Art materials for the course', '12');
      const requestId = path.split('/').pop()!;
      await gareth.post(`${path}/approve`, {});
      assert.equal(await statusOf(riverside, requestId), 'approved');
      const { balance } = await budgetOf(riverside, jordanId);
      await jordan.get(path);
      const pdf = new TextEncoder().encode('%PDF-1.7 a receipt that is really a document');
      let response = await jordan.upload(
        `${path}/spend`,
        { amount: '11.50' },
        { name: 'receipt.png', type: 'image/png', bytes: pdf },
      );
      assert.equal(response.status, 400);
      assert.match(jordan.lastBody, /id="receipt-error"[\s\S]*must be a photo/);
      assert.match(jordan.lastBody, /value="11.50"/);
      // Just over 5 MB but within the upload path's limit: the message is beside the field.
      const big = new Uint8Array(5 * 1024 * 1024 + 10);
      big.set(receiptImage().subarray(0, 8));
      response = await jordan.upload(
        `${path}/spend`,
        { amount: '11.50' },
        { name: 'big.png', type: 'image/png', bytes: big },
      );
      assert.equal(response.status, 400);
      assert.match(jordan.lastBody, /bigger than 5 MB/);
      // Far too big for anything: the kind page for too much at once.
      const huge = new Uint8Array(7 * 1024 * 1024);
      response = await jordan.upload(
        `${path}/spend`,
        { amount: '11.50' },
        { name: 'huge.png', type: 'image/png', bytes: huge },
      );
      assert.equal(response.status, 413);
      assert.match(jordan.lastBody, /That was too much to send at once/);
      assert.equal(await statusOf(riverside, requestId), 'approved');
      assert.equal((await budgetOf(riverside, jordanId)).balance, balance);
      const [receipts] = await query<{ n: number }>(
        database,
        riverside,
        sql`select count(*)::int as n from personal_budget_receipt where request_id = ${requestId}`,
      );
      assert.equal(receipts!.n, 0);
      // A 3 MB photo is more than any other form may send, and is accepted here.
      const photo = new Uint8Array(3 * 1024 * 1024);
      photo.set([0xff, 0xd8, 0xff, 0xe0]);
      await jordan.get(path);
      response = await jordan.upload(
        `${path}/spend`,
        { amount: '11.50' },
        { name: 'IMG_0001.JPG', type: '', bytes: photo },
      );
      assert.equal(response.status, 303, jordan.lastBody.slice(0, 400));
      const receipt = await jordan.get(`${path}/receipt`);
      assert.equal(receipt.headers.get('content-type'), 'image/jpeg');
      // Everywhere else, 1 MB is still the most.
      await priya.get('/budget/settings');
      response = await priya.post('/budget/settings', { amount: '1'.repeat(1024 * 1024 + 10) });
      assert.equal(response.status, 413);
      assert.match(priya.lastBody, /That was too much to send at once/);
    });

    it('lets a lead ask a question, the person answer it, and a coach ask with a person', async () => {
      const path = await ask('A course on cooking on a budget', '30');
      await gareth.get(path);
      assert.equal((await gareth.post(`${path}/question`, { question: '' })).status, 400);
      assert.match(gareth.lastBody, /Write your question/);
      assert.equal((await gareth.post(`${path}/question`, { question: 'Which course is it?' })).status, 303);
      await jordan.get(path);
      assert.match(jordan.lastBody, /A question to answer/);
      assert.match(jordan.lastBody, /Gareth asked:<\/strong> Which course is it\?/);
      assert.equal((await jordan.post(`${path}/answer`, { answer: 'The one at the library' })).status, 303);
      await jordan.get(path);
      assert.match(jordan.lastBody, /Waiting for a lead/);
      assert.match(jordan.lastBody, /Jordan answered:<\/strong> The one at the library/);
      // Amara, a coach, asks with Jordan: the request says so.
      await amara.get(`/budget/people/${jordanId}/ask`);
      assert.match(amara.lastBody, /You are asking with Jordan/);
      assert.equal(
        (
          await amara.post(`/budget/people/${jordanId}/requests`, {
            words: 'Bus fare to the interview',
            amount: '6.40',
          })
        ).status,
        303,
      );
      await jordan.get(`/budget/people/${jordanId}`);
      assert.match(jordan.lastBody, /Bus fare to the interview[\s\S]*?asked with Amara/);
      // Bad amounts get a kind message beside the field, and the words typed are kept.
      for (const [amount, message] of [
        ['12.345', /no more than two numbers after the point/],
        ['-5', /without a minus sign/],
        ['lots', /in pounds and pence, for example £12.50/],
        ['20000', /more than £10,000/],
        ['0', /more than £0/],
      ] as const) {
        const response = await jordan.post(`/budget/people/${jordanId}/requests`, {
          words: 'A coat',
          amount,
        });
        assert.equal(response.status, 400);
        assert.match(jordan.lastBody, message);
        assert.match(jordan.lastBody, /id="amount-error"/);
        assert.match(jordan.lastBody, />A coat<\/textarea>/);
      }
      // A goal id from nowhere is refused, not stored.
      const response = await jordan.post(`/budget/people/${jordanId}/requests`, {
        words: 'A coat',
        amount: '20',
        goal: crypto.randomUUID(),
      });
      assert.equal(response.status, 400);
      assert.match(jordan.lastBody, /Choose one of the goals in the list/);
    });

    it('keeps each budget to its person, coaches and leads', async () => {
      // Jordan cannot see Sam's budget or Sam's requests, or decide on his own.
      assert.equal((await jordan.get(`/budget/people/${samId}`)).status, 403);
      const [samRequest] = await query<{ id: string }>(
        database,
        riverside,
        sql`select id from personal_budget_request where person_id = ${samId} limit 1`,
      );
      assert.equal((await jordan.get(`/budget/requests/${samRequest!.id}`)).status, 403);
      const mine = await ask('A haircut before the interview', '15');
      await jordan.get(mine);
      assert.doesNotMatch(jordan.lastBody, /Approve £15.00/);
      assert.equal((await jordan.post(`${mine}/approve`, {})).status, 403);
      assert.equal(await statusOf(riverside, mine.split('/').pop()!), 'asked');
      assert.equal(
        (await jordan.post(`/budget/people/${jordanId}/top-up`, { amount: '100', words: 'me' })).status,
        403,
      );
      assert.equal((await jordan.get('/budget/waiting')).status, 403);
      // Someone with only their own budget is taken straight to it.
      const home = await jordan.get('/budget');
      assert.equal(home.headers.get('location'), `/budget/people/${jordanId}`);
      // A partner has no budget pages at all; an admin only sets the default.
      const helen = new Visitor(app, '203.0.113.13');
      await helen.signIn('partner@riverside.example');
      assert.equal((await helen.get(`/budget/people/${jordanId}`)).status, 403);
      assert.equal((await priya.get(`/budget/people/${jordanId}`)).status, 403);
      await priya.get('/budget/settings');
      let response = await priya.post('/budget/settings', { amount: '-5' });
      assert.equal(response.status, 400);
      assert.match(priya.lastBody, /without a minus sign/);
      assert.match(priya.lastBody, /value="-5"/);
      response = await priya.post('/budget/settings', { amount: '£300' });
      assert.equal(response.status, 303);
      await priya.get('/budget/settings');
      assert.match(priya.lastBody, /The default now is £300.00/);
      assert.equal((await jordan.post('/budget/settings', { amount: '1' })).status, 403);
      // A coach reads any budget here but cannot decide.
      assert.equal((await amara.get(`/budget/people/${samId}`)).status, 200);
      assert.equal((await amara.post(`${mine}/approve`, {})).status, 403);
    });

    it('answers 404 for another organisation’s ids, and changes nothing', async () => {
      const before = await budgetOf(cwmTeg, elinId);
      const [theirs] = await query<{ id: string; status: string }>(
        database,
        cwmTeg,
        sql`select id, status from personal_budget_request where status = 'asked' limit 1`,
      );
      const [spent] = await query<{ id: string }>(
        database,
        cwmTeg,
        sql`select request_id as id from personal_budget_receipt limit 1`,
      );
      await gareth.get('/budget');
      assert.equal((await gareth.get(`/budget/people/${elinId}`)).status, 404);
      assert.equal((await gareth.get(`/budget/requests/${theirs!.id}`)).status, 404);
      assert.equal((await gareth.get(`/budget/requests/${spent!.id}/receipt`)).status, 404);
      assert.equal((await gareth.post(`/budget/requests/${theirs!.id}/approve`, {})).status, 404);
      assert.equal(
        (await gareth.post(`/budget/requests/${theirs!.id}/decline`, { decisionWords: 'No' })).status,
        404,
      );
      assert.equal(
        (await gareth.post(`/budget/people/${elinId}/top-up`, { amount: '50', words: 'x' })).status,
        404,
      );
      assert.equal((await gareth.post(`/budget/people/${elinId}/open`, { amount: '50' })).status, 404);
      assert.equal(
        (await gareth.post(`/budget/people/${elinId}/entries/1/correct`, { reason: 'x' })).status,
        404,
      );
      assert.equal(
        (await jordan.upload(`/budget/requests/${theirs!.id}/spend`, { amount: '1' }, null)).status,
        404,
      );
      assert.equal(await statusOf(cwmTeg, theirs!.id), theirs!.status);
      assert.deepEqual(await budgetOf(cwmTeg, elinId), before);
      assert.equal((await gareth.get('/budget/requests/not-an-id')).status, 404);
    });

    it('lets only one of two approvals at once take the last of the money', async () => {
      const budget = { id: '', personId: samId };
      const [account] = await query<{ id: string; free: number }>(
        database,
        riverside,
        sql`select id, (balance_pence - (select coalesce(sum(amount_pence), 0) from personal_budget_request
          where account_id = a.id and status = 'approved'))::int as free
          from personal_budget_account a where person_id = ${samId}`,
      );
      budget.id = account!.id;
      // Two requests of 60% of what is free each: either fits alone, both together do not.
      const share = Math.floor((account!.free * 6) / 10);
      const asker = { organisationId: riverside, actorPersonId: samId };
      const ids: string[] = [];
      for (const words of ['First half', 'Second half']) {
        const asked = await withOrganisation(database, asker, async (scope) => {
          const found = await findBudget(scope, samId);
          return askToSpend(scope, found!, { words, pence: share, goalId: null });
        });
        assert.ok(asked.ok);
        ids.push(asked.value);
      }
      const lead = { organisationId: riverside, actorPersonId: '00000000-0000-4000-8100-000000000002' };
      const outcomes = await Promise.all(
        ids.map((id) =>
          withOrganisation(database, lead, (scope) =>
            approveRequest(scope, id, { override: false, overrideWords: '' }),
          ),
        ),
      );
      assert.deepEqual(outcomes.map((o) => o.ok).sort(), [false, true]);
      const refused = outcomes.find((o) => !o.ok);
      assert.equal(refused && !refused.ok && refused.problem, 'over-balance');
    });

    it('lists requests waiting a page at a time, oldest first', async () => {
      for (let n = 1; n <= 27; n++) {
        await jordan.post(`/budget/people/${jordanId}/requests`, {
          words: `Waiting request ${n}`,
          amount: '1',
        });
      }
      await gareth.get('/budget/waiting');
      const first = [...gareth.lastBody.matchAll(/Waiting request (\d+)</g)].map((m) => Number(m[1]));
      assert.ok(first.length > 0 && first.length < 27);
      assert.match(gareth.lastBody, /href="\/budget\/waiting\?page=1" rel="next"/);
      await gareth.get('/budget/waiting?page=1');
      const second = [...gareth.lastBody.matchAll(/Waiting request (\d+)</g)].map((m) => Number(m[1]));
      assert.deepEqual(
        [...first, ...second].slice(-27),
        Array.from({ length: 27 }, (_, i) => i + 1),
      );
      assert.match(gareth.lastBody, /rel="prev"/);
    });

    it('gives its figures for impact, each equal to what is worked out by hand', async () => {
      const organisationId = crypto.randomUUID();
      await database.db.execute(
        sql`insert into organisation (id, slug, name) values (${organisationId}, ${`figures-${organisationId.slice(0, 8)}`}, 'Figures')`,
      );
      const figures = await withOrganisation(database, { organisationId }, async (scope) => {
        const run = (text: ReturnType<typeof sql>) => scope.tx.execute(text);
        const one = async (text: ReturnType<typeof sql>) => (await rowsOf<{ id: string }>(run(text)))[0]!.id;
        const budget = async (calledName: string) => {
          const personId = await createPerson(scope, { calledName, roles: ['person'] });
          const accountId =
            await one(sql`insert into personal_budget_account (organisation_id, person_id, opened_at)
            values (${organisationId}, ${personId}, '2024-12-01T10:00:00Z') returning id`);
          await run(sql`insert into personal_budget_entry (organisation_id, account_id, kind, pence, created_at)
            values (${organisationId}, ${accountId}, 'allocation', 20000, '2024-12-01T10:00:00Z')`);
          return { personId, accountId };
        };
        const goal = (personId: string, theme: string) =>
          one(sql`insert into coaching_goal (organisation_id, person_id, words, theme)
            values (${organisationId}, ${personId}, 'A goal', ${theme}) returning id`);
        const request = (
          who: { personId: string; accountId: string },
          status: string,
          decidedAt: string | null,
          options: { goalId?: string; spent?: number } = {},
        ) =>
          one(sql`insert into personal_budget_request (organisation_id, account_id, person_id, words, amount_pence, goal_id,
              status, asked_at, decided_at, spent_pence)
            values (${organisationId}, ${who.accountId}, ${who.personId}, 'Something', 5000, ${options.goalId ?? null},
              ${status}, '2024-12-15T10:00:00Z', ${decidedAt}, ${options.spent ?? null}) returning id`);
        const spend = (who: { accountId: string }, requestId: string, pence: number, at: string) =>
          one(sql`insert into personal_budget_entry (organisation_id, account_id, kind, pence, request_id, created_at)
            values (${organisationId}, ${who.accountId}, 'spend', ${-pence}, ${requestId}, ${at}) returning id::text`);

        const first = await budget('First');
        const second = await budget('Second');
        const third = await budget('Third');
        // First: 25.00 towards a goal about home in January; 10.00 recorded at 23:30 UTC on 31 March,
        // which is April in the UK (summer time); one approved at that same moment, so April too.
        const home = await goal(first.personId, 'home');
        const r1 = await request(first, 'spent', '2025-01-10T10:00:00Z', { goalId: home, spent: 2500 });
        await spend(first, r1, 2500, '2025-01-12T10:00:00Z');
        const r2 = await request(first, 'spent', '2025-02-27T10:00:00Z', { spent: 1000 });
        await spend(first, r2, 1000, '2025-03-31T23:30:00Z');
        await request(first, 'approved', '2025-03-31T23:30:00Z');
        // Second: 40.00 at 23:30 on 28 February, corrected away in April (so nothing stands of it); 15.00
        // towards a goal about health in March.
        const r3 = await request(second, 'spent', '2025-02-01T10:00:00Z', { spent: 4000 });
        const corrected = await spend(second, r3, 4000, '2025-02-28T23:30:00Z');
        await run(sql`insert into personal_budget_entry (organisation_id, account_id, kind, pence, words, reverses_entry_id, created_at)
          values (${organisationId}, ${second.accountId}, 'correction', 4000, 'Refunded', ${corrected}::bigint, '2025-04-10T10:00:00Z')`);
        const health = await goal(second.personId, 'health');
        const r4 = await request(second, 'spent', '2025-03-01T10:00:00Z', { goalId: health, spent: 1500 });
        await spend(second, r4, 1500, '2025-03-15T10:00:00Z');
        // Third: approved in January then withdrawn; said no to in February; one waiting; 7.00 spent in
        // January on a request approved in December.
        await request(third, 'withdrawn', '2025-01-20T10:00:00Z');
        await request(third, 'declined', '2025-02-10T10:00:00Z');
        await request(third, 'asked', null);
        const r8 = await request(third, 'spent', '2024-12-20T10:00:00Z', { spent: 700 });
        await spend(third, r8, 700, '2025-01-05T10:00:00Z');

        return personalBudget.statistics!(scope, periodOf('2025-01', '2025-03')!);
      });
      const byKey = new Map(figures.map((f) => [f.key, f]));
      const expect = (key: string, value: number, months: number[]) => {
        const found = byKey.get(key);
        assert.ok(found, `no figure ${key}`);
        assert.equal(found.value, value, key);
        assert.deepEqual(found.byMonth, months, `${key} by month`);
      };
      expect('spent-pence', 4700, [3200, 0, 1500]);
      expect('spent-pence-home', 2500, [2500, 0, 0]);
      expect('spent-pence-health', 1500, [0, 0, 1500]);
      expect('spent-pence-no-theme', 700, [700, 0, 0]);
      expect('spent-pence-money', 0, [0, 0, 0]);
      expect('requests-approved', 5, [2, 2, 1]);
      expect('people-spent', 3, [2, 0, 1]);
      assert.equal(
        figures.filter((f) => f.partOf === 'spent-pence').reduce((sum, f) => sum + (f.value ?? 0), 0),
        4700,
        'the themes add up to the whole',
      );
      assert.deepEqual(byKey.get('spent-pence')?.derivation, {
        label: 'statistics.from.spends',
        values: { spends: 3 },
      });
      assert.equal(byKey.get('spent-pence')?.unit, 'money');
      assert.equal(byKey.get('people-spent')?.countsPeople, true);
      assert.equal(byKey.get('requests-approved')?.countsPeople, false);
      assert.ok(figures.every((f) => f.section === 'money'));
      for (const language of ['en', 'cy'] as const) {
        const words = personalBudget.catalogues![language] as Record<string, unknown>;
        const lookUp = (key: string) =>
          key
            .split('.')
            .reduce<unknown>((at, part) => (at as Record<string, unknown> | undefined)?.[part], words);
        for (const f of figures) {
          assert.equal(typeof lookUp(f.label), 'string', `${language} ${f.label}`);
          assert.equal(typeof lookUp(f.derivation.label), 'string', `${language} ${f.derivation.label}`);
        }
      }
    });

    it('gives everything about a person for their export', async () => {
      const exported = (await withOrganisation(database, { organisationId: riverside }, (scope) =>
        personalBudget.exportPerson!(scope, jordanId, recordWriter()),
      )) as { personalBudget: { requests: { receipt: unknown }[]; ledger: unknown[] } };
      assert.ok(exported.personalBudget.ledger.length > 0);
      const receipts = exported.personalBudget.requests.flatMap((r) => (r.receipt ? [r.receipt] : []));
      assert.ok(receipts.length >= 1);
      assert.ok(
        receipts.every((r) => !('bytes' in (r as object))),
        'receipt details, never the photo',
      );
    });
  });
}
