import type { Context, Hono } from 'hono';
import { audit } from '../../../core/audit.ts';
import type { AppEnv } from '../../../core/context.ts';
import type { Scope } from '../../../core/database/tenancy.ts';
import type { Language, Translate } from '../../../core/i18n/index.ts';
import {
  lastWholeMonths,
  monthNow,
  periodOf,
  previousMonth,
  type StatisticPeriod,
} from '../../../core/periods.ts';
import type { Audience } from '../../../core/small-numbers.ts';
import { renderProblem } from '../../../core/web/errors.tsx';
import { ErrorSummary, type FieldErrors, Radios, Select } from '../../../core/web/forms.tsx';
import { renderPage } from '../../../core/web/layout.tsx';
import { inOrganisation } from '../../../core/web/middleware.ts';
import { reportCsv, reportPdf } from '../downloads.ts';
import { monthName, w } from '../format.ts';
import { impactReport, organisationNameOf } from '../report.ts';
import { auditSubject } from '../settings.ts';
import { reportStories } from '../stories.ts';
import { periodText, ReportBody } from '../views.tsx';

type C = Context<AppEnv>;

/** Longest period one report covers: three years, so a page never grows without end. */
export const longestPeriodMonths = 36;
/** How far back the month lists reach. */
const monthsOffered = 72;

/** The months a period may start or end in, newest first: whole months before the one under way. */
export function offeredMonths(now = new Date()): string[] {
  const months: string[] = [];
  let month = previousMonth(monthNow(now));
  for (let i = 0; i < monthsOffered; i++) {
    months.push(month);
    month = previousMonth(month);
  }
  return months;
}

/** Reads `from` and `to` from the address; the last twelve whole months when neither is given. */
export function readPeriod(
  query: { from?: string; to?: string },
  t: Translate,
): { period: StatisticPeriod | null; errors: FieldErrors; values: Record<string, string> } {
  if (!query.from && !query.to) {
    const period = lastWholeMonths(12);
    return { period, errors: {}, values: { from: period.months[0]!, to: period.months.at(-1)! } };
  }
  const values = { from: query.from ?? '', to: query.to ?? '' };
  const offered = new Set(offeredMonths());
  const errors: FieldErrors = {};
  if (!offered.has(values.from)) errors.from = t(w('errors.month'));
  if (!offered.has(values.to)) errors.to = t(w('errors.month'));
  if (Object.keys(errors).length > 0) return { period: null, errors, values };
  const period = periodOf(values.from, values.to);
  if (!period) return { period: null, errors: { to: t(w('errors.order')) }, values };
  if (period.months.length > longestPeriodMonths)
    return { period: null, errors: { to: t(w('errors.tooLong'), { months: longestPeriodMonths }) }, values };
  return { period, errors: {}, values };
}

/** The team sees exact figures unless it asks to see the version shared outside; a funder never does. */
function audienceOf(c: C): Audience {
  const insideTeam = c.get('can')('read', 'impact-exact');
  return insideTeam && c.req.query('view') !== 'outside' ? 'team' : 'outside';
}

/** Gathers the report, its stories and the organisation's name, and audits the reading once. */
export async function gatherReport(
  c: C,
  scope: Scope,
  period: StatisticPeriod,
  audience: Audience,
  how: 'page' | 'csv' | 'pdf' | 'share',
) {
  const t = c.get('t');
  const language = c.get('language');
  const report = await impactReport(c.get('services'), scope, period, audience, t);
  const stories = await reportStories(c.get('services'), scope, audience, t);
  const organisationName = await organisationNameOf(scope, language);
  await audit(scope, {
    action: 'read',
    subjectType: auditSubject.report,
    detail: { from: period.months[0]!, to: period.months.at(-1)!, audience, how },
  });
  return { report, stories, organisationName };
}

function monthOptions(language: Language) {
  return offeredMonths().map((month) => ({ value: month, label: monthName(month, language) }));
}

