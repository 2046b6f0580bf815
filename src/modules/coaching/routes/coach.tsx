import type { Hono } from 'hono';
import { z } from 'zod';
import { invite } from '../../../core/accounts.ts';
import type { AppEnv } from '../../../core/context.ts';
import { calendarDay, todayInUk } from '../../../core/dates.ts';
import { checkWording, type WordingSuggestion } from '../../../core/language-guard/index.ts';
import { findOrganisation, findPersonFor, namesToTellApartOf, sortByName } from '../../../core/people.ts';
import { placeWithTeam, type Team, teamName, teamsOfStaff } from '../../../core/teams.ts';
import {
  Button,
  CsrfField,
  ErrorSummary,
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
import { DataTable, Notice, renderPage } from '../../../core/web/layout.tsx';
import { allowed, inOrganisation } from '../../../core/web/middleware.ts';
import { addEntry } from '../entries.ts';
import { myPeople, peoplePageSize, setCoach, startSupporting, supportOf } from '../support.ts';
import { w } from '../words.ts';
import { entryMaxLength } from './everything.tsx';
import { handOverSubject } from './handover.tsx';
import { type C, day, noticeFor, pageNumber } from './shared.tsx';

export const peopleSubject = 'coaching-people';

const startSchema = z.object({
  calledName: requiredText(100),
  email: z
    .string()
    .trim()
    .max(254, 'errors.tooLong')
    .refine((value) => value === '' || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value), 'errors.email')
    .default(''),
});

const conversationSchema = z.object({
  person: z.string({ error: 'coaching.errors.choosePerson' }).min(1, 'coaching.errors.choosePerson'),
  talkedAbout: requiredText(entryMaxLength),
  nextSteps: optionalText(2000),
  happenedOn: calendarDay({ past: true }),
  place: optionalText(200),
});

