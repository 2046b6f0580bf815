/**
 * Impact report figures (not a test), on a fresh database with the demo organisations loaded, then one
 * large organisation (Riverside) filled set-based as the owner with two years and more of work in
 * every module: 100,000 people supported by 1,500 staff (a few coaches with large caseloads), their
 * support history, 1,000,000 conversations, 150,000 goals (some scaled, with ratings), 300,000 "where I
 * am now" ratings, personal budget spends, 30,000 barriers, 200,000 time bank exchanges, 20,000 peer
 * link-ups with 100,000 sessions, 5,000 challenges with experiments, spaces and compass rounds, two
 * wards with their stays, 2,000 uses of force, and 3,000 stories. Then, for the last 24 whole months
 * and the version shared outside:
 *   (a) impactReport(services, scope, period, 'outside', t), each call its own transaction, and each
 *       module's statistics() alone, to see which one costs most;
 *   (b) GET /impact?from=…&to=…&view=outside through the real app over real HTTP (@hono/node-server on
 *       a free port, signed in as the lead through /sign-in with a cookie jar): time and bytes;
 *   (c) GET /impact/report.pdf?… the same way: time and bytes;
 *   (d) peak resident memory (sampled every 20 ms) over each of those.
 *   npm run bench:impact                                (PGlite, durable, as `npm start` opens it)
 *   BENCH_DATABASE_URL=postgres://… npm run bench:impact (a throwaway database on that server)
 * EXPLAIN=1 prints the plans of the slowest statistics queries (EXPLAIN ANALYZE).
 * SCALE multiplies every size (SCALE=0.25 for a quicker run); ROUNDS is the number of measured runs.
 */

