import { type SQL, sql } from 'drizzle-orm';
import { rowsOf, type Scope } from '../../core/database/tenancy.ts';
import type { Statistic } from '../../core/module.ts';
import { byMonth, type StatisticPeriod } from '../../core/periods.ts';
import { cultures } from './compass.ts';
import { smallestGroup } from './shared.tsx';

/** A moment within the period's UK months. */
const within = (column: SQL, period: StatisticPeriod) =>
  sql`${column} >= (${period.from}::date::timestamp at time zone 'Europe/London')
    and ${column} < (${period.until}::date::timestamp at time zone 'Europe/London')`;
const ukMonth = (column: SQL) => sql`to_char(${column} at time zone 'Europe/London', 'YYYY-MM')`;

type MonthRow = { month: string; n: number };
const total = (rows: MonthRow[]) => rows.reduce((sum, row) => sum + Number(row.n), 0);

/**
 * Learning together's figures for the impact report, from the work itself: challenges as raised and
 * answered, experiments as decided, reflective spaces as attended, culture compass rounds as answered.
 * Nothing about a group of fewer than five people is worked out (decision 011).
 */
export async function learningStatistics(scope: Scope, period: StatisticPeriod): Promise<Statistic[]> {
  const monthly = (query: SQL) => rowsOf<MonthRow>(scope.tx.execute(query));

  const raised = await monthly(sql`select ${ukMonth(sql`raised_at`)} as month, count(*)::int as n
    from learning_challenge where ${within(sql`raised_at`, period)} group by 1`);
  const answered = await monthly(sql`select ${ukMonth(sql`answered_at`)} as month, count(*)::int as n
    from learning_challenge where ${within(sql`answered_at`, period)} group by 1`);
  // Whole days from raising to the first answer, for challenges answered in the period; the middle
  // value and quartiles are days some challenge actually took (percentile_disc), never in between.
  const [speed] = await rowsOf<{ median: number | null; lower: number | null; upper: number | null }>(
    scope.tx.execute(sql`select
        percentile_disc(0.5) within group (order by d) as median,
        percentile_disc(0.25) within group (order by d) as lower,
        percentile_disc(0.75) within group (order by d) as upper
      from (select floor(extract(epoch from (answered_at - raised_at)) / 86400)::int as d
        from learning_challenge where ${within(sql`answered_at`, period)}) days`),
  );

  const decided = await rowsOf<{ decision: string; month: string; n: number }>(
    scope.tx.execute(sql`select decision, ${ukMonth(sql`decided_at`)} as month, count(*)::int as n
      from learning_experiment where decision is not null and ${within(sql`decided_at`, period)}
      group by 1, 2`),
  );

  // A space is held when it has started and someone was there (as on the spaces page).
  const spaces = await rowsOf<{ month: string; held: number; places: number }>(
    scope.tx.execute(sql`select ${ukMonth(sql`s.starts_at`)} as month, count(*)::int as held,
        sum((select count(*) from learning_attendance a where a.space_id = s.id))::int as places
      from learning_space s
      where ${within(sql`s.starts_at`, period)} and s.starts_at < now()
        and exists (select 1 from learning_attendance a where a.space_id = s.id)
      group by 1`),
  );

  const figures: Statistic[] = [
    {
      key: 'challenges-raised',
      label: 'statistics.challengesRaised',
      section: 'learning',
      unit: 'count',
      value: total(raised),
      byMonth: byMonth(period, raised),
      derivation: { label: 'statistics.from.challengesRaised', values: { challenges: total(raised) } },
      countsPeople: false,
    },
    {
      key: 'challenges-answered',
      label: 'statistics.challengesAnswered',
      section: 'learning',
      unit: 'count',
      value: total(answered),
      byMonth: byMonth(period, answered),
      derivation: { label: 'statistics.from.challengesAnswered', values: { challenges: total(answered) } },
      countsPeople: false,
    },
  ];
  if (speed?.median !== null && speed?.median !== undefined)
    figures.push({
      key: 'challenge-median-days',
      label: 'statistics.medianDays',
      section: 'learning',
      unit: 'days',
      value: Number(speed.median),
      spread: { lower: Number(speed.lower), upper: Number(speed.upper) },
      derivation: { label: 'statistics.from.daysToAnswer', values: { challenges: total(answered) } },
      countsPeople: false,
    });
  for (const [decision, key] of [
    ['adopt', 'adopted'],
    ['adapt', 'adapted'],
    ['stop', 'stopped'],
  ] as const) {
    const rows = decided.filter((row) => row.decision === decision);
    figures.push({
      key: `experiments-${key}`,
      label: `statistics.${key}`,
      section: 'learning',
      unit: 'count',
      value: total(rows),
      byMonth: byMonth(period, rows),
      derivation: { label: 'statistics.from.experiments', values: { experiments: total(rows) } },
      countsPeople: false,
    });
  }
  const held = spaces.reduce((sum, row) => sum + Number(row.held), 0);
  const places = spaces.reduce((sum, row) => sum + Number(row.places), 0);
  figures.push(
    {
      key: 'spaces-held',
      label: 'statistics.spacesHeld',
      section: 'learning',
      unit: 'count',
      value: held,
      byMonth: byMonth(
        period,
        spaces.map((row) => ({ month: row.month, n: row.held })),
      ),
      derivation: { label: 'statistics.from.spaces', values: { spaces: held } },
      countsPeople: false,
    },
    {
      key: 'space-attendance',
      label: 'statistics.attendance',
      section: 'learning',
      unit: 'count',
      value: places,
      byMonth: byMonth(
        period,
        spaces.map((row) => ({ month: row.month, n: row.places })),
      ),
      derivation: { label: 'statistics.from.attendance', values: { spaces: held, places } },
      countsPeople: false,
    },
  );

  figures.push(...(await cultureShift(scope, period)));

  // Check-ins only as a group of five or more, as everywhere else; below that, no figure at all.
  const [checkIns] = await rowsOf<{ people: number; checkIns: number }>(
    scope.tx.execute(sql`select count(distinct person_id)::int as people, count(*)::int as "checkIns"
      from learning_check_in where ${within(sql`checked_in_at`, period)}`),
  );
  if (checkIns && checkIns.people >= smallestGroup)
    figures.push({
      key: 'check-in-people',
      label: 'statistics.checkInPeople',
      section: 'culture',
      unit: 'people',
      value: checkIns.people,
      derivation: { label: 'statistics.from.checkIns', values: { checkIns: checkIns.checkIns } },
      countsPeople: true,
    });
  return figures;
}

