import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Hono } from 'hono';
import type { AppEnv } from '../context.ts';

const systemFonts = 'system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif';

/**
 * govuk-frontend's MIT-licensed CSS, made ours: the Transport typeface (not ours to use) and the crest
 * image are taken out, and the system font stack put in their place.
 */
export function ourGovukCss(css: string): string {
  return css
    .replace(/@font-face\{[^}]*\}/g, '')
    .replace(/font-family:GDS Transport,arial,sans-serif/g, `font-family:${systemFonts}`)
    .replace(/font-family:GDS Transport/g, `font-family:${systemFonts}`)
    .replace(/url\(\/assets\/images\/[^)]*\)/g, 'none')
    .replace(/\/\*# sourceMappingURL=[^*]*\*\//, '');
}

export function assetRoutes(app: Hono<AppEnv>) {
  const require = createRequire(import.meta.url);
  const govuk = ourGovukCss(
    readFileSync(require.resolve('govuk-frontend/dist/govuk/govuk-frontend.min.css'), 'utf8'),
  );
  const files: Record<string, { body: string; type: string }> = {
    'govuk-frontend.css': { body: govuk, type: 'text/css; charset=utf-8' },
    'alongside.css': {
      body: readFileSync(new URL('../../../public/alongside.css', import.meta.url), 'utf8'),
      type: 'text/css; charset=utf-8',
    },
    'print.css': {
      body: readFileSync(new URL('../../../public/print.css', import.meta.url), 'utf8'),
      type: 'text/css; charset=utf-8',
    },
    'language-guard.js': {
      body: readFileSync(new URL('../../../public/language-guard.js', import.meta.url), 'utf8'),
      type: 'text/javascript; charset=utf-8',
    },
  };
  app.get('/assets/:file', (c) => {
    const file = files[c.req.param('file')];
    if (!file) return c.text('Not found', 404);
    c.header('Content-Type', file.type);
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(file.body);
  });
  app.get('/favicon.ico', (c) => c.body(null, 204));
}
