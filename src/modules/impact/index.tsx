import { fileURLToPath } from 'node:url';
import type { Hono } from 'hono';
import type { AppEnv } from '../../core/context.ts';
import { defineModule } from '../../core/module.ts';
import type { Grant } from '../../core/permissions.ts';
import cy from './cy.json' with { type: 'json' };
import { seedImpact } from './demo.ts';
import en from './en.json' with { type: 'json' };
import { id } from './format.ts';
import { reportRoutes } from './routes/report.tsx';
import { settingsRoutes } from './routes/settings.tsx';
import { shareRoutes } from './routes/shares.tsx';

const read: Grant = { action: 'read', subject: 'impact-report', scope: 'any' };
// The team's own figures as they are; everyone outside the team reads the shared version.
const exact: Grant = { action: 'read', subject: 'impact-exact', scope: 'any' };
const settings: Grant = { action: 'manage', subject: 'impact-settings', scope: 'any' };
const share: Grant = { action: 'manage', subject: 'impact-share', scope: 'any' };

/**
 * The impact report (decision 026): every module's figures for a period, from the ordinary work, with
 * people's own stories beside them; small numbers hidden for anyone outside the team; downloads and a
 * funder's share link. A funder or board member reads this report and nothing else.
 */
export const impact = defineModule({
  id,
  migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
  catalogues: { en, cy },
  permissions: {
    lead: [read, exact, settings, share],
    admin: [read, exact, settings, share],
    funder: [read],
  },
  navigation: [{ href: '/impact', label: 'nav', visible: (can) => can('read', 'impact-report') }],
  seedDemo: seedImpact,
  routes(app: Hono<AppEnv>) {
    reportRoutes(app);
    settingsRoutes(app);
    shareRoutes(app);
  },
});
