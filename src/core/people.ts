import { and, asc, eq, ilike, inArray, or, sql } from 'drizzle-orm';
import { audit } from './audit.ts';
import type { Database } from './database/connect.ts';
import { account, membership, organisation, person, type Role, roles } from './database/schema.ts';
import { type Scope, withSystem } from './database/tenancy.ts';
import { isUuid } from './tokens.ts';

/** The core's people functions; modules call these and never touch the tables. */

export interface PersonSummary {
  id: string;
  calledName: string;
  fullName: string | null;
  email: string | null;
  roles: Role[];
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (roles as readonly string[]).includes(value);
}

async function rolesByPerson(scope: Scope, personIds: string[]): Promise<Map<string, Role[]>> {
  const byPerson = new Map<string, Role[]>();
  if (personIds.length === 0) return byPerson;
  const rows = await scope.tx
    .select({ personId: membership.personId, role: membership.role })
    .from(membership)
    .where(and(eq(membership.organisationId, scope.organisationId), inArray(membership.personId, personIds)));
  for (const row of rows) byPerson.set(row.personId, [...(byPerson.get(row.personId) ?? []), row.role]);
  for (const list of byPerson.values()) list.sort((a, b) => roles.indexOf(a) - roles.indexOf(b));
  return byPerson;
}

const personColumns = {
  id: person.id,
  calledName: person.calledName,
  fullName: person.fullName,
  email: account.email,
};

/** Finds one person in this organisation, or null (also for ids of another organisation). Not audited: callers audit the read they make. */
export async function findPerson(scope: Scope, personId: string): Promise<PersonSummary | null> {
  if (!isUuid(personId)) return null;
  const [row] = await scope.tx
    .select(personColumns)
    .from(person)
    .leftJoin(account, eq(account.id, person.accountId))
    .where(and(eq(person.organisationId, scope.organisationId), eq(person.id, personId)));
  if (!row) return null;
  return { ...row, roles: (await rolesByPerson(scope, [row.id])).get(row.id) ?? [] };
}

/** People in this organisation by name or email, audited as one read of a list. */
export async function listPeople(
  scope: Scope,
  options: { search?: string; role?: Role; limit?: number; offset?: number } = {},
): Promise<PersonSummary[]> {
  const conditions = [eq(person.organisationId, scope.organisationId)];
  const search = options.search?.trim();
  if (search) {
    const pattern = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(
      or(ilike(person.calledName, pattern), ilike(person.fullName, pattern), ilike(account.email, pattern))!,
    );
  }
  if (options.role) {
    conditions.push(
      sql`exists (select 1 from ${membership} m where m.person_id = ${person.id} and m.role = ${options.role})`,
    );
  }
  const rows = await scope.tx
    .select(personColumns)
    .from(person)
    .leftJoin(account, eq(account.id, person.accountId))
    .where(and(...conditions))
    .orderBy(asc(person.calledName), asc(person.id))
    .limit(options.limit ?? 100)
    .offset(options.offset ?? 0);
  const rolesOf = await rolesByPerson(
    scope,
    rows.map((row) => row.id),
  );
  // Who was in the list is kept, so each of them can see that their name was shown.
  await audit(scope, {
    action: 'read',
    subjectType: 'person-list',
    detail: { people: rows.map((row) => row.id) },
  });
  return rows.map((row) => ({ ...row, roles: rolesOf.get(row.id) ?? [] }));
}

/**
 * What these people like to be called, for showing names beside things (a list of members, a
 * statement). Ids of another organisation or unknown ids are left out. Audited like `listPeople`: who
 * was named is kept, so each of them can see that their name was shown.
 */
export async function namesOf(scope: Scope, personIds: string[]): Promise<Map<string, string>> {
  const ids = [...new Set(personIds.filter(isUuid))];
  const names = new Map<string, string>();
  if (ids.length === 0) return names;
  const rows = await scope.tx
    .select({ id: person.id, calledName: person.calledName })
    .from(person)
    .where(and(eq(person.organisationId, scope.organisationId), inArray(person.id, ids)));
  for (const row of rows) names.set(row.id, row.calledName);
  await audit(scope, {
    action: 'read',
    subjectType: 'person-list',
    detail: { people: rows.map((row) => row.id) },
  });
  return names;
}

