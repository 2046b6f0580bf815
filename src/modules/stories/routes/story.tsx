import type { Hono } from 'hono';
import { audit } from '../../../core/audit.ts';
import type { AppEnv } from '../../../core/context.ts';
import type { Scope } from '../../../core/database/tenancy.ts';
import { findOrganisation, namesOf } from '../../../core/people.ts';
import { renderProblem } from '../../../core/web/errors.tsx';
import { formatDate, formatDateTime } from '../../../core/web/format.ts';
import {
  Button,
  CsrfField,
  type FieldErrors,
  type FormValues,
  formValues,
  Radios,
  TextArea,
  TextInput,
} from '../../../core/web/forms.tsx';
import { DataTable, Summary } from '../../../core/web/layout.tsx';
import { inOrganisation } from '../../../core/web/middleware.ts';
import { bookletsWithStory } from '../booklets.ts';
import { highlight, marksIn, namesToSuggest } from '../names.ts';
import {
  auditSubject,
  consentHistory,
  findStory,
  giveConsent,
  pictureOf,
  type Story,
  type StoryScope,
  saveAnonymised,
  shownText,
  storyScopes,
  type VersionKind,
  withdrawConsent,
} from '../stories.ts';
import {
  byline,
  type C,
  consentWording,
  Marked,
  mayRead,
  mayWrite,
  page,
  RadiosWithHints,
  ScopeTag,
  StoryWords,
  storyPath,
  w,
} from './shared.tsx';

/** The story with what the signed-in person may do with it, or null when they may not read it. */
async function storyHere(c: C, scope: Scope) {
  const me = c.get('user')!.personId;
  const story = await findStory(scope, c.req.param('storyId')!);
  if (!story || !(await mayRead(scope, me, story))) return null;
  return { story, own: story.authorId === me, write: await mayWrite(scope, me, story) };
}

const organisationName = async (c: C, scope: Scope) => {
  const organisation = await findOrganisation(scope);
  return (c.get('language') === 'cy' && organisation?.nameCy) || organisation?.name || '';
};

