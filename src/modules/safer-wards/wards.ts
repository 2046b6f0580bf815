import { sql } from 'drizzle-orm';
import { audit } from '../../core/audit.ts';
import { rowsOf, type Scope } from '../../core/database/tenancy.ts';
import { findTeam, placeWithTeam, type Team, teamsOfStaff } from '../../core/teams.ts';
import { isUuid } from '../../core/tokens.ts';

/**
 * Wards are the core's teams of kind "ward" with beds. Ward staff are that team's coaches (nurses,
 * support workers) and leads (the ward manager). A patient is a person with a stay on the ward; staff
 * of the ward reach everyone who has ever stayed there, so a record can be finished after discharge.
 */

export const auditSubject = {
  stay: 'safer-wards:stay',
  helpPlan: 'safer-wards:help-plan',
  interaction: 'safer-wards:interaction',
  forceRecord: 'safer-wards:force-record',
  debrief: 'safer-wards:debrief',
  export: 'safer-wards:force-export',
  mutualHelp: 'safer-wards:mutual-help',
  knowEachOther: 'safer-wards:know-each-other',
  dischargeMessage: 'safer-wards:discharge-message',
  calmItem: 'safer-wards:calm-item',
};

export interface WardPlace {
  ward: Team;
  /** A lead of this ward: the ward manager, who signs off and exports. */
  manages: boolean;
}

/** The wards this member of staff works on now. */
export async function wardsOfStaff(scope: Scope, personId: string): Promise<WardPlace[]> {
  const teams = await teamsOfStaff(scope, personId);
  return teams
    .filter((m) => m.team.kind === 'ward' && (m.roles.includes('coach') || m.roles.includes('lead')))
    .map((m) => ({ ward: m.team, manages: m.roles.includes('lead') }));
}

/** The ward, when the person asking works on it; null for any other ward, team or organisation. */
export async function wardForStaff(
  scope: Scope,
  wardId: string,
  personId: string,
): Promise<WardPlace | null> {
  if (!isUuid(wardId)) return null;
  return (await wardsOfStaff(scope, personId)).find((place) => place.ward.id === wardId) ?? null;
}

export interface Stay {
  id: string;
  wardId: string;
  personId: string;
  admittedAt: Date;
  dischargedAt: Date | null;
  onLeaveSince: Date | null;
}

const stayColumns = sql`s.id, s.team_id as "wardId", s.person_id as "personId", s.admitted_at as "admittedAt",
  s.discharged_at as "dischargedAt",
  (select l.starts_at from ward_leave l where l.stay_id = s.id and l.ends_at is null
    order by l.starts_at desc limit 1) as "onLeaveSince"`;

function toStay(row: Stay): Stay {
  return {
    ...row,
    admittedAt: new Date(row.admittedAt),
    dischargedAt: row.dischargedAt ? new Date(row.dischargedAt) : null,
    onLeaveSince: row.onLeaveSince ? new Date(row.onLeaveSince) : null,
  };
}

/** The people on the ward now (on leave too), paged, by name. */
export async function patientsOnWard(
  scope: Scope,
  wardId: string,
  options: { limit?: number; offset?: number } = {},
): Promise<(Stay & { calledName: string })[]> {
  const rows = await rowsOf<Stay & { calledName: string }>(
    scope.tx.execute(sql`select ${stayColumns}, p.called_name as "calledName"
      from ward_stay s join person p on p.id = s.person_id
      where s.organisation_id = ${scope.organisationId} and s.team_id = ${wardId} and s.discharged_at is null
      order by lower(p.called_name), s.person_id
      limit ${options.limit ?? 100} offset ${options.offset ?? 0}`),
  );
  return rows.map((row) => ({ ...toStay(row), calledName: row.calledName }));
}

/** How many people are on the ward now (on leave too). */
export async function countOnWard(scope: Scope, wardId: string): Promise<number> {
  const [row] = await rowsOf<{ n: number }>(
    scope.tx.execute(sql`select count(*)::int as n from ward_stay where organisation_id = ${scope.organisationId}
      and team_id = ${wardId} and discharged_at is null`),
  );
  return Number(row?.n ?? 0);
}

/** A person's stays on one ward (or any ward), newest first. */
export async function staysOf(scope: Scope, personId: string, wardId?: string): Promise<Stay[]> {
  if (!isUuid(personId)) return [];
  const rows = await rowsOf<Stay>(
    scope.tx.execute(sql`select ${stayColumns} from ward_stay s
      where s.organisation_id = ${scope.organisationId} and s.person_id = ${personId}
        ${wardId ? sql`and s.team_id = ${wardId}` : sql``}
      order by s.admitted_at desc limit 100`),
  );
  return rows.map(toStay);
}

