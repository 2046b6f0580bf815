import type { Hono } from 'hono';
import type { AppEnv } from '../../../core/context.ts';
import { listPeople } from '../../../core/people.ts';
import { reachableBy, teamMatesOf } from '../../../core/teams.ts';
import { formatDate } from '../../../core/web/format.ts';
import { Select } from '../../../core/web/forms.tsx';
import { DataTable } from '../../../core/web/layout.tsx';
import { inOrganisation } from '../../../core/web/middleware.ts';
import { type Story, shownText, storiesBy, storiesHelpedBy, storiesSharedWith } from '../stories.ts';
import { byline, page, ScopeTag, storyPath, w } from './shared.tsx';

/** "Stories": my own, the ones I helped write, and others' that their authors let me read. */
export function mineRoutes(app: Hono<AppEnv>) {
  app.get('/stories', async (c) => {
    const t = c.get('t');
    const language = c.get('language');
    const me = c.get('user')!.personId;
    const can = c.get('can');
    const { mine, helped, shared, people } = await inOrganisation(c, async (scope) => ({
      mine: await storiesBy(scope, me),
      helped: can('help', 'stories') ? await storiesHelpedBy(scope, me) : [],
      shared: await storiesSharedWith(scope, me, reachableBy(scope, me), await teamMatesOf(scope, me)),
      people: can('help', 'stories')
        ? await listPeople(scope, { reachableBy: me, role: 'person', limit: 200 })
        : [],
    }));
    const own = (story: Story) => [
      <a class="govuk-link" href={storyPath(story.id)} lang={story.language}>
        {story.own.title}
      </a>,
      <ScopeTag t={t} story={story} />,
      formatDate(story.createdAt, language),
    ];
    const others = people.filter((person) => person.id !== me);
    return page(
      c,
      { title: t(w('mine.title')) },
      <>
        <p class="govuk-body">{t(w('mine.intro'))}</p>
        <p class="govuk-body">
          <a class="govuk-button" href="/stories/new">
            {t(w('mine.write'))}
          </a>
        </p>
        {mine.length > 0 ? (
          <DataTable
            caption={t(w('mine.mine'))}
            captionSize="m"
            columns={[
              { label: t(w('mine.storyTitle')) },
              { label: t(w('mine.whoReads')) },
              { label: t(w('mine.written')), oneLine: true },
            ]}
            rows={mine.map(own)}
          />
        ) : (
          <p class="govuk-body">{t(w('mine.none'))}</p>
        )}
        {others.length > 0 ? (
          <form method="get" action="/stories/new">
            <h2 class="govuk-heading-m">{t(w('mine.withTitle'))}</h2>
            <Select
              name="for"
              label={t(w('mine.withWho'))}
              hint={t(w('mine.withHint'))}
              options={others.map((person) => ({ value: person.id, label: person.calledName }))}
              t={t}
            />
            <button type="submit" class="govuk-button govuk-button--secondary">
              {t(w('mine.withStart'))}
            </button>
          </form>
        ) : null}
        {helped.length > 0 ? (
          <DataTable
            caption={t(w('mine.helped'))}
            captionSize="m"
            columns={[
              { label: t(w('mine.storyTitle')) },
              { label: t(w('mine.whoReads')) },
              { label: t(w('mine.written')), oneLine: true },
            ]}
            rows={helped.map(own)}
          />
        ) : null}
        <h2 class="govuk-heading-m">{t(w('mine.shared'))}</h2>
        {shared.length > 0 ? (
          <ul class="govuk-list">
            {shared.map((story) => (
              <li>
                <a class="govuk-link" href={storyPath(story.id)} lang={story.language}>
                  {shownText(story).title}
                </a>{' '}
                <span class="govuk-body-s">
                  {t(w('story.by'), { name: byline(t, story), date: formatDate(story.createdAt, language) })}
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p class="govuk-body">{t(w('mine.sharedNone'))}</p>
        )}
        {can('manage', 'story-booklets') ? (
          <p class="govuk-body">
            <a class="govuk-link" href="/stories/booklets">
              {t(w('mine.booklets'))}
            </a>
          </p>
        ) : null}
      </>,
    );
  });
}
