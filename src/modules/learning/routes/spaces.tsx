import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../../core/context.ts';
import type { Scope } from '../../../core/database/tenancy.ts';
import { addToDay, calendarDay, todayInUk } from '../../../core/dates.ts';
import {
  listPeople,
  namesOf,
  namesToTellApart,
  type PersonSummary,
  sortByName,
} from '../../../core/people.ts';
import { staffOf, teamsOfStaff } from '../../../core/teams.ts';
import { renderProblem } from '../../../core/web/errors.tsx';
import { formatDate, formatDateTime } from '../../../core/web/format.ts';
import {
  Button,
  Checkboxes,
  CsrfField,
  type FieldErrors,
  type FormValues,
  formValues,
  parseValues,
  Select,
  TextArea,
  TextInput,
} from '../../../core/web/forms.tsx';
import { Summary } from '../../../core/web/layout.tsx';
import { inOrganisation } from '../../../core/web/middleware.ts';
import { calendar } from '../calendar.ts';
import { findChallenge, listChallenges } from '../challenges.ts';
import { findIdea } from '../ideas.ts';
import { type C, mayLead, mayTakePart, page, teamRoles, Words, w } from '../shared.tsx';
import {
  actionsFor,
  agendaChallengeIds,
  agendaTopics,
  agendaWindow,
  agreeAction,
  attendance,
  createSeries,
  type EntryKind,
  entryImage,
  entryKinds,
  findAction,
  findEntry,
  findSeries,
  findSpace,
  imageTypeOf,
  largestImageBytes,
  listSeries,
  listSpaces,
  markActionDone,
  planMore,
  raiseTopic,
  recordAttendance,
  type Series,
  type Space,
  searchEntries,
  seriesIsFor,
  writeEntry,
} from '../spaces.ts';
import { StatusTag, waitWords } from './challenges.tsx';

const required = (max: number) =>
  z.string({ error: 'errors.required' }).trim().min(1, 'errors.required').max(max, 'errors.tooLong');

const seriesSchema = z.object({
  name: required(120),
  // A series may be written down after it began, or planned well ahead; years beyond that are slips.
  firstDate: calendarDay({
    required: true,
    earliest: () => addToDay(todayInUk(), { years: -1 }),
    latest: () => addToDay(todayInUk(), { years: 2 }),
  }),
  time: z
    .string()
    .trim()
    .regex(/^([01]?\d|2[0-3])[:.][0-5]\d$/, 'learning.spaces.errors.time'),
  everyDays: z
    .string()
    .trim()
    .regex(/^\d{1,2}$/, 'learning.spaces.errors.everyDays')
    .refine((value) => Number(value) >= 1 && Number(value) <= 92, 'learning.spaces.errors.everyDays'),
  minutes: z
    .string()
    .trim()
    .regex(/^\d{2,3}$/, 'learning.spaces.errors.minutes')
    .refine((value) => Number(value) >= 15 && Number(value) <= 480, 'learning.spaces.errors.minutes'),
  place: z.string().trim().max(300, 'errors.tooLong').default(''),
});

const topicSchema = z.object({ words: required(500) });

const actionSchema = z.object({
  what: required(500),
  who: z.string().default(''),
  dueOn: calendarDay(),
});

const entrySchema = z.object({
  kind: z.enum(entryKinds, { error: 'learning.entries.errors.kind' }),
  title: required(200),
  words: z.string().trim().max(5000, 'errors.tooLong').default(''),
  imageDescription: z.string().trim().max(500, 'errors.tooLong').default(''),
  space: z.string().default(''),
  challenge: z.string().default(''),
  idea: z.string().default(''),
});

const isTeam = (person: PersonSummary) =>
  person.roles.some((role) => (teamRoles as readonly string[]).includes(role));

/** Who a space is for: its team's staff, or, for the whole organisation's, everyone on the staff. */
async function team(scope: Scope, series: Series): Promise<PersonSummary[]> {
  const everyone = (await listPeople(scope, { limit: 500 })).filter(isTeam);
  if (!series.teamId) return everyone;
  const staff = new Set((await staffOf(scope, series.teamId)).map((member) => member.personId));
  return everyone.filter((one) => staff.has(one.id));
}

/** The series in the address, if it is one for this person (their team's, or everyone's). */
async function seriesHere(c: C, scope: Scope): Promise<Series | null> {
  const series = await findSeries(scope, c.req.param('seriesId') ?? '');
  return series && (await seriesIsFor(scope, series, c.get('user')!.personId)) ? series : null;
}

