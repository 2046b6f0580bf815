import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Database } from '../src/core/database/connect.ts';
import { rowsOf, withOrganisation } from '../src/core/database/tenancy.ts';
import { csvCell, toCsv } from '../src/modules/time-bank/statement-files.ts';
import { buildTestApp, Visitor } from './helpers/app.ts';
import { databaseKinds } from './helpers/databases.ts';

const riverside = '00000000-0000-4000-8000-000000000001';
const cwmTeg = '00000000-0000-4000-8000-000000000002';

async function query<T>(database: Database, organisationId: string, text: ReturnType<typeof sql>) {
  return withOrganisation(database, { organisationId }, (scope) => rowsOf<T>(scope.tx.execute(text)));
}

const path = (body: string, pattern: RegExp) => {
  const found = pattern.exec(body);
  assert.ok(found, `nothing matches ${pattern}`);
  return found[1]!;
};

describe('CSV', () => {
  it('quotes fields and defuses formulas', () => {
    assert.equal(csvCell('=SUM(A1)'), "'=SUM(A1)");
    assert.equal(csvCell('+1'), "'+1");
    assert.equal(csvCell('-2 hours'), "'-2 hours");
    assert.equal(csvCell('@x'), "'@x");
    assert.equal(csvCell(-30), '-30');
    assert.equal(csvCell('a, "b"\nc'), '"a, ""b""\nc"');
    assert.equal(toCsv([['a', 1]]), 'a,1\r\n');
  });
});

