import { sql } from 'drizzle-orm';
import { audit } from '../../core/audit.ts';
import { rowsOf, type Scope } from '../../core/database/tenancy.ts';
import { isUuid } from '../../core/tokens.ts';
import { auditSubject } from './shared.tsx';

/** Change ideas ("fail fast, fail forward"): proposed, self-checked, tried as experiments, decided. */

export const checkQuestions = ['safe', 'legal', 'cost', 'undo', 'wanted', 'shared'] as const;
export const ideaStatuses = ['proposed', 'with-lead', 'not-now', 'experiment', 'adopted', 'stopped'] as const;
export type IdeaStatus = (typeof ideaStatuses)[number];
export const decisions = ['adopt', 'adapt', 'stop'] as const;
export type Decision = (typeof decisions)[number];

export interface Idea {
  id: string;
  proposedByPersonId: string | null;
  what: string;
  why: string;
  whoItHelps: string;
  status: IdeaStatus;
  selfCheck: boolean[] | null;
  leadReply: string;
  leadRepliedByPersonId: string | null;
  proposedAt: Date;
  decidedAt: Date | null;
  supporters: number;
}

const ideaColumns = sql`i.id, i.proposed_by_person_id as "proposedByPersonId", i.what, i.why,
  i.who_it_helps as "whoItHelps", i.status, i.self_check as "selfCheck", i.lead_reply as "leadReply",
  i.lead_replied_by_person_id as "leadRepliedByPersonId", i.proposed_at as "proposedAt", i.decided_at as "decidedAt",
  (select count(*)::int from learning_idea_support s where s.idea_id = i.id) as supporters`;

const ideaOf = (row: Idea): Idea => ({
  ...row,
  proposedAt: new Date(row.proposedAt),
  decidedAt: row.decidedAt ? new Date(row.decidedAt) : null,
});

export async function costLimit(scope: Scope): Promise<number> {
  const [row] = await rowsOf<{ pounds: number }>(
    scope.tx.execute(sql`select idea_cost_limit_pounds as pounds from learning_setting`),
  );
  return row?.pounds ?? 100;
}

export async function setCostLimit(scope: Scope, pounds: number): Promise<void> {
  await scope.tx.execute(sql`insert into learning_setting (organisation_id, idea_cost_limit_pounds)
    values (${scope.organisationId}, ${pounds})
    on conflict (organisation_id) do update set idea_cost_limit_pounds = excluded.idea_cost_limit_pounds`);
  await audit(scope, {
    action: 'update',
    subjectType: 'learning:settings',
    detail: { fields: ['ideaCostLimit'] },
  });
}

export async function proposeIdea(
  scope: Scope,
  input: { what: string; why: string; whoItHelps: string },
): Promise<string> {
  const [row] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`insert into learning_change_idea (organisation_id, proposed_by_person_id, what, why, who_it_helps)
      values (${scope.organisationId}, ${scope.actorPersonId}, ${input.what}, ${input.why}, ${input.whoItHelps})
      returning id`),
  );
  await audit(scope, {
    action: 'create',
    subjectType: auditSubject.idea,
    subjectId: row!.id,
    subjectPersonId: scope.actorPersonId,
    detail: { fields: ['what', 'why', 'whoItHelps'] },
  });
  return row!.id;
}

export async function findIdea(scope: Scope, ideaId: string): Promise<Idea | null> {
  if (!isUuid(ideaId)) return null;
  const [row] = await rowsOf<Idea>(
    scope.tx.execute(sql`select ${ideaColumns} from learning_change_idea i where i.id = ${ideaId}`),
  );
  return row ? ideaOf(row) : null;
}

export async function listIdeas(scope: Scope, filter: { statuses?: IdeaStatus[] } = {}): Promise<Idea[]> {
  const statuses = filter.statuses ?? [...ideaStatuses];
  const rows = await rowsOf<Idea>(
    scope.tx.execute(sql`select ${ideaColumns} from learning_change_idea i
      where i.status in (${sql.join(
        statuses.map((s) => sql`${s}`),
        sql`, `,
      )})
      order by coalesce(i.decided_at, i.proposed_at) desc, i.id limit 200`),
  );
  return rows.map(ideaOf);
}

async function startCycle(scope: Scope, ideaId: string, cycle: number, willTry: string): Promise<void> {
  const [row] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`insert into learning_experiment (organisation_id, idea_id, cycle, will_try)
      values (${scope.organisationId}, ${ideaId}, ${cycle}, ${willTry}) returning id`),
  );
  await audit(scope, { action: 'create', subjectType: auditSubject.experiment, subjectId: row!.id });
}

/**
 * The six-question self-check. All yes: go ahead, no permission needed, and the idea becomes an
 * experiment. Any no: it goes to a lead with the answers. Returns where it went.
 */
export async function selfCheck(
  scope: Scope,
  idea: Idea,
  answers: boolean[],
): Promise<'experiment' | 'with-lead'> {
  const goAhead = answers.length === checkQuestions.length && answers.every(Boolean);
  const status = goAhead ? 'experiment' : 'with-lead';
  const array = sql`array[${sql.join(
    answers.map((a) => sql`${a}`),
    sql`, `,
  )}]::boolean[]`;
  await scope.tx.execute(sql`update learning_change_idea set self_check = ${array}, status = ${status}
    where id = ${idea.id}`);
  if (goAhead) await startCycle(scope, idea.id, 1, idea.what);
  await audit(scope, {
    action: 'update',
    subjectType: auditSubject.idea,
    subjectId: idea.id,
    subjectPersonId: idea.proposedByPersonId,
    detail: { fields: ['selfCheck', 'status'] },
  });
  return status;
}