export function storyRoutes(app: Hono<AppEnv>) {
  app.get('/stories/:storyId', async (c) => {
    const t = c.get('t');
    const language = c.get('language');
    const found = await inOrganisation(c, async (scope) => {
      const here = await storyHere(c, scope);
      if (!here) return null;
      const { story } = here;
      await audit(scope, {
        action: 'read',
        subjectType: auditSubject.story,
        subjectId: story.id,
        subjectPersonId: story.authorId,
      });
      if (!here.write) return { ...here, names: new Map<string, string>(), consent: [], booklets: [] };
      const consent = await consentHistory(scope, story.id);
      const names = await namesOf(
        scope,
        [story.authorId, story.helpedById, ...consent.map((one) => one.givenBy)].filter(
          (x): x is string => !!x,
        ),
      );
      return { ...here, names, consent, booklets: await bookletsWithStory(scope, story.id) };
    });
    if (!found) return renderProblem(c, 404);
    const { story, write, names, consent, booklets } = found;
    // The author and their helper read their own words; everyone else the version the author chose.
    const text = write ? story.own : shownText(story);
    return page(
      c,
      { title: text.title, back: { href: '/stories', label: t(w('back.stories')) } },
      <>
        <p class="govuk-body-s">
          {write
            ? t(w('story.yourVersion'))
            : t(w('story.by'), { name: byline(t, story), date: formatDate(story.createdAt, language) })}
        </p>
        {story.pictureType ? (
          <div class="govuk-!-margin-bottom-3">
            <img
              class="alongside-story-picture"
              src={storyPath(story.id, '/picture')}
              alt={story.pictureDescription ?? ''}
              width="300"
            />
            <p class="govuk-body-s" lang={story.language}>
              {story.pictureDescription}
            </p>
          </div>
        ) : null}
        <StoryWords words={text.words} language={story.language} />
        {write ? (
          <>
            <h2 class="govuk-heading-m">{t(w('story.aboutTitle'))}</h2>
            <Summary
              rows={[
                [t(w('story.whoReads')), <ScopeTag t={t} story={story} />],
                [
                  t(w('story.shownVersion')),
                  story.anonymised ? t(w(`story.version.${story.shownVersion}`)) : t(w('story.noAnonymised')),
                ],
                [t(w('story.shownName')), byline(t, story)],
                [t(w('story.language')), t(w(`languages.${story.language}`))],
                ...(story.helpedById
                  ? [[t(w('story.helpedBy')), names.get(story.helpedById) ?? ''] as [string, string]]
                  : []),
                [t(w('story.written')), formatDate(story.createdAt, language)],
              ]}
            />
            <ul class="govuk-list">
              <li>
                <a class="govuk-link" href={storyPath(story.id, '/edit')}>
                  {t(w('story.edit'))}
                </a>
              </li>
              <li>
                <a class="govuk-link" href={storyPath(story.id, '/anonymised')}>
                  {story.anonymised ? t(w('story.editAnonymised')) : t(w('story.makeAnonymised'))}
                </a>
              </li>
              {found.own ? (
                <li>
                  <a class="govuk-link" href={storyPath(story.id, '/sharing')}>
                    {t(w('story.sharing'))}
                  </a>
                </li>
              ) : null}
              {found.own && story.scope !== 'me' ? (
                <li>
                  <a class="govuk-link" href={storyPath(story.id, '/withdraw')}>
                    {t(w('story.withdraw'))}
                  </a>
                </li>
              ) : null}
            </ul>
            {!found.own ? <p class="govuk-body">{t(w('story.onlyAuthor'))}</p> : null}
            {consent.length > 0 ? (
              <DataTable
                caption={t(w('story.consentTitle'))}
                captionSize="m"
                columns={[
                  { label: t(w('story.consentWhen')), oneLine: true },
                  { label: t(w('story.consentChoice')) },
                  { label: t(w('story.consentWording')) },
                ]}
                rows={consent
                  .slice()
                  .reverse()
                  .map((one) => [
                    formatDateTime(one.givenAt, language),
                    one.withdrawn ? t(w('scope.withdrawn')) : t(w(`scope.${one.scope}`)),
                    <span lang={one.language}>{one.wording}</span>,
                  ])}
              />
            ) : null}
            {booklets.length > 0 ? (
              <>
                <h2 class="govuk-heading-m">{t(w('story.bookletsTitle'))}</h2>
                <ul class="govuk-list govuk-list--bullet">
                  {booklets.map((booklet) => (
                    <li>
                      {t(w('story.inBooklet'), {
                        title: booklet.title,
                        date: formatDate(booklet.madeAt, language),
                      })}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </>
        ) : null}
      </>,
    );
  });

  // Who may read it: the author alone decides, and the words they were shown are kept with their choice.
  const sharingPage = async (c: C, values: FormValues | null, errors: FieldErrors = {}) => {
    const t = c.get('t');
    const found = await inOrganisation(c, async (scope) => {
      const here = await storyHere(c, scope);
      return here?.own ? { story: here.story, organisation: await organisationName(c, scope) } : null;
    });
    if (!found) return renderProblem(c, 404);
    const { story, organisation } = found;
    const shown: FormValues = values ?? { scope: story.scope, shownVersion: story.shownVersion };
    return page(
      c,
      {
        title: t(w('sharing.title')),
        errors,
        narrow: true,
        back: { href: storyPath(story.id), label: t(w('back.story')) },
      },
      <>
        <p class="govuk-body">{t(w('sharing.intro'), { title: story.own.title })}</p>
        <form method="post" action={storyPath(story.id, '/sharing')} novalidate>
          <CsrfField c={c} />
          <RadiosWithHints
            name="scope"
            legend={t(w('sharing.legend'))}
            options={storyScopes.map((scope) => ({
              value: scope,
              label: t(w(`sharing.options.${scope}`)),
              hint: t(w(`sharing.wording.${scope}`), { organisation }),
            }))}
            values={shown}
            errors={errors}
            t={t}
          />
          {story.anonymised ? (
            <Radios
              name="shownVersion"
              legend={t(w('sharing.versionLegend'))}
              options={[
                { value: 'own', label: t(w('story.version.own')) },
                { value: 'anonymised', label: t(w('story.version.anonymised')) },
              ]}
              values={shown}
              errors={errors}
              t={t}
            />
          ) : (
            <p class="govuk-body">
              {t(w('sharing.noAnonymised'))}{' '}
              <a class="govuk-link" href={storyPath(story.id, '/anonymised')}>
                {t(w('story.makeAnonymised'))}
              </a>
            </p>
          )}
          <Button>{t(w('sharing.save'))}</Button>
        </form>
      </>,
    );
  };
  app.get('/stories/:storyId/sharing', (c) => sharingPage(c, null));
  app.post('/stories/:storyId/sharing', async (c) => {
    const t = c.get('t');
    const values = await formValues(c);
    const errors: FieldErrors = {};
    const chosen = storyScopes.find((scope) => scope === values.scope);
    if (!chosen) errors.scope = t(w('errors.scope'));
    const version: VersionKind = values.shownVersion === 'anonymised' ? 'anonymised' : 'own';
    const result = await inOrganisation(c, async (scope) => {
      const here = await storyHere(c, scope);
      if (!here?.own) return null;
      if (!chosen) return 'errors' as const;
      if (version === 'anonymised' && !here.story.anonymised) {
        errors.shownVersion = t(w('errors.noAnonymised'));
        return 'errors' as const;
      }
      await giveConsent(scope, here.story, {
        scope: chosen,
        shownVersion: version,
        wording: consentWording(t, chosen, await organisationName(c, scope)),
        language: c.get('language'),
      });
      return here.story.id;
    });
    if (result === null) return renderProblem(c, 404);
    if (result === 'errors') return sharingPage(c, values, errors);
    return c.redirect(storyPath(result, '?done=shared'), 303);
  });

  // The anonymised version: written by the author, with the names we know of marked as suggestions.
  const anonymisedPage = async (c: C, values: FormValues | null, errors: FieldErrors = {}) => {
    const t = c.get('t');
    const found = await inOrganisation(c, async (scope) => {
      const here = await storyHere(c, scope);
      if (!here?.write) return null;
      return {
        story: here.story,
        names: await namesToSuggest(scope, here.story.authorId, here.story.helpedById),
      };
    });
    if (!found) return renderProblem(c, 404);
    const { story, names } = found;
    const current = story.anonymised ?? story.own;
    const shown: FormValues = values ?? { title: current.title, words: current.words };
    const title = highlight(shown.title ?? '', names);
    const words = (shown.words ?? '').trim();
    const marks = marksIn(title) + marksIn(highlight(words, names));
    return page(
      c,
      {
        title: t(w('anonymised.title')),
        errors,
        back: { href: storyPath(story.id), label: t(w('back.story')) },
      },
      <>
        <p class="govuk-body">{t(w('anonymised.intro'))}</p>
        <h2 class="govuk-heading-m">
          {story.anonymised ? t(w('anonymised.savedTitle')) : t(w('anonymised.startTitle'))}
        </h2>
        <p class="govuk-body">
          {marks > 0 ? t(w('anonymised.marked'), { count: marks }) : t(w('anonymised.noneMarked'))}
        </p>
        <div class="govuk-inset-text">
          <p class="govuk-body govuk-!-font-weight-bold" lang={story.language}>
            <Marked pieces={title} />
          </p>
          <StoryWords words={words || ' '} language={story.language} names={names} />
        </div>
        <form method="post" action={storyPath(story.id, '/anonymised')} novalidate>
          <CsrfField c={c} />
          <TextInput
            name="title"
            label={t(w('anonymised.storyTitle'))}
            values={shown}
            errors={errors}
            t={t}
          />
          <TextArea
            name="words"
            label={t(w('anonymised.words'))}
            hint={t(w('anonymised.wordsHint'))}
            rows={12}
            values={shown}
            errors={errors}
            t={t}
          />
          <Button>{t(w('anonymised.save'))}</Button>
        </form>
      </>,
    );
  };
  app.get('/stories/:storyId/anonymised', (c) => anonymisedPage(c, null));
  app.post('/stories/:storyId/anonymised', async (c) => {
    const t = c.get('t');
    const values = await formValues(c);
    const errors: FieldErrors = {};
    const title = (values.title ?? '').trim();
    const words = (values.words ?? '').trim();
    if (!title) errors.title = t(w('errors.title'));
    else if (title.length > 200) errors.title = t('errors.tooLong', { max: 200 });
    if (!words) errors.words = t(w('errors.words'));
    else if (words.length > 20000) errors.words = t('errors.tooLong', { max: 20000 });
    const result = await inOrganisation(c, async (scope) => {
      const here = await storyHere(c, scope);
      if (!here?.write) return null;
      if (Object.keys(errors).length > 0) return 'errors' as const;
      const number = await saveAnonymised(scope, here.story, { title, words });
      return { id: here.story.id, saved: number !== null };
    });
    if (result === null) return renderProblem(c, 404);
    if (result === 'errors') return anonymisedPage(c, values, errors);
    return c.redirect(storyPath(result.id, `/anonymised?done=${result.saved ? 'anonymised' : 'same'}`), 303);
  });

  app.get('/stories/:storyId/withdraw', async (c) => {
    const t = c.get('t');
    const story = await inOrganisation(c, async (scope) => {
      const here = await storyHere(c, scope);
      return here?.own ? here.story : null;
    });
    if (!story) return renderProblem(c, 404);
    return page(
      c,
      {
        title: t(w('withdraw.title')),
        narrow: true,
        back: { href: storyPath(story.id), label: t(w('back.story')) },
      },
      <WithdrawWords c={c} story={story} />,
    );
  });
  app.post('/stories/:storyId/withdraw', async (c) => {
    const t = c.get('t');
    const id = await inOrganisation(c, async (scope) => {
      const here = await storyHere(c, scope);
      if (!here?.own) return null;
      await withdrawConsent(scope, here.story, {
        wording: `${t(w('withdraw.what'))} ${t(w('withdraw.printed'))}`,
        language: c.get('language'),
      });
      return here.story.id;
    });
    if (!id) return renderProblem(c, 404);
    return c.redirect(storyPath(id, '?done=withdrawn'), 303);
  });

  // The picture, for those who may read the story; each look is audited.
  app.get('/stories/:storyId/picture', async (c) => {
    const found = await inOrganisation(c, async (scope) => {
      const here = await storyHere(c, scope);
      if (!here) return null;
      const picture = await pictureOf(scope, here.story.id);
      if (!picture) return null;
      await audit(scope, {
        action: 'read',
        subjectType: auditSubject.picture,
        subjectId: here.story.id,
        subjectPersonId: here.story.authorId,
      });
      return picture;
    });
    if (!found) return renderProblem(c, 404);
    return pictureResponse(c, found, 'private, no-store');
  });
}

function WithdrawWords({ c, story }: { c: C; story: Story }) {
  const t = c.get('t');
  return (
    <>
      <p class="govuk-body">{t(w('withdraw.what'))}</p>
      <div class="govuk-warning-text">
        <span class="govuk-warning-text__icon" aria-hidden="true">
          !
        </span>
        <strong class="govuk-warning-text__text">
          <span class="govuk-visually-hidden">{t(w('withdraw.warning'))}</span>
          {t(w('withdraw.printed'))}
        </strong>
      </div>
      <p class="govuk-body">{t(w('withdraw.again'))}</p>
      <form method="post" action={storyPath(story.id, '/withdraw')} novalidate>
        <CsrfField c={c} />
        <Button>{t(w('withdraw.confirm'))}</Button>
      </form>
    </>
  );
}

/** Picture bytes as the type found from them, never sniffed by the browser as anything else. */
export function pictureResponse(c: C, picture: { type: string; bytes: Uint8Array }, cache: string) {
  return c.body(picture.bytes as Uint8Array<ArrayBuffer>, 200, {
    'Content-Type': picture.type,
    'Content-Disposition': `inline; filename="picture.${picture.type.split('/')[1]}"`,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': cache,
  });
}

export type { StoryScope };
