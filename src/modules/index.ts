import type { MigrationSource } from '../core/database/migrate.ts';
import type { AlongsideModule } from '../core/module.ts';
import { barriers } from './barriers/index.tsx';
import { coaching } from './coaching/index.tsx';
import { impact } from './impact/index.tsx';
import { learning } from './learning/index.tsx';
import { organisationAdmin } from './organisation-admin/index.tsx';
import { peerSupport } from './peer-support/index.tsx';
import { personalBudget } from './personal-budget/index.tsx';
import { saferWards } from './safer-wards/index.tsx';
import { stories } from './stories/index.tsx';
import { timeBank } from './time-bank/index.tsx';

/** Every capability family this installation runs, in the order their migrations apply. */
export const modules: AlongsideModule[] = [
  organisationAdmin,
  coaching,
  personalBudget,
  barriers,
  timeBank,
  peerSupport,
  learning,
  saferWards,
  stories,
  impact,
];

export function migrationSources(list: AlongsideModule[] = modules): MigrationSource[] {
  return list
    .filter((module) => module.migrations)
    .map((module) => ({ source: module.id, directory: module.migrations! }));
}
