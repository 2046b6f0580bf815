import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../../core/context.ts';
import { renderProblem } from '../../../core/web/errors.tsx';
import { formatDate } from '../../../core/web/format.ts';
import {
  Button,
  CsrfField,
  type FieldErrors,
  type FormValues,
  formValues,
  parseValues,
  TextInput,
} from '../../../core/web/forms.tsx';
import { DataTable } from '../../../core/web/layout.tsx';
import { inOrganisation } from '../../../core/web/middleware.ts';
import { ProfileChart } from '../chart.tsx';
import {
  type Answers,
  aspects,
  biggestGaps,
  checkPoints,
  closeRound,
  cultures,
  findRound,
  listRounds,
  myAnswers,
  openRound,
  type Results,
  type Round,
  roundResults,
  saveAnswers,
} from '../compass.ts';
import { type C, mayLead, mayTakePart, page, smallestGroup, w } from '../shared.tsx';

const roundSchema = z.object({
  name: z.string({ error: 'errors.required' }).trim().min(1, 'errors.required').max(120, 'errors.tooLong'),
});

const times = ['now', 'preferred'] as const;
const group = (time: string, aspect: number) => `${time}-${aspect}`;
const field = (time: string, aspect: number, culture: string) => `${time}-${aspect}-${culture}`;

function answersToValues(answers: Answers): FormValues {
  const values: FormValues = {};
  for (const time of times)
    aspects.forEach((_, a) => {
      cultures.forEach((culture, k) => {
        values[field(time, a, culture)] = String(answers[time][a * 4 + k]);
      });
    });
  return values;
}

