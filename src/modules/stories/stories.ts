import { type SQL, sql } from 'drizzle-orm';
import { audit } from '../../core/audit.ts';
import { rowsOf, type Scope } from '../../core/database/tenancy.ts';
import type { Language } from '../../core/i18n/index.ts';
import { isUuid } from '../../core/tokens.ts';

/** Who may read a story: only its author, their coach and team, their organisation, or anyone. */
export const storyScopes = ['me', 'team', 'organisation', 'public'] as const;
export type StoryScope = (typeof storyScopes)[number];
export const versionKinds = ['own', 'anonymised'] as const;
export type VersionKind = (typeof versionKinds)[number];
export type PictureType = 'image/png' | 'image/jpeg' | 'image/webp';
export const pictureTypes: readonly PictureType[] = ['image/png', 'image/jpeg', 'image/webp'];
/** Phone photos are 2-5 MB. */
export const maxPictureBytes = 5 * 1024 * 1024;

export const auditSubject = {
  story: 'stories:story',
  picture: 'stories:picture',
  booklet: 'stories:booklet',
};
export const auditAction = { consent: 'stories:consent', withdraw: 'stories:withdraw' };

export interface StoryVersionText {
  id: string;
  kind: VersionKind;
  number: number;
  title: string;
  words: string;
}

export interface Story {
  id: string;
  authorId: string;
  helpedById: string | null;
  createdById: string | null;
  title: string;
  words: string;
  language: Language;
  /** The name readers see, or null for anonymous. */
  shownName: string | null;
  pictureType: PictureType | null;
  pictureDescription: string | null;
  pictureBytes: number | null;
  scope: StoryScope;
  shownVersion: VersionKind;
  withdrawnAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  /** The latest saved text of each version. */
  own: StoryVersionText;
  anonymised: StoryVersionText | null;
}

const at = (value: Date | string | null): Date | null => (value === null ? null : new Date(value));

const storyColumns = sql`s.id, s.author_person_id as "authorId", s.helped_by_person_id as "helpedById",
  s.created_by_person_id as "createdById", s.title, s.words, s.language, s.shown_name as "shownName",
  s.picture_type as "pictureType", s.picture_description as "pictureDescription",
  octet_length(s.picture) as "pictureBytes", s.scope, s.shown_version as "shownVersion",
  s.withdrawn_at as "withdrawnAt", s.created_at as "createdAt", s.updated_at as "updatedAt",
  (select row_to_json(v) from (select id, kind, number, title, words from story_version
     where story_id = s.id and kind = 'own' order by number desc limit 1) v) as own,
  (select row_to_json(v) from (select id, kind, number, title, words from story_version
     where story_id = s.id and kind = 'anonymised' order by number desc limit 1) v) as anonymised`;

type StoryRow = Omit<Story, 'withdrawnAt' | 'createdAt' | 'updatedAt' | 'own' | 'anonymised'> & {
  withdrawnAt: Date | string | null;
  createdAt: Date | string;
  updatedAt: Date | string;
  own: StoryVersionText | string;
  anonymised: StoryVersionText | string | null;
};

const json = <T>(value: T | string | null): T | null =>
  value === null ? null : typeof value === 'string' ? (JSON.parse(value) as T) : value;

function toStory(row: StoryRow): Story {
  return {
    ...row,
    pictureBytes: row.pictureBytes === null ? null : Number(row.pictureBytes),
    withdrawnAt: at(row.withdrawnAt),
    createdAt: at(row.createdAt)!,
    updatedAt: at(row.updatedAt)!,
    own: json<StoryVersionText>(row.own)!,
    anonymised: json<StoryVersionText>(row.anonymised),
  };
}

async function selectStories(scope: Scope, where: SQL, tail: SQL = sql``): Promise<Story[]> {
  const rows = await rowsOf<StoryRow>(
    scope.tx.execute(sql`select ${storyColumns} from story s
      where s.organisation_id = ${scope.organisationId} and ${where} ${tail}`),
  );
  return rows.map(toStory);
}

/** One story of this organisation, or null (also for another organisation's id). Callers audit the read. */
export async function findStory(scope: Scope, storyId: string): Promise<Story | null> {
  if (!isUuid(storyId)) return null;
  const [story] = await selectStories(scope, sql`s.id = ${storyId}`);
  return story ?? null;
}

