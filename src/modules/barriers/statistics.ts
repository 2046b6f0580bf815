import { type SQL, sql } from 'drizzle-orm';
import { rowsOf, type Scope } from '../../core/database/tenancy.ts';
import type { Statistic } from '../../core/module.ts';
import { byMonth, type StatisticPeriod } from '../../core/periods.ts';
import { defaultSystems } from './barriers.ts';

/**
 * The barriers log's figures for the impact report: barriers as they were recorded, in the UK month
 * each was recorded, in all and by the system each was about. A barrier is a record, not a person, so
 * only the figure of people it got in the way of counts people.
 */

const ukStart = (day: string) => sql`(${day}::date::timestamp at time zone 'Europe/London')`;
const inPeriod = (at: SQL, period: StatisticPeriod) =>
  sql`${at} >= ${ukStart(period.from)} and ${at} < ${ukStart(period.until)}`;

export async function barrierStatistics(scope: Scope, period: StatisticPeriod): Promise<Statistic[]> {
  const defaults = new Set(defaultSystems.map(([key]) => key));
  // Every system still offered, and a hidden one only where a barrier in the period names it.
  const rows = await rowsOf<{ key: string; name: string; month: string | null; n: number }>(
    scope.tx.execute(sql`select s.key, s.name, s.position,
        to_char(b.created_at at time zone 'Europe/London', 'YYYY-MM') as month, count(b.id)::int as n
      from barrier_system s
      left join barrier b on b.system_id = s.id and b.organisation_id = ${scope.organisationId}
        and ${inPeriod(sql`b.created_at`, period)}
      where s.organisation_id = ${scope.organisationId} and (not s.is_hidden or b.id is not null)
      group by s.id, s.key, s.name, s.position, 4
      order by s.position, s.name, s.key`),
  );
  // Each person counted once over the period, and once in each month they met one.
  const people = await rowsOf<{ month: string | null; n: number }>(
    scope.tx.execute(sql`select to_char(created_at at time zone 'Europe/London', 'YYYY-MM') as month,
        count(distinct person_id)::int as n from barrier
      where organisation_id = ${scope.organisationId} and ${inPeriod(sql`created_at`, period)}
      group by grouping sets ((to_char(created_at at time zone 'Europe/London', 'YYYY-MM')), ())`),
  );

  const systems = new Map<string, { name: string; rows: { month: string; n: number }[] }>();
  for (const row of rows) {
    const system = systems.get(row.key) ?? { name: row.name, rows: [] };
    if (row.month) system.rows.push({ month: row.month, n: Number(row.n) });
    systems.set(row.key, system);
  }
  const all = [...systems.values()].flatMap((system) => system.rows);
  const total = all.reduce((sum, row) => sum + row.n, 0);
  const monthly = (list: { month: string; n: number }[]) => {
    const months = new Map<string, number>();
    for (const row of list) months.set(row.month, (months.get(row.month) ?? 0) + row.n);
    return byMonth(
      period,
      [...months].map(([month, n]) => ({ month, n })),
    );
  };

  return [
    {
      key: 'barriers',
      label: 'statistics.barriers',
      section: 'barriers',
      unit: 'count',
      value: total,
      byMonth: monthly(all),
      derivation: { label: 'statistics.from.barriers', values: { barriers: total } },
      countsPeople: false,
    },
    // The default systems have words in the catalogue; an organisation's own systems carry their name.
    ...[...systems].map(
      ([key, system]): Statistic => ({
        key: `barriers-${key}`,
        label: defaults.has(key) ? `statistics.systems.${key}` : system.name,
        section: 'barriers',
        unit: 'count',
        value: system.rows.reduce((sum, row) => sum + row.n, 0),
        byMonth: monthly(system.rows),
        derivation: { label: 'statistics.from.systems' },
        countsPeople: false,
        partOf: 'barriers',
      }),
    ),
    {
      key: 'people-meeting-barriers',
      label: 'statistics.people',
      section: 'barriers',
      unit: 'people',
      value: people.find((row) => row.month === null)?.n ?? 0,
      byMonth: byMonth(
        period,
        people.flatMap((row) => (row.month ? [{ month: row.month, n: row.n }] : [])),
      ),
      derivation: { label: 'statistics.from.people', values: { barriers: total } },
      countsPeople: true,
    },
  ];
}
