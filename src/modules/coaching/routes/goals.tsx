import type { Hono } from 'hono';
import { z } from 'zod';
import { audit } from '../../../core/audit.ts';
import type { AppEnv } from '../../../core/context.ts';
import type { WordingSuggestion } from '../../../core/language-guard/index.ts';
import { namesOf } from '../../../core/people.ts';
import { renderProblem } from '../../../core/web/errors.tsx';
import {
  Button,
  CsrfField,
  type FieldErrors,
  type FormValues,
  formValues,
  optionalText,
  parseValues,
  Radios,
  requiredText,
  Select,
  TextArea,
  TextInput,
} from '../../../core/web/forms.tsx';
import { KeepWordingButton, needsWordingPause } from '../../../core/web/language-guard.tsx';
import { DataTable } from '../../../core/web/layout.tsx';
import { inOrganisation } from '../../../core/web/middleware.ts';
import { gasLevels } from '../gas.ts';
import {
  addGoal,
  addStep,
  changeGoalWords,
  earlierWordsOf,
  findGoal,
  type Goal,
  goalRatings,
  goalsOf,
  goalThemes,
  markStep,
  rateGoal,
  setGoalScaling,
  setGoalStatus,
  tScoreJourney,
} from '../goals.ts';
import { JourneyChart } from '../journey-chart.tsx';
import { auditSubject, w } from '../words.ts';
import {
  type C,
  day,
  ownRecordThroughTeam,
  prefixes,
  recordPage,
  recordSubject,
  staffWordingPause,
  type Whose,
  whose,
  writtenBy,
} from './shared.tsx';

const goalSchema = z.object({
  words: requiredText(500),
  theme: z.enum(['', ...goalThemes], { error: 'errors.invalid' }).default(''),
  step1: optionalText(300),
  step2: optionalText(300),
  step3: optionalText(300),
});

/** New words for a goal already saved; the earlier words are kept. */
const wordsSchema = z.object({ goalWords: requiredText(500) });

const statusSchema = z.object({
  status: z.enum(['working-on', 'reached', 'let-go'], { error: 'coaching.errors.chooseStatus' }),
  words: optionalText(1000),
});

const levelNames = ['minus2', 'minus1', 'expected', 'plus1', 'plus2'] as const;
// Checked with the levels below, so every problem is shown at once.
const weight = z.string().trim().default('');
const scalingSchema = z
  .object({
    ...Object.fromEntries(levelNames.map((name) => [name, optionalText(300)])),
    importance: weight,
    difficulty: weight,
  })
  .superRefine((value, context) => {
    for (const name of ['importance', 'difficulty'] as const) {
      if (!['0', '1', '2', '3'].includes(value[name]))
        context.addIssue({ code: 'custom', path: [name], message: `coaching.errors.choose-${name}` });
    }
    const levels = levelNames.map((name) => (value as Record<string, string>)[name] ?? '');
    // All five are needed, from "much less than expected" up to "much more": a gap leaves them out of order.
    levels.forEach((words, index) => {
      if (!words)
        context.addIssue({
          code: 'custom',
          path: [levelNames[index]!],
          message: 'coaching.errors.levelMissing',
        });
    });
    const seen = new Set<string>();
    levels.forEach((words, index) => {
      const key = words.toLowerCase();
      if (words && seen.has(key))
        context.addIssue({
          code: 'custom',
          path: [levelNames[index]!],
          message: 'coaching.errors.levelSame',
        });
      seen.add(key);
    });
  });

const ratingSchema = z.object({
  level: z.enum(['-2', '-1', '0', '1', '2'], { error: 'coaching.errors.chooseLevel' }),
});

async function mayWrite(c: C, who: Whose) {
  return c.get('can')('update', recordSubject, { personId: who.personId });
}

function themeLabel(c: C, theme: string | null) {
  return theme ? c.get('t')(w(`goals.themes.${theme}`)) : '';
}

