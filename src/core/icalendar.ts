import { hasControlCharacter, withoutControlCharacters } from './text.ts';

/**
 * The one iCalendar (RFC 5545) writer: downloads of a reflective space and every calendar feed use it.
 * Lines end CRLF and are folded at 75 octets of UTF-8 without splitting a character; TEXT values are
 * escaped. Times are written in UTC (a "Z" on the end), so no VTIMEZONE is needed; a date without a
 * time is a whole day (VALUE=DATE).
 */

/** A moment (written in UTC) or a whole day in the calendar ("2026-03-17"). */
export type EventTime = { at: Date } | { day: string };

export interface IcalEvent {
  /** Stable across fetches, so a calendar app updates the event instead of adding another. */
  uid: string;
  start: EventTime;
  /** For a moment: when it ends. For a day it is left out and the event is that one whole day. */
  end?: Date;
  summary: string;
  description?: string;
  location?: string;
  url?: string;
}

export interface IcalCalendar {
  productId: string;
  name?: string;
  /** When this copy was made: every event's DTSTAMP (METHOD:PUBLISH). */
  stamp: Date;
  events: IcalEvent[];
}

/** 20260317T140000Z */
export function utcStamp(value: Date): string {
  return value
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

const dayPattern = /^(\d{4})-(\d{2})-(\d{2})$/;

function dayValue(day: string): string {
  const match = dayPattern.exec(day);
  if (!match) throw new Error(`Not a calendar day: ${day}`);
  return `${match[1]}${match[2]}${match[3]}`;
}

function nextDay(day: string): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, date + 1)).toISOString().slice(0, 10);
}

/**
 * Backslashes, semicolons, commas and line breaks are escaped in TEXT values. Other control
 * characters are not allowed in iCalendar text at all, so they are left out (a tab is kept).
 */
export function escapeText(value: string): string {
  return withoutControlCharacters(value)
    .replace(/\r\n?/g, '\n')
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\n/g, '\\n');
}

/**
 * A content line longer than 75 octets is folded: CRLF and a space, which counts towards the next
 * line's 75. Characters are counted in UTF-8 bytes and a line is never broken inside one.
 */
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

/** A URI value may not hold a line break or a control character; anything else is written as it is. */
function uriValue(value: string): string {
  if (hasControlCharacter(value)) throw new Error('A calendar address cannot hold control characters');
  return value;
}

function eventLines(event: IcalEvent, stamp: Date): string[] {
  const lines = ['BEGIN:VEVENT', `UID:${escapeText(event.uid)}`, `DTSTAMP:${utcStamp(stamp)}`];
  if ('at' in event.start) {
    lines.push(`DTSTART:${utcStamp(event.start.at)}`);
    if (event.end) lines.push(`DTEND:${utcStamp(event.end)}`);
  } else {
    lines.push(
      `DTSTART;VALUE=DATE:${dayValue(event.start.day)}`,
      `DTEND;VALUE=DATE:${dayValue(nextDay(event.start.day))}`,
    );
  }
  lines.push(`SUMMARY:${escapeText(event.summary)}`);
  if (event.location) lines.push(`LOCATION:${escapeText(event.location)}`);
  if (event.description) lines.push(`DESCRIPTION:${escapeText(event.description)}`);
  if (event.url) lines.push(`URL:${uriValue(event.url)}`);
  lines.push('END:VEVENT');
  return lines;
}

/** A whole VCALENDAR, every line folded and ended with CRLF. */
export function icalendar(calendar: IcalCalendar): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${calendar.productId}`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    ...(calendar.name ? [`X-WR-CALNAME:${escapeText(calendar.name)}`] : []),
    ...calendar.events.flatMap((event) => eventLines(event, calendar.stamp)),
    'END:VCALENDAR',
  ];
  return `${lines.map(fold).join('\r\n')}\r\n`;
}
