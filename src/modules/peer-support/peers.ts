import { sql } from 'drizzle-orm';
import { audit } from '../../core/audit.ts';
import { rowsOf, type Scope } from '../../core/database/tenancy.ts';
import { giveRole } from '../../core/people.ts';
import { isUuid } from '../../core/tokens.ts';
import { listLevels, listModules } from './lists.ts';
import { type Day, days, type WeeklySlot } from './matching/index.ts';
import { auditSubject, openStages } from './words.ts';

/** A time a peer is usually free: one day, from one whole hour to a later one (24-hour clock). */
export interface FreeTime {
  day: Day;
  from: number;
  to: number;
}

export interface Profile {
  id: string;
  personId: string;
  householdId: string | null;
  words: string;
  tags: string[];
  languages: string[];
  area: string;
  availability: FreeTime[];
  capacity: number;
  supports: string[];
  levelKey: string | null;
  createdAt: Date;
}

const profileColumns = sql`id, person_id as "personId", household_id as "householdId", words, tags, languages,
  area, availability, capacity, supports, level_key as "levelKey", created_at as "createdAt"`;

/** Two free times overlap when they share a day and some hour; the form refuses that. */
export function overlappingTimes(times: readonly FreeTime[]): boolean {
  for (let i = 0; i < times.length; i++)
    for (let j = i + 1; j < times.length; j++) {
      const a = times[i]!;
      const b = times[j]!;
      if (a.day === b.day && a.from < b.to && b.from < a.to) return true;
    }
  return false;
}

/** Free times as the engine's weekly slots: morning before 12, afternoon 12 to 5, evening after 5. */
export function slotsOf(times: readonly FreeTime[]): WeeklySlot[] {
  const slots = new Set<WeeklySlot>();
  for (const time of times) {
    if (time.from < 12) slots.add(`${time.day}-morning`);
    if (time.from < 17 && time.to > 12) slots.add(`${time.day}-afternoon`);
    if (time.to > 17) slots.add(`${time.day}-evening`);
  }
  return [...slots].sort(
    (a, b) => days.indexOf(a.split('-')[0] as Day) - days.indexOf(b.split('-')[0] as Day),
  );
}

export async function profileOf(scope: Scope, personId: string): Promise<Profile | null> {
  if (!isUuid(personId)) return null;
  const [row] = await rowsOf<Profile>(
    scope.tx.execute(sql`select ${profileColumns} from peer_profile
      where organisation_id = ${scope.organisationId} and person_id = ${personId}`),
  );
  return row ?? null;
}

export async function profileById(scope: Scope, profileId: string): Promise<Profile | null> {
  if (!isUuid(profileId)) return null;
  const [row] = await rowsOf<Profile>(
    scope.tx.execute(sql`select ${profileColumns} from peer_profile
      where organisation_id = ${scope.organisationId} and id = ${profileId}`),
  );
  return row ?? null;
}

export interface ProfileSummary {
  id: string;
  personId: string;
  calledName: string;
  levelKey: string | null;
  capacity: number;
  open: number;
  minutes: number;
}

/** Every peer with how many link-ups they hold and the time they have given, for the coach team. */
export async function listProfiles(scope: Scope): Promise<ProfileSummary[]> {
  const rows = await rowsOf<ProfileSummary>(
    scope.tx.execute(sql`select p.id, p.person_id as "personId", pe.called_name as "calledName",
        p.level_key as "levelKey", p.capacity,
        (select count(*)::int from peer_link_up l where l.profile_id = p.id
          and l.stage in ('suggested', 'introduced', 'active', 'reviewed', 'paused')) as open,
        (select coalesce(sum(s.minutes), 0)::int from peer_session s join peer_link_up l on l.id = s.link_up_id
          where l.profile_id = p.id) as minutes
      from peer_profile p join person pe on pe.id = p.person_id
      where p.organisation_id = ${scope.organisationId} order by pe.called_name, p.id`),
  );
  await audit(scope, {
    action: 'read',
    subjectType: auditSubject.profile,
    detail: { people: rows.map((row) => row.personId) },
  });
  return rows;
}

export async function openLinkUpCount(scope: Scope, profileId: string): Promise<number> {
  const [row] = await rowsOf<{ n: number }>(
    scope.tx.execute(sql`select count(*)::int as n from peer_link_up where profile_id = ${profileId}
      and stage in (${sql.join(
        openStages.map((stage) => sql`${stage}`),
        sql`, `,
      )})`),
  );
  return row!.n;
}

