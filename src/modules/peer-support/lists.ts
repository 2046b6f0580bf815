import { sql } from 'drizzle-orm';
import { audit } from '../../core/audit.ts';
import { rowsOf, type Scope } from '../../core/database/tenancy.ts';
import { defaultWeights, type Weights } from './matching/index.ts';
import { auditSubject } from './words.ts';

/**
 * The organisation's own lists: experience tags, training modules and levels (with the training each
 * needs), places with their centres, and matching settings. Each starts from sensible defaults the
 * first time it is read, and keeps its key on a rename so matching and figures keep their meaning.
 */

export interface Named {
  key: string;
  name: string;
  nameCy: string | null;
}
export interface TrainingModule extends Named {
  sessionsNeeded: number;
}
export interface Level extends Named {
  rank: number;
  suits: string[];
  needsTraining: string[];
}

export const defaultTags: [string, string, string][] = [
  ['neonatal', 'a neonatal stay', 'arhosiad newyddenedigol'],
  ['postnatal-depression', 'postnatal depression', 'iselder ôl-enedigol'],
  ['single-parent', 'bringing up children alone', 'magu plant ar eich pen eich hun'],
  ['money-worries', 'money worries', 'pryderon ariannol'],
  ['new-to-the-area', 'moving to a new area', 'symud i ardal newydd'],
  ['additional-needs', 'a child with additional needs', 'plentyn ag anghenion ychwanegol'],
  ['twins', 'twins or more', 'gefeilliaid neu fwy'],
  ['bereavement', 'losing someone close', 'colli rhywun agos'],
];

export const defaultModules: [string, string, string, number][] = [
  ['welcome', 'Welcome and keeping people safe', 'Croeso a chadw pobl yn ddiogel', 2],
  ['listening', 'Listening well', 'Gwrando’n dda', 3],
  ['boundaries', 'Boundaries and looking after yourself', 'Ffiniau a gofalu amdanoch chi’ch hun', 2],
  ['mentoring', 'Supporting other peers', 'Cefnogi cymheiriaid eraill', 3],
];

export const defaultLevels: [string, string, string, string[], string[]][] = [
  ['meeter-greeter', 'Meeter-Greeter', 'Croesawydd', ['first-meeting'], ['welcome']],
  ['buddy', 'Buddy', 'Cyfaill', ['practical', 'emotional'], ['welcome', 'listening', 'boundaries']],
  ['mentor', 'Mentor', 'Mentor', ['everything'], ['welcome', 'listening', 'boundaries', 'mentoring']],
];

export function nameIn(language: string, item: Named): string {
  return (language === 'cy' && item.nameCy) || item.name;
}

async function ensureLists(scope: Scope) {
  const [row] = await rowsOf<{ n: number }>(
    scope.tx.execute(
      sql`select count(*)::int as n from peer_level where organisation_id = ${scope.organisationId}`,
    ),
  );
  if (row!.n > 0) return;
  for (const [index, [key, name, nameCy]] of defaultTags.entries())
    await scope.tx.execute(sql`insert into peer_experience_tag (organisation_id, key, name, name_cy, position)
      values (${scope.organisationId}, ${key}, ${name}, ${nameCy}, ${index * 10}) on conflict do nothing`);
  for (const [index, [key, name, nameCy, sessions]] of defaultModules.entries())
    await scope.tx.execute(sql`insert into peer_training_module (organisation_id, key, name, name_cy, sessions_needed, position)
      values (${scope.organisationId}, ${key}, ${name}, ${nameCy}, ${sessions}, ${index * 10}) on conflict do nothing`);
  for (const [index, [key, name, nameCy, suits, needs]] of defaultLevels.entries())
    await scope.tx.execute(sql`insert into peer_level (organisation_id, key, name, name_cy, rank, suits, needs_training)
      values (${scope.organisationId}, ${key}, ${name}, ${nameCy}, ${index + 1}, ${JSON.stringify(suits)}::jsonb,
        ${JSON.stringify(needs)}::jsonb) on conflict do nothing`);
}

export async function listTags(scope: Scope): Promise<Named[]> {
  await ensureLists(scope);
  return rowsOf<Named>(
    scope.tx.execute(sql`select key, name, name_cy as "nameCy" from peer_experience_tag
      where organisation_id = ${scope.organisationId} order by position, name`),
  );
}

/** Adds a tag to the organisation's list; false when one of that name is already there. */
export async function addTag(scope: Scope, name: string, nameCy: string | null): Promise<boolean> {
  await ensureLists(scope);
  const base = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50);
  const key = `${base || 'tag'}-${crypto.randomUUID().slice(0, 4)}`;
  const existing = await rowsOf<{ key: string }>(
    scope.tx.execute(sql`select key from peer_experience_tag where organisation_id = ${scope.organisationId}
      and lower(name) = lower(${name})`),
  );
  if (existing.length) return false;
  await scope.tx.execute(sql`insert into peer_experience_tag (organisation_id, key, name, name_cy, position)
    values (${scope.organisationId}, ${key}, ${name}, ${nameCy}, 1000)`);
  await audit(scope, { action: 'create', subjectType: auditSubject.settings, detail: { fields: ['tag'] } });
  return true;
}

export async function listModules(scope: Scope): Promise<TrainingModule[]> {
  await ensureLists(scope);
  return rowsOf<TrainingModule>(
    scope.tx.execute(sql`select key, name, name_cy as "nameCy", sessions_needed as "sessionsNeeded"
      from peer_training_module where organisation_id = ${scope.organisationId} order by position, name`),
  );
}

