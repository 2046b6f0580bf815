import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../../core/context.ts';
import type { Scope } from '../../../core/database/tenancy.ts';
import { checkWording, type WordingSuggestion } from '../../../core/language-guard/index.ts';
import { findPersonFor, listPeople, namesOf, namesToTellApart, sortByName } from '../../../core/people.ts';
import { canReach } from '../../../core/teams.ts';
import { renderProblem } from '../../../core/web/errors.tsx';
import { formatDate, formatDateTime } from '../../../core/web/format.ts';
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
} from '../../../core/web/forms.tsx';
import { KeepWordingButton, needsWordingPause } from '../../../core/web/language-guard.tsx';
import { Summary } from '../../../core/web/layout.tsx';
import { inOrganisation } from '../../../core/web/middleware.ts';
import {
  auditRead,
  type Barrier,
  type BarrierSystem,
  changeStatus,
  createBarrier,
  findBarrier,
  isStatus,
  listBarriers,
  listSystems,
  listUpdates,
  setConsent,
  statuses,
  updateBarrier,
} from '../barriers.ts';
import {
  type C,
  GuardedTextArea,
  limits,
  nameOfSystem,
  page,
  StatusTag,
  systemOptions,
  Words,
  w,
} from '../views.tsx';

const whatHappened = z
  .string({ error: 'barriers.errors.whatRequired' })
  .trim()
  .min(1, 'barriers.errors.whatRequired')
  .max(limits.whatHappened, 'errors.tooLong');

const barrierSchema = z.object({
  person: z.string().default(''),
  system: z.string({ error: 'barriers.errors.systemRequired' }).min(1, 'barriers.errors.systemRequired'),
  whatHappened,
  effect: optionalText(limits.effect),
  consent: z.string().default(''),
});

const statusSchema = z.object({
  status: z.enum(statuses, { error: 'barriers.errors.statusRequired' }),
  words: optionalText(limits.words),
});

const consentSchema = z.object({
  consent: z.enum(['yes', 'no'], { error: 'barriers.errors.consentRequired' }),
});

const pageSize = 20;

/** Who may do what with one barrier, for the person asking. */
function rights(c: C, barrier: Barrier) {
  const can = c.get('can');
  const target = { personId: barrier.personId };
  return {
    read: can('read', 'barrier', target),
    update: can('update', 'barrier', target),
    // Only the person themself says whether their words may be used as an example.
    consent: barrier.personId === c.get('user')!.personId,
  };
}

/** A barrier about someone the person acting may work with (themselves, or their teams' people). */
async function barrierHere(scope: Scope, barrierId: string) {
  const barrier = await findBarrier(scope, barrierId);
  if (!barrier || !scope.actorPersonId) return null;
  return (await canReach(scope, scope.actorPersonId, barrier.personId)) ? barrier : null;
}

/** A barrier the asker may read, with the read recorded; null for anyone else's, or another organisation's. */
async function readable(c: C, scope: Scope, barrierId: string) {
  const barrier = await barrierHere(scope, barrierId);
  if (!barrier || !rights(c, barrier).read) return null;
  await auditRead(scope, barrier);
  return barrier;
}

