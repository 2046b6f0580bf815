import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { NONCE, secureHeaders } from 'hono/secure-headers';
import type { AppDeps, AppEnv, AppServices } from './core/context.ts';
import { isConflict } from './core/database/tenancy.ts';
import { createTranslator } from './core/i18n/index.ts';
import { coreGrants, Permissions } from './core/permissions.ts';
import { accountRoutes } from './core/routes/account.tsx';
import { authRoutes } from './core/routes/auth.tsx';
import { calendarRoutes } from './core/routes/calendar.tsx';
import { healthRoutes } from './core/routes/health.ts';
import { languageRoutes } from './core/routes/language.ts';
import { languageGuardRoutes } from './core/routes/language-guard.ts';
import { notificationRoutes } from './core/routes/notifications.tsx';
import { Sessions } from './core/sessions.ts';
import { assetRoutes } from './core/web/assets.ts';
import { compression } from './core/web/compression.ts';
import { renderProblem } from './core/web/errors.tsx';
import {
  csrfProtection,
  oneTimeForms,
  refuseNulCharacters,
  requestLog,
  sessionAndLanguage,
} from './core/web/middleware.ts';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

/** Where a picture may come with a form: a personal budget's receipt, and a story being written or changed. */
const pictureUploadPaths = [
  /^\/budget\/requests\/[0-9a-f-]{36}\/spend$/,
  /^\/stories\/(new|[0-9a-f-]{36}\/edit)$/,
];

export function createServices(deps: AppDeps): AppServices {
  const translator = createTranslator(
    Object.fromEntries(
      deps.modules.filter((module) => module.catalogues).map((module) => [module.id, module.catalogues!]),
    ),
  );
  return {
    ...deps,
    permissions: new Permissions([coreGrants, ...deps.modules.map((module) => module.permissions ?? {})]),
    sessions: new Sessions(deps.database, deps.config),
    translate: translator.forLanguage,
  };
}

/** The whole web application, built from its dependencies; `main.ts` serves it and tests call `app.request()`. */
export function createApp(deps: AppDeps): { app: Hono<AppEnv>; services: AppServices } {
  const services = createServices(deps);
  const app = new Hono<AppEnv>();

  app.use(async (c, next) => {
    c.set('services', services);
    // Error pages need words even before the session is read.
    c.set('language', 'en');
    c.set('t', services.translate('en'));
    c.set('user', null);
    c.set('session', null);
    c.set('sessionToken', null);
    c.set('can', () => false);
    await next();
  });
  app.use(requestLog);
  app.use(compression);
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: [NONCE],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
      referrerPolicy: 'same-origin',
      crossOriginEmbedderPolicy: false,
    }),
  );
  healthRoutes(app, version);
  assetRoutes(app);
  // 1 MB is plenty for any form. Receipt photos from phones are 2-5 MB, so the one path that takes
  // them may be larger (the route itself refuses a photo over 5 MB, beside the field).
  const ordinaryBody = bodyLimit({ maxSize: 1024 * 1024, onError: (c) => renderProblem(c as never, 413) });
  const receiptBody = bodyLimit({ maxSize: 6 * 1024 * 1024, onError: (c) => renderProblem(c as never, 413) });
  app.use((c, next) =>
    c.req.method === 'POST' && pictureUploadPaths.some((path) => path.test(c.req.path))
      ? receiptBody(c, next)
      : ordinaryBody(c, next),
  );
  app.use(refuseNulCharacters);
  app.use(sessionAndLanguage);
  app.use(csrfProtection);
  app.use(oneTimeForms);

  languageRoutes(app);
  authRoutes(app);
  accountRoutes(app);
  calendarRoutes(app);
  notificationRoutes(app);
  languageGuardRoutes(app);
  for (const module of deps.modules) module.routes?.(app, services);

  app.notFound((c) => renderProblem(c, 404));
  app.onError((error, c) => {
    // Tried twice and still caught up in someone else's change at the same moment: nothing was saved,
    // and trying again is the right answer, so it is said as that, not as a fault.
    if (isConflict(error)) {
      services.logger.warn({ requestId: c.get('requestId'), err: { name: error.name } }, 'conflict');
      c.header('Retry-After', '1');
      return renderProblem(c, 503);
    }
    services.logger.error(
      // Messages can quote what was typed or stored, so only the kind of error and where it happened are logged.
      {
        requestId: c.get('requestId'),
        err: {
          name: error.name,
          code: (error as { code?: string }).code ?? (error.cause as { code?: string } | undefined)?.code,
          // Only the code locations: a database error's message lists the values it was given.
          at: error.stack
            ?.split('\n')
            .filter((line) => /^\s+at /.test(line))
            .join('\n'),
        },
      },
      'request failed',
    );
    return renderProblem(c, 500);
  });
  return { app, services };
}
