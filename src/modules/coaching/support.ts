import { sql } from 'drizzle-orm';
import { audit } from '../../core/audit.ts';
import { rowsOf, type Scope } from '../../core/database/tenancy.ts';
import { createPerson, giveRole, listPeople, namesOf } from '../../core/people.ts';
import { coachesInAny, moveToTeam, reachableBy, teamsOfPerson } from '../../core/teams.ts';
import { isUuid } from '../../core/tokens.ts';
import { auditSubject } from './words.ts';

export type SupportStatus = 'asked' | 'active' | 'paused' | 'ended';

export interface Support {
  id: string;
  personId: string;
  coachId: string | null;
  /** Since when the coach now walking alongside them has. */
  coachSince: Date | null;
  status: SupportStatus;
  lastConversationAt: Date | null;
  startedAt: Date;
}

export interface SupportChange {
  status: SupportStatus;
  words: string;
  changedBy: string | null;
  changedAt: Date;
}

const supportColumns = sql`id, person_id as "personId", coach_id as "coachId", coach_since as "coachSince", status,
  last_conversation_at as "lastConversationAt", started_at as "startedAt"`;

function toSupport(row: Support): Support {
  return {
    ...row,
    lastConversationAt: row.lastConversationAt ? new Date(row.lastConversationAt) : null,
    coachSince: row.coachSince ? new Date(row.coachSince) : null,
    startedAt: new Date(row.startedAt),
  };
}

export async function supportOf(scope: Scope, personId: string): Promise<Support | null> {
  if (!isUuid(personId)) return null;
  const [row] = await rowsOf<Support>(
    scope.tx.execute(sql`select ${supportColumns} from coaching_support
      where organisation_id = ${scope.organisationId} and person_id = ${personId}`),
  );
  return row ? toSupport(row) : null;
}

/**
 * Starting to support someone needs only what they would like to be called. A new person gets the
 * role "person"; someone already known here (a peer, say) keeps one record and gains the support.
 */
export async function startSupporting(
  scope: Scope,
  input: {
    calledName?: string;
    personId?: string;
    coachId: string | null;
    status?: SupportStatus;
    words?: string;
    at?: Date;
  },
): Promise<{ personId: string; supportId: string }> {
  const personId =
    input.personId ?? (await createPerson(scope, { calledName: input.calledName!, roles: ['person'] }));
  if (input.personId) await giveRole(scope, personId, 'person');
  const status = input.status ?? 'active';
  const before = await supportOf(scope, personId);
  const at = (input.at ?? new Date()).toISOString();
  const [row] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`insert into coaching_support (organisation_id, person_id, coach_id, coach_since, status, started_at)
      values (${scope.organisationId}, ${personId}, ${input.coachId}, ${input.coachId ? at : null}, ${status}, ${at})
      on conflict (organisation_id, person_id) do update set coach_id = coalesce(coaching_support.coach_id, excluded.coach_id),
        coach_since = coalesce(coaching_support.coach_since, excluded.coach_since)
      returning id`),
  );
  await recordChange(scope, row!.id, status, input.words ?? '', input.at);
  if (input.coachId && !before?.coachId)
    await recordCoachChange(scope, row!.id, input.coachId, null, input.at);
  await audit(scope, {
    action: 'create',
    subjectType: auditSubject.support,
    subjectId: row!.id,
    subjectPersonId: personId,
    detail: { fields: ['status', 'coach'] },
  });
  return { personId, supportId: row!.id };
}

async function recordChange(
  scope: Scope,
  supportId: string,
  status: SupportStatus,
  words: string,
  at = new Date(),
) {
  await scope.tx.execute(sql`insert into coaching_support_change (organisation_id, support_id, status, words, changed_by, changed_at)
    values (${scope.organisationId}, ${supportId}, ${status}, ${words}, ${scope.actorPersonId}, ${at.toISOString()})`);
}

/** Pausing, ending or coming back: when the person says, with their words; nothing they wrote is lost. */
export async function changeSupport(scope: Scope, support: Support, status: SupportStatus, words: string) {
  await scope.tx.execute(sql`update coaching_support set status = ${status},
    started_at = case when ${status} = 'active' and status <> 'active' then now() else started_at end
    where id = ${support.id}`);
  await recordChange(scope, support.id, status, words);
  await audit(scope, {
    action: 'update',
    subjectType: auditSubject.support,
    subjectId: support.id,
    subjectPersonId: support.personId,
    detail: { fields: words ? ['status', 'words'] : ['status'] },
  });
}

