import type { Scope } from '../../core/database/tenancy.ts';
import { namesOf } from '../../core/people.ts';
import { ForMachines, type RecordWriter } from '../../core/record.ts';
import { type AboutMeVersion, aboutMeHeadings, aboutMeHistory, prsbHeadings } from './about-me.ts';
import { entriesAbout } from './entries.ts';
import { earlierWordsOf, goalRatings, goalsOf } from './goals.ts';
import { scalesOf } from './scales.ts';
import { coachHistory, introductionsOf, supportHistory, supportOf } from './support.ts';
import { w } from './words.ts';

/** The five Goal Attainment Scaling levels, in the order a goal keeps their words. */
const gasLevels = [-2, -1, 0, 1, 2];

/**
 * The coaching section of the person's record: everything they may see about themselves, in the
 * shapes docs/record.schema.json describes. What is withheld from them is listed as withheld, with the
 * reason, and no more. About Me is under the PRSB heading each of ours belongs to.
 */
export async function coachingRecord(scope: Scope, personId: string, r: RecordWriter) {
  const value = (code: string) => r.code(code, w(`myRecord.values.${code}`));
  const support = await supportOf(scope, personId);
  const changes = support ? await supportHistory(scope, support) : [];
  const coachChanges = support ? await coachHistory(scope, support) : [];
  const versions = await aboutMeHistory(scope, personId);
  const goals = await goalsOf(scope, personId);
  const ratings = await goalRatings(scope, personId);
  const earlierWords = await earlierWordsOf(
    scope,
    goals.map((goal) => goal.id),
  );
  const scales = await scalesOf(scope, personId);
  const { entries } = await entriesAbout(scope, personId, { viewer: 'person', pageSize: 100_000 });
  const writers = [
    ...changes.map((change) => change.changedBy),
    ...coachChanges.flatMap((change) => [change.coachId, change.changedBy]),
    ...versions.map((version) => version.writtenBy),
    ...goals.map((goal) => goal.writtenBy),
    ...[...earlierWords.values()].flat().flatMap((earlier) => [earlier.writtenBy, earlier.changedBy]),
    ...scales.flatMap((scale) => scale.ratings.map((rating) => rating.ratedBy)),
    ...entries.flatMap((entry) =>
      'withheld' in entry ? [] : [entry.writtenBy, ...entry.responses.map((one) => one.writtenBy)],
    ),
  ].filter((one): one is string => !!one);
  const names = await namesOf(scope, [...new Set(writers)]);
  const name = (personId: string | null) => r.name(names, personId);
  const version = (one: AboutMeVersion) => ({
    words: one.words,
    writtenBy: name(one.writtenBy),
    withCoach: one.withCoach,
    writtenAt: r.at(one.writtenAt),
  });

  return {
    support: support
      ? {
          status: value(support.status),
          startedAt: r.at(support.startedAt),
          changes: changes.map((change) => ({
            status: value(change.status),
            words: change.words,
            changedBy: name(change.changedBy),
            changedAt: r.at(change.changedAt),
          })),
          // Each coach from the change that brought them to the next change (or now).
          coaches: coachChanges
            .filter((change) => change.coachId)
            .map((change, index, all) => ({
              coach: name(change.coachId),
              since: r.at(change.changedAt),
              until: all[index + 1] ? r.at(all[index + 1]!.changedAt) : null,
              changedBy: name(change.changedBy),
            })),
        }
      : null,
    askedForACoach: (await introductionsOf(scope, personId)).map((one) => ({
      howToReach: one.howToReach,
      words: one.words,
      consentWording: one.consentWording,
      askedAt: r.at(one.createdAt),
    })),
    aboutMe: {
      standard: new ForMachines('PRSB About Me'),
      // Every heading, written or not, so another service finds each one in the same place.
      headings: aboutMeHeadings.map((heading) => {
        const [current, ...earlier] = versions.filter((one) => one.heading === heading);
        return {
          heading: value(heading),
          prsbHeading: new ForMachines(prsbHeadings[heading]),
          ...(current ? version(current) : { words: '', writtenBy: null, withCoach: null, writtenAt: null }),
          earlierVersions: earlier.map(version),
        };
      }),
    },
    goals: goals.map((goal) => ({
      id: goal.id,
      words: goal.words,
      theme: goal.theme ? value(goal.theme) : null,
      status: value(goal.status),
      statusWords: goal.statusWords,
      statusChangedAt: r.at(goal.statusChangedAt),
      writtenBy: name(goal.writtenBy),
      withCoach: goal.withCoach,
      createdAt: r.at(goal.createdAt),
      steps: goal.steps.map((step) => ({ id: step.id, words: step.words, doneAt: r.at(step.doneAt) })),
      scaling: goal.gasLevels
        ? {
            levels: goal.gasLevels.map((words, index) => ({ level: gasLevels[index]!, words })),
            importance: goal.gasImportance,
            difficulty: goal.gasDifficulty,
          }
        : null,
      latestLevel: goal.latestLevel,
      ratings: ratings
        .filter((rating) => rating.goalId === goal.id)
        .map((rating) => ({ level: rating.level, ratedAt: r.at(rating.ratedAt) })),
      earlierWords: (earlierWords.get(goal.id) ?? []).map((earlier) => ({
        words: earlier.words,
        writtenBy: name(earlier.writtenBy),
        writtenAt: r.at(earlier.writtenAt),
        changedBy: name(earlier.changedBy),
        changedAt: r.at(earlier.changedAt),
      })),
    })),
    whereIAmNow: scales.map((scale) => ({
      id: scale.id,
      name: scale.name,
      lowWords: scale.lowWords,
      highWords: scale.highWords,
      ratings: scale.ratings.map((rating) => ({
        value: rating.value,
        ratedAt: r.at(rating.ratedAt),
        ratedBy: name(rating.ratedBy),
      })),
    })),
    everythingAboutMe: entries.map((entry) =>
      'withheld' in entry
        ? {
            id: entry.id,
            withheld: true,
            reason: value(entry.hiddenReason),
            createdAt: r.at(entry.createdAt),
          }
        : {
            id: entry.id,
            kind: value(entry.kind),
            writtenBy: name(entry.writtenBy),
            talkedAbout: entry.talkedAbout,
            nextSteps: entry.nextSteps,
            happenedOn: r.day(entry.happenedOn),
            place: entry.place,
            createdAt: r.at(entry.createdAt),
            responses: entry.responses.map((response) => ({
              id: response.id,
              kind: value(response.kind),
              words: response.words,
              writtenBy: name(response.writtenBy),
              writtenAt: r.at(response.writtenAt),
            })),
          },
    ),
  };
}
