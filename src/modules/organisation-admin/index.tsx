import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { invite, startPasswordResetFor, waitingInvitations } from '../../core/accounts.ts';
import { audit, findAuditEvents } from '../../core/audit.ts';
import type { AppEnv } from '../../core/context.ts';
import { type Role, roles } from '../../core/database/schema.ts';
import type { Scope } from '../../core/database/tenancy.ts';
import { checkDay } from '../../core/dates.ts';
import type { Translate } from '../../core/i18n/index.ts';
import { listOutbox, outboxText } from '../../core/mail.ts';
import { defineModule } from '../../core/module.ts';
import {
  countWithRole,
  createPerson,
  findOrganisation,
  findPerson,
  giveRole,
  isRole,
  listPeople,
  namesToTellApart,
  removeRole,
  sortByName,
  updateOrganisation,
  updatePerson,
} from '../../core/people.ts';
import { renderProblem } from '../../core/web/errors.tsx';
import { describeAuditEvent, formatDateTime } from '../../core/web/format.ts';
import {
  Button,
  Checkboxes,
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
import { allowed, inOrganisation } from '../../core/web/middleware.ts';
import cy from './cy.json' with { type: 'json' };
import en from './en.json' with { type: 'json' };
import { jobRoutes } from './jobs.tsx';
import { teamRoutes } from './teams.tsx';
import { seedWordingDemo, wordingRoutes } from './wording.tsx';

const id = 'organisation-admin';
const w = (key: string) => `${id}.${key}`;

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, 'errors.tooLong')
    .transform((value) => value || null);

const personSchema = z.object({
  calledName: z
    .string({ error: 'errors.required' })
    .trim()
    .min(1, 'errors.required')
    .max(100, 'errors.tooLong'),
  fullName: optionalText(200).optional().default(''),
});

const emailSchema = z.object({
  email: z.email({ error: 'errors.email' }).max(320, 'errors.tooLong'),
});

const newPersonSchema = personSchema.extend({
  email: z
    .union([z.literal(''), z.email({ error: 'errors.email' }).max(320, 'errors.tooLong')])
    .optional()
    .default(''),
});

const settingsSchema = z.object({
  name: z.string({ error: 'errors.required' }).trim().min(1, 'errors.required').max(200, 'errors.tooLong'),
  nameCy: optionalText(200).optional().default(''),
  defaultLanguage: z.enum(['en', 'cy'], { error: 'errors.invalid' }),
});

/** What someone would like to be called (the one thing needed) and, if they wish, their full name. */
function NameFields({ values, errors, t }: { values?: FormValues; errors: FieldErrors; t: Translate }) {
  return (
    <>
      <TextInput
        name="calledName"
        label={t(w('person.calledName'))}
        hint={t(w('person.calledNameHint'))}
        values={values}
        errors={errors}
        t={t}
      />
      <TextInput
        name="fullName"
        label={t(w('person.fullName'))}
        autocomplete="off"
        values={values}
        errors={errors}
        t={t}
      />
    </>
  );
}

async function chosenRoles(c: Context<AppEnv>): Promise<Role[]> {
  const body = await c.req.parseBody({ all: true });
  const raw = body.roles;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return [...new Set(list.filter(isRole))];
}

