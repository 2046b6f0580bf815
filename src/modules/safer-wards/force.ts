import { sql } from 'drizzle-orm';
import { audit } from '../../core/audit.ts';
import { rowsOf, type Scope } from '../../core/database/tenancy.ts';
import { isUuid } from '../../core/tokens.ts';
import { currentHelpPlan } from './help-plans.ts';
import { auditSubject } from './wards.ts';

/**
 * A use of force, holding every item the Mental Health Units (Use of Force) Act 2018 s.6(5) asks for
 * (decision 024). The patient's name and identifier come from the person record, the staff from the
 * ward's staff list, and what the person chose to share (their mental disorder, characteristics,
 * learning disability or autism) from their help plan at sign-off, "not known" where they did not.
 * A draft can be finished later; signed off, it changes only by an amendment with a reason, and every
 * version is kept whole.
 */

export const forceTypes = ['physical', 'mechanical', 'chemical', 'seclusion', 'segregation'] as const;
export type ForceType = (typeof forceTypes)[number];
export const positions = ['standing', 'seated', 'kneeling', 'supine', 'prone', 'side'] as const;
export type Position = (typeof positions)[number];
export const harms = ['none', 'injury', 'serious-injury', 'died'] as const;
export const toldAnswers = ['yes', 'no', 'none-named'] as const;
export const yesNo = ['yes', 'no'] as const;
export const nonStaffAnswers = ['none', 'yes'] as const;

/** The longest a type of force is taken to last without someone confirming it (seclusion can). */
export const longUseMinutes = 24 * 60;
/** A draft older than this is on the ward manager's list. */
export const draftAgeHours = 72;

export interface ForceTypeUsed {
  type: ForceType;
  position: '' | Position;
  startedAt: Date;
  endedAt: Date;
}

export interface ForceStaff {
  personId: string;
  jobTitle: string;
  calledName?: string;
}

export interface ForceRecordInput {
  place: string;
  reason: string;
  description: string;
  inCarePlan: '' | (typeof yesNo)[number];
  planItemsTried: string[];
  efforts: string;
  nonStaff: '' | (typeof nonStaffAnswers)[number];
  othersInvolved: string;
  outcome: string;
  harm: '' | (typeof harms)[number];
  peopleTold: '' | (typeof toldAnswers)[number];
  peopleToldDetails: string;
  types: ForceTypeUsed[];
  staff: ForceStaff[];
}

