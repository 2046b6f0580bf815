import type { Hono } from 'hono';
import { setCookie } from 'hono/cookie';
import { setAccountLanguage } from '../accounts.ts';
import type { AppEnv } from '../context.ts';
import { isLanguage } from '../i18n/index.ts';
import { safeReturnPath } from '../web/middleware.ts';

/** A plain link switches language (no JavaScript); the choice is kept in a cookie, the session and the account. */
export function languageRoutes(app: Hono<AppEnv>) {
  app.get('/language/:language', async (c) => {
    const language = c.req.param('language');
    const back = safeReturnPath(c.req.query('back'));
    if (!isLanguage(language)) return c.redirect(back, 303);
    const services = c.get('services');
    setCookie(c, 'lang', language, { path: '/', maxAge: 365 * 86_400, sameSite: 'Lax', httpOnly: true });
    const token = c.get('sessionToken');
    if (token) await services.sessions.update(token, { language });
    const user = c.get('user');
    if (user) await setAccountLanguage(services.database, user.accountId, language);
    return c.redirect(back, 303);
  });
}
