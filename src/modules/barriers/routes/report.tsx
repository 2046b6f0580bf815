import type { Hono } from 'hono';
import type { AppEnv } from '../../../core/context.ts';
import { type CsvValue, toCsv, typed } from '../../../core/csv.ts';
import type { Translate } from '../../../core/i18n/index.ts';
import { renderProblem } from '../../../core/web/errors.tsx';
import { DataTable } from '../../../core/web/layout.tsx';
import { inOrganisation } from '../../../core/web/middleware.ts';
import { type BarrierSystem, listSystems, type Report, report, statuses, systemName } from '../barriers.ts';
import { type Bar, BarChart } from '../chart.tsx';
import { type Shown, smallestShown, suppress, suppressOne } from '../figures.ts';
import { type C, monthName, page, Words, w } from '../views.tsx';

interface SystemRow {
  name: string;
  total: Shown;
  open: Shown;
  challenged: Shown;
  changed: Shown;
}

/**
 * The report's figures as they may be shown: exact for the team (who can read every barrier anyway),
 * or with small numbers hidden for the version that leaves the team (print and CSV).
 */
function figures(c: C, systems: BarrierSystem[], data: Report, share: boolean) {
  const language = c.get('language');
  const counts = new Map(data.bySystem.map((row) => [row.systemId, row]));
  const listed = systems.filter((s) => !s.isHidden || counts.has(s.id));
  const raw = listed.map((s) => ({
    name: systemName(s, language),
    ...(counts.get(s.id) ?? { open: 0, challenged: 0, changed: 0, total: 0 }),
  }));
  const grandTotal = raw.reduce((sum, row) => sum + row.total, 0);
  const months = data.byMonth.map((m) => ({ name: monthName(m.month, language), count: m.count }));
  if (!share) {
    return {
      total: grandTotal as Shown,
      systems: raw.map((row): SystemRow => row),
      months: months.map((m) => ({ name: m.name, count: m.count as Shown })),
    };
  }
  const totals = suppress(raw.map((row) => row.total));
  const systemsShown = raw.map((row, index): SystemRow => {
    const total = totals[index]!;
    const parts =
      typeof total === 'number'
        ? suppress(statuses.map((s) => row[s]))
        : // A hidden total must not be found again by adding up its parts.
          statuses.map((s): Shown => (row[s] === 0 ? 0 : total));
    return { name: row.name, total, open: parts[0]!, challenged: parts[1]!, changed: parts[2]! };
  });
  const monthCounts = suppress(months.map((m) => m.count));
  return {
    total: suppressOne(grandTotal),
    systems: systemsShown,
    months: months.map((m, index) => ({ name: m.name, count: monthCounts[index]! })),
  };
}

function say(t: Translate, value: Shown): string {
  if (value === 'small') return t(w('report.fewerThan'), { limit: smallestShown });
  if (value === 'hidden') return t(w('report.notShown'));
  return String(value);
}

const bar = (t: Translate, name: string, value: Shown): Bar => ({
  label: name,
  value: typeof value === 'number' ? value : null,
  text: say(t, value),
});