export interface ForceRecord extends ForceRecordInput {
  id: string;
  wardId: string;
  personId: string;
  status: 'draft' | 'signed-off';
  version: number;
  startedAt: Date | null;
  endedAt: Date | null;
  mentalDisorder: string;
  ldAutism: '' | 'yes' | 'no' | 'rather-not-say';
  characteristics: string;
  withheldReason: string;
  recordedBy: string | null;
  signedOffBy: string | null;
  signedOffAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export const forceLimits = {
  place: 200,
  reason: 2000,
  description: 4000,
  efforts: 2000,
  othersInvolved: 1000,
  outcome: 2000,
  peopleToldDetails: 1000,
  jobTitle: 120,
  withheldReason: 1000,
  amendmentReason: 1000,
};

const columns = sql`r.id, r.team_id as "wardId", r.person_id as "personId", r.status, r.version, r.place,
  r.started_at as "startedAt", r.ended_at as "endedAt", r.reason, r.description, r.in_care_plan as "inCarePlan",
  r.plan_items_tried as "planItemsTried", r.efforts, r.non_staff as "nonStaff", r.others_involved as "othersInvolved",
  r.outcome, r.harm, r.people_told as "peopleTold", r.people_told_details as "peopleToldDetails",
  r.mental_disorder as "mentalDisorder", r.ld_autism as "ldAutism", r.characteristics,
  r.withheld_reason as "withheldReason", r.recorded_by_person_id as "recordedBy",
  r.signed_off_by_person_id as "signedOffBy", r.signed_off_at as "signedOffAt", r.created_at as "createdAt",
  r.updated_at as "updatedAt"`;

type Row = Omit<ForceRecord, 'types' | 'staff'>;

const date = (value: Date | string | null) => (value ? new Date(value) : null);

function toRecord(row: Row, types: ForceTypeUsed[], staff: ForceStaff[]): ForceRecord {
  return {
    ...row,
    version: Number(row.version),
    planItemsTried: row.planItemsTried ?? [],
    startedAt: date(row.startedAt),
    endedAt: date(row.endedAt),
    signedOffAt: date(row.signedOffAt),
    createdAt: new Date(row.createdAt),
    updatedAt: new Date(row.updatedAt),
    types,
    staff,
  };
}

async function typesOf(scope: Scope, recordIds: string[]): Promise<Map<string, ForceTypeUsed[]>> {
  const byRecord = new Map<string, ForceTypeUsed[]>();
  if (recordIds.length === 0) return byRecord;
  const rows = await rowsOf<ForceTypeUsed & { recordId: string }>(
    scope.tx.execute(sql`select force_record_id as "recordId", type, position, started_at as "startedAt",
        ended_at as "endedAt"
      from force_type_used where organisation_id = ${scope.organisationId}
        and force_record_id in (${sql.join(
          recordIds.map((id) => sql`${id}`),
          sql`, `,
        )})
      order by force_record_id, ordinal`),
  );
  for (const { recordId, ...type } of rows) {
    const list = byRecord.get(recordId) ?? [];
    list.push({ ...type, startedAt: new Date(type.startedAt), endedAt: new Date(type.endedAt) });
    byRecord.set(recordId, list);
  }
  return byRecord;
}

async function staffInvolved(scope: Scope, recordIds: string[]): Promise<Map<string, ForceStaff[]>> {
  const byRecord = new Map<string, ForceStaff[]>();
  if (recordIds.length === 0) return byRecord;
  const rows = await rowsOf<ForceStaff & { recordId: string }>(
    scope.tx.execute(sql`select s.force_record_id as "recordId", s.person_id as "personId", s.job_title as "jobTitle",
        p.called_name as "calledName"
      from force_staff s join person p on p.id = s.person_id
      where s.organisation_id = ${scope.organisationId}
        and s.force_record_id in (${sql.join(
          recordIds.map((id) => sql`${id}`),
          sql`, `,
        )})
      order by s.force_record_id, lower(p.called_name), s.person_id`),
  );
  for (const { recordId, ...person } of rows) {
    const list = byRecord.get(recordId) ?? [];
    list.push(person);
    byRecord.set(recordId, list);
  }
  return byRecord;
}

async function withParts(scope: Scope, rows: Row[]): Promise<ForceRecord[]> {
  const ids = rows.map((row) => row.id);
  // One after the other: queries on one transaction's connection cannot overlap.
  const types = await typesOf(scope, ids);
  const staff = await staffInvolved(scope, ids);
  return rows.map((row) => toRecord(row, types.get(row.id) ?? [], staff.get(row.id) ?? []));
}

export async function findForceRecord(scope: Scope, recordId: string): Promise<ForceRecord | null> {
  if (!isUuid(recordId)) return null;
  const rows = await rowsOf<Row>(
    scope.tx.execute(sql`select ${columns} from force_record r
      where r.organisation_id = ${scope.organisationId} and r.id = ${recordId}`),
  );
  const [record] = await withParts(scope, rows);
  return record ?? null;
}

/** Newest first, for a ward or a person; drafts only, older than 72 hours, for the ward manager's list. */
export async function listForceRecords(
  scope: Scope,
  filter: { wardId?: string; personId?: string; oldDrafts?: Date; limit?: number; offset?: number },
): Promise<ForceRecord[]> {
  const rows = await rowsOf<Row>(
    scope.tx.execute(sql`select ${columns} from force_record r
      where r.organisation_id = ${scope.organisationId}
        ${filter.wardId ? sql`and r.team_id = ${filter.wardId}` : sql``}
        ${filter.personId ? sql`and r.person_id = ${filter.personId}` : sql``}
        ${
          filter.oldDrafts
            ? sql`and r.status = 'draft' and r.created_at < ${new Date(filter.oldDrafts.getTime() - draftAgeHours * 3_600_000).toISOString()}`
            : sql``
        }
      order by coalesce(r.started_at, r.created_at) desc, r.id desc
      limit ${filter.limit ?? 20} offset ${filter.offset ?? 0}`),
  );
  return withParts(scope, rows);
}

/** The moment of the record: its earliest type of force, or the start typed before any was chosen. */
function span(types: ForceTypeUsed[]): { startedAt: Date | null; endedAt: Date | null } {
  if (types.length === 0) return { startedAt: null, endedAt: null };
  return {
    startedAt: new Date(Math.min(...types.map((t) => t.startedAt.getTime()))),
    endedAt: new Date(Math.max(...types.map((t) => t.endedAt.getTime()))),
  };
}

async function writeParts(scope: Scope, recordId: string, input: ForceRecordInput) {
  await scope.tx.execute(sql`delete from force_type_used where force_record_id = ${recordId}`);
  await scope.tx.execute(sql`delete from force_staff where force_record_id = ${recordId}`);
  for (const [ordinal, used] of input.types.entries()) {
    await scope.tx.execute(sql`insert into force_type_used (organisation_id, force_record_id, type, position,
        started_at, ended_at, ordinal)
      values (${scope.organisationId}, ${recordId}, ${used.type}, ${used.type === 'physical' ? used.position : ''},
        ${used.startedAt.toISOString()}, ${used.endedAt.toISOString()}, ${ordinal})`);
  }
  for (const person of input.staff) {
    await scope.tx.execute(sql`insert into force_staff (organisation_id, force_record_id, person_id, job_title)
      values (${scope.organisationId}, ${recordId}, ${person.personId}, ${person.jobTitle})`);
  }
}

const textArray = (values: string[]) =>
  sql`array(select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`;

async function keepVersion(scope: Scope, recordId: string, amendmentReason = '') {
  const record = (await findForceRecord(scope, recordId))!;
  await scope.tx.execute(sql`insert into force_record_version (organisation_id, force_record_id, version, status,
      content, amendment_reason, saved_by_person_id)
    values (${scope.organisationId}, ${recordId}, ${record.version}, ${record.status}, ${JSON.stringify(record)}::jsonb,
      ${amendmentReason}, ${scope.actorPersonId})`);
  return record;
}

export async function createForceRecord(
  scope: Scope,
  wardId: string,
  personId: string,
  input: ForceRecordInput,
): Promise<string> {
  const { startedAt, endedAt } = span(input.types);
  const [row] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`insert into force_record (organisation_id, team_id, person_id, place, started_at, ended_at,
        reason, description, in_care_plan, plan_items_tried, efforts, non_staff, others_involved, outcome, harm,
        people_told, people_told_details, recorded_by_person_id)
      values (${scope.organisationId}, ${wardId}, ${personId}, ${input.place}, ${startedAt?.toISOString() ?? null},
        ${endedAt?.toISOString() ?? null}, ${input.reason}, ${input.description}, ${input.inCarePlan},
        ${textArray(input.planItemsTried)}, ${input.efforts}, ${input.nonStaff}, ${input.othersInvolved},
        ${input.outcome}, ${input.harm}, ${input.peopleTold}, ${input.peopleToldDetails}, ${scope.actorPersonId})
      returning id`),
  );
  await writeParts(scope, row!.id, input);
  await keepVersion(scope, row!.id);
  await audit(scope, {
    action: 'create',
    subjectType: auditSubject.forceRecord,
    subjectId: row!.id,
    subjectPersonId: personId,
  });
  return row!.id;
}

