import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { AppEnv } from '../../../core/context.ts';
import type { Scope } from '../../../core/database/tenancy.ts';
import type { Translate } from '../../../core/i18n/index.ts';
import { teamName } from '../../../core/teams.ts';
import { formatDateTime } from '../../../core/web/format.ts';
import { ErrorSummary, type FieldErrors, FieldsetGroup, type FormValues } from '../../../core/web/forms.tsx';
import { Notice, renderPage } from '../../../core/web/layout.tsx';
import { type MomentProblem, readMoment, ukDayAndTime } from '../moments.ts';
import { isPatientOf, type WardPlace, wardForStaff } from '../wards.ts';

export const id = 'safer-wards';
export const w = (key: string) => `${id}.${key}`;
export type C = Context<AppEnv>;

export const notices: Record<string, string> = {
  admitted: 'notices.admitted',
  discharged: 'notices.discharged',
  leave: 'notices.leave',
  recorded: 'notices.recorded',
  planSaved: 'notices.planSaved',
  planSame: 'notices.planSame',
  draftSaved: 'notices.draftSaved',
  signedOff: 'notices.signedOff',
  amended: 'notices.amended',
  account: 'notices.account',
  debrief: 'notices.debrief',
  lesson: 'notices.lesson',
  withheld: 'notices.withheld',
  noted: 'notices.noted',
  message: 'notices.message',
  calm: 'notices.calm',
};

/** A safer-wards page: caption, heading, the notice named by `?done=`, any errors (status 400 then). */
export function page(
  c: C,
  options: {
    title: string;
    caption?: string;
    errors?: FieldErrors;
    narrow?: boolean;
    back?: { href: string; label: string };
  },
  body: Child,
) {
  const t = c.get('t');
  const errors = options.errors ?? {};
  const failed = Object.keys(errors).length > 0;
  const notice = notices[c.req.query('done') ?? ''];
  return renderPage(
    c,
    { title: options.title, hasErrors: failed, status: failed ? 400 : 200, narrow: options.narrow },
    <>
      <Notice text={notice ? t(w(notice)) : null} />
      <ErrorSummary errors={errors} t={t} />
      {options.caption ? <span class="govuk-caption-l">{options.caption}</span> : null}
      <h1 class="govuk-heading-l">{options.title}</h1>
      {body}
      {options.back ? (
        <p class="govuk-body">
          <a class="govuk-link" href={options.back.href}>
            {options.back.label}
          </a>
        </p>
      ) : null}
    </>,
  );
}

export const wardLabel = (c: C, place: WardPlace) => teamName(place.ward, c.get('language'));

/** The ward in the path, when the person asking works on it. */
export async function wardHere(c: C, scope: Scope): Promise<WardPlace | null> {
  return wardForStaff(scope, c.req.param('wardId') ?? '', c.get('user')!.personId);
}

/** The ward and a patient of it, when both are the asker's to see. */
export async function patientHere(c: C, scope: Scope, personId: string) {
  const place = await wardHere(c, scope);
  if (!place || !(await isPatientOf(scope, place.ward.id, personId))) return null;
  return place;
}

/** Every value of a field sent more than once (checkboxes). */
export async function allOf(c: C, name: string): Promise<string[]> {
  const value = (await c.req.parseBody({ all: true }))[name];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((item): item is string => typeof item === 'string');
}

const momentMessages: Record<MomentProblem, string> = {
  required: 'errors.momentRequired',
  day: 'errors.momentDay',
  time: 'errors.momentTime',
  future: 'errors.momentFuture',
};

/** Reads `<name>Day` and `<name>Time`; a problem is put beside the field under `name`. */
export function momentField(
  values: FormValues,
  name: string,
  errors: FieldErrors,
  t: Translate,
  options: { required?: boolean } = {},
): Date | null {
  const reading = readMoment(values[`${name}Day`], values[`${name}Time`], options);
  if (reading.ok) return reading.moment;
  errors[name] = t(w(momentMessages[reading.problem]));
  return null;
}

/** The form values for a moment already known. */
export function momentValues(name: string, moment: Date | null): FormValues {
  if (!moment) return {};
  const { day, time } = ukDayAndTime(moment);
  return { [`${name}Day`]: day, [`${name}Time`]: time };
}

/** A day and a clock time in one question, the way a ward clock is read. */
export function MomentField(props: {
  name: string;
  /** As for the core's fields: the ids when the same question is asked in two forms on one page. */
  id?: string;
  legend: string;
  hint?: string;
  values: FormValues;
  errors: FieldErrors;
  t: Translate;
}) {
  const { name, t } = props;
  const key = props.id ?? name;
  const error = props.errors[key];
  return (
    <FieldsetGroup
      name={name}
      id={props.id}
      legend={props.legend}
      hint={props.hint}
      errors={props.errors}
      t={t}
    >
      <div class="alongside-moment">
        <div class="govuk-form-group govuk-!-margin-bottom-2">
          <label class="govuk-label" for={key}>
            {t(w('moment.day'))}
          </label>
          <input
            class={`govuk-input govuk-input--width-10${error ? ' govuk-input--error' : ''}`}
            id={key}
            name={`${name}Day`}
            type="date"
            value={props.values[`${name}Day`] ?? ''}
          />
        </div>
        <div class="govuk-form-group govuk-!-margin-bottom-0">
          <label class="govuk-label" for={`${key}-time`}>
            {t(w('moment.time'))}
          </label>
          <input
            class={`govuk-input govuk-input--width-5${error ? ' govuk-input--error' : ''}`}
            id={`${key}-time`}
            name={`${name}Time`}
            type="text"
            inputmode="numeric"
            autocomplete="off"
            value={props.values[`${name}Time`] ?? ''}
          />
        </div>
      </div>
    </FieldsetGroup>
  );
}

export const when = (c: C, moment: Date | null) => (moment ? formatDateTime(moment, c.get('language')) : '—');

/** Minutes between two moments, as "1 hour 5 minutes". */
export function durationText(t: Translate, from: Date, to: Date): string {
  const minutes = Math.round((to.getTime() - from.getTime()) / 60_000);
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const parts: string[] = [];
  if (hours) parts.push(t(w('units.hours'), { count: hours }));
  if (rest || !hours) parts.push(t(w('units.minutes'), { count: rest }));
  return parts.join(' ');
}

/** Written words as typed, line breaks kept. */
export function Words({ text }: { text: string }) {
  return <p class="govuk-body alongside-pre govuk-!-margin-bottom-0">{text}</p>;
}