export async function listLevels(scope: Scope): Promise<Level[]> {
  await ensureLists(scope);
  return rowsOf<Level>(
    scope.tx.execute(sql`select key, name, name_cy as "nameCy", rank, suits, needs_training as "needsTraining"
      from peer_level where organisation_id = ${scope.organisationId} order by rank`),
  );
}

export interface Place {
  name: string;
  lat: number;
  lon: number;
}

export async function listPlaces(scope: Scope): Promise<Place[]> {
  return rowsOf<Place>(
    scope.tx.execute(sql`select name, lat, lon from peer_place where organisation_id = ${scope.organisationId}
      order by name`),
  );
}

export async function addPlace(scope: Scope, place: Place) {
  await scope.tx.execute(sql`insert into peer_place (organisation_id, name, lat, lon)
    values (${scope.organisationId}, ${place.name}, ${place.lat}, ${place.lon})
    on conflict (organisation_id, lower(name)) do update set lat = excluded.lat, lon = excluded.lon`);
}

export interface PeerSettings {
  weights: Weights;
  reviewEveryWeeks: number;
}

export async function settingsOf(scope: Scope): Promise<PeerSettings> {
  const [row] = await rowsOf<{ weights: Partial<Weights>; reviewEveryWeeks: number }>(
    scope.tx.execute(sql`select weights, review_every_weeks as "reviewEveryWeeks" from peer_settings
      where organisation_id = ${scope.organisationId}`),
  );
  return {
    weights: { ...defaultWeights, ...(row?.weights ?? {}) },
    reviewEveryWeeks: row?.reviewEveryWeeks ?? 10,
  };
}

export async function saveSettings(scope: Scope, settings: PeerSettings) {
  await scope.tx.execute(sql`insert into peer_settings (organisation_id, weights, review_every_weeks)
    values (${scope.organisationId}, ${JSON.stringify(settings.weights)}::jsonb, ${settings.reviewEveryWeeks})
    on conflict (organisation_id) do update set weights = excluded.weights,
      review_every_weeks = excluded.review_every_weeks, updated_at = now()`);
  await audit(scope, {
    action: 'update',
    subjectType: auditSubject.settings,
    detail: { fields: ['weights', 'reviewEveryWeeks'] },
  });
}

function keyFor(name: string, fallback: string): string {
  const base = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50);
  return `${base || fallback}-${crypto.randomUUID().slice(0, 4)}`;
}

/** Adds a training module; false when one of that name is already there. */
export async function addModule(
  scope: Scope,
  module: { name: string; nameCy: string | null; sessionsNeeded: number },
): Promise<boolean> {
  await ensureLists(scope);
  const existing = await rowsOf<{ key: string }>(
    scope.tx.execute(sql`select key from peer_training_module where organisation_id = ${scope.organisationId}
      and lower(name) = lower(${module.name})`),
  );
  if (existing.length) return false;
  await scope.tx.execute(sql`insert into peer_training_module (organisation_id, key, name, name_cy, sessions_needed, position)
    values (${scope.organisationId}, ${keyFor(module.name, 'module')}, ${module.name}, ${module.nameCy},
      ${module.sessionsNeeded}, 1000)`);
  await audit(scope, {
    action: 'create',
    subjectType: auditSubject.settings,
    detail: { fields: ['trainingModule'] },
  });
  return true;
}

/**
 * Renames a level and sets the training it needs (only modules the organisation has). Peers already at
 * the level keep it: a level records what someone has done, and is never taken away by a setting.
 */
export async function updateLevel(
  scope: Scope,
  key: string,
  level: { name: string; nameCy: string | null; needsTraining: string[] },
): Promise<boolean> {
  const known = new Set((await listModules(scope)).map((module) => module.key));
  const rows = await rowsOf<{ key: string }>(
    scope.tx.execute(sql`update peer_level set name = ${level.name}, name_cy = ${level.nameCy},
        needs_training = ${JSON.stringify(level.needsTraining.filter((k) => known.has(k)))}::jsonb
      where organisation_id = ${scope.organisationId} and key = ${key} returning key`),
  );
  if (!rows.length) return false;
  await audit(scope, { action: 'update', subjectType: auditSubject.settings, detail: { fields: ['level'] } });
  return true;
}

/** Adds a level above the others, suiting the kinds of support given (or everything). */
export async function addLevel(
  scope: Scope,
  level: { name: string; nameCy: string | null; suits: string[]; needsTraining: string[] },
): Promise<boolean> {
  const levels = await listLevels(scope);
  if (levels.length >= 20 || levels.some((l) => l.name.toLowerCase() === level.name.toLowerCase()))
    return false;
  const known = new Set((await listModules(scope)).map((module) => module.key));
  await scope.tx.execute(sql`insert into peer_level (organisation_id, key, name, name_cy, rank, suits, needs_training)
    values (${scope.organisationId}, ${keyFor(level.name, 'level')}, ${level.name}, ${level.nameCy},
      ${(levels.at(-1)?.rank ?? 0) + 1}, ${JSON.stringify(level.suits)}::jsonb,
      ${JSON.stringify(level.needsTraining.filter((k) => known.has(k)))}::jsonb)`);
  await audit(scope, { action: 'create', subjectType: auditSubject.settings, detail: { fields: ['level'] } });
  return true;
}
