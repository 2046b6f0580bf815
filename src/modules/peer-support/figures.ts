import { sql } from 'drizzle-orm';
import { rowsOf, type Scope } from '../../core/database/tenancy.ts';
import type { Statistic } from '../../core/module.ts';
import { listLevels } from './lists.ts';
import { stages } from './words.ts';

/** Figures for impact, all derived from the ordinary work: nothing here was typed for a report. */
export async function peerFigures(scope: Scope, now = new Date()): Promise<Statistic[]> {
  const one = async (query: ReturnType<typeof sql>) =>
    Number((await rowsOf<{ n: number | string | null }>(scope.tx.execute(query)))[0]?.n ?? 0);
  const org = scope.organisationId;
  // Reached means a link-up both sides agreed to (introduced or later).
  const reached = sql`from peer_link_up l join peer_request r on r.id = l.request_id
    where l.organisation_id = ${org} and l.stage <> 'suggested' and (l.peer_agreed_at is not null and l.seeker_agreed_at is not null)`;
  const figures: Statistic[] = [
    {
      key: 'people-reached',
      label: 'statistics.peopleReached',
      value: await one(sql`select count(distinct r.person_id)::int as n ${reached}`),
    },
    {
      key: 'households-reached',
      label: 'statistics.householdsReached',
      value: await one(
        sql`select count(distinct r.household_id)::int as n ${reached} and r.household_id is not null`,
      ),
    },
    {
      key: 'hours-of-support',
      label: 'statistics.hours',
      value: Math.round(
        (await one(
          sql`select coalesce(sum(minutes), 0)::int as n from peer_session where organisation_id = ${org}`,
        )) / 60,
      ),
    },
    {
      key: 'peers-into-work',
      label: 'statistics.intoWork',
      value: await one(sql`select count(distinct profile_id)::int as n from peer_journey_step
        where organisation_id = ${org} and kind = 'work' and reached_on is not null`),
    },
    {
      key: 'average-days-waiting',
      label: 'statistics.averageWait',
      value: Math.round(
        await one(sql`select avg(extract(epoch from (c.changed_at - r.created_at)) / 86400)::float as n
          from peer_link_up_change c join peer_link_up l on l.id = c.link_up_id join peer_request r on r.id = l.request_id
          where c.organisation_id = ${org} and c.stage = 'introduced'`),
      ),
    },
  ];
  for (const stage of stages)
    figures.push({
      key: `link-ups-${stage}`,
      label: `statistics.stage.${stage}`,
      value: await one(
        sql`select count(*)::int as n from peer_link_up where organisation_id = ${org} and stage = ${stage}`,
      ),
    });
  for (const level of await listLevels(scope))
    figures.push({
      key: `peers-${level.key}`,
      label: 'statistics.peersAtLevel',
      value: await one(
        sql`select count(*)::int as n from peer_profile where organisation_id = ${org} and level_key = ${level.key}`,
      ),
    });
  // People and households reached in each of the last twelve months, by the month they were introduced.
  const months = await rowsOf<{ month: string; people: number; households: number }>(
    scope.tx.execute(sql`select to_char(date_trunc('month', c.changed_at), 'YYYY-MM') as month,
        count(distinct r.person_id)::int as people, count(distinct r.household_id)::int as households
      from peer_link_up_change c join peer_link_up l on l.id = c.link_up_id join peer_request r on r.id = l.request_id
      where c.organisation_id = ${org} and c.stage = 'introduced'
        and c.changed_at >= ${new Date(now.getTime() - 366 * 86_400_000).toISOString()}
      group by 1 order by 1`),
  );
  for (const row of months) {
    figures.push({
      key: `people-reached-${row.month}`,
      label: 'statistics.peopleInMonth',
      value: row.people,
    });
    figures.push({
      key: `households-reached-${row.month}`,
      label: 'statistics.householdsInMonth',
      value: row.households,
    });
  }
  return figures;
}

/** Everything peer support holds about one person, for their subject access export. */
export async function peerExport(scope: Scope, personId: string): Promise<Record<string, unknown>> {
  const rows = <T>(query: ReturnType<typeof sql>) => rowsOf<T>(scope.tx.execute(query));
  const org = scope.organisationId;
  const profile = await rows<
    Record<string, unknown> & { id: string }
  >(sql`select id, words, tags, languages, area,
      availability, capacity, supports, level_key as "level", created_at as "createdAt"
    from peer_profile where organisation_id = ${org} and person_id = ${personId}`);
  const profileId = profile[0]?.id ?? null;
  const ofProfile = (query: ReturnType<typeof sql>) => (profileId ? rows(query) : Promise.resolve([]));
  const linkUps = await rows<{
    id: string;
  }>(sql`select l.id, l.stage, l.supports, l.agreed_words as "agreedWords",
      l.meeting, l.created_at as "createdAt", l.ended_kind as "endedKind", l.ended_words as "endedWords",
      case when p.person_id = ${personId} then 'peer' else 'supported' end as "myPart"
    from peer_link_up l join peer_profile p on p.id = l.profile_id join peer_request r on r.id = l.request_id
    where l.organisation_id = ${org} and (p.person_id = ${personId} or r.person_id = ${personId})`);
  const ids = linkUps.map((l) => l.id);
  const inLinkUps = (query: (list: ReturnType<typeof sql>) => ReturnType<typeof sql>) =>
    ids.length
      ? rows(
          query(
            sql.join(
              ids.map((id) => sql`${id}`),
              sql`, `,
            ),
          ),
        )
      : Promise.resolve([]);
  return {
    profile: profile[0] ?? null,
    training: await ofProfile(sql`select module_key as "module", sessions_attended as "sessionsAttended",
      completed_at as "completedAt" from peer_training where profile_id = ${profileId}`),
    levels:
      await ofProfile(sql`select level_key as "level", confirmed_at as "confirmedAt" from peer_level_change
      where profile_id = ${profileId} order by confirmed_at`),
    journey: await ofProfile(sql`select kind, words, reached_on as "reachedOn" from peer_journey_step
      where profile_id = ${profileId} order by created_at`),
    references: await ofProfile(sql`select from_name as "from", words, in_cv as "inCv" from peer_reference
      where profile_id = ${profileId} order by created_at`),
    households: await rows(sql`select h.name, m.is_child as "isChild" from peer_household_member m
      join peer_household h on h.id = m.household_id where m.organisation_id = ${org} and m.person_id = ${personId}`),
    requests:
      await rows(sql`select words, tags, language, language_must as "languageMust", area, support_wanted as "supportWanted",
      status, how_to_reach as "howToReach", consent_wording as "consentWording", created_at as "createdAt"
      from peer_request where organisation_id = ${org} and person_id = ${personId} order by created_at`),
    linkUps,
    sessions: await inLinkUps(
      (list) => sql`select link_up_id as "linkUp", happened_on as "happenedOn", minutes,
      what_we_did as "whatWeDid", how_it_felt as "howItFelt" from peer_session where link_up_id in (${list})
      order by happened_on`,
    ),
    // What the person may see: coach notes that were not hidden from them.
    coachNotes: await inLinkUps(
      (list) => sql`select link_up_id as "linkUp", words, written_at as "writtenAt"
      from peer_coach_note where link_up_id in (${list}) and hidden_reason is null order by written_at`,
    ),
  };
}
