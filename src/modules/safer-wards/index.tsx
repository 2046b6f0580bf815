import { fileURLToPath } from 'node:url';
import type { Context, Hono } from 'hono';
import type { AppEnv } from '../../core/context.ts';
import { defineModule } from '../../core/module.ts';
import type { Grant } from '../../core/permissions.ts';
import { renderProblem } from '../../core/web/errors.tsx';
import cy from './cy.json' with { type: 'json' };
import { seedSaferWards } from './demo.ts';
import en from './en.json' with { type: 'json' };
import { saferWardsRecord } from './my-record.ts';
import { dashboardRoutes } from './routes/dashboard.tsx';
import { forceRoutes } from './routes/force.tsx';
import { interactionRoutes } from './routes/interactions.tsx';
import { mineRoutes } from './routes/mine.tsx';
import { patientRoutes } from './routes/patient.tsx';
import { id } from './routes/shared.tsx';
import { wardRoutes } from './routes/ward.tsx';
import { wardStatistics } from './statistics.ts';

type C = Context<AppEnv>;

// Reaching the ward pages at all; which ward and which patient is decided by the ward's team (wards.ts).
const staff: Grant = { action: 'use', subject: 'safer-wards', scope: 'any' };
// A patient's own help plan, the records about them and their account: pages that only ever show
// the signed-in person's own things, so "any" here reaches nobody else.
const own: Grant = { action: 'use', subject: 'my-ward', scope: 'any' };

export const saferWards = defineModule({
  id,
  migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
  catalogues: { en, cy },
  permissions: {
    person: [own],
    coach: [staff],
    lead: [staff],
  },
  navigation: [
    { href: '/wards', label: 'nav', visible: (can) => can('use', 'safer-wards') },
    { href: '/my-ward', label: 'navMine', visible: (can) => can('use', 'my-ward') },
  ],
  seedDemo: seedSaferWards,
  statistics: wardStatistics,
  exportPerson: saferWardsRecord,

  routes(app: Hono<AppEnv>) {
    const mayUse = (subject: string) => async (c: C, next: () => Promise<void>) => {
      const user = c.get('user');
      if (!user) return c.redirect(`/sign-in?next=${encodeURIComponent(c.req.path)}`, 303);
      if (!c.get('can')('use', subject)) return renderProblem(c, 403);
      await next();
    };
    app.use('/wards', mayUse('safer-wards'));
    app.use('/wards/*', mayUse('safer-wards'));
    app.use('/my-ward', mayUse('my-ward'));
    app.use('/my-ward/*', mayUse('my-ward'));
    mineRoutes(app);
    // Fixed paths under a ward before the ones that take an id.
    dashboardRoutes(app);
    forceRoutes(app);
    interactionRoutes(app);
    patientRoutes(app);
    wardRoutes(app);
  },
});
