import type { Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../context.ts';
import { isCalendarDay } from '../dates.ts';
import type { Translate } from '../i18n/index.ts';
import type { WordingSuggestion } from '../language-guard/index.ts';
import { onceField } from '../one-time-forms.ts';
import { withoutControlCharacters } from '../text.ts';
import { newToken } from '../tokens.ts';
import { WordingSuggestions, wordingId } from './language-guard.tsx';

/** What a person typed, kept exactly as typed so a form can be shown again with nothing lost. */
export type FormValues = Record<string, string>;
/** Field name → message already in the person's language. */
export type FieldErrors = Record<string, string>;

export type Parsed<T> =
  | { ok: true; data: T; values: FormValues }
  | { ok: false; errors: FieldErrors; values: FormValues };

/** Reads a posted form as plain strings: a file or a repeated field is kept as its first text. */
export async function formValues(c: Context<AppEnv>): Promise<FormValues> {
  const body = await c.req.parseBody({ all: true });
  const values: FormValues = {};
  for (const [name, value] of Object.entries(body)) {
    if (name === '_csrf' || name === onceField) continue;
    const first = Array.isArray(value) ? value[0] : value;
    values[name] = typeof first === 'string' ? withoutControlCharacters(first) : '';
  }
  return values;
}

/** A free-text field that may be left empty: trimmed, at most `max` characters, '' when left out. */
export const optionalText = (max: number) => z.string().trim().max(max, 'errors.tooLong').default('');

/** A free-text field that needs something in it. */
export const requiredText = (max: number) =>
  z.string({ error: 'errors.required' }).trim().min(1, 'errors.required').max(max, 'errors.tooLong');

/** Validates with zod; messages in schemas are catalogue keys, translated here with the limits they name. */
export function parseValues<S extends z.ZodType>(
  schema: S,
  values: FormValues,
  t: Translate,
): Parsed<z.output<S>> {
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data, values };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? 'form');
    if (errors[field]) continue;
    // A schema's message is a catalogue key (`errors.required`, `time-bank.errors.noTime`); zod's own
    // English messages, which have spaces, become the general "check what you have typed".
    const key = /^[a-z][a-z-]*(\.[A-Za-z0-9-]+)+$/.test(issue.message) ? issue.message : 'errors.invalid';
    const limits = issue as { maximum?: unknown; minimum?: unknown };
    // A check of our own (a date's first and last days) names what its message needs in `params`.
    const params = issue.code === 'custom' ? (issue.params ?? {}) : {};
    errors[field] = t(key, {
      max: Number(limits.maximum ?? 0),
      min: Number(limits.minimum ?? 0),
      ...params,
    });
  }
  return { ok: false, errors, values };
}

export async function parseForm<S extends z.ZodType>(
  c: Context<AppEnv>,
  schema: S,
): Promise<Parsed<z.output<S>>> {
  return parseValues(schema, await formValues(c), c.get('t'));
}

/**
 * What every form carries: the session's form token, and a one-time token made fresh each time the form
 * is shown, so sending the same form twice does what it says once (src/core/one-time-forms.ts).
 */
export function CsrfField({ c }: { c: Context<AppEnv> }) {
  return (
    <>
      <input type="hidden" name="_csrf" value={c.get('session')?.csrfToken ?? ''} />
      <input type="hidden" name={onceField} value={newToken()} />
    </>
  );
}

