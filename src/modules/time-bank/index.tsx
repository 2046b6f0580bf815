import { fileURLToPath } from 'node:url';
import type { Context, Hono } from 'hono';
import type { AppEnv } from '../../core/context.ts';
import { defineModule } from '../../core/module.ts';
import { renderProblem } from '../../core/web/errors.tsx';
import cy from './cy.json' with { type: 'json' };
import { seedPartnerBanks, seedTimeBank } from './demo.ts';
import en from './en.json' with { type: 'json' };
import { timeBankRecord } from './my-record.ts';
import { timeBankNotifications } from './notifications.ts';
import { bankRoutes } from './routes/banks.tsx';
import { coordinatorRoutes } from './routes/coordinator.tsx';
import { exchangeRoutes } from './routes/exchanges.tsx';
import { listingRoutes } from './routes/listings.tsx';
import { memberRoutes } from './routes/members.tsx';
import { partnerRoutes } from './routes/partners.tsx';
import { settingsRoutes } from './routes/settings.tsx';
import { statementRoutes } from './routes/statements.tsx';
import { timeBankStatistics } from './statistics.ts';
import { id } from './views.tsx';

type C = Context<AppEnv>;
export const timeBank = defineModule({
  id,
  migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
  catalogues: { en, cy },
  notifications: timeBankNotifications,
  permissions: {
    ...Object.fromEntries(
      (['person', 'peer', 'coach', 'partner'] as const).map((role) => [
        role,
        [{ action: 'use', subject: 'time-bank', scope: 'any' as const }],
      ]),
    ),
    lead: [{ action: 'manage', subject: 'time-bank', scope: 'any' }],
    admin: [{ action: 'manage', subject: 'time-bank', scope: 'any' }],
  },
  navigation: [
    {
      href: '/time-bank',
      label: 'nav',
      visible: (can) => can('use', 'time-bank') || can('manage', 'time-bank'),
    },
  ],
  seedDemo: seedTimeBank,
  seedDemoTogether: seedPartnerBanks,

  statistics: timeBankStatistics,

  exportPerson: timeBankRecord,

  routes(app: Hono<AppEnv>) {
    const useOrManage = async (c: C, next: () => Promise<void>) => {
      if (!c.get('user')) return c.redirect(`/sign-in?next=${encodeURIComponent(c.req.path)}`, 303);
      const can = c.get('can');
      if (!can('use', 'time-bank') && !can('manage', 'time-bank')) return renderProblem(c, 403);
      await next();
    };
    app.use('/time-bank', useOrManage);
    app.use('/time-bank/*', useOrManage);

    bankRoutes(app);
    memberRoutes(app);
    listingRoutes(app);
    exchangeRoutes(app);
    statementRoutes(app);
    coordinatorRoutes(app);
    settingsRoutes(app);
    partnerRoutes(app);
  },
});