/** The text readers see: the version the author chose (the anonymised one only when there is one). */
export function shownText(story: Story): StoryVersionText {
  return story.shownVersion === 'anonymised' && story.anonymised ? story.anonymised : story.own;
}

/** May a booklet for this audience, or the public page, use this story now? */
export function allowsAudience(
  story: Pick<Story, 'scope' | 'withdrawnAt'>,
  audience: 'organisation' | 'public',
) {
  if (story.withdrawnAt) return false;
  return audience === 'public'
    ? story.scope === 'public'
    : story.scope === 'organisation' || story.scope === 'public';
}

/** The author's stories, newest first (written by them or with them). */
export function storiesBy(scope: Scope, authorId: string): Promise<Story[]> {
  if (!isUuid(authorId)) return Promise.resolve([]);
  return selectStories(
    scope,
    sql`s.author_person_id = ${authorId}`,
    sql`order by s.created_at desc, s.id limit 500`,
  );
}

/** Stories a coach helped write, for their own list. */
export function storiesHelpedBy(scope: Scope, helperId: string): Promise<Story[]> {
  return selectStories(
    scope,
    sql`s.helped_by_person_id = ${helperId} and s.author_person_id <> ${helperId}`,
    sql`order by s.created_at desc, s.id limit 500`,
  );
}

/**
 * Other people's stories this person may read: shared with the organisation or anyone, or with the
 * author's team when `reachable` (people the viewer's teams reach) or `teamMates` (staff in the same
 * team as the viewer) include the author.
 */
export function storiesSharedWith(
  scope: Scope,
  viewerId: string,
  reachable: SQL,
  teamMates: string[],
): Promise<Story[]> {
  const mates = teamMates.filter(isUuid);
  return selectStories(
    scope,
    sql`s.withdrawn_at is null and s.author_person_id <> ${viewerId} and (s.scope in ('organisation', 'public')
      or (s.scope = 'team' and (s.author_person_id in ${reachable}
        ${
          mates.length
            ? sql`or s.author_person_id in (${sql.join(
                mates.map((id) => sql`${id}::uuid`),
                sql`, `,
              )})`
            : sql``
        })))`,
    sql`order by s.created_at desc, s.id limit 200`,
  );
}

/** Stories anyone may read, newest first: public and not withdrawn. */
export function publicStories(scope: Scope, limit = 100): Promise<Story[]> {
  return selectStories(
    scope,
    sql`s.scope = 'public' and s.withdrawn_at is null`,
    sql`order by s.created_at desc, s.id limit ${limit}`,
  );
}

/** Stories a booklet for this audience may use now, newest first. */
export function storiesForAudience(
  scope: Scope,
  audience: 'organisation' | 'public',
  limit = 500,
): Promise<Story[]> {
  const scopes = audience === 'public' ? sql`('public')` : sql`('organisation', 'public')`;
  return selectStories(
    scope,
    sql`s.withdrawn_at is null and s.scope in ${scopes}`,
    sql`order by s.created_at desc, s.id limit ${Math.max(0, Math.min(500, limit))}`,
  );
}

export interface PictureInput {
  type: PictureType;
  bytes: Uint8Array;
  description: string;
}

export interface StoryInput {
  title: string;
  words: string;
  language: Language;
  shownName: string | null;
}

async function addVersion(
  scope: Scope,
  storyId: string,
  kind: VersionKind,
  text: { title: string; words: string },
  savedAt: Date | null = null,
): Promise<number> {
  const [row] = await rowsOf<{ number: number }>(
    scope.tx.execute(sql`insert into story_version (organisation_id, story_id, kind, number, title, words,
        saved_by_person_id, saved_at)
      select ${scope.organisationId}, ${storyId}, ${kind}, coalesce(max(number), 0) + 1, ${text.title}, ${text.words},
        ${scope.actorPersonId}, coalesce(${savedAt?.toISOString() ?? null}::timestamptz, now())
      from story_version where story_id = ${storyId} and kind = ${kind}
      returning number`),
  );
  return Number(row!.number);
}

/**
 * A new story by `authorId`, written by the person acting (the author, or a coach helping them, who is
 * then named as having helped). It starts read by nobody but the author: only they give consent.
 */
