import { type CsvValue, csvCell, typed } from '../../core/csv.ts';
import type { Scope } from '../../core/database/tenancy.ts';
import type { Translate } from '../../core/i18n/index.ts';
import { fullNamesOf } from '../../core/people.ts';
import { type BatchCursor, forceRecordsBatch } from './force.ts';
import { ukDayAndTime } from './moments.ts';

/** A moment as the ward clock read it, in UK time: `2026-08-16 10:41`. */
function ukTime(moment: Date | null | undefined): string {
  if (!moment) return '';
  const { day, time } = ukDayAndTime(moment);
  return `${day} ${time}`;
}

const w = (key: string) => `safer-wards.${key}`;

/** The statutory return's columns: one row per type of force used, every s.6(5) item in its own. */
export const exportColumns = [
  'record',
  'ward',
  'status',
  'patient',
  'identifier',
  'place',
  'recordStart',
  'recordEnd',
  'type',
  'position',
  'typeStart',
  'typeEnd',
  'typeMinutes',
  'reason',
  'description',
  'inCarePlan',
  'staff',
  'nonStaff',
  'othersInvolved',
  'mentalDisorder',
  'characteristics',
  'ldAutism',
  'outcome',
  'harm',
  'planItemsTried',
  'efforts',
  'peopleTold',
  'peopleToldDetails',
  'signedOffAt',
  'version',
] as const;

export const exportBatch = 500;

/**
 * Writes the CSV of every use of force started between two UK days, a batch of records at a time, each
 * batch read in its own transaction through `inScope`: memory stays one batch whatever the count. Codes
 * are written in words, typed text is defused (the core CSV writer), and "not known" is said as such.
 * Times are UK time, as the ward clock read them; the name is the full name where it is known.
 */
export async function writeForceCsv(options: {
  inScope: <T>(work: (scope: Scope) => Promise<T>) => Promise<T>;
  wardId: string | null;
  from: string;
  to: string;
  t: Translate;
  wardName: (wardId: string) => string;
  write: (chunk: string) => Promise<unknown> | unknown;
}): Promise<{ records: number; rows: number }> {
  const { t } = options;
  const answer = (group: string, value: string) => (value ? t(w(`${group}.${value}`)) : '');
  const notKnown = t(w('force.notKnown'));
  await options.write(
    `\uFEFF${exportColumns.map((k) => csvCell(t(w(`export.columns.${k}`)))).join(',')}\r\n`,
  );
  let after: BatchCursor | undefined;
  let records = 0;
  let rows = 0;
  for (;;) {
    const batch = await options.inScope(async (scope) => {
      const found = await forceRecordsBatch(scope, {
        wardId: options.wardId,
        from: options.from,
        to: options.to,
        after,
        limit: exportBatch,
      });
      return {
        ...found,
        names: await fullNamesOf(
          scope,
          found.records.map((r) => r.personId),
        ),
      };
    });
    const lines: string[] = [];
    for (const record of batch.records) {
      const staff = record.staff.map((s) => `${s.calledName} (${s.jobTitle})`).join('; ');
      for (const used of record.types.length > 0 ? record.types : [null]) {
        const row: CsvValue[] = [
          record.id,
          typed(options.wardName(record.wardId)),
          t(w(`force.status.${record.status}`)),
          typed(batch.names.get(record.personId) ?? ''),
          record.personId,
          typed(record.place),
          ukTime(record.startedAt),
          ukTime(record.endedAt),
          used ? t(w(`force.types.${used.type}`)) : '',
          used?.position ? t(w(`force.positions.${used.position}`)) : '',
          ukTime(used?.startedAt),
          ukTime(used?.endedAt),
          used ? Math.round((used.endedAt.getTime() - used.startedAt.getTime()) / 60_000) : '',
          typed(record.reason),
          typed(record.description),
          answer('answers', record.inCarePlan),
          typed(staff),
          answer('force.nonStaff', record.nonStaff),
          typed(record.othersInvolved),
          typed(record.mentalDisorder || notKnown),
          typed(record.characteristics || notKnown),
          record.ldAutism ? t(w(`plan.ldAutism.${record.ldAutism}`)) : notKnown,
          typed(record.outcome),
          answer('force.harms', record.harm),
          typed(record.planItemsTried.join('; ')),
          typed(record.efforts),
          answer('force.told', record.peopleTold),
          typed(record.peopleToldDetails),
          ukTime(record.signedOffAt),
          record.version,
        ];
        lines.push(row.map(csvCell).join(','));
        rows += 1;
      }
      records += 1;
    }
    if (lines.length > 0) await options.write(`${lines.join('\r\n')}\r\n`);
    if (!batch.next) break;
    after = batch.next;
  }
  return { records, rows };
}
