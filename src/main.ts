import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { createApp } from './app.tsx';
import { boot, configOrExit } from './boot.ts';
import type { Database } from './core/database/connect.ts';
import { coreJobKinds, JobRunner } from './core/jobs.ts';
import { dispatchMail, retryFailedMail, smtpTransport } from './core/mail.ts';
import { notificationJobKinds } from './core/notifications.ts';
import { forgetOldSubmissions } from './core/one-time-forms.ts';
import { demoPassword } from './demo/people.ts';
import { demoAccounts, hasAnyOrganisation, seedDemo } from './demo/seed.ts';

// A stop (Ctrl+C, a service manager's SIGTERM) is heard from the first moment: during migrations and
// the first demo load it ends the step under way (undoing it) and closes the database.
const stop = new AbortController();
let database: Database | null = null;
let server: Server | null = null;
let chores: NodeJS.Timeout | null = null;
let jobs: JobRunner | null = null;
let stopping: Promise<void> | null = null;

function shutdown(code = 0): Promise<void> {
  stopping ??= (async () => {
    if (chores) clearInterval(chores);
    // The job under way finishes (or, past its lease, is taken up again by the next start).
    if (jobs) await Promise.race([jobs.stop(), new Promise((resolve) => setTimeout(resolve, 5_000))]);
    if (server) {
      const closing = new Promise<void>((resolve) => server!.close(() => resolve()));
      // Idle keep-alive connections would hold the close open; requests under way are let finish.
      server.closeIdleConnections();
      await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    }
    if (database) await database.close();
    console.log('Alongside has stopped; the database is closed.');
    process.exit(code);
  })();
  return stopping;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stop.signal.aborted) return;
    console.log(`\nStopping (${signal})…`);
    stop.abort();
    // While starting, the step under way (opening, a migration, the demo load) ends first and the
    // start-up below closes the database; once serving, stop at once.
    if (server) void shutdown();
  });
}

const started = performance.now();
const config = configOrExit();
try {
  const deps = await boot(config, stop.signal);
  database = deps.database;
  const { app, services } = createApp(deps);

  let seeded = false;
  if (config.demoData && !(await hasAnyOrganisation(deps.database))) {
    console.log('Loading the demo data (the first start only)…');
    seeded = (await seedDemo(services, { onlyIfEmpty: true, signal: stop.signal })) === 'loaded';
  }
  stop.signal.throwIfAborted();

  server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => {
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
  }) as Server;

  jobs = new JobRunner({
    database: deps.database,
    services,
    kinds: [...coreJobKinds, ...notificationJobKinds, ...deps.modules.flatMap((module) => module.jobs ?? [])],
  });
  jobs.start();

  // Quiet background chores: send queued email when SMTP is set, and forget sessions that have run out.
  const transport = smtpTransport(config);
  if (config.production && !transport) {
    deps.logger.warn(
      "SMTP_URL is not set: emails wait in each organisation's outbox for an admin to pass on.",
    );
  }
  let round = 0;
  chores = setInterval(async () => {
    round += 1;
    try {
      if (transport) {
        // Messages that failed get another try every five minutes or so.
        if (round % 20 === 0) await retryFailedMail(deps.database);
        await dispatchMail(deps.database, config, transport);
      }
      await services.sessions.removeExpired();
      if (round % 240 === 1) await forgetOldSubmissions(deps.database);
    } catch (error) {
      deps.logger.warn({ err: (error as Error).name }, 'background chore failed');
    }
  }, 15_000);
  chores.unref();
} catch (error) {
  if (stop.signal.aborted) {
    // The step under way was undone; a half-loaded demo or migration was rolled back.
    await shutdown(0);
  } else {
    console.error('Alongside could not start:', (error as Error).message);
    await shutdown(1);
  }
}
