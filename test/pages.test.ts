import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { Database } from '../src/core/database/connect.ts';
import { openPglite } from '../src/core/database/connect.ts';
import { migrate } from '../src/core/database/migrate.ts';
import { assetPath } from '../src/core/web/assets.ts';
import { preferredEncoding } from '../src/core/web/compression.ts';
import { formatDate, formatDateTime } from '../src/core/web/format.ts';
import { migrationSources } from '../src/modules/index.ts';
import { buildGovukCss, govukCssFile } from '../src/scripts/govuk-css.ts';
import { buildTestApp, Visitor } from './helpers/app.ts';

type App = Awaited<ReturnType<typeof buildTestApp>>['app'];

const bytes = async (response: Response) => Buffer.from(await response.arrayBuffer());

function decoded(response: Response, body: Buffer): string {
  const encoding = response.headers.get('content-encoding');
  const plain =
    encoding === 'br' ? brotliDecompressSync(body) : encoding === 'gzip' ? gunzipSync(body) : body;
  return plain.toString('utf8');
}

describe('One date format for people', () => {
  it('writes the month in words, in English and Welsh, in UK time', () => {
    assert.equal(formatDate('2026-12-02', 'en'), '2 December 2026');
    assert.equal(formatDate('2026-12-02', 'cy'), '2 Rhagfyr 2026');
    // A calendar day stays that day whatever the time zone; a moment is shown in UK time.
    assert.equal(formatDate('2026-03-29T00:30:00Z', 'en'), '29 March 2026');
    assert.equal(formatDate(new Date('2026-06-30T23:30:00Z'), 'en'), '1 July 2026');
    assert.equal(formatDateTime(new Date('2026-12-02T14:30:00Z'), 'en'), '2 December 2026 at 14:30');
    assert.equal(formatDateTime(new Date('2026-07-02T14:30:00Z'), 'cy'), '2 Gorffennaf 2026 am 15:30');
  });
});

describe('Choosing an encoding from Accept-Encoding', () => {
  it('prefers brotli, falls back to gzip, and honours q=0 and *', () => {
    assert.equal(preferredEncoding('gzip, deflate, br, zstd'), 'br');
    assert.equal(preferredEncoding('gzip, deflate'), 'gzip');
    assert.equal(preferredEncoding('br;q=0, gzip'), 'gzip');
    assert.equal(preferredEncoding('br;q=0.5, gzip;q=1'), 'gzip');
    assert.equal(preferredEncoding('*'), 'br');
    assert.equal(preferredEncoding('identity'), null);
    assert.equal(preferredEncoding('gzip;q=0, br;q=0'), null);
    assert.equal(preferredEncoding(undefined), null);
  });
});

