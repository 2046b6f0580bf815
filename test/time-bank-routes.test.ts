import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { csvCell, toCsv, typed } from '../src/core/csv.ts';
import type { Database } from '../src/core/database/connect.ts';
import { rowsOf, withOrganisation } from '../src/core/database/tenancy.ts';
import { createPerson } from '../src/core/people.ts';
import { periodOf } from '../src/core/periods.ts';
import { timeBank } from '../src/modules/time-bank/index.tsx';
import { findMemberAccount, recordExchange } from '../src/modules/time-bank/ledger.ts';
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
  it('defuses only what people typed, quotes fields, and starts with a byte order mark', () => {
    assert.equal(csvCell(typed('=SUM(A1)')), "'=SUM(A1)");
    assert.equal(csvCell(typed('+1')), "'+1");
    assert.equal(csvCell(typed('-2 hours')), "'-2 hours");
    assert.equal(csvCell(typed('@x')), "'@x");
    assert.equal(csvCell(typed('\tx')), "'\tx");
    assert.equal(csvCell(typed('Siân')), 'Siân');
    // The app's own values are written as they are.
    assert.equal(csvCell('+1 hour'), '+1 hour');
    assert.equal(csvCell(-30), '-30');
    assert.equal(csvCell(-1.5), '-1.5');
    assert.equal(csvCell(typed('a, "b"\nc')), '"a, ""b""\nc"');
    assert.equal(toCsv([['a', 1]]), '\uFEFFa,1\r\n');
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
        // The demo's link between banks was asked for by one coordinator and agreed by another.
        const links = await query<{ asked: string; agreed: string }>(
          database,
          organisationId,
          sql`select asked_by_person_id as asked, agreed_by_person_id as agreed from time_bank_link`,
        );
        assert.ok(links.length > 0);
        for (const link of links) assert.notEqual(link.asked, link.agreed);
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
      // Every link in the error summary points at something on the page.
      for (const [, target] of nia.lastBody.matchAll(/govuk-error-summary__list[\s\S]*?href="#([^"]+)"/g))
        assert.match(nia.lastBody, new RegExp(`id="${target}"`));
      assert.match(nia.lastBody, /href="#exchange-status"/);
      // Contact details are not shared on a proposal alone.
      await jordan.get(`/time-bank/${bank}/members/${other}`);
      assert.match(jordan.lastBody, /Shared once you have exchanged with them/);
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
      const bytes = new Uint8Array(await csv.clone().arrayBuffer());
      assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf], 'a UTF-8 byte order mark first');
      // Plain numbers a spreadsheet can add up: minutes, hours, and the balance after in both.
      assert.match(jordan.lastBody, /Weeding,Tomasz,-90,-1\.5,-?\d+,-?\d+(\.\d+)?\r\n/);
      // The date in words, as on the screen, since a person reads this file.
      assert.match(jordan.lastBody, /\r\n\d{1,2} [A-Z][a-z]+ \d{4},Weeding,/);
      assert.doesNotMatch(jordan.lastBody, /\d{4}-\d{2}-\d{2}/);
      assert.doesNotMatch(jordan.lastBody, /'/, 'nothing of the app’s own is prefixed');
      // A download is recorded as an export, apart from looking at the statement on screen.
      const [exported] = await query<{ n: number }>(
        database,
        riverside,
        sql`select count(*)::int as n from audit_event where subject_type = 'time-bank:statement'
          and action = 'export' and detail ->> 'format' = 'csv'`,
      );
      assert.ok(exported!.n >= 1);
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
      assert.match(gareth.lastBody, /This would take Sam past the limit/, 'says whose limit');
      assert.match(gareth.lastBody, /href="#receiver"/);
      for (const [date, words] of [
        ['2999-01-01', /cannot be in the future/],
        ['1900-01-01', /more than a year ago/],
      ] as const) {
        response = await gareth.post(`/time-bank/${bank}/record`, {
          giver: sam,
          receiver: dev,
          hours: '1',
          minutes: '',
          whatWasDone: 'Shopping',
          happenedOn: date,
        });
        assert.equal(response.status, 400, `${date} is refused`);
        assert.match(gareth.lastBody, /id="happenedOn-error"/);
        assert.match(gareth.lastBody, words);
        assert.match(gareth.lastBody, new RegExp(`value="${date}"`));
      }
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
      response = await gareth.post(`${exchangePath}/reverse`, { reverseReason: '' });
      assert.equal(response.status, 400);
      assert.match(gareth.lastBody, /href="#reverseReason"/);
      assert.match(gareth.lastBody, /id="reverseReason"/);
      response = await gareth.post(`${exchangePath}/reverse`, { reverseReason: 'It was the week before' });
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

    it('lets the other bank’s coordinator correct an exchange across the link, and only where they may', async () => {
      const [north] = await query<{ id: string }>(
        database,
        riverside,
        sql`select id from time_bank where name = 'Northfield Time Bank'`,
      );
      const amara = new Visitor(app, '203.0.113.12');
      await amara.signIn('coach@riverside.example');
      await gareth.get(`/time-bank/${bank}/record`);
      const jordanAccount = path(gareth.lastBody, /<option value="([^"]+)">Jordan</);
      const zara = path(gareth.lastBody, /<option value="([^"]+)">Zara \(Northfield Time Bank\)/);
      let response = await gareth.post(`/time-bank/${bank}/record`, {
        giver: jordanAccount,
        receiver: zara,
        hours: '',
        minutes: '40',
        whatWasDone: 'Company on a walk',
      });
      assert.equal(response.status, 303);
      const id = response.headers.get('location')!.replace(/\?.*/, '').split('/').pop()!;
      // Northfield's report counts it, though Riverside recorded it.
      await amara.get(`/time-bank/${north!.id}/coordinator`);
      const zaraRow = /<tr[^>]*>(?:(?!<\/tr>)[\s\S])*>Zara<(?:(?!<\/tr>)[\s\S])*<\/tr>/.exec(amara.lastBody);
      assert.ok(zaraRow, 'Zara is in the report');
      assert.match(zaraRow[0], /40 minutes/);
      assert.doesNotMatch(zaraRow[0], /Not yet/);
      // Amara coordinates Northfield only: she sees and uses the correction there.
      const northPath = `/time-bank/${north!.id}/exchanges/${id}`;
      await amara.get(northPath);
      assert.match(amara.lastBody, /Correct this exchange/);
      await amara.get(`/time-bank/${bank}/exchanges/${id}`);
      assert.doesNotMatch(amara.lastBody, /Correct this exchange/, 'not her bank’s page');
      response = await amara.post(`${northPath}/reverse`, { reverseReason: 'Zara was away that week' });
      assert.equal(response.status, 303);
      const [status] = await query<{ status: string }>(
        database,
        riverside,
        sql`select status from time_bank_exchange where id = ${id}`,
      );
      assert.equal(status!.status, 'reversed');
      // She cannot record between two of Riverside's members from Northfield.
      await gareth.get(`/time-bank/${bank}/record`);
      const dev = path(gareth.lastBody, /<option value="([^"]+)">Dev</);
      response = await amara.post(`/time-bank/${north!.id}/record`, {
        giver: jordanAccount,
        receiver: dev,
        hours: '1',
        minutes: '',
        whatWasDone: 'x',
      });
      assert.equal(response.status, 400);
      // Categories are the organisation's: a coordinator who is not a manager cannot add one.
      assert.equal(
        (await amara.post(`/time-bank/${north!.id}/categories`, { categoryName: 'Knitting' })).status,
        403,
      );
    });

    it('keeps what was typed into "add a category" when something is wrong, and refuses a name twice', async () => {
      const categories = async () =>
        (
          await query<{ n: number }>(
            database,
            riverside,
            sql`select count(*)::int as n from time_bank_category`,
          )
        )[0]!.n;
      const before = await categories();
      await gareth.get(`/time-bank/${bank}/settings`);
      let response = await gareth.post(`/time-bank/${bank}/categories`, {
        categoryName: '',
        categoryNameCy: 'Gwau a gwnïo',
      });
      assert.equal(response.status, 400);
      assert.match(gareth.lastBody, /id="categoryName-error"/);
      assert.match(
        gareth.lastBody,
        /name="categoryNameCy" type="text" value="Gwau a gwnïo"/,
        'the Welsh name is kept',
      );
      assert.match(
        gareth.lastBody,
        /name="name" type="text" value="Riverside Time Bank"/,
        'the settings form is as saved',
      );
      response = await gareth.post(`/time-bank/${bank}/categories`, {
        categoryName: `Knitting ${'and sewing '.repeat(10)}`,
        categoryNameCy: 'Gwau',
      });
      assert.equal(response.status, 400, 'too long');
      assert.match(gareth.lastBody, /value="Knitting and sewing and sewing/);
      response = await gareth.post(`/time-bank/${bank}/categories`, {
        categoryName: 'Knitting',
        categoryNameCy: 'Gwau',
      });
      assert.equal(response.status, 303);
      assert.equal(await categories(), before + 1);
      await gareth.get(`/time-bank/${bank}/settings`);
      response = await gareth.post(`/time-bank/${bank}/categories`, {
        categoryName: ' knitting ',
        categoryNameCy: '',
      });
      assert.equal(response.status, 400, 'the same name again');
      assert.match(gareth.lastBody, /id="categoryName-error"[^>]*>.*There is already a category called that/);
      assert.match(gareth.lastBody, /value=" knitting "/);
      assert.equal(await categories(), before + 1, 'nothing more written');
    });

    it('gives welcome hours from the community account, and the demo reads the same way', async () => {
      await gareth.get(`/time-bank/${bank}`);
      assert.match(gareth.lastBody, /Give welcome hours/);
      await gareth.get(`/time-bank/${bank}/welcome`);
      const nia = path(gareth.lastBody, /<option value="([^"]+)">Nia</);
      const before = await query<{ balance: number }>(
        database,
        riverside,
        sql`select balance_minutes as balance from time_bank_account where id = ${nia}`,
      );
      const response = await gareth.post(`/time-bank/${bank}/welcome`, {
        member: nia,
        hours: '2',
        minutes: '',
        whatWasDone: 'Welcome hours',
      });
      assert.equal(response.status, 303);
      await gareth.get(response.headers.get('location')!);
      assert.match(gareth.lastBody, /Nia received 2 hours of welcome hours from the community account/);
      const after = await query<{ balance: number }>(
        database,
        riverside,
        sql`select balance_minutes as balance from time_bank_account where id = ${nia}`,
      );
      assert.equal(after[0]!.balance, before[0]!.balance + 120, 'the member’s balance goes up');
      // In the demo, every welcome exchange credits a member and is marked as welcome hours.
      const demo = await query<{ kind: string; minutes: number; member: boolean }>(
        database,
        riverside,
        sql`select x.kind, e.minutes, a.kind = 'member' as member from time_bank_exchange x
          join time_bank_entry e on e.exchange_id = x.id join time_bank_account a on a.id = e.account_id
          where x.what_was_done = 'Welcome hours'`,
      );
      assert.ok(demo.length > 4);
      for (const row of demo) {
        assert.equal(row.kind, 'welcome');
        assert.equal(row.minutes > 0, row.member, 'the member is credited, the community account debited');
      }
    });

    it('refuses proposals that cannot count, and offers no confirm button that cannot work', async () => {
      await jordan.get(`/time-bank/${bank}/exchanges/new`);
      const sam = path(jordan.lastBody, /<option value="([^"]+)">Sam</);
      const marcus = path(jordan.lastBody, /<option value="([^"]+)">Tomasz</);
      let response = await jordan.post(`/time-bank/${bank}/exchanges`, {
        direction: 'gave',
        other: sam,
        hours: '1',
        minutes: '',
        whatWasDone: 'Shopping',
      });
      assert.equal(response.status, 400);
      assert.match(jordan.lastBody, /A coordinator records exchanges for Sam/);
      response = await jordan.post(`/time-bank/${bank}/exchanges`, {
        direction: 'gave',
        other: marcus,
        hours: '99',
        minutes: '',
        whatWasDone: 'Shopping',
      });
      assert.equal(response.status, 400);
      assert.match(jordan.lastBody, /This would take Tomasz past the limit/);
      // A proposal that fits today, then Tomasz's balance drops before he confirms.
      response = await jordan.post(`/time-bank/${bank}/exchanges`, {
        direction: 'gave',
        other: marcus,
        hours: '1',
        minutes: '',
        whatWasDone: 'Shopping',
      });
      assert.equal(response.status, 303);
      const exchangePath = response.headers.get('location')!.replace(/\?.*/, '');
      const [limits] = await query<{ balance: number; limit: number }>(
        database,
        riverside,
        sql`select a.balance_minutes as balance, b.overdraft_limit_minutes as limit from time_bank_account a
          join time_bank b on b.id = a.bank_id where a.id = ${marcus}`,
      );
      await gareth.get(`/time-bank/${bank}/record`);
      const dev = path(gareth.lastBody, /<option value="([^"]+)">Dev</);
      const drop = limits!.balance + limits!.limit - 30;
      response = await gareth.post(`/time-bank/${bank}/record`, {
        giver: dev,
        receiver: marcus,
        hours: String(Math.floor(drop / 60)),
        minutes: String(drop % 60),
        whatWasDone: 'Odd jobs',
      });
      assert.equal(response.status, 303);
      const marcusVisitor = tomasz;
      await marcusVisitor.get(exchangePath);
      assert.doesNotMatch(marcusVisitor.lastBody, /Yes, this happened/);
      assert.match(marcusVisitor.lastBody, /This would take you past the limit/);
      // Proposing from an offer or request that has been taken down is refused.
      await tomasz.get(`/time-bank/${bank}/listings/new`);
      await tomasz.post(`/time-bank/${bank}/listings`, {
        kind: 'offer',
        title: 'Bread baking',
        categoryId: '',
      });
      await tomasz.get(`/time-bank/${bank}/listings?q=Bread`);
      const closeAction = path(tomasz.lastBody, /action="([^"]*\/listings\/[^"]+\/close)"/);
      const listingId = closeAction.split('/').at(-2)!;
      await tomasz.post(closeAction, {});
      await jordan.get(`/time-bank/${bank}/exchanges/new`);
      const tomaszAccount = path(jordan.lastBody, /<option value="([^"]+)">Tomasz</);
      response = await jordan.post(`/time-bank/${bank}/exchanges`, {
        direction: 'received',
        other: tomaszAccount,
        hours: '1',
        minutes: '',
        whatWasDone: 'Bread baking',
        listingId,
      });
      assert.equal(response.status, 400);
      assert.match(jordan.lastBody, /has been taken down/);
    });

    it('re-renders forms with the message beside the field, and keeps the directory to members', async () => {
      const [north] = await query<{ id: string }>(
        database,
        riverside,
        sql`select id from time_bank where name = 'Northfield Time Bank'`,
      );
      let response = await jordan.post(`/time-bank/${north!.id}/join`, {
        canOffer: 'Baking',
        contact: 'x'.repeat(10_000),
      });
      assert.equal(response.status, 400);
      assert.match(jordan.lastBody, /id="contact-error"/);
      assert.match(jordan.lastBody, /Baking<\/textarea>/);
      await gareth.get('/time-bank');
      response = await gareth.post('/time-bank', { name: '' });
      assert.equal(response.status, 400);
      assert.match(gareth.lastBody, /id="name-error"/);
      // Jordan has not joined Northfield: its members and offers are for its members.
      for (const page of ['members', 'listings']) {
        response = await jordan.get(`/time-bank/${north!.id}/${page}`);
        assert.equal(response.status, 303, page);
      }
      const [someone] = await query<{ id: string }>(
        database,
        riverside,
        sql`select id from time_bank_account where bank_id = ${north!.id} and kind = 'member' limit 1`,
      );
      assert.equal((await jordan.get(`/time-bank/${north!.id}/members/${someone!.id}`)).status, 303);
    });

    it('records who was shown in the directory, listings and report, and fetches only their names', async () => {
      await jordan.get(`/time-bank/${bank}/members`);
      const [directory] = await query<{ people: string[] }>(
        database,
        riverside,
        sql`select detail -> 'people' as people from audit_event where subject_type = 'time-bank:member'
          and action = 'read' and subject_id is null order by occurred_at desc limit 1`,
      );
      assert.ok(directory!.people.length >= 20);
      await jordan.get(`/time-bank/${bank}/listings?q=Bread`);
      const [listings] = await query<{ people: string[] }>(
        database,
        riverside,
        sql`select detail -> 'people' as people from audit_event where subject_type = 'time-bank:listing'
          and action = 'read' order by occurred_at desc limit 1`,
      );
      assert.ok(Array.isArray(listings!.people));
      await gareth.get(`/time-bank/${bank}/coordinator`);
      const [report] = await query<{ people: string[] }>(
        database,
        riverside,
        sql`select detail -> 'people' as people from audit_event where subject_type = 'time-bank:report'
          order by occurred_at desc limit 1`,
      );
      assert.ok(report!.people.length >= 20);
      // Categories in the report read in alphabetical order.
      const table = /Exchanges by category[\s\S]*?<\/table>/.exec(gareth.lastBody)![0];
      const names = [
        ...table.matchAll(/<tr class="govuk-table__row"><td class="govuk-table__cell">([^<]+)</g),
      ].map((m) => m[1]!);
      assert.ok(names.length >= 5);
      assert.deepEqual(
        names,
        [...names].sort((a, b) => a.localeCompare(b, 'en')),
      );
      // One member's page names one person, not the whole organisation.
      await jordan.get(`/time-bank/${bank}/exchanges/new`);
      const dev = path(jordan.lastBody, /<option value="([^"]+)">Dev</);
      await jordan.get(`/time-bank/${bank}/members/${dev}`);
      const [names1] = await query<{ people: string[] }>(
        database,
        riverside,
        sql`select detail -> 'people' as people from audit_event where subject_type = 'person-list'
          order by occurred_at desc limit 1`,
      );
      assert.equal(names1!.people.length, 1);
      // The printable statement says which language it is in.
      const pdf = await jordan.get(`/time-bank/${bank}/statement.pdf`);
      assert.equal(pdf.status, 200);
      assert.match(jordan.lastBody, /\/Lang \(en-GB\)/);
      await jordan.get('/language/cy');
      await jordan.get(`/time-bank/${bank}/statement.pdf`);
      assert.match(jordan.lastBody, /\/Lang \(cy-GB\)/);
      await jordan.get('/language/en');
    });

    it('pages a long statement on screen, newest first, and keeps every line in the CSV', async () => {
      const garethId = '00000000-0000-4000-8100-000000000002';
      const jordanId = '00000000-0000-4000-8100-000000000006';
      const niaId = '00000000-0000-4000-8100-000000000008';
      await withOrganisation(
        database,
        { organisationId: riverside, actorPersonId: garethId },
        async (scope) => {
          const me = (await findMemberAccount(scope, bank, jordanId))!;
          const nia = (await findMemberAccount(scope, bank, niaId))!;
          for (let i = 0; i < 130; i++) {
            const result = await recordExchange(scope, {
              bankId: bank,
              parts: [
                i % 2 === 0
                  ? { giverAccountId: me.id, receiverAccountId: nia.id, minutes: 1 }
                  : { giverAccountId: nia.id, receiverAccountId: me.id, minutes: 1 },
              ],
              whatWasDone: `Paging line ${i}`,
            });
            assert.ok(result.ok);
          }
        },
      );
      const [total] = await query<{ n: number }>(
        database,
        riverside,
        sql`select count(*)::int as n from time_bank_entry e join time_bank_account a on a.id = e.account_id
          where a.person_id = ${jordanId} and a.bank_id = ${bank}`,
      );
      const rowsOnScreen = () => (jordan.lastBody.match(/<tr class="govuk-table__row">/g) ?? []).length - 1;
      await jordan.get(`/time-bank/${bank}/statement`);
      assert.equal(rowsOnScreen(), 100);
      assert.match(jordan.lastBody, /Paging line 129/, 'the newest line is on the first screen');
      assert.match(jordan.lastBody, /href="[^"]*statement\?page=2"[^>]*rel="next"/);
      assert.doesNotMatch(jordan.lastBody, /rel="prev"/);
      await jordan.get(`/time-bank/${bank}/statement?page=2`);
      assert.equal(rowsOnScreen(), Math.min(100, total!.n - 100));
      assert.match(jordan.lastBody, /rel="prev"/);
      assert.doesNotMatch(jordan.lastBody, /Paging line 129/);
      // Past the last page, the statement starts again from the newest lines.
      const past = await jordan.get(`/time-bank/${bank}/statement?page=999`);
      assert.equal(past.status, 303);
      assert.equal(past.headers.get('location'), `/time-bank/${bank}/statement`);
      // A page number that is not one shows the first page.
      await jordan.get(`/time-bank/${bank}/statement?page=banana`);
      assert.match(jordan.lastBody, /Paging line 129/);
      await jordan.get(`/time-bank/${bank}/statement.csv`);
      assert.equal(jordan.lastBody.trim().split('\r\n').length, total!.n + 1, 'a header and every line');
    });

    it('gives the impact report hours, exchanges and givers that equal what is worked out by hand', async () => {
      const organisationId = crypto.randomUUID();
      await database.db.execute(
        sql`insert into organisation (id, slug, name) values (${organisationId}, ${`figures-${organisationId.slice(0, 8)}`}, 'Figures')`,
      );
      const figures = await withOrganisation(database, { organisationId }, async (scope) => {
        const run = (text: ReturnType<typeof sql>) => scope.tx.execute(text);
        const [bankRow] = await rowsOf<{ id: string }>(
          run(
            sql`insert into time_bank (organisation_id, name) values (${organisationId}, 'Figures bank') returning id`,
          ),
        );
        const bankId = bankRow!.id;
        const account = async (kind: 'member' | 'community', personId: string | null) => {
          const [row] = await rowsOf<{ id: string }>(
            run(sql`insert into time_bank_account (organisation_id, bank_id, kind, person_id)
              values (${organisationId}, ${bankId}, ${kind}, ${personId}) returning id`),
          );
          return row!.id;
        };
        const member = async (calledName: string) =>
          account('member', await createPerson(scope, { calledName }));
        const [ann, bob, cai] = [await member('Ann'), await member('Bob'), await member('Cai')];
        const community = await account('community', null);
        const exchange = async (
          happenedOn: string,
          parts: [string, string, number][],
          status = 'counted',
          kind = 'exchange',
        ) => {
          const [row] = await rowsOf<{ id: string }>(
            run(sql`insert into time_bank_exchange (organisation_id, bank_id, status, kind, what_was_done, happened_on)
              values (${organisationId}, ${bankId}, ${status}, ${kind}, 'Help', ${happenedOn}) returning id`),
          );
          for (const [giver, receiver, minutes] of parts)
            await run(sql`insert into time_bank_exchange_part (organisation_id, exchange_id, giver_account_id,
                receiver_account_id, minutes)
              values (${organisationId}, ${row!.id}, ${giver}, ${receiver}, ${minutes})`);
        };
        // In the period: Ann gives Bob 90 minutes in January; a group exchange in February (Ann and Bob
        // give Cai 60 and 30); Ann gives Bob 45 minutes on 31 March, the last day.
        await exchange('2025-01-10', [[ann, bob, 90]]);
        await exchange('2025-02-28', [
          [ann, cai, 60],
          [bob, cai, 30],
        ]);
        await exchange('2025-03-31', [[ann, bob, 45]]);
        // Not counted: Cai's on 1 April and 31 December, a corrected one, one still proposed, welcome
        // hours and hours credited for peer support (peer support's own figure).
        await exchange('2025-04-01', [[cai, ann, 120]]);
        await exchange('2024-12-31', [[cai, bob, 60]]);
        await exchange('2025-02-10', [[cai, ann, 60]], 'reversed');
        await exchange('2025-03-01', [[cai, bob, 30]], 'proposed');
        await exchange('2025-01-05', [[community, bob, 120]], 'counted', 'welcome');
        await exchange('2025-02-05', [[community, cai, 60]], 'counted', 'peer-hours');
        return timeBank.statistics!(scope, periodOf('2025-01', '2025-03')!);
      });
      const figure = (key: string) => figures.find((f) => f.key === key)!;
      // 90 + 60 + 30 + 45 = 225 minutes = 3.75 hours, shown to one decimal.
      assert.deepEqual(
        { ...figure('hours-exchanged') },
        {
          key: 'hours-exchanged',
          label: 'statistics.hoursExchanged',
          section: 'hours',
          unit: 'hours',
          value: 3.8,
          byMonth: [1.5, 1.5, 0.8],
          derivation: { label: 'statistics.from.exchanges', values: { exchanges: 3 } },
          countsPeople: false,
        },
      );
      assert.equal(figure('exchanges').value, 3);
      assert.deepEqual(figure('exchanges').byMonth, [1, 1, 1]);
      assert.equal(figure('exchanges').unit, 'count');
      // Ann and Bob gave; Cai gave only outside the period or in exchanges that do not count.
      assert.equal(figure('members-who-gave').value, 2);
      assert.equal(figure('members-who-gave').unit, 'people');
      assert.equal(figure('members-who-gave').countsPeople, true);
      assert.deepEqual(
        figures.map((f) => f.key),
        ['hours-exchanged', 'exchanges', 'members-who-gave'],
      );
    });
  });
}