/**
 * Saves a change. A draft changes freely (each save kept); a signed-off record needs the reason for
 * the amendment, and stays signed off.
 */
export async function updateForceRecord(
  scope: Scope,
  record: ForceRecord,
  input: ForceRecordInput,
  amendmentReason: string,
): Promise<'saved' | 'reason-needed'> {
  if (record.status === 'signed-off' && !amendmentReason.trim()) return 'reason-needed';
  const { startedAt, endedAt } = span(input.types);
  await scope.tx.execute(sql`update force_record set version = version + 1, place = ${input.place},
      started_at = ${startedAt?.toISOString() ?? null}, ended_at = ${endedAt?.toISOString() ?? null},
      reason = ${input.reason}, description = ${input.description}, in_care_plan = ${input.inCarePlan},
      plan_items_tried = ${textArray(input.planItemsTried)}, efforts = ${input.efforts}, non_staff = ${input.nonStaff},
      others_involved = ${input.othersInvolved}, outcome = ${input.outcome}, harm = ${input.harm},
      people_told = ${input.peopleTold}, people_told_details = ${input.peopleToldDetails}, updated_at = now()
    where id = ${record.id}`);
  await writeParts(scope, record.id, input);
  await keepVersion(scope, record.id, amendmentReason.trim());
  await audit(scope, {
    action: 'update',
    subjectType: auditSubject.forceRecord,
    subjectId: record.id,
    subjectPersonId: record.personId,
    detail: { amendment: record.status === 'signed-off' },
  });
  return 'saved';
}

