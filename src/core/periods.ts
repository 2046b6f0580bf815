import { todayInUk } from './dates.ts';

/**
 * The stretch of time an impact report asks about: whole calendar months in the UK, because funders
 * and boards ask by month, quarter and financial year, and a month under way would look like a fall.
 */
export interface StatisticPeriod {
  /** The first day of the first month, `YYYY-MM-DD`, in the UK. */
  from: string;
  /** The first day after the last month, `YYYY-MM-DD` (exclusive). */
  until: string;
  /** Each month of the period in order, `YYYY-MM`. */
  months: string[];
}

const monthPattern = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The month after `YYYY-MM`. */
export function nextMonth(month: string): string {
  const [year, number] = month.split('-').map(Number) as [number, number];
  return number === 12 ? `${year + 1}-01` : `${year}-${String(number + 1).padStart(2, '0')}`;
}

/** The month before `YYYY-MM`. */
export function previousMonth(month: string): string {
  const [year, number] = month.split('-').map(Number) as [number, number];
  return number === 1 ? `${year - 1}-12` : `${year}-${String(number - 1).padStart(2, '0')}`;
}

export const isMonth = (text: string): boolean => monthPattern.test(text);

/** The period from the first month to the last, both included; null when they are not months or in the wrong order. */
export function periodOf(firstMonth: string, lastMonth: string): StatisticPeriod | null {
  if (!isMonth(firstMonth) || !isMonth(lastMonth) || firstMonth > lastMonth) return null;
  const months: string[] = [];
  for (let month = firstMonth; month <= lastMonth; month = nextMonth(month)) months.push(month);
  return { from: `${firstMonth}-01`, until: `${nextMonth(lastMonth)}-01`, months };
}

/** The month under way in the UK. */
export const monthNow = (now = new Date()): string => todayInUk(now).slice(0, 7);

/** The last `count` whole months before the month under way. */
export function lastWholeMonths(count: number, now = new Date()): StatisticPeriod {
  const last = previousMonth(monthNow(now));
  let first = last;
  for (let i = 1; i < count; i++) first = previousMonth(first);
  return periodOf(first, last)!;
}

/**
 * Monthly figures from rows of `{ month: 'YYYY-MM', n }` (as SQL's
 * `to_char(at time zone 'Europe/London', 'YYYY-MM')` gives them), in the period's order, nought where
 * a month has no row. Rows outside the period are ignored.
 */
export function byMonth(
  period: StatisticPeriod,
  rows: readonly { month: string; n: number | string }[],
): number[] {
  const found = new Map(rows.map((row) => [row.month, Number(row.n)]));
  return period.months.map((month) => found.get(month) ?? 0);
}
