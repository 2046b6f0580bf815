import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { Database } from '../src/core/database/connect.ts';
import { withoutControlCharacters } from '../src/core/text.ts';
import { buildTestApp, testOrigin } from './helpers/app.ts';
import { databaseKinds } from './helpers/databases.ts';

/**
 * Every form, as every role, with generated values: crawl the pages each demo account can reach by
 * links from home, collect each `<form>` (posts, and searches and filters that send a query), and
 * send what fast-check makes of its fields (empty, very long, Welsh, emoji, right-to-left, numbers,
 * impossible dates, markup, choices that are not offered, fields left out) while keeping every hidden
 * field exactly as freshly rendered. Nothing may answer with a 5xx, a page shown again with a problem
 * (400) must still hold what was typed into each text field, and every page must still show after.
 *
 * The seed is fixed and the runs are bounded, so a failure is the same failure every time; raise
 * FORMS_PROPERTY_RUNS (or change FORMS_PROPERTY_SEED) to look harder. It runs on PGlite, and on the
 * PostgreSQL server too when TEST_DATABASE_URL is set (where it is about four times quicker).
 */

const seed = Number(process.env.FORMS_PROPERTY_SEED ?? 20_261_202);
const runsPerForm = Number(process.env.FORMS_PROPERTY_RUNS ?? 3);
/** Pages visited per role, and pages of one shape (the same path with other ids), to keep it bounded. */
const pagesPerRole = Number(process.env.FORMS_PROPERTY_PAGES ?? 120);
const pagesPerShape = 3;
/** FORMS_PROPERTY_VERBOSE=1 prints what was crawled and how each post was answered. */
const verbose = !!process.env.FORMS_PROPERTY_VERBOSE;

const riverside = '00000000-0000-4000-8000-000000000001';

interface Role {
  name: string;
  email: string | null;
  /** Where the crawl starts besides home: pages nobody links to, such as the public "ask for a coach". */
  start?: string[];
  organisation?: string;
  welsh?: boolean;
}

// The admin goes last: changing other people's roles at random must not take away a role that a
// later part of the crawl signs in with.
const roles: Role[] = [
  { name: 'someone not signed in', email: null, start: ['/ask/riverside', '/ask/cwm-teg'] },
  { name: 'the person (Riverside)', email: 'person@riverside.example' },
  { name: 'the peer (Riverside)', email: 'peer@riverside.example' },
  { name: 'the partner (Riverside)', email: 'partner@riverside.example' },
  { name: 'the coach (Riverside)', email: 'coach@riverside.example' },
  { name: 'the lead (Riverside)', email: 'lead@riverside.example', organisation: riverside },
  { name: 'the person (Cwm Teg, in Welsh)', email: 'person@cwmteg.example', welsh: true },
  { name: 'the coach (Cwm Teg, in Welsh)', email: 'coach@cwmteg.example', welsh: true },
  { name: 'the admin (Cwm Teg, in Welsh)', email: 'admin@cwmteg.example', welsh: true },
  { name: 'the admin (Riverside)', email: 'admin@riverside.example' },
];

/**
 * Forms left out, by where they post, and why. Each would change who is under test rather than
 * what they typed: the crawl would carry on signed out, in another organisation or another language.
 */
