import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Database } from '../src/core/database/connect.ts';
import { rowsOf, withOrganisation, withSystem } from '../src/core/database/tenancy.ts';
import { limitKeyHash, withinLimits } from '../src/core/request-limits.ts';
import { askLimits } from '../src/modules/coaching/routes/introduction.tsx';
import { buildTestApp, Visitor } from './helpers/app.ts';
import { databaseKinds } from './helpers/databases.ts';

const riverside = '00000000-0000-4000-8000-000000000001';
const cwmTeg = '00000000-0000-4000-8000-000000000002';

/** The limits count clock hours: a check that ran across the turn of an hour is run once more. */
async function inOneClockHour(check: (attempt: number) => Promise<void>) {
  for (let attempt = 1; ; attempt++) {
    const hour = Math.floor(Date.now() / 3_600_000);
    await check(attempt);
    if (Math.floor(Date.now() / 3_600_000) === hour || attempt === 2) return;
  }
}

const filled = (name: string) => ({
  calledName: name,
  howToReach: '07700 900123, texts please',
  words: 'Things have been hard since the move; I would like someone to talk to.',
  consent: 'yes',
});

for (const kind of databaseKinds()) {
  describe(`asking for a coach, kept from robots and floods, on ${kind.name}`, () => {
    let database: Database;
    let app: Awaited<ReturnType<typeof buildTestApp>>['app'];
    let services: Awaited<ReturnType<typeof buildTestApp>>['services'];
    let addresses = 0;
    /** A visitor from an address no earlier test used. */
    const newVisitor = () => new Visitor(app, `198.51.100.${++addresses}`);

    const count = async (organisationId: string) => {
      const [row] = await withOrganisation(database, { organisationId }, (scope) =>
        rowsOf<{ introductions: number; people: number; audit: number }>(
          scope.tx.execute(sql`select (select count(*)::int from coaching_self_introduction) as introductions,
            (select count(*)::int from person) as people, (select count(*)::int from audit_event) as audit`),
        ),
      );
      return row!;
    };
    const counted = async () => {
      const [row] = await withSystem(database, (tx) =>
        rowsOf<{ n: number }>(tx.execute(sql`select coalesce(sum(count), 0)::int as n from request_count`)),
      );
      return row!.n;
    };

    before(async () => {
      database = await kind.open();
      ({ app, services } = await buildTestApp(database));
    });
    after(() => database.close());

    it('has a trap for robots that no person sees, hears or reaches by keyboard', async () => {
      const visitor = newVisitor();
      assert.equal((await visitor.get('/ask/riverside')).status, 200);
      assert.match(
        visitor.lastBody,
        /<div class="govuk-visually-hidden" aria-hidden="true"><label for="website">Leave this box empty<\/label><input type="text" id="website" name="website" value="" tabindex="-1" autocomplete="off"\/><\/div>/,
      );
    });

    it('thanks a robot that fills the trap as it thanks anyone, and keeps and counts nothing', async () => {
      const visitor = newVisitor();
      await visitor.get('/ask/riverside');
      const before = await count(riverside);
      const countedBefore = await counted();
      const sent = await visitor.post('/ask/riverside', {
        ...filled('Robot'),
        website: 'http://spam.example',
      });
      assert.equal(sent.status, 303);
      assert.equal(sent.headers.get('location'), '/ask/riverside/thanks');
      assert.deepEqual(await count(riverside), before);
      assert.equal(await counted(), countedBefore);
      await visitor.get('/ask/riverside/thanks');
      assert.match(visitor.lastBody, /We have your message/);
    });

    it(`takes ${askLimits.perAddress} requests an hour from one address, then asks kindly to wait, keeping every word`, async () => {
      await inOneClockHour(async () => {
        const visitor = newVisitor();
        await visitor.get('/ask/riverside');
        // A form sent back with a problem is not counted: a person who mistypes loses nothing.
        for (let i = 0; i < 3; i++) {
          const missing = await visitor.post('/ask/riverside', { ...filled('Sam'), consent: '' });
          assert.equal(missing.status, 400);
        }
        const before = await count(riverside);
        for (let i = 1; i <= askLimits.perAddress; i++) {
          const sent = await visitor.post('/ask/riverside', filled(`Sam ${i}`));
          assert.equal(sent.status, 303, `request ${i}`);
        }
        assert.equal((await count(riverside)).introductions, before.introductions + askLimits.perAddress);
        const kept = await count(riverside);
        const refused = await visitor.post('/ask/riverside', filled('Sam, once more'));
        assert.equal(refused.status, 429);
        const page = visitor.lastBody;
        assert.match(page, /We have had a lot of requests in the last hour/);
        assert.match(page, /Everything you typed is still here below/);
        assert.match(page, /name="calledName" type="text" value="Sam, once more"/);
        assert.match(page, /value="07700 900123, texts please"/);
        assert.match(
          page,
          />Things have been hard since the move; I would like someone to talk to.<\/textarea>/,
        );
        assert.match(page, /name="consent" type="checkbox" value="yes" checked=""/);
        assert.deepEqual(await count(riverside), kept, 'nothing kept, nothing audited');
        // Someone else, at another address, is not held up.
        const other = newVisitor();
        await other.get('/ask/riverside');
        assert.equal((await other.post('/ask/riverside', filled('Ali'))).status, 303);
      });
    });

    it(`takes ${askLimits.perOrganisation} requests an hour for one organisation, and not the next one's`, async () => {
      await inOneClockHour(async () => {
        // As if the organisation had had its fill this hour already, from many addresses.
        await withSystem(database, (tx) =>
          tx.execute(sql`insert into request_count (key_hash, window_start, count)
            values (${limitKeyHash(services.config.secretKey, `ask:organisation:${riverside}`)}, date_trunc('hour', now()),
              ${askLimits.perOrganisation})
            on conflict (key_hash, window_start) do update set count = ${askLimits.perOrganisation}`),
        );
        const visitor = newVisitor();
        await visitor.get('/ask/riverside');
        const before = await count(riverside);
        assert.equal((await visitor.post('/ask/riverside', filled('Rowan'))).status, 429);
        assert.deepEqual(await count(riverside), before);
        // Cwm Teg's own limit is its own; in Welsh, the same kind words.
        const welsh = newVisitor();
        await welsh.get('/language/cy?back=/ask/cwm-teg');
        await welsh.get('/ask/cwm-teg');
        const theirs = await count(cwmTeg);
        assert.equal((await welsh.post('/ask/cwm-teg', filled('Elin'))).status, 303);
        assert.equal((await count(cwmTeg)).introductions, theirs.introductions + 1);
        await withSystem(database, (tx) =>
          tx.execute(sql`update request_count set count = ${askLimits.perOrganisation}
            where key_hash = ${limitKeyHash(services.config.secretKey, `ask:organisation:${cwmTeg}`)}`),
        );
        await welsh.get('/ask/cwm-teg');
        assert.equal((await welsh.post('/ask/cwm-teg', filled('Elin eto'))).status, 429);
        assert.match(welsh.lastBody, /Rydyn ni wedi cael llawer o geisiadau yn yr awr ddiwethaf/);
        assert.match(welsh.lastBody, /value="Elin eto"/);
      });
    });

    it('keeps no address: only keyed hashes are counted', async () => {
      const rows = await withSystem(database, (tx) =>
        rowsOf<{ key_hash: string }>(tx.execute(sql`select key_hash from request_count`)),
      );
      assert.ok(rows.length > 0);
      for (const row of rows) assert.match(row.key_hash, /^[0-9a-f]{64}$/);
      assert.ok(!JSON.stringify(rows).includes('198.51.100'));
    });

    it('answers an organisation that is not there with "not found", writing nothing', async () => {
      const visitor = newVisitor();
      await visitor.get('/ask/riverside');
      const countedBefore = await counted();
      const before = [await count(riverside), await count(cwmTeg)];
      const sent = await visitor.post('/ask/nowhere', filled('Kim'));
      assert.equal(sent.status, 404);
      assert.equal(await counted(), countedBefore);
      assert.deepEqual([await count(riverside), await count(cwmTeg)], before);
    });

    it('counts a refused attempt for nothing, and one limit used up holds back the others', async () => {
      await inOneClockHour(async (attempt) => {
        const key = { key: `test:${kind.name}:${attempt}:${Date.now()}`, most: 2 };
        const { secretKey } = services.config;
        assert.equal(await withinLimits(database, secretKey, [key]), true);
        assert.equal(await withinLimits(database, secretKey, [key]), true);
        assert.equal(await withinLimits(database, secretKey, [key]), false);
        assert.equal(await withinLimits(database, secretKey, [key]), false);
        const [row] = await withSystem(database, (tx) =>
          rowsOf<{ count: number }>(
            tx.execute(
              sql`select count from request_count where key_hash = ${limitKeyHash(secretKey, key.key)}`,
            ),
          ),
        );
        assert.equal(row!.count, 2);
        // One limit used up holds back the others given with it, and counts none of them.
        const fresh = { key: `${key.key}:fresh`, most: 5 };
        assert.equal(await withinLimits(database, secretKey, [fresh, key]), false);
        assert.equal(await withinLimits(database, secretKey, [fresh]), true);
        const [again] = await withSystem(database, (tx) =>
          rowsOf<{ count: number }>(
            tx.execute(
              sql`select count from request_count where key_hash = ${limitKeyHash(secretKey, fresh.key)}`,
            ),
          ),
        );
        assert.equal(again!.count, 1);
      });
    });
  });
}
