import type { Translate } from '../i18n/index.ts';
import type { WordingSuggestion } from '../language-guard/index.ts';
import type { FormValues } from './forms.tsx';

/**
 * The language guard on a form. On submit, a route calls `checkWording`; when `needsWordingPause` says
 * so, it shows the same form again (status 200, everything typed kept) with `WordingSuggestions` beside
 * the fields and `KeepWordingButton` after its own button. Pressing that saves the words as written.
 * With JavaScript, `public/language-guard.js` shows the same suggestions while someone types.
 */

/** The form field that says the writer has seen the suggestions and keeps their words. */
export const wordingSeenField = 'wordingSeen';

/** True when something was found and the writer has not yet chosen to keep their words. */
export function needsWordingPause(
  values: FormValues,
  suggestions: Record<string, WordingSuggestion[]>,
): boolean {
  if (values[wordingSeenField] === 'yes') return false;
  return Object.values(suggestions).some((list) => list.length > 0);
}

/** The id of a field's suggestions, for its aria-describedby. */
export function wordingId(field: string): string {
  return `${field}-wording`;
}

/**
 * A gentle note beside a field, never an error: no red, nothing refused. It is always rendered for a
 * watched field, even empty, so the browser script has a polite live region to fill as someone types;
 * its data attributes carry the words the script needs, in the page's language.
 */
export function WordingSuggestions(props: {
  field: string;
  suggestions?: WordingSuggestion[];
  t: Translate;
}) {
  const { field, t } = props;
  const list = props.suggestions ?? [];
  return (
    <div
      id={wordingId(field)}
      class="alongside-wording"
      aria-live="polite"
      data-language-guard-for={field}
      data-title={t('languageGuard.title')}
      data-you-wrote={t('languageGuard.youWrote', { phrase: '{phrase}', suggestion: '{suggestion}' })}
      data-choice={t('languageGuard.choice')}
      data-hide={t('languageGuard.hide')}
    >
      {list.length > 0 ? (
        <div class="govuk-inset-text alongside-wording__notice">
          <p class="govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-2">
            {t('languageGuard.title')}
          </p>
          <ul class="govuk-list">
            {list.map((found) => (
              <li>{t('languageGuard.youWrote', { phrase: found.phrase, suggestion: found.suggestion })}</li>
            ))}
          </ul>
          <p class="govuk-body govuk-!-margin-bottom-0">{t('languageGuard.choice')}</p>
        </div>
      ) : null}
    </div>
  );
}

/**
 * Saves the words as written. The choice travels as this button's own value rather than a hidden field,
 * so pressing the form's usual button after changing the words checks them again. Put it after the
 * form's own button: pressing Enter in a field uses the first button.
 */
export function KeepWordingButton({ t }: { t: Translate }) {
  return (
    <button type="submit" name={wordingSeenField} value="yes" class="govuk-button govuk-button--secondary">
      {t('languageGuard.keep')}
    </button>
  );
}

/**
 * A short note for the top of a paused form (where a screen reader starts reading the page again), with
 * a link to each field that has a suggestion. Optional: the suggestions beside the fields say it all.
 */
export function WordingPauseNotice(props: {
  suggestions: Record<string, WordingSuggestion[]>;
  labels: Record<string, string>;
  t: Translate;
}) {
  const fields = Object.entries(props.suggestions).filter(([, list]) => list.length > 0);
  if (fields.length === 0) return null;
  return (
    <div class="govuk-inset-text alongside-wording__pause" role="status">
      <h2 class="govuk-heading-s govuk-!-margin-bottom-2">{props.t('languageGuard.pauseTitle')}</h2>
      <p class="govuk-body">{props.t('languageGuard.pauseBody')}</p>
      <ul class="govuk-list">
        {fields.map(([field]) => (
          <li>
            <a class="govuk-link" href={`#${field}`}>
              {props.labels[field] ?? field}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
