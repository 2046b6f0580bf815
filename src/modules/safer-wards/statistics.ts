import { sql } from 'drizzle-orm';
import { rowsOf, type Scope } from '../../core/database/tenancy.ts';
import { addToDay } from '../../core/dates.ts';
import type { Statistic } from '../../core/module.ts';
import type { StatisticPeriod } from '../../core/periods.ts';
import { occupiedBedDaysByMonth } from './census.ts';
import { debriefFigures, forceByMonth, forceTypes } from './force.ts';
import { interactionsByMonth } from './interactions.ts';
import { ratePerThousand, roundTo } from './spc.ts';

/**
 * Figures for the impact report over a period, every ward together, from the same functions as the
 * ward dashboard: uses of force (records of force by when they started) by type, prone restraints,
 * occupied bed days by the midnight census and the rate per 1,000 of them, help asked for and given,
 * debriefs, and how many people had force used on them. Counts only; the report hides small ones.
 */
export async function wardStatistics(scope: Scope, period: StatisticPeriod): Promise<Statistic[]> {
  // The dashboard's functions take the last day itself; the period ends the day before `until`.
  const from = period.from;
  const to = addToDay(period.until, { days: -1 });
  const bedDays = await occupiedBedDaysByMonth(scope, null, from, to);
  const force = await forceByMonth(scope, null, from, to);
  const kinds = await interactionsByMonth(scope, null, from, to);
  const debriefs = await debriefFigures(scope, from, to);
  const [people] = await rowsOf<{ n: number }>(
    scope.tx.execute(sql`select count(distinct person_id)::int as n from force_record
      where started_at >= (${period.from}::date::timestamp at time zone 'Europe/London')
        and started_at < (${period.until}::date::timestamp at time zone 'Europe/London')`),
  );

  const monthly = (of: (month: string) => number) => period.months.map(of);
  const usesIn = (month: string) => force.find((f) => f.month === month)?.records ?? 0;
  const bedsIn = (month: string) => bedDays.get(month) ?? 0;
  const uses = period.months.reduce((sum, month) => sum + usesIn(month), 0);
  const beds = period.months.reduce((sum, month) => sum + bedsIn(month), 0);
  const prone = force.reduce((sum, f) => sum + f.prone, 0);
  const rate = ratePerThousand(uses, beds);
  const helped = kinds.filter((k) => k.kind === 'asked-for-help');
  const records = { label: 'statistics.from.records', values: { records: uses } };

  return [
    {
      key: 'uses-of-force',
      label: 'statistics.uses',
      section: 'restrictive-practice',
      unit: 'count',
      value: uses,
      byMonth: monthly(usesIn),
      derivation: records,
      countsPeople: false,
    },
    ...forceTypes.map(
      (type): Statistic => ({
        key: `force-${type}`,
        label: `statistics.types.${type}`,
        section: 'restrictive-practice',
        unit: 'count',
        value: force.reduce((sum, f) => sum + f.types[type], 0),
        byMonth: monthly((month) => force.find((f) => f.month === month)?.types[type] ?? 0),
        derivation: records,
        countsPeople: false,
      }),
    ),
    {
      key: 'prone',
      label: 'statistics.prone',
      section: 'restrictive-practice',
      unit: 'count',
      value: prone,
      byMonth: monthly((month) => force.find((f) => f.month === month)?.prone ?? 0),
      derivation: { label: 'statistics.from.prone', values: { records: uses } },
      countsPeople: false,
    },
    {
      key: 'occupied-bed-days',
      label: 'statistics.bedDays',
      section: 'restrictive-practice',
      unit: 'days',
      value: beds,
      byMonth: monthly(bedsIn),
      derivation: { label: 'statistics.from.census' },
      countsPeople: false,
      costable: true,
    },
    {
      key: 'force-per-1000-obd',
      label: 'statistics.rate',
      section: 'restrictive-practice',
      unit: 'rate',
      value: rate === null ? null : roundTo(rate, 1),
      // A month with no one on a ward at midnight has no rate; it is shown as nought.
      byMonth: monthly((month) => roundTo(ratePerThousand(usesIn(month), bedsIn(month)) ?? 0, 1)),
      derivation: { label: 'statistics.from.rate', values: { records: uses, bedDays: beds } },
      countsPeople: false,
      rate: { numerator: 'uses-of-force', denominator: 'occupied-bed-days', per: 1000 },
    },
    {
      key: 'people-force-used-on',
      label: 'statistics.people',
      section: 'restrictive-practice',
      unit: 'people',
      value: people!.n,
      derivation: records,
      countsPeople: true,
    },
    {
      key: 'asked-for-help',
      label: 'statistics.helped',
      section: 'restrictive-practice',
      unit: 'count',
      value: helped.reduce((sum, k) => sum + k.count, 0),
      byMonth: monthly((month) => helped.find((k) => k.month === month)?.count ?? 0),
      derivation: { label: 'statistics.from.helped' },
      countsPeople: false,
    },
    {
      key: 'debriefs-offered',
      label: 'statistics.debriefsOffered',
      section: 'restrictive-practice',
      unit: 'count',
      value: debriefs.offered,
      derivation: { label: 'statistics.from.debriefs', values: { records: debriefs.records } },
      countsPeople: false,
    },
    {
      key: 'debriefs-given',
      label: 'statistics.debriefsGiven',
      section: 'restrictive-practice',
      unit: 'count',
      value: debriefs.given,
      derivation: { label: 'statistics.from.debriefs', values: { records: debriefs.records } },
      countsPeople: false,
    },
    {
      key: 'staff-debriefs',
      label: 'statistics.staffDebriefs',
      section: 'restrictive-practice',
      unit: 'count',
      value: debriefs.staff,
      derivation: { label: 'statistics.from.debriefs', values: { records: debriefs.records } },
      countsPeople: false,
    },
  ];
}
