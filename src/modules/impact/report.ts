import { sql } from 'drizzle-orm';
import type { AppServices } from '../../core/context.ts';
import { rowsOf, type Scope } from '../../core/database/tenancy.ts';
import type { Translate } from '../../core/i18n/index.ts';
import { type ImpactSection, impactSections, type Statistic } from '../../core/module.ts';
import type { StatisticPeriod } from '../../core/periods.ts';
import {
  type Audience,
  exact,
  rateOf,
  type Shown,
  type SmallNumberRule,
  shownValue,
  showPeople,
  suppressMonths,
  suppressTotal,
} from '../../core/small-numbers.ts';
import { ruleOf } from './settings.ts';
import { type UnitCost, unitCostsOf } from './unit-costs.ts';

/** One figure of the report, as it may be shown to this audience. */
export interface ReportFigure {
  moduleId: string;
  statistic: Statistic;
  /** The words for the figure and for how it was derived, in the reader's language. */
  label: string;
  derivation: string;
  shown: Shown;
  /** Each month, or null when only the whole period means something. */
  months: Shown[] | null;
  /** An estimate from the organisation's own unit costs, only for a figure its module marks costable. */
  estimates: { cost: UnitCost; pence: number }[];
}

export interface ImpactReport {
  period: StatisticPeriod;
  audience: Audience;
  rule: SmallNumberRule;
  sections: { section: ImpactSection; figures: ReportFigure[] }[];
}

/** A module's own words for a figure, or the name an organisation gave it (a barrier system). */
function wordsFor(t: Translate, moduleId: string, label: string, values?: Record<string, number>): string {
  if (!/^statistics(\.[A-Za-z0-9-]+)+$/.test(label)) return label;
  return t(`${moduleId}.${label}`, values ?? {});
}

/** Shows one figure (its whole period and its months) for the audience, before any total is checked. */
function showOne(statistic: Statistic, value: number, rule: SmallNumberRule, audience: Audience) {
  if (!statistic.countsPeople) {
    return { shown: exact(value), months: statistic.byMonth?.map(exact) ?? null };
  }
  const shown = showPeople(value, rule, audience);
  if (!statistic.byMonth) return { shown, months: null };
  let months = statistic.byMonth.map((count) => showPeople(count, rule, audience));
  // Months add up to the period only when each person or event is counted in one month.
  const sum = statistic.byMonth.reduce((total, count) => total + count, 0);
  if (audience === 'outside' && sum === value) months = suppressMonths(months, statistic.byMonth);
  return { shown, months };
}

/**
 * The impact report for a period: every module's figures (asked inside the organisation, in one
 * transaction), shown for the audience by the one small-number rule, with rates worked out from the
 * figures as shown and estimates from the organisation's own unit costs. Nothing here is typed.
 */
export async function impactReport(
  services: AppServices,
  scope: Scope,
  period: StatisticPeriod,
  audience: Audience,
  t: Translate,
): Promise<ImpactReport> {
  const rule = await ruleOf(scope);
  const costs = await unitCostsOf(scope);
  const figures: ReportFigure[] = [];
  for (const module of services.modules) {
    if (!module.statistics) continue;
    const statistics = await module.statistics(scope, period);
    // A module with no work at all here in the period (no ward, no time bank) says nothing, rather than
    // a column of noughts that reads as if the work had failed.
    if (statistics.every((statistic) => !statistic.value)) continue;
    const mine: ReportFigure[] = [];
    for (const statistic of statistics) {
      if (statistic.value === null || statistic.rate) continue;
      // A part with nothing in it (a theme no money was spent on) adds a line and no knowledge.
      if (statistic.partOf && statistic.value === 0) continue;
      const { shown, months } = showOne(statistic, statistic.value, rule, audience);
      mine.push({
        moduleId: module.id,
        statistic,
        label: wordsFor(t, module.id, statistic.label),
        derivation: wordsFor(t, module.id, statistic.derivation.label, statistic.derivation.values),
        shown,
        months,
        estimates: [],
      });
    }
    // A total whose one hidden part could be worked out by subtraction is hidden too.
    if (audience === 'outside') {
      for (const total of mine) {
        const parts = mine.filter((figure) => figure.statistic.partOf === total.statistic.key);
        if (parts.length > 0)
          total.shown = suppressTotal(
            parts.map((part) => part.shown),
            total.shown,
          );
      }
    }
    // Rates come last, from what is shown, so a rate never undoes the rounding of its parts.
    for (const statistic of statistics) {
      if (!statistic.rate || statistic.value === null) continue;
      const { numerator, denominator, per } = statistic.rate;
      const top = mine.find((figure) => figure.statistic.key === numerator);
      const bottom = mine.find((figure) => figure.statistic.key === denominator);
      if (!top || !bottom) continue;
      const months =
        top.months && bottom.months
          ? top.months.map((month, i) => rateOf(month, bottom.months![i] ?? { kind: 'hidden' }, per))
          : null;
      mine.push({
        moduleId: module.id,
        statistic,
        label: wordsFor(t, module.id, statistic.label),
        derivation: wordsFor(t, module.id, statistic.derivation.label, statistic.derivation.values),
        shown: rateOf(top.shown, bottom.shown, per),
        months,
        estimates: [],
      });
    }
    figures.push(...mine);
  }
  for (const figure of figures) {
    if (!figure.statistic.costable) continue;
    const value = shownValue(figure.shown);
    if (value === null) continue;
    figure.estimates = costs
      .filter((cost) => cost.figure === `${figure.moduleId}:${figure.statistic.key}`)
      .map((cost) => ({ cost, pence: Math.round(value * cost.pence) }));
  }
  return {
    period,
    audience,
    rule,
    sections: impactSections
      .map((section) => ({
        section,
        figures: figures.filter((figure) => figure.statistic.section === section),
      }))
      .filter((group) => group.figures.length > 0),
  };
}

/** Every figure a unit cost may be set against, for the cost form: from modules' own marks, never a list here. */
export async function costableFigures(
  services: AppServices,
  scope: Scope,
  period: StatisticPeriod,
  t: Translate,
): Promise<{ figure: string; label: string }[]> {
  const found: { figure: string; label: string }[] = [];
  for (const module of services.modules) {
    if (!module.statistics) continue;
    for (const statistic of await module.statistics(scope, period))
      if (statistic.costable)
        found.push({
          figure: `${module.id}:${statistic.key}`,
          label: wordsFor(t, module.id, statistic.label),
        });
  }
  return found;
}

/** The organisation's name in the reader's language, for the report's heading and the share page. */
export async function organisationNameOf(scope: Scope, language: string): Promise<string> {
  const [row] = await rowsOf<{ name: string; nameCy: string | null }>(
    scope.tx.execute(
      sql`select name, name_cy as "nameCy" from organisation where id = ${scope.organisationId}`,
    ),
  );
  return (language === 'cy' ? row?.nameCy : null) ?? row?.name ?? '';
}
