import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { byMonth, lastWholeMonths, periodOf } from '../src/core/periods.ts';
import {
  exact,
  publishedRule,
  rateOf,
  ruleWith,
  type Shown,
  showPeople,
  suppressMonths,
  suppressTotal,
} from '../src/core/small-numbers.ts';

const outside = (n: number) => showPeople(n, publishedRule, 'outside');

describe('small numbers outside the team (NHS Digital)', () => {
  test('1 to 7 people are "fewer than 8"; nought is shown; the rest are rounded to the nearest 5', () => {
    assert.deepEqual(outside(0), { kind: 'rounded', value: 0 });
    for (const n of [1, 2, 7]) assert.deepEqual(outside(n), { kind: 'fewer', fewerThan: 8 });
    assert.deepEqual(outside(8), { kind: 'rounded', value: 10 });
    assert.deepEqual(outside(12), { kind: 'rounded', value: 10 });
    assert.deepEqual(outside(13), { kind: 'rounded', value: 15 });
    assert.deepEqual(outside(412), { kind: 'rounded', value: 410 });
  });

  test('the team sees its own figures exactly', () => {
    assert.deepEqual(showPeople(3, publishedRule, 'team'), exact(3));
    assert.deepEqual(showPeople(12, publishedRule, 'team'), exact(12));
  });

  test("an organisation's threshold may be stricter, never looser", () => {
    assert.deepEqual(ruleWith(12), { fewerThan: 12, roundTo: 5 });
    assert.deepEqual(ruleWith(3), publishedRule);
    assert.deepEqual(ruleWith(null), publishedRule);
    assert.equal(ruleWith(500).fewerThan, 30);
    assert.deepEqual(showPeople(10, ruleWith(12), 'outside'), { kind: 'fewer', fewerThan: 12 });
  });
});

describe('secondary suppression', () => {
  test('a total with exactly one hidden part is hidden, so subtraction cannot find the part', () => {
    const parts = [outside(3), outside(40)];
    assert.deepEqual(suppressTotal(parts, outside(43)), { kind: 'hidden' });
  });

  test('a total with no hidden part, or two, is shown', () => {
    assert.deepEqual(suppressTotal([outside(20), outside(40)], outside(60)), { kind: 'rounded', value: 60 });
    assert.deepEqual(suppressTotal([outside(2), outside(3), outside(40)], outside(45)), {
      kind: 'rounded',
      value: 45,
    });
  });

  test('a total that is itself small stays "fewer than"', () => {
    assert.deepEqual(suppressTotal([outside(2), outside(0)], outside(2)), { kind: 'fewer', fewerThan: 8 });
  });

  test('when one month is hidden, the smallest other month with people in it is hidden too', () => {
    const counts = [20, 3, 0, 11, 30];
    const months = suppressMonths(counts.map(outside), counts);
    assert.deepEqual(
      months.map((m: Shown) => m.kind),
      ['rounded', 'fewer', 'rounded', 'hidden', 'rounded'],
    );
  });

  test('months with two hidden, or none, are left as they are', () => {
    const counts = [2, 3, 40];
    assert.deepEqual(
      suppressMonths(counts.map(outside), counts).map((m) => m.kind),
      ['fewer', 'fewer', 'rounded'],
    );
    const none = [20, 30];
    assert.deepEqual(suppressMonths(none.map(outside), none), none.map(outside));
  });
});

describe('rates from the figures as shown', () => {
  test('a rate uses the rounded figures, so it never undoes the rounding', () => {
    // 12 people over 1,003 bed days: shown as 10, so the rate is 10 per 1,003, not 12.
    assert.deepEqual(rateOf(outside(12), exact(1003), 1000), { kind: 'rounded', value: 10 });
    assert.deepEqual(rateOf(exact(12), exact(1003), 1000), exact(12));
  });

  test('a rate with a hidden part is hidden, and one over nothing is nought', () => {
    assert.deepEqual(rateOf(outside(3), exact(1000), 1000), { kind: 'hidden' });
    assert.deepEqual(rateOf(exact(4), exact(0), 1000), exact(0));
  });
});

describe('periods', () => {
  test('a period is whole months, the last included', () => {
    assert.deepEqual(periodOf('2025-11', '2026-02'), {
      from: '2025-11-01',
      until: '2026-03-01',
      months: ['2025-11', '2025-12', '2026-01', '2026-02'],
    });
    assert.equal(periodOf('2026-02', '2025-11'), null);
    assert.equal(periodOf('2026-13', '2026-14'), null);
  });

  test('the last whole months leave out the month under way, in UK time', () => {
    // 00:30 on 1 April in the UK is still 31 March in UTC: April is under way, so March is the last whole month.
    const period = lastWholeMonths(3, new Date('2026-03-31T23:30:00Z'));
    assert.deepEqual(period.months, ['2026-01', '2026-02', '2026-03']);
  });

  test('monthly rows become the period’s figures in order, nought where a month has none', () => {
    const period = periodOf('2025-01', '2025-03')!;
    assert.deepEqual(
      byMonth(period, [
        { month: '2025-03', n: '4' },
        { month: '2024-12', n: 9 },
        { month: '2025-01', n: 2 },
      ]),
      [2, 0, 4],
    );
  });
});
