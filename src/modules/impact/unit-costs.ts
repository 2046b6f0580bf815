import { sql } from 'drizzle-orm';
import { audit } from '../../core/audit.ts';
import { rowsOf, type Scope } from '../../core/database/tenancy.ts';
import { auditSubject } from './settings.ts';

/** A unit cost the organisation entered and trusts, with where it came from. */
export interface UnitCost {
  id: string;
  name: string;
  /** `<module id>:<figure key>` of a costable figure. */
  figure: string;
  pence: number;
  source: string;
  year: number;
}

export async function unitCostsOf(scope: Scope): Promise<UnitCost[]> {
  return (
    await rowsOf<UnitCost & { pence: string | number }>(
      scope.tx.execute(sql`select id, name, figure, pence, source, year from impact_unit_cost
        where organisation_id = ${scope.organisationId} and removed_at is null order by name, id limit 100`),
    )
  ).map((row) => ({ ...row, pence: Number(row.pence) }));
}

export async function addUnitCost(scope: Scope, cost: Omit<UnitCost, 'id'>): Promise<string> {
  const [row] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`insert into impact_unit_cost (organisation_id, name, figure, pence, source, year, created_by_person_id)
      values (${scope.organisationId}, ${cost.name}, ${cost.figure}, ${cost.pence}, ${cost.source}, ${cost.year},
        ${scope.actorPersonId}) returning id`),
  );
  await audit(scope, {
    action: 'create',
    subjectType: auditSubject.unitCost,
    subjectId: row!.id,
    detail: { figure: cost.figure },
  });
  return row!.id;
}

/** Taken out of the report; the row stays so what an older download said can be explained. */
export async function removeUnitCost(scope: Scope, id: string): Promise<boolean> {
  const rows = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`update impact_unit_cost set removed_at = now()
      where id = ${id} and organisation_id = ${scope.organisationId} and removed_at is null returning id`),
  );
  if (rows.length === 0) return false;
  await audit(scope, { action: 'delete', subjectType: auditSubject.unitCost, subjectId: id });
  return true;
}
