import type { Context, Hono } from 'hono';
import { makeFeed, openFeedOf, readFeed, revokeFeed } from '../calendar-feeds.ts';
import type { AppEnv } from '../context.ts';
import { renderProblem } from '../web/errors.tsx';
import { formatDateTime } from '../web/format.ts';
import { Button, CsrfField } from '../web/forms.tsx';
import { Notice, renderPage } from '../web/layout.tsx';
import { inOrganisation } from '../web/middleware.ts';

/**
 * "Your calendar": a secret address for calendar apps (which cannot sign in), shown again whenever
 * the person comes back, made new or stopped here; and the address itself, /calendar/<secret>.ics,
 * which needs no session and sets no cookie (decision 022).
 */
export function calendarRoutes(app: Hono<AppEnv>) {
  // /account/* is behind sign-in already (routes/account.tsx); every role, and none, may have a feed.
  const page = async (c: Context<AppEnv>) => {
    const t = c.get('t');
    const user = c.get('user')!;
    const language = c.get('language');
    const { config } = c.get('services');
    const feed = await inOrganisation(c, (scope) => openFeedOf(scope, config, user.personId));
    const done = c.req.query('done');
    return renderPage(
      c,
      { title: t('calendar.title'), narrow: true },
      <>
        <Notice
          text={
            done === 'made' && feed
              ? t('calendar.made')
              : done === 'stopped' && !feed
                ? t('calendar.stopped')
                : null
          }
        />
        <p class="govuk-body">
          <a class="govuk-link" href="/account">
            {t('calendar.back')}
          </a>
        </p>
        <h1 class="govuk-heading-l">{t('calendar.title')}</h1>
        <p class="govuk-body">{t('calendar.intro')}</p>
        <p class="govuk-body">{t('calendar.whatIsIn')}</p>
        <div class="govuk-warning-text">
          <span class="govuk-warning-text__icon" aria-hidden="true">
            !
          </span>
          <strong class="govuk-warning-text__text">
            <span class="govuk-visually-hidden">{t('calendar.warningHidden')}</span>
            {t('calendar.anyoneWithIt')}
          </strong>
        </div>
        {feed ? (
          <>
            <h2 class="govuk-heading-m">{t('calendar.yourAddress')}</h2>
            <div class="govuk-form-group">
              <label class="govuk-label govuk-label--s" for="calendar-address">
                {t('calendar.addressLabel')}
              </label>
              <div id="calendar-address-hint" class="govuk-hint">
                {t('calendar.addressHint')}
              </div>
              <input
                class="govuk-input"
                id="calendar-address"
                type="text"
                value={feed.address}
                readonly
                spellcheck={false}
                autocomplete="off"
                aria-describedby="calendar-address-hint"
              />
            </div>
            <dl class="govuk-summary-list">
              <div class="govuk-summary-list__row">
                <dt class="govuk-summary-list__key">{t('calendar.madeOn')}</dt>
                <dd class="govuk-summary-list__value">{formatDateTime(feed.createdAt, language)}</dd>
              </div>
              <div class="govuk-summary-list__row">
                <dt class="govuk-summary-list__key">{t('calendar.lastRead')}</dt>
                <dd class="govuk-summary-list__value">
                  {feed.lastUsedAt ? formatDateTime(feed.lastUsedAt, language) : t('calendar.neverRead')}
                </dd>
              </div>
            </dl>
            <h2 class="govuk-heading-m">{t('calendar.newTitle')}</h2>
            <p class="govuk-body">{t('calendar.newBody')}</p>
            <form method="post" action="/account/calendar" novalidate>
              <CsrfField c={c} />
              <Button secondary>{t('calendar.makeNew')}</Button>
            </form>
            <h2 class="govuk-heading-m">{t('calendar.stopTitle')}</h2>
            <p class="govuk-body">{t('calendar.stopBody')}</p>
            <form method="post" action="/account/calendar/stop" novalidate>
              <CsrfField c={c} />
              <button type="submit" class="govuk-button govuk-button--warning">
                {t('calendar.stop')}
              </button>
            </form>
          </>
        ) : (
          <>
            <p class="govuk-body">{t('calendar.none')}</p>
            <form method="post" action="/account/calendar" novalidate>
              <CsrfField c={c} />
              <Button>{t('calendar.make')}</Button>
            </form>
          </>
        )}
      </>,
    );
  };

  app.get('/account/calendar', (c) => page(c));

  app.post('/account/calendar', async (c) => {
    const user = c.get('user')!;
    const { config } = c.get('services');
    await inOrganisation(c, (scope) => makeFeed(scope, config, user.personId));
    return c.redirect('/account/calendar?done=made', 303);
  });

  app.post('/account/calendar/stop', async (c) => {
    const user = c.get('user')!;
    await inOrganisation(c, (scope) => revokeFeed(scope, user.personId));
    return c.redirect('/account/calendar?done=stopped', 303);
  });

  // A calendar app's request: no session, no cookie, only the secret in the address (cut out of the logs).
  app.get('/calendar/:file', async (c) => {
    const file = c.req.param('file');
    if (!file.endsWith('.ics')) return renderProblem(c, 404);
    const result = await readFeed(c.get('services'), file.slice(0, -'.ics'.length), {
      requestId: c.get('requestId'),
    });
    if (result.outcome === 'not-found') return renderProblem(c, 404);
    if (result.outcome === 'too-often') {
      const now = new Date();
      c.header('Retry-After', String(3600 - (now.getUTCMinutes() * 60 + now.getUTCSeconds())));
      return renderProblem(c, 429);
    }
    c.header('Content-Type', 'text/calendar; charset=utf-8');
    c.header('Cache-Control', 'no-store');
    c.header('X-Robots-Tag', 'noindex');
    return c.body(result.text);
  });
}
