import type { Scope } from '../../core/database/tenancy.ts';
import { namesOf } from '../../core/people.ts';
import type { RecordWriter } from '../../core/record.ts';
import { findTeam, teamName } from '../../core/teams.ts';
import { debriefsOf, listForceRecords } from './force.ts';
import { helpPlanHeadings, helpPlanVersions } from './help-plans.ts';
import { listInteractions } from './interactions.ts';
import { messagesOf } from './safewards.ts';
import { staysOf } from './wards.ts';

const w = (key: string) => `safer-wards.${key}`;

/**
 * The safer-wards section of the person's record: every version of their help plan, their stays, the
 * interactions recorded with them, every record of force about them with the accounts beside it (the
 * staff's unless an audited reason keeps it back, which the record then says), and their messages.
 */
export async function saferWardsRecord(scope: Scope, personId: string, r: RecordWriter) {
  const plans = await helpPlanVersions(scope, personId);
  const stays = await staysOf(scope, personId);
  const interactions = await listInteractions(scope, { personId, limit: 1000 });
  const records = await listForceRecords(scope, { personId, limit: 1000 });
  const debriefs = new Map<string, Awaited<ReturnType<typeof debriefsOf>>>();
  for (const record of records) debriefs.set(record.id, await debriefsOf(scope, record.id));
  const messages = await messagesOf(scope, personId);
  const wardNames = new Map<string, string>();
  for (const wardId of new Set([...stays.map((s) => s.wardId), ...records.map((f) => f.wardId)])) {
    const ward = await findTeam(scope, wardId);
    if (ward) wardNames.set(wardId, teamName(ward, r.language));
  }
  const names = await namesOf(scope, [
    ...plans.flatMap((p) => (p.writtenBy ? [p.writtenBy] : [])),
    ...interactions.flatMap((i) => (i.recordedBy ? [i.recordedBy] : [])),
    ...[...debriefs.values()].flat().flatMap((d) => (d.byPersonId ? [d.byPersonId] : [])),
  ]);
  const ward = (wardId: string) => wardNames.get(wardId) ?? '';
  return {
    helpPlans: [...plans].reverse().map((plan) => ({
      version: plan.version,
      writtenBy: r.name(names, plan.writtenBy),
      writtenAt: r.at(plan.createdAt),
      ...Object.fromEntries(helpPlanHeadings.map((h) => [h, plan[h]])),
      calmItems: plan.calmItems,
      sharedDisorder: plan.sharedDisorder,
      sharedLdAutism: plan.sharedLdAutism
        ? r.code(plan.sharedLdAutism, w(`plan.ldAutism.${plan.sharedLdAutism}`))
        : null,
      sharedCharacteristics: plan.sharedCharacteristics,
    })),
    stays: [...stays].reverse().map((stay) => ({
      id: stay.id,
      ward: ward(stay.wardId),
      admittedAt: r.at(stay.admittedAt),
      dischargedAt: r.at(stay.dischargedAt),
    })),
    interactions: [...interactions].reverse().map((one) => ({
      id: one.id,
      ward: ward(one.wardId),
      at: r.at(one.happenedAt),
      kind: r.code(one.kind, w(`continuum.${one.kind}`)),
      words: one.words,
      recordedBy: r.name(names, one.recordedBy),
    })),
    usesOfForce: [...records].reverse().map((record) => {
      const accounts = debriefs.get(record.id) ?? [];
      const mine = accounts
        .filter((d) => d.side === 'patient')
        .map((d) => ({
          at: r.at(d.createdAt),
          state: r.code(d.state, w(`debrief.states.${d.state}`)),
          words: d.words,
        }));
      const base = { id: record.id, ward: ward(record.wardId), myAccounts: mine };
      if (record.withheldReason) return { ...base, withheldBecause: record.withheldReason };
      return {
        ...base,
        status: r.code(record.status, w(`force.status.${record.status}`)),
        place: record.place,
        startedAt: r.at(record.startedAt),
        endedAt: r.at(record.endedAt),
        types: record.types.map((used) => ({
          type: r.code(used.type, w(`force.types.${used.type}`)),
          position: used.position ? r.code(used.position, w(`force.positions.${used.position}`)) : null,
          startedAt: r.at(used.startedAt),
          endedAt: r.at(used.endedAt),
        })),
        reason: record.reason,
        description: record.description,
        staff: record.staff.map((s) => ({ name: s.calledName ?? '', jobTitle: s.jobTitle })),
        effortsToAvoid: [...record.planItemsTried, ...(record.efforts ? [record.efforts] : [])],
        outcome: record.outcome,
        staffDebriefs: accounts
          .filter((d) => d.side === 'staff')
          .map((d) => ({
            at: r.at(d.createdAt),
            by: r.name(names, d.byPersonId),
            before: d.beforeWords,
            chances: d.chances,
            differently: d.differently,
          })),
      };
    }),
    messagesForTheWard: messages.map((m) => ({
      id: m.id,
      words: m.words,
      shown: m.shown,
      at: r.at(m.createdAt),
    })),
  };
}
