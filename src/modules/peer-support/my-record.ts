import { sql } from 'drizzle-orm';
import { rowsOf, type Scope } from '../../core/database/tenancy.ts';
import { namesOf } from '../../core/people.ts';
import { RecordCode, type RecordWriter } from '../../core/record.ts';
import { listLevels, listModules, listTags } from './lists.ts';

const w = (key: string) => `peer-support.${key}`;
const hour = (value: number) => `${String(value).padStart(2, '0')}:00`;

type Row = Record<string, unknown>;

/**
 * The peer support section of the person's record: their peer profile, training, levels, journey and
 * references if they give support; their requests if they asked for it; and every link-up they are
 * part of, with its sessions and the coach notes they may see (notes hidden from both sides are not
 * theirs to see, as on screen). Codes carry the organisation's own names for its lists.
 */
export async function peerSupportRecord(scope: Scope, personId: string, r: RecordWriter) {
  const rows = <T = Row>(query: ReturnType<typeof sql>) => rowsOf<T>(scope.tx.execute(query));
  const org = scope.organisationId;
  const tags = new Map((await listTags(scope)).map((tag) => [tag.key, tag]));
  const modules = new Map((await listModules(scope)).map((module) => [module.key, module]));
  const levels = new Map((await listLevels(scope)).map((level) => [level.key, level]));
  const tag = (key: string) => r.named(key, tags.get(key));
  const support = (key: string) => r.code(key, w(`supports.${key}`));
  const language = (key: string) => r.code(key, w(`languages.${key}`));
  const slot = (key: string) => {
    const [day, part] = [key.slice(0, 3), key.slice(4)];
    return new RecordCode(key, r.words(w(`slots.${part}`), { day: r.words(w(`days.${day}`)) }));
  };

  const [profile] = await rows<{
    id: string;
    words: string;
    tags: string[];
    languages: string[];
    area: string;
    availability: { day: string; from: number; to: number }[];
    capacity: number;
    supports: string[];
    level: string | null;
    createdAt: string;
  }>(sql`select id, words, tags, languages, area, availability, capacity, supports, level_key as "level",
      created_at as "createdAt" from peer_profile where organisation_id = ${org} and person_id = ${personId}`);
  const ofProfile = <T>(query: ReturnType<typeof sql>) =>
    profile ? rows<T>(query) : Promise.resolve([] as T[]);

  const linkUps = await rows<{
    id: string;
    stage: string;
    supports: string[];
    agreedWords: string;
    meeting: string;
    createdAt: string;
    endedKind: string | null;
    endedWords: string | null;
    endedAt: string | null;
    myPart: 'peer' | 'supported';
    peerPersonId: string;
    seekerPersonId: string;
  }>(sql`select l.id, l.stage, l.supports, l.agreed_words as "agreedWords", l.meeting, l.created_at as "createdAt",
      l.ended_kind as "endedKind", l.ended_words as "endedWords", l.ended_at as "endedAt",
      case when p.person_id = ${personId} then 'peer' else 'supported' end as "myPart",
      p.person_id as "peerPersonId", r.person_id as "seekerPersonId"
    from peer_link_up l join peer_profile p on p.id = l.profile_id join peer_request r on r.id = l.request_id
    where l.organisation_id = ${org} and (p.person_id = ${personId} or r.person_id = ${personId})
    order by l.created_at, l.id`);
  const ids = sql.join(
    linkUps.map((linkUp) => sql`${linkUp.id}::uuid`),
    sql`, `,
  );
  const ofLinkUps = <T>(query: ReturnType<typeof sql>) =>
    linkUps.length ? rows<T & { linkUpId: string }>(query) : Promise.resolve([]);
  const sessions = await ofLinkUps<{
    happenedOn: string;
    minutes: number;
    whatWeDid: string;
    howItFelt: string;
  }>(
    sql`select link_up_id as "linkUpId", to_char(happened_on, 'YYYY-MM-DD') as "happenedOn", minutes,
      what_we_did as "whatWeDid", how_it_felt as "howItFelt" from peer_session where link_up_id in (${ids})
      order by happened_on, created_at`,
  );
  const notes = await ofLinkUps<{ words: string; writtenBy: string | null; writtenAt: string }>(
    sql`select link_up_id as "linkUpId", words, written_by as "writtenBy", written_at as "writtenAt"
      from peer_coach_note where link_up_id in (${ids}) and hidden_reason is null order by written_at`,
  );
  const changes = await ofLinkUps<{
    stage: string;
    words: string;
    changedBy: string | null;
    changedAt: string;
  }>(
    sql`select link_up_id as "linkUpId", stage, words, changed_by as "changedBy", changed_at as "changedAt"
      from peer_link_up_change where link_up_id in (${ids}) order by changed_at, id`,
  );
  const names = await namesOf(scope, [
    ...new Set(
      [
        ...linkUps.flatMap((linkUp) => [linkUp.peerPersonId, linkUp.seekerPersonId]),
        ...notes.map((note) => note.writtenBy),
        ...changes.map((change) => change.changedBy),
      ].filter((one): one is string => !!one),
    ),
  ]);
  const requests = await rows<{
    id: string;
    words: string;
    tags: string[];
    language: string | null;
    languageMust: boolean;
    area: string;
    slots: string[];
    supportWanted: string;
    status: string;
    howToReach: string;
    consentWording: string | null;
    createdAt: string;
  }>(sql`select id, words, tags, language, language_must as "languageMust", area, slots,
      support_wanted as "supportWanted", status, how_to_reach as "howToReach", consent_wording as "consentWording",
      created_at as "createdAt" from peer_request where organisation_id = ${org} and person_id = ${personId}
      order by created_at`);

  return {
    profile: profile
      ? {
          id: profile.id,
          words: profile.words,
          experience: profile.tags.map(tag),
          languages: profile.languages.map(language),
          area: profile.area,
          freeTimes: profile.availability.map((free) => ({
            day: r.code(free.day, w(`days.${free.day}`)),
            from: hour(free.from),
            to: hour(free.to),
          })),
          capacity: profile.capacity,
          supports: profile.supports.map(support),
          level: profile.level ? r.named(profile.level, levels.get(profile.level)) : null,
          createdAt: r.at(profile.createdAt),
        }
      : null,
    training: (
      await ofProfile<{ module: string; sessionsAttended: number; completedAt: string | null }>(
        sql`select module_key as "module", sessions_attended as "sessionsAttended", completed_at as "completedAt"
          from peer_training where profile_id = ${profile?.id ?? null} order by completed_at nulls last, module_key`,
      )
    ).map((one) => ({
      module: r.named(one.module, modules.get(one.module)),
      sessionsAttended: Number(one.sessionsAttended),
      completedAt: r.at(one.completedAt),
    })),
    levels: (
      await ofProfile<{ level: string; confirmedAt: string }>(
        sql`select level_key as "level", confirmed_at as "confirmedAt" from peer_level_change
          where profile_id = ${profile?.id ?? null} order by confirmed_at`,
      )
    ).map((one) => ({
      level: r.named(one.level, levels.get(one.level)),
      confirmedAt: r.at(one.confirmedAt),
    })),
    journey: (
      await ofProfile<{ kind: string; words: string; reachedOn: string | null }>(
        sql`select kind, words, to_char(reached_on, 'YYYY-MM-DD') as "reachedOn" from peer_journey_step
          where profile_id = ${profile?.id ?? null} order by created_at`,
      )
    ).map((one) => ({
      kind: r.code(one.kind, w(`journey.kinds.${one.kind}`)),
      words: one.words,
      reachedOn: r.day(one.reachedOn),
    })),
    references: await ofProfile<{ fromWhom: string; whatTheySaid: string; inCv: boolean }>(
      sql`select from_name as "fromWhom", words as "whatTheySaid", in_cv as "inCv" from peer_reference
        where profile_id = ${profile?.id ?? null} order by created_at`,
    ),
    households: await rows<{ name: string; isChild: boolean }>(
      sql`select h.name, m.is_child as "isChild" from peer_household_member m
        join peer_household h on h.id = m.household_id where m.organisation_id = ${org} and m.person_id = ${personId}`,
    ),
    requests: requests.map((request) => ({
      id: request.id,
      words: request.words,
      experience: request.tags.map(tag),
      language: request.language ? language(request.language) : null,
      languageMust: request.languageMust,
      area: request.area,
      freeTimes: request.slots.map(slot),
      supportWanted: support(request.supportWanted),
      status: r.code(request.status, w(`request.statuses.${request.status}`)),
      howToReach: request.howToReach,
      consentWording: request.consentWording,
      askedAt: r.at(request.createdAt),
    })),
    linkUps: linkUps.map((linkUp) => ({
      id: linkUp.id,
      myPart: r.code(linkUp.myPart, w(`myRecord.values.${linkUp.myPart}`)),
      with: r.name(names, linkUp.myPart === 'peer' ? linkUp.seekerPersonId : linkUp.peerPersonId),
      stage: r.code(linkUp.stage, w(`stages.${linkUp.stage}`)),
      supports: linkUp.supports.map(support),
      agreedWords: linkUp.agreedWords,
      meeting: linkUp.meeting,
      createdAt: r.at(linkUp.createdAt),
      ended: linkUp.endedKind ? r.code(linkUp.endedKind, w(`stage.endedKinds.${linkUp.endedKind}`)) : null,
      endedWords: linkUp.endedWords,
      endedAt: r.at(linkUp.endedAt),
      changes: changes
        .filter((change) => change.linkUpId === linkUp.id)
        .map((change) => ({
          stage: r.code(change.stage, w(`stages.${change.stage}`)),
          words: change.words,
          changedBy: r.name(names, change.changedBy),
          changedAt: r.at(change.changedAt),
        })),
      sessions: sessions
        .filter((session) => session.linkUpId === linkUp.id)
        .map((session) => ({
          happenedOn: r.day(session.happenedOn),
          time: r.duration(session.minutes),
          whatWeDid: session.whatWeDid,
          howItFelt: session.howItFelt,
        })),
      coachNotes: notes
        .filter((note) => note.linkUpId === linkUp.id)
        .map((note) => ({
          words: note.words,
          writtenBy: r.name(names, note.writtenBy),
          writtenAt: r.at(note.writtenAt),
        })),
    })),
  };
}
