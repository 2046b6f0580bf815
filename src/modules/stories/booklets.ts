import { sql } from 'drizzle-orm';
import { audit } from '../../core/audit.ts';
import { rowsOf, type Scope } from '../../core/database/tenancy.ts';
import type { Language } from '../../core/i18n/index.ts';
import { isUuid } from '../../core/tokens.ts';
import {
  allowsAudience,
  auditSubject,
  findStory,
  type Story,
  type StoryVersionText,
  shownText,
  versionById,
} from './stories.ts';

export const audiences = ['organisation', 'public'] as const;
export type Audience = (typeof audiences)[number];

export interface Booklet {
  id: string;
  title: string;
  introduction: string;
  audience: Audience;
  language: Language;
  madeBy: string | null;
  madeAt: Date;
  stories: { storyId: string; versionId: string; position: number }[];
}

const bookletColumns = sql`b.id, b.title, b.introduction, b.audience, b.language, b.made_by_person_id as "madeBy",
  b.made_at as "madeAt",
  coalesce((select json_agg(json_build_object('storyId', bs.story_id, 'versionId', bs.story_version_id,
      'position', bs.position) order by bs.position, bs.story_id)
    from story_booklet_story bs where bs.booklet_id = b.id), '[]'::json) as stories`;

type BookletRow = Omit<Booklet, 'madeAt' | 'stories'> & {
  madeAt: Date | string;
  stories: Booklet['stories'] | string;
};

const toBooklet = (row: BookletRow): Booklet => ({
  ...row,
  madeAt: new Date(row.madeAt),
  stories: typeof row.stories === 'string' ? JSON.parse(row.stories) : row.stories,
});

/** Every booklet of the organisation, newest first. */
export async function listBooklets(scope: Scope): Promise<Booklet[]> {
  const rows = await rowsOf<BookletRow>(
    scope.tx.execute(sql`select ${bookletColumns} from story_booklet b
      where b.organisation_id = ${scope.organisationId} order by b.made_at desc, b.id limit 200`),
  );
  return rows.map(toBooklet);
}

export async function findBooklet(scope: Scope, bookletId: string): Promise<Booklet | null> {
  if (!isUuid(bookletId)) return null;
  const [row] = await rowsOf<BookletRow>(
    scope.tx.execute(sql`select ${bookletColumns} from story_booklet b
      where b.organisation_id = ${scope.organisationId} and b.id = ${bookletId}`),
  );
  return row ? toBooklet(row) : null;
}

/**
 * A new booklet with these stories in this order. Each story's consent is read again now, inside this
 * transaction: one withdrawn or not shared widely enough since the list was shown is left out (its id
 * is returned), and each one kept records the version of its text the author shows now.
 */
export async function makeBooklet(
  scope: Scope,
  input: {
    title: string;
    introduction: string;
    audience: Audience;
    language: Language;
    storyIds: string[];
    madeAt?: Date;
  },
): Promise<{ id: string; leftOut: string[] }> {
  const when = input.madeAt?.toISOString() ?? null;
  const [row] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`insert into story_booklet (organisation_id, title, introduction, audience, language,
        made_by_person_id, made_at)
      values (${scope.organisationId}, ${input.title}, ${input.introduction}, ${input.audience}, ${input.language},
        ${scope.actorPersonId}, coalesce(${when}::timestamptz, now()))
      returning id`),
  );
  const id = row!.id;
  const leftOut: string[] = [];
  let position = 0;
  for (const storyId of [...new Set(input.storyIds)]) {
    // Locked, so a withdrawal at the same moment waits for this booklet or is seen by it.
    const story = await lockedStory(scope, storyId);
    if (!story || !allowsAudience(story, input.audience)) {
      leftOut.push(storyId);
      continue;
    }
    position += 1;
    await scope.tx.execute(sql`insert into story_booklet_story (organisation_id, booklet_id, story_id,
        story_version_id, position)
      values (${scope.organisationId}, ${id}, ${story.id}, ${shownText(story).id}, ${position})`);
  }
  await audit(scope, {
    action: 'create',
    subjectType: auditSubject.booklet,
    subjectId: id,
    detail: { audience: input.audience, stories: position, leftOut: leftOut.length },
  });
  return { id, leftOut };
}

