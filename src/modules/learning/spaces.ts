import { sql } from 'drizzle-orm';
import { audit } from '../../core/audit.ts';
import { rowsOf, type Scope } from '../../core/database/tenancy.ts';
import { teamsOfStaff } from '../../core/teams.ts';
import { isUuid } from '../../core/tokens.ts';
import { auditSubject, like } from './shared.tsx';

/** Reflective spaces: a series that recurs (every two weeks unless chosen otherwise) and its dates. */

export interface Series {
  id: string;
  name: string;
  everyDays: number;
  minutes: number;
  place: string;
  /** The team it is for; null for the whole organisation. */
  teamId: string | null;
  createdAt: Date;
}

export interface Space {
  id: string;
  seriesId: string;
  startsAt: Date;
}

/** How many dates are planned at a time; "plan more" adds as many again. */
export const datesPlanned = 6;

const seriesColumns = sql`id, name, every_days as "everyDays", minutes, place, team_id as "teamId",
  created_at as "createdAt"`;
const seriesOf = (row: Series): Series => ({ ...row, createdAt: new Date(row.createdAt) });
const spaceOf = (row: Space): Space => ({ ...row, startsAt: new Date(row.startsAt) });

/** The series for someone: their teams' and the whole organisation's. */
export async function listSeries(scope: Scope, forPersonId: string): Promise<Series[]> {
  const teams = (await teamsOfStaff(scope, forPersonId)).map((place) => place.team.id);
  const rows = await rowsOf<Series>(
    scope.tx.execute(sql`select ${seriesColumns} from learning_space_series
      where team_id is null ${
        teams.length
          ? sql`or team_id in (${sql.join(
              teams.map((id) => sql`${id}::uuid`),
              sql`, `,
            )})`
          : sql``
      }
      order by name, id`),
  );
  return rows.map(seriesOf);
}

/** Is this series one for this person: the whole organisation's, or one of their teams'? */
export async function seriesIsFor(scope: Scope, series: Series, personId: string): Promise<boolean> {
  if (!series.teamId) return true;
  return (await teamsOfStaff(scope, personId)).some((place) => place.team.id === series.teamId);
}

export async function findSeries(scope: Scope, seriesId: string): Promise<Series | null> {
  if (!isUuid(seriesId)) return null;
  const [row] = await rowsOf<Series>(
    scope.tx.execute(sql`select ${seriesColumns} from learning_space_series where id = ${seriesId}`),
  );
  return row ? seriesOf(row) : null;
}

/**
 * Starts a series. The first date and time are read as UK time by the database (which knows when the
 * clocks change), and each later date keeps the same time of day in UK time.
 */
export async function createSeries(
  scope: Scope,
  input: {
    name: string;
    firstDate: string;
    time: string;
    everyDays: number;
    minutes: number;
    place: string;
    teamId?: string | null;
  },
): Promise<string> {
  const [row] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`insert into learning_space_series (organisation_id, name, every_days, minutes, place,
      created_by_person_id, team_id)
      values (${scope.organisationId}, ${input.name}, ${input.everyDays}, ${input.minutes}, ${input.place},
        ${scope.actorPersonId}, ${input.teamId ?? null}) returning id`),
  );
  const seriesId = row!.id;
  await scope.tx.execute(sql`insert into learning_space (organisation_id, series_id, starts_at)
    select ${scope.organisationId}, ${seriesId},
      ((${input.firstDate}::date + (n * ${input.everyDays})) + ${input.time}::time) at time zone 'Europe/London'
    from generate_series(0, ${datesPlanned - 1}) as n`);
  await audit(scope, {
    action: 'create',
    subjectType: auditSubject.series,
    subjectId: seriesId,
    detail: { fields: ['name', 'everyDays', 'minutes', 'place'] },
  });
  return seriesId;
}

/** Adds the next few dates after the last one planned. */
export async function planMore(scope: Scope, series: Series): Promise<void> {
  await scope.tx.execute(sql`insert into learning_space (organisation_id, series_id, starts_at)
    select ${scope.organisationId}, ${series.id},
      ((last.local::date + (n * ${series.everyDays})) + last.local::time) at time zone 'Europe/London'
    from (select max(starts_at) at time zone 'Europe/London' as local from learning_space
      where series_id = ${series.id}) last, generate_series(1, ${datesPlanned}) as n
    on conflict do nothing`);
  await audit(scope, {
    action: 'update',
    subjectType: auditSubject.series,
    subjectId: series.id,
    detail: { fields: ['dates'] },
  });
}

export async function listSpaces(scope: Scope, seriesId: string): Promise<Space[]> {
  const rows = await rowsOf<Space>(
    scope.tx.execute(sql`select id, series_id as "seriesId", starts_at as "startsAt" from learning_space
      where series_id = ${seriesId} order by starts_at`),
  );
  return rows.map(spaceOf);
}

