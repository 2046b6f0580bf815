import { sql } from 'drizzle-orm';
import { audit } from '../../core/audit.ts';
import { rowsOf, type Scope } from '../../core/database/tenancy.ts';
import { createPerson, giveRole, listPeople, namesOf } from '../../core/people.ts';
import { isUuid } from '../../core/tokens.ts';
import { auditSubject } from './words.ts';

export type SupportStatus = 'asked' | 'active' | 'paused' | 'ended';

export interface Support {
  id: string;
  personId: string;
  coachId: string | null;
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

const supportColumns = sql`id, person_id as "personId", coach_id as "coachId", status,
  last_conversation_at as "lastConversationAt", started_at as "startedAt"`;

function toSupport(row: Support): Support {
  return {
    ...row,
    lastConversationAt: row.lastConversationAt ? new Date(row.lastConversationAt) : null,
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
  const [row] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`insert into coaching_support (organisation_id, person_id, coach_id, status, started_at)
      values (${scope.organisationId}, ${personId}, ${input.coachId}, ${status}, ${(input.at ?? new Date()).toISOString()})
      on conflict (organisation_id, person_id) do update set coach_id = coalesce(coaching_support.coach_id, excluded.coach_id)
      returning id`),
  );
  await recordChange(scope, row!.id, status, input.words ?? '', input.at);
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

export async function setCoach(scope: Scope, support: Support, coachId: string | null) {
  await scope.tx.execute(sql`update coaching_support set coach_id = ${coachId} where id = ${support.id}`);
  await audit(scope, {
    action: 'update',
    subjectType: auditSubject.support,
    subjectId: support.id,
    subjectPersonId: support.personId,
    detail: { fields: ['coach'] },
  });
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
  options: { coachId: string | null; search?: string; page?: number; statuses?: SupportStatus[] },
): Promise<{ people: SupportedPerson[]; more: boolean }> {
  const page = Math.max(1, options.page ?? 1);
  const conditions = [sql`organisation_id = ${scope.organisationId}`];
  if (options.coachId) conditions.push(sql`coach_id = ${options.coachId}`);
  const statuses = options.statuses ?? ['asked', 'active', 'paused'];
  conditions.push(
    sql`status in (${sql.join(
      statuses.map((status) => sql`${status}`),
      sql`, `,
    )})`,
  );
  if (options.search?.trim()) {
    const matches = await listPeople(scope, { search: options.search, limit: 200 });
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

export async function supportFigures(scope: Scope): Promise<SupportFigures> {
  const [row] = await rowsOf<{ supported: number; asked: number; ended: number; weeks: number | null }>(
    scope.tx.execute(sql`select
        count(*) filter (where s.status <> 'asked') as supported,
        count(*) filter (where s.status = 'asked') as asked,
        count(*) filter (where s.status = 'ended') as ended,
        avg(extract(epoch from (ended.at - first.at)) / 604800) filter (where s.status = 'ended') as weeks
      from coaching_support s
      left join lateral (select min(changed_at) as at from coaching_support_change c where c.support_id = s.id) first on true
      left join lateral (select max(changed_at) as at from coaching_support_change c where c.support_id = s.id and c.status = 'ended') ended on true
      where s.organisation_id = ${scope.organisationId}`),
  );
  return {
    peopleSupported: Number(row?.supported ?? 0),
    asked: Number(row?.asked ?? 0),
    endedCount: Number(row?.ended ?? 0),
    averageWeeksEnded: Math.round(Number(row?.weeks ?? 0)),
  };
}
