import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { loadCurrentUser } from '../accounts.ts';
import type { AppEnv } from '../context.ts';
import type { Scope } from '../database/tenancy.ts';
import { withOrganisation } from '../database/tenancy.ts';
import { isLanguage, type Language } from '../i18n/index.ts';
import {
  claimSubmission,
  freeSubmission,
  onceField,
  rememberResult,
  submissionKey,
  waitForFirst,
} from '../one-time-forms.ts';
import type { SessionRecord } from '../sessions.ts';
import { hasControlCharacter } from '../text.ts';
import { sameToken } from '../tokens.ts';
import { renderProblem } from './errors.tsx';

const quietPaths = /^\/(assets\/|health$|ping$|info$|favicon\.ico$)/;

export function sessionCookieName(c: Context<AppEnv>) {
  return c.get('services').config.publicUrl.protocol === 'https:' ? '__Host-alongside' : 'alongside_session';
}

export function setSessionCookie(c: Context<AppEnv>, token: string) {
  const secure = c.get('services').config.publicUrl.protocol === 'https:';
  setCookie(c, sessionCookieName(c), token, { httpOnly: true, sameSite: 'Lax', secure, path: '/' });
}

/** Logs each request without its contents: one-time tokens and calendar feeds' secrets in paths are cut out too. */
export function redactPath(path: string): string {
  return path.replace(/^\/(invitation|password-reset|calendar)\/[^/]+/, '/$1/…');
}

export const requestLog: MiddlewareHandler<AppEnv> = async (c, next) => {
  const requestId = crypto.randomUUID();
  c.set('requestId', requestId);
  c.header('X-Request-Id', requestId);
  const started = performance.now();
  await next();
  if (!quietPaths.test(c.req.path)) {
    c.get('services').logger.info(
      {
        requestId,
        method: c.req.method,
        path: redactPath(c.req.path),
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      'request',
    );
  }
};

function preferredLanguage(c: Context<AppEnv>, sessionLanguage: Language | null): Language {
  if (sessionLanguage) return sessionLanguage;
  const cookie = getCookie(c, 'lang');
  if (isLanguage(cookie)) return cookie;
  const accept = c.req.header('accept-language') ?? '';
  return /^\s*cy\b/i.test(accept) ? 'cy' : 'en';
}

/**
 * Finds the visitor's session (starting one for a page that is shown, so every form has a token),
 * the language to speak, and who is signed in.
 */
export const sessionAndLanguage: MiddlewareHandler<AppEnv> = async (c, next) => {
  const services = c.get('services');
  let token = getCookie(c, sessionCookieName(c)) ?? null;
  let session = await services.sessions.find(token ?? undefined);
  let pending: SessionRecord | null = null;
  if (!session && c.req.method === 'GET' && !quietPaths.test(c.req.path)) {
    const prepared = services.sessions.prepare({ language: null });
    token = prepared.token;
    session = pending = prepared.record;
  }
  c.set('session', session);
  c.set('sessionToken', session ? token : null);
  const language = preferredLanguage(c, session?.language ?? null);
  c.set('language', language);
  c.set('t', services.translate(language));
  const user = session?.accountId ? await loadCurrentUser(services.database, session, language) : null;
  c.set('user', user);
  c.set('can', services.permissions.for(user));
  await next();
  // Only a page that was shown (and so may hold a form) keeps its new session: not a 404 or a redirect.
  if (
    pending &&
    token &&
    c.res.status === 200 &&
    c.res.headers.get('content-type')?.startsWith('text/html')
  ) {
    await services.sessions.save(pending);
    setSessionCookie(c, token);
  }
};

/** Session-bound token plus an Origin (or Referer) check on every request that changes something. */
export const csrfProtection: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (['GET', 'HEAD', 'OPTIONS'].includes(c.req.method)) return next();
  const allowed = new Set([c.get('services').config.publicUrl.origin, new URL(c.req.url).origin]);
  const origin = c.req.header('origin');
  const referer = c.req.header('referer');
  let sender: string | null = null;
  try {
    sender = origin && origin !== 'null' ? origin : referer ? new URL(referer).origin : null;
  } catch {
    sender = 'invalid';
  }
  if (origin === 'null' || (sender !== null && !allowed.has(sender)))
    return renderProblem(c, 403, 'problems.forbidden.origin');
  const session = c.get('session');
  const contentType = c.req.header('content-type') ?? '';
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/.test(contentType)) {
    return renderProblem(c, 400);
  }
  const body = await c.req.parseBody();
  const sent = typeof body._csrf === 'string' ? body._csrf : '';
  if (!session || sent.length === 0 || !sameToken(sent, session.csrfToken)) {
    return renderProblem(c, 403, 'problems.forbidden.expiredForm');
  }
  return next();
};

