import type { Hono } from 'hono';
import type { AppEnv } from '../../../core/context.ts';
import { withOrganisation } from '../../../core/database/tenancy.ts';
import { findPublicOrganisation } from '../../../core/people.ts';
import { renderProblem } from '../../../core/web/errors.tsx';
import { formatDate } from '../../../core/web/format.ts';
import { renderPage } from '../../../core/web/layout.tsx';
import { findStory, pictureOf, publicStories, shownText } from '../stories.ts';
import { byline, type C, StoryWords, w } from './shared.tsx';
import { pictureResponse } from './story.tsx';

/** Reads inside the organisation found by its short name, as nobody: only what its authors made public. */
async function asPublic<T>(c: C, work: Parameters<typeof withOrganisation<T>>[2]) {
  const database = c.get('services').database;
  const organisation = await findPublicOrganisation(database, c.req.param('slug') ?? '');
  if (!organisation) return null;
  const result = await withOrganisation(
    database,
    { organisationId: organisation.id, actorPersonId: null, requestId: c.get('requestId') },
    work,
  );
  return { organisation, result };
}

/**
 * The organisation's public stories page, for anyone without signing in: only stories their authors
 * made public and have not withdrawn, each in the version and under the name its author chose, marked
 * with the language it was written in. Nothing here is audited per visit: it is what the authors
 * published, and no one's record is opened.
 */
export function publicRoutes(app: Hono<AppEnv>) {
  app.get('/o/:slug/stories', async (c) => {
    const t = c.get('t');
    const language = c.get('language');
    const found = await asPublic(c, (scope) => publicStories(scope, 100));
    if (!found) return renderProblem(c, 404);
    const { organisation, result: stories } = found;
    const name = (language === 'cy' && organisation.nameCy) || organisation.name;
    return renderPage(
      c,
      { title: t(w('public.title'), { organisation: name }) },
      <>
        <h1 class="govuk-heading-l">{t(w('public.title'), { organisation: name })}</h1>
        <p class="govuk-body">{t(w('public.intro'))}</p>
        {stories.length === 0 ? <p class="govuk-body">{t(w('public.none'))}</p> : null}
        {stories.map((story) => {
          const text = shownText(story);
          return (
            <article lang={story.language} aria-labelledby={`story-${story.id}`}>
              <h2 class="govuk-heading-m" id={`story-${story.id}`}>
                {text.title}
              </h2>
              <p class="govuk-body-s" lang={language}>
                {t(w('story.by'), { name: byline(t, story), date: formatDate(story.createdAt, language) })}
              </p>
              {story.pictureType ? (
                <div class="govuk-!-margin-bottom-3">
                  <img
                    class="alongside-story-picture"
                    src={`/o/${c.req.param('slug')}/stories/${story.id}/picture`}
                    alt={story.pictureDescription ?? ''}
                    width="300"
                  />
                  <p class="govuk-body-s">{story.pictureDescription}</p>
                </div>
              ) : null}
              <StoryWords words={text.words} language={story.language} />
            </article>
          );
        })}
      </>,
    );
  });

  // A picture, only while its story is public and not withdrawn.
  app.get('/o/:slug/stories/:storyId/picture', async (c) => {
    const found = await asPublic(c, async (scope) => {
      const story = await findStory(scope, c.req.param('storyId') ?? '');
      if (story?.scope !== 'public' || story.withdrawnAt) return null;
      return pictureOf(scope, story.id);
    });
    if (!found?.result) return renderProblem(c, 404);
    // Never cached by anyone in between: consent can be withdrawn at any moment.
    return pictureResponse(c, found.result, 'no-store');
  });
}
