import { fileURLToPath } from 'node:url';
import type { Context, Hono } from 'hono';
import type { AppEnv } from '../../core/context.ts';
import { defineModule } from '../../core/module.ts';
import type { Grant } from '../../core/permissions.ts';
import { renderProblem } from '../../core/web/errors.tsx';
import cy from './cy.json' with { type: 'json' };
import { seedStories } from './demo.ts';
import en from './en.json' with { type: 'json' };
import { storiesRecord } from './my-record.ts';
import { storyStatistics } from './report.ts';
import { bookletRoutes } from './routes/booklets.tsx';
import { mineRoutes } from './routes/mine.tsx';
import { publicRoutes } from './routes/public.tsx';
import { id } from './routes/shared.tsx';
import { storyRoutes } from './routes/story.tsx';
import { writeRoutes } from './routes/write.tsx';

type C = Context<AppEnv>;

// Everyone here has a person record, so anyone may write their own story; who reads each one is the
// author's consent, decided per story (routes/shared.tsx), never a role. A funder reads only the report.
const write: Grant = { action: 'use', subject: id, scope: 'any' };
// Writing with someone their teams reach, marked as having helped.
const help: Grant = { action: 'help', subject: id, scope: 'any' };
const booklets: Grant = { action: 'manage', subject: 'story-booklets', scope: 'any' };

export const stories = defineModule({
  id,
  migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
  catalogues: { en, cy },
  permissions: {
    person: [write],
    peer: [write],
    coach: [write, help],
    lead: [write, help, booklets],
    partner: [write],
    admin: [write],
  },
  navigation: [{ href: '/stories', label: 'nav', visible: (can) => can('use', id) }],
  seedDemo: seedStories,
  statistics: storyStatistics,
  exportPerson: storiesRecord,

  routes(app: Hono<AppEnv>) {
    // The public page needs no sign-in; everything under /stories does.
    publicRoutes(app);
    const mayUse =
      (subject: string, action = 'use') =>
      async (c: C, next: () => Promise<void>) => {
        if (!c.get('user')) return c.redirect(`/sign-in?next=${encodeURIComponent(c.req.path)}`, 303);
        if (!c.get('can')(action, subject)) return renderProblem(c, 403);
        await next();
      };
    app.use('/stories', mayUse(id));
    app.use('/stories/*', mayUse(id));
    app.use('/stories/booklets', mayUse('story-booklets', 'manage'));
    app.use('/stories/booklets/*', mayUse('story-booklets', 'manage'));
    mineRoutes(app);
    // Fixed paths before the ones that take a story's id.
    bookletRoutes(app);
    writeRoutes(app);
    storyRoutes(app);
  },
});
