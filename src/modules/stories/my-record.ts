import type { Scope } from '../../core/database/tenancy.ts';
import { namesOf } from '../../core/people.ts';
import type { RecordWriter } from '../../core/record.ts';
import { bookletsWithStory } from './booklets.ts';
import { consentHistory, storiesBy, versionsOf } from './stories.ts';

const w = (key: string) => `stories.${key}`;

/**
 * The stories section of the person's record: every story they wrote (or wrote with a coach), each
 * with every saved text of both versions, every consent change with the words they were shown, the
 * picture's details (never its bytes) and the booklets it went into.
 */
export async function storiesRecord(scope: Scope, personId: string, r: RecordWriter) {
  const stories = (await storiesBy(scope, personId)).reverse();
  const details = [];
  for (const story of stories) {
    details.push({
      story,
      versions: await versionsOf(scope, story.id),
      consent: await consentHistory(scope, story.id),
      booklets: await bookletsWithStory(scope, story.id),
    });
  }
  const people = details.flatMap(({ story, versions, consent }) => [
    story.helpedById,
    ...versions.map((version) => version.savedBy),
    ...consent.map((one) => one.givenBy),
  ]);
  const names = await namesOf(scope, [...new Set(people.filter((one): one is string => !!one))]);
  const name = (id: string | null) => r.name(names, id);
  return {
    stories: details.map(({ story, versions, consent, booklets }) => ({
      id: story.id,
      title: story.own.title,
      words: story.own.words,
      language: r.code(story.language, w(`languages.${story.language}`)),
      shownName: story.shownName,
      helpedBy: name(story.helpedById),
      whoCanRead: r.code(story.scope, w(`scope.${story.scope}`)),
      shownVersion: r.code(story.shownVersion, w(`story.version.${story.shownVersion}`)),
      withdrawnAt: r.at(story.withdrawnAt),
      writtenAt: r.at(story.createdAt),
      picture: story.pictureType
        ? {
            kindOfFile: r.code(story.pictureType, w(`myRecord.values.${story.pictureType}`)),
            sizeBytes: story.pictureBytes ?? 0,
            description: story.pictureDescription ?? '',
          }
        : null,
      versions: versions.map((version) => ({
        id: version.id,
        version: r.code(version.kind, w(`story.version.${version.kind}`)),
        number: version.number,
        title: version.title,
        words: version.words,
        savedBy: name(version.savedBy),
        savedAt: r.at(version.savedAt),
      })),
      consent: consent.map((one) => ({
        whoCanRead: one.withdrawn
          ? r.code('withdrawn', w('scope.withdrawn'))
          : r.code(one.scope, w(`scope.${one.scope}`)),
        wording: one.wording,
        wordingLanguage: r.code(one.language, w(`languages.${one.language}`)),
        givenBy: name(one.givenBy),
        givenAt: r.at(one.givenAt),
      })),
      booklets: booklets.map((booklet) => ({
        bookletId: booklet.id,
        title: booklet.title,
        audience: r.code(booklet.audience, w(`audience.${booklet.audience}`)),
        madeAt: r.at(booklet.madeAt),
        versionId: booklet.versionId,
      })),
    })),
  };
}
