import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { acrossBridge, answerBridge, findBridge, inviteBridge } from '../src/core/bridges.ts';
import type { Database } from '../src/core/database/connect.ts';
import { rowsOf, withOrganisation, withSystem } from '../src/core/database/tenancy.ts';
import { confirmAcross, listPartnerLinks, proposeAcross } from '../src/modules/time-bank/across.ts';
import { findExchange, findMemberAccount, joinBank } from '../src/modules/time-bank/ledger.ts';
import { buildTestApp, Visitor } from './helpers/app.ts';
import { databaseKinds } from './helpers/databases.ts';

const riverside = '00000000-0000-4000-8000-000000000001';
const cwmTeg = '00000000-0000-4000-8000-000000000002';
const jordanId = '00000000-0000-4000-8100-000000000006';
const elinId = '00000000-0000-4000-8200-000000000003';
const owainId = '00000000-0000-4000-8200-000000000004';
const secretKey = 'a-test-secret-that-is-long-enough-to-use';

async function query<T>(database: Database, organisationId: string, text: ReturnType<typeof sql>) {
  return withOrganisation(database, { organisationId }, (scope) => rowsOf<T>(scope.tx.execute(text)));
}

const bankId = async (database: Database, organisationId: string, name: string) =>
  (
    await query<{ id: string }>(database, organisationId, sql`select id from time_bank where name = ${name}`)
  )[0]!.id;

/** Every bank's balances and entries sum to zero, in each organisation on its own. */
async function assertBalanced(database: Database) {
  for (const organisationId of [riverside, cwmTeg]) {
    const rows = await query<{ bank: string; balances: number; entries: number; stored: number }>(
      database,
      organisationId,
      sql`select b.name as bank,
          (select coalesce(sum(balance_minutes), 0)::int from time_bank_account where bank_id = b.id) as balances,
          (select coalesce(sum(minutes), 0)::int from time_bank_entry where bank_id = b.id) as entries,
          (select count(*)::int from time_bank_account a where a.bank_id = b.id and a.balance_minutes <>
            (select coalesce(sum(minutes), 0) from time_bank_entry e where e.account_id = a.id)) as stored
        from time_bank b`,
    );
    for (const row of rows) {
      assert.equal(row.balances, 0, `${row.bank}: balances sum to zero`);
      assert.equal(row.entries, 0, `${row.bank}: entries sum to zero`);
      assert.equal(row.stored, 0, `${row.bank}: every balance equals the sum of its entries`);
    }
  }
}

const balance = async (database: Database, organisationId: string, personId: string, bank: string) =>
  (
    await query<{ minutes: number }>(
      database,
      organisationId,
      sql`select balance_minutes as minutes from time_bank_account where person_id = ${personId} and bank_id = ${bank}`,
    )
  )[0]!.minutes;

const codeIn = (body: string) => {
  const found = /<strong>([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})<\/strong>/.exec(body);
  assert.ok(found, 'the page shows a link code');
  return found[1]!;
};