export type ProfileInput = Pick<
  Profile,
  'words' | 'tags' | 'languages' | 'area' | 'availability' | 'capacity' | 'supports'
>;

/**
 * Saves a peer's profile in their words. Capacity below the link-ups they already hold is refused
 * (nothing changes) so nobody is dropped without a conversation.
 */
export async function saveProfile(
  scope: Scope,
  personId: string,
  input: ProfileInput,
): Promise<{ ok: true; profileId: string } | { ok: false; reason: 'capacity'; open: number }> {
  const existing = await profileOf(scope, personId);
  if (existing) {
    const open = await openLinkUpCount(scope, existing.id);
    if (input.capacity < open) return { ok: false, reason: 'capacity', open };
  }
  const [row] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`insert into peer_profile (organisation_id, person_id, words, tags, languages, area,
        availability, capacity, supports)
      values (${scope.organisationId}, ${personId}, ${input.words}, ${JSON.stringify(input.tags)}::jsonb,
        ${JSON.stringify(input.languages)}::jsonb, ${input.area}, ${JSON.stringify(input.availability)}::jsonb,
        ${input.capacity}, ${JSON.stringify(input.supports)}::jsonb)
      on conflict (organisation_id, person_id) do update set words = excluded.words, tags = excluded.tags,
        languages = excluded.languages, area = excluded.area, availability = excluded.availability,
        capacity = excluded.capacity, supports = excluded.supports, updated_at = now()
      returning id`),
  );
  await giveRole(scope, personId, 'peer');
  await audit(scope, {
    action: existing ? 'update' : 'create',
    subjectType: auditSubject.profile,
    subjectId: row!.id,
    subjectPersonId: personId,
    detail: { fields: ['words', 'tags', 'languages', 'area', 'availability', 'capacity', 'supports'] },
  });
  return { ok: true, profileId: row!.id };
}

export interface TrainingRecord {
  moduleKey: string;
  sessionsAttended: number;
  completedAt: Date | null;
}

export async function trainingOf(scope: Scope, profile: Profile): Promise<TrainingRecord[]> {
  return rowsOf<TrainingRecord>(
    scope.tx.execute(sql`select module_key as "moduleKey", sessions_attended as "sessionsAttended",
        completed_at as "completedAt"
      from peer_training where profile_id = ${profile.id} order by module_key`),
  );
}

/**
 * A coach records a training session attended; the module is complete once the peer has been to as
 * many sessions as it needs. Returns false for a module the organisation does not have.
 */
export async function recordTrainingSession(
  scope: Scope,
  profile: Profile,
  moduleKey: string,
  at = new Date(),
): Promise<boolean> {
  const module = (await listModules(scope)).find((m) => m.key === moduleKey);
  if (!module) return false;
  await scope.tx.execute(sql`insert into peer_training (organisation_id, profile_id, module_key, sessions_attended,
      completed_at, recorded_by, updated_at)
    values (${scope.organisationId}, ${profile.id}, ${moduleKey}, 1,
      ${module.sessionsNeeded <= 1 ? at.toISOString() : null}, ${scope.actorPersonId}, ${at.toISOString()})
    on conflict (profile_id, module_key) do update set
      sessions_attended = least(peer_training.sessions_attended + 1, 100),
      completed_at = coalesce(peer_training.completed_at,
        case when peer_training.sessions_attended + 1 >= ${module.sessionsNeeded} then ${at.toISOString()}::timestamptz end),
      recorded_by = excluded.recorded_by, updated_at = excluded.updated_at`);
  await audit(scope, {
    action: 'update',
    subjectType: auditSubject.training,
    subjectId: profile.id,
    subjectPersonId: profile.personId,
    detail: { fields: ['sessionsAttended'], module: moduleKey },
  });
  return true;
}

export type LevelChange =
  | { ok: true }
  | { ok: false; reason: 'unknown' | 'notNext'; missing?: undefined }
  | { ok: false; reason: 'training'; missing: string[] };

/**
 * A coach confirms a move up to the next level, only with all of that level's training complete.
 * Moving a peer back down is not done here: levels record what someone has done, not a ranking.
 */
