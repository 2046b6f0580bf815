import { type CalendarDay, readDay, todayInUk } from '../../core/dates.ts';

/**
 * Times on a ward are typed as a UK day and a clock time ("14:30"), as staff read them off the ward
 * clock. These turn them into one moment and back, whatever the clocks did that night.
 */

/** "14:30", "1430", "9:05", "9.05" → "14:30"; anything else is not a time. */
export function readClockTime(typed: string): string | null {
  const match = /^(\d{1,2})[:.]?(\d{2})$/.exec(typed.trim());
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (hours > 23 || minutes > 59) return null;
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}

const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** The UK day and clock time of a moment. */
export function ukDayAndTime(moment: Date): { day: CalendarDay; time: string } {
  const parts = Object.fromEntries(londonParts.formatToParts(moment).map((p) => [p.type, p.value]));
  return { day: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

/**
 * The moment a UK day and clock time name. London is UTC or an hour ahead: try both and keep the one
 * that reads back the same (in the hour the clocks go back, the earlier of the two).
 */
export function ukMoment(day: CalendarDay, time: string): Date {
  const naive = new Date(`${day}T${time}:00Z`).getTime();
  for (const offsetHours of [1, 0]) {
    const candidate = new Date(naive - offsetHours * 3_600_000);
    const back = ukDayAndTime(candidate);
    if (back.day === day && back.time === time) return candidate;
  }
  // A time the clocks skipped (01:30 on the last Sunday in March) is read as the hour after.
  return new Date(naive);
}

export type MomentProblem = 'required' | 'day' | 'time' | 'future';

/** Reads a typed day and time; an empty pair is `null` when the field may be left out. */
export function readMoment(
  typedDay: string | undefined,
  typedTime: string | undefined,
  options: { required?: boolean; now?: Date } = {},
): { ok: true; moment: Date | null } | { ok: false; problem: MomentProblem } {
  const dayText = (typedDay ?? '').trim();
  const timeText = (typedTime ?? '').trim();
  if (!dayText && !timeText)
    return options.required ? { ok: false, problem: 'required' } : { ok: true, moment: null };
  const day = readDay(dayText);
  if (!day || day < '1900-01-01' || day > '2100-12-31') return { ok: false, problem: 'day' };
  const time = readClockTime(timeText);
  if (!time) return { ok: false, problem: 'time' };
  const moment = ukMoment(day, time);
  // A minute's grace for the clock on the wall being ahead of the server's.
  if (moment.getTime() > (options.now ?? new Date()).getTime() + 60_000)
    return { ok: false, problem: 'future' };
  return { ok: true, moment };
}

/** Today and now on the ward clock, to fill a form in with. */
export function nowOnTheWard(now = new Date()): { day: CalendarDay; time: string } {
  return { day: todayInUk(now), time: ukDayAndTime(now).time };
}