export async function createStory(
  scope: Scope,
  authorId: string,
  input: StoryInput & { picture: PictureInput | null; createdAt?: Date },
): Promise<string> {
  const helper = scope.actorPersonId && scope.actorPersonId !== authorId ? scope.actorPersonId : null;
  const picture = input.picture ? Buffer.from(input.picture.bytes) : null;
  const when = input.createdAt?.toISOString() ?? null;
  const [row] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`insert into story (organisation_id, author_person_id, helped_by_person_id, title, words,
        language, shown_name, picture, picture_type, picture_description, created_by_person_id, created_at, updated_at)
      values (${scope.organisationId}, ${authorId}, ${helper}, ${input.title}, ${input.words}, ${input.language},
        ${input.shownName}, ${picture}, ${input.picture?.type ?? null}, ${input.picture?.description ?? null},
        ${scope.actorPersonId}, coalesce(${when}::timestamptz, now()), coalesce(${when}::timestamptz, now()))
      returning id`),
  );
  const id = row!.id;
  await addVersion(scope, id, 'own', input, input.createdAt ?? null);
  await audit(scope, {
    action: 'create',
    subjectType: auditSubject.story,
    subjectId: id,
    subjectPersonId: authorId,
    detail: { fields: ['title', 'words', ...(picture ? ['picture'] : [])], helped: helper !== null },
  });
  return id;
}

/**
 * The author's own version changed: a new numbered version when the words or title changed. The picture
 * is kept, replaced or taken away; its description can change with it.
 */
export async function updateStory(
  scope: Scope,
  story: Story,
  input: StoryInput & { picture: PictureInput | 'keep' | 'remove'; pictureDescription: string | null },
): Promise<void> {
  const fields: string[] = [];
  if (input.title !== story.own.title || input.words !== story.own.words) {
    await addVersion(scope, story.id, 'own', input);
    fields.push('title', 'words');
  }
  if (input.language !== story.language) fields.push('language');
  if (input.shownName !== story.shownName) fields.push('shownName');
  const picture =
    input.picture === 'keep'
      ? sql`picture_description = ${story.pictureType ? input.pictureDescription : null}`
      : input.picture === 'remove'
        ? sql`picture = null, picture_type = null, picture_description = null`
        : sql`picture = ${Buffer.from(input.picture.bytes)}, picture_type = ${input.picture.type},
            picture_description = ${input.picture.description}`;
  if (
    input.picture !== 'keep' ||
    (story.pictureType && input.pictureDescription !== story.pictureDescription)
  )
    fields.push('picture');
  await scope.tx.execute(sql`update story set title = ${input.title}, words = ${input.words},
      language = ${input.language}, shown_name = ${input.shownName}, ${picture}, updated_at = now()
    where organisation_id = ${scope.organisationId} and id = ${story.id}`);
  await audit(scope, {
    action: 'update',
    subjectType: auditSubject.story,
    subjectId: story.id,
    subjectPersonId: story.authorId,
    detail: { fields },
  });
}

/** A new anonymised version, in the author's words; returns its number. */
export async function saveAnonymised(
  scope: Scope,
  story: Story,
  text: { title: string; words: string },
  at: Date | null = null,
): Promise<number | null> {
  if (story.anonymised && story.anonymised.title === text.title && story.anonymised.words === text.words)
    return null;
  const number = await addVersion(scope, story.id, 'anonymised', text, at);
  await scope.tx.execute(sql`update story set updated_at = now()
    where organisation_id = ${scope.organisationId} and id = ${story.id}`);
  await audit(scope, {
    action: 'update',
    subjectType: auditSubject.story,
    subjectId: story.id,
    subjectPersonId: story.authorId,
    detail: { fields: ['anonymised'], number },
  });
  return number;
}

/**
 * The author's consent now: who may read the story and which version they see, kept with the exact
 * words the author was shown. Sharing again after withdrawing is a new consent.
 */
export async function giveConsent(
  scope: Scope,
  story: Story,
  choice: { scope: StoryScope; shownVersion: VersionKind; wording: string; language: Language; at?: Date },
): Promise<void> {
  const shown = choice.shownVersion === 'anonymised' && story.anonymised ? 'anonymised' : 'own';
  const when = choice.at?.toISOString() ?? null;
  await scope.tx.execute(sql`update story set scope = ${choice.scope}, shown_version = ${shown}, withdrawn_at = null,
      updated_at = coalesce(${when}::timestamptz, now())
    where organisation_id = ${scope.organisationId} and id = ${story.id}`);
  await scope.tx.execute(sql`insert into story_consent (organisation_id, story_id, scope, wording, language,
      given_by_person_id, given_at)
    values (${scope.organisationId}, ${story.id}, ${choice.scope}, ${choice.wording}, ${choice.language},
      ${scope.actorPersonId}, coalesce(${when}::timestamptz, now()))`);
  await audit(scope, {
    action: auditAction.consent,
    subjectType: auditSubject.story,
    subjectId: story.id,
    subjectPersonId: story.authorId,
    detail: { scope: choice.scope, shownVersion: shown },
  });
}

