import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../../core/context.ts';
import { namesOf } from '../../../core/people.ts';
import { renderProblem } from '../../../core/web/errors.tsx';
import { formatDate } from '../../../core/web/format.ts';
import {
  Button,
  CsrfField,
  type FieldErrors,
  type FormValues,
  formValues,
  optionalText,
  parseValues,
  Radios,
  Select,
  TextArea,
  TextInput,
} from '../../../core/web/forms.tsx';
import { Summary } from '../../../core/web/layout.tsx';
import { inOrganisation } from '../../../core/web/middleware.ts';
import {
  answerChallenge,
  answerStatuses,
  type Challenge,
  type ChallengeStatus,
  type ChallengeWords,
  challengeStatuses,
  changeWords,
  findByKey,
  findChallenge,
  listChallenges,
  raiseChallenge,
  takeToSpace,
  waitingFigures,
} from '../challenges.ts';
import { type C, daysBetween, mayLead, mayTakePart, page, Words, w } from '../shared.tsx';
import { listSeries } from '../spaces.ts';

const wordsSchema = z.object({
  addressedTo: z.enum(['leaders', 'system'], { error: 'learning.challenges.errors.addressedTo' }),
  whatIsWrong: z
    .string({ error: 'learning.challenges.errors.whatIsWrong' })
    .trim()
    .min(1, 'learning.challenges.errors.whatIsWrong')
    .max(2000, 'errors.tooLong'),
  suggestion: optionalText(2000),
  whoItAffects: optionalText(300),
});

const raiseSchema = wordsSchema.extend({
  anonymity: z.enum(['named', 'anonymous'], { error: 'learning.challenges.errors.anonymity' }),
});

const answerSchema = z.object({
  status: z.enum(answerStatuses, { error: 'learning.challenges.errors.status' }),
  answer: z
    .string({ error: 'learning.challenges.errors.answer' })
    .trim()
    .min(1, 'learning.challenges.errors.answer')
    .max(3000, 'errors.tooLong'),
});

const wordsOf = (data: ChallengeWords): ChallengeWords => ({
  addressedTo: data.addressedTo,
  whatIsWrong: data.whatIsWrong,
  suggestion: data.suggestion,
  whoItAffects: data.whoItAffects,
});

function valuesOf(challenge: Challenge): FormValues {
  return {
    addressedTo: challenge.addressedTo,
    whatIsWrong: challenge.whatIsWrong,
    suggestion: challenge.suggestion,
    whoItAffects: challenge.whoItAffects,
  };
}

function WordsFields({ c, values, errors }: { c: C; values: FormValues; errors: FieldErrors }) {
  const t = c.get('t');
  return (
    <>
      <Radios
        name="addressedTo"
        legend={t(w('challenges.addressedTo'))}
        options={[
          { value: 'leaders', label: t(w('challenges.toLeaders')) },
          { value: 'system', label: t(w('challenges.toSystem')) },
        ]}
        values={values}
        errors={errors}
        t={t}
      />
      <TextArea
        name="whatIsWrong"
        label={t(w('challenges.whatIsWrong'))}
        hint={t(w('challenges.whatIsWrongHint'))}
        rows={5}
        values={values}
        errors={errors}
        t={t}
      />
      <TextArea
        name="suggestion"
        label={t(w('challenges.suggestion'))}
        hint={t(w('challenges.optional'))}
        values={values}
        errors={errors}
        t={t}
      />
      <TextInput
        name="whoItAffects"
        label={t(w('challenges.whoItAffects'))}
        hint={t(w('challenges.optional'))}
        values={values}
        errors={errors}
        t={t}
      />
    </>
  );
}

export function StatusTag({ c, status }: { c: C; status: ChallengeStatus }) {
  const colour: Record<ChallengeStatus, string> = {
    waiting: 'govuk-tag--yellow',
    heard: 'govuk-tag--blue',
    acting: 'govuk-tag--purple',
    changed: 'govuk-tag--green',
    cannot: 'govuk-tag--grey',
  };
  return (
    <strong class={`govuk-tag ${colour[status]}`}>{c.get('t')(w(`challenges.status.${status}`))}</strong>
  );
}

