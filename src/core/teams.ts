import { type SQL, sql } from 'drizzle-orm';
import { audit } from './audit.ts';
import type { Role, TeamKind, TeamRole } from './database/schema.ts';
import { rowsOf, type Scope } from './database/tenancy.ts';
import type { Language } from './i18n/index.ts';
import { isUuid } from './tokens.ts';

/**
 * Teams inside an organisation (decision 023). Staff belong to teams with a role in each (coach, lead,
 * peer); people supported are with one or more teams. Who may open whose record is decided here, in one
 * place: a coach reaches the people of the teams they coach in, a lead those of the teams they lead, and
 * any lead reaches someone not yet with any team, to place them. Modules call these functions and never
 * touch the tables.
 */

export const auditSubject = { team: 'team', teamMember: 'team-member', teamPerson: 'team-person' };

export interface Team {
  id: string;
  name: string;
  nameCy: string | null;
  kind: TeamKind | null;
  beds: number | null;
  createdAt: Date;
  closedAt: Date | null;
}

export interface TeamInput {
  name: string;
  nameCy?: string | null;
  kind?: TeamKind | null;
  beds?: number | null;
}

/** A team's name in the language being spoken, falling back to the English. */
export function teamName(team: Pick<Team, 'name' | 'nameCy'>, language: Language): string {
  return (language === 'cy' && team.nameCy) || team.name;
}

const teamColumns = sql`id, name, name_cy as "nameCy", kind, beds, created_at as "createdAt", closed_at as "closedAt"`;

function toTeam(row: Team): Team {
  return {
    ...row,
    beds: row.beds === null ? null : Number(row.beds),
    createdAt: new Date(row.createdAt),
    closedAt: row.closedAt ? new Date(row.closedAt) : null,
  };
}

export async function listTeams(scope: Scope, options: { includeClosed?: boolean } = {}): Promise<Team[]> {
  const rows = await rowsOf<Team>(
    scope.tx.execute(sql`select ${teamColumns} from team where organisation_id = ${scope.organisationId}
      ${options.includeClosed ? sql`` : sql`and closed_at is null`} order by closed_at nulls first, lower(name), id
      limit 500`),
  );
  return rows.map(toTeam);
}

export async function findTeam(scope: Scope, teamId: string): Promise<Team | null> {
  if (!isUuid(teamId)) return null;
  const [row] = await rowsOf<Team>(
    scope.tx.execute(
      sql`select ${teamColumns} from team where organisation_id = ${scope.organisationId} and id = ${teamId}`,
    ),
  );
  return row ? toTeam(row) : null;
}

/** The organisation's one open team, when it has exactly one: where newcomers go without asking. */
export async function onlyTeam(scope: Scope): Promise<Team | null> {
  const rows = await rowsOf<Team>(
    scope.tx.execute(sql`select ${teamColumns} from team where organisation_id = ${scope.organisationId}
      and closed_at is null limit 2`),
  );
  return rows.length === 1 ? toTeam(rows[0]!) : null;
}

export async function createTeam(scope: Scope, input: TeamInput & { id?: string }): Promise<string> {
  const [row] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`insert into team (id, organisation_id, name, name_cy, kind, beds)
      values (coalesce(${input.id ?? null}::uuid, gen_random_uuid()), ${scope.organisationId}, ${input.name},
        ${input.nameCy ?? null}, ${input.kind ?? null}, ${input.beds ?? null})
      returning id`),
  );
  await audit(scope, { action: 'create', subjectType: auditSubject.team, subjectId: row!.id });
  return row!.id;
}

export async function updateTeam(scope: Scope, teamId: string, input: TeamInput): Promise<boolean> {
  if (!isUuid(teamId)) return false;
  const changed = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`update team set name = ${input.name}, name_cy = ${input.nameCy ?? null},
      kind = ${input.kind ?? null}, beds = ${input.beds ?? null}
      where organisation_id = ${scope.organisationId} and id = ${teamId} returning id`),
  );
  if (changed.length === 0) return false;
  await audit(scope, {
    action: 'update',
    subjectType: auditSubject.team,
    subjectId: teamId,
    detail: { fields: ['name', 'nameCy', 'kind', 'beds'] },
  });
  return true;
}

