import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../../core/context.ts';
import { createPerson, findPerson, listPeople } from '../../../core/people.ts';
import { renderProblem } from '../../../core/web/errors.tsx';
import { formatDate } from '../../../core/web/format.ts';
import {
  Button,
  CsrfField,
  type FieldErrors,
  type FormValues,
  formValues,
  optionalText,
  parseValues,
  requiredText,
  TextInput,
} from '../../../core/web/forms.tsx';
import { inOrganisation } from '../../../core/web/middleware.ts';
import { listForceRecords } from '../force.ts';
import { nowOnTheWard } from '../moments.ts';
import {
  addCalmItem,
  admit,
  calmItems,
  countOnWard,
  discharge,
  findStay,
  patientsOnWard,
  removeCalmItem,
  setLeave,
  wardsOfStaff,
} from '../wards.ts';
import { patientPage } from './patient.tsx';
import { type C, MomentField, momentField, page, w, wardHere, wardLabel, when } from './shared.tsx';

const newPersonSchema = z.object({
  calledName: requiredText(100),
  fullName: optionalText(200),
});

const calmSchema = z.object({ name: requiredText(80), nameCy: optionalText(80) });

export function wardRoutes(app: Hono<AppEnv>) {
  // The wards someone works on; with one, straight to it.
  app.get('/wards', async (c) => {
    const t = c.get('t');
    const places = await inOrganisation(c, (scope) => wardsOfStaff(scope, c.get('user')!.personId));
    if (places.length === 1) return c.redirect(`/wards/${places[0]!.ward.id}`, 303);
    return page(
      c,
      { title: t(w('wards.title')) },
      places.length === 0 ? (
        <p class="govuk-body">{t(w('wards.none'))}</p>
      ) : (
        <ul class="govuk-list">
          {places.map((place) => (
            <li>
              <a class="govuk-link" href={`/wards/${place.ward.id}`}>
                {wardLabel(c, place)}
              </a>
            </li>
          ))}
        </ul>
      ),
    );
  });

  // The ward's home: who is here, one tap to record with them, what still needs finishing.
  app.get('/wards/:wardId', async (c) => {
    const t = c.get('t');
    const offset = Math.max(0, Number.parseInt(c.req.query('from') ?? '0', 10) || 0);
    const data = await inOrganisation(c, async (scope) => {
      const place = await wardHere(c, scope);
      if (!place) return null;
      const patients = await patientsOnWard(scope, place.ward.id, { limit: 51, offset });
      const drafts = place.manages
        ? await listForceRecords(scope, { wardId: place.ward.id, oldDrafts: new Date(), limit: 20 })
        : [];
      return { place, patients, drafts, here: await countOnWard(scope, place.ward.id) };
    });
    if (!data) return renderProblem(c, 404);
    const { place, patients, drafts, here } = data;
    const base = `/wards/${place.ward.id}`;
    const shown = patients.slice(0, 50);
    return page(
      c,
      { title: wardLabel(c, place), caption: t(w('ward.caption')) },
      <>
        <p class="govuk-body">
          {t(w('ward.beds'), {
            count: here,
            beds: place.ward.beds ?? 0,
          })}
        </p>
        <ul class="govuk-list">
          <li>
            <a class="govuk-link" href={`${base}/dashboard`}>
              {t(w('dashboard.title'))}
            </a>
          </li>
          <li>
            <a class="govuk-link" href={`${base}/board`}>
              {t(w('board.title'))}
            </a>
          </li>
          <li>
            <a class="govuk-link" href={`${base}/force`}>
              {t(w('force.listTitle'))}
            </a>
          </li>
          <li>
            <a class="govuk-link" href={`${base}/mutual-help`}>
              {t(w('mutualHelp.title'))}
            </a>
          </li>
          <li>
            <a class="govuk-link" href={`${base}/know-each-other`}>
              {t(w('knowEachOther.title'))}
            </a>
          </li>
          <li>
            <a class="govuk-link" href={`${base}/calm-box`}>
              {t(w('calm.title'))}
            </a>
          </li>
          <li>
            <a class="govuk-link" href={`${base}/admit`}>
              {t(w('admit.title'))}
            </a>
          </li>
        </ul>
        {drafts.length > 0 ? (
          <div class="govuk-inset-text">
            <h2 class="govuk-heading-s">{t(w('ward.oldDrafts'), { count: drafts.length })}</h2>
            <ul class="govuk-list">
              {drafts.map((draft) => (
                <li>
                  <a class="govuk-link" href={`${base}/force/${draft.id}`}>
                    {t(w('ward.draftOf'), { when: when(c, draft.startedAt ?? draft.createdAt) })}
                  </a>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        <h2 class="govuk-heading-m">{t(w('ward.here'))}</h2>
        {shown.length === 0 ? <p class="govuk-body">{t(w('ward.nobody'))}</p> : null}
        <ul class="alongside-card-list">
          {shown.map((stay) => (
            <li>
              <h3 class="govuk-heading-s govuk-!-margin-bottom-1">
                <a class="govuk-link" href={`${base}/patients/${stay.personId}`}>
                  {stay.calledName}
                </a>
              </h3>
              <p class="govuk-body-s govuk-!-margin-bottom-1">
                {t(w('ward.since'), { day: formatDate(stay.admittedAt, c.get('language')) })}
                {stay.onLeaveSince ? <> · {t(w('ward.onLeave'))}</> : null}
              </p>
              <p class="govuk-body govuk-!-margin-bottom-0">
                <a class="govuk-link" href={`${base}/interactions/new?person=${stay.personId}`}>
                  {t(w('ward.record'), { name: stay.calledName })}
                </a>
              </p>
            </li>
          ))}
        </ul>
        {patients.length > 50 || offset > 0 ? (
          <nav class="govuk-pagination" aria-label={t(w('ward.pages'))}>
            <ul class="govuk-list">
              {offset > 0 ? (
                <li>
                  <a class="govuk-link" href={`${base}?from=${Math.max(0, offset - 50)}`}>
                    {t(w('ward.previous'))}
                  </a>
                </li>
              ) : null}
              {patients.length > 50 ? (
                <li>
                  <a class="govuk-link" href={`${base}?from=${offset + 50}`} rel="next">
                    {t(w('ward.next'))}
                  </a>
                </li>
              ) : null}
            </ul>
          </nav>
        ) : null}
      </>,
    );
  });

  // Admitting: someone who has been here before (their help plan comes back with them) or someone new.
  const admitPage = async (c: C, values: FormValues = {}, errors: FieldErrors = {}) => {
    const t = c.get('t');
    const search = (c.req.query('search') ?? values.search ?? '').trim().slice(0, 100);
    const data = await inOrganisation(c, async (scope) => {
      const place = await wardHere(c, scope);
      if (!place) return null;
      const found = search ? await listPeople(scope, { search, role: 'person', limit: 20 }) : [];
      return { place, found };
    });
    if (!data) return renderProblem(c, 404);
    const { place, found } = data;
    const base = `/wards/${place.ward.id}`;
    const shown = { ...nowOnTheWardValues(), ...values };
    return page(
      c,
      {
        title: t(w('admit.title')),
        caption: wardLabel(c, place),
        errors,
        narrow: true,
        back: { href: base, label: t(w('back.ward')) },
      },
      <>
        <p class="govuk-body">{t(w('admit.intro'))}</p>
        <form method="get" action={`${base}/admit`} novalidate>
          <TextInput name="search" type="search" label={t(w('admit.search'))} values={{ search }} t={t} />
          <Button secondary>{t(w('admit.find'))}</Button>
        </form>
        {search ? (
          found.length === 0 ? (
            <p class="govuk-body">{t(w('admit.noneFound'))}</p>
          ) : (
            <ul class="alongside-card-list">
              {found.map((person) => (
                <li>
                  <form method="post" action={`${base}/admit`} novalidate>
                    <CsrfField c={c} />
                    <input type="hidden" name="person" value={person.id} />
                    <input type="hidden" name="atDay" value={shown.atDay ?? ''} />
                    <input type="hidden" name="atTime" value={shown.atTime ?? ''} />
                    <p class="govuk-body govuk-!-margin-bottom-1">
                      {person.calledName}
                      {person.fullName ? ` (${person.fullName})` : ''}
                    </p>
                    <Button secondary>{t(w('admit.thisPerson'), { name: person.calledName })}</Button>
                  </form>
                </li>
              ))}
            </ul>
          )
        ) : null}
        <h2 class="govuk-heading-m">{t(w('admit.new'))}</h2>
        <form method="post" action={`${base}/admit`} novalidate>
          <CsrfField c={c} />
          <TextInput
            name="calledName"
            label={t(w('admit.calledName'))}
            hint={t(w('admit.calledNameHint'))}
            values={shown}
            errors={errors}
            t={t}
          />
          <TextInput name="fullName" label={t(w('admit.fullName'))} values={shown} errors={errors} t={t} />
          <MomentField name="at" legend={t(w('admit.when'))} values={shown} errors={errors} t={t} />
          <Button>{t(w('admit.save'))}</Button>
        </form>
      </>,
    );
  };
  app.get('/wards/:wardId/admit', (c) => admitPage(c));
  app.post('/wards/:wardId/admit', async (c) => {
    const t = c.get('t');
    const values = await formValues(c);
    const errors: FieldErrors = {};
    const at = momentField(values, 'at', errors, t, { required: true });
    const existing = values.person ?? '';
    const parsed = existing ? null : parseValues(newPersonSchema, values, t);
    if (parsed && !parsed.ok) Object.assign(errors, parsed.errors);
    const result = await inOrganisation(c, async (scope) => {
      const place = await wardHere(c, scope);
      if (!place) return 'missing' as const;
      if (Object.keys(errors).length > 0 || !at) return null;
      let personId: string;
      if (existing) {
        const person = await findPerson(scope, existing);
        if (!person?.roles.includes('person')) return 'missing' as const;
        personId = person.id;
      } else {
        const data = parsed!.ok ? parsed!.data : null;
        personId = await createPerson(scope, {
          calledName: data!.calledName,
          fullName: data!.fullName || null,
          roles: ['person'],
        });
      }
      const admitted = await admit(scope, place.ward.id, personId, at);
      if (!admitted.ok) {
        errors[existing ? 'search' : 'calledName'] = t(w(`errors.admit.${admitted.reason}`));
        // A new person is only made when they can be admitted: the transaction is undone.
        throw new AdmitRefused();
      }
      return { wardId: place.ward.id, personId };
    }).catch((error) => {
      if (error instanceof AdmitRefused) return null;
      throw error;
    });
    if (result === 'missing') return renderProblem(c, 404);
    if (!result) return admitPage(c, values, errors);
    return c.redirect(`/wards/${result.wardId}/patients/${result.personId}?done=admitted`, 303);
  });

  // Leave and discharge, from the patient's page.
  app.post('/wards/:wardId/stays/:stayId/:what{leave|discharge}', async (c) => {
    const t = c.get('t');
    const values = await formValues(c);
    const what = c.req.param('what') as 'leave' | 'discharge';
    const field = `${what}-at`;
    const errors: FieldErrors = {};
    const moment: FieldErrors = {};
    const at = momentField(values, 'at', moment, t, { required: true });
    if (moment.at) errors[field] = moment.at;
    const result = await inOrganisation(c, async (scope) => {
      const place = await wardHere(c, scope);
      const stay = place ? await findStay(scope, c.req.param('stayId')) : null;
      if (!place || !stay || stay.wardId !== place.ward.id) return null;
      if (!at) return { stay, ok: false };
      const ok =
        what === 'leave' ? Boolean(await setLeave(scope, stay, at)) : await discharge(scope, stay, at);
      return { stay, ok };
    });
    if (!result) return renderProblem(c, 404);
    const back = `/wards/${result.stay.wardId}/patients/${result.stay.personId}`;
    // Nothing saved: the same page, the form open with what was typed and why beside it.
    if (!result.ok) {
      errors[field] ??= t(w('errors.stay.order'));
      return patientPage(c, result.stay.personId, { which: what, values, errors });
    }
    return c.redirect(`${back}?done=${what === 'leave' ? 'leave' : 'discharged'}`, 303);
  });

  // The calm-down box: what the ward has to offer, which people can pick in their help plan.
  const calmPage = async (c: C, values: FormValues = {}, errors: FieldErrors = {}) => {
    const t = c.get('t');
    const language = c.get('language');
    const data = await inOrganisation(c, async (scope) => {
      const place = await wardHere(c, scope);
      return place ? { place, items: await calmItems(scope, place.ward.id) } : null;
    });
    if (!data) return renderProblem(c, 404);
    const base = `/wards/${data.place.ward.id}`;
    return page(
      c,
      {
        title: t(w('calm.title')),
        caption: wardLabel(c, data.place),
        errors,
        back: { href: base, label: t(w('back.ward')) },
      },
      <>
        <p class="govuk-body">{t(w('calm.intro'))}</p>
        <ul class="govuk-list">
          {data.items.map((item) => (
            <li>
              <form
                method="post"
                action={`${base}/calm-box/${item.id}/remove`}
                class="alongside-inline-form"
                novalidate
              >
                <CsrfField c={c} />
                {(language === 'cy' && item.nameCy) || item.name}{' '}
                <button type="submit" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0">
                  {t(w('calm.remove'), { name: (language === 'cy' && item.nameCy) || item.name })}
                </button>
              </form>
            </li>
          ))}
        </ul>
        <h2 class="govuk-heading-m">{t(w('calm.add'))}</h2>
        <form method="post" action={`${base}/calm-box`} novalidate>
          <CsrfField c={c} />
          <TextInput name="name" label={t(w('calm.name'))} values={values} errors={errors} t={t} />
          <TextInput name="nameCy" label={t(w('calm.nameCy'))} values={values} errors={errors} t={t} />
          <Button>{t(w('calm.save'))}</Button>
        </form>
      </>,
    );
  };
  app.get('/wards/:wardId/calm-box', (c) => calmPage(c));
  app.post('/wards/:wardId/calm-box', async (c) => {
    const values = await formValues(c);
    const parsed = parseValues(calmSchema, values, c.get('t'));
    if (!parsed.ok) return calmPage(c, values, parsed.errors);
    const wardId = await inOrganisation(c, async (scope) => {
      const place = await wardHere(c, scope);
      if (!place) return null;
      await addCalmItem(scope, place.ward.id, parsed.data.name, parsed.data.nameCy);
      return place.ward.id;
    });
    if (!wardId) return renderProblem(c, 404);
    return c.redirect(`/wards/${wardId}/calm-box?done=calm`, 303);
  });
  app.post('/wards/:wardId/calm-box/:itemId/remove', async (c) => {
    const wardId = await inOrganisation(c, async (scope) => {
      const place = await wardHere(c, scope);
      if (!place || !(await removeCalmItem(scope, place.ward.id, c.req.param('itemId')))) return null;
      return place.ward.id;
    });
    if (!wardId) return renderProblem(c, 404);
    return c.redirect(`/wards/${wardId}/calm-box?done=calm`, 303);
  });
}

class AdmitRefused extends Error {}

function nowOnTheWardValues(): FormValues {
  const now = nowOnTheWard();
  return { atDay: now.day, atTime: now.time };
}
