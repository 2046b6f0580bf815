import { audit } from '../../core/audit.ts';
import type { Scope } from '../../core/database/tenancy.ts';
import type { Statistic } from '../../core/module.ts';
import { recentMonths, wardFigures } from './figures.ts';
import { debriefFigures, forceTypes } from './force.ts';
import { roundTo } from './spc.ts';
import { auditSubject } from './wards.ts';

/**
 * Figures for the impact report over the last twelve months, every ward together: uses of force by
 * type, the rate per 1,000 occupied bed days, prone restraints, help asked for and given, and debriefs
 * offered and taken up. Counts only; the report hides small ones.
 */
export async function wardStatistics(scope: Scope): Promise<Statistic[]> {
  const figures = await wardFigures(scope, null, { months: 12 });
  const { from, to } = recentMonths(12);
  const debriefs = await debriefFigures(scope, from, to);
  await audit(scope, { action: 'read', subjectType: auditSubject.forceRecord, detail: { statistics: true } });
  const { totals } = figures;
  const rate = totals.bedDays > 0 ? roundTo((totals.uses * 1000) / totals.bedDays, 1) : 0;
  return [
    { key: 'uses-of-force', label: 'statistics.uses', value: totals.uses },
    ...forceTypes.map((type) => ({
      key: `force-${type}`,
      label: `statistics.types.${type}`,
      value: totals.types[type],
    })),
    { key: 'prone', label: 'statistics.prone', value: totals.prone },
    { key: 'occupied-bed-days', label: 'statistics.bedDays', value: totals.bedDays },
    { key: 'force-per-1000-obd', label: 'statistics.rate', value: rate },
    { key: 'asked-for-help', label: 'statistics.helped', value: totals.kinds['asked-for-help'] },
    { key: 'debriefs-offered', label: 'statistics.debriefsOffered', value: debriefs.offered },
    { key: 'debriefs-given', label: 'statistics.debriefsGiven', value: debriefs.given },
    { key: 'staff-debriefs', label: 'statistics.staffDebriefs', value: debriefs.staff },
  ];
}
