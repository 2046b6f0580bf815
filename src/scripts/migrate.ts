import { boot, configOrExit } from '../boot.ts';

/** `npm run db:migrate`: brings the database up to date and stops. */
const deps = await boot(configOrExit());
console.log(`Database (${deps.database.kind}) is up to date.`);
await deps.database.close();