/** The open stay of a person, wherever it is. */
export async function openStayOf(scope: Scope, personId: string): Promise<Stay | null> {
  if (!isUuid(personId)) return null;
  const [row] = await rowsOf<Stay>(
    scope.tx.execute(sql`select ${stayColumns} from ward_stay s
      where s.organisation_id = ${scope.organisationId} and s.person_id = ${personId} and s.discharged_at is null`),
  );
  return row ? toStay(row) : null;
}

/** Whether the person has ever stayed on this ward: staff of the ward reach them. */
export async function isPatientOf(scope: Scope, wardId: string, personId: string): Promise<boolean> {
  if (!isUuid(personId) || !isUuid(wardId)) return false;
  const [row] = await rowsOf<{ found: boolean }>(
    scope.tx.execute(sql`select exists (select 1 from ward_stay where organisation_id = ${scope.organisationId}
      and team_id = ${wardId} and person_id = ${personId}) as found`),
  );
  return Boolean(row?.found);
}

/** Whether the person was on the ward (admitted, not yet discharged) at that moment. */
export async function wasOnWardAt(
  scope: Scope,
  wardId: string,
  personId: string,
  at: Date,
): Promise<boolean> {
  if (!isUuid(personId) || !isUuid(wardId)) return false;
  const [row] = await rowsOf<{ found: boolean }>(
    scope.tx.execute(sql`select exists (select 1 from ward_stay where organisation_id = ${scope.organisationId}
      and team_id = ${wardId} and person_id = ${personId} and admitted_at <= ${at.toISOString()}
      and (discharged_at is null or discharged_at >= ${at.toISOString()})) as found`),
  );
  return Boolean(row?.found);
}

export type AdmitResult =
  | { ok: true; stayId: string }
  | { ok: false; reason: 'elsewhere' | 'full' | 'no-ward' };

/**
 * Admits a person to the ward: one open stay at a time, never more people than beds. The person is put
 * with the ward's team too, so the rest of Alongside knows who supports them.
 */
export async function admit(scope: Scope, wardId: string, personId: string, at: Date): Promise<AdmitResult> {
  const ward = await findTeam(scope, wardId);
  if (ward?.kind !== 'ward' || ward.closedAt) return { ok: false, reason: 'no-ward' };
  // The ward row is locked so two admissions at once cannot both take the last bed.
  await scope.tx.execute(sql`select id from team where id = ${wardId} for update`);
  if (await openStayOf(scope, personId)) return { ok: false, reason: 'elsewhere' };
  const [count] = await rowsOf<{ n: number }>(
    scope.tx.execute(sql`select count(*)::int as n from ward_stay where organisation_id = ${scope.organisationId}
      and team_id = ${wardId} and discharged_at is null`),
  );
  if (ward.beds !== null && Number(count?.n ?? 0) >= ward.beds) return { ok: false, reason: 'full' };
  const [row] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`insert into ward_stay (organisation_id, team_id, person_id, admitted_at, admitted_by_person_id)
      values (${scope.organisationId}, ${wardId}, ${personId}, ${at.toISOString()}, ${scope.actorPersonId})
      returning id`),
  );
  await placeWithTeam(scope, personId, wardId);
  await audit(scope, {
    action: 'create',
    subjectType: auditSubject.stay,
    subjectId: row!.id,
    subjectPersonId: personId,
  });
  return { ok: true, stayId: row!.id };
}

export async function findStay(scope: Scope, stayId: string): Promise<Stay | null> {
  if (!isUuid(stayId)) return null;
  const [row] = await rowsOf<Stay>(
    scope.tx.execute(sql`select ${stayColumns} from ward_stay s
      where s.organisation_id = ${scope.organisationId} and s.id = ${stayId}`),
  );
  return row ? toStay(row) : null;
}

