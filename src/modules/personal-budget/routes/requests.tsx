import type { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { audit } from '../../../core/audit.ts';
import type { AppEnv } from '../../../core/context.ts';
import type { Scope } from '../../../core/database/tenancy.ts';
import { namesOf } from '../../../core/people.ts';
import { renderProblem } from '../../../core/web/errors.tsx';
import { formatDateTime } from '../../../core/web/format.ts';
import {
  Button,
  Checkboxes,
  CsrfField,
  describedByFor,
  type FieldErrors,
  FieldGroup,
  type FormValues,
  formValues,
  Select,
  TextArea,
  TextInput,
} from '../../../core/web/forms.tsx';
import { Summary } from '../../../core/web/layout.tsx';
import { inOrganisation } from '../../../core/web/middleware.ts';
import { findGoal, goalsOf } from '../../coaching/goals.ts';
import {
  answerQuestion,
  approveRequest,
  askQuestion,
  askToSpend,
  auditSubject,
  type BudgetRequest,
  declineRequest,
  findBudget,
  findRequest,
  type Outcome,
  questionsOf,
  receiptPhoto,
  receiptsOf,
  recordSpend,
  withdrawRequest,
} from '../budget.ts';
import { formatPence, penceForInput } from '../money.ts';
import { imageType, maxReceiptBytes, type ReceiptType } from '../receipts.ts';
import {
  budgetPath,
  type C,
  explain,
  page,
  personHere,
  reachedHere,
  readAmount,
  readWords,
  requestPath,
  rights,
  StatusTag,
  w,
} from './shared.tsx';

type Rights = ReturnType<typeof rights>;

/**
 * A request, for the person acting to work with: theirs, or of someone their teams reach. Anyone else's
 * (another team, another organisation) is not found.
 */
async function requestHere(c: C, scope: Scope, requestId: string) {
  const request = await findRequest(scope, requestId);
  return request && (await reachedHere(c, scope, request.personId)) ? request : null;
}

/** Asking to spend, a request's page, what leads and the person do with it, and the receipt photo. */
export function requestRoutes(app: Hono<AppEnv>) {
  const askPage = async (c: C, values: FormValues = {}, errors: FieldErrors = {}) => {
    const t = c.get('t');
    const data = await inOrganisation(c, async (scope) => {
      const person = await personHere(c, scope, c.req.param('personId') ?? '');
      if (!person) return null;
      if (!rights(c, person.id).ask) return { refused: true as const };
      const budget = await findBudget(scope, person.id);
      if (!budget) return null;
      const goals = (await goalsOf(scope, person.id)).filter((goal) => goal.status === 'working-on');
      await audit(scope, {
        action: 'read',
        subjectType: auditSubject.budget,
        subjectId: budget.id,
        subjectPersonId: person.id,
        detail: { fields: ['goals'] },
      });
      return { person, budget, goals };
    });
    if (!data) return renderProblem(c, 404);
    if ('refused' in data) return renderProblem(c, 403);
    const { person, budget, goals } = data;
    const own = c.get('user')!.personId === person.id;
    return page(
      c,
      {
        title: t(w('ask.title')),
        errors,
        narrow: true,
        back: {
          href: budgetPath(person.id),
          label: own ? t(w('budget.mine')) : t(w('budget.theirs'), { name: person.calledName }),
        },
      },
      <form method="post" action={budgetPath(person.id, '/requests')} novalidate>
        <CsrfField c={c} />
        {own ? null : <p class="govuk-body">{t(w('ask.withPerson'), { name: person.calledName })}</p>}
        <p class="govuk-body">
          {t(w('budget.free'), { amount: formatPence(budget.balancePence - budget.approvedPence) })}
        </p>
        <TextArea
          name="words"
          label={t(w('ask.words'))}
          hint={t(w('ask.wordsHint'))}
          values={values}
          errors={errors}
          t={t}
        />
        <TextInput
          name="amount"
          label={t(w('ask.amount'))}
          hint={t(w('form.amountHint'))}
          width="10"
          values={values}
          errors={errors}
          t={t}
        />
        {goals.length > 0 ? (
          <Select
            name="goal"
            label={t(w('ask.goal'))}
            options={[
              { value: '', label: t(w('ask.noGoal')) },
              ...goals.map((goal) => ({ value: goal.id, label: goal.words })),
            ]}
            values={values}
            errors={errors}
            t={t}
          />
        ) : null}
        <Button>{t(w('ask.button'))}</Button>
      </form>,
    );
  };
  app.get('/budget/people/:personId/ask', (c) => askPage(c));
  app.post('/budget/people/:personId/requests', async (c) => {
    const t = c.get('t');
    const values = await formValues(c);
    const errors: FieldErrors = {};
    const words = readWords(t, values.words, 'words', errors, { required: 'errors.wordsRequired' });
    const pence = readAmount(t, values.amount, 'amount', errors);
    const result = await inOrganisation(c, async (scope) => {
      const person = await personHere(c, scope, c.req.param('personId'));
      if (!person) return 'not-found' as const;
      if (!rights(c, person.id).ask) return 'forbidden' as const;
      const budget = await findBudget(scope, person.id);
      if (!budget) return 'not-found' as const;
      const goalId = values.goal || null;
      // Only one of the person's own goals: an id from elsewhere (or another organisation) is not one.
      if (goalId && (await findGoal(scope, goalId))?.personId !== person.id)
        errors.goal = t(w('errors.goalUnknown'));
      if (pence === null || Object.keys(errors).length > 0) return 'invalid' as const;
      await askToSpend(scope, budget, { words, pence, goalId });
      return person.id;
    });
    if (result === 'not-found') return renderProblem(c, 404);
    if (result === 'forbidden') return renderProblem(c, 403);
    if (result === 'invalid') return askPage(c, values, errors);
    return c.redirect(budgetPath(result, '?done=asked'), 303);
  });

  const requestPage = async (c: C, values: FormValues = {}, errors: FieldErrors = {}) => {
    const t = c.get('t');
    const language = c.get('language');
    const data = await inOrganisation(c, async (scope) => {
      const request = await requestHere(c, scope, c.req.param('requestId') ?? '');
      if (!request) return null;
      const may = rights(c, request.personId);
      if (!may.read) return { refused: true as const };
      const budget = await findBudget(scope, request.personId);
      const questions = (await questionsOf(scope, [request.id])).get(request.id) ?? [];
      const receipt = (await receiptsOf(scope, [request.id])).get(request.id) ?? null;
      const goal = request.goalId ? await findGoal(scope, request.goalId) : null;
      await audit(scope, {
        action: 'read',
        subjectType: auditSubject.request,
        subjectId: request.id,
        subjectPersonId: request.personId,
      });
      const names = await namesOf(scope, [
        request.personId,
        ...[request.askedBy, request.decidedBy, request.spentBy].filter((v): v is string => !!v),
        ...questions.flatMap((q) => [q.askedBy, q.answeredBy].filter((v): v is string => !!v)),
      ]);
      return { request, may, budget, questions, receipt, goal, names };
    });
    if (!data) return renderProblem(c, 404);
    if ('refused' in data) return renderProblem(c, 403);
    const { request, may, budget, questions, receipt, goal, names } = data;
    const name = (personId: string | null) => (personId ? (names.get(personId) ?? '—') : '—');
    const free = budget ? budget.balancePence - budget.approvedPence : 0;
    const waiting = request.status === 'asked' || request.status === 'question';
    const decides = may.lead && waiting && !may.own;
    const over = request.amountPence > free;
    return page(
      c,
      {
        title: t(w('request.title')),
        errors,
        back: {
          href: budgetPath(request.personId),
          label: may.own ? t(w('budget.mine')) : t(w('budget.theirs'), { name: name(request.personId) }),
        },
      },
      <>
        <Summary
          rows={[
            [t(w('request.whose')), name(request.personId)],
            [t(w('request.words')), request.words],
            [t(w('request.amount')), formatPence(request.amountPence)],
            ...(goal ? [[t(w('request.goal')), goal.words] as [string, string]] : []),
            [
              t(w('request.status')),
              <span id="request-status">
                <StatusTag t={t} status={request.status} />
              </span>,
            ],
            [
              t(w('request.asked')),
              <>
                {formatDateTime(request.askedAt, language)}
                {request.askedBy && request.askedBy !== request.personId ? (
                  <> ({t(w('request.askedWith'), { name: name(request.askedBy) })})</>
                ) : null}
              </>,
            ],
            ...(request.decidedAt
              ? [
                  [
                    t(w('request.decided')),
                    <>
                      {t(w('request.decidedBy'), {
                        name: name(request.decidedBy),
                        when: formatDateTime(request.decidedAt, language),
                      })}
                      {request.decisionWords ? <> – {request.decisionWords}</> : null}
                      {request.override ? (
                        <>
                          {' '}
                          <strong>{t(w('ledger.override'))}</strong> {request.overrideWords}
                        </>
                      ) : null}
                    </>,
                  ] as [string, Child],
                ]
              : []),
            ...(request.spentAt && request.spentPence !== null
              ? [
                  [
                    t(w('request.spent')),
                    t(w('request.spentBy'), {
                      amount: formatPence(request.spentPence),
                      name: name(request.spentBy),
                      when: formatDateTime(request.spentAt, language),
                    }),
                  ] as [string, string],
                ]
              : []),
          ]}
        />
        {receipt ? (
          <>
            <h2 class="govuk-heading-m">{t(w('request.receipt'))}</h2>
            {receipt.contentType === 'image/heic' || receipt.contentType === 'image/heif' ? null : (
              <img
                class="alongside-receipt"
                src={requestPath(request.id, '/receipt')}
                alt={t(w('request.receiptAlt'), { words: request.words })}
                width="280"
              />
            )}
            <p class="govuk-body">
              <a class="govuk-link" href={requestPath(request.id, '/receipt')}>
                {t(w('request.receiptLink'))}
              </a>
            </p>
          </>
        ) : null}
        {questions.length > 0 ? (
          <>
            <h2 class="govuk-heading-m">{t(w('request.questions'))}</h2>
            <ul class="alongside-card-list">
              {questions.map((q) => (
                <li>
                  <p class="govuk-body govuk-!-margin-bottom-1">
                    <strong>{t(w('request.questionBy'), { name: name(q.askedBy) })}</strong> {q.question}
                  </p>
                  {q.answer ? (
                    <p class="govuk-body govuk-!-margin-bottom-0">
                      <strong>{t(w('request.answerBy'), { name: name(q.answeredBy) })}</strong> {q.answer}
                    </p>
                  ) : null}
                </li>
              ))}
            </ul>
          </>
        ) : null}
        {decides ? (
          <>
            <form method="post" action={requestPath(request.id, '/approve')} novalidate>
              <CsrfField c={c} />
              <h2 class="govuk-heading-m">{t(w('decide.title'))}</h2>
              {over ? (
                <OverrideFields c={c} free={free} values={values} errors={errors} name="override" />
              ) : null}
              <Button>{t(w('decide.approve'), { amount: formatPence(request.amountPence) })}</Button>
            </form>
            {request.status === 'asked' ? (
              <form method="post" action={requestPath(request.id, '/question')} novalidate>
                <CsrfField c={c} />
                <TextArea
                  name="question"
                  label={t(w('decide.question'))}
                  hint={t(w('decide.questionHint'))}
                  values={values}
                  errors={errors}
                  t={t}
                />
                <Button secondary>{t(w('decide.questionButton'))}</Button>
              </form>
            ) : null}
            <form method="post" action={requestPath(request.id, '/decline')} novalidate>
              <CsrfField c={c} />
              <TextArea
                name="decisionWords"
                label={t(w('decide.decline'))}
                hint={t(w('decide.declineHint'))}
                values={values}
                errors={errors}
                t={t}
              />
              <Button secondary>{t(w('decide.declineButton'))}</Button>
            </form>
          </>
        ) : null}
        {may.ask && request.status === 'question' ? (
          <form method="post" action={requestPath(request.id, '/answer')} novalidate>
            <CsrfField c={c} />
            <TextArea name="answer" label={t(w('answer.label'))} values={values} errors={errors} t={t} />
            <Button>{t(w('answer.button'))}</Button>
          </form>
        ) : null}
        {may.spend && request.status === 'approved' ? (
          <SpendForm c={c} request={request} may={may} free={free} values={values} errors={errors} />
        ) : null}
        {may.ask && (waiting || request.status === 'approved') ? (
          <form method="post" action={requestPath(request.id, '/withdraw')} novalidate>
            <CsrfField c={c} />
            <Button secondary>{t(w('request.withdraw'))}</Button>
          </form>
        ) : null}
      </>,
    );
  };
  app.get('/budget/requests/:requestId', (c) => requestPage(c));

  /**
   * One action on a request: finds it (404 for unknown or another organisation's), checks the right
   * (403), does the work in the same transaction, then redirects or shows the page again with why not.
   */
  const act = (
    right: (may: Rights, request: BudgetRequest) => boolean,
    work: (
      scope: Scope,
      request: BudgetRequest,
      values: FormValues,
      errors: FieldErrors,
      t: C['var']['t'],
    ) => Promise<Outcome | null>,
    options: { done: string; field: string },
  ) => {
    return async (c: C) => {
      const t = c.get('t');
      const values = await formValues(c);
      const errors: FieldErrors = {};
      const result = await inOrganisation(c, async (scope) => {
        const request = await requestHere(c, scope, c.req.param('requestId') ?? '');
        if (!request) return 'not-found' as const;
        if (!right(rights(c, request.personId), request)) return 'forbidden' as const;
        const outcome = await work(scope, request, values, errors, t);
        return { request, outcome };
      });
      if (result === 'not-found') return renderProblem(c, 404);
      if (result === 'forbidden') return renderProblem(c, 403);
      const { request, outcome } = result;
      if (!outcome) return requestPage(c, values, errors);
      if (!outcome.ok) {
        if (outcome.problem === 'not-found') return renderProblem(c, 404);
        // Beside the override when it is about the balance; otherwise beside where the request stands.
        const field = outcome.problem === 'over-balance' ? options.field : 'request-status';
        return requestPage(c, values, { [field]: explain(t, outcome, request.amountPence) });
      }
      return c.redirect(requestPath(request.id, `?done=${options.done}`), 303);
    };
  };

  /** A required answer of up to 1,000 characters in `field`, or null after putting the message beside it. */
  const required = (
    values: FormValues,
    errors: FieldErrors,
    t: C['var']['t'],
    field: string,
    key: string,
  ) => {
    const words = readWords(t, values[field], field, errors, { required: key });
    return errors[field] ? null : words;
  };
  app.post(
    '/budget/requests/:requestId/approve',
    act(
      (may) => may.lead,
      async (scope, request, values, errors, t) => {
        const override = values.override === 'yes';
        const overrideWords = readWords(t, values.overrideWords, 'overrideWords', errors);
        if (override && !overrideWords) errors.overrideWords = t(w('errors.overrideWords'));
        if (Object.keys(errors).length > 0) return null;
        return approveRequest(scope, request.id, { override, overrideWords });
      },
      { done: 'approved', field: 'override' },
    ),
  );
  app.post(
    '/budget/requests/:requestId/question',
    act(
      (may) => may.lead,
      async (scope, request, values, errors, t) => {
        const question = required(values, errors, t, 'question', 'errors.questionRequired');
        return question === null ? null : askQuestion(scope, request.id, question);
      },
      { done: 'questioned', field: 'question' },
    ),
  );
  app.post(
    '/budget/requests/:requestId/decline',
    act(
      (may) => may.lead,
      async (scope, request, values, errors, t) => {
        const words = required(values, errors, t, 'decisionWords', 'errors.reasonRequired');
        return words === null ? null : declineRequest(scope, request.id, words);
      },
      { done: 'declined', field: 'decisionWords' },
    ),
  );
  app.post(
    '/budget/requests/:requestId/answer',
    act(
      (may) => may.ask,
      async (scope, request, values, errors, t) => {
        const answer = required(values, errors, t, 'answer', 'errors.answerRequired');
        return answer === null ? null : answerQuestion(scope, request.id, answer);
      },
      { done: 'answered', field: 'answer' },
    ),
  );
  app.post(
    '/budget/requests/:requestId/withdraw',
    act(
      (may) => may.ask,
      (scope, request) => withdrawRequest(scope, request.id),
      { done: 'withdrawn', field: 'request-status' },
    ),
  );

  // Spending: a multipart form with the receipt photo, which may be up to 5 MB (see src/app.tsx).
  app.post('/budget/requests/:requestId/spend', async (c) => {
    const t = c.get('t');
    const body = await c.req.parseBody();
    const values = await formValues(c);
    const errors: FieldErrors = {};
    const pence = readAmount(t, values.amount, 'amount', errors);
    const file = body.receipt;
    let receipt: { contentType: ReceiptType; bytes: Uint8Array } | null = null;
    // A file field left empty still arrives, with no name and no bytes: that is "no receipt".
    if (file instanceof File && (file.size > 0 || file.name)) {
      if (file.size > maxReceiptBytes) errors.receipt = t(w('errors.receiptTooBig'));
      else {
        const bytes = new Uint8Array(await file.arrayBuffer());
        const type = imageType(bytes);
        if (!type) errors.receipt = t(w('errors.receiptType'));
        else receipt = { contentType: type, bytes };
      }
    }
    const override = values.override === 'yes';
    const overrideWords = (values.overrideWords ?? '').trim();
    if (override && !overrideWords) errors.overrideWords = t(w('errors.overrideWords'));
    const result = await inOrganisation(c, async (scope) => {
      const request = await requestHere(c, scope, c.req.param('requestId'));
      if (!request) return 'not-found' as const;
      const may = rights(c, request.personId);
      if (!may.spend) return 'forbidden' as const;
      if (pence === null || Object.keys(errors).length > 0) return { request, outcome: null };
      const outcome = await recordSpend(scope, request.id, {
        pence,
        receipt,
        lead: may.lead,
        override: may.lead && override,
        overrideWords,
      });
      return { request, outcome };
    });
    if (result === 'not-found') return renderProblem(c, 404);
    if (result === 'forbidden') return renderProblem(c, 403);
    const { request, outcome } = result;
    if (!outcome) return requestPage(c, values, errors);
    if (!outcome.ok) {
      const field = outcome.problem.startsWith('over-') ? 'amount' : 'request-status';
      return requestPage(c, values, { [field]: explain(t, outcome, request.amountPence) });
    }
    return c.redirect(requestPath(request.id, '?done=spent'), 303);
  });

  // The receipt photo, for those who may read the budget; each look is audited.
  app.get('/budget/requests/:requestId/receipt', async (c) => {
    const found = await inOrganisation(c, async (scope) => {
      const request = await requestHere(c, scope, c.req.param('requestId'));
      if (!request) return null;
      if (!rights(c, request.personId).read) return 'forbidden' as const;
      const photo = await receiptPhoto(scope, request.id);
      if (!photo) return null;
      await audit(scope, {
        action: 'read',
        subjectType: auditSubject.receipt,
        subjectId: request.id,
        subjectPersonId: request.personId,
      });
      return photo;
    });
    if (!found) return renderProblem(c, 404);
    if (found === 'forbidden') return renderProblem(c, 403);
    const extension = found.contentType.split('/')[1];
    return c.body(found.bytes as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': found.contentType,
      'Content-Disposition': `inline; filename="receipt.${extension}"`,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
    });
  });
}

