import { sql } from 'drizzle-orm';
import { audit } from '../../core/audit.ts';
import { rowsOf, type Scope } from '../../core/database/tenancy.ts';
import { isUuid } from '../../core/tokens.ts';
import { auditSubject } from './words.ts';

/** "Where I am now": scales the person names and rates 0-10 whenever they like. */
export interface Scale {
  id: string;
  personId: string;
  name: string;
  lowWords: string;
  highWords: string;
  ratings: { value: number; ratedAt: Date; ratedBy: string | null }[];
}

export async function scalesOf(scope: Scope, personId: string): Promise<Scale[]> {
  if (!isUuid(personId)) return [];
  const scales = await rowsOf<Omit<Scale, 'ratings'>>(
    scope.tx.execute(sql`select id, person_id as "personId", name, low_words as "lowWords", high_words as "highWords"
      from where_i_am_scale where organisation_id = ${scope.organisationId} and person_id = ${personId}
      order by created_at, id`),
  );
  const ratings = await rowsOf<{ scaleId: string; value: number; ratedAt: Date; ratedBy: string | null }>(
    scope.tx.execute(sql`select scale_id as "scaleId", value, rated_at as "ratedAt", rated_by as "ratedBy"
      from where_i_am_rating where organisation_id = ${scope.organisationId} and person_id = ${personId}
      order by rated_at, id`),
  );
  return scales.map((scale) => ({
    ...scale,
    ratings: ratings
      .filter((rating) => rating.scaleId === scale.id)
      .map((rating) => ({
        value: Number(rating.value),
        ratedAt: new Date(rating.ratedAt),
        ratedBy: rating.ratedBy,
      })),
  }));
}

export async function addScale(
  scope: Scope,
  input: { personId: string; name: string; lowWords: string; highWords: string; firstValue: number | null },
): Promise<string> {
  const [row] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`insert into where_i_am_scale (organisation_id, person_id, name, low_words, high_words)
      values (${scope.organisationId}, ${input.personId}, ${input.name}, ${input.lowWords}, ${input.highWords}) returning id`),
  );
  if (input.firstValue !== null)
    await insertRating(scope, row!.id, input.personId, input.firstValue, new Date());
  await audit(scope, {
    action: 'create',
    subjectType: auditSubject.scale,
    subjectId: row!.id,
    subjectPersonId: input.personId,
    detail: { fields: ['name', 'lowWords', 'highWords', ...(input.firstValue !== null ? ['rating'] : [])] },
  });
  return row!.id;
}

async function insertRating(scope: Scope, scaleId: string, personId: string, value: number, at: Date) {
  await scope.tx.execute(sql`insert into where_i_am_rating (organisation_id, scale_id, person_id, value, rated_by, rated_at)
    values (${scope.organisationId}, ${scaleId}, ${personId}, ${value}, ${scope.actorPersonId}, ${at.toISOString()})`);
}

/** Ratings of several scales at once ("today I am here"); scales not the person's are ignored. */
export async function rateScales(
  scope: Scope,
  personId: string,
  values: Map<string, number>,
  at = new Date(),
): Promise<number> {
  const own = new Set((await scalesOf(scope, personId)).map((scale) => scale.id));
  let count = 0;
  for (const [scaleId, value] of values) {
    if (!own.has(scaleId)) continue;
    await insertRating(scope, scaleId, personId, value, at);
    count++;
  }
  if (count)
    await audit(scope, {
      action: 'update',
      subjectType: auditSubject.scale,
      subjectPersonId: personId,
      detail: { fields: ['rating'], count },
    });
  return count;
}
