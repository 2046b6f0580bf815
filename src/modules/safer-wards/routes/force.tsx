import type { Hono } from 'hono';
import { stream } from 'hono/streaming';
import { audit } from '../../../core/audit.ts';
import type { AppEnv } from '../../../core/context.ts';
import type { Scope } from '../../../core/database/tenancy.ts';
import { checkDay } from '../../../core/dates.ts';
import type { Translate } from '../../../core/i18n/index.ts';
import { checkWording } from '../../../core/language-guard/index.ts';
import { findPerson, namesOf } from '../../../core/people.ts';
import { staffOf } from '../../../core/teams.ts';
import { renderProblem } from '../../../core/web/errors.tsx';
import {
  Button,
  CsrfField,
  type FieldErrors,
  type FormValues,
  formValues,
  TextArea,
  TextInput,
} from '../../../core/web/forms.tsx';
import { needsWordingPause } from '../../../core/web/language-guard.tsx';
import { Summary } from '../../../core/web/layout.tsx';
import { inOrganisation } from '../../../core/web/middleware.ts';
import { listSeries, raiseTopic } from '../../learning/spaces.ts';
import {
  addDebrief,
  createForceRecord,
  debriefsOf,
  type ForceRecord,
  type ForceRecordInput,
  findForceRecord,
  forceLimits,
  forceVersions,
  listForceRecords,
  missingForSignOff,
  setWithheld,
  signOff,
  updateForceRecord,
} from '../force.ts';
import { currentHelpPlan } from '../help-plans.ts';
import { recordInteraction } from '../interactions.ts';
import { writeForceCsv } from '../statutory-export.ts';
import { auditSubject, isPatientOf, patientsOnWard, wasOnWardAt } from '../wards.ts';
import { ForceForm, forceTextFields, planChoices, readForceForm, recordValues } from './force-form.tsx';
import { HelpPlanView } from './help-plan-views.tsx';
import { allOf, type C, durationText, page, Words, w, wardHere, wardLabel, when } from './shared.tsx';

const shortLimit = 2000;

