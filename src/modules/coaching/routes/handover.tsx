import type { Hono } from 'hono';
import type { AppEnv } from '../../../core/context.ts';
import { listPeople, namesToTellApartOf, sortByName } from '../../../core/people.ts';
import { canReach, findTeam, listTeams, teamName } from '../../../core/teams.ts';
import { isUuid } from '../../../core/tokens.ts';
import {
  Button,
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  type FormValues,
  formValues,
  Radios,
  Select,
} from '../../../core/web/forms.tsx';
import { renderPage } from '../../../core/web/layout.tsx';
import { allowed, inOrganisation } from '../../../core/web/middleware.ts';
import { caseloadOf, handOver } from '../support.ts';
import { w } from '../words.ts';
import type { C } from './shared.tsx';

export const handOverSubject = 'coaching-handover';

/**
 * A lead hands a person, or a whole caseload, to another coach or team in one step. The lead chooses
 * only among the people their teams reach; the person then sees who walks alongside them, and since
 * when, and the history keeps who did before.
 */
export function handoverRoutes(app: Hono<AppEnv>) {
  app.use('/coaching/handover', allowed('hand-over', handOverSubject));

  const handoverPage = async (c: C, values: FormValues = {}, errors: FieldErrors = {}) => {
    const t = c.get('t');
    const language = c.get('language');
    const user = c.get('user')!;
    const data = await inOrganisation(c, async (scope) => {
      const people = (
        await listPeople(scope, { role: 'person', reachableBy: user.personId, limit: 1000 })
      ).map((someone) => ({ personId: someone.id }));
      const coaches = [
        ...new Map(
          [
            ...(await listPeople(scope, { role: 'coach', limit: 500 })),
            ...(await listPeople(scope, { role: 'lead', limit: 500 })),
          ].map((someone) => [someone.id, someone]),
        ).values(),
      ];
      const teams = await listTeams(scope);
      const names = await namesToTellApartOf(
        scope,
        [...people.map((someone) => someone.personId), ...coaches.map((someone) => someone.id)],
        t,
      );
      return { people, coaches, teams, names };
    });
    const { people, coaches, teams, names } = data;
    const nameOf = (id: string) => names.get(id) ?? '';
    const hasErrors = Object.keys(errors).length > 0;
    const coachOptions = sortByName(coaches, (someone) => nameOf(someone.id), language).map((someone) => ({
      value: someone.id,
      label: nameOf(someone.id),
    }));
    return renderPage(
      c,
      { title: t(w('handover.title')), hasErrors, status: hasErrors ? 400 : 200, narrow: true },
      <>
        <ErrorSummary errors={errors} t={t} />
        <h1 class="govuk-heading-l">{t(w('handover.title'))}</h1>
        <p class="govuk-body">{t(w('handover.intro'))}</p>
        <form method="post" action="/coaching/handover" novalidate>
          <CsrfField c={c} />
          <Radios
            name="whose"
            legend={t(w('handover.whose'))}
            options={[
              { value: 'person', label: t(w('handover.onePerson')) },
              { value: 'caseload', label: t(w('handover.caseload')) },
            ]}
            values={values}
            errors={errors}
            t={t}
          />
          <Select
            name="person"
            label={t(w('handover.person'))}
            options={[
              { value: '', label: t(w('handover.choose')) },
              ...sortByName(people, (someone) => nameOf(someone.personId), language).map((someone) => ({
                value: someone.personId,
                label: nameOf(someone.personId),
              })),
            ]}
            values={values}
            errors={errors}
            t={t}
          />
          <Select
            name="fromCoach"
            label={t(w('handover.fromCoach'))}
            options={[{ value: '', label: t(w('handover.choose')) }, ...coachOptions]}
            values={values}
            errors={errors}
            t={t}
          />
          <Select
            name="toCoach"
            label={t(w('handover.toCoach'))}
            hint={t(w('handover.toCoachHint'))}
            options={[{ value: '', label: t(w('handover.keepCoach')) }, ...coachOptions]}
            values={values}
            errors={errors}
            t={t}
          />
          <Select
            name="toTeam"
            label={t(w('handover.toTeam'))}
            options={[
              { value: '', label: t(w('handover.keepTeam')) },
              ...teams.map((team) => ({ value: team.id, label: teamName(team, language) })),
            ]}
            values={values}
            errors={errors}
            t={t}
          />
          <Button>{t(w('handover.button'))}</Button>
        </form>
      </>,
    );
  };

  app.get('/coaching/handover', (c) => handoverPage(c));

  app.post('/coaching/handover', async (c) => {
    const t = c.get('t');
    const user = c.get('user')!;
    const values = await formValues(c);
    const errors: FieldErrors = {};
    if (values.whose !== 'person' && values.whose !== 'caseload')
      errors.whose = t(w('handover.errors.whose'));
    const toCoach = isUuid(values.toCoach) ? values.toCoach : null;
    const toTeam = isUuid(values.toTeam) ? values.toTeam : null;
    if (!toCoach && !toTeam) errors.toCoach = t(w('handover.errors.nothing'));
    if (Object.keys(errors).length > 0) return handoverPage(c, values, errors);
    type Outcome =
      | { moved: number }
      | { problem: 'person' | 'fromCoach' | 'toTeam' | 'toCoach'; why?: string };
    const result = await inOrganisation(c, async (scope): Promise<Outcome> => {
      // Only people this lead's teams reach, and only coaches who are coaches or leads here.
      const personIds =
        values.whose === 'person'
          ? isUuid(values.person) && (await canReach(scope, user.personId, values.person))
            ? [values.person]
            : []
          : await caseloadOf(scope, values.fromCoach ?? '', user.personId);
      if (personIds.length === 0) return { problem: values.whose === 'person' ? 'person' : 'fromCoach' };
      if (toTeam && !(await findTeam(scope, toTeam))) return { problem: 'toTeam' };
      if (toCoach) {
        const staff = [
          ...(await listPeople(scope, { role: 'coach', limit: 500 })),
          ...(await listPeople(scope, { role: 'lead', limit: 500 })),
        ];
        if (!staff.some((someone) => someone.id === toCoach)) return { problem: 'toCoach' };
      }
      const done = await handOver(scope, { personIds, toCoachId: toCoach, toTeamId: toTeam });
      return done.ok ? { moved: done.moved } : { problem: 'toCoach', why: done.problem };
    });
    if ('problem' in result) {
      const why = result.why === 'coach-not-in-team' ? 'notInTeam' : result.problem;
      return handoverPage(c, values, { [result.problem]: t(w(`handover.errors.${why}`)) });
    }
    return c.redirect(`/coaching?done=handedOver&count=${result.moved}`, 303);
  });
}
