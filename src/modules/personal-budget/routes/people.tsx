import type { Hono } from 'hono';
import { audit } from '../../../core/audit.ts';
import type { AppEnv } from '../../../core/context.ts';
import { listPeople, namesOf } from '../../../core/people.ts';
import { renderProblem } from '../../../core/web/errors.tsx';
import { formatDateTime } from '../../../core/web/format.ts';
import {
  Button,
  CsrfField,
  type FieldErrors,
  type FormValues,
  formValues,
  TextArea,
  TextInput,
} from '../../../core/web/forms.tsx';
import { DataTable, LinkList } from '../../../core/web/layout.tsx';
import { inOrganisation } from '../../../core/web/middleware.ts';
import { goalsOf } from '../../coaching/goals.ts';
import {
  auditSubject,
  type BudgetRequest,
  budgetsOf,
  correctEntry,
  defaultPence,
  findBudget,
  type LedgerLine,
  ledgerOf,
  openBudget,
  requestsOf,
  topUp,
} from '../budget.ts';
import { formatPence, penceForInput } from '../money.ts';
import {
  budgetPath,
  type C,
  explain,
  page,
  personHere,
  readAmount,
  readWords,
  requestPath,
  rights,
  StatusTag,
  w,
} from './shared.tsx';

/** The budget home, a person's budget (balance, requests, ledger), and what leads do to a budget. */
export function peopleRoutes(app: Hono<AppEnv>) {
  app.get('/budget', async (c) => {
    const t = c.get('t');
    const user = c.get('user')!;
    const can = c.get('can');
    const seesOthers = can('read', 'personal-budget');
    // Someone who sees only their own budget goes straight to it.
    if (!seesOthers && can('read', 'personal-budget', { personId: user.personId }))
      return c.redirect(budgetPath(user.personId), 303);
    const people = seesOthers
      ? await inOrganisation(c, async (scope) => {
          const found = await listPeople(scope, { role: 'person', limit: 200, reachableBy: user.personId });
          const budgets = await budgetsOf(
            scope,
            found.map((p) => p.id),
          );
          return found.map((p) => ({ ...p, budget: budgets.get(p.id) ?? null }));
        })
      : [];
    const lead = can('approve', 'personal-budget');
    return page(
      c,
      { title: t(w('home.title')) },
      <>
        <p class="govuk-body">{t(w('home.intro'))}</p>
        <LinkList
          links={[
            ...(lead ? [{ href: '/budget/waiting', label: t(w('home.waiting')) }] : []),
            ...(can('manage', 'personal-budget-settings')
              ? [{ href: '/budget/settings', label: t(w('home.settings')) }]
              : []),
          ]}
        />
        {seesOthers ? (
          <DataTable
            caption={t(w('home.people'))}
            captionSize="m"
            columns={[{ label: t(w('home.name')) }, { label: t(w('home.left')), numeric: true }]}
            rows={people.map((p) => [
              <a class="govuk-link" href={budgetPath(p.id)}>
                {p.calledName}
              </a>,
              p.budget ? formatPence(p.budget.balancePence) : t(w('home.notOpen')),
            ])}
          />
        ) : null}
      </>,
    );
  });

  const budgetPage = async (c: C, values: FormValues = {}, errors: FieldErrors = {}) => {
    const t = c.get('t');
    const language = c.get('language');
    const personId = c.req.param('personId') ?? '';
    const data = await inOrganisation(c, async (scope) => {
      const person = await personHere(c, scope, personId);
      if (!person) return null;
      const may = rights(c, person.id);
      if (!may.read) return { refused: true as const };
      const budget = await findBudget(scope, person.id);
      const requests = budget ? await requestsOf(scope, budget.id) : [];
      const ledger = budget ? await ledgerOf(scope, budget.id) : [];
      const goals = new Map((await goalsOf(scope, person.id)).map((goal) => [goal.id, goal.words]));
      await audit(scope, {
        action: 'read',
        subjectType: auditSubject.budget,
        subjectId: budget?.id ?? null,
        subjectPersonId: person.id,
      });
      const names = await namesOf(scope, [
        ...requests.flatMap((r) => (r.askedBy ? [r.askedBy] : [])),
        ...ledger.flatMap((e) => (e.recordedBy ? [e.recordedBy] : [])),
      ]);
      return {
        person,
        may,
        budget,
        requests,
        ledger,
        goals,
        names,
        preset: may.lead && !budget ? await defaultPence(scope) : null,
      };
    });
    if (!data) return renderProblem(c, 404);
    if ('refused' in data) return renderProblem(c, 403);
    const { person, may, budget, requests, ledger, goals, names, preset } = data;
    const title = may.own ? t(w('budget.mine')) : t(w('budget.theirs'), { name: person.calledName });
    return page(
      c,
      {
        title,
        errors,
        back: may.own && !may.lead ? undefined : { href: '/budget', label: t(w('home.title')) },
      },
      budget ? (
        <>
          <p class="govuk-body-l">
            {t(w('budget.left'))} <strong>{formatPence(budget.balancePence)}</strong>
          </p>
          {budget.approvedPence > 0 ? (
            <p class="govuk-body">
              {t(w('budget.approved'), { amount: formatPence(budget.approvedPence) })}{' '}
              {t(w('budget.free'), { amount: formatPence(budget.balancePence - budget.approvedPence) })}
            </p>
          ) : null}
          {may.ask ? (
            <p class="govuk-body">
              <a class="govuk-button" href={budgetPath(person.id, '/ask')}>
                {t(w('budget.ask'))}
              </a>
            </p>
          ) : null}
          <h2 class="govuk-heading-m">{t(w('budget.requests'))}</h2>
          {requests.length === 0 ? <p class="govuk-body">{t(w('budget.noRequests'))}</p> : null}
          <ul class="alongside-card-list">
            {requests.map((request) => (
              <RequestCard c={c} request={request} goals={goals} names={names} personId={person.id} />
            ))}
          </ul>
          <DataTable
            caption={t(w('ledger.caption'))}
            captionSize="m"
            columns={[
              { label: t(w('ledger.when')) },
              { label: t(w('ledger.what')) },
              { label: t(w('ledger.amount')), numeric: true },
              { label: t(w('ledger.after')), numeric: true },
            ]}
            rows={ledger.map((line) => [
              formatDateTime(line.createdAt, language),
              <LedgerWords c={c} line={line} personId={person.id} lead={may.lead} names={names} />,
              formatPence(line.pence, { signed: true }),
              formatPence(line.balanceAfter),
            ])}
          />
          {may.lead ? (
            <form method="post" action={budgetPath(person.id, '/top-up')} novalidate>
              <CsrfField c={c} />
              <h2 class="govuk-heading-m">{t(w('topUp.title'))}</h2>
              <TextInput
                name="amount"
                label={t(w('topUp.amount'))}
                hint={t(w('form.amountHint'))}
                width="10"
                values={values}
                errors={errors}
                t={t}
              />
              <TextArea name="words" label={t(w('topUp.words'))} values={values} errors={errors} t={t} />
              <Button secondary>{t(w('topUp.button'))}</Button>
            </form>
          ) : null}
        </>
      ) : may.lead ? (
        <form method="post" action={budgetPath(person.id, '/open')} novalidate>
          <CsrfField c={c} />
          <p class="govuk-body">{t(w('open.intro'), { name: person.calledName })}</p>
          <TextInput
            name="amount"
            label={t(w('open.amount'))}
            hint={
              preset === null ? t(w('open.noDefault')) : t(w('open.default'), { amount: formatPence(preset) })
            }
            width="10"
            values={{ amount: preset === null ? '' : penceForInput(preset), ...values }}
            errors={errors}
            t={t}
          />
          <TextArea name="words" label={t(w('open.words'))} values={values} errors={errors} t={t} />
          <Button>{t(w('open.button'))}</Button>
        </form>
      ) : (
        <p class="govuk-body">{may.own ? t(w('budget.noneYou')) : t(w('budget.none'))}</p>
      ),
    );
  };
  app.get('/budget/people/:personId', (c) => budgetPage(c));

  app.post('/budget/people/:personId/open', async (c) => {
    const t = c.get('t');
    const values = await formValues(c);
    if (!c.get('can')('open', 'personal-budget')) return renderProblem(c, 403);
    const errors: FieldErrors = {};
    const pence = readAmount(t, values.amount, 'amount', errors, { allowZero: true });
    const words = readWords(t, values.words, 'words', errors);
    if (pence === null || Object.keys(errors).length > 0) return budgetPage(c, values, errors);
    const outcome = await inOrganisation(c, async (scope) => {
      const person = await personHere(c, scope, c.req.param('personId'));
      return person ? openBudget(scope, person.id, pence, words) : null;
    });
    if (!outcome) return renderProblem(c, 404);
    if (!outcome.ok) return budgetPage(c, values, { amount: explain(t, outcome) });
    return c.redirect(budgetPath(c.req.param('personId'), '?done=opened'), 303);
  });

  app.post('/budget/people/:personId/top-up', async (c) => {
    const t = c.get('t');
    const values = await formValues(c);
    if (!c.get('can')('top-up', 'personal-budget')) return renderProblem(c, 403);
    const errors: FieldErrors = {};
    const pence = readAmount(t, values.amount, 'amount', errors);
    const words = readWords(t, values.words, 'words', errors, { required: 'errors.reasonRequired' });
    if (pence === null || Object.keys(errors).length > 0) return budgetPage(c, values, errors);
    const outcome = await inOrganisation(c, async (scope) => {
      const budget = await findBudget(scope, c.req.param('personId'));
      return budget ? topUp(scope, budget, pence, words) : null;
    });
    if (!outcome) return renderProblem(c, 404);
    return c.redirect(budgetPath(c.req.param('personId'), '?done=toppedUp'), 303);
  });

  // A correction: a lead reverses one entry with a reason; the entry itself is never changed.
  const correctPage = async (c: C, values: FormValues = {}, errors: FieldErrors = {}) => {
    const t = c.get('t');
    if (!c.get('can')('correct', 'personal-budget')) return renderProblem(c, 403);
    const data = await inOrganisation(c, async (scope) => {
      const person = await personHere(c, scope, c.req.param('personId') ?? '');
      const budget = person ? await findBudget(scope, person.id) : null;
      if (!person || !budget) return null;
      const line = (await ledgerOf(scope, budget.id)).find(
        (l) => String(l.id) === c.req.param('entryId') && l.kind !== 'correction',
      );
      if (!line) return null;
      await audit(scope, {
        action: 'read',
        subjectType: auditSubject.budget,
        subjectId: budget.id,
        subjectPersonId: person.id,
      });
      return { person, line };
    });
    if (!data) return renderProblem(c, 404);
    const { person, line } = data;
    return page(
      c,
      {
        title: t(w('correct.title')),
        errors,
        narrow: true,
        back: { href: budgetPath(person.id), label: t(w('budget.theirs'), { name: person.calledName }) },
      },
      <>
        <p class="govuk-body">
          {t(w('correct.intro'), {
            amount: formatPence(line.pence, { signed: true }),
            when: formatDateTime(line.createdAt, c.get('language')),
          })}
        </p>
        {line.reversed ? (
          <p class="govuk-body">{t(w('problems.alreadyCorrected'))}</p>
        ) : (
          <form method="post" action={budgetPath(person.id, `/entries/${line.id}/correct`)} novalidate>
            <CsrfField c={c} />
            <TextArea
              name="reason"
              label={t(w('correct.reason'))}
              hint={t(w('correct.reasonHint'))}
              values={values}
              errors={errors}
              t={t}
            />
            <Button>{t(w('correct.button'))}</Button>
          </form>
        )}
      </>,
    );
  };
  app.get('/budget/people/:personId/entries/:entryId/correct', (c) => correctPage(c));
  app.post('/budget/people/:personId/entries/:entryId/correct', async (c) => {
    const t = c.get('t');
    const values = await formValues(c);
    if (!c.get('can')('correct', 'personal-budget')) return renderProblem(c, 403);
    const errors: FieldErrors = {};
    const reason = readWords(t, values.reason, 'reason', errors, { required: 'errors.reasonRequired' });
    if (Object.keys(errors).length > 0) return correctPage(c, values, errors);
    const outcome = await inOrganisation(c, async (scope) => {
      const budget = await findBudget(scope, c.req.param('personId'));
      const entryId = Number(c.req.param('entryId'));
      return budget ? correctEntry(scope, budget, entryId, reason) : null;
    });
    if (!outcome || (!outcome.ok && outcome.problem === 'not-found')) return renderProblem(c, 404);
    if (!outcome.ok) return correctPage(c, values, { reason: explain(t, outcome) });
    return c.redirect(budgetPath(c.req.param('personId'), '?done=corrected'), 303);
  });
}

