import { sql } from 'drizzle-orm';
import { audit } from '../../core/audit.ts';
import { rowsOf, type Scope } from '../../core/database/tenancy.ts';
import { ruleWith, type SmallNumberRule } from '../../core/small-numbers.ts';

export const auditSubject = {
  report: 'impact-report',
  settings: 'impact-setting',
  unitCost: 'impact-unit-cost',
  share: 'impact-share',
} as const;

/** The organisation's small-number rule: NHS Digital's unless it chose a stricter threshold. */
export async function ruleOf(scope: Scope): Promise<SmallNumberRule> {
  const [row] = await rowsOf<{ fewerThan: number }>(
    scope.tx.execute(
      sql`select fewer_than as "fewerThan" from impact_setting where organisation_id = ${scope.organisationId}`,
    ),
  );
  return ruleWith(row?.fewerThan);
}

export async function setFewerThan(scope: Scope, fewerThan: number): Promise<void> {
  await scope.tx.execute(sql`insert into impact_setting (organisation_id, fewer_than, updated_by_person_id)
    values (${scope.organisationId}, ${fewerThan}, ${scope.actorPersonId})
    on conflict (organisation_id) do update set fewer_than = excluded.fewer_than,
      updated_by_person_id = excluded.updated_by_person_id, updated_at = now()`);
  await audit(scope, { action: 'update', subjectType: auditSubject.settings, detail: { fewerThan } });
}
