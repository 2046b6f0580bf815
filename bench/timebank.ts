/**
 * Time bank figures (not a test): recording 100,000 exchanges one transaction each, then a member
 * statement and the coordinator report with 1,000,000 ledger entries in the bank.
 * PGlite by default, in a data folder with durable writes as `npm start` opens it; PGLITE=fast
 * turns fsync off (as PGlite did before) and PGLITE=memory keeps it in memory, to show what waiting for
 * the disk costs. BENCH_DATABASE_URL=postgres://… runs it on PostgreSQL with a pool.
 *   npm run bench:timebank            (EXCHANGES=100000 by default)
 */

import { sql } from 'drizzle-orm';
import { migrate } from '../src/core/database/migrate.ts';
import { organisation } from '../src/core/database/schema.ts';
import { type Scope, withOrganisation, withSystem } from '../src/core/database/tenancy.ts';
import { createPerson } from '../src/core/people.ts';
import { migrationSources } from '../src/modules/index.ts';
import {
  bankTotal,
  byCategory,
  byMonth,
  createBank,
  joinBank,
  memberActivity,
  recordExchange,
  statement,
} from '../src/modules/time-bank/ledger.ts';
import { openBenchDatabase as open } from './bench-database.ts';

const exchanges = Number(process.env.EXCHANGES ?? 100_000);
const targetEntries = 1_000_000;
const memberCount = 200;
const concurrency = Number(process.env.CONCURRENCY ?? 8);

const seconds = (start: number) => ((performance.now() - start) / 1000).toFixed(2);

const { database, drop } = await open();
try {
  await migrate(database, migrationSources());
  const organisationId = crypto.randomUUID();
  await withSystem(database, (tx) =>
    tx.insert(organisation).values({ id: organisationId, slug: 'bench', name: 'Bench' }),
  );
  const work = <T>(fn: (scope: Scope) => Promise<T>) =>
    withOrganisation(database, { organisationId, requestId: 'bench' }, fn);
  const { bankId, accounts } = await work(async (scope) => {
    const bankId = await createBank(scope, { name: 'Bench bank', overdraftLimitMinutes: 60_000 });
    const accounts: string[] = [];
    for (let i = 0; i < memberCount; i++) {
      const personId = await createPerson(scope, { calledName: `Member ${i}` });
      accounts.push(
        await joinBank(scope, bankId, personId, { canOffer: '', wouldLike: '', area: '', contact: '' }),
      );
    }
    return { bankId, accounts };
  });

  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < exchanges) {
      const i = next++;
      const giver = accounts[i % memberCount]!;
      const receiver = accounts[(i * 7 + 1) % memberCount]!;
      if (giver === receiver) continue;
      const result = await work((scope) =>
        recordExchange(scope, {
          bankId,
          parts: [{ giverAccountId: giver, receiverAccountId: receiver, minutes: 30 + (i % 90) }],
          whatWasDone: 'bench',
        }),
      );
      if (!result.ok) throw new Error(`exchange ${i} refused: ${result.problem}`);
    }
  };
  await Promise.all(Array.from({ length: database.kind === 'pglite' ? 1 : concurrency }, worker));
  const recordSeconds = seconds(started);

  // Fill the ledger to 1,000,000 entries in bulk, balanced pairs written straight in SQL.
  const fillStart = performance.now();
  const [exchangeRow] = (
    (await work((s) => s.tx.execute(sql`select id from time_bank_exchange limit 1`))) as unknown as {
      rows: { id: string }[];
    }
  ).rows;
  const current = Number(
    (
      (await work((s) => s.tx.execute(sql`select count(*)::int as n from time_bank_entry`))) as unknown as {
        rows: { n: number }[];
      }
    ).rows[0]!.n,
  );
  const pairs = Math.max(0, Math.ceil((targetEntries - current) / 2));
  const a = accounts[0]!;
  const b = accounts[1]!;
  for (let done = 0; done < pairs; done += 50_000) {
    const size = Math.min(50_000, pairs - done);
    await work((s) =>
      s.tx.execute(sql`insert into time_bank_entry (organisation_id, bank_id, exchange_id, account_id, counterparty_account_id, minutes)
        select ${organisationId}::uuid, ${bankId}::uuid, ${exchangeRow!.id}::uuid,
          case when g % 2 = 0 then ${a}::uuid else ${b}::uuid end,
          case when g % 2 = 0 then ${b}::uuid else ${a}::uuid end,
          case when g % 2 = 0 then 15 else -15 end
        from generate_series(1, ${size * 2}) g`),
    );
  }
  const fillSeconds = seconds(fillStart);
  // A ledger that grew over years has planner statistics (autovacuum sees to it); a bulk fill does not.
  // Without them PostgreSQL plans a statement for one row and takes minutes instead of seconds.
  await database.runScript('analyze time_bank_entry; analyze time_bank_exchange; analyze time_bank_account;');

  const statementStart = performance.now();
  const lines = await work((scope) => statement(scope, accounts[5]!));
  const statementSeconds = seconds(statementStart);
  const bigStatementStart = performance.now();
  const bigLines = await work((scope) => statement(scope, a));
  const bigStatementSeconds = seconds(bigStatementStart);

  const reportStart = performance.now();
  await work(async (scope) => {
    await memberActivity(scope, bankId);
    await byCategory(scope, bankId);
    await byMonth(scope, bankId);
  });
  const reportSeconds = seconds(reportStart);
  const total = await work((scope) => bankTotal(scope, bankId));
  const count = Number(
    (
      (await work((s) => s.tx.execute(sql`select count(*)::int as n from time_bank_entry`))) as unknown as {
        rows: { n: number }[];
      }
    ).rows[0]!.n,
  );
  console.log(
    JSON.stringify(
      {
        database: database.kind,
        writes: database.kind === 'pglite' ? (process.env.PGLITE ?? 'durable') : 'server',
        exchanges,
        recordSeconds,
        exchangesPerSecond: Math.round(exchanges / Number(recordSeconds)),
        ledgerEntries: count,
        bulkFillSeconds: fillSeconds,
        memberStatementLines: lines.length,
        memberStatementSeconds: statementSeconds,
        busiestStatementLines: bigLines.length,
        busiestStatementSeconds: bigStatementSeconds,
        coordinatorReportSeconds: reportSeconds,
        sumOfEntries: total.entries,
      },
      null,
      2,
    ),
  );
} finally {
  await drop();
}
