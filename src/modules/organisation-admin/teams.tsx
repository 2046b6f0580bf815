import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../core/context.ts';
import { type TeamKind, type TeamRole, teamKinds, teamRoles } from '../../core/database/schema.ts';
import { listPeople, namesToTellApartOf, sortByName } from '../../core/people.ts';
import {
  addToTeam,
  createTeam,
  findTeam,
  listTeams,
  removeFromTeam,
  staffOf,
  type Team,
  teamName,
  updateTeam,
} from '../../core/teams.ts';
import { isUuid } from '../../core/tokens.ts';
import { renderProblem } from '../../core/web/errors.tsx';
import { formatDate } from '../../core/web/format.ts';
import {
  Button,
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  type FormValues,
  formValues,
  parseValues,
  Select,
  TextInput,
} from '../../core/web/forms.tsx';
import { DataTable, LinkList, Notice, renderPage } from '../../core/web/layout.tsx';
import { inOrganisation } from '../../core/web/middleware.ts';

/**
 * Teams, for admins: make a team (a coaching locality, a family-link team, a ward, a peer team), name it
 * in English and Welsh, and say who of the staff is in it and as what. People supported join a team when
 * a coach starts supporting them or a lead moves them there (coaching's handover), never by an admin:
 * an admin sees no records, and placing someone decides who can see theirs.
 */

type C = Context<AppEnv>;
const w = (key: string) => `organisation-admin.teams.${key}`;

const teamSchema = z.object({
  name: z.string({ error: 'errors.required' }).trim().min(1, 'errors.required').max(200, 'errors.tooLong'),
  nameCy: z.string().trim().max(200, 'errors.tooLong').default(''),
  kind: z.union([z.literal(''), z.enum(teamKinds)], { error: 'errors.invalid' }).default(''),
  beds: z
    .string()
    .trim()
    .default('')
    .refine(
      (value) => value === '' || (/^\d{1,4}$/.test(value) && Number(value) >= 1 && Number(value) <= 1000),
      {
        message: 'organisation-admin.teams.bedsRange',
      },
    ),
});

function teamInput(data: z.output<typeof teamSchema>) {
  return {
    name: data.name,
    nameCy: data.nameCy || null,
    kind: (data.kind || null) as TeamKind | null,
    beds: data.beds ? Number(data.beds) : null,
  };
}

function TeamFields({ c, values, errors }: { c: C; values: FormValues; errors: FieldErrors }) {
  const t = c.get('t');
  return (
    <>
      <TextInput name="name" label={t(w('name'))} values={values} errors={errors} t={t} />
      <TextInput name="nameCy" label={t(w('nameCy'))} values={values} errors={errors} t={t} />
      <Select
        name="kind"
        label={t(w('kind'))}
        options={[
          { value: '', label: t(w('kindNone')) },
          ...teamKinds.map((kind) => ({ value: kind, label: t(w(`kinds.${kind}`)) })),
        ]}
        values={values}
        errors={errors}
        t={t}
      />
      <TextInput
        name="beds"
        label={t(w('beds'))}
        hint={t(w('bedsHint'))}
        width="10"
        values={values}
        errors={errors}
        t={t}
      />
    </>
  );
}

async function listPage(c: C, values: FormValues = {}, errors: FieldErrors = {}) {
  const t = c.get('t');
  const language = c.get('language');
  const teams = await inOrganisation(c, (scope) => listTeams(scope));
  const hasErrors = Object.keys(errors).length > 0;
  return renderPage(
    c,
    { title: t(w('title')), hasErrors, status: hasErrors ? 400 : 200 },
    <>
      <Notice text={c.req.query('done') === 'added' ? t(w('added')) : null} />
      <ErrorSummary errors={errors} t={t} />
      <h1 class="govuk-heading-l">{t(w('title'))}</h1>
      <p class="govuk-body">{t(w('intro'))}</p>
      <LinkList
        links={teams.map((team) => ({
          href: `/admin/teams/${team.id}`,
          label: teamName(team, language),
          hint: team.kind ? t(w(`kinds.${team.kind}`)) : undefined,
        }))}
      />
      <h2 class="govuk-heading-m">{t(w('addTitle'))}</h2>
      <form method="post" action="/admin/teams" novalidate>
        <CsrfField c={c} />
        <TeamFields c={c} values={values} errors={errors} />
        <Button>{t(w('addButton'))}</Button>
      </form>
    </>,
  );
}

