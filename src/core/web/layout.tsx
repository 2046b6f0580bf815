import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { AppEnv } from '../context.ts';
import { assetPath } from './assets.ts';

export interface PageOptions {
  title: string;
  /** Shown before the title in the browser tab when a form has errors, as screen readers expect. */
  hasErrors?: boolean;
  status?: 200 | 400 | 403 | 404 | 409 | 413 | 422 | 429 | 500 | 503;
  /** Narrow pages (sign-in, forms) read better in two thirds of the width. */
  narrow?: boolean;
  /** A page of work under way reloads itself this often, so its progress shows without a script. */
  refreshSeconds?: number;
}

function languageSwitch(c: Context<AppEnv>, place: 'header' | 'footer') {
  const t = c.get('t');
  const other = c.get('language') === 'en' ? 'cy' : 'en';
  const back = c.req.path + (new URL(c.req.url).search || '');
  return (
    <a
      class={place === 'header' ? 'govuk-link alongside-header__link' : 'govuk-link govuk-footer__link'}
      href={`/language/${other}?back=${encodeURIComponent(back)}`}
      lang={other}
      hreflang={other}
    >
      {t('layout.switchLanguage')}
    </a>
  );
}

/** The header's way to the notifications, with how many are unread: a plain link, no script. */
function NotificationsLink({ c, unread }: { c: Context<AppEnv>; unread: number }) {
  const t = c.get('t');
  return (
    <a
      class="govuk-link alongside-header__link"
      href="/notifications"
      aria-current={c.req.path === '/notifications' ? 'page' : undefined}
    >
      {t('layout.notifications')}
      {unread > 0 ? (
        <>
          {' '}
          <span class="alongside-header__count" aria-hidden="true">
            {unread > 99 ? '99+' : String(unread)}
          </span>
          <span class="govuk-visually-hidden">
            {' '}
            {t('layout.unread', { count: unread, shown: unread > 99 ? '99+' : String(unread) })}
          </span>
        </>
      ) : null}
    </a>
  );
}

function Navigation({ c }: { c: Context<AppEnv> }) {
  const user = c.get('user');
  if (!user) return null;
  const t = c.get('t');
  const can = c.get('can');
  const items = [
    { href: '/', label: t('layout.nav.home') },
    ...c
      .get('services')
      .modules.flatMap((module) =>
        (module.navigation ?? [])
          .filter((item) => !item.homeOnly && item.visible(can))
          .map((item) => ({ href: item.href, label: t(`${module.id}.${item.label}`) })),
      ),
    { href: '/account', label: t('layout.nav.account') },
  ];
  const path = c.req.path;
  const list = (
    <ul class="alongside-nav__list govuk-width-container">
      {items.map((item) => {
        const current =
          item.href === '/' ? path === '/' : path === item.href || path.startsWith(`${item.href}/`);
        return (
          <li class="alongside-nav__item">
            <a
              class="govuk-link alongside-nav__link"
              href={item.href}
              aria-current={current ? 'page' : undefined}
            >
              {item.label}
            </a>
          </li>
        );
      })}
    </ul>
  );
  // The same links twice: in a row on a wide screen, and behind "Menu" on a phone, where they took
  // four rows before any content. CSS shows exactly one at each width (display: none hides the other
  // from screen readers too, so there is one navigation landmark at a time). <details> opens and
  // closes without JavaScript, by keyboard, and says whether it is open.
  return (
    <>
      <nav class="alongside-nav alongside-nav--wide" aria-label={t('layout.nav.label')}>
        {list}
      </nav>
      <details class="alongside-menu">
        <summary class="alongside-menu__toggle">{t('layout.nav.menu')}</summary>
        {/* Named "Menu", not "Main", so that even with no style sheet the two landmarks can be told apart. */}
        <nav class="alongside-nav" aria-label={t('layout.nav.menu')}>
          {list}
        </nav>
      </details>
    </>
  );
}

/** Every page: skip link, header with the organisation's name, navigation by role, phase banner, footer. */
export function renderPage(c: Context<AppEnv>, options: PageOptions, body: Child) {
  const t = c.get('t');
  const user = c.get('user');
  const title = `${options.hasErrors ? `${t('layout.errorPrefix')} ` : ''}${options.title} – ${t('layout.serviceName')}`;
  c.header('Cache-Control', 'no-store');
  return c.html(
    '<!DOCTYPE html>' +
    (
      <html lang={c.get('language')} class="govuk-template">
        <head>
          <meta charset="utf-8" />
          <title>{title}</title>
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="robots" content="noindex, nofollow" />
          {options.refreshSeconds ? (
            <meta http-equiv="refresh" content={String(options.refreshSeconds)} />
          ) : null}
          <link rel="stylesheet" href={assetPath('govuk.css')} />
          <link rel="stylesheet" href={assetPath('alongside.css')} />
          <link rel="stylesheet" href={assetPath('print.css')} media="print" />
          {/* Enhances fields marked data-language-guard; everything works without it. */}
          {user ? (
            <script src={assetPath('language-guard.js')} defer nonce={c.get('secureHeadersNonce')}></script>
          ) : null}
        </head>
        <body class="govuk-template__body">
          <a href="#main-content" class="govuk-skip-link">
            {t('layout.skipLink')}
          </a>
          <header class="alongside-header">
            <div class="alongside-header__container govuk-width-container">
              <a href="/" class="alongside-header__service">
                {t('layout.serviceName')}
              </a>
              {user ? <span class="alongside-header__organisation">{user.organisationName}</span> : null}
              <div class="alongside-header__actions">
                {languageSwitch(c, 'header')}
                {user ? <NotificationsLink c={c} unread={user.unreadNotifications ?? 0} /> : null}
                {user ? (
                  <form method="post" action="/sign-out" class="alongside-header__sign-out">
                    <input type="hidden" name="_csrf" value={c.get('session')?.csrfToken ?? ''} />
                    <button type="submit" class="alongside-header__button">
                      {t('layout.signOut')}
                    </button>
                  </form>
                ) : null}
              </div>
            </div>
          </header>
          <Navigation c={c} />
          <div class="govuk-width-container">
            <div class="govuk-phase-banner">
              <p class="govuk-phase-banner__content">
                <strong class="govuk-tag govuk-phase-banner__content__tag">{t('layout.phase')}</strong>
                <span class="govuk-phase-banner__text">{t('layout.phaseText')}</span>
              </p>
            </div>
            <main class="govuk-main-wrapper" id="main-content">
              {options.narrow ? (
                <div class="govuk-grid-row">
                  <div class="govuk-grid-column-two-thirds">{body}</div>
                </div>
              ) : (
                body
              )}
            </main>
          </div>
          <footer class="govuk-footer">
            <div class="govuk-width-container">
              <h2 class="govuk-visually-hidden">{t('layout.footer.heading')}</h2>
              <p class="govuk-footer__meta-custom">{t('layout.footer.about')}</p>
              <p class="govuk-footer__meta-custom">{languageSwitch(c, 'footer')}</p>
            </div>
          </footer>
        </body>
      </html>
    ),
    options.status ?? 200,
  );
}