async function lockedStory(scope: Scope, storyId: string): Promise<Story | null> {
  if (!isUuid(storyId)) return null;
  await scope.tx.execute(sql`select id from story where organisation_id = ${scope.organisationId}
    and id = ${storyId} for update`);
  return findStory(scope, storyId);
}

export async function updateBooklet(
  scope: Scope,
  booklet: Booklet,
  input: { title: string; introduction: string },
): Promise<void> {
  await scope.tx.execute(sql`update story_booklet set title = ${input.title}, introduction = ${input.introduction}
    where organisation_id = ${scope.organisationId} and id = ${booklet.id}`);
  await audit(scope, {
    action: 'update',
    subjectType: auditSubject.booklet,
    subjectId: booklet.id,
    detail: { fields: ['title', 'introduction'] },
  });
}

/** Moves a story one place up or down in the booklet, or takes it out. */
export async function changeOrder(
  scope: Scope,
  booklet: Booklet,
  storyId: string,
  move: 'up' | 'down' | 'remove',
): Promise<boolean> {
  const order = booklet.stories.map((entry) => entry.storyId);
  const index = order.indexOf(storyId);
  if (index < 0) return false;
  if (move === 'remove') order.splice(index, 1);
  else {
    const other = move === 'up' ? index - 1 : index + 1;
    if (other < 0 || other >= order.length) return false;
    [order[index], order[other]] = [order[other]!, order[index]!];
  }
  if (move === 'remove')
    await scope.tx.execute(sql`delete from story_booklet_story
      where organisation_id = ${scope.organisationId} and booklet_id = ${booklet.id} and story_id = ${storyId}`);
  for (const [at, id] of order.entries())
    await scope.tx.execute(sql`update story_booklet_story set position = ${at + 1}
      where organisation_id = ${scope.organisationId} and booklet_id = ${booklet.id} and story_id = ${id}`);
  await audit(scope, {
    action: 'update',
    subjectType: auditSubject.booklet,
    subjectId: booklet.id,
    detail: { fields: ['stories'], move },
  });
  return true;
}

export type LeftOutReason = 'withdrawn' | 'scope' | 'version';

export interface BookletEntry {
  story: Story;
  position: number;
  /** The text the booklet recorded when it was made, printed when the story is still in. */
  text: StoryVersionText;
  leftOut: LeftOutReason | null;
}

/**
 * What the booklet holds now. A story whose author has since withdrawn consent, narrowed who may read
 * it below the booklet's audience, or chosen to show the other version is left out of every page and
 * download from that moment; the booklet's record of what it used stays. Printed copies are out of reach.
 */
export async function bookletEntries(scope: Scope, booklet: Booklet): Promise<BookletEntry[]> {
  const entries: BookletEntry[] = [];
  for (const entry of booklet.stories) {
    const story = await findStory(scope, entry.storyId);
    const text = await versionById(scope, entry.versionId);
    if (!story || !text) continue;
    const leftOut: LeftOutReason | null = story.withdrawnAt
      ? 'withdrawn'
      : !allowsAudience(story, booklet.audience)
        ? 'scope'
        : shownText(story).kind !== text.kind
          ? 'version'
          : null;
    entries.push({ story, position: entry.position, text, leftOut });
  }
  return entries;
}

/** The booklets a story is in, for its author's record. */
export async function bookletsWithStory(
  scope: Scope,
  storyId: string,
): Promise<{ id: string; title: string; audience: Audience; madeAt: Date; versionId: string }[]> {
  const rows = await rowsOf<{
    id: string;
    title: string;
    audience: Audience;
    madeAt: Date | string;
    versionId: string;
  }>(
    scope.tx.execute(sql`select b.id, b.title, b.audience, b.made_at as "madeAt", bs.story_version_id as "versionId"
      from story_booklet_story bs join story_booklet b on b.id = bs.booklet_id
      where bs.organisation_id = ${scope.organisationId} and bs.story_id = ${storyId}
      order by b.made_at, b.id`),
  );
  return rows.map((row) => ({ ...row, madeAt: new Date(row.madeAt) }));
}
