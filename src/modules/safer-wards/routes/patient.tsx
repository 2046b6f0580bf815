import type { Hono } from 'hono';
import type { AppEnv } from '../../../core/context.ts';
import { checkWording } from '../../../core/language-guard/index.ts';
import { findPerson, namesOf } from '../../../core/people.ts';
import { renderProblem } from '../../../core/web/errors.tsx';
import { formatDate } from '../../../core/web/format.ts';
import {
  Button,
  CsrfField,
  type FieldErrors,
  type FormValues,
  formValues,
  parseValues,
} from '../../../core/web/forms.tsx';
import { needsWordingPause } from '../../../core/web/language-guard.tsx';
import { inOrganisation } from '../../../core/web/middleware.ts';
import { listForceRecords } from '../force.ts';
import { currentHelpPlan, helpPlanHeadings, saveHelpPlan } from '../help-plans.ts';
import { listInteractions } from '../interactions.ts';
import { nowOnTheWard } from '../moments.ts';
import { calmItems, staysOf } from '../wards.ts';
import { HelpPlanForm, HelpPlanView, helpPlanSchema, planValues } from './help-plan-views.tsx';
import { allOf, type C, MomentField, page, patientHere, w, wardLabel, when } from './shared.tsx';

export function patientRoutes(app: Hono<AppEnv>) {
  // A patient's page for ward staff: what they told us helps comes first, then the stay and the record.
  app.get('/wards/:wardId/patients/:personId', (c) => patientPage(c, c.req.param('personId')));
  planRoutes(app);
}

/**
 * A patient's page for ward staff: what they told us helps comes first, then the stay and the record.
 * A leave or discharge form that could not be saved comes back open, with what was typed and why.
 */
export async function patientPage(
  c: C,
  personId: string,
  stayForm?: { which: 'leave' | 'discharge'; values: FormValues; errors: FieldErrors },
) {
  const t = c.get('t');
  const language = c.get('language');
  const data = await inOrganisation(c, async (scope) => {
    const place = await patientHere(c, scope, personId);
    if (!place) return null;
    const person = await findPerson(scope, personId);
    const plan = await currentHelpPlan(scope, personId);
    const stays = await staysOf(scope, personId, place.ward.id);
    const interactions = await listInteractions(scope, { personId, limit: 10 });
    const records = await listForceRecords(scope, { personId, limit: 10 });
    const names = await namesOf(scope, [
      ...(plan?.writtenBy ? [plan.writtenBy] : []),
      ...interactions.flatMap((i) => (i.recordedBy ? [i.recordedBy] : [])),
    ]);
    return { place, person: person!, plan, stays, interactions, records, names };
  });
  if (!data) return renderProblem(c, 404);
  const { place, person, plan, stays, interactions, records, names } = data;
  const base = `/wards/${place.ward.id}`;
  const open = stays.find((s) => !s.dischargedAt);
  const now = nowOnTheWard();
  const nowValues: FormValues = { atDay: now.day, atTime: now.time };
  const valuesFor = (which: 'leave' | 'discharge') =>
    stayForm?.which === which ? stayForm.values : nowValues;
  const errors = stayForm?.errors ?? {};
  return page(
    c,
    {
      title: person.calledName,
      caption: wardLabel(c, place),
      errors,
      back: { href: base, label: t(w('back.ward')) },
    },
    <>
      <ul class="govuk-list">
        {open ? (
          <li>
            <a
              class="govuk-link govuk-!-font-weight-bold"
              href={`${base}/interactions/new?person=${person.id}`}
            >
              {t(w('ward.record'), { name: person.calledName })}
            </a>
          </li>
        ) : null}
        <li>
          <a class="govuk-link" href={`${base}/force/new?person=${person.id}`}>
            {t(w('force.new'))}
          </a>
        </li>
      </ul>
      <h2 class="govuk-heading-m">{t(w('plan.whatHelps'), { name: person.calledName })}</h2>
      <HelpPlanView plan={plan} names={names} own={false} t={t} language={language} />
      <p class="govuk-body">
        <a class="govuk-link" href={`${base}/patients/${person.id}/help-plan`}>
          {t(w(plan ? 'plan.changeWith' : 'plan.writeWith'), { name: person.calledName })}
        </a>
        {plan && plan.version > 1 ? (
          <>
            {' · '}
            <a class="govuk-link" href={`${base}/patients/${person.id}/help-plan/versions`}>
              {t(w('plan.versions'))}
            </a>
          </>
        ) : null}
      </p>

      <h2 class="govuk-heading-m">{t(w('stay.title'))}</h2>
      {open ? (
        <>
          <p class="govuk-body">
            {t(w('stay.since'), { day: formatDate(open.admittedAt, language) })}
            {open.onLeaveSince ? ` ${t(w('stay.onLeaveSince'), { when: when(c, open.onLeaveSince) })}` : ''}
          </p>
          <details class="govuk-details" open={stayForm?.which === 'leave' || undefined}>
            <summary class="govuk-details__summary">
              <span class="govuk-details__summary-text">
                {t(w(open.onLeaveSince ? 'stay.backFromLeave' : 'stay.leave'))}
              </span>
            </summary>
            <div class="govuk-details__text">
              <form method="post" action={`${base}/stays/${open.id}/leave`} novalidate>
                <CsrfField c={c} />
                <MomentField
                  name="at"
                  id="leave-at"
                  legend={t(w('stay.when'))}
                  values={valuesFor('leave')}
                  errors={errors}
                  t={t}
                />
                <Button secondary>{t(w(open.onLeaveSince ? 'stay.backFromLeave' : 'stay.leave'))}</Button>
              </form>
            </div>
          </details>
          <details class="govuk-details" open={stayForm?.which === 'discharge' || undefined}>
            <summary class="govuk-details__summary">
              <span class="govuk-details__summary-text">{t(w('stay.discharge'))}</span>
            </summary>
            <div class="govuk-details__text">
              <form method="post" action={`${base}/stays/${open.id}/discharge`} novalidate>
                <CsrfField c={c} />
                <MomentField
                  name="at"
                  id="discharge-at"
                  legend={t(w('stay.when'))}
                  values={valuesFor('discharge')}
                  errors={errors}
                  t={t}
                />
                <Button secondary>{t(w('stay.discharge'))}</Button>
              </form>
            </div>
          </details>
        </>
      ) : (
        <p class="govuk-body">{t(w('stay.notHere'))}</p>
      )}
      {stays.length > 0 ? (
        <ul class="govuk-list govuk-list--bullet">
          {stays.map((stay) => (
            <li>
              {stay.dischargedAt
                ? t(w('stay.was'), {
                    from: formatDate(stay.admittedAt, language),
                    to: formatDate(stay.dischargedAt, language),
                  })
                : t(w('stay.since'), { day: formatDate(stay.admittedAt, language) })}
            </li>
          ))}
        </ul>
      ) : null}

      <h2 class="govuk-heading-m">{t(w('interactions.recent'))}</h2>
      {interactions.length === 0 ? <p class="govuk-body">{t(w('interactions.none'))}</p> : null}
      <ul class="govuk-list">
        {interactions.map((one) => (
          <li>
            <strong>{t(w(`continuum.${one.kind}`))}</strong>, {when(c, one.happenedAt)}
            {one.recordedBy ? ` · ${names.get(one.recordedBy) ?? '—'}` : ''}
            {one.words ? (
              <div class="govuk-body-s alongside-pre govuk-!-margin-bottom-0">{one.words}</div>
            ) : null}
          </li>
        ))}
      </ul>

      <h2 class="govuk-heading-m">{t(w('force.aboutPerson'))}</h2>
      {records.length === 0 ? <p class="govuk-body">{t(w('force.noneAbout'))}</p> : null}
      <ul class="govuk-list">
        {records.map((record) => (
          <li>
            <a class="govuk-link" href={`/wards/${record.wardId}/force/${record.id}`}>
              {t(w('force.itemTitle'), { when: when(c, record.startedAt ?? record.createdAt) })}
            </a>{' '}
            <strong
              class={`govuk-tag ${record.status === 'draft' ? 'govuk-tag--yellow' : 'govuk-tag--grey'}`}
            >
              {t(w(`force.status.${record.status}`))}
            </strong>
          </li>
        ))}
      </ul>
    </>,
  );
}

