import { type SQL, sql } from 'drizzle-orm';
import { rowsOf, type Scope } from '../../core/database/tenancy.ts';
import type { Statistic } from '../../core/module.ts';
import { byMonth, nextMonth, type StatisticPeriod } from '../../core/periods.ts';

/**
 * Coaching's figures for the impact report, all from the ordinary work: support as it was started,
 * paused and ended, conversations coaches recorded, goals as people marked them, and the scales people
 * named. Nothing here is typed for a report; a figure that cannot be worked out is left out.
 */

/** The UK midnight that starts a day, as a timestamp, so months are the months people live in. */
const ukStart = (day: string | SQL) => sql`(${day}::date::timestamp at time zone 'Europe/London')`;

/** The period's months as a table (month, start, end), for figures counted afresh in each month. */
function monthsTable(period: StatisticPeriod) {
  return sql`(values ${sql.join(
    period.months.map(
      (month) => sql`(${month}::text, ${`${month}-01`}::text, ${`${nextMonth(month)}-01`}::text)`,
    ),
    sql`, `,
  )}) as m(month, first_day, next_day)`;
}

/**
 * Each stretch of time someone's support was open (started and not ended: a pause keeps it open, as the
 * person chose a break rather than an end), from the history of starts, pauses, ends and comebacks,
 * with when their support first began.
 */
function openSupport(scope: Scope) {
  return sql`with changes as (
      select s.person_id, c.status, c.changed_at as from_at,
        lead(c.changed_at) over (partition by c.support_id order by c.changed_at, c.id) as until_at
      from coaching_support_change c join coaching_support s on s.id = c.support_id
      where s.organisation_id = ${scope.organisationId} and c.organisation_id = ${scope.organisationId}
    ), open as (
      select person_id, from_at, until_at from changes
      where status in ('active', 'paused') and (until_at is null or until_at > from_at)
    ), began as (
      select person_id, min(from_at) as began_at from open group by person_id
    )`;
}

/** An open stretch overlapping the days from `first` up to (not including) `next`. */
const overlaps = (first: string | SQL, next: string | SQL) =>
  sql`o.from_at < ${ukStart(next)} and (o.until_at is null or o.until_at > ${ukStart(first)})`;

/** The day a conversation happened (as the coach recorded it), or the UK day it was written down. */
const conversationDay = sql`coalesce(e.happened_on, (e.created_at at time zone 'Europe/London')::date)`;

const inPeriodDay = (day: SQL, period: StatisticPeriod) =>
  sql`${day} >= ${period.from}::date and ${day} < ${period.until}::date`;
const inPeriodTime = (at: SQL, period: StatisticPeriod) =>
  sql`${at} >= ${ukStart(period.from)} and ${at} < ${ukStart(period.until)}`;
const ukMonth = (at: SQL) => sql`to_char(${at} at time zone 'Europe/London', 'YYYY-MM')`;

const round1 = (n: number) => Math.round(n * 10) / 10;

