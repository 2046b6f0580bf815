/**
 * Page weight (figures, not a test): the real app on PGlite with the demo organisations, served over
 * HTTP on 127.0.0.1, and for the main pages the bytes a browser fetches, as they travel (compressed
 * when the server compresses; response bodies only, headers left out):
 *   first view  – the page's HTML and every style sheet and script it links, with an empty cache;
 *   repeat view – the page's HTML alone, with those files cached from the first view (a file the
 *                 browser would have to ask about again counts its answer too).
 * The browser says it takes brotli and gzip, as every current browser does.
 *   npm run bench:pages
 */

import { once } from 'node:events';
import { request, type Server } from 'node:http';
import { type AddressInfo, createServer } from 'node:net';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { serve } from '@hono/node-server';
import { openPglite } from '../src/core/database/connect.ts';
import { migrate } from '../src/core/database/migrate.ts';
import { demoPassword } from '../src/demo/people.ts';
import { migrationSources } from '../src/modules/index.ts';
import { buildTestApp } from '../test/helpers/app.ts';

interface Fetched {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Bytes on the wire. */
  wire: number;
  text: string;
}

class Browser {
  private cookies = new Map<string, string>();
  /** What the cache holds after a first view: address → the validator it was served with. */
  private cache = new Map<string, { etag?: string; freshFor: number }>();

  constructor(private readonly base: string) {}

  fetch(
    path: string,
    options: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {},
  ) {
    const body = options.form ? new URLSearchParams(options.form).toString() : undefined;
    return new Promise<Fetched>((resolve, reject) => {
      const req = request(
        new URL(path, this.base),
        {
          method: options.method ?? 'GET',
          headers: {
            'accept-encoding': 'br, gzip',
            cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
            origin: this.base,
            ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
            ...options.headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            for (const line of res.headers['set-cookie'] ?? []) {
              const [pair] = line.split(';');
              const at = pair!.indexOf('=');
              this.cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
            }
            const raw = Buffer.concat(chunks);
            const encoding = res.headers['content-encoding'];
            const plain =
              encoding === 'br' ? brotliDecompressSync(raw) : encoding === 'gzip' ? gunzipSync(raw) : raw;
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              wire: raw.length,
              text: plain.toString('utf8'),
            });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  async signIn(email: string) {
    const page = await this.fetch('/sign-in');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const done = await this.fetch('/sign-in', {
      method: 'POST',
      form: { _csrf: csrf, next: '', email, password: demoPassword },
    });
    if (done.status !== 303) throw new Error(`signing in as ${email} gave ${done.status}`);
  }

  /** The files a page links: style sheets (print ones too: browsers fetch them) and scripts. */
  static linked(html: string): string[] {
    const found = [
      ...html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g),
      ...html.matchAll(/<script[^>]*src="([^"]+)"/g),
    ].map((m) => m[1]!.replace(/&amp;/g, '&'));
    return [...new Set(found)];
  }

  async firstView(path: string) {
    this.cache.clear();
    const page = await this.fetch(path);
    if (page.status !== 200) throw new Error(`${path} gave ${page.status}`);
    let assets = 0;
    for (const asset of Browser.linked(page.text)) {
      const file = await this.fetch(asset);
      if (file.status !== 200) throw new Error(`${asset} gave ${file.status}`);
      assets += file.wire;
      const cacheControl = String(file.headers['cache-control'] ?? '');
      const maxAge = Number(/max-age=(\d+)/.exec(cacheControl)?.[1] ?? 0);
      this.cache.set(asset, {
        etag: file.headers.etag as string | undefined,
        freshFor: /no-store|no-cache/.test(cacheControl) ? 0 : maxAge,
      });
    }
    return {
      html: page.wire,
      assets,
      total: page.wire + assets,
      plainHtml: Buffer.byteLength(page.text),
      page,
    };
  }

  /** A later visit: files still fresh in the cache cost nothing; stale ones are asked about again. */
  async repeatView(path: string) {
    const page = await this.fetch(path);
    let assets = 0;
    for (const asset of Browser.linked(page.text)) {
      const cached = this.cache.get(asset);
      if (cached && cached.freshFor > 0) continue;
      const file = await this.fetch(asset, { headers: cached?.etag ? { 'if-none-match': cached.etag } : {} });
      assets += file.wire;
    }
    return page.wire + assets;
  }
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

const database = await openPglite();
try {
  await migrate(database, migrationSources());
  // The app checks that a form comes from its own address, so it is told the port before it is served.
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const port = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  const base = `http://127.0.0.1:${port}`;
  const { app } = await buildTestApp(database, { env: { PUBLIC_URL: base } });
  const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }) as Server;
  if (!server.listening) await once(server, 'listening');
  try {
    const rows: {
      name: string;
      path: string;
      first: Awaited<ReturnType<Browser['firstView']>>;
      repeat: number;
    }[] = [];
    const measure = async (browser: Browser, name: string, path: string) => {
      const first = await browser.firstView(path);
      const repeat = await browser.repeatView(path);
      rows.push({ name, path, first, repeat });
      return first.page.text;
    };

    await measure(new Browser(base), 'Sign in', '/sign-in');

    const coach = new Browser(base);
    await coach.signIn('coach@riverside.example');
    await measure(coach, 'Home (coach)', '/');
    const people = await measure(coach, "A coach's people", '/coaching');
    const personPath = /href="(\/coaching\/people\/[0-9a-f-]{36})"/.exec(people)?.[1];
    if (!personPath) throw new Error('no person on the coach’s list');
    await measure(coach, "A person's page (coach)", personPath);

    const person = new Browser(base);
    await person.signIn('person@riverside.example');
    await measure(person, 'My support (person)', '/me');
    // The first bank the person belongs to (the demo has banks they have not joined).
    const banks = await person.fetch('/time-bank');
    let statementPath: string | undefined;
    for (const [, bankPath] of banks.text.matchAll(/href="(\/time-bank\/[0-9a-f-]{36})"/g)) {
      const bank = await person.fetch(bankPath!);
      statementPath ??= /href="(\/time-bank\/[0-9a-f-]{36}\/statement)"/.exec(bank.text)?.[1];
    }
    if (!statementPath) throw new Error('no statement link on the time bank page');
    await measure(person, 'Time-bank statement', statementPath);

    console.log('Page weight: bytes as fetched (brotli or gzip where the server compresses), bodies only');
    console.log(
      `${'page'.padEnd(26)}${'HTML'.padStart(10)}${'(plain)'.padStart(10)}${'CSS + JS'.padStart(11)}${'first view'.padStart(12)}${'repeat view'.padStart(13)}`,
    );
    for (const { name, first, repeat } of rows) {
      console.log(
        `${name.padEnd(26)}${kb(first.html).padStart(10)}${kb(first.plainHtml).padStart(10)}${kb(first.assets).padStart(11)}${kb(first.total).padStart(12)}${kb(repeat).padStart(13)}`,
      );
    }
  } finally {
    server.close();
    server.closeAllConnections();
  }
} finally {
  await database.close();
}
