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
  TextArea,
  TextInput,
} from '../../../core/web/forms.tsx';
import { Summary } from '../../../core/web/layout.tsx';
import { inOrganisation } from '../../../core/web/middleware.ts';
import {
  checkQuestions,
  comment,
  comments,
  costLimit,
  decide,
  decisions,
  type Experiment,
  experiments,
  findIdea,
  type Idea,
  type IdeaStatus,
  leadReply,
  listIdeas,
  proposeIdea,
  recordExperiment,
  selfCheck,
  setCostLimit,
  support,
  supportsIt,
} from '../ideas.ts';
import { type C, mayLead, mayTakePart, page, Words, w } from '../shared.tsx';
import { searchEntries } from '../spaces.ts';

const required = (max: number) =>
  z.string({ error: 'errors.required' }).trim().min(1, 'errors.required').max(max, 'errors.tooLong');

const ideaSchema = z.object({ what: required(500), why: optionalText(2000), whoItHelps: optionalText(300) });
const checkSchema = z.object(
  Object.fromEntries(
    checkQuestions.map((question) => [
      question,
      z.enum(['yes', 'no'], { error: 'learning.ideas.errors.answer' }),
    ]),
  ) as Record<(typeof checkQuestions)[number], z.ZodEnum<{ yes: 'yes'; no: 'no' }>>,
);
const replySchema = z.object({
  goAhead: z.enum(['yes', 'no'], { error: 'learning.ideas.errors.goAhead' }),
  words: required(2000),
});
const commentSchema = z.object({ words: required(1000) });
const experimentSchema = z.object({
  willTry: optionalText(2000),
  howWeWillKnow: optionalText(2000),
  whatHappened: optionalText(2000),
  whatWeLearned: optionalText(2000),
});
const decisionSchema = z.object({ decision: z.enum(decisions, { error: 'learning.ideas.errors.decision' }) });
const limitSchema = z.object({
  limit: z
    .string()
    .trim()
    .regex(/^\d{1,7}$/, 'learning.ideas.errors.limit'),
});

const groups: { status: IdeaStatus; key: string }[] = [
  { status: 'proposed', key: 'proposed' },
  { status: 'with-lead', key: 'withLead' },
  { status: 'experiment', key: 'experiment' },
  { status: 'stopped', key: 'stopped' },
  { status: 'not-now', key: 'notNow' },
];

