import { sql } from 'drizzle-orm';
import { audit } from '../../core/audit.ts';
import { rowsOf, type Scope } from '../../core/database/tenancy.ts';
import { isUuid } from '../../core/tokens.ts';
import { type GasRatingEvent, tScoreOverTime } from './gas.ts';
import { auditSubject } from './words.ts';

/** What a goal is about, chosen by the person if they like; it lets budgets and figures group by theme. */
export const goalThemes = [
  'home',
  'health',
  'money',
  'work-and-learning',
  'people',
  'everyday-life',
  'something-else',
] as const;
export type GoalTheme = (typeof goalThemes)[number];
export type GoalStatus = 'working-on' | 'reached' | 'let-go';

export interface GoalStep {
  id: string;
  words: string;
  doneAt: Date | null;
}

export interface Goal {
  id: string;
  personId: string;
  words: string;
  theme: GoalTheme | null;
  status: GoalStatus;
  statusWords: string;
  statusChangedAt: Date | null;
  writtenBy: string | null;
  withCoach: boolean;
  /** The five levels in the person's words, from -2 to +2, when they chose Goal Attainment Scaling. */
  gasLevels: string[] | null;
  gasImportance: number | null;
  gasDifficulty: number | null;
  createdAt: Date;
  steps: GoalStep[];
  /** Latest level on the five, when rated. */
  latestLevel: number | null;
}

const goalColumns = sql`id, person_id as "personId", words, theme, status, status_words as "statusWords",
  status_changed_at as "statusChangedAt", written_by as "writtenBy", with_coach as "withCoach",
  gas_levels as "gasLevels", gas_importance as "gasImportance", gas_difficulty as "gasDifficulty",
  created_at as "createdAt"`;

type GoalRow = Omit<Goal, 'steps' | 'latestLevel'>;

async function withStepsAndLevels(scope: Scope, rows: GoalRow[]): Promise<Goal[]> {
  if (rows.length === 0) return [];
  const ids = sql.join(
    rows.map((row) => sql`${row.id}`),
    sql`, `,
  );
  const steps = await rowsOf<GoalStep & { goalId: string }>(
    scope.tx.execute(sql`select id, goal_id as "goalId", words, done_at as "doneAt" from coaching_goal_step
      where goal_id in (${ids}) order by goal_id, position`),
  );
  const levels = await rowsOf<{ goalId: string; level: number }>(
    scope.tx.execute(sql`select distinct on (goal_id) goal_id as "goalId", level from coaching_goal_rating
      where goal_id in (${ids}) order by goal_id, rated_at desc, id desc`),
  );
  const latest = new Map(levels.map((row) => [row.goalId, Number(row.level)]));
  return rows.map((row) => ({
    ...row,
    gasImportance: row.gasImportance === null ? null : Number(row.gasImportance),
    gasDifficulty: row.gasDifficulty === null ? null : Number(row.gasDifficulty),
    createdAt: new Date(row.createdAt),
    statusChangedAt: row.statusChangedAt ? new Date(row.statusChangedAt) : null,
    steps: steps
      .filter((step) => step.goalId === row.id)
      .map(({ goalId: _, ...step }) => ({ ...step, doneAt: step.doneAt ? new Date(step.doneAt) : null })),
    latestLevel: latest.get(row.id) ?? null,
  }));
}

/**
 * A person's goals, oldest first, with steps and latest levels (three queries, whatever the number).
 * Other modules (personal budget) call this to offer "towards which goal".
 */
export async function goalsOf(scope: Scope, personId: string): Promise<Goal[]> {
  if (!isUuid(personId)) return [];
  const rows = await rowsOf<GoalRow>(
    scope.tx.execute(sql`select ${goalColumns} from coaching_goal
      where organisation_id = ${scope.organisationId} and person_id = ${personId} order by created_at, id`),
  );
  return withStepsAndLevels(scope, rows);
}

export async function findGoal(scope: Scope, goalId: string): Promise<Goal | null> {
  if (!isUuid(goalId)) return null;
  const rows = await rowsOf<GoalRow>(
    scope.tx.execute(sql`select ${goalColumns} from coaching_goal
      where organisation_id = ${scope.organisationId} and id = ${goalId}`),
  );
  const [goal] = await withStepsAndLevels(scope, rows);
  return goal ?? null;
}

