import { type SQL, sql } from 'drizzle-orm';
import { rowsOf, type Scope } from '../../core/database/tenancy.ts';
import type { Statistic } from '../../core/module.ts';
import { byMonth, type StatisticPeriod } from '../../core/periods.ts';
import { goalThemes, themesOf } from '../coaching/goals.ts';

/**
 * Personal budgets' figures for the impact report, from the ledger and the requests as they were
 * decided: nothing typed for a report. Money is in pence; a spend is counted in the UK month it was
 * recorded, less any correction of it, so a month shows what stands of what was spent in it.
 */

const ukStart = (day: string) => sql`(${day}::date::timestamp at time zone 'Europe/London')`;
const inPeriod = (at: SQL, period: StatisticPeriod) =>
  sql`${at} >= ${ukStart(period.from)} and ${at} < ${ukStart(period.until)}`;
const ukMonth = (at: SQL) => sql`to_char(${at} at time zone 'Europe/London', 'YYYY-MM')`;

export async function personalBudgetStatistics(scope: Scope, period: StatisticPeriod): Promise<Statistic[]> {
  // Each spend in the period with what stands of it after corrections (a correction reverses it whole).
  const spends = await rowsOf<{ month: string; personId: string; goalId: string | null; pence: number }>(
    scope.tx.execute(sql`select ${ukMonth(sql`s.created_at`)} as month, r.person_id as "personId",
        r.goal_id as "goalId", (-(s.pence + coalesce(sum(c.pence), 0)))::int as pence
      from personal_budget_entry s
      join personal_budget_request r on r.id = s.request_id
      left join personal_budget_entry c on c.reverses_entry_id = s.id and c.kind = 'correction'
      where s.organisation_id = ${scope.organisationId} and s.kind = 'spend' and ${inPeriod(sql`s.created_at`, period)}
      group by s.id, s.created_at, s.pence, r.person_id, r.goal_id`),
  );
  const standing = spends.filter((spend) => spend.pence !== 0);
  const sumByMonth = (rows: typeof spends) => {
    const months = new Map<string, number>();
    for (const row of rows) months.set(row.month, (months.get(row.month) ?? 0) + Number(row.pence));
    return byMonth(
      period,
      [...months].map(([month, n]) => ({ month, n })),
    );
  };
  const spent = standing.reduce((sum, row) => sum + Number(row.pence), 0);
  const spendValues = { spends: standing.length };

  const people = new Set(standing.map((row) => row.personId));
  const peopleByMonth = byMonth(
    period,
    period.months.map((month) => ({
      month,
      n: new Set(standing.filter((row) => row.month === month).map((row) => row.personId)).size,
    })),
  );

  // Approved: still approved, spent since, or withdrawn after approval (only approving and saying
  // "not this time" record a decision, and a request said no to cannot be withdrawn).
  const approved = await rowsOf<{ month: string; n: number }>(
    scope.tx.execute(sql`select ${ukMonth(sql`decided_at`)} as month, count(*)::int as n
      from personal_budget_request
      where organisation_id = ${scope.organisationId} and decided_at is not null
        and status in ('approved', 'spent', 'withdrawn') and ${inPeriod(sql`decided_at`, period)}
      group by 1`),
  );
  const approvedCount = approved.reduce((sum, row) => sum + Number(row.n), 0);

  // Towards which kind of goal, as the person chose it when asking (the goal's theme in coaching).
  const themes = await themesOf(
    scope,
    standing.flatMap((row) => (row.goalId ? [row.goalId] : [])),
  );
  const themeOf = (row: (typeof spends)[number]) => (row.goalId && themes.get(row.goalId)) || 'no-theme';

  return [
    {
      key: 'spent-pence',
      label: 'statistics.spent',
      section: 'money',
      unit: 'money',
      value: spent,
      byMonth: sumByMonth(standing),
      derivation: { label: 'statistics.from.spends', values: spendValues },
      countsPeople: false,
    },
    ...[...goalThemes, 'no-theme'].map(
      (theme): Statistic => ({
        key: `spent-pence-${theme}`,
        label: `statistics.theme.${theme}`,
        section: 'money',
        unit: 'money',
        value: standing
          .filter((row) => themeOf(row) === theme)
          .reduce((sum, row) => sum + Number(row.pence), 0),
        byMonth: sumByMonth(standing.filter((row) => themeOf(row) === theme)),
        derivation: { label: 'statistics.from.spendsByTheme' },
        countsPeople: false,
        partOf: 'spent-pence',
      }),
    ),
    {
      key: 'requests-approved',
      label: 'statistics.requestsApproved',
      section: 'money',
      unit: 'count',
      value: approvedCount,
      byMonth: byMonth(period, approved),
      derivation: { label: 'statistics.from.approvals' },
      countsPeople: false,
    },
    {
      key: 'people-spent',
      label: 'statistics.peopleSpent',
      section: 'money',
      unit: 'people',
      value: people.size,
      byMonth: peopleByMonth,
      derivation: { label: 'statistics.from.peopleSpent', values: spendValues },
      countsPeople: true,
    },
  ];
}
