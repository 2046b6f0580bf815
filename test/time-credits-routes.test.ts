import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Database } from '../src/core/database/connect.ts';
import { rowsOf, withOrganisation } from '../src/core/database/tenancy.ts';
import { createTranslator } from '../src/core/i18n/index.ts';
import { demoOrganisations } from '../src/demo/people.ts';
import { modules } from '../src/modules/index.ts';
import { creditPeerHours } from '../src/modules/time-bank/credits.ts';
import { bankTotal, maxMinutes } from '../src/modules/time-bank/ledger.ts';
import { buildTestApp, Visitor } from './helpers/app.ts';
import { databaseKinds } from './helpers/databases.ts';

/**
 * Issue 5, optional per organisation: hours logged in peer link-ups earn time credits for the peer, in
 * the bank chosen in peer support's settings, through the time bank's exported functions only.
 */

const [riversideSpec, cwmTegSpec] = demoOrganisations;
const riverside = riversideSpec!.id;
const cwmTeg = cwmTegSpec!.id;
const personOf = (handle: string) => riversideSpec!.people.find((p) => p.handle === handle)!.id;
const tomaszId = personOf('peer');
const jordanId = personOf('person');
const today = () => new Date().toISOString().slice(0, 10);

async function query<T>(database: Database, organisationId: string, text: ReturnType<typeof sql>) {
  return withOrganisation(database, { organisationId }, (scope) => rowsOf<T>(scope.tx.execute(text)));
}