/** A success message at the top of a page, announced politely to screen readers. */
export function Notice({ text }: { text: string | null | undefined }) {
  if (!text) return null;
  return (
    <div class="govuk-notification-banner govuk-notification-banner--success" role="status">
      <div class="govuk-notification-banner__content">
        <p class="govuk-notification-banner__heading">{text}</p>
      </div>
    </div>
  );
}

export interface Column {
  label: string;
  numeric?: boolean;
  /** Short values read best on one line (a date, a figure): the table scrolls instead of wrapping them. */
  oneLine?: boolean;
}

/** A GOV.UK-pattern table that scrolls sideways on a narrow phone instead of breaking the page. */
export function DataTable(props: {
  caption: string;
  captionSize?: 's' | 'm';
  columns: Column[];
  rows: Child[][];
  /**
   * Words that say the table scrolls sideways ("scroll to see all of it"), shown only while it does
   * (where the browser can tell; elsewhere the shadow at the cut edge says so without words).
   */
  scrollHint?: string;
}) {
  return (
    // A region that scrolls sideways on a phone must be reachable by keyboard and named for screen readers.
    <section class="alongside-table-wrapper" aria-label={props.caption} tabindex={0}>
      {props.scrollHint ? <p class="govuk-body-s alongside-table-hint">{props.scrollHint}</p> : null}
      <table class="govuk-table">
        <caption class={`govuk-table__caption govuk-table__caption--${props.captionSize ?? 's'}`}>
          {props.caption}
        </caption>
        <thead class="govuk-table__head">
          <tr class="govuk-table__row">
            {props.columns.map((column) => (
              <th
                scope="col"
                class={`govuk-table__header${column.numeric ? ' govuk-table__header--numeric' : ''}${column.oneLine ? ' alongside-one-line' : ''}`}
              >
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody class="govuk-table__body">
          {props.rows.map((cells) => (
            <tr class="govuk-table__row">
              {cells.map((cell, index) => (
                <td
                  class={`govuk-table__cell${props.columns[index]?.numeric ? ' govuk-table__cell--numeric' : ''}${props.columns[index]?.oneLine ? ' alongside-one-line' : ''}`}
                >
                  {cell}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Pairs of a label and a value, as a summary list (a person's details, an exchange, a request). */
export function Summary({ rows }: { rows: [string, Child][] }) {
  return (
    <dl class="govuk-summary-list">
      {rows.map(([key, value]) => (
        <div class="govuk-summary-list__row">
          <dt class="govuk-summary-list__key">{key}</dt>
          <dd class="govuk-summary-list__value">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The list of big links that home pages are made of. */
export function LinkList({ links }: { links: { href: string; label: string; hint?: string }[] }) {
  return (
    <ul class="alongside-card-list">
      {links.map((link) => (
        <li>
          <a class="govuk-link govuk-!-font-weight-bold" href={link.href}>
            {link.label}
          </a>
          {link.hint ? <p class="govuk-body-s govuk-!-margin-bottom-0">{link.hint}</p> : null}
        </li>
      ))}
    </ul>
  );
}

/**
 * Links to the neighbouring pages of a long list, newest first: the GOV.UK pagination pattern with
 * only "previous" and "next", so no page has to count the whole list.
 */
export function PreviousNextPages(props: {
  label: string;
  previous: { href: string; label: string } | null;
  next: { href: string; label: string } | null;
}) {
  if (!props.previous && !props.next) return null;
  return (
    <nav class="govuk-pagination" aria-label={props.label}>
      {props.previous ? (
        <div class="govuk-pagination__prev">
          <a class="govuk-link govuk-pagination__link" href={props.previous.href} rel="prev">
            <span class="govuk-pagination__link-title">{props.previous.label}</span>
          </a>
        </div>
      ) : null}
      {props.next ? (
        <div class="govuk-pagination__next">
          <a class="govuk-link govuk-pagination__link" href={props.next.href} rel="next">
            <span class="govuk-pagination__link-title">{props.next.label}</span>
          </a>
        </div>
      ) : null}
    </nav>
  );
}