async function teamPage(c: C, teamId: string, values?: FormValues, errors: FieldErrors = {}) {
  const t = c.get('t');
  const language = c.get('language');
  const found = await inOrganisation(c, async (scope) => {
    const team = await findTeam(scope, teamId);
    if (!team) return null;
    const staff = await staffOf(scope, team.id);
    // Whom the admin may add: anyone here with a role that can be one in a team.
    const candidates = (
      await Promise.all(teamRoles.map((role) => listPeople(scope, { role, limit: 500 })))
    ).flat();
    const names = await namesToTellApartOf(
      scope,
      [...candidates.map((person) => person.id), ...staff.map((member) => member.personId)],
      t,
    );
    return { team, staff, candidates, names };
  });
  if (!found) return renderProblem(c, 404);
  const { team, staff, candidates, names } = found;
  const unique = sortByName(
    [...new Map(candidates.map((person) => [person.id, person])).values()],
    (person) => names.get(person.id) ?? person.calledName,
    language,
  );
  const hasErrors = Object.keys(errors).length > 0;
  const done = c.req.query('done');
  const shown = values ?? {
    name: team.name,
    nameCy: team.nameCy ?? '',
    kind: team.kind ?? '',
    beds: team.beds === null ? '' : String(team.beds),
  };
  return renderPage(
    c,
    { title: teamName(team, language), hasErrors, status: hasErrors ? 400 : 200 },
    <>
      <Notice text={done && ['saved', 'joined', 'left'].includes(done) ? t(w(done)) : null} />
      <ErrorSummary errors={errors} t={t} />
      <h1 class="govuk-heading-l">{teamName(team, language)}</h1>
      <h2 class="govuk-heading-m">{t(w('staffTitle'))}</h2>
      {staff.length === 0 ? (
        <p class="govuk-body">{t(w('noStaff'))}</p>
      ) : (
        <DataTable
          caption={t(w('staffCaption'), { team: teamName(team, language) })}
          columns={[
            { label: t(w('person')) },
            { label: t(w('role')) },
            { label: t(w('since')) },
            { label: t(w('remove')) },
          ]}
          rows={staff.map((member) => [
            <bdi>{names.get(member.personId) ?? member.calledName}</bdi>,
            t(`roles.${member.role}`),
            formatDate(member.since, language),
            <form method="post" action={`/admin/teams/${team.id}/leave`} class="alongside-inline-form">
              <CsrfField c={c} />
              <input type="hidden" name="person" value={member.personId} />
              <input type="hidden" name="role" value={member.role} />
              <button type="submit" class="alongside-button-link">
                {t(w('removeButton'))}
                <span class="govuk-visually-hidden">
                  {' '}
                  {t(w('removeHidden'), {
                    name: names.get(member.personId) ?? member.calledName,
                    role: t(`roles.${member.role}`),
                  })}
                </span>
              </button>
            </form>,
          ])}
        />
      )}
      <h2 class="govuk-heading-m">{t(w('joinTitle'))}</h2>
      <form method="post" action={`/admin/teams/${team.id}/join`} novalidate>
        <CsrfField c={c} />
        <Select
          name="person"
          label={t(w('person'))}
          options={[
            { value: '', label: t(w('choosePerson')) },
            ...unique.map((person) => ({
              value: person.id,
              label: names.get(person.id) ?? person.calledName,
            })),
          ]}
          values={values}
          errors={errors}
          t={t}
        />
        <Select
          name="role"
          label={t(w('role'))}
          options={teamRoles.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
          values={values}
          errors={errors}
          t={t}
        />
        <Button secondary>{t(w('joinButton'))}</Button>
      </form>
      <h2 class="govuk-heading-m">{t(w('editTitle'))}</h2>
      <form method="post" action={`/admin/teams/${team.id}`} novalidate>
        <CsrfField c={c} />
        <TeamFields c={c} values={shown} errors={errors} />
        <Button>{t(w('saveButton'))}</Button>
      </form>
      <p class="govuk-body">
        <a class="govuk-link" href="/admin/teams">
          {t(w('allTeams'))}
        </a>
      </p>
    </>,
  );
}

const roleOf = (value: string | undefined): TeamRole | null =>
  (teamRoles as readonly string[]).includes(value ?? '') ? (value as TeamRole) : null;

export function teamRoutes(app: Hono<AppEnv>) {
  app.get('/admin/teams', (c) => listPage(c));

  app.post('/admin/teams', async (c) => {
    const values = await formValues(c);
    const parsed = parseValues(teamSchema, values, c.get('t'));
    if (!parsed.ok) return listPage(c, values, parsed.errors);
    const teamId = await inOrganisation(c, (scope) => createTeam(scope, teamInput(parsed.data)));
    return c.redirect(`/admin/teams/${teamId}?done=saved`, 303);
  });

  app.get('/admin/teams/:teamId', (c) => teamPage(c, c.req.param('teamId')));

  app.post('/admin/teams/:teamId', async (c) => {
    const teamId = c.req.param('teamId');
    const values = await formValues(c);
    const parsed = parseValues(teamSchema, values, c.get('t'));
    if (!parsed.ok) return teamPage(c, teamId, values, parsed.errors);
    const changed = await inOrganisation(c, (scope) => updateTeam(scope, teamId, teamInput(parsed.data)));
    if (!changed) return renderProblem(c, 404);
    return c.redirect(`/admin/teams/${teamId}?done=saved`, 303);
  });

  app.post('/admin/teams/:teamId/join', async (c) => {
    const t = c.get('t');
    const teamId = c.req.param('teamId');
    const values = await formValues(c);
    const role = roleOf(values.role);
    const outcome = await inOrganisation(c, async (scope) => {
      const team: Team | null = await findTeam(scope, teamId);
      if (!team) return 'missing' as const;
      // Only someone here whose role can be this one in a team: a person supported is not staff.
      const allowed = role ? await listPeople(scope, { role, limit: 500 }) : [];
      const person = allowed.find((someone) => someone.id === values.person);
      if (!person || !role) return 'choose' as const;
      await addToTeam(scope, team.id, person.id, role);
      return 'done' as const;
    });
    if (outcome === 'missing') return renderProblem(c, 404);
    if (outcome === 'choose') return teamPage(c, teamId, values, { person: t(w('chooseStaff')) });
    return c.redirect(`/admin/teams/${teamId}?done=joined`, 303);
  });

  app.post('/admin/teams/:teamId/leave', async (c) => {
    const teamId = c.req.param('teamId');
    const values = await formValues(c);
    const role = roleOf(values.role);
    const person = values.person ?? '';
    const left = await inOrganisation(c, async (scope) =>
      role && isUuid(person) && (await findTeam(scope, teamId))
        ? removeFromTeam(scope, teamId, person, role)
        : false,
    );
    if (!left) return renderProblem(c, 404);
    return c.redirect(`/admin/teams/${teamId}?done=left`, 303);
  });
}
