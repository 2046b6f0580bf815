import { sql } from 'drizzle-orm';
import { audit } from '../../core/audit.ts';
import { rowsOf, type Scope } from '../../core/database/tenancy.ts';
import { isUuid } from '../../core/tokens.ts';
import { auditSubject, smallestGroup } from './shared.tsx';

/** The four cultures of the Competing Values Framework, in the order every array here keeps. */
export const cultures = ['collaborate', 'create', 'compete', 'control'] as const;
export type Culture = (typeof cultures)[number];
/** Six aspects of a workplace, each answered by sharing 100 points among the four cultures. */
export const aspects = ['feel', 'leading', 'people', 'glue', 'energy', 'success'] as const;

export interface Round {
  id: string;
  name: string;
  openedAt: Date;
  closedAt: Date | null;
  responses: number;
}

export async function openRound(scope: Scope, name: string): Promise<string> {
  const [row] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`insert into learning_culture_round (organisation_id, name, opened_by_person_id)
      values (${scope.organisationId}, ${name}, ${scope.actorPersonId}) returning id`),
  );
  await audit(scope, { action: 'create', subjectType: auditSubject.round, subjectId: row!.id });
  return row!.id;
}

export async function closeRound(scope: Scope, round: Round): Promise<void> {
  await scope.tx.execute(sql`update learning_culture_round set closed_at = now() where id = ${round.id}`);
  await audit(scope, {
    action: 'update',
    subjectType: auditSubject.round,
    subjectId: round.id,
    detail: { fields: ['closedAt'] },
  });
}

const roundColumns = sql`r.id, r.name, r.opened_at as "openedAt", r.closed_at as "closedAt",
  (select count(*)::int from learning_culture_response x where x.round_id = r.id) as responses`;

function roundOf(row: Round): Round {
  return { ...row, openedAt: new Date(row.openedAt), closedAt: row.closedAt ? new Date(row.closedAt) : null };
}

export async function listRounds(scope: Scope): Promise<Round[]> {
  const rows = await rowsOf<Round>(
    scope.tx.execute(
      sql`select ${roundColumns} from learning_culture_round r order by r.opened_at desc, r.id`,
    ),
  );
  return rows.map(roundOf);
}

export async function findRound(scope: Scope, roundId: string): Promise<Round | null> {
  if (!isUuid(roundId)) return null;
  const [row] = await rowsOf<Round>(
    scope.tx.execute(sql`select ${roundColumns} from learning_culture_round r where r.id = ${roundId}`),
  );
  return row ? roundOf(row) : null;
}

export interface Answers {
  /** 6 aspects x 4 cultures, aspect by aspect. */
  now: number[];
  preferred: number[];
}

/** The person's own answers, to show back to them and no one else. */
export async function myAnswers(scope: Scope, roundId: string, personId: string): Promise<Answers | null> {
  const [row] = await rowsOf<{ now: number[]; preferred: number[] }>(
    scope.tx.execute(sql`select now_points as now, preferred_points as preferred from learning_culture_response
      where round_id = ${roundId} and person_id = ${personId}`),
  );
  if (!row) return null;
  await audit(scope, { action: 'read', subjectType: auditSubject.response, subjectPersonId: personId });
  return { now: row.now.map(Number), preferred: row.preferred.map(Number) };
}

export async function saveAnswers(
  scope: Scope,
  roundId: string,
  personId: string,
  answers: Answers,
): Promise<void> {
  const now = sql`array[${sql.join(
    answers.now.map((n) => sql`${n}`),
    sql`, `,
  )}]::smallint[]`;
  const preferred = sql`array[${sql.join(
    answers.preferred.map((n) => sql`${n}`),
    sql`, `,
  )}]::smallint[]`;
  await scope.tx.execute(sql`insert into learning_culture_response (organisation_id, round_id, person_id, now_points, preferred_points)
    values (${scope.organisationId}, ${roundId}, ${personId}, ${now}, ${preferred})
    on conflict (round_id, person_id) do update set now_points = excluded.now_points,
      preferred_points = excluded.preferred_points, answered_at = now()`);
  await audit(scope, {
    action: 'create',
    subjectType: auditSubject.response,
    subjectPersonId: personId,
    detail: { fields: ['now', 'preferred'] },
  });
}

export type Profile = Record<Culture, number>;

export interface Results {
  responses: number;
  /** Null when fewer than five answered: then nothing about the answers is worked out or shown. */
  now: Profile | null;
  preferred: Profile | null;
}

/** The average profile (each culture averaged over the six aspects and everyone), only for five or more. */
export async function roundResults(scope: Scope, roundId: string): Promise<Results> {
  const [row] = await rowsOf<{ responses: number; now: string[] | null; preferred: string[] | null }>(
    scope.tx.execute(sql`
      with cells as (
        select r.id, c.i, r.now_points[c.i] as n, r.preferred_points[c.i] as p
        from learning_culture_response r cross join generate_series(1, 24) as c(i)
        where r.round_id = ${roundId}
      ), totals as (select count(*)::int as responses from learning_culture_response where round_id = ${roundId})
      select t.responses,
        case when t.responses >= ${smallestGroup} then (
          select array_agg(round(v, 2)::text order by k) from (
            select (i - 1) % 4 as k, avg(n) as v from cells group by 1) s) end as now,
        case when t.responses >= ${smallestGroup} then (
          select array_agg(round(v, 2)::text order by k) from (
            select (i - 1) % 4 as k, avg(p) as v from cells group by 1) s) end as preferred
      from totals t`),
  );
  await audit(scope, {
    action: 'read',
    subjectType: auditSubject.round,
    subjectId: roundId,
    detail: { results: true },
  });
  const profile = (values: string[] | null): Profile | null =>
    values
      ? (Object.fromEntries(cultures.map((culture, i) => [culture, Number(values[i])])) as Profile)
      : null;
  return {
    responses: row?.responses ?? 0,
    now: profile(row?.now ?? null),
    preferred: profile(row?.preferred ?? null),
  };
}

export interface Gap {
  culture: Culture;
  /** Preferred minus now, in points. */
  gap: number;
}

/** The gaps that matter most first: the biggest differences between now and preferred. */
export function biggestGaps(results: Results, howMany = 2): Gap[] {
  if (!results.now || !results.preferred) return [];
  return cultures
    .map((culture) => ({ culture, gap: results.preferred![culture] - results.now![culture] }))
    .filter((one) => Math.abs(one.gap) >= 1)
    .sort(
      (a, b) =>
        Math.abs(b.gap) - Math.abs(a.gap) || cultures.indexOf(a.culture) - cultures.indexOf(b.culture),
    )
    .slice(0, howMany);
}

/** Checks one set of four answers: whole numbers from 0 to 100 that make 100 together. */
export function checkPoints(
  raw: string[],
): { ok: true; points: number[] } | { ok: false; problem: 'number' | 'sum'; total: number } {
  const points: number[] = [];
  for (const value of raw) {
    const trimmed = value.trim();
    if (trimmed === '') {
      points.push(0);
      continue;
    }
    if (!/^\d{1,3}$/.test(trimmed) || Number(trimmed) > 100)
      return { ok: false, problem: 'number', total: 0 };
    points.push(Number(trimmed));
  }
  const total = points.reduce((a, b) => a + b, 0);
  return total === 100 ? { ok: true, points } : { ok: false, problem: 'sum', total };
}