/** The record's summary, item by item (a)–(p), as staff and the patient read it. */
export function ForceSummary({
  c,
  record,
  names,
}: {
  c: C;
  record: ForceRecord;
  names: Map<string, string>;
}) {
  const t = c.get('t');
  const notKnown = t(w('force.notKnown'));
  const answer = (group: string, value: string) =>
    value ? t(w(`${group}.${value}`)) : t(w('force.notAnswered'));
  const rows: [string, unknown][] = [
    [`(e) ${t(w('force.fields.patient'))}`, names.get(record.personId) ?? '—'],
    [`(g) ${t(w('force.fields.identifier'))}`, record.personId],
    [`(b) ${t(w('force.fields.place'))}`, record.place || t(w('force.notAnswered'))],
    [
      `(b, c) ${t(w('force.typesTitle'))}`,
      record.types.length === 0 ? (
        t(w('force.notAnswered'))
      ) : (
        <ul class="govuk-list govuk-!-margin-bottom-0">
          {record.types.map((used) => (
            <li>
              <strong>{t(w(`force.types.${used.type}`))}</strong>
              {used.position ? ` (${t(w(`force.positions.${used.position}`))})` : ''}:{' '}
              {when(c, used.startedAt)} – {when(c, used.endedAt)} (
              {durationText(t, used.startedAt, used.endedAt)})
            </li>
          ))}
        </ul>
      ),
    ],
    [
      `(a) ${t(w('force.fields.reason'))}`,
      record.reason ? <Words text={record.reason} /> : t(w('force.notAnswered')),
    ],
    [
      `(f) ${t(w('force.fields.description'))}`,
      record.description ? <Words text={record.description} /> : t(w('force.notAnswered')),
    ],
    [`(d) ${t(w('force.fields.inCarePlan'))}`, answer('answers', record.inCarePlan)],
    [
      `(h) ${t(w('force.fields.staff'))}`,
      record.staff.length === 0 ? (
        t(w('force.notAnswered'))
      ) : (
        <ul class="govuk-list govuk-!-margin-bottom-0">
          {record.staff.map((person) => (
            <li>
              {person.calledName}, {person.jobTitle}
            </li>
          ))}
        </ul>
      ),
    ],
    [
      `(i) ${t(w('force.fields.nonStaff'))}`,
      <>
        {answer('force.nonStaff', record.nonStaff)}
        {record.othersInvolved ? <Words text={record.othersInvolved} /> : null}
      </>,
    ],
    [`(j) ${t(w('force.fields.mentalDisorder'))}`, record.mentalDisorder || notKnown],
    [`(k) ${t(w('force.fields.characteristics'))}`, record.characteristics || notKnown],
    [
      `(l) ${t(w('force.fields.ldAutism'))}`,
      record.ldAutism ? t(w(`plan.ldAutism.${record.ldAutism}`)) : notKnown,
    ],
    [
      `(m) ${t(w('force.fields.outcome'))}`,
      record.outcome ? <Words text={record.outcome} /> : t(w('force.notAnswered')),
    ],
    [`(n) ${t(w('force.fields.harm'))}`, answer('force.harms', record.harm)],
    [
      `(o) ${t(w('force.effortsTitle'))}`,
      <>
        {record.planItemsTried.length > 0 ? (
          <ul class="govuk-list govuk-list--bullet">
            {record.planItemsTried.map((item) => (
              <li>{item}</li>
            ))}
          </ul>
        ) : null}
        {record.efforts ? (
          <Words text={record.efforts} />
        ) : record.planItemsTried.length === 0 ? (
          t(w('force.notAnswered'))
        ) : null}
      </>,
    ],
    [
      `(p) ${t(w('force.fields.peopleTold'))}`,
      <>
        {answer('force.told', record.peopleTold)}
        {record.peopleToldDetails ? <Words text={record.peopleToldDetails} /> : null}
      </>,
    ],
  ];
  return <Summary rows={rows as [string, string][]} />;
}

// A new record, or a draft being finished, or an amendment: the person's plan is shown first.
export const formPage = async (
  c: C,
  record: ForceRecord | null,
  values?: FormValues,
  tried?: string[],
  errors: FieldErrors = {},
  wording = {},
) => {
  const t = c.get('t');
  const personId = record?.personId ?? values?.person ?? c.req.query('person') ?? '';
  const data = await inOrganisation(c, async (scope) => {
    const place = await wardHere(c, scope);
    if (!place || (record && record.wardId !== place.ward.id)) return null;
    const known = personId && (await isPatientOf(scope, place.ward.id, personId));
    const plan = known ? await currentHelpPlan(scope, personId) : null;
    return {
      place,
      plan,
      staffList: (await staffOf(scope, place.ward.id)).filter(
        (s, i, all) => all.findIndex((o) => o.personId === s.personId) === i,
      ),
      patients: record ? [] : await patientsOnWard(scope, place.ward.id, { limit: 200 }),
      name: known ? (await findPerson(scope, personId))?.calledName : undefined,
      names: await namesOf(scope, plan?.writtenBy ? [plan.writtenBy] : []),
    };
  });
  if (!data) return renderProblem(c, 404);
  const base = `/wards/${data.place.ward.id}`;
  const shown: FormValues = values ?? (record ? recordValues(record) : prefill(c));
  if (!record && !shown.person) shown.person = personId;
  return page(
    c,
    {
      title: t(
        w(record ? (record.status === 'draft' ? 'force.finishTitle' : 'force.amendTitle') : 'force.newTitle'),
      ),
      caption: wardLabel(c, data.place),
      errors,
      narrow: true,
      back: {
        href: record ? `${base}/force/${record.id}` : base,
        label: t(w(record ? 'back.record' : 'back.ward')),
      },
    },
    <>
      {data.name ? (
        <div class="govuk-inset-text">
          <h2 class="govuk-heading-m">{t(w('plan.whatHelps'), { name: data.name })}</h2>
          <HelpPlanView plan={data.plan} names={data.names} own={false} t={t} language={c.get('language')} />
        </div>
      ) : null}
      <ForceForm
        action={record ? `${base}/force/${record.id}` : `${base}/force`}
        values={shown}
        tried={tried ?? record?.planItemsTried ?? []}
        planOptions={planChoices(data.plan, t)}
        staffList={data.staffList}
        patients={
          record
            ? undefined
            : [
                ...data.patients.map((p) => ({ value: p.personId, label: p.calledName })),
                // Someone who has left the ward, when the record is started from their page.
                ...(data.name && !data.patients.some((p) => p.personId === personId)
                  ? [{ value: personId, label: data.name }]
                  : []),
              ]
        }
        signedOff={record?.status === 'signed-off'}
        errors={errors}
        wording={wording}
        csrf={<CsrfField c={c} />}
        t={t}
        language={c.get('language')}
      />
    </>,
  );
};