async function recordCoachChange(
  scope: Scope,
  supportId: string,
  coachId: string | null,
  previousCoachId: string | null,
  at = new Date(),
) {
  await scope.tx.execute(sql`insert into coaching_coach_change (organisation_id, support_id, coach_id, previous_coach_id,
      changed_by, changed_at)
    values (${scope.organisationId}, ${supportId}, ${coachId}, ${previousCoachId}, ${scope.actorPersonId}, ${at.toISOString()})`);
}

/** A new coach walks alongside the person from now; who did before stays in the history. */
export async function setCoach(scope: Scope, support: Support, coachId: string | null) {
  if (support.coachId === coachId) return;
  await scope.tx.execute(sql`update coaching_support set coach_id = ${coachId},
    coach_since = case when ${coachId}::uuid is null then null else now() end where id = ${support.id}`);
  await recordCoachChange(scope, support.id, coachId, support.coachId);
  await audit(scope, {
    action: 'update',
    subjectType: auditSubject.support,
    subjectId: support.id,
    subjectPersonId: support.personId,
    detail: { fields: ['coach'] },
  });
}

export interface CoachChange {
  coachId: string | null;
  previousCoachId: string | null;
  changedBy: string | null;
  changedAt: Date;
}

/** Who has walked alongside the person, oldest first: each change with who made it and when. */
export async function coachHistory(scope: Scope, support: Support): Promise<CoachChange[]> {
  const rows = await rowsOf<CoachChange>(
    scope.tx.execute(sql`select coach_id as "coachId", previous_coach_id as "previousCoachId", changed_by as "changedBy",
        changed_at as "changedAt"
      from coaching_coach_change where organisation_id = ${scope.organisationId} and support_id = ${support.id}
      order by changed_at, id limit 200`),
  );
  return rows.map((row) => ({ ...row, changedAt: new Date(row.changedAt) }));
}

export async function supportHistory(scope: Scope, support: Support): Promise<SupportChange[]> {
  const rows = await rowsOf<SupportChange>(
    scope.tx.execute(sql`select status, words, changed_by as "changedBy", changed_at as "changedAt"
      from coaching_support_change where support_id = ${support.id} order by changed_at, id`),
  );
  return rows.map((row) => ({ ...row, changedAt: new Date(row.changedAt) }));
}

/** Called when a coach records a conversation: "My people" starts with whoever was seen longest ago. */
export async function markSeen(scope: Scope, personId: string, at: Date) {
  await scope.tx.execute(sql`update coaching_support set last_conversation_at = greatest(coalesce(last_conversation_at, ${at.toISOString()}::timestamptz), ${at.toISOString()}::timestamptz)
    where organisation_id = ${scope.organisationId} and person_id = ${personId}`);
}

export interface SupportedPerson extends Support {
  calledName: string;
}

export const peoplePageSize = 25;

/**
 * A coach's people (or everyone's, for the whole coach team), those not seen for longest first, one
 * page at a time along the index; names come in one more query. A search looks names up in the core
 * first, so at most its first 200 matches are searched.
 */
