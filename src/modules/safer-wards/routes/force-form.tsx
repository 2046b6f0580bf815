import type { Language, Translate } from '../../../core/i18n/index.ts';
import type { WordingSuggestion } from '../../../core/language-guard/index.ts';
import type { TeamStaff } from '../../../core/teams.ts';
import {
  Button,
  Checkboxes,
  type FieldErrors,
  FieldsetGroup,
  type FormValues,
  Radios,
  Select,
  TextArea,
  TextInput,
} from '../../../core/web/forms.tsx';
import { KeepWordingButton, needsWordingPause } from '../../../core/web/language-guard.tsx';
import {
  type ForceRecord,
  type ForceRecordInput,
  forceLimits,
  forceTypes,
  harms,
  longUseMinutes,
  nonStaffAnswers,
  positions,
  toldAnswers,
  yesNo,
} from '../force.ts';
import type { HelpPlan } from '../help-plans.ts';
import { readMoment } from '../moments.ts';
import { MomentField, momentValues, w } from './shared.tsx';

/** How many types of force one form offers at once; a record needing more is saved and opened again. */
export const typeRows = 3;

/** The text fields of the record, checked by the language guard when staff write them. */
export const forceTextFields = [
  'place',
  'reason',
  'description',
  'efforts',
  'othersInvolved',
  'outcome',
  'peopleToldDetails',
] as const;

/** What the person's help plan offers to tick as "tried": each heading with words, and each calm-down thing. */
export function planChoices(plan: HelpPlan | null, t: Translate): string[] {
  if (!plan) return [];
  const headings = (['calms', 'staffDo', 'askForHelp'] as const)
    .filter((h) => plan[h].trim())
    .map((h) => `${t(w(`plan.tried.${h}`))}: ${plan[h].trim().slice(0, 120)}`);
  return [...plan.calmItems, ...headings];
}

export function recordValues(record: ForceRecord): FormValues {
  const values: FormValues = {
    place: record.place,
    reason: record.reason,
    description: record.description,
    inCarePlan: record.inCarePlan,
    efforts: record.efforts,
    nonStaff: record.nonStaff,
    othersInvolved: record.othersInvolved,
    outcome: record.outcome,
    harm: record.harm,
    peopleTold: record.peopleTold,
    peopleToldDetails: record.peopleToldDetails,
  };
  record.types.forEach((used, index) => {
    values[`type${index}`] = used.type;
    values[`position${index}`] = used.position;
    Object.assign(
      values,
      momentValues(`start${index}`, used.startedAt),
      momentValues(`end${index}`, used.endedAt),
    );
  });
  for (const person of record.staff) {
    values[`staff-${person.personId}`] = 'yes';
    values[`jobTitle-${person.personId}`] = person.jobTitle;
  }
  return values;
}

const clip = (value: string | undefined, max: number) => (value ?? '').trim().slice(0, max);
const oneOf = <T extends string>(value: string | undefined, allowed: readonly T[]): '' | T =>
  allowed.includes(value as T) ? (value as T) : '';

/**
 * Reads the form into a record, with a message beside every field that is wrong; nothing typed is
 * lost, since the same values are shown again. Checks that need the database (the patient on the
 * ward then, staff of this ward) are the route's.
 */