/** The coach's side: my people, starting to support someone, recording a conversation in three actions. */
export function coachRoutes(app: Hono<AppEnv>) {
  app.use('/coaching', allowed('read', peopleSubject));
  app.use('/coaching/start', allowed('create', peopleSubject));
  app.use('/coaching/conversation', allowed('create', peopleSubject));

  app.get('/coaching', async (c) => {
    const t = c.get('t');
    const page = pageNumber(c);
    const search = (c.req.query('search') ?? '').trim().slice(0, 100);
    const everyone = c.req.query('everyone') === 'yes';
    const user = c.get('user')!;
    const { people, more, asked, names } = await inOrganisation(c, async (scope) => {
      const list = await myPeople(scope, {
        coachId: everyone ? null : user.personId,
        reachableBy: user.personId,
        search,
        page,
      });
      const waiting =
        page === 1 && !search
          ? await myPeople(scope, { coachId: null, reachableBy: user.personId, statuses: ['asked'] })
          : { people: [] };
      // Two people of the same name on this page are told apart.
      const names = await namesToTellApartOf(
        scope,
        [...list.people, ...waiting.people].map((person) => person.personId),
        t,
      );
      return { ...list, asked: waiting.people, names };
    });
    const query = (p: number) =>
      `/coaching?${new URLSearchParams({ ...(search ? { search } : {}), ...(everyone ? { everyone: 'yes' } : {}), page: String(p) })}`;
    return renderPage(
      c,
      { title: t(w('coach.title')) },
      <>
        <Notice text={noticeFor(c)} />
        <h1 class="govuk-heading-l">{t(w('coach.title'))}</h1>
        <div class="alongside-actions">
          <a class="govuk-button" href="/coaching/conversation">
            {t(w('coach.record'))}
          </a>{' '}
          <a class="govuk-button govuk-button--secondary" href="/coaching/start">
            {t(w('coach.start'))}
          </a>{' '}
          {c.get('can')('hand-over', handOverSubject) ? (
            <a class="govuk-button govuk-button--secondary" href="/coaching/handover">
              {t(w('coach.handover'))}
            </a>
          ) : null}
        </div>
        {asked.length ? (
          <>
            <h2 class="govuk-heading-m">{t(w('coach.askedHeading'))}</h2>
            <ul class="govuk-list">
              {asked.map((person) => (
                <li>
                  <a class="govuk-link" href={`/coaching/people/${person.personId}`}>
                    <bdi>{names.get(person.personId) ?? person.calledName}</bdi>
                  </a>{' '}
                  <span class="govuk-body-s">
                    {t(w('coach.askedOn'), { date: day(c, person.startedAt) })}
                  </span>
                </li>
              ))}
            </ul>
          </>
        ) : null}
        <h2 class="govuk-heading-m">{t(w(everyone ? 'coach.everyoneHeading' : 'coach.mineHeading'))}</h2>
        <form method="get" action="/coaching" class="alongside-search">
          {everyone ? <input type="hidden" name="everyone" value="yes" /> : null}
          <TextInput name="search" type="search" label={t(w('coach.search'))} values={{ search }} t={t} />
          <Button secondary>{t(w('coach.searchButton'))}</Button>
        </form>
        <p class="govuk-body">
          <a class="govuk-link" href={everyone ? '/coaching' : '/coaching?everyone=yes'}>
            {t(w(everyone ? 'coach.showMine' : 'coach.showEveryone'))}
          </a>
        </p>
        {people.length === 0 ? (
          <p class="govuk-body">{t(w(search ? 'coach.noMatch' : 'coach.nobody'))}</p>
        ) : (
          <DataTable
            caption={t(w('coach.listCaption'))}
            columns={[
              { label: t(w('coach.name')) },
              { label: t(w('coach.lastSeen')) },
              { label: t(w('coach.support')) },
            ]}
            rows={people.map((person) => [
              <a class="govuk-link" href={`/coaching/people/${person.personId}`}>
                <bdi>{names.get(person.personId) ?? person.calledName}</bdi>
              </a>,
              person.lastConversationAt ? day(c, person.lastConversationAt) : t(w('coach.notYet')),
              t(w(`support.short.${person.status}`)),
            ])}
          />
        )}
        <nav class="govuk-body" aria-label={t(w('pages'))}>
          {page > 1 ? (
            <a class="govuk-link" href={query(page - 1)}>
              {t(w('previousPage'))}
            </a>
          ) : null}{' '}
          {more ? (
            <a class="govuk-link" href={query(page + 1)}>
              {t(w('nextPage'), { count: peoplePageSize })}
            </a>
          ) : null}
        </nav>
      </>,
    );
  });

  /** The teams this coach coaches or leads in: someone they start supporting is with one of them. */
  const myTeams = (c: C) =>
    inOrganisation(c, async (scope) =>
      (await teamsOfStaff(scope, c.get('user')!.personId))
        .filter((place) => place.roles.includes('coach') || place.roles.includes('lead'))
        .map((place) => place.team),
    );
  const startPage = async (c: C, values: FormValues = {}, errors: FieldErrors = {}, teams?: Team[]) => {
    const t = c.get('t');
    const choices = teams ?? (await myTeams(c));
    return renderPage(
      c,
      {
        title: t(w('start.title')),
        narrow: true,
        hasErrors: Object.keys(errors).length > 0,
        status: Object.keys(errors).length ? 400 : 200,
      },
      <>
        <ErrorSummary errors={errors} t={t} />
        <h1 class="govuk-heading-l">{t(w('start.title'))}</h1>
        <p class="govuk-body">{t(w('start.intro'))}</p>
        <form method="post" action="/coaching/start" novalidate>
          <CsrfField c={c} />
          <TextInput
            name="calledName"
            label={t(w('start.calledName'))}
            hint={t(w('start.calledNameHint'))}
            values={values}
            errors={errors}
            t={t}
            autocomplete="off"
          />
          <TextInput
            name="email"
            type="email"
            label={t(w('start.email'))}
            hint={t(w('start.emailHint'))}
            values={values}
            errors={errors}
            t={t}
            autocomplete="off"
            spellcheck={false}
          />
          {choices.length > 1 ? (
            <Radios
              name="team"
              legend={t(w('start.team'))}
              hint={t(w('start.teamHint'))}
              options={choices.map((team) => ({ value: team.id, label: teamName(team, c.get('language')) }))}
              values={values}
              errors={errors}
              t={t}
            />
          ) : null}
          <Button>{t(w('start.button'))}</Button>
        </form>
      </>,
    );
  };
  app.get('/coaching/start', (c) => startPage(c));
  app.post('/coaching/start', async (c) => {
    const values = await formValues(c);
    const t = c.get('t');
    const parsed = parseValues(startSchema, values, t);
    const teams = await myTeams(c);
    // With more than one team, the coach says which; with none, nobody could find the person again.
    const team = teams.length === 1 ? teams[0] : teams.find((one) => one.id === values.team);
    const teamProblem = team ? null : t(w(teams.length === 0 ? 'start.noTeam' : 'start.chooseTeam'));
    if (!parsed.ok || teamProblem)
      return startPage(
        c,
        values,
        { ...(parsed.ok ? {} : parsed.errors), ...(teamProblem ? { team: teamProblem } : {}) },
        teams,
      );
    const user = c.get('user')!;
    const personId = await inOrganisation(c, async (scope) => {
      const started = await startSupporting(scope, {
        calledName: parsed.data.calledName,
        coachId: user.personId,
      });
      await placeWithTeam(scope, started.personId, team!.id);
      if (parsed.data.email) {
        const organisation = await findOrganisation(scope);
        const language = organisation?.defaultLanguage ?? 'en';
        await invite(scope, c.get('services').config, {
          personId: started.personId,
          email: parsed.data.email,
          t: c.get('services').translate(language),
          inviterName: user.calledName,
          organisationName:
            (language === 'cy' && organisation?.nameCy) || organisation?.name || user.organisationName,
        });
      }
      return started.personId;
    });
    return c.redirect(`/coaching/people/${personId}?done=${parsed.data.email ? 'invited' : 'started'}`, 303);
  });

  const conversationPage = async (
    c: C,
    values: FormValues = {},
    errors: FieldErrors = {},
    wording: Record<string, WordingSuggestion[]> = {},
  ) => {
    const t = c.get('t');
    const user = c.get('user')!;
    const chosen = values.person ?? c.req.query('person') ?? '';
    const people = await inOrganisation(c, async (scope) => {
      const mine = await myPeople(scope, {
        coachId: user.personId,
        reachableBy: user.personId,
        statuses: ['asked', 'active', 'paused'],
      });
      const ids = mine.people.map((person) => person.personId);
      // Someone from the whole team's list may be chosen from their page; they appear here too.
      if (chosen && !ids.includes(chosen) && (await supportOf(scope, chosen))) ids.push(chosen);
      // Two people of the same name are told apart, and the list is in the reader's language's order.
      const names = await namesToTellApartOf(scope, ids, t);
      return sortByName(
        [...names].map(([id, name]) => ({ id, name })),
        (person) => person.name,
        c.get('language'),
      );
    });
    const today = todayInUk();
    return renderPage(
      c,
      {
        title: t(w('conversation.title')),
        narrow: true,
        hasErrors: Object.keys(errors).length > 0,
        status: Object.keys(errors).length ? 400 : 200,
      },
      <>
        <ErrorSummary errors={errors} t={t} />
        <h1 class="govuk-heading-l">{t(w('conversation.title'))}</h1>
        <form method="post" action="/coaching/conversation" novalidate>
          <CsrfField c={c} />
          <Select
            name="person"
            label={t(w('conversation.who'))}
            values={{ person: chosen }}
            errors={errors}
            t={t}
            options={[
              { value: '', label: t(w('conversation.choose')) },
              ...people.map((person) => ({ value: person.id, label: person.name })),
            ]}
          />
          <TextArea
            name="talkedAbout"
            label={t(w('conversation.talkedAbout'))}
            hint={t(w('conversation.talkedAboutHint'))}
            values={values}
            errors={errors}
            wording={wording}
            t={t}
            rows={4}
          />
          <TextArea
            name="nextSteps"
            label={t(w('conversation.nextSteps'))}
            hint={t(w('conversation.nextStepsHint'))}
            values={values}
            errors={errors}
            wording={wording}
            t={t}
            rows={2}
          />
          <details
            class="govuk-details"
            open={values.happenedOn || values.place || errors.happenedOn || errors.place ? true : undefined}
          >
            <summary class="govuk-details__summary">
              <span class="govuk-details__summary-text">{t(w('conversation.whenWhere'))}</span>
            </summary>
            <div class="govuk-details__text">
              <TextInput
                name="happenedOn"
                type="date"
                label={t(w('conversation.date'))}
                hint={t(w('conversation.dateHint'), { today: day(c, today) })}
                values={values}
                errors={errors}
                t={t}
                width="10"
              />
              <TextInput
                name="place"
                label={t(w('conversation.place'))}
                values={values}
                errors={errors}
                t={t}
              />
            </div>
          </details>
          <p class="govuk-body">{t(w('conversation.visible'))}</p>
          <Button>{t(w('conversation.save'))}</Button>
          {needsWordingPause(values, wording) ? <KeepWordingButton t={t} /> : null}
        </form>
      </>,
    );
  };
  app.get('/coaching/conversation', (c) => conversationPage(c));
  app.post('/coaching/conversation', async (c) => {
    const values = await formValues(c);
    const t = c.get('t');
    const parsed = parseValues(conversationSchema, values, t);
    if (!parsed.ok) return conversationPage(c, values, parsed.errors);
    const user = c.get('user')!;
    const { person, ...entry } = parsed.data;
    if (person === user.personId) return conversationPage(c, values, { person: t(w('errors.choosePerson')) });
    // The language guard: a gentle pause when labels are used about a person, never a refusal.
    const wording = await inOrganisation(c, (scope) =>
      checkWording(scope, c.get('language'), { talkedAbout: entry.talkedAbout, nextSteps: entry.nextSteps }),
    );
    if (needsWordingPause(values, wording)) return conversationPage(c, values, {}, wording);
    const saved = await inOrganisation(c, async (scope) => {
      // Only someone this coach's teams reach: a person of another team is not found, and nothing is written.
      const support = (await findPersonFor(scope, person)) ? await supportOf(scope, person) : null;
      if (!support) return false;
      await addEntry(scope, {
        personId: person,
        kind: 'conversation',
        ...entry,
        happenedOn: entry.happenedOn || null,
      });
      if (!support.coachId) await setCoach(scope, support, user.personId);
      return true;
    });
    if (!saved) return conversationPage(c, values, { person: t(w('errors.choosePerson')) });
    return c.redirect(`/coaching/people/${person}/everything?done=recorded`, 303);
  });
}
