import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../../core/context.ts';
import { withOrganisation } from '../../../core/database/tenancy.ts';
import { periodOf } from '../../../core/periods.ts';
import { isUuid } from '../../../core/tokens.ts';
import { renderProblem } from '../../../core/web/errors.tsx';
import { formatDate, formatDateTime } from '../../../core/web/format.ts';
import {
  Button,
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  type FormValues,
  parseForm,
  requiredText,
  Select,
  TextInput,
} from '../../../core/web/forms.tsx';
import { DataTable, Notice, PreviousNextPages, renderPage } from '../../../core/web/layout.tsx';
import { inOrganisation } from '../../../core/web/middleware.ts';
import { monthName, w } from '../format.ts';
import { findShare, listShares, makeShare, recordOpening, revokeShare } from '../shares.ts';
import { periodText, ReportBody } from '../views.tsx';
import { gatherReport, longestPeriodMonths, offeredMonths, sendReport } from './report.tsx';

type C = Context<AppEnv>;

const pageSize = 20;
/** A share link lasts at most three months: long enough for a funding round, short enough to be forgotten safely. */
const longestDays = 90;

const shareSchema = z.object({
  label: requiredText(200),
  from: z.string().min(1, 'impact.errors.month'),
  to: z.string().min(1, 'impact.errors.month'),
  days: z.coerce
    .number({ error: 'impact.errors.days' })
    .int('impact.errors.days')
    .min(1, 'impact.errors.days')
    .max(longestDays, 'impact.errors.days'),
});

async function sharesPage(c: C, form: { values?: FormValues; errors?: FieldErrors; made?: string } = {}) {
  const t = c.get('t');
  const language = c.get('language');
  const pageNumber = Math.max(1, Math.min(1000, Number.parseInt(c.req.query('page') ?? '1', 10) || 1));
  const shares = await inOrganisation(c, (scope) =>
    listShares(scope, pageSize + 1, (pageNumber - 1) * pageSize),
  );
  const now = new Date();
  const options = offeredMonths().map((month) => ({ value: month, label: monthName(month, language) }));
  const values = form.values ?? { days: '30', from: options[11]?.value ?? '', to: options[0]?.value ?? '' };
  const errors = form.errors ?? {};
  const origin = new URL(c.req.url).origin;
  const status = (share: (typeof shares)[number]) =>
    share.revokedAt
      ? t(w('shares.revoked'), { when: formatDateTime(share.revokedAt, language) })
      : share.expiresAt <= now
        ? t(w('shares.expired'))
        : t(w('shares.open'), { when: formatDate(share.expiresAt, language) });
  return renderPage(
    c,
    {
      title: t(w('shares.title')),
      narrow: true,
      hasErrors: Object.keys(errors).length > 0,
      status: Object.keys(errors).length > 0 ? 400 : 200,
    },
    <>
      <ErrorSummary errors={errors} t={t} />
      <Notice text={c.req.query('done') === 'revoked' ? t(w('shares.revokedNotice')) : null} />
      <p class="govuk-body">
        <a class="govuk-link" href="/impact">
          {t(w('back'))}
        </a>
      </p>
      <h1 class="govuk-heading-l">{t(w('shares.title'))}</h1>
      <p class="govuk-body">{t(w('shares.intro'))}</p>
      {form.made ? (
        <div class="govuk-panel govuk-panel--confirmation" role="status">
          <h2 class="govuk-panel__title">{t(w('shares.madeTitle'))}</h2>
          <div class="govuk-panel__body">
            <p class="govuk-body">{t(w('shares.madeBody'))}</p>
            <p class="govuk-body alongside-secret">
              <code id="share-link">{`${origin}/impact/shared/${form.made}`}</code>
            </p>
          </div>
        </div>
      ) : null}
      {shares.length > 0 ? (
        <DataTable
          caption={t(w('shares.caption'))}
          columns={[
            { label: t(w('shares.label')) },
            { label: t(w('shares.period')) },
            { label: t(w('shares.status')) },
            { label: t(w('shares.opened')), numeric: true },
            { label: t(w('settings.action')) },
          ]}
          rows={shares.slice(0, pageSize).map((share) => [
            share.label,
            t(w('period.text'), {
              from: monthName(share.firstMonth, language),
              to: monthName(share.lastMonth, language),
            }),
            status(share),
            String(share.openedCount),
            share.revokedAt || share.expiresAt <= now ? (
              ''
            ) : (
              <form method="post" action={`/impact/shares/${share.id}/revoke`}>
                <CsrfField c={c} />
                <button type="submit" class="govuk-button govuk-button--warning govuk-!-margin-bottom-0">
                  {t(w('shares.revoke'))}
                  <span class="govuk-visually-hidden"> {share.label}</span>
                </button>
              </form>
            ),
          ])}
        />
      ) : (
        <p class="govuk-body">{t(w('shares.none'))}</p>
      )}
      <PreviousNextPages
        label={t(w('shares.pages'))}
        previous={
          pageNumber > 1
            ? { href: `/impact/shares?page=${pageNumber - 1}`, label: t(w('shares.newer')) }
            : null
        }
        next={
          shares.length > pageSize
            ? { href: `/impact/shares?page=${pageNumber + 1}`, label: t(w('shares.older')) }
            : null
        }
      />
      <h2 class="govuk-heading-m">{t(w('shares.makeHeading'))}</h2>
      <form method="post" action="/impact/shares" novalidate>
        <CsrfField c={c} />
        <TextInput
          name="label"
          label={t(w('shares.label'))}
          hint={t(w('shares.labelHint'))}
          values={values}
          errors={errors}
          t={t}
        />
        <Select
          name="from"
          label={t(w('period.from'))}
          options={options}
          values={values}
          errors={errors}
          t={t}
        />
        <Select name="to" label={t(w('period.to'))} options={options} values={values} errors={errors} t={t} />
        <TextInput
          name="days"
          label={t(w('shares.days'))}
          hint={t(w('shares.daysHint'), { most: longestDays })}
          width="10"
          values={values}
          errors={errors}
          t={t}
        />
        <Button>{t(w('shares.make'))}</Button>
      </form>
    </>,
  );
}

