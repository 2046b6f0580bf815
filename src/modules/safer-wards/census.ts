import { sql } from 'drizzle-orm';
import { rowsOf, type Scope } from '../../core/database/tenancy.ts';
import type { CalendarDay } from '../../core/dates.ts';

/**
 * Occupied bed days by the midnight census: a patient on the ward at midnight (admitted, not yet
 * discharged, not on leave) occupies a bed for the day that midnight ends. Someone admitted and
 * discharged between two midnights counts none. Only midnights that have passed are counted. Derived
 * from admissions, leave and discharges, never typed (decision 024).
 *
 * Each stay makes its own series of days, so the work is the number of bed days asked about, not the
 * size of the organisation.
 */
const censusDays = (scope: Scope, wardId: string | null, from: CalendarDay, to: CalendarDay) => sql`
  select d::date as day
  from ward_stay s
  cross join lateral generate_series(
    greatest((s.admitted_at at time zone 'Europe/London')::date, ${from}::date),
    least(
      coalesce(((s.discharged_at at time zone 'Europe/London') - interval '1 microsecond')::date - 1,
        (now() at time zone 'Europe/London')::date - 1),
      (now() at time zone 'Europe/London')::date - 1,
      ${to}::date),
    interval '1 day') d
  where s.organisation_id = ${scope.organisationId}
    ${wardId ? sql`and s.team_id = ${wardId}` : sql``}
    and s.admitted_at < ((${to}::date + 1)::timestamp at time zone 'Europe/London')
    and (s.discharged_at is null or s.discharged_at > (${from}::date::timestamp at time zone 'Europe/London'))
    and not exists (select 1 from ward_leave l where l.stay_id = s.id
      and l.starts_at <= ((d::date + 1)::timestamp at time zone 'Europe/London')
      and (l.ends_at is null or l.ends_at > ((d::date + 1)::timestamp at time zone 'Europe/London')))`;

/** Occupied bed days per month (`YYYY-MM`) between two UK days, for one ward or every ward. */
export async function occupiedBedDaysByMonth(
  scope: Scope,
  wardId: string | null,
  from: CalendarDay,
  to: CalendarDay,
): Promise<Map<string, number>> {
  const rows = await rowsOf<{ month: string; days: number }>(
    scope.tx.execute(sql`select to_char(day, 'YYYY-MM') as month, count(*)::int as days
      from (${censusDays(scope, wardId, from, to)}) census group by 1 order by 1`),
  );
  return new Map(rows.map((row) => [row.month, Number(row.days)]));
}

/** Occupied bed days for each day that had any, for a check by hand. */
export async function occupiedBedDaysByDay(
  scope: Scope,
  wardId: string,
  from: CalendarDay,
  to: CalendarDay,
): Promise<Map<string, number>> {
  const rows = await rowsOf<{ day: string; beds: number }>(
    scope.tx.execute(sql`select to_char(day, 'YYYY-MM-DD') as day, count(*)::int as beds
      from (${censusDays(scope, wardId, from, to)}) census group by 1 order by 1`),
  );
  return new Map(rows.map((row) => [row.day, Number(row.beds)]));
}

/** The months from one `YYYY-MM` to another, in order. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let [year, month] = from.split('-').map(Number) as [number, number];
  const [endYear, endMonth] = to.split('-').map(Number) as [number, number];
  while (year < endYear || (year === endYear && month <= endMonth)) {
    months.push(`${year}-${String(month).padStart(2, '0')}`);
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return months;
}
