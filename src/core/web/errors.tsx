import type { Context } from 'hono';
import type { AppEnv } from '../context.ts';
import { renderPage } from './layout.tsx';

type ProblemStatus = 400 | 403 | 404 | 409 | 413 | 429 | 500 | 503;

const problemKeys: Record<ProblemStatus, string> = {
  400: 'problems.badRequest',
  403: 'problems.forbidden',
  404: 'problems.notFound',
  409: 'problems.conflict',
  413: 'problems.tooLarge',
  429: 'problems.tooMany',
  500: 'problems.serverError',
  503: 'problems.busy',
};

/** A kind page for anything that went wrong: what happened, what to do next, never a stack trace. */
export function renderProblem(c: Context<AppEnv>, status: ProblemStatus, detailKey?: string) {
  const t = c.get('t');
  const key = problemKeys[status];
  return renderPage(
    c,
    { title: t(`${key}.title`), status, narrow: true },
    <>
      <h1 class="govuk-heading-l">{t(`${key}.title`)}</h1>
      <p class="govuk-body">{t(detailKey ?? `${key}.body`)}</p>
      {status === 500 ? (
        <p class="govuk-body">{t('problems.reference', { reference: c.get('requestId') })}</p>
      ) : null}
      <p class="govuk-body">
        <a class="govuk-link" href="/">
          {t('problems.home')}
        </a>
      </p>
    </>,
  );
}