/**
 * Consent withdrawn: from this moment nobody but the author reads the story, no page shows it and no
 * booklet made or downloaded from now on has it. Printed copies cannot be recalled; the author is told.
 */
export async function withdrawConsent(
  scope: Scope,
  story: Story,
  choice: { wording: string; language: Language; at?: Date },
): Promise<void> {
  const when = choice.at?.toISOString() ?? null;
  await scope.tx.execute(sql`update story set scope = 'me', withdrawn_at = coalesce(${when}::timestamptz, now()),
      updated_at = coalesce(${when}::timestamptz, now())
    where organisation_id = ${scope.organisationId} and id = ${story.id}`);
  await scope.tx.execute(sql`insert into story_consent (organisation_id, story_id, scope, withdrawn, wording,
      language, given_by_person_id, given_at)
    values (${scope.organisationId}, ${story.id}, 'me', true, ${choice.wording}, ${choice.language},
      ${scope.actorPersonId}, coalesce(${when}::timestamptz, now()))`);
  await audit(scope, {
    action: auditAction.withdraw,
    subjectType: auditSubject.story,
    subjectId: story.id,
    subjectPersonId: story.authorId,
  });
}

export interface ConsentChange {
  scope: StoryScope;
  withdrawn: boolean;
  wording: string;
  language: Language;
  givenBy: string | null;
  givenAt: Date;
}

/** Every consent change of a story, oldest first. */
export async function consentHistory(scope: Scope, storyId: string): Promise<ConsentChange[]> {
  const rows = await rowsOf<ConsentChange & { givenAt: Date | string }>(
    scope.tx.execute(sql`select scope, withdrawn, wording, language, given_by_person_id as "givenBy",
        given_at as "givenAt"
      from story_consent where organisation_id = ${scope.organisationId} and story_id = ${storyId}
      order by given_at, id`),
  );
  return rows.map((row) => ({ ...row, givenAt: new Date(row.givenAt) }));
}

export interface SavedVersion extends StoryVersionText {
  savedBy: string | null;
  savedAt: Date;
}

/** Every saved text of a story, both versions, oldest first. */
export async function versionsOf(scope: Scope, storyId: string): Promise<SavedVersion[]> {
  const rows = await rowsOf<SavedVersion & { savedAt: Date | string }>(
    scope.tx.execute(sql`select id, kind, number, title, words, saved_by_person_id as "savedBy", saved_at as "savedAt"
      from story_version where organisation_id = ${scope.organisationId} and story_id = ${storyId}
      order by saved_at, kind, number`),
  );
  return rows.map((row) => ({ ...row, number: Number(row.number), savedAt: new Date(row.savedAt) }));
}

/** One saved text by its id (a booklet's), if it belongs to this organisation. */
export async function versionById(scope: Scope, versionId: string): Promise<StoryVersionText | null> {
  if (!isUuid(versionId)) return null;
  const [row] = await rowsOf<StoryVersionText>(
    scope.tx.execute(sql`select id, kind, number, title, words from story_version
      where organisation_id = ${scope.organisationId} and id = ${versionId}`),
  );
  return row ? { ...row, number: Number(row.number) } : null;
}

function toBytes(value: Uint8Array | string): Uint8Array {
  if (typeof value === 'string') return Buffer.from(value.replace(/^\\x/, ''), 'hex');
  return value;
}

/** A story's picture bytes and type, when it has one. Callers decide who may see it and audit. */
export async function pictureOf(
  scope: Scope,
  storyId: string,
): Promise<{ type: PictureType; bytes: Uint8Array } | null> {
  if (!isUuid(storyId)) return null;
  const [row] = await rowsOf<{ type: PictureType | null; bytes: Uint8Array | string | null }>(
    scope.tx.execute(sql`select picture_type as type, picture as bytes from story
      where organisation_id = ${scope.organisationId} and id = ${storyId}`),
  );
  if (!row?.type || !row.bytes) return null;
  return { type: row.type, bytes: toBytes(row.bytes) };
}