function RequestCard(props: {
  c: C;
  request: BudgetRequest;
  goals: Map<string, string>;
  names: Map<string, string>;
  personId: string;
}) {
  const { c, request, goals, names } = props;
  const t = c.get('t');
  const goal = request.goalId ? goals.get(request.goalId) : null;
  const withCoach =
    request.askedBy && request.askedBy !== request.personId ? names.get(request.askedBy) : null;
  return (
    <li>
      <p class="govuk-body govuk-!-margin-bottom-1">
        <a class="govuk-link govuk-!-font-weight-bold" href={requestPath(request.id)}>
          {request.words}
        </a>
      </p>
      <p class="govuk-body govuk-!-margin-bottom-1">
        {formatPence(request.spentPence ?? request.amountPence)} <StatusTag t={t} status={request.status} />
      </p>
      {goal ? <p class="govuk-body-s govuk-!-margin-bottom-0">{t(w('request.towards'), { goal })}</p> : null}
      {withCoach ? (
        <p class="govuk-body-s govuk-!-margin-bottom-0">{t(w('request.askedWith'), { name: withCoach })}</p>
      ) : null}
    </li>
  );
}

function LedgerWords(props: {
  c: C;
  line: LedgerLine;
  personId: string;
  lead: boolean;
  names: Map<string, string>;
}) {
  const { c, line, personId, lead } = props;
  const t = c.get('t');
  const what = {
    allocation: t(w('ledger.allocation')),
    'top-up': t(w('ledger.topUp')),
    spend: t(w('ledger.spend'), { words: line.requestWords ?? '' }),
    correction: t(w('ledger.correction')),
  }[line.kind];
  return (
    <>
      {line.requestId ? (
        <a class="govuk-link" href={requestPath(line.requestId)}>
          {what}
        </a>
      ) : (
        what
      )}
      {line.words ? <span class="govuk-body-s"> – {line.words}</span> : null}
      {line.override ? (
        <p class="govuk-body-s govuk-!-margin-bottom-0">
          <strong>{t(w('ledger.override'))}</strong> {line.overrideWords}
        </p>
      ) : null}
      {line.reversed ? <p class="govuk-body-s govuk-!-margin-bottom-0">{t(w('ledger.reversed'))}</p> : null}
      {lead && !line.reversed && line.kind !== 'correction' ? (
        <p class="govuk-body-s govuk-!-margin-bottom-0">
          <a class="govuk-link" href={budgetPath(personId, `/entries/${line.id}/correct`)}>
            {t(w('ledger.correct'))}
            <span class="govuk-visually-hidden">
              {' '}
              ({formatPence(line.pence, { signed: true })},{' '}
              {formatDateTime(line.createdAt, c.get('language'))})
            </span>
          </a>
        </p>
      ) : null}
    </>
  );
}
