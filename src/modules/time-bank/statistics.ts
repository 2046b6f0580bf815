import { sql } from 'drizzle-orm';
import { rowsOf, type Scope } from '../../core/database/tenancy.ts';
import type { Statistic } from '../../core/module.ts';
import { byMonth, type StatisticPeriod } from '../../core/periods.ts';

/** Minutes as hours to one decimal, as the report shows hours. */
const hours = (minutes: number) => Math.round(minutes / 6) / 10;

/**
 * The time bank's figures for the impact report: counted exchanges between people on the day they
 * happened (a date in the UK, so its month is its own). Welcome hours are a gift from the community
 * account and peers' hours are peer support's own figure, so neither is counted here; a reversed
 * exchange was a mistake and is not counted either.
 */
export async function timeBankStatistics(scope: Scope, period: StatisticPeriod): Promise<Statistic[]> {
  const inPeriod = sql`x.status = 'counted' and x.kind = 'exchange'
    and x.happened_on >= ${period.from}::date and x.happened_on < ${period.until}::date`;
  const months = await rowsOf<{ month: string; exchanges: number; minutes: number }>(
    scope.tx.execute(sql`select to_char(x.happened_on, 'YYYY-MM') as month,
        count(distinct x.id)::int as exchanges, coalesce(sum(p.minutes), 0)::int as minutes
      from time_bank_exchange x join time_bank_exchange_part p on p.exchange_id = x.id
      where ${inPeriod}
      group by 1`),
  );
  const [givers] = await rowsOf<{ n: number }>(
    scope.tx.execute(sql`select count(distinct a.person_id)::int as n
      from time_bank_exchange x join time_bank_exchange_part p on p.exchange_id = x.id
      join time_bank_account a on a.id = p.giver_account_id and a.kind = 'member'
      where ${inPeriod}`),
  );
  const exchanges = months.reduce((sum, month) => sum + Number(month.exchanges), 0);
  const minutes = months.reduce((sum, month) => sum + Number(month.minutes), 0);
  const from = { label: 'statistics.from.exchanges', values: { exchanges } };
  return [
    {
      key: 'hours-exchanged',
      label: 'statistics.hoursExchanged',
      section: 'hours',
      unit: 'hours',
      value: hours(minutes),
      byMonth: byMonth(
        period,
        months.map((month) => ({ month: month.month, n: hours(Number(month.minutes)) })),
      ),
      derivation: from,
      countsPeople: false,
    },
    {
      key: 'exchanges',
      label: 'statistics.exchanges',
      section: 'hours',
      unit: 'count',
      value: exchanges,
      byMonth: byMonth(
        period,
        months.map((month) => ({ month: month.month, n: month.exchanges })),
      ),
      derivation: from,
      countsPeople: false,
    },
    {
      key: 'members-who-gave',
      label: 'statistics.membersWhoGave',
      section: 'hours',
      unit: 'people',
      value: givers!.n,
      derivation: from,
      countsPeople: true,
    },
  ];
}