export function recordRoutes(app: Hono<AppEnv>) {
  // The list: a coach's or lead's view of recent barriers, filtered and a page at a time; a person's own.
  app.get('/barriers', async (c) => {
    const t = c.get('t');
    const can = c.get('can');
    const me = c.get('user')!.personId;
    const team = can('read', 'barrier');
    const own = can('read', 'barrier', { personId: me });
    const query = c.req.query();
    const filter = {
      systemId: team ? query.system || undefined : undefined,
      status: team && isStatus(query.status) ? query.status : undefined,
      after: query.after || undefined,
    };
    const data = await inOrganisation(c, async (scope) => {
      const systems = await listSystems(scope);
      if (!team && !own) return { systems, barriers: [], more: false, names: new Map<string, string>() };
      const { barriers, more } = await listBarriers(scope, {
        ...filter,
        personId: team ? undefined : me,
        reachableBy: team ? me : undefined,
        limit: pageSize,
      });
      const names = team
        ? await namesOf(
            scope,
            barriers.map((b) => b.personId),
          )
        : new Map<string, string>();
      return { systems, barriers, more, names };
    });
    const { systems, barriers, more, names } = data;
    const language = c.get('language');
    const keep = new URLSearchParams();
    if (filter.systemId) keep.set('system', filter.systemId);
    if (filter.status) keep.set('status', filter.status);
    const next = new URLSearchParams(keep);
    if (barriers.length > 0) next.set('after', barriers[barriers.length - 1]!.id);
    const links = [
      can('create', 'barrier') || can('create', 'barrier', { personId: me })
        ? { href: '/barriers/new', label: t(w(team ? 'list.record' : 'list.recordOwn')) }
        : null,
      can('read', 'barrier-report') ? { href: '/barriers/report', label: t(w('report.title')) } : null,
      can('manage', 'barrier-system') ? { href: '/barriers/systems', label: t(w('systems.title')) } : null,
    ].filter((link) => link !== null);
    return page(
      c,
      { title: t(w(team ? 'list.title' : 'list.titleOwn')) },
      <>
        <p class="govuk-body">{t(w('list.intro'))}</p>
        {links.length > 0 ? (
          <ul class="govuk-list">
            {links.map((link) => (
              <li>
                <a class="govuk-link govuk-!-font-weight-bold" href={link.href}>
                  {link.label}
                </a>
              </li>
            ))}
          </ul>
        ) : null}
        {team ? (
          <form method="get" action="/barriers" novalidate>
            <Select
              name="system"
              label={t(w('list.system'))}
              options={[
                { value: '', label: t(w('list.anySystem')) },
                ...systems.map((s) => ({ value: s.id, label: nameOfSystem(c, systems, { systemId: s.id }) })),
              ]}
              values={query}
              t={t}
            />
            <Select
              name="status"
              label={t(w('list.status'))}
              options={[
                { value: '', label: t(w('list.anyStatus')) },
                ...statuses.map((s) => ({ value: s, label: t(w(`status.${s}`)) })),
              ]}
              values={query}
              t={t}
            />
            <Button secondary>{t(w('list.show'))}</Button>
          </form>
        ) : null}
        {team || own ? (
          <>
            <h2 class="govuk-heading-m">{t(w(team ? 'list.recent' : 'list.yours'))}</h2>
            {barriers.length === 0 ? (
              <p class="govuk-body">{t(w(filter.after ? 'list.noMore' : 'list.none'))}</p>
            ) : null}
            <ul class="alongside-card-list">
              {barriers.map((barrier) => (
                <li>
                  <h3 class="govuk-heading-s govuk-!-margin-bottom-1">
                    <a class="govuk-link" href={`/barriers/${barrier.id}`}>
                      {nameOfSystem(c, systems, barrier)}, {formatDate(barrier.createdAt, language)}
                    </a>
                  </h3>
                  <p class="govuk-body-s govuk-!-margin-bottom-1">
                    {team ? <>{names.get(barrier.personId) ?? '—'} · </> : null}
                    <StatusTag status={barrier.status} t={t} />
                  </p>
                  <p class="govuk-body govuk-!-margin-bottom-0">
                    {barrier.whatHappened.length > 140
                      ? `${barrier.whatHappened.slice(0, 139)}…`
                      : barrier.whatHappened}
                  </p>
                </li>
              ))}
            </ul>
            {more || filter.after ? (
              <nav class="govuk-pagination" aria-label={t(w('list.pages'))}>
                <ul class="govuk-list">
                  {filter.after ? (
                    <li>
                      <a class="govuk-link" href={`/barriers${keep.size ? `?${keep}` : ''}`}>
                        {t(w('list.newest'))}
                      </a>
                    </li>
                  ) : null}
                  {more ? (
                    <li>
                      <a class="govuk-link" href={`/barriers?${next}`} rel="next">
                        {t(w('list.older'))}
                      </a>
                    </li>
                  ) : null}
                </ul>
              </nav>
            ) : null}
          </>
        ) : null}
      </>,
    );
  });

  // Recording: a coach chooses whom it happened to; a person records one that got in their own way.
  const newPage = async (
    c: C,
    values: FormValues = {},
    errors: FieldErrors = {},
    wording: Record<string, WordingSuggestion[]> = {},
  ) => {
    const t = c.get('t');
    const can = c.get('can');
    const me = c.get('user')!.personId;
    const forOthers = can('create', 'barrier');
    if (!forOthers && !can('create', 'barrier', { personId: me })) return renderProblem(c, 403);
    const { systems, people } = await inOrganisation(c, async (scope) => ({
      systems: await listSystems(scope),
      people: forOthers ? await listPeople(scope, { limit: 500, reachableBy: me }) : [],
    }));
    const shown = { person: c.req.query('person') ?? '', ...values };
    // Two people of the same name are told apart, in the reader's language's order.
    const names = namesToTellApart(people, t);
    const choices = sortByName(
      people.map((p) => ({ value: p.id, label: names.get(p.id)! })),
      (choice) => choice.label,
      c.get('language'),
    );
    return page(
      c,
      {
        title: t(w(forOthers ? 'form.title' : 'form.titleOwn')),
        errors,
        narrow: true,
        back: { href: '/barriers', label: t(w('form.back')) },
      },
      <>
        <p class="govuk-body">{t(w('form.intro'))}</p>
        <form method="post" action="/barriers" novalidate>
          <CsrfField c={c} />
          {forOthers ? (
            <Select
              name="person"
              label={t(w('form.person'))}
              hint={t(w('form.personHint'))}
              options={[{ value: '', label: t(w('form.choosePerson')) }, ...choices]}
              values={shown}
              errors={errors}
              t={t}
            />
          ) : null}
          <Select
            name="system"
            label={t(w('form.system'))}
            hint={t(w('form.systemHint'))}
            options={systemOptions(c, systems, null, t(w('form.chooseSystem')))}
            values={shown}
            errors={errors}
            t={t}
          />
          <GuardedTextArea
            name="whatHappened"
            label={t(w('form.whatHappened'))}
            hint={t(w(forOthers ? 'form.whatHappenedHint' : 'form.whatHappenedHintOwn'), {
              max: limits.whatHappened,
            })}
            values={shown}
            errors={errors}
            wording={wording}
            t={t}
            rows={5}
          />
          <GuardedTextArea
            name="effect"
            label={t(w(forOthers ? 'form.effect' : 'form.effectOwn'))}
            hint={t(w('form.effectHint'))}
            values={shown}
            errors={errors}
            wording={wording}
            t={t}
          />
          {forOthers ? (
            <p class="govuk-body">{t(w('form.consentLater'))}</p>
          ) : (
            <Radios
              name="consent"
              legend={t(w('consent.question'))}
              hint={t(w('consent.hint'))}
              options={[
                { value: 'yes', label: t(w('consent.yes')) },
                { value: 'no', label: t(w('consent.no')) },
              ]}
              values={shown}
              errors={errors}
              t={t}
            />
          )}
          <Button>{t(w('form.save'))}</Button>
          {needsWordingPause(values, wording) ? <KeepWordingButton t={t} /> : null}
        </form>
      </>,
    );
  };
  app.get('/barriers/new', (c) => newPage(c));
  app.post('/barriers', async (c) => {
    const t = c.get('t');
    const can = c.get('can');
    const me = c.get('user')!.personId;
    const forOthers = can('create', 'barrier');
    if (!forOthers && !can('create', 'barrier', { personId: me })) return renderProblem(c, 403);
    const values = await formValues(c);
    const parsed = parseValues(barrierSchema, values, t);
    const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
    if (forOthers && !values.person) errors.person = t(w('errors.personRequired'));
    if (!forOthers && values.consent !== 'yes' && values.consent !== 'no')
      errors.consent = t(w('errors.consentRequired'));
    // Staff writing about someone else get the language guard's gentle pause; a person's own words are theirs.
    if (parsed.ok && forOthers && values.person !== me && Object.keys(errors).length === 0) {
      const wording = await inOrganisation(c, (scope) =>
        checkWording(scope, c.get('language'), {
          whatHappened: parsed.data.whatHappened,
          effect: parsed.data.effect,
        }),
      );
      if (needsWordingPause(values, wording)) return newPage(c, values, {}, wording);
    }
    const created = await inOrganisation(c, async (scope) => {
      // Someone of another organisation, or an unknown id, is not anyone this form can name.
      const personId = forOthers ? ((await findPersonFor(scope, values.person ?? ''))?.id ?? null) : me;
      if (!personId && !errors.person) errors.person = t(w('errors.personUnknown'));
      const system = (await listSystems(scope)).find((s) => s.id === values.system && !s.isHidden);
      if (!system && !errors.system) errors.system = t(w('errors.systemUnknown'));
      if (!parsed.ok || Object.keys(errors).length > 0 || !personId || !system) return null;
      return createBarrier(scope, {
        personId,
        systemId: system.id,
        whatHappened: parsed.data.whatHappened,
        effect: parsed.data.effect,
        // Only the person answers for their words; a barrier a coach records for someone waits for them.
        consent:
          personId === me && (values.consent === 'yes' || values.consent === 'no')
            ? values.consent
            : 'not-asked',
      });
    });
    if (!created) return newPage(c, values, errors);
    return c.redirect(`/barriers/${created}?done=recorded`, 303);
  });

  // One barrier: what happened, what was done about it, and the person's answer about sharing it.
  const barrierPage = async (
    c: C,
    forms: { values?: FormValues; errors?: FieldErrors } = {},
  ): Promise<Response> => {
    const t = c.get('t');
    const language = c.get('language');
    const data = await inOrganisation(c, async (scope) => {
      const barrier = await readable(c, scope, c.req.param('id')!);
      if (!barrier) return null;
      const updates = await listUpdates(scope, barrier.id);
      const names = await namesOf(scope, [
        barrier.personId,
        ...(barrier.recordedByPersonId ? [barrier.recordedByPersonId] : []),
        ...updates.flatMap((u) => (u.byPersonId ? [u.byPersonId] : [])),
      ]);
      return { barrier, updates, names, systems: await listSystems(scope) };
    });
    if (!data) return renderProblem(c, 404);
    const { barrier, updates, names, systems } = data;
    const may = rights(c, barrier);
    const errors = forms.errors ?? {};
    const name = (personId: string | null) => (personId ? (names.get(personId) ?? '—') : '—');
    const statusValues = forms.values ?? { status: barrier.status };
    return page(
      c,
      {
        title: t(w('barrier.title'), { system: nameOfSystem(c, systems, barrier) }),
        caption: may.consent ? t(w('barrier.captionOwn')) : name(barrier.personId),
        errors,
        back: { href: '/barriers', label: t(w('form.back')) },
      },
      <>
        <Summary
          rows={[
            [t(w('barrier.person')), name(barrier.personId)],
            [t(w('barrier.recordedBy')), name(barrier.recordedByPersonId)],
            [t(w('barrier.recordedAt')), formatDateTime(barrier.createdAt, language)],
            [t(w('form.system')), nameOfSystem(c, systems, barrier)],
            [t(w('form.whatHappened')), <Words text={barrier.whatHappened} />],
            [
              t(w('barrier.effect')),
              barrier.effect ? <Words text={barrier.effect} /> : t(w('barrier.noEffect')),
            ],
            [t(w('barrier.status')), <StatusTag status={barrier.status} t={t} />],
            [t(w('barrier.consent')), t(w(`consent.state.${barrier.consent}`))],
          ]}
        />
        {may.update ? (
          <p class="govuk-body">
            <a class="govuk-link" href={`/barriers/${barrier.id}/edit`}>
              {t(w('barrier.edit'))}
            </a>
          </p>
        ) : null}

        <h2 class="govuk-heading-m">{t(w('barrier.history'))}</h2>
        <ol class="govuk-list govuk-list--number">
          {updates.map((update, index) => (
            <li>
              <p class="govuk-body govuk-!-margin-bottom-1">
                {t(
                  w(
                    update.kind === 'consent'
                      ? `history.consent.${update.consent}`
                      : index === 0
                        ? 'history.recorded'
                        : `history.status.${update.status}`,
                  ),
                  { name: name(update.byPersonId) },
                )}{' '}
                <span class="govuk-body-s">({formatDateTime(update.createdAt, language)})</span>
              </p>
              {update.words ? <Words text={update.words} /> : null}
            </li>
          ))}
        </ol>

        {may.update ? (
          <form method="post" action={`/barriers/${barrier.id}/status`} novalidate>
            <CsrfField c={c} />
            <h2 class="govuk-heading-m">{t(w('statusForm.title'))}</h2>
            <Radios
              name="status"
              legend={t(w('statusForm.status'))}
              options={statuses.map((s) => ({ value: s, label: t(w(`statusForm.${s}`)) }))}
              values={statusValues}
              errors={errors}
              t={t}
            />
            <GuardedTextArea
              name="words"
              label={t(w('statusForm.words'))}
              hint={t(w('statusForm.wordsHint'), { max: limits.words })}
              values={statusValues}
              errors={errors}
              t={t}
            />
            <Button>{t(w('statusForm.save'))}</Button>
          </form>
        ) : null}

        <h2 class="govuk-heading-m">{t(w('consent.title'))}</h2>
        {may.consent ? (
          <form method="post" action={`/barriers/${barrier.id}/consent`} novalidate>
            <CsrfField c={c} />
            <p class="govuk-body">{t(w('consent.explain'))}</p>
            <div class="govuk-inset-text">
              <Words text={barrier.whatHappened} />
              {barrier.effect ? <Words text={barrier.effect} /> : null}
            </div>
            <p class="govuk-body">{t(w(`consent.now.${barrier.consent}`))}</p>
            <Radios
              name="consent"
              legend={t(w('consent.question'))}
              hint={t(w('consent.hint'))}
              options={[
                { value: 'yes', label: t(w('consent.yes')) },
                { value: 'no', label: t(w('consent.no')) },
              ]}
              values={forms.errors?.consent ? {} : { consent: barrier.consent }}
              errors={errors}
              t={t}
            />
            <Button>{t(w('consent.save'))}</Button>
          </form>
        ) : (
          <p class="govuk-body">
            {t(w(`consent.others.${barrier.consent}`), { name: name(barrier.personId) })}
          </p>
        )}
      </>,
    );
  };
  app.get('/barriers/:id{[0-9a-fA-F-]{36}}', (c) => barrierPage(c));

  app.post('/barriers/:id{[0-9a-fA-F-]{36}}/status', async (c) => {
    const values = await formValues(c);
    const parsed = parseValues(statusSchema, values, c.get('t'));
    const outcome = await inOrganisation(c, async (scope) => {
      const barrier = await barrierHere(scope, c.req.param('id'));
      if (!barrier || !rights(c, barrier).read) return 'not-found' as const;
      if (!rights(c, barrier).update) return 'forbidden' as const;
      if (!parsed.ok) return 'invalid' as const;
      await changeStatus(scope, barrier, parsed.data.status, parsed.data.words);
      return 'done' as const;
    });
    if (outcome === 'not-found') return renderProblem(c, 404);
    if (outcome === 'forbidden') return renderProblem(c, 403);
    if (!parsed.ok) return barrierPage(c, { values, errors: parsed.errors });
    return c.redirect(`/barriers/${c.req.param('id')}?done=status`, 303);
  });

  app.post('/barriers/:id{[0-9a-fA-F-]{36}}/consent', async (c) => {
    const parsed = parseValues(consentSchema, await formValues(c), c.get('t'));
    const outcome = await inOrganisation(c, async (scope) => {
      const barrier = await barrierHere(scope, c.req.param('id'));
      if (!barrier || !rights(c, barrier).read) return 'not-found' as const;
      if (!rights(c, barrier).consent) return 'forbidden' as const;
      if (!parsed.ok) return 'invalid' as const;
      await setConsent(scope, barrier, parsed.data.consent);
      return 'done' as const;
    });
    if (outcome === 'not-found') return renderProblem(c, 404);
    if (outcome === 'forbidden') return renderProblem(c, 403, w('problems.consentOnlyPerson'));
    if (!parsed.ok) return barrierPage(c, { errors: parsed.errors });
    const done = parsed.data.consent === 'yes' ? 'consentYes' : 'consentNo';
    return c.redirect(`/barriers/${c.req.param('id')}?done=${done}`, 303);
  });

  // Correcting what was written: the person themself, or a coach.
  const editPage = async (c: C, values?: FormValues, errors: FieldErrors = {}) => {
    const t = c.get('t');
    const data = await inOrganisation(c, async (scope) => {
      const barrier = await readable(c, scope, c.req.param('id')!);
      return barrier ? { barrier, systems: await listSystems(scope) } : null;
    });
    if (!data) return renderProblem(c, 404);
    const { barrier, systems } = data;
    if (!rights(c, barrier).update) return renderProblem(c, 403);
    const shown = values ?? {
      system: barrier.systemId,
      whatHappened: barrier.whatHappened,
      effect: barrier.effect,
    };
    return page(
      c,
      {
        title: t(w('edit.title')),
        errors,
        narrow: true,
        back: { href: `/barriers/${barrier.id}`, label: t(w('edit.back')) },
      },
      <form method="post" action={`/barriers/${barrier.id}/edit`} novalidate>
        <CsrfField c={c} />
        {barrier.consent === 'yes' && !rights(c, barrier).consent ? (
          <p class="govuk-body">{t(w('edit.consentNote'))}</p>
        ) : null}
        <Select
          name="system"
          label={t(w('form.system'))}
          options={systemOptions(c, systems, barrier.systemId)}
          values={shown}
          errors={errors}
          t={t}
        />
        <GuardedTextArea
          name="whatHappened"
          label={t(w('form.whatHappened'))}
          values={shown}
          errors={errors}
          t={t}
          rows={5}
        />
        <GuardedTextArea name="effect" label={t(w('barrier.effect'))} values={shown} errors={errors} t={t} />
        <Button>{t(w('edit.save'))}</Button>
      </form>,
    );
  };
  app.get('/barriers/:id{[0-9a-fA-F-]{36}}/edit', (c) => editPage(c));
  app.post('/barriers/:id{[0-9a-fA-F-]{36}}/edit', async (c) => {
    const t = c.get('t');
    const values = await formValues(c);
    const parsed = parseValues(barrierSchema, values, t);
    const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
    const outcome = await inOrganisation(c, async (scope) => {
      const barrier = await barrierHere(scope, c.req.param('id'));
      if (!barrier || !rights(c, barrier).read) return 'not-found' as const;
      if (!rights(c, barrier).update) return 'forbidden' as const;
      const system: BarrierSystem | undefined = (await listSystems(scope)).find(
        (s) => s.id === values.system && (!s.isHidden || s.id === barrier.systemId),
      );
      if (!system && !errors.system) errors.system = t(w('errors.systemUnknown'));
      if (!parsed.ok || !system) return 'invalid' as const;
      await updateBarrier(scope, barrier, {
        systemId: system.id,
        whatHappened: parsed.data.whatHappened,
        effect: parsed.data.effect,
      });
      return 'done' as const;
    });
    if (outcome === 'not-found') return renderProblem(c, 404);
    if (outcome === 'forbidden') return renderProblem(c, 403);
    if (outcome === 'invalid') return editPage(c, values, errors);
    return c.redirect(`/barriers/${c.req.param('id')}?done=saved`, 303);
  });
}
