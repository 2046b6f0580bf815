import type { Context } from 'hono';
import type { z } from 'zod';
import type { AppEnv } from '../context.ts';
import type { Translate } from '../i18n/index.ts';
import { withoutControlCharacters } from '../text.ts';

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
    if (name === '_csrf') continue;
    const first = Array.isArray(value) ? value[0] : value;
    values[name] = typeof first === 'string' ? withoutControlCharacters(first) : '';
  }
  return values;
}

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
    const key = issue.message.startsWith('errors.') ? issue.message : 'errors.invalid';
    const limits = issue as { maximum?: unknown; minimum?: unknown };
    errors[field] = t(key, { max: Number(limits.maximum ?? 0), min: Number(limits.minimum ?? 0) });
  }
  return { ok: false, errors, values };
}

export async function parseForm<S extends z.ZodType>(
  c: Context<AppEnv>,
  schema: S,
): Promise<Parsed<z.output<S>>> {
  return parseValues(schema, await formValues(c), c.get('t'));
}

export function CsrfField({ c }: { c: Context<AppEnv> }) {
  return <input type="hidden" name="_csrf" value={c.get('session')?.csrfToken ?? ''} />;
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
  label: string;
  hint?: string;
  values?: FormValues;
  errors?: FieldErrors;
  t: Translate;
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
  label: string;
  hint?: string;
  errors?: FieldErrors;
  t: Translate;
  children: unknown;
}) {
  const error = props.errors?.[props.name];
  return (
    <div class={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <label class="govuk-label govuk-label--s" for={props.name}>
        {props.label}
      </label>
      {props.hint ? (
        <div id={`${props.name}-hint`} class="govuk-hint">
          {props.hint}
        </div>
      ) : null}
      <ErrorMessage name={props.name} errors={props.errors} t={props.t} />
      {props.children}
    </div>
  );
}

/** The value for a control's aria-describedby: its hint and its error, when there are any. */
export function describedByFor(props: { name: string; hint?: string; errors?: FieldErrors }) {
  return describedBy(props.name, props.hint, props.errors?.[props.name]);
}

export function TextInput(
  props: FieldProps & {
    type?: 'text' | 'email' | 'password' | 'search' | 'date';
    autocomplete?: string;
    width?: 'full' | '20' | '10';
    spellcheck?: boolean;
    maxlength?: number;
  },
) {
  const error = props.errors?.[props.name];
  const inputClass = [
    'govuk-input',
    props.width && props.width !== 'full' ? `govuk-input--width-${props.width}` : '',
    error ? 'govuk-input--error' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <FieldGroup {...props}>
      <input
        class={inputClass}
        id={props.name}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.type === 'password' ? '' : (props.values?.[props.name] ?? '')}
        autocomplete={props.autocomplete}
        spellcheck={props.spellcheck}
        aria-describedby={describedByFor(props)}
      />
    </FieldGroup>
  );
}

export function Select(props: FieldProps & { options: { value: string; label: string }[] }) {
  const error = props.errors?.[props.name];
  const current = props.values?.[props.name] ?? '';
  return (
    <FieldGroup {...props}>
      <select
        class={`govuk-select${error ? ' govuk-select--error' : ''}`}
        id={props.name}
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

export function TextArea(props: FieldProps & { rows?: number }) {
  const error = props.errors?.[props.name];
  return (
    <FieldGroup {...props}>
      <textarea
        class={`govuk-textarea${error ? ' govuk-textarea--error' : ''}`}
        id={props.name}
        name={props.name}
        rows={props.rows ?? 3}
        aria-describedby={describedByFor(props)}
      >
        {props.values?.[props.name] ?? ''}
      </textarea>
    </FieldGroup>
  );
}

/**
 * The GOV.UK fieldset pattern, for a question answered by several controls (radios, checkboxes, a
 * date or time in parts): legend, hint, the message beside the controls when something is wrong.
 */
export function FieldsetGroup(props: {
  name: string;
  legend: string;
  hint?: string;
  errors?: FieldErrors;
  t: Translate;
  children: unknown;
}) {
  const error = props.errors?.[props.name];
  return (
    <div class={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <fieldset class="govuk-fieldset" aria-describedby={describedByFor(props)}>
        <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{props.legend}</legend>
        {props.hint ? (
          <div id={`${props.name}-hint`} class="govuk-hint">
            {props.hint}
          </div>
        ) : null}
        <ErrorMessage name={props.name} errors={props.errors} t={props.t} />
        {props.children}
      </fieldset>
    </div>
  );
}

interface ChoiceProps {
  name: string;
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
          const id = index === 0 ? props.name : `${props.name}-${option.value}`;
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
          const id = index === 0 ? props.name : `${props.name}-${index}`;
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