/** The GOV.UK error summary pattern: a list of links to each wrong field, focused first by screen readers. */
export function ErrorSummary({ errors, t }: { errors?: FieldErrors; t: Translate }) {
  const entries = Object.entries(errors ?? {});
  if (entries.length === 0) return null;
  return (
    <div class="govuk-error-summary" data-module="govuk-error-summary">
      <div role="alert">
        <h2 class="govuk-error-summary__title">{t('errors.summaryTitle')}</h2>
        <div class="govuk-error-summary__body">
          <ul class="govuk-list govuk-error-summary__list">
            {entries.map(([field, message]) => (
              <li>
                <a href={`#${field}`}>{message}</a>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  );
}

interface FieldProps {
  name: string;
  /**
   * The control's id when the same field appears more than once on a page (a form per entry); errors
   * are then keyed by this id, so the error summary links to the right control. Defaults to the name.
   */
  id?: string;
  label: string;
  hint?: string;
  values?: FormValues;
  errors?: FieldErrors;
  t: Translate;
}

/**
 * For free text written about a person: the language guard watches the field. Pass what `checkWording`
 * found (an empty object before anything was sent); this field's own suggestions show beside it.
 */
interface GuardedProps {
  wording?: Record<string, WordingSuggestion[]>;
}

function guardedDescribedBy(props: FieldProps & GuardedProps) {
  const ids = [describedByFor(props), props.wording ? wordingId(props.name) : undefined].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

function Guard(props: FieldProps & GuardedProps) {
  if (!props.wording) return null;
  return <WordingSuggestions field={props.name} suggestions={props.wording[props.name]} t={props.t} />;
}

function ErrorMessage({ name, errors, t }: { name: string; errors?: FieldErrors; t: Translate }) {
  const message = errors?.[name];
  if (!message) return null;
  return (
    <p id={`${name}-error`} class="govuk-error-message">
      <span class="govuk-visually-hidden">{t('errors.prefix')}:</span> {message}
    </p>
  );
}

function describedBy(name: string, hint?: string, error?: string) {
  return [hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ') || undefined;
}

/**
 * The GOV.UK form-group pattern around any control: label, hint, the message beside the field when
 * something is wrong. The control itself is the child, and gets the ids this wraps it with.
 */
export function FieldGroup(props: {
  name: string;
  id?: string;
  label: string;
  hint?: string;
  errors?: FieldErrors;
  t: Translate;
  children: unknown;
}) {
  const key = props.id ?? props.name;
  const error = props.errors?.[key];
  return (
    <div class={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <label class="govuk-label govuk-label--s" for={key}>
        {props.label}
      </label>
      {props.hint ? (
        <div id={`${key}-hint`} class="govuk-hint">
          {props.hint}
        </div>
      ) : null}
      <ErrorMessage name={key} errors={props.errors} t={props.t} />
      {props.children}
    </div>
  );
}

/** The value for a control's aria-describedby: its hint and its error, when there are any. */
export function describedByFor(props: { name: string; id?: string; hint?: string; errors?: FieldErrors }) {
  const key = props.id ?? props.name;
  return describedBy(key, props.hint, props.errors?.[key]);
}

export function TextInput(
  props: FieldProps &
    GuardedProps & {
      type?: 'text' | 'email' | 'password' | 'search' | 'date';
      autocomplete?: string;
      width?: 'full' | '20' | '10';
      spellcheck?: boolean;
      maxlength?: number;
    },
) {
  const error = props.errors?.[props.id ?? props.name];
  const inputClass = [
    'govuk-input',
    props.width && props.width !== 'full' ? `govuk-input--width-${props.width}` : '',
    error ? 'govuk-input--error' : '',
  ]
    .filter(Boolean)
    .join(' ');
  const value = props.type === 'password' ? '' : (props.values?.[props.name] ?? '');
  // A browser empties a date field given something that is not a day, so what was typed is shown as text.
  const type = props.type === 'date' && value && !isCalendarDay(value) ? 'text' : (props.type ?? 'text');
  return (
    <FieldGroup {...props}>
      <input
        class={inputClass}
        id={props.id ?? props.name}
        name={props.name}
        type={type}
        value={value}
        autocomplete={props.autocomplete}
        spellcheck={props.spellcheck}
        aria-describedby={guardedDescribedBy(props)}
        data-language-guard={props.wording ? 'on' : undefined}
      />
      <Guard {...props} />
    </FieldGroup>
  );
}

export function Select(props: FieldProps & { options: { value: string; label: string }[] }) {
  const error = props.errors?.[props.id ?? props.name];
  const current = props.values?.[props.name] ?? '';
  return (
    <FieldGroup {...props}>
      <select
        class={`govuk-select${error ? ' govuk-select--error' : ''}`}
        id={props.id ?? props.name}
        name={props.name}
        aria-describedby={describedByFor(props)}
      >
        {props.options.map((option) => (
          <option value={option.value} selected={option.value === current}>
            {option.label}
          </option>
        ))}
      </select>
    </FieldGroup>
  );
}

export function TextArea(props: FieldProps & GuardedProps & { rows?: number }) {
  const error = props.errors?.[props.id ?? props.name];
  return (
    <FieldGroup {...props}>
      <textarea
        class={`govuk-textarea${error ? ' govuk-textarea--error' : ''}`}
        id={props.id ?? props.name}
        name={props.name}
        rows={props.rows ?? 3}
        aria-describedby={guardedDescribedBy(props)}
        data-language-guard={props.wording ? 'on' : undefined}
      >
        {props.values?.[props.name] ?? ''}
      </textarea>
      <Guard {...props} />
    </FieldGroup>
  );
}

/**
 * The GOV.UK fieldset pattern, for a question answered by several controls (radios, checkboxes, a
 * date or time in parts): legend, hint, the message beside the controls when something is wrong.
 */
export function FieldsetGroup(props: {
  name: string;
  id?: string;
  legend: string;
  hint?: string;
  errors?: FieldErrors;
  t: Translate;
  children: unknown;
}) {
  const error = props.errors?.[props.id ?? props.name];
  return (
    <div class={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <fieldset class="govuk-fieldset" aria-describedby={describedByFor(props)}>
        <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{props.legend}</legend>
        {props.hint ? (
          <div id={`${props.id ?? props.name}-hint`} class="govuk-hint">
            {props.hint}
          </div>
        ) : null}
        <ErrorMessage name={props.id ?? props.name} errors={props.errors} t={props.t} />
        {props.children}
      </fieldset>
    </div>
  );
}

interface ChoiceProps {
  name: string;
  /** As for other fields: the id when the same question appears more than once on a page. */
  id?: string;
  legend: string;
  hint?: string;
  options: { value: string; label: string }[];
  errors?: FieldErrors;
  t: Translate;
}

/** One choice of several; the first option carries the field's own id, so the error summary can link to it. */
export function Radios(props: ChoiceProps & { values?: FormValues }) {
  const current = props.values?.[props.name] ?? '';
  return (
    <FieldsetGroup {...props}>
      <div class="govuk-radios govuk-radios--small">
        {props.options.map((option, index) => {
          const id = index === 0 ? (props.id ?? props.name) : `${props.id ?? props.name}-${option.value}`;
          return (
            <div class="govuk-radios__item">
              <input
                class="govuk-radios__input"
                id={id}
                name={props.name}
                type="radio"
                value={option.value}
                checked={option.value === current}
              />
              <label class="govuk-label govuk-radios__label" for={id}>
                {option.label}
              </label>
            </div>
          );
        })}
      </div>
    </FieldsetGroup>
  );
}

/** Any number of choices; `chosen` holds every value ticked (a form can send the field more than once). */
export function Checkboxes(props: ChoiceProps & { chosen: string[] }) {
  return (
    <FieldsetGroup {...props}>
      <div class="govuk-checkboxes govuk-checkboxes--small">
        {props.options.map((option, index) => {
          const id = index === 0 ? (props.id ?? props.name) : `${props.id ?? props.name}-${index}`;
          return (
            <div class="govuk-checkboxes__item">
              <input
                class="govuk-checkboxes__input"
                id={id}
                name={props.name}
                type="checkbox"
                value={option.value}
                checked={props.chosen.includes(option.value)}
              />
              <label class="govuk-label govuk-checkboxes__label" for={id}>
                {option.label}
              </label>
            </div>
          );
        })}
      </div>
    </FieldsetGroup>
  );
}

export function Button({ children, secondary }: { children: string; secondary?: boolean }) {
  return (
    <button type="submit" class={`govuk-button${secondary ? ' govuk-button--secondary' : ''}`}>
      {children}
    </button>
  );
}