/** Change ideas, the self-check, experiments and the "changes we made" wall. */
export function ideaRoutes(app: Hono<AppEnv>) {
  const listPage = async (c: C, values: FormValues = {}, errors: FieldErrors = {}) => {
    const t = c.get('t');
    const { ideas, limit } = await inOrganisation(c, async (scope) => ({
      ideas: await listIdeas(scope),
      limit: await costLimit(scope),
    }));
    return page(
      c,
      { title: t(w('ideas.title')), errors, back: { href: '/learning', label: t(w('home.title')) } },
      <>
        <p class="govuk-body">{t(w('ideas.intro'))}</p>
        <p class="govuk-body">
          <a class="govuk-button" href="/learning/ideas/new">
            {t(w('ideas.propose'))}
          </a>
        </p>
        <p class="govuk-body">
          <a class="govuk-link" href="/learning/ideas/wall">
            {t(w('ideas.wallTitle'))}
          </a>
        </p>
        {groups.map((group) => {
          const these = ideas.filter((idea) => idea.status === group.status);
          if (these.length === 0) return null;
          return (
            <>
              <h2 class="govuk-heading-m">{t(w(`ideas.groups.${group.key}`))}</h2>
              <ul class="alongside-card-list">
                {these.map((idea) => (
                  <li>
                    <a class="govuk-link govuk-!-font-weight-bold" href={`/learning/ideas/${idea.id}`}>
                      {idea.what}
                    </a>
                    <p class="govuk-body-s govuk-!-margin-bottom-0">
                      {t(w('ideas.supporters'), { count: idea.supporters })}
                    </p>
                  </li>
                ))}
              </ul>
            </>
          );
        })}
        {mayLead(c.get('can')) ? (
          <form method="post" action="/learning/ideas/settings" novalidate>
            <CsrfField c={c} />
            <h2 class="govuk-heading-m">{t(w('ideas.limitHeading'))}</h2>
            <TextInput
              name="limit"
              label={t(w('ideas.limit'))}
              hint={t(w('ideas.limitHint'))}
              values={Object.keys(values).length ? values : { limit: String(limit) }}
              errors={errors}
              width="10"
              t={t}
            />
            <Button secondary>{t(w('ideas.saveLimit'))}</Button>
          </form>
        ) : null}
      </>,
    );
  };
  app.get('/learning/ideas', (c) => listPage(c));
  app.post('/learning/ideas/settings', async (c) => {
    if (!mayLead(c.get('can'))) return renderProblem(c, 403);
    const values = await formValues(c);
    const parsed = parseValues(limitSchema, values, c.get('t'));
    if (!parsed.ok) return listPage(c, values, parsed.errors);
    await inOrganisation(c, (scope) => setCostLimit(scope, Number(parsed.data.limit)));
    return c.redirect('/learning/ideas?done=saved', 303);
  });

  app.get('/learning/ideas/wall', async (c) => {
    const t = c.get('t');
    const language = c.get('language');
    const { adopted, names } = await inOrganisation(c, async (scope) => {
      const adopted = await listIdeas(scope, { statuses: ['adopted'] });
      const names = await namesOf(
        scope,
        adopted.flatMap((idea) => (idea.proposedByPersonId ? [idea.proposedByPersonId] : [])),
      );
      return { adopted, names };
    });
    return page(
      c,
      { title: t(w('ideas.wallTitle')), back: { href: '/learning/ideas', label: t(w('ideas.title')) } },
      <>
        <p class="govuk-body">{t(w('ideas.wallIntro'))}</p>
        {adopted.length === 0 ? <p class="govuk-body">{t(w('ideas.wallEmpty'))}</p> : null}
        <ul class="alongside-card-list">
          {adopted.map((idea) => (
            <li>
              <h2 class="govuk-heading-s govuk-!-margin-bottom-1">
                <a class="govuk-link" href={`/learning/ideas/${idea.id}`}>
                  {idea.what}
                </a>
              </h2>
              <p class="govuk-body-s govuk-!-margin-bottom-0">
                {t(w('ideas.proposedBy'), {
                  name: names.get(idea.proposedByPersonId ?? '') ?? '—',
                  date: formatDate(idea.proposedAt, language),
                })}
                {idea.decidedAt
                  ? ` · ${t(w('ideas.adoptedOn'), { date: formatDate(idea.decidedAt, language) })}`
                  : ''}
              </p>
            </li>
          ))}
        </ul>
      </>,
    );
  });

  const newPage = (c: C, values: FormValues = {}, errors: FieldErrors = {}) => {
    const t = c.get('t');
    return page(
      c,
      {
        title: t(w('ideas.newTitle')),
        errors,
        narrow: true,
        back: { href: '/learning/ideas', label: t(w('ideas.title')) },
      },
      <form method="post" action="/learning/ideas" novalidate>
        <CsrfField c={c} />
        <TextArea
          name="what"
          label={t(w('ideas.what'))}
          hint={t(w('ideas.whatHint'))}
          values={values}
          errors={errors}
          t={t}
        />
        <TextArea
          name="why"
          label={t(w('ideas.why'))}
          hint={t(w('ideas.optional'))}
          values={values}
          errors={errors}
          t={t}
        />
        <TextInput
          name="whoItHelps"
          label={t(w('ideas.whoItHelps'))}
          hint={t(w('ideas.optional'))}
          values={values}
          errors={errors}
          t={t}
        />
        <Button>{t(w('ideas.save'))}</Button>
      </form>,
    );
  };
  app.get('/learning/ideas/new', (c) => newPage(c));
  app.post('/learning/ideas', async (c) => {
    const values = await formValues(c);
    const parsed = parseValues(ideaSchema, values, c.get('t'));
    if (!parsed.ok) return newPage(c, values, parsed.errors);
    const ideaId = await inOrganisation(c, (scope) => proposeIdea(scope, parsed.data));
    return c.redirect(`/learning/ideas/${ideaId}?done=proposed#self-check`, 303);
  });

  type Form = 'check' | 'reply' | 'comment' | 'experiment' | 'decide';
  const ideaPage = async (c: C, form?: Form, sent: FormValues = {}, errors: FieldErrors = {}) => {
    // Each form on the page shows back only what was sent with it.
    const valuesFor = (which: Form) => (which === form ? sent : {});
    const errorsFor = (which: Form) => (which === form ? errors : {});
    const t = c.get('t');
    const language = c.get('language');
    const user = c.get('user')!;
    const can = c.get('can');
    const lead = mayLead(can);
    const data = await inOrganisation(c, async (scope) => {
      const idea = await findIdea(scope, c.req.param('ideaId')!);
      if (!idea) return null;
      const said = await comments(scope, idea.id);
      const cycles = await experiments(scope, idea.id);
      const entries = await searchEntries(scope, { ideaId: idea.id });
      const names = await namesOf(
        scope,
        [idea.proposedByPersonId, idea.leadRepliedByPersonId, ...said.map((one) => one.personId)].filter(
          (x): x is string => !!x,
        ),
      );
      return {
        idea,
        said,
        cycles,
        entries,
        names,
        limit: await costLimit(scope),
        supported: await supportsIt(scope, idea.id, user.personId),
      };
    });
    if (!data) return renderProblem(c, 404);
    const { idea, said, cycles, entries, names, limit, supported } = data;
    const mine = idea.proposedByPersonId === user.personId;
    const current = cycles.find((one) => !one.decision);
    const mayDecide = lead || mine;
    const mayRecord = mine || lead || mayTakePart(can);
    const experimentValues = (one: Experiment): FormValues =>
      form === 'experiment'
        ? sent
        : {
            willTry: one.willTry,
            howWeWillKnow: one.howWeWillKnow,
            whatHappened: one.whatHappened,
            whatWeLearned: one.whatWeLearned,
          };
    return page(
      c,
      { title: idea.what, errors, back: { href: '/learning/ideas', label: t(w('ideas.title')) } },
      <>
        <Summary
          rows={[
            [t(w('ideas.statusLabel')), t(w(`ideas.status.${idea.status}`))],
            [t(w('ideas.why')), <Words text={idea.why || '—'} />],
            [t(w('ideas.whoItHelps')), idea.whoItHelps || '—'],
            [
              t(w('ideas.proposedLabel')),
              t(w('ideas.proposedBy'), {
                name: names.get(idea.proposedByPersonId ?? '') ?? '—',
                date: formatDate(idea.proposedAt, language),
              }),
            ],
            [t(w('ideas.supportLabel')), t(w('ideas.supporters'), { count: idea.supporters })],
          ]}
        />
        <form method="post" action={`/learning/ideas/${idea.id}/support`}>
          <CsrfField c={c} />
          <input type="hidden" name="on" value={supported ? 'no' : 'yes'} />
          <Button secondary>{t(w(supported ? 'ideas.unsupport' : 'ideas.support'))}</Button>
        </form>

        {idea.selfCheck ? (
          <>
            <h2 class="govuk-heading-m">{t(w('ideas.checkAnswers'))}</h2>
            <Summary
              rows={checkQuestions.map((question, index) => [
                t(w(`ideas.check.${question}`), { limit }),
                t(w(idea.selfCheck![index] ? 'ideas.yes' : 'ideas.no')),
              ])}
            />
          </>
        ) : null}

        {idea.status === 'proposed' && mine ? (
          <form method="post" action={`/learning/ideas/${idea.id}/check`} novalidate id="self-check">
            <CsrfField c={c} />
            <h2 class="govuk-heading-m">{t(w('ideas.checkHeading'))}</h2>
            <p class="govuk-body">{t(w('ideas.checkIntro'))}</p>
            {checkQuestions.map((question) => (
              <Radios
                name={question}
                legend={t(w(`ideas.check.${question}`), { limit })}
                options={[
                  { value: 'yes', label: t(w('ideas.yes')) },
                  { value: 'no', label: t(w('ideas.no')) },
                ]}
                values={valuesFor('check')}
                errors={errorsFor('check')}
                t={t}
              />
            ))}
            <Button>{t(w('ideas.checkSend'))}</Button>
          </form>
        ) : null}
        {idea.status === 'proposed' && !mine ? (
          <p class="govuk-body">{t(w('ideas.waitingForCheck'))}</p>
        ) : null}

        {idea.status === 'with-lead' ? <p class="govuk-body">{t(w('ideas.withLeadWords'))}</p> : null}
        {idea.leadReply ? (
          <>
            <h2 class="govuk-heading-m">{t(w('ideas.replyHeading'))}</h2>
            <Words text={idea.leadReply} />
            <p class="govuk-body-s">
              {t(w('ideas.repliedBy'), { name: names.get(idea.leadRepliedByPersonId ?? '') ?? '—' })}
            </p>
          </>
        ) : null}
        {idea.status === 'with-lead' && lead ? (
          <form method="post" action={`/learning/ideas/${idea.id}/reply`} novalidate>
            <CsrfField c={c} />
            <h2 class="govuk-heading-m">{t(w('ideas.replyHeading'))}</h2>
            <Radios
              name="goAhead"
              legend={t(w('ideas.goAhead'))}
              options={[
                { value: 'yes', label: t(w('ideas.goAheadYes')) },
                { value: 'no', label: t(w('ideas.goAheadNo')) },
              ]}
              values={valuesFor('reply')}
              errors={errorsFor('reply')}
              t={t}
            />
            <TextArea
              name="words"
              label={t(w('ideas.replyWords'))}
              values={valuesFor('reply')}
              errors={errorsFor('reply')}
              t={t}
            />
            <Button>{t(w('ideas.sendReply'))}</Button>
          </form>
        ) : null}

        {cycles.length > 0 ? <h2 class="govuk-heading-m">{t(w('ideas.experimentHeading'))}</h2> : null}
        {cycles.map((one) =>
          one === current && mayRecord ? (
            <>
              <form method="post" action={`/learning/ideas/${idea.id}/experiment`} novalidate>
                <CsrfField c={c} />
                <h3 class="govuk-heading-s">{t(w('ideas.cycle'), { count: one.cycle })}</h3>
                <TextArea
                  name="willTry"
                  label={t(w('ideas.willTry'))}
                  values={experimentValues(one)}
                  errors={errorsFor('experiment')}
                  t={t}
                />
                <TextArea
                  name="howWeWillKnow"
                  label={t(w('ideas.howWeWillKnow'))}
                  values={experimentValues(one)}
                  errors={errorsFor('experiment')}
                  t={t}
                />
                <TextArea
                  name="whatHappened"
                  label={t(w('ideas.whatHappened'))}
                  values={experimentValues(one)}
                  errors={errorsFor('experiment')}
                  t={t}
                />
                <TextArea
                  name="whatWeLearned"
                  label={t(w('ideas.whatWeLearned'))}
                  values={experimentValues(one)}
                  errors={errorsFor('experiment')}
                  t={t}
                />
                <Button secondary>{t(w('ideas.saveExperiment'))}</Button>
              </form>
              {mayDecide ? (
                <form method="post" action={`/learning/ideas/${idea.id}/decide`} novalidate>
                  <CsrfField c={c} />
                  <Radios
                    name="decision"
                    legend={t(w('ideas.decision'))}
                    hint={t(w('ideas.decisionHint'))}
                    options={decisions.map((one) => ({ value: one, label: t(w(`ideas.decide.${one}`)) }))}
                    values={valuesFor('decide')}
                    errors={errorsFor('decide')}
                    t={t}
                  />
                  <Button>{t(w('ideas.decideButton'))}</Button>
                </form>
              ) : null}
            </>
          ) : (
            <>
              <h3 class="govuk-heading-s">{t(w('ideas.cycle'), { count: one.cycle })}</h3>
              <Summary
                rows={[
                  [t(w('ideas.willTry')), <Words text={one.willTry || '—'} />],
                  [t(w('ideas.howWeWillKnow')), <Words text={one.howWeWillKnow || '—'} />],
                  [t(w('ideas.whatHappened')), <Words text={one.whatHappened || '—'} />],
                  [t(w('ideas.whatWeLearned')), <Words text={one.whatWeLearned || '—'} />],
                  [
                    t(w('ideas.decision')),
                    one.decision ? t(w(`ideas.decided.${one.decision}`)) : t(w('ideas.running')),
                  ],
                ]}
              />
            </>
          ),
        )}
        {idea.status === 'stopped' ? <p class="govuk-body">{t(w('ideas.stoppedWords'))}</p> : null}

        <h2 class="govuk-heading-m">{t(w('ideas.learningHeading'))}</h2>
        {entries.length === 0 ? null : (
          <ul class="govuk-list govuk-list--bullet">
            {entries.map((entry) => (
              <li>
                <a class="govuk-link" href={`/learning/entries/${entry.id}`}>
                  {entry.title}
                </a>
              </li>
            ))}
          </ul>
        )}
        {mayTakePart(can) || lead ? (
          <p class="govuk-body">
            <a class="govuk-link" href={`/learning/entries/new?idea=${idea.id}`}>
              {t(w('entries.write'))}
            </a>
          </p>
        ) : null}

        <h2 class="govuk-heading-m">{t(w('ideas.commentsHeading'))}</h2>
        {said.length === 0 ? <p class="govuk-body">{t(w('ideas.noComments'))}</p> : null}
        <ul class="alongside-card-list">
          {said.map((one) => (
            <li>
              <Words text={one.words} />
              <p class="govuk-body-s govuk-!-margin-bottom-0">
                {names.get(one.personId ?? '') ?? '—'} · {formatDate(one.writtenAt, language)}
              </p>
            </li>
          ))}
        </ul>
        <div class="govuk-grid-row">
          <div class="govuk-grid-column-two-thirds">
            <form method="post" action={`/learning/ideas/${idea.id}/comments`} novalidate>
              <CsrfField c={c} />
              <TextArea
                name="words"
                label={t(w('ideas.comment'))}
                values={valuesFor('comment')}
                errors={errorsFor('comment')}
                t={t}
              />
              <Button secondary>{t(w('ideas.sendComment'))}</Button>
            </form>
          </div>
        </div>
      </>,
    );
  };
  app.get('/learning/ideas/:ideaId', (c) => ideaPage(c));

  /** Runs a change on an idea found in this organisation; someone without the right to it gets a 404. */
  const onIdea = async (
    c: C,
    work: (idea: Idea, scope: Parameters<Parameters<typeof inOrganisation>[1]>[0]) => Promise<boolean>,
  ) =>
    inOrganisation(c, async (scope) => {
      const idea = await findIdea(scope, c.req.param('ideaId')!);
      if (!idea) return null;
      return (await work(idea, scope)) ? idea : null;
    });

  app.post('/learning/ideas/:ideaId/check', async (c) => {
    const values = await formValues(c);
    const parsed = parseValues(checkSchema, values, c.get('t'));
    if (!parsed.ok) return ideaPage(c, 'check', values, parsed.errors);
    const user = c.get('user')!;
    const went = { to: 'with-lead' as 'experiment' | 'with-lead' };
    const done = await onIdea(c, async (idea, scope) => {
      if (idea.status !== 'proposed' || idea.proposedByPersonId !== user.personId) return false;
      went.to = await selfCheck(
        scope,
        idea,
        checkQuestions.map((question) => parsed.data[question] === 'yes'),
      );
      return true;
    });
    if (!done) return renderProblem(c, 404);
    return c.redirect(
      `/learning/ideas/${done.id}?done=${went.to === 'experiment' ? 'goAhead' : 'withLead'}`,
      303,
    );
  });
  app.post('/learning/ideas/:ideaId/reply', async (c) => {
    if (!mayLead(c.get('can'))) return renderProblem(c, 403);
    const values = await formValues(c);
    const parsed = parseValues(replySchema, values, c.get('t'));
    if (!parsed.ok) return ideaPage(c, 'reply', values, parsed.errors);
    const done = await onIdea(c, async (idea, scope) => {
      if (idea.status !== 'with-lead') return false;
      await leadReply(scope, idea, { goAhead: parsed.data.goAhead === 'yes', words: parsed.data.words });
      return true;
    });
    if (!done) return renderProblem(c, 404);
    return c.redirect(`/learning/ideas/${done.id}?done=replied`, 303);
  });
  app.post('/learning/ideas/:ideaId/support', async (c) => {
    const values = await formValues(c);
    const user = c.get('user')!;
    const done = await onIdea(c, async (idea, scope) => {
      await support(scope, idea, user.personId, values.on !== 'no');
      return true;
    });
    if (!done) return renderProblem(c, 404);
    return c.redirect(`/learning/ideas/${done.id}?done=supported`, 303);
  });
  app.post('/learning/ideas/:ideaId/comments', async (c) => {
    const values = await formValues(c);
    const parsed = parseValues(commentSchema, values, c.get('t'));
    if (!parsed.ok) return ideaPage(c, 'comment', values, parsed.errors);
    const done = await onIdea(c, async (idea, scope) => {
      await comment(scope, idea, parsed.data.words);
      return true;
    });
    if (!done) return renderProblem(c, 404);
    return c.redirect(`/learning/ideas/${done.id}?done=commented`, 303);
  });
  app.post('/learning/ideas/:ideaId/experiment', async (c) => {
    const values = await formValues(c);
    const parsed = parseValues(experimentSchema, values, c.get('t'));
    if (!parsed.ok) return ideaPage(c, 'experiment', values, parsed.errors);
    const user = c.get('user')!;
    const can = c.get('can');
    const done = await onIdea(c, async (idea, scope) => {
      if (!(idea.proposedByPersonId === user.personId || mayLead(can) || mayTakePart(can))) return false;
      const current = (await experiments(scope, idea.id)).find((one) => !one.decision);
      if (!current || idea.status !== 'experiment') return false;
      await recordExperiment(scope, idea, current, parsed.data);
      return true;
    });
    if (!done) return renderProblem(c, 404);
    return c.redirect(`/learning/ideas/${done.id}?done=saved`, 303);
  });
  app.post('/learning/ideas/:ideaId/decide', async (c) => {
    const values = await formValues(c);
    const parsed = parseValues(decisionSchema, values, c.get('t'));
    if (!parsed.ok) return ideaPage(c, 'decide', values, parsed.errors);
    const user = c.get('user')!;
    const lead = mayLead(c.get('can'));
    const done = await onIdea(c, async (idea, scope) => {
      if (!(lead || idea.proposedByPersonId === user.personId)) return false;
      const current = (await experiments(scope, idea.id)).find((one) => !one.decision);
      if (!current || idea.status !== 'experiment') return false;
      await decide(scope, idea, current, parsed.data.decision);
      return true;
    });
    if (!done) return renderProblem(c, 404);
    return c.redirect(`/learning/ideas/${done.id}?done=decided`, 303);
  });
}