export function reportRoutes(app: Hono<AppEnv>) {
  const mayRead = async (c: C, next: () => Promise<void>) => {
    if (!c.get('user')) return c.redirect(`/sign-in?next=${encodeURIComponent(c.req.path)}`, 303);
    if (!c.get('can')('read', 'impact-report')) return renderProblem(c, 403);
    await next();
  };
  app.use('/impact', mayRead);
  app.use('/impact/report.csv', mayRead);
  app.use('/impact/report.pdf', mayRead);

  app.get('/impact', async (c) => {
    const t = c.get('t');
    const language = c.get('language');
    const can = c.get('can');
    const { period, errors, values } = readPeriod(c.req.query(), t);
    const audience = audienceOf(c);
    const gathered = period
      ? await inOrganisation(c, (scope) => gatherReport(c, scope, period, audience, 'page'))
      : null;
    const query = new URLSearchParams({ ...values, ...(audience === 'outside' ? { view: 'outside' } : {}) });
    const options = monthOptions(language);
    const insideTeam = can('read', 'impact-exact');
    return renderPage(
      c,
      { title: t(w('title')), hasErrors: !period, status: period ? 200 : 400 },
      <>
        <ErrorSummary errors={errors} t={t} />
        <span class="govuk-caption-l">{c.get('user')!.organisationName}</span>
        <h1 class="govuk-heading-l">{t(w('title'))}</h1>
        <p class="govuk-body">{t(w('intro'))}</p>
        <form method="get" action="/impact" class="impact-period no-print" novalidate>
          <div class="govuk-grid-row">
            <div class="govuk-grid-column-one-half">
              <Select
                name="from"
                label={t(w('period.from'))}
                options={options}
                values={values}
                errors={errors}
                t={t}
              />
            </div>
            <div class="govuk-grid-column-one-half">
              <Select
                name="to"
                label={t(w('period.to'))}
                options={options}
                values={values}
                errors={errors}
                t={t}
              />
            </div>
          </div>
          {insideTeam ? (
            <Radios
              name="view"
              legend={t(w('view.legend'))}
              hint={t(w('view.hint'))}
              options={[
                { value: 'team', label: t(w('view.team')) },
                { value: 'outside', label: t(w('view.outside')) },
              ]}
              values={{ view: audience === 'outside' ? 'outside' : 'team' }}
              t={t}
            />
          ) : null}
          <button type="submit" class="govuk-button govuk-button--secondary">
            {t(w('period.show'))}
          </button>
        </form>
        {gathered && period ? (
          <>
            <h2 class="govuk-heading-m">{periodText(gathered.report, t, language)}</h2>
            <ul class="govuk-list no-print">
              <li>
                <a class="govuk-link" href={`/impact/report.pdf?${query}`} download>
                  {t(w('downloads.pdf'))}
                </a>
              </li>
              <li>
                <a class="govuk-link" href={`/impact/report.csv?${query}`} download>
                  {t(w('downloads.csv'))}
                </a>
              </li>
              {can('manage', 'impact-share') ? (
                <li>
                  <a class="govuk-link" href="/impact/shares">
                    {t(w('downloads.shares'))}
                  </a>
                </li>
              ) : null}
              {can('manage', 'impact-settings') ? (
                <li>
                  <a class="govuk-link" href="/impact/settings">
                    {t(w('downloads.settings'))}
                  </a>
                </li>
              ) : null}
            </ul>
            <ReportBody
              report={gathered.report}
              t={t}
              language={language}
              stories={gathered.stories}
              storiesAudience={t(w(audience === 'outside' ? 'storiesPublic' : 'storiesAudience'))}
            />
          </>
        ) : null}
      </>,
    );
  });

  for (const kind of ['csv', 'pdf'] as const) {
    app.get(`/impact/report.${kind}`, async (c) => {
      const t = c.get('t');
      const { period } = readPeriod(c.req.query(), t);
      if (!period) return renderProblem(c, 400, w('errors.download'));
      const audience = audienceOf(c);
      const gathered = await inOrganisation(c, (scope) => gatherReport(c, scope, period, audience, kind));
      return sendReport(c, kind, gathered, period);
    });
  }
}

/** The report as a download, named for its period. */
export async function sendReport(
  c: C,
  kind: 'csv' | 'pdf',
  gathered: Awaited<ReturnType<typeof gatherReport>>,
  period: StatisticPeriod,
) {
  const t = c.get('t');
  const language = c.get('language');
  const name = `impact-${period.months[0]}-to-${period.months.at(-1)}.${kind}`;
  c.header('Cache-Control', 'no-store');
  c.header('Content-Disposition', `attachment; filename="${name}"`);
  if (kind === 'csv') {
    c.header('Content-Type', 'text/csv; charset=utf-8');
    return c.body(reportCsv(gathered.report, t, language));
  }
  const pdf = await reportPdf(gathered.report, {
    t,
    language,
    organisationName: gathered.organisationName,
    stories: gathered.stories,
  });
  c.header('Content-Type', 'application/pdf');
  return c.body(new Uint8Array(pdf));
}
