import { fileURLToPath } from 'node:url';
import type { Hono } from 'hono';
import type { AppEnv } from '../../core/context.ts';
import { roles } from '../../core/database/schema.ts';
import { defineModule } from '../../core/module.ts';
import cy from './cy.json' with { type: 'json' };
import { seedCoaching } from './demo.ts';
import en from './en.json' with { type: 'json' };
import { coachingRecord } from './my-record.ts';
import { coachingNotifications } from './notifications.ts';
import { aboutMeRoutes } from './routes/about-me.tsx';
import { coachRoutes, peopleSubject } from './routes/coach.tsx';
import { everythingRoutes, hiddenSubject } from './routes/everything.tsx';
import { goalRoutes } from './routes/goals.tsx';
import { handOverSubject, handoverRoutes } from './routes/handover.tsx';
import { introductionRoutes } from './routes/introduction.tsx';
import { overviewRoutes } from './routes/overview.tsx';
import { recordSubject } from './routes/shared.tsx';
import { whereIAmRoutes } from './routes/where-i-am.tsx';
import { coachingStatistics } from './statistics.ts';
import { id } from './words.ts';

const team = [
  { action: 'manage', subject: recordSubject, scope: 'any' as const },
  { action: 'manage', subject: peopleSubject, scope: 'any' as const },
  { action: 'manage', subject: hiddenSubject, scope: 'any' as const },
];

export const coaching = defineModule({
  id,
  migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
  catalogues: { en, cy },
  notifications: coachingNotifications,
  // Everyone keeps their own space; coaches and leads work with the people of their teams (decision
  // 023, in src/core/teams.ts), leads hand people over. Admins run the organisation, not people's records.
  permissions: {
    ...Object.fromEntries(
      roles.map((role) => [role, [{ action: 'manage', subject: recordSubject, scope: 'own' as const }]]),
    ),
    person: [
      { action: 'manage', subject: recordSubject, scope: 'own' },
      { action: 'use', subject: 'my-space', scope: 'any' },
    ],
    coach: [{ action: 'manage', subject: recordSubject, scope: 'own' }, ...team],
    lead: [
      { action: 'manage', subject: recordSubject, scope: 'own' },
      ...team,
      { action: 'hand-over', subject: handOverSubject, scope: 'any' },
    ],
  },
  navigation: [
    { href: '/me', label: 'nav.mine', visible: (can) => can('use', 'my-space') },
    { href: '/coaching', label: 'nav.coach', visible: (can) => can('read', peopleSubject) },
    {
      href: '/coaching/conversation',
      label: 'nav.record',
      visible: (can) => can('create', peopleSubject),
      homeOnly: true,
    },
  ],
  seedDemo: seedCoaching,

  // Figures for the impact report, from the ordinary work (statistics.ts); the report audits the reading.
  statistics: coachingStatistics,

  // Everything the person may see about themselves, for their own copy of their record.
  exportPerson: coachingRecord,

  routes(app: Hono<AppEnv>) {
    introductionRoutes(app);
    coachRoutes(app);
    handoverRoutes(app);
    for (const prefix of ['/me', '/me/*', '/coaching/people/*']) {
      app.use(prefix, async (c, next) => {
        if (!c.get('user')) return c.redirect(`/sign-in?next=${encodeURIComponent(c.req.path)}`, 303);
        await next();
      });
    }
    overviewRoutes(app);
    aboutMeRoutes(app);
    goalRoutes(app);
    whereIAmRoutes(app);
    everythingRoutes(app);
  },
});