export async function createPerson(
  scope: Scope,
  input: { calledName: string; fullName?: string | null; roles?: Role[] },
): Promise<string> {
  const [created] = await scope.tx
    .insert(person)
    .values({
      organisationId: scope.organisationId,
      calledName: input.calledName,
      fullName: input.fullName ?? null,
    })
    .returning({ id: person.id });
  const personId = created!.id;
  await audit(scope, {
    action: 'create',
    subjectType: 'person',
    subjectId: personId,
    subjectPersonId: personId,
    detail: { fields: input.fullName ? ['calledName', 'fullName'] : ['calledName'] },
  });
  for (const role of input.roles ?? []) await giveRole(scope, personId, role);
  return personId;
}

export async function updatePerson(
  scope: Scope,
  personId: string,
  changes: { calledName: string; fullName: string | null },
): Promise<boolean> {
  const before = await findPerson(scope, personId);
  if (!before) return false;
  const fields = (['calledName', 'fullName'] as const).filter((field) => before[field] !== changes[field]);
  if (fields.length === 0) return true;
  await scope.tx
    .update(person)
    .set({ ...changes, updatedAt: new Date() })
    .where(and(eq(person.organisationId, scope.organisationId), eq(person.id, personId)));
  await audit(scope, {
    action: 'update',
    subjectType: 'person',
    subjectId: personId,
    subjectPersonId: personId,
    detail: { fields },
  });
  return true;
}

/** Gives a role; giving one already held changes nothing and records nothing. */
export async function giveRole(scope: Scope, personId: string, role: Role): Promise<boolean> {
  const inserted = await scope.tx
    .insert(membership)
    .values({ organisationId: scope.organisationId, personId, role, grantedByPersonId: scope.actorPersonId })
    .onConflictDoNothing()
    .returning({ id: membership.id });
  if (inserted.length === 0) return false;
  await audit(scope, {
    action: 'give-role',
    subjectType: 'membership',
    subjectId: inserted[0]!.id,
    subjectPersonId: personId,
    detail: { role },
  });
  return true;
}

export async function removeRole(scope: Scope, personId: string, role: Role): Promise<boolean> {
  const removed = await scope.tx
    .delete(membership)
    .where(
      and(
        eq(membership.organisationId, scope.organisationId),
        eq(membership.personId, personId),
        eq(membership.role, role),
      ),
    )
    .returning({ id: membership.id });
  if (removed.length === 0) return false;
  await audit(scope, {
    action: 'remove-role',
    subjectType: 'membership',
    subjectId: removed[0]!.id,
    subjectPersonId: personId,
    detail: { role },
  });
  return true;
}

/** How many people the organisation knows: a figure, not a read of anyone's record. */
export async function countPeople(scope: Scope): Promise<number> {
  const [row] = await scope.tx
    .select({ count: sql<number>`count(*)::int` })
    .from(person)
    .where(eq(person.organisationId, scope.organisationId));
  return row?.count ?? 0;
}

export async function countWithRole(scope: Scope, role: Role): Promise<number> {
  const [row] = await scope.tx
    .select({ count: sql<number>`count(*)::int` })
    .from(membership)
    .where(and(eq(membership.organisationId, scope.organisationId), eq(membership.role, role)));
  return row?.count ?? 0;
}

export async function findOrganisation(scope: Scope) {
  const [row] = await scope.tx.select().from(organisation).where(eq(organisation.id, scope.organisationId));
  return row ?? null;
}

export async function updateOrganisation(
  scope: Scope,
  changes: { name: string; nameCy: string | null; defaultLanguage: 'en' | 'cy' },
): Promise<void> {
  await scope.tx.update(organisation).set(changes).where(eq(organisation.id, scope.organisationId));
  await audit(scope, {
    action: 'update',
    subjectType: 'organisation',
    subjectId: scope.organisationId,
    detail: { fields: Object.keys(changes) },
  });
}

/**
 * An organisation's public face, for pages anyone may open without signing in (asking for a coach):
 * only its id, names and language, found by the short name in the address. Read as the owning role
 * because no organisation is known yet; nothing personal is read.
 */
export async function findPublicOrganisation(
  database: Database,
  slug: string,
): Promise<{ id: string; name: string; nameCy: string | null; defaultLanguage: 'en' | 'cy' } | null> {
  if (!/^[a-z0-9-]{1,60}$/.test(slug)) return null;
  return withSystem(database, async (tx) => {
    const [row] = await tx
      .select({
        id: organisation.id,
        name: organisation.name,
        nameCy: organisation.nameCy,
        defaultLanguage: organisation.defaultLanguage,
      })
      .from(organisation)
      .where(eq(organisation.slug, slug));
    return row ? { ...row, defaultLanguage: row.defaultLanguage === 'cy' ? 'cy' : 'en' } : null;
  });
}