const leftOut: { action: RegExp; why: string }[] = [
  { action: /^\/sign-out$/, why: 'signs the visitor out' },
  { action: /^\/account\/sign-out-everywhere$/, why: 'ends every session of the account' },
  { action: /^\/choose-organisation$/, why: 'moves the visitor to another organisation' },
  { action: /^\/language\//, why: 'changes the language the rest of the crawl reads' },
];

/** Fields whose typed value is cleared on purpose when a form comes back: a password is never sent back. */
const clearedOnPurpose = (field: Field) => field.kind === 'password';

// --- A small reader for the markup hono/jsx writes: attributes always quoted, forms never nested. ---

type FieldKind = 'hidden' | 'text' | 'password' | 'textarea' | 'select' | 'radio' | 'checkbox' | 'file';

interface Field {
  kind: FieldKind;
  name: string;
  /** The value as rendered: the input's value, the textarea's text, the option selected or ticked. */
  value: string;
  /** For a select, radios or checkboxes: every value offered. */
  options: string[];
  /** For checkboxes: every value ticked. */
  ticked: string[];
}

interface Form {
  method: 'get' | 'post';
  action: string;
  multipart: boolean;
  fields: Field[];
  /** Submit buttons that send a value of their own (keep my words). */
  buttons: { name: string; value: string }[];
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity[0] === '#')
      return String.fromCodePoint(
        entity[1] === 'x' || entity[1] === 'X'
          ? Number.parseInt(entity.slice(2), 16)
          : Number(entity.slice(1)),
      );
    return entities[entity.toLowerCase()] ?? whole;
  });
}

function attributes(text: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const match of text.matchAll(/([^\s=/>]+)(?:="([^"]*)")?/g))
    found[match[1]!.toLowerCase()] = decode(match[2] ?? '');
  return found;
}

const tag = /<!--[\s\S]*?-->|<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s=>/]+(?:="[^"]*")?)*)\s*\/?>/g;

/** Every form on a page (a search sends what is typed too), with its fields as rendered. */
function formsOn(html: string): Form[] {
  const forms: Form[] = [];
  let form: Form | null = null;
  let select: Field | null = null;
  let textarea: { field: Field; from: number } | null = null;
  const group = (kind: 'radio' | 'checkbox', name: string) => {
    let field = form!.fields.find((one) => one.kind === kind && one.name === name);
    if (!field) {
      field = { kind, name, value: '', options: [], ticked: [] };
      form!.fields.push(field);
    }
    return field;
  };
  for (const match of html.matchAll(tag)) {
    const [whole, closing, rawName, rawAttributes] = match;
    if (!rawName) continue;
    const name = rawName.toLowerCase();
    const at = attributes(rawAttributes ?? '');
    if (textarea) {
      if (closing && name === 'textarea') {
        textarea.field.value = decode(html.slice(textarea.from, match.index));
        textarea = null;
      }
      continue;
    }
    if (name === 'form') {
      if (closing) {
        if (form) forms.push(form);
        form = null;
      } else {
        form = {
          method: (at.method ?? 'get').toLowerCase() === 'post' ? 'post' : 'get',
          action: at.action ?? '',
          multipart: (at.enctype ?? '').includes('multipart'),
          fields: [],
          buttons: [],
        };
      }
      continue;
    }
    if (!form || closing) {
      if (closing && name === 'select') select = null;
      continue;
    }
    if (name === 'input' && at.name) {
      const type = (at.type ?? 'text').toLowerCase();
      if (type === 'radio' || type === 'checkbox') {
        const field = group(type, at.name);
        field.options.push(at.value ?? 'on');
        if ('checked' in at) {
          field.ticked.push(at.value ?? 'on');
          field.value = at.value ?? 'on';
        }
      } else if (type === 'submit') {
        form.buttons.push({ name: at.name, value: at.value ?? '' });
      } else {
        // A box out of the tab order and hidden from sight (the public form's trap for robots) is one
        // no person types into, so it is sent as rendered, like a hidden field.
        const unreachable = at.tabindex === '-1';
        const kind: FieldKind =
          type === 'hidden' || unreachable
            ? 'hidden'
            : type === 'password'
              ? 'password'
              : type === 'file'
                ? 'file'
                : 'text';
        form.fields.push({ kind, name: at.name, value: at.value ?? '', options: [], ticked: [] });
      }
    } else if (name === 'textarea' && at.name) {
      const field: Field = { kind: 'textarea', name: at.name, value: '', options: [], ticked: [] };
      form.fields.push(field);
      textarea = { field, from: (match.index ?? 0) + whole.length };
    } else if (name === 'select' && at.name) {
      select = { kind: 'select', name: at.name, value: '', options: [], ticked: [] };
      form.fields.push(select);
    } else if (name === 'option' && select) {
      select.options.push(at.value ?? '');
      if ('selected' in at) select.value = at.value ?? '';
    } else if (name === 'button' && at.name && (at.type ?? 'submit') === 'submit') {
      form.buttons.push({ name: at.name, value: at.value ?? '' });
    }
  }
  return forms;
}

