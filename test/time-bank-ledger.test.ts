import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import type { Database } from '../src/core/database/connect.ts';
import { organisation } from '../src/core/database/schema.ts';
import { rowsOf, type Scope, withOrganisation, withSystem } from '../src/core/database/tenancy.ts';
import { createPerson } from '../src/core/people.ts';
import {
  agreeLink,
  askLink,
  banksOfExchange,
  bankTotal,
  byCategory,
  communityAccount,
  confirmExchange,
  createBank,
  declineExchange,
  joinBank,
  listAccounts,
  memberActivity,
  type Part,
  proposeExchange,
  recordExchange,
  reverseExchange,
  setAccountFlags,
  statement,
} from '../src/modules/time-bank/ledger.ts';
import { haveExchanged } from '../src/modules/time-bank/listings.ts';
import { databaseKinds } from './helpers/databases.ts';

const noProfile = { canOffer: '', wouldLike: '', area: '', contact: '' };

async function newOrganisation(database: Database): Promise<string> {
  const id = crypto.randomUUID();
  await withSystem(database, (tx) =>
    tx.insert(organisation).values({ id, slug: `tb-${id.slice(0, 8)}`, name: 'Time bank test' }),
  );
  return id;
}

function work<T>(database: Database, organisationId: string, fn: (scope: Scope) => Promise<T>) {
  return withOrganisation(database, { organisationId, requestId: 'test' }, fn);
}

/** A bank with `count` members; returns the bank, member accounts and their people. */
async function bankWithMembers(database: Database, organisationId: string, count: number, limit = 720) {
  return work(database, organisationId, async (scope) => {
    const bankId = await createBank(scope, {
      name: `Bank ${crypto.randomUUID().slice(0, 6)}`,
      overdraftLimitMinutes: limit,
    });
    const members: { accountId: string; personId: string }[] = [];
    for (let i = 0; i < count; i++) {
      const personId = await createPerson(scope, { calledName: `Member ${i}` });
      members.push({ accountId: await joinBank(scope, bankId, personId, noProfile), personId });
    }
    const community = (await communityAccount(scope, bankId)).id;
    return { bankId, members, community };
  });
}

async function balances(database: Database, organisationId: string, bankId: string) {
  return work(
    database,
    organisationId,
    async (scope) => new Map((await listAccounts(scope, bankId)).map((a) => [a.id, a.balanceMinutes])),
  );
}

