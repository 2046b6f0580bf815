import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Database } from '../src/core/database/connect.ts';
import { rowsOf, withSystem } from '../src/core/database/tenancy.ts';
import { buildTestApp, Visitor } from './helpers/app.ts';
import { databaseKinds } from './helpers/databases.ts';

const riverside = '00000000-0000-4000-8000-000000000001';

const phraseCount = (database: Database) =>
  withSystem(database, async (tx) => {
    const [row] = await rowsOf<{ n: number }>(
      tx.execute(sql`select count(*)::int as n from language_guard_phrase`),
    );
    return row!.n;
  });

for (const kind of databaseKinds()) {
  describe(`wording suggestions on ${kind.name}`, () => {
    let database: Database;
    let app: Awaited<ReturnType<typeof buildTestApp>>['app'];
    let admin: Visitor;
    /** The demo organisations' own phrases: one each. */
    let demo: number;
    before(async () => {
      database = await kind.open();
      ({ app } = await buildTestApp(database));
      admin = new Visitor(app);
      await admin.signIn('admin@riverside.example');
      demo = await phraseCount(database);
    });
    after(() => database.close());

    it('are for admins and leads only', async () => {
      assert.equal((await admin.get('/wording')).status, 200);
      assert.match(admin.lastBody, /<h1 class="govuk-heading-l">Wording suggestions<\/h1>/);
      await admin.get('/admin');
      assert.match(admin.lastBody, /href="\/wording"/, 'linked from the admin page');

      const lead = new Visitor(app);
      await lead.signIn('lead@riverside.example');
      await lead.get('/choose-organisation');
      await lead.post('/choose-organisation', { organisation: riverside, next: '/wording' });
      assert.equal((await lead.get('/wording')).status, 200);
      assert.match(
        lead.lastBody,
        /class="govuk-link alongside-nav__link" href="\/wording"/,
        'in a lead’s navigation',
      );

      for (const email of ['coach@riverside.example', 'person@riverside.example']) {
        const someone = new Visitor(app);
        await someone.signIn(email);
        assert.doesNotMatch(someone.lastBody, /href="\/wording"/);
        assert.equal((await someone.get('/wording')).status, 403);
        const post = await someone.post('/wording', {
          language: 'en',
          phrase: 'client',
          suggestion: 'member',
        });
        assert.equal(post.status, 403);
      }
      assert.equal(await phraseCount(database), demo);
      const stranger = new Visitor(app);
      assert.equal((await stranger.get('/wording')).status, 303);
    });

    it('adds a phrase, shows it with who added it, and audits it', async () => {
      await admin.get('/wording');
      assert.equal(demo, 3, 'one for each demo organisation');
      assert.match(admin.lastBody, /“client”/, 'the demo organisation’s own');
      assert.doesNotMatch(admin.lastBody, /“cleient”/, 'not the other organisation’s');
      const response = await admin.post('/wording', {
        language: 'en',
        phrase: 'Service Recipient',
        suggestion: 'the person, by the name they chose',
      });
      assert.equal(response.status, 303);
      assert.equal(response.headers.get('location'), '/wording?done=added');
      await admin.get('/wording?done=added');
      assert.match(admin.lastBody, /The label has been added/);
      assert.match(admin.lastBody, /“Service Recipient”/);
      assert.match(admin.lastBody, /the person, by the name they chose/);
      assert.match(admin.lastBody, /English · added by Priya/);
      const [event] = await withSystem(database, (tx) =>
        rowsOf<{ detail: unknown }>(
          tx.execute(sql`select detail from audit_event
            where action = 'create' and subject_type = 'language-guard-phrase'
            order by occurred_at desc limit 1`),
        ),
      );
      assert.deepEqual(event?.detail, { fields: ['language', 'phrase', 'suggestion'] });
    });

    it('keeps everything typed when something is wrong, with a kind message by each field', async () => {
      await admin.get('/wording');
      const empty = await admin.post('/wording', { phrase: '   ', suggestion: 'kept words' });
      assert.equal(empty.status, 400);
      assert.match(admin.lastBody, /Choose English or Welsh/);
      assert.match(admin.lastBody, /Write the words to notice/);
      assert.match(admin.lastBody, /kept words<\/textarea>/);
      assert.match(admin.lastBody, /govuk-error-summary/);

      const long = await admin.post('/wording', { language: 'en', phrase: 'x'.repeat(101), suggestion: '' });
      assert.equal(long.status, 400);
      assert.match(admin.lastBody, /use 100 characters or fewer/);
      assert.match(admin.lastBody, /Write the words to suggest instead/);
      assert.match(admin.lastBody, new RegExp(`value="${'x'.repeat(101)}"`));

      const symbols = await admin.post('/wording', { language: 'cy', phrase: '!!!', suggestion: 'geiriau' });
      assert.equal(symbols.status, 400);
      assert.match(admin.lastBody, /Use at least one letter or number/);

      const longSuggestion = await admin.post('/wording', {
        language: 'en',
        phrase: 'case',
        suggestion: 'y'.repeat(301),
      });
      assert.equal(longSuggestion.status, 400);
      assert.match(admin.lastBody, /use 300 characters or fewer/);

      const duplicate = await admin.post('/wording', {
        language: 'en',
        phrase: 'service-recipient',
        suggestion: 'other words',
      });
      assert.equal(duplicate.status, 400);
      assert.match(admin.lastBody, /Your organisation already has these words in English/);
      assert.match(admin.lastBody, /value="service-recipient"/);
      assert.match(admin.lastBody, /other words<\/textarea>/);
      assert.equal(await phraseCount(database), demo + 1);
    });

    it('speaks Welsh in Welsh', async () => {
      const elin = new Visitor(app);
      await elin.signIn('admin@cwmteg.example');
      await elin.get('/wording');
      assert.match(elin.lastBody, /Awgrymiadau geiriad/);
      assert.match(elin.lastBody, /“y digartref”/);
      const wrong = await elin.post('/wording', { language: 'cy', phrase: '', suggestion: '' });
      assert.equal(wrong.status, 400);
      assert.match(elin.lastBody, /Ysgrifennwch y geiriau i sylwi arnyn nhw/);
    });

    it("tries some words against the built-in list and the organisation's own, keeping them", async () => {
      await admin.get('/wording');
      const sample = 'Our service recipient is an addict and refused to engage.';
      const response = await admin.post('/wording/try', { sample });
      assert.equal(response.status, 200);
      const body = admin.lastBody;
      assert.match(body, new RegExp(`${sample}</textarea>`));
      assert.match(body, /aria-describedby="sample-hint sample-wording"/);
      assert.match(body, /data-language-guard="on"/);
      assert.match(
        body,
        /You wrote “service recipient”\. Many people would rather read something like: the person, by the name they chose/,
      );
      assert.match(body, /You wrote “addict”/);
      assert.match(
        body,
        /You wrote “refused to engage”\. Many people would rather read something like: hasn/,
      );
      assert.doesNotMatch(body, /govuk-error/);

      await admin.post('/wording/try', { sample: 'Jordan chose not to come today.' });
      assert.match(admin.lastBody, /No labels found in these words/);
      // Another organisation's phrase is not theirs.
      const elin = new Visitor(app);
      await elin.signIn('admin@cwmteg.example');
      await elin.get('/wording');
      assert.doesNotMatch(elin.lastBody, /Service Recipient/);
      await elin.post('/wording/try', { sample });
      assert.doesNotMatch(elin.lastBody, /“service recipient”/);
      assert.match(elin.lastBody, /Ysgrifennoch chi “addict”/);
    });

    it('gives the browser script the compiled labels, signed in only, and revalidates them', async () => {
      const stranger = new Visitor(app);
      assert.equal((await stranger.get('/language-guard/labels')).status, 401);
      const response = await admin.get('/language-guard/labels');
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /application\/json/);
      assert.equal(response.headers.get('cache-control'), 'private, no-cache');
      const { labels } = JSON.parse(admin.lastBody) as { labels: { own: boolean; pattern: string }[] };
      assert.ok(labels.length > 120);
      const own = labels.filter((label) => label.own);
      assert.equal(own.length, 2);
      assert.ok(own.some((label) => /Service/.test(label.pattern)));
      assert.ok(!own.some((label) => /cleient/.test(label.pattern)), 'not the other organisation’s');
      const etag = response.headers.get('etag')!;
      // The visitor's cookie jar is private to it; this request needs a header of its own as well.
      const cookie = (admin as unknown as { cookieHeader(): string }).cookieHeader();
      const again = await app.request('/language-guard/labels', {
        headers: { cookie, 'if-none-match': etag },
      });
      assert.equal(again.status, 304);
    });

    it("removes a phrase; another organisation's phrase is not found and nothing changes", async () => {
      const [row] = await withSystem(database, (tx) =>
        rowsOf<{ id: string }>(
          tx.execute(sql`select id from language_guard_phrase where phrase = 'Service Recipient'`),
        ),
      );
      const elin = new Visitor(app);
      await elin.signIn('admin@cwmteg.example');
      await elin.get('/wording');
      assert.equal((await elin.post(`/wording/${row!.id}/remove`, {})).status, 404);
      assert.equal((await elin.post('/wording/not-an-id/remove', {})).status, 404);
      assert.equal(await phraseCount(database), demo + 1);

      await admin.get('/wording');
      assert.match(admin.lastBody, /Remove “Service Recipient”/);
      const removed = await admin.post(`/wording/${row!.id}/remove`, {});
      assert.equal(removed.status, 303);
      await admin.get('/wording?done=removed');
      assert.match(admin.lastBody, /The label has been removed/);
      assert.equal(await phraseCount(database), demo);
      await admin.get('/admin/audit');
      assert.match(admin.lastBody, /Removed – wording suggestion/);
    });
  });
}