/** Same-origin links to pages (not downloads, not another language, not signing out). */
function pageLinks(html: string): string[] {
  const links: string[] = [];
  for (const match of html.matchAll(/<a\s[^>]*href="([^"]*)"/g)) {
    const href = decode(match[1]!);
    if (!href.startsWith('/') || href.startsWith('//')) continue;
    const path = href.split('#')[0]!;
    if (/^\/(language|assets)\//.test(path) || /^\/sign-out/.test(path)) continue;
    if (
      /\.(pdf|csv|ics|json|png|jpe?g|gif|webp|svg|txt)(\?|$)/.test(path) ||
      /\/(download|receipts?)\b/.test(path)
    )
      continue;
    links.push(path);
  }
  return links;
}

/** A path with its ids and numbers blanked out, so one kind of page is visited only a few times. */
const shapeOf = (path: string) =>
  path
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, ':id')
    .replace(/=[^&]*/g, '=')
    .replace(/\/\d+(?=\/|$|\?)/g, '/:n');

// --- A browser without a browser: a cookie jar around app.request. ---

type Fetcher = { request(path: string, init?: RequestInit): Response | Promise<Response> };

interface Reply {
  status: number;
  body: string;
  location: string | null;
  type: string;
}

class Client {
  private cookies = new Map<string, string>();
  constructor(
    private readonly app: Fetcher,
    private readonly address: string,
  ) {}

  private async send(path: string, init: RequestInit = {}): Promise<Reply> {
    const response = await this.app.request(path, {
      ...init,
      headers: {
        ...(init.headers as Record<string, string>),
        cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        'x-forwarded-for': this.address,
      },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    const type = response.headers.get('content-type') ?? '';
    return {
      status: response.status,
      body: type.includes('text/html') ? await response.text() : '',
      location: response.headers.get('location'),
      type,
    };
  }

  get(path: string) {
    return this.send(path);
  }

  /** A form sent the way its method says: a search as a query string, anything else as a post. */
  submit(form: Form, entries: [string, string | Blob][]) {
    if (form.method === 'post') return this.post(form.action, entries, form.multipart);
    const query = new URLSearchParams();
    for (const [name, value] of entries) if (typeof value === 'string') query.append(name, value);
    return this.get(`${form.action}${form.action.includes('?') ? '&' : '?'}${query}`);
  }

  post(action: string, entries: [string, string | Blob][], multipart: boolean) {
    let body: FormData | URLSearchParams;
    const headers: Record<string, string> = { origin: testOrigin };
    if (multipart) {
      body = new FormData();
      for (const [name, value] of entries)
        if (typeof value === 'string') body.append(name, value);
        else body.append(name, value, 'upload.bin');
    } else {
      body = new URLSearchParams();
      for (const [name, value] of entries) if (typeof value === 'string') body.append(name, value);
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    return this.send(action, { method: 'POST', body, headers });
  }
}

// --- What to type. ---

const odd = [
  '',
  '   ',
  '\t\n  \r\n',
  '0',
  '-1',
  '-0',
  '1.5',
  '-3.25',
  '1e309',
  '99999999999999999999999',
  'NaN',
  'Infinity',
  '2026-02-30',
  '0000-01-01',
  '9999-12-31',
  '31/02/2026',
  '2026-13-45',
  '<script>alert(1)</script>',
  '"><b onmouseover="x">bold</b>',
  "O'Brien & Sons <ltd>",
  'Siân, Llŷr a Gwenllïan: ŵ ŷ',
  'مرحبا بالعالم',
  '\u202Eevil.exe',
  'שָׁלוֹם עולם',
  '👩🏽‍🦱🙂🏳️‍🌈',
  "'; drop table person; --",
  '{{name}} {{count}}',
  '%00%0d%0a',
  'a\u0000b\u0007c',
  '00000000-0000-4000-8100-000000000006',
  '00000000-0000-4000-8200-000000000003',
];

const typed: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...odd) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.integer().map(String) },
  { weight: 1, arbitrary: fc.double().map(String) },
  { weight: 1, arbitrary: fc.uuid() },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(301, 1001, 5001, 20_001)
      .map((length) => 'Geiriau hir ŵ 🙂 '.repeat(Math.ceil(length / 16)).slice(0, length)),
  },
);

