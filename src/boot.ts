import { type Config, ConfigError, loadConfig } from './core/config.ts';
import type { AppDeps } from './core/context.ts';
import { openDatabase } from './core/database/connect.ts';
import { DataFolderInUse } from './core/database/embedded.ts';
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
export async function boot(config: Config, signal?: AbortSignal): Promise<AppDeps> {
  const logger = createLogger(config.logLevel);
  const database = await openDatabaseOrExit(config);
  try {
    signal?.throwIfAborted();
    const applied = await migrate(database, migrationSources(), { signal });
    if (applied.length > 0) logger.info({ applied }, 'database migrated');
  } catch (error) {
    await database.close();
    throw error;
  }
  return { config, database, logger, modules };
}

/** A data folder another Alongside is using is said plainly, not as a WebAssembly abort. */
async function openDatabaseOrExit(config: Config) {
  try {
    return await openDatabase(config);
  } catch (error) {
    if (error instanceof DataFolderInUse) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
