import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { changePassword, membershipsOf } from '../accounts.ts';
import { audit, findAuditEvents } from '../audit.ts';
import type { AppEnv } from '../context.ts';
import { gatherRecord, RecordWriter, recordJson } from '../record.ts';
import { recordPdf } from '../record-pdf.ts';
import { markNoticesSeen, noticesFor, type SecurityNotice } from '../security-notices.ts';
import { throttleWindowMinutes } from '../throttle.ts';
import { renderProblem } from '../web/errors.tsx';
import { describeAuditEvent, formatDateTime } from '../web/format.ts';
import { Button, CsrfField, ErrorSummary, type FieldErrors, parseForm, TextInput } from '../web/forms.tsx';
import { DataTable, LinkList, Notice, renderPage } from '../web/layout.tsx';
import { clientAddress, inOrganisation, safeReturnPath, signedIn } from '../web/middleware.ts';
import { bothTheSame, NewPasswordInputs, newPasswordShape } from './auth.tsx';

const changePasswordSchema = z
  .object({
    current: z
      .string({ error: 'errors.required' })
      .min(1, 'errors.passwordRequired')
      .max(200, 'errors.tooLong'),
    ...newPasswordShape,
  })
  .refine(...bothTheSame);

/** What the person was told about their account, each in plain words with who and when. */
function NoticeList({ notices, c }: { notices: SecurityNotice[]; c: Context<AppEnv> }) {
  const t = c.get('t');
  const language = c.get('language');
  return (
    <ul class="govuk-list alongside-card-list">
      {notices.map((notice) => (
        <li>
          <p class="govuk-body govuk-!-margin-bottom-0">
            {t(`notices.${notice.kind}`, {
              by: notice.byName ?? t('notices.someone'),
              about: notice.aboutName ?? t('notices.someone'),
              when: formatDateTime(notice.createdAt, language),
            })}
          </p>
        </li>
      ))}
    </ul>
  );
}