export function readForceForm(
  values: FormValues,
  tried: string[],
  staffList: TeamStaff[],
  t: Translate,
  now = new Date(),
): { input: ForceRecordInput; errors: FieldErrors; rows: number[] } {
  const errors: FieldErrors = {};
  const tooLong = (field: keyof typeof forceLimits) => {
    if ((values[field] ?? '').trim().length > forceLimits[field])
      errors[field] = t('errors.tooLong', { max: forceLimits[field] });
  };
  for (const field of forceTextFields) tooLong(field);
  const types: ForceRecordInput['types'] = [];
  // The form row each type came from, so a later message goes beside the right one.
  const rows: number[] = [];
  let long = false;
  for (let index = 0; index < typeRows; index++) {
    const type = oneOf(values[`type${index}`], forceTypes);
    const anything = [`start${index}Day`, `start${index}Time`, `end${index}Day`, `end${index}Time`].some(
      (k) => values[k]?.trim(),
    );
    if (!type) {
      if (anything) errors[`type${index}`] = t(w('errors.typeRequired'));
      continue;
    }
    const start = readMoment(values[`start${index}Day`], values[`start${index}Time`], {
      required: true,
      now,
    });
    const end = readMoment(values[`end${index}Day`], values[`end${index}Time`], { required: true, now });
    const say = (problem: string) =>
      t(w(`errors.moment${problem.charAt(0).toUpperCase()}${problem.slice(1)}`));
    if (!start.ok) errors[`start${index}`] = say(start.problem);
    if (!end.ok) errors[`end${index}`] = say(end.problem);
    if (!start.ok || !end.ok || !start.moment || !end.moment) continue;
    if (end.moment < start.moment) {
      errors[`end${index}`] = t(w('errors.endBeforeStart'));
      continue;
    }
    if (end.moment.getTime() - start.moment.getTime() > longUseMinutes * 60_000) long = true;
    const position = type === 'physical' ? oneOf(values[`position${index}`], positions) : '';
    types.push({ type, position, startedAt: start.moment, endedAt: end.moment });
    rows.push(index);
  }
  if (long && values.confirmLong !== 'yes') errors.confirmLong = t(w('errors.confirmLong'));
  const staff: ForceRecordInput['staff'] = [];
  const known = new Set(staffList.map((s) => s.personId));
  for (const [name, value] of Object.entries(values)) {
    if (!name.startsWith('staff-') || value !== 'yes') continue;
    const personId = name.slice('staff-'.length);
    if (!known.has(personId)) {
      errors.staff = t(w('errors.staffNotOnWard'));
      continue;
    }
    const jobTitle = clip(values[`jobTitle-${personId}`], forceLimits.jobTitle + 1);
    if (!jobTitle) errors[`jobTitle-${personId}`] = t(w('errors.jobTitleRequired'));
    else if (jobTitle.length > forceLimits.jobTitle)
      errors[`jobTitle-${personId}`] = t('errors.tooLong', { max: forceLimits.jobTitle });
    else if (!staff.some((s) => s.personId === personId)) staff.push({ personId, jobTitle });
  }
  const input: ForceRecordInput = {
    place: clip(values.place, forceLimits.place),
    reason: clip(values.reason, forceLimits.reason),
    description: clip(values.description, forceLimits.description),
    inCarePlan: oneOf(values.inCarePlan, yesNo),
    planItemsTried: [...new Set(tried.map((item) => item.trim().slice(0, 300)).filter(Boolean))].slice(0, 50),
    efforts: clip(values.efforts, forceLimits.efforts),
    nonStaff: oneOf(values.nonStaff, nonStaffAnswers),
    othersInvolved: clip(values.othersInvolved, forceLimits.othersInvolved),
    outcome: clip(values.outcome, forceLimits.outcome),
    harm: oneOf(values.harm, harms),
    peopleTold: oneOf(values.peopleTold, toldAnswers),
    peopleToldDetails: clip(values.peopleToldDetails, forceLimits.peopleToldDetails),
    types,
    staff,
  };
  return { input, errors, rows };
}