export async function myPeople(
  scope: Scope,
  options: {
    coachId: string | null;
    /** Only people this member of staff's teams reach (src/core/teams.ts). */
    reachableBy: string;
    search?: string;
    page?: number;
    statuses?: SupportStatus[];
  },
): Promise<{ people: SupportedPerson[]; more: boolean }> {
  const page = Math.max(1, options.page ?? 1);
  const conditions = [sql`organisation_id = ${scope.organisationId}`];
  if (options.coachId) conditions.push(sql`coach_id = ${options.coachId}`);
  conditions.push(sql`person_id in ${reachableBy(scope, options.reachableBy)}`);
  const statuses = options.statuses ?? ['asked', 'active', 'paused'];
  conditions.push(
    sql`status in (${sql.join(
      statuses.map((status) => sql`${status}`),
      sql`, `,
    )})`,
  );
  if (options.search?.trim()) {
    const matches = await listPeople(scope, {
      search: options.search,
      limit: 200,
      reachableBy: options.reachableBy,
    });
    if (matches.length === 0) return { people: [], more: false };
    conditions.push(
      sql`person_id in (${sql.join(
        matches.map((person) => sql`${person.id}`),
        sql`, `,
      )})`,
    );
  }
  const rows = await rowsOf<Support>(
    scope.tx.execute(sql`select ${supportColumns} from coaching_support where ${sql.join(conditions, sql` and `)}
      order by last_conversation_at asc nulls first, id
      limit ${peoplePageSize + 1} offset ${(page - 1) * peoplePageSize}`),
  );
  const shown = rows.slice(0, peoplePageSize).map(toSupport);
  const names = await namesOf(
    scope,
    shown.map((support) => support.personId),
  );
  await audit(scope, { action: 'read', subjectType: auditSubject.people, detail: { page } });
  return {
    people: shown.map((support) => ({ ...support, calledName: names.get(support.personId) ?? '' })),
    more: rows.length > peoplePageSize,
  };
}

export interface SelfIntroduction {
  howToReach: string;
  words: string;
  consentWording: string;
  createdAt: Date;
}

/** What someone told us when they asked for a coach on the public page, newest first. */
export async function introductionsOf(scope: Scope, personId: string): Promise<SelfIntroduction[]> {
  const rows = await rowsOf<SelfIntroduction>(
    scope.tx.execute(sql`select how_to_reach as "howToReach", words, consent_wording as "consentWording", created_at as "createdAt"
      from coaching_self_introduction where organisation_id = ${scope.organisationId} and person_id = ${personId}
      order by created_at desc`),
  );
  return rows.map((row) => ({ ...row, createdAt: new Date(row.createdAt) }));
}

export interface SupportFigures {
  peopleSupported: number;
  asked: number;
  endedCount: number;
  averageWeeksEnded: number;
}

export type HandOverProblem = 'nobody' | 'coach-not-in-team' | 'nothing-to-change';

/**
 * A lead hands people over in one step: to another coach, another team, or both. Each person's old
 * coach and team end and the new ones start now, kept in the history. The new coach must be staff of a
 * team the person will be with, or they could not open the record they were given.
 */
export async function handOver(
  scope: Scope,
  input: { personIds: string[]; toCoachId: string | null; toTeamId: string | null },
): Promise<{ ok: true; moved: number } | { ok: false; problem: HandOverProblem }> {
  if (input.personIds.length === 0) return { ok: false, problem: 'nobody' };
  if (!input.toCoachId && !input.toTeamId) return { ok: false, problem: 'nothing-to-change' };
  // Everyone is checked before anyone moves: a caseload goes over whole, or not at all.
  const supports: Support[] = [];
  for (const personId of input.personIds) {
    const support = await supportOf(scope, personId);
    if (!support) continue;
    if (input.toCoachId) {
      const teams = input.toTeamId
        ? [input.toTeamId]
        : (await teamsOfPerson(scope, personId))
            .filter((place) => !place.until)
            .map((place) => place.team.id);
      if (!(await coachesInAny(scope, input.toCoachId, teams)))
        return { ok: false, problem: 'coach-not-in-team' };
    }
    supports.push(support);
  }
  for (const support of supports) {
    if (input.toTeamId) await moveToTeam(scope, support.personId, input.toTeamId);
    if (input.toCoachId) await setCoach(scope, support, input.toCoachId);
  }
  const moved = supports.length;
  return moved === 0 ? { ok: false, problem: 'nobody' } : { ok: true, moved };
}

/** Everyone a coach walks alongside now whom this member of staff's teams reach: a caseload to hand over. */
export async function caseloadOf(scope: Scope, coachId: string, viewerId: string): Promise<string[]> {
  if (!isUuid(coachId)) return [];
  const rows = await rowsOf<{ personId: string }>(
    scope.tx.execute(sql`select person_id as "personId" from coaching_support
      where organisation_id = ${scope.organisationId} and coach_id = ${coachId} and status <> 'ended'
        and person_id in ${reachableBy(scope, viewerId)}
      order by person_id limit 5000`),
  );
  return rows.map((row) => row.personId);
}