/** The s.6(5) items a record still lacks, by letter; sign-off lists each. */
export function missingForSignOff(record: ForceRecordInput): string[] {
  const missing: string[] = [];
  if (!record.reason.trim()) missing.push('a');
  if (!record.place.trim() || record.types.length === 0) missing.push('b');
  if (record.types.length === 0 || record.types.some((t) => t.type === 'physical' && !t.position))
    missing.push('c');
  if (!record.inCarePlan) missing.push('d');
  if (!record.description.trim()) missing.push('f');
  if (record.staff.length === 0) missing.push('h');
  if (!record.nonStaff || (record.nonStaff === 'yes' && !record.othersInvolved.trim())) missing.push('i');
  if (!record.outcome.trim()) missing.push('m');
  if (!record.harm) missing.push('n');
  if (!record.efforts.trim() && record.planItemsTried.length === 0) missing.push('o');
  if (!record.peopleTold) missing.push('p');
  return missing;
}

/**
 * Signs a complete record off and locks it. What the person chose to share about themselves (their
 * mental disorder, characteristics, learning disability or autism) is copied from their help plan as
 * it stands now; blank stays "not known".
 */
export async function signOff(scope: Scope, record: ForceRecord): Promise<string[] | 'done'> {
  if (record.status === 'signed-off') return 'done';
  const missing = missingForSignOff(record);
  if (missing.length > 0) return missing;
  const plan = await currentHelpPlan(scope, record.personId);
  const signed = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`update force_record set status = 'signed-off', version = version + 1,
      mental_disorder = ${plan?.sharedDisorder ?? ''}, ld_autism = ${plan?.sharedLdAutism ?? ''},
      characteristics = ${plan?.sharedCharacteristics ?? ''}, signed_off_by_person_id = ${scope.actorPersonId},
      signed_off_at = now(), updated_at = now()
    where id = ${record.id} and status = 'draft' returning id`),
  );
  // Someone else signed it off a moment ago: their version stands.
  if (signed.length === 0) return 'done';
  await keepVersion(scope, record.id);
  await audit(scope, {
    action: 'update',
    subjectType: auditSubject.forceRecord,
    subjectId: record.id,
    subjectPersonId: record.personId,
    detail: { signedOff: true },
  });
  return 'done';
}