for (const kind of databaseKinds()) {
  describe(`organisation bridges on ${kind.name}`, () => {
    let database: Database;
    before(async () => {
      database = await kind.open();
      await buildTestApp(database);
    });
    after(() => database.close());

    it('is invisible to the other organisation until answered, and answers only a live code from elsewhere', async () => {
      const asked = await withOrganisation(database, { organisationId: riverside }, (scope) =>
        inviteBridge(scope, { purpose: 'test', subjectId: riverside, secretKey }),
      );
      const seen = await query<{ n: number }>(
        database,
        cwmTeg,
        sql`select count(*)::int as n from organisation_bridge where id = ${asked.id}`,
      );
      assert.equal(seen[0]!.n, 0, 'another organisation cannot see an unanswered bridge');
      // Riverside cannot answer its own code; a wrong purpose or a wrong code does nothing.
      const own = await withOrganisation(database, { organisationId: riverside }, (scope) =>
        answerBridge(scope, { purpose: 'test', code: asked.code, subjectId: riverside, secretKey }),
      );
      assert.equal(own, null);
      const wrong = await withOrganisation(database, { organisationId: cwmTeg }, async (scope) => [
        await answerBridge(scope, { purpose: 'other', code: asked.code, subjectId: cwmTeg, secretKey }),
        await answerBridge(scope, { purpose: 'test', code: 'AAAA-BBBB-CCCC', subjectId: cwmTeg, secretKey }),
      ]);
      assert.deepEqual(wrong, [null, null]);
      // Typed in lower case without dashes, it still works, once.
      const answered = await withOrganisation(database, { organisationId: cwmTeg }, (scope) =>
        answerBridge(scope, {
          purpose: 'test',
          code: asked.code.toLowerCase().replaceAll('-', ' '),
          subjectId: cwmTeg,
          secretKey,
        }),
      );
      assert.equal(answered?.id, asked.id);
      assert.equal(answered?.answeringOrganisationId, cwmTeg);
      const again = await withOrganisation(database, { organisationId: cwmTeg }, (scope) =>
        answerBridge(scope, { purpose: 'test', code: asked.code, subjectId: cwmTeg, secretKey }),
      );
      assert.equal(again, null, 'a code works once');
      // An expired code does nothing.
      const late = await withOrganisation(database, { organisationId: riverside }, (scope) =>
        inviteBridge(scope, { purpose: 'test', subjectId: riverside, secretKey }),
      );
      await withSystem(database, (tx) =>
        tx.execute(
          sql`update organisation_bridge set code_expires_at = now() - interval '1 minute' where id = ${late.id}`,
        ),
      );
      const expired = await withOrganisation(database, { organisationId: cwmTeg }, (scope) =>
        answerBridge(scope, { purpose: 'test', code: late.code, subjectId: cwmTeg, secretKey }),
      );
      assert.equal(expired, null);
    });

    it('cannot be forged: an organisation can only ask, and a crossing reads the row itself', async () => {
      // Writing a bridge that is already answered by someone else is refused by the database.
      await assert.rejects(
        withOrganisation(database, { organisationId: riverside }, (scope) =>
          scope.tx.execute(sql`insert into organisation_bridge (purpose, asking_organisation_id,
            answering_organisation_id, asking_subject_id, answering_subject_id, code_hash, code_expires_at, answered_at)
            values ('forged', ${riverside}, ${cwmTeg}, ${riverside}, ${cwmTeg}, 'x', now() + interval '1 day', now())`),
        ),
      );
      // A made-up bridge, or a real one for another purpose, cannot be crossed.
      await assert.rejects(
        withOrganisation(database, { organisationId: riverside }, (scope) =>
          acrossBridge(
            scope,
            { id: '00000000-0000-4000-8000-0000000000ff', purpose: 'test' },
            'forged',
            async () => 1,
          ),
        ),
      );
      const asked = await withOrganisation(database, { organisationId: riverside }, (scope) =>
        inviteBridge(scope, { purpose: 'one-thing', subjectId: riverside, secretKey }),
      );
      await withOrganisation(database, { organisationId: cwmTeg }, (scope) =>
        answerBridge(scope, { purpose: 'one-thing', code: asked.code, subjectId: cwmTeg, secretKey }),
      );
      await assert.rejects(
        withOrganisation(database, { organisationId: riverside }, (scope) =>
          acrossBridge(scope, { id: asked.id, purpose: 'another-thing' }, 'wrong purpose', async () => 1),
        ),
      );
      // The organisation that answered cannot rewrite the bridge either.
      await assert.rejects(
        withOrganisation(database, { organisationId: cwmTeg }, (scope) =>
          scope.tx.execute(
            sql`update organisation_bridge set purpose = 'another-thing' where id = ${asked.id}`,
          ),
        ),
      );
    });

    it('crosses only an agreed bridge, returns home after, and leaves a trail on both sides', async () => {
      const asked = await withOrganisation(database, { organisationId: riverside }, (scope) =>
        inviteBridge(scope, { purpose: 'crossing', subjectId: riverside, secretKey }),
      );
      // Not yet answered: there is nothing to cross.
      await assert.rejects(
        withOrganisation(database, { organisationId: riverside }, async (scope) => {
          const bridge = (await findBridge(scope, asked.id))!;
          return acrossBridge(scope, bridge, 'too soon', async () => 1);
        }),
      );
      await withOrganisation(database, { organisationId: cwmTeg }, (scope) =>
        answerBridge(scope, { purpose: 'crossing', code: asked.code, subjectId: cwmTeg, secretKey }),
      );
      const seen = await withOrganisation(database, { organisationId: riverside }, async (scope) => {
        const bridge = (await findBridge(scope, asked.id))!;
        const there = await acrossBridge(scope, bridge, 'a test crossing', async (partner) => {
          const [row] = await rowsOf<{ name: string; current: string }>(
            partner.tx.execute(
              sql`select name, app_current_organisation()::text as current from organisation`,
            ),
          );
          return row;
        });
        const [home] = await rowsOf<{ current: string; people: number }>(
          scope.tx.execute(sql`select app_current_organisation()::text as current,
            (select count(*)::int from person where organisation_id <> ${riverside}) as people`),
        );
        return { there, home };
      });
      assert.equal(seen.there?.current, cwmTeg);
      assert.equal(seen.there?.name, 'Cwm Teg Family Link');
      assert.equal(seen.home?.current, riverside, 'back home after crossing');
      assert.equal(seen.home?.people, 0, 'and seeing only its own people again');
      for (const organisationId of [riverside, cwmTeg]) {
        const trail = await query<{ n: number }>(
          database,
          organisationId,
          sql`select count(*)::int as n from audit_event where action = 'bridge:cross' and subject_id = ${asked.id}
            and detail->>'reason' = 'a test crossing'`,
        );
        assert.equal(trail[0]!.n, 1, `the crossing is in ${organisationId}'s trail`);
      }
    });
  });

  describe(`time banks of two organisations on ${kind.name}`, () => {
    let database: Database;
    let app: Awaited<ReturnType<typeof buildTestApp>>['app'];
    let riversideBank: string;
    let cwmTegBank: string;
    let jordan: Visitor;
    let elin: Visitor;
    let tomasz: Visitor;

    before(async () => {
      database = await kind.open();
      ({ app } = await buildTestApp(database));
      riversideBank = await bankId(database, riverside, 'Riverside Time Bank');
      cwmTegBank = await bankId(database, cwmTeg, 'Banc Amser Cwm Teg');
      jordan = new Visitor(app);
      await jordan.signIn('person@riverside.example');
      elin = new Visitor(app, '203.0.113.21');
      await elin.signIn('person@cwmteg.example');
      tomasz = new Visitor(app, '203.0.113.22');
      await tomasz.signIn('peer@riverside.example');
    });
    after(() => database.close());

    it('links two banks with a code: one coordinator makes it, the other enters it, once', async () => {
      const amara = new Visitor(app, '203.0.113.23');
      await amara.signIn('coach@riverside.example');
      const dafydd = new Visitor(app, '203.0.113.24');
      await dafydd.signIn('coach@cwmteg.example');
      const northfield = await bankId(database, riverside, 'Northfield Time Bank');
      const pentre = await bankId(database, cwmTeg, 'Banc Amser Pentre Isaf');
      // Members cannot make codes; the bank's coordinator can.
      await jordan.get(`/time-bank/${riversideBank}`);
      assert.equal((await jordan.post(`/time-bank/${riversideBank}/partners/code`, {})).status, 403);
      await amara.get(`/time-bank/${northfield}/partners`);
      const made = await amara.post(`/time-bank/${northfield}/partners/code`, {});
      assert.equal(made.status, 200);
      const code = codeIn(amara.lastBody);
      assert.equal(made.headers.get('cache-control'), 'no-store');

      await dafydd.get(`/time-bank/${pentre}/partners`);
      const empty = await dafydd.post(`/time-bank/${pentre}/partners`, { code: '' });
      assert.equal(empty.status, 400);
      assert.match(dafydd.lastBody, /Rhowch y cod cysylltu/, 'in Welsh, as Cwm Teg works');
      const wrong = await dafydd.post(`/time-bank/${pentre}/partners`, { code: 'ABCD-EFGH-JK23' });
      assert.equal(wrong.status, 400);
      assert.match(dafydd.lastBody, /value="ABCD-EFGH-JK23"/, 'what was typed is kept');
      assert.match(dafydd.lastBody, /Nid yw’r cod hwnnw’n gweithio/);
      const entered = await dafydd.post(`/time-bank/${pentre}/partners`, { code });
      assert.equal(entered.status, 303);
      const partnerPath = entered.headers.get('location')!.replace(/\?.*/, '');
      await dafydd.get(partnerPath);
      assert.match(dafydd.lastBody, /Northfield Time Bank \(Riverside Community Coaching\)/);
      // Nobody at Northfield chose to be seen yet.
      assert.match(dafydd.lastBody, /Does dim aelodau o’r banc hwn/);
      assert.equal((await dafydd.post(`/time-bank/${pentre}/partners`, { code })).status, 400, 'once only');

      // Both sides now have a link, each with an account standing for the other bank.
      const here = await query<{ partner: string; organisation: string }>(
        database,
        riverside,
        sql`select partner_bank_name as partner, partner_organisation_name as organisation
          from time_bank_partner_link where bank_id = ${northfield}`,
      );
      assert.deepEqual(here, [{ partner: 'Banc Amser Pentre Isaf', organisation: 'Cwm Teg Family Link' }]);
      const there = await query<{ n: number }>(
        database,
        cwmTeg,
        sql`select count(*)::int as n from time_bank_partner_link l join time_bank_account a on a.id = l.link_account_id
          where l.bank_id = ${pentre} and a.kind = 'link' and a.linked_bank_id = ${northfield}`,
      );
      assert.equal(there[0]!.n, 1);
      // Another organisation's link is not found from here.
      const [cwmLink] = await query<{ id: string }>(
        database,
        cwmTeg,
        sql`select id from time_bank_partner_link where bank_id = ${pentre}`,
      );
      await amara.get(`/time-bank/${northfield}/partners/${cwmLink!.id}`);
      assert.equal((await amara.get(`/time-bank/${northfield}/partners/${cwmLink!.id}`)).status, 404);
    });

    it('shows only members who chose to be seen, and records in their organisation that they were', async () => {
      await jordan.get(`/time-bank/${riversideBank}`);
      assert.match(jordan.lastBody, /Members of partner banks in other organisations/);
      const [link] = await query<{ id: string }>(
        database,
        riverside,
        sql`select id from time_bank_partner_link where bank_id = ${riversideBank}`,
      );
      await jordan.get(`/time-bank/${riversideBank}/partners/${link!.id}`);
      assert.match(jordan.lastBody, /Elin/);
      assert.match(jordan.lastBody, /Owain/);
      // Dafydd is a member of the Cwm Teg bank but did not choose to be seen.
      assert.doesNotMatch(jordan.lastBody, /Dafydd/);
      // Nor is anyone's way to be reached.
      assert.doesNotMatch(jordan.lastBody, /01234 567890/);
      const trail = await query<{ n: number }>(
        database,
        cwmTeg,
        sql`select count(*)::int as n from audit_event where subject_person_id = ${elinId}
          and detail->>'shownTo' = 'partner-bank'`,
      );
      assert.ok(trail[0]!.n >= 1, 'Elin can see in her own organisation that she was shown');

      // Tomasz chooses to be seen; Elin then finds him. Unticking hides him again.
      await tomasz.get(`/time-bank/${riversideBank}/profile`);
      await tomasz.post(`/time-bank/${riversideBank}/profile`, {
        canOffer: 'Bike repairs',
        shownToPartners: 'yes',
      });
      const [cwmLink] = await query<{ id: string }>(
        database,
        cwmTeg,
        sql`select id from time_bank_partner_link where bank_id = ${cwmTegBank}`,
      );
      await elin.get(`/time-bank/${cwmTegBank}/partners/${cwmLink!.id}`);
      assert.match(elin.lastBody, /Tomasz/);
      assert.match(elin.lastBody, /Bike repairs/);
      await tomasz.get(`/time-bank/${riversideBank}/profile`);
      assert.match(tomasz.lastBody, /value="yes"[^>]*checked/);
      await tomasz.post(`/time-bank/${riversideBank}/profile`, { canOffer: 'Bike repairs' });
      await elin.get(`/time-bank/${cwmTegBank}/partners/${cwmLink!.id}`);
      assert.doesNotMatch(elin.lastBody, /Tomasz/);
    });

    it('counts an exchange across organisations when the other member confirms, in both ledgers at once', async () => {
      const [link] = await query<{ id: string }>(
        database,
        riverside,
        sql`select id from time_bank_partner_link where bank_id = ${riversideBank}`,
      );
      const [elinAccount] = await query<{ id: string }>(
        database,
        cwmTeg,
        sql`select id from time_bank_account where person_id = ${elinId} and bank_id = ${cwmTegBank}`,
      );
      const before = {
        jordan: await balance(database, riverside, jordanId, riversideBank),
        elin: await balance(database, cwmTeg, elinId, cwmTegBank),
      };
      await jordan.get(`/time-bank/${riversideBank}/partners/${link!.id}`);
      // Bad input: no direction, no time; then far too much for Jordan's limit. Nothing is written.
      const count = async () =>
        (
          await query<{ n: number }>(
            database,
            cwmTeg,
            sql`select count(*)::int as n from time_bank_exchange where bridge_id is not null`,
          )
        )[0]!.n;
      const exchangesBefore = await count();
      const bad = await jordan.post(`/time-bank/${riversideBank}/partners/${link!.id}/exchanges`, {
        other: elinAccount!.id,
        hours: 'two',
        whatWasDone: 'Cooked a meal',
      });
      assert.equal(bad.status, 400);
      assert.match(jordan.lastBody, /Cooked a meal/);
      await jordan.post(`/time-bank/${riversideBank}/partners/${link!.id}/exchanges`, {
        direction: 'received',
        other: elinAccount!.id,
        hours: '99',
        whatWasDone: 'A very long job',
      });
      assert.match(jordan.lastBody, /past the limit/);
      // Someone who did not choose to be seen cannot be reached by their id.
      const [dafyddAccount] = await query<{ id: string }>(
        database,
        cwmTeg,
        sql`select id from time_bank_account where person_id = '00000000-0000-4000-8200-000000000002'
          and bank_id = ${cwmTegBank}`,
      );
      await jordan.post(`/time-bank/${riversideBank}/partners/${link!.id}/exchanges`, {
        direction: 'received',
        other: dafyddAccount!.id,
        hours: '1',
        whatWasDone: 'Something',
      });
      assert.match(jordan.lastBody, /cannot find that member/);
      assert.equal(await count(), exchangesBefore, 'nothing was written');

      const proposed = await jordan.post(`/time-bank/${riversideBank}/partners/${link!.id}/exchanges`, {
        direction: 'received',
        other: elinAccount!.id,
        hours: '2',
        minutes: '0',
        whatWasDone: 'Cooked a meal for the week',
      });
      assert.equal(proposed.status, 303);
      const jordanHalf = /exchanges\/([0-9a-f-]{36})/.exec(proposed.headers.get('location')!)![1]!;
      assert.equal(
        await balance(database, riverside, jordanId, riversideBank),
        before.jordan,
        'not yet counted',
      );

      // Elin sees it waiting on her bank's page, named as Jordan of the partner bank, and confirms.
      await elin.get(`/time-bank/${cwmTegBank}`);
      assert.match(elin.lastBody, /Jordan, Riverside Time Bank \(Riverside Community Coaching\)/);
      const [elinHalf] = await query<{ id: string }>(
        database,
        cwmTeg,
        sql`select id from time_bank_exchange where twin_exchange_id = ${jordanHalf}`,
      );
      await elin.get(`/time-bank/${cwmTegBank}/exchanges/${elinHalf!.id}`);
      const confirmed = await elin.post(`/time-bank/${cwmTegBank}/exchanges/${elinHalf!.id}/confirm`, {});
      assert.equal(confirmed.status, 303);
      assert.equal(await balance(database, riverside, jordanId, riversideBank), before.jordan - 120);
      assert.equal(await balance(database, cwmTeg, elinId, cwmTegBank), before.elin + 120);
      const statuses = [
        ...(await query<{ status: string }>(
          database,
          riverside,
          sql`select status from time_bank_exchange where id = ${jordanHalf}`,
        )),
        ...(await query<{ status: string }>(
          database,
          cwmTeg,
          sql`select status from time_bank_exchange where id = ${elinHalf!.id}`,
        )),
      ];
      assert.deepEqual(
        statuses.map((s) => s.status),
        ['counted', 'counted'],
      );
      await assertBalanced(database);

      // Confirming again changes nothing; someone not in it cannot confirm it.
      await elin.post(`/time-bank/${cwmTegBank}/exchanges/${elinHalf!.id}/confirm`, {});
      assert.match(elin.lastBody, /ddim yn aros i gael ei gadarnhau/);
      assert.equal(await balance(database, cwmTeg, elinId, cwmTegBank), before.elin + 120);
      await tomasz.get(`/time-bank/${riversideBank}`);
      const stranger = await tomasz.post(`/time-bank/${riversideBank}/exchanges/${jordanHalf}/confirm`, {});
      assert.ok(stranger.status >= 400);

      // Jordan's statement names Elin and her bank.
      await jordan.get(`/time-bank/${riversideBank}/statement`);
      assert.match(jordan.lastBody, /Elin, Banc Amser Cwm Teg \(Cwm Teg Family Link\)/);

      // A coordinator of either bank may correct it: Rhian, at Cwm Teg, does; both ledgers reverse.
      const rhian = new Visitor(app, '203.0.113.25');
      await rhian.signIn('admin@cwmteg.example');
      await rhian.get(`/time-bank/${cwmTegBank}/exchanges/${elinHalf!.id}`);
      assert.match(rhian.lastBody, /reverseReason/);
      const reversed = await rhian.post(`/time-bank/${cwmTegBank}/exchanges/${elinHalf!.id}/reverse`, {
        reverseReason: 'Recorded twice by mistake',
      });
      assert.equal(reversed.status, 303);
      assert.equal(await balance(database, riverside, jordanId, riversideBank), before.jordan);
      assert.equal(await balance(database, cwmTeg, elinId, cwmTegBank), before.elin);
      await jordan.get(`/time-bank/${riversideBank}/exchanges/${jordanHalf}`);
      assert.match(jordan.lastBody, /Recorded twice by mistake/);
      await assertBalanced(database);
    });

    it('tells nobody a partner member’s balance, and never lets one login stand on both sides', async () => {
      const [link] = await query<{ id: string }>(
        database,
        riverside,
        sql`select id from time_bank_partner_link where bank_id = ${riversideBank}`,
      );
      const [elinAccount] = await query<{ id: string }>(
        database,
        cwmTeg,
        sql`select id from time_bank_account where person_id = ${elinId} and bank_id = ${cwmTegBank}`,
      );
      const elinBefore = await balance(database, cwmTeg, elinId, cwmTegBank);
      // Jordan offers Elin far more time than her limit allows: the proposal is taken as any other,
      // so its answer says nothing about her balance; Elin's confirmation is what is refused.
      await jordan.get(`/time-bank/${riversideBank}/partners/${link!.id}`);
      const huge = await jordan.post(`/time-bank/${riversideBank}/partners/${link!.id}/exchanges`, {
        direction: 'gave',
        other: elinAccount!.id,
        hours: '99',
        whatWasDone: 'Painted the whole house',
      });
      assert.equal(huge.status, 303);
      const jordanHalf = /exchanges\/([0-9a-f-]{36})/.exec(huge.headers.get('location')!)![1]!;
      const [elinHalf] = await query<{ id: string }>(
        database,
        cwmTeg,
        sql`select id from time_bank_exchange where twin_exchange_id = ${jordanHalf}`,
      );
      await elin.get(`/time-bank/${cwmTegBank}/exchanges/${elinHalf!.id}`);
      assert.doesNotMatch(
        elin.lastBody,
        /exchanges\/[0-9a-f-]{36}\/confirm/,
        'no confirm button that cannot work',
      );
      await elin.post(`/time-bank/${cwmTegBank}/exchanges/${elinHalf!.id}/confirm`, {});
      assert.equal(await balance(database, cwmTeg, elinId, cwmTegBank), elinBefore, 'nothing counted');
      await elin.post(`/time-bank/${cwmTegBank}/exchanges/${elinHalf!.id}/decline`, {
        declineReason: 'Too much for me',
      });

      // Someone who has not chosen to be seen cannot propose across, and is told how to choose.
      await tomasz.get(`/time-bank/${riversideBank}/partners/${link!.id}`);
      assert.match(tomasz.lastBody, /id="choose-to-be-seen"/);
      await tomasz.post(`/time-bank/${riversideBank}/partners/${link!.id}/exchanges`, {
        direction: 'gave',
        other: elinAccount!.id,
        hours: '1',
        whatWasDone: 'Fixed a bike',
      });
      assert.match(tomasz.lastBody, /first choose to be seen/);

      // Gareth signs in to both organisations: his two accounts cannot exchange with each other.
      const garethRiverside = '00000000-0000-4000-8100-000000000002';
      const [garethCwmTeg] = await withSystem(database, (tx) =>
        rowsOf<{ id: string }>(
          tx.execute(sql`select p.id from person p join person r on r.account_id = p.account_id
            where r.id = ${garethRiverside} and p.organisation_id = ${cwmTeg}`),
        ),
      );
      await withOrganisation(database, { organisationId: cwmTeg }, (scope) =>
        joinBank(scope, cwmTegBank, garethCwmTeg!.id, {
          canOffer: '',
          wouldLike: '',
          area: '',
          contact: '',
          shownToPartners: true,
        }),
      );
      const refused = await withOrganisation(
        database,
        { organisationId: riverside, actorPersonId: garethRiverside },
        async (scope) => {
          const me = (await findMemberAccount(scope, riversideBank, garethRiverside))!;
          await scope.tx.execute(
            sql`update time_bank_account set shown_to_partners = true where id = ${me.id}`,
          );
          const other = await acrossBridge(
            scope,
            (await findBridge(scope, (await listPartnerLinks(scope, riversideBank))[0]!.bridgeId))!,
            'test',
            (partner) => findMemberAccount(partner, cwmTegBank, garethCwmTeg!.id),
          );
          return proposeAcross(scope, {
            link: (await listPartnerLinks(scope, riversideBank))[0]!,
            me: { ...me, shownToPartners: true },
            partnerAccountId: other!.id,
            direction: 'gave',
            minutes: 600,
            whatWasDone: 'To myself',
          });
        },
      );
      assert.deepEqual(refused, { ok: false, problem: 'same-person' });
    });

    it('lets either member decline with a reason that both halves keep', async () => {
      // The demo's waiting exchange: Owain gave Jordan some Welsh conversation practice.
      const [owainHalf] = await query<{ id: string; twin: string }>(
        database,
        cwmTeg,
        sql`select x.id, x.twin_exchange_id as twin from time_bank_exchange x
          join time_bank_exchange_part p on p.exchange_id = x.id
          join time_bank_account a on a.id = p.giver_account_id
          where a.person_id = ${owainId} and x.bridge_id is not null and x.status = 'proposed'`,
      );
      await jordan.get(`/time-bank/${riversideBank}/exchanges/${owainHalf!.twin}`);
      assert.match(jordan.lastBody, /Owain, Banc Amser Cwm Teg/);
      const empty = await jordan.post(`/time-bank/${riversideBank}/exchanges/${owainHalf!.twin}/decline`, {
        declineReason: '',
      });
      assert.equal(empty.status, 400);
      await jordan.post(`/time-bank/${riversideBank}/exchanges/${owainHalf!.twin}/decline`, {
        declineReason: 'We had to cancel that week',
      });
      const [there] = await query<{ status: string; reason: string }>(
        database,
        cwmTeg,
        sql`select status, decline_reason as reason from time_bank_exchange where id = ${owainHalf!.id}`,
      );
      assert.deepEqual(there, { status: 'declined', reason: 'We had to cancel that week' });
    });

    it('never deadlocks or loses an update when both organisations confirm exchanges at once', async () => {
      // Proposals both ways across the demo link, then every confirmation at the same time.
      const rounds = 40;
      const proposals: { organisationId: string; personId: string; exchangeId: string }[] = [];
      const accounts = await withOrganisation(database, { organisationId: riverside }, async (scope) => {
        const link = (await listPartnerLinks(scope, riversideBank))[0]!;
        const me = (await findMemberAccount(scope, riversideBank, jordanId))!;
        return { link, me };
      });
      const cwm = await withOrganisation(database, { organisationId: cwmTeg }, async (scope) => {
        const link = (await listPartnerLinks(scope, cwmTegBank))[0]!;
        const me = (await findMemberAccount(scope, cwmTegBank, owainId))!;
        return { link, me };
      });
      const before = {
        jordan: await balance(database, riverside, jordanId, riversideBank),
        owain: await balance(database, cwmTeg, owainId, cwmTegBank),
      };
      for (let i = 0; i < rounds; i++) {
        const fromRiverside = i % 2 === 0;
        const id = await withOrganisation(
          database,
          {
            organisationId: fromRiverside ? riverside : cwmTeg,
            actorPersonId: fromRiverside ? jordanId : owainId,
          },
          async (scope) => {
            const side = fromRiverside ? accounts : cwm;
            const other = fromRiverside ? cwm.me.id : accounts.me.id;
            const result = await proposeAcross(scope, {
              link: side.link,
              me: side.me,
              partnerAccountId: other,
              direction: i % 4 < 2 ? 'gave' : 'received',
              minutes: 10 + i,
              whatWasDone: `Exchange ${i}`,
            });
            assert.ok(result.ok, JSON.stringify(result));
            return result.value;
          },
        );
        proposals.push(
          fromRiverside
            ? { organisationId: cwmTeg, personId: owainId, exchangeId: id }
            : { organisationId: riverside, personId: jordanId, exchangeId: id },
        );
      }
      // Each is confirmed from the other organisation, on its own half, all at once.
      const results = await Promise.all(
        proposals.map((p) =>
          withOrganisation(
            database,
            { organisationId: p.organisationId, actorPersonId: p.personId },
            async (scope) => {
              const [half] = await rowsOf<{ id: string }>(
                scope.tx.execute(
                  sql`select id from time_bank_exchange where twin_exchange_id = ${p.exchangeId}`,
                ),
              );
              return confirmAcross(scope, (await findExchange(scope, half!.id))!, p.personId);
            },
          ),
        ),
      );
      assert.ok(
        results.every((r) => r.ok),
        JSON.stringify(results.filter((r) => !r.ok)),
      );
      // Jordan's net: gave on i%4<2 when he proposed (even i), received otherwise; Owain the mirror.
      let jordanChange = 0;
      for (let i = 0; i < rounds; i++) {
        const minutes = 10 + i;
        const proposerGave = i % 4 < 2;
        const jordanGave = i % 2 === 0 ? proposerGave : !proposerGave;
        jordanChange += jordanGave ? minutes : -minutes;
      }
      assert.equal(await balance(database, riverside, jordanId, riversideBank), before.jordan + jordanChange);
      assert.equal(await balance(database, cwmTeg, owainId, cwmTegBank), before.owain - jordanChange);
      await assertBalanced(database);
    });
  });
}
