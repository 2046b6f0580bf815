import { sql } from 'drizzle-orm';
import { audit } from '../../core/audit.ts';
import { rowsOf, type Scope } from '../../core/database/tenancy.ts';
import { isUuid } from '../../core/tokens.ts';
import { auditSubject } from './wards.ts';

/**
 * The person's help plan: what they want staff to know, in their own words. Every version is kept with
 * who wrote it and when; the newest is shown first wherever staff meet them, and at the top of any
 * record of force about them. It belongs to the person, so a new admission brings it back.
 */

export const helpPlanHeadings = [
  'upsets',
  'earlySigns',
  'calms',
  'staffDo',
  'staffNotDo',
  'askForHelp',
  'ifHeld',
  'peopleToTell',
] as const;
export type HelpPlanHeading = (typeof helpPlanHeadings)[number];

/** What the person may choose to share for a Use of Force record; blank is "not known". */
export const sharedFields = ['sharedDisorder', 'sharedLdAutism', 'sharedCharacteristics'] as const;
export const ldAutismAnswers = ['yes', 'no', 'rather-not-say'] as const;

export type HelpPlanWords = Record<HelpPlanHeading, string> & {
  calmItems: string[];
  sharedDisorder: string;
  sharedLdAutism: '' | (typeof ldAutismAnswers)[number];
  sharedCharacteristics: string;
};

export interface HelpPlan extends HelpPlanWords {
  id: string;
  personId: string;
  version: number;
  writtenBy: string | null;
  createdAt: Date;
}

export const helpPlanLimits = { heading: 2000, sharedDisorder: 300, sharedCharacteristics: 1000 };

const columns = sql`id, person_id as "personId", version, upsets, early_signs as "earlySigns", calms,
  calm_items as "calmItems", staff_do as "staffDo", staff_not_do as "staffNotDo", ask_for_help as "askForHelp",
  if_held as "ifHeld", people_to_tell as "peopleToTell", shared_disorder as "sharedDisorder",
  shared_ld_autism as "sharedLdAutism", shared_characteristics as "sharedCharacteristics",
  written_by_person_id as "writtenBy", created_at as "createdAt"`;

const toPlan = (row: HelpPlan): HelpPlan => ({
  ...row,
  version: Number(row.version),
  calmItems: row.calmItems ?? [],
  createdAt: new Date(row.createdAt),
});

export async function currentHelpPlan(scope: Scope, personId: string): Promise<HelpPlan | null> {
  if (!isUuid(personId)) return null;
  const [row] = await rowsOf<HelpPlan>(
    scope.tx.execute(sql`select ${columns} from help_plan_version
      where organisation_id = ${scope.organisationId} and person_id = ${personId}
      order by version desc limit 1`),
  );
  return row ? toPlan(row) : null;
}

export async function helpPlanVersions(scope: Scope, personId: string): Promise<HelpPlan[]> {
  if (!isUuid(personId)) return [];
  const rows = await rowsOf<HelpPlan>(
    scope.tx.execute(sql`select ${columns} from help_plan_version
      where organisation_id = ${scope.organisationId} and person_id = ${personId}
      order by version desc limit 200`),
  );
  return rows.map(toPlan);
}

/** Whether anything at all is written (an empty plan is not a plan). */
export function hasWords(plan: HelpPlanWords | null): boolean {
  return Boolean(plan && (helpPlanHeadings.some((h) => plan[h].trim()) || plan.calmItems.length > 0));
}

/** Saves a new version when something changed; returns its number, or null when nothing did. */
export async function saveHelpPlan(
  scope: Scope,
  personId: string,
  words: HelpPlanWords,
): Promise<number | null> {
  // The person's row is locked so two saves at once get two numbers, not one.
  await scope.tx.execute(sql`select id from person where id = ${personId} for update`);
  const current = await currentHelpPlan(scope, personId);
  const same =
    current &&
    helpPlanHeadings.every((h) => current[h] === words[h]) &&
    sharedFields.every((f) => current[f] === words[f]) &&
    current.calmItems.join('\n') === words.calmItems.join('\n');
  if (same) return null;
  const version = (current?.version ?? 0) + 1;
  await scope.tx.execute(sql`insert into help_plan_version (organisation_id, person_id, version, upsets, early_signs,
      calms, calm_items, staff_do, staff_not_do, ask_for_help, if_held, people_to_tell, shared_disorder,
      shared_ld_autism, shared_characteristics, written_by_person_id)
    values (${scope.organisationId}, ${personId}, ${version}, ${words.upsets}, ${words.earlySigns}, ${words.calms},
      array(select jsonb_array_elements_text(${JSON.stringify(words.calmItems)}::jsonb)), ${words.staffDo},
      ${words.staffNotDo}, ${words.askForHelp}, ${words.ifHeld}, ${words.peopleToTell}, ${words.sharedDisorder},
      ${words.sharedLdAutism}, ${words.sharedCharacteristics}, ${scope.actorPersonId})`);
  await audit(scope, {
    action: current ? 'update' : 'create',
    subjectType: auditSubject.helpPlan,
    subjectId: personId,
    subjectPersonId: personId,
    detail: { version },
  });
  return version;
}