export async function addGoal(
  scope: Scope,
  input: {
    personId: string;
    words: string;
    theme: GoalTheme | null;
    steps: string[];
    withCoach: boolean;
    at?: Date;
  },
): Promise<string> {
  const [row] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`insert into coaching_goal (organisation_id, person_id, words, theme, written_by, with_coach, created_at)
      values (${scope.organisationId}, ${input.personId}, ${input.words}, ${input.theme}, ${scope.actorPersonId}, ${input.withCoach}, ${(input.at ?? new Date()).toISOString()})
      returning id`),
  );
  for (const words of input.steps) await addStep(scope, row!.id, words, { quiet: true });
  await audit(scope, {
    action: 'create',
    subjectType: auditSubject.goal,
    subjectId: row!.id,
    subjectPersonId: input.personId,
    detail: { fields: ['words', 'theme', ...(input.steps.length ? ['steps'] : [])] },
  });
  return row!.id;
}

export async function addStep(
  scope: Scope,
  goalId: string,
  words: string,
  options: { quiet?: boolean; personId?: string } = {},
): Promise<void> {
  // Holding the goal's row makes two steps added at once take different places, not the same one.
  await scope.tx.execute(sql`select id from coaching_goal where id = ${goalId} for no key update`);
  await scope.tx.execute(sql`insert into coaching_goal_step (organisation_id, goal_id, words, position)
    select ${scope.organisationId}, ${goalId}, ${words}, coalesce(max(position), 0) + 1
    from coaching_goal_step where goal_id = ${goalId}`);
  if (!options.quiet)
    await audit(scope, {
      action: 'update',
      subjectType: auditSubject.goal,
      subjectId: goalId,
      subjectPersonId: options.personId ?? null,
      detail: { fields: ['steps'] },
    });
}

/** Words a goal had before they were changed: who wrote them and when, who changed them and when. */
export interface EarlierWords {
  words: string;
  writtenBy: string | null;
  writtenAt: Date;
  changedBy: string | null;
  changedAt: Date;
}

/** Every earlier wording of these goals, oldest first, by goal (one query, whatever the number). */
export async function earlierWordsOf(scope: Scope, goalIds: string[]): Promise<Map<string, EarlierWords[]>> {
  const byGoal = new Map<string, EarlierWords[]>();
  const ids = [...new Set(goalIds.filter(isUuid))];
  if (ids.length === 0) return byGoal;
  const rows = await rowsOf<EarlierWords & { goalId: string }>(
    scope.tx.execute(sql`select goal_id as "goalId", words, written_by as "writtenBy", written_at as "writtenAt",
        changed_by as "changedBy", changed_at as "changedAt"
      from coaching_goal_earlier_words where organisation_id = ${scope.organisationId}
        and goal_id in (${sql.join(
          ids.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})
      order by changed_at, written_at`),
  );
  for (const { goalId, ...row } of rows)
    byGoal.set(goalId, [
      ...(byGoal.get(goalId) ?? []),
      { ...row, writtenAt: new Date(row.writtenAt), changedAt: new Date(row.changedAt) },
    ]);
  return byGoal;
}

/**
 * New words for a goal. The words it had are kept as earlier words, with who wrote them (whoever wrote
 * the goal, or whoever last changed it) and when. The same words again change nothing.
 */
export async function changeGoalWords(scope: Scope, goal: Goal, words: string): Promise<boolean> {
  // Holding the goal's row: two changes at once each keep the words the other replaced.
  const [current] = await rowsOf<{ words: string; writtenBy: string | null; createdAt: Date }>(
    scope.tx.execute(sql`select words, written_by as "writtenBy", created_at as "createdAt" from coaching_goal
      where organisation_id = ${scope.organisationId} and id = ${goal.id} for no key update`),
  );
  if (!current || current.words === words) return false;
  const [last] = await rowsOf<{ changedBy: string | null; changedAt: Date }>(
    scope.tx.execute(sql`select changed_by as "changedBy", changed_at as "changedAt" from coaching_goal_earlier_words
      where organisation_id = ${scope.organisationId} and goal_id = ${goal.id} order by changed_at desc limit 1`),
  );
  const writtenBy = last ? last.changedBy : current.writtenBy;
  const writtenAt = new Date(last ? last.changedAt : current.createdAt);
  await scope.tx.execute(sql`insert into coaching_goal_earlier_words
      (organisation_id, goal_id, words, written_by, written_at, changed_by)
    values (${scope.organisationId}, ${goal.id}, ${current.words}, ${writtenBy}, ${writtenAt.toISOString()},
      ${scope.actorPersonId})`);
  await scope.tx.execute(sql`update coaching_goal set words = ${words}
    where organisation_id = ${scope.organisationId} and id = ${goal.id}`);
  await audit(scope, {
    action: 'update',
    subjectType: auditSubject.goal,
    subjectId: goal.id,
    subjectPersonId: goal.personId,
    detail: { fields: ['words'] },
  });
  return true;
}