for (const kind of databaseKinds()) {
  describe(`time bank pages on ${kind.name}`, () => {
    let database: Database;
    let app: Awaited<ReturnType<typeof buildTestApp>>['app'];
    let bank: string;
    let jordan: Visitor;
    let tomasz: Visitor;
    let gareth: Visitor;
    const balanceOf = async (visitor: Visitor) => {
      await visitor.get(`/time-bank/${bank}`);
      return path(visitor.lastBody, /Your balance: <strong>([^<]*)<\/strong>/);
    };

    before(async () => {
      database = await kind.open();
      ({ app } = await buildTestApp(database));
      const [row] = await query<{ id: string }>(
        database,
        riverside,
        sql`select id from time_bank where name = 'Riverside Time Bank'`,
      );
      bank = row!.id;
      jordan = new Visitor(app);
      await jordan.signIn('person@riverside.example');
      tomasz = new Visitor(app, '203.0.113.8');
      await tomasz.signIn('peer@riverside.example');
      gareth = new Visitor(app, '203.0.113.9');
      // Gareth works in two organisations, so signing in asks him which.
      await gareth.signIn('lead@riverside.example');
      await gareth.get('/choose-organisation');
      await gareth.post('/choose-organisation', { organisation: riverside });
    });
    after(() => database.close());

    it('seeds a year of balanced demo exchanges in both organisations', async () => {
      for (const organisationId of [riverside, cwmTeg]) {
        const [row] = await query<{ members: number; exchanges: number; total: number }>(
          database,
          organisationId,
          sql`select (select count(*)::int from time_bank_account where kind = 'member') as members,
            (select count(*)::int from time_bank_exchange) as exchanges,
            (select coalesce(sum(balance_minutes), 0)::int from time_bank_account) as total`,
        );
        assert.ok(row!.members >= 20, `${row!.members} members`);
        assert.ok(row!.exchanges >= 200);
        assert.equal(row!.total, 0);
      }
    });

    it('lets two members post, propose and confirm, and both balances and statements change', async () => {
      const jordanBefore = await balanceOf(jordan);
      await tomasz.get(`/time-bank/${bank}/listings/new`);
      let response = await tomasz.post(`/time-bank/${bank}/listings`, {
        kind: 'offer',
        title: 'Help with the garden',
        description: 'Weeding and mowing',
        availability: 'Saturdays',
        categoryId: '',
      });
      assert.equal(response.status, 303);
      await jordan.get(`/time-bank/${bank}/listings?q=garden&kind=offer`);
      assert.match(jordan.lastBody, /Help with the garden/);
      const proposeLink = path(jordan.lastBody, /href="([^"]*exchanges\/new\?listing=[^"]+)"/);
      await jordan.get(proposeLink.replace(/&amp;/g, '&'));
      assert.match(jordan.lastBody, /value="received" checked/);
      const other = path(jordan.lastBody, /<option value="([^"]+)" selected="">Tomasz/);
      // Bad input first: nothing changes, and the message is beside the field.
      response = await jordan.post(`/time-bank/${bank}/exchanges`, {
        direction: 'received',
        other,
        hours: 'two',
        minutes: '',
        whatWasDone: 'Weeding',
      });
      assert.equal(response.status, 400);
      assert.match(jordan.lastBody, /id="time-error"[\s\S]*Enter the hours as a whole number/);
      assert.match(jordan.lastBody, /value="two"/);
      response = await jordan.post(`/time-bank/${bank}/exchanges`, {
        direction: 'received',
        other,
        hours: '0',
        minutes: '0',
        whatWasDone: 'Weeding',
      });
      assert.equal(response.status, 400);
      assert.match(jordan.lastBody, /at least 1 minute/);
      response = await jordan.post(`/time-bank/${bank}/exchanges`, {
        direction: 'received',
        other: crypto.randomUUID(),
        hours: '1',
        minutes: '30',
        whatWasDone: 'Weeding',
      });
      assert.equal(response.status, 400);
      assert.match(jordan.lastBody, /cannot find that member/);
      response = await jordan.post(`/time-bank/${bank}/exchanges`, {
        direction: 'received',
        other,
        hours: '1',
        minutes: '30',
        whatWasDone: 'Weeding',
      });
      assert.equal(response.status, 303);
      const exchangePath = response.headers.get('location')!.replace(/\?.*/, '');
      await jordan.get(exchangePath);
      assert.doesNotMatch(jordan.lastBody, /Yes, this happened/, 'the proposer has confirmed already');
      assert.equal(await balanceOf(jordan), jordanBefore);
      // Someone who is not part of it cannot see or confirm it.
      assert.equal((await gareth.get(`/time-bank/${bank}/listings`)).status, 200);
      const nia = new Visitor(app, '203.0.113.10');
      await nia.signIn('admin@riverside.example');
      await nia.get(exchangePath);
      assert.equal((await nia.post(`${exchangePath}/confirm`, {})).status, 400);
      assert.match(nia.lastBody, /Only the two people/);
      const tomaszBefore = await balanceOf(tomasz);
      await tomasz.get(`/time-bank/${bank}`);
      assert.match(tomasz.lastBody, /waiting for you to confirm/);
      await tomasz.get(exchangePath);
      response = await tomasz.post(`${exchangePath}/confirm`, {});
      assert.equal(response.status, 303);
      response = await tomasz.post(`${exchangePath}/confirm`, {});
      assert.equal(response.status, 400);
      assert.match(tomasz.lastBody, /no longer waiting/);
      assert.notEqual(await balanceOf(tomasz), tomaszBefore);
      assert.notEqual(await balanceOf(jordan), jordanBefore);
      await jordan.get(`/time-bank/${bank}/statement`);
      assert.match(
        jordan.lastBody,
        /Weeding<\/td><td class="govuk-table__cell">Tomasz<\/td><td[^>]*>−1 hour 30 minutes/,
      );
      const csv = await jordan.get(`/time-bank/${bank}/statement.csv`);
      assert.equal(csv.headers.get('content-type'), 'text/csv; charset=utf-8');
      assert.match(jordan.lastBody, /Weeding,Tomasz,'−1 hour 30 minutes|Weeding,Tomasz,−1 hour 30 minutes/);
      assert.match(jordan.lastBody, /,-90\r\n/);
    });

    it('lets a coordinator record for an offline member, print a statement, and correct it', async () => {
      await gareth.get(`/time-bank/${bank}/record`);
      assert.equal((await gareth.get(`/time-bank/${bank}/record`)).status, 200);
      const sam = path(gareth.lastBody, /<option value="([^"]+)">Sam \(recorded by a coordinator\)/);
      const dev = path(gareth.lastBody, /<option value="([^"]+)">Dev</);
      let response = await gareth.post(`/time-bank/${bank}/record`, {
        giver: sam,
        receiver: sam,
        hours: '1',
        minutes: '',
        whatWasDone: 'Shopping',
      });
      assert.equal(response.status, 400);
      assert.match(gareth.lastBody, /two different people/);
      response = await gareth.post(`/time-bank/${bank}/record`, {
        giver: sam,
        receiver: dev,
        hours: '200',
        minutes: '',
        whatWasDone: 'Shopping',
      });
      assert.equal(response.status, 400);
      response = await gareth.post(`/time-bank/${bank}/record`, {
        giver: dev,
        receiver: sam,
        hours: '90',
        minutes: '',
        whatWasDone: 'Shopping',
      });
      assert.equal(response.status, 400, 'past the overdraft limit');
      assert.match(gareth.lastBody, /past the limit/);
      response = await gareth.post(`/time-bank/${bank}/record`, {
        giver: sam,
        receiver: dev,
        hours: '2',
        minutes: '15',
        whatWasDone: 'Did the weekly shop',
        happenedOn: '2026-02-31',
      });
      assert.equal(response.status, 400, 'not a real date');
      response = await gareth.post(`/time-bank/${bank}/record`, {
        giver: sam,
        receiver: dev,
        hours: '2',
        minutes: '15',
        whatWasDone: 'Did the weekly shop',
      });
      assert.equal(response.status, 303);
      const exchangePath = response.headers.get('location')!.replace(/\?.*/, '');
      const pdf = await gareth.get(`/time-bank/${bank}/members/${sam}/statement.pdf`);
      assert.equal(pdf.headers.get('content-type'), 'application/pdf');
      assert.ok(gareth.lastBody.startsWith('%PDF-'));
      await gareth.get(`/time-bank/${bank}/members/${sam}/statement`);
      assert.match(gareth.lastBody, /Did the weekly shop/);
      await gareth.get(exchangePath);
      response = await gareth.post(`${exchangePath}/reverse`, { reason: '' });
      assert.equal(response.status, 400);
      response = await gareth.post(`${exchangePath}/reverse`, { reason: 'It was the week before' });
      assert.equal(response.status, 303);
      await gareth.get(`/time-bank/${bank}/members/${sam}/statement`);
      assert.match(gareth.lastBody, /Correction: Did the weekly shop/);
      // Members cannot use the coordinator's pages.
      assert.equal((await jordan.get(`/time-bank/${bank}/record`)).status, 403);
      assert.equal((await jordan.get(`/time-bank/${bank}/members/${sam}/statement.pdf`)).status, 404);
    });

    it('records a workshop for a group in one action, all or nothing', async () => {
      await gareth.get(`/time-bank/${bank}/group`);
      const options = [...gareth.lastBody.matchAll(/name="many" type="checkbox" value="([^"]+)"/g)].map(
        (m) => m[1]!,
      );
      const [one, ...many] = options.slice(1, 6);
      const [before] = await query<{ n: number }>(
        database,
        riverside,
        sql`select count(*)::int as n from time_bank_entry`,
      );
      let response = await gareth.post(`/time-bank/${bank}/group`, {
        direction: 'one-gives',
        one: one!,
        many: many,
        hours: '99',
        minutes: '',
        whatWasDone: 'Cooking workshop',
      });
      assert.equal(response.status, 400, 'someone would pass the limit');
      const [unchanged] = await query<{ n: number }>(
        database,
        riverside,
        sql`select count(*)::int as n from time_bank_entry`,
      );
      assert.equal(unchanged!.n, before!.n);
      response = await gareth.post(`/time-bank/${bank}/group`, {
        direction: 'one-gives',
        one: one!,
        many,
        hours: '2',
        minutes: '',
        whatWasDone: 'Cooking workshop',
      });
      assert.equal(response.status, 303);
      const [afterwards] = await query<{ n: number }>(
        database,
        riverside,
        sql`select count(*)::int as n from time_bank_entry`,
      );
      assert.equal(afterwards!.n, before!.n + many.length * 2);
      await gareth.get(`/time-bank/${bank}/coordinator`);
      assert.equal((await gareth.get(`/time-bank/${bank}/coordinator`)).status, 200);
      assert.match(gareth.lastBody, /No exchange for 90 days/);
      assert.match(gareth.lastBody, /Exchanges by category/);
    });

    it('keeps other organisations and unknown ids out', async () => {
      const elin = new Visitor(app, '203.0.113.11');
      await elin.signIn('person@cwmteg.example');
      assert.equal((await elin.get(`/time-bank/${bank}`)).status, 404);
      assert.equal((await elin.get(`/time-bank/${bank}/statement`)).status, 404);
      assert.equal((await jordan.get('/time-bank/not-a-uuid')).status, 404);
      assert.equal((await jordan.get(`/time-bank/${bank}/exchanges/${crypto.randomUUID()}`)).status, 404);
    });

    it('lets members of linked banks exchange with each other', async () => {
      const [north] = await query<{ id: string }>(
        database,
        riverside,
        sql`select id from time_bank where name = 'Northfield Time Bank'`,
      );
      await gareth.get(`/time-bank/${bank}/links`);
      assert.match(gareth.lastBody, /Northfield Time Bank: linked/);
      await jordan.get(`/time-bank/${bank}/exchanges/new`);
      const yusuf = path(jordan.lastBody, /<option value="([^"]+)">Yusuf \(Northfield Time Bank\)/);
      const response = await jordan.post(`/time-bank/${bank}/exchanges`, {
        direction: 'gave',
        other: yusuf,
        hours: '1',
        minutes: '',
        whatWasDone: 'Company',
      });
      assert.equal(response.status, 303);
      const id = response.headers.get('location')!.replace(/\?.*/, '').split('/').pop()!;
      // Yusuf has no account, so the coordinator of Northfield confirms as him here through the ledger.
      const [counted] = await query<{ status: string }>(
        database,
        riverside,
        sql`select status from time_bank_exchange where id = ${id}`,
      );
      assert.equal(counted!.status, 'proposed');
      for (const b of [bank, north!.id]) {
        const [sum] = await query<{ total: number }>(
          database,
          riverside,
          sql`select coalesce(sum(balance_minutes), 0)::int as total from time_bank_account where bank_id = ${b}`,
        );
        assert.equal(sum!.total, 0);
      }
    });
  });
}
