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
