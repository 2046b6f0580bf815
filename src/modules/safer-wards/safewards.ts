import { sql } from 'drizzle-orm';
import { audit } from '../../core/audit.ts';
import { rowsOf, type Scope } from '../../core/database/tenancy.ts';
import { auditSubject } from './wards.ts';

/**
 * Three light Safewards tools: the mutual help meeting's notes for a ward day, staff writing a few lines
 * about themselves for patients to read ("know each other"), and messages people leaving write for
 * those still on the ward, shown only while the writer agrees.
 */

export const mutualHelpKinds = ['thanks', 'news', 'suggestion', 'request', 'offer'] as const;
export type MutualHelpKind = (typeof mutualHelpKinds)[number];

export interface MutualHelpNote {
  id: string;
  day: string;
  kind: MutualHelpKind;
  words: string;
  byPersonId: string | null;
}

export async function addMutualHelp(
  scope: Scope,
  wardId: string,
  day: string,
  kind: MutualHelpKind,
  words: string,
) {
  await scope.tx.execute(sql`insert into ward_mutual_help (organisation_id, team_id, day, kind, words, by_person_id)
    values (${scope.organisationId}, ${wardId}, ${day}, ${kind}, ${words}, ${scope.actorPersonId})`);
  await audit(scope, {
    action: 'create',
    subjectType: auditSubject.mutualHelp,
    subjectId: wardId,
    detail: { kind },
  });
}

/** The notes of the latest meeting days, newest day first (a page of days). */
export async function mutualHelpNotes(
  scope: Scope,
  wardId: string,
  options: { beforeDay?: string; days?: number } = {},
) {
  const rows = await rowsOf<MutualHelpNote>(
    scope.tx.execute(sql`select id, to_char(day, 'YYYY-MM-DD') as day, kind, words, by_person_id as "byPersonId"
      from ward_mutual_help
      where organisation_id = ${scope.organisationId} and team_id = ${wardId}
        and day in (select distinct day from ward_mutual_help where organisation_id = ${scope.organisationId}
          and team_id = ${wardId} ${options.beforeDay ? sql`and day < ${options.beforeDay}::date` : sql``}
          order by day desc limit ${options.days ?? 7})
      order by day desc, created_at, id limit 500`),
  );
  return rows;
}

export interface KnowEachOther {
  personId: string;
  calledName: string;
  words: string;
}

export async function knowEachOther(scope: Scope, wardId: string): Promise<KnowEachOther[]> {
  return rowsOf<KnowEachOther>(
    scope.tx.execute(sql`select k.person_id as "personId", p.called_name as "calledName", k.words
      from ward_know_each_other k join person p on p.id = k.person_id
      join team_member m on m.team_id = k.team_id and m.person_id = k.person_id and m.until is null
      where k.organisation_id = ${scope.organisationId} and k.team_id = ${wardId}
      group by k.person_id, p.called_name, k.words
      order by lower(p.called_name), k.person_id limit 200`),
  );
}

/** A member of staff's own few lines; empty words take them down. */
export async function setKnowEachOther(scope: Scope, wardId: string, words: string) {
  const me = scope.actorPersonId!;
  if (!words) {
    await scope.tx.execute(sql`delete from ward_know_each_other where organisation_id = ${scope.organisationId}
      and team_id = ${wardId} and person_id = ${me}`);
  } else {
    await scope.tx.execute(sql`insert into ward_know_each_other (organisation_id, team_id, person_id, words)
      values (${scope.organisationId}, ${wardId}, ${me}, ${words})
      on conflict (team_id, person_id) do update set words = excluded.words, updated_at = now()`);
  }
  await audit(scope, {
    action: 'update',
    subjectType: auditSubject.knowEachOther,
    subjectId: wardId,
    subjectPersonId: me,
  });
}

export interface DischargeMessage {
  id: string;
  personId: string;
  words: string;
  shown: boolean;
  createdAt: Date;
}

export async function leaveMessage(
  scope: Scope,
  wardId: string,
  personId: string,
  words: string,
  shown: boolean,
) {
  await scope.tx.execute(sql`insert into ward_discharge_message (organisation_id, team_id, person_id, words, shown)
    values (${scope.organisationId}, ${wardId}, ${personId}, ${words}, ${shown})`);
  await audit(scope, {
    action: 'create',
    subjectType: auditSubject.dischargeMessage,
    subjectId: wardId,
    subjectPersonId: personId,
    detail: { shown },
  });
}

/** The writer changes their mind: shown or not, from this moment. */
export async function setMessageShown(scope: Scope, messageId: string, personId: string, shown: boolean) {
  const changed = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`update ward_discharge_message set shown = ${shown}
      where organisation_id = ${scope.organisationId} and id = ${messageId} and person_id = ${personId} returning id`),
  );
  if (changed.length > 0)
    await audit(scope, {
      action: 'update',
      subjectType: auditSubject.dischargeMessage,
      subjectId: messageId,
      subjectPersonId: personId,
      detail: { shown },
    });
  return changed.length > 0;
}

/** Messages on the board (no names: the words are what matter), newest first. */
export async function shownMessages(scope: Scope, wardId: string, limit = 10): Promise<DischargeMessage[]> {
  const rows = await rowsOf<DischargeMessage>(
    scope.tx.execute(sql`select id, person_id as "personId", words, shown, created_at as "createdAt"
      from ward_discharge_message where organisation_id = ${scope.organisationId} and team_id = ${wardId} and shown
      order by created_at desc limit ${limit}`),
  );
  return rows.map((row) => ({ ...row, createdAt: new Date(row.createdAt) }));
}

export async function messagesOf(
  scope: Scope,
  personId: string,
): Promise<(DischargeMessage & { wardId: string })[]> {
  const rows = await rowsOf<DischargeMessage & { wardId: string }>(
    scope.tx.execute(sql`select id, team_id as "wardId", person_id as "personId", words, shown, created_at as "createdAt"
      from ward_discharge_message where organisation_id = ${scope.organisationId} and person_id = ${personId}
      order by created_at desc limit 50`),
  );
  return rows.map((row) => ({ ...row, createdAt: new Date(row.createdAt) }));
}
