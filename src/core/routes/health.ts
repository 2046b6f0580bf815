import { execSync } from 'node:child_process';
import { sql } from 'drizzle-orm';
import type { Hono } from 'hono';
import type { AppEnv } from '../context.ts';

function commit(): string {
  if (process.env.GIT_COMMIT) return process.env.GIT_COMMIT;
  try {
    return execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return 'unknown';
  }
}

export function healthRoutes(app: Hono<AppEnv>, version: string) {
  const builtFrom = commit();
  app.get('/ping', (c) => c.text('pong'));
  app.get('/health', async (c) => {
    try {
      await c.get('services').database.db.execute(sql`select 1`);
      return c.json({ status: 'ok', database: 'ok' });
    } catch {
      return c.json({ status: 'unavailable', database: 'unreachable' }, 503);
    }
  });
  app.get('/info', (c) =>
    c.json({
      name: 'Alongside',
      version,
      commit: builtFrom,
      database: c.get('services').database.kind,
      node: process.version,
    }),
  );
}
