import type { Context, Hono } from 'hono';
import { audit } from '../../core/audit.ts';
import type { AppEnv } from '../../core/context.ts';
import type { Scope } from '../../core/database/tenancy.ts';
import { isLanguage, type Language } from '../../core/i18n/index.ts';
import {
  addOrganisationPhrase,
  builtInEntries,
  checkWording,
  listOrganisationPhrases,
  type OrganisationPhrase,
  phraseLimits,
  removeOrganisationPhrase,
  type WordingSuggestion,
} from '../../core/language-guard/index.ts';
import { findOrganisation, namesOf } from '../../core/people.ts';
import { renderProblem } from '../../core/web/errors.tsx';
import { formatDateTime } from '../../core/web/format.ts';
import {
  Button,
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  type FormValues,
  formValues,
  Radios,
  TextArea,
  TextInput,
} from '../../core/web/forms.tsx';
import { Notice, renderPage } from '../../core/web/layout.tsx';
import { allowed, inOrganisation } from '../../core/web/middleware.ts';

/**
 * Wording suggestions: the organisation's own labels for the language guard to notice, added and
 * removed by admins and leads, beside the built-in list and a box to try some words out.
 */

const w = (key: string) => `organisation-admin.wording.${key}`;

interface PageState {
  values?: FormValues;
  errors?: FieldErrors;
  sample?: string;
  /** What the guard found in the sample, when one was sent. */
  tried?: Record<string, WordingSuggestion[]>;
}

const notices: Record<string, string> = { added: 'added', removed: 'removed' };
const sampleLimit = 5000;

/** Checks a new phrase; messages are in the person's language, beside each field. */
function checkNewPhrase(
  values: FormValues,
  t: Context<AppEnv>['var']['t'],
): { ok: true; language: Language; phrase: string; suggestion: string } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const language = values.language;
  const phrase = (values.phrase ?? '').trim();
  const suggestion = (values.suggestion ?? '').trim();
  if (!isLanguage(language)) errors.language = t(w('chooseLanguage'));
  if (!phrase) errors.phrase = t(w('phraseRequired'));
  else if (phrase.length > phraseLimits.phrase)
    errors.phrase = t('errors.tooLong', { max: phraseLimits.phrase });
  else if (!/[\p{L}\p{N}]/u.test(phrase)) errors.phrase = t(w('phraseNeedsWords'));
  if (!suggestion) errors.suggestion = t(w('suggestionRequired'));
  else if (suggestion.length > phraseLimits.suggestion)
    errors.suggestion = t('errors.tooLong', { max: phraseLimits.suggestion });
  if (Object.keys(errors).length > 0 || !isLanguage(language)) return { ok: false, errors };
  return { ok: true, language, phrase, suggestion };
}

