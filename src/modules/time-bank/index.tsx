import { fileURLToPath } from 'node:url';
import type { Context, Hono } from 'hono';
import { audit } from '../../core/audit.ts';
import type { AppEnv } from '../../core/context.ts';
import { defineModule } from '../../core/module.ts';
import { renderProblem } from '../../core/web/errors.tsx';
import cy from './cy.json' with { type: 'json' };
import { seedPartnerBanks, seedTimeBank } from './demo.ts';
import en from './en.json' with { type: 'json' };
import { auditSubject, byMonth, listBanks, memberActivity } from './ledger.ts';
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

  async statistics(scope) {
    const banks = await listBanks(scope);
    let members = 0;
    let active = 0;
    let both = 0;
    let exchanges = 0;
    let minutes = 0;
    const since = new Date(Date.now() - 90 * 86_400_000).toISOString().slice(0, 10);
    for (const bank of banks) {
      const activity = await memberActivity(scope, bank.id);
      members += activity.length;
      active += activity.filter((m) => m.lastExchange && m.lastExchange >= since).length;
      both += activity.filter((m) => m.givenMinutes > 0 && m.receivedMinutes > 0).length;
    }
    // Across the organisation, each exchange once (one across a link belongs to two banks).
    for (const month of await byMonth(scope, null)) {
      exchanges += month.exchanges;
      minutes += month.minutes;
    }
    await audit(scope, { action: 'read', subjectType: auditSubject.report, detail: { statistics: true } });
    return [
      { key: 'members', label: 'statistics.members', value: members },
      { key: 'active-members', label: 'statistics.activeMembers', value: active },
      { key: 'exchanges', label: 'statistics.exchanges', value: exchanges },
      { key: 'hours', label: 'statistics.hours', value: Math.round(minutes / 60) },
      {
        key: 'gave-and-received',
        label: 'statistics.gaveAndReceived',
        value: members ? Math.round((100 * both) / members) : 0,
      },
    ];
  },

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