import type { Server } from 'node:http';
import { type AddressInfo, createServer } from 'node:net';
import { serve } from '@hono/node-server';
import { type SQL, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { migrate } from '../src/core/database/migrate.ts';
import { rowsOf, type Scope, withOrganisation, withSystem } from '../src/core/database/tenancy.ts';
import { createTranslator } from '../src/core/i18n/index.ts';
import { lastWholeMonths } from '../src/core/periods.ts';
import { listSystems } from '../src/modules/barriers/barriers.ts';
import { goalThemes } from '../src/modules/coaching/goals.ts';
import { impactReport } from '../src/modules/impact/report.ts';
import { migrationSources, modules } from '../src/modules/index.ts';
import { buildTestApp, Visitor } from '../test/helpers/app.ts';
import { openBenchDatabase } from './bench-database.ts';
import { peakMemory, percentile } from './measure.ts';

const scale = Number(process.env.SCALE ?? 1);
const rounds = Number(process.env.ROUNDS ?? 10);
const size = (n: number) => Math.max(1, Math.round(n * scale));
const sizes = {
  people: size(100_000),
  staff: size(1_500),
  conversations: size(1_000_000),
  ownEntries: size(50_000),
  goals: size(150_000),
  scales: size(60_000), // five ratings each
  budgets: size(20_000),
  requests: size(40_000),
  barriers: size(30_000),
  members: size(10_000),
  exchanges: size(200_000),
  peers: size(800),
  households: size(15_000),
  linkUps: size(20_000),
  sessions: size(100_000),
  challenges: size(5_000),
  ideas: size(1_000),
  force: size(2_000),
  interactions: size(10_000),
  stories: size(3_000),
};
const wards = 2;
const beds = 16;
const teams = 20;
const riverside = '00000000-0000-4000-8000-000000000001';
/** The organisation as a typed constant, so a union of selects knows its type. */
const org = sql.raw(`'${riverside}'::uuid`);
const priya = '00000000-0000-4000-8100-000000000002'; // the demo's lead (and coach) at Riverside

/** A deterministic id in a bench-only block (the fourth group), from a number worked out in SQL. */
const idOf = (block: string, n: string | number) =>
  sql.raw(`('00000000-0000-4000-${block}-' || lpad((${n})::text, 12, '0'))::uuid`);
const person = (n: string | number) => idOf('9000', n);
const staff = (n: string | number) => idOf('9100', n);
const team = (n: string | number) => idOf('9110', n);
const support = (n: string | number) => idOf('9200', n);
const goal = (n: string | number) => idOf('9300', n);
const scaleId = (n: string | number) => idOf('9400', n);
const budget = (n: string | number) => idOf('9500', n);
const request = (n: string | number) => idOf('9510', n);
const bank = idOf('9600', 1);
const account = (n: string | number) => idOf('9610', n);
const exchange = (n: string | number) => idOf('9620', n);
const profile = (n: string | number) => idOf('9700', n);
const household = (n: string | number) => idOf('9710', n);
const peerRequest = (n: string | number) => idOf('9720', n);
const linkUp = (n: string | number) => idOf('9730', n);
const challenge = (n: string | number) => idOf('9800', n);
const idea = (n: string | number) => idOf('9810', n);
const series = (n: string | number) => idOf('9820', n);
const round = (n: string | number) => idOf('9830', n);
const ward = (n: string | number) => idOf('9900', n);
const story = (n: string | number) => idOf('a000', n);
/** A team lead who decides, signs off and answers (the 25th of the staff, a lead). */
const manager = staff(Math.min(25, sizes.staff));

/** Some moment in the last `days` days, uniformly. */
const withinDays = (days: number) => sql.raw(`(now() - random() * interval '${days} days')`);

const { database, drop } = await openBenchDatabase();
const kind = database.kind === 'pglite' ? 'PGlite' : 'PostgreSQL';
const ms = (value: number) => `${value.toFixed(0)} ms`;
const fills: [string, string][] = [];

/** One module's rows in one transaction as the owner, timed; the same seed each run. */
async function fill(name: string, work: (run: (query: SQL) => Promise<unknown>) => Promise<string>) {
  const started = performance.now();
  const said = await withSystem(database, async (tx) => {
    await tx.execute(sql`select setseed(0.42)`);
    return work((query) => tx.execute(query));
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  fills.push([name, `${said} (${seconds} s)`]);
  console.log(`${kind}: ${name}: ${said} in ${seconds} s`);
}

async function count(query: SQL): Promise<number> {
  const [row] = await withSystem(database, (tx) => rowsOf<{ n: number }>(tx.execute(query)));
  return Number(row?.n ?? 0);
}

async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    probe.once('listening', resolve);
    probe.once('error', reject);
  });
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

let server: Server | null = null;
try {
  await migrate(database, migrationSources());
  const { app, services } = await buildTestApp(database);
  const filling = performance.now();
  const { people: N, staff: S } = sizes;

  await fill('people and staff', async (run) => {
    await run(sql`insert into person (id, organisation_id, called_name, created_at)
      select ${person('g')}, ${org}, 'Person ' || g, now() - interval '3 years'
      from generate_series(1, ${N}) g`);
    await run(sql`insert into membership (organisation_id, person_id, role)
      select ${org}, ${person('g')}, 'person' from generate_series(1, ${N}) g`);
    await run(sql`insert into person (id, organisation_id, called_name, created_at)
      select ${staff('g')}, ${org}, 'Staff ' || g, now() - interval '4 years' from generate_series(1, ${S}) g`);
    // One in 25 staff leads a team; the rest coach.
    await run(sql`insert into membership (organisation_id, person_id, role)
      select ${org}, ${staff('g')}, case when g % 25 = 0 then 'lead' else 'coach' end
      from generate_series(1, ${S}) g`);
    await run(sql`insert into team (id, organisation_id, name, kind)
      select ${team('t')}, ${org}, 'Locality ' || t, 'coaching' from generate_series(1, ${teams}) t`);
    await run(sql`insert into team_member (organisation_id, team_id, person_id, role)
      select ${org}, ${team(`1 + g % ${teams}`)}, ${staff('g')}, case when g % 25 = 0 then 'lead' else 'coach' end
      from generate_series(1, ${S}) g`);
    await run(sql`insert into team_person (organisation_id, team_id, person_id, since)
      select ${org}, ${team(`1 + g % ${teams}`)}, ${person('g')}, now() - interval '3 years'
      from generate_series(1, ${N}) g`);
    return `${N} people, ${S} staff in ${teams} teams`;
  });

  await fill('coaching', async (run) => {
    // Each person's support: a coach drawn with a square skew (the first coaches hold thousands, most a
    // few dozen), started in the last three years; some paused, some ended, a few came back.
    await run(sql`create temporary table bench_support on commit drop as
      select g, ${person('g')} as person_id,
        ${staff(`1 + least(${S - 1}, floor(${S} * power(random(), 2))::int)`)} as coach_id,
        now() - random() * interval '1100 days' as started_at, random() as fate, random() as later
      from generate_series(1, ${N}) g`);
    await run(sql`alter table bench_support add column end_at timestamptz, add column back_at timestamptz,
      add column until_at timestamptz`);
    await run(sql`update bench_support set end_at = started_at + (now() - started_at) * (0.2 + 0.6 * later)
      where fate < 0.30`);
    await run(sql`update bench_support set back_at = end_at + (now() - end_at) * 0.5 where fate < 0.03`);
    await run(
      sql`update bench_support set until_at = case when fate >= 0.03 and fate < 0.22 then end_at else now() end`,
    );
    await run(sql`create unique index on bench_support (g)`);
    await run(sql`analyze bench_support`);
    await run(sql`insert into coaching_support (id, organisation_id, person_id, coach_id, status, started_at,
        created_at, coach_since)
      select ${support('g')}, ${org}, person_id, coach_id,
        case when fate < 0.03 then 'active' when fate < 0.22 then 'ended' when fate < 0.30 then 'paused' else 'active' end,
        started_at, started_at, started_at
      from bench_support`);
    await run(sql`insert into coaching_support_change (organisation_id, support_id, status, words, changed_by, changed_at)
      select ${org}, ${support('g')}, 'active', 'Started together.', coach_id, started_at from bench_support
      union all
      select ${org}, ${support('g')}, case when fate < 0.22 then 'ended' else 'paused' end,
        'Their choice, in their words.', coach_id, end_at from bench_support where fate < 0.30
      union all
      select ${org}, ${support('g')}, 'active', 'Came back.', coach_id, back_at from bench_support where fate < 0.03`);
    // Conversations: people drawn with a skew too (some meet weekly, many a few times), each within their
    // support, written by their coach; a quarter with the day it happened as the coach recorded it.
    await run(sql`insert into coaching_entry (organisation_id, person_id, kind, written_by, talked_about, next_steps,
        happened_on, created_at)
      select ${org}, s.person_id, 'conversation', s.coach_id,
        'We talked about the week, the flat and what comes next.', 'Phone the council.',
        case when x.g % 4 = 0 then ((a.at at time zone 'Europe/London')::date - (x.g % 3)) end, a.at
      from (select g, 1 + least(${N - 1}, floor(${N} * power(random(), 1.5))::int) as who, random() as r
        from generate_series(1, ${sizes.conversations}) g) x
      join bench_support s on s.g = x.who
      cross join lateral (select s.started_at + (s.until_at - s.started_at) * x.r as at) a`);
    await run(sql`insert into coaching_entry (organisation_id, person_id, kind, written_by, talked_about, created_at)
      select ${org}, ${person(`1 + (g * 7919) % ${N}`)}, 'own', ${person(`1 + (g * 7919) % ${N}`)},
        'A good week: I went to the group on Tuesday.', ${withinDays(800)}
      from generate_series(1, ${sizes.ownEntries}) g`);
    await run(sql`update coaching_support s set last_conversation_at = e.at
      from (select person_id, max(created_at) as at from coaching_entry
        where organisation_id = ${org} and kind = 'conversation' group by person_id) e
      where s.organisation_id = ${org} and e.person_id = s.person_id`);
    // Goals: about a third reached, one in seven let go, in a theme the person chose; one in five scaled
    // (Goal Attainment Scaling) and looked at three times.
    await run(sql`create temporary table bench_goal on commit drop as
      select g, ${goal('g')} as id, ${person(`1 + floor(random() * ${N})::int % ${N}`)} as person_id,
        now() - random() * interval '1000 days' as created_at, random() as r, random() as later
      from generate_series(1, ${sizes.goals}) g`);
    await run(sql`insert into coaching_goal (id, organisation_id, person_id, words, theme, status, status_words,
        status_changed_at, written_by, with_coach, gas_levels, gas_importance, gas_difficulty, created_at)
      select id, ${org}, person_id, 'Get my own place by the summer', 
        case when g % 10 = 0 then null else (${sql.raw(`array[${goalThemes.map((theme) => `'${theme}'`).join(', ')}]`)})[1 + g % ${goalThemes.length}] end,
        case when r < 0.35 then 'reached' when r < 0.5 then 'let-go' else 'working-on' end,
        case when r < 0.5 then 'In my words.' else '' end,
        case when r < 0.5 then created_at + (now() - created_at) * later end,
        person_id, g % 2 = 0,
        case when g % 5 = 0 then '["Not yet","A little","As I hoped","More","Much more"]'::jsonb end,
        case when g % 5 = 0 then g % 4 end, case when g % 5 = 0 then (g / 5) % 4 end, created_at
      from bench_goal`);
    await run(sql`insert into coaching_goal_rating (organisation_id, goal_id, person_id, level, rated_by, rated_at)
      select ${org}, id, person_id, least(2, -2 + k + floor(random() * 2)::int), person_id,
        created_at + (now() - created_at) * (k / 3.0) * random()
      from bench_goal, generate_series(0, 2) k where g % 5 = 0`);
    // "Where I am now": scales people named, each rated five times, mostly drifting up.
    await run(sql`insert into where_i_am_scale (id, organisation_id, person_id, name, low_words, high_words, created_at)
      select ${scaleId('g')}, ${org}, ${person(`1 + (g::bigint * 104729) % ${N}`)}, 'Feeling safe at home',
        'Scared', 'Safe', now() - interval '5 days' - random() * interval '850 days'
      from generate_series(1, ${sizes.scales}) g`);
    await run(sql`insert into where_i_am_rating (organisation_id, scale_id, person_id, value, rated_by, rated_at)
      select ${org}, s.id, s.person_id, greatest(0, least(10, 3 + k + floor(random() * 5)::int - 2)),
        s.person_id, s.created_at + (now() - s.created_at) * (k / 5.0)
      from where_i_am_scale s, generate_series(0, 4) k
      where s.organisation_id = ${org} and s.id >= ${scaleId(0)} and s.id <= ${scaleId(sizes.scales)}`);
    const [made] = await rowsOf<{ changes: number; entries: number; ratings: number; gas: number }>(
      run(sql`select (select count(*) from coaching_support_change)::int as changes,
        (select count(*) from coaching_entry)::int as entries, (select count(*) from where_i_am_rating)::int as ratings,
        (select count(*) from coaching_goal_rating)::int as gas`),
    );
    return `${N} supports (${made!.changes} changes), ${made!.entries} entries, ${sizes.goals} goals (${made!.gas} GAS ratings), ${made!.ratings} scale ratings`;
  });

  await fill('personal budgets', async (run) => {
    const B = sizes.budgets;
    // One person in five has a budget; six requests in ten were spent, some approved and not yet spent,
    // some said no to, waiting or withdrawn; half towards one of the goals.
    await run(sql`insert into personal_budget_account (id, organisation_id, person_id, opened_at)
      select ${budget('b')}, ${org}, ${person(`5 * b`)}, now() - interval '900 days' from generate_series(1, ${B}) b`);
    await run(sql`create temporary table bench_request on commit drop as
      select r, 1 + r % ${B} as b, now() - interval '3 days' - random() * interval '800 days' as asked_at,
        500 + floor(random() * 195) * 100 as pence
      from generate_series(1, ${sizes.requests}) r`);
    await run(sql`insert into personal_budget_request (id, organisation_id, account_id, person_id, words, amount_pence,
        goal_id, status, asked_by, asked_at, decided_by, decided_at, spent_pence, spent_by, spent_at)
      select ${request('r')}, ${org}, ${budget('b')}, ${person('5 * b')}, 'A bus pass for the course',
        pence, case when r % 2 = 0 then ${goal(`1 + r % ${sizes.goals}`)} end,
        (array['spent','spent','spent','spent','spent','spent','approved','declined','asked','withdrawn'])[1 + r % 10],
        ${person('5 * b')}, asked_at,
        case when r % 10 <> 8 then ${manager} end, case when r % 10 <> 8 then asked_at + interval '1 day' end,
        case when r % 10 < 6 then pence end, case when r % 10 < 6 then ${manager} end,
        case when r % 10 < 6 then asked_at + interval '2 days' end
      from bench_request`);
    await run(sql`insert into personal_budget_entry (organisation_id, account_id, kind, pence, words, recorded_by, created_at)
      select ${org}, ${budget('b')}, 'allocation', 100000, 'This year''s budget', ${manager}, now() - interval '900 days'
      from generate_series(1, ${B}) b`);
    await run(sql`insert into personal_budget_entry (organisation_id, account_id, kind, pence, words, request_id, recorded_by, created_at)
      select ${org}, ${budget('b')}, 'spend', -pence, 'Spent', ${request('r')}, ${manager}, asked_at + interval '2 days'
      from bench_request where r % 10 < 6`);
    // One spend in fifty corrected (reversed whole), as a mistake would be.
    await run(sql`insert into personal_budget_entry (organisation_id, account_id, kind, pence, words, request_id,
        reverses_entry_id, recorded_by, created_at)
      select organisation_id, account_id, 'correction', -pence, 'Recorded twice', request_id, id, recorded_by,
        created_at + interval '1 hour'
      from personal_budget_entry where organisation_id = ${org} and kind = 'spend' and id % 50 = 0`);
    await run(sql`update personal_budget_account a set balance_pence = e.pence
      from (select account_id, sum(pence) as pence from personal_budget_entry group by account_id) e
      where e.account_id = a.id`);
    const spends = await rowsOf<{ n: number }>(
      run(sql`select count(*)::int as n from personal_budget_entry where kind = 'spend'`),
    );
    return `${B} budgets, ${sizes.requests} requests, ${spends[0]!.n} spends`;
  });

  // The organisation's systems as its list first shows them (the defaults), then barriers against them,
  // the first systems named most.
  await withOrganisation(database, { organisationId: riverside, actorPersonId: priya }, (scope) =>
    listSystems(scope),
  );
  await fill('barriers', async (run) => {
    await run(sql`insert into barrier (organisation_id, person_id, recorded_by_person_id, system_id, what_happened,
        effect, status, consent, created_at, updated_at)
      select ${org}, ${person(`1 + floor(random() * ${N})::int % ${N}`)}, ${staff(`1 + g % ${S}`)},
        sys.ids[1 + least(sys.n - 1, floor(sys.n * power(random(), 1.5))::int)],
        'The form could only be done online and the library was shut.', 'Missed the deadline.',
        (array['open','open','challenged','changed'])[1 + g % 4], (array['not-asked','yes','no'])[1 + g % 3], a.at, a.at
      from generate_series(1, ${sizes.barriers}) g,
        (select array_agg(id order by position, key) as ids, count(*)::int as n from barrier_system
          where organisation_id = ${org}) sys,
        lateral (select now() - random() * interval '800 days' + g * interval '0 seconds' as at) a`);
    await run(sql`insert into barrier_update (organisation_id, barrier_id, kind, status, words, by_person_id, created_at)
      select organisation_id, id, 'status', status, 'We wrote to them.', recorded_by_person_id, created_at + interval '7 days'
      from barrier where organisation_id = ${org} and status <> 'open'`);
    return `${sizes.barriers} barriers`;
  });

  await fill('time bank', async (run) => {
    const M = sizes.members;
    await run(sql`insert into time_bank (id, organisation_id, name, created_at)
      values (${bank}, ${org}, 'Riverside big time bank', now() - interval '3 years')`);
    await run(sql`insert into time_bank_account (id, organisation_id, bank_id, kind, joined_at)
      values (${account(0)}, ${org}, ${bank}, 'community', now() - interval '3 years')`);
    await run(sql`insert into time_bank_account (id, organisation_id, bank_id, kind, person_id, can_offer, joined_at)
      select ${account('k')}, ${org}, ${bank}, 'member', ${person(`10 * k`)}, 'Gardening, lifts',
        now() - interval '900 days' from generate_series(1, ${M}) k`);
    // Exchanges between members, the givers skewed (a few give most); 95 in 100 counted, a few
    // reversed, proposed or declined; one in twenty a group with a second giver.
    await run(sql`create temporary table bench_exchange on commit drop as
      select x, giver, 1 + ((giver - 1) + 1 + floor(random() * ${M - 1})::int) % ${M} as receiver,
        (current_date - floor(random() * 800)::int) as happened_on, 30 + 15 * floor(random() * 15)::int as minutes,
        case when x % 100 < 95 then 'counted' when x % 100 < 98 then 'reversed' when x % 100 = 98 then 'proposed'
          else 'declined' end as status
      from (select x, 1 + least(${M - 1}, floor(${M} * power(random(), 1.5))::int) as giver
        from generate_series(1, ${sizes.exchanges}) x) g`);
    await run(sql`insert into time_bank_exchange (id, organisation_id, bank_id, status, is_group, what_was_done,
        happened_on, proposed_by_person_id, giver_confirmed, receiver_confirmed, decline_reason, reversal_reason,
        created_at, counted_at, kind)
      select ${exchange('x')}, ${org}, ${bank}, status, x % 20 = 0, 'Helped with the garden', happened_on,
        ${person('10 * giver')}, status in ('counted', 'reversed'), status in ('counted', 'reversed'),
        case when status = 'declined' then 'Not this time' end, case when status = 'reversed' then 'Recorded by mistake' end,
        happened_on::timestamptz, case when status in ('counted', 'reversed') then happened_on::timestamptz + interval '1 day' end,
        'exchange'
      from bench_exchange`);
    await run(sql`insert into time_bank_exchange_part (organisation_id, exchange_id, giver_account_id, receiver_account_id, minutes)
      select ${org}, ${exchange('x')}, ${account('giver')}, ${account('receiver')}, minutes from bench_exchange
      union all
      select ${org}, ${exchange('x')}, ${account(`1 + (receiver % ${M})`)}, ${account('receiver')}, minutes
      from bench_exchange where x % 20 = 0 and 1 + (receiver % ${M}) <> receiver`);
    // Welcome hours from the community account: not counted as exchanges, but the report must skip them.
    await run(sql`insert into time_bank_exchange (id, organisation_id, bank_id, status, what_was_done, happened_on,
        recorded_by_coordinator, created_at, counted_at, kind)
      select ${exchange(`${sizes.exchanges} + k`)}, ${org}, ${bank}, 'counted', 'Welcome hours',
        (now() - interval '900 days')::date, true, now() - interval '900 days', now() - interval '900 days', 'welcome'
      from generate_series(1, ${M}) k`);
    await run(sql`insert into time_bank_exchange_part (organisation_id, exchange_id, giver_account_id, receiver_account_id, minutes)
      select ${org}, ${exchange(`${sizes.exchanges} + k`)}, ${account(0)}, ${account('k')}, 120
      from generate_series(1, ${M}) k`);
    // The double-entry ledger, and a reversing pair for each reversed exchange.
    await run(sql`insert into time_bank_entry (organisation_id, bank_id, exchange_id, account_id, counterparty_account_id,
        minutes, is_reversal, created_at)
      select p.organisation_id, ${bank}, p.exchange_id, e.account_id, e.other, e.minutes, e.reversal, x.counted_at
      from time_bank_exchange_part p join time_bank_exchange x on x.id = p.exchange_id
      cross join lateral (values (p.giver_account_id, p.receiver_account_id, -p.minutes, false),
        (p.receiver_account_id, p.giver_account_id, p.minutes, false),
        (p.giver_account_id, p.receiver_account_id, p.minutes, true),
        (p.receiver_account_id, p.giver_account_id, -p.minutes, true)) e(account_id, other, minutes, reversal)
      where x.bank_id = ${bank} and x.status in ('counted', 'reversed') and (not e.reversal or x.status = 'reversed')`);
    await run(sql`update time_bank_account a set balance_minutes = e.minutes
      from (select account_id, sum(minutes)::int as minutes from time_bank_entry where bank_id = ${bank} group by account_id) e
      where e.account_id = a.id`);
    const [made] = await rowsOf<{ parts: number; entries: number }>(
      run(sql`select (select count(*) from time_bank_exchange_part)::int as parts,
        (select count(*) from time_bank_entry)::int as entries`),
    );
    return `${M} members, ${sizes.exchanges} exchanges + ${M} welcome gifts (${made!.parts} parts, ${made!.entries} ledger entries)`;
  });

  await fill('peer support', async (run) => {
    const P = sizes.peers;
    const H = sizes.households;
    const L = sizes.linkUps;
    await run(sql`insert into membership (organisation_id, person_id, role)
      select ${org}, ${person(`1 + (k * 125) % ${N}`)}, 'peer' from generate_series(1, ${P}) k
      on conflict do nothing`);
    await run(sql`insert into peer_profile (id, organisation_id, person_id, words, area, capacity, level_key, created_at)
      select ${profile('k')}, ${org}, ${person(`1 + (k * 125) % ${N}`)}, 'I have been there too.', 'Riverside', 3,
        'listener', now() - interval '1000 days' + k * interval '1 hour'
      from generate_series(1, ${P}) k`);
    // Trained: three peers in four had their first level confirmed, spread over three years; some a second.
    await run(sql`insert into peer_level_change (organisation_id, profile_id, level_key, confirmed_by, confirmed_at)
      select ${org}, ${profile('k')}, 'listener', ${manager}, now() - random() * interval '1000 days'
      from generate_series(1, ${P}) k where k % 4 <> 0
      union all
      select ${org}, ${profile('k')}, 'companion', ${manager}, now() - random() * interval '100 days'
      from generate_series(1, ${P}) k where k % 8 = 1`);
    await run(sql`insert into peer_journey_step (organisation_id, profile_id, kind, words, reached_on, created_at)
      select ${org}, ${profile(`1 + k % ${P}`)}, (array['work','study','volunteering','other'])[1 + k % 4],
        'A job at the garden centre', case when k % 3 <> 0 then current_date - floor(random() * 800)::int end,
        now() - interval '900 days'
      from generate_series(1, ${Math.max(4, Math.round(P * 1.5))}) k`);
    await run(sql`insert into peer_household (id, organisation_id, name, created_at)
      select ${household('h')}, ${org}, 'Family ' || h, now() - interval '900 days' from generate_series(1, ${H}) h`);
    await run(sql`insert into peer_household_member (organisation_id, household_id, person_id)
      select ${org}, ${household('h')}, ${person(`1 + (h * 6 + i) % ${N}`)}
      from generate_series(1, ${H}) h, generate_series(0, 1) i`);
    // One request per link-up, three in four from a household; peers drawn with a skew (a few very busy).
    await run(sql`create temporary table bench_link on commit drop as
      select r, 1 + least(${P - 1}, floor(${P} * power(random(), 2))::int) as peer,
        now() - interval '5 days' - random() * interval '800 days' as created_at, random() as later,
        (array['suggested','active','active','active','reviewed','paused','ended','ended','ended','ended'])[1 + r % 10] as stage
      from generate_series(1, ${L}) r`);
    await run(sql`alter table bench_link add column ended_at timestamptz`);
    await run(sql`update bench_link set ended_at = created_at + interval '3 days' + (now() - created_at - interval '3 days') * later
      where stage = 'ended'`);
    await run(sql`create unique index on bench_link (r)`);
    await run(sql`insert into peer_request (id, organisation_id, person_id, household_id, words, status, created_at)
      select ${peerRequest('r')}, ${org}, ${person(`1 + (r * 5 + 3) % ${N}`)},
        case when r % 4 <> 0 then ${household(`1 + r % ${H}`)} end, 'Someone who has been through the courts',
        case when stage = 'suggested' then 'waiting' when stage = 'ended' then 'closed' else 'linked' end, created_at
      from bench_link`);
    await run(sql`insert into peer_link_up (id, organisation_id, request_id, profile_id, stage, peer_agreed_at,
        seeker_agreed_at, created_at, active_at, ended_at, ended_kind, ended_words)
      select ${linkUp('r')}, ${org}, ${peerRequest('r')}, ${profile('peer')}, stage,
        case when stage <> 'suggested' then created_at + interval '1 day' end,
        case when stage <> 'suggested' then created_at + interval '2 days' end, created_at,
        case when stage <> 'suggested' then created_at + interval '3 days' end, ended_at,
        case when stage = 'ended' then 'celebration' end, case when stage = 'ended' then 'We did it.' end
      from bench_link`);
    await run(sql`insert into peer_link_up_change (organisation_id, link_up_id, stage, changed_by, changed_at)
      select ${org}, ${linkUp('r')}, 'suggested', ${manager}, created_at from bench_link
      union all
      select ${org}, ${linkUp('r')}, 'introduced', ${manager}, created_at + interval '2 days'
      from bench_link where stage <> 'suggested'
      union all
      select ${org}, ${linkUp('r')}, 'active', ${manager}, created_at + interval '3 days'
      from bench_link where stage <> 'suggested'
      union all
      select ${org}, ${linkUp('r')}, 'ended', ${manager}, ended_at from bench_link where stage = 'ended'`);
    // Sessions only in link-ups that were introduced, between becoming active and their end.
    await run(sql`insert into peer_session (organisation_id, link_up_id, happened_on, minutes, what_we_did, logged_by)
      select ${org}, ${linkUp('l.r')},
        ((l.created_at + interval '3 days' + (coalesce(l.ended_at, now()) - l.created_at - interval '3 days') * random())
          at time zone 'Europe/London')::date,
        30 + 15 * floor(random() * 11)::int, 'Coffee and the forms', ${person(`1 + (l.peer * 125) % ${N}`)}
      from (select s, 1 + floor(random() * ${L})::int as pick from generate_series(1, ${sizes.sessions}) s) x
      join bench_link l on l.r = case when x.pick % 10 = 0 then x.pick - 1 else x.pick end
      where l.stage <> 'suggested'`);
    const sessions = await rowsOf<{ n: number }>(run(sql`select count(*)::int as n from peer_session`));
    return `${P} peers, ${H} households, ${L} link-ups, ${sessions[0]!.n} sessions`;
  });

  await fill('learning', async (run) => {
    const C = sizes.challenges;
    // Challenges: three in ten anonymous; one in five still waiting; the rest answered within a month.
    await run(sql`insert into learning_challenge (id, organisation_id, author_person_id, is_anonymous, anonymous_key_hash,
        addressed_to, what_is_wrong, status, answer, answered_by_person_id, answered_at, raised_at)
      select ${challenge('c')}, ${org}, case when c % 10 >= 3 then ${staff(`1 + c % ${S}`)} end, c % 10 < 3,
        case when c % 10 < 3 then md5('bench-anonymous-' || c) end, (array['leaders','system'])[1 + c % 2],
        'The rota changes with a day''s notice.', (array['waiting','heard','acting','changed','cannot'])[1 + c % 5],
        case when c % 5 <> 0 then 'We have heard this and will change it.' else '' end,
        case when c % 5 <> 0 then ${manager} end,
        case when c % 5 <> 0 then least(now(), raised + random() * interval '30 days') end, raised
      from (select c, now() - random() * interval '800 days' as raised from generate_series(1, ${C}) c) x`);
    await run(sql`insert into learning_change_idea (id, organisation_id, proposed_by_person_id, what, status, proposed_at, decided_at)
      select ${idea('i')}, ${org}, ${staff(`1 + i % ${S}`)}, 'A quiet hour after lunch',
        (array['proposed','with-lead','not-now','experiment','adopted','stopped'])[1 + i % 6],
        now() - interval '60 days' - random() * interval '740 days', case when i % 6 >= 2 then now() - random() * interval '50 days' end
      from generate_series(1, ${sizes.ideas}) i`);
    await run(sql`insert into learning_experiment (organisation_id, idea_id, cycle, will_try, decision, decided_by_person_id,
        started_at, decided_at)
      select ${org}, id, 1, 'Try it for a month',
        case when status in ('adopted', 'stopped') or random() < 0.5 then (array['adopt','adapt','stop'])[1 + floor(random() * 3)::int] end,
        ${manager}, proposed_at + interval '7 days', null
      from learning_change_idea where organisation_id = ${org} and status in ('experiment', 'adopted', 'stopped')
        and id between ${idea(0)} and ${idea(999_999_999)}`);
    await run(sql`update learning_experiment set decided_at = least(now(), started_at + random() * interval '60 days')
      where decision is not null and organisation_id = ${org}`);
    // Reflective spaces: twenty series, fortnightly for two years, eight staff at each.
    await run(sql`insert into learning_space_series (id, organisation_id, name, created_by_person_id, created_at)
      select ${series('k')}, ${org}, 'Reflective practice ' || k, ${manager}, now() - interval '800 days'
      from generate_series(1, 20) k`);
    await run(sql`insert into learning_space (organisation_id, series_id, starts_at)
      select ${org}, ${series('k')}, now() - interval '760 days' + (j * 14 + k % 14) * interval '1 day'
      from generate_series(1, 20) k, generate_series(0, 54) j`);
    await run(sql`insert into learning_attendance (organisation_id, space_id, person_id)
      select ${org}, s.id, ${staff(`1 + (k * 37 + j * 13) % ${S}`)}
      from (select id, row_number() over (order by id) as k from learning_space
        where organisation_id = ${org} and starts_at < now()) s, generate_series(1, 8) j`);
    // The culture compass each quarter, 200 staff answering; collaboration drifting up round by round.
    await run(sql`insert into learning_culture_round (id, organisation_id, name, opened_by_person_id, opened_at, closed_at)
      select ${round('q')}, ${org}, 'Quarter ' || q, ${manager}, now() - interval '730 days' + q * interval '90 days',
        now() - interval '716 days' + q * interval '90 days'
      from generate_series(0, 7) q`);
    await run(sql`insert into learning_culture_response (organisation_id, round_id, person_id, now_points, preferred_points, answered_at)
      select ${org}, ${round('q')}, ${staff(`1 + (p * 7) % ${S}`)},
        array(select (25 + case (i - 1) % 4 when 0 then q * 2 when 1 then -q * 2 when 2 then (p % 3) else -(p % 3) end)::smallint
          from generate_series(1, 24) i),
        array(select (case (i - 1) % 4 when 0 then 40 when 1 then 20 when 2 then 15 else 25 end)::smallint from generate_series(1, 24) i),
        now() - interval '729 days' + q * interval '90 days'
      from generate_series(0, 7) q, generate_series(1, ${Math.min(200, S)}) p`);
    await run(sql`insert into learning_check_in (organisation_id, person_id, position, checked_in_at)
      select ${org}, ${staff(`1 + (k * 11) % ${S}`)}, 1 + k % 5, ${withinDays(800)} from generate_series(1, ${C}) k`);
    return `${C} challenges, ${sizes.ideas} ideas with experiments, ${20 * 55} spaces, 8 compass rounds, ${C} check-ins`;
  });

  await fill('safer wards', async (run) => {
    await run(sql`insert into team (id, organisation_id, name, kind, beds)
      select ${ward('w')}, ${org}, 'Ward ' || w, 'ward', ${beds} from generate_series(1, ${wards}) w`);
    await run(sql`insert into team_member (organisation_id, team_id, person_id, role)
      select ${org}, ${ward('w')}, ${staff(`1 + (w * 25) % ${S}`)}, 'lead' from generate_series(1, ${wards}) w
      union all
      select ${org}, ${ward('w')}, ${staff(`1 + (w * 20 + n) % ${S}`)}, 'coach'
      from generate_series(1, ${wards}) w, generate_series(1, 20) n`);
    // Each bed: stays of 20 to 49 days one after another over 800 days, a day empty between, the last
    // still open; one patient each (as safer-wards' own bench fills them).
    await run(sql`create temporary table bench_stay on commit drop as
      select md5('bench-stay-' || w || '-' || b || '-' || k)::uuid as id, ${ward('w')} as team_id,
        md5('bench-patient-' || w || '-' || b || '-' || k)::uuid as person_id,
        now() - interval '800 days' + (k * (len + 1) || ' days')::interval + ((b * 37 + k * 11) % 480 || ' minutes')::interval as admitted_at,
        len
      from generate_series(1, ${wards}) w, generate_series(1, ${beds}) b,
        lateral (select 20 + (w * 7 + b * 13) % 30 as len) l, lateral generate_series(0, 800 / (len + 1)) k`);
    await run(sql`insert into person (id, organisation_id, called_name)
      select person_id, ${org}, 'Patient ' || left(person_id::text, 8) from bench_stay`);
    await run(sql`insert into ward_stay (id, organisation_id, team_id, person_id, admitted_at, discharged_at)
      select id, ${org}, team_id, person_id, admitted_at,
        case when admitted_at + (len || ' days')::interval < now() then admitted_at + (len || ' days')::interval end
      from bench_stay where admitted_at < now()`);
    await run(sql`create temporary table bench_force on commit drop as
      with s as (
        select id, team_id, person_id, admitted_at, coalesce(discharged_at, now()) as until,
          row_number() over (order by id) as n, count(*) over () as total
        from ward_stay where organisation_id = ${org})
      select md5('bench-force-' || g)::uuid as id, g, s.team_id, s.person_id,
        date_trunc('milliseconds', s.admitted_at + (s.until - s.admitted_at) * (0.05 + 0.9 * ((g * 7919) % 1000) / 1000.0)) as started_at
      from generate_series(1, ${sizes.force}) g join s on s.n = 1 + (g::bigint * 104729) % s.total`);
    await run(sql`insert into force_record (id, organisation_id, team_id, person_id, status, version, place,
        started_at, ended_at, reason, description, in_care_plan, plan_items_tried, efforts, non_staff, outcome,
        harm, people_told, people_told_details, signed_off_by_person_id, signed_off_at, created_at)
      select id, ${org}, team_id, person_id, case when g % 50 = 0 then 'draft' else 'signed-off' end, 2,
        'Lounge', started_at, started_at + interval '12 minutes',
        'To keep them safe: they were hitting their head against the wall and could not stop when asked.',
        'Two staff held their arms while a third talked with them throughout; released after a few minutes.',
        'yes', array['Music and headphones', 'The quiet room'],
        'We offered the quiet room and a warm drink, and their named nurse talked with them first.', 'none',
        'They settled in the quiet room and later had tea with staff.', 'none', 'yes',
        'Their sister was phoned the same day.', case when g % 50 = 0 then null else ${manager} end,
        case when g % 50 = 0 then null else started_at + interval '1 day' end, started_at + interval '2 hours'
      from bench_force`);
    await run(sql`insert into force_type_used (organisation_id, force_record_id, type, position, started_at, ended_at, ordinal)
      select ${org}, id, 'physical', case when g % 4 = 0 then 'prone' else 'seated' end, started_at,
        started_at + interval '6 minutes', 0 from bench_force
      union all
      select ${org}, id, 'seclusion', '', started_at + interval '6 minutes', started_at + interval '3 hours', 1
      from bench_force where g % 7 = 0
      union all
      select ${org}, id, 'chemical', '', started_at + interval '6 minutes', started_at + interval '8 minutes', 2
      from bench_force where g % 10 = 0`);
    await run(sql`insert into force_staff (organisation_id, force_record_id, person_id, job_title)
      select ${org}, id, ${staff(`1 + (g + i * 7) % ${S}`)},
        case i when 0 then 'Staff nurse' when 1 then 'Healthcare support worker' else 'Ward manager' end
      from bench_force, generate_series(0, 2) i where i < 2 + g % 2`);
    await run(sql`insert into force_debrief (organisation_id, force_record_id, side, state, words, by_person_id, created_at)
      select ${org}, id, 'patient', case when g % 3 = 0 then 'declined' else 'given' end, 'We talked it through.',
        ${manager}, started_at + interval '1 day' from bench_force where g % 10 < 7
      union all
      select ${org}, id, 'staff', 'given', 'What we would do differently.', ${manager}, started_at + interval '2 days'
      from bench_force where g % 2 = 0`);
    // The helpful end of the continuum, recorded within stays.
    await run(sql`insert into ward_interaction (organisation_id, team_id, person_id, happened_at, kind, words, recorded_by_person_id)
      select ${org}, s.team_id, s.person_id,
        s.admitted_at + (coalesce(s.discharged_at, now()) - s.admitted_at) * random(),
        (array['asked-for-help','talked-through','plan-helped','talk-down','prn-by-choice'])[1 + g % 5], '', ${manager}
      from generate_series(1, ${sizes.interactions}) g
      join (select *, row_number() over (order by id) as n, count(*) over () as total from ward_stay
        where organisation_id = ${org}) s on s.n = 1 + (g::bigint * 7919) % s.total`);
    const stays = await rowsOf<{ n: number }>(
      run(sql`select count(*)::int as n from ward_stay where organisation_id = ${org}`),
    );
    return `${wards} wards of ${beds} beds, ${stays[0]!.n} stays, ${sizes.force} uses of force, ${sizes.interactions} interactions`;
  });

  await fill('stories', async (run) => {
    // Three in ten public, three in ten for the organisation, the rest the author's or their team's; one
    // in ten shown in its anonymised version; one in 33 withdrawn (back to the author alone).
    await run(sql`insert into story (id, organisation_id, author_person_id, title, words, language, shown_name, scope,
        shown_version, withdrawn_at, created_by_person_id, created_at, updated_at)
      select ${story('s')}, ${org}, ${person(`1 + (s * 31) % ${N}`)}, 'How I got my flat',
        repeat('It took a long time and a lot of phone calls, but we did it together. ', 12),
        case when s % 6 = 0 then 'cy' else 'en' end, case when s % 5 = 0 then null else 'Person ' || s end,
        case when s % 33 = 0 then 'me' else (array['me','me','me','team','organisation','organisation','organisation','public','public','public'])[1 + s % 10] end,
        case when s % 10 = 7 then 'anonymised' else 'own' end, case when s % 33 = 0 then at + interval '5 days' end,
        ${person(`1 + (s * 31) % ${N}`)}, at, at
      from (select s, now() - random() * interval '800 days' as at from generate_series(1, ${sizes.stories}) s) x`);
    await run(sql`insert into story_version (organisation_id, story_id, kind, number, title, words, saved_by_person_id, saved_at)
      select organisation_id, id, 'own', 1, title, words, author_person_id, created_at from story
      where organisation_id = ${org} and id between ${story(0)} and ${story(999_999_999)}
      union all
      select organisation_id, id, 'anonymised', 1, 'A flat of my own', 'It took a long time, but we did it together.',
        author_person_id, created_at + interval '1 day'
      from story where organisation_id = ${org} and id between ${story(0)} and ${story(999_999_999)} and shown_version = 'anonymised'`);
    await run(sql`insert into story_consent (organisation_id, story_id, scope, withdrawn, wording, language, given_by_person_id, given_at)
      select organisation_id, id, scope, false, 'I agree that this story may be read by the people I chose.', language,
        author_person_id, created_at + interval '1 hour'
      from story where organisation_id = ${org} and id between ${story(0)} and ${story(999_999_999)} and scope <> 'me'`);
    return `${sizes.stories} stories`;
  });

  await withSystem(database, (tx) => tx.execute(sql`analyze`));
  const fillSeconds = (performance.now() - filling) / 1000;
  const conversations = await count(
    sql`select count(*)::int as n from coaching_entry where organisation_id = ${org} and kind = 'conversation'`,
  );
  console.log(`${kind}: filled in ${fillSeconds.toFixed(0)} s (${conversations} conversations at Riverside)`);

  const period = lastWholeMonths(24);
  const t = createTranslator(
    Object.fromEntries(
      modules.flatMap((module) => (module.catalogues ? [[module.id, module.catalogues]] : [])),
    ),
  ).forLanguage('en');
  const inRiverside = <T>(work: (scope: Scope) => Promise<T>) =>
    withOrganisation(database, { organisationId: riverside, actorPersonId: priya }, work);
  const table: [string, string][] = [];
  const timed = async (label: string, work: () => Promise<number | undefined>) => {
    const times: number[] = [];
    let bytes = 0;
    const { peakMiB } = await peakMemory(async () => {
      for (let run = 0; run < rounds + 1; run++) {
        const started = performance.now();
        bytes = (await work()) ?? 0;
        if (run > 0) times.push(performance.now() - started); // the first run warms the caches
      }
    });
    times.sort((a, b) => a - b);
    table.push([
      label,
      `median ${ms(percentile(times, 0.5))}, 95th percentile ${ms(percentile(times, 0.95))}${bytes ? `, ${(bytes / 1024).toFixed(0)} KiB` : ''}, peak RSS ${peakMiB} MiB`,
    ]);
    console.log(`${kind}: ${label}: ${table.at(-1)![1]}`);
  };

  // (a) The report itself, and each module's figures alone (one run after a warm-up) to find the costly one.
  let figures = 0;
  await timed(`impactReport, 24 months, outside, ${rounds} runs`, async () => {
    const report = await inRiverside((scope) => impactReport(services, scope, period, 'outside', t));
    figures = report.sections.reduce((sum, section) => sum + section.figures.length, 0);
    return undefined;
  });
  // Every query each module's statistics() sends, timed through a scope whose execute notes them.
  const perModule: [string, number][] = [];
  const queries: { moduleId: string; text: string; took: number; query: SQL }[] = [];
  const dialect = new PgDialect();
  const noting = (scope: Scope, moduleId: string): Scope => {
    const execute = ((query: SQL) => {
      const started = performance.now();
      const result = scope.tx.execute(query);
      return result.finally(() => {
        const text = dialect.sqlToQuery(query).sql.replace(/\s+/g, ' ').trim();
        queries.push({ moduleId, text, took: performance.now() - started, query });
      });
    }) as Scope['tx']['execute'];
    const tx = new Proxy(scope.tx, {
      get: (target, name) => (name === 'execute' ? execute : Reflect.get(target, name, target)),
    });
    return { ...scope, tx };
  };
  for (const module of services.modules) {
    if (!module.statistics) continue;
    const statistics = module.statistics;
    await inRiverside((scope) => statistics(scope, period));
    const started = performance.now();
    await inRiverside((scope) => statistics(noting(scope, module.id), period));
    perModule.push([module.id, performance.now() - started]);
  }
  queries.sort((a, b) => b.took - a.took);
  const slowest = queries.slice(0, 6);
  // EXPLAIN=1 shows how the database ran the slowest of them.
  if (process.env.EXPLAIN)
    for (const slow of slowest.slice(0, 4)) {
      const plan = await inRiverside((scope) =>
        rowsOf<Record<string, string>>(scope.tx.execute(sql`explain (analyze, costs off) ${slow.query}`)),
      );
      console.log(`\n${slow.moduleId}, ${ms(slow.took)}: ${slow.text.slice(0, 300)}…`);
      for (const row of plan) console.log(Object.values(row)[0]);
    }
  perModule.sort((a, b) => b[1] - a[1]);

  // (b, c) The page and the PDF over real HTTP, signed in as the lead through the sign-in form.
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }) as Server;
  await new Promise<void>((resolve, reject) => {
    if (server!.listening) resolve();
    server!.once('listening', resolve);
    server!.once('error', reject);
  });
  const overHttp = {
    request: (path: string, init?: RequestInit) => fetch(`${base}${path}`, { ...init, redirect: 'manual' }),
  };
  const lead = new Visitor(overHttp, '198.51.100.1');
  const signedIn = await lead.signIn('lead@riverside.example');
  // Priya leads at Riverside and is a partner elsewhere, so she chooses where she is working first.
  if (signedIn.headers.get('location') === '/choose-organisation') {
    await lead.get('/choose-organisation');
    const chosen = await lead.post('/choose-organisation', { organisation: riverside });
    const next = chosen.headers.get('location');
    if (next) await lead.get(next);
  }
  const query = `from=${period.months[0]}&to=${period.months.at(-1)}&view=outside`;
  const fetchBody = async (path: string, type: string) => {
    const response = await fetch(`${base}${path}`, {
      headers: { cookie: lead.cookieHeader(), 'x-forwarded-for': '198.51.100.1' },
      redirect: 'manual',
    });
    const body = new Uint8Array(await response.arrayBuffer());
    if (response.status !== 200 || !(response.headers.get('content-type') ?? '').startsWith(type))
      throw new Error(`${path} answered ${response.status} ${response.headers.get('content-type')}`);
    return body.byteLength;
  };
  await timed(`GET /impact?${query} (HTTP), ${rounds} runs`, () =>
    fetchBody(`/impact?${query}`, 'text/html'),
  );
  await timed(`GET /impact/report.pdf?… (HTTP), ${rounds} runs`, () =>
    fetchBody(`/impact/report.pdf?${query}`, 'application/pdf'),
  );

  console.log(
    `\n| ${kind}, 2 cores: Riverside, ${N.toLocaleString('en-GB')} people, last 24 whole months (${period.months[0]} to ${period.months.at(-1)}), ${figures} figures | |\n| --- | --- |`,
  );
  for (const [what, figure] of fills) console.log(`| fill: ${what} | ${figure} |`);
  console.log(`| fill, all (set-based) | ${fillSeconds.toFixed(0)} s |`);
  for (const [what, figure] of table) console.log(`| ${what} | ${figure} |`);
  console.log(
    `| each module's statistics() alone | ${perModule.map(([id, took]) => `${id} ${ms(took)}`).join(', ')} |`,
  );
  for (const slow of slowest)
    console.log(
      `| slow query: ${slow.moduleId} | ${ms(slow.took)}: \`${slow.text.slice(0, 90).replace(/\|/g, '\\|')}…\` |`,
    );
} finally {
  if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
  await drop();
}