function OverrideFields(props: {
  c: C;
  free: number;
  values: FormValues;
  errors: FieldErrors;
  name: string;
}) {
  const { c, free, values, errors } = props;
  const t = c.get('t');
  return (
    <>
      <div class="govuk-warning-text">
        <span class="govuk-warning-text__icon" aria-hidden="true">
          !
        </span>
        <strong class="govuk-warning-text__text">
          <span class="govuk-visually-hidden">{t(w('decide.warning'))}</span>
          {t(w('decide.over'), { free: formatPence(Math.max(free, 0)) })}
        </strong>
      </div>
      <Checkboxes
        name="override"
        legend={t(w('decide.overrideLegend'))}
        options={[{ value: 'yes', label: t(w('decide.override')) }]}
        chosen={values.override === 'yes' ? ['yes'] : []}
        errors={errors}
        t={t}
      />
      <TextArea
        name="overrideWords"
        label={t(w('decide.overrideWords'))}
        values={values}
        errors={errors}
        t={t}
      />
    </>
  );
}

function SpendForm(props: {
  c: C;
  request: BudgetRequest;
  may: Rights;
  free: number;
  values: FormValues;
  errors: FieldErrors;
}) {
  const { c, request, may, values, errors } = props;
  const t = c.get('t');
  const shown = { amount: penceForInput(request.amountPence), ...values };
  const receiptProps = { name: 'receipt', hint: t(w('spend.receiptHint')), errors };
  return (
    <form method="post" action={requestPath(request.id, '/spend')} enctype="multipart/form-data" novalidate>
      <CsrfField c={c} />
      <h2 class="govuk-heading-m">{t(w('spend.title'))}</h2>
      <TextInput
        name="amount"
        label={t(w('spend.amount'))}
        hint={t(w('spend.amountHint'), { amount: formatPence(request.amountPence) })}
        width="10"
        values={shown}
        errors={errors}
        t={t}
      />
      <FieldGroup {...receiptProps} label={t(w('spend.receipt'))} t={t}>
        <input
          class={`govuk-file-upload${errors.receipt ? ' govuk-file-upload--error' : ''}`}
          id="receipt"
          name="receipt"
          type="file"
          accept="image/*"
          capture="environment"
          aria-describedby={describedByFor(receiptProps)}
        />
      </FieldGroup>
      {may.lead ? (
        <>
          <Checkboxes
            name="override"
            legend={t(w('spend.overrideLegend'))}
            hint={t(w('spend.overrideHint'), {
              free: formatPence(Math.max(props.free + request.amountPence, 0)),
            })}
            options={[{ value: 'yes', label: t(w('decide.override')) }]}
            chosen={values.override === 'yes' ? ['yes'] : []}
            errors={errors}
            t={t}
          />
          <TextArea
            name="overrideWords"
            label={t(w('decide.overrideWords'))}
            values={values}
            errors={errors}
            t={t}
          />
        </>
      ) : null}
      <Button>{t(w('spend.button'))}</Button>
    </form>
  );
}
