import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../../core/context.ts';
import { queueMail } from '../../../core/mail.ts';
import { notifyEach } from '../../../core/notifications.ts';
import { createPerson, findOrganisation, listPeople } from '../../../core/people.ts';
import { leadsFor } from '../../../core/teams.ts';
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
import { allowed, inOrganisation } from '../../../core/web/middleware.ts';
import { addMember, createHousehold } from '../households.ts';
import { createRequest } from '../link-ups.ts';
import { introductionWaiting } from '../notifications.ts';
import { languageCodes, subject, w } from '../words.ts';
import { LanguageWish } from './peer.tsx';
import type { C } from './shared.tsx';

const introductionSchema = z.object({
  calledName: requiredText(100),
  howToReach: requiredText(300),
  words: optionalText(2000),
  wholeFamily: z.string().default(''),
  language: z.string().default(''),
  consent: z.literal('yes', { error: 'peer-support.errors.consent' }),
});

/**
 * A partner (midwife, health visitor, school) introduces a person or family in under a minute, with
 * their consent: the words of the consent shown are kept with the introduction. No eligibility
 * questions. The coach team sees it on their page and each coach gets an email through the outbox.
 */
export function introduceRoutes(app: Hono<AppEnv>) {
  app.use('/introduce', allowed('create', subject.introduce));

  const page = async (c: C, values: FormValues = {}, errors: FieldErrors = {}) => {
    const t = c.get('t');
    const organisation = await inOrganisation(c, (scope) => findOrganisation(scope));
    const name = (c.get('language') === 'cy' && organisation?.nameCy) || organisation?.name || '';
    const hasErrors = Object.keys(errors).length > 0;
    return renderPage(
      c,
      { title: t(w('introduce.title')), narrow: true, hasErrors, status: hasErrors ? 400 : 200 },
      <>
        <ErrorSummary errors={errors} t={t} />
        <h1 class="govuk-heading-l">{t(w('introduce.title'))}</h1>
        <p class="govuk-body">{t(w('introduce.intro'))}</p>
        <form method="post" action="/introduce" novalidate>
          <CsrfField c={c} />
          <TextInput
            name="calledName"
            label={t(w('introduce.calledName'))}
            values={values}
            errors={errors}
            t={t}
            autocomplete="off"
          />
          <TextInput
            name="howToReach"
            label={t(w('introduce.howToReach'))}
            hint={t(w('introduce.howToReachHint'))}
            values={values}
            errors={errors}
            t={t}
            autocomplete="off"
          />
          <TextArea
            name="words"
            label={t(w('introduce.words'))}
            hint={t(w('introduce.wordsHint'))}
            values={values}
            errors={errors}
            t={t}
            rows={3}
          />
          <Checkboxes
            name="wholeFamily"
            legend={t(w('introduce.familyLegend'))}
            chosen={values.wholeFamily === 'yes' ? ['yes'] : []}
            t={t}
            options={[{ value: 'yes', label: t(w('introduce.wholeFamily')) }]}
          />
          <LanguageWish c={c} values={values} errors={errors} />
          <Checkboxes
            name="consent"
            legend={t(w('introduce.consentLegend'))}
            hint={t(w('introduce.consentWording'), { organisation: name })}
            chosen={values.consent === 'yes' ? ['yes'] : []}
            errors={errors}
            t={t}
            options={[{ value: 'yes', label: t(w('introduce.consentYes')) }]}
          />
          <Button>{t(w('introduce.send'))}</Button>
        </form>
      </>,
    );
  };

  app.get('/introduce', (c) => page(c));
  app.post('/introduce', async (c) => {
    const t = c.get('t');
    const values = await formValues(c);
    const parsed = parseValues(introductionSchema, values, t);
    const languageOk = !values.language || (languageCodes as readonly string[]).includes(values.language);
    if (!parsed.ok || !languageOk)
      return page(c, values, {
        ...(parsed.ok ? {} : parsed.errors),
        ...(languageOk ? {} : { language: t(w('errors.language')) }),
      });
    const user = c.get('user')!;
    const { config, translate } = c.get('services');
    await inOrganisation(c, async (scope) => {
      const organisation = await findOrganisation(scope);
      const name = (c.get('language') === 'cy' && organisation?.nameCy) || organisation?.name || '';
      const personId = await createPerson(scope, { calledName: parsed.data.calledName, roles: ['person'] });
      let householdId: string | null = null;
      if (parsed.data.wholeFamily === 'yes') {
        householdId = await createHousehold(
          scope,
          t(w('introduce.familyName'), { name: parsed.data.calledName }).slice(0, 100),
        );
        await addMember(scope, householdId, { personId, isChild: false });
      }
      const requestId = await createRequest(scope, {
        personId,
        householdId,
        words: parsed.data.words || t(w('introduce.noWords')),
        tags: [],
        language: parsed.data.language || null,
        languageMust: Boolean(parsed.data.language) && values.languageMust === 'yes',
        area: '',
        slots: [],
        supportWanted: 'first-meeting',
        introducedBy: user.personId,
        consentWording: t(w('introduce.consentWording'), { organisation: name }),
        howToReach: parsed.data.howToReach,
      });
      await notifyEach(
        scope,
        await leadsFor(scope, personId),
        introductionWaiting,
        `/peer-support/requests/${requestId}`,
      );
      // Each coach hears by email in their organisation's language; the email names nobody.
      const language = organisation?.defaultLanguage ?? 'en';
      const mailT = translate(language);
      const team = [
        ...(await listPeople(scope, { role: 'coach' })),
        ...(await listPeople(scope, { role: 'lead' })),
      ];
      const addresses = [
        ...new Set(team.map((person) => person.email).filter((email): email is string => !!email)),
      ];
      for (const to of addresses)
        await queueMail(scope, config, {
          to,
          subject: mailT(w('introduce.mailSubject')),
          text: mailT(w('introduce.mailText'), {
            link: new URL('/peer-support', config.publicUrl).toString(),
          }),
        });
    });
    return c.redirect('/introduce/thanks', 303);
  });
  app.get('/introduce/thanks', allowed('create', subject.introduce), (c) => {
    const t = c.get('t');
    return renderPage(
      c,
      { title: t(w('introduce.thanksTitle')), narrow: true },
      <>
        <h1 class="govuk-heading-l">{t(w('introduce.thanksTitle'))}</h1>
        <p class="govuk-body">{t(w('introduce.thanks'))}</p>
        <p class="govuk-body">
          <a class="govuk-link" href="/introduce">
            {t(w('introduce.another'))}
          </a>
        </p>
      </>,
    );
  });
}
