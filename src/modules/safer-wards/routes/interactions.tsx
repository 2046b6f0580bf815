import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../../core/context.ts';
import { checkWording } from '../../../core/language-guard/index.ts';
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
  Select,
  TextArea,
} from '../../../core/web/forms.tsx';
import { KeepWordingButton, needsWordingPause } from '../../../core/web/language-guard.tsx';
import { inOrganisation } from '../../../core/web/middleware.ts';
import { currentHelpPlan } from '../help-plans.ts';
import { continuum, recordInteraction } from '../interactions.ts';
import { nowOnTheWard } from '../moments.ts';
import { isPatientOf, patientsOnWard, wasOnWardAt } from '../wards.ts';
import { formPage as forceFormPage } from './force.tsx';
import { HelpPlanView } from './help-plan-views.tsx';
import { type C, MomentField, momentField, page, w, wardHere, wardLabel } from './shared.tsx';

const interactionSchema = z.object({
  person: z
    .string({ error: 'safer-wards.errors.personRequired' })
    .min(1, 'safer-wards.errors.personRequired'),
  kind: z.enum(continuum, { error: 'safer-wards.errors.kindRequired' }),
  words: optionalText(2000),
});

export function interactionRoutes(app: Hono<AppEnv>) {
  // One short form, like a conversation: who, when (now unless changed), where on the continuum.
  const formPage = async (c: C, values: FormValues = {}, errors: FieldErrors = {}, wording = {}) => {
    const t = c.get('t');
    const personId = values.person ?? c.req.query('person') ?? '';
    const data = await inOrganisation(c, async (scope) => {
      const place = await wardHere(c, scope);
      if (!place) return null;
      const patients = await patientsOnWard(scope, place.ward.id, { limit: 200 });
      const plan =
        personId && (await isPatientOf(scope, place.ward.id, personId))
          ? await currentHelpPlan(scope, personId)
          : null;
      const names = await namesOf(scope, plan?.writtenBy ? [plan.writtenBy] : []);
      return { place, patients, plan, names };
    });
    if (!data) return renderProblem(c, 404);
    const now = nowOnTheWard();
    const shown = { atDay: now.day, atTime: now.time, person: personId, ...values };
    const patient = data.patients.find((p) => p.personId === personId);
    const base = `/wards/${data.place.ward.id}`;
    return page(
      c,
      {
        title: t(w('interactions.title')),
        caption: wardLabel(c, data.place),
        errors,
        narrow: true,
        back: { href: base, label: t(w('back.ward')) },
      },
      <>
        {patient && data.plan ? (
          <details class="govuk-details">
            <summary class="govuk-details__summary">
              <span class="govuk-details__summary-text">
                {t(w('plan.whatHelps'), { name: patient.calledName })}
              </span>
            </summary>
            <div class="govuk-details__text">
              <HelpPlanView
                plan={data.plan}
                names={data.names}
                own={false}
                t={t}
                language={c.get('language')}
              />
            </div>
          </details>
        ) : null}
        <form method="post" action={`${base}/interactions`} novalidate>
          <CsrfField c={c} />
          <Select
            name="person"
            label={t(w('interactions.who'))}
            options={[
              { value: '', label: t(w('interactions.choose')) },
              ...data.patients.map((p) => ({ value: p.personId, label: p.calledName })),
            ]}
            values={shown}
            errors={errors}
            t={t}
          />
          <Radios
            name="kind"
            legend={t(w('interactions.kind'))}
            hint={t(w('interactions.kindHint'))}
            options={continuum.map((kind) => ({ value: kind, label: t(w(`continuum.${kind}`)) }))}
            values={shown}
            errors={errors}
            t={t}
          />
          <TextArea
            name="words"
            label={t(w('interactions.words'))}
            hint={t(w('interactions.wordsHint'))}
            values={shown}
            errors={errors}
            wording={wording}
            t={t}
          />
          <details class="govuk-details" open={Boolean(errors.at) || undefined}>
            <summary class="govuk-details__summary">
              <span class="govuk-details__summary-text">{t(w('interactions.notNow'))}</span>
            </summary>
            <div class="govuk-details__text">
              <MomentField
                name="at"
                legend={t(w('interactions.when'))}
                values={shown}
                errors={errors}
                t={t}
              />
            </div>
          </details>
          <Button>{t(w('interactions.save'))}</Button>
          {needsWordingPause(values, wording) ? <KeepWordingButton t={t} /> : null}
        </form>
      </>,
    );
  };
  app.get('/wards/:wardId/interactions/new', (c) => formPage(c));
  app.post('/wards/:wardId/interactions', async (c) => {
    const t = c.get('t');
    const values = await formValues(c);
    const parsed = parseValues(interactionSchema, values, t);
    const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
    const at = momentField(values, 'at', errors, t, { required: true });
    if (!parsed.ok || !at || Object.keys(errors).length > 0) return formPage(c, values, errors);
    const wording = parsed.data.words
      ? await inOrganisation(c, (scope) =>
          checkWording(scope, c.get('language'), { words: parsed.data.words }),
        )
      : {};
    if (needsWordingPause(values, wording)) return formPage(c, values, {}, wording);
    const result = await inOrganisation(c, async (scope) => {
      const place = await wardHere(c, scope);
      if (!place) return null;
      if (!(await isPatientOf(scope, place.ward.id, parsed.data.person))) {
        errors.person = t(w('errors.personNotOnWard'));
        return { wardId: place.ward.id, saved: false };
      }
      if (!(await wasOnWardAt(scope, place.ward.id, parsed.data.person, at))) {
        errors.at = t(w('errors.notOnWardThen'));
        return { wardId: place.ward.id, saved: false };
      }
      // Force opens the full record; the interaction is kept with it when the record is first saved.
      if (parsed.data.kind === 'use-of-force') return { wardId: place.ward.id, saved: false, force: true };
      await recordInteraction(scope, {
        wardId: place.ward.id,
        personId: parsed.data.person,
        happenedAt: at,
        ...parsed.data,
      });
      return { wardId: place.ward.id, saved: true };
    });
    if (!result) return renderProblem(c, 404);
    // Force opens the full record, with what was typed carried into it (nothing goes in the address).
    if (result.force)
      return forceFormPage(c, null, {
        person: parsed.data.person,
        start0Day: values.atDay ?? '',
        start0Time: values.atTime ?? '',
        description: parsed.data.words,
      });
    if (!result.saved) return formPage(c, values, errors);
    return c.redirect(`/wards/${result.wardId}?done=recorded`, 303);
  });
}
