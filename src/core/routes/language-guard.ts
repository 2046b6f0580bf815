import { createHash } from 'node:crypto';
import type { Hono } from 'hono';
import type { AppEnv } from '../context.ts';
import { asGuardPhrases, compileLabels, listOrganisationPhrases } from '../language-guard/index.ts';
import { inOrganisation } from '../web/middleware.ts';

/**
 * The labels the browser script looks for: the built-in list and the organisation's own, compiled as
 * the server compiles them, so both find the same words. Served once and revalidated (not embedded in
 * each form page), because the list is the same on every page and tens of kilobytes on a slow phone.
 * Signed-in only: an organisation's own phrases are its business.
 */
export function languageGuardRoutes(app: Hono<AppEnv>) {
  app.get('/language-guard/labels', async (c) => {
    if (!c.get('user')) return c.json({ labels: [] }, 401);
    const own = await inOrganisation(c, (scope) => listOrganisationPhrases(scope));
    const labels = compileLabels(asGuardPhrases(own));
    const body = JSON.stringify({ labels });
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
    c.header('Cache-Control', 'private, no-cache');
    c.header('ETag', etag);
    if (c.req.header('if-none-match') === etag) return c.body(null, 304);
    c.header('Content-Type', 'application/json; charset=utf-8');
    return c.body(body);
  });
}