/** Each missing s.6(5) item as a message beside the field of the form that gives it. */
function missingErrors(
  record: Pick<ForceRecordInput, 'place' | 'nonStaff'>,
  missing: string[],
  t: Translate,
): FieldErrors {
  const fieldFor: Record<string, string> = {
    a: 'reason',
    b: record.place.trim() ? 'type0' : 'place',
    c: 'type0',
    d: 'inCarePlan',
    f: 'description',
    h: 'staff',
    i: record.nonStaff === 'yes' ? 'othersInvolved' : 'nonStaff',
    m: 'outcome',
    n: 'harm',
    o: 'efforts',
    p: 'peopleTold',
  };
  const errors: FieldErrors = {};
  for (const letter of missing) {
    let field = fieldFor[letter]!;
    if (errors[field]) field = field === 'type0' ? 'position0' : `${field}-${letter}`;
    errors[field] = t(w(`force.missing.${letter}`));
  }
  return errors;
}

/** The names a lesson must not carry: what the person is called, their full name, and each part of it. */
async function namesToLeaveOut(scope: Scope, personId: string): Promise<string[]> {
  const person = await findPerson(scope, personId);
  if (!person) return [];
  const whole = [person.calledName, person.fullName ?? ''].map((name) => name.trim()).filter(Boolean);
  const parts = whole.flatMap((name) => name.split(/\s+/)).filter((part) => part.length > 1);
  return [...new Set([...whole, ...parts])].sort((a, b) => b.length - a.length);
}