/** Keeps the staff account from the patient, for a reason kept in the record and the audit trail. */
export async function setWithheld(scope: Scope, record: ForceRecord, reason: string) {
  await scope.tx.execute(sql`update force_record set withheld_reason = ${reason.trim()}, updated_at = now()
    where id = ${record.id}`);
  await audit(scope, {
    action: 'update',
    subjectType: auditSubject.forceRecord,
    subjectId: record.id,
    subjectPersonId: record.personId,
    detail: { withheld: Boolean(reason.trim()) },
  });
}

export interface ForceVersion {
  version: number;
  status: string;
  amendmentReason: string;
  savedBy: string | null;
  savedAt: Date;
}

export async function forceVersions(scope: Scope, recordId: string): Promise<ForceVersion[]> {
  const rows = await rowsOf<ForceVersion>(
    scope.tx.execute(sql`select version, status, amendment_reason as "amendmentReason",
        saved_by_person_id as "savedBy", saved_at as "savedAt"
      from force_record_version where organisation_id = ${scope.organisationId} and force_record_id = ${recordId}
      order by version desc limit 200`),
  );
  return rows.map((row) => ({ ...row, version: Number(row.version), savedAt: new Date(row.savedAt) }));
}

export interface Debrief {
  id: string;
  side: 'patient' | 'staff';
  state: 'offered' | 'given' | 'declined' | 'later';
  words: string;
  beforeWords: string;
  chances: string;
  differently: string;
  byPersonId: string | null;
  createdAt: Date;
}

export async function debriefsOf(scope: Scope, recordId: string): Promise<Debrief[]> {
  const rows = await rowsOf<Debrief>(
    scope.tx.execute(sql`select id, side, state, words, before_words as "beforeWords", chances, differently,
        by_person_id as "byPersonId", created_at as "createdAt"
      from force_debrief where organisation_id = ${scope.organisationId} and force_record_id = ${recordId}
      order by created_at, id limit 200`),
  );
  return rows.map((row) => ({ ...row, createdAt: new Date(row.createdAt) }));
}

/** A debrief is added, never changed: the patient's account and the staff's stand side by side. */
export async function addDebrief(
  scope: Scope,
  record: ForceRecord,
  debrief: Pick<Debrief, 'side' | 'state'> &
    Partial<Pick<Debrief, 'words' | 'beforeWords' | 'chances' | 'differently'>>,
) {
  await scope.tx.execute(sql`insert into force_debrief (organisation_id, force_record_id, side, state, words,
      before_words, chances, differently, by_person_id)
    values (${scope.organisationId}, ${record.id}, ${debrief.side}, ${debrief.state}, ${debrief.words ?? ''},
      ${debrief.beforeWords ?? ''}, ${debrief.chances ?? ''}, ${debrief.differently ?? ''}, ${scope.actorPersonId})`);
  await audit(scope, {
    action: 'create',
    subjectType: auditSubject.debrief,
    subjectId: record.id,
    subjectPersonId: record.personId,
    detail: { side: debrief.side, state: debrief.state },
  });
}

/** Uses of force by UK month: records, records with a prone restraint, and each type used. */
export async function forceByMonth(
  scope: Scope,
  wardId: string | null,
  from: string,
  to: string,
): Promise<{ month: string; records: number; prone: number; types: Record<ForceType, number> }[]> {
  const inRange = sql`r.organisation_id = ${scope.organisationId} ${wardId ? sql`and r.team_id = ${wardId}` : sql``}
    and r.started_at >= (${from}::date::timestamp at time zone 'Europe/London')
    and r.started_at < ((${to}::date + 1)::timestamp at time zone 'Europe/London')`;
  const month = sql`to_char(r.started_at at time zone 'Europe/London', 'YYYY-MM')`;
  const records = await rowsOf<{ month: string; records: number; prone: number }>(
    scope.tx.execute(sql`select ${month} as month, count(*)::int as records,
          count(*) filter (where exists (select 1 from force_type_used u where u.force_record_id = r.id
            and u.position = 'prone'))::int as prone
        from force_record r where ${inRange} group by 1 order by 1`),
  );
  const types = await rowsOf<{ month: string; type: ForceType; count: number }>(
    scope.tx.execute(sql`select ${month} as month, u.type, count(*)::int as count
        from force_record r join force_type_used u on u.force_record_id = r.id
        where ${inRange} group by 1, 2`),
  );
  return records.map((row) => ({
    month: row.month,
    records: Number(row.records),
    prone: Number(row.prone),
    types: Object.fromEntries(
      forceTypes.map((type) => [
        type,
        Number(types.find((t) => t.month === row.month && t.type === type)?.count ?? 0),
      ]),
    ) as Record<ForceType, number>,
  }));
}