export interface TeamStaff {
  personId: string;
  calledName: string;
  role: TeamRole;
  since: Date;
}

/** The staff of a team now, by name. */
export async function staffOf(scope: Scope, teamId: string): Promise<TeamStaff[]> {
  if (!isUuid(teamId)) return [];
  const rows = await rowsOf<TeamStaff>(
    scope.tx.execute(sql`select m.person_id as "personId", p.called_name as "calledName", m.role, m.since
      from team_member m join person p on p.id = m.person_id
      where m.organisation_id = ${scope.organisationId} and m.team_id = ${teamId} and m.until is null
      order by lower(p.called_name), m.role, m.person_id limit 1000`),
  );
  return rows.map((row) => ({ ...row, since: new Date(row.since) }));
}

/** Adds someone to a team's staff with a role there; already there, it changes nothing. */
export async function addToTeam(scope: Scope, teamId: string, personId: string, role: TeamRole) {
  const added = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`insert into team_member (organisation_id, team_id, person_id, role, added_by_person_id)
      select ${scope.organisationId}, t.id, ${personId}, ${role}, ${scope.actorPersonId}
      from team t where t.organisation_id = ${scope.organisationId} and t.id = ${teamId}
      on conflict (team_id, person_id, role) where until is null do nothing
      returning id`),
  );
  if (added.length === 0) return false;
  await audit(scope, {
    action: 'create',
    subjectType: auditSubject.teamMember,
    subjectId: teamId,
    subjectPersonId: personId,
    detail: { role },
  });
  return true;
}

export async function removeFromTeam(scope: Scope, teamId: string, personId: string, role: TeamRole) {
  const ended = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`update team_member set until = now()
      where organisation_id = ${scope.organisationId} and team_id = ${teamId} and person_id = ${personId}
        and role = ${role} and until is null returning id`),
  );
  if (ended.length === 0) return false;
  await audit(scope, {
    action: 'delete',
    subjectType: auditSubject.teamMember,
    subjectId: teamId,
    subjectPersonId: personId,
    detail: { role },
  });
  return true;
}

export interface TeamMembership {
  team: Team;
  roles: TeamRole[];
}

/** The teams a member of staff is in now, with their roles in each. */
export async function teamsOfStaff(scope: Scope, personId: string): Promise<TeamMembership[]> {
  if (!isUuid(personId)) return [];
  const rows = await rowsOf<Team & { role: TeamRole }>(
    scope.tx.execute(sql`select t.id, t.name, t.name_cy as "nameCy", t.kind, t.beds, t.created_at as "createdAt",
        t.closed_at as "closedAt", m.role
      from team_member m join team t on t.id = m.team_id
      where m.organisation_id = ${scope.organisationId} and m.person_id = ${personId} and m.until is null
        and t.closed_at is null
      order by lower(t.name), t.id, m.role`),
  );
  const byTeam = new Map<string, TeamMembership>();
  for (const { role, ...team } of rows) {
    const entry = byTeam.get(team.id) ?? { team: toTeam(team), roles: [] };
    entry.roles.push(role);
    byTeam.set(team.id, entry);
  }
  return [...byTeam.values()];
}

export interface TeamPlace {
  team: Team;
  since: Date;
  until: Date | null;
  movedBy: string | null;
}

/** The teams a person supported is with, now and before, newest first: history keeps who it was. */
export async function teamsOfPerson(scope: Scope, personId: string): Promise<TeamPlace[]> {
  if (!isUuid(personId)) return [];
  const rows = await rowsOf<Team & { since: Date; until: Date | null; movedBy: string | null }>(
    scope.tx.execute(sql`select t.id, t.name, t.name_cy as "nameCy", t.kind, t.beds, t.created_at as "createdAt",
        t.closed_at as "closedAt", tp.since, tp.until, tp.moved_by_person_id as "movedBy"
      from team_person tp join team t on t.id = tp.team_id
      where tp.organisation_id = ${scope.organisationId} and tp.person_id = ${personId}
      order by tp.until desc nulls first, tp.since desc limit 50`),
  );
  return rows.map(({ since, until, movedBy, ...team }) => ({
    team: toTeam(team),
    since: new Date(since),
    until: until ? new Date(until) : null,
    movedBy,
  }));
}

