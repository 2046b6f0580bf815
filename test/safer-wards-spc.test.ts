import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Catalogue, createTranslator, flattenKeys, type Translate } from '../src/core/i18n/index.ts';
import { XmrChart } from '../src/modules/safer-wards/chart.tsx';
import words from '../src/modules/safer-wards/chart-words.json' with { type: 'json' };
import { ratePerThousand, roundTo, type SpecialCause, xmr } from '../src/modules/safer-wards/spc.ts';

const months = (values: (number | null)[]) =>
  values.map((value, index) => ({ label: `M${index + 1}`, value }));

/** The points (by place) that have a rule. */
function withCause(values: (number | null)[], cause: SpecialCause) {
  return xmr(months(values))
    .points.flatMap((point, index) => (point.special.includes(cause) ? [index] : []))
    .join(',');
}

const close = (actual: number, expected: number) =>
  assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} is not ${expected}`);

describe('xmr: the centre line and the limits', () => {
  test('a known series, worked out by hand', () => {
    // [10, 12, 11, 13, 12, 11, 10, 12]: sum 91, mean 91 / 8 = 11.375.
    // Moving ranges 2, 1, 2, 1, 1, 1, 2: sum 10, mean 10 / 7 = 1.428571…
    // 2.66 × 10 / 7 = 3.8, so upper 11.375 + 3.8 = 15.175 and lower 11.375 − 3.8 = 7.575.
    const result = xmr(months([10, 12, 11, 13, 12, 11, 10, 12]));
    close(result.mean, 11.375);
    close(result.meanMovingRange, 10 / 7);
    close(result.upper, 15.175);
    close(result.lower, 7.575);
    close(result.lowerShown, 7.575);
    assert.deepEqual(
      result.points.map((point) => point.movingRange),
      [null, 2, 1, 2, 1, 1, 1, 2],
    );
    assert.equal(result.enough, false, 'eight months are too few to show limits');
    assert.ok(result.points.every((point) => point.special.length === 0));
  });

  test('months with no figure are skipped but kept in their place', () => {
    // The same figures with two empty months: the same mean and limits; the moving range joins 10 to 12.
    const result = xmr(months([10, null, 12, 11, 13, null, 12, 11, 10, 12]));
    close(result.mean, 11.375);
    close(result.meanMovingRange, 10 / 7);
    close(result.upper, 15.175);
    assert.deepEqual(
      result.points.map((point) => [point.label, point.value, point.movingRange]),
      [
        ['M1', 10, null],
        ['M2', null, null],
        ['M3', 12, 2],
        ['M4', 11, 1],
        ['M5', 13, 2],
        ['M6', null, null],
        ['M7', 12, 1],
        ['M8', 11, 1],
        ['M9', 10, 1],
        ['M10', 12, 2],
      ],
    );
    assert.deepEqual(result.points[1]!.special, []);
  });

  test('enough from 12 months with a figure; empty months do not count', () => {
    assert.equal(xmr(months(Array(11).fill(5))).enough, false);
    assert.equal(xmr(months([...Array(11).fill(5), null])).enough, false);
    assert.equal(xmr(months(Array(12).fill(5))).enough, true);
  });

  test('no figures, one figure, all the same', () => {
    const none = xmr(months([null, null]));
    assert.equal(none.mean, 0);
    assert.equal(none.meanMovingRange, 0);
    assert.equal(none.points.length, 2);
    const one = xmr(months([7]));
    assert.deepEqual([one.mean, one.meanMovingRange, one.upper, one.lower], [7, 0, 7, 7]);
    const flat = xmr(months(Array(14).fill(3)));
    assert.deepEqual([flat.mean, flat.meanMovingRange, flat.upper, flat.lower], [3, 0, 3, 3]);
    assert.ok(
      flat.points.every((point) => point.special.length === 0),
      'a flat line has no special cause',
    );
  });

  test('the lower limit is not clipped, lowerShown is', () => {
    // [10,12]×6 then 24, 9, 30: sum 132 + 63 = 195, mean 13. Moving ranges: eleven 2s (22), then 12, 15
    // and 21: sum 70 over 14, mean 5. 2.66 × 5 = 13.3: upper 26.3, lower −0.3, shown as 0.
    const result = xmr(months([10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 24, 9, 30]));
    close(result.mean, 13);
    close(result.meanMovingRange, 5);
    close(result.upper, 26.3);
    close(result.lower, -0.3);
    assert.equal(result.lowerShown, 0);
  });

  test('screening outliers, as NHSRplotthedots does by default, only when asked', () => {
    // [10,12]×5, 10, 40: moving ranges ten 2s and a 30: mean 50 / 11 = 4.5454…; 3.267 × that is 14.85,
    // so screening leaves out the 30 and the mean moving range is 20 / 10 = 2. Mean 160 / 12.
    const values = [10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 10, 40];
    close(xmr(months(values)).meanMovingRange, 50 / 11);
    const screened = xmr(months(values), { screenOutliers: true });
    close(screened.meanMovingRange, 2);
    close(screened.upper, 160 / 12 + 5.32);
  });

  test('a figure that is not a number is a mistake, not a month without one', () => {
    assert.throws(() => xmr(months([1, Number.NaN])), RangeError);
    assert.throws(() => xmr(months([1, Number.POSITIVE_INFINITY])), RangeError);
  });
});

describe('xmr: special causes', () => {
  test('outside the limits, above and below', () => {
    // [10,12]×6, 24: sum 156, mean 12. Moving ranges eleven 2s and 12: 34 / 12 = 2.8333…
    // 2.66 × 34 / 12 = 7.5367: upper 19.5367; 24 is above it.
    assert.equal(withCause([10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 24], 'outside-limits'), '12');
    // [10,12]×6, 0: mean 132 / 13 = 10.154, the same moving ranges: lower 2.617; 0 is below it.
    assert.equal(withCause([10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 0], 'outside-limits'), '12');
  });

  test('a point exactly on a limit is not outside', () => {
    // Twenty months: sum 200, mean 10. The 19 moving ranges (0, 9, 9, 4, 2, 2, 1, 3, 1, 0, 1, 2, 2, 2, 3,
    // 1, 1, 3, 4) add up to 50: mean 50 / 19, and 2.66 × 50 / 19 = 7 exactly, so upper 17 and lower 3.
    const values = [8, 8, 17, 8, 12, 10, 8, 9, 12, 11, 11, 10, 8, 10, 8, 11, 10, 9, 12, 8];
    const result = xmr(months(values));
    close(result.mean, 10);
    close(result.upper, 17);
    close(result.lower, 3);
    assert.equal(withCause(values, 'outside-limits'), '');
  });

  test('seven in a row on one side of the mean; an empty month does not break the run', () => {
    // Seven 12s (one empty month among them) then seven 8s: mean 10; both runs are marked.
    const values = [12, 12, 12, null, 12, 12, 12, 12, 8, 8, 8, 8, 8, 8, 8];
    assert.equal(withCause(values, 'run-of-seven'), '0,1,2,4,5,6,7,8,9,10,11,12,13,14');
    // Five below then seven above: mean 124 / 12 = 10.33; only the seven are a run.
    assert.equal(withCause([8, 8, 8, 8, 8, 12, 12, 12, 12, 12, 12, 12], 'run-of-seven'), '5,6,7,8,9,10,11');
  });

  test('six in a row is not a run, and a point on the mean breaks one', () => {
    // Six 8s and six 12s: mean 10, six on each side.
    assert.equal(withCause([8, 8, 8, 8, 8, 8, 12, 12, 12, 12, 12, 12], 'run-of-seven'), '');
    // Sum 72 + 10 + 48 = 130 over 13: mean 10, so the fourth month (10) is on the mean: 3 + 3 above, 6 below.
    assert.equal(withCause([12, 12, 12, 10, 12, 12, 12, 8, 8, 8, 8, 8, 8], 'run-of-seven'), '');
  });

  test('seven rising, or seven falling, is a trend; every point in it is marked', () => {
    assert.equal(withCause([1, 2, 3, 4, 5, 6, 7, 4, 4, 4, 4, 4], 'trend-of-seven'), '0,1,2,3,4,5,6');
    assert.equal(withCause([4, 4, 4, 9, 8, 7, 6, 5, 4, 3, 4, 4], 'trend-of-seven'), '3,4,5,6,7,8,9');
    // Eight rising: all eight.
    assert.equal(withCause([1, 2, 3, 4, 5, 6, 7, 8, 5, 5, 5, 5], 'trend-of-seven'), '0,1,2,3,4,5,6,7');
    // An empty month in the middle is skipped.
    assert.equal(withCause([1, 2, null, 3, 4, 5, 6, 7, 4, 4, 4, 4], 'trend-of-seven'), '0,1,3,4,5,6,7');
  });

  test('six rising is not a trend, and a tie breaks one', () => {
    assert.equal(withCause([1, 2, 3, 4, 5, 6, 2, 2, 2, 2, 2, 2], 'trend-of-seven'), '');
    // 1, 2, 3, 3, 4, 5, 6, 7: eight months rising but for the tie, so at most five in a row rise.
    assert.equal(withCause([1, 2, 3, 3, 4, 5, 6, 7, 4, 4, 4, 4], 'trend-of-seven'), '');
  });

  test('two of three in the outer third on one side; the third point is not marked', () => {
    // [10,12]×5, 17, 12, 17: sum 156 over 13, mean 12. Moving ranges nine 2s (18) and three 5s (15):
    // 33 / 12 = 2.75. 2.66 × 2.75 = 7.315: upper 19.315; the outer third starts at 12 + 2/3 × 7.315
    // = 16.877, so both 17s are in it (and inside the limit); the 12 between them is not marked.
    const values = [10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 17, 12, 17];
    const result = xmr(months(values));
    close(result.mean, 12);
    close(result.meanMovingRange, 2.75);
    close(result.upper, 19.315);
    assert.equal(withCause(values, 'two-of-three'), '10,12');
    assert.equal(withCause(values, 'outside-limits'), '');
  });

  test('a point beyond a limit counts as in the outer third', () => {
    // From "the lower limit is not clipped": mean 13, upper 26.3, outer third from 13 + 2/3 × 13.3 =
    // 21.867. 24 is in the outer third and 30 beyond the limit: both marked, 9 between them not.
    const result = xmr(months([10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 24, 9, 30]));
    assert.deepEqual(result.points[12]!.special, ['two-of-three']);
    assert.deepEqual(result.points[13]!.special, []);
    // Every rule a point is part of: 30 is outside the limits and part of two of three.
    assert.deepEqual(result.points[14]!.special, ['outside-limits', 'two-of-three']);
    // And the twelve months before are all below the mean 13: a run.
    assert.ok(result.points.slice(0, 12).every((point) => point.special.join() === 'run-of-seven'));
  });

  test('two in the outer third on opposite sides is not two of three', () => {
    // [10,12]×5, 17, 12, 4: sum 143 over 13, mean 11. Moving ranges nine 2s (18), 5, 5 and 8: 36 / 12 = 3.
    // 2.66 × 3 = 7.98: limits 18.98 and 3.02; outer thirds above 16.32 and below 5.68. 17 is in the upper
    // one and 4 in the lower, in the same three months, on opposite sides.
    const values = [10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 17, 12, 4];
    const result = xmr(months(values));
    close(result.mean, 11);
    close(result.meanMovingRange, 3);
    assert.equal(withCause(values, 'two-of-three'), '');
    assert.equal(withCause(values, 'outside-limits'), '');
  });
});

describe('ratePerThousand and roundTo', () => {
  test('a rate per 1,000 occupied bed days, unrounded', () => {
    assert.equal(ratePerThousand(3, 1500), 2);
    assert.equal(ratePerThousand(0, 1500), 0);
    assert.equal(ratePerThousand(1, 3), 1000 / 3);
    assert.equal(ratePerThousand(3, 0), null);
    assert.equal(ratePerThousand(0, 0), null);
    assert.throws(() => ratePerThousand(-1, 100), RangeError);
    assert.throws(() => ratePerThousand(1, -100), RangeError);
    assert.throws(() => ratePerThousand(Number.NaN, 100), RangeError);
  });

  test('rounding halves away from zero, without binary surprises', () => {
    assert.equal(roundTo(1.005, 2), 1.01);
    assert.equal(roundTo(2.35, 1), 2.4);
    assert.equal(roundTo(1000 / 3, 1), 333.3);
    assert.equal(roundTo(-2.5, 0), -3);
    assert.ok(Object.is(roundTo(-0.04, 1), 0));
    assert.equal(roundTo(1e-7, 2), 0);
    assert.equal(roundTo(12, 1), 12);
  });
});

describe('XmrChart', () => {
  /** Returns the key, and remembers it, so the test can check every key is in the catalogue. */
  const used = new Set<string>();
  const keys = ((key: string) => {
    used.add(key);
    return key;
  }) as unknown as Translate;

  // 14 months, one empty; the last is far above the rest. Sum 174 over 13: mean 13.38. Moving ranges
  // eleven 4s and 16: mean 5, so upper 13.38 + 13.3 = 26.68 and 30 is outside; 10, 14 take turns either
  // side of the mean, so no other month is a special cause.
  const series = [10, 14, 10, 14, 10, 14, null, 10, 14, 10, 14, 10, 14, 30];
  const result = xmr(months(series));
  const render = (props: Partial<Parameters<typeof XmrChart>[0]> = {}) =>
    String(XmrChart({ result, title: 'Restrictive interventions', t: keys, language: 'en', ...props }));
  const count = (html: string, pattern: RegExp) => html.match(pattern)?.length ?? 0;

  test('an SVG image with a title and a description, one circle per figure, no inline style', () => {
    const html = render({ id: 'ri' });
    assert.match(html, /<svg[^>]* role="img"/);
    assert.match(html, /<svg[^>]* aria-labelledby="ri-title ri-desc"/);
    assert.match(html, /<title id="ri-title">Restrictive interventions<\/title>/);
    assert.match(html, /<desc id="ri-desc">safer-wards\.chart\.desc<\/desc>/);
    assert.match(html, /<svg[^>]* viewBox="0 0 360 \d+"/);
    assert.match(html, /<svg[^>]* width="100%"/);
    assert.doesNotMatch(html, /<svg[^>]* height=/);
    assert.doesNotMatch(html, /style=/);
    assert.equal(count(html, /<circle/g), series.filter((value) => value !== null).length);
    // The last month is a special cause: a diamond round its point, as well as its colour.
    assert.equal(count(html, /class="xmr-point xmr-point--special"/g), 1);
    assert.equal(count(html, /<polygon class="xmr-special"/g), 2, "the month's diamond and the legend's");
    // The mean solid, both limits dashed.
    assert.equal(count(html, /stroke-dasharray="6 4"/g), 4, 'two limit lines and their two legend samples');
  });

  test('a data table with one row per month, words for special causes and a dash for no figure', () => {
    const html = render();
    const body = html.slice(html.indexOf('<tbody'));
    assert.match(html, /<table class="govuk-table">/);
    assert.match(html, /<caption[^>]*>safer-wards\.chart\.tableCaption<\/caption>/);
    assert.equal(count(body, /<tr class="govuk-table__row">/g), series.length);
    assert.match(html, /safer-wards\.chart\.special<\/th>/);
    assert.match(
      body,
      /<td class="govuk-table__cell alongside-one-line">M7<\/td><td[^>]*>—<\/td><td[^>]*>—<\/td>/,
    );
    assert.match(body, />30<\/td><td[^>]*>16<\/td><td[^>]*>safer-wards\.chart\.causes\.outside-limits<\/td>/);
    assert.match(body, /safer-wards\.chart\.none/);
  });

  test('fewer than 12 months: no limits, no special causes, and a sentence saying why', () => {
    const short = xmr(months([10, 12, 11, 30, 12]));
    const html = String(XmrChart({ result: short, title: 'Short', t: keys, language: 'en' }));
    assert.doesNotMatch(html, /stroke-dasharray/);
    assert.doesNotMatch(html, /xmr-special|xmr-point--special/);
    assert.match(html, /<p class="govuk-body">safer-wards\.chart\.tooFew<\/p>/);
    assert.match(html, /safer-wards\.chart\.descTooFew/);
    assert.doesNotMatch(html, /safer-wards\.chart\.special</);
    assert.equal(count(html, /<circle/g), 5);
    assert.equal(count(html.slice(html.indexOf('<tbody')), /<tr class="govuk-table__row">/g), 5);
  });

  test('no months at all still draws', () => {
    const html = String(XmrChart({ result: xmr([]), title: 'Empty', t: keys, language: 'en' }));
    assert.match(html, /role="img"/);
    assert.doesNotMatch(html, /NaN|Infinity/);
  });

  test('every key used is in both languages, and the words read in Welsh', () => {
    const en = flattenKeys(words.en as Catalogue).map((key) => `safer-wards.${key}`);
    const cy = flattenKeys(words.cy as Catalogue).map((key) => `safer-wards.${key}`);
    assert.deepEqual([...cy].sort(), [...en].sort(), 'English and Welsh have the same keys');
    for (const key of used) assert.ok(en.includes(key), `${key} is in chart-words.json`);

    const translator = createTranslator({ 'safer-wards': words });
    const english = String(
      XmrChart({
        result,
        title: 'Restrictive interventions',
        t: translator.forLanguage('en'),
        language: 'en',
        unit: 'per 1,000 occupied bed days',
      }),
    );
    assert.match(english, /Value \(per 1,000 occupied bed days\)/);
    assert.match(english, /Outside the limits/);
    assert.match(english, /Months with a figure: 13\. Mean 13\.4, upper limit 26\.7, lower limit 0\.1/);
    const welsh = String(
      XmrChart({ result, title: 'Ymyriadau cyfyngol', t: translator.forLanguage('cy'), language: 'cy' }),
    );
    assert.match(welsh, /Cymedr 13\.4/);
    assert.match(welsh, /Amrediad symudol/);
    assert.match(welsh, /Y tu allan i&#39;r terfynau|Y tu allan i'r terfynau/);
    assert.doesNotMatch(welsh, /safer-wards\.chart/);
  });
});