/**
 * The dates between two moments of every series that is for this person (their teams' and the whole
 * organisation's), with their series, soonest first and at most `limit`.
 */
export async function spacesBetween(
  scope: Scope,
  window: { from: Date; to: Date; limit: number },
  forPersonId: string,
): Promise<{ space: Space; series: Series }[]> {
  const teams = (await teamsOfStaff(scope, forPersonId)).map((place) => place.team.id);
  const rows = await rowsOf<Space & { series: Series }>(
    scope.tx.execute(sql`select s.id, s.series_id as "seriesId", s.starts_at as "startsAt",
        json_build_object('id', r.id, 'name', r.name, 'everyDays', r.every_days, 'minutes', r.minutes,
          'place', r.place, 'teamId', r.team_id, 'createdAt', r.created_at) as series
      from learning_space s join learning_space_series r on r.id = s.series_id
      where s.starts_at >= ${window.from.toISOString()}::timestamptz and s.starts_at < ${window.to.toISOString()}::timestamptz
        and (r.team_id is null ${
          teams.length
            ? sql`or r.team_id in (${sql.join(
                teams.map((id) => sql`${id}::uuid`),
                sql`, `,
              )})`
            : sql``
        })
      order by s.starts_at, s.id limit ${window.limit}`),
  );
  return rows.map(({ series, ...space }) => ({ space: spaceOf(space), series: seriesOf(series) }));
}

/** Every space starting between two moments, whoever it is for (the morning reminder), soonest first. */
export async function spacesStarting(
  scope: Scope,
  window: { from: Date; to: Date },
): Promise<{ space: Space; series: Series }[]> {
  const rows = await rowsOf<Space & { series: Series }>(
    scope.tx.execute(sql`select s.id, s.series_id as "seriesId", s.starts_at as "startsAt",
        json_build_object('id', r.id, 'name', r.name, 'everyDays', r.every_days, 'minutes', r.minutes,
          'place', r.place, 'teamId', r.team_id, 'createdAt', r.created_at) as series
      from learning_space s join learning_space_series r on r.id = s.series_id
      where s.organisation_id = ${scope.organisationId}
        and s.starts_at >= ${window.from.toISOString()}::timestamptz and s.starts_at < ${window.to.toISOString()}::timestamptz
      order by s.starts_at, s.id limit 500`),
  );
  return rows.map(({ series, ...space }) => ({ space: spaceOf(space), series: seriesOf(series) }));
}

export async function findSpace(scope: Scope, spaceId: string): Promise<Space | null> {
  if (!isUuid(spaceId)) return null;
  const [row] = await rowsOf<Space>(
    scope.tx.execute(sql`select id, series_id as "seriesId", starts_at as "startsAt" from learning_space
      where id = ${spaceId}`),
  );
  return row ? spaceOf(row) : null;
}

/** Where this space's agenda starts gathering from: the space before it, or one interval before. */
export async function agendaWindow(
  scope: Scope,
  series: Series,
  space: Space,
): Promise<{ from: Date; to: Date }> {
  const [previous] = await rowsOf<{ startsAt: string }>(
    scope.tx.execute(sql`select starts_at as "startsAt" from learning_space
      where series_id = ${series.id} and starts_at < ${space.startsAt.toISOString()}::timestamptz
      order by starts_at desc limit 1`),
  );
  const from = previous
    ? new Date(previous.startsAt)
    : new Date(space.startsAt.getTime() - series.everyDays * 86_400_000);
  return { from, to: space.startsAt };
}

/** Challenges for the agenda: raised since the space before, or taken to this series and not yet settled. */
export async function agendaChallengeIds(
  scope: Scope,
  series: Series,
  window: { from: Date; to: Date },
): Promise<string[]> {
  const rows = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`select id from learning_challenge
      where raised_at <= ${window.to.toISOString()}::timestamptz and (
        raised_at > ${window.from.toISOString()}::timestamptz
        or (series_id = ${series.id} and status in ('waiting', 'heard', 'acting')))
      order by raised_at`),
  );
  return rows.map((row) => row.id);
}

export interface Topic {
  id: string;
  words: string;
  raisedByPersonId: string | null;
  raisedAt: Date;
}

export async function raiseTopic(scope: Scope, seriesId: string, words: string): Promise<void> {
  const [row] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`insert into learning_topic (organisation_id, series_id, raised_by_person_id, words)
      values (${scope.organisationId}, ${seriesId}, ${scope.actorPersonId}, ${words}) returning id`),
  );
  await audit(scope, {
    action: 'create',
    subjectType: auditSubject.topic,
    subjectId: row!.id,
    subjectPersonId: scope.actorPersonId,
    detail: { fields: ['words'] },
  });
}