async function wordingPage(c: Context<AppEnv>, state: PageState = {}) {
  const t = c.get('t');
  const language = c.get('language');
  const { phrases, names } = await inOrganisation(c, async (scope) => {
    const found = await listOrganisationPhrases(scope);
    await audit(scope, {
      action: 'read',
      subjectType: 'language-guard-phrase',
      detail: { count: found.length },
    });
    const ids = found.map((row) => row.createdBy).filter((id): id is string => id !== null);
    return { phrases: found, names: await namesOf(scope, ids) };
  });
  const errors = state.errors ?? {};
  const hasErrors = Object.keys(errors).length > 0;
  const noticeKey = notices[c.req.query('done') ?? ''];
  const languageName = (code: Language) => t(w(code === 'cy' ? 'welsh' : 'english'));
  const tried = state.tried;
  return renderPage(
    c,
    { title: t(w('title')), hasErrors, narrow: true, status: hasErrors ? 400 : 200 },
    <>
      <Notice text={noticeKey ? t(w(noticeKey)) : null} />
      <ErrorSummary errors={errors} t={t} />
      <h1 class="govuk-heading-l">{t(w('title'))}</h1>
      <p class="govuk-body">{t(w('intro'))}</p>
      <p class="govuk-body">{t(w('neverStopped'))}</p>
      <details class="govuk-details">
        <summary class="govuk-details__summary">
          <span class="govuk-details__summary-text">
            {t(w('builtInSummary'), { count: builtInEntries.length })}
          </span>
        </summary>
        <div class="govuk-details__text">
          <ul class="govuk-list govuk-list--spaced">
            {builtInEntries.map((entry) => (
              <li>
                <strong>“{entry[language].phrases[0]}”</strong> — {entry[language].suggestion}
              </li>
            ))}
          </ul>
        </div>
      </details>

      <h2 class="govuk-heading-m">{t(w('ownTitle'))}</h2>
      {phrases.length === 0 ? <p class="govuk-body">{t(w('none'))}</p> : null}
      <ul class="alongside-card-list">
        {phrases.map((row: OrganisationPhrase) => (
          <li lang={row.language}>
            <h3 class="govuk-heading-s govuk-!-margin-bottom-1">“{row.phrase}”</h3>
            <p class="govuk-body govuk-!-margin-bottom-1">{row.suggestion}</p>
            <p class="govuk-body-s govuk-!-margin-bottom-1" lang={language}>
              {t(w('addedBy'), {
                language: languageName(row.language),
                name: (row.createdBy && names.get(row.createdBy)) || t('history.system'),
                when: formatDateTime(row.createdAt, language),
              })}
            </p>
            <div class="govuk-body-s govuk-!-margin-bottom-0" lang={language}>
              <form method="post" action={`/wording/${row.id}/remove`} class="alongside-inline-form">
                <CsrfField c={c} />
                <button type="submit" class="alongside-button-link">
                  {t(w('remove'), { phrase: row.phrase })}
                </button>
              </form>
            </div>
          </li>
        ))}
      </ul>

      <h2 class="govuk-heading-m">{t(w('addTitle'))}</h2>
      <form method="post" action="/wording" novalidate>
        <CsrfField c={c} />
        <Radios
          name="language"
          legend={t(w('language'))}
          options={[
            { value: 'en', label: t(w('english')) },
            { value: 'cy', label: t(w('welsh')) },
          ]}
          values={state.values ?? { language }}
          errors={errors}
          t={t}
        />
        <TextInput
          name="phrase"
          label={t(w('phrase'))}
          hint={t(w('phraseHint'))}
          spellcheck={false}
          values={state.values}
          errors={errors}
          t={t}
        />
        <TextArea
          name="suggestion"
          label={t(w('suggestion'))}
          hint={t(w('suggestionHint'))}
          values={state.values}
          errors={errors}
          t={t}
        />
        <Button>{t(w('add'))}</Button>
      </form>

      <h2 class="govuk-heading-m">{t(w('tryTitle'))}</h2>
      <form method="post" action="/wording/try" novalidate>
        <CsrfField c={c} />
        <TextArea
          name="sample"
          label={t(w('sample'))}
          hint={t(w('sampleHint'))}
          rows={4}
          values={{ sample: state.sample ?? '' }}
          errors={errors}
          wording={tried ?? {}}
          t={t}
        />
        {tried && !tried.sample && state.sample ? <p class="govuk-body">{t(w('tryNone'))}</p> : null}
        <Button secondary>{t(w('tryButton'))}</Button>
      </form>
    </>,
  );
}

/** Each demo organisation has one label of its own, in its own language, so the page has one to show. */
const demoPhrases: Record<Language, { phrase: string; suggestion: string }> = {
  en: {
    phrase: 'client',
    suggestion: 'the person, by the name they chose, or “the people we walk alongside”',
  },
  cy: {
    phrase: 'cleient',
    suggestion: "y person, wrth yr enw a ddewisodd, neu “y bobl rydyn ni'n cerdded gyda nhw”",
  },
};

export async function seedWordingDemo(scope: Scope): Promise<void> {
  if ((await listOrganisationPhrases(scope)).length > 0) return;
  const language = (await findOrganisation(scope))?.defaultLanguage ?? 'en';
  await addOrganisationPhrase(scope, { language, ...demoPhrases[language] });
}

export function wordingRoutes(app: Hono<AppEnv>) {
  app.use('/wording', allowed('manage', 'language-guard'));
  app.use('/wording/*', allowed('manage', 'language-guard'));

  app.get('/wording', (c) => wordingPage(c));

  app.post('/wording', async (c) => {
    const values = await formValues(c);
    const checked = checkNewPhrase(values, c.get('t'));
    if (!checked.ok) return wordingPage(c, { values, errors: checked.errors });
    const added = await inOrganisation(c, (scope) =>
      addOrganisationPhrase(scope, {
        language: checked.language,
        phrase: checked.phrase,
        suggestion: checked.suggestion,
      }),
    );
    if (!added.ok) {
      const t = c.get('t');
      const languageName = t(w(checked.language === 'cy' ? 'welsh' : 'english'));
      return wordingPage(c, { values, errors: { phrase: t(w('duplicate'), { language: languageName }) } });
    }
    return c.redirect('/wording?done=added', 303);
  });

  app.post('/wording/try', async (c) => {
    const values = await formValues(c);
    const sample = values.sample ?? '';
    if (sample.length > sampleLimit) {
      return wordingPage(c, {
        sample,
        errors: { sample: c.get('t')('errors.tooLong', { max: sampleLimit }) },
      });
    }
    const tried = await inOrganisation(c, (scope) => checkWording(scope, c.get('language'), { sample }));
    return wordingPage(c, { sample, tried });
  });

  app.post('/wording/:phraseId/remove', async (c) => {
    const removed = await inOrganisation(c, (scope) =>
      removeOrganisationPhrase(scope, c.req.param('phraseId')),
    );
    if (!removed) return renderProblem(c, 404);
    return c.redirect('/wording?done=removed', 303);
  });
}
