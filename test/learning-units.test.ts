import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeText, fold } from '../src/core/icalendar.ts';
import { calendar } from '../src/modules/learning/calendar.ts';
import { type Challenge, waitingFigures } from '../src/modules/learning/challenges.ts';
import { biggestGaps, checkPoints } from '../src/modules/learning/compass.ts';
import { daysBetween, median } from '../src/modules/learning/shared.tsx';
import { imageTypeOf } from '../src/modules/learning/spaces.ts';

const bytes = (...values: number[]) => new Uint8Array([...values, ...new Array(16).fill(0)]);

describe('learning: the pure parts', () => {
  it('checks culture points: whole numbers 0-100 that make exactly 100, empty boxes as 0', () => {
    assert.deepEqual(checkPoints(['25', '25', '25', '25']), { ok: true, points: [25, 25, 25, 25] });
    assert.deepEqual(checkPoints(['100', '', ' ', '0']), { ok: true, points: [100, 0, 0, 0] });
    assert.deepEqual(checkPoints(['50', '40', '', '']), { ok: false, problem: 'sum', total: 90 });
    assert.deepEqual(checkPoints(['60', '60', '', '']), { ok: false, problem: 'sum', total: 120 });
    for (const bad of ['-5', '2.5', '101', 'ten', '1e2', '0x10'])
      assert.equal((checkPoints([bad, '0', '0', '100']) as { problem?: string }).problem, 'number', bad);
  });

  it('names the biggest gaps first, and none without results', () => {
    const now = { collaborate: 20, create: 10, compete: 25, control: 45 };
    const preferred = { collaborate: 40, create: 25, compete: 10, control: 25 };
    assert.deepEqual(biggestGaps({ responses: 5, now, preferred }), [
      { culture: 'collaborate', gap: 20 },
      { culture: 'control', gap: -20 },
    ]);
    assert.deepEqual(biggestGaps({ responses: 4, now: null, preferred: null }), []);
    assert.deepEqual(biggestGaps({ responses: 5, now, preferred: now }), []);
  });

  it('recognises pictures by their first bytes, not their names', () => {
    assert.equal(imageTypeOf(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)), 'image/png');
    assert.equal(imageTypeOf(bytes(0xff, 0xd8, 0xff, 0xe0)), 'image/jpeg');
    assert.equal(imageTypeOf(bytes(0x47, 0x49, 0x46, 0x38, 0x39, 0x61)), 'image/gif');
    assert.equal(
      imageTypeOf(bytes(0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x57, 0x45, 0x42, 0x50)),
      'image/webp',
    );
    assert.equal(
      imageTypeOf(bytes(0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x57, 0x41, 0x56, 0x45)),
      null,
      'a WAVE file',
    );
    assert.equal(imageTypeOf(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>')), null);
    assert.equal(imageTypeOf(new Uint8Array([0x89, 0x50])), null);
  });

  it('writes iCalendar text escaped and folded at 75 octets without splitting a character', () => {
    assert.equal(escapeText('a, b; c\\d\ne'), 'a\\, b\\; c\\\\d\\ne');
    const long = `SUMMARY:${'ŵ'.repeat(60)}`;
    const folded = fold(long);
    for (const line of folded.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, line);
    assert.equal(folded.replace(/\r\n /g, ''), long);
    const text = calendar(
      {
        id: 's',
        name: 'Space, together',
        everyDays: 14,
        minutes: 90,
        teamId: null,
        place: 'Room 2',
        createdAt: new Date(),
      },
      [{ id: 'a', seriesId: 's', startsAt: new Date('2026-03-17T14:00:00Z') }],
      { host: 'example.org', description: 'Time to think', now: new Date('2026-03-01T09:30:00Z') },
    );
    assert.equal(
      text,
      [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//Alongside//Reflective spaces//EN',
        'CALSCALE:GREGORIAN',
        'METHOD:PUBLISH',
        'X-WR-CALNAME:Space\\, together',
        'BEGIN:VEVENT',
        'UID:a@example.org',
        'DTSTAMP:20260301T093000Z',
        'DTSTART:20260317T140000Z',
        'DTEND:20260317T153000Z',
        'SUMMARY:Space\\, together',
        'LOCATION:Room 2',
        'DESCRIPTION:Time to think',
        'END:VEVENT',
        'END:VCALENDAR',
        '',
      ].join('\r\n'),
    );
  });

  it('works out how long challenges wait: the median to an answer and the longest still waiting', () => {
    const day = 86_400_000;
    const now = new Date('2026-06-30T12:00:00Z');
    const challenge = (raisedDaysAgo: number, answeredAfter: number | null) =>
      ({
        raisedAt: new Date(now.getTime() - raisedDaysAgo * day),
        answeredAt:
          answeredAfter === null ? null : new Date(now.getTime() - (raisedDaysAgo - answeredAfter) * day),
      }) as Challenge;
    const figures = waitingFigures(
      [challenge(30, 2), challenge(20, 10), challenge(10, 3), challenge(7, null), challenge(1, null)],
      now,
    );
    assert.deepEqual(figures, {
      raised: 5,
      answered: 3,
      waiting: 2,
      medianDaysToAnswer: 3,
      longestWaitingDays: 7,
    });
    assert.deepEqual(waitingFigures([], now), {
      raised: 0,
      answered: 0,
      waiting: 0,
      medianDaysToAnswer: null,
      longestWaitingDays: null,
    });
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(daysBetween(new Date(now.getTime() + day), now), 0, 'never below zero');
  });
});
