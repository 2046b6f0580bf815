import { fileURLToPath } from 'node:url';
import type { Hono } from 'hono';
import { audit } from '../../core/audit.ts';
import type { AppEnv } from '../../core/context.ts';
import { roles } from '../../core/database/schema.ts';
import { defineModule } from '../../core/module.ts';
import { namesOf } from '../../core/people.ts';
import { aboutMeHistory } from './about-me.ts';
import cy from './cy.json' with { type: 'json' };
import { seedCoaching } from './demo.ts';
import en from './en.json' with { type: 'json' };
import { conversationCount, entriesAbout } from './entries.ts';
import { earlierWordsOf, goalFigures, goalRatings, goalsOf } from './goals.ts';
import { aboutMeRoutes } from './routes/about-me.tsx';
import { coachRoutes, peopleSubject } from './routes/coach.tsx';
import { everythingRoutes, hiddenSubject } from './routes/everything.tsx';
import { goalRoutes } from './routes/goals.tsx';
import { introductionRoutes } from './routes/introduction.tsx';
import { overviewRoutes } from './routes/overview.tsx';
import { recordSubject } from './routes/shared.tsx';
import { whereIAmRoutes } from './routes/where-i-am.tsx';
import { scalesOf } from './scales.ts';
import { introductionsOf, supportFigures, supportHistory, supportOf } from './support.ts';
import { auditSubject, id } from './words.ts';

// Who wrote or changed something is shown by name in the person's own copy of their record.
const writerFields = new Set(['writtenBy', 'changedBy', 'ratedBy', 'hiddenBy']);

function* peopleIn(value: unknown): Generator<string> {
  if (Array.isArray(value)) for (const item of value) yield* peopleIn(item);
  else if (value && typeof value === 'object' && !(value instanceof Date))
    for (const [key, inner] of Object.entries(value)) {
      if (writerFields.has(key) && typeof inner === 'string') yield inner;
      else yield* peopleIn(inner);
    }
}

function withNames<T>(value: T, names: Map<string, string>): T {
  if (Array.isArray(value)) return value.map((item) => withNames(item, names)) as T;
  if (value && typeof value === 'object' && !(value instanceof Date))
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [
        key,
        writerFields.has(key) && typeof inner === 'string'
          ? (names.get(inner) ?? inner)
          : withNames(inner, names),
      ]),
    ) as T;
  return value;
}

const team = [
  { action: 'manage', subject: recordSubject, scope: 'any' as const },
  { action: 'manage', subject: peopleSubject, scope: 'any' as const },
  { action: 'manage', subject: hiddenSubject, scope: 'any' as const },
];

export const coaching = defineModule({
  id,
  migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
  catalogues: { en, cy },
  // Everyone keeps their own space; coaches and leads work with anyone the organisation supports (a
  // team covers for each other), see decision 008. Admins run the organisation, not people's records.
  permissions: {
    ...Object.fromEntries(
      roles.map((role) => [role, [{ action: 'manage', subject: recordSubject, scope: 'own' as const }]]),
    ),
    person: [
      { action: 'manage', subject: recordSubject, scope: 'own' },
      { action: 'use', subject: 'my-space', scope: 'any' },
    ],
    coach: [{ action: 'manage', subject: recordSubject, scope: 'own' }, ...team],
    lead: [{ action: 'manage', subject: recordSubject, scope: 'own' }, ...team],
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

  async statistics(scope) {
    const [support, goals, conversations] = [
      await supportFigures(scope),
      await goalFigures(scope),
      await conversationCount(scope),
    ];
    await audit(scope, { action: 'read', subjectType: auditSubject.statistics });
    return [
      { key: 'people-supported', label: 'statistics.peopleSupported', value: support.peopleSupported },
      { key: 'conversations', label: 'statistics.conversations', value: conversations },
      { key: 'goals-reached', label: 'statistics.goalsReached', value: goals.reached },
      { key: 'goals-let-go', label: 'statistics.goalsLetGo', value: goals['let-go'] },
      { key: 'average-weeks-of-support', label: 'statistics.averageWeeks', value: support.averageWeeksEnded },
      {
        key: 'average-conversations',
        label: 'statistics.averageConversations',
        value: support.peopleSupported ? Math.round(conversations / support.peopleSupported) : 0,
      },
    ];
  },

  async exportPerson(scope, personId) {
    const support = await supportOf(scope, personId);
    // Everything the person may see about themselves: what is withheld is listed as withheld, no more.
    const goals = await goalsOf(scope, personId);
    const goalWords = new Map(goals.map((goal) => [goal.id, goal.words]));
    const earlier = await earlierWordsOf(
      scope,
      goals.map((goal) => goal.id),
    );
    const { entries } = await entriesAbout(scope, personId, { viewer: 'person', pageSize: 100_000 });
    const record = {
      support: support
        ? {
            status: support.status,
            startedAt: support.startedAt,
            changes: await supportHistory(scope, support),
          }
        : null,
      askedForACoach: await introductionsOf(scope, personId),
      aboutMe: await aboutMeHistory(scope, personId),
      // Each goal with the words it had before, who wrote them and when, and who changed them.
      goals: goals.map((goal) => ({ ...goal, earlierWords: earlier.get(goal.id) ?? [] })),
      goalRatings: (await goalRatings(scope, personId)).map((rating) => ({
        goal: goalWords.get(rating.goalId) ?? '',
        ...rating,
      })),
      whereIAmNow: await scalesOf(scope, personId),
      everythingAboutMe: entries,
    };
    return withNames(record, await namesOf(scope, [...peopleIn(record)]));
  },

  routes(app: Hono<AppEnv>) {
    introductionRoutes(app);
    coachRoutes(app);
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
