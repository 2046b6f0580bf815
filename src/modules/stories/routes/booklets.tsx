import type { Hono } from 'hono';
import { audit } from '../../../core/audit.ts';
import type { AppEnv } from '../../../core/context.ts';
import type { Scope } from '../../../core/database/tenancy.ts';
import type { Language } from '../../../core/i18n/index.ts';
import { findOrganisation } from '../../../core/people.ts';
import { renderProblem } from '../../../core/web/errors.tsx';
import { formatDate } from '../../../core/web/format.ts';
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
import { DataTable } from '../../../core/web/layout.tsx';
import { inOrganisation } from '../../../core/web/middleware.ts';
import { bookletHtml } from '../booklet-html.tsx';
import { bookletPdf, type PrintedBooklet } from '../booklet-pdf.ts';
import {
  type Audience,
  audiences,
  type Booklet,
  bookletEntries,
  changeOrder,
  findBooklet,
  listBooklets,
  makeBooklet,
  updateBooklet,
} from '../booklets.ts';
import { auditSubject, pictureOf, shownText, storiesForAudience } from '../stories.ts';
import { bookletPath, byline, type C, page, ScopeTag, w } from './shared.tsx';

/** The booklet as it prints now: stories still in, in order, each with the text it recorded. */
async function printed(c: C, scope: Scope, booklet: Booklet): Promise<PrintedBooklet> {
  // In the booklet's language, which may not be the lead's.
  const t = c.get('services').translate(booklet.language);
  const organisation = await findOrganisation(scope);
  const entries = (await bookletEntries(scope, booklet)).filter((entry) => !entry.leftOut);
  const stories = [];
  for (const entry of entries) {
    const picture = entry.story.pictureType ? await pictureOf(scope, entry.story.id) : null;
    stories.push({
      title: entry.text.title,
      words: entry.text.words,
      language: entry.story.language,
      byline: byline(t, entry.story),
      picture: picture ? { ...picture, description: entry.story.pictureDescription ?? '' } : null,
    });
  }
  await audit(scope, {
    action: 'export',
    subjectType: auditSubject.booklet,
    subjectId: booklet.id,
    detail: { people: [...new Set(entries.map((entry) => entry.story.authorId))] },
  });
  return {
    title: booklet.title,
    introduction: booklet.introduction,
    language: booklet.language,
    organisation: (booklet.language === 'cy' && organisation?.nameCy) || organisation?.name || '',
    madeAt: booklet.madeAt,
    stories,
  };
}

const fileName = (title: string, extension: string) =>
  `${
    title
      .normalize('NFKD')
      .replace(/[^\w\s-]/g, '')
      .trim()
      .replace(/\s+/g, '-')
      .toLowerCase()
      .slice(0, 60) || 'booklet'
  }.${extension}`;