/** "Waiting 3 days" or "Answered after 2 days": shown to everyone, so slow answers are seen. */
export function waitWords(c: C, challenge: Challenge, now = new Date()) {
  const t = c.get('t');
  return challenge.answeredAt
    ? t(w('challenges.answeredAfter'), { count: daysBetween(challenge.raisedAt, challenge.answeredAt) })
    : t(w('challenges.waitingFor'), { count: daysBetween(challenge.raisedAt, now) });
}

/** Challenges to leaders and to the system: raising (named or anonymous), the board, answers. */
export function challengeRoutes(app: Hono<AppEnv>) {
  app.get('/learning/challenges', async (c) => {
    const t = c.get('t');
    const language = c.get('language');
    const wanted = c.req.query('status');
    const status = (challengeStatuses as readonly string[]).includes(wanted ?? '')
      ? (wanted as ChallengeStatus)
      : undefined;
    const { all, shown, names } = await inOrganisation(c, async (scope) => {
      const all = await listChallenges(scope);
      const shown = status ? all.filter((one) => one.status === status) : all;
      const names = await namesOf(
        scope,
        shown.flatMap((one) => [one.authorPersonId, one.answeredByPersonId].filter((x): x is string => !!x)),
      );
      return { all, shown, names };
    });
    const figures = waitingFigures(all);
    return page(
      c,
      { title: t(w('challenges.title')), back: { href: '/learning', label: t(w('home.title')) } },
      <>
        <p class="govuk-body">{t(w('challenges.intro'))}</p>
        <p class="govuk-body">
          <a class="govuk-button" href="/learning/challenges/new">
            {t(w('challenges.raise'))}
          </a>
        </p>
        <p class="govuk-body">
          <a class="govuk-link" href="/learning/challenges/anonymous">
            {t(w('challenges.changeAnonymous'))}
          </a>
        </p>
        <h2 class="govuk-heading-m">{t(w('challenges.waitingHeading'))}</h2>
        <Summary
          rows={[
            [t(w('challenges.figures.raised')), String(figures.raised)],
            [t(w('challenges.figures.answered')), String(figures.answered)],
            [t(w('challenges.figures.waiting')), String(figures.waiting)],
            [
              t(w('challenges.figures.medianDays')),
              figures.medianDaysToAnswer === null
                ? t(w('challenges.figures.noneYet'))
                : t(w('challenges.figures.days'), { count: figures.medianDaysToAnswer }),
            ],
            [
              t(w('challenges.figures.longestWaiting')),
              figures.longestWaitingDays === null
                ? t(w('challenges.figures.nobodyWaiting'))
                : t(w('challenges.figures.days'), { count: figures.longestWaitingDays }),
            ],
          ]}
        />
        <form method="get" action="/learning/challenges" novalidate>
          <Select
            name="status"
            label={t(w('challenges.show'))}
            options={[
              { value: '', label: t(w('challenges.showAll')) },
              ...challengeStatuses.map((one) => ({ value: one, label: t(w(`challenges.status.${one}`)) })),
            ]}
            values={{ status: status ?? '' }}
            t={t}
          />
          <Button secondary>{t(w('challenges.filter'))}</Button>
        </form>
        {shown.length === 0 ? <p class="govuk-body">{t(w('challenges.none'))}</p> : null}
        <ul class="alongside-card-list">
          {shown.map((challenge) => (
            <li>
              <h2 class="govuk-heading-s govuk-!-margin-bottom-1">
                <a class="govuk-link" href={`/learning/challenges/${challenge.id}`}>
                  {challenge.whatIsWrong.length > 120
                    ? `${challenge.whatIsWrong.slice(0, 117)}…`
                    : challenge.whatIsWrong}
                </a>
              </h2>
              <p class="govuk-body-s govuk-!-margin-bottom-1">
                <StatusTag c={c} status={challenge.status} /> {waitWords(c, challenge)}
              </p>
              <p class="govuk-body-s govuk-!-margin-bottom-1">
                {challenge.isAnonymous
                  ? t(w('challenges.raisedAnonymously'), { date: formatDate(challenge.raisedAt, language) })
                  : t(w('challenges.raisedBy'), {
                      name: names.get(challenge.authorPersonId ?? '') ?? '—',
                      date: formatDate(challenge.raisedAt, language),
                    })}
              </p>
              {challenge.answer ? (
                <p class="govuk-body-s govuk-!-margin-bottom-0">
                  <strong>{t(w('challenges.answerLabel'))}</strong> {challenge.answer}
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      </>,
    );
  });

  const raisePage = (c: C, values: FormValues = {}, errors: FieldErrors = {}) => {
    const t = c.get('t');
    return page(
      c,
      {
        title: t(w('challenges.newTitle')),
        errors,
        narrow: true,
        back: { href: '/learning/challenges', label: t(w('challenges.title')) },
      },
      <form method="post" action="/learning/challenges" novalidate>
        <CsrfField c={c} />
        <p class="govuk-body">{t(w('challenges.newIntro'))}</p>
        <WordsFields c={c} values={values} errors={errors} />
        <Radios
          name="anonymity"
          legend={t(w('challenges.anonymity'))}
          hint={t(w('challenges.anonymityHint'))}
          options={[
            { value: 'named', label: t(w('challenges.named')) },
            { value: 'anonymous', label: t(w('challenges.anonymous')) },
          ]}
          values={values}
          errors={errors}
          t={t}
        />
        <Button>{t(w('challenges.send'))}</Button>
      </form>,
    );
  };
  app.get('/learning/challenges/new', (c) => raisePage(c));
  app.post('/learning/challenges', async (c) => {
    const t = c.get('t');
    const values = await formValues(c);
    const parsed = parseValues(raiseSchema, values, t);
    if (!parsed.ok) return raisePage(c, values, parsed.errors);
    const anonymous = parsed.data.anonymity === 'anonymous';
    const secretKey = c.get('services').config.secretKey;
    const raised = await inOrganisation(c, (scope) =>
      raiseChallenge(
        scope,
        wordsOf(parsed.data),
        anonymous ? { anonymous: true, secretKey } : { anonymous: false },
      ),
    );
    if (!raised.key) return c.redirect(`/learning/challenges/${raised.id}?done=raised`, 303);
    // The key is shown on this one answer and kept nowhere the app could show it again. Going on to
    // another page straight away would put a named read in the audit trail next to the anonymous act.
    return page(
      c,
      { title: t(w('challenges.keyTitle')), narrow: true },
      <>
        <p class="govuk-body">{t(w('challenges.keyIntro'))}</p>
        <div class="govuk-inset-text">
          <p class="govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-0">
            {/* Broken into short runs a narrow phone can wrap; copying still gives the key whole. */}
            <code id="anonymous-key">
              {raised.key.match(/.{1,11}/g)!.map((run, index) => (index === 0 ? run : [<wbr />, run]))}
            </code>
          </p>
        </div>
        <p class="govuk-body">{t(w('challenges.keyKeep'))}</p>
        <p class="govuk-body">{t(w('challenges.keyLost'))}</p>
        <p class="govuk-body">
          <a class="govuk-link" href="/learning/challenges">
            {t(w('challenges.toBoard'))}
          </a>
        </p>
      </>,
    );
  });

  // Opening an anonymous challenge with its private key. The key travels in a form, never in an
  // address, so it is not written to any log.
  const keyPage = (c: C, values: FormValues = {}, errors: FieldErrors = {}) => {
    const t = c.get('t');
    return page(
      c,
      {
        title: t(w('challenges.anonymousTitle')),
        errors,
        narrow: true,
        back: { href: '/learning/challenges', label: t(w('challenges.title')) },
      },
      <form method="post" action="/learning/challenges/anonymous" novalidate>
        <CsrfField c={c} />
        <p class="govuk-body">{t(w('challenges.anonymousIntro'))}</p>
        <TextInput
          name="key"
          label={t(w('challenges.key'))}
          hint={t(w('challenges.keyHint'))}
          spellcheck={false}
          values={values}
          errors={errors}
          t={t}
        />
        <Button>{t(w('challenges.open'))}</Button>
      </form>,
    );
  };
  const anonymousEditPage = (
    c: C,
    challenge: Challenge,
    key: string,
    values: FormValues,
    errors: FieldErrors = {},
  ) => {
    const t = c.get('t');
    return page(
      c,
      { title: t(w('challenges.editTitle')), errors, narrow: true },
      challenge.status !== 'waiting' ? (
        <>
          <Summary
            rows={[
              [t(w('challenges.whatIsWrong')), <Words text={challenge.whatIsWrong} />],
              [t(w('challenges.statusLabel')), <StatusTag c={c} status={challenge.status} />],
              [t(w('challenges.answerLabel')), <Words text={challenge.answer} />],
            ]}
          />
          <p class="govuk-body">{t(w('challenges.alreadyAnswered'))}</p>
        </>
      ) : (
        <form method="post" action="/learning/challenges/anonymous/save" novalidate>
          <CsrfField c={c} />
          <input type="hidden" name="key" value={key} />
          <p class="govuk-body">{t(w('challenges.staysAnonymous'))}</p>
          {errors.form ? (
            <p id="form" class="govuk-error-message">
              <span class="govuk-visually-hidden">{t('errors.prefix')}:</span> {errors.form}
            </p>
          ) : null}
          <WordsFields c={c} values={values} errors={errors} />
          <Button>{t(w('challenges.saveChanges'))}</Button>
        </form>
      ),
    );
  };
  app.get('/learning/challenges/anonymous', (c) => keyPage(c));
  app.post('/learning/challenges/anonymous', async (c) => {
    const t = c.get('t');
    const values = await formValues(c);
    const secretKey = c.get('services').config.secretKey;
    const key = (values.key ?? '').trim();
    const challenge = key ? await inOrganisation(c, (scope) => findByKey(scope, secretKey, key)) : null;
    if (!challenge) return keyPage(c, values, { key: t(w('challenges.errors.key')) });
    return anonymousEditPage(c, challenge, key, valuesOf(challenge));
  });
  app.post('/learning/challenges/anonymous/save', async (c) => {
    const t = c.get('t');
    const values = await formValues(c);
    const secretKey = c.get('services').config.secretKey;
    const key = (values.key ?? '').trim();
    const challenge = key ? await inOrganisation(c, (scope) => findByKey(scope, secretKey, key)) : null;
    if (!challenge) return keyPage(c, { key: values.key ?? '' }, { key: t(w('challenges.errors.key')) });
    // Nothing an edit sends can put a name on it: an anonymous challenge stays anonymous.
    if ('anonymity' in values || 'authorPersonId' in values || 'name' in values) {
      return anonymousEditPage(c, challenge, key, values, { form: t(w('challenges.errors.staysAnonymous')) });
    }
    const parsed = parseValues(wordsSchema, values, t);
    if (!parsed.ok) return anonymousEditPage(c, challenge, key, values, parsed.errors);
    const changed = await inOrganisation(c, async (scope) => {
      const fresh = await findByKey(scope, secretKey, key);
      return fresh ? changeWords(scope, fresh, wordsOf(parsed.data)) : false;
    });
    if (!changed) return anonymousEditPage(c, challenge, key, valuesOf(challenge));
    return page(
      c,
      { title: t(w('challenges.editedTitle')), narrow: true },
      <>
        <p class="govuk-body">{t(w('challenges.editedAnonymous'))}</p>
        <p class="govuk-body">
          <a class="govuk-link" href="/learning/challenges">
            {t(w('challenges.toBoard'))}
          </a>
        </p>
      </>,
    );
  });

  const challengePage = async (c: C, values: FormValues = {}, errors: FieldErrors = {}) => {
    const t = c.get('t');
    const language = c.get('language');
    const user = c.get('user')!;
    const lead = mayLead(c.get('can'));
    const data = await inOrganisation(c, async (scope) => {
      const challenge = await findChallenge(scope, c.req.param('challengeId')!);
      if (!challenge) return null;
      const names = await namesOf(
        scope,
        [challenge.authorPersonId, challenge.answeredByPersonId].filter((x): x is string => !!x),
      );
      return { challenge, names, series: lead ? await listSeries(scope, c.get('user')!.personId) : [] };
    });
    if (!data) return renderProblem(c, 404);
    const { challenge, names, series } = data;
    const mine = !challenge.isAnonymous && challenge.authorPersonId === user.personId;
    const answerValues = Object.keys(values).length
      ? values
      : { status: challenge.status === 'waiting' ? '' : challenge.status, answer: challenge.answer };
    return page(
      c,
      {
        title: t(w('challenges.oneTitle')),
        errors,
        back: { href: '/learning/challenges', label: t(w('challenges.title')) },
      },
      <>
        <Summary
          rows={[
            [
              t(w('challenges.addressedTo')),
              t(w(challenge.addressedTo === 'leaders' ? 'challenges.toLeaders' : 'challenges.toSystem')),
            ],
            [t(w('challenges.whatIsWrong')), <Words text={challenge.whatIsWrong} />],
            [t(w('challenges.suggestion')), <Words text={challenge.suggestion || '—'} />],
            [t(w('challenges.whoItAffects')), challenge.whoItAffects || '—'],
            [
              t(w('challenges.raisedLabel')),
              challenge.isAnonymous
                ? t(w('challenges.raisedAnonymously'), { date: formatDate(challenge.raisedAt, language) })
                : t(w('challenges.raisedBy'), {
                    name: names.get(challenge.authorPersonId ?? '') ?? '—',
                    date: formatDate(challenge.raisedAt, language),
                  }),
            ],
            [
              t(w('challenges.statusLabel')),
              <>
                <StatusTag c={c} status={challenge.status} /> {waitWords(c, challenge)}
              </>,
            ],
            [
              t(w('challenges.answerLabel')),
              challenge.answer ? (
                <>
                  <Words text={challenge.answer} />
                  <p class="govuk-body-s">
                    {t(w('challenges.answeredBy'), {
                      name: names.get(challenge.answeredByPersonId ?? '') ?? '—',
                    })}
                  </p>
                </>
              ) : (
                t(w('challenges.noAnswerYet'))
              ),
            ],
          ]}
        />
        {mine && challenge.status === 'waiting' ? (
          <p class="govuk-body">
            <a class="govuk-link" href={`/learning/challenges/${challenge.id}/edit`}>
              {t(w('challenges.editYours'))}
            </a>
          </p>
        ) : null}
        {mayTakePart(c.get('can')) || lead ? (
          <p class="govuk-body">
            <a class="govuk-link" href={`/learning/entries/new?challenge=${challenge.id}`}>
              {t(w('challenges.writeLearning'))}
            </a>
          </p>
        ) : null}
        {lead ? (
          <>
            <h2 class="govuk-heading-m">{t(w('challenges.answerHeading'))}</h2>
            <form method="post" action={`/learning/challenges/${challenge.id}/answer`} novalidate>
              <CsrfField c={c} />
              <Radios
                name="status"
                legend={t(w('challenges.statusLabel'))}
                options={answerStatuses.map((one) => ({
                  value: one,
                  label: t(w(`challenges.statusChoice.${one}`)),
                }))}
                values={answerValues}
                errors={errors}
                t={t}
              />
              <TextArea
                name="answer"
                label={t(w('challenges.answerLabel'))}
                hint={t(w('challenges.answerHint'))}
                rows={5}
                values={answerValues}
                errors={errors}
                t={t}
              />
              <Button>{t(w('challenges.sendAnswer'))}</Button>
            </form>
            {series.length > 0 ? (
              <form method="post" action={`/learning/challenges/${challenge.id}/space`} novalidate>
                <CsrfField c={c} />
                <Select
                  name="seriesId"
                  label={t(w('challenges.takeTo'))}
                  options={[
                    { value: '', label: t(w('challenges.notTaken')) },
                    ...series.map((one) => ({ value: one.id, label: one.name })),
                  ]}
                  values={{ seriesId: challenge.seriesId ?? '' }}
                  t={t}
                />
                <Button secondary>{t(w('challenges.take'))}</Button>
              </form>
            ) : null}
          </>
        ) : null}
      </>,
    );
  };
  app.get('/learning/challenges/:challengeId', (c) => challengePage(c));

  app.post('/learning/challenges/:challengeId/answer', async (c) => {
    if (!mayLead(c.get('can'))) return renderProblem(c, 403);
    const values = await formValues(c);
    const parsed = parseValues(answerSchema, values, c.get('t'));
    if (!parsed.ok) return challengePage(c, values, parsed.errors);
    const done = await inOrganisation(c, async (scope) => {
      const challenge = await findChallenge(scope, c.req.param('challengeId'));
      if (!challenge) return null;
      await answerChallenge(scope, challenge, parsed.data);
      return challenge;
    });
    if (!done) return renderProblem(c, 404);
    return c.redirect(`/learning/challenges/${done.id}?done=answered`, 303);
  });

  app.post('/learning/challenges/:challengeId/space', async (c) => {
    if (!mayLead(c.get('can'))) return renderProblem(c, 403);
    const values = await formValues(c);
    const done = await inOrganisation(c, async (scope) => {
      const challenge = await findChallenge(scope, c.req.param('challengeId'));
      if (!challenge) return null;
      const series = await listSeries(scope, c.get('user')!.personId);
      const seriesId = series.find((one) => one.id === values.seriesId)?.id ?? null;
      if (values.seriesId && !seriesId) return null;
      await takeToSpace(scope, challenge, seriesId);
      return challenge;
    });
    if (!done) return renderProblem(c, 404);
    return c.redirect(`/learning/challenges/${done.id}?done=taken`, 303);
  });

  // Changing a named challenge: only its author, only while it waits for an answer.
  const editPage = async (c: C, values?: FormValues, errors: FieldErrors = {}) => {
    const t = c.get('t');
    const user = c.get('user')!;
    const challenge = await inOrganisation(c, (scope) => findChallenge(scope, c.req.param('challengeId')!));
    if (!challenge || challenge.isAnonymous || challenge.authorPersonId !== user.personId)
      return renderProblem(c, 404);
    if (challenge.status !== 'waiting') return c.redirect(`/learning/challenges/${challenge.id}`, 303);
    return page(
      c,
      {
        title: t(w('challenges.editTitle')),
        errors,
        narrow: true,
        back: { href: `/learning/challenges/${challenge.id}`, label: t(w('challenges.oneTitle')) },
      },
      <form method="post" action={`/learning/challenges/${challenge.id}/edit`} novalidate>
        <CsrfField c={c} />
        <p class="govuk-body">{t(w('challenges.staysNamed'))}</p>
        <WordsFields c={c} values={values ?? valuesOf(challenge)} errors={errors} />
        <Button>{t(w('challenges.saveChanges'))}</Button>
      </form>,
    );
  };
  app.get('/learning/challenges/:challengeId/edit', (c) => editPage(c));
  app.post('/learning/challenges/:challengeId/edit', async (c) => {
    const values = await formValues(c);
    const parsed = parseValues(wordsSchema, values, c.get('t'));
    if (!parsed.ok) return editPage(c, values, parsed.errors);
    const user = c.get('user')!;
    const done = await inOrganisation(c, async (scope) => {
      const challenge = await findChallenge(scope, c.req.param('challengeId'));
      if (!challenge || challenge.isAnonymous || challenge.authorPersonId !== user.personId) return null;
      return (await changeWords(scope, challenge, wordsOf(parsed.data))) ? challenge : null;
    });
    if (!done) return renderProblem(c, 404);
    return c.redirect(`/learning/challenges/${done.id}?done=edited`, 303);
  });
}
