import { sql } from 'drizzle-orm';
import type { Hono } from 'hono';
import { z } from 'zod';
import { audit } from '../../../core/audit.ts';
import type { AppEnv } from '../../../core/context.ts';
import { withOrganisation } from '../../../core/database/tenancy.ts';
import { notifyEach } from '../../../core/notifications.ts';
import { findPublicOrganisation } from '../../../core/people.ts';
import { withinLimits } from '../../../core/request-limits.ts';
import { leadsFor } from '../../../core/teams.ts';
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
import { clientAddress } from '../../../core/web/middleware.ts';
import { waitingForLead } from '../notifications.ts';
import { startSupporting } from '../support.ts';
import { auditSubject, w } from '../words.ts';
import type { C } from './shared.tsx';

const introductionSchema = z.object({
  calledName: requiredText(100),
  howToReach: requiredText(300),
  words: optionalText(2000),
  consent: z.literal('yes', { error: 'coaching.errors.consent' }),
});

/** Asking from one address, and asking one organisation, at most this often in an hour. */
export const askLimits = { perAddress: 5, perOrganisation: 50 };

/** A field no person sees or reaches (aria-hidden, out of the tab order), which form-filling robots fill. */
export const trapField = 'website';

/**
 * Asking for a coach, on a public page: what you would like to be called and how to reach you. No
 * eligibility questions and no risk score; the words of the consent shown are kept with the request.
 */
export function introductionRoutes(app: Hono<AppEnv>) {
  const page = async (
    c: C,
    values: FormValues = {},
    errors: FieldErrors = {},
    options: { limited?: boolean } = {},
  ) => {
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
        status: options.limited ? 429 : hasErrors ? 400 : 200,
      },
      <>
        <ErrorSummary errors={errors} t={t} />
        {options.limited ? (
          <section class="govuk-notification-banner" aria-labelledby="ask-limited-title">
            <div class="govuk-notification-banner__header">
              <h2 class="govuk-notification-banner__title" id="ask-limited-title">
                {t(w('introduction.limitedTitle'))}
              </h2>
            </div>
            <div class="govuk-notification-banner__content">
              <p class="govuk-notification-banner__heading">{t(w('introduction.limited'))}</p>
              <p class="govuk-body">{t(w('introduction.limitedKept'))}</p>
            </div>
          </section>
        ) : null}
        <h1 class="govuk-heading-l">{t(w('introduction.title'), { organisation: name })}</h1>
        <p class="govuk-body">{t(w('introduction.intro'))}</p>
        <form method="post" action={`/ask/${c.req.param('slug')}`} novalidate>
          <CsrfField c={c} />
          {/* The trap: hidden from sight and from screen readers, never reached by keyboard. */}
          <div class="govuk-visually-hidden" aria-hidden="true">
            <label for={trapField}>{t(w('introduction.trap'))}</label>
            <input type="text" id={trapField} name={trapField} value="" tabindex={-1} autocomplete="off" />
          </div>
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
    const { [trapField]: trap, ...values } = await formValues(c);
    const { database, config, logger } = c.get('services');
    const organisation = await findPublicOrganisation(database, c.req.param('slug'));
    if (!organisation) return renderProblem(c, 404);
    // A robot filled the trap: it is thanked like anyone, and nothing is kept or counted.
    if (trap) {
      logger.info({ requestId: c.get('requestId') }, 'ask for a coach: trap field filled, nothing kept');
      return c.redirect(`/ask/${c.req.param('slug')}/thanks`, 303);
    }
    const parsed = parseValues(introductionSchema, values, t);
    if (!parsed.ok) return page(c, values, parsed.errors);
    // Only a request that would be kept counts towards the limits, so a mistyped form costs nothing.
    const address = clientAddress(c, config.trustProxy);
    const allowed = await withinLimits(database, config.secretKey, [
      { key: `ask:address:${address}`, most: askLimits.perAddress },
      { key: `ask:organisation:${organisation.id}`, most: askLimits.perOrganisation },
    ]);
    if (!allowed) return page(c, values, {}, { limited: true });
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
        await notifyEach(
          scope,
          await leadsFor(scope, personId),
          waitingForLead,
          `/coaching/people/${personId}`,
        );
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