for (const kind of databaseKinds()) {
  describe(`time bank ledger on ${kind.name}`, () => {
    let database: Database;
    let organisationId: string;
    before(async () => {
      database = await kind.open();
      organisationId = await newOrganisation(database);
    });
    after(() => database.close());

    it('counts a proposed exchange only when the other side confirms, once', async () => {
      const { bankId, members } = await bankWithMembers(database, organisationId, 2);
      const [ana, ben] = members as [(typeof members)[0], (typeof members)[0]];
      const proposed = await work(database, organisationId, (scope) =>
        proposeExchange(
          { ...scope, actorPersonId: ana.personId },
          {
            bankId,
            proposerAccountId: ana.accountId,
            parts: [{ giverAccountId: ana.accountId, receiverAccountId: ben.accountId, minutes: 90 }],
            whatWasDone: 'Helped with the garden',
          },
        ),
      );
      assert.ok(proposed.ok);
      assert.equal(
        (await balances(database, organisationId, bankId)).get(ana.accountId),
        0,
        'not yet counted',
      );
      const byProposer = await work(database, organisationId, (s) =>
        confirmExchange(s, proposed.value, ana.personId),
      );
      assert.deepEqual(byProposer, { ok: false, problem: 'already-confirmed' });
      const stranger = await work(database, organisationId, (s) =>
        createPerson(s, { calledName: 'Stranger' }),
      );
      const byStranger = await work(database, organisationId, (s) =>
        confirmExchange(s, proposed.value, stranger),
      );
      assert.deepEqual(byStranger, { ok: false, problem: 'not-a-side' });
      const confirmed = await work(database, organisationId, (s) =>
        confirmExchange(s, proposed.value, ben.personId),
      );
      assert.ok(confirmed.ok);
      const twice = await work(database, organisationId, (s) =>
        confirmExchange(s, proposed.value, ben.personId),
      );
      assert.deepEqual(twice, { ok: false, problem: 'not-proposed' });
      const after = await balances(database, organisationId, bankId);
      assert.equal(after.get(ana.accountId), 90);
      assert.equal(after.get(ben.accountId), -90);
      const lines = await work(database, organisationId, (s) => statement(s, ben.accountId));
      assert.equal(lines.length, 1);
      assert.equal(lines[0]!.minutes, -90);
      assert.equal(lines[0]!.balanceAfter, -90);
    });

    it('refuses bad input and leaves the ledger untouched', async () => {
      const { bankId, members } = await bankWithMembers(database, organisationId, 2, 60);
      const [ana, ben] = members as [(typeof members)[0], (typeof members)[0]];
      const attempt = (parts: Part[], allowOverdraft = false) =>
        work(database, organisationId, (s) =>
          recordExchange(s, { bankId, parts, whatWasDone: 'x', allowOverdraft }),
        );
      const part = (minutes: number, giver = ana.accountId, receiver = ben.accountId) => ({
        giverAccountId: giver,
        receiverAccountId: receiver,
        minutes,
      });
      assert.equal((await attempt([part(0)])).ok, false);
      assert.equal((await attempt([part(-30)])).ok, false);
      assert.equal((await attempt([part(1.5)])).ok, false);
      assert.equal((await attempt([part(1_000_000)])).ok, false);
      assert.deepEqual(await attempt([part(30, ana.accountId, ana.accountId)]), {
        ok: false,
        problem: 'same-person',
      });
      assert.deepEqual(await attempt([part(30, ana.accountId, crypto.randomUUID())]), {
        ok: false,
        problem: 'not-found',
      });
      assert.deepEqual((await attempt([part(61)])).ok, false, 'beyond the overdraft limit');
      // All or nothing: the second part would overdraw, so the first is not kept either.
      const third = await work(database, organisationId, (s) => createPerson(s, { calledName: 'C' }));
      const carys = await work(database, organisationId, (s) => joinBank(s, bankId, third, noProfile));
      assert.deepEqual(await attempt([part(30, ana.accountId, carys), part(61)]), {
        ok: false,
        problem: 'overdraft',
        detail: ben.personId,
      });
      const total = await work(database, organisationId, (s) => bankTotal(s, bankId));
      assert.deepEqual(total, { balances: 0, entries: 0 });
      assert.ok((await attempt([part(61)], true)).ok, 'a coordinator may override the limit');
      assert.equal((await balances(database, organisationId, bankId)).get(ben.accountId), -61);
    });

    it('declines with a reason and reverses with reversing entries, never edits', async () => {
      const { bankId, members, community } = await bankWithMembers(database, organisationId, 2);
      const [ana, ben] = members as [(typeof members)[0], (typeof members)[0]];
      const proposed = await work(database, organisationId, (scope) =>
        proposeExchange(scope, {
          bankId,
          proposerAccountId: ben.accountId,
          parts: [{ giverAccountId: ana.accountId, receiverAccountId: ben.accountId, minutes: 30 }],
          whatWasDone: 'A lift',
        }),
      );
      assert.ok(proposed.ok);
      assert.ok(
        (
          await work(database, organisationId, (s) =>
            declineExchange(s, proposed.value, ana.personId, 'Not me'),
          )
        ).ok,
      );
      assert.deepEqual(
        await work(database, organisationId, (s) => confirmExchange(s, proposed.value, ana.personId)),
        { ok: false, problem: 'not-proposed' },
      );
      const welcome = await work(database, organisationId, (s) =>
        recordExchange(s, {
          bankId,
          parts: [{ giverAccountId: ana.accountId, receiverAccountId: community, minutes: 120 }],
          whatWasDone: 'Welcome hours',
        }),
      );
      assert.ok(welcome.ok);
      assert.equal((await balances(database, organisationId, bankId)).get(community), -120);
      assert.ok(
        (await work(database, organisationId, (s) => reverseExchange(s, welcome.value, 'Recorded twice'))).ok,
      );
      assert.deepEqual(
        await work(database, organisationId, (s) => reverseExchange(s, welcome.value, 'again')),
        {
          ok: false,
          problem: 'not-counted',
        },
      );
      const lines = await work(database, organisationId, (s) => statement(s, ana.accountId));
      assert.deepEqual(
        lines.map((l) => [l.minutes, l.isReversal, l.balanceAfter]),
        [
          [120, false, 120],
          [-120, true, 0],
        ],
      );
      await assert.rejects(
        work(database, organisationId, (s) => s.tx.execute(sql`update time_bank_entry set minutes = 1`)),
      );
      await assert.rejects(
        work(database, organisationId, (s) => s.tx.execute(sql`delete from time_bank_entry`)),
      );
    });

    it('keeps each of two linked banks balanced when their members exchange', async () => {
      const north = await bankWithMembers(database, organisationId, 1);
      const south = await bankWithMembers(database, organisationId, 1);
      const part = [
        {
          giverAccountId: north.members[0]!.accountId,
          receiverAccountId: south.members[0]!.accountId,
          minutes: 45,
        },
      ];
      const before = await work(database, organisationId, (s) =>
        recordExchange(s, { bankId: north.bankId, parts: part, whatWasDone: 'Cooking' }),
      );
      assert.deepEqual(before, { ok: false, problem: 'not-linked' });
      const link = await work(database, organisationId, (s) => askLink(s, north.bankId, south.bankId));
      assert.ok(link.ok);
      assert.deepEqual(
        await work(database, organisationId, (s) => agreeLink(s, link.value, north.bankId)),
        { ok: false, problem: 'not-found' },
        'only the asked bank agrees',
      );
      assert.ok((await work(database, organisationId, (s) => agreeLink(s, link.value, south.bankId))).ok);
      const proposed = await work(database, organisationId, (s) =>
        proposeExchange(s, {
          bankId: north.bankId,
          proposerAccountId: north.members[0]!.accountId,
          parts: part,
          whatWasDone: 'Cooking',
        }),
      );
      assert.ok(proposed.ok);
      assert.ok(
        (
          await work(database, organisationId, (s) =>
            confirmExchange(s, proposed.value, south.members[0]!.personId),
          )
        ).ok,
      );
      for (const bank of [north, south]) {
        assert.deepEqual(await work(database, organisationId, (s) => bankTotal(s, bank.bankId)), {
          balances: 0,
          entries: 0,
        });
      }
      assert.equal(
        (await balances(database, organisationId, north.bankId)).get(north.members[0]!.accountId),
        45,
      );
      assert.equal(
        (await balances(database, organisationId, south.bankId)).get(south.members[0]!.accountId),
        -45,
      );
    });

    it('shares contact details only once an exchange has counted, never on a proposal alone', async () => {
      const { bankId, members } = await bankWithMembers(database, organisationId, 2);
      const [ana, ben] = members as [(typeof members)[0], (typeof members)[0]];
      const proposed = await work(database, organisationId, (s) =>
        proposeExchange(s, {
          bankId,
          proposerAccountId: ana.accountId,
          parts: [{ giverAccountId: ana.accountId, receiverAccountId: ben.accountId, minutes: 30 }],
          whatWasDone: 'A chat',
        }),
      );
      assert.ok(proposed.ok);
      assert.equal(
        await work(database, organisationId, (s) => haveExchanged(s, ana.accountId, ben.accountId)),
        false,
        'a proposal does not reveal contact details',
      );
      await work(database, organisationId, (s) => confirmExchange(s, proposed.value, ben.personId));
      assert.equal(
        await work(database, organisationId, (s) => haveExchanged(s, ana.accountId, ben.accountId)),
        true,
      );
    });

    it('refuses proposals that could never count: an offline member, or past either side’s limit', async () => {
      const { bankId, members } = await bankWithMembers(database, organisationId, 3, 60);
      const [ana, ben, cai] = members as [(typeof members)[0], (typeof members)[0], (typeof members)[0]];
      await work(database, organisationId, async (s) => {
        const account = (await listAccounts(s, bankId)).find((a) => a.id === cai.accountId)!;
        await setAccountFlags(s, account, { isCoordinator: false, recordedByCoordinator: true });
      });
      const propose = (parts: Part[], proposer = ana.accountId) =>
        work(database, organisationId, (s) =>
          proposeExchange(s, { bankId, proposerAccountId: proposer, parts, whatWasDone: 'x' }),
        );
      assert.deepEqual(
        await propose([{ giverAccountId: ana.accountId, receiverAccountId: cai.accountId, minutes: 30 }]),
        { ok: false, problem: 'offline', detail: cai.personId },
      );
      assert.deepEqual(
        await propose([{ giverAccountId: ana.accountId, receiverAccountId: ben.accountId, minutes: 61 }]),
        { ok: false, problem: 'overdraft', detail: ben.personId },
        'the other side’s limit, named',
      );
      assert.deepEqual(
        await propose([{ giverAccountId: ben.accountId, receiverAccountId: ana.accountId, minutes: 61 }]),
        { ok: false, problem: 'overdraft', detail: ana.personId },
        'the proposer’s own limit, named',
      );
      const [count] = await work(database, organisationId, (s) =>
        rowsOf<{ n: number }>(
          s.tx.execute(sql`select count(*)::int as n from time_bank_exchange where bank_id = ${bankId}`),
        ),
      );
      assert.equal(count!.n, 0, 'nothing was proposed');
    });

    it('lets a coordinator record only for their own bank, override only its limits, and both banks correct', async () => {
      const north = await bankWithMembers(database, organisationId, 1, 60);
      const south = await bankWithMembers(database, organisationId, 2, 60);
      const asker = await work(database, organisationId, (s) => createPerson(s, { calledName: 'Asker' }));
      const agreer = await work(database, organisationId, (s) => createPerson(s, { calledName: 'Agreer' }));
      const link = await work(database, organisationId, (s) =>
        askLink({ ...s, actorPersonId: asker }, north.bankId, south.bankId),
      );
      assert.ok(link.ok);
      assert.deepEqual(
        await work(database, organisationId, (s) =>
          agreeLink({ ...s, actorPersonId: asker }, link.value, south.bankId),
        ),
        { ok: false, problem: 'same-coordinator' },
        'whoever asked cannot also agree',
      );
      assert.ok(
        (
          await work(database, organisationId, (s) =>
            agreeLink({ ...s, actorPersonId: agreer }, link.value, south.bankId),
          )
        ).ok,
      );
      const [s1, s2] = south.members as [(typeof south.members)[0], (typeof south.members)[0]];
      const n1 = north.members[0]!;
      // North's coordinator cannot record between two of South's members.
      assert.deepEqual(
        await work(database, organisationId, (s) =>
          recordExchange(s, {
            bankId: north.bankId,
            parts: [{ giverAccountId: s1.accountId, receiverAccountId: s2.accountId, minutes: 30 }],
            whatWasDone: 'x',
            allowOverdraft: true,
          }),
        ),
        { ok: false, problem: 'not-found' },
      );
      // Nor use South's community account.
      assert.deepEqual(
        await work(database, organisationId, (s) =>
          recordExchange(s, {
            bankId: north.bankId,
            parts: [{ giverAccountId: n1.accountId, receiverAccountId: south.community, minutes: 30 }],
            whatWasDone: 'x',
          }),
        ),
        { ok: false, problem: 'not-found' },
      );
      // North's override does not reach South's member's limit.
      assert.deepEqual(
        await work(database, organisationId, (s) =>
          recordExchange(s, {
            bankId: north.bankId,
            parts: [{ giverAccountId: n1.accountId, receiverAccountId: s1.accountId, minutes: 90 }],
            whatWasDone: 'x',
            allowOverdraft: true,
          }),
        ),
        { ok: false, problem: 'overdraft', detail: s1.personId },
      );
      // ...but it does reach North's own member.
      const across = await work(database, organisationId, (s) =>
        recordExchange(s, {
          bankId: north.bankId,
          parts: [{ giverAccountId: s1.accountId, receiverAccountId: n1.accountId, minutes: 90 }],
          whatWasDone: 'x',
          allowOverdraft: true,
          categoryId: null,
        }),
      );
      assert.ok(across.ok);
      assert.deepEqual(
        (await work(database, organisationId, (s) => banksOfExchange(s, across.value))).sort(),
        [north.bankId, south.bankId].sort(),
        'either bank’s coordinator may correct it',
      );
      // South's report counts it although North recorded it.
      const activity = await work(database, organisationId, (s) => memberActivity(s, south.bankId));
      const row = activity.find((m) => m.accountId === s1.accountId)!;
      assert.equal(row.givenMinutes, 90);
      assert.ok(row.lastExchange);
      const categories = await work(database, organisationId, (s) => byCategory(s, south.bankId));
      assert.deepEqual(
        categories.map((c) => [c.exchanges, c.minutes]),
        [[1, 90]],
      );
    });

    it('property: random exchanges, group exchanges and reversals keep every bank at zero and within limits', async () => {
      const limit = 180;
      const operation = fc.oneof(
        fc.record({
          type: fc.constant('single' as const),
          giver: fc.nat(5),
          receiver: fc.nat(5),
          minutes: fc.integer({ min: 1, max: 300 }),
          override: fc.boolean(),
        }),
        fc.record({
          type: fc.constant('group' as const),
          one: fc.nat(5),
          many: fc.uniqueArray(fc.nat(5), { minLength: 1, maxLength: 4 }),
          oneGives: fc.boolean(),
          minutes: fc.integer({ min: 1, max: 120 }),
        }),
        fc.record({
          type: fc.constant('proposal' as const),
          giver: fc.nat(5),
          receiver: fc.nat(5),
          minutes: fc.integer({ min: 1, max: 300 }),
        }),
        fc.record({ type: fc.constant('reverse' as const), which: fc.nat(50) }),
      );
      await fc.assert(
        fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 12 }), async (operations) => {
          const { bankId, members, community } = await bankWithMembers(database, organisationId, 5, limit);
          // Index 5 is the community account, which may go below zero.
          const accounts = [...members.map((m) => m.accountId), community];
          const model = new Map(accounts.map((a) => [a, 0]));
          const overridden = new Set<string>();
          const counted: { id: string; parts: Part[] }[] = [];
          const fits = (parts: Part[]) => {
            const change = new Map<string, number>();
            for (const p of parts) {
              change.set(p.giverAccountId, (change.get(p.giverAccountId) ?? 0) + p.minutes);
              change.set(p.receiverAccountId, (change.get(p.receiverAccountId) ?? 0) - p.minutes);
            }
            return [...change].every(([a, d]) => a === community || d >= 0 || model.get(a)! + d >= -limit);
          };
          const apply = (parts: Part[], sign: 1 | -1) => {
            for (const p of parts) {
              model.set(p.giverAccountId, model.get(p.giverAccountId)! + sign * p.minutes);
              model.set(p.receiverAccountId, model.get(p.receiverAccountId)! - sign * p.minutes);
            }
          };
          for (const op of operations) {
            if (op.type === 'reverse') {
              const target = counted.splice(op.which % Math.max(1, counted.length), 1)[0];
              if (!target) continue;
              const result = await work(database, organisationId, (s) =>
                reverseExchange(s, target.id, 'correction'),
              );
              assert.ok(result.ok);
              apply(target.parts, -1);
              for (const p of target.parts) overridden.add(p.giverAccountId);
              continue;
            }
            const parts: Part[] =
              op.type === 'group'
                ? op.many
                    .filter((m) => m !== op.one)
                    .map((m) =>
                      op.oneGives
                        ? {
                            giverAccountId: accounts[op.one]!,
                            receiverAccountId: accounts[m]!,
                            minutes: op.minutes,
                          }
                        : {
                            giverAccountId: accounts[m]!,
                            receiverAccountId: accounts[op.one]!,
                            minutes: op.minutes,
                          },
                    )
                : [
                    {
                      giverAccountId: accounts[op.giver]!,
                      receiverAccountId: accounts[op.receiver]!,
                      minutes: op.minutes,
                    },
                  ];
            const valid = parts.length > 0 && parts.every((p) => p.giverAccountId !== p.receiverAccountId);
            const override = op.type === 'single' && op.override;
            let result: { ok: boolean; value?: string };
            if (op.type === 'proposal') {
              const giver = members[op.giver];
              const receiver = members[op.receiver];
              if (!giver || !receiver) continue;
              const proposed = await work(database, organisationId, (s) =>
                proposeExchange(s, { bankId, proposerAccountId: giver.accountId, parts, whatWasDone: 'p' }),
              );
              if (!valid) {
                assert.equal(proposed.ok, false);
                continue;
              }
              // A proposal past a limit is refused straight away; one that fits counts when confirmed.
              result = proposed.ok
                ? await work(database, organisationId, (s) =>
                    confirmExchange(s, proposed.value, receiver.personId),
                  )
                : proposed;
            } else {
              result = await work(database, organisationId, (s) =>
                recordExchange(s, { bankId, parts, whatWasDone: 'r', allowOverdraft: override }),
              );
            }
            const expected = valid && (override || fits(parts));
            assert.equal(result.ok, expected, `${JSON.stringify(op)} should ${expected ? '' : 'not '}count`);
            if (result.ok) {
              apply(parts, 1);
              counted.push({ id: result.value!, parts });
              if (override) for (const p of parts) overridden.add(p.receiverAccountId);
            }
          }
          const actual = await balances(database, organisationId, bankId);
          for (const [account, minutes] of model) assert.equal(actual.get(account), minutes);
          const total = await work(database, organisationId, (s) => bankTotal(s, bankId));
          assert.deepEqual(total, { balances: 0, entries: 0 });
          for (const m of members) {
            if (!overridden.has(m.accountId)) assert.ok(actual.get(m.accountId)! >= -limit);
          }
        }),
        { numRuns: 15 },
      );
    });

    it('concurrency: 1,000 exchanges at once end as if applied one by one, and sum to zero', async () => {
      const size = 12;
      const together = await bankWithMembers(database, organisationId, size, 60_000);
      const oneByOne = await bankWithMembers(database, organisationId, size, 60_000);
      const random = fc.sample(
        fc.record({
          giver: fc.nat(size - 1),
          receivers: fc.uniqueArray(fc.nat(size - 1), { minLength: 1, maxLength: 3 }),
          minutes: fc.integer({ min: 1, max: 240 }),
        }),
        { numRuns: 1200, seed: 42 },
      );
      const partsIn = (bank: typeof together, r: (typeof random)[number]) =>
        r.receivers
          .filter((x) => x !== r.giver)
          .map((x) => ({
            giverAccountId: bank.members[r.giver]!.accountId,
            receiverAccountId: bank.members[x]!.accountId,
            minutes: r.minutes,
          }));
      const usable = random.filter((r) => partsIn(together, r).length > 0).slice(0, 1000);
      const results = await Promise.all(
        usable.map((r) =>
          work(database, organisationId, (s) =>
            recordExchange(s, { bankId: together.bankId, parts: partsIn(together, r), whatWasDone: 'c' }),
          ),
        ),
      );
      assert.ok(results.every((r) => r.ok));
      for (const r of usable) {
        const result = await work(database, organisationId, (s) =>
          recordExchange(s, { bankId: oneByOne.bankId, parts: partsIn(oneByOne, r), whatWasDone: 's' }),
        );
        assert.ok(result.ok);
      }
      const concurrent = await balances(database, organisationId, together.bankId);
      const sequential = await balances(database, organisationId, oneByOne.bankId);
      for (let i = 0; i < size; i++)
        assert.equal(
          concurrent.get(together.members[i]!.accountId),
          sequential.get(oneByOne.members[i]!.accountId),
        );
      assert.deepEqual(await work(database, organisationId, (s) => bankTotal(s, together.bankId)), {
        balances: 0,
        entries: 0,
      });
      const [count] = await work(database, organisationId, (s) =>
        rowsOf<{ n: number }>(
          s.tx.execute(
            sql`select count(*)::int as n from time_bank_exchange where bank_id = ${together.bankId}`,
          ),
        ),
      );
      assert.equal(count!.n, usable.length);
      assert.equal(usable.length, 1000);
    });

    it('concurrency: limits hold when exchanges and confirmations race, and confirming twice counts once', async () => {
      const size = 8;
      const limit = 120;
      const bank = await bankWithMembers(database, organisationId, size, limit);
      // Proposals that each fit today, to be confirmed all at once (some twice, at the same time).
      const proposals = fc.sample(
        fc.record({
          giver: fc.nat(size - 1),
          receiver: fc.nat(size - 1),
          minutes: fc.integer({ min: 10, max: 90 }),
        }),
        { numRuns: 80, seed: 7 },
      );
      const proposed: { id: string; receiver: string }[] = [];
      for (const p of proposals) {
        if (p.giver === p.receiver) continue;
        const giver = bank.members[p.giver]!;
        const receiver = bank.members[p.receiver]!;
        const result = await work(database, organisationId, (s) =>
          proposeExchange(s, {
            bankId: bank.bankId,
            proposerAccountId: giver.accountId,
            parts: [
              { giverAccountId: giver.accountId, receiverAccountId: receiver.accountId, minutes: p.minutes },
            ],
            whatWasDone: 'p',
          }),
        );
        if (result.ok) proposed.push({ id: result.value, receiver: receiver.personId });
      }
      assert.ok(proposed.length > 40);
      // Coordinator recordings without override race the confirmations; many must be refused.
      const recordings = fc.sample(
        fc.record({
          giver: fc.nat(size - 1),
          receiver: fc.nat(size - 1),
          minutes: fc.integer({ min: 10, max: 120 }),
        }),
        { numRuns: 150, seed: 8 },
      );
      const confirms = [...proposed, ...proposed.slice(0, 20)].map((p) =>
        work(database, organisationId, (s) => confirmExchange(s, p.id, p.receiver)),
      );
      const records = recordings.map((r) =>
        work(database, organisationId, (s) =>
          recordExchange(s, {
            bankId: bank.bankId,
            parts: [
              {
                giverAccountId: bank.members[r.giver]!.accountId,
                receiverAccountId: bank.members[r.receiver]!.accountId,
                minutes: r.minutes,
              },
            ],
            whatWasDone: 'r',
          }),
        ),
      );
      const confirmed = await Promise.all(confirms);
      const recorded = await Promise.all(records);
      const refused = [...confirmed, ...recorded].filter((r) => !r.ok && r.problem === 'overdraft');
      assert.ok(refused.length > 0, 'the limit was reached under concurrency');
      const countedOnce = new Set(confirmed.filter((r) => r.ok).map((r) => (r.ok ? r.value : '')));
      assert.equal(countedOnce.size, confirmed.filter((r) => r.ok).length, 'no exchange counted twice');
      const rows = await work(database, organisationId, (s) =>
        rowsOf<{ id: string; balance: number; entries: number; kind: string }>(
          s.tx.execute(sql`select a.id, a.balance_minutes as balance, a.kind,
              coalesce((select sum(minutes) from time_bank_entry e where e.account_id = a.id), 0)::int as entries
            from time_bank_account a where a.bank_id = ${bank.bankId}`),
        ),
      );
      for (const row of rows) {
        assert.equal(Number(row.balance), Number(row.entries), 'every balance is the sum of its entries');
        if (row.kind === 'member') assert.ok(Number(row.balance) >= -limit, 'nobody past the limit');
      }
      assert.deepEqual(await work(database, organisationId, (s) => bankTotal(s, bank.bankId)), {
        balances: 0,
        entries: 0,
      });
      const [counted] = await work(database, organisationId, (s) =>
        rowsOf<{ n: number }>(
          s.tx.execute(
            sql`select count(*)::int as n from time_bank_exchange where bank_id = ${bank.bankId} and status = 'counted'`,
          ),
        ),
      );
      assert.equal(counted!.n, [...confirmed, ...recorded].filter((r) => r.ok).length);
    });
  });
}
