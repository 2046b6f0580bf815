import { and, asc, eq, ilike, inArray, or, sql } from 'drizzle-orm';
import { audit } from './audit.ts';
import type { Database } from './database/connect.ts';
import { account, membership, organisation, person, type Role, roles } from './database/schema.ts';
import { type Scope, withSystem } from './database/tenancy.ts';
import type { Language, Translate } from './i18n/index.ts';
import { canReach, joinOnlyTeam, leaveTeamsForRole, reachableBy } from './teams.ts';
import { isUuid } from './tokens.ts';

/** The core's people functions; modules call these and never touch the tables. */

export interface PersonSummary {
  id: string;
  calledName: string;
  fullName: string | null;
  email: string | null;
  /** When the organisation first knew them: one way to tell apart two people of the same name. */
  joinedAt: Date;
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
  joinedAt: person.createdAt,
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

/**
 * Finds one person for the person acting in `scope` to work with: themselves, or someone their teams
 * reach (src/core/teams.ts). Anyone else, in another team or another organisation, is not found.
 */
export async function findPersonFor(scope: Scope, personId: string): Promise<PersonSummary | null> {
  const viewer = scope.actorPersonId;
  if (!viewer || !(await canReach(scope, viewer, personId))) return null;
  return findPerson(scope, personId);
}

/** People in this organisation by name or email, audited as one read of a list. */
export async function listPeople(
  scope: Scope,
  options: {
    search?: string;
    role?: Role;
    limit?: number;
    offset?: number;
    /** Only the people this member of staff's teams reach (and themselves). */
    reachableBy?: string;
  } = {},
): Promise<PersonSummary[]> {
  const conditions = [eq(person.organisationId, scope.organisationId)];
  if (options.reachableBy)
    conditions.push(
      sql`(${person.id} = ${options.reachableBy} or ${person.id} in ${reachableBy(scope, options.reachableBy)})`,
    );
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

/**
 * Names for a record that must identify someone (a statutory return): the full name where it is known,
 * with what they like to be called beside it ("Nadia Begum (Nadia)"), else the called name. Audited
 * like `namesOf`.
 */
export async function fullNamesOf(scope: Scope, personIds: string[]): Promise<Map<string, string>> {
  const ids = [...new Set(personIds.filter(isUuid))];
  const names = new Map<string, string>();
  if (ids.length === 0) return names;
  const rows = await scope.tx
    .select({ id: person.id, calledName: person.calledName, fullName: person.fullName })
    .from(person)
    .where(and(eq(person.organisationId, scope.organisationId), inArray(person.id, ids)));
  for (const row of rows)
    names.set(
      row.id,
      row.fullName && row.fullName !== row.calledName
        ? `${row.fullName} (${row.calledName})`
        : row.calledName,
    );
  await audit(scope, {
    action: 'read',
    subjectType: 'person-list',
    detail: { people: rows.map((row) => row.id) },
  });
  return names;
}

/** What tells one person from another of the same called name. */
export interface Nameable {
  id: string;
  calledName: string;
  fullName: string | null;
  joinedAt: Date;
}

const collators = new Map<Language, Intl.Collator>();

/** Compares names as a reader of that language sorts them (Welsh: "Ll" after "Lu", "Ch" after "Cy"). */
export function compareNames(language: Language): (a: string, b: string) => number {
  let collator = collators.get(language);
  if (!collator) {
    collator = new Intl.Collator(language === 'cy' ? 'cy-GB' : 'en-GB', {
      sensitivity: 'base',
      numeric: true,
    });
    collators.set(language, collator);
  }
  return collator.compare;
}

/** Sorts things by the name shown for them, in the reader's language; the same name keeps its order. */
export function sortByName<T>(items: readonly T[], nameOf: (item: T) => string, language: Language): T[] {
  const compare = compareNames(language);
  return [...items].sort((a, b) => compare(nameOf(a), nameOf(b)));
}

/** "Siân" and "sian " are the same name to someone reading a list quickly. */
const sameNameKey = (name: string) =>
  name.normalize('NFD').replace(/\p{M}/gu, '').trim().replace(/\s+/g, ' ').toLocaleLowerCase();

/** The first letter of the last word of a full name of two words or more ("Isla Rhys-Jones" → "R"). */
function surnameInitial(fullName: string | null): string | null {
  const words = (fullName ?? '').trim().split(/\s+/).filter(Boolean);
  if (words.length < 2) return null;
  const first = [...words.at(-1)!.replace(/^[^\p{L}]+/u, '')][0];
  return first ? first.toLocaleUpperCase() : null;
}

/**
 * The names to show in one list so that two people of the same called name can be told apart: the
 * called name alone when nobody else in the list has it; then the first letter of their surname
 * ("Isla R."); then when they joined ("Isla, joined 3 Mar 2025"); and when even that is the same, their
 * place in the order they joined ("… (2 of 3)"). Only the people in `people` are compared, so a name
 * changes only when someone of the same name is in the same list.
 */
export function namesToTellApart(people: readonly Nameable[], t: Translate): Map<string, string> {
  const names = new Map<string, string>();
  const groups = new Map<string, Nameable[]>();
  for (const one of people) {
    const key = sameNameKey(one.calledName);
    groups.set(key, [...(groups.get(key) ?? []), one]);
  }
  for (const group of groups.values()) {
    if (group.length === 1) {
      names.set(group[0]!.id, group[0]!.calledName);
      continue;
    }
    const ordered = [...group].sort(
      (a, b) => a.joinedAt.getTime() - b.joinedAt.getTime() || (a.id < b.id ? -1 : 1),
    );
    const withInitial = new Map(
      ordered.map((one) => {
        const initial = surnameInitial(one.fullName);
        return [one.id, initial ? t('names.initial', { name: one.calledName, initial }) : null];
      }),
    );
    // Labels are compared as names are: "Ísla R." is no more told apart from "Isla R." than the names were.
    const counts = (labels: (string | null | undefined)[]) => {
      const count = new Map<string, number>();
      for (const label of labels)
        if (label) count.set(sameNameKey(label), (count.get(sameNameKey(label)) ?? 0) + 1);
      return (label: string) => count.get(sameNameKey(label)) ?? 0;
    };
    const byInitial = counts([...withInitial.values()]);
    const joined = new Map(
      ordered.map((one) => {
        const base = withInitial.get(one.id) ?? one.calledName;
        return [one.id, t('names.joined', { name: base, date: one.joinedAt })];
      }),
    );
    const byJoined = counts([...joined.values()]);
    const seen = new Map<string, number>();
    for (const one of ordered) {
      const initial = withInitial.get(one.id);
      if (initial && byInitial(initial) === 1) {
        names.set(one.id, initial);
        continue;
      }
      const label = joined.get(one.id)!;
      const count = byJoined(label);
      if (count === 1) {
        names.set(one.id, label);
        continue;
      }
      const number = (seen.get(sameNameKey(label)) ?? 0) + 1;
      seen.set(sameNameKey(label), number);
      names.set(
        one.id,
        t('names.joinedOf', {
          name: withInitial.get(one.id) ?? one.calledName,
          date: one.joinedAt,
          number,
          count,
        }),
      );
    }
  }
  return names;
}

/**
 * Like `namesOf`, for a list to choose from or read down: the names of these people, told apart where
 * two share a called name (see `namesToTellApart`). Audited in the same way.
 */
export async function namesToTellApartOf(
  scope: Scope,
  personIds: string[],
  t: Translate,
): Promise<Map<string, string>> {
  const ids = [...new Set(personIds.filter(isUuid))];
  if (ids.length === 0) return new Map();
  const rows = await scope.tx
    .select({
      id: person.id,
      calledName: person.calledName,
      fullName: person.fullName,
      joinedAt: person.createdAt,
    })
    .from(person)
    .where(and(eq(person.organisationId, scope.organisationId), inArray(person.id, ids)));
  await audit(scope, {
    action: 'read',
    subjectType: 'person-list',
    detail: { people: rows.map((row) => row.id) },
  });
  return namesToTellApart(rows, t);
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
  await joinOnlyTeam(scope, personId, role);
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
  await leaveTeamsForRole(scope, personId, role);
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
