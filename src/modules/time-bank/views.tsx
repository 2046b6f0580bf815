import type { Child } from 'hono/jsx';
import { z } from 'zod';
import type { Translate } from '../../core/i18n/index.ts';
import type { FieldErrors, FormValues } from '../../core/web/forms.tsx';
import { maxMinutes } from './ledger.ts';

export const id = 'time-bank';
export const w = (key: string) => `${id}.${key}`;

/** "2 hours 30 minutes", in the reader's language; a sign only when asked for. */
export function duration(t: Translate, minutes: number, signed = false): string {
  const size = Math.abs(minutes);
  const hours = Math.floor(size / 60);
  const rest = size % 60;
  const parts = [
    hours > 0 ? t(w('units.hours'), { count: hours }) : '',
    rest > 0 || hours === 0 ? t(w('units.minutes'), { count: rest }) : '',
  ].filter(Boolean);
  const sign = signed && minutes !== 0 ? (minutes > 0 ? '+' : '−') : minutes < 0 ? '−' : '';
  return `${sign}${parts.join(' ')}`;
}

/** Hours and minutes as typed: whole numbers only, and together more than nothing and at most 100 hours. */
export const timeFields = {
  hours: z
    .string()
    .trim()
    .regex(/^\d{0,4}$/, 'time-bank.errors.hoursNumber')
    .default(''),
  minutes: z
    .string()
    .trim()
    .regex(/^\d{0,4}$/, 'time-bank.errors.minutesNumber')
    .default(''),
};

/** Adds the cross-field check on hours and minutes, with the message beside the hours field. */
export function totalMinutes(values: { hours: string; minutes: string }): number {
  return Number(values.hours || 0) * 60 + Number(values.minutes || 0);
}

export function checkTime(
  data: { hours: string; minutes: string },
  errors: FieldErrors,
  t: Translate,
): number | null {
  const total = totalMinutes(data);
  if (Number(data.minutes || 0) > 59) {
    errors.minutes = t(w('errors.minutesRange'));
    return null;
  }
  if (total <= 0) {
    errors.hours = t(w('errors.noTime'));
    return null;
  }
  if (total > maxMinutes) {
    errors.hours = t(w('errors.tooMuchTime'), { count: maxMinutes / 60 });
    return null;
  }
  return total;
}

export const whatWasDone = z
  .string({ error: 'errors.required' })
  .trim()
  .min(1, 'time-bank.errors.whatRequired')
  .max(500, 'errors.tooLong');

export const optional = (max: number) => z.string().trim().max(max, 'errors.tooLong').default('');

export function TextArea(props: {
  name: string;
  label: string;
  hint?: string;
  values?: FormValues;
  errors?: FieldErrors;
  t: Translate;
  rows?: number;
}) {
  const error = props.errors?.[props.name];
  const described = [props.hint ? `${props.name}-hint` : '', error ? `${props.name}-error` : '']
    .filter(Boolean)
    .join(' ');
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
      {error ? (
        <p id={`${props.name}-error`} class="govuk-error-message">
          <span class="govuk-visually-hidden">{props.t('errors.prefix')}:</span> {error}
        </p>
      ) : null}
      <textarea
        class={`govuk-textarea${error ? ' govuk-textarea--error' : ''}`}
        id={props.name}
        name={props.name}
        rows={props.rows ?? 3}
        aria-describedby={described || undefined}
      >
        {props.values?.[props.name] ?? ''}
      </textarea>
    </div>
  );
}

