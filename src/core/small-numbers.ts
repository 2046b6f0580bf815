/**
 * Small numbers, as NHS Digital publishes them: outside an organisation's own team, a count of people
 * from 1 to 7 could point to someone, so it is said as "fewer than 8", and every other count of people
 * is rounded to the nearest 5. Where a reader could subtract their way to a hidden count, one more
 * figure is hidden too (secondary suppression). Every report that leaves the team uses this one rule.
 */

export interface SmallNumberRule {
  /** Counts of people from 1 to this minus one are "fewer than" it. */
  fewerThan: number;
  /** Every other count of people is rounded to the nearest multiple of this. */
  roundTo: number;
}

/** NHS Digital's rule; an organisation may make it stricter, never looser (decision 026). */
export const publishedRule: SmallNumberRule = { fewerThan: 8, roundTo: 5 };
export const strictestFewerThan = 30;

/** A figure as it may be shown: the number, or why it is not there. */
export type Shown =
  | { kind: 'exact'; value: number }
  | { kind: 'rounded'; value: number }
  | { kind: 'fewer'; fewerThan: number }
  /** Hidden because, with the figures around it, it would give a hidden one away. */
  | { kind: 'hidden' };

/** Who will read the figures: the organisation's own team sees them as they are. */
export type Audience = 'team' | 'outside';

export const exact = (value: number): Shown => ({ kind: 'exact', value });

/** One count of people (primary suppression only). Nought identifies nobody and is shown. */
export function showPeople(count: number, rule: SmallNumberRule, audience: Audience): Shown {
  if (audience === 'team') return exact(count);
  if (count > 0 && count < rule.fewerThan) return { kind: 'fewer', fewerThan: rule.fewerThan };
  return { kind: 'rounded', value: Math.round(count / rule.roundTo) * rule.roundTo };
}

/** The number a shown figure stands for, or null when it is not shown. */
export const shownValue = (shown: Shown): number | null =>
  shown.kind === 'exact' || shown.kind === 'rounded' ? shown.value : null;

const isHiddenByRule = (shown: Shown) => shown.kind === 'fewer';

/**
 * Parts that add up to a total the reader also sees (new and returning people, who make up everyone
 * supported). If exactly one part is "fewer than", the total less the other parts would give it away,
 * so the total is hidden too. With two or more hidden parts only their sum could be worked out.
 */
export function suppressTotal(parts: Shown[], total: Shown): Shown {
  if (total.kind === 'fewer' || total.kind === 'hidden') return total;
  return parts.filter(isHiddenByRule).length === 1 ? { kind: 'hidden' } : total;
}

/**
 * Months that add up to the period's figure shown beside them: if exactly one month is "fewer than",
 * the smallest other month with people in it is hidden too, so no subtraction reaches the first.
 */
export function suppressMonths(months: Shown[], counts: readonly number[]): Shown[] {
  if (months.filter(isHiddenByRule).length !== 1) return months;
  let smallest = -1;
  months.forEach((shown, i) => {
    if (shown.kind === 'fewer' || shown.kind === 'hidden' || (counts[i] ?? 0) === 0) return;
    if (smallest < 0 || (counts[i] ?? 0) < (counts[smallest] ?? 0)) smallest = i;
  });
  if (smallest < 0) return months;
  return months.map((shown, i) => (i === smallest ? { kind: 'hidden' } : shown));
}

/** A rate worked out from figures as shown, so it never undoes their rounding; hidden if either is. */
export function rateOf(numerator: Shown, denominator: Shown, per: number): Shown {
  const top = shownValue(numerator);
  const bottom = shownValue(denominator);
  if (top === null || bottom === null) return { kind: 'hidden' };
  if (bottom === 0) return exact(0);
  const value = Math.round(((top * per) / bottom) * 10) / 10;
  return numerator.kind === 'rounded' || denominator.kind === 'rounded'
    ? { kind: 'rounded', value }
    : exact(value);
}

/** Reads an organisation's threshold, keeping it within what the rule allows. */
export function ruleWith(fewerThan: number | null | undefined): SmallNumberRule {
  const chosen = Number.isInteger(fewerThan) ? (fewerThan as number) : publishedRule.fewerThan;
  return {
    fewerThan: Math.min(strictestFewerThan, Math.max(publishedRule.fewerThan, chosen)),
    roundTo: publishedRule.roundTo,
  };
}