const spacePath = (space: Space) => `/learning/spaces/${space.seriesId}/${space.id}`;

function ics(c: C, name: string, body: string) {
  c.header('Content-Type', 'text/calendar; charset=utf-8');
  c.header('Content-Disposition', `attachment; filename="${name}.ics"`);
  c.header('Cache-Control', 'no-store');
  return c.body(body);
}

/** Reflective spaces, their agendas, attendance, actions and the learning written down. */
export function spaceRoutes(app: Hono<AppEnv>) {
  const teamOnly = async (c: C, next: () => Promise<void>) => {
    const can = c.get('can');
    if (!mayTakePart(can) && !mayLead(can)) return renderProblem(c, 403);
    await next();
  };
  for (const path of [
    '/learning/spaces',
    '/learning/spaces/*',
    '/learning/entries',
    '/learning/entries/*',
    '/learning/actions/*',
  ])
    app.use(path, teamOnly);

  const seriesListPage = async (c: C, values: FormValues = {}, errors: FieldErrors = {}) => {
    const t = c.get('t');
    const series = await inOrganisation(c, (scope) => listSeries(scope, c.get('user')!.personId));
    const shown = Object.keys(values).length ? values : { everyDays: '14', minutes: '90', time: '14:00' };
    return page(
      c,
      { title: t(w('spaces.title')), errors, back: { href: '/learning', label: t(w('home.title')) } },
      <>
        <p class="govuk-body">{t(w('spaces.intro'))}</p>
        {series.length === 0 ? <p class="govuk-body">{t(w('spaces.none'))}</p> : null}
        <ul class="alongside-card-list">
          {series.map((one) => (
            <li>
              <a class="govuk-link govuk-!-font-weight-bold" href={`/learning/spaces/${one.id}`}>
                {one.name}
              </a>
              <p class="govuk-body-s govuk-!-margin-bottom-0">
                {t(w('spaces.every'), { count: one.everyDays })}
                {one.place ? ` · ${one.place}` : ''}
              </p>
            </li>
          ))}
        </ul>
        <p class="govuk-body">
          <a class="govuk-link" href="/learning/entries">
            {t(w('entries.title'))}
          </a>
        </p>
        <div class="govuk-grid-row">
          <div class="govuk-grid-column-two-thirds">
            <h2 class="govuk-heading-m">{t(w('spaces.newHeading'))}</h2>
            <form method="post" action="/learning/spaces" novalidate>
              <CsrfField c={c} />
              <TextInput
                name="name"
                label={t(w('spaces.name'))}
                hint={t(w('spaces.nameHint'))}
                values={shown}
                errors={errors}
                t={t}
              />
              <TextInput
                name="firstDate"
                type="date"
                label={t(w('spaces.firstDate'))}
                hint={t(w('spaces.firstDateHint'))}
                values={shown}
                errors={errors}
                t={t}
                width="10"
              />
              <TextInput
                name="time"
                label={t(w('spaces.time'))}
                hint={t(w('spaces.timeHint'))}
                values={shown}
                errors={errors}
                t={t}
                width="10"
              />
              <TextInput
                name="everyDays"
                label={t(w('spaces.everyDays'))}
                hint={t(w('spaces.everyDaysHint'))}
                values={shown}
                errors={errors}
                t={t}
                width="10"
              />
              <TextInput
                name="minutes"
                label={t(w('spaces.minutes'))}
                values={shown}
                errors={errors}
                t={t}
                width="10"
              />
              <TextInput
                name="place"
                label={t(w('spaces.place'))}
                hint={t(w('spaces.placeHint'))}
                values={shown}
                errors={errors}
                t={t}
              />
              <Button>{t(w('spaces.create'))}</Button>
            </form>
          </div>
        </div>
      </>,
    );
  };
  app.get('/learning/spaces', (c) => seriesListPage(c));
  app.post('/learning/spaces', async (c) => {
    const t = c.get('t');
    const values = await formValues(c);
    const parsed = parseValues(seriesSchema, values, t);
    if (!parsed.ok) return seriesListPage(c, values, parsed.errors);
    const seriesId = await inOrganisation(c, async (scope) =>
      createSeries(scope, {
        ...parsed.data,
        time: parsed.data.time.replace('.', ':'),
        everyDays: Number(parsed.data.everyDays),
        minutes: Number(parsed.data.minutes),
        // For the team of whoever makes it, when they are in exactly one; otherwise everyone's.
        teamId: await (async () => {
          const places = await teamsOfStaff(scope, c.get('user')!.personId);
          return places.length === 1 ? places[0]!.team.id : null;
        })(),
      }),
    );
    return c.redirect(`/learning/spaces/${seriesId}?done=created`, 303);
  });

  const seriesPage = async (c: C, values: FormValues = {}, errors: FieldErrors = {}) => {
    const t = c.get('t');
    const language = c.get('language');
    const data = await inOrganisation(c, async (scope) => {
      const series = await seriesHere(c, scope);
      return series ? { series, spaces: await listSpaces(scope, series.id) } : null;
    });
    if (!data) return renderProblem(c, 404);
    const { series, spaces } = data;
    const now = new Date();
    const next = spaces.find((space) => space.startsAt.getTime() + series.minutes * 60_000 > now.getTime());
    return page(
      c,
      { title: series.name, errors, back: { href: '/learning/spaces', label: t(w('spaces.title')) } },
      <>
        <Summary
          rows={[
            [t(w('spaces.howOften')), t(w('spaces.every'), { count: series.everyDays })],
            [t(w('spaces.howLong')), t(w('spaces.minutesCount'), { count: series.minutes })],
            [t(w('spaces.place')), series.place || '—'],
            [t(w('spaces.next')), next ? formatDateTime(next.startsAt, language) : t(w('spaces.noneNext'))],
          ]}
        />
        <p class="govuk-body">
          <a class="govuk-link" href={`/learning/spaces/${series.id}/calendar.ics`}>
            {t(w('spaces.feed'))}
          </a>
        </p>
        <h2 class="govuk-heading-m">{t(w('spaces.dates'))}</h2>
        <ul class="govuk-list">
          {spaces.map((space) => (
            <li>
              <a class="govuk-link" href={spacePath(space)}>
                {formatDateTime(space.startsAt, language)}
              </a>
              {space === next ? ` (${t(w('spaces.nextShort'))})` : ''}
            </li>
          ))}
        </ul>
        <form method="post" action={`/learning/spaces/${series.id}/more`}>
          <CsrfField c={c} />
          <Button secondary>{t(w('spaces.planMore'))}</Button>
        </form>
        <div class="govuk-grid-row">
          <div class="govuk-grid-column-two-thirds">
            <h2 class="govuk-heading-m">{t(w('spaces.topicHeading'))}</h2>
            <form method="post" action={`/learning/spaces/${series.id}/topics`} novalidate>
              <CsrfField c={c} />
              <TextArea
                name="words"
                label={t(w('spaces.topic'))}
                hint={t(w('spaces.topicHint'))}
                values={values}
                errors={errors}
                t={t}
              />
              <Button secondary>{t(w('spaces.raiseTopic'))}</Button>
            </form>
          </div>
        </div>
      </>,
    );
  };

  app.get('/learning/spaces/:seriesId/calendar.ics', async (c) => {
    const t = c.get('t');
    const data = await inOrganisation(c, async (scope) => {
      const series = await seriesHere(c, scope);
      return series ? { series, spaces: await listSpaces(scope, series.id) } : null;
    });
    if (!data) return renderProblem(c, 404);
    const host = c.get('services').config.publicUrl.hostname;
    return ics(
      c,
      'reflective-space',
      calendar(data.series, data.spaces, { host, description: t(w('spaces.calendarDescription')) }),
    );
  });
  app.get('/learning/spaces/:seriesId', (c) => seriesPage(c));
  app.post('/learning/spaces/:seriesId/more', async (c) => {
    const done = await inOrganisation(c, async (scope) => {
      const series = await seriesHere(c, scope);
      if (!series) return null;
      await planMore(scope, series);
      return series;
    });
    if (!done) return renderProblem(c, 404);
    return c.redirect(`/learning/spaces/${done.id}?done=saved`, 303);
  });
  app.post('/learning/spaces/:seriesId/topics', async (c) => {
    const values = await formValues(c);
    const parsed = parseValues(topicSchema, values, c.get('t'));
    if (!parsed.ok) return seriesPage(c, values, parsed.errors);
    const done = await inOrganisation(c, async (scope) => {
      const series = await seriesHere(c, scope);
      if (!series) return null;
      await raiseTopic(scope, series.id, parsed.data.words);
      return series;
    });
    if (!done) return renderProblem(c, 404);
    return c.redirect(`/learning/spaces/${done.id}?done=raised`, 303);
  });

  /** Finds a space by both ids, so one series' address never opens another's date. */
  const spaceHere = async (c: C, scope: Scope): Promise<{ series: Series; space: Space } | null> => {
    const series = await seriesHere(c, scope);
    const space = await findSpace(scope, c.req.param('spaceId')!);
    return series && space && space.seriesId === series.id ? { series, space } : null;
  };

  const spacePage = async (c: C, values: FormValues = {}, errors: FieldErrors = {}) => {
    const t = c.get('t');
    const language = c.get('language');
    const data = await inOrganisation(c, async (scope) => {
      const here = await spaceHere(c, scope);
      if (!here) return null;
      const window = await agendaWindow(scope, here.series, here.space);
      const challenges = await listChallenges(scope, {
        ids: await agendaChallengeIds(scope, here.series, window),
      });
      const topics = await agendaTopics(scope, here.series.id, window);
      const actions = await actionsFor(scope, here.space);
      const came = await attendance(scope, here.space.id);
      const people = await team(scope, here.series);
      const entries = await searchEntries(scope, { spaceId: here.space.id });
      const names = await namesOf(scope, [
        ...topics.flatMap((one) => (one.raisedByPersonId ? [one.raisedByPersonId] : [])),
        ...actions.flatMap((one) => (one.whoPersonId ? [one.whoPersonId] : [])),
      ]);
      return { ...here, challenges, topics, actions, came, people, entries, names };
    });
    if (!data) return renderProblem(c, 404);
    const { series, space, challenges, topics, actions, came, entries, names } = data;
    // The team to choose from: two people of the same name told apart, in the reader's language's order.
    const teamNames = namesToTellApart(data.people, c.get('t'));
    const people = sortByName(data.people, (one) => teamNames.get(one.id)!, language).map((one) => ({
      ...one,
      calledName: teamNames.get(one.id)!,
    }));
    const when = formatDateTime(space.startsAt, language);
    return page(
      c,
      {
        title: t(w('spaces.spaceTitle'), { name: series.name, date: formatDate(space.startsAt, language) }),
        errors,
        back: { href: `/learning/spaces/${series.id}`, label: series.name },
      },
      <>
        <Summary
          rows={[
            [t(w('spaces.when')), when],
            [t(w('spaces.place')), series.place || '—'],
          ]}
        />
        <p class="govuk-body">
          <a class="govuk-link" href={`${spacePath(space)}/calendar.ics`}>
            {t(w('spaces.download'), { date: when })}
          </a>
        </p>
        <h2 class="govuk-heading-m">{t(w('spaces.agenda'))}</h2>
        {challenges.length === 0 && topics.length === 0 ? (
          <p class="govuk-body">{t(w('spaces.agendaEmpty'))}</p>
        ) : null}
        {challenges.length > 0 ? (
          <>
            <h3 class="govuk-heading-s">{t(w('spaces.agendaChallenges'))}</h3>
            <ul class="govuk-list govuk-list--bullet">
              {challenges.map((one) => (
                <li>
                  <a class="govuk-link" href={`/learning/challenges/${one.id}`}>
                    {one.whatIsWrong.length > 120 ? `${one.whatIsWrong.slice(0, 117)}…` : one.whatIsWrong}
                  </a>{' '}
                  <StatusTag c={c} status={one.status} /> {waitWords(c, one)}
                </li>
              ))}
            </ul>
          </>
        ) : null}
        {topics.length > 0 ? (
          <>
            <h3 class="govuk-heading-s">{t(w('spaces.agendaTopics'))}</h3>
            <ul class="govuk-list govuk-list--bullet">
              {topics.map((one) => (
                <li>
                  {one.words}{' '}
                  <span class="govuk-body-s">({names.get(one.raisedByPersonId ?? '') ?? '—'})</span>
                </li>
              ))}
            </ul>
          </>
        ) : null}
        <h2 class="govuk-heading-m">{t(w('spaces.actions'))}</h2>
        {actions.length === 0 ? <p class="govuk-body">{t(w('spaces.noActions'))}</p> : null}
        <ul class="alongside-card-list">
          {actions.map((action) => (
            <li>
              <p class="govuk-body govuk-!-margin-bottom-1">{action.what}</p>
              <p class="govuk-body-s govuk-!-margin-bottom-1">
                {[
                  action.whoPersonId
                    ? t(w('spaces.who'), { name: names.get(action.whoPersonId) ?? '—' })
                    : '',
                  action.dueOn
                    ? t(w('spaces.by'), { date: formatDate(new Date(`${action.dueOn}T12:00:00Z`), language) })
                    : '',
                  action.agreedAtSpaceId !== space.id ? t(w('spaces.carried')) : '',
                  action.doneAt ? t(w('spaces.doneOn'), { date: formatDate(action.doneAt, language) }) : '',
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </p>
              {action.doneAt ? null : (
                <form
                  method="post"
                  action={`/learning/actions/${action.id}/done`}
                  class="alongside-inline-form"
                >
                  <CsrfField c={c} />
                  <input type="hidden" name="back" value={spacePath(space)} />
                  <button type="submit" class="alongside-button-link">
                    {t(w('spaces.markDone'), { what: action.what })}
                  </button>
                </form>
              )}
            </li>
          ))}
        </ul>
        <div class="govuk-grid-row">
          <div class="govuk-grid-column-two-thirds">
            <form method="post" action={`${spacePath(space)}/actions`} novalidate>
              <CsrfField c={c} />
              <h3 class="govuk-heading-s">{t(w('spaces.newAction'))}</h3>
              <TextInput
                name="what"
                label={t(w('spaces.actionWhat'))}
                values={values}
                errors={errors}
                t={t}
              />
              <Select
                name="who"
                label={t(w('spaces.actionWho'))}
                options={[
                  { value: '', label: t(w('spaces.anyone')) },
                  ...people.map((one) => ({ value: one.id, label: one.calledName })),
                ]}
                values={values}
                errors={errors}
                t={t}
              />
              <TextInput
                name="dueOn"
                type="date"
                label={t(w('spaces.actionBy'))}
                hint={t(w('spaces.optional'))}
                values={values}
                errors={errors}
                t={t}
                width="10"
              />
              <Button secondary>{t(w('spaces.addAction'))}</Button>
            </form>
            <form method="post" action={`${spacePath(space)}/attendance`}>
              <CsrfField c={c} />
              <Checkboxes
                name="came"
                legend={t(w('spaces.whoCame'))}
                options={people.map((one) => ({ value: one.id, label: one.calledName }))}
                chosen={came}
                t={t}
              />
              <Button secondary>{t(w('spaces.saveAttendance'))}</Button>
            </form>
          </div>
        </div>
        <h2 class="govuk-heading-m">{t(w('spaces.learned'))}</h2>
        {entries.length === 0 ? <p class="govuk-body">{t(w('spaces.nothingYet'))}</p> : null}
        <ul class="govuk-list govuk-list--bullet">
          {entries.map((entry) => (
            <li>
              <a class="govuk-link" href={`/learning/entries/${entry.id}`}>
                {entry.title}
              </a>{' '}
              ({t(w(`entries.kind.${entry.kind}.name`))})
            </li>
          ))}
        </ul>
        <p class="govuk-body">
          <a class="govuk-button govuk-button--secondary" href={`/learning/entries/new?space=${space.id}`}>
            {t(w('entries.write'))}
          </a>
        </p>
      </>,
    );
  };

  app.get('/learning/spaces/:seriesId/:spaceId/calendar.ics', async (c) => {
    const t = c.get('t');
    const here = await inOrganisation(c, (scope) => spaceHere(c, scope));
    if (!here) return renderProblem(c, 404);
    const host = c.get('services').config.publicUrl.hostname;
    return ics(
      c,
      `reflective-space-${here.space.startsAt.toISOString().slice(0, 10)}`,
      calendar(here.series, [here.space], { host, description: t(w('spaces.calendarDescription')) }),
    );
  });
  app.get('/learning/spaces/:seriesId/:spaceId', (c) => spacePage(c));
  app.post('/learning/spaces/:seriesId/:spaceId/attendance', async (c) => {
    const body = await c.req.parseBody({ all: true });
    const raw = body.came;
    const chosen = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(String);
    const done = await inOrganisation(c, async (scope) => {
      const here = await spaceHere(c, scope);
      if (!here) return null;
      const known = new Set((await team(scope, here.series)).map((one) => one.id));
      await recordAttendance(scope, here.space, [...new Set(chosen.filter((one) => known.has(one)))]);
      return here.space;
    });
    if (!done) return renderProblem(c, 404);
    return c.redirect(`${spacePath(done)}?done=saved`, 303);
  });
  app.post('/learning/spaces/:seriesId/:spaceId/actions', async (c) => {
    const t = c.get('t');
    const values = await formValues(c);
    const parsed = parseValues(actionSchema, values, t);
    if (!parsed.ok) return spacePage(c, values, parsed.errors);
    const done = await inOrganisation(c, async (scope) => {
      const here = await spaceHere(c, scope);
      if (!here) return null;
      const who = parsed.data.who
        ? (await team(scope, here.series)).find((one) => one.id === parsed.data.who)
        : null;
      if (parsed.data.who && !who) return 'unknown' as const;
      await agreeAction(scope, here.space, {
        what: parsed.data.what,
        whoPersonId: who?.id ?? null,
        dueOn: parsed.data.dueOn || null,
      });
      return here.space;
    });
    if (!done) return renderProblem(c, 404);
    if (done === 'unknown') return spacePage(c, values, { who: t(w('spaces.errors.who')) });
    return c.redirect(`${spacePath(done)}?done=saved`, 303);
  });
  app.post('/learning/actions/:actionId/done', async (c) => {
    const values = await formValues(c);
    const done = await inOrganisation(c, async (scope) => {
      const action = await findAction(scope, c.req.param('actionId'));
      if (!action) return null;
      await markActionDone(scope, action);
      return action;
    });
    if (!done) return renderProblem(c, 404);
    // Back to the space the button was on, when that is a page of the action's own series.
    const series = `/learning/spaces/${done.seriesId}`;
    const back =
      values.back &&
      /^\/learning\/spaces\/[\w-]+\/[\w-]+$/.test(values.back) &&
      values.back.startsWith(`${series}/`)
        ? values.back
        : series;
    return c.redirect(`${back}?done=saved`, 303);
  });

  // Learning entries: searchable by the team, in four ways of knowing.
  app.get('/learning/entries', async (c) => {
    const t = c.get('t');
    const language = c.get('language');
    const query = c.req.query();
    const kind = (entryKinds as readonly string[]).includes(query.kind ?? '')
      ? (query.kind as EntryKind)
      : undefined;
    const words = (query.q ?? '').slice(0, 200);
    const { entries, names } = await inOrganisation(c, async (scope) => {
      const entries = await searchEntries(scope, { kind, words });
      const names = await namesOf(
        scope,
        entries.flatMap((one) => (one.writtenByPersonId ? [one.writtenByPersonId] : [])),
      );
      return { entries, names };
    });
    return page(
      c,
      { title: t(w('entries.title')), back: { href: '/learning/spaces', label: t(w('spaces.title')) } },
      <>
        <p class="govuk-body">{t(w('entries.intro'))}</p>
        <form method="get" action="/learning/entries" novalidate>
          <Select
            name="kind"
            label={t(w('entries.kindLabel'))}
            options={[
              { value: '', label: t(w('entries.allKinds')) },
              ...entryKinds.map((one) => ({ value: one, label: t(w(`entries.kind.${one}.name`)) })),
            ]}
            values={{ kind: kind ?? '' }}
            t={t}
          />
          <TextInput name="q" type="search" label={t(w('entries.words'))} values={{ q: words }} t={t} />
          <Button secondary>{t(w('entries.search'))}</Button>
        </form>
        <p class="govuk-body">
          <a class="govuk-link" href="/learning/entries/new">
            {t(w('entries.write'))}
          </a>
        </p>
        {entries.length === 0 ? <p class="govuk-body">{t(w('entries.none'))}</p> : null}
        <ul class="alongside-card-list">
          {entries.map((entry) => (
            <li>
              <a class="govuk-link govuk-!-font-weight-bold" href={`/learning/entries/${entry.id}`}>
                {entry.title}
              </a>
              <p class="govuk-body-s govuk-!-margin-bottom-0">
                {[
                  t(w(`entries.kind.${entry.kind}.name`)),
                  names.get(entry.writtenByPersonId ?? ''),
                  formatDate(entry.writtenAt, language),
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </p>
            </li>
          ))}
        </ul>
      </>,
    );
  });

  const entryPage = async (c: C, values?: FormValues, errors: FieldErrors = {}) => {
    const t = c.get('t');
    const query = c.req.query();
    const shown = values ?? {
      space: query.space ?? '',
      challenge: query.challenge ?? '',
      idea: query.idea ?? '',
    };
    const links = await inOrganisation(c, async (scope) => ({
      space: shown.space ? await findSpace(scope, shown.space) : null,
      challenge: shown.challenge ? await findChallenge(scope, shown.challenge) : null,
      idea: shown.idea ? await findIdea(scope, shown.idea) : null,
    }));
    return page(
      c,
      {
        title: t(w('entries.newTitle')),
        errors,
        narrow: true,
        back: { href: '/learning/entries', label: t(w('entries.title')) },
      },
      <form method="post" action="/learning/entries" enctype="multipart/form-data" novalidate>
        <CsrfField c={c} />
        <input type="hidden" name="space" value={links.space?.id ?? ''} />
        <input type="hidden" name="challenge" value={links.challenge?.id ?? ''} />
        <input type="hidden" name="idea" value={links.idea?.id ?? ''} />
        {links.space ? (
          <p class="govuk-body">
            {t(w('entries.forSpace'), { date: formatDate(links.space.startsAt, c.get('language')) })}
          </p>
        ) : null}
        {links.challenge ? <p class="govuk-body">{t(w('entries.forChallenge'))}</p> : null}
        {links.idea ? <p class="govuk-body">{t(w('entries.forIdea'), { what: links.idea.what })}</p> : null}
        <div class={`govuk-form-group${errors.kind ? ' govuk-form-group--error' : ''}`}>
          <fieldset class="govuk-fieldset" aria-describedby={errors.kind ? 'kind-error' : undefined}>
            <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">
              {t(w('entries.kindQuestion'))}
            </legend>
            {errors.kind ? (
              <p id="kind-error" class="govuk-error-message">
                <span class="govuk-visually-hidden">{t('errors.prefix')}:</span> {errors.kind}
              </p>
            ) : null}
            <div class="govuk-radios govuk-radios--small">
              {entryKinds.map((kind, index) => {
                const id = index === 0 ? 'kind' : `kind-${kind}`;
                return (
                  <div class="govuk-radios__item">
                    <input
                      class="govuk-radios__input"
                      id={id}
                      name="kind"
                      type="radio"
                      value={kind}
                      checked={shown.kind === kind}
                      aria-describedby={`${id}-hint`}
                    />
                    <label class="govuk-label govuk-radios__label" for={id}>
                      {t(w(`entries.kind.${kind}.name`))}
                    </label>
                    <div id={`${id}-hint`} class="govuk-hint govuk-radios__hint">
                      {t(w(`entries.kind.${kind}.hint`))}
                    </div>
                  </div>
                );
              })}
            </div>
          </fieldset>
        </div>
        <TextInput
          name="title"
          label={t(w('entries.titleLabel'))}
          hint={t(w('entries.titleHint'))}
          values={shown}
          errors={errors}
          t={t}
        />
        <TextArea
          name="words"
          label={t(w('entries.wordsLabel'))}
          rows={6}
          values={shown}
          errors={errors}
          t={t}
        />
        <div class={`govuk-form-group${errors.image ? ' govuk-form-group--error' : ''}`}>
          <label class="govuk-label govuk-label--s" for="image">
            {t(w('entries.image'))}
          </label>
          <div id="image-hint" class="govuk-hint">
            {t(w('entries.imageHint'), { size: Math.floor(largestImageBytes / 1024) })}
          </div>
          {errors.image ? (
            <p id="image-error" class="govuk-error-message">
              <span class="govuk-visually-hidden">{t('errors.prefix')}:</span> {errors.image}
            </p>
          ) : null}
          <input
            class={`govuk-file-upload${errors.image ? ' govuk-file-upload--error' : ''}`}
            id="image"
            name="image"
            type="file"
            accept="image/png,image/jpeg,image/gif,image/webp"
            aria-describedby={errors.image ? 'image-hint image-error' : 'image-hint'}
          />
        </div>
        <TextInput
          name="imageDescription"
          label={t(w('entries.imageDescription'))}
          hint={t(w('entries.imageDescriptionHint'))}
          values={shown}
          errors={errors}
          t={t}
        />
        <Button>{t(w('entries.save'))}</Button>
      </form>,
    );
  };
  app.get('/learning/entries/new', (c) => entryPage(c));
  app.post('/learning/entries', async (c) => {
    const t = c.get('t');
    const values = await formValues(c);
    const body = await c.req.parseBody({ all: true });
    const parsed = parseValues(entrySchema, values, t);
    const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
    const file = Array.isArray(body.image) ? body.image[0] : body.image;
    let image: { bytes: Uint8Array; type: string; description: string } | null = null;
    if (file instanceof File && file.size > 0) {
      if (file.size > largestImageBytes) {
        errors.image = t(w('entries.errors.tooBig'), { size: Math.floor(largestImageBytes / 1024) });
      } else {
        const bytes = new Uint8Array(await file.arrayBuffer());
        const type = imageTypeOf(bytes);
        if (!type) errors.image = t(w('entries.errors.notImage'));
        else image = { bytes, type, description: values.imageDescription?.trim() ?? '' };
      }
    }
    if (image && !image.description) errors.imageDescription = t(w('entries.errors.describe'));
    if (!parsed.ok || Object.keys(errors).length > 0) return entryPage(c, values, errors);
    const data = parsed.data;
    const saved = await inOrganisation(c, async (scope) => {
      const space = data.space ? await findSpace(scope, data.space) : null;
      const challenge = data.challenge ? await findChallenge(scope, data.challenge) : null;
      const idea = data.idea ? await findIdea(scope, data.idea) : null;
      if ((data.space && !space) || (data.challenge && !challenge) || (data.idea && !idea)) return null;
      const entryId = await writeEntry(scope, {
        kind: data.kind,
        spaceId: space?.id ?? null,
        challengeId: challenge?.id ?? null,
        ideaId: idea?.id ?? null,
        title: data.title,
        words: data.words,
        image,
      });
      return { entryId, space };
    });
    if (!saved) return renderProblem(c, 404);
    return c.redirect(
      saved.space ? `${spacePath(saved.space)}?done=saved` : `/learning/entries/${saved.entryId}?done=saved`,
      303,
    );
  });
  app.get('/learning/entries/:entryId', async (c) => {
    const t = c.get('t');
    const language = c.get('language');
    const data = await inOrganisation(c, async (scope) => {
      const entry = await findEntry(scope, c.req.param('entryId'));
      if (!entry) return null;
      const names = await namesOf(scope, entry.writtenByPersonId ? [entry.writtenByPersonId] : []);
      const challenge = entry.challengeId ? await findChallenge(scope, entry.challengeId) : null;
      const idea = entry.ideaId ? await findIdea(scope, entry.ideaId) : null;
      return { entry, names, challenge, idea };
    });
    if (!data) return renderProblem(c, 404);
    const { entry, names, challenge, idea } = data;
    return page(
      c,
      { title: entry.title, back: { href: '/learning/entries', label: t(w('entries.title')) } },
      <>
        <p class="govuk-body-s">
          {[
            t(w(`entries.kind.${entry.kind}.name`)),
            names.get(entry.writtenByPersonId ?? ''),
            formatDate(entry.writtenAt, language),
          ]
            .filter(Boolean)
            .join(' · ')}
        </p>
        <Words text={entry.words} />
        {entry.hasImage ? (
          <p class="govuk-body">
            <img src={`/learning/entries/${entry.id}/image`} alt={entry.imageDescription} width="320" />
          </p>
        ) : null}
        {challenge ? (
          <p class="govuk-body">
            <a class="govuk-link" href={`/learning/challenges/${challenge.id}`}>
              {t(w('entries.linkedChallenge'))}
            </a>
          </p>
        ) : null}
        {idea ? (
          <p class="govuk-body">
            <a class="govuk-link" href={`/learning/ideas/${idea.id}`}>
              {t(w('entries.linkedIdea'), { what: idea.what })}
            </a>
          </p>
        ) : null}
      </>,
    );
  });
  app.get('/learning/entries/:entryId/image', async (c) => {
    const image = await inOrganisation(c, (scope) => entryImage(scope, c.req.param('entryId')));
    if (!image) return renderProblem(c, 404);
    c.header('Content-Type', image.type);
    c.header('Cache-Control', 'private, no-store');
    c.header('Content-Disposition', 'inline');
    return c.body(image.bytes as Uint8Array<ArrayBuffer>);
  });
}
