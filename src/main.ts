import { serve } from '@hono/node-server';
import { createApp } from './app.tsx';
import { boot, configOrExit } from './boot.ts';
import { dispatchMail, retryFailedMail, smtpTransport } from './core/mail.ts';
import { demoPassword } from './demo/people.ts';
import { demoAccounts, hasAnyOrganisation, seedDemo } from './demo/seed.ts';

const started = performance.now();
const config = configOrExit();
const deps = await boot(config);
const { app, services } = createApp(deps);

let seeded = false;
if (config.demoData && !(await hasAnyOrganisation(deps.database))) {
  await seedDemo(services);
  seeded = true;
}

const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => {
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const lines = [
    '',
    `Alongside is running at ${config.publicUrl.origin}  (ready in ${seconds} s, ${deps.database.kind} database)`,
  ];
  if (config.demoData) {
    lines.push(seeded ? 'Demo data loaded. Sign in as any of these:' : 'Demo accounts:');
    for (const demo of demoAccounts())
      lines.push(`  ${demo.email.padEnd(28)} ${demo.roles.padEnd(16)} ${demo.organisation}`);
    lines.push(`  Password for all of them: ${demoPassword}`);
  }
  lines.push('Press Ctrl+C to stop.', '');
  console.log(lines.join('\n'));
});

// Quiet background chores: send queued email when SMTP is set, and forget sessions that have run out.
const transport = smtpTransport(config);
if (config.production && !transport) {
  deps.logger.warn("SMTP_URL is not set: emails wait in each organisation's outbox for an admin to pass on.");
}
let round = 0;
const chores = setInterval(async () => {
  round += 1;
  try {
    if (transport) {
      // Messages that failed get another try every five minutes or so.
      if (round % 20 === 0) await retryFailedMail(deps.database);
      await dispatchMail(deps.database, config, transport);
    }
    await services.sessions.removeExpired();
  } catch (error) {
    deps.logger.warn({ err: (error as Error).name }, 'background chore failed');
  }
}, 15_000);
chores.unref();

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  clearInterval(chores);
  server.close();
  await deps.database.close();
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