/** "What gets in the way": barriers by system and by month, and examples in people's own words. */
export function reportRoutes(app: Hono<AppEnv>) {
  app.get('/barriers/report', async (c) => {
    const t = c.get('t');
    if (!c.get('can')('read', 'barrier-report')) return renderProblem(c, 403);
    const share = c.req.query('view') === 'share';
    const { systems, data } = await inOrganisation(c, async (scope) => ({
      systems: await listSystems(scope),
      data: await report(scope),
    }));
    const shown = figures(c, systems, data, share);
    const language = c.get('language');
    const systemById = new Map(systems.map((s) => [s.id, s]));
    return page(
      c,
      {
        title: t(w('report.title')),
        caption: share ? t(w('report.shareCaption')) : t(w('report.teamCaption')),
        back: { href: '/barriers', label: t(w('form.back')) },
      },
      <>
        <p class="govuk-body-l">
          {typeof shown.total === 'number'
            ? t(w('report.total'), { count: shown.total })
            : t(w('report.totalSmall'), { limit: smallestShown })}
        </p>
        <p class="govuk-body">{t(w('report.intro'))}</p>
        <p class="govuk-body">{share ? t(w('report.shareExplain')) : t(w('report.teamExplain'))}</p>
        <ul class="govuk-list">
          <li>
            {share ? (
              <a class="govuk-link" href="/barriers/report">
                {t(w('report.teamLink'))}
              </a>
            ) : (
              <a class="govuk-link" href="/barriers/report?view=share">
                {t(w('report.shareLink'))}
              </a>
            )}
          </li>
          <li>
            <a class="govuk-link" href="/barriers/report.csv" download>
              {t(w('report.csv'))}
            </a>
          </li>
        </ul>
        <p class="govuk-body">{t(w('report.print'))}</p>

        <h2 class="govuk-heading-m">{t(w('report.bySystem'))}</h2>
        <div class="govuk-grid-row">
          <div class="govuk-grid-column-one-third">
            <BarChart
              id="by-system"
              title={t(w('report.bySystem'))}
              description={t(w('report.chartDescription'))}
              bars={shown.systems.map((row) => bar(t, row.name, row.total))}
            />
          </div>
          <div class="govuk-grid-column-two-thirds">
            <DataTable
              caption={t(w('report.bySystemTable'))}
              columns={[
                { label: t(w('report.system')) },
                { label: t(w('report.barriers')), numeric: true },
                ...statuses.map((s) => ({ label: t(w(`status.${s}`)), numeric: true })),
              ]}
              rows={shown.systems.map((row) => [
                row.name,
                say(t, row.total),
                say(t, row.open),
                say(t, row.challenged),
                say(t, row.changed),
              ])}
            />
          </div>
        </div>

        <h2 class="govuk-heading-m">{t(w('report.byMonth'))}</h2>
        <div class="govuk-grid-row">
          <div class="govuk-grid-column-one-third">
            <BarChart
              id="by-month"
              title={t(w('report.byMonth'))}
              description={t(w('report.chartDescription'))}
              bars={shown.months.map((m) => bar(t, m.name, m.count))}
            />
          </div>
          <div class="govuk-grid-column-two-thirds">
            <DataTable
              caption={t(w('report.byMonthTable'))}
              columns={[{ label: t(w('report.month')) }, { label: t(w('report.barriers')), numeric: true }]}
              rows={shown.months.map((m) => [m.name, say(t, m.count)])}
            />
          </div>
        </div>

        <h2 class="govuk-heading-m">{t(w('report.examples'))}</h2>
        <p class="govuk-body">{t(w('report.examplesIntro'))}</p>
        {data.examples.length === 0 ? <p class="govuk-body">{t(w('report.noExamples'))}</p> : null}
        <ul class="alongside-card-list">
          {data.examples.map((example) => (
            <li>
              <p class="govuk-body-s govuk-!-margin-bottom-1">
                {systemName(systemById.get(example.systemId), language)} ·{' '}
                {monthName(example.month, language)}
              </p>
              <Words text={example.whatHappened} />
              {example.effect ? (
                <>
                  <p class="govuk-body-s govuk-!-margin-top-2 govuk-!-margin-bottom-1">
                    {t(w('report.effect'))}
                  </p>
                  <Words text={example.effect} />
                </>
              ) : null}
            </li>
          ))}
        </ul>
      </>,
    );
  });

  // The figures as a spreadsheet: always the version to share, since a file leaves the team.
  app.get('/barriers/report.csv', async (c) => {
    const t = c.get('t');
    if (!c.get('can')('read', 'barrier-report')) return renderProblem(c, 403);
    const { systems, data } = await inOrganisation(c, async (scope) => ({
      systems: await listSystems(scope),
      data: await report(scope, { examples: 0, format: 'csv' }),
    }));
    const shown = figures(c, systems, data, true);
    const cell = (value: Shown): CsvValue => (typeof value === 'number' ? value : say(t, value));
    const rows: CsvValue[][] = [
      ['grouping', 'name', 'barriers', ...statuses].map((k) => t(w(`report.csvColumns.${k}`))),
      ...shown.systems.map((row) => [
        t(w('report.csvColumns.system')),
        // The organisation typed its systems' names.
        typed(row.name),
        cell(row.total),
        cell(row.open),
        cell(row.challenged),
        cell(row.changed),
      ]),
      ...shown.months.map((m) => [t(w('report.csvColumns.month')), m.name, cell(m.count), '', '', '']),
    ];
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header(
      'Content-Disposition',
      `attachment; filename="what-gets-in-the-way-${new Date().toISOString().slice(0, 10)}.csv"`,
    );
    c.header('Cache-Control', 'no-store');
    return c.body(toCsv(rows));
  });
}
