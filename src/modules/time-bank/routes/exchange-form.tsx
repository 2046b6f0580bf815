import type { Child } from 'hono/jsx';
import { z } from 'zod';
import { addToDay, calendarDay, todayInUk } from '../../../core/dates.ts';
import {
  type FieldErrors,
  type FormValues,
  parseValues,
  Radios,
  Select,
  TextArea,
  TextInput,
} from '../../../core/web/forms.tsx';
import type { Category } from '../listings.ts';
import { checkTime, hasErrors, TimeInput, w } from '../views.tsx';
import { type C, categoryOptions } from './shared.tsx';

/** Someone picked from a list of members: who gave, who received, the other side. */
export const chosenMember = z
  .string({ error: 'time-bank.errors.chooseMember' })
  .min(1, 'time-bank.errors.chooseMember');

/**
 * The day an exchange happened; left empty, it is today. It may be from a year ago up to today: paper
 * records catch up, but a date in the future or long ago is almost always a slip. The messages say
 * which dates can be used.
 */
export const dateField = calendarDay({
  past: true,
  earliest: () => addToDay(todayInUk(), { years: -1 }),
  messages: { tooLate: 'time-bank.errors.dateFuture', tooEarly: 'time-bank.errors.dateLongAgo' },
});

/**
 * Reads an exchange form: the schema's own checks (the date among them, when the form has one), then
 * how long (hours and minutes together), then any checks of the page's own (`also`).
 */
export function readExchangeForm<S extends z.ZodType>(
  c: C,
  schema: S,
  values: FormValues,
  options: { also?: (errors: FieldErrors) => void } = {},
): { ok: true; data: z.output<S>; minutes: number } | { ok: false; errors: FieldErrors } {
  const t = c.get('t');
  const parsed = parseValues(schema, values, t);
  const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
  const minutes = checkTime({ hours: values.hours ?? '', minutes: values.minutes ?? '' }, errors, t);
  options.also?.(errors);
  if (!parsed.ok || minutes === null || hasErrors(errors)) return { ok: false, errors };
  return { ok: true, data: parsed.data, minutes };
}

/** A category picked on a form counts only if it is one of the organisation's. */
export function knownCategory(categories: Category[], categoryId: string): string | null {
  return categories.some((x) => x.id === categoryId) ? categoryId : null;
}

/** A list of members to choose one from, starting with "choose a member". */
export function MemberSelect(props: {
  name: string;
  label: string;
  options: { value: string; label: string }[];
  values: FormValues;
  errors: FieldErrors;
  c: C;
}) {
  const t = props.c.get('t');
  return (
    <Select
      name={props.name}
      label={props.label}
      options={[{ value: '', label: t(w('form.chooseMember')) }, ...props.options]}
      values={props.values}
      errors={props.errors}
      t={t}
    />
  );
}

/** A member's own exchange: which way the time went, and who with. */
export function DirectionAndMember(props: {
  c: C;
  members: { value: string; label: string }[];
  values: FormValues;
  errors: FieldErrors;
}) {
  const t = props.c.get('t');
  return (
    <>
      <Radios
        name="direction"
        legend={t(w('propose.direction'))}
        options={[
          { value: 'gave', label: t(w('propose.gave')) },
          { value: 'received', label: t(w('propose.received')) },
        ]}
        values={props.values}
        errors={props.errors}
        t={t}
      />
      <MemberSelect
        name="other"
        label={t(w('propose.other'))}
        options={props.members}
        values={props.values}
        errors={props.errors}
        c={props.c}
      />
    </>
  );
}

/** What every exchange form asks after who: how long, what was done, its category, and when (if asked). */
export function ExchangeDetails(props: {
  c: C;
  /** The organisation's categories to choose from; without them, no category is asked. */
  categories?: Category[];
  values: FormValues;
  errors: FieldErrors;
  askDate?: boolean;
}): Child {
  const { c, values, errors } = props;
  const t = c.get('t');
  return (
    <>
      <TimeInput values={values} errors={errors} t={t} />
      <TextArea name="whatWasDone" label={t(w('form.whatWasDone'))} values={values} errors={errors} t={t} />
      {props.categories ? (
        <Select
          name="categoryId"
          label={t(w('listings.category'))}
          options={categoryOptions(c, props.categories, t(w('listings.noCategory')))}
          values={values}
          errors={errors}
          t={t}
        />
      ) : null}
      {props.askDate ? (
        <TextInput
          name="happenedOn"
          type="date"
          label={t(w('form.happenedOn'))}
          hint={t(w('form.happenedOnHint'))}
          values={values}
          errors={errors}
          t={t}
        />
      ) : null}
    </>
  );
}