/** Words with every one of those names replaced, whole words only, whatever their case. */
export function withoutNames(words: string, names: string[], replacement: string): string {
  let result = words;
  for (const name of names) {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    result = result.replace(
      new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(['’]s)?(?![\\p{L}\\p{N}])`, 'giu'),
      (_, possessive: string | undefined) => `${replacement}${possessive ?? ''}`,
    );
  }
  return result;
}

export function forceRoutes(app: Hono<AppEnv>) {
  // Every record of force on the ward, newest first, a page at a time; the manager exports from here.
  const listPage = async (c: C, exportValues?: FormValues, errors: FieldErrors = {}) => {
    const t = c.get('t');
    const offset = Math.max(0, Number.parseInt(c.req.query('skip') ?? '0', 10) || 0);
    const data = await inOrganisation(c, async (scope) => {
      const place = await wardHere(c, scope);
      if (!place) return null;
      const records = await listForceRecords(scope, { wardId: place.ward.id, limit: 21, offset });
      const names = await namesOf(
        scope,
        records.map((r) => r.personId),
      );
      return { place, records, names };
    });
    if (!data) return renderProblem(c, 404);
    const base = `/wards/${data.place.ward.id}`;
    const shown = data.records.slice(0, 20);
    const year = new Date().getUTCFullYear();
    return page(
      c,
      {
        title: t(w('force.listTitle')),
        caption: wardLabel(c, data.place),
        errors,
        back: { href: base, label: t(w('back.ward')) },
      },
      <>
        <p class="govuk-body">
          <a class="govuk-link" href={`${base}/force/new`}>
            {t(w('force.new'))}
          </a>
        </p>
        <ul class="govuk-list">
          {shown.map((record) => (
            <li>
              <a class="govuk-link" href={`${base}/force/${record.id}`}>
                {t(w('force.itemTitle'), { when: when(c, record.startedAt ?? record.createdAt) })}
              </a>
              {' · '}
              {data.names.get(record.personId) ?? '—'}{' '}
              <strong
                class={`govuk-tag ${record.status === 'draft' ? 'govuk-tag--yellow' : 'govuk-tag--grey'}`}
              >
                {t(w(`force.status.${record.status}`))}
              </strong>
            </li>
          ))}
        </ul>
        {shown.length === 0 ? <p class="govuk-body">{t(w('force.noneOnWard'))}</p> : null}
        {data.records.length > 20 || offset > 0 ? (
          <nav class="govuk-pagination" aria-label={t(w('ward.pages'))}>
            <ul class="govuk-list">
              {offset > 0 ? (
                <li>
                  <a class="govuk-link" href={`${base}/force?skip=${Math.max(0, offset - 20)}`}>
                    {t(w('force.newer'))}
                  </a>
                </li>
              ) : null}
              {data.records.length > 20 ? (
                <li>
                  <a class="govuk-link" href={`${base}/force?skip=${offset + 20}`} rel="next">
                    {t(w('force.older'))}
                  </a>
                </li>
              ) : null}
            </ul>
          </nav>
        ) : null}
        {data.place.manages ? (
          <>
            <h2 class="govuk-heading-m">{t(w('export.title'))}</h2>
            <p class="govuk-body">{t(w('export.intro'))}</p>
            <form method="get" action={`${base}/force.csv`} novalidate>
              <TextInput
                name="from"
                type="date"
                label={t(w('export.from'))}
                values={exportValues ?? { from: `${year - 1}-01-01` }}
                errors={errors}
                t={t}
              />
              <TextInput
                name="to"
                type="date"
                label={t(w('export.to'))}
                values={exportValues ?? { to: `${year}-12-31` }}
                errors={errors}
                t={t}
              />
              <Button secondary>{t(w('export.download'))}</Button>
            </form>
          </>
        ) : null}
      </>,
    );
  };
  app.get('/wards/:wardId/force', (c) => listPage(c));

  // The statutory export, streamed a batch at a time: memory stays one batch however many records.
  app.get('/wards/:wardId/force.csv', async (c) => {
    const t = c.get('t');
    const from = checkDay(c.req.query('from'), { required: true });
    const to = checkDay(c.req.query('to'), { required: true });
    const place = await inOrganisation(c, async (scope) => {
      const found = await wardHere(c, scope);
      if (!found?.manages) return found ? ('not-manager' as const) : null;
      if (from.ok && to.ok)
        await audit(scope, {
          action: 'read',
          subjectType: auditSubject.export,
          subjectId: found.ward.id,
          detail: { from: from.day, to: to.day },
        });
      return found;
    });
    if (!place) return renderProblem(c, 404);
    if (place === 'not-manager') return renderProblem(c, 403);
    // A day that is not a day, or a range the wrong way round, is said beside the field it is in.
    const errors: FieldErrors = {};
    if (!from.ok) errors.from = t(from.message, from.params);
    if (!to.ok) errors.to = t(to.message, to.params);
    if (from.ok && to.ok && from.day > to.day) errors.to = t(w('export.badRange'));
    if (!from.ok || !to.ok || Object.keys(errors).length > 0)
      return listPage(c, { from: c.req.query('from') ?? '', to: c.req.query('to') ?? '' }, errors);
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="use-of-force-${from.day}-to-${to.day}.csv"`);
    const wardName = wardLabel(c, place);
    return stream(c, async (out) => {
      await writeForceCsv({
        inScope: (work) => inOrganisation(c, work),
        wardId: place.ward.id,
        from: from.day as string,
        to: to.day as string,
        t,
        wardName: () => wardName,
        write: (chunk) => out.write(chunk),
      });
    });
  });

  app.get('/wards/:wardId/force/new', (c) => formPage(c, null));

  /** Reads, checks and saves the form, for a new record or an existing one. */
  const save = async (c: C, existing: ForceRecord | null) => {
    const t = c.get('t');
    const values = await formValues(c);
    const tried = await allOf(c, 'tried');
    const result = await inOrganisation(c, async (scope) => {
      const place = await wardHere(c, scope);
      if (!place || (existing && existing.wardId !== place.ward.id)) return null;
      const staffList = await staffOf(scope, place.ward.id);
      const { input, errors, rows } = readForceForm(values, tried, staffList, t);
      const personId = existing?.personId ?? values.person ?? '';
      if (!existing) {
        if (!personId) errors.person = t(w('errors.personRequired'));
        else if (!(await isPatientOf(scope, place.ward.id, personId)))
          errors.person = t(w('errors.personNotOnWard'));
      }
      // Each type's start must fall in a stay on this ward.
      if (!errors.person && personId) {
        for (const [index, used] of input.types.entries()) {
          if (!(await wasOnWardAt(scope, place.ward.id, personId, used.startedAt)))
            errors[`start${rows[index]}`] ??= t(w('errors.notOnWardThen'));
        }
      }
      const amendmentReason = (values.amendmentReason ?? '').trim();
      if (existing?.status === 'signed-off') {
        if (!amendmentReason) errors.amendmentReason = t(w('errors.amendmentReasonRequired'));
        else if (amendmentReason.length > forceLimits.amendmentReason)
          errors.amendmentReason = t('errors.tooLong', { max: forceLimits.amendmentReason });
        // A signed-off record stays complete: an amendment may change an item, never empty it.
        const missing = missingForSignOff(input);
        for (const [field, message] of Object.entries(missingErrors(input, missing, t)))
          errors[field] ??= message;
      }
      if (Object.keys(errors).length > 0) return { place, errors };
      const wording = await checkWording(
        scope,
        c.get('language'),
        Object.fromEntries(forceTextFields.map((f) => [f, input[f]])),
      );
      if (needsWordingPause(values, wording)) return { place, errors, wording };
      if (existing) {
        await updateForceRecord(scope, existing, input, amendmentReason);
        return { place, id: existing.id, done: existing.status === 'signed-off' ? 'amended' : 'draftSaved' };
      }
      const id = await createForceRecord(scope, place.ward.id, personId, input);
      // The continuum counts force too, at the moment it began.
      const at = input.types[0]?.startedAt;
      if (at)
        await recordInteraction(scope, {
          wardId: place.ward.id,
          personId,
          happenedAt: at,
          kind: 'use-of-force',
          words: '',
          forceRecordId: id,
        });
      return { place, id, done: 'draftSaved' };
    });
    if (!result) return renderProblem(c, 404);
    if (!('id' in result) || !result.id)
      return formPage(c, existing, values, tried, result.errors, 'wording' in result ? result.wording : {});
    return c.redirect(`/wards/${result.place.ward.id}/force/${result.id}?done=${result.done}`, 303);
  };
  app.post('/wards/:wardId/force', (c) => save(c, null));

  const loadRecord = (c: C) =>
    inOrganisation(c, async (scope) => {
      const place = await wardHere(c, scope);
      const record = place ? await findForceRecord(scope, c.req.param('recordId') ?? '') : null;
      if (!place || !record || record.wardId !== place.ward.id) return null;
      return record;
    });
  app.get('/wards/:wardId/force/:recordId/edit', async (c) => {
    const record = await loadRecord(c);
    return record ? formPage(c, record) : renderProblem(c, 404);
  });
  app.post('/wards/:wardId/force/:recordId', async (c) => {
    const record = await loadRecord(c);
    return record ? save(c, record) : renderProblem(c, 404);
  });

  // One record: the plan, every item, the versions, the debriefs side by side.
  const recordPage = async (c: C, errors: FieldErrors = {}, values: FormValues = {}) => {
    const t = c.get('t');
    const language = c.get('language');
    const me = c.get('user')!.personId;
    const data = await inOrganisation(c, async (scope) => {
      const place = await wardHere(c, scope);
      const record = place ? await findForceRecord(scope, c.req.param('recordId') ?? '') : null;
      if (!place || !record || record.wardId !== place.ward.id) return null;
      await audit(scope, {
        action: 'read',
        subjectType: auditSubject.forceRecord,
        subjectId: record.id,
        subjectPersonId: record.personId,
      });
      const plan = await currentHelpPlan(scope, record.personId);
      const versions = await forceVersions(scope, record.id);
      const debriefs = await debriefsOf(scope, record.id);
      const spaces = await listSeries(scope, me);
      const names = await namesOf(scope, [
        record.personId,
        ...(plan?.writtenBy ? [plan.writtenBy] : []),
        ...versions.flatMap((v) => (v.savedBy ? [v.savedBy] : [])),
        ...debriefs.flatMap((d) => (d.byPersonId ? [d.byPersonId] : [])),
      ]);
      return { place, record, plan, versions, debriefs, spaces, names };
    });
    if (!data) return renderProblem(c, 404);
    const { place, record, plan, versions, debriefs, spaces, names } = data;
    const base = `/wards/${place.ward.id}/force/${record.id}`;
    const patientName = names.get(record.personId) ?? '—';
    return page(
      c,
      {
        title: t(w('force.itemTitle'), { when: when(c, record.startedAt ?? record.createdAt) }),
        caption: `${patientName} · ${t(w(`force.status.${record.status}`))}`,
        errors,
        back: {
          href: `/wards/${place.ward.id}/patients/${record.personId}`,
          label: t(w('back.patient'), { name: patientName }),
        },
      },
      <>
        <div class="govuk-inset-text">
          <h2 class="govuk-heading-m">{t(w('plan.whatHelps'), { name: patientName })}</h2>
          <HelpPlanView plan={plan} names={names} own={false} t={t} language={language} />
        </div>
        <ForceSummary c={c} record={record} names={names} />
        <p class="govuk-body">
          <a class="govuk-link" href={`${base}/edit`}>
            {t(w(record.status === 'draft' ? 'force.finish' : 'force.amend'))}
          </a>
        </p>
        {record.status === 'draft' ? (
          <form method="post" action={`${base}/sign-off`} novalidate>
            <CsrfField c={c} />
            <p class="govuk-body">{t(w('force.signOffIntro'))}</p>
            <Button>{t(w('force.signOff'))}</Button>
          </form>
        ) : (
          <p class="govuk-body">{t(w('force.lockedSince'), { when: when(c, record.signedOffAt) })}</p>
        )}

        <h2 class="govuk-heading-m">{t(w('debrief.patientTitle'))}</h2>
        {debriefs.filter((d) => d.side === 'patient').length === 0 ? (
          <p class="govuk-body">{t(w('debrief.notOffered'))}</p>
        ) : null}
        <ul class="govuk-list">
          {debriefs
            .filter((d) => d.side === 'patient')
            .map((d) => (
              <li>
                <strong>{t(w(`debrief.states.${d.state}`))}</strong> ({when(c, d.createdAt)}
                {d.byPersonId && d.byPersonId !== record.personId
                  ? `, ${t(w('debrief.recordedBy'), { name: names.get(d.byPersonId) ?? '—' })}`
                  : ''}
                ){d.words ? <Words text={d.words} /> : null}
              </li>
            ))}
        </ul>
        <form method="post" action={`${base}/offer`} novalidate>
          <CsrfField c={c} />
          <p class="govuk-body">{t(w('debrief.offerIntro'))}</p>
          <Button secondary>{t(w('debrief.offer'))}</Button>
        </form>

        <h2 class="govuk-heading-m">{t(w('debrief.staffTitle'))}</h2>
        {debriefs
          .filter((d) => d.side === 'staff')
          .map((d) => (
            <div class="alongside-debrief">
              <p class="govuk-body-s">
                {t(w('debrief.byWhen'), {
                  name: d.byPersonId ? (names.get(d.byPersonId) ?? '—') : '—',
                  when: when(c, d.createdAt),
                })}
              </p>
              <Summary
                rows={[
                  [t(w('debrief.before')), <Words text={d.beforeWords || '—'} />],
                  [t(w('debrief.chances')), <Words text={d.chances || '—'} />],
                  [t(w('debrief.differently')), <Words text={d.differently || '—'} />],
                ]}
              />
            </div>
          ))}
        <form method="post" action={`${base}/debrief`} novalidate>
          <CsrfField c={c} />
          <TextArea name="beforeWords" label={t(w('debrief.before'))} values={values} errors={errors} t={t} />
          <TextArea
            name="chances"
            label={t(w('debrief.chances'))}
            hint={t(w('debrief.chancesHint'))}
            values={values}
            errors={errors}
            t={t}
          />
          <TextArea
            name="differently"
            label={t(w('debrief.differently'))}
            values={values}
            errors={errors}
            t={t}
          />
          {spaces.length > 0 ? (
            <div class="govuk-form-group">
              <label class="govuk-label govuk-label--s" for="space">
                {t(w('debrief.lesson'))}
              </label>
              <div id="space-hint" class="govuk-hint">
                {t(w('debrief.lessonHint'))}
              </div>
              <select class="govuk-select" id="space" name="space" aria-describedby="space-hint">
                <option value="">{t(w('debrief.noLesson'))}</option>
                {spaces.map((s) => (
                  <option value={s.id} selected={values.space === s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <Button secondary>{t(w('debrief.save'))}</Button>
        </form>

        {place.manages ? (
          <>
            <h2 class="govuk-heading-m">{t(w('withhold.title'))}</h2>
            <p class="govuk-body">{t(w(record.withheldReason ? 'withhold.isWithheld' : 'withhold.seen'))}</p>
            <form method="post" action={`${base}/withhold`} novalidate>
              <CsrfField c={c} />
              <TextArea
                name="withheldReason"
                label={t(w('withhold.reason'))}
                hint={t(w('withhold.hint'))}
                values={{ withheldReason: values.withheldReason ?? record.withheldReason }}
                errors={errors}
                t={t}
                rows={2}
              />
              <Button secondary>{t(w('withhold.save'))}</Button>
            </form>
          </>
        ) : null}

        <h2 class="govuk-heading-m">{t(w('force.versions'))}</h2>
        <ol class="govuk-list govuk-list--number" reversed>
          {versions.map((v) => (
            <li>
              {t(w('force.versionLine'), {
                status: t(w(`force.status.${v.status}`)),
                name: v.savedBy ? (names.get(v.savedBy) ?? '—') : '—',
                when: when(c, v.savedAt),
              })}
              {v.amendmentReason ? (
                <Words text={t(w('force.amendedBecause'), { reason: v.amendmentReason })} />
              ) : null}
            </li>
          ))}
        </ol>
      </>,
    );
  };
  app.get('/wards/:wardId/force/:recordId', (c) => recordPage(c));

  app.post('/wards/:wardId/force/:recordId/sign-off', async (c) => {
    const t = c.get('t');
    const result = await inOrganisation(c, async (scope) => {
      const place = await wardHere(c, scope);
      const record = place ? await findForceRecord(scope, c.req.param('recordId')) : null;
      if (!place || !record || record.wardId !== place.ward.id) return null;
      return { place, record, outcome: await signOff(scope, record) };
    });
    if (!result) return renderProblem(c, 404);
    if (result.outcome !== 'done') {
      // The form to finish it, with each missing item said beside its own field.
      const errors = missingErrors(result.record, result.outcome, t);
      return formPage(c, result.record, undefined, undefined, errors);
    }
    return c.redirect(`/wards/${result.place.ward.id}/force/${result.record.id}?done=signedOff`, 303);
  });

  // Staff offering a debrief, or writing down the person's answer to the offer.
  app.post('/wards/:wardId/force/:recordId/offer', async (c) => {
    const record = await inOrganisation(c, async (scope) => {
      const place = await wardHere(c, scope);
      const found = place ? await findForceRecord(scope, c.req.param('recordId')) : null;
      if (!place || !found || found.wardId !== place.ward.id) return null;
      await addDebrief(scope, found, { side: 'patient', state: 'offered' });
      return found;
    });
    if (!record) return renderProblem(c, 404);
    return c.redirect(`/wards/${record.wardId}/force/${record.id}?done=debrief`, 303);
  });

  app.post('/wards/:wardId/force/:recordId/debrief', async (c) => {
    const t = c.get('t');
    const values = await formValues(c);
    const errors: FieldErrors = {};
    const words = {
      beforeWords: (values.beforeWords ?? '').trim(),
      chances: (values.chances ?? '').trim(),
      differently: (values.differently ?? '').trim(),
    };
    for (const [field, text] of Object.entries(words))
      if (text.length > shortLimit) errors[field] = t('errors.tooLong', { max: shortLimit });
    if (!words.beforeWords && !words.chances && !words.differently)
      errors.beforeWords = t(w('errors.debriefEmpty'));
    const result = await inOrganisation(c, async (scope) => {
      const place = await wardHere(c, scope);
      const record = place ? await findForceRecord(scope, c.req.param('recordId')) : null;
      if (!place || !record || record.wardId !== place.ward.id) return null;
      if (Object.keys(errors).length > 0) return { record, saved: false };
      const space = values.space
        ? (await listSeries(scope, c.get('user')!.personId)).find((s) => s.id === values.space)
        : undefined;
      if (values.space && !space) {
        errors.space = t(w('errors.spaceUnknown'));
        return { record, saved: false };
      }
      await addDebrief(scope, record, { side: 'staff', state: 'given', ...words });
      // The lesson goes to the team's reflective space without the person's name or the record's words.
      if (space && words.differently)
        await raiseTopic(
          scope,
          space.id,
          t(w('debrief.lessonTopic'), {
            lesson: withoutNames(
              words.differently,
              await namesToLeaveOut(scope, record.personId),
              t(w('debrief.thePerson')),
            ).slice(0, 900),
          }),
        );
      return { record, saved: true, lesson: Boolean(space) };
    });
    if (!result) return renderProblem(c, 404);
    if (!result.saved) return recordPage(c, errors, values);
    return c.redirect(
      `/wards/${result.record.wardId}/force/${result.record.id}?done=${result.lesson ? 'lesson' : 'debrief'}`,
      303,
    );
  });

  app.post('/wards/:wardId/force/:recordId/withhold', async (c) => {
    const t = c.get('t');
    const values = await formValues(c);
    const reason = (values.withheldReason ?? '').trim();
    if (reason.length > forceLimits.withheldReason)
      return recordPage(
        c,
        { withheldReason: t('errors.tooLong', { max: forceLimits.withheldReason }) },
        values,
      );
    const result = await inOrganisation(c, async (scope) => {
      const place = await wardHere(c, scope);
      const record = place?.manages ? await findForceRecord(scope, c.req.param('recordId')) : null;
      if (!place || !record || record.wardId !== place.ward.id)
        return place && !place.manages ? ('not-manager' as const) : null;
      await setWithheld(scope, record, reason);
      return record;
    });
    if (result === 'not-manager') return renderProblem(c, 403);
    if (!result) return renderProblem(c, 404);
    return c.redirect(`/wards/${result.wardId}/force/${result.id}?done=withheld`, 303);
  });
}

/** A new record starts at the time an interaction said, or now. */
function prefill(c: C): FormValues {
  const query = c.req.query();
  return {
    start0Day: query.atDay ?? '',
    start0Time: query.atTime ?? '',
  };
}