/** When force was last used on the ward, for "days since". */
export async function lastForceAt(scope: Scope, wardId: string): Promise<Date | null> {
  const [row] = await rowsOf<{ at: string | null }>(
    scope.tx.execute(sql`select max(started_at) as at from force_record
      where organisation_id = ${scope.organisationId} and team_id = ${wardId}`),
  );
  return row?.at ? new Date(row.at) : null;
}

/** Debriefs offered and taken up, for the impact figures. */
export async function debriefFigures(
  scope: Scope,
  from: string,
  to: string,
): Promise<{ records: number; offered: number; given: number; staff: number }> {
  const [row] = await rowsOf<{ records: number; offered: number; given: number; staff: number }>(
    scope.tx.execute(sql`select count(*)::int as records,
        count(*) filter (where exists (select 1 from force_debrief d where d.force_record_id = r.id
          and d.side = 'patient'))::int as offered,
        count(*) filter (where exists (select 1 from force_debrief d where d.force_record_id = r.id
          and d.side = 'patient' and d.state = 'given'))::int as given,
        count(*) filter (where exists (select 1 from force_debrief d where d.force_record_id = r.id
          and d.side = 'staff'))::int as staff
      from force_record r
      where r.organisation_id = ${scope.organisationId}
        and r.started_at >= (${from}::date::timestamp at time zone 'Europe/London')
        and r.started_at < ((${to}::date + 1)::timestamp at time zone 'Europe/London')`),
  );
  return {
    records: Number(row?.records ?? 0),
    offered: Number(row?.offered ?? 0),
    given: Number(row?.given ?? 0),
    staff: Number(row?.staff ?? 0),
  };
}

/**
 * Records started in a range, a batch at a time in order, for the statutory export: the export streams
 * batch by batch, so its memory stays the size of one batch however many records there are.
 */
export async function forceRecordsBatch(
  scope: Scope,
  filter: { wardId: string | null; from: string; to: string; after?: BatchCursor; limit: number },
): Promise<{ records: ForceRecord[]; next: BatchCursor | null }> {
  // The cursor keeps the database's own text of the moment, to the microsecond: a JavaScript Date holds
  // only milliseconds, and would repeat a record at a batch's edge.
  const rows = await rowsOf<Row & { cursorAt: string }>(
    scope.tx.execute(sql`select ${columns}, r.started_at::text as "cursorAt" from force_record r
      where r.organisation_id = ${scope.organisationId} ${filter.wardId ? sql`and r.team_id = ${filter.wardId}` : sql``}
        and r.started_at >= (${filter.from}::date::timestamp at time zone 'Europe/London')
        and r.started_at < ((${filter.to}::date + 1)::timestamp at time zone 'Europe/London')
        ${
          filter.after
            ? sql`and (r.started_at, r.id) > (${filter.after.at}::timestamptz, ${filter.after.id}::uuid)`
            : sql``
        }
      order by r.started_at, r.id limit ${filter.limit}`),
  );
  const last = rows[rows.length - 1];
  const records = await withParts(
    scope,
    rows.map(({ cursorAt: _, ...row }) => row),
  );
  return { records, next: rows.length === filter.limit && last ? { at: last.cursorAt, id: last.id } : null };
}

export interface BatchCursor {
  at: string;
  id: string;
}
