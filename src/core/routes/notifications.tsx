import type { Context, Hono } from 'hono';
import type { AppEnv } from '../context.ts';
import { type NotificationDelivery, notificationDeliveries } from '../database/schema.ts';
import {
  choicesOf,
  kindsFor,
  markAllRead,
  type NotificationKind,
  notificationsOf,
  openNotification,
  setChoices,
} from '../notifications.ts';
import { isUuid } from '../tokens.ts';
import { renderProblem } from '../web/errors.tsx';
import { formatDateTime } from '../web/format.ts';
import { Button, CsrfField, ErrorSummary, type FieldErrors, type FormValues, Radios } from '../web/forms.tsx';
import { Notice, PreviousNextPages, renderPage } from '../web/layout.tsx';
import { inOrganisation, signedIn } from '../web/middleware.ts';

const pageSize = 20;

/** Every kind the modules declared, in the order they are listed. */
export function allNotificationKinds(c: Context<AppEnv>): NotificationKind[] {
  return c.get('services').modules.flatMap((module) => module.notifications ?? []);
}

function offeredKinds(c: Context<AppEnv>): NotificationKind[] {
  return kindsFor(allNotificationKinds(c), c.get('user')!.roles);
}

async function listPage(c: Context<AppEnv>) {
  const t = c.get('t');
  const user = c.get('user')!;
  const language = c.get('language');
  const number = Math.max(1, Math.min(10_000, Number.parseInt(c.req.query('page') ?? '1', 10) || 1));
  const { lines, more } = await inOrganisation(c, (scope) =>
    notificationsOf(scope, user.personId, { number, size: pageSize }),
  );
  const kinds = new Map(allNotificationKinds(c).map((kind) => [kind.kind, kind]));
  const done = c.req.query('done');
  const unread = lines.some((line) => !line.readAt);
  return renderPage(
    c,
    { title: t('notifications.title') },
    <>
      <Notice
        text={
          done === 'read' ? t('notifications.doneRead') : done === 'all' ? t('notifications.doneAll') : null
        }
      />
      <h1 class="govuk-heading-l">{t('notifications.title')}</h1>
      <p class="govuk-body">
        <a class="govuk-link" href="/notifications/choices">
          {t('notifications.chooseLink')}
        </a>
      </p>
      {lines.length === 0 ? (
        <p class="govuk-body">{number === 1 ? t('notifications.none') : t('notifications.noneHere')}</p>
      ) : (
        <>
          {unread ? (
            <form method="post" action="/notifications/read-all">
              <CsrfField c={c} />
              <Button secondary>{t('notifications.markAll')}</Button>
            </form>
          ) : null}
          <ul class="govuk-list alongside-card-list">
            {lines.map((line) => {
              const kind = kinds.get(line.kind);
              const words = kind ? t(kind.message, line.params) : t('notifications.unknownKind');
              return (
                <li>
                  <p class="govuk-body govuk-!-margin-bottom-1">
                    {line.readAt ? null : (
                      <>
                        <strong class="govuk-tag">{t('notifications.new')}</strong>{' '}
                      </>
                    )}
                    <a class="govuk-link" href={`/notifications/${line.id}`}>
                      {words}
                    </a>
                  </p>
                  <p class="govuk-body-s govuk-!-margin-bottom-1">
                    {formatDateTime(line.createdAt, language)}
                  </p>
                  {line.readAt ? null : (
                    <form method="post" action={`/notifications/${line.id}/read`}>
                      <CsrfField c={c} />
                      <button type="submit" class="alongside-button-link">
                        {t('notifications.markOne')}
                        <span class="govuk-visually-hidden">: {words}</span>
                      </button>
                    </form>
                  )}
                </li>
              );
            })}
          </ul>
        </>
      )}
      <PreviousNextPages
        label={t('notifications.pages')}
        previous={
          number > 1 ? { href: `/notifications?page=${number - 1}`, label: t('notifications.newer') } : null
        }
        next={more ? { href: `/notifications?page=${number + 1}`, label: t('notifications.older') } : null}
      />
    </>,
  );
}

