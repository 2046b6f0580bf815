import { sql } from 'drizzle-orm';
import type { Hono } from 'hono';
import { z } from 'zod';
import { audit } from '../../../core/audit.ts';
import type { AppEnv } from '../../../core/context.ts';
import { withOrganisation } from '../../../core/database/tenancy.ts';
import { findPublicOrganisation } from '../../../core/people.ts';
import { renderProblem } from '../../../core/web/errors.tsx';
import {
  Button,
  Checkboxes,
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  type FormValues,
  formValues,
  optionalText,
  parseValues,
  requiredText,
  TextArea,
  TextInput,
} from '../../../core/web/forms.tsx';
import { renderPage } from '../../../core/web/layout.tsx';
import { startSupporting } from '../support.ts';
import { auditSubject, w } from '../words.ts';
import type { C } from './shared.tsx';

const introductionSchema = z.object({
  calledName: requiredText(100),
  howToReach: requiredText(300),
  words: optionalText(2000),
  consent: z.literal('yes', { error: 'coaching.errors.consent' }),
});

/**
 * Asking for a coach, on a public page: what you would like to be called and how to reach you. No
 * eligibility questions and no risk score; the words of the consent shown are kept with the request.
 */
export function introductionRoutes(app: Hono<AppEnv>) {
  const page = async (c: C, values: FormValues = {}, errors: FieldErrors = {}) => {
    const t = c.get('t');
    const organisation = await findPublicOrganisation(c.get('services').database, c.req.param('slug')!);
    if (!organisation) return renderProblem(c, 404);
    const name = (c.get('language') === 'cy' && organisation.nameCy) || organisation.name;
    const hasErrors = Object.keys(errors).length > 0;
    return renderPage(
      c,
      {
        title: t(w('introduction.title'), { organisation: name }),
        narrow: true,
        hasErrors,
        status: hasErrors ? 400 : 200,
      },
      <>
        <ErrorSummary errors={errors} t={t} />
        <h1 class="govuk-heading-l">{t(w('introduction.title'), { organisation: name })}</h1>
        <p class="govuk-body">{t(w('introduction.intro'))}</p>
        <form method="post" action={`/ask/${c.req.param('slug')}`} novalidate>
          <CsrfField c={c} />
          <TextInput
            name="calledName"
            label={t(w('introduction.calledName'))}
            values={values}
            errors={errors}
            t={t}
            autocomplete="nickname"
          />
          <TextInput
            name="howToReach"
            label={t(w('introduction.howToReach'))}
            hint={t(w('introduction.howToReachHint'))}
            values={values}
            errors={errors}
            t={t}
          />
          <TextArea
            name="words"
            label={t(w('introduction.words'))}
            hint={t(w('introduction.wordsHint'))}
            values={values}
            errors={errors}
            t={t}
            rows={4}
          />
          <Checkboxes
            name="consent"
            legend={t(w('introduction.consentLegend'))}
            hint={t(w('introduction.consentWording'), { organisation: name })}
            chosen={values.consent === 'yes' ? ['yes'] : []}
            errors={errors}
            t={t}
            options={[{ value: 'yes', label: t(w('introduction.consentYes')) }]}
          />
          <Button>{t(w('introduction.send'))}</Button>
        </form>
      </>,
    );
  };

  app.get('/ask/:slug', (c) => page(c));
  app.post('/ask/:slug', async (c) => {
    const t = c.get('t');
    const values = await formValues(c);
    const parsed = parseValues(introductionSchema, values, t);
    if (!parsed.ok) return page(c, values, parsed.errors);
    const { database } = c.get('services');
    const organisation = await findPublicOrganisation(database, c.req.param('slug'));
    if (!organisation) return renderProblem(c, 404);
    const name = (c.get('language') === 'cy' && organisation.nameCy) || organisation.name;
    await withOrganisation(
      database,
      { organisationId: organisation.id, requestId: c.get('requestId') },
      async (scope) => {
        const { personId } = await startSupporting(scope, {
          calledName: parsed.data.calledName,
          coachId: null,
          status: 'asked',
        });
        await scope.tx.execute(sql`insert into coaching_self_introduction (organisation_id, person_id, how_to_reach, words, consent_wording, language)
        values (${organisation.id}, ${personId}, ${parsed.data.howToReach}, ${parsed.data.words},
          ${t(w('introduction.consentWording'), { organisation: name })}, ${c.get('language')})`);
        await audit(scope, {
          action: 'create',
          subjectType: auditSubject.introduction,
          subjectPersonId: personId,
          detail: {
            fields: ['calledName', 'howToReach', ...(parsed.data.words ? ['words'] : []), 'consent'],
          },
        });
      },
    );
    return c.redirect(`/ask/${c.req.param('slug')}/thanks`, 303);
  });
  app.get('/ask/:slug/thanks', async (c) => {
    const t = c.get('t');
    const organisation = await findPublicOrganisation(c.get('services').database, c.req.param('slug'));
    if (!organisation) return renderProblem(c, 404);
    return renderPage(
      c,
      { title: t(w('introduction.thanksTitle')), narrow: true },
      <>
        <h1 class="govuk-heading-l">{t(w('introduction.thanksTitle'))}</h1>
        <p class="govuk-body">{t(w('introduction.thanks'))}</p>
      </>,
    );
  });
}
