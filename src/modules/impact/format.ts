import type { Language, Translate } from '../../core/i18n/index.ts';
import type { StatisticUnit } from '../../core/module.ts';
import type { Shown } from '../../core/small-numbers.ts';
import { formatPence } from '../personal-budget/money.ts';

export const id = 'impact';
export const w = (key: string) => `${id}.${key}`;

const locale = (language: Language) => (language === 'cy' ? 'cy-GB' : 'en-GB');

/** A number in the reader's way of writing it: 1,234 and 12.5. */
export const formatNumber = (value: number, language: Language) =>
  new Intl.NumberFormat(locale(language), { maximumFractionDigits: 1 }).format(value);

/** "April 2025" / "Ebrill 2025". */
export function monthName(month: string, language: Language, style: 'long' | 'short' = 'long'): string {
  const [year, number] = month.split('-').map(Number) as [number, number];
  return new Intl.DateTimeFormat(locale(language), { month: style, year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(year, number - 1, 1)),
  );
}

/** A figure as words: the number in its unit, or why it is not shown. Never colour alone. */
export function shownText(shown: Shown, unit: StatisticUnit, t: Translate, language: Language): string {
  if (shown.kind === 'fewer') return t(w('shown.fewer'), { limit: shown.fewerThan });
  if (shown.kind === 'hidden') return t(w('shown.hidden'));
  const number = shown.value;
  if (unit === 'money') return formatPence(Math.round(number));
  if (unit === 'hours') return t(w('units.hours'), { count: number, figure: formatNumber(number, language) });
  if (unit === 'days') return t(w('units.days'), { count: number, figure: formatNumber(number, language) });
  return formatNumber(number, language);
}

/** The value a chart draws for a shown figure: nothing for one not shown. */
export const chartValue = (shown: Shown): number | null =>
  shown.kind === 'exact' || shown.kind === 'rounded' ? shown.value : null;