/** Discharges: the stay ends (any leave with it). Nothing earlier than the admission. */
export async function discharge(scope: Scope, stay: Stay, at: Date): Promise<boolean> {
  if (stay.dischargedAt || at <= stay.admittedAt) return false;
  await scope.tx.execute(sql`update ward_leave set ends_at = ${at.toISOString()}
    where stay_id = ${stay.id} and ends_at is null and starts_at < ${at.toISOString()}`);
  const ended = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`update ward_stay set discharged_at = ${at.toISOString()},
      discharged_by_person_id = ${scope.actorPersonId}
      where id = ${stay.id} and discharged_at is null returning id`),
  );
  if (ended.length === 0) return false;
  await audit(scope, {
    action: 'update',
    subjectType: auditSubject.stay,
    subjectId: stay.id,
    subjectPersonId: stay.personId,
    detail: { discharged: true },
  });
  return true;
}

/** Leave starts (when none is open) or the open leave ends. */
export async function setLeave(scope: Scope, stay: Stay, at: Date): Promise<'started' | 'ended' | false> {
  if (stay.dischargedAt || at < stay.admittedAt) return false;
  if (stay.onLeaveSince) {
    if (at <= stay.onLeaveSince) return false;
    await scope.tx.execute(sql`update ward_leave set ends_at = ${at.toISOString()}
      where stay_id = ${stay.id} and ends_at is null`);
  } else {
    await scope.tx.execute(sql`insert into ward_leave (organisation_id, stay_id, starts_at, recorded_by_person_id)
      values (${scope.organisationId}, ${stay.id}, ${at.toISOString()}, ${scope.actorPersonId})`);
  }
  await audit(scope, {
    action: 'update',
    subjectType: auditSubject.stay,
    subjectId: stay.id,
    subjectPersonId: stay.personId,
    detail: { leave: stay.onLeaveSince ? 'ended' : 'started' },
  });
  return stay.onLeaveSince ? 'ended' : 'started';
}

export interface CalmItem {
  id: string;
  name: string;
  nameCy: string | null;
}

const defaultCalmItems: [string, string][] = [
  ['Weighted blanket', 'Blanced wedi’i phwysoli'],
  ['Music and headphones', 'Cerddoriaeth a chlustffonau'],
  ['Stress ball', 'Pêl straen'],
  ['Colouring and pencils', 'Lliwio a phensiliau'],
  ['A walk in the garden', 'Tro yn yr ardd'],
  ['A warm drink', 'Diod gynnes'],
  ['The quiet room', 'Yr ystafell dawel'],
  ['Scented hand cream', 'Hufen dwylo persawrus'],
];

/** The ward's calm-down box; a ward starts with a few ordinary things, which staff change. */
export async function calmItems(scope: Scope, wardId: string): Promise<CalmItem[]> {
  const read = () =>
    rowsOf<CalmItem>(
      scope.tx.execute(sql`select id, name, name_cy as "nameCy" from ward_calm_item
        where organisation_id = ${scope.organisationId} and team_id = ${wardId} order by lower(name), id limit 200`),
    );
  const items = await read();
  if (items.length > 0) return items;
  const [{ asked } = { asked: false }] = await rowsOf<{ asked: boolean }>(
    scope.tx.execute(sql`select exists (select 1 from audit_event where organisation_id = ${scope.organisationId}
      and subject_type = ${auditSubject.calmItem} and subject_id = ${wardId}) as asked`),
  );
  if (asked) return items;
  for (const [name, nameCy] of defaultCalmItems) {
    await scope.tx.execute(sql`insert into ward_calm_item (organisation_id, team_id, name, name_cy)
      values (${scope.organisationId}, ${wardId}, ${name}, ${nameCy})`);
  }
  await audit(scope, {
    action: 'create',
    subjectType: auditSubject.calmItem,
    subjectId: wardId,
    detail: { defaults: true },
  });
  return read();
}

export async function addCalmItem(scope: Scope, wardId: string, name: string, nameCy: string) {
  await calmItems(scope, wardId);
  await scope.tx.execute(sql`insert into ward_calm_item (organisation_id, team_id, name, name_cy)
    values (${scope.organisationId}, ${wardId}, ${name}, ${nameCy || null})`);
  await audit(scope, { action: 'create', subjectType: auditSubject.calmItem, subjectId: wardId });
}

export async function removeCalmItem(scope: Scope, wardId: string, itemId: string): Promise<boolean> {
  if (!isUuid(itemId)) return false;
  const gone = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`delete from ward_calm_item where organisation_id = ${scope.organisationId}
      and team_id = ${wardId} and id = ${itemId} returning id`),
  );
  if (gone.length > 0)
    await audit(scope, { action: 'delete', subjectType: auditSubject.calmItem, subjectId: wardId });
  return gone.length > 0;
}