export async function coachingStatistics(scope: Scope, period: StatisticPeriod): Promise<Statistic[]> {
  const [reach] = await rowsOf<{ supported: number; new: number }>(
    scope.tx.execute(sql`${openSupport(scope)}
      select count(distinct o.person_id)::int as supported,
        count(distinct o.person_id) filter (where b.began_at >= ${ukStart(period.from)})::int as new
      from open o join began b on b.person_id = o.person_id
      where ${overlaps(period.from, period.until)}`),
  );
  const monthly = await rowsOf<{ month: string; supported: number; new: number }>(
    // Each person once per month first (a hash), then plain counts: no sort of every stretch by month.
    scope.tx.execute(sql`${openSupport(scope)}, monthly as (
        select distinct m.month, m.first_day, o.person_id from ${monthsTable(period)}
        join open o on ${overlaps(sql`m.first_day`, sql`m.next_day`)}
      )
      select x.month, count(*)::int as supported,
        count(*) filter (where b.began_at >= ${ukStart(sql`x.first_day`)})::int as new
      from monthly x join began b on b.person_id = x.person_id
      group by x.month`),
  );
  const supported = reach?.supported ?? 0;
  const fresh = reach?.new ?? 0;
  const supportedByMonth = byMonth(
    period,
    monthly.map((row) => ({ month: row.month, n: row.supported })),
  );
  const newByMonth = byMonth(
    period,
    monthly.map((row) => ({ month: row.month, n: row.new })),
  );

  const conversationsByMonth = await rowsOf<{ month: string; n: number }>(
    scope.tx.execute(sql`select to_char(${conversationDay}, 'YYYY-MM') as month, count(*)::int as n
      from coaching_entry e
      where e.organisation_id = ${scope.organisationId} and e.kind = 'conversation'
        and ${inPeriodDay(conversationDay, period)}
      group by 1`),
  );
  const conversations = conversationsByMonth.reduce((sum, row) => sum + Number(row.n), 0);

  // Everyone supported in the period counts, with nought conversations if they had none: how often
  // people chose to meet, never a target.
  const [sessions] = await rowsOf<{ q: (number | string)[] | null }>(
    scope.tx.execute(sql`${openSupport(scope)}, people as (
        select distinct o.person_id from open o where ${overlaps(period.from, period.until)}
      ), counts as (
        -- Counted in one pass over the period's conversations, then joined: one hash join, not a
        -- lookup per person.
        select e.person_id, count(*) as n from coaching_entry e
        where e.organisation_id = ${scope.organisationId} and e.kind = 'conversation'
          and ${inPeriodDay(conversationDay, period)}
        group by e.person_id
      ), each as (
        select p.person_id, coalesce(c.n, 0) as n from people p left join counts c on c.person_id = p.person_id
      )
      select percentile_cont(array[0.25, 0.5, 0.75]) within group (order by n) as q from each`),
  );
  const quartiles = sessions?.q?.map(Number) ?? null;

  const goalsByMonth = await rowsOf<{ month: string; status: 'reached' | 'let-go'; n: number }>(
    scope.tx.execute(sql`select ${ukMonth(sql`status_changed_at`)} as month, status, count(*)::int as n
      from coaching_goal
      where organisation_id = ${scope.organisationId} and status in ('reached', 'let-go')
        and ${inPeriodTime(sql`status_changed_at`, period)}
      group by 1, 2`),
  );
  const goalRows = (status: 'reached' | 'let-go') => goalsByMonth.filter((row) => row.status === status);
  const total = (rows: { n: number }[]) => rows.reduce((sum, row) => sum + Number(row.n), 0);

  // Distance travelled: on each scale a person named and rated at least twice in the period, their
  // latest rating less their first; they moved up when those differences add up to more than nought.
  const [distance] = await rowsOf<{ ratedTwice: number; movedUp: number; ratings: number; scales: number }>(
    scope.tx.execute(sql`with ratings as (
        select r.person_id, r.scale_id, r.value,
          row_number() over (partition by r.scale_id order by r.rated_at, r.id) as first_rank,
          row_number() over (partition by r.scale_id order by r.rated_at desc, r.id desc) as last_rank,
          count(*) over (partition by r.scale_id) as times
        from where_i_am_rating r
        where r.organisation_id = ${scope.organisationId} and ${inPeriodTime(sql`r.rated_at`, period)}
      ), scales as (
        select person_id, scale_id, max(times) as times,
          sum(case when last_rank = 1 then value else 0 end) - sum(case when first_rank = 1 then value else 0 end) as moved
        from ratings where times >= 2 group by person_id, scale_id
      ), people as (
        select person_id, sum(moved) as moved from scales group by person_id
      )
      select (select count(*) from people)::int as "ratedTwice",
        (select count(*) from people where moved > 0)::int as "movedUp",
        (select coalesce(sum(times), 0) from scales)::int as ratings,
        (select count(*) from scales)::int as scales`),
  );
  const ratedTwice = distance?.ratedTwice ?? 0;
  const movedUp = distance?.movedUp ?? 0;
  const scaleValues = { ratings: distance?.ratings ?? 0, scales: distance?.scales ?? 0 };

  // Goal Attainment Scaling, where people chose it: each scaled goal at its latest level in the period,
  // against the level they expected (0) when they wrote its five levels.
  const [gas] = await rowsOf<{ rated: number; expected: number; ratings: number }>(
    scope.tx.execute(sql`with latest as (
        select distinct on (r.goal_id) r.goal_id, r.level from coaching_goal_rating r
        join coaching_goal g on g.id = r.goal_id and g.organisation_id = ${scope.organisationId}
          and g.gas_levels is not null
        where r.organisation_id = ${scope.organisationId} and ${inPeriodTime(sql`r.rated_at`, period)}
        order by r.goal_id, r.rated_at desc, r.id desc
      )
      select (select count(*) from latest)::int as rated,
        (select count(*) from latest where level >= 0)::int as expected,
        (select count(*) from coaching_goal_rating r where r.organisation_id = ${scope.organisationId}
          and ${inPeriodTime(sql`r.rated_at`, period)}
          and r.goal_id in (select goal_id from latest))::int as ratings`),
  );

  const supportDerivation = { label: 'statistics.from.support' };
  const statistics: Statistic[] = [
    {
      key: 'people-supported',
      label: 'statistics.peopleSupported',
      section: 'reach',
      unit: 'people',
      value: supported,
      byMonth: supportedByMonth,
      derivation: supportDerivation,
      countsPeople: true,
    },
    {
      key: 'people-new',
      label: 'statistics.peopleNew',
      section: 'reach',
      unit: 'people',
      value: fresh,
      byMonth: newByMonth,
      derivation: supportDerivation,
      countsPeople: true,
      partOf: 'people-supported',
    },
    {
      key: 'people-returning',
      label: 'statistics.peopleReturning',
      section: 'reach',
      unit: 'people',
      value: supported - fresh,
      byMonth: supportedByMonth.map((n, i) => n - (newByMonth[i] ?? 0)),
      derivation: supportDerivation,
      countsPeople: true,
      partOf: 'people-supported',
    },
    {
      key: 'conversations',
      label: 'statistics.conversations',
      section: 'sessions',
      unit: 'count',
      value: conversations,
      byMonth: byMonth(period, conversationsByMonth),
      derivation: { label: 'statistics.from.conversations', values: { conversations } },
      countsPeople: false,
    },
    {
      key: 'conversations-median',
      label: 'statistics.conversationsMedian',
      section: 'sessions',
      unit: 'count',
      // Nobody supported in the period: there is no middle to speak of.
      value: quartiles ? round1(quartiles[1]!) : null,
      ...(quartiles ? { spread: { lower: round1(quartiles[0]!), upper: round1(quartiles[2]!) } } : {}),
      derivation: { label: 'statistics.from.conversationsMedian', values: { conversations } },
      countsPeople: false,
    },
    {
      key: 'goals-reached',
      label: 'statistics.goalsReached',
      section: 'goals',
      unit: 'count',
      value: total(goalRows('reached')),
      byMonth: byMonth(period, goalRows('reached')),
      derivation: { label: 'statistics.from.goals' },
      countsPeople: false,
    },
    {
      key: 'goals-let-go',
      label: 'statistics.goalsLetGo',
      section: 'goals',
      unit: 'count',
      value: total(goalRows('let-go')),
      byMonth: byMonth(period, goalRows('let-go')),
      derivation: { label: 'statistics.from.goals' },
      countsPeople: false,
    },
    {
      key: 'gas-goals-rated',
      label: 'statistics.gasRated',
      section: 'goals',
      unit: 'count',
      value: gas?.rated ?? 0,
      derivation: { label: 'statistics.from.gas', values: { ratings: gas?.ratings ?? 0 } },
      countsPeople: false,
    },
    {
      key: 'gas-goals-as-expected',
      label: 'statistics.gasAsExpected',
      section: 'goals',
      unit: 'count',
      value: gas?.expected ?? 0,
      derivation: { label: 'statistics.from.gas', values: { ratings: gas?.ratings ?? 0 } },
      countsPeople: false,
    },
    {
      key: 'gas-goals-as-expected-share',
      label: 'statistics.gasAsExpectedShare',
      section: 'goals',
      unit: 'rate',
      value: gas?.rated ? round1(((gas.expected ?? 0) * 100) / gas.rated) : null,
      rate: { numerator: 'gas-goals-as-expected', denominator: 'gas-goals-rated', per: 100 },
      derivation: { label: 'statistics.from.gas', values: { ratings: gas?.ratings ?? 0 } },
      countsPeople: false,
    },
    {
      key: 'rated-twice',
      label: 'statistics.ratedTwice',
      section: 'distance',
      unit: 'people',
      value: ratedTwice,
      derivation: { label: 'statistics.from.scales', values: scaleValues },
      countsPeople: true,
    },
    {
      key: 'moved-up',
      label: 'statistics.movedUp',
      section: 'distance',
      unit: 'people',
      value: movedUp,
      derivation: { label: 'statistics.from.scales', values: scaleValues },
      countsPeople: true,
    },
    {
      key: 'moved-up-share',
      label: 'statistics.movedUpShare',
      section: 'distance',
      unit: 'rate',
      value: ratedTwice ? round1((movedUp * 100) / ratedTwice) : null,
      rate: { numerator: 'moved-up', denominator: 'rated-twice', per: 100 },
      derivation: { label: 'statistics.from.scales', values: scaleValues },
      countsPeople: false,
    },
  ];
  return statistics;
}