async function choicesPage(c: Context<AppEnv>, sent?: FormValues, errors?: FieldErrors) {
  const t = c.get('t');
  const user = c.get('user')!;
  const kinds = offeredKinds(c);
  const current = await inOrganisation(c, (scope) => choicesOf(scope, user.personId, kinds));
  const values: FormValues =
    sent ??
    Object.fromEntries(kinds.map((kind) => [fieldOf(kind), current.get(kind.kind) ?? kind.defaultDelivery]));
  const options = notificationDeliveries.map((delivery) => ({
    value: delivery,
    label: t(`notifications.delivery.${delivery}`),
  }));
  const hasErrors = Boolean(errors && Object.keys(errors).length > 0);
  return renderPage(
    c,
    { title: t('notifications.choicesTitle'), hasErrors, status: hasErrors ? 400 : 200 },
    <>
      <Notice text={c.req.query('done') ? t('notifications.choicesSaved') : null} />
      <ErrorSummary errors={errors} t={t} />
      <h1 class="govuk-heading-l">{t('notifications.choicesTitle')}</h1>
      <p class="govuk-body">{t('notifications.choicesIntro')}</p>
      <form method="post" action="/notifications/choices" novalidate>
        <CsrfField c={c} />
        {kinds.map((kind) => (
          <Radios
            name={fieldOf(kind)}
            legend={t(kind.label)}
            options={options}
            values={values}
            errors={errors}
            t={t}
          />
        ))}
        <Button>{t('notifications.saveChoices')}</Button>
      </form>
      <p class="govuk-body">
        <a class="govuk-link" href="/notifications">
          {t('notifications.backToList')}
        </a>
      </p>
    </>,
  );
}

/** A kind's field name: its dotted name would be read as a path by some form parsers. */
function fieldOf(kind: NotificationKind): string {
  return `kind-${kind.kind.replace('.', '--')}`;
}

export function notificationRoutes(app: Hono<AppEnv>) {
  app.use('/notifications', signedIn);
  app.use('/notifications/*', signedIn);

  app.get('/notifications', (c) => listPage(c));

  app.get('/notifications/choices', (c) => choicesPage(c));

  app.post('/notifications/choices', async (c) => {
    const t = c.get('t');
    const user = c.get('user')!;
    const body = await c.req.parseBody();
    const sent: FormValues = {};
    const errors: FieldErrors = {};
    const choices = new Map<string, NotificationDelivery>();
    for (const kind of offeredKinds(c)) {
      const field = fieldOf(kind);
      const value = typeof body[field] === 'string' ? (body[field] as string) : '';
      sent[field] = value;
      if ((notificationDeliveries as readonly string[]).includes(value))
        choices.set(kind.kind, value as NotificationDelivery);
      else errors[field] = t('notifications.chooseOne', { kind: t(kind.label) });
    }
    if (Object.keys(errors).length > 0) return choicesPage(c, sent, errors);
    await inOrganisation(c, (scope) => setChoices(scope, user.personId, choices));
    return c.redirect('/notifications/choices?done=1', 303);
  });

  app.post('/notifications/read-all', async (c) => {
    const user = c.get('user')!;
    await inOrganisation(c, (scope) => markAllRead(scope, user.personId));
    return c.redirect('/notifications?done=all', 303);
  });

  app.post('/notifications/:id/read', async (c) => {
    const user = c.get('user')!;
    const id = c.req.param('id');
    if (!isUuid(id)) return renderProblem(c, 404);
    // Already read (a second click) is fine; someone else's, or none, is not found.
    const own = await inOrganisation(c, (scope) => openNotification(scope, user.personId, id));
    if (!own) return renderProblem(c, 404);
    return c.redirect('/notifications?done=read', 303);
  });

  // Opening marks it read, then goes where it leads.
  app.get('/notifications/:id', async (c) => {
    const user = c.get('user')!;
    const id = c.req.param('id');
    if (!isUuid(id)) return renderProblem(c, 404);
    const link = await inOrganisation(c, (scope) => openNotification(scope, user.personId, id));
    if (!link) return renderProblem(c, 404);
    return c.redirect(link, 303);
  });
}