export async function markStep(scope: Scope, goal: Goal, stepId: string, done: boolean): Promise<boolean> {
  if (!goal.steps.some((step) => step.id === stepId)) return false;
  await scope.tx.execute(sql`update coaching_goal_step set done_at = ${done ? sql`now()` : null}
    where id = ${stepId} and goal_id = ${goal.id}`);
  await audit(scope, {
    action: 'update',
    subjectType: auditSubject.goal,
    subjectId: goal.id,
    subjectPersonId: goal.personId,
    detail: { fields: ['steps'] },
  });
  return true;
}

export async function setGoalStatus(
  scope: Scope,
  goal: Goal,
  status: GoalStatus,
  words: string,
): Promise<void> {
  await scope.tx.execute(sql`update coaching_goal set status = ${status}, status_words = ${words},
    status_changed_at = now() where id = ${goal.id}`);
  await audit(scope, {
    action: 'update',
    subjectType: auditSubject.goal,
    subjectId: goal.id,
    subjectPersonId: goal.personId,
    detail: { fields: ['status', ...(words ? ['statusWords'] : [])] },
  });
}

export async function setGoalScaling(
  scope: Scope,
  goal: Goal,
  scaling: { levels: string[]; importance: number; difficulty: number },
): Promise<void> {
  await scope.tx.execute(sql`update coaching_goal set gas_levels = ${JSON.stringify(scaling.levels)}::jsonb,
    gas_importance = ${scaling.importance}, gas_difficulty = ${scaling.difficulty} where id = ${goal.id}`);
  await audit(scope, {
    action: 'update',
    subjectType: auditSubject.goal,
    subjectId: goal.id,
    subjectPersonId: goal.personId,
    detail: { fields: ['gasLevels', 'gasImportance', 'gasDifficulty'] },
  });
}

export async function rateGoal(scope: Scope, goal: Goal, level: number, at = new Date()): Promise<void> {
  await scope.tx.execute(sql`insert into coaching_goal_rating (organisation_id, goal_id, person_id, level, rated_by, rated_at)
    values (${scope.organisationId}, ${goal.id}, ${goal.personId}, ${level}, ${scope.actorPersonId}, ${at.toISOString()})`);
  await audit(scope, {
    action: 'update',
    subjectType: auditSubject.goal,
    subjectId: goal.id,
    subjectPersonId: goal.personId,
    detail: { fields: ['gasLevel'] },
  });
}

export async function goalRatings(scope: Scope, personId: string): Promise<GasRatingEvent[]> {
  const rows = await rowsOf<GasRatingEvent>(
    scope.tx.execute(sql`select goal_id as "goalId", level, rated_at as "ratedAt" from coaching_goal_rating
      where organisation_id = ${scope.organisationId} and person_id = ${personId} order by rated_at, id`),
  );
  return rows.map((row) => ({ ...row, level: Number(row.level), ratedAt: new Date(row.ratedAt) }));
}

/** The person's T-score after each rating, across the goals they chose to scale. */
export function tScoreJourney(goals: Goal[], ratings: GasRatingEvent[]) {
  const weights = new Map(
    goals
      .filter((goal) => goal.gasLevels && goal.gasImportance !== null && goal.gasDifficulty !== null)
      .map((goal) => [goal.id, { importance: goal.gasImportance!, difficulty: goal.gasDifficulty! }]),
  );
  return tScoreOverTime(weights, ratings);
}

/** The theme of each of these goals in one query, for figures grouped by theme (budget spent by theme). */
export async function themesOf(scope: Scope, goalIds: string[]): Promise<Map<string, GoalTheme | null>> {
  const ids = [...new Set(goalIds.filter(isUuid))];
  if (ids.length === 0) return new Map();
  const rows = await rowsOf<{ id: string; theme: GoalTheme | null }>(
    scope.tx.execute(sql`select id, theme from coaching_goal where organisation_id = ${scope.organisationId}
      and id in (${sql.join(
        ids.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})`),
  );
  return new Map(rows.map((row) => [row.id, row.theme]));
}
