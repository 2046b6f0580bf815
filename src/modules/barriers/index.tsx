import { fileURLToPath } from 'node:url';
import type { Context, Hono } from 'hono';
import type { AppEnv } from '../../core/context.ts';
import { defineModule } from '../../core/module.ts';
import type { Grant } from '../../core/permissions.ts';
import { renderProblem } from '../../core/web/errors.tsx';
import cy from './cy.json' with { type: 'json' };
import { seedBarriers } from './demo.ts';
import en from './en.json' with { type: 'json' };
import { barriersRecord } from './my-record.ts';
import { recordRoutes } from './routes/records.tsx';
import { reportRoutes } from './routes/report.tsx';
import { systemRoutes } from './routes/systems.tsx';
import { barrierStatistics } from './statistics.ts';
import { id } from './views.tsx';

type C = Context<AppEnv>;

// Reaching the pages at all; which barriers someone sees is decided per record ("barrier", own or any).
const use: Grant = { action: 'use', subject: 'barriers', scope: 'any' };
const own = (action: Grant['action']): Grant => ({ action, subject: 'barrier', scope: 'own' });
const any = (action: Grant['action']): Grant => ({ action, subject: 'barrier', scope: 'any' });
const report: Grant = { action: 'read', subject: 'barrier-report', scope: 'any' };

export const barriers = defineModule({
  id,
  migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
  catalogues: { en, cy },
  permissions: {
    // People (peers too: a volunteer meets barriers as well) record and read the ones in their own way.
    person: [use, own('read'), own('create'), own('update')],
    peer: [use, own('read'), own('create'), own('update')],
    coach: [use, any('read'), any('create'), any('update'), report],
    lead: [use, any('read'), report],
    admin: [use, { action: 'manage', subject: 'barrier-system', scope: 'any' }],
  },
  navigation: [{ href: '/barriers', label: 'nav', visible: (can) => can('use', 'barriers') }],
  seedDemo: seedBarriers,

  // Figures for the impact report, from the barriers as recorded (statistics.ts); the report audits the reading.
  statistics: barrierStatistics,

  exportPerson: barriersRecord,

  routes(app: Hono<AppEnv>) {
    const mayUse = async (c: C, next: () => Promise<void>) => {
      if (!c.get('user')) return c.redirect(`/sign-in?next=${encodeURIComponent(c.req.path)}`, 303);
      if (!c.get('can')('use', 'barriers')) return renderProblem(c, 403);
      await next();
    };
    app.use('/barriers', mayUse);
    app.use('/barriers/*', mayUse);
    // The fixed paths first, so `/barriers/report` is never taken for a barrier's id.
    reportRoutes(app);
    systemRoutes(app);
    recordRoutes(app);
  },
});