function addPersonPage(
  c: Context<AppEnv>,
  values: FormValues = {},
  errors: FieldErrors = {},
  chosen: Role[] = ['person'],
) {
  const t = c.get('t');
  const hasErrors = Object.keys(errors).length > 0;
  return renderPage(
    c,
    { title: t(w('person.addTitle')), hasErrors, narrow: true, status: hasErrors ? 400 : 200 },
    <>
      <ErrorSummary errors={errors} t={t} />
      <h1 class="govuk-heading-l">{t(w('person.addTitle'))}</h1>
      <form method="post" action="/admin/people" novalidate>
        <CsrfField c={c} />
        <NameFields values={values} errors={errors} t={t} />
        <TextInput
          name="email"
          type="email"
          spellcheck={false}
          autocomplete="off"
          label={t(w('person.email'))}
          hint={t(w('person.emailHint'))}
          values={values}
          errors={errors}
          t={t}
        />
        <Checkboxes
          name="roles"
          legend={t(w('person.rolesLegend'))}
          options={roles.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
          chosen={chosen}
          t={t}
        />
        <Button>{t(w('person.addButton'))}</Button>
      </form>
    </>,
  );
}

async function sendInvitation(c: Context<AppEnv>, scope: Scope, personId: string, email: string) {
  const user = c.get('user')!;
  const organisation = await findOrganisation(scope);
  const language = organisation?.defaultLanguage ?? 'en';
  const organisationName =
    (language === 'cy' && organisation?.nameCy) || organisation?.name || user.organisationName;
  await invite(scope, c.get('services').config, {
    personId,
    email,
    t: c.get('services').translate(language),
    inviterName: user.calledName,
    organisationName,
  });
}

const notices: Record<string, string> = {
  added: 'person.added',
  invited: 'person.invited',
  saved: 'person.saved',
  'role-given': 'person.roleGiven',
  'role-removed': 'person.roleRemoved',
};

async function personPage(
  c: Context<AppEnv>,
  personId: string,
  values?: FormValues,
  errors: FieldErrors = {},
) {
  const t = c.get('t');
  const { found, waiting } = await inOrganisation(c, async (scope) => {
    const someone = await findPerson(scope, personId);
    if (!someone) return { found: null, waiting: [] };
    await audit(scope, {
      action: 'read',
      subjectType: 'person',
      subjectId: someone.id,
      subjectPersonId: someone.id,
    });
    return { found: someone, waiting: someone.email ? [] : await waitingInvitations(scope, someone.id) };
  });
  if (!found) return renderProblem(c, 404);
  const language = c.get('language');
  const hasErrors = Object.keys(errors).length > 0;
  const noticeKey = notices[c.req.query('done') ?? ''];
  const shown = values ?? { calledName: found.calledName, fullName: found.fullName ?? '' };
  const missing = roles.filter((role) => !found.roles.includes(role));
  return renderPage(
    c,
    { title: found.calledName, hasErrors, status: hasErrors ? 400 : 200 },
    <>
      <Notice text={noticeKey ? t(w(noticeKey), { name: found.calledName }) : null} />
      <ErrorSummary errors={errors} t={t} />
      <h1 class="govuk-heading-l">
        <bdi>{found.calledName}</bdi>
      </h1>
      <dl class="govuk-summary-list">
        <div class="govuk-summary-list__row">
          <dt class="govuk-summary-list__key">{t(w('person.fullNameShown'))}</dt>
          <dd class="govuk-summary-list__value">
            <bdi>{found.fullName ?? '—'}</bdi>
          </dd>
        </div>
        <div class="govuk-summary-list__row">
          <dt class="govuk-summary-list__key">{t(w('person.account'))}</dt>
          <dd class="govuk-summary-list__value">
            {found.email ? t(w('person.hasAccount'), { email: found.email }) : t(w('person.noAccount'))}
            {waiting.map((sent) => (
              <p class="govuk-body govuk-!-margin-bottom-0">
                {t(w('person.invitationWaiting'), {
                  email: sent.email,
                  sent: formatDateTime(sent.createdAt, language),
                  until: formatDateTime(sent.expiresAt, language),
                })}
              </p>
            ))}
          </dd>
        </div>
      </dl>

      <h2 class="govuk-heading-m">{t(w('person.rolesTitle'))}</h2>
      {found.roles.length === 0 ? <p class="govuk-body">{t(w('people.noRoles'))}</p> : null}
      <ul class="govuk-list">
        {found.roles.map((role) => (
          <li>
            {t(`roles.${role}`)}{' '}
            <form
              method="post"
              action={`/admin/people/${found.id}/roles/remove`}
              class="alongside-inline-form"
            >
              <CsrfField c={c} />
              <input type="hidden" name="role" value={role} />
              <button type="submit" class="alongside-button-link">
                {t(w('person.removeRole'), { role: t(`roles.${role}`) })}
              </button>
            </form>
          </li>
        ))}
      </ul>
      {missing.length > 0 ? (
        <form method="post" action={`/admin/people/${found.id}/roles`} novalidate>
          <CsrfField c={c} />
          <Select
            name="role"
            label={t(w('person.giveRole'))}
            options={missing.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
            values={values}
            errors={errors}
            t={t}
          />
          <Button secondary>{t(w('person.giveRoleButton'))}</Button>
        </form>
      ) : null}

      {found.email ? null : (
        <>
          <h2 class="govuk-heading-m">
            {t(w(waiting.length > 0 ? 'person.inviteAgainTitle' : 'person.inviteTitle'))}
          </h2>
          <form method="post" action={`/admin/people/${found.id}/invite`} novalidate>
            <CsrfField c={c} />
            <TextInput
              name="email"
              type="email"
              spellcheck={false}
              autocomplete="off"
              label={t(w('person.inviteEmail'))}
              values={values ?? { email: waiting[0]?.email ?? '' }}
              errors={errors}
              t={t}
            />
            <Button secondary>
              {t(w(waiting.length > 0 ? 'person.inviteAgainButton' : 'person.inviteButton'))}
            </Button>
          </form>
        </>
      )}

      {found.email && found.id !== c.get('user')!.personId ? (
        <>
          <h2 class="govuk-heading-m" id="reset" tabindex={-1}>
            {t(w('person.resetTitle'))}
          </h2>
          {errors.reset ? (
            <p class="govuk-error-message">
              <span class="govuk-visually-hidden">{t('errors.prefix')}:</span> {errors.reset}
            </p>
          ) : null}
          <p class="govuk-body">{t(w('person.resetIntro'), { name: found.calledName })}</p>
          <form method="post" action={`/admin/people/${found.id}/password-reset`} novalidate>
            <CsrfField c={c} />
            <Button secondary>{t(w('person.resetButton'))}</Button>
          </form>
        </>
      ) : null}

      <h2 class="govuk-heading-m">{t(w('person.editTitle'))}</h2>
      <form method="post" action={`/admin/people/${found.id}`} novalidate>
        <CsrfField c={c} />
        <NameFields values={shown} errors={errors} t={t} />
        <Button>{t(w('person.saveButton'))}</Button>
      </form>
    </>,
  );
}

function settingsPage(c: Context<AppEnv>, values: FormValues, errors: FieldErrors = {}, saved = false) {
  const t = c.get('t');
  const hasErrors = Object.keys(errors).length > 0;
  return renderPage(
    c,
    { title: t(w('settings.title')), hasErrors, narrow: true, status: hasErrors ? 400 : 200 },
    <>
      <Notice text={saved ? t(w('settings.saved')) : null} />
      <ErrorSummary errors={errors} t={t} />
      <h1 class="govuk-heading-l">{t(w('settings.title'))}</h1>
      <form method="post" action="/admin/organisation" novalidate>
        <CsrfField c={c} />
        <TextInput name="name" label={t(w('settings.name'))} values={values} errors={errors} t={t} />
        <TextInput name="nameCy" label={t(w('settings.nameCy'))} values={values} errors={errors} t={t} />
        <Select
          name="defaultLanguage"
          label={t(w('settings.defaultLanguage'))}
          options={[
            { value: 'en', label: t(w('settings.english')) },
            { value: 'cy', label: t(w('settings.welsh')) },
          ]}
          values={values}
          errors={errors}
          t={t}
        />
        <Button>{t(w('settings.save'))}</Button>
      </form>
    </>,
  );
}

function auditActions(c: Context<AppEnv>) {
  const t = c.get('t');
  const actions = [
    'read',
    'create',
    'update',
    'export',
    'sign-in',
    'sign-out',
    'invite',
    'accept-invitation',
    'give-role',
    'remove-role',
    'request-password-reset',
    'start-password-reset',
    'reset-password',
    'change-password',
  ];
  return [
    { value: '', label: t(w('audit.anyAction')) },
    ...actions.map((action) => ({ value: action, label: t(`audit.${action}`) })),
  ];
}

export const organisationAdmin = defineModule({
  id,
  catalogues: { en, cy },
  permissions: {
    admin: [
      'organisation',
      'person',
      'membership',
      'invitation',
      'audit-trail',
      'outbox',
      'language-guard',
    ].map((subject) => ({ action: 'manage', subject, scope: 'any' as const })),
    // Leads shape how their team writes about people, so they keep the wording suggestions too.
    lead: [{ action: 'manage', subject: 'language-guard', scope: 'any' }],
  },
  navigation: [
    { href: '/admin', label: 'nav', visible: (can) => can('manage', 'organisation') },
    // Admins reach it from the admin page; a lead has no admin page, so it gets its own link.
    {
      href: '/wording',
      label: 'wording.nav',
      visible: (can) => can('manage', 'language-guard') && !can('manage', 'organisation'),
    },
  ],

  async seedDemo(scope, organisation, services) {
    await seedWordingDemo({ ...scope, actorPersonId: organisation.people.admin ?? null });
    // One invitation waiting in each outbox, so the embedded mail path is there to see.
    const waiting = organisation.people.nia ?? organisation.people.owain;
    if (!waiting) return;
    const existing = await findPerson(scope, waiting);
    if (!existing || existing.email) return;
    const outbox = await listOutbox(scope, 1);
    if (outbox.length > 0) return;
    const owner = await findOrganisation(scope);
    await invite({ ...scope, actorPersonId: organisation.people.admin ?? null }, services.config, {
      personId: waiting,
      email: `${existing.calledName.toLowerCase()}@example.org`,
      t: services.translate(owner?.defaultLanguage ?? 'en'),
      inviterName: 'Alongside',
      organisationName: owner?.name ?? '',
    });
  },

  // No figures for the impact report: roles and people are removed, not ended, so who was known at
  // the end of a past period cannot be derived; reach comes from the work itself (coaching, peers).

  routes(app: Hono<AppEnv>) {
    wordingRoutes(app);
    app.use('/admin', allowed('manage', 'organisation'));
    app.use('/admin/*', allowed('manage', 'organisation'));
    teamRoutes(app);
    jobRoutes(app);

    app.get('/admin', async (c) => {
      const t = c.get('t');
      const user = c.get('user')!;
      const counts = await inOrganisation(c, async (scope) => {
        // One query at a time: a transaction is one connection.
        const found = [];
        for (const role of roles) found.push({ role, count: await countWithRole(scope, role) });
        return found;
      });
      return renderPage(
        c,
        { title: t(w('overview.title')) },
        <>
          <h1 class="govuk-heading-l">{t(w('overview.title'))}</h1>
          <p class="govuk-body">{t(w('overview.intro'), { organisation: user.organisationName })}</p>
          <LinkList
            links={[
              { href: '/admin/people', label: t(w('overview.people')) },
              { href: '/admin/people/new', label: t(w('overview.addPerson')) },
              { href: '/admin/organisation', label: t(w('overview.settings')) },
              { href: '/wording', label: t(w('overview.wording')), hint: t(w('overview.wordingHint')) },
              { href: '/admin/audit', label: t(w('overview.audit')) },
              { href: '/admin/outbox', label: t(w('overview.outbox')), hint: t(w('overview.outboxHint')) },
              { href: '/admin/teams', label: t(w('overview.teams')), hint: t(w('overview.teamsHint')) },
              { href: '/admin/jobs', label: t(w('overview.jobs')), hint: t(w('overview.jobsHint')) },
            ]}
          />
          <DataTable
            caption={t(w('overview.countsCaption'))}
            captionSize="m"
            columns={[{ label: t(w('overview.role')) }, { label: t(w('overview.count')), numeric: true }]}
            rows={counts.map(({ role, count }) => [t(`roles.${role}`), count])}
          />
        </>,
      );
    });

    app.get('/admin/people', async (c) => {
      const t = c.get('t');
      const search = (c.req.query('q') ?? '').slice(0, 200);
      const found = await inOrganisation(c, (scope) => listPeople(scope, { search, limit: 200 }));
      // Two people of the same called name are told apart, and the list reads in the admin's language's order.
      const names = namesToTellApart(found, t);
      const people = sortByName(found, (someone) => names.get(someone.id)!, c.get('language'));
      return renderPage(
        c,
        { title: t(w('people.title')) },
        <>
          <h1 class="govuk-heading-l">{t(w('people.title'))}</h1>
          <form method="get" action="/admin/people">
            <TextInput name="q" type="search" label={t(w('people.search'))} values={{ q: search }} t={t} />
            <Button secondary>{t(w('people.searchButton'))}</Button>
          </form>
          <p class="govuk-body">
            <a class="govuk-link" href="/admin/people/new">
              {t(w('overview.addPerson'))}
            </a>
          </p>
          {people.length === 0 ? (
            <p class="govuk-body">{t(w('people.none'))}</p>
          ) : (
            <DataTable
              caption={t(w('people.resultCount'), { count: people.length })}
              columns={[
                { label: t(w('people.name')) },
                { label: t(w('people.email')) },
                { label: t(w('people.roles')) },
              ]}
              rows={people.map((someone) => [
                <>
                  <a class="govuk-link" href={`/admin/people/${someone.id}`}>
                    <bdi>{names.get(someone.id)}</bdi>
                  </a>
                  {someone.fullName ? (
                    <span class="govuk-hint govuk-!-margin-bottom-0">
                      {' '}
                      <bdi>{someone.fullName}</bdi>
                    </span>
                  ) : null}
                </>,
                someone.email ? (
                  <span class="alongside-email">{someone.email}</span>
                ) : (
                  t(w('people.noAccount'))
                ),
                someone.roles.map((role) => t(`roles.${role}`)).join(', ') || t(w('people.noRoles')),
              ])}
            />
          )}
        </>,
      );
    });

    app.get('/admin/people/new', (c) => addPersonPage(c));

    app.post('/admin/people', async (c) => {
      const values = await formValues(c);
      const chosen = await chosenRoles(c);
      const parsed = parseValues(newPersonSchema, values, c.get('t'));
      if (!parsed.ok) return addPersonPage(c, values, parsed.errors, chosen);
      const { calledName, fullName, email } = parsed.data;
      const personId = await inOrganisation(c, async (scope) => {
        const created = await createPerson(scope, { calledName, fullName, roles: chosen });
        if (email) await sendInvitation(c, scope, created, email);
        return created;
      });
      const done = email ? 'invited' : 'added';
      return c.redirect(`/admin/people/${personId}?done=${done}`, 303);
    });

    app.get('/admin/people/:personId', (c) => personPage(c, c.req.param('personId')));

    app.post('/admin/people/:personId', async (c) => {
      const personId = c.req.param('personId');
      const values = await formValues(c);
      const parsed = parseValues(personSchema, values, c.get('t'));
      if (!parsed.ok) return personPage(c, personId, values, parsed.errors);
      const changed = await inOrganisation(c, (scope) =>
        updatePerson(scope, personId, {
          calledName: parsed.data.calledName,
          fullName: parsed.data.fullName ?? null,
        }),
      );
      if (!changed) return renderProblem(c, 404);
      return c.redirect(`/admin/people/${personId}?done=saved`, 303);
    });

    app.post('/admin/people/:personId/roles', async (c) => {
      const personId = c.req.param('personId');
      const values = await formValues(c);
      if (!isRole(values.role))
        return personPage(c, personId, values, { role: c.get('t')(w('person.chooseRole')) });
      const role = values.role;
      const found = await inOrganisation(c, async (scope) => {
        const someone = await findPerson(scope, personId);
        if (someone) await giveRole(scope, someone.id, role);
        return someone;
      });
      if (!found) return renderProblem(c, 404);
      return c.redirect(`/admin/people/${personId}?done=role-given`, 303);
    });

    app.post('/admin/people/:personId/roles/remove', async (c) => {
      const personId = c.req.param('personId');
      const values = await formValues(c);
      if (!isRole(values.role)) return renderProblem(c, 400);
      const role = values.role;
      const outcome = await inOrganisation(c, async (scope) => {
        const someone = await findPerson(scope, personId);
        if (!someone) return 'missing' as const;
        if (
          role === 'admin' &&
          someone.roles.includes('admin') &&
          (await countWithRole(scope, 'admin')) <= 1
        ) {
          return 'last-admin' as const;
        }
        await removeRole(scope, someone.id, role);
        return 'done' as const;
      });
      if (outcome === 'missing') return renderProblem(c, 404);
      if (outcome === 'last-admin')
        return personPage(c, personId, undefined, { role: c.get('t')(w('person.lastAdmin')) });
      return c.redirect(`/admin/people/${personId}?done=role-removed`, 303);
    });

    app.post('/admin/people/:personId/invite', async (c) => {
      const personId = c.req.param('personId');
      const values = await formValues(c);
      const parsed = parseValues(emailSchema, values, c.get('t'));
      if (!parsed.ok) return personPage(c, personId, values, parsed.errors);
      const outcome = await inOrganisation(c, async (scope) => {
        const someone = await findPerson(scope, personId);
        if (!someone) return 'missing' as const;
        if (someone.email) return 'has-account' as const;
        await sendInvitation(c, scope, someone.id, parsed.data.email);
        return 'done' as const;
      });
      if (outcome === 'missing') return renderProblem(c, 404);
      if (outcome === 'has-account')
        return personPage(c, personId, values, { email: c.get('t')(w('person.alreadyHasAccount')) });
      return c.redirect(`/admin/people/${personId}?done=invited`, 303);
    });

    app.post('/admin/people/:personId/password-reset', async (c) => {
      const t = c.get('t');
      const user = c.get('user')!;
      const services = c.get('services');
      const personId = c.req.param('personId');
      const result = await startPasswordResetFor(services.database, services.config, {
        organisationId: user.organisationId,
        adminPersonId: user.personId,
        personId,
        requestId: c.get('requestId'),
        translate: services.translate,
        endSessions: (accountId) => services.sessions.endEverywhere(accountId),
      });
      if (result.outcome !== 'started') {
        if (result.outcome === 'missing') return renderProblem(c, 404);
        if (result.outcome === 'elsewhere-too')
          return personPage(c, personId, undefined, { reset: t(w('person.resetElsewhere')) });
        return renderProblem(c, 409, w(`person.reset-${result.outcome}`));
      }
      const someone = await inOrganisation(c, (scope) => findPerson(scope, personId));
      // The link is shown once, here, to pass on by hand; it is kept nowhere an admin can read again.
      return renderPage(
        c,
        { title: t(w('person.resetStartedTitle')), narrow: true },
        <>
          <h1 class="govuk-heading-l">{t(w('person.resetStartedTitle'))}</h1>
          <p class="govuk-body">{t(w('person.resetStartedBody'), { name: someone?.calledName ?? '' })}</p>
          {result.link ? (
            <>
              <p class="govuk-body">{t(w('person.resetLinkIntro'), { name: someone?.calledName ?? '' })}</p>
              <p class="govuk-body alongside-pre">
                <code>{result.link}</code>
              </p>
              <p class="govuk-body">{t(w('person.resetLinkOnce'))}</p>
            </>
          ) : (
            <p class="govuk-body">{t(w('person.resetEmailed'), { name: someone?.calledName ?? '' })}</p>
          )}
          <p class="govuk-body">
            <a class="govuk-link" href={`/admin/people/${personId}`}>
              {t(w('person.backToPerson'), { name: someone?.calledName ?? '' })}
            </a>
          </p>
        </>,
      );
    });

    app.get('/admin/organisation', async (c) => {
      const organisation = await inOrganisation(c, (scope) => findOrganisation(scope));
      if (!organisation) return renderProblem(c, 404);
      return settingsPage(
        c,
        {
          name: organisation.name,
          nameCy: organisation.nameCy ?? '',
          defaultLanguage: organisation.defaultLanguage,
        },
        {},
        c.req.query('done') === 'saved',
      );
    });

    app.post('/admin/organisation', async (c) => {
      const values = await formValues(c);
      const parsed = parseValues(settingsSchema, values, c.get('t'));
      if (!parsed.ok) return settingsPage(c, values, parsed.errors);
      await inOrganisation(c, (scope) =>
        updateOrganisation(scope, {
          name: parsed.data.name,
          nameCy: parsed.data.nameCy ?? null,
          defaultLanguage: parsed.data.defaultLanguage,
        }),
      );
      return c.redirect('/admin/organisation?done=saved', 303);
    });

    app.get('/admin/audit', async (c) => {
      const t = c.get('t');
      const query = c.req.query();
      const page = Math.max(0, Math.min(10_000, Number.parseInt(query.page ?? '0', 10) || 0));
      const errors: FieldErrors = {};
      const day = (field: 'from' | 'to') => {
        // The trail began this century; a day before that, or one the calendar lacks, is a slip.
        const reading = checkDay(query[field], { earliest: '2000-01-01' });
        if (!reading.ok) {
          errors[field] = t(reading.message, reading.params);
          return undefined;
        }
        return reading.day ? new Date(`${reading.day}T00:00:00Z`) : undefined;
      };
      const to = day('to');
      const filter = {
        subjectPersonId: query.person || undefined,
        actorPersonId: query.actor || undefined,
        action: query.action || undefined,
        from: day('from'),
        before: to ? new Date(to.getTime() + 86_400_000) : undefined,
      };
      const trail = await inOrganisation(c, async (scope) => {
        const everyone = await listPeople(scope, { limit: 1000 });
        const known = new Set(everyone.map((p) => p.id));
        // A filter naming nobody here (an old link, another organisation's id) is said, not quietly dropped.
        for (const field of ['person', 'actor'] as const) {
          const chosen = query[field];
          if (chosen && !known.has(chosen)) errors[field] = t(w('audit.unknownPerson'));
        }
        const found = await findAuditEvents(scope, {
          ...filter,
          subjectPersonId:
            filter.subjectPersonId && known.has(filter.subjectPersonId) ? filter.subjectPersonId : undefined,
          actorPersonId:
            filter.actorPersonId && known.has(filter.actorPersonId) ? filter.actorPersonId : undefined,
          limit: 51,
          offset: page * 50,
        });
        await audit(scope, { action: 'read', subjectType: 'audit-trail', detail: { page } });
        return { events: found, people: everyone };
      });
      // With a filter that could not be read, showing everything would mislead: show nothing until it is mended.
      const events = Object.keys(errors).length > 0 ? [] : trail.events;
      const language = c.get('language');
      const names = namesToTellApart(trail.people, t);
      const people = sortByName(trail.people, (p) => names.get(p.id)!, language);
      const personOptions = [
        { value: '', label: t(w('audit.anyone')) },
        ...people.map((p) => ({
          value: p.id,
          label: names.get(p.id)! + (p.fullName ? ` (${p.fullName})` : ''),
        })),
      ];
      const pageLink = (to: number) => {
        const params = new URLSearchParams({ ...query, page: String(to) });
        return `/admin/audit?${params}`;
      };
      const hasErrors = Object.keys(errors).length > 0;
      return renderPage(
        c,
        { title: t(w('audit.title')), hasErrors, status: hasErrors ? 400 : 200 },
        <>
          <ErrorSummary errors={errors} t={t} />
          <h1 class="govuk-heading-l">{t(w('audit.title'))}</h1>
          <p class="govuk-body">{t(w('audit.intro'))}</p>
          <form method="get" action="/admin/audit" novalidate>
            <div class="govuk-grid-row">
              <div class="govuk-grid-column-one-half">
                <Select
                  name="person"
                  label={t(w('audit.person'))}
                  options={personOptions}
                  values={query}
                  errors={errors}
                  t={t}
                />
                <Select
                  name="actor"
                  label={t(w('audit.actor'))}
                  options={personOptions}
                  values={query}
                  errors={errors}
                  t={t}
                />
                <Select
                  name="action"
                  label={t(w('audit.action'))}
                  options={auditActions(c)}
                  values={query}
                  t={t}
                />
              </div>
              <div class="govuk-grid-column-one-half">
                <TextInput
                  name="from"
                  type="date"
                  label={t(w('audit.from'))}
                  values={query}
                  errors={errors}
                  t={t}
                />
                <TextInput
                  name="to"
                  type="date"
                  label={t(w('audit.to'))}
                  values={query}
                  errors={errors}
                  t={t}
                />
              </div>
            </div>
            <Button secondary>{t(w('audit.filter'))}</Button>
          </form>
          {events.length === 0 ? (
            <p class="govuk-body">{t(w('audit.none'))}</p>
          ) : (
            <DataTable
              caption={t(w('audit.caption'))}
              columns={['when', 'who', 'what', 'whose', 'reference'].map((column) => ({
                label: t(w(`audit.${column}`)),
              }))}
              rows={events
                .slice(0, 50)
                .map((event) => [
                  formatDateTime(event.occurredAt, language),
                  <bdi>{event.actorName ?? t('history.system')}</bdi>,
                  describeAuditEvent(t, event),
                  <bdi>{event.subjectName ?? '—'}</bdi>,
                  event.requestId?.slice(0, 8) ?? '',
                ])}
            />
          )}
          <nav class="govuk-pagination" aria-label={t(w('audit.title'))}>
            {page > 0 ? (
              <div class="govuk-pagination__prev">
                <a class="govuk-link govuk-pagination__link" href={pageLink(page - 1)} rel="prev">
                  <span class="govuk-pagination__link-title">{t(w('audit.newer'))}</span>
                </a>
              </div>
            ) : null}
            {events.length > 50 ? (
              <div class="govuk-pagination__next">
                <a class="govuk-link govuk-pagination__link" href={pageLink(page + 1)} rel="next">
                  <span class="govuk-pagination__link-title">{t(w('audit.older'))}</span>
                </a>
              </div>
            ) : null}
          </nav>
        </>,
      );
    });

    app.get('/admin/outbox', async (c) => {
      const t = c.get('t');
      const user = c.get('user')!;
      const messages = await inOrganisation(c, async (scope) => {
        const found = await listOutbox(scope, 100);
        await audit(scope, { action: 'read', subjectType: 'outbox', detail: { count: found.length } });
        return found;
      });
      const language = c.get('language');
      const status = (m: (typeof messages)[number]) =>
        m.delivery === 'outbox'
          ? t(w('outbox.waiting'))
          : m.sentAt
            ? t(w('outbox.sent'))
            : m.failure
              ? t(w('outbox.failed'))
              : t(w('outbox.queued'));
      return renderPage(
        c,
        { title: t(w('outbox.title')) },
        <>
          <h1 class="govuk-heading-l">{t(w('outbox.title'))}</h1>
          <p class="govuk-body">{t(w('outbox.intro'))}</p>
          {messages.length === 0 ? <p class="govuk-body">{t(w('outbox.none'))}</p> : null}
          <ul class="alongside-card-list">
            {messages.map((message) => (
              <li>
                <h2 class="govuk-heading-s govuk-!-margin-bottom-1">{message.subject}</h2>
                <p class="govuk-body-s govuk-!-margin-bottom-1">
                  {t(w('outbox.to'))}: {message.toAddress} · {t(w('outbox.written'))}:{' '}
                  {formatDateTime(message.createdAt, language)} · {t(w('outbox.status'))}: {status(message)}
                </p>
                {/* Mail that a server sends is not for admins to read: it may hold someone's one-time link. */}
                {message.delivery === 'outbox' ? (
                  <details class="govuk-details govuk-!-margin-bottom-0">
                    <summary class="govuk-details__summary">
                      <span class="govuk-details__summary-text">{t(w('outbox.read'))}</span>
                    </summary>
                    <div class="govuk-details__text">
                      <pre class="alongside-pre govuk-body">
                        {outboxText(message, user.personId, t(w('outbox.hiddenLink')))}
                      </pre>
                    </div>
                  </details>
                ) : null}
              </li>
            ))}
          </ul>
        </>,
      );
    });
  },
});
