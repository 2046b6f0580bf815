import { sql } from 'drizzle-orm';
import { audit } from '../../core/audit.ts';
import { rowsOf, type Scope } from '../../core/database/tenancy.ts';
import { createPerson } from '../../core/people.ts';
import { isUuid } from '../../core/tokens.ts';
import { auditSubject } from './words.ts';

/**
 * A household groups the people of one family, children included, so a whole family can link up with
 * a whole family. Each member is one person record; a child has no role and no account.
 */
export interface Household {
  id: string;
  name: string;
  members: { personId: string; calledName: string; isChild: boolean }[];
}

export async function createHousehold(scope: Scope, name: string): Promise<string> {
  const [row] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`insert into peer_household (organisation_id, name) values (${scope.organisationId}, ${name})
      returning id`),
  );
  await audit(scope, {
    action: 'create',
    subjectType: auditSubject.household,
    subjectId: row!.id,
    detail: { fields: ['name'] },
  });
  return row!.id;
}

export async function addMember(
  scope: Scope,
  householdId: string,
  member: { personId?: string; calledName?: string; isChild: boolean },
): Promise<string> {
  const personId =
    member.personId ??
    (await createPerson(scope, { calledName: member.calledName!, roles: member.isChild ? [] : ['person'] }));
  await scope.tx.execute(sql`insert into peer_household_member (organisation_id, household_id, person_id, is_child)
    values (${scope.organisationId}, ${householdId}, ${personId}, ${member.isChild}) on conflict do nothing`);
  await audit(scope, {
    action: 'update',
    subjectType: auditSubject.household,
    subjectId: householdId,
    subjectPersonId: personId,
    detail: { fields: ['members'] },
  });
  return personId;
}

export async function householdOf(scope: Scope, householdId: string | null): Promise<Household | null> {
  if (!householdId || !isUuid(householdId)) return null;
  const [row] = await rowsOf<{ id: string; name: string }>(
    scope.tx.execute(sql`select id, name from peer_household where organisation_id = ${scope.organisationId}
      and id = ${householdId}`),
  );
  if (!row) return null;
  const members = await rowsOf<Household['members'][number]>(
    scope.tx.execute(sql`select m.person_id as "personId", p.called_name as "calledName", m.is_child as "isChild"
      from peer_household_member m join person p on p.id = m.person_id
      where m.household_id = ${row.id} order by m.is_child, p.called_name`),
  );
  await audit(scope, { action: 'read', subjectType: auditSubject.household, subjectId: row.id });
  return { ...row, members };
}

/** The household a person belongs to, if any (the first, when someone is in two). */
export async function householdIdOf(scope: Scope, personId: string): Promise<string | null> {
  const [row] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`select household_id as id from peer_household_member
      where organisation_id = ${scope.organisationId} and person_id = ${personId} order by created_at limit 1`),
  );
  return row?.id ?? null;
}

export async function setProfileHousehold(scope: Scope, profileId: string, householdId: string | null) {
  await scope.tx.execute(sql`update peer_profile set household_id = ${householdId} where id = ${profileId}`);
  await audit(scope, {
    action: 'update',
    subjectType: auditSubject.profile,
    subjectId: profileId,
    detail: { fields: ['household'] },
  });
}

/** Every household's name, for choosing one (names of families, not of people). */
export async function listHouseholds(scope: Scope): Promise<{ id: string; name: string }[]> {
  const rows = await rowsOf<{ id: string; name: string }>(
    scope.tx.execute(sql`select id, name from peer_household where organisation_id = ${scope.organisationId}
      order by name, id`),
  );
  await audit(scope, { action: 'read', subjectType: auditSubject.household, detail: { count: rows.length } });
  return rows;
}
