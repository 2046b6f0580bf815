import { fileURLToPath } from 'node:url';
import type { Hono } from 'hono';
import type { AppEnv } from '../../core/context.ts';
import { defineModule } from '../../core/module.ts';
import { namesOf } from '../../core/people.ts';
import { renderProblem } from '../../core/web/errors.tsx';
import { formatDate } from '../../core/web/format.ts';
import { CsrfField } from '../../core/web/forms.tsx';
import { LinkList } from '../../core/web/layout.tsx';
import { inOrganisation } from '../../core/web/middleware.ts';
import { conversationsAskedOf } from './check-ins.ts';
import cy from './cy.json' with { type: 'json' };
import { seedLearning } from './demo.ts';
import en from './en.json' with { type: 'json' };
import { learningRecord } from './my-record.ts';
import { learningNotifications, remindSpacesTomorrow } from './notifications.ts';
import { challengeRoutes } from './routes/challenges.tsx';
import { checkInRoutes } from './routes/check-ins.tsx';
import { compassRoutes } from './routes/compass.tsx';
import { ideaRoutes } from './routes/ideas.tsx';
import { spaceRoutes } from './routes/spaces.tsx';
import { type C, id, mayLead, mayTakePart, page, teamRoles, w } from './shared.tsx';
import { spacesBetween } from './spaces.ts';
import { learningStatistics } from './statistics.ts';

const everyone = ['person', 'peer', 'coach', 'lead', 'partner', 'admin'] as const;

export const learning = defineModule({
  id,
  migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
  catalogues: { en, cy },
  notifications: learningNotifications,
  jobs: [remindSpacesTomorrow],
  // Everyone may raise challenges and propose ideas; the team (coach, peer, lead, admin) also checks in,
  // answers the culture compass and holds reflective spaces; leads and admins answer and decide.
  permissions: Object.fromEntries(
    everyone.map((role) => [
      role,
      [
        { action: 'raise', subject: 'learning', scope: 'any' as const },
        ...((teamRoles as readonly string[]).includes(role)
          ? [{ action: 'take-part', subject: 'learning', scope: 'any' as const }]
          : []),
        ...(role === 'lead' || role === 'admin'
          ? [{ action: 'lead', subject: 'learning', scope: 'any' as const }]
          : []),
      ],
    ]),
  ),
  navigation: [{ href: '/learning', label: 'nav', visible: (can) => can('raise', 'learning') }],
  seedDemo: seedLearning,

  // The team's reflective spaces, for anyone who may come to them (as /learning/spaces decides).
  async calendarEvents(scope, viewer, window) {
    if (!mayTakePart(viewer.can) && !mayLead(viewer.can)) return [];
    return (await spacesBetween(scope, window, viewer.personId)).map(({ space, series }) => ({
      uid: space.id,
      start: { at: space.startsAt },
      end: new Date(space.startsAt.getTime() + series.minutes * 60_000),
      title: 'spaces.calendarTitle',
      description: 'spaces.calendarDescription',
      detail: series.name,
      place: series.place,
      path: `/learning/spaces/${series.id}/${space.id}`,
    }));
  },

  statistics: learningStatistics,

  /** What this person wrote that is theirs (anonymous challenges cannot be: nothing links them). */
  exportPerson: learningRecord,

  routes(app: Hono<AppEnv>) {
    const mayRaise = async (c: C, next: () => Promise<void>) => {
      if (!c.get('user')) return c.redirect(`/sign-in?next=${encodeURIComponent(c.req.path)}`, 303);
      if (!c.get('can')('raise', 'learning')) return renderProblem(c, 403);
      await next();
    };
    app.use('/learning', mayRaise);
    app.use('/learning/*', mayRaise);

    app.get('/learning', async (c) => {
      const t = c.get('t');
      const language = c.get('language');
      const can = c.get('can');
      const team = mayTakePart(can) || mayLead(can);
      const user = c.get('user')!;
      const { asked, names } = await inOrganisation(c, async (scope) => {
        const asked = await conversationsAskedOf(scope, user.personId);
        return {
          asked,
          names: await namesOf(
            scope,
            asked.map((one) => one.fromPersonId),
          ),
        };
      });
      return page(
        c,
        { title: t(w('home.title')) },
        <>
          <p class="govuk-body">{t(w('home.intro'))}</p>
          {asked.length > 0 ? (
            <div class="govuk-inset-text">
              <h2 class="govuk-heading-s">{t(w('home.askedHeading'))}</h2>
              <ul class="govuk-list">
                {asked.map((one) => (
                  <li>
                    {t(w('home.asked'), {
                      name: names.get(one.fromPersonId) ?? '—',
                      date: formatDate(one.askedAt, language),
                    })}{' '}
                    <form
                      method="post"
                      action={`/learning/conversations/${one.id}/done`}
                      class="alongside-inline-form"
                    >
                      <CsrfField c={c} />
                      <button type="submit" class="alongside-button-link">
                        {t(w('home.talked'), { name: names.get(one.fromPersonId) ?? '—' })}
                      </button>
                    </form>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          <LinkList
            links={[
              {
                href: '/learning/challenges',
                label: t(w('home.challenges')),
                hint: t(w('home.challengesHint')),
              },
              { href: '/learning/ideas', label: t(w('home.ideas')), hint: t(w('home.ideasHint')) },
              ...(team
                ? [
                    {
                      href: '/learning/wellbeing',
                      label: t(w('home.wellbeing')),
                      hint: t(w('home.wellbeingHint')),
                    },
                    { href: '/learning/spaces', label: t(w('home.spaces')), hint: t(w('home.spacesHint')) },
                    {
                      href: '/learning/entries',
                      label: t(w('home.entries')),
                      hint: t(w('home.entriesHint')),
                    },
                    {
                      href: '/learning/compass',
                      label: t(w('home.compass')),
                      hint: t(w('home.compassHint')),
                    },
                  ]
                : []),
            ]}
          />
        </>,
      );
    });

    challengeRoutes(app);
    checkInRoutes(app);
    compassRoutes(app);
    spaceRoutes(app);
    ideaRoutes(app);
  },
});
