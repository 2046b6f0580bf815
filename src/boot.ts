import { type Config, ConfigError, loadConfig } from './core/config.ts';
import type { AppDeps } from './core/context.ts';
import { openDatabase } from './core/database/connect.ts';
import { migrate } from './core/database/migrate.ts';
import { createLogger } from './core/logger.ts';
import { migrationSources, modules } from './modules/index.ts';

/** Reads the configuration or explains, in plain words, what is missing and stops. */
export function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

/** Opens and migrates the database: the shared first steps of the server and the command-line scripts. */
export async function boot(config: Config): Promise<AppDeps> {
  const logger = createLogger(config.logLevel);
  const database = await openDatabase(config);
  const applied = await migrate(database, migrationSources());
  if (applied.length > 0) logger.info({ applied }, 'database migrated');
  return { config, database, logger, modules };
}
