import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Context, Hono } from 'hono';
import type { AppEnv } from '../context.ts';
import { preferredEncoding } from './compression.ts';

const systemFonts = 'system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif';

/**
 * govuk-frontend's MIT-licensed CSS, made ours: the Transport typeface (not ours to use) and the crest
 * image are taken out, and the system font stack put in their place. `npm run build:css` applies it
 * to the subset it builds (public/govuk.css).
 */
export function ourGovukCss(css: string): string {
  return css
    .replace(/@font-face\{[^}]*\}/g, '')
    .replace(/font-family:GDS Transport,arial,sans-serif/g, `font-family:${systemFonts}`)
    .replace(/font-family:GDS Transport/g, `font-family:${systemFonts}`)
    .replace(/url\((["']?)\/assets\/images\/[^)]*\)/g, 'none')
    .replace(/\/\*# sourceMappingURL=[^*]*\*\//, '');
}

/** The files every page may link, by the name layout.tsx asks for. */
const sources = {
  'govuk.css': 'text/css; charset=utf-8',
  'alongside.css': 'text/css; charset=utf-8',
  'print.css': 'text/css; charset=utf-8',
  'language-guard.js': 'text/javascript; charset=utf-8',
} as const;

export type AssetName = keyof typeof sources;

interface Asset {
  type: string;
  body: Buffer;
  /** The first 12 hex digits of the body's SHA-256: in the file's address and its validators. */
  hash: string;
  path: string;
  brotli?: Buffer;
  gzip?: Buffer;
}

let table: Map<string, Asset> | null = null;

/** Read and hashed once per process, so every page and every app in it links the same names. */
function assets(): Map<string, Asset> {
  if (table) return table;
  table = new Map();
  for (const [name, type] of Object.entries(sources)) {
    const body = readFileSync(new URL(`../../../public/${name}`, import.meta.url));
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
    const dot = name.lastIndexOf('.');
    table.set(name, { type, body, hash, path: `/assets/${name.slice(0, dot)}.${hash}${name.slice(dot)}` });
  }
  return table;
}

/** The address of a file under its content-hashed name, cached for a year since it can never change. */
export function assetPath(name: AssetName): string {
  return assets().get(name)!.path;
}

/** Compressed once, as hard as brotli and gzip go: the cost is paid at start-up, never per request. */
function compressAll() {
  for (const asset of assets().values()) {
    asset.brotli ??= brotliCompressSync(asset.body, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: asset.body.length,
      },
    });
    asset.gzip ??= gzipSync(asset.body, { level: constants.Z_BEST_COMPRESSION });
  }
}

const hashedName = /^(.+)\.([0-9a-f]{12})(\.(?:css|js))$/;

function serveAsset(c: Context<AppEnv>, asset: Asset, current: boolean) {
  const encoding = preferredEncoding(c.req.header('accept-encoding'));
  // One strong validator per representation (the bytes differ by encoding); any of them names the same content.
  const etag = `"${asset.hash}${encoding ? `-${encoding}` : ''}"`;
  const known = [`"${asset.hash}"`, `"${asset.hash}-br"`, `"${asset.hash}-gzip"`];
  c.header('ETag', etag);
  c.header('Vary', 'Accept-Encoding');
  // A hashed name never changes its bytes; an old or plain name is asked about again after a while.
  c.header('Cache-Control', current ? 'public, max-age=31536000, immutable' : 'public, max-age=300');
  const asked = c.req.header('if-none-match');
  if (
    asked &&
    (asked.trim() === '*' || asked.split(',').some((tag) => known.includes(tag.trim().replace(/^W\//, ''))))
  ) {
    return c.body(null, 304);
  }
  c.header('Content-Type', asset.type);
  const body = encoding === 'br' ? asset.brotli : encoding === 'gzip' ? asset.gzip : undefined;
  if (body && encoding) {
    c.header('Content-Encoding', encoding);
    return c.body(new Uint8Array(body));
  }
  return c.body(new Uint8Array(asset.body));
}

export function assetRoutes(app: Hono<AppEnv>) {
  compressAll();
  app.get('/assets/:file', (c) => {
    const file = c.req.param('file');
    const hashed = hashedName.exec(file);
    const asset = assets().get(hashed ? `${hashed[1]}${hashed[3]}` : file);
    if (!asset) return c.text('Not found', 404);
    // A page from before a new release may ask for a hash that is gone: it gets today's file, briefly cached.
    return serveAsset(c, asset, hashed?.[2] === asset.hash);
  });
  app.get('/favicon.ico', (c) => c.body(null, 204));
}