function planRoutes(app: Hono<AppEnv>) {
  // Staff writing the help plan with the person: their words, marked as written with staff.
  const planPage = async (
    c: C,
    values?: FormValues,
    chosen?: string[],
    errors: FieldErrors = {},
    wording = {},
  ) => {
    const t = c.get('t');
    const personId = c.req.param('personId')!;
    const data = await inOrganisation(c, async (scope) => {
      const place = await patientHere(c, scope, personId);
      if (!place) return null;
      return {
        place,
        person: (await findPerson(scope, personId))!,
        plan: await currentHelpPlan(scope, personId),
        items: await calmItems(scope, place.ward.id),
      };
    });
    if (!data) return renderProblem(c, 404);
    const base = `/wards/${data.place.ward.id}/patients/${personId}`;
    return page(
      c,
      {
        title: t(w('plan.titleWith'), { name: data.person.calledName }),
        caption: wardLabel(c, data.place),
        errors,
        narrow: true,
        back: { href: base, label: t(w('back.patient'), { name: data.person.calledName }) },
      },
      <HelpPlanForm
        action={`${base}/help-plan`}
        own={false}
        values={values ?? planValues(data.plan)}
        chosenItems={chosen ?? data.plan?.calmItems ?? []}
        items={data.items}
        errors={errors}
        wording={wording}
        csrf={<CsrfField c={c} />}
        t={t}
        language={c.get('language')}
      />,
    );
  };
  app.get('/wards/:wardId/patients/:personId/help-plan', (c) => planPage(c));
  app.post('/wards/:wardId/patients/:personId/help-plan', async (c) => {
    const t = c.get('t');
    const values = await formValues(c);
    const chosen = (await allOf(c, 'calmItems')).map((item) => item.trim().slice(0, 80)).filter(Boolean);
    const parsed = parseValues(helpPlanSchema, values, t);
    if (!parsed.ok) return planPage(c, values, chosen, parsed.errors);
    const personId = c.req.param('personId') ?? '';
    const wording = await inOrganisation(c, (scope) =>
      checkWording(
        scope,
        c.get('language'),
        Object.fromEntries(helpPlanHeadings.map((h) => [h, parsed.data[h]])),
      ),
    );
    if (needsWordingPause(values, wording)) return planPage(c, values, chosen, {}, wording);
    const saved = await inOrganisation(c, async (scope) => {
      const place = await patientHere(c, scope, personId);
      if (!place) return null;
      const version = await saveHelpPlan(scope, personId, { ...parsed.data, calmItems: chosen });
      return { wardId: place.ward.id, version };
    });
    if (!saved) return renderProblem(c, 404);
    return c.redirect(
      `/wards/${saved.wardId}/patients/${personId}?done=${saved.version ? 'planSaved' : 'planSame'}`,
      303,
    );
  });
}