/** Goals in the person's words: steps, reached or let go (never failure), optional Goal Attainment Scaling. */
export function goalRoutes(app: Hono<AppEnv>) {
  const list = async (c: C, values?: FormValues, errors: FieldErrors = {}) => {
    const t = c.get('t');
    const found = await inOrganisation(c, async (scope) => {
      const who = await whose(c, scope);
      if (!who) return null;
      const goals = await goalsOf(scope, who.personId);
      await audit(scope, { action: 'read', subjectType: auditSubject.goal, subjectPersonId: who.personId });
      return { who, goals };
    });
    if (!found) return renderProblem(c, 404);
    const { who, goals } = found;
    const groups = [
      ['working-on', 'goals.workingOn'],
      ['reached', 'goals.reached'],
      ['let-go', 'goals.letGo'],
    ] as const;
    return recordPage(
      c,
      who,
      {
        title: t(w(who.self ? 'goals.titleMine' : 'goals.titleTheirs'), { name: who.calledName }),
        current: 'goals',
        errors,
      },
      <>
        {goals.length === 0 ? (
          <p class="govuk-body">{t(w(who.self ? 'goals.emptyMine' : 'goals.emptyTheirs'))}</p>
        ) : null}
        {groups.map(([status, heading]) => {
          const inGroup = goals.filter((goal) => goal.status === status);
          if (inGroup.length === 0) return null;
          return (
            <>
              <h2 class="govuk-heading-m">{t(w(heading))}</h2>
              <ul class="govuk-list alongside-cards">
                {inGroup.map((goal) => (
                  <li class="alongside-card">
                    <a class="govuk-link govuk-!-font-weight-bold" href={`${who.base}/goals/${goal.id}`}>
                      {goal.words}
                    </a>
                    {goal.theme ? (
                      <p class="govuk-body-s alongside-quiet">{themeLabel(c, goal.theme)}</p>
                    ) : null}
                    {goal.steps.length ? (
                      <p class="govuk-body-s">
                        {t(w('goals.stepsDone'), {
                          done: goal.steps.filter((step) => step.doneAt).length,
                          count: goal.steps.length,
                        })}
                      </p>
                    ) : null}
                  </li>
                ))}
              </ul>
            </>
          );
        })}
        <h2 class="govuk-heading-m" id="new-goal">
          {t(w('goals.newHeading'))}
        </h2>
        <form method="post" action={`${who.base}/goals`} novalidate>
          <CsrfField c={c} />
          <TextArea
            name="words"
            label={t(w('goals.words'))}
            hint={t(w(who.self ? 'goals.wordsHintMine' : 'goals.wordsHintTheirs'))}
            values={values}
            errors={errors}
            t={t}
            rows={2}
          />
          <Select
            name="theme"
            label={t(w('goals.theme'))}
            hint={t(w('goals.themeHint'))}
            values={values}
            errors={errors}
            t={t}
            options={[
              { value: '', label: t(w('goals.noTheme')) },
              ...goalThemes.map((theme) => ({ value: theme, label: themeLabel(c, theme) })),
            ]}
          />
          <p class="govuk-body">{t(w('goals.stepsIntro'))}</p>
          {(['step1', 'step2', 'step3'] as const).map((name, index) => (
            <TextInput
              name={name}
              label={t(w('goals.stepLabel'), { number: index + 1 })}
              values={values}
              errors={errors}
              t={t}
            />
          ))}
          <Button>{t(w('goals.add'))}</Button>
        </form>
      </>,
    );
  };

  const detail = async (
    c: C,
    form?: {
      name: string;
      values: FormValues;
      errors: FieldErrors;
      wording?: Record<string, WordingSuggestion[]>;
    },
  ) => {
    const t = c.get('t');
    const found = await inOrganisation(c, async (scope) => {
      const who = await whose(c, scope);
      if (!who) return null;
      const goal = await findGoal(scope, c.req.param('goalId')!);
      if (!goal || goal.personId !== who.personId) return null;
      const goals = await goalsOf(scope, who.personId);
      const journey = tScoreJourney(goals, await goalRatings(scope, who.personId));
      const earlier = (await earlierWordsOf(scope, [goal.id])).get(goal.id) ?? [];
      const names = await namesOf(
        scope,
        earlier.flatMap((one) => (one.writtenBy ? [one.writtenBy] : [])),
      );
      await audit(scope, {
        action: 'read',
        subjectType: auditSubject.goal,
        subjectId: goal.id,
        subjectPersonId: who.personId,
      });
      return { who, goal, journey, earlier, names };
    });
    if (!found) return renderProblem(c, 404);
    const { who, goal, journey, earlier, names } = found;
    const wording = form?.wording ?? {};
    const errors = form?.errors ?? {};
    const valuesFor = (name: string, fallback: FormValues) => (form?.name === name ? form.values : fallback);
    const action = (path: string) => `${who.base}/goals/${goal.id}${path}`;
    const celebrate = c.req.query('done') === 'reached';
    return recordPage(
      c,
      who,
      { title: goal.words, current: 'goals', errors },
      <>
        {celebrate ? (
          <div class="alongside-celebration" role="status">
            <p class="govuk-heading-m">
              {t(w(who.self ? 'goals.celebrateMine' : 'goals.celebrateTheirs'), { name: who.calledName })}
            </p>
            <p class="govuk-body">{t(w('goals.celebrateMore'))}</p>
          </div>
        ) : null}
        <p class="govuk-body">
          <strong class="govuk-tag">{t(w(`goals.status.${goal.status}`))}</strong>
          {goal.theme ? ` ${themeLabel(c, goal.theme)}` : ''}
        </p>
        {goal.statusWords ? <p class="govuk-body alongside-words">{goal.statusWords}</p> : null}

        <details class="govuk-details" open={form?.name === 'words' ? true : undefined}>
          <summary class="govuk-details__summary">
            <span class="govuk-details__summary-text">{t(w('goals.changeWords'))}</span>
          </summary>
          <div class="govuk-details__text">
            <form method="post" action={action('/words')} novalidate>
              <CsrfField c={c} />
              <TextArea
                name="goalWords"
                label={t(w('goals.newWords'))}
                hint={t(w(who.self ? 'goals.newWordsHintMine' : 'goals.newWordsHintTheirs'))}
                values={valuesFor('words', { goalWords: goal.words })}
                errors={errors}
                wording={wording}
                t={t}
                rows={2}
              />
              <Button secondary>{t(w('goals.saveWords'))}</Button>
              {form?.name === 'words' && needsWordingPause(form.values, wording) ? (
                <KeepWordingButton t={t} />
              ) : null}
            </form>
          </div>
        </details>
        {earlier.length ? (
          <>
            <h2 class="govuk-heading-m">{t(w('goals.earlierHeading'))}</h2>
            <ul class="govuk-list">
              {[...earlier].reverse().map((one) => (
                <li>
                  <p class="govuk-body alongside-words govuk-!-margin-bottom-1">{one.words}</p>
                  <p class="govuk-body-s alongside-quiet">
                    {t(w('goals.earlierBy'), {
                      who: writtenBy(c, who, one.writtenBy, names),
                      date: day(c, one.writtenAt),
                    })}
                  </p>
                </li>
              ))}
            </ul>
          </>
        ) : null}

        <h2 class="govuk-heading-m">{t(w('goals.stepsHeading'))}</h2>
        {goal.steps.length === 0 ? <p class="govuk-body">{t(w('goals.noSteps'))}</p> : null}
        <ul class="govuk-list">
          {goal.steps.map((step) => (
            <li>
              <form method="post" action={action(`/steps/${step.id}`)} class="alongside-inline-form">
                <CsrfField c={c} />
                <input type="hidden" name="done" value={step.doneAt ? 'no' : 'yes'} />
                <span class={step.doneAt ? 'alongside-done' : ''}>
                  {step.doneAt ? `${t(w('goals.stepDone'))}: ` : ''}
                  {step.words}
                </span>{' '}
                <button type="submit" class="govuk-button govuk-button--secondary alongside-small-button">
                  {t(w(step.doneAt ? 'goals.markNotDone' : 'goals.markDone'))}
                  <span class="govuk-visually-hidden">: {step.words}</span>
                </button>
              </form>
            </li>
          ))}
        </ul>
        <form method="post" action={action('/steps')} novalidate>
          <CsrfField c={c} />
          <TextInput
            name="step"
            label={t(w('goals.addStep'))}
            values={valuesFor('step', {})}
            errors={errors}
            t={t}
          />
          <Button secondary>{t(w('goals.addStepButton'))}</Button>
        </form>

        <h2 class="govuk-heading-m">{t(w('goals.whereHeading'))}</h2>
        <form method="post" action={action('/status')} novalidate>
          <CsrfField c={c} />
          <Radios
            name="status"
            legend={t(w('goals.statusLegend'))}
            values={valuesFor('status', { status: goal.status })}
            errors={errors}
            t={t}
            options={(['working-on', 'reached', 'let-go'] as const).map((status) => ({
              value: status,
              label: t(w(`goals.statusChoice.${status}`)),
            }))}
          />
          <TextArea
            name="words"
            label={t(w('goals.statusWords'))}
            hint={t(w('goals.statusWordsHint'))}
            values={valuesFor('status', { words: '' })}
            errors={errors}
            t={t}
            rows={2}
          />
          <Button secondary>{t(w('goals.saveStatus'))}</Button>
        </form>

        <h2 class="govuk-heading-m">{t(w('goals.gasHeading'))}</h2>
        <p class="govuk-body">{t(w('goals.gasIntro'))}</p>
        {goal.gasLevels ? (
          <>
            <form method="post" action={action('/rating')} novalidate>
              <CsrfField c={c} />
              <Radios
                name="level"
                legend={t(w('goals.rateLegend'))}
                values={valuesFor('rating', {
                  level: goal.latestLevel === null ? '' : String(goal.latestLevel),
                })}
                errors={errors}
                t={t}
                options={[...gasLevels].reverse().map((level) => ({
                  value: String(level),
                  label: `${level > 0 ? '+' : ''}${level}: ${goal.gasLevels![level + 2]}`,
                }))}
              />
              <Button secondary>{t(w('goals.rate'))}</Button>
            </form>
            {journey.length > 0 && goal.latestLevel !== null ? (
              <>
                <JourneyChart
                  title={t(w('goals.tScoreTitle'))}
                  description={t(w('goals.tScoreDescription'))}
                  lines={[
                    {
                      name: t(w('goals.tScoreLine')),
                      points: journey.map((p) => ({ at: p.at, value: p.tScore })),
                    },
                  ]}
                  min={20}
                  max={80}
                  ticks={[30, 50, 70]}
                  language={c.get('language')}
                />
                <DataTable
                  caption={t(w('goals.tScoreTable'))}
                  columns={[
                    { label: t(w('goals.when')) },
                    { label: t(w('goals.tScoreLine')), numeric: true },
                  ]}
                  rows={journey.map((point) => [day(c, point.at), point.tScore.toFixed(1)])}
                />
              </>
            ) : null}
          </>
        ) : null}
        <details class="govuk-details" open={form?.name === 'scaling' ? true : undefined}>
          <summary class="govuk-details__summary">
            <span class="govuk-details__summary-text">
              {t(w(goal.gasLevels ? 'goals.gasChange' : 'goals.gasStart'))}
            </span>
          </summary>
          <div class="govuk-details__text">
            <form method="post" action={action('/scaling')} novalidate>
              <CsrfField c={c} />
              {[...levelNames].reverse().map((name) => (
                <TextInput
                  name={name}
                  label={t(w(`goals.levels.${name}`))}
                  values={valuesFor(
                    'scaling',
                    Object.fromEntries(levelNames.map((n, i) => [n, goal.gasLevels?.[i] ?? ''])),
                  )}
                  errors={errors}
                  t={t}
                />
              ))}
              {(['importance', 'difficulty'] as const).map((name) => (
                <Radios
                  name={name}
                  legend={t(w(`goals.${name}`))}
                  values={valuesFor('scaling', {
                    [name]: String((name === 'importance' ? goal.gasImportance : goal.gasDifficulty) ?? ''),
                  })}
                  errors={errors}
                  t={t}
                  options={['0', '1', '2', '3'].map((value) => ({
                    value,
                    label: t(w(`goals.weights.${value}`)),
                  }))}
                />
              ))}
              <Button secondary>{t(w('goals.saveScaling'))}</Button>
            </form>
          </div>
        </details>
        <p class="govuk-body">
          <a class="govuk-link" href={`${who.base}/goals`}>
            {t(w('goals.back'))}
          </a>
        </p>
      </>,
    );
  };

  /** Finds the goal for a change, checking whose it is and that the viewer may write to that record. */
  const change = async (
    c: C,
    work: (
      scope: Parameters<Parameters<typeof inOrganisation>[1]>[0],
      goal: Goal,
      who: Whose,
    ) => Promise<void>,
  ) =>
    inOrganisation(c, async (scope) => {
      const who = await whose(c, scope);
      if (!who || !(await mayWrite(c, who))) return null;
      const goal = await findGoal(scope, c.req.param('goalId')!);
      if (!goal || goal.personId !== who.personId) return null;
      await work(scope, goal, who);
      return { who, goal };
    });

  for (const prefix of prefixes) {
    app.get(`${prefix}/goals`, (c) => (ownRecordThroughTeam(c) ? c.redirect('/me/goals', 303) : list(c)));
    app.post(`${prefix}/goals`, async (c) => {
      if (ownRecordThroughTeam(c)) return renderProblem(c, 404);
      const values = await formValues(c);
      const parsed = parseValues(goalSchema, values, c.get('t'));
      if (!parsed.ok) return list(c, values, parsed.errors);
      const done = await inOrganisation(c, async (scope) => {
        const who = await whose(c, scope);
        if (!who || !(await mayWrite(c, who))) return null;
        const { words, theme, step1, step2, step3 } = parsed.data;
        const id = await addGoal(scope, {
          personId: who.personId,
          words,
          theme: theme || null,
          steps: [step1, step2, step3].filter(Boolean),
          withCoach: !who.self,
        });
        return `${who.base}/goals/${id}`;
      });
      if (!done) return renderProblem(c, 404);
      return c.redirect(`${done}?done=goalAdded`, 303);
    });

    app.get(`${prefix}/goals/:goalId`, (c) =>
      ownRecordThroughTeam(c) ? c.redirect(`/me/goals/${c.req.param('goalId')}`, 303) : detail(c),
    );

    app.post(`${prefix}/goals/:goalId/words`, async (c) => {
      if (ownRecordThroughTeam(c)) return renderProblem(c, 404);
      const values = await formValues(c);
      const parsed = parseValues(wordsSchema, values, c.get('t'));
      if (!parsed.ok) return detail(c, { name: 'words', values, errors: parsed.errors });
      // The language guard, as when a goal is first written with the team: a pause, never a refusal.
      const wording = await staffWordingPause(c, values, { goalWords: parsed.data.goalWords });
      if (wording) return detail(c, { name: 'words', values, errors: {}, wording });
      const done = await change(c, async (scope, goal) => {
        await changeGoalWords(scope, goal, parsed.data.goalWords);
      });
      if (!done) return renderProblem(c, 404);
      return c.redirect(`${done.who.base}/goals/${done.goal.id}?done=saved`, 303);
    });

    app.post(`${prefix}/goals/:goalId/steps`, async (c) => {
      if (ownRecordThroughTeam(c)) return renderProblem(c, 404);
      const values = await formValues(c);
      const parsed = parseValues(z.object({ step: requiredText(300) }), values, c.get('t'));
      if (!parsed.ok) return detail(c, { name: 'step', values, errors: parsed.errors });
      const done = await change(c, (scope, goal) =>
        addStep(scope, goal.id, parsed.data.step, { personId: goal.personId }),
      );
      if (!done) return renderProblem(c, 404);
      return c.redirect(`${done.who.base}/goals/${done.goal.id}?done=stepAdded`, 303);
    });

    app.post(`${prefix}/goals/:goalId/steps/:stepId`, async (c) => {
      if (ownRecordThroughTeam(c)) return renderProblem(c, 404);
      const values = await formValues(c);
      let known = true;
      const done = await change(c, async (scope, goal) => {
        known = await markStep(scope, goal, c.req.param('stepId'), values.done === 'yes');
      });
      if (!done || !known) return renderProblem(c, 404);
      return c.redirect(`${done.who.base}/goals/${done.goal.id}?done=saved`, 303);
    });

    app.post(`${prefix}/goals/:goalId/status`, async (c) => {
      if (ownRecordThroughTeam(c)) return renderProblem(c, 404);
      const values = await formValues(c);
      const parsed = parseValues(statusSchema, values, c.get('t'));
      if (!parsed.ok) return detail(c, { name: 'status', values, errors: parsed.errors });
      const done = await change(c, (scope, goal) =>
        setGoalStatus(scope, goal, parsed.data.status, parsed.data.words),
      );
      if (!done) return renderProblem(c, 404);
      const notice = { 'working-on': 'working', reached: 'reached', 'let-go': 'letGo' }[parsed.data.status];
      return c.redirect(`${done.who.base}/goals/${done.goal.id}?done=${notice}`, 303);
    });

    app.post(`${prefix}/goals/:goalId/scaling`, async (c) => {
      if (ownRecordThroughTeam(c)) return renderProblem(c, 404);
      const values = await formValues(c);
      const parsed = parseValues(scalingSchema, values, c.get('t'));
      if (!parsed.ok) return detail(c, { name: 'scaling', values, errors: parsed.errors });
      const data = parsed.data as Record<string, string>;
      const done = await change(c, (scope, goal) =>
        setGoalScaling(scope, goal, {
          levels: levelNames.map((name) => data[name]!),
          importance: Number(data.importance),
          difficulty: Number(data.difficulty),
        }),
      );
      if (!done) return renderProblem(c, 404);
      return c.redirect(`${done.who.base}/goals/${done.goal.id}?done=saved`, 303);
    });

    app.post(`${prefix}/goals/:goalId/rating`, async (c) => {
      if (ownRecordThroughTeam(c)) return renderProblem(c, 404);
      const values = await formValues(c);
      const parsed = parseValues(ratingSchema, values, c.get('t'));
      if (!parsed.ok) return detail(c, { name: 'rating', values, errors: parsed.errors });
      let scaled = true;
      const done = await change(c, async (scope, goal) => {
        if (!goal.gasLevels) scaled = false;
        else await rateGoal(scope, goal, Number(parsed.data.level));
      });
      if (!done) return renderProblem(c, 404);
      if (!scaled)
        return detail(c, { name: 'rating', values, errors: { level: c.get('t')(w('errors.notScaled')) } });
      return c.redirect(`${done.who.base}/goals/${done.goal.id}?done=rated`, 303);
    });
  }
}
