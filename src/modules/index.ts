import type { MigrationSource } from '../core/database/migrate.ts';
import type { AlongsideModule } from '../core/module.ts';
import { organisationAdmin } from './organisation-admin/index.tsx';
import { timeBank } from './time-bank/index.tsx';

/** Every capability family this installation runs, in the order their migrations apply. */
export const modules: AlongsideModule[] = [organisationAdmin, timeBank];

export function migrationSources(list: AlongsideModule[] = modules): MigrationSource[] {
  return list
    .filter((module) => module.migrations)
    .map((module) => ({ source: module.id, directory: module.migrations! }));
}