export async function agendaTopics(
  scope: Scope,
  seriesId: string,
  window: { from: Date; to: Date },
): Promise<Topic[]> {
  const rows = await rowsOf<Topic>(
    scope.tx.execute(sql`select id, words, raised_by_person_id as "raisedByPersonId", raised_at as "raisedAt"
      from learning_topic where series_id = ${seriesId}
        and raised_at > ${window.from.toISOString()}::timestamptz and raised_at <= ${window.to.toISOString()}::timestamptz
      order by raised_at`),
  );
  return rows.map((row) => ({ ...row, raisedAt: new Date(row.raisedAt) }));
}

export async function attendance(scope: Scope, spaceId: string): Promise<string[]> {
  const rows = await rowsOf<{ personId: string }>(
    scope.tx.execute(
      sql`select person_id as "personId" from learning_attendance where space_id = ${spaceId}`,
    ),
  );
  // Who came is about each of them, so each can see that it was looked at.
  await audit(scope, {
    action: 'read',
    subjectType: auditSubject.space,
    subjectId: spaceId,
    detail: { fields: ['attendance'], people: rows.map((row) => row.personId) },
  });
  return rows.map((row) => row.personId);
}

export async function recordAttendance(scope: Scope, space: Space, personIds: string[]): Promise<void> {
  await scope.tx.execute(sql`delete from learning_attendance where space_id = ${space.id}`);
  for (const personId of personIds)
    await scope.tx.execute(sql`insert into learning_attendance (organisation_id, space_id, person_id)
      values (${scope.organisationId}, ${space.id}, ${personId})`);
  await audit(scope, {
    action: 'update',
    subjectType: auditSubject.space,
    subjectId: space.id,
    detail: { fields: ['attendance'], people: personIds },
  });
}

export interface Action {
  id: string;
  seriesId: string;
  agreedAtSpaceId: string | null;
  what: string;
  whoPersonId: string | null;
  dueOn: string | null;
  doneAt: Date | null;
  createdAt: Date;
}

const actionColumns = sql`id, series_id as "seriesId", agreed_at_space_id as "agreedAtSpaceId", what,
  who_person_id as "whoPersonId", to_char(due_on, 'YYYY-MM-DD') as "dueOn", done_at as "doneAt", created_at as "createdAt"`;
const actionOf = (row: Action): Action => ({
  ...row,
  doneAt: row.doneAt ? new Date(row.doneAt) : null,
  createdAt: new Date(row.createdAt),
});

export async function agreeAction(
  scope: Scope,
  space: Space,
  input: { what: string; whoPersonId: string | null; dueOn: string | null },
): Promise<void> {
  const [row] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`insert into learning_action (organisation_id, series_id, agreed_at_space_id, what,
      who_person_id, due_on)
      values (${scope.organisationId}, ${space.seriesId}, ${space.id}, ${input.what}, ${input.whoPersonId},
        ${input.dueOn}::date) returning id`),
  );
  await audit(scope, {
    action: 'create',
    subjectType: auditSubject.action,
    subjectId: row!.id,
    subjectPersonId: input.whoPersonId,
    detail: { fields: ['what', 'who', 'dueOn'] },
  });
}

/**
 * The actions a space looks at: those agreed at it, and those agreed earlier in the series that were
 * not done before it started. So an action is carried to each next space until it is done.
 */
export async function actionsFor(scope: Scope, space: Space): Promise<Action[]> {
  const rows = await rowsOf<Action>(
    scope.tx.execute(sql`select ${actionColumns} from learning_action a
      where a.series_id = ${space.seriesId} and (
        a.agreed_at_space_id = ${space.id}
        or (a.agreed_at_space_id in (select id from learning_space where series_id = ${space.seriesId}
              and starts_at < ${space.startsAt.toISOString()}::timestamptz)
            and (a.done_at is null or a.done_at >= ${space.startsAt.toISOString()}::timestamptz)))
      order by a.created_at, a.id`),
  );
  return rows.map(actionOf);
}

export async function findAction(scope: Scope, actionId: string): Promise<Action | null> {
  if (!isUuid(actionId)) return null;
  const [row] = await rowsOf<Action>(
    scope.tx.execute(sql`select ${actionColumns} from learning_action where id = ${actionId}`),
  );
  return row ? actionOf(row) : null;
}

export async function markActionDone(scope: Scope, action: Action): Promise<void> {
  await scope.tx.execute(
    sql`update learning_action set done_at = now() where id = ${action.id} and done_at is null`,
  );
  await audit(scope, {
    action: 'update',
    subjectType: auditSubject.action,
    subjectId: action.id,
    subjectPersonId: action.whoPersonId,
    detail: { fields: ['doneAt'] },
  });
}