export function shareRoutes(app: Hono<AppEnv>) {
  const mayShare = async (c: C, next: () => Promise<void>) => {
    if (!c.get('user')) return c.redirect(`/sign-in?next=${encodeURIComponent(c.req.path)}`, 303);
    if (!c.get('can')('manage', 'impact-share')) return renderProblem(c, 403);
    await next();
  };
  app.use('/impact/shares', mayShare);
  app.use('/impact/shares/*', mayShare);

  app.get('/impact/shares', (c) => sharesPage(c));

  app.post('/impact/shares', async (c) => {
    const t = c.get('t');
    const parsed = await parseForm(c, shareSchema);
    const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
    const offered = new Set(offeredMonths());
    const values = parsed.values;
    if (!errors.from && !offered.has(values.from ?? '')) errors.from = t(w('errors.month'));
    if (!errors.to && !offered.has(values.to ?? '')) errors.to = t(w('errors.month'));
    const period = errors.from || errors.to ? null : periodOf(values.from!, values.to!);
    if (!errors.from && !errors.to && !period) errors.to = t(w('errors.order'));
    if (period && period.months.length > longestPeriodMonths)
      errors.to = t(w('errors.tooLong'), { months: longestPeriodMonths });
    if (!parsed.ok || Object.keys(errors).length > 0 || !period) return sharesPage(c, { values, errors });
    const { config } = c.get('services');
    const made = await inOrganisation(c, (scope) =>
      makeShare(scope, config.secretKey, {
        label: parsed.data.label,
        firstMonth: period.months[0]!,
        lastMonth: period.months.at(-1)!,
        days: parsed.data.days,
      }),
    );
    // The secret is shown once, on this answer, and never kept: a reload cannot show it again.
    return sharesPage(c, { made: made.token });
  });

  app.post('/impact/shares/:shareId/revoke', async (c) => {
    const shareId = c.req.param('shareId');
    if (!isUuid(shareId)) return renderProblem(c, 404);
    const revoked = await inOrganisation(c, (scope) => revokeShare(scope, shareId));
    if (!revoked) return renderProblem(c, 404);
    return c.redirect('/impact/shares?done=revoked', 303);
  });

  // What a funder opens without signing in: the shared version for the link's fixed period.
  const opened = async (c: C) => {
    const { database, config } = c.get('services');
    const share = await findShare(database, config.secretKey, c.req.param('token') ?? '');
    if (!share) return null;
    const period = periodOf(share.firstMonth, share.lastMonth)!;
    const gathered = await withOrganisation(
      database,
      { organisationId: share.organisationId, actorPersonId: null, requestId: c.get('requestId') },
      async (scope) => {
        await recordOpening(scope, share.id);
        return gatherReport(c, scope, period, 'outside', 'share');
      },
    );
    return { share, period, gathered };
  };

  app.get('/impact/shared/:token', async (c) => {
    const t = c.get('t');
    const language = c.get('language');
    const found = await opened(c);
    if (!found) return renderProblem(c, 404, w('shares.gone'));
    c.header('X-Robots-Tag', 'noindex');
    c.header('Referrer-Policy', 'no-referrer');
    const { gathered } = found;
    return renderPage(
      c,
      { title: t(w('title')) },
      <>
        <span class="govuk-caption-l">{gathered.organisationName}</span>
        <h1 class="govuk-heading-l">{t(w('title'))}</h1>
        <h2 class="govuk-heading-m">{periodText(gathered.report, t, language)}</h2>
        <p class="govuk-body">{t(w('shares.forYou'), { label: found.share.label })}</p>
        <ul class="govuk-list no-print">
          <li>
            <a class="govuk-link" href={`/impact/shared/${c.req.param('token')}/report.pdf`} download>
              {t(w('downloads.pdf'))}
            </a>
          </li>
          <li>
            <a class="govuk-link" href={`/impact/shared/${c.req.param('token')}/report.csv`} download>
              {t(w('downloads.csv'))}
            </a>
          </li>
        </ul>
        <ReportBody
          report={gathered.report}
          t={t}
          language={language}
          stories={gathered.stories}
          storiesAudience={t(w('storiesPublic'))}
        />
      </>,
    );
  });

  for (const kind of ['csv', 'pdf'] as const)
    app.get(`/impact/shared/:token/report.${kind}`, async (c) => {
      const found = await opened(c);
      if (!found) return renderProblem(c, 404, w('shares.gone'));
      return sendReport(c, kind, found.gathered, found.period);
    });
}