/** The whole record's form: the person's plan is shown above it by the page. */
export function ForceForm(props: {
  action: string;
  values: FormValues;
  tried: string[];
  planOptions: string[];
  staffList: TeamStaff[];
  patients?: { value: string; label: string }[];
  signedOff: boolean;
  errors: FieldErrors;
  wording: Record<string, WordingSuggestion[]>;
  csrf: unknown;
  t: Translate;
  language: Language;
}) {
  const { t, values, errors, wording } = props;
  const area = (name: (typeof forceTextFields)[number], letter: string, rows = 3) => (
    <TextArea
      name={name}
      label={`${t(w(`force.fields.${name}`))} (${letter})`}
      hint={t(w(`force.hints.${name}`))}
      values={values}
      errors={errors}
      wording={wording}
      t={t}
      rows={rows}
    />
  );
  const offered = [...props.planOptions, ...props.tried.filter((item) => !props.planOptions.includes(item))];
  return (
    <form method="post" action={props.action} novalidate>
      {props.csrf}
      {props.patients ? (
        <Select
          name="person"
          label={t(w('force.fields.person'))}
          hint={t(w('force.hints.person'))}
          options={[{ value: '', label: t(w('interactions.choose')) }, ...props.patients]}
          values={values}
          errors={errors}
          t={t}
        />
      ) : null}
      <TextInput
        name="place"
        label={`${t(w('force.fields.place'))} (b)`}
        hint={t(w('force.hints.place'))}
        values={values}
        errors={errors}
        t={t}
      />
      <h2 class="govuk-heading-m">{t(w('force.typesTitle'))} (b, c)</h2>
      <p class="govuk-body">{t(w('force.typesIntro'))}</p>
      {Array.from({ length: typeRows }, (_, index) => (
        <fieldset class="govuk-fieldset alongside-force-type">
          <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">
            {t(w('force.typeNumber'), { number: index + 1 })}
          </legend>
          <Select
            name={`type${index}`}
            label={t(w('force.fields.type'))}
            options={[
              { value: '', label: t(w('force.noType')) },
              ...forceTypes.map((type) => ({ value: type, label: t(w(`force.types.${type}`)) })),
            ]}
            values={values}
            errors={errors}
            t={t}
          />
          <Select
            name={`position${index}`}
            label={t(w('force.fields.position'))}
            hint={t(w('force.hints.position'))}
            options={[
              { value: '', label: t(w('force.noPosition')) },
              ...positions.map((p) => ({ value: p, label: t(w(`force.positions.${p}`)) })),
            ]}
            values={values}
            errors={errors}
            t={t}
          />
          <MomentField
            name={`start${index}`}
            legend={t(w('force.fields.start'))}
            values={values}
            errors={errors}
            t={t}
          />
          <MomentField
            name={`end${index}`}
            legend={t(w('force.fields.end'))}
            values={values}
            errors={errors}
            t={t}
          />
        </fieldset>
      ))}
      {errors.confirmLong || values.confirmLong === 'yes' ? (
        <Checkboxes
          name="confirmLong"
          legend={t(w('force.fields.confirmLong'))}
          options={[{ value: 'yes', label: t(w('force.confirmLong')) }]}
          chosen={values.confirmLong === 'yes' ? ['yes'] : []}
          errors={errors}
          t={t}
        />
      ) : null}
      {area('reason', 'a')}
      {area('description', 'f', 5)}
      <Radios
        name="inCarePlan"
        legend={`${t(w('force.fields.inCarePlan'))} (d)`}
        options={yesNo.map((answer) => ({ value: answer, label: t(w(`answers.${answer}`)) }))}
        values={values}
        errors={errors}
        t={t}
      />
      <h2 class="govuk-heading-m">{t(w('force.effortsTitle'))} (o)</h2>
      {offered.length > 0 ? (
        <Checkboxes
          name="tried"
          legend={t(w('force.fields.tried'))}
          hint={t(w('force.hints.tried'))}
          options={offered.map((item) => ({ value: item, label: item }))}
          chosen={props.tried}
          errors={errors}
          t={t}
        />
      ) : (
        <p class="govuk-body">{t(w('force.noPlanToTry'))}</p>
      )}
      {area('efforts', 'o')}
      <FieldsetGroup
        name="staff"
        legend={`${t(w('force.fields.staff'))} (h)`}
        hint={t(w('force.hints.staff'))}
        errors={errors}
        t={t}
      >
        <div class="govuk-checkboxes govuk-checkboxes--small">
          {props.staffList.map((person, index) => (
            <div class="alongside-force-staff">
              <div class="govuk-checkboxes__item">
                <input
                  class="govuk-checkboxes__input"
                  id={index === 0 ? 'staff' : `staff-${index}`}
                  name={`staff-${person.personId}`}
                  type="checkbox"
                  value="yes"
                  checked={values[`staff-${person.personId}`] === 'yes'}
                />
                <label
                  class="govuk-label govuk-checkboxes__label"
                  for={index === 0 ? 'staff' : `staff-${index}`}
                >
                  {person.calledName}
                </label>
              </div>
              <TextInput
                name={`jobTitle-${person.personId}`}
                label={t(w('force.fields.jobTitle'), { name: person.calledName })}
                values={values}
                errors={errors}
                t={t}
                width="20"
              />
            </div>
          ))}
        </div>
      </FieldsetGroup>
      <Radios
        name="nonStaff"
        legend={`${t(w('force.fields.nonStaff'))} (i)`}
        options={nonStaffAnswers.map((answer) => ({
          value: answer,
          label: t(w(`force.nonStaff.${answer}`)),
        }))}
        values={values}
        errors={errors}
        t={t}
      />
      {area('othersInvolved', 'i', 2)}
      {area('outcome', 'm')}
      <Radios
        name="harm"
        legend={`${t(w('force.fields.harm'))} (n)`}
        options={harms.map((harm) => ({ value: harm, label: t(w(`force.harms.${harm}`)) }))}
        values={values}
        errors={errors}
        t={t}
      />
      <Radios
        name="peopleTold"
        legend={`${t(w('force.fields.peopleTold'))} (p)`}
        options={toldAnswers.map((answer) => ({ value: answer, label: t(w(`force.told.${answer}`)) }))}
        values={values}
        errors={errors}
        t={t}
      />
      {area('peopleToldDetails', 'p', 2)}
      <p class="govuk-body">{t(w('force.derived'))}</p>
      {props.signedOff ? (
        <TextArea
          name="amendmentReason"
          label={t(w('force.fields.amendmentReason'))}
          hint={t(w('force.hints.amendmentReason'))}
          values={values}
          errors={errors}
          t={t}
          rows={2}
        />
      ) : null}
      <Button>{t(w(props.signedOff ? 'force.saveAmendment' : 'force.saveDraft'))}</Button>
      {needsWordingPause(values, wording) ? <KeepWordingButton t={t} /> : null}
    </form>
  );
}
