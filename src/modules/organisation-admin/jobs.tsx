import type { Context, Hono } from 'hono';
import { audit } from '../../core/audit.ts';
import type { AppEnv } from '../../core/context.ts';
import {
  coreJobKinds,
  findJob,
  type JobLine,
  type JobState,
  jobStates,
  jobsOf,
  tryJobAgain,
} from '../../core/jobs.ts';
import { notificationJobKinds } from '../../core/notifications.ts';
import { renderProblem } from '../../core/web/errors.tsx';
import { formatDateTime } from '../../core/web/format.ts';
import { Button, CsrfField } from '../../core/web/forms.tsx';
import { Notice, PreviousNextPages, renderPage, Summary } from '../../core/web/layout.tsx';
import { inOrganisation } from '../../core/web/middleware.ts';

const w = (key: string) => `organisation-admin.${key}`;
const pageSize = 25;
const tagClass: Record<JobState, string> = {
  waiting: 'govuk-tag govuk-tag--grey',
  running: 'govuk-tag govuk-tag--blue',
  failed: 'govuk-tag govuk-tag--red',
  done: 'govuk-tag govuk-tag--green',
};

function kindWords(c: Context<AppEnv>, kind: string): string {
  const known = [
    ...coreJobKinds,
    ...notificationJobKinds,
    ...c.get('services').modules.flatMap((module) => module.jobs ?? []),
  ].find((k) => k.kind === kind);
  return known ? c.get('t')(known.label) : kind;
}

function JobFacts({ c, job }: { c: Context<AppEnv>; job: JobLine }) {
  const t = c.get('t');
  const language = c.get('language');
  return (
    <>
      <p class="govuk-body govuk-!-margin-bottom-1">
        <strong class={tagClass[job.state]}>{t(w(`jobs.states.${job.state}`))}</strong>{' '}
        {t(w('jobs.attempts'), { count: job.attempts })} · {formatDateTime(job.createdAt, language)}
      </p>
      {job.progressTotal ? (
        <p class="govuk-body govuk-!-margin-bottom-1">
          {t(w('jobs.progress'), { done: job.progressDone ?? 0, total: job.progressTotal })}
        </p>
      ) : null}
      {job.state !== 'done' && job.lastError ? (
        <p class="govuk-body govuk-!-margin-bottom-1">
          {t(w('jobs.error'))}: {job.lastError}
        </p>
      ) : null}
    </>
  );
}

function TryAgain({ c, job }: { c: Context<AppEnv>; job: JobLine }) {
  if (job.state !== 'failed') return null;
  return (
    <form method="post" action={`/admin/jobs/${job.id}/try-again`}>
      <CsrfField c={c} />
      <Button secondary>{c.get('t')(w('jobs.tryAgain'))}</Button>
    </form>
  );
}

export function jobRoutes(app: Hono<AppEnv>) {
  app.get('/admin/jobs', async (c) => {
    const t = c.get('t');
    const chosen = c.req.query('state') ?? '';
    const state = (jobStates as readonly string[]).includes(chosen) ? (chosen as JobState) : undefined;
    const page = Math.max(1, Math.min(10_000, Number.parseInt(c.req.query('page') ?? '1', 10) || 1));
    const { jobs, more } = await inOrganisation(c, (scope) => jobsOf(scope, { state, page, size: pageSize }));
    const link = (to: number) =>
      `/admin/jobs?${new URLSearchParams({ ...(state ? { state } : {}), page: String(to) })}`;
    return renderPage(
      c,
      { title: t(w('jobs.title')) },
      <>
        <Notice text={c.req.query('done') ? t(w('jobs.triedAgain')) : null} />
        <h1 class="govuk-heading-l">{t(w('jobs.title'))}</h1>
        <p class="govuk-body">{t(w('jobs.intro'))}</p>
        <form method="get" action="/admin/jobs">
          <div class="govuk-form-group">
            <label class="govuk-label" for="state">
              {t(w('jobs.show'))}
            </label>
            <select class="govuk-select" id="state" name="state">
              <option value="">{t(w('jobs.allStates'))}</option>
              {jobStates.map((value) => (
                <option value={value} selected={value === state}>
                  {t(w(`jobs.states.${value}`))}
                </option>
              ))}
            </select>
          </div>
          <Button secondary>{t(w('jobs.filter'))}</Button>
        </form>
        {jobs.length === 0 ? <p class="govuk-body">{t(w('jobs.none'))}</p> : null}
        <ul class="govuk-list alongside-card-list">
          {jobs.map((job) => (
            <li>
              <h2 class="govuk-heading-s govuk-!-margin-bottom-1">
                <a class="govuk-link" href={`/admin/jobs/${job.id}`}>
                  {kindWords(c, job.kind)}
                </a>
              </h2>
              <JobFacts c={c} job={job} />
              <TryAgain c={c} job={job} />
            </li>
          ))}
        </ul>
        <PreviousNextPages
          label={t(w('jobs.pages'))}
          previous={page > 1 ? { href: link(page - 1), label: t(w('jobs.newer')) } : null}
          next={more ? { href: link(page + 1), label: t(w('jobs.older')) } : null}
        />
      </>,
    );
  });

  // A job under way refreshes itself every five seconds (no script), and says so with a link too.
  app.get('/admin/jobs/:jobId', async (c) => {
    const t = c.get('t');
    const job = await inOrganisation(c, (scope) => findJob(scope, c.req.param('jobId')));
    if (!job) return renderProblem(c, 404);
    const language = c.get('language');
    const underWay = job.state === 'waiting' || job.state === 'running';
    return renderPage(
      c,
      { title: kindWords(c, job.kind), refreshSeconds: underWay ? 5 : undefined },
      <>
        <h1 class="govuk-heading-l">{kindWords(c, job.kind)}</h1>
        <JobFacts c={c} job={job} />
        <Summary
          rows={[
            [t(w('jobs.runAt')), formatDateTime(job.runAt, language)],
            [t(w('jobs.finishedAt')), job.finishedAt ? formatDateTime(job.finishedAt, language) : '–'],
          ]}
        />
        {underWay ? (
          <p class="govuk-body">
            {t(w('jobs.refreshing'))}{' '}
            <a class="govuk-link" href={`/admin/jobs/${job.id}`}>
              {t(w('jobs.refresh'))}
            </a>
          </p>
        ) : null}
        <TryAgain c={c} job={job} />
        <p class="govuk-body">
          <a class="govuk-link" href="/admin/jobs">
            {t(w('jobs.back'))}
          </a>
        </p>
      </>,
    );
  });

  app.post('/admin/jobs/:jobId/try-again', async (c) => {
    const jobId = c.req.param('jobId');
    const done = await inOrganisation(c, async (scope) => {
      const again = await tryJobAgain(scope, jobId);
      if (again)
        await audit(scope, {
          action: 'update',
          subjectType: 'job',
          subjectId: jobId,
          detail: { tryAgain: true },
        });
      return again;
    });
    if (!done) return renderProblem(c, 404);
    return c.redirect('/admin/jobs?done=1', 303);
  });
}
