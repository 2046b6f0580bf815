/**
 * Statistical process control for a ward's monthly figures: the XmR chart of NHS England's "Making Data
 * Count", as NHSRplotthedots draws it. Pure functions, no database: the dashboard gathers the figures
 * (restrictive interventions per 1,000 occupied bed days, by month) and `xmr` says where the centre and
 * the process limits lie and which months show special cause variation.
 *
 * Where this differs from NHSRplotthedots (each a choice made on purpose):
 * - A month with no figure (null, e.g. no occupied bed days) is skipped: the moving range, the runs and
 *   the trends join the figures either side of it, so a missing month neither breaks nor starts a run.
 * - Moving ranges are not screened for outliers unless asked (`screenOutliers`, which NHSRplotthedots
 *   does by default: a moving range at or above 3.267 × the mean moving range is left out and the mean
 *   moving range worked out again).
 * - "Two of three": a month beyond a limit counts as in the outer third, and the third month of the
 *   window may lie anywhere (NHSRplotthedots asks all three to be on the same side of the mean and does
 *   not count months beyond the limits).
 */

export type SpecialCause = 'outside-limits' | 'run-of-seven' | 'trend-of-seven' | 'two-of-three';

/** The rules in the order they are listed on a point. */
export const specialCauses: readonly SpecialCause[] = [
  'outside-limits',
  'run-of-seven',
  'trend-of-seven',
  'two-of-three',
];

export interface SpcPoint {
  label: string;
  /** null: no figure that month. Kept in its place for display, skipped in every calculation. */
  value: number | null;
}

export interface SpcResultPoint {
  label: string;
  value: number | null;
  /** |this value − the previous value that has a figure|; null for a month with no figure and for the first figure. */
  movingRange: number | null;
  /** Every rule this point is part of, in the order of `specialCauses`; empty for common cause. */
  special: SpecialCause[];
}

export interface SpcResult {
  /** The centre line: the mean of the figures (0 when there are none). */
  mean: number;
  /** The mean of the moving ranges (0 with fewer than two figures). */
  meanMovingRange: number;
  /** mean + 2.66 × mean moving range. */
  upper: number;
  /** mean − 2.66 × mean moving range, not clipped: the rules use this one. */
  lower: number;
  /** The lower limit to draw for a figure that cannot be negative (a rate): max(0, lower). */
  lowerShown: number;
  points: SpcResultPoint[];
  /** Whether there are figures enough to show the limits and special causes (see `fewestForLimits`). */
  enough: boolean;
}

/**
 * Making Data Count advises 15 to 20 points before the limits are relied on; we show limits from 12
 * (a year of months, the fewest at which NHSRplotthedots stops warning that a chart is short), and the
 * chart says when there are fewer.
 */
export const fewestForLimits = 12;

/** The XmR constant: 3 / d2, with d2 = 1.128 for moving ranges of two points. */
const limitFactor = 2.66;
/** The upper range limit for moving ranges (D4 for n = 2), used only when screening outliers. */
const movingRangeLimitFactor = 3.267;
const runLength = 7;

/**
 * Two figures equal but for rounding in the last bits (a rate worked out two ways, or a mean that is a
 * recurring fraction) are treated as equal: a value on the mean, on a limit or tied with the one before.
 */
