import { type SQL, sql } from 'drizzle-orm';
import { rowsOf, type Scope } from '../../core/database/tenancy.ts';
import type { Statistic } from '../../core/module.ts';
import { byMonth, type StatisticPeriod } from '../../core/periods.ts';

/** A moment within the period's UK months. */
const within = (column: SQL, period: StatisticPeriod) =>
  sql`${column} >= (${period.from}::date::timestamp at time zone 'Europe/London')
    and ${column} < (${period.until}::date::timestamp at time zone 'Europe/London')`;
const ukMonth = (column: SQL) => sql`to_char(${column} at time zone 'Europe/London', 'YYYY-MM')`;
/** A day (a date column) within the period. */
const onDays = (column: SQL, period: StatisticPeriod) =>
  sql`${column} >= ${period.from}::date and ${column} < ${period.until}::date`;

const hours = (minutes: number) => Math.round(minutes / 6) / 10;

/**
 * Figures for the impact report, all derived from the ordinary work: nothing here was typed for a
 * report. A family or person is reached when a link-up is introduced (both sides agreed to it), in the
 * month it was; hours are the sessions either side logged, on the day they met.
 */
export async function peerFigures(scope: Scope, period: StatisticPeriod): Promise<Statistic[]> {
  const one = async (query: SQL) =>
    Number((await rowsOf<{ n: number | string | null }>(scope.tx.execute(query)))[0]?.n ?? 0);

  const introduced = sql`from peer_link_up_change c join peer_link_up l on l.id = c.link_up_id
    join peer_request r on r.id = l.request_id
    where c.stage = 'introduced' and ${within(sql`c.changed_at`, period)}`;
  const [reached] = await rowsOf<{ people: number; households: number; linkUps: number }>(
    scope.tx.execute(sql`select count(distinct r.person_id)::int as people,
        count(distinct r.household_id)::int as households, count(distinct l.id)::int as "linkUps" ${introduced}`),
  );
  const reachedByMonth = await rowsOf<{ month: string; people: number; households: number }>(
    scope.tx.execute(sql`select ${ukMonth(sql`c.changed_at`)} as month,
        count(distinct r.person_id)::int as people, count(distinct r.household_id)::int as households
      ${introduced} group by 1`),
  );

  const sessionsByMonth = await rowsOf<{ month: string; minutes: number; sessions: number }>(
    scope.tx.execute(sql`select to_char(happened_on, 'YYYY-MM') as month,
        sum(minutes)::int as minutes, count(*)::int as sessions
      from peer_session where ${onDays(sql`happened_on`, period)} group by 1`),
  );
  const minutes = sessionsByMonth.reduce((sum, row) => sum + Number(row.minutes), 0);
  const sessions = sessionsByMonth.reduce((sum, row) => sum + Number(row.sessions), 0);

  // Trained: a coach confirmed the peer's first level, which needs that level's training done.
  const trained = await one(sql`select count(*)::int as n from (
      select profile_id, min(confirmed_at) as first_at from peer_level_change group by profile_id
    ) f where ${within(sql`f.first_at`, period)}`);

  const [work] = await rowsOf<{ peers: number; steps: number }>(
    scope.tx.execute(sql`select count(distinct profile_id)::int as peers, count(*)::int as steps
      from peer_journey_step where kind = 'work' and ${onDays(sql`reached_on`, period)}`),
  );

  const linkUps = { label: 'statistics.from.linkUps', values: { linkUps: reached!.linkUps } };
  return [
    {
      key: 'people-reached',
      label: 'statistics.peopleReached',
      section: 'reach',
      unit: 'people',
      value: reached!.people,
      byMonth: byMonth(
        period,
        reachedByMonth.map((row) => ({ month: row.month, n: row.people })),
      ),
      derivation: linkUps,
      countsPeople: true,
    },
    {
      key: 'households-reached',
      label: 'statistics.householdsReached',
      section: 'reach',
      unit: 'people',
      value: reached!.households,
      byMonth: byMonth(
        period,
        reachedByMonth.map((row) => ({ month: row.month, n: row.households })),
      ),
      derivation: linkUps,
      countsPeople: true,
    },
    {
      key: 'hours-of-support',
      label: 'statistics.hours',
      section: 'hours',
      unit: 'hours',
      value: hours(minutes),
      byMonth: byMonth(
        period,
        sessionsByMonth.map((row) => ({ month: row.month, n: hours(Number(row.minutes)) })),
      ),
      derivation: { label: 'statistics.from.sessions', values: { sessions } },
      countsPeople: false,
    },
    {
      key: 'volunteers-trained',
      label: 'statistics.trained',
      section: 'volunteers',
      unit: 'people',
      value: trained,
      derivation: { label: 'statistics.from.levels', values: { levels: trained } },
      countsPeople: true,
    },
    {
      key: 'peers-into-work',
      label: 'statistics.intoWork',
      section: 'volunteers',
      unit: 'people',
      value: work!.peers,
      derivation: { label: 'statistics.from.steps', values: { steps: work!.steps } },
      countsPeople: true,
    },
    {
      key: 'link-ups-started',
      label: 'statistics.linkUpsStarted',
      section: 'reach',
      unit: 'count',
      value: reached!.linkUps,
      derivation: linkUps,
      countsPeople: false,
    },
  ];
}