/** Puts a person supported with a team (as well as any they are with); already there, nothing changes. */
export async function placeWithTeam(scope: Scope, personId: string, teamId: string): Promise<boolean> {
  const placed = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`insert into team_person (organisation_id, team_id, person_id, moved_by_person_id)
      select ${scope.organisationId}, t.id, ${personId}, ${scope.actorPersonId}
      from team t where t.organisation_id = ${scope.organisationId} and t.id = ${teamId} and t.closed_at is null
      on conflict (team_id, person_id) where until is null do nothing
      returning id`),
  );
  if (placed.length === 0) return false;
  await audit(scope, {
    action: 'create',
    subjectType: auditSubject.teamPerson,
    subjectId: teamId,
    subjectPersonId: personId,
  });
  return true;
}

/**
 * Moves a person supported from one team (or every team they are with) to another, in one step: the
 * old place ends, the new one starts, and both stay in the history.
 */
export async function moveToTeam(
  scope: Scope,
  personId: string,
  toTeamId: string,
  fromTeamId: string | null = null,
): Promise<boolean> {
  const target = await findTeam(scope, toTeamId);
  if (!target || target.closedAt) return false;
  const ended = await rowsOf<{ teamId: string }>(
    scope.tx.execute(sql`update team_person set until = now()
      where organisation_id = ${scope.organisationId} and person_id = ${personId} and until is null
        and team_id <> ${toTeamId} ${fromTeamId ? sql`and team_id = ${fromTeamId}` : sql``}
      returning team_id as "teamId"`),
  );
  await placeWithTeam(scope, personId, toTeamId);
  await audit(scope, {
    action: 'update',
    subjectType: auditSubject.teamPerson,
    subjectId: toTeamId,
    subjectPersonId: personId,
    detail: { from: ended.map((row) => row.teamId) },
  });
  return true;
}

/** The people a team supports now, paged, by name. */
export async function peopleOfTeam(
  scope: Scope,
  teamId: string,
  options: { limit?: number; offset?: number } = {},
): Promise<{ personId: string; calledName: string; since: Date }[]> {
  if (!isUuid(teamId)) return [];
  const rows = await rowsOf<{ personId: string; calledName: string; since: Date }>(
    scope.tx.execute(sql`select tp.person_id as "personId", p.called_name as "calledName", tp.since
      from team_person tp join person p on p.id = tp.person_id
      where tp.organisation_id = ${scope.organisationId} and tp.team_id = ${teamId} and tp.until is null
      order by lower(p.called_name), tp.person_id
      limit ${options.limit ?? 100} offset ${options.offset ?? 0}`),
  );
  return rows.map((row) => ({ ...row, since: new Date(row.since) }));
}

/**
 * The people `viewerId` may reach through their teams, as a subquery of person ids for a module's own
 * `person_id in (…)`: the people of the teams they coach or lead, and, for a lead, anyone not yet with
 * any team. It follows the indexes, so it costs the same however large the organisation.
 */
export function reachableBy(scope: Scope, viewerId: string): SQL {
  return sql`(
    select tp.person_id from team_person tp
      join team_member tm on tm.team_id = tp.team_id and tm.until is null and tm.role in ('coach', 'lead')
    where tp.organisation_id = ${scope.organisationId} and tp.until is null and tm.person_id = ${viewerId}
    union
    select m.person_id from membership m
    where m.organisation_id = ${scope.organisationId} and m.role = 'person'
      and exists (select 1 from membership l where l.organisation_id = ${scope.organisationId}
        and l.person_id = ${viewerId} and l.role = 'lead')
      and not exists (select 1 from team_person tp2 where tp2.person_id = m.person_id and tp2.until is null))`;
}