/** A lead answers an idea that did not pass the self-check: try it, or not now (with the reason). */
export async function leadReply(
  scope: Scope,
  idea: Idea,
  reply: { goAhead: boolean; words: string },
): Promise<void> {
  const status = reply.goAhead ? 'experiment' : 'not-now';
  await scope.tx.execute(sql`update learning_change_idea set lead_reply = ${reply.words},
    lead_replied_by_person_id = ${scope.actorPersonId}, status = ${status} where id = ${idea.id}`);
  if (reply.goAhead) await startCycle(scope, idea.id, 1, idea.what);
  await audit(scope, {
    action: 'learning:reply',
    subjectType: auditSubject.idea,
    subjectId: idea.id,
    subjectPersonId: idea.proposedByPersonId,
    detail: { fields: ['leadReply', 'status'] },
  });
}

export async function support(scope: Scope, idea: Idea, personId: string, on: boolean): Promise<void> {
  if (on)
    await scope.tx.execute(sql`insert into learning_idea_support (organisation_id, idea_id, person_id)
      values (${scope.organisationId}, ${idea.id}, ${personId}) on conflict do nothing`);
  else
    await scope.tx.execute(
      sql`delete from learning_idea_support where idea_id = ${idea.id} and person_id = ${personId}`,
    );
  await audit(scope, {
    action: on ? 'learning:support' : 'learning:unsupport',
    subjectType: auditSubject.idea,
    subjectId: idea.id,
    subjectPersonId: personId,
  });
}

export async function supportsIt(scope: Scope, ideaId: string, personId: string): Promise<boolean> {
  const rows = await rowsOf<{ one: number }>(
    scope.tx.execute(
      sql`select 1 as one from learning_idea_support where idea_id = ${ideaId} and person_id = ${personId}`,
    ),
  );
  return rows.length > 0;
}

export interface Comment {
  id: string;
  personId: string | null;
  words: string;
  writtenAt: Date;
}

export async function comment(scope: Scope, idea: Idea, words: string): Promise<void> {
  const [row] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`insert into learning_idea_comment (organisation_id, idea_id, person_id, words)
      values (${scope.organisationId}, ${idea.id}, ${scope.actorPersonId}, ${words}) returning id`),
  );
  await audit(scope, {
    action: 'create',
    subjectType: 'learning:comment',
    subjectId: row!.id,
    subjectPersonId: scope.actorPersonId,
    detail: { fields: ['words'] },
  });
}

export async function comments(scope: Scope, ideaId: string): Promise<Comment[]> {
  const rows = await rowsOf<Comment>(
    scope.tx.execute(sql`select id, person_id as "personId", words, written_at as "writtenAt"
      from learning_idea_comment where idea_id = ${ideaId} order by written_at, id`),
  );
  return rows.map((row) => ({ ...row, writtenAt: new Date(row.writtenAt) }));
}

export interface Experiment {
  id: string;
  cycle: number;
  willTry: string;
  howWeWillKnow: string;
  whatHappened: string;
  whatWeLearned: string;
  decision: Decision | null;
  decidedByPersonId: string | null;
  startedAt: Date;
  decidedAt: Date | null;
}

export async function experiments(scope: Scope, ideaId: string): Promise<Experiment[]> {
  const rows = await rowsOf<Experiment>(
    scope.tx.execute(sql`select id, cycle, will_try as "willTry", how_we_will_know as "howWeWillKnow",
      what_happened as "whatHappened", what_we_learned as "whatWeLearned", decision,
      decided_by_person_id as "decidedByPersonId", started_at as "startedAt", decided_at as "decidedAt"
      from learning_experiment where idea_id = ${ideaId} order by cycle`),
  );
  return rows.map((row) => ({
    ...row,
    startedAt: new Date(row.startedAt),
    decidedAt: row.decidedAt ? new Date(row.decidedAt) : null,
  }));
}

export interface ExperimentWords {
  willTry: string;
  howWeWillKnow: string;
  whatHappened: string;
  whatWeLearned: string;
}

export async function recordExperiment(
  scope: Scope,
  idea: Idea,
  experiment: Experiment,
  words: ExperimentWords,
) {
  await scope.tx.execute(sql`update learning_experiment set will_try = ${words.willTry},
    how_we_will_know = ${words.howWeWillKnow}, what_happened = ${words.whatHappened},
    what_we_learned = ${words.whatWeLearned} where id = ${experiment.id}`);
  await audit(scope, {
    action: 'update',
    subjectType: auditSubject.experiment,
    subjectId: experiment.id,
    subjectPersonId: idea.proposedByPersonId,
    detail: { fields: ['willTry', 'howWeWillKnow', 'whatHappened', 'whatWeLearned'] },
  });
}

/**
 * Adopt: the idea goes on the "changes we made" wall. Adapt: this cycle closes and a new one starts
 * from what was learned. Stop: the idea ends, and stays visible as learning.
 */
export async function decide(
  scope: Scope,
  idea: Idea,
  experiment: Experiment,
  decision: Decision,
): Promise<void> {
  await scope.tx.execute(sql`update learning_experiment set decision = ${decision},
    decided_by_person_id = ${scope.actorPersonId}, decided_at = now() where id = ${experiment.id}`);
  if (decision === 'adapt') {
    await startCycle(scope, idea.id, experiment.cycle + 1, experiment.whatWeLearned || experiment.willTry);
  } else {
    await scope.tx.execute(sql`update learning_change_idea set status = ${decision === 'adopt' ? 'adopted' : 'stopped'},
      decided_at = now() where id = ${idea.id}`);
  }
  await audit(scope, {
    action: `learning:${decision}`,
    subjectType: auditSubject.experiment,
    subjectId: experiment.id,
    subjectPersonId: idea.proposedByPersonId,
    detail: { fields: ['decision'] },
  });
}
