import { fileURLToPath } from 'node:url';
import type { Hono } from 'hono';
import type { AppEnv } from '../../core/context.ts';
import { defineModule } from '../../core/module.ts';
import { peerCalendar } from './calendar.ts';
import cy from './cy.json' with { type: 'json' };
import { seedPeerSupport } from './demo.ts';
import en from './en.json' with { type: 'json' };
import { peerFigures } from './figures.ts';
import { peerSupportRecord } from './my-record.ts';
import { peerSupportNotifications } from './notifications.ts';
import { introduceRoutes } from './routes/introduce.tsx';
import { levelRoutes } from './routes/levels.tsx';
import { linkUpRoutes } from './routes/link-up.tsx';
import { peerRoutes } from './routes/peer.tsx';
import { teamRoutes } from './routes/team.tsx';
import { id, subject } from './words.ts';

const team = [
  { action: 'manage', subject: subject.team, scope: 'any' as const },
  { action: 'manage', subject: subject.peer, scope: 'any' as const },
  { action: 'manage', subject: subject.linkUp, scope: 'any' as const },
];
const takingPart = [
  { action: 'use', subject: 'peer-space', scope: 'any' as const },
  { action: 'manage', subject: subject.linkUp, scope: 'own' as const },
  { action: 'create', subject: subject.ask, scope: 'own' as const },
];

export const peerSupport = defineModule({
  id,
  migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
  catalogues: { en, cy },
  notifications: peerSupportNotifications,
  // Peers keep their own profile, training, journey and CV; people supported take part in their own
  // link-ups; partners introduce with consent; the coach team works with everyone (decision 013).
  permissions: {
    person: takingPart,
    peer: [...takingPart, { action: 'manage', subject: subject.peer, scope: 'own' }],
    partner: [{ action: 'create', subject: subject.introduce, scope: 'any' }],
    coach: team,
    lead: team,
  },
  navigation: [
    { href: '/peer', label: 'nav.mine', visible: (can) => can('use', 'peer-space') },
    { href: '/peer-support', label: 'nav.team', visible: (can) => can('manage', subject.team) },
    { href: '/introduce', label: 'nav.introduce', visible: (can) => can('create', subject.introduce) },
  ],
  seedDemo: seedPeerSupport,
  calendarEvents: peerCalendar,

  statistics: peerFigures,

  exportPerson: peerSupportRecord,

  routes(app: Hono<AppEnv>) {
    introduceRoutes(app);
    teamRoutes(app);
    levelRoutes(app);
    peerRoutes(app);
    linkUpRoutes(app);
  },
});
