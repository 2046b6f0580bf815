import type { Hono } from 'hono';
import { audit } from '../../../core/audit.ts';
import type { AppEnv } from '../../../core/context.ts';
import { namesOf } from '../../../core/people.ts';
import { renderProblem } from '../../../core/web/errors.tsx';
import { formatDateTime } from '../../../core/web/format.ts';
import {
  Button,
  CsrfField,
  type FieldErrors,
  type FormValues,
  formValues,
  TextInput,
} from '../../../core/web/forms.tsx';
import { DataTable } from '../../../core/web/layout.tsx';
import { inOrganisation } from '../../../core/web/middleware.ts';
import { auditSubject, budgetsOf, defaultPence, saveDefault, waitingRequests } from '../budget.ts';
import { formatPence, penceForInput } from '../money.ts';
import { type C, page, readAmount, requestPath, w } from './shared.tsx';

const pageSize = 25;

/** The leads' list of requests waiting, and the admin's default amount for a new budget. */
export function waitingRoutes(app: Hono<AppEnv>) {
  app.get('/budget/waiting', async (c) => {
    const t = c.get('t');
    if (!c.get('can')('approve', 'personal-budget')) return renderProblem(c, 403);
    const number = Math.min(Math.max(Number.parseInt(c.req.query('page') ?? '0', 10) || 0, 0), 10_000);
    const data = await inOrganisation(c, async (scope) => {
      // One more than a page, to know whether there is a next page; the rest in one query each, not per row.
      const found = await waitingRequests(scope, {
        limit: pageSize + 1,
        offset: number * pageSize,
        reachableBy: c.get('user')!.personId,
      });
      const shown = found.slice(0, pageSize);
      const people = shown.map((r) => r.personId);
      await audit(scope, {
        action: 'read',
        subjectType: auditSubject.waiting,
        detail: { page: number, people: [...new Set(people)] },
      });
      return {
        shown,
        more: found.length > pageSize,
        names: await namesOf(scope, people),
        budgets: await budgetsOf(scope, people),
      };
    });
    const { shown, more, names, budgets } = data;
    const link = (to: number) => (to === 0 ? '/budget/waiting' : `/budget/waiting?page=${to}`);
    return page(
      c,
      { title: t(w('waiting.title')), back: { href: '/budget', label: t(w('home.title')) } },
      <>
        {shown.length === 0 ? (
          <p class="govuk-body">{t(w('waiting.none'))}</p>
        ) : (
          <DataTable
            caption={t(w('waiting.caption'), { count: shown.length })}
            columns={[
              { label: t(w('waiting.person')) },
              { label: t(w('waiting.words')) },
              { label: t(w('waiting.amount')), numeric: true },
              { label: t(w('waiting.free')), numeric: true },
              { label: t(w('waiting.asked')) },
            ]}
            rows={shown.map((request) => {
              const budget = budgets.get(request.personId);
              return [
                names.get(request.personId) ?? '—',
                <a class="govuk-link" href={requestPath(request.id)}>
                  {request.words}
                </a>,
                formatPence(request.amountPence),
                budget ? formatPence(budget.balancePence - budget.approvedPence) : '—',
                formatDateTime(request.askedAt, c.get('language')),
              ];
            })}
          />
        )}
        {number > 0 || more ? (
          <nav class="govuk-pagination" aria-label={t(w('waiting.pages'))}>
            {number > 0 ? (
              <p class="govuk-body">
                <a class="govuk-link" href={link(number - 1)} rel="prev">
                  {t(w('waiting.previous'))}
                </a>
              </p>
            ) : null}
            {more ? (
              <p class="govuk-body">
                <a class="govuk-link" href={link(number + 1)} rel="next">
                  {t(w('waiting.next'))}
                </a>
              </p>
            ) : null}
          </nav>
        ) : null}
      </>,
    );
  });

  const settingsPage = async (c: C, values?: FormValues, errors: FieldErrors = {}) => {
    const t = c.get('t');
    if (!c.get('can')('manage', 'personal-budget-settings')) return renderProblem(c, 403);
    const current = await inOrganisation(c, (scope) => defaultPence(scope));
    const shown = values ?? { amount: current === null ? '' : penceForInput(current) };
    return page(
      c,
      {
        title: t(w('settings.title')),
        errors,
        narrow: true,
        back: { href: '/budget', label: t(w('home.title')) },
      },
      <form method="post" action="/budget/settings" novalidate>
        <CsrfField c={c} />
        <p class="govuk-body">
          {current === null
            ? t(w('settings.notSet'))
            : t(w('settings.current'), { amount: formatPence(current) })}
        </p>
        <TextInput
          name="amount"
          label={t(w('settings.amount'))}
          hint={t(w('settings.amountHint'))}
          width="10"
          values={shown}
          errors={errors}
          t={t}
        />
        <Button>{t(w('settings.save'))}</Button>
      </form>,
    );
  };
  app.get('/budget/settings', (c) => settingsPage(c));
  app.post('/budget/settings', async (c) => {
    const values = await formValues(c);
    if (!c.get('can')('manage', 'personal-budget-settings')) return renderProblem(c, 403);
    const errors: FieldErrors = {};
    const pence = readAmount(c.get('t'), values.amount, 'amount', errors, { allowZero: true });
    if (pence === null) return settingsPage(c, values, errors);
    await inOrganisation(c, (scope) => saveDefault(scope, pence));
    return c.redirect('/budget/settings?done=saved', 303);
  });
}
