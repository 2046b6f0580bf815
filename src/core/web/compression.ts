import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../context.ts';

export type Encoding = 'br' | 'gzip';

/**
 * Brotli when the browser takes it (every current one does over HTTPS and on localhost), else gzip,
 * else none; `q=0` refuses one, and `*` stands for any not named.
 */
export function preferredEncoding(accept: string | undefined): Encoding | null {
  if (!accept) return null;
  const weights = new Map<string, number>();
  for (const part of accept.split(',')) {
    const [name, ...parameters] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = parameters.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find(Boolean);
    weights.set(name, q === undefined ? 1 : Number(q));
  }
  const weight = (name: Encoding) => weights.get(name) ?? weights.get('*') ?? 0;
  if (weight('br') > 0 && weight('br') >= weight('gzip')) return 'br';
  if (weight('gzip') > 0) return 'gzip';
  return null;
}

/** Text is worth compressing; PDFs, photos and other packed formats are compressed already. */
const compressible = /^(text\/|application\/(json|javascript|xml|ld\+json|manifest\+json)|image\/svg\+xml)/i;

/** Below this, the encoding's own framing outweighs what it saves. */
export const compressAbove = 1024;

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * Compresses pages and downloads made per request (HTML, CSV, JSON, calendars) at a fast level, as
 * they are written for one person once. Files under /assets/ arrive already compressed (hardest level,
 * once at start-up) with their Content-Encoding set, and are left as they are.
 */
export const compression: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  const response = c.res;
  if (c.req.method === 'HEAD' || !response.body || response.status === 204 || response.status === 304) return;
  if (response.headers.has('content-encoding')) return;
  if (!compressible.test(response.headers.get('content-type') ?? '')) return;
  const length = Number(response.headers.get('content-length') ?? Number.NaN);
  if (length <= compressAbove) return;
  const plain = new Uint8Array(await response.clone().arrayBuffer());
  if (plain.byteLength <= compressAbove) return;
  // Whatever a cache keeps for this address depends on what the browser said it takes.
  const headers = new Headers(response.headers);
  const vary = headers.get('vary') ?? '';
  if (!/accept-encoding|\*/i.test(vary))
    headers.set('Vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding');
  const encoding = preferredEncoding(c.req.header('accept-encoding'));
  const packed = !encoding
    ? plain
    : encoding === 'br'
      ? await brotli(plain, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: 4,
            [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
            [constants.BROTLI_PARAM_SIZE_HINT]: plain.byteLength,
          },
        })
      : await gzipAsync(plain, { level: 6 });
  if (encoding) {
    headers.set('Content-Encoding', encoding);
    // A strong validator names exact bytes, which these no longer are.
    const etag = headers.get('etag');
    if (etag && !etag.startsWith('W/')) headers.set('ETag', `W/${etag}`);
  }
  headers.set('Content-Length', String(packed.byteLength));
  c.res = new Response(new Uint8Array(packed), { status: response.status, headers });
  // Hono carries the old response's headers over to the new one; these must be the new ones.
  for (const name of ['content-length', 'content-encoding', 'etag', 'vary']) {
    const value = headers.get(name);
    if (value !== null) c.res.headers.set(name, value);
  }
};