/** A choice that is not offered: made up, empty, or an id from the other organisation. */
const notOffered = fc.oneof(
  fc.constantFrom('', 'not-a-choice', '00000000-0000-4000-8200-000000000003'),
  fc.uuid(),
  typed,
);

type Sent = { entries: [string, string | Blob][]; typedText: Map<string, string> };

function valuesFor(form: Form): fc.Arbitrary<Sent> {
  const parts = form.fields.map((field): fc.Arbitrary<[string, string | Blob][]> => {
    switch (field.kind) {
      case 'hidden':
        // The form token, a one-time token, which list it came from: exactly as rendered.
        return fc.constant([[field.name, field.value]]);
      case 'text':
      case 'textarea':
      case 'password':
        // Now and then the field is left out altogether, as an old copy of the form would send it.
        return fc
          .option(typed, { freq: 12, nil: undefined })
          .map((value) => (value === undefined ? [] : [[field.name, value]]));
      case 'select':
        return fc
          .oneof(
            { weight: 3, arbitrary: fc.constantFrom(...(field.options.length ? field.options : [''])) },
            notOffered,
          )
          .map((value) => [[field.name, value]]);
      case 'radio':
        return fc
          .oneof(
            { weight: 3, arbitrary: fc.constantFrom(...field.options).map((v): string | null => v) },
            fc.constant(null),
            notOffered,
          )
          .map((value) => (value === null ? [] : [[field.name, value]]));
      case 'checkbox':
        return fc
          .tuple(fc.subarray(field.options), fc.option(notOffered, { freq: 4 }))
          .map(([ticked, extra]) =>
            [...ticked, ...(extra === null ? [] : [extra])].map((v) => [field.name, v]),
          );
      default:
        // A file: nothing, or a few bytes of anything.
        return fc
          .option(fc.uint8Array({ maxLength: 200 }), { freq: 2 })
          .map((bytes) => (bytes === null ? [] : [[field.name, new Blob([bytes])]]));
    }
  });
  const button = form.buttons.length
    ? fc.option(fc.constantFrom(...form.buttons), { freq: 3 })
    : fc.constant(null);
  return fc.tuple(fc.tuple(...parts), button).map(([groups, pressed]) => {
    const entries = groups.flat();
    if (pressed) entries.push([pressed.name, pressed.value]);
    const typedText = new Map<string, string>();
    for (const field of form.fields) {
      if ((field.kind !== 'text' && field.kind !== 'textarea') || clearedOnPurpose(field)) continue;
      const value = entries.find(([name]) => name === field.name)?.[1];
      if (typeof value === 'string') typedText.set(field.name, value);
    }
    return { entries, typedText };
  });
}

/** What the page should show back: as the server keeps it (no control characters), trimmed as forms are. */
const kept = (value: string) => withoutControlCharacters(wellFormed(value)).trim();

/** A lone half of a surrogate pair cannot be sent in a form; the browser (and URLSearchParams) sends U+FFFD. */
const wellFormed = (value: string) =>
  value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

const formKey = (form: Form) =>
  `${form.method} ${shapeOf(form.action)} ${form.fields.map((f) => `${f.kind}:${f.name}`).join(',')}`;

interface Found {
  page: string;
  form: Form;
  /** Which of the page's post forms with this action it is. */
  index: number;
}