/** Hours and minutes side by side, as one question for screen readers. */
export function TimeInput({
  values,
  errors,
  t,
}: {
  values?: FormValues;
  errors?: FieldErrors;
  t: Translate;
}) {
  const error = errors?.hours ?? errors?.minutes;
  return (
    <div class={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <fieldset class="govuk-fieldset" aria-describedby={`time-hint${error ? ' time-error' : ''}`}>
        <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{t(w('form.howLong'))}</legend>
        <div id="time-hint" class="govuk-hint">
          {t(w('form.howLongHint'))}
        </div>
        {error ? (
          <p id="time-error" class="govuk-error-message">
            <span class="govuk-visually-hidden">{t('errors.prefix')}:</span> {error}
          </p>
        ) : null}
        <div class="govuk-date-input">
          {(['hours', 'minutes'] as const).map((name) => (
            <div class="govuk-date-input__item">
              <div class="govuk-form-group">
                <label class="govuk-label govuk-date-input__label" for={name}>
                  {t(w(`form.${name}`))}
                </label>
                <input
                  class={`govuk-input govuk-date-input__input govuk-input--width-3${errors?.[name] ? ' govuk-input--error' : ''}`}
                  id={name}
                  name={name}
                  type="text"
                  inputmode="numeric"
                  value={values?.[name] ?? ''}
                />
              </div>
            </div>
          ))}
        </div>
      </fieldset>
    </div>
  );
}

export function Radios(props: {
  name: string;
  legend: string;
  options: { value: string; label: string }[];
  values?: FormValues;
  errors?: FieldErrors;
  t: Translate;
}) {
  const error = props.errors?.[props.name];
  const current = props.values?.[props.name] ?? '';
  return (
    <div class={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <fieldset class="govuk-fieldset" aria-describedby={error ? `${props.name}-error` : undefined}>
        <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{props.legend}</legend>
        {error ? (
          <p id={`${props.name}-error`} class="govuk-error-message">
            <span class="govuk-visually-hidden">{props.t('errors.prefix')}:</span> {error}
          </p>
        ) : null}
        <div class="govuk-radios govuk-radios--small">
          {props.options.map((option, index) => (
            <div class="govuk-radios__item">
              <input
                class="govuk-radios__input"
                id={index === 0 ? props.name : `${props.name}-${option.value}`}
                name={props.name}
                type="radio"
                value={option.value}
                checked={option.value === current}
              />
              <label
                class="govuk-label govuk-radios__label"
                for={index === 0 ? props.name : `${props.name}-${option.value}`}
              >
                {option.label}
              </label>
            </div>
          ))}
        </div>
      </fieldset>
    </div>
  );
}

export function Checkboxes(props: {
  name: string;
  legend: string;
  hint?: string;
  options: { value: string; label: string }[];
  chosen: string[];
  errors?: FieldErrors;
  t: Translate;
}) {
  const error = props.errors?.[props.name];
  return (
    <div class={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <fieldset class="govuk-fieldset" aria-describedby={error ? `${props.name}-error` : undefined}>
        <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{props.legend}</legend>
        {props.hint ? <div class="govuk-hint">{props.hint}</div> : null}
        {error ? (
          <p id={`${props.name}-error`} class="govuk-error-message">
            <span class="govuk-visually-hidden">{props.t('errors.prefix')}:</span> {error}
          </p>
        ) : null}
        <div class="govuk-checkboxes govuk-checkboxes--small">
          {props.options.map((option, index) => (
            <div class="govuk-checkboxes__item">
              <input
                class="govuk-checkboxes__input"
                id={index === 0 ? props.name : `${props.name}-${index}`}
                name={props.name}
                type="checkbox"
                value={option.value}
                checked={props.chosen.includes(option.value)}
              />
              <label
                class="govuk-label govuk-checkboxes__label"
                for={index === 0 ? props.name : `${props.name}-${index}`}
              >
                {option.label}
              </label>
            </div>
          ))}
        </div>
      </fieldset>
    </div>
  );
}

export function Summary({ rows }: { rows: [string, Child][] }) {
  return (
    <dl class="govuk-summary-list">
      {rows.map(([key, value]) => (
        <div class="govuk-summary-list__row">
          <dt class="govuk-summary-list__key">{key}</dt>
          <dd class="govuk-summary-list__value">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function hasErrors(errors: FieldErrors) {
  return Object.keys(errors).length > 0;
}

/**
 * Like the core's parseValues, but also keeps this module's own message keys (`time-bank.…`),
 * which the core would turn into its general "check what you have typed".
 */
export function parseWith<S extends z.ZodType>(
  schema: S,
  values: FormValues,
  t: Translate,
): { ok: true; data: z.output<S> } | { ok: false; errors: FieldErrors } {
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? 'form');
    if (errors[field]) continue;
    const key = /^(errors|time-bank)\./.test(issue.message) ? issue.message : 'errors.invalid';
    const limits = issue as { maximum?: unknown; minimum?: unknown };
    errors[field] = t(key, { max: Number(limits.maximum ?? 0), min: Number(limits.minimum ?? 0) });
  }
  return { ok: false, errors };
}