/**
 * The culture shift: for each culture, how the average share of the 100 points given to "how it is
 * now" moved from the first round opened in the period to the last, counting only rounds five or
 * more people answered. Points of a hundred are a share, so the unit is a rate (percentage points).
 */
async function cultureShift(scope: Scope, period: StatisticPeriod): Promise<Statistic[]> {
  const rounds = await rowsOf<{ id: string; responses: number; now: string[] }>(
    scope.tx.execute(sql`
      with answered as (
        select r.id, r.opened_at, (select count(*)::int from learning_culture_response x where x.round_id = r.id) as responses
        from learning_culture_round r where ${within(sql`r.opened_at`, period)}
      )
      select a.id, a.responses, (
          select array_agg(v::text order by k) from (
            select (c.i - 1) % 4 as k, avg(x.now_points[c.i]) as v
            from learning_culture_response x cross join generate_series(1, 24) as c(i)
            where x.round_id = a.id group by 1) s) as now
      from answered a where a.responses >= ${smallestGroup}
      order by a.opened_at, a.id`),
  );
  if (rounds.length < 2) return [];
  const first = rounds[0]!;
  const last = rounds[rounds.length - 1]!;
  return cultures.map((culture, k) => ({
    key: `culture-shift-${culture}`,
    label: `statistics.cultureShift.${culture}`,
    section: 'culture' as const,
    unit: 'rate' as const,
    value: Math.round((Number(last.now[k]) - Number(first.now[k])) * 10) / 10,
    derivation: {
      label: 'statistics.from.compass',
      values: { rounds: rounds.length, firstAnswers: first.responses, lastAnswers: last.responses },
    },
    countsPeople: false,
  }));
}