/**
 * One record per intention (src/core/one-time-forms.ts): a form's one-time token is claimed by its
 * first submission; a repeat of the same token goes where the first one went instead of doing it again.
 */
export const oneTimeForms: MiddlewareHandler<AppEnv> = async (c, next) => {
  const session = c.get('session');
  if (c.req.method !== 'POST' || !session) return next();
  const body = await c.req.parseBody();
  const token = typeof body[onceField] === 'string' ? body[onceField] : '';
  if (token.length < 16 || token.length > 100) return next();
  const { database, config } = c.get('services');
  const key = submissionKey(config.secretKey, session.idHash, token);
  const claim = await claimSubmission(database, key);
  if (claim.outcome === 'repeat') {
    const location = claim.location ?? (await waitForFirst(database, key));
    if (location) return c.redirect(location, 303);
    return renderProblem(c, 409, 'problems.conflict.alreadySent');
  }
  await next();
  // Only a redirect means something was done; a form shown again with a message frees its token.
  const location = c.res.status >= 300 && c.res.status < 400 ? c.res.headers.get('location') : null;
  if (location) await rememberResult(database, key, location);
  else await freeSubmission(database, key);
};

/** Pages behind sign-in send visitors to sign in first and bring them back afterwards. */
export const signedIn = createMiddleware<AppEnv>(async (c, next) => {
  if (c.get('user')) return next();
  // Signed in but not yet working in an organisation: that choice comes first.
  if (c.get('session')?.accountId && c.req.method === 'GET') {
    return c.redirect(`/choose-organisation?next=${encodeURIComponent(c.req.path)}`, 303);
  }
  if (c.req.method !== 'GET') return renderProblem(c, 403, 'problems.forbidden.signedOut');
  return c.redirect(`/sign-in?next=${encodeURIComponent(c.req.path)}`, 303);
});

/** Lets a request through only when the person's roles allow the action on any record of the subject. */
export function allowed(action: string, subject: string) {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (!c.get('user')) return c.redirect(`/sign-in?next=${encodeURIComponent(c.req.path)}`, 303);
    if (!c.get('can')(action, subject)) return renderProblem(c, 403);
    return next();
  });
}

/** Runs work inside the signed-in person's organisation, as them, for this request (audited there). */
export function inOrganisation<T>(c: Context<AppEnv>, work: (scope: Scope) => Promise<T>): Promise<T> {
  const user = c.get('user');
  if (!user) throw new Error('inOrganisation needs a signed-in person');
  return withOrganisation(
    c.get('services').database,
    { organisationId: user.organisationId, actorPersonId: user.personId, requestId: c.get('requestId') },
    work,
  );
}

/**
 * A local path to return to after sign-in or a language switch; anything else goes home. Browsers
 * ignore tabs and newlines and treat a backslash as a slash, so `/\t/evil.example` would leave the site.
 */
export function safeReturnPath(value: string | undefined | null): string {
  if (!value || value.length > 500 || !value.startsWith('/')) return '/';
  if (hasControlCharacter(value) || value.includes('\\') || value.startsWith('//')) return '/';
  const base = 'http://alongside.invalid';
  try {
    const resolved = new URL(value, base);
    return resolved.origin === base ? resolved.pathname + resolved.search : '/';
  } catch {
    return '/';
  }
}

/** PostgreSQL cannot store a NUL character, and no person types one: such a request is refused whole. */
export const refuseNulCharacters: MiddlewareHandler<AppEnv> = async (c, next) => {
  let address = c.req.url;
  try {
    address = decodeURIComponent(address);
  } catch {
    return renderProblem(c, 400);
  }
  if (address.includes('\u0000')) return renderProblem(c, 400);
  return next();
};

export function clientAddress(c: Context<AppEnv>, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'unknown';
}
