import type { Context, Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { z } from 'zod';
import {
  acceptInvitation,
  completePasswordReset,
  findInvitation,
  type Membership,
  membershipsOf,
  passwordResetHours,
  passwordResetIsOpen,
  recordSignIn,
  requestPasswordReset,
  setAccountLanguage,
  signIn,
} from '../accounts.ts';
import type { AppEnv } from '../context.ts';
import { withOrganisation } from '../database/tenancy.ts';
import { isLanguage, type Language, type Translate } from '../i18n/index.ts';
import { minimumPasswordLength } from '../passwords.ts';
import { hasUnseenNotices } from '../security-notices.ts';
import { throttleWindowMinutes } from '../throttle.ts';
import { describeDevice } from '../web/device.ts';
import { renderProblem } from '../web/errors.tsx';
import {
  Button,
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  type FormValues,
  parseForm,
  TextInput,
} from '../web/forms.tsx';
import { Notice, renderPage } from '../web/layout.tsx';
import { clientAddress, safeReturnPath, setSessionCookie } from '../web/middleware.ts';

const signInSchema = z.object({
  email: z
    .string({ error: 'errors.required' })
    .trim()
    .min(1, 'errors.emailRequired')
    .max(320, 'errors.tooLong'),
  password: z
    .string({ error: 'errors.required' })
    .min(1, 'errors.passwordRequired')
    .max(200, 'errors.tooLong'),
  next: z.string().max(500).optional(),
});

/** A new password typed twice: the one rule for choosing a password, wherever it is chosen. */
export const newPasswordShape = {
  password: z
    .string({ error: 'errors.required' })
    .min(minimumPasswordLength, 'errors.passwordTooShort')
    .max(200, 'errors.tooLong'),
  confirm: z.string({ error: 'errors.required' }).max(200, 'errors.tooLong'),
};
export const bothTheSame: [
  (form: { password: string; confirm: string }) => boolean,
  z.core.$ZodCustomParams,
] = [(form) => form.password === form.confirm, { path: ['confirm'], message: 'errors.passwordsDiffer' }];

const newPasswordSchema = z.object(newPasswordShape).refine(...bothTheSame);

/** The two fields of a new password, as every form that chooses one shows them. */
export function NewPasswordInputs({ errors, t }: { errors: FieldErrors; t: Translate }) {
  return (
    <>
      <TextInput
        name="password"
        type="password"
        autocomplete="new-password"
        label={t('password.new')}
        hint={t('password.hint', { count: minimumPasswordLength })}
        errors={errors}
        t={t}
      />
      <TextInput
        name="confirm"
        type="password"
        autocomplete="new-password"
        label={t('password.confirm')}
        errors={errors}
        t={t}
      />
    </>
  );
}

const existingPasswordSchema = z.object({
  password: z
    .string({ error: 'errors.required' })
    .min(1, 'errors.passwordRequired')
    .max(200, 'errors.tooLong'),
});

const emailSchema = z.object({
  email: z.email({ error: 'errors.email' }).max(320, 'errors.tooLong'),
});

/**
 * Ends the visitor's old session and starts a signed-in one, so a planted session id is worth nothing.
 * The language is the one chosen on this device if any, then the account's, then the organisation's.
 */
async function startSignedIn(
  c: Context<AppEnv>,
  accountId: string,
  place: Membership | null,
  accountLanguage: Language | null,
) {
  const { sessions, database } = c.get('services');
  const old = c.get('sessionToken');
  if (old) await sessions.end(old);
  const chosenHere = getCookie(c, 'lang');
  const language = isLanguage(chosenHere)
    ? chosenHere
    : (accountLanguage ?? place?.defaultLanguage ?? c.get('language'));
  if (language !== accountLanguage) await setAccountLanguage(database, accountId, language);
  const { token } = await sessions.start({
    accountId,
    personId: place?.personId ?? null,
    organisationId: place?.organisationId ?? null,
    language,
    device: describeDevice(c.req.header('user-agent')),
  });
  setSessionCookie(c, token);
  if (place) await recordSignIn(database, place, c.get('requestId'), 'sign-in');
}

/**
 * Where to go once signed in to an organisation: first anything the person must be told (an admin
 * reset their password, say), then where they were going.
 */
async function afterSignIn(c: Context<AppEnv>, place: Membership, next: string): Promise<string> {
  const { database } = c.get('services');
  const mustBeTold = await withOrganisation(database, { organisationId: place.organisationId }, (scope) =>
    hasUnseenNotices(scope, place.personId),
  );
  return mustBeTold ? `/account/notices?next=${encodeURIComponent(next)}` : next;
}

/** The address someone signs in with, as every sign-in form asks for it. */
function SignInEmail({ values, errors, t }: { values: FormValues; errors: FieldErrors; t: Translate }) {
  return (
    <TextInput
      name="email"
      type="email"
      autocomplete="email"
      spellcheck={false}
      label={t('signIn.email')}
      values={values}
      errors={errors}
      t={t}
    />
  );
}

function SignInPage(
  c: Context<AppEnv>,
  values: FormValues = {},
  errors: FieldErrors = {},
  notice?: string,
  status: 400 | 429 = 400,
) {
  const t = c.get('t');
  const hasErrors = Object.keys(errors).length > 0;
  return renderPage(
    c,
    {
      title: t('signIn.title'),
      hasErrors,
      narrow: true,
      status: hasErrors ? status : 200,
    },
    <>
      <ErrorSummary errors={errors} t={t} />
      <Notice text={notice} />
      <h1 class="govuk-heading-l">{t('signIn.title')}</h1>
      <form method="post" action="/sign-in" novalidate>
        <CsrfField c={c} />
        <input type="hidden" name="next" value={values.next ?? ''} />
        <SignInEmail values={values} errors={errors} t={t} />
        <TextInput
          name="password"
          type="password"
          autocomplete="current-password"
          label={t('signIn.password')}
          values={values}
          errors={errors}
          t={t}
        />
        <Button>{t('signIn.button')}</Button>
      </form>
      <p class="govuk-body">
        <a class="govuk-link" href="/password-reset">
          {t('signIn.forgotten')}
        </a>
      </p>
      <p class="govuk-body">{t('signIn.noAccount')}</p>
    </>,
  );
}

function ChooseOrganisationPage(c: Context<AppEnv>, places: Membership[], error?: string, next = '/') {
  const t = c.get('t');
  return renderPage(
    c,
    {
      title: t('chooseOrganisation.title'),
      hasErrors: Boolean(error),
      narrow: true,
      status: error ? 400 : 200,
    },
    <>
      <ErrorSummary errors={error ? { organisation: error } : {}} t={t} />
      <form method="post" action="/choose-organisation" novalidate>
        <CsrfField c={c} />
        <input type="hidden" name="next" value={next} />
        <div class={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
          <fieldset class="govuk-fieldset" aria-describedby={error ? 'organisation-error' : undefined}>
            <legend class="govuk-fieldset__legend govuk-fieldset__legend--l">
              <h1 class="govuk-fieldset__heading">{t('chooseOrganisation.title')}</h1>
            </legend>
            {error ? (
              <p id="organisation-error" class="govuk-error-message">
                <span class="govuk-visually-hidden">{t('errors.prefix')}:</span> {error}
              </p>
            ) : null}
            <div class="govuk-radios">
              {places.map((place, index) => (
                <div class="govuk-radios__item">
                  <input
                    class="govuk-radios__input"
                    id={index === 0 ? 'organisation' : `organisation-${index}`}
                    name="organisation"
                    type="radio"
                    value={place.organisationId}
                  />
                  <label
                    class="govuk-label govuk-radios__label"
                    for={index === 0 ? 'organisation' : `organisation-${index}`}
                  >
                    {place.organisationName}
                  </label>
                </div>
              ))}
            </div>
          </fieldset>
        </div>
        <Button>{t('chooseOrganisation.button')}</Button>
      </form>
    </>,
  );
}

function NewPasswordForm(props: {
  c: Context<AppEnv>;
  action: string;
  errors: FieldErrors;
  existing?: boolean;
  button: string;
}) {
  const t = props.c.get('t');
  return (
    <form method="post" action={props.action} novalidate>
      <CsrfField c={props.c} />
      {props.existing ? (
        <TextInput
          name="password"
          type="password"
          autocomplete="current-password"
          label={t('invitation.existingPassword')}
          errors={props.errors}
          t={t}
        />
      ) : (
        <NewPasswordInputs errors={props.errors} t={t} />
      )}
      <Button>{props.button}</Button>
    </form>
  );
}

export function authRoutes(app: Hono<AppEnv>) {
  app.get('/sign-in', (c) => {
    if (c.get('user')) return c.redirect('/', 303);
    const t = c.get('t');
    const notice = c.req.query('everywhere')
      ? t('signIn.signedOutEverywhere')
      : c.req.query('signed-out')
        ? t('signIn.signedOut')
        : c.req.query('reset')
          ? t('signIn.passwordChanged')
          : undefined;
    return SignInPage(c, { next: safeReturnPath(c.req.query('next')) }, {}, notice);
  });

  app.post('/sign-in', async (c) => {
    const t = c.get('t');
    const parsed = await parseForm(c, signInSchema);
    if (!parsed.ok) return SignInPage(c, parsed.values, parsed.errors);
    const services = c.get('services');
    const result = await signIn(services.database, services.config, {
      email: parsed.data.email,
      password: parsed.data.password,
      address: clientAddress(c, services.config.trustProxy),
      requestId: c.get('requestId'),
    });
    if (result.outcome === 'throttled') {
      const message = t('signIn.throttled', { count: throttleWindowMinutes });
      return SignInPage(c, parsed.values, { email: message }, undefined, 429);
    }
    if (result.outcome === 'wrong') return SignInPage(c, parsed.values, { email: t('signIn.wrong') });
    if (result.memberships.length === 0)
      return SignInPage(c, parsed.values, { email: t('signIn.noOrganisation') });
    const only = result.memberships.length === 1 ? result.memberships[0]! : null;
    await startSignedIn(c, result.accountId, only, result.language);
    const next = safeReturnPath(parsed.data.next);
    if (!only)
      return c.redirect(
        `/choose-organisation${next === '/' ? '' : `?next=${encodeURIComponent(next)}`}`,
        303,
      );
    return c.redirect(await afterSignIn(c, only, next), 303);
  });

  app.get('/choose-organisation', async (c) => {
    const session = c.get('session');
    if (!session?.accountId) return c.redirect('/sign-in', 303);
    const places = await membershipsOf(c.get('services').database, session.accountId);
    return ChooseOrganisationPage(c, places, undefined, safeReturnPath(c.req.query('next')));
  });

  app.post('/choose-organisation', async (c) => {
    const session = c.get('session');
    const token = c.get('sessionToken');
    if (!session?.accountId || !token) return c.redirect('/sign-in', 303);
    const services = c.get('services');
    const places = await membershipsOf(services.database, session.accountId);
    const body = await c.req.parseBody();
    const chosen = places.find((place) => place.organisationId === body.organisation);
    const next = safeReturnPath(typeof body.next === 'string' ? body.next : null);
    if (!chosen) return ChooseOrganisationPage(c, places, c.get('t')('chooseOrganisation.required'), next);
    await services.sessions.update(token, {
      organisationId: chosen.organisationId,
      personId: chosen.personId,
    });
    await recordSignIn(services.database, chosen, c.get('requestId'), 'sign-in');
    return c.redirect(await afterSignIn(c, chosen, next), 303);
  });

  app.post('/sign-out', async (c) => {
    const token = c.get('sessionToken');
    const user = c.get('user');
    const services = c.get('services');
    if (user) await recordSignIn(services.database, user, c.get('requestId'), 'sign-out');
    if (token) await services.sessions.end(token);
    return c.redirect('/sign-in?signed-out=1', 303);
  });

  // ——— Forgotten password ———
  const resetRequestPage = (c: Context<AppEnv>, values: FormValues = {}, errors: FieldErrors = {}) => {
    const t = c.get('t');
    const hasErrors = Object.keys(errors).length > 0;
    return renderPage(
      c,
      { title: t('passwordReset.title'), hasErrors, narrow: true, status: hasErrors ? 400 : 200 },
      <>
        <ErrorSummary errors={errors} t={t} />
        <h1 class="govuk-heading-l">{t('passwordReset.title')}</h1>
        <p class="govuk-body">{t('passwordReset.intro')}</p>
        <form method="post" action="/password-reset" novalidate>
          <CsrfField c={c} />
          <SignInEmail values={values} errors={errors} t={t} />
          <Button>{t('passwordReset.send')}</Button>
        </form>
      </>,
    );
  };

  app.get('/password-reset', (c) => resetRequestPage(c));

  app.post('/password-reset', async (c) => {
    const t = c.get('t');
    const parsed = await parseForm(c, emailSchema);
    if (!parsed.ok) return resetRequestPage(c, parsed.values, parsed.errors);
    const services = c.get('services');
    const mailServer = Boolean(services.config.smtpUrl);
    await requestPasswordReset(services.database, services.config, {
      email: parsed.data.email,
      translate: services.translate,
      requestId: c.get('requestId'),
    });
    return renderPage(
      c,
      { title: t(mailServer ? 'passwordReset.sentTitle' : 'passwordReset.askAdminTitle'), narrow: true },
      <>
        <h1 class="govuk-heading-l">
          {t(mailServer ? 'passwordReset.sentTitle' : 'passwordReset.askAdminTitle')}
        </h1>
        <p class="govuk-body">
          {mailServer
            ? t('passwordReset.sentBody', { count: passwordResetHours })
            : t('passwordReset.askAdminBody')}
        </p>
      </>,
    );
  });

  const resetPage = (c: Context<AppEnv>, errors: FieldErrors = {}) => {
    const t = c.get('t');
    const hasErrors = Object.keys(errors).length > 0;
    return renderPage(
      c,
      { title: t('passwordReset.chooseTitle'), hasErrors, narrow: true, status: hasErrors ? 400 : 200 },
      <>
        <ErrorSummary errors={errors} t={t} />
        <h1 class="govuk-heading-l">{t('passwordReset.chooseTitle')}</h1>
        <NewPasswordForm c={c} action={c.req.path} errors={errors} button={t('passwordReset.save')} />
      </>,
    );
  };

  app.get('/password-reset/:token', async (c) => {
    const services = c.get('services');
    if (!(await passwordResetIsOpen(services.database, services.config, c.req.param('token')))) {
      return renderProblem(c, 404, 'passwordReset.gone');
    }
    return resetPage(c);
  });

  app.post('/password-reset/:token', async (c) => {
    const services = c.get('services');
    const token = c.req.param('token');
    if (!(await passwordResetIsOpen(services.database, services.config, token)))
      return renderProblem(c, 404, 'passwordReset.gone');
    const parsed = await parseForm(c, newPasswordSchema);
    if (!parsed.ok) return resetPage(c, parsed.errors);
    const done = await completePasswordReset(services.database, services.config, {
      token,
      password: parsed.data.password,
      requestId: c.get('requestId'),
      endSessions: (accountId) => services.sessions.endEverywhere(accountId),
    });
    if (!done) return renderProblem(c, 404, 'passwordReset.gone');
    return c.redirect('/sign-in?reset=1', 303);
  });

  // ——— Invitations ———
  const invitationPage = async (c: Context<AppEnv>, errors: FieldErrors = {}) => {
    const t = c.get('t');
    const services = c.get('services');
    const found = await findInvitation(services.database, services.config, c.req.param('token') ?? '');
    if (found.state === 'unknown') return renderProblem(c, 404, 'invitation.unknown');
    if (found.state !== 'open')
      return renderProblem(c, 409, found.state === 'used' ? 'invitation.used' : 'invitation.expired');
    const hasErrors = Object.keys(errors).length > 0;
    return renderPage(
      c,
      {
        title: t('invitation.title', { organisation: found.organisationName }),
        hasErrors,
        narrow: true,
        status: hasErrors ? 400 : 200,
      },
      <>
        <ErrorSummary errors={errors} t={t} />
        <h1 class="govuk-heading-l">{t('invitation.title', { organisation: found.organisationName })}</h1>
        <p class="govuk-body">{t('invitation.welcome', { name: found.calledName })}</p>
        <p class="govuk-body">
          {t(found.hasAccount ? 'invitation.hasAccount' : 'invitation.setPassword', { email: found.email })}
        </p>
        <NewPasswordForm
          c={c}
          action={c.req.path}
          errors={errors}
          existing={found.hasAccount}
          button={t('invitation.button')}
        />
      </>,
    );
  };

  app.get('/invitation/:token', (c) => invitationPage(c));

  app.post('/invitation/:token', async (c) => {
    const services = c.get('services');
    const token = c.req.param('token');
    const found = await findInvitation(services.database, services.config, token);
    if (found.state !== 'open') return invitationPage(c);
    const parsed = await parseForm(c, found.hasAccount ? existingPasswordSchema : newPasswordSchema);
    if (!parsed.ok) return invitationPage(c, parsed.errors);
    const result = await acceptInvitation(services.database, services.config, {
      token,
      password: parsed.data.password,
      requestId: c.get('requestId'),
      address: clientAddress(c, services.config.trustProxy),
    });
    if (result.outcome === 'throttled') {
      return invitationPage(c, {
        password: c.get('t')('signIn.throttled', { count: throttleWindowMinutes }),
      });
    }
    if (result.outcome === 'wrong-password')
      return invitationPage(c, { password: c.get('t')('invitation.wrongPassword') });
    if (result.outcome === 'gone') return invitationPage(c);
    if (result.outcome === 'already-member') return renderProblem(c, 409, 'invitation.alreadyMember');
    await startSignedIn(c, result.accountId, result.membership, null);
    return c.redirect(await afterSignIn(c, result.membership, '/?welcome=1'), 303);
  });
}