export const entryKinds = ['idea', 'experience', 'practice', 'story'] as const;
export type EntryKind = (typeof entryKinds)[number];

export interface Entry {
  id: string;
  kind: EntryKind;
  spaceId: string | null;
  challengeId: string | null;
  ideaId: string | null;
  writtenByPersonId: string | null;
  title: string;
  words: string;
  hasImage: boolean;
  imageDescription: string;
  writtenAt: Date;
}

const entryColumns = sql`id, kind, space_id as "spaceId", challenge_id as "challengeId", idea_id as "ideaId",
  written_by_person_id as "writtenByPersonId", title, words, image is not null as "hasImage",
  image_description as "imageDescription", written_at as "writtenAt"`;
const entryOf = (row: Entry): Entry => ({ ...row, writtenAt: new Date(row.writtenAt) });

export async function writeEntry(
  scope: Scope,
  input: {
    kind: EntryKind;
    spaceId: string | null;
    challengeId: string | null;
    ideaId: string | null;
    title: string;
    words: string;
    image: { bytes: Uint8Array; type: string; description: string } | null;
  },
): Promise<string> {
  const [row] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`insert into learning_entry (organisation_id, kind, space_id, challenge_id, idea_id,
      written_by_person_id, title, words, image, image_type, image_description)
      values (${scope.organisationId}, ${input.kind}, ${input.spaceId}, ${input.challengeId}, ${input.ideaId},
        ${scope.actorPersonId}, ${input.title}, ${input.words}, ${input.image ? Buffer.from(input.image.bytes) : null},
        ${input.image?.type ?? null}, ${input.image?.description ?? ''}) returning id`),
  );
  await audit(scope, {
    action: 'create',
    subjectType: auditSubject.entry,
    subjectId: row!.id,
    subjectPersonId: scope.actorPersonId,
    detail: { fields: ['kind', 'title', 'words', ...(input.image ? ['image'] : [])] },
  });
  return row!.id;
}

export async function searchEntries(
  scope: Scope,
  filter: { words?: string; kind?: EntryKind; spaceId?: string; ideaId?: string; challengeId?: string } = {},
): Promise<Entry[]> {
  const conditions = [sql`true`];
  if (filter.kind) conditions.push(sql`kind = ${filter.kind}`);
  if (filter.spaceId) conditions.push(sql`space_id = ${filter.spaceId}`);
  if (filter.ideaId) conditions.push(sql`idea_id = ${filter.ideaId}`);
  if (filter.challengeId) conditions.push(sql`challenge_id = ${filter.challengeId}`);
  if (filter.words?.trim()) {
    const pattern = like(filter.words.trim());
    conditions.push(
      sql`(title ilike ${pattern} or words ilike ${pattern} or image_description ilike ${pattern})`,
    );
  }
  const rows = await rowsOf<Entry>(
    scope.tx.execute(sql`select ${entryColumns} from learning_entry where ${sql.join(conditions, sql` and `)}
      order by written_at desc, id limit 100`),
  );
  return rows.map(entryOf);
}

export async function findEntry(scope: Scope, entryId: string): Promise<Entry | null> {
  if (!isUuid(entryId)) return null;
  const [row] = await rowsOf<Entry>(
    scope.tx.execute(sql`select ${entryColumns} from learning_entry where id = ${entryId}`),
  );
  return row ? entryOf(row) : null;
}

export async function entryImage(
  scope: Scope,
  entryId: string,
): Promise<{ bytes: Uint8Array; type: string } | null> {
  if (!isUuid(entryId)) return null;
  const [row] = await rowsOf<{ image: Uint8Array | null; type: string | null }>(
    scope.tx.execute(sql`select image, image_type as type from learning_entry where id = ${entryId}`),
  );
  return row?.image && row.type ? { bytes: new Uint8Array(row.image), type: row.type } : null;
}

/** The kind of picture the first bytes say a file is; null for anything we do not show. */
export function imageTypeOf(bytes: Uint8Array): string | null {
  const starts = (...values: number[]) => values.every((value, index) => bytes[index] === value);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x47, 0x49, 0x46, 0x38) && (bytes[4] === 0x37 || bytes[4] === 0x39) && bytes[5] === 0x61)
    return 'image/gif';
  if (starts(0x52, 0x49, 0x46, 0x46) && [0x57, 0x45, 0x42, 0x50].every((value, i) => bytes[8 + i] === value))
    return 'image/webp';
  return null;
}

/** Pictures stay well under the app's 1 MB limit on a whole form, so the words sent with them fit too. */
export const largestImageBytes = 800 * 1024;