/** Booklets for leads: stories whose authors' consent allows the booklet's audience, in an order. */
export function bookletRoutes(app: Hono<AppEnv>) {
  app.get('/stories/booklets', async (c) => {
    const t = c.get('t');
    const language = c.get('language');
    const booklets = await inOrganisation(c, (scope) => listBooklets(scope));
    return page(
      c,
      { title: t(w('booklets.title')), back: { href: '/stories', label: t(w('back.stories')) } },
      <>
        <p class="govuk-body">{t(w('booklets.intro'))}</p>
        <p class="govuk-body">
          <a class="govuk-button" href="/stories/booklets/new">
            {t(w('booklets.make'))}
          </a>
        </p>
        {booklets.length > 0 ? (
          <DataTable
            caption={t(w('booklets.list'))}
            captionSize="m"
            columns={[
              { label: t(w('booklets.bookletTitle')) },
              { label: t(w('booklets.audience')) },
              { label: t(w('booklets.made')), oneLine: true },
            ]}
            rows={booklets.map((booklet) => [
              <a class="govuk-link" href={bookletPath(booklet.id)}>
                {booklet.title}
              </a>,
              t(w(`audience.${booklet.audience}`)),
              formatDate(booklet.madeAt, language),
            ])}
          />
        ) : (
          <p class="govuk-body">{t(w('booklets.none'))}</p>
        )}
      </>,
    );
  });

  const newPage = async (c: C, values: FormValues | null, chosen: string[], errors: FieldErrors = {}) => {
    const t = c.get('t');
    const stories = await inOrganisation(c, (scope) => storiesForAudience(scope, 'organisation'));
    const shown: FormValues = values ?? { audience: 'organisation', language: c.get('language') };
    return page(
      c,
      {
        title: t(w('booklets.newTitle')),
        errors,
        back: { href: '/stories/booklets', label: t(w('back.booklets')) },
      },
      <form method="post" action="/stories/booklets/new" novalidate>
        <CsrfField c={c} />
        <TextInput name="title" label={t(w('booklets.bookletTitle'))} values={shown} errors={errors} t={t} />
        <TextArea
          name="introduction"
          label={t(w('booklets.introduction'))}
          hint={t(w('booklets.introductionHint'))}
          rows={5}
          values={shown}
          errors={errors}
          t={t}
        />
        <Radios
          name="audience"
          legend={t(w('booklets.audienceLegend'))}
          hint={t(w('booklets.audienceHint'))}
          options={audiences.map((audience) => ({ value: audience, label: t(w(`audience.${audience}`)) }))}
          values={shown}
          errors={errors}
          t={t}
        />
        <Radios
          name="language"
          legend={t(w('booklets.language'))}
          options={[
            { value: 'en', label: t(w('languages.en')) },
            { value: 'cy', label: t(w('languages.cy')) },
          ]}
          values={shown}
          errors={errors}
          t={t}
        />
        <div class={`govuk-form-group${errors.stories ? ' govuk-form-group--error' : ''}`}>
          <fieldset
            class="govuk-fieldset"
            aria-describedby={`stories-hint${errors.stories ? ' stories-error' : ''}`}
          >
            <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">
              {t(w('booklets.stories'))}
            </legend>
            <div id="stories-hint" class="govuk-hint">
              {t(w('booklets.storiesHint'))}
            </div>
            {errors.stories ? (
              <p id="stories-error" class="govuk-error-message">
                <span class="govuk-visually-hidden">{t('errors.prefix')}:</span> {errors.stories}
              </p>
            ) : null}
            {stories.length === 0 ? <p class="govuk-body">{t(w('booklets.noStories'))}</p> : null}
            <div class="govuk-checkboxes govuk-checkboxes--small">
              {stories.map((story, index) => {
                const id = index === 0 ? 'stories' : `stories-${index}`;
                return (
                  <div class="govuk-checkboxes__item">
                    <input
                      class="govuk-checkboxes__input"
                      id={id}
                      name="stories"
                      type="checkbox"
                      value={story.id}
                      checked={chosen.includes(story.id)}
                      aria-describedby={`${id}-item-hint`}
                    />
                    <label class="govuk-label govuk-checkboxes__label" for={id} lang={story.language}>
                      {shownText(story).title}
                    </label>
                    <div id={`${id}-item-hint`} class="govuk-hint govuk-checkboxes__hint">
                      {byline(t, story)} · <ScopeTag t={t} story={story} />
                    </div>
                  </div>
                );
              })}
            </div>
          </fieldset>
        </div>
        <Button>{t(w('booklets.save'))}</Button>
      </form>,
    );
  };

  app.get('/stories/booklets/new', (c) => newPage(c, null, []));
  app.post('/stories/booklets/new', async (c) => {
    const t = c.get('t');
    const values = await formValues(c);
    const body = await c.req.parseBody({ all: true });
    const picked = ([] as unknown[])
      .concat(body.stories ?? [])
      .filter((v): v is string => typeof v === 'string');
    const errors: FieldErrors = {};
    const title = (values.title ?? '').trim();
    const introduction = (values.introduction ?? '').trim();
    if (!title) errors.title = t(w('errors.bookletTitle'));
    else if (title.length > 200) errors.title = t('errors.tooLong', { max: 200 });
    if (introduction.length > 5000) errors.introduction = t('errors.tooLong', { max: 5000 });
    const audience = audiences.find((one) => one === values.audience);
    if (!audience) errors.audience = t(w('errors.audience'));
    const language: Language = values.language === 'cy' ? 'cy' : 'en';
    if (picked.length === 0) errors.stories = t(w('errors.noStories'));
    const result = await inOrganisation(c, async (scope) => {
      if (audience === 'public' && picked.length > 0) {
        // Stories shared only within the organisation cannot go into a public booklet: said beside the list.
        const allowed = new Set((await storiesForAudience(scope, 'public')).map((story) => story.id));
        if (picked.some((id) => !allowed.has(id))) errors.stories = t(w('errors.notPublic'));
      }
      if (Object.keys(errors).length > 0 || !audience) return null;
      return makeBooklet(scope, {
        title,
        introduction,
        audience: audience as Audience,
        language,
        storyIds: picked,
      });
    });
    if (!result) return newPage(c, values, picked, errors);
    return c.redirect(bookletPath(result.id, '?done=booklet'), 303);
  });

  const bookletPage = async (c: C, values: FormValues | null, errors: FieldErrors = {}) => {
    const t = c.get('t');
    const language = c.get('language');
    const found = await inOrganisation(c, async (scope) => {
      const booklet = await findBooklet(scope, c.req.param('bookletId')!);
      if (!booklet) return null;
      const entries = await bookletEntries(scope, booklet);
      await audit(scope, {
        action: 'read',
        subjectType: auditSubject.booklet,
        subjectId: booklet.id,
        detail: { people: [...new Set(entries.filter((e) => !e.leftOut).map((e) => e.story.authorId))] },
      });
      return { booklet, entries };
    });
    if (!found) return renderProblem(c, 404);
    const { booklet, entries } = found;
    const inIt = entries.filter((entry) => !entry.leftOut);
    const out = entries.filter((entry) => entry.leftOut);
    const shown: FormValues = values ?? { title: booklet.title, introduction: booklet.introduction };
    return page(
      c,
      { title: booklet.title, errors, back: { href: '/stories/booklets', label: t(w('back.booklets')) } },
      <>
        <p class="govuk-body">
          {t(w('booklet.about'), {
            audience: t(w(`audience.${booklet.audience}`)),
            date: formatDate(booklet.madeAt, language),
          })}
        </p>
        <ul class="govuk-list">
          <li>
            <a class="govuk-link" href={bookletPath(booklet.id, '/booklet.pdf')} download>
              {t(w('booklet.pdf'))}
            </a>
          </li>
          <li>
            <a class="govuk-link" href={bookletPath(booklet.id, '/booklet.html')} download>
              {t(w('booklet.html'))}
            </a>
          </li>
        </ul>
        <h2 class="govuk-heading-m">{t(w('booklet.storiesTitle'))}</h2>
        {inIt.length === 0 ? <p class="govuk-body">{t(w('booklet.empty'))}</p> : null}
        <ol class="govuk-list govuk-list--number">
          {inIt.map((entry, index) => (
            <li>
              <span lang={entry.story.language}>{entry.text.title}</span>{' '}
              <span class="govuk-body-s">
                ({byline(t, entry.story)},{' '}
                {t(w('booklet.version'), {
                  version: t(w(`story.version.${entry.text.kind}`)),
                  number: entry.text.number,
                })}
                )
              </span>
              <form method="post" action={bookletPath(booklet.id, '/order')} class="alongside-inline-form">
                <CsrfField c={c} />
                <input type="hidden" name="story" value={entry.story.id} />
                {index > 0 ? (
                  <button
                    type="submit"
                    name="move"
                    value="up"
                    class="govuk-button govuk-button--secondary govuk-!-margin-bottom-2"
                  >
                    {t(w('booklet.up'), { title: entry.text.title })}
                  </button>
                ) : null}
                {index < inIt.length - 1 ? (
                  <button
                    type="submit"
                    name="move"
                    value="down"
                    class="govuk-button govuk-button--secondary govuk-!-margin-bottom-2"
                  >
                    {t(w('booklet.down'), { title: entry.text.title })}
                  </button>
                ) : null}
                <button
                  type="submit"
                  name="move"
                  value="remove"
                  class="govuk-button govuk-button--warning govuk-!-margin-bottom-2"
                >
                  {t(w('booklet.remove'), { title: entry.text.title })}
                </button>
              </form>
            </li>
          ))}
        </ol>
        {out.length > 0 ? (
          <>
            <h2 class="govuk-heading-m">{t(w('booklet.leftOutTitle'))}</h2>
            <p class="govuk-body">{t(w('booklet.leftOutIntro'))}</p>
            <ul class="govuk-list govuk-list--bullet">
              {out.map((entry) => (
                <li>{t(w(`booklet.leftOut.${entry.leftOut}`))}</li>
              ))}
            </ul>
          </>
        ) : null}
        <h2 class="govuk-heading-m">{t(w('booklet.editTitle'))}</h2>
        <form method="post" action={bookletPath(booklet.id)} novalidate>
          <CsrfField c={c} />
          <TextInput
            name="title"
            label={t(w('booklets.bookletTitle'))}
            values={shown}
            errors={errors}
            t={t}
          />
          <TextArea
            name="introduction"
            label={t(w('booklets.introduction'))}
            rows={5}
            values={shown}
            errors={errors}
            t={t}
          />
          <Button>{t(w('booklet.saveEdit'))}</Button>
        </form>
      </>,
    );
  };

  app.get('/stories/booklets/:bookletId', (c) => bookletPage(c, null));
  app.post('/stories/booklets/:bookletId', async (c) => {
    const t = c.get('t');
    const values = await formValues(c);
    const errors: FieldErrors = {};
    const title = (values.title ?? '').trim();
    const introduction = (values.introduction ?? '').trim();
    if (!title) errors.title = t(w('errors.bookletTitle'));
    else if (title.length > 200) errors.title = t('errors.tooLong', { max: 200 });
    if (introduction.length > 5000) errors.introduction = t('errors.tooLong', { max: 5000 });
    const result = await inOrganisation(c, async (scope) => {
      const booklet = await findBooklet(scope, c.req.param('bookletId'));
      if (!booklet) return null;
      if (Object.keys(errors).length > 0) return 'errors' as const;
      await updateBooklet(scope, booklet, { title, introduction });
      return booklet.id;
    });
    if (result === null) return renderProblem(c, 404);
    if (result === 'errors') return bookletPage(c, values, errors);
    return c.redirect(bookletPath(result, '?done=bookletSaved'), 303);
  });

  app.post('/stories/booklets/:bookletId/order', async (c) => {
    const values = await formValues(c);
    const move = (['up', 'down', 'remove'] as const).find((one) => one === values.move);
    const result = await inOrganisation(c, async (scope) => {
      const booklet = await findBooklet(scope, c.req.param('bookletId'));
      if (!booklet) return null;
      if (move && values.story) await changeOrder(scope, booklet, values.story, move);
      return booklet.id;
    });
    if (!result) return renderProblem(c, 404);
    return c.redirect(bookletPath(result, '?done=moved'), 303);
  });

  app.get('/stories/booklets/:bookletId/booklet.pdf', async (c) => {
    const found = await inOrganisation(c, async (scope) => {
      const booklet = await findBooklet(scope, c.req.param('bookletId'));
      return booklet ? printed(c, scope, booklet) : null;
    });
    if (!found) return renderProblem(c, 404);
    const pdf = await bookletPdf(found, c.get('services').translate(found.language));
    return c.body(new Uint8Array(pdf), 200, {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `attachment; filename="${fileName(found.title, 'pdf')}"`,
      'Cache-Control': 'private, no-store',
    });
  });

  app.get('/stories/booklets/:bookletId/booklet.html', async (c) => {
    const found = await inOrganisation(c, async (scope) => {
      const booklet = await findBooklet(scope, c.req.param('bookletId'));
      return booklet ? printed(c, scope, booklet) : null;
    });
    if (!found) return renderProblem(c, 404);
    const html = bookletHtml(found, c.get('services').translate(found.language));
    return c.body(html, 200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Disposition': `attachment; filename="${fileName(found.title, 'html')}"`,
      'Cache-Control': 'private, no-store',
    });
  });
}
