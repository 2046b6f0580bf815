import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import type { Database } from '../src/core/database/connect.ts';
import { type Catalogue, coreCatalogues, type Language } from '../src/core/i18n/index.ts';
import { recordVersion } from '../src/core/record.ts';
import { modules } from '../src/modules/index.ts';
import { buildTestApp, Visitor } from './helpers/app.ts';
import { databaseKinds } from './helpers/databases.ts';
import { readPdf } from './helpers/pdf.ts';

const schema = JSON.parse(readFileSync(new URL('../docs/record.schema.json', import.meta.url), 'utf8'));
const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
// ajv-formats is CommonJS: under Node's ESM its default import is the module, whose `default` is the plugin.
formats.default(ajv);
const validate = ajv.compile(schema);

const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const looksLikeTime = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}|$)/;
const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;
const calendarDay = /^\d{4}-\d{2}-\d{2}$/;

/** People in the demo who between them have something in every module, and two staff with their own. */
const people = [
  'person@riverside.example',
  'peer@riverside.example',
  'person@cwmteg.example',
  'person@glanhafren.example',
  'coach@riverside.example',
  'coach@cwmteg.example',
  'admin@riverside.example',
];
const exporting = modules.filter((module) => module.exportPerson);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every value in the file with the key it sits under. */
function* walk(value: Json, key = ''): Generator<[string, Json]> {
  yield [key, value];
  if (Array.isArray(value)) for (const item of value) yield* walk(item, key);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) yield* walk(v, k);
}
const isShape = (value: Json, keys: string[]) =>
  !!value &&
  typeof value === 'object' &&
  !Array.isArray(value) &&
  Object.keys(value).length === keys.length &&
  keys.every((k) => k in value);

/** What people typed (not the app's words): every plain string that is not a code's label or a value's text. */
function typedWords(record: Json): string[] {
  const words: string[] = [];
  const visit = (value: Json, key: string) => {
    if (typeof value === 'string') {
      if (!['format', 'version', 'label', 'text'].includes(key) && value.trim()) words.push(value);
    } else if (Array.isArray(value)) {
      for (const item of value) visit(item, key);
    } else if (value && typeof value === 'object') {
      if (isShape(value, ['code', 'label'])) return;
      for (const [k, v] of Object.entries(value)) visit(v, k);
    }
  };
  visit(record, '');
  return words;
}

const catalogue = (module: string, language: Language): Catalogue =>
  module ? modules.find((m) => m.id === module)!.catalogues![language] : coreCatalogues[language];
const at = (tree: Catalogue, path: string): Catalogue | string | undefined =>
  path
    .split('.')
    .reduce<Catalogue | string | undefined>(
      (node, part) => (typeof node === 'object' ? node[part] : undefined),
      tree,
    );
function* leaves(tree: Catalogue | string | undefined, path = ''): Generator<[string, string]> {
  if (typeof tree === 'string') yield [path, tree];
  else if (tree) for (const [k, v] of Object.entries(tree)) yield* leaves(v, path ? `${path}.${k}` : k);
}

/** Every English word the record's PDF could print, with its Welsh, where the two differ. */
function recordWords(): { en: string; cy: string; key: string }[] {
  const words: { en: string; cy: string; key: string }[] = [];
  const add = (module: string, path: string) => {
    const cy = at(catalogue(module, 'cy'), path);
    for (const [key, en] of leaves(at(catalogue(module, 'en'), path))) {
      const welsh = at(typeof cy === 'object' ? cy : {}, key);
      if (typeof welsh === 'string' && welsh !== en && !en.includes('{{'))
        words.push({ en, cy: welsh, key: `${module || 'core'}:${path}.${key}` });
    }
  };
  for (const path of ['record.fields', 'record.sections', 'record.values']) add('', path);
  for (const module of exporting) add(module.id, 'myRecord');
  return words;
}

const literally = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

