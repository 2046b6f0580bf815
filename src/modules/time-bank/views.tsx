import { z } from 'zod';
import type { Translate } from '../../core/i18n/index.ts';
import { type FieldErrors, FieldsetGroup, type FormValues } from '../../core/web/forms.tsx';
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
    <FieldsetGroup
      name="time"
      legend={t(w('form.howLong'))}
      hint={t(w('form.howLongHint'))}
      errors={error ? { time: error } : {}}
      t={t}
    >
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
    </FieldsetGroup>
  );
}

export function hasErrors(errors: FieldErrors) {
  return Object.keys(errors).length > 0;
}