function same(a: number, b: number) {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

/** +1 above, −1 below, 0 the same (within rounding). */
function side(value: number, line: number): -1 | 0 | 1 {
  if (same(value, line)) return 0;
  return value > line ? 1 : -1;
}

function average(values: number[]) {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Marks every member of each stretch of equal non-zero signs at least `length` long. */
function stretches(signs: number[], length: number): boolean[] {
  const marked = signs.map(() => false);
  let start = 0;
  for (let index = 1; index <= signs.length; index++) {
    if (index < signs.length && signs[index] === signs[start]) continue;
    if (signs[start] !== 0 && index - start >= length) marked.fill(true, start, index);
    start = index;
  }
  return marked;
}

export function xmr(points: SpcPoint[], options: { screenOutliers?: boolean } = {}): SpcResult {
  for (const point of points) {
    if (point.value !== null && !Number.isFinite(point.value)) {
      throw new RangeError(`The figure for ${point.label} is not a number: ${point.value}`);
    }
  }
  // The figures in order, each with its place among all the points.
  const figures = points.flatMap((point, at) => (point.value === null ? [] : [{ at, value: point.value }]));
  const values = figures.map((figure) => figure.value);
  const mean = average(values);

  const movingRanges = values.slice(1).map((value, index) => Math.abs(value - values[index]!));
  let meanMovingRange = average(movingRanges);
  if (options.screenOutliers && meanMovingRange > 0) {
    const ceiling = movingRangeLimitFactor * meanMovingRange;
    meanMovingRange = average(movingRanges.filter((range) => range < ceiling));
  }
  const upper = mean + limitFactor * meanMovingRange;
  const lower = mean - limitFactor * meanMovingRange;

  // (1) Outside the limits: strictly beyond; a value on a limit is inside.
  const outside = values.map((value) => side(value, upper) === 1 || side(value, lower) === -1);

  // (2) Seven or more in a row on one side of the mean; a value on the mean breaks the run.
  const run = stretches(
    values.map((value) => side(value, mean)),
    runLength,
  );

  // (3) Seven or more in a row each higher (or each lower) than the one before: six rises or six falls.
  // A tie breaks the trend. A rise is counted on the later point, then the trend takes in the one before.
  const steps = values.map((value, index) => (index === 0 ? 0 : side(value, values[index - 1]!)));
  const risingOrFalling = stretches(steps.slice(1), runLength - 1);
  const trend = values.map(
    (_, index) => risingOrFalling[index] === true || risingOrFalling[index - 1] === true,
  );

  // (4) Two of three in a row in the outer third on the same side (beyond a limit counts); the points in
  // the outer third are marked, not the third point of the window.
  const nearUpper = mean + (2 / 3) * (upper - mean);
  const nearLower = mean - (2 / 3) * (mean - lower);
  const outer = values.map((value) => {
    if (side(value, nearUpper) === 1) return 1;
    if (side(value, nearLower) === -1) return -1;
    return 0;
  });
  const twoOfThree = values.map(() => false);
  for (let start = 0; start + 3 <= values.length; start++) {
    for (const which of [1, -1]) {
      const window = [start, start + 1, start + 2].filter((index) => outer[index] === which);
      if (window.length >= 2) for (const index of window) twoOfThree[index] = true;
    }
  }

  const result: SpcResultPoint[] = points.map((point) => ({
    label: point.label,
    value: point.value,
    movingRange: null,
    special: [],
  }));
  figures.forEach((figure, index) => {
    const point = result[figure.at]!;
    point.movingRange = index === 0 ? null : movingRanges[index - 1]!;
    const found: Record<SpecialCause, boolean | undefined> = {
      'outside-limits': outside[index],
      'run-of-seven': run[index],
      'trend-of-seven': trend[index],
      'two-of-three': twoOfThree[index],
    };
    point.special = specialCauses.filter((cause) => found[cause]);
  });

  return {
    mean,
    meanMovingRange,
    upper,
    lower,
    lowerShown: Math.max(0, lower),
    points: result,
    enough: figures.length >= fewestForLimits,
  };
}

/**
 * A count per 1,000 occupied bed days, unrounded; null when there were no occupied bed days (no figure
 * that month). A negative or non-finite count or number of bed days is a mistake upstream and throws.
 */
export function ratePerThousand(count: number, occupiedBedDays: number): number | null {
  if (!Number.isFinite(count) || count < 0 || !Number.isFinite(occupiedBedDays) || occupiedBedDays < 0) {
    throw new RangeError(`No rate for ${count} in ${occupiedBedDays} occupied bed days`);
  }
  if (occupiedBedDays === 0) return null;
  return (count * 1000) / occupiedBedDays;
}

/** Moves the decimal point by shifting the exponent in the text, so 1.005 is 100.5 and not 100.49999…. */
function shifted(value: number, places: number) {
  const [mantissa, exponent = '0'] = String(value).split('e');
  return Number(`${mantissa}e${Number(exponent) + places}`);
}

/** Rounds to so many decimal places, halves away from zero (as Intl.NumberFormat does): 1.005 → 1.01. */
export function roundTo(value: number, places: number): number {
  if (!Number.isFinite(value)) return value;
  const rounded = shifted(Math.round(shifted(Math.abs(value), places)), -places);
  // No "-0" for a small negative value that rounds to nothing.
  return value < 0 && rounded !== 0 ? -rounded : rounded;
}
