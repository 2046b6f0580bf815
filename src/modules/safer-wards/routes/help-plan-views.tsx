import { z } from 'zod';
import type { Language, Translate } from '../../../core/i18n/index.ts';
import type { WordingSuggestion } from '../../../core/language-guard/index.ts';
import { formatDateTime } from '../../../core/web/format.ts';
import {
  Button,
  Checkboxes,
  type FieldErrors,
  type FormValues,
  optionalText,
  Radios,
  TextArea,
  TextInput,
} from '../../../core/web/forms.tsx';
import { KeepWordingButton, needsWordingPause } from '../../../core/web/language-guard.tsx';
import {
  type HelpPlan,
  type HelpPlanWords,
  hasWords,
  helpPlanHeadings,
  helpPlanLimits,
  ldAutismAnswers,
} from '../help-plans.ts';
import type { CalmItem } from '../wards.ts';
import { Words, w } from './shared.tsx';

export const helpPlanSchema = z.object({
  ...Object.fromEntries(helpPlanHeadings.map((h) => [h, optionalText(helpPlanLimits.heading)])),
  sharedDisorder: optionalText(helpPlanLimits.sharedDisorder),
  sharedLdAutism: z.union([z.literal(''), z.enum(ldAutismAnswers)], { error: 'errors.invalid' }).default(''),
  sharedCharacteristics: optionalText(helpPlanLimits.sharedCharacteristics),
}) as unknown as z.ZodType<Omit<HelpPlanWords, 'calmItems'>>;

export const calmItemName = (item: CalmItem, language: Language) =>
  (language === 'cy' && item.nameCy) || item.name;

export function planValues(plan: HelpPlan | null): FormValues {
  if (!plan) return {};
  return Object.fromEntries([
    ...helpPlanHeadings.map((h) => [h, plan[h]]),
    ['sharedDisorder', plan.sharedDisorder],
    ['sharedLdAutism', plan.sharedLdAutism],
    ['sharedCharacteristics', plan.sharedCharacteristics],
  ]);
}

/**
 * The help plan as staff and the person read it: only the headings with words, in the person's words,
 * with who wrote this version and when. `own` words it to the person ("what helps me").
 */
export function HelpPlanView(props: {
  plan: HelpPlan | null;
  names: Map<string, string>;
  own: boolean;
  t: Translate;
  language: Language;
}) {
  const { plan, t, own } = props;
  if (!plan || !hasWords(plan)) return <p class="govuk-body">{t(w(own ? 'plan.noneOwn' : 'plan.none'))}</p>;
  const writer = plan.writtenBy ? (props.names.get(plan.writtenBy) ?? '—') : '—';
  return (
    <div class="alongside-help-plan">
      <p class="govuk-body-s">
        {t(
          w(
            plan.writtenBy !== plan.personId
              ? 'plan.writtenWith'
              : own
                ? 'plan.writtenByYou'
                : 'plan.writtenBySelf',
          ),
          {
            name: writer,
            when: formatDateTime(plan.createdAt, props.language),
            version: plan.version,
          },
        )}
      </p>
      <dl class="govuk-summary-list">
        {helpPlanHeadings.map((heading) =>
          plan[heading].trim() || (heading === 'calms' && plan.calmItems.length > 0) ? (
            <div class="govuk-summary-list__row">
              <dt class="govuk-summary-list__key">{t(w(`plan.headings.${heading}${own ? 'Own' : ''}`))}</dt>
              <dd class="govuk-summary-list__value">
                {plan[heading].trim() ? <Words text={plan[heading]} /> : null}
                {heading === 'calms' && plan.calmItems.length > 0 ? (
                  <ul class="govuk-list govuk-list--bullet govuk-!-margin-bottom-0">
                    {plan.calmItems.map((item) => (
                      <li>{item}</li>
                    ))}
                  </ul>
                ) : null}
              </dd>
            </div>
          ) : null,
        )}
      </dl>
    </div>
  );
}

/** The help plan form, the same for the person and for staff writing it with them. */
export function HelpPlanForm(props: {
  action: string;
  own: boolean;
  values: FormValues;
  chosenItems: string[];
  items: CalmItem[];
  errors: FieldErrors;
  wording: Record<string, WordingSuggestion[]>;
  csrf: unknown;
  t: Translate;
  language: Language;
}) {
  const { t, own, values, errors } = props;
  const suffix = own ? 'Own' : '';
  // Items chosen earlier that are no longer in the box stay choosable, so nothing is lost.
  const names = props.items.map((item) => calmItemName(item, props.language));
  const offered = [...names, ...props.chosenItems.filter((chosen) => !names.includes(chosen))];
  return (
    <form method="post" action={props.action} novalidate>
      {props.csrf}
      <p class="govuk-body">{t(w(`plan.intro${suffix}`))}</p>
      {helpPlanHeadings.map((heading) => (
        <>
          <TextArea
            name={heading}
            label={t(w(`plan.headings.${heading}${suffix}`))}
            hint={t(w(`plan.hints.${heading}`))}
            values={values}
            errors={errors}
            wording={own ? undefined : props.wording}
            t={t}
            rows={3}
          />
          {heading === 'calms' && offered.length > 0 ? (
            <Checkboxes
              name="calmItems"
              legend={t(w(`plan.calmItems${suffix}`))}
              options={offered.map((name) => ({ value: name, label: name }))}
              chosen={props.chosenItems}
              t={t}
            />
          ) : null}
        </>
      ))}
      <h2 class="govuk-heading-m">{t(w('plan.sharedTitle'))}</h2>
      <p class="govuk-body">{t(w(`plan.sharedIntro${suffix}`))}</p>
      <TextInput
        name="sharedDisorder"
        label={t(w(`plan.shared.disorder${suffix}`))}
        values={values}
        errors={errors}
        t={t}
      />
      <Radios
        name="sharedLdAutism"
        legend={t(w(`plan.shared.ldAutism${suffix}`))}
        options={[
          ...ldAutismAnswers.map((answer) => ({ value: answer, label: t(w(`plan.ldAutism.${answer}`)) })),
          { value: '', label: t(w('plan.ldAutism.blank')) },
        ]}
        values={values}
        errors={errors}
        t={t}
      />
      <TextArea
        name="sharedCharacteristics"
        label={t(w(`plan.shared.characteristics${suffix}`))}
        hint={t(w('plan.shared.characteristicsHint'))}
        values={values}
        errors={errors}
        t={t}
        rows={2}
      />
      <Button>{t(w('plan.save'))}</Button>
      {needsWordingPause(values, props.wording) ? <KeepWordingButton t={t} /> : null}
    </form>
  );
}
