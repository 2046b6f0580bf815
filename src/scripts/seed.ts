import { createServices } from '../app.tsx';
import { boot, configOrExit } from '../boot.ts';
import { demoAccounts, seedDemo } from '../demo/seed.ts';

/** `npm run seed`: loads the demo organisations and people; running it again changes nothing. */
const deps = await boot(configOrExit());
await seedDemo(createServices(deps));
console.log(`Demo data is in place (${demoAccounts().length} accounts).`);
await deps.database.close();
