import { sql } from 'drizzle-orm';
import { rowsOf, type Scope } from '../../core/database/tenancy.ts';
import type { DemoOrganisation } from '../../core/module.ts';
import { lastWholeMonths } from '../../core/periods.ts';
import { publishedRule } from '../../core/small-numbers.ts';
import { newToken } from '../../core/tokens.ts';
import { setFewerThan } from './settings.ts';
import { makeShare, revokeShare } from './shares.ts';
import { addUnitCost } from './unit-costs.ts';

/**
 * Demo unit costs, so the cost comparison can be seen. They are marked as demo figures in their source:
 * Alongside ships no unit cost as fact, and an organisation enters the ones its own finance team trusts.
 */
export async function seedImpact(scope: Scope, organisation: DemoOrganisation): Promise<void> {
  const [existing] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`select id from impact_unit_cost limit 1`),
  );
  if (existing) return;
  const lead = organisation.people.lead ?? organisation.people.admin ?? null;
  const as = { ...scope, actorPersonId: lead };
  await setFewerThan(as, publishedRule.fewerThan);
  // Last year's link for the community fund's review, since revoked: how the list of links reads.
  if (organisation.people.funder) {
    const period = lastWholeMonths(12, new Date(Date.now() - 365 * 86_400_000));
    // Hashed with a throwaway key, so even before it was revoked no secret could open it.
    const made = await makeShare(as, newToken(), {
      label: 'The community fund, for last year’s review',
      firstMonth: period.months[0]!,
      lastMonth: period.months.at(-1)!,
      days: 30,
    });
    await revokeShare(as, made.id);
  }
  // The ward's organisation: its bed days come from the midnight census, so a bed day's cost can be set against them.
  if (organisation.people.owen || organisation.id.endsWith('0003')) {
    await addUnitCost(as, {
      name: 'A mental-health bed day (demo figure)',
      figure: 'safer-wards:occupied-bed-days',
      pence: 52_500,
      source: 'Demo figure only: replace with the cost your finance team uses, and say where it comes from',
      year: 2025,
    });
  }
}
