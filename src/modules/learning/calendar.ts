import type { Series, Space } from './spaces.ts';

/** iCalendar (RFC 5545) for reflective spaces: one event per date, times in UTC so no time-zone table is needed. */

const stamp = (value: Date) =>
  value
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/** Commas, semicolons, backslashes and line breaks are escaped in text values. */
export function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** Lines longer than 75 octets are folded: a line break and a space, never inside a character. */
export function fold(line: string): string {
  const parts: string[] = [];
  let current = '';
  let size = 0;
  for (const character of line) {
    const bytes = Buffer.byteLength(character);
    if (size + bytes > (parts.length === 0 ? 75 : 74)) {
      parts.push(current);
      current = '';
      size = 0;
    }
    current += character;
    size += bytes;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

export function calendar(
  series: Series,
  spaces: Space[],
  options: { host: string; description: string; now?: Date },
): string {
  const now = options.now ?? new Date();
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Alongside//Reflective spaces//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(series.name)}`,
  ];
  for (const space of spaces) {
    const end = new Date(space.startsAt.getTime() + series.minutes * 60_000);
    lines.push(
      'BEGIN:VEVENT',
      `UID:${space.id}@${options.host}`,
      `DTSTAMP:${stamp(now)}`,
      `DTSTART:${stamp(space.startsAt)}`,
      `DTEND:${stamp(end)}`,
      `SUMMARY:${escapeText(series.name)}`,
      ...(series.place ? [`LOCATION:${escapeText(series.place)}`] : []),
      `DESCRIPTION:${escapeText(options.description)}`,
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return `${lines.map(fold).join('\r\n')}\r\n`;
}