for (const kind of databaseKinds()) {
  describe(`every form, as every role, with generated values, on ${kind.name}`, () => {
    let database: Database;
    let app: Fetcher;
    const tried = new Map<string, number>();

    before(async () => {
      database = await kind.open();
      ({ app } = await buildTestApp(database));
    });
    after(() => database.close());

    for (const [index, role] of roles.entries()) {
      // FORMS_PROPERTY_ROLE=admin runs only the roles whose name says so, when looking into one failure.
      const only = process.env.FORMS_PROPERTY_ROLE;
      it(role.name, { skip: only ? !role.name.includes(only) : false }, async () => {
        const problems: string[] = [];
        const statuses = new Map<number, number>();
        const client = new Client(app, `198.51.100.${10 + index}`);
        if (role.email) {
          await client.get('/sign-in');
          const page = await client.get('/sign-in');
          const token = formsOn(page.body)
            .flatMap((form) => form.fields)
            .find((field) => field.name === '_csrf')!.value;
          const signedIn = await client.post(
            '/sign-in',
            [
              ['_csrf', token],
              ['email', role.email],
              ['password', 'walk-alongside'],
            ],
            false,
          );
          assert.equal(signedIn.status, 303, `${role.email} signs in`);
          if (signedIn.location === '/choose-organisation') {
            const choose = await client.get('/choose-organisation');
            const csrf = formsOn(choose.body)
              .flatMap((form) => form.fields)
              .find((f) => f.name === '_csrf')!.value;
            await client.post(
              '/choose-organisation',
              [
                ['_csrf', csrf],
                ['organisation', role.organisation ?? riverside],
              ],
              false,
            );
          }
        }
        if (role.welsh) await client.get('/language/cy');

        // Crawl from home by links, bounded.
        const queue = ['/', ...(role.start ?? [])];
        const seen = new Set<string>();
        const shapes = new Map<string, number>();
        const found: Found[] = [];
        const forms = new Set<string>();
        const visited: string[] = [];
        while (queue.length > 0 && visited.length < pagesPerRole) {
          const path = queue.shift()!;
          if (seen.has(path)) continue;
          seen.add(path);
          const shape = shapeOf(path);
          if ((shapes.get(shape) ?? 0) >= pagesPerShape) continue;
          shapes.set(shape, (shapes.get(shape) ?? 0) + 1);
          const reply = await client.get(path);
          visited.push(path);
          if (reply.status >= 500) problems.push(`${role.name}: GET ${path} answered ${reply.status}`);
          if (reply.status >= 300 && reply.status < 400 && reply.location?.startsWith('/'))
            queue.push(reply.location);
          if (!reply.body) continue;
          const counts = new Map<string, number>();
          for (const form of formsOn(reply.body)) {
            // A search with nothing to type (a filter's hidden fields only) is left out.
            if (form.method === 'get' && !form.fields.some((field) => field.kind !== 'hidden')) continue;
            const at = counts.get(form.action) ?? 0;
            counts.set(form.action, at + 1);
            if (leftOut.some((rule) => rule.action.test(form.action))) continue;
            const key = formKey(form);
            if (forms.has(key)) continue;
            forms.add(key);
            found.push({ page: path, form, index: at });
          }
          for (const link of pageLinks(reply.body)) if (!seen.has(link)) queue.push(link);
        }
        assert.ok(
          visited.length > (role.email ? 3 : 1),
          `${role.name} reached some pages: ${visited.join(' ')}`,
        );

        for (const { page, form, index: at } of found) {
          tried.set(formKey(form), (tried.get(formKey(form)) ?? 0) + 1);
          await fc
            .assert(
              fc.asyncProperty(valuesFor(form), async (sent) => {
                // A freshly rendered form each time: its form token and any one-time token are new.
                const fresh = await client.get(page);
                const same = formsOn(fresh.body).filter(
                  (one) => one.action === form.action && one.method === form.method,
                );
                const now = same[at] ?? same[0];
                // The form may be gone because an earlier run used it up (an exchange confirmed); that is fine.
                if (!now) return true;
                const hidden = now.fields.filter((field) => field.kind === 'hidden');
                const entries: [string, string | Blob][] = [
                  ...hidden.map((field): [string, string] => [field.name, field.value]),
                  ...sent.entries.filter(([name]) => !hidden.some((field) => field.name === name)),
                ];
                const reply = await client.submit(now, entries);
                statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
                assert.ok(reply.status < 500, `${now.method} ${now.action} answered ${reply.status}`);
                // A NUL in an address is refused whole, by design (refuseNulCharacters): nobody can type one,
                // and a form posted (not searched) has it taken out instead. Only the status counts then.
                const nulInAddress =
                  now.method === 'get' &&
                  entries.some(([, value]) => typeof value === 'string' && value.includes('\u0000'));
                // A post answered 200 with the same form is the language guard's pause: nothing typed is lost either.
                const shown = reply.body ? formsOn(reply.body) : [];
                const again = shown.filter((one) => one.action === now.action && one.method === now.method);
                const paused = now.method === 'post' && reply.status === 200 && again.length > 0;
                if ((reply.status === 400 || paused) && reply.body && !nulInAddress) {
                  const fields = (again.length ? again : shown).flatMap((one) => one.fields);
                  for (const [name, value] of sent.typedText) {
                    const expected = kept(value);
                    if (!expected) continue;
                    const candidates = fields.filter((field) => field.name === name);
                    assert.ok(
                      candidates.some((field) => kept(field.value) === expected),
                      `${now.method} ${now.action}: "${name}" was typed as ${JSON.stringify(expected.slice(0, 80))} and is ${
                        candidates.length
                          ? `shown as ${JSON.stringify(kept(candidates[0]!.value).slice(0, 80))}`
                          : 'not on the page'
                      }`,
                    );
                  }
                }
                // Whatever was saved must show without trouble where the form sends the visitor next.
                if (
                  reply.status === 303 &&
                  reply.location?.startsWith('/') &&
                  pageLinks(`<a href="${reply.location}">`).length
                ) {
                  const next = await client.get(reply.location);
                  assert.ok(
                    next.status < 500,
                    `GET ${reply.location} after ${now.method} ${now.action} answered ${next.status}`,
                  );
                }
                return true;
              }),
              { seed: seed + index, numRuns: runsPerForm, endOnFailure: true },
            )
            .catch((error: Error) =>
              problems.push(
                `${role.name}, the form on ${page}: ${(error.cause as Error | undefined)?.message ?? ''}\n${error.message
                  .split('\n')
                  .slice(0, 14)
                  .map((line) => (line.length > 500 ? `${line.slice(0, 500)}…` : line))
                  .join('\n')}`,
              ),
            );
        }

        if (verbose)
          console.log(
            `${role.name}: ${visited.length} pages, ${found.length} forms, answers ${JSON.stringify([...statuses])}\n  ${found
              .map(
                (one) =>
                  `${one.form.action} (${one.form.fields.map((f) => `${f.kind}:${f.name}`).join(' ')})`,
              )
              .join('\n  ')}`,
          );
        // Every page again, now that generated words are saved all over: each still shows without a 5xx.
        const again = new Map(visited.map((path) => [shapeOf(path), path]));
        for (const path of again.values()) {
          const reply = await client.get(path);
          if (reply.status >= 500)
            problems.push(`${role.name}: GET ${path} answered ${reply.status} after the forms`);
        }
        assert.ok(found.length > (role.email ? 0 : -1), `${role.name} found forms`);
        assert.deepEqual(problems, [], problems.join('\n\n'));
      });
    }

    it('tried the forms of every module', { skip: !!process.env.FORMS_PROPERTY_ROLE }, () => {
      const actions = [...tried.keys()].map((key) => key.split(' ')[1]!);
      for (const area of [
        '/me',
        '/coaching',
        '/time-bank',
        '/peer',
        '/learning',
        '/barriers',
        '/budget',
        '/admin',
      ]) {
        assert.ok(
          actions.some((action) => action.startsWith(area)),
          `a form under ${area} among ${actions.length}: ${actions.join(' ')}`,
        );
      }
    });
  });
}