export function accountRoutes(app: Hono<AppEnv>) {
  app.get('/', (c) => {
    const t = c.get('t');
    const user = c.get('user');
    if (!user && c.get('session')?.accountId) return c.redirect('/choose-organisation', 303);
    if (!user) {
      return renderPage(
        c,
        { title: t('home.title'), narrow: true },
        <>
          <h1 class="govuk-heading-xl">{t('home.title')}</h1>
          <p class="govuk-body-l">{t('home.intro')}</p>
          <a href="/sign-in" class="govuk-button govuk-button--start">
            {t('home.signIn')}
          </a>
        </>,
      );
    }
    const can = c.get('can');
    const places = c
      .get('services')
      .modules.flatMap((module) =>
        (module.navigation ?? [])
          .filter((item) => item.visible(can))
          .map((item) => ({ href: item.href, label: t(`${module.id}.${item.label}`) })),
      );
    return renderPage(
      c,
      { title: t('home.signedInTitle', { name: user.calledName }) },
      <>
        <Notice
          text={c.req.query('welcome') ? t('home.welcome', { organisation: user.organisationName }) : null}
        />
        <h1 class="govuk-heading-l">{t('home.signedInTitle', { name: user.calledName })}</h1>
        <LinkList
          links={[
            ...places,
            { href: '/account/my-record', label: t('record.pageTitle') },
            { href: '/account/record-history', label: t('account.historyLink') },
          ]}
        />
      </>,
    );
  });

  app.use('/account', signedIn);
  app.use('/account/*', signedIn);

  app.get('/account', (c) => accountPage(c));

  app.post('/account/password', async (c) => {
    const t = c.get('t');
    const user = c.get('user')!;
    const services = c.get('services');
    const parsed = await parseForm(c, changePasswordSchema);
    if (!parsed.ok) return accountPage(c, parsed.errors);
    const result = await changePassword(services.database, services.config, {
      accountId: user.accountId,
      current: parsed.data.current,
      password: parsed.data.password,
      address: clientAddress(c, services.config.trustProxy),
      requestId: c.get('requestId'),
      place: user,
    });
    if (result.outcome === 'throttled')
      return accountPage(c, { current: t('signIn.throttled', { count: throttleWindowMinutes }) }, 429);
    if (result.outcome === 'wrong') return accountPage(c, { current: t('account.wrongCurrent') });
    await services.sessions.endOthers(user.accountId, c.get('sessionToken')!);
    return c.redirect('/account?done=password', 303);
  });

  app.post('/account/sessions/end', async (c) => {
    const user = c.get('user')!;
    const services = c.get('services');
    const body = await c.req.parseBody();
    const key = typeof body.session === 'string' ? body.session : '';
    if (!(await services.sessions.endOne(user.accountId, key))) return renderProblem(c, 404);
    await inOrganisation(c, (scope) =>
      audit(scope, { action: 'end-session', subjectType: 'session', subjectPersonId: user.personId }),
    );
    // Ending this very session signs the person out here, as they asked.
    if (key === services.sessions.keyOf(c.get('sessionToken') ?? '')) return c.redirect('/sign-in', 303);
    return c.redirect('/account?done=session', 303);
  });

  // Shown straight after signing in when something happened to the account that the person must know.
  app.get('/account/notices', async (c) => {
    const t = c.get('t');
    const user = c.get('user')!;
    const next = safeReturnPath(c.req.query('next'));
    const notices = await inOrganisation(c, (scope) =>
      noticesFor(scope, user.personId, { unseenOnly: true }),
    );
    if (notices.length === 0) return c.redirect(next, 303);
    return renderPage(
      c,
      { title: t('notices.title'), narrow: true },
      <>
        <h1 class="govuk-heading-l">{t('notices.title')}</h1>
        <p class="govuk-body">{t('notices.intro')}</p>
        <NoticeList notices={notices} c={c} />
        <form method="post" action="/account/notices" novalidate>
          <CsrfField c={c} />
          <input type="hidden" name="next" value={next} />
          <Button>{t('notices.continue')}</Button>
        </form>
      </>,
    );
  });

  app.post('/account/notices', async (c) => {
    const user = c.get('user')!;
    const body = await c.req.parseBody();
    await inOrganisation(c, (scope) => markNoticesSeen(scope, user.personId));
    return c.redirect(safeReturnPath(typeof body.next === 'string' ? body.next : null), 303);
  });

  async function accountPage(c: Context<AppEnv>, errors: FieldErrors = {}, status: 400 | 429 = 400) {
    const t = c.get('t');
    const user = c.get('user')!;
    const services = c.get('services');
    const language = c.get('language');
    const places = await membershipsOf(services.database, user.accountId);
    const sessions = await services.sessions.listForAccount(user.accountId);
    const here = services.sessions.keyOf(c.get('sessionToken') ?? '');
    const notices = await inOrganisation(c, (scope) => noticesFor(scope, user.personId));
    const hasErrors = Object.keys(errors).length > 0;
    const done = c.req.query('done');
    return renderPage(
      c,
      { title: t('account.title'), hasErrors, status: hasErrors ? status : 200 },
      <>
        <Notice
          text={
            done === 'password'
              ? t('account.passwordChanged')
              : done === 'session'
                ? t('account.sessionEnded')
                : null
          }
        />
        <ErrorSummary errors={errors} t={t} />
        <h1 class="govuk-heading-l">{t('account.title')}</h1>
        <dl class="govuk-summary-list">
          <div class="govuk-summary-list__row">
            <dt class="govuk-summary-list__key">{t('account.calledName')}</dt>
            <dd class="govuk-summary-list__value">{user.calledName}</dd>
          </div>
          <div class="govuk-summary-list__row">
            <dt class="govuk-summary-list__key">{t('account.email')}</dt>
            <dd class="govuk-summary-list__value">{user.email}</dd>
          </div>
          <div class="govuk-summary-list__row">
            <dt class="govuk-summary-list__key">{t('account.organisation')}</dt>
            <dd class="govuk-summary-list__value">{user.organisationName}</dd>
          </div>
          <div class="govuk-summary-list__row">
            <dt class="govuk-summary-list__key">{t('account.roles')}</dt>
            <dd class="govuk-summary-list__value">
              {user.roles.map((role) => t(`roles.${role}`)).join(', ') || t('account.noRoles')}
            </dd>
          </div>
        </dl>
        {places.length > 1 ? (
          <p class="govuk-body">
            <a class="govuk-link" href="/choose-organisation">
              {t('account.switchOrganisation')}
            </a>
          </p>
        ) : null}
        <h2 class="govuk-heading-m">{t('account.recordTitle')}</h2>
        <p class="govuk-body">{t('account.recordBody')}</p>
        <LinkList
          links={[
            { href: '/account/my-record', label: t('record.pageTitle') },
            { href: '/account/record-history', label: t('account.historyLink') },
          ]}
        />
        <h2 class="govuk-heading-m">{t('account.calendarTitle')}</h2>
        <p class="govuk-body">{t('account.calendarBody')}</p>
        <LinkList links={[{ href: '/account/calendar', label: t('calendar.title') }]} />
        <h2 class="govuk-heading-m">{t('account.everywhereTitle')}</h2>
        <p class="govuk-body">{t('account.everywhereBody')}</p>
        <form method="post" action="/account/sign-out-everywhere">
          <CsrfField c={c} />
          <button type="submit" class="govuk-button govuk-button--warning">
            {t('account.everywhereButton')}
          </button>
        </form>

        <h2 class="govuk-heading-m">{t('account.sessionsTitle')}</h2>
        <DataTable
          caption={t('account.sessionsCaption')}
          columns={[
            { label: t('account.device') },
            { label: t('account.started') },
            { label: t('account.lastUsed') },
            { label: t('account.endSession') },
          ]}
          rows={sessions.map((place) => [
            <>
              {place.device ?? t('account.unknownDevice')}
              {place.idHash === here ? (
                <>
                  {' '}
                  <strong class="govuk-tag govuk-tag--green">{t('account.thisDevice')}</strong>
                </>
              ) : null}
            </>,
            formatDateTime(place.createdAt, language),
            formatDateTime(place.lastSeenAt, language),
            <form method="post" action="/account/sessions/end" class="alongside-inline-form">
              <CsrfField c={c} />
              <input type="hidden" name="session" value={place.idHash} />
              <button type="submit" class="alongside-button-link">
                {t('account.endSession')}
                <span class="govuk-visually-hidden">
                  {' '}
                  ({t('account.endSessionHidden', { when: formatDateTime(place.createdAt, language) })})
                </span>
              </button>
            </form>,
          ])}
        />

        <h2 class="govuk-heading-m">{t('account.changePasswordTitle')}</h2>
        <p class="govuk-body">{t('account.changePasswordIntro')}</p>
        <form method="post" action="/account/password" novalidate>
          <CsrfField c={c} />
          <input type="text" name="username" value={user.email} autocomplete="username" hidden />
          <TextInput
            name="current"
            type="password"
            autocomplete="current-password"
            label={t('account.currentPassword')}
            errors={errors}
            t={t}
          />
          <NewPasswordInputs errors={errors} t={t} />
          <Button>{t('account.changePasswordButton')}</Button>
        </form>

        {notices.length > 0 ? (
          <>
            <h2 class="govuk-heading-m">{t('notices.listTitle')}</h2>
            <p class="govuk-body">{t('notices.listIntro')}</p>
            <NoticeList notices={notices} c={c} />
          </>
        ) : null}
      </>,
    );
  }

  app.post('/account/sign-out-everywhere', async (c) => {
    const user = c.get('user')!;
    await inOrganisation(c, (scope) =>
      audit(scope, { action: 'sign-out-everywhere', subjectType: 'session', subjectPersonId: user.personId }),
    );
    await c.get('services').sessions.endEverywhere(user.accountId);
    return c.redirect('/sign-in?everywhere=1', 303);
  });

  // Everything held about me, to keep: JSON for machines and other services, PDF to read and print.
  app.get('/account/my-record', (c) => {
    const t = c.get('t');
    return renderPage(
      c,
      { title: t('record.pageTitle'), narrow: true },
      <>
        <h1 class="govuk-heading-l">{t('record.pageTitle')}</h1>
        <p class="govuk-body">{t('record.pageIntro')}</p>
        <LinkList
          links={[
            { href: '/account/my-record.pdf', label: t('record.pdf'), hint: t('record.pdfHint') },
            { href: '/account/my-record.json', label: t('record.json'), hint: t('record.jsonHint') },
          ]}
        />
      </>,
    );
  });

  // Subject access is everyone's right, whatever their roles (staff too, and someone with no role
  // yet): what is gathered is only ever the signed-in person's own, in their organisation.
  const myRecord = (c: Context<AppEnv>) => {
    const writer = new RecordWriter(c.get('language'), c.get('t'));
    return inOrganisation(c, (scope) =>
      gatherRecord(scope, c.get('services').modules, c.get('user')!.personId, writer),
    );
  };

  app.get('/account/my-record.json', async (c) => {
    const record = await myRecord(c);
    c.header('Cache-Control', 'no-store');
    c.header('Content-Disposition', `attachment; filename="my-record-${record.language.code}.json"`);
    return c.body(recordJson(record), 200, { 'Content-Type': 'application/json; charset=utf-8' });
  });

  app.get('/account/my-record.pdf', async (c) => {
    const t = c.get('t');
    const user = c.get('user')!;
    const record = await myRecord(c);
    const pdf = await recordPdf(record, {
      t,
      language: c.get('language'),
      title: t('record.title', { name: user.calledName }),
      intro: t('record.intro', { organisation: user.organisationName }),
    });
    c.header('Cache-Control', 'no-store');
    c.header('Content-Disposition', `attachment; filename="my-record-${record.language.code}.pdf"`);
    return c.body(new Uint8Array(pdf), 200, { 'Content-Type': 'application/pdf' });
  });

  app.get('/account/record-history', async (c) => {
    const t = c.get('t');
    const user = c.get('user')!;
    const can = c.get('can');
    if (!can('read', 'record-history', { personId: user.personId })) return renderProblem(c, 403);
    const events = await inOrganisation(c, async (scope) => {
      const found = await findAuditEvents(scope, {
        subjectPersonId: user.personId,
        hideOwnSessions: true,
        hideOwnReads: true,
        limit: 200,
      });
      await audit(scope, { action: 'read', subjectType: 'record-history', subjectPersonId: user.personId });
      return found;
    });
    const language = c.get('language');
    return renderPage(
      c,
      { title: t('history.title') },
      <>
        <h1 class="govuk-heading-l">{t('history.title')}</h1>
        <p class="govuk-body">{t('history.intro')}</p>
        {events.length === 0 ? (
          <p class="govuk-body">{t('history.none')}</p>
        ) : (
          <DataTable
            caption={t('history.caption', { count: events.length })}
            captionSize="m"
            columns={[
              { label: t('history.when') },
              { label: t('history.who') },
              { label: t('history.what') },
            ]}
            rows={events.map((event) => [
              formatDateTime(event.occurredAt, language),
              event.actorPersonId === user.personId ? (
                t('history.you')
              ) : (
                <bdi>{event.actorName ?? t('history.system')}</bdi>
              ),
              describeAuditEvent(t, event),
            ])}
          />
        )}
      </>,
    );
  });
}