/** May this member of staff reach this person's record through their teams? (Anyone reaches their own.) */
export async function canReach(scope: Scope, viewerId: string, personId: string): Promise<boolean> {
  if (!isUuid(personId) || !isUuid(viewerId)) return false;
  if (viewerId === personId) return true;
  const [row] = await rowsOf<{ reached: boolean }>(
    scope.tx.execute(sql`select ${personId}::uuid in ${reachableBy(scope, viewerId)} as reached`),
  );
  return Boolean(row?.reached);
}

/**
 * The leads who would decide about this person: those of the teams the person is with or, for someone
 * not yet with any team, every lead of the organisation (any of them may place them).
 */
export async function leadsFor(scope: Scope, personId: string): Promise<string[]> {
  const rows = await rowsOf<{ personId: string }>(
    scope.tx.execute(sql`select distinct tm.person_id as "personId"
      from team_person tp join team_member tm on tm.team_id = tp.team_id and tm.until is null and tm.role = 'lead'
      where tp.organisation_id = ${scope.organisationId} and tp.person_id = ${personId} and tp.until is null
      union
      select distinct l.person_id from membership l
      where l.organisation_id = ${scope.organisationId} and l.role = 'lead'
        and not exists (select 1 from team_person tp2 where tp2.organisation_id = ${scope.organisationId}
          and tp2.person_id = ${personId} and tp2.until is null)`),
  );
  return rows.map((row) => row.personId);
}

/** Everyone here with one of these roles now (for news meant for the whole organisation's staff). */
export async function everyoneWithRole(scope: Scope, roles: readonly Role[]): Promise<string[]> {
  const rows = await rowsOf<{ personId: string }>(
    scope.tx.execute(sql`select distinct person_id as "personId" from membership
      where organisation_id = ${scope.organisationId} and role in (${sql.join(
        roles.map((role) => sql`${role}`),
        sql`, `,
      )})`),
  );
  return rows.map((row) => row.personId);
}

/** Team members (staff) of the teams `personId` is in, for "the team" of check-ins and spaces. */
export async function teamMatesOf(scope: Scope, personId: string): Promise<string[]> {
  const rows = await rowsOf<{ personId: string }>(
    scope.tx.execute(sql`select distinct other.person_id as "personId"
      from team_member mine join team_member other on other.team_id = mine.team_id and other.until is null
      where mine.organisation_id = ${scope.organisationId} and mine.person_id = ${personId} and mine.until is null`),
  );
  return rows.map((row) => row.personId);
}

const teamRoleOf: Partial<Record<Role, TeamRole>> = { coach: 'coach', lead: 'lead', peer: 'peer' };

/**
 * When someone is given a role and the organisation has one team, they join it in that role (staff) or
 * are with it (a person supported): an organisation with one team never has to think about teams.
 */
export async function joinOnlyTeam(scope: Scope, personId: string, role: Role): Promise<void> {
  const only = await onlyTeam(scope);
  if (!only) return;
  const teamRole = teamRoleOf[role];
  if (teamRole) await addToTeam(scope, only.id, personId, teamRole);
  else if (role === 'person') await placeWithTeam(scope, personId, only.id);
}

/** A role taken away ends the team places it gave; the rows stay, ended, as history. */
export async function leaveTeamsForRole(scope: Scope, personId: string, role: Role): Promise<void> {
  const teamRole = teamRoleOf[role];
  if (teamRole) {
    await scope.tx.execute(sql`update team_member set until = now()
      where organisation_id = ${scope.organisationId} and person_id = ${personId} and role = ${teamRole}
        and until is null`);
  }
}

/** Is this person a coach or lead, now, in any of these teams? */
export async function coachesInAny(scope: Scope, personId: string, teamIds: string[]): Promise<boolean> {
  const ids = teamIds.filter(isUuid);
  if (!isUuid(personId) || ids.length === 0) return false;
  const [row] = await rowsOf<{ yes: boolean }>(
    scope.tx.execute(sql`select exists (select 1 from team_member where organisation_id = ${scope.organisationId}
      and person_id = ${personId} and until is null and role in ('coach', 'lead')
      and team_id in (${sql.join(
        ids.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})) as yes`),
  );
  return Boolean(row?.yes);
}
