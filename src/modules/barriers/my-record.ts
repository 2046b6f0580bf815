import type { Scope } from '../../core/database/tenancy.ts';
import { namesOf } from '../../core/people.ts';
import type { RecordWriter } from '../../core/record.ts';
import { barriersAbout } from './barriers.ts';

const w = (key: string) => `barriers.${key}`;

/** The barriers section of the person's record: every barrier about them, with what happened next. */
export async function barriersRecord(scope: Scope, personId: string, r: RecordWriter) {
  const barriers = await barriersAbout(scope, personId);
  const names = await namesOf(scope, [
    ...new Set(
      barriers
        .flatMap((barrier) => [
          barrier.recordedByPersonId,
          ...barrier.history.map((update) => update.byPersonId),
        ])
        .filter((one): one is string => !!one),
    ),
  ]);
  return {
    barriers: barriers.map((barrier) => ({
      id: barrier.id,
      system: r.named(barrier.system.key, barrier.system),
      whatHappened: barrier.whatHappened,
      effect: barrier.effect,
      status: r.code(barrier.status, w(`status.${barrier.status}`)),
      consentToShareAsExample: r.code(barrier.consent, w(`consent.state.${barrier.consent}`)),
      recordedBy: r.name(names, barrier.recordedByPersonId),
      recordedAt: r.at(barrier.createdAt),
      history: barrier.history.map((update) =>
        update.kind === 'status'
          ? {
              at: r.at(update.createdAt),
              by: r.name(names, update.byPersonId),
              status: r.code(update.status!, w(`status.${update.status}`)),
              words: update.words,
            }
          : {
              at: r.at(update.createdAt),
              by: r.name(names, update.byPersonId),
              consent: r.code(update.consent!, w(`consent.state.${update.consent}`)),
            },
      ),
    })),
  };
}