/** One aspect, answered for now or preferred: four boxes that share out 100 points. */
function PointsGroup({
  c,
  time,
  aspect,
  values,
  errors,
}: {
  c: C;
  time: (typeof times)[number];
  aspect: number;
  values: FormValues;
  errors: FieldErrors;
}) {
  const t = c.get('t');
  const name = group(time, aspect);
  const error = errors[name];
  return (
    <div class={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <fieldset class="govuk-fieldset" aria-describedby={error ? `${name}-error` : undefined}>
        <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">
          {t(w(`compass.${time}Legend`), { aspect: t(w(`compass.aspect.${aspects[aspect]}.name`)) })}
        </legend>
        {error ? (
          <p id={`${name}-error`} class="govuk-error-message">
            <span class="govuk-visually-hidden">{t('errors.prefix')}:</span> {error}
          </p>
        ) : null}
        {cultures.map((culture, index) => {
          const id = index === 0 ? name : field(time, aspect, culture);
          return (
            <div class="govuk-form-group govuk-!-margin-bottom-3">
              <label class="govuk-label" for={id}>
                {t(w(`compass.aspect.${aspects[aspect]}.${culture}`))}
              </label>
              <input
                class={`govuk-input govuk-input--width-3${error ? ' govuk-input--error' : ''}`}
                id={id}
                name={field(time, aspect, culture)}
                type="text"
                inputmode="numeric"
                value={values[field(time, aspect, culture)] ?? ''}
              />
            </div>
          );
        })}
      </fieldset>
    </div>
  );
}

function ResultsView({
  c,
  round,
  results,
  earlier,
}: {
  c: C;
  round: Round;
  results: Results;
  earlier: { round: Round; results: Results } | null;
}) {
  const t = c.get('t');
  const language = c.get('language');
  if (!results.now || !results.preferred)
    return <p class="govuk-body">{t(w('compass.tooFew'), { count: smallestGroup })}</p>;
  const number = (value: number) =>
    (Math.round(value * 10) / 10).toLocaleString(language === 'cy' ? 'cy-GB' : 'en-GB');
  const signed = (value: number) => `${value > 0 ? '+' : value < 0 ? '−' : ''}${number(Math.abs(value))}`;
  const gaps = biggestGaps(results);
  return (
    <>
      <div class="govuk-grid-row">
        <div class="govuk-grid-column-one-half">
          <ProfileChart now={results.now} preferred={results.preferred} t={t} titleId={`chart-${round.id}`} />
        </div>
        <div class="govuk-grid-column-one-half">
          <DataTable
            caption={t(w('compass.tableCaption'))}
            columns={[
              { label: t(w('compass.cultureColumn')) },
              { label: t(w('compass.now')), numeric: true },
              { label: t(w('compass.preferred')), numeric: true },
              { label: t(w('compass.gap')), numeric: true },
            ]}
            rows={cultures.map((culture) => [
              t(w(`compass.culture.${culture}.name`)),
              number(results.now![culture]),
              number(results.preferred![culture]),
              signed(results.preferred![culture] - results.now![culture]),
            ])}
          />
        </div>
      </div>
      <h2 class="govuk-heading-m">{t(w('compass.gapsHeading'))}</h2>
      {gaps.length === 0 ? (
        <p class="govuk-body">{t(w('compass.noGaps'))}</p>
      ) : (
        <ul class="govuk-list govuk-list--bullet">
          {gaps.map((gap) => (
            <li>
              {t(w(gap.gap > 0 ? 'compass.wantMore' : 'compass.wantLess'), {
                culture: t(w(`compass.culture.${gap.culture}.name`)),
                points: number(Math.abs(gap.gap)),
                about: t(w(`compass.culture.${gap.culture}.about`)),
              })}
            </li>
          ))}
        </ul>
      )}
      <h2 class="govuk-heading-m">{t(w('compass.changeHeading'))}</h2>
      {earlier?.results.now ? (
        <>
          <p class="govuk-body">
            {t(w('compass.changeSince'), {
              name: earlier.round.name,
              date: formatDate(earlier.round.openedAt, language),
            })}
          </p>
          <ul class="govuk-list govuk-list--bullet">
            {cultures.map((culture) => {
              const change = results.now![culture] - earlier.results.now![culture];
              return (
                <li>
                  {t(
                    w(
                      Math.abs(change) < 0.5
                        ? 'compass.changeSame'
                        : change > 0
                          ? 'compass.changeUp'
                          : 'compass.changeDown',
                    ),
                    {
                      culture: t(w(`compass.culture.${culture}.name`)),
                      points: number(Math.abs(change)),
                    },
                  )}
                </li>
              );
            })}
          </ul>
        </>
      ) : (
        <p class="govuk-body">{t(w('compass.noEarlier'))}</p>
      )}
    </>
  );
}

/** The culture compass: rounds opened by a lead, answers from the team, results only for five or more. */
export function compassRoutes(app: Hono<AppEnv>) {
  const teamOnly = async (c: C, next: () => Promise<void>) => {
    const can = c.get('can');
    if (!mayTakePart(can) && !mayLead(can)) return renderProblem(c, 403);
    await next();
  };
  app.use('/learning/compass', teamOnly);
  app.use('/learning/compass/*', teamOnly);

  const roundsPage = async (c: C, values: FormValues = {}, errors: FieldErrors = {}) => {
    const t = c.get('t');
    const language = c.get('language');
    const lead = mayLead(c.get('can'));
    const rounds = await inOrganisation(c, (scope) => listRounds(scope));
    return page(
      c,
      { title: t(w('compass.title')), errors, back: { href: '/learning', label: t(w('home.title')) } },
      <>
        <p class="govuk-body">{t(w('compass.intro'))}</p>
        <ul class="govuk-list govuk-list--bullet">
          {cultures.map((culture) => (
            <li>
              <strong>{t(w(`compass.culture.${culture}.name`))}</strong>:{' '}
              {t(w(`compass.culture.${culture}.about`))}
            </li>
          ))}
        </ul>
        {rounds.length === 0 ? <p class="govuk-body">{t(w('compass.noRounds'))}</p> : null}
        <ul class="alongside-card-list">
          {rounds.map((round) => (
            <li>
              <h2 class="govuk-heading-s govuk-!-margin-bottom-1">{round.name}</h2>
              <p class="govuk-body-s govuk-!-margin-bottom-1">
                {round.closedAt
                  ? t(w('compass.closedOn'), { date: formatDate(round.closedAt, language) })
                  : t(w('compass.openSince'), { date: formatDate(round.openedAt, language) })}{' '}
                {t(w('compass.answeredBy'), { count: round.responses })}
              </p>
              <p class="govuk-body-s govuk-!-margin-bottom-1">
                {!round.closedAt ? (
                  <>
                    <a class="govuk-link" href={`/learning/compass/${round.id}/answer`}>
                      {t(w('compass.answer'), { name: round.name })}
                    </a>
                    {' · '}
                  </>
                ) : null}
                <a class="govuk-link" href={`/learning/compass/${round.id}`}>
                  {t(w('compass.results'), { name: round.name })}
                </a>
              </p>
              {lead && !round.closedAt ? (
                <form
                  method="post"
                  action={`/learning/compass/${round.id}/close`}
                  class="alongside-inline-form"
                >
                  <CsrfField c={c} />
                  <button type="submit" class="alongside-button-link">
                    {t(w('compass.close'), { name: round.name })}
                  </button>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
        {lead ? (
          <form method="post" action="/learning/compass" novalidate>
            <CsrfField c={c} />
            <h2 class="govuk-heading-m">{t(w('compass.openHeading'))}</h2>
            <TextInput
              name="name"
              label={t(w('compass.roundName'))}
              hint={t(w('compass.roundNameHint'))}
              values={values}
              errors={errors}
              t={t}
            />
            <Button>{t(w('compass.open'))}</Button>
          </form>
        ) : null}
      </>,
    );
  };
  app.get('/learning/compass', (c) => roundsPage(c));
  app.post('/learning/compass', async (c) => {
    if (!mayLead(c.get('can'))) return renderProblem(c, 403);
    const values = await formValues(c);
    const parsed = parseValues(roundSchema, values, c.get('t'));
    if (!parsed.ok) return roundsPage(c, values, parsed.errors);
    await inOrganisation(c, (scope) => openRound(scope, parsed.data.name));
    return c.redirect('/learning/compass?done=opened', 303);
  });
  app.post('/learning/compass/:roundId/close', async (c) => {
    if (!mayLead(c.get('can'))) return renderProblem(c, 403);
    const done = await inOrganisation(c, async (scope) => {
      const round = await findRound(scope, c.req.param('roundId'));
      if (!round || round.closedAt) return false;
      await closeRound(scope, round);
      return true;
    });
    if (!done) return renderProblem(c, 404);
    return c.redirect('/learning/compass?done=closed', 303);
  });

  const answerPage = async (c: C, values?: FormValues, errors: FieldErrors = {}) => {
    const t = c.get('t');
    const user = c.get('user')!;
    const data = await inOrganisation(c, async (scope) => {
      const round = await findRound(scope, c.req.param('roundId')!);
      if (!round || round.closedAt) return null;
      return { round, mine: values ? null : await myAnswers(scope, round.id, user.personId) };
    });
    if (!data) return renderProblem(c, 404);
    const shown = values ?? (data.mine ? answersToValues(data.mine) : {});
    return page(
      c,
      {
        title: t(w('compass.answerTitle'), { name: data.round.name }),
        errors,
        narrow: true,
        back: { href: '/learning/compass', label: t(w('compass.title')) },
      },
      <form method="post" action={`/learning/compass/${data.round.id}/answer`} novalidate>
        <CsrfField c={c} />
        <p class="govuk-body">{t(w('compass.answerIntro'))}</p>
        <p class="govuk-body">{t(w('compass.private'), { count: smallestGroup })}</p>
        {aspects.map((aspect, index) => (
          <>
            <h2 class="govuk-heading-m">{t(w(`compass.aspect.${aspect}.name`))}</h2>
            <p class="govuk-body">{t(w(`compass.aspect.${aspect}.question`))}</p>
            {times.map((time) => (
              <PointsGroup c={c} time={time} aspect={index} values={shown} errors={errors} />
            ))}
          </>
        ))}
        <Button>{t(w('compass.send'))}</Button>
      </form>,
    );
  };
  app.get('/learning/compass/:roundId/answer', (c) => answerPage(c));
  app.post('/learning/compass/:roundId/answer', async (c) => {
    const t = c.get('t');
    const values = await formValues(c);
    const errors: FieldErrors = {};
    const answers: Answers = { now: [], preferred: [] };
    for (const time of times) {
      aspects.forEach((aspect, a) => {
        const checked = checkPoints(cultures.map((culture) => values[field(time, a, culture)] ?? ''));
        const where = t(w(`compass.${time}Legend`), { aspect: t(w(`compass.aspect.${aspect}.name`)) });
        if (checked.ok) answers[time].push(...checked.points);
        else if (checked.problem === 'number')
          errors[group(time, a)] = t(w('compass.errors.number'), { where });
        else if (checked.total < 100)
          errors[group(time, a)] = t(w('compass.errors.tooFew'), {
            where,
            total: checked.total,
            rest: 100 - checked.total,
          });
        else
          errors[group(time, a)] = t(w('compass.errors.tooMany'), {
            where,
            total: checked.total,
            rest: checked.total - 100,
          });
      });
    }
    if (Object.keys(errors).length > 0) return answerPage(c, values, errors);
    const user = c.get('user')!;
    const done = await inOrganisation(c, async (scope) => {
      const round = await findRound(scope, c.req.param('roundId'));
      if (!round || round.closedAt) return false;
      await saveAnswers(scope, round.id, user.personId, answers);
      return true;
    });
    if (!done) return renderProblem(c, 404);
    return c.redirect(`/learning/compass?done=answeredRound`, 303);
  });

  app.get('/learning/compass/:roundId', async (c) => {
    const t = c.get('t');
    const data = await inOrganisation(c, async (scope) => {
      const round = await findRound(scope, c.req.param('roundId'));
      if (!round) return null;
      const results = await roundResults(scope, round.id);
      // The nearest earlier round with enough answers to compare with.
      let earlier: { round: Round; results: Results } | null = null;
      for (const other of (await listRounds(scope)).filter((r) => r.openedAt < round.openedAt)) {
        if (other.responses < smallestGroup) continue;
        earlier = { round: other, results: await roundResults(scope, other.id) };
        break;
      }
      return { round, results, earlier };
    });
    if (!data) return renderProblem(c, 404);
    return page(
      c,
      {
        title: t(w('compass.resultsTitle'), { name: data.round.name }),
        back: { href: '/learning/compass', label: t(w('compass.title')) },
      },
      <>
        <p class="govuk-body">{t(w('compass.answeredBy'), { count: data.results.responses })}</p>
        <ResultsView c={c} round={data.round} results={data.results} earlier={data.earlier} />
      </>,
    );
  });
}