/** The visible words of a page's main part, tags and spaces squeezed out. */
const mainText = (body: string) =>
  (/<main[\s\S]*<\/main>/.exec(body)?.[0] ?? '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

const catalogues = Object.fromEntries(
  modules.filter((m) => m.catalogues).map((m) => [m.id, m.catalogues!]),
) as Parameters<typeof createTranslator>[0];

for (const kind of databaseKinds()) {
  describe(`time credits for peers' hours on ${kind.name}`, () => {
    let database: Database;
    let amara: Visitor;
    let tomasz: Visitor;
    let jordan: Visitor;
    let dafydd: Visitor;
    let riversideBank = '';
    let northfieldBank = '';
    let cwmTegBank = '';
    let linkUpId = '';

    const balanceOf = async (bankId: string, personId: string | null) => {
      const [row] = await query<{ balance: number }>(
        database,
        riverside,
        personId
          ? sql`select balance_minutes as balance from time_bank_account where bank_id = ${bankId}
              and kind = 'member' and person_id = ${personId}`
          : sql`select balance_minutes as balance from time_bank_account where bank_id = ${bankId}
              and kind = 'community'`,
      );
      return row ? Number(row.balance) : null;
    };
    const peerHoursCount = async () => {
      const [row] = await query<{ n: number }>(
        database,
        riverside,
        sql`select count(*)::int as n from time_bank_exchange where kind = 'peer-hours'`,
      );
      return row!.n;
    };
    const settingNow = async () => {
      const [row] = await query<{ bankId: string | null }>(
        database,
        riverside,
        sql`select time_credit_bank_id as "bankId" from peer_settings`,
      );
      return row?.bankId ?? null;
    };
    const logSession = async (visitor: Visitor, hours: string, minutes: string) => {
      await visitor.get(`/peer/link-ups/${linkUpId}`);
      const response = await visitor.post(`/peer/link-ups/${linkUpId}/sessions`, {
        happenedOn: today(),
        hours,
        minutes,
        whatWeDid: 'Coffee and a chat about the nursery form',
        howItFelt: '',
      });
      assert.equal(response.status, 303, mainText(visitor.lastBody));
      const [session] = await query<{ id: string }>(
        database,
        riverside,
        sql`select id from peer_session where link_up_id = ${linkUpId} order by created_at desc limit 1`,
      );
      return { location: response.headers.get('location') ?? '', sessionId: session!.id };
    };
    const choose = async (value: string) => {
      await amara.get('/peer-support/settings');
      return amara.post('/peer-support/settings/time-credits', { timeCreditBank: value });
    };

    before(async () => {
      database = await kind.open();
      const { app } = await buildTestApp(database);
      amara = new Visitor(app);
      await amara.signIn('coach@riverside.example');
      tomasz = new Visitor(app, '203.0.113.8');
      await tomasz.signIn('peer@riverside.example');
      jordan = new Visitor(app, '203.0.113.11');
      await jordan.signIn('person@riverside.example');
      dafydd = new Visitor(app, '203.0.113.10');
      await dafydd.signIn('coach@cwmteg.example');
      const banks = await query<{ id: string; name: string }>(
        database,
        riverside,
        sql`select id, name from time_bank`,
      );
      riversideBank = banks.find((b) => b.name === 'Riverside Time Bank')!.id;
      northfieldBank = banks.find((b) => b.name === 'Northfield Time Bank')!.id;
      [{ id: cwmTegBank }] = (await query<{ id: string }>(
        database,
        cwmTeg,
        sql`select id from time_bank order by name limit 1`,
      )) as [{ id: string }];
      // A live link-up of Tomasz (a member of Riverside Time Bank, not of Northfield) with Jordan.
      linkUpId = await withOrganisation(database, { organisationId: riverside }, async (scope) => {
        const [request] = await rowsOf<{ id: string }>(
          scope.tx.execute(sql`insert into peer_request (organisation_id, person_id, words, status)
            values (${riverside}, ${jordanId}, 'Someone to talk to', 'linked') returning id`),
        );
        const [linkUp] = await rowsOf<{ id: string }>(
          scope.tx.execute(sql`insert into peer_link_up (organisation_id, request_id, profile_id, stage,
              peer_agreed_at, seeker_agreed_at, active_at)
            values (${riverside}, ${request!.id},
              (select id from peer_profile where person_id = ${tomaszId}), 'active', now(), now(), now())
            returning id`),
        );
        return linkUp!.id;
      });
    });
    after(() => database.close());

    it('offers the organisation’s banks and “Do not give time credits” on the settings page', async () => {
      // The demo: Riverside credits peers' hours into its community time bank.
      assert.equal(await settingNow(), riversideBank);
      await amara.get('/peer-support/settings');
      const text = mainText(amara.lastBody);
      assert.match(text, /Which time bank credits peers’ hours\?/);
      assert.match(text, /Riverside Time Bank/);
      assert.match(text, /Northfield Time Bank/);
      assert.match(text, /Do not give time credits/);
      assert.doesNotMatch(text, /Banc Amser/);
      assert.match(amara.lastBody, new RegExp(`value="${riversideBank}" checked`));
      // Someone outside the coach team cannot change it.
      assert.equal(
        (await tomasz.post('/peer-support/settings/time-credits', { timeCreditBank: 'none' })).status,
        403,
      );
      assert.equal(await settingNow(), riversideBank);
    });

    it('refuses another organisation’s bank, or nothing chosen, by the field, and changes nothing', async () => {
      for (const value of [cwmTegBank, randomUUID(), 'not-a-bank', '']) {
        const refused = await choose(value);
        assert.equal(refused.status, 400, value);
        assert.match(mainText(amara.lastBody), /Choose one of your organisation’s time banks/);
        assert.match(amara.lastBody, /href="#timeCreditBank"/);
        assert.equal(await settingNow(), riversideBank);
      }
      // The other way round: Cwm Teg's coach cannot choose Riverside's bank either.
      await dafydd.get('/peer-support/settings');
      const across = await dafydd.post('/peer-support/settings/time-credits', {
        timeCreditBank: riversideBank,
      });
      assert.equal(across.status, 400);
      const [cwm] = await query<{ bankId: string | null }>(
        database,
        cwmTeg,
        sql`select time_credit_bank_id as "bankId" from peer_settings`,
      );
      assert.equal(cwm?.bankId ?? null, null);
    });

    it('writes no exchange when the setting is off', async () => {
      const saved = await choose('none');
      assert.equal(saved.status, 303);
      assert.equal(await settingNow(), null);
      const before = { count: await peerHoursCount(), tomasz: await balanceOf(riversideBank, tomaszId) };
      const { location, sessionId } = await logSession(tomasz, '1', '0');
      assert.match(location, /done=sessionLogged/);
      assert.equal(await peerHoursCount(), before.count);
      assert.equal(await balanceOf(riversideBank, tomaszId), before.tomasz);
      const [row] = await query<{ n: number }>(
        database,
        riverside,
        sql`select count(*)::int as n from time_bank_exchange where source_id = ${sessionId}`,
      );
      assert.equal(row!.n, 0);
      await tomasz.get(`/peer/link-ups/${linkUpId}`);
      assert.doesNotMatch(mainText(tomasz.lastBody), /time credits/i);
    });

    it('credits a member peer: their balance rises, the community account falls, the bank sums to zero', async () => {
      assert.equal((await choose(riversideBank)).status, 303);
      const before = {
        count: await peerHoursCount(),
        tomasz: (await balanceOf(riversideBank, tomaszId))!,
        community: (await balanceOf(riversideBank, null))!,
      };
      // The person supported logs it: the peer is still the one credited.
      const { location, sessionId } = await logSession(jordan, '1', '30');
      assert.match(location, /done=sessionCredited/);
      assert.equal(await peerHoursCount(), before.count + 1);
      assert.equal(await balanceOf(riversideBank, tomaszId), before.tomasz + 90);
      assert.equal(await balanceOf(riversideBank, null), before.community - 90);
      const total = await withOrganisation(database, { organisationId: riverside }, (scope) =>
        bankTotal(scope, riversideBank),
      );
      assert.deepEqual(total, { balances: 0, entries: 0 });
      const [exchange] = await query<{
        id: string;
        status: string;
        bankId: string;
        words: string;
        giver: string;
        receiver: string;
        minutes: number;
      }>(
        database,
        riverside,
        sql`select x.id, x.status, x.bank_id as "bankId", x.what_was_done as words,
            g.person_id as giver, r.kind as receiver, p.minutes
          from time_bank_exchange x join time_bank_exchange_part p on p.exchange_id = x.id
            join time_bank_account g on g.id = p.giver_account_id
            join time_bank_account r on r.id = p.receiver_account_id
          where x.source_id = ${sessionId}`,
      );
      assert.deepEqual(
        { ...exchange, id: undefined },
        {
          id: undefined,
          status: 'counted',
          bankId: riversideBank,
          words: 'A peer support session',
          giver: tomaszId,
          receiver: 'community',
          minutes: 90,
        },
      );
      // The session's own words (about the person supported) never go into the bank.
      assert.doesNotMatch(exchange!.words, /nursery/);
      // Audited like any exchange, for the peer.
      const [audited] = await query<{ n: number }>(
        database,
        riverside,
        sql`select count(*)::int as n from audit_event where subject_type = 'time-bank:exchange'
          and subject_id = ${exchange!.id} and action = 'create' and subject_person_id = ${tomaszId}`,
      );
      assert.equal(audited!.n, 1);

      // The statement (screen and CSV) and the exchange page say what it was.
      await tomasz.get(`/time-bank/${riversideBank}/statement`);
      assert.match(mainText(tomasz.lastBody), /Hours given as a peer: A peer support session/);
      await tomasz.get(`/time-bank/${riversideBank}/statement.csv`);
      assert.match(
        tomasz.lastBody,
        /Hours given as a peer: A peer support session,Community account,90,1\.5/,
      );
      await tomasz.get(`/time-bank/${riversideBank}/exchanges/${exchange!.id}`);
      assert.match(
        mainText(tomasz.lastBody),
        /Tomasz gave 1 hour 30 minutes as a peer and received the same in time credits from the community account/,
      );
      await tomasz.get('/language/cy');
      await tomasz.get(`/time-bank/${riversideBank}/statement`);
      assert.match(mainText(tomasz.lastBody), /Oriau a roddwyd fel cymar: A peer support session/);
      await tomasz.get('/language/en');

      // The link-up page and the peer's page say what was earned; the person supported does not see it.
      await tomasz.get(`/peer/link-ups/${linkUpId}`);
      assert.match(mainText(tomasz.lastBody), /1 hour 30 minutes earned in Riverside Time Bank/);
      await tomasz.get('/peer');
      assert.match(
        mainText(tomasz.lastBody),
        /Time credits earned 1 hour 30 minutes in Riverside Time Bank, from 1 session/,
      );
      await jordan.get(`/peer/link-ups/${linkUpId}`);
      assert.doesNotMatch(mainText(jordan.lastBody), /earned in Riverside Time Bank/);
    });

    it('never credits the same session twice, even when two try at once', async () => {
      const [session] = await query<{ id: string }>(
        database,
        riverside,
        sql`select x.source_id as id from time_bank_exchange x where x.kind = 'peer-hours' limit 1`,
      );
      const before = { count: await peerHoursCount(), tomasz: await balanceOf(riversideBank, tomaszId) };
      const again = await withOrganisation(
        database,
        { organisationId: riverside, actorPersonId: tomaszId },
        (scope) =>
          creditPeerHours(scope, {
            bankId: riversideBank,
            personId: tomaszId,
            minutes: 90,
            whatWasDone: 'Again',
            happenedOn: today(),
            sourceId: session!.id,
          }),
      );
      assert.deepEqual(again, { credited: false, reason: 'already' });
      assert.equal(await peerHoursCount(), before.count);
      assert.equal(await balanceOf(riversideBank, tomaszId), before.tomasz);
      // Two transactions at once with a new source: one credit, one "already".
      const source = randomUUID();
      const credit = () =>
        withOrganisation(database, { organisationId: riverside, actorPersonId: tomaszId }, (scope) =>
          creditPeerHours(scope, {
            bankId: riversideBank,
            personId: tomaszId,
            minutes: 30,
            whatWasDone: 'Race',
            happenedOn: today(),
            sourceId: source,
          }),
        );
      const outcomes = await Promise.all([credit(), credit()]);
      assert.deepEqual(outcomes.map((o) => o.credited).sort(), [false, true]);
      assert.equal(await peerHoursCount(), before.count + 1);
      assert.equal(await balanceOf(riversideBank, tomaszId), before.tomasz! + 30);
      // And the database itself refuses a second exchange with the same source.
      await assert.rejects(
        withOrganisation(database, { organisationId: riverside }, (scope) =>
          scope.tx.execute(sql`insert into time_bank_exchange (organisation_id, bank_id, kind, status, what_was_done, source_id)
            values (${riverside}, ${riversideBank}, 'peer-hours', 'counted', 'Twice', ${source})`),
        ),
      );
      const total = await withOrganisation(database, { organisationId: riverside }, (scope) =>
        bankTotal(scope, riversideBank),
      );
      assert.deepEqual(total, { balances: 0, entries: 0 });
    });

    it('credits at most one exchange’s most, and says so in the words', async () => {
      const t = createTranslator(catalogues).forLanguage('en');
      const before = await balanceOf(riversideBank, tomaszId);
      const outcome = await withOrganisation(
        database,
        { organisationId: riverside, actorPersonId: tomaszId },
        (scope) =>
          creditPeerHours(scope, {
            bankId: riversideBank,
            personId: tomaszId,
            minutes: maxMinutes + 60,
            whatWasDone: 'A long weekend',
            happenedOn: today(),
            sourceId: randomUUID(),
            t,
          }),
      );
      assert.ok(outcome.credited);
      assert.equal(outcome.minutes, maxMinutes);
      assert.equal(outcome.capped, true);
      assert.equal(await balanceOf(riversideBank, tomaszId), before! + maxMinutes);
      const [row] = await query<{ words: string }>(
        database,
        riverside,
        sql`select what_was_done as words from time_bank_exchange where id = ${outcome.exchangeId}`,
      );
      assert.equal(
        row!.words,
        'A long weekend (101 hours given; 100 hours counted, the most one exchange can hold)',
      );
    });

    it('writes nothing to a bank the peer is not a member of, and suggests joining, kindly', async () => {
      assert.equal((await choose(northfieldBank)).status, 303);
      assert.equal(await settingNow(), northfieldBank);
      const [entriesBefore] = await query<{ n: number }>(
        database,
        riverside,
        sql`select count(*)::int as n from time_bank_entry where bank_id = ${northfieldBank}`,
      );
      const count = await peerHoursCount();
      const { location, sessionId } = await logSession(tomasz, '0', '45');
      assert.match(location, /done=sessionLogged/);
      assert.equal(await peerHoursCount(), count);
      const [entriesAfter] = await query<{ n: number }>(
        database,
        riverside,
        sql`select count(*)::int as n from time_bank_entry where bank_id = ${northfieldBank}`,
      );
      assert.equal(entriesAfter!.n, entriesBefore!.n);
      const [none] = await query<{ n: number }>(
        database,
        riverside,
        sql`select count(*)::int as n from time_bank_exchange where source_id = ${sessionId}`,
      );
      assert.equal(none!.n, 0);
      // Nobody is joined for them.
      assert.equal(await balanceOf(northfieldBank, tomaszId), null);
      await tomasz.get(`/peer/link-ups/${linkUpId}`);
      assert.match(
        mainText(tomasz.lastBody),
        /You could earn time credits for the hours you give here\. Join Northfield Time Bank/,
      );
      assert.match(tomasz.lastBody, new RegExp(`href="/time-bank/${northfieldBank}"`));
      // The coach team reads why; the person supported sees nothing about it.
      await amara.get(`/peer/link-ups/${linkUpId}`);
      assert.match(mainText(amara.lastBody), /Tomasz is not a member of Northfield Time Bank/);
      await jordan.get(`/peer/link-ups/${linkUpId}`);
      assert.doesNotMatch(mainText(jordan.lastBody), /Northfield|time credits/i);
      // In Welsh too.
      await tomasz.get('/language/cy');
      await tomasz.get(`/peer/link-ups/${linkUpId}`);
      assert.match(mainText(tomasz.lastBody), /Gallech chi ennill credydau amser/);
      await tomasz.get('/language/en');
    });
  });
}
