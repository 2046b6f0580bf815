import type { Scope } from '../../core/database/tenancy.ts';
import { addToDay, todayInUk } from '../../core/dates.ts';
import { publishedRule, showPeople } from '../../core/small-numbers.ts';
import { monthsBetween, occupiedBedDaysByMonth } from './census.ts';
import { type ForceType, forceByMonth, forceTypes, lastForceAt } from './force.ts';
import { type ContinuumPoint, continuum, interactionsByMonth } from './interactions.ts';
import { ratePerThousand, type SpcResult, xmr } from './spc.ts';

/**
 * The ward dashboard's figures, all derived: uses of force per 1,000 occupied bed days by month with
 * its control chart, prone restraints, types, and the helpful end of the continuum beside them.
 */

export interface WardMonth {
  month: string;
  bedDays: number;
  uses: number;
  prone: number;
  rate: number | null;
  types: Record<ForceType, number>;
  kinds: Record<ContinuumPoint, number>;
}

export interface WardFigures {
  months: WardMonth[];
  spc: SpcResult;
  daysSinceForce: number | null;
  totals: {
    uses: number;
    prone: number;
    bedDays: number;
    types: Record<ForceType, number>;
    kinds: Record<ContinuumPoint, number>;
  };
}

const zeroTypes = () => Object.fromEntries(forceTypes.map((t) => [t, 0])) as Record<ForceType, number>;
const zeroKinds = () => Object.fromEntries(continuum.map((k) => [k, 0])) as Record<ContinuumPoint, number>;

/** The last `count` whole and current months, oldest first, ending with this one. */
export function recentMonths(
  count: number,
  today = todayInUk(),
): { from: string; to: string; months: string[] } {
  const first = addToDay(`${today.slice(0, 7)}-01`, { months: -(count - 1) });
  return { from: first, to: today, months: monthsBetween(first.slice(0, 7), today.slice(0, 7)) };
}

export async function wardFigures(
  scope: Scope,
  wardId: string | null,
  options: { months?: number; today?: string; now?: Date } = {},
): Promise<WardFigures> {
  const { from, to, months } = recentMonths(options.months ?? 24, options.today);
  // One after the other: queries on one transaction's connection cannot overlap.
  const bedDays = await occupiedBedDaysByMonth(scope, wardId, from, to);
  const force = await forceByMonth(scope, wardId, from, to);
  const kinds = await interactionsByMonth(scope, wardId, from, to);
  const last = wardId ? await lastForceAt(scope, wardId) : null;
  const rows: WardMonth[] = months.map((month) => {
    const used = force.find((f) => f.month === month);
    const beds = bedDays.get(month) ?? 0;
    const monthKinds = zeroKinds();
    for (const k of kinds.filter((k) => k.month === month)) monthKinds[k.kind] = k.count;
    return {
      month,
      bedDays: beds,
      uses: used?.records ?? 0,
      prone: used?.prone ?? 0,
      rate: ratePerThousand(used?.records ?? 0, beds),
      types: used?.types ?? zeroTypes(),
      kinds: monthKinds,
    };
  });
  const totals = {
    uses: rows.reduce((sum, m) => sum + m.uses, 0),
    prone: rows.reduce((sum, m) => sum + m.prone, 0),
    bedDays: rows.reduce((sum, m) => sum + m.bedDays, 0),
    types: zeroTypes(),
    kinds: zeroKinds(),
  };
  for (const m of rows) {
    for (const t of forceTypes) totals.types[t] += m.types[t];
    for (const k of continuum) totals.kinds[k] += m.kinds[k];
  }
  const now = options.now ?? new Date();
  return {
    months: rows,
    // The month under way is left off the chart: its bed days run only to last night, so its rate
    // would leap about from day to day. The table still shows it, marked as so far.
    spc: xmr(rows.slice(0, -1).map((m) => ({ label: m.month, value: m.rate }))),
    daysSinceForce: last ? Math.max(0, Math.floor((now.getTime() - last.getTime()) / 86_400_000)) : null,
    totals,
  };
}

/**
 * The patient board's rule for small numbers (NHS Digital's): a count from 1 to 7 could point to
 * someone, so it is said as "fewer than 8"; others are rounded to the nearest 5. Nought is shown.
 */
export const smallestShownOnBoard = publishedRule.fewerThan;
export type BoardCount = number | 'fewer';
/** The core's one rule (src/core/small-numbers.ts), as the board shows it. */
export function onBoard(count: number): BoardCount {
  const shown = showPeople(count, publishedRule, 'outside');
  return shown.kind === 'rounded' || shown.kind === 'exact' ? shown.value : 'fewer';
}

/** Whether the trend over the last months is down, up or level, in plain words for the board. */
export function trendOf(values: (number | null)[]): 'down' | 'up' | 'level' | 'unknown' {
  const known = values.filter((v): v is number => v !== null);
  if (known.length < 6) return 'unknown';
  const half = Math.floor(known.length / 2);
  const mean = (list: number[]) => list.reduce((a, b) => a + b, 0) / list.length;
  const before = mean(known.slice(0, half));
  const after = mean(known.slice(known.length - half));
  if (before === 0 && after === 0) return 'level';
  const change = (after - before) / Math.max(before, after);
  return change <= -0.1 ? 'down' : change >= 0.1 ? 'up' : 'level';
}
