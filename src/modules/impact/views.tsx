import type { Child } from 'hono/jsx';
import type { Language, Translate } from '../../core/i18n/index.ts';
import { DataTable } from '../../core/web/layout.tsx';
import { formatPence } from '../personal-budget/money.ts';
import { MonthChart } from './chart.tsx';
import { chartValue, monthName, shownText, w } from './format.ts';
import type { ImpactReport, ReportFigure } from './report.ts';

/** A story on the report: only one its author shared with the organisation or everyone. */
export interface ReportStory {
  title: string;
  excerpt: string;
  language: Language;
  author: string;
}

/** The period in words: "April 2025 to March 2026". */
export const periodText = (report: ImpactReport, t: Translate, language: Language) =>
  t(w('period.text'), {
    from: monthName(report.period.months[0]!, language),
    to: monthName(report.period.months.at(-1)!, language),
  });

/** What the reader must know about the figures: the rule, or that these are the team's exact figures. */
export function ruleText(report: ImpactReport, t: Translate): string {
  const values = {
    limit: report.rule.fewerThan,
    most: report.rule.fewerThan - 1,
    roundTo: report.rule.roundTo,
  };
  return t(w(report.audience === 'outside' ? 'rule.outside' : 'rule.team'), values);
}

function Figure(props: {
  figure: ReportFigure;
  months: string[];
  index: number;
  t: Translate;
  language: Language;
}) {
  const { figure, t, language } = props;
  const unit = figure.statistic.unit;
  const domId = `figure-${props.index}`;
  const spread = figure.statistic.spread;
  return (
    <div class="impact-figure">
      <h3 class="govuk-heading-s" id={`${domId}-heading`}>
        {figure.label}
      </h3>
      <p class="govuk-body impact-figure__value">
        <strong>{shownText(figure.shown, unit, t, language)}</strong>
        {spread && figure.shown.kind !== 'hidden' && figure.shown.kind !== 'fewer' ? (
          <span class="govuk-body-s">
            {' '}
            {t(w('spread'), {
              lower: shownText({ kind: 'exact', value: spread.lower }, unit, t, language),
              upper: shownText({ kind: 'exact', value: spread.upper }, unit, t, language),
            })}
          </span>
        ) : null}
      </p>
      <p class="govuk-body-s impact-figure__derivation">{figure.derivation}</p>
      {figure.estimates.map((estimate) => (
        <p class="govuk-body-s impact-figure__estimate">
          {t(w('cost.estimate'), {
            figure: shownText(figure.shown, unit, t, language),
            name: estimate.cost.name,
            each: formatPence(estimate.cost.pence),
            total: formatPence(estimate.pence),
            source: estimate.cost.source,
            year: estimate.cost.year,
          })}
        </p>
      ))}
      {figure.months && figure.months.length > 1 ? (
        <>
          <MonthChart
            id={domId}
            title={t(w('chart.title'), { figure: figure.label })}
            description={t(w('chart.description'))}
            columns={figure.months.map((month, i) => ({
              label: monthName(props.months[i] ?? '', language, 'short'),
              value: chartValue(month),
            }))}
          />
          <details class="govuk-details">
            <summary class="govuk-details__summary">
              <span class="govuk-details__summary-text">{t(w('chart.table'), { figure: figure.label })}</span>
            </summary>
            <div class="govuk-details__text">
              <DataTable
                caption={figure.label}
                columns={[{ label: t(w('chart.month')) }, { label: t(w('chart.figure')), numeric: true }]}
                rows={figure.months.map((month, i) => [
                  monthName(props.months[i] ?? '', language),
                  shownText(month, unit, t, language),
                ])}
              />
            </div>
          </details>
        </>
      ) : null}
    </div>
  );
}

/** The report's body, the same for the team, a funder signed in, a share link and the print. */
export function ReportBody(props: {
  report: ImpactReport;
  t: Translate;
  language: Language;
  stories: ReportStory[];
  storiesAudience: string;
}): Child {
  const { report, t, language } = props;
  let index = 0;
  return (
    <>
      <p class="govuk-body impact-rule">{ruleText(report, t)}</p>
      <p class="govuk-body-s">{t(w('nothingTyped'))}</p>
      {report.sections.length === 0 ? <p class="govuk-body">{t(w('empty'))}</p> : null}
      {report.sections.map((group) => (
        <section class="impact-section" aria-labelledby={`section-${group.section}`}>
          <h2 class="govuk-heading-m" id={`section-${group.section}`}>
            {t(w(`sections.${group.section}`))}
          </h2>
          {group.figures.map((figure) => (
            <Figure figure={figure} months={report.period.months} index={index++} t={t} language={language} />
          ))}
        </section>
      ))}
      {props.stories.length > 0 ? (
        <section class="impact-section" aria-labelledby="section-story-words">
          <h2 class="govuk-heading-m" id="section-story-words">
            {t(w('storiesHeading'))}
          </h2>
          <p class="govuk-body-s">{props.storiesAudience}</p>
          {props.stories.map((story) => (
            <figure class="impact-story" lang={story.language}>
              <h3 class="govuk-heading-s">{story.title}</h3>
              <blockquote class="govuk-inset-text">{story.excerpt}</blockquote>
              <figcaption class="govuk-body-s">{story.author}</figcaption>
            </figure>
          ))}
        </section>
      ) : null}
    </>
  );
}