for (const kind of databaseKinds()) {
  describe(`everything held about me, to download (${kind.name})`, () => {
    let database: Database;
    let app: Awaited<ReturnType<typeof buildTestApp>>['app'];
    const visitors = new Map<string, Visitor>();

    before(async () => {
      database = await kind.open();
      ({ app } = await buildTestApp(database));
      for (const [index, email] of people.entries()) {
        const visitor = new Visitor(app, `203.0.113.${120 + index}`);
        await visitor.signIn(email);
        visitors.set(email, visitor);
      }
    });
    after(async () => {
      await database.close();
    });

    const download = async (email: string, language: Language, format: 'json' | 'pdf') => {
      const visitor = visitors.get(email)!;
      await visitor.get(`/language/${language}?back=/account`);
      const response = await app.request(`/account/my-record.${format}`, {
        headers: { cookie: visitor.cookieHeader(), 'x-forwarded-for': visitor.address },
      });
      assert.equal(response.status, 200, `${email} downloads their record as ${format}`);
      assert.match(response.headers.get('content-disposition') ?? '', /attachment/);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      const bytes = Buffer.from(await response.arrayBuffer());
      return {
        response,
        bytes,
        json: format === 'json' ? (JSON.parse(bytes.toString('utf8')) as Json) : null,
      };
    };

    it('writes JSON that the published schema accepts, for people with something in every module, in both languages', async () => {
      const filled = new Set<string>();
      for (const email of people) {
        for (const language of ['en', 'cy'] as const) {
          const { json, response } = await download(email, language, 'json');
          assert.match(response.headers.get('content-type') ?? '', /application\/json/);
          const ok = validate(json);
          assert.ok(ok, `${email} (${language}): ${ajv.errorsText(validate.errors, { separator: '\n' })}`);
          const record = json as { [key: string]: Json } & { language: { code: string } };
          assert.equal(record.format, 'alongside-record');
          assert.equal(record.version, recordVersion);
          assert.equal(record.language.code, language);
          for (const module of exporting) {
            const section = record[module.id] as { [key: string]: Json };
            assert.ok(section, `${module.id} is in the record`);
            for (const [, value] of walk(section))
              if (Array.isArray(value) && value.length > 0) filled.add(module.id);
          }
          for (const [key, value] of walk(json)) {
            if (typeof value !== 'string') continue;
            // Identifiers are always labelled as such, so a reader (and the PDF) can tell them apart.
            if (uuid.test(value) && !/@/.test(value))
              assert.ok(key === 'id' || /Id$/.test(key), `${email}: an id under "${key}": ${value}`);
            if (looksLikeTime.test(value))
              assert.ok(rfc3339.test(value) || calendarDay.test(value), `${email}: "${key}" is ${value}`);
          }
        }
      }
      assert.deepEqual(
        [...filled].sort(),
        exporting.map((m) => m.id).sort(),
        'between them, the demo people have something in every section',
      );
    });

    it('puts About Me under the PRSB headings, with identifiers, "how and when to support me" among them', async () => {
      const { json } = await download('person@riverside.example', 'en', 'json');
      const aboutMe = (json as { coaching: { aboutMe: Json } }).coaching.aboutMe as {
        standard: string;
        headings: {
          heading: { code: string; label: string };
          prsbHeading: { id: string; name: string } | null;
          words: string;
        }[];
      };
      assert.equal(aboutMe.standard, 'PRSB About Me');
      const byCode = new Map(aboutMe.headings.map((h) => [h.heading.code, h]));
      assert.deepEqual(byCode.get('how-to-support-me')?.prsbHeading, {
        id: 'how-and-when-to-support-me',
        name: 'How and when to support me',
      });
      assert.equal(byCode.get('please-call-me')?.prsbHeading?.name, 'Please call me');
      assert.equal(byCode.get('adjustments')?.prsbHeading?.id, 'reasonable-adjustments');
      assert.equal(byCode.get('strengths')?.prsbHeading, null, 'strengths are our own heading');
      assert.equal(byCode.get('please-call-me')?.words, 'Jordan. They/them.');
      assert.equal(byCode.get('good-day')?.heading.label, 'What a good day looks like');

      // The person can write under the new heading, and the export has it.
      const jordan = visitors.get('person@riverside.example')!;
      await jordan.get('/me/about-me?edit');
      const form: Record<string, string> = {};
      for (const found of jordan.lastBody.matchAll(/<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)<\/textarea>/g))
        form[found[1]!] = found[2]!.replace(/&#39;|&#x27;/g, "'").replace(/&amp;/g, '&');
      assert.ok('how-to-support-me' in form, 'the page asks for it');
      form['how-to-support-me'] = 'Sit with me and let me talk first; step in if I stop answering texts.';
      const saved = await jordan.post('/me/about-me', form);
      assert.equal(saved.status, 303);
      const again = await download('person@riverside.example', 'en', 'json');
      const heading = (
        again.json as { coaching: { aboutMe: { headings: { heading: { code: string }; words: string }[] } } }
      ).coaching.aboutMe.headings.find((h) => h.heading.code === 'how-to-support-me');
      assert.equal(heading?.words, 'Sit with me and let me talk first; step in if I stop answering texts.');
    });

    it('gives codes their words, money in pence and pounds and time in minutes and words, in the language of the file', async () => {
      const { json } = await download('person@cwmteg.example', 'cy', 'json');
      const record = json as {
        coaching: { goals: { status: { code: string; label: string } }[] };
        'personal-budget': { personalBudget: { balance: { pence: number; text: string } } };
        'time-bank': { timeBanks: { balance: { minutes: number; text: string } }[] };
      };
      assert.deepEqual(record.coaching.goals[0]!.status, { code: 'working-on', label: 'Yn gweithio arno' });
      const balance = record['personal-budget'].personalBudget.balance;
      assert.equal(balance.text, `£${(balance.pence / 100).toFixed(2)}`);
      const time = record['time-bank'].timeBanks[0]!.balance;
      const hours = Math.floor(Math.abs(time.minutes) / 60);
      assert.match(time.text, new RegExp(`^−?${hours} awr`));
    });

    it('is a schema that is itself valid, with no room for a section nobody documented', () => {
      assert.ok(ajv.validateSchema(schema), ajv.errorsText(ajv.errors));
      assert.equal(schema.additionalProperties, false);
      const sections = Object.keys(schema.properties).filter(
        (key) => !['format', 'version', 'language', 'exportedAt', 'organisation', 'person'].includes(key),
      );
      assert.deepEqual(
        sections.sort(),
        exporting.map((m) => m.id).sort(),
        'every module that exports has a section in the schema, and no other',
      );
      const minimal = {
        format: 'alongside-record',
        version: recordVersion,
        language: { code: 'en', label: 'English' },
        exportedAt: '2026-01-02T03:04:05.000Z',
        organisation: { id: '00000000-0000-4000-8000-000000000001', name: 'Riverside' },
        person: null,
      };
      assert.ok(validate(minimal), ajv.errorsText(validate.errors));
      assert.equal(validate({ ...minimal, surprise: {} }), false, 'an unknown section is refused');
      assert.equal(
        validate({ ...minimal, barriers: { barriers: [], extra: 1 } }),
        false,
        'so is an unknown field',
      );
      assert.equal(
        validate({ ...minimal, exportedAt: '2026-01-02 03:04:05+00' }),
        false,
        'and SQL text for a time',
      );
    });

    it('has words in English and Welsh for every field the schema allows', () => {
      const missing: string[] = [];
      const resolve = (node: { $ref?: string }) =>
        node.$ref ? schema.$defs[node.$ref.replace('#/$defs/', '')] : node;
      const valueShapes = ['code', 'money', 'duration'];
      const fields = (node: Record<string, unknown>, into: Set<string>) => {
        if (typeof node.$ref === 'string' && valueShapes.some((shape) => node.$ref === `#/$defs/${shape}`))
          return;
        const real = resolve(node as { $ref?: string }) as Record<string, unknown>;
        for (const inner of [...((real.anyOf as object[]) ?? []), ...((real.oneOf as object[]) ?? [])])
          fields(inner as Record<string, unknown>, into);
        if (real.items) fields(real.items as Record<string, unknown>, into);
        for (const [key, inner] of Object.entries((real.properties as Record<string, object>) ?? {})) {
          into.add(key);
          fields(inner as Record<string, unknown>, into);
        }
      };
      for (const module of exporting) {
        const keys = new Set<string>();
        fields(schema.properties[module.id], keys);
        for (const key of keys) {
          if (key === 'id' || /Id$/.test(key) || key === 'standard' || key === 'prsbHeading') continue;
          for (const language of ['en', 'cy'] as const) {
            const words =
              at(catalogue(module.id, language), `myRecord.fields.${key}`) ??
              at(coreCatalogues[language], `record.fields.${key}`);
            if (typeof words !== 'string') missing.push(`${module.id} ${language} ${key}`);
          }
        }
        for (const language of ['en', 'cy'] as const)
          if (typeof at(catalogue(module.id, language), 'myRecord.title') !== 'string')
            missing.push(`${module.id} ${language} title`);
      }
      assert.deepEqual(missing, []);
    });

    it('writes a Welsh PDF with every heading and label in Welsh, no ids, no codes, pounds, hours and UK time', async () => {
      const words = recordWords();
      for (const email of ['person@cwmteg.example', 'person@riverside.example', 'peer@riverside.example']) {
        const { json } = await download(email, 'cy', 'json');
        const { bytes, response } = await download(email, 'cy', 'pdf');
        assert.equal(response.headers.get('content-type'), 'application/pdf');
        const pdf = readPdf(bytes);
        // Tagged, in Welsh, titled: what a screen reader needs to read it.
        assert.match(pdf.catalog, /\/Lang \(cy-GB\)/);
        assert.match(pdf.catalog, /\/StructTreeRoot \d+ 0 R/);
        const markInfo = Number(/\/MarkInfo (\d+) 0 R/.exec(pdf.catalog)![1]);
        assert.match(pdf.objects.get(markInfo)!, /\/Marked true/);
        const viewer = Number(/\/ViewerPreferences (\d+) 0 R/.exec(pdf.catalog)![1]);
        assert.match(pdf.objects.get(viewer)!, /\/DisplayDocTitle true/);
        assert.ok(pdf.marked.some((m) => m.tag === 'P') && pdf.marked.some((m) => m.tag === 'LBody'));

        // Every section's heading, in order, each the module's own title: none borrowed from another key.
        const cy = (module: string) => at(catalogue(module, 'cy'), 'myRecord.title');
        assert.deepEqual(
          pdf.marked.filter((m) => m.tag === 'H2').map((m) => m.text),
          ['Chi', ...exporting.map((m) => cy(m.id))],
        );
        assert.ok(pdf.marked.filter((m) => m.tag === 'H2').some((m) => m.text === 'Banc amser'));
        const headings = pdf.marked.filter((m) => /^H[1-6]$/.test(m.tag) && m.text);
        assert.equal(headings[0]!.tag, 'H1');

        // Take away what people typed (which may well be English), then look for the app's English.
        // (A line broken after a hyphen is joined again, as the words were typed.)
        let rest = ` ${pdf.text.replace(/(\S)- /g, '$1-')} `;
        for (const typed of typedWords(json).sort((a, b) => b.length - a.length))
          rest = rest.split(squash(typed)).join(' ');
        for (const word of words) {
          if (word.en.length < 3) continue;
          assert.doesNotMatch(
            rest,
            new RegExp(`(^|[^\\p{L}])${literally(word.en)}([^\\p{L}]|$)`, 'u'),
            `English "${word.en}" (${word.key}) in ${email}'s Welsh PDF`,
          );
        }
        assert.doesNotMatch(pdf.text, uuid, 'no ids');
        for (const [, value] of walk(json)) {
          if (!isShape(value, ['code', 'label'])) continue;
          const { code, label } = value as { code: string | number; label: string };
          if (typeof code !== 'string' || code.toLowerCase() === label.toLowerCase()) continue;
          assert.doesNotMatch(
            rest,
            new RegExp(`(^|[^\\p{L}-])${literally(code)}([^\\p{L}-]|$)`, 'u'),
            `code "${code}" in ${email}'s PDF`,
          );
        }
        // Money in pounds, time in hours and minutes, just as the JSON words them.
        for (const [key, value] of walk(json)) {
          if (isShape(value, ['pence', 'text']) || isShape(value, ['minutes', 'text'])) {
            const text = (value as { text: string }).text;
            assert.ok(pdf.text.includes(text), `${key} shows as ${text}`);
          }
        }
        assert.doesNotMatch(rest, /\b\d+ (pence|minutes|hours)\b/);
        // Dates in UK time, as the document says, and never in UTC where the two differ.
        assert.match(pdf.text, /Mae’r dyddiadau yn amser y DU/);
        const summer = [...walk(json)].find(
          ([key, value]) => key === 'createdAt' && typeof value === 'string' && /-0[6-8]-/.test(value),
        );
        if (summer) {
          const when = new Date(summer[1] as string);
          // As the record writes dates (src/core/web/format.ts), in UK time or, wrongly, in UTC.
          const show = (timeZone: string) =>
            new Intl.DateTimeFormat('cy-GB', { dateStyle: 'long', timeStyle: 'short', timeZone }).format(
              when,
            );
          assert.ok(pdf.text.includes(show('Europe/London')), `${show('Europe/London')} in UK time`);
          assert.ok(!pdf.text.includes(show('UTC')), 'not in UTC');
        }
      }
    });

    it('heads every section of the English PDF with its own module’s title, the time bank too', async () => {
      const { bytes } = await download('person@riverside.example', 'en', 'pdf');
      const pdf = readPdf(bytes);
      assert.match(pdf.catalog, /\/Lang \(en-GB\)/);
      const sections = pdf.marked.filter((m) => m.tag === 'H2').map((m) => m.text);
      assert.deepEqual(sections, [
        'You',
        ...exporting.map((m) => at(catalogue(m.id, 'en'), 'myRecord.title') as string),
      ]);
      assert.ok(sections.includes('Time bank'));
      assert.ok(
        !sections.includes('Record an exchange for members'),
        'the coordinator form’s words are not a heading',
      );
      assert.match(pdf.text, /Everything held about Jordan/);
      assert.match(pdf.text, /Dates are in UK time/);
      assert.match(pdf.text, /How and when to support me/);
      assert.match(pdf.text, /£\d+\.\d{2}/);
      assert.match(pdf.text, /\d+ hours?( \d+ minutes?)?/);
    });

    it('lets staff download their own record, linked from the account page, with only their own things in it', async () => {
      for (const email of ['coach@riverside.example', 'admin@riverside.example']) {
        const visitor = visitors.get(email)!;
        await visitor.get('/language/en?back=/account');
        const account = await visitor.get('/account');
        assert.equal(account.status, 200);
        assert.match(visitor.lastBody, /href="\/account\/my-record"/);
        await visitor.get('/');
        assert.match(visitor.lastBody, /href="\/account\/my-record"/, 'and from the home page');
        const page = await visitor.get('/account/my-record');
        assert.equal(page.status, 200);
        assert.match(visitor.lastBody, /href="\/account\/my-record.pdf"/);
        const { json } = await download(email, 'en', 'json');
        const record = json as { person: { email: string }; [key: string]: Json };
        assert.equal(record.person.email, email);
        assert.ok(!JSON.stringify(json).includes('Jordan. They/them.'), 'nobody else’s About Me');
        const { bytes } = await download(email, 'en', 'pdf');
        assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
      }
      const { json } = await download('admin@riverside.example', 'en', 'json');
      const learning = (json as { learning: { wellbeingCheckIns: Json[] } }).learning;
      assert.ok(learning.wellbeingCheckIns.length > 0, 'an admin’s own check-ins are theirs to take');
    });

    it('asks anyone signed out to sign in first', async () => {
      const stranger = new Visitor(app, '203.0.113.140');
      const response = await stranger.get('/account/my-record.json');
      assert.equal(response.status, 303);
      assert.match(response.headers.get('location') ?? '', /^\/sign-in/);
    });
  });
}
