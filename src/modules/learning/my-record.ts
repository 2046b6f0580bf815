import { sql } from 'drizzle-orm';
import { rowsOf, type Scope } from '../../core/database/tenancy.ts';
import { namesOf } from '../../core/people.ts';
import type { RecordWriter } from '../../core/record.ts';
import { listChallenges } from './challenges.ts';
import { myCheckIns } from './check-ins.ts';
import { aspects, cultures } from './compass.ts';

const w = (key: string) => `learning.${key}`;
const addressedTo = { leaders: 'challenges.toLeaders', system: 'challenges.toSystem' } as const;

/**
 * The learning section of the person's record: what they wrote that is theirs. Anonymous challenges
 * are not here and cannot be: nothing links them to anyone. Culture compass answers are each aspect's
 * hundred points, now and preferred, by culture.
 */
export async function learningRecord(scope: Scope, personId: string, r: RecordWriter) {
  const q = <T>(text: ReturnType<typeof sql>) => rowsOf<T>(scope.tx.execute(text));
  const conversations = await q<{ withPersonId: string; askedAt: string; doneAt: string | null }>(
    sql`select to_person_id as "withPersonId", asked_at as "askedAt", done_at as "doneAt"
      from learning_conversation_request where from_person_id = ${personId} order by asked_at`,
  );
  const names = await namesOf(scope, [...new Set(conversations.map((one) => one.withPersonId))]);
  const points = (values: number[]) =>
    aspects.map((aspect, a) => ({
      aspect: r.code(aspect, w(`compass.aspect.${aspect}.name`)),
      cultures: cultures.map((culture, c) => ({
        culture: r.code(culture, w(`compass.culture.${culture}.name`)),
        points: Number(values[a * cultures.length + c]),
      })),
    }));
  return {
    challenges: (await listChallenges(scope, { authorPersonId: personId })).map((one) => ({
      raisedAt: r.at(one.raisedAt),
      addressedTo: r.code(one.addressedTo, w(addressedTo[one.addressedTo])),
      whatIsWrong: one.whatIsWrong,
      suggestion: one.suggestion,
      whoItAffects: one.whoItAffects,
      status: r.code(one.status, w(`challenges.status.${one.status}`)),
      answer: one.answer,
    })),
    wellbeingCheckIns: (await myCheckIns(scope, personId)).map((one) => ({
      checkedInAt: r.at(one.checkedInAt),
      position: r.code(one.position, w(`wellbeing.position.${one.position}.name`)),
      privateWords: one.privateWords,
    })),
    conversationsAskedFor: conversations.map((one) => ({
      with: r.name(names, one.withPersonId),
      askedAt: r.at(one.askedAt),
      doneAt: r.at(one.doneAt),
    })),
    cultureCompassAnswers: (
      await q<{ round: string; now: number[]; preferred: number[]; answeredAt: string }>(
        sql`select r.name as round, x.now_points as now, x.preferred_points as preferred, x.answered_at as "answeredAt"
          from learning_culture_response x join learning_culture_round r on r.id = x.round_id
          where x.person_id = ${personId} order by x.answered_at`,
      )
    ).map((one) => ({
      round: one.round,
      answeredAt: r.at(one.answeredAt),
      now: points(one.now),
      preferred: points(one.preferred),
    })),
    reflectiveSpaceTopics: (
      await q<{ words: string; raisedAt: string }>(
        sql`select words, raised_at as "raisedAt" from learning_topic
          where raised_by_person_id = ${personId} order by raised_at`,
      )
    ).map((one) => ({ words: one.words, raisedAt: r.at(one.raisedAt) })),
    reflectiveSpacesAttended: (
      await q<{ startsAt: string; series: string }>(
        sql`select s.starts_at as "startsAt", x.name as series from learning_attendance a
          join learning_space s on s.id = a.space_id join learning_space_series x on x.id = s.series_id
          where a.person_id = ${personId} order by s.starts_at`,
      )
    ).map((one) => ({ series: one.series, startsAt: r.at(one.startsAt) })),
    learningEntries: (
      await q<{ kind: string; title: string; words: string; hadImage: boolean; writtenAt: string }>(
        sql`select kind, title, words, image is not null as "hadImage", written_at as "writtenAt"
          from learning_entry where written_by_person_id = ${personId} order by written_at`,
      )
    ).map((one) => ({
      kind: r.code(one.kind, w(`entries.kind.${one.kind}.name`)),
      title: one.title,
      words: one.words,
      hadImage: one.hadImage,
      writtenAt: r.at(one.writtenAt),
    })),
    changeIdeas: (
      await q<{ what: string; why: string; whoItHelps: string; status: string; proposedAt: string }>(
        sql`select what, why, who_it_helps as "whoItHelps", status, proposed_at as "proposedAt"
          from learning_change_idea where proposed_by_person_id = ${personId} order by proposed_at`,
      )
    ).map((one) => ({
      what: one.what,
      why: one.why,
      whoItHelps: one.whoItHelps,
      status: r.code(one.status, w(`ideas.status.${one.status}`)),
      proposedAt: r.at(one.proposedAt),
    })),
    ideaComments: (
      await q<{ words: string; writtenAt: string }>(
        sql`select words, written_at as "writtenAt" from learning_idea_comment
          where person_id = ${personId} order by written_at`,
      )
    ).map((one) => ({ words: one.words, writtenAt: r.at(one.writtenAt) })),
  };
}
