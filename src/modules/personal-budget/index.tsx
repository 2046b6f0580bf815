import { fileURLToPath } from 'node:url';
import type { Context, Hono } from 'hono';
import type { AppEnv } from '../../core/context.ts';
import { defineModule } from '../../core/module.ts';
import { renderProblem } from '../../core/web/errors.tsx';
import cy from './cy.json' with { type: 'json' };
import { seedPersonalBudgets } from './demo.ts';
import en from './en.json' with { type: 'json' };
import { personalBudgetRecord } from './my-record.ts';
import { personalBudgetNotifications } from './notifications.ts';
import { peopleRoutes } from './routes/people.tsx';
import { requestRoutes } from './routes/requests.tsx';
import { id } from './routes/shared.tsx';
import { waitingRoutes } from './routes/waiting.tsx';
import { personalBudgetStatistics } from './statistics.ts';

type C = Context<AppEnv>;

/** The person's own budget (own), coaches with any person, leads decide, admins set the default. */
export const personalBudget = defineModule({
  id,
  migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
  catalogues: { en, cy },
  notifications: personalBudgetNotifications,
  permissions: {
    person: [
      { action: 'use', subject: id, scope: 'any' },
      { action: 'read', subject: id, scope: 'own' },
      { action: 'ask', subject: id, scope: 'own' },
      { action: 'spend', subject: id, scope: 'own' },
    ],
    coach: [
      { action: 'use', subject: id, scope: 'any' },
      { action: 'read', subject: id, scope: 'any' },
      { action: 'ask', subject: id, scope: 'any' },
      { action: 'spend', subject: id, scope: 'any' },
    ],
    lead: [{ action: 'manage', subject: id, scope: 'any' }],
    admin: [{ action: 'manage', subject: 'personal-budget-settings', scope: 'any' }],
  },
  navigation: [
    {
      href: '/budget',
      label: 'nav',
      visible: (can) => can('use', id) || can('manage', 'personal-budget-settings'),
    },
  ],
  seedDemo: seedPersonalBudgets,

  // Figures for the impact report, from the ledger and the requests (statistics.ts); the report audits the reading.
  statistics: personalBudgetStatistics,

  exportPerson: personalBudgetRecord,

  routes(app: Hono<AppEnv>) {
    const mayUse = async (c: C, next: () => Promise<void>) => {
      if (!c.get('user')) return c.redirect(`/sign-in?next=${encodeURIComponent(c.req.path)}`, 303);
      const can = c.get('can');
      if (!can('use', id) && !can('manage', 'personal-budget-settings')) return renderProblem(c, 403);
      await next();
    };
    app.use('/budget', mayUse);
    app.use('/budget/*', mayUse);
    waitingRoutes(app);
    peopleRoutes(app);
    requestRoutes(app);
  },
});