export async function confirmLevel(
  scope: Scope,
  profile: Profile,
  levelKey: string,
  at = new Date(),
): Promise<LevelChange> {
  const levels = await listLevels(scope);
  const target = levels.find((level) => level.key === levelKey);
  if (!target) return { ok: false, reason: 'unknown' };
  const current = levels.find((level) => level.key === profile.levelKey);
  const nextRank = current ? current.rank + 1 : levels[0]!.rank;
  if (target.rank !== nextRank) return { ok: false, reason: 'notNext' };
  const done = new Set(
    (await trainingOf(scope, profile))
      .filter((record) => record.completedAt)
      .map((record) => record.moduleKey),
  );
  const missing = target.needsTraining.filter((key) => !done.has(key));
  if (missing.length) return { ok: false, reason: 'training', missing };
  await scope.tx.execute(sql`update peer_profile set level_key = ${target.key}, updated_at = now()
    where id = ${profile.id}`);
  await scope.tx.execute(sql`insert into peer_level_change (organisation_id, profile_id, level_key, confirmed_by, confirmed_at)
    values (${scope.organisationId}, ${profile.id}, ${target.key}, ${scope.actorPersonId}, ${at.toISOString()})`);
  await audit(scope, {
    action: 'update',
    subjectType: auditSubject.level,
    subjectId: profile.id,
    subjectPersonId: profile.personId,
    detail: { fields: ['level'] },
  });
  return { ok: true };
}

export async function levelHistory(scope: Scope, profile: Profile) {
  return rowsOf<{ levelKey: string; confirmedAt: Date }>(
    scope.tx.execute(sql`select level_key as "levelKey", confirmed_at as "confirmedAt" from peer_level_change
      where profile_id = ${profile.id} order by confirmed_at`),
  );
}

/** Minutes given in link-up sessions: the peer's hours. */
export async function minutesGiven(scope: Scope, profile: Profile): Promise<number> {
  const [row] = await rowsOf<{ minutes: number }>(
    scope.tx.execute(sql`select coalesce(sum(s.minutes), 0)::int as minutes from peer_session s
      join peer_link_up l on l.id = s.link_up_id where l.profile_id = ${profile.id}`),
  );
  return row!.minutes;
}

export interface JourneyStep {
  id: string;
  kind: string;
  words: string;
  reachedOn: string | null;
  createdAt: Date;
}

export async function journeyOf(scope: Scope, profile: Profile): Promise<JourneyStep[]> {
  return rowsOf<JourneyStep>(
    scope.tx.execute(sql`select id, kind, words, to_char(reached_on, 'YYYY-MM-DD') as "reachedOn",
        created_at as "createdAt"
      from peer_journey_step where profile_id = ${profile.id} order by created_at`),
  );
}

export async function addJourneyStep(
  scope: Scope,
  profile: Profile,
  step: { kind: string; words: string; reachedOn: string | null },
) {
  await scope.tx.execute(sql`insert into peer_journey_step (organisation_id, profile_id, kind, words, reached_on)
    values (${scope.organisationId}, ${profile.id}, ${step.kind}, ${step.words}, ${step.reachedOn})`);
  await audit(scope, {
    action: 'create',
    subjectType: auditSubject.journey,
    subjectId: profile.id,
    subjectPersonId: profile.personId,
    detail: { fields: step.reachedOn ? ['kind', 'words', 'reachedOn'] : ['kind', 'words'] },
  });
}

/** The peer says they got there; only their own steps, only once. */
export async function markReached(
  scope: Scope,
  profile: Profile,
  stepId: string,
  on: string,
): Promise<boolean> {
  if (!isUuid(stepId)) return false;
  const rows = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`update peer_journey_step set reached_on = ${on}
      where id = ${stepId} and profile_id = ${profile.id} and reached_on is null returning id`),
  );
  if (!rows.length) return false;
  await audit(scope, {
    action: 'update',
    subjectType: auditSubject.journey,
    subjectId: profile.id,
    subjectPersonId: profile.personId,
    detail: { fields: ['reachedOn'] },
  });
  return true;
}

export interface Reference {
  id: string;
  fromName: string;
  words: string;
  inCv: boolean;
}

export async function referencesOf(scope: Scope, profile: Profile): Promise<Reference[]> {
  return rowsOf<Reference>(
    scope.tx.execute(sql`select id, from_name as "fromName", words, in_cv as "inCv" from peer_reference
      where profile_id = ${profile.id} order by created_at`),
  );
}

export async function addReference(
  scope: Scope,
  profile: Profile,
  reference: { fromName: string; words: string; inCv: boolean },
) {
  await scope.tx.execute(sql`insert into peer_reference (organisation_id, profile_id, from_name, words, in_cv)
    values (${scope.organisationId}, ${profile.id}, ${reference.fromName}, ${reference.words}, ${reference.inCv})`);
  await audit(scope, {
    action: 'create',
    subjectType: auditSubject.reference,
    subjectId: profile.id,
    subjectPersonId: profile.personId,
    detail: { fields: ['fromName', 'words', 'inCv'] },
  });
}
