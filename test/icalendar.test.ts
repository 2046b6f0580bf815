import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import ICAL from 'ical.js';
import { escapeText, fold, icalendar } from '../src/core/icalendar.ts';
import { withoutControlCharacters } from '../src/core/text.ts';

/** The core's one iCalendar writer, read back by a real iCalendar parser (ical.js). */

const parse = (text: string) => new ICAL.Component(ICAL.parse(text));

/** Every line of the text: each ends CRLF, and none is longer than 75 octets. */
function assertWellFormedLines(text: string) {
  assert.ok(text.endsWith('\r\n'), 'the text ends with CRLF');
  const lines = text.slice(0, -2).split('\r\n');
  for (const line of lines) {
    assert.ok(!line.includes('\n') && !line.includes('\r'), `a bare line break in ${JSON.stringify(line)}`);
    assert.ok(Buffer.byteLength(line) <= 75, `${Buffer.byteLength(line)} octets: ${line}`);
  }
  return lines;
}

describe('the iCalendar writer', () => {
  it('escapes backslash, semicolon, comma and line breaks in text, and leaves out control characters', () => {
    assert.equal(escapeText('a, b; c\\d\ne\r\nf\rg'), 'a\\, b\\; c\\\\d\\ne\\nf\\ng');
    assert.equal(escapeText('bell\u0007 and tab\t'), 'bell and tab\t');
  });

  it('folds at 75 octets counting UTF-8 bytes and never inside a character', () => {
    // "ŵ" is two octets: 74 octets of ASCII and then ŵ cannot fit on the first line.
    const line = `${'A'.repeat(74)}ŵ${'B'.repeat(10)}`;
    const folded = fold(line).split('\r\n');
    assert.equal(folded[0], 'A'.repeat(74));
    assert.equal(folded[1], ` ŵ${'B'.repeat(10)}`);
    // Four-octet characters (an emoji) on every line: each continuation holds a space and 18 of them.
    const emoji = fold(`X:${'🙂'.repeat(40)}`).split('\r\n');
    for (const part of emoji) assert.ok(Buffer.byteLength(part) <= 75);
    assert.equal(emoji.map((part, i) => (i === 0 ? part : part.slice(1))).join(''), `X:${'🙂'.repeat(40)}`);
    assert.equal(fold('short'), 'short');
  });

  it('writes events a real parser reads back: UID, DTSTAMP in UTC, times in UTC and whole days', () => {
    const text = icalendar({
      productId: '-//Alongside//Test//EN',
      name: 'Dates, mine',
      stamp: new Date('2026-03-01T09:30:00Z'),
      events: [
        {
          uid: 'space-1@example.org',
          start: { at: new Date('2026-03-17T14:00:00Z') },
          end: new Date('2026-03-17T15:30:00Z'),
          summary: 'Reflective space',
          location: 'Room 2; the annexe',
          description: 'First line\nSecond, with a comma',
          url: 'https://example.org/learning/spaces/1',
        },
        { uid: 'day-1@example.org', start: { day: '2026-12-31' }, summary: 'Link-up review' },
      ],
    });
    assertWellFormedLines(text);
    const calendar = parse(text);
    // An X- property is text to calendar apps (RFC 5545 3.8.8.2), so it is escaped too; ical.js does
    // not know its type and gives it back as written.
    assert.equal(calendar.getFirstPropertyValue('x-wr-calname'), 'Dates\\, mine');
    const [timed, day] = calendar.getAllSubcomponents('vevent').map((event) => new ICAL.Event(event));
    assert.equal(timed!.uid, 'space-1@example.org');
    assert.equal(timed!.startDate.toJSDate().toISOString(), '2026-03-17T14:00:00.000Z');
    assert.equal(timed!.endDate.toJSDate().toISOString(), '2026-03-17T15:30:00.000Z');
    assert.equal(timed!.startDate.zone?.tzid, 'UTC');
    assert.equal(timed!.location, 'Room 2; the annexe');
    assert.equal(timed!.description, 'First line\nSecond, with a comma');
    assert.equal(String(timed!.component.getFirstPropertyValue('dtstamp')), '2026-03-01T09:30:00Z');
    assert.equal(day!.startDate.isDate, true);
    assert.equal(day!.startDate.toString(), '2026-12-31');
    // A whole day ends (exclusively) on the next day, across the year's end too.
    assert.equal(day!.endDate.toString(), '2027-01-01');
  });

  it('round-trips any text through a real parser, with every line in bounds', () => {
    const text = fc.string({
      unit: fc.constantFrom('a', ' ', ',', ';', '\\', '\n', 'ŵ', 'ŷ', '🙂', '\u0007', ':'),
    });
    fc.assert(
      fc.property(text, fc.integer({ min: 0, max: 80 }), (words, pad) => {
        const summary = `${'x'.repeat(pad)}${words}`;
        const written = icalendar({
          productId: '-//Alongside//Test//EN',
          stamp: new Date('2026-03-01T09:30:00Z'),
          events: [{ uid: 'u@example.org', start: { day: '2026-03-17' }, summary }],
        });
        assertWellFormedLines(written);
        const event = parse(written).getFirstSubcomponent('vevent')!;
        assert.equal(event.getFirstPropertyValue('summary') ?? '', withoutControlCharacters(summary));
      }),
      { seed: 20_261_218, numRuns: 300 },
    );
  });
});
