import { sql } from 'drizzle-orm';
import { audit } from '../../core/audit.ts';
import { rowsOf, type Scope } from '../../core/database/tenancy.ts';
import { auditSubject } from './wards.ts';

/**
 * Every interaction on the continuum, from "asked for help and got it" to force. The helpful end is
 * recorded as quickly as the other and counted beside it: each use of force was preceded by chances,
 * and the ward learns from the times they were taken.
 */
export const continuum = [
  'asked-for-help',
  'talked-through',
  'plan-helped',
  'talk-down',
  'prn-by-choice',
  'use-of-force',
] as const;
export type ContinuumPoint = (typeof continuum)[number];

export interface Interaction {
  id: string;
  wardId: string;
  personId: string;
  happenedAt: Date;
  kind: ContinuumPoint;
  words: string;
  forceRecordId: string | null;
  recordedBy: string | null;
}

const columns = sql`id, team_id as "wardId", person_id as "personId", happened_at as "happenedAt", kind, words,
  force_record_id as "forceRecordId", recorded_by_person_id as "recordedBy"`;

const toInteraction = (row: Interaction): Interaction => ({ ...row, happenedAt: new Date(row.happenedAt) });

export async function recordInteraction(
  scope: Scope,
  input: {
    wardId: string;
    personId: string;
    happenedAt: Date;
    kind: ContinuumPoint;
    words: string;
    forceRecordId?: string;
  },
): Promise<string> {
  const [row] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`insert into ward_interaction (organisation_id, team_id, person_id, happened_at, kind, words,
        force_record_id, recorded_by_person_id)
      values (${scope.organisationId}, ${input.wardId}, ${input.personId}, ${input.happenedAt.toISOString()},
        ${input.kind}, ${input.words}, ${input.forceRecordId ?? null}, ${scope.actorPersonId})
      returning id`),
  );
  await audit(scope, {
    action: 'create',
    subjectType: auditSubject.interaction,
    subjectId: row!.id,
    subjectPersonId: input.personId,
    detail: { kind: input.kind },
  });
  return row!.id;
}

/** Newest first, a page at a time, for a ward or for one person on it. */
export async function listInteractions(
  scope: Scope,
  filter: { wardId?: string; personId?: string; limit?: number; before?: Date },
): Promise<Interaction[]> {
  const rows = await rowsOf<Interaction>(
    scope.tx.execute(sql`select ${columns} from ward_interaction
      where organisation_id = ${scope.organisationId}
        ${filter.wardId ? sql`and team_id = ${filter.wardId}` : sql``}
        ${filter.personId ? sql`and person_id = ${filter.personId}` : sql``}
        ${filter.before ? sql`and happened_at < ${filter.before.toISOString()}` : sql``}
      order by happened_at desc, id desc limit ${filter.limit ?? 20}`),
  );
  return rows.map(toInteraction);
}

/** How many of each kind, by UK month, between two UK days. */
export async function interactionsByMonth(
  scope: Scope,
  wardId: string | null,
  from: string,
  to: string,
): Promise<{ month: string; kind: ContinuumPoint; count: number }[]> {
  const rows = await rowsOf<{ month: string; kind: ContinuumPoint; count: number }>(
    scope.tx.execute(sql`select to_char(happened_at at time zone 'Europe/London', 'YYYY-MM') as month, kind,
        count(*)::int as count
      from ward_interaction
      where organisation_id = ${scope.organisationId} ${wardId ? sql`and team_id = ${wardId}` : sql``}
        and happened_at >= (${from}::date::timestamp at time zone 'Europe/London')
        and happened_at < ((${to}::date + 1)::timestamp at time zone 'Europe/London')
      group by 1, 2 order by 1, 2`),
  );
  return rows.map((row) => ({ ...row, count: Number(row.count) }));
}
