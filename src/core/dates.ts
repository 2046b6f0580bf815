import { z } from 'zod';

/**
 * Calendar days typed into forms. Every date field in every module is read here, so that an impossible
 * day (30 February), a year nobody meant (0000, 20260) or a date outside what the field is for gets the
 * same kind message beside the field instead of reaching the database, which would refuse it.
 *
 * A day is kept as `YYYY-MM-DD` text, never as a Date, so no time zone can move it to another day.
 */

/** A day as `YYYY-MM-DD`. */
export type CalendarDay = string;

/** The years any date field accepts unless it says otherwise: wide, but not the year 0 or 20260. */
export const earliestDay: CalendarDay = '1900-01-01';
export const latestDay: CalendarDay = '2100-12-31';

/** A limit: a fixed day, or one worked out when the form is read (today, a year ago). */
export type DayLimit = CalendarDay | (() => CalendarDay);

export type DayProblem = 'required' | 'real' | 'tooEarly' | 'tooLate';

export interface CalendarDayOptions {
  /** Whether the field must be filled in; an empty optional field reads as ''. */
  required?: boolean;
  /** The first day the field accepts (default 1 January 1900). */
  earliest?: DayLimit;
  /** The last day the field accepts (default 31 December 2100). */
  latest?: DayLimit;
  /** "When did it happen": no later than today in the UK, said as "today or in the past". */
  past?: boolean;
  /** "When will it be": no earlier than today in the UK, said as "today or in the future". */
  future?: boolean;
  /** Catalogue keys for the field's own words; each may use {{from, day}} and {{to, day}}. */
  messages?: Partial<Record<DayProblem, string>>;
}

/** The catalogue keys said when a field has nothing of its own to say (wording after GOV.UK's date input). */
export const dayMessages: Record<DayProblem, string> = {
  required: 'errors.date.required',
  real: 'errors.date.real',
  tooEarly: 'errors.date.tooEarly',
  tooLate: 'errors.date.tooLate',
};

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Today in the UK, where the people using it are (a minute past midnight in summer is already tomorrow). */
export function todayInUk(now = new Date()): CalendarDay {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(now);
}

/** The moment a UK day begins: London is on UTC or an hour ahead, so midnight there is 00:00 or 23:00 UTC. */
export function startOfUkDay(day: CalendarDay): Date {
  const utcMidnight = new Date(`${day}T00:00:00Z`);
  const londonHour = Number(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', hourCycle: 'h23' }).format(
      utcMidnight,
    ),
  );
  return new Date(utcMidnight.getTime() - londonHour * 3_600_000);
}

/** A day so many years, months or days from another, as the calendar counts (29 February + 1 year → 28 February). */
export function addToDay(
  day: CalendarDay,
  by: { years?: number; months?: number; days?: number },
): CalendarDay {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const moved = new Date(0);
  moved.setUTCFullYear(year, month - 1 + (by.months ?? 0) + 12 * (by.years ?? 0), 1);
  const last = daysInMonth(moved.getUTCFullYear(), moved.getUTCMonth() + 1);
  moved.setUTCDate(Math.min(date, last) + (by.days ?? 0));
  return `${pad(moved.getUTCFullYear(), 4)}-${pad(moved.getUTCMonth() + 1)}-${pad(moved.getUTCDate())}`;
}

const monthLengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : monthLengths[month - 1]!;
}

/**
 * What a browser's date field sends (`2026-03-27`), and what someone types where the browser shows a
 * plain text box instead, day first as in the UK: `27 3 2026`, `27/03/2026`, `27.3.2026`, `27-3-2026`.
 * Anything else, and any day the calendar does not have, is not a day.
 */
export function readDay(typed: string): CalendarDay | null {
  const value = typed.trim();
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value);
  const uk = iso ? null : /^(\d{1,2})[\s/.-]+(\d{1,2})[\s/.-]+(\d{4})$/.exec(value);
  if (!iso && !uk) return null;
  const [year, month, date] = iso
    ? [Number(iso[1]), Number(iso[2]), Number(iso[3])]
    : [Number(uk![3]), Number(uk![2]), Number(uk![1])];
  if (month < 1 || month > 12 || date < 1 || date > daysInMonth(year, month)) return null;
  return `${pad(year, 4)}-${pad(month)}-${pad(date)}`;
}

/** Whether a value is a day as a browser's date field writes it (which has no year 0) and the database reads it. */
export function isCalendarDay(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && !value.startsWith('0000') && readDay(value) === value;
}

const earlier = (a: CalendarDay, b: CalendarDay) => (a < b ? a : b);
const later = (a: CalendarDay, b: CalendarDay) => (a > b ? a : b);

const limit = (value: DayLimit | undefined, fallback: CalendarDay) =>
  value === undefined ? fallback : typeof value === 'function' ? value() : value;

export type DayReading =
  | { ok: true; day: CalendarDay | '' }
  | { ok: false; problem: DayProblem; message: string; params: { from: CalendarDay; to: CalendarDay } };

/**
 * Reads one typed date against a field's rules. The message is a catalogue key; its params are the
 * first and last days the field accepts, for words such as "between {{from, day}} and {{to, day}}".
 */
export function checkDay(typed: string | undefined, options: CalendarDayOptions = {}): DayReading {
  const today = options.past || options.future ? todayInUk() : '';
  const from = options.future
    ? later(today, limit(options.earliest, earliestDay))
    : limit(options.earliest, earliestDay);
  const to = options.past
    ? earlier(today, limit(options.latest, latestDay))
    : limit(options.latest, latestDay);
  const problem = (which: DayProblem): DayReading => ({
    ok: false,
    problem: which,
    message:
      options.messages?.[which] ??
      (which === 'tooLate' && options.past && to === today
        ? 'errors.date.notFuture'
        : which === 'tooEarly' && options.future && from === today
          ? 'errors.date.notPast'
          : dayMessages[which]),
    params: { from, to },
  });
  const value = (typed ?? '').trim();
  if (!value) return options.required ? problem('required') : { ok: true, day: '' };
  const day = readDay(value);
  if (!day) return problem('real');
  // Outside the field's own limits, the message says them ("cannot be in the future"); outside the
  // years 1900–2100 that every field has, it is a slip in typing (the year 0, 20226) and said as one.
  if (day < from) return problem(from === earliestDay ? 'real' : 'tooEarly');
  if (day > to) return problem(to === latestDay ? 'real' : 'tooLate');
  if (day < earliestDay || day > latestDay) return problem('real');
  return { ok: true, day };
}

/**
 * A date field in a zod form schema: reads to `YYYY-MM-DD`, or '' when an optional field is left
 * empty. Messages are catalogue keys with the field's limits as params (forms.tsx translates them).
 */
export function calendarDay(options: CalendarDayOptions = {}) {
  return z
    .string()
    .default('')
    .transform((typed, ctx) => {
      const reading = checkDay(typed, options);
      if (reading.ok) return reading.day;
      ctx.addIssue({ code: 'custom', message: reading.message, params: reading.params });
      return z.NEVER;
    });
}