describe('Pages and files that arrive fast', () => {
  let database: Database;
  let app: App;
  let visitor: Visitor;

  before(async () => {
    database = await openPglite();
    await migrate(database, migrationSources());
    ({ app } = await buildTestApp(database));
    visitor = new Visitor(app);
    await visitor.signIn('person@riverside.example');
  });
  after(() => database.close());

  const ask = (path: string, headers: Record<string, string> = {}) =>
    app.request(path, { headers: { cookie: visitor.cookieHeader(), ...headers } });

  it('compresses a page with brotli or gzip, as the browser asks, to the same page', async () => {
    const plainResponse = await ask('/me');
    const plain = await plainResponse.text();
    assert.equal(plainResponse.headers.get('content-encoding'), null);
    assert.ok(plain.length > 2000, 'a page long enough to be worth compressing');
    for (const [asked, expected] of [
      ['gzip, deflate, br, zstd', 'br'],
      ['gzip', 'gzip'],
    ] as const) {
      const response = await ask('/me', { 'accept-encoding': asked });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-encoding'), expected);
      assert.match(response.headers.get('vary') ?? '', /Accept-Encoding/);
      assert.match(response.headers.get('content-type') ?? '', /text\/html/);
      const body = await bytes(response);
      assert.equal(Number(response.headers.get('content-length')), body.length);
      assert.ok(body.length < plain.length / 2, `${expected} makes the page smaller`);
      // The same session and the same page: the HTML is the same, byte for byte, once unpacked (but
      // for the script nonce and each form's one-time token, new on every response).
      const withoutNonce = (html: string) =>
        html.replace(/nonce="[^"]+"/g, 'nonce=""').replace(/name="_once" value="[^"]+"/g, 'name="_once"');
      assert.ok(
        withoutNonce(decoded(response, body)) === withoutNonce(plain),
        `${expected} unpacks to the page`,
      );
    }
  });

  it('keeps cookies and security headers on a compressed response', async () => {
    const fresh = await app.request('/sign-in', { headers: { 'accept-encoding': 'br' } });
    assert.equal(fresh.headers.get('content-encoding'), 'br');
    assert.match(fresh.headers.getSetCookie().join('\n'), /alongside_session=/);
    assert.match(fresh.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    assert.ok(fresh.headers.get('x-request-id'));
    assert.match(decoded(fresh, await bytes(fresh)), /<h1[^>]*>Sign in<\/h1>/);
  });

  it('compresses a CSV download but never a PDF, which is compressed already', async () => {
    const banks = await (await ask('/time-bank')).text();
    let statement = '';
    for (const [, bank] of banks.matchAll(/href="(\/time-bank\/[0-9a-f-]{36})"/g)) {
      const page = await (await ask(bank!)).text();
      statement ||= /href="(\/time-bank\/[0-9a-f-]{36}\/statement)"/.exec(page)?.[1] ?? '';
    }
    assert.ok(statement, 'the person has a statement');
    const pdf = await ask(`${statement}.pdf`, { 'accept-encoding': 'br, gzip' });
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
    assert.equal(pdf.headers.get('content-encoding'), null);
    assert.equal((await bytes(pdf)).subarray(0, 5).toString(), '%PDF-');
    const csv = await ask(`${statement}.csv`, { 'accept-encoding': 'gzip' });
    const csvBody = await bytes(csv);
    if (csvBody.length > 1024 || csv.headers.get('content-encoding')) {
      assert.equal(csv.headers.get('content-encoding'), 'gzip');
    }
    assert.match(decoded(csv, csvBody), /^\uFEFF/);
  });

  it('leaves a small answer as it is', async () => {
    const response = await app.request('/ping', { headers: { 'accept-encoding': 'br' } });
    assert.equal(response.headers.get('content-encoding'), null);
    assert.equal(await response.text(), 'pong');
  });

  it('links every file under a content-hashed name', async () => {
    const page = await (await ask('/me')).text();
    const linked = [...page.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(
      linked.sort(),
      [
        assetPath('alongside.css'),
        assetPath('govuk.css'),
        assetPath('language-guard.js'),
        assetPath('print.css'),
      ].sort(),
    );
    for (const path of linked) assert.match(path!, /^\/assets\/[a-z-]+\.[0-9a-f]{12}\.(css|js)$/);
    // The name follows the bytes: another file gets another name.
    assert.notEqual(assetPath('alongside.css').split('.')[1], assetPath('print.css').split('.')[1]);
  });

  it('serves a hashed file compressed, cached for a year as immutable, with a strong ETag and 304', async () => {
    const path = assetPath('govuk.css');
    const onDisk = readFileSync(govukCssFile, 'utf8');
    for (const [asked, expected] of [
      ['br, gzip', 'br'],
      ['gzip', 'gzip'],
      ['', null],
    ] as const) {
      const response = await app.request(path, { headers: asked ? { 'accept-encoding': asked } : {} });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-encoding'), expected);
      assert.equal(response.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      assert.match(response.headers.get('content-type') ?? '', /^text\/css/);
      assert.match(response.headers.get('vary') ?? '', /Accept-Encoding/);
      const etag = response.headers.get('etag') ?? '';
      assert.match(etag, /^"[0-9a-f]{12}(-br|-gzip)?"$/, 'a strong validator');
      const body = await bytes(response);
      assert.equal(decoded(response, body), onDisk);
      if (expected) assert.ok(body.length < onDisk.length / 4, `${expected} packs the style sheet`);

      const again = await app.request(path, {
        headers: { 'if-none-match': etag, ...(asked ? { 'accept-encoding': asked } : {}) },
      });
      assert.equal(again.status, 304);
      assert.equal((await bytes(again)).length, 0);
      assert.equal(again.headers.get('etag'), etag);
    }
    const changed = await app.request(path, { headers: { 'if-none-match': '"000000000000"' } });
    assert.equal(changed.status, 200, 'another validator gets the file');
  });

  it('still answers the plain name and an old hash, briefly cached; an unknown file is not found', async () => {
    const plain = await app.request('/assets/alongside.css');
    assert.equal(plain.status, 200);
    assert.equal(plain.headers.get('cache-control'), 'public, max-age=300');
    const old = await app.request('/assets/alongside.0123456789ab.css');
    assert.equal(old.status, 200);
    assert.equal(old.headers.get('cache-control'), 'public, max-age=300');
    assert.equal(await old.text(), readFileSync(new URL('../public/alongside.css', import.meta.url), 'utf8'));
    assert.equal((await app.request('/assets/nothing.css')).status, 404);
    assert.equal((await app.request('/assets/..%2Fpackage.json')).status, 404);
  });
});

describe('The GOV.UK Frontend styles the pages use', () => {
  const built = readFileSync(govukCssFile, 'utf8');

  it('is what npm run build:css makes today (run it after changing govuk-frontend or govuk.scss)', () => {
    assert.equal(buildGovukCss(), built);
  });

  it('keeps govuk-frontend’s licence and leaves out the Transport typeface and the crest', () => {
    assert.match(built, /^\/\*! GOV\.UK Frontend \d+\.\d+\.\d+/);
    assert.match(built, /The MIT License \(MIT\)/);
    assert.match(built, /Crown Copyright \(Government Digital Service\)/);
    assert.doesNotMatch(built, /GDS Transport|@font-face|\/assets\/images|crest\.svg|\.woff/);
    assert.match(built, /font-family:system-ui/);
  });

  it('has the styles of every govuk-* class that src/ uses', () => {
    const classes = (css: string) =>
      new Set(
        [...css.matchAll(/\.(govuk-(?:\\.|[a-zA-Z0-9_-])+)/g)].map((m) => m[1]!.replace(/\\(.)/g, '$1')),
      );
    const defined = classes(built);
    // Some classes are only hooks with no styles of their own (govuk-radios, govuk-table__head): what
    // matters is that none that govuk-frontend styles is left out.
    const styled = classes(
      readFileSync(
        createRequire(import.meta.url).resolve('govuk-frontend/dist/govuk/govuk-frontend.min.css'),
        'utf8',
      ),
    );
    const lacking = (name: string) => styled.has(name) && !defined.has(name);
    // Class names put together in code: each prefix with every ending the code can give it.
    const endings: Record<string, string[]> = {
      'govuk-table__caption--': ['s', 'm'],
      'govuk-input--width-': ['10', '20'],
    };
    // Words that look like classes and are not: the package's name and the build script's.
    const notClasses = new Set(['govuk-frontend', 'govuk-css']);
    const used = new Map<string, string>();
    const walk = (folder: string) => {
      for (const name of readdirSync(folder)) {
        const path = join(folder, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.tsx?$/.test(name)) {
          for (const [token] of readFileSync(path, 'utf8').matchAll(/govuk-[a-z0-9!_-]+/g)) {
            if (!used.has(token)) used.set(token, path);
          }
        }
      }
    };
    walk(new URL('../src', import.meta.url).pathname);
    const missing: string[] = [];
    for (const [token, where] of used) {
      if (notClasses.has(token)) continue;
      if (token.endsWith('-')) {
        assert.ok(
          endings[token],
          `${token} (in ${where}) is put together in code: list its endings in this test`,
        );
        for (const ending of endings[token]!) if (lacking(token + ending)) missing.push(`${token}${ending}`);
      } else if (lacking(token)) missing.push(`${token} (in ${where})`);
    }
    assert.deepEqual(missing, [], 'add the component to src/core/web/govuk.scss and run npm run build:css');
    assert.ok(used.size > 80, 'the pages use many GOV.UK classes');
    assert.ok(defined.has('govuk-summary-list__key') && defined.has('govuk-!-margin-bottom-0'));
  });
});
