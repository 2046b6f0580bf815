import { sql } from 'drizzle-orm';
import { audit } from '../../core/audit.ts';
import { rowsOf, type Scope } from '../../core/database/tenancy.ts';
import { isUuid } from '../../core/tokens.ts';
import { auditSubject, smallestGroup } from './shared.tsx';

/** The five points from fear (1: stretched, on edge) to flow (5: calm, connected). */
export const positions = [1, 2, 3, 4, 5] as const;

export interface CheckIn {
  id: string;
  position: number;
  privateWords: string;
  checkedInAt: Date;
}

/**
 * Every function here that returns a check-in takes the person whose it is and reads only theirs:
 * there is no way in this module to ask for someone else's.
 */
export async function recordCheckIn(
  scope: Scope,
  personId: string,
  input: { position: number; privateWords: string },
): Promise<string> {
  const [row] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`insert into learning_check_in (organisation_id, person_id, position, private_words)
      values (${scope.organisationId}, ${personId}, ${input.position}, ${input.privateWords}) returning id`),
  );
  // The trail says that a check-in was made, never where on the continuum or what was written.
  await audit(scope, {
    action: 'create',
    subjectType: auditSubject.checkIn,
    subjectPersonId: personId,
    detail: { fields: input.privateWords ? ['position', 'privateWords'] : ['position'] },
  });
  return row!.id;
}

export async function myCheckIns(scope: Scope, personId: string): Promise<CheckIn[]> {
  const rows = await rowsOf<CheckIn>(
    scope.tx.execute(sql`select id, position, private_words as "privateWords", checked_in_at as "checkedInAt"
      from learning_check_in where person_id = ${personId} order by checked_in_at desc, id limit 200`),
  );
  await audit(scope, {
    action: 'read',
    subjectType: auditSubject.checkIn,
    subjectPersonId: personId,
    detail: { count: rows.length },
  });
  return rows.map((row) => ({ ...row, checkedInAt: new Date(row.checkedInAt) }));
}

export async function findMyCheckIn(
  scope: Scope,
  personId: string,
  checkInId: string,
): Promise<CheckIn | null> {
  if (!isUuid(checkInId)) return null;
  const [row] = await rowsOf<CheckIn>(
    scope.tx.execute(sql`select id, position, private_words as "privateWords", checked_in_at as "checkedInAt"
      from learning_check_in where id = ${checkInId} and person_id = ${personId}`),
  );
  if (!row) return null;
  await audit(scope, {
    action: 'read',
    subjectType: auditSubject.checkIn,
    subjectPersonId: personId,
  });
  return { ...row, checkedInAt: new Date(row.checkedInAt) };
}

export async function removeMyCheckIn(scope: Scope, personId: string, checkInId: string): Promise<boolean> {
  if (!isUuid(checkInId)) return false;
  const removed = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`delete from learning_check_in where id = ${checkInId} and person_id = ${personId}
      returning id`),
  );
  if (removed.length === 0) return false;
  await audit(scope, { action: 'delete', subjectType: auditSubject.checkIn, subjectPersonId: personId });
  return true;
}

export interface TeamMonth {
  /** First day of the month (UK time). */
  month: Date;
  /** Exact only when shown; below the smallest group it is null. */
  people: number | null;
  /** Average place, 1 (fear) to 5 (flow), over each person's own average for the month. */
  average: number | null;
}

/**
 * Team figures by month, worked out in the database so no single check-in ever leaves it: a month
 * with fewer than five people who checked in gives neither a count nor an average.
 */
export async function teamMonths(
  scope: Scope,
  months = 6,
  now = new Date(),
  /** The team's people (decision 023); without it, everyone in the organisation who checks in. */
  team: string[] | null = null,
): Promise<TeamMonth[]> {
  const rows = await rowsOf<{ month: string; people: number | null; average: string | null }>(
    scope.tx.execute(sql`
      with months as (
        select generate_series(
          date_trunc('month', (${now.toISOString()}::timestamptz at time zone 'Europe/London')) - make_interval(months => ${months - 1}),
          date_trunc('month', (${now.toISOString()}::timestamptz at time zone 'Europe/London')),
          interval '1 month') as month
      ),
      per_person as (
        select date_trunc('month', checked_in_at at time zone 'Europe/London') as month, person_id,
          avg(position) as place
        from learning_check_in
        ${
          team
            ? sql`where person_id in (${sql.join(
                [...team, '00000000-0000-0000-0000-000000000000'].map((id) => sql`${id}::uuid`),
                sql`, `,
              )})`
            : sql``
        }
        group by 1, 2
      ),
      per_month as (
        select month, count(*)::int as people, avg(place) as average from per_person group by month
      )
      select to_char(m.month, 'YYYY-MM-DD') as month,
        case when coalesce(p.people, 0) >= ${smallestGroup} then p.people end as people,
        case when coalesce(p.people, 0) >= ${smallestGroup} then round(p.average, 1)::text end as average
      from months m left join per_month p on p.month = m.month
      order by m.month desc`),
  );
  await audit(scope, {
    action: 'read',
    subjectType: auditSubject.teamFigures,
    detail: { months },
  });
  return rows.map((row) => ({
    month: new Date(`${row.month}T12:00:00Z`),
    people: row.people,
    average: row.average === null ? null : Number(row.average),
  }));
}

export interface ConversationRequest {
  id: string;
  fromPersonId: string;
  askedAt: Date;
}

/** "I would like a conversation with you": only the person chosen sees it; it says nothing of any check-in. */
export async function askForConversation(
  scope: Scope,
  fromPersonId: string,
  toPersonId: string,
): Promise<void> {
  await scope.tx.execute(sql`insert into learning_conversation_request (organisation_id, from_person_id, to_person_id)
    values (${scope.organisationId}, ${fromPersonId}, ${toPersonId})`);
  await audit(scope, {
    action: 'learning:ask-conversation',
    subjectType: auditSubject.conversation,
    subjectPersonId: fromPersonId,
  });
}

export async function conversationsAskedOf(scope: Scope, personId: string): Promise<ConversationRequest[]> {
  const rows = await rowsOf<ConversationRequest>(
    scope.tx.execute(sql`select id, from_person_id as "fromPersonId", asked_at as "askedAt"
      from learning_conversation_request where to_person_id = ${personId} and done_at is null
      order by asked_at limit 50`),
  );
  return rows.map((row) => ({ ...row, askedAt: new Date(row.askedAt) }));
}

export async function markConversationDone(
  scope: Scope,
  personId: string,
  requestId: string,
): Promise<boolean> {
  if (!isUuid(requestId)) return false;
  const done = await rowsOf<{ id: string; from: string }>(
    scope.tx.execute(sql`update learning_conversation_request set done_at = now()
      where id = ${requestId} and to_person_id = ${personId} and done_at is null
      returning id, from_person_id as "from"`),
  );
  if (done.length === 0) return false;
  await audit(scope, {
    action: 'update',
    subjectType: auditSubject.conversation,
    subjectPersonId: personId,
    detail: { fields: ['doneAt'] },
  });
  return true;
}
