import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Database } from '../src/core/database/connect.ts';
import { rowsOf, type Scope, withOrganisation } from '../src/core/database/tenancy.ts';
import { periodOf } from '../src/core/periods.ts';
import { storyPicture } from '../src/modules/stories/demo.ts';
import { stories as storiesModule } from '../src/modules/stories/index.tsx';
import { storiesForReport, storyStatistics } from '../src/modules/stories/report.ts';
import { createStory, findStory, giveConsent, withdrawConsent } from '../src/modules/stories/stories.ts';
import { buildTestApp, recordWriter, Visitor } from './helpers/app.ts';
import { databaseKinds } from './helpers/databases.ts';
import { readPdf } from './helpers/pdf.ts';

const riverside = '00000000-0000-4000-8000-000000000001';
const cwmTeg = '00000000-0000-4000-8000-000000000002';
const glanHafren = '00000000-0000-4000-8000-000000000003';
const jordanId = '00000000-0000-4000-8100-000000000006';
const alexId = '00000000-0000-4000-8300-000000000004';
const bethanId = '00000000-0000-4000-8300-000000000003';
const kofiId = '00000000-0000-4000-8300-000000000005';

const inside = <T>(
  database: Database,
  organisationId: string,
  actor: string | null,
  work: (scope: Scope) => Promise<T>,
) => withOrganisation(database, { organisationId, actorPersonId: actor }, work);

/** A visitor that can also send a multipart form with a picture, as a phone's browser does. */
class Uploader extends Visitor {
  upload(
    path: string,
    fields: Record<string, string>,
    file: { name: string; type: string; bytes: Uint8Array } | null,
  ) {
    return this.uploadFile(path, fields, 'picture', file);
  }
}

const storyFields = {
  title: 'The bench by the bridge',
  words:
    'Amara and I sat on the bench by the bridge.\n\nNow I go there on my own, and Jordan is just my name.',
  language: 'en',
  nameChoice: 'name',
  shownName: 'J',
  pictureDescription: 'A bench by a stone bridge',
};

const idFrom = (location: string | null) => {
  const match = /\/stories\/([0-9a-f-]{36})/.exec(location ?? '');
  assert.ok(match, `a story's address: ${location}`);
  return match[1]!;
};

async function storyIdByTitle(database: Database, organisationId: string, title: string) {
  const [row] = await inside(database, organisationId, null, (scope) =>
    rowsOf<{ id: string }>(scope.tx.execute(sql`select id from story where title = ${title}`)),
  );
  assert.ok(row, `the story "${title}"`);
  return row.id;
}

for (const kind of databaseKinds()) {
  describe(`stories on ${kind.name}`, () => {
    let database: Database;
    let built: Awaited<ReturnType<typeof buildTestApp>>;
    let jordan: Uploader;
    let gareth: Visitor;
    let storyId = '';

    before(async () => {
      database = await kind.open();
      built = await buildTestApp(database);
      jordan = new Uploader(built.app);
      await jordan.signIn('person@riverside.example');
      gareth = new Visitor(built.app, '203.0.113.9');
      // The demo lead is in two organisations: Riverside is chosen.
      const signedIn = await gareth.signIn('lead@riverside.example');
      if (signedIn.headers.get('location') === '/choose-organisation') {
        await gareth.get('/choose-organisation');
        const chosen = await gareth.post('/choose-organisation', { organisation: riverside });
        await gareth.get(chosen.headers.get('location') ?? '/');
      }
    });
    after(async () => {
      await database?.close();
    });

    it('refuses an SVG or a file that is not a picture, with the message beside the field and the words kept', async () => {
      await jordan.get('/stories/new');
      const svg = new TextEncoder().encode(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
      );
      for (const file of [
        { name: 'bench.svg', type: 'image/svg+xml', bytes: svg },
        { name: 'bench.png', type: 'image/png', bytes: svg },
        { name: 'bench.jpg', type: 'image/jpeg', bytes: new TextEncoder().encode('not a picture at all') },
      ]) {
        const response = await jordan.upload('/stories/new', storyFields, file);
        assert.equal(response.status, 400, file.name);
        assert.match(jordan.lastBody, /id="picture-error"[^>]*>[\s\S]*PNG, JPEG or WebP/);
        assert.match(jordan.lastBody, /Amara and I sat on the bench by the bridge\./);
        assert.match(jordan.lastBody, /value="The bench by the bridge"/);
      }
      const [count] = await inside(database, riverside, null, (scope) =>
        rowsOf<{ n: number }>(
          scope.tx.execute(sql`select count(*)::int as n from story where title = ${storyFields.title}`),
        ),
      );
      assert.equal(count!.n, 0, 'nothing was saved');
      // A picture with no description is refused too, beside the description.
      await jordan.get('/stories/new');
      const noWords = await jordan.upload(
        '/stories/new',
        { ...storyFields, pictureDescription: '' },
        { name: 'bench.png', type: 'image/png', bytes: storyPicture() },
      );
      assert.equal(noWords.status, 400);
      assert.match(jordan.lastBody, /id="pictureDescription-error"/);
    });

    it('saves a story with a picture checked by its bytes, read by nobody else until the author chooses', async () => {
      await jordan.get('/stories/new');
      const response = await jordan.upload('/stories/new', storyFields, {
        name: 'IMG_2041.HEIC.png',
        type: 'application/octet-stream',
        bytes: storyPicture(),
      });
      assert.equal(response.status, 303);
      storyId = idFrom(response.headers.get('location'));
      const story = await inside(database, riverside, null, (scope) => findStory(scope, storyId));
      assert.equal(story?.pictureType, 'image/png');
      assert.equal(story?.scope, 'me');
      assert.equal(story?.authorId, jordanId);
      const picture = await jordan.get(`/stories/${storyId}/picture`);
      assert.equal(picture.status, 200);
      assert.equal(picture.headers.get('content-type'), 'image/png');
      assert.equal(picture.headers.get('x-content-type-options'), 'nosniff');
      // The lead cannot read it yet: only the author can.
      assert.equal((await gareth.get(`/stories/${storyId}`)).status, 404);
      assert.equal((await gareth.get(`/stories/${storyId}/picture`)).status, 404);
    });

    it('takes a phone photo of a few megabytes, as a receipt may be, and keeps the story with it', async () => {
      // A picture from a phone is often 2 to 4 MB: more than an ordinary form may carry, less than 5 MB.
      const picture = storyPicture();
      const large = new Uint8Array(3 * 1024 * 1024);
      large.set(picture);
      await jordan.get('/stories/new');
      const response = await jordan.upload(
        '/stories/new',
        { ...storyFields, title: 'The long walk home' },
        { name: 'IMG_2042.png', type: 'image/png', bytes: large },
      );
      assert.equal(response.status, 303);
      const saved = await jordan.get(`${response.headers.get('location')}`);
      assert.equal(saved.status, 200);
      assert.match(await saved.text(), /The long walk home/);
    });

    it('marks the names it knows of in the anonymised version, and keeps every version', async () => {
      await jordan.get(`/stories/${storyId}/anonymised`);
      assert.match(jordan.lastBody, /<mark>Amara<\/mark>/);
      assert.match(jordan.lastBody, /<mark>Jordan<\/mark>/);
      const saved = await jordan.post(`/stories/${storyId}/anonymised`, {
        title: 'The bench by the bridge',
        words: 'My coach and I sat on the bench by the bridge.\n\nNow I go there on my own.',
      });
      assert.equal(saved.status, 303);
      await jordan.get(saved.headers.get('location')!);
      assert.doesNotMatch(jordan.lastBody, /<mark>/);
      const versions = await inside(database, riverside, null, (scope) =>
        rowsOf<{ kind: string; number: number }>(
          scope.tx.execute(
            sql`select kind, number from story_version where story_id = ${storyId} order by kind, number`,
          ),
        ),
      );
      assert.deepEqual(
        versions.map((v) => `${v.kind} ${v.number}`),
        ['anonymised 1', 'own 1'],
      );
    });

    it('records every consent change with the exact words shown, in the language shown', async () => {
      await jordan.get(`/stories/${storyId}/sharing`);
      assert.match(jordan.lastBody, /public stories page of Riverside Community Coaching/);
      const empty = await jordan.post(`/stories/${storyId}/sharing`, {});
      assert.equal(empty.status, 400);
      assert.match(jordan.lastBody, /id="scope-error"/);
      assert.equal(
        (await jordan.post(`/stories/${storyId}/sharing`, { scope: 'team', shownVersion: 'own' })).status,
        303,
      );
      await jordan.get('/language/cy?back=/stories');
      await jordan.get(`/stories/${storyId}/sharing`);
      assert.equal(
        (await jordan.post(`/stories/${storyId}/sharing`, { scope: 'public', shownVersion: 'anonymised' }))
          .status,
        303,
      );
      await jordan.get('/language/en?back=/stories');
      const consent = await inside(database, riverside, null, (scope) =>
        rowsOf<{ scope: string; wording: string; language: string; givenBy: string }>(
          scope.tx.execute(sql`select scope, wording, language, given_by_person_id as "givenBy" from story_consent
            where story_id = ${storyId} order by given_at, id`),
        ),
      );
      assert.equal(consent.length, 2);
      assert.equal(consent[0]!.scope, 'team');
      assert.equal(consent[0]!.language, 'en');
      assert.equal(
        consent[0]!.wording,
        'My coach and team. Your coach and the staff of your team at Riverside Community Coaching can read it.',
      );
      assert.equal(consent[1]!.scope, 'public');
      assert.equal(consent[1]!.language, 'cy');
      assert.match(
        consent[1]!.wording,
        /^Unrhyw un\. Mae unrhyw un yn gallu ei darllen ar dudalen straeon gyhoeddus/,
      );
      assert.ok(consent.every((one) => one.givenBy === jordanId));
      const story = await inside(database, riverside, null, (scope) => findStory(scope, storyId));
      assert.equal(story?.scope, 'public');
      assert.equal(story?.shownVersion, 'anonymised');
    });

    it('shows only public stories on the public page, each in its language, in the version chosen', async () => {
      const visitor = new Visitor(built.app, '198.51.100.4');
      const page = await visitor.get('/o/riverside/stories');
      assert.equal(page.status, 200);
      const body = visitor.lastBody;
      assert.match(body, /The bench by the bridge/);
      assert.match(body, /My coach and I sat on the bench/, 'the anonymised version');
      assert.doesNotMatch(body, /Amara and I sat/, 'never the own version when the anonymised one is chosen');
      assert.match(body, /Walking again/);
      assert.match(body, /What the peer group gave me/);
      assert.doesNotMatch(body, /Why I became a peer/, 'shared with the team only');
      assert.doesNotMatch(body, /Yn ôl yn y gwaith/, 'shared with the organisation only');
      assert.doesNotMatch(body, /The allotment/, 'withdrawn');
      assert.match(body, /<article[^>]*lang="en"/);
      assert.match(body, /By anonymous/);
      const welsh = await visitor.get('/o/cwm-teg/stories');
      assert.equal(welsh.status, 200);
      assert.match(visitor.lastBody, /<article[^>]*lang="cy"[^>]*>[\s\S]*Y llwybr ar hyd yr afon/);
      assert.doesNotMatch(visitor.lastBody, /Notes for myself/);
      assert.equal((await visitor.get('/o/nowhere/stories')).status, 404);
      // Pictures only while their story is public.
      assert.equal((await visitor.get(`/o/riverside/stories/${storyId}/picture`)).status, 200);
      const elinStory = await storyIdByTitle(database, cwmTeg, 'Y llwybr ar hyd yr afon');
      assert.equal((await visitor.get(`/o/riverside/stories/${elinStory}/picture`)).status, 404);
      assert.equal((await visitor.get(`/o/cwm-teg/stories/${elinStory}/picture`)).status, 200);
    });

    it('answers 404 for another organisation’s story and for a story its author has not shared with you', async () => {
      const elinStory = await storyIdByTitle(database, cwmTeg, 'Y llwybr ar hyd yr afon');
      for (const path of ['', '/picture', '/edit', '/sharing', '/anonymised', '/withdraw'])
        assert.equal((await jordan.get(`/stories/${elinStory}${path}`)).status, 404, path);
      assert.equal((await jordan.post(`/stories/${elinStory}/withdraw`, {})).status, 404);
      const team = await storyIdByTitle(database, riverside, 'Why I became a peer');
      assert.equal((await jordan.get(`/stories/${team}`)).status, 404, 'team scope: Jordan is not staff');
      assert.equal((await gareth.get(`/stories/${team}`)).status, 200, 'the team’s lead reads it');
      // Shared with anyone: another person here reads it, but cannot change who reads it.
      assert.equal((await gareth.get(`/stories/${storyId}`)).status, 200);
      assert.equal((await gareth.get(`/stories/${storyId}/sharing`)).status, 404);
      const cwmBooklet = await inside(database, cwmTeg, null, (scope) =>
        rowsOf<{ id: string }>(scope.tx.execute(sql`select id from story_booklet`)),
      );
      assert.equal((await gareth.get(`/stories/booklets/${cwmBooklet[0]!.id}`)).status, 404);
      assert.equal((await gareth.get(`/stories/booklets/${cwmBooklet[0]!.id}/booklet.pdf`)).status, 404);
      assert.equal((await jordan.get('/stories/booklets')).status, 403, 'booklets are for leads');
    });

    let bookletId = '';
    it('makes a booklet only of stories whose consent allows its audience, recording each version used', async () => {
      const nia = await storyIdByTitle(database, riverside, 'Yn ôl yn y gwaith');
      await gareth.get('/stories/booklets/new');
      const refused = await gareth.post('/stories/booklets/new', {
        title: 'Benches and bridges',
        introduction: 'Stories people chose to share.',
        audience: 'public',
        language: 'en',
        stories: [storyId, nia],
      });
      assert.equal(refused.status, 400);
      assert.match(gareth.lastBody, /id="stories-error"/);
      assert.match(gareth.lastBody, /value="Benches and bridges"/);
      const made = await gareth.post('/stories/booklets/new', {
        title: 'Benches and bridges',
        introduction: 'Stories people chose to share.',
        audience: 'public',
        language: 'en',
        stories: [storyId],
      });
      assert.equal(made.status, 303);
      bookletId = /booklets\/([0-9a-f-]{36})/.exec(made.headers.get('location') ?? '')![1]!;
      const used = await inside(database, riverside, null, (scope) =>
        rowsOf<{ kind: string; number: number }>(
          scope.tx.execute(sql`select v.kind, v.number from story_booklet_story bs
            join story_version v on v.id = bs.story_version_id where bs.booklet_id = ${bookletId}`),
        ),
      );
      assert.deepEqual(used, [{ kind: 'anonymised', number: 1 }]);
    });

    it('downloads the booklet as a tagged PDF with its language, and as HTML', async () => {
      const response = await gareth.get(`/stories/booklets/${bookletId}/booklet.pdf`);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'application/pdf');
      const bytes = new Uint8Array(await response.arrayBuffer());
      assert.equal(Buffer.from(bytes.subarray(0, 5)).toString('latin1'), '%PDF-');
      const pdf = readPdf(bytes);
      assert.match(pdf.catalog, /\/Lang \(en-GB\)/);
      assert.match(pdf.catalog, /\/MarkInfo/);
      assert.ok(pdf.marked.some((m) => m.tag === 'H1' && m.text.includes('Benches and bridges')));
      assert.ok(pdf.marked.some((m) => m.tag === 'H2' && m.text.includes('The bench by the bridge')));
      assert.match(pdf.text, /My coach and I sat on the bench/);
      assert.doesNotMatch(pdf.text, /Amara and I/);
      assert.match(pdf.text, /A bench by a stone bridge/, 'the picture’s description');
      const html = await gareth.get(`/stories/booklets/${bookletId}/booklet.html`);
      assert.equal(html.status, 200);
      const text = await html.text();
      assert.match(text, /^<!DOCTYPE html><html lang="en">/);
      assert.match(text, /<article id="story-1" lang="en">/);
      assert.match(text, /src="data:image\/png;base64,/);
      // Welsh letters drawn: the Cwm Teg booklet has Elin’s story with “ŵyr”.
      const rhian = new Visitor(built.app, '203.0.113.11');
      await rhian.signIn('admin@cwmteg.example');
      const [cwm] = await inside(database, cwmTeg, null, (scope) =>
        rowsOf<{ id: string }>(scope.tx.execute(sql`select id from story_booklet`)),
      );
      const welsh = await rhian.get(`/stories/booklets/${cwm!.id}/booklet.pdf`);
      assert.equal(welsh.status, 200);
      const read = readPdf(new Uint8Array(await welsh.arrayBuffer()));
      assert.match(read.catalog, /\/Lang \(cy-GB\)/);
      assert.match(read.text, /ŵyr/);
      assert.match(read.text, /Cynnwys/);
    });

    it('leaves a withdrawn story out of the booklet’s downloads and of every booklet made after', async () => {
      await jordan.get(`/stories/${storyId}/withdraw`);
      assert.match(jordan.lastBody, /cannot be recalled/);
      const withdrawn = await jordan.post(`/stories/${storyId}/withdraw`, {});
      assert.equal(withdrawn.status, 303);
      const story = await inside(database, riverside, null, (scope) => findStory(scope, storyId));
      assert.ok(story?.withdrawnAt);
      assert.equal(story?.scope, 'me');
      const visitor = new Visitor(built.app, '198.51.100.5');
      await visitor.get('/o/riverside/stories');
      assert.doesNotMatch(visitor.lastBody, /The bench by the bridge/);
      assert.equal((await visitor.get(`/o/riverside/stories/${storyId}/picture`)).status, 404);
      // The old booklet keeps its record, says the story is left out, and its PDF has it no more.
      await gareth.get(`/stories/booklets/${bookletId}`);
      assert.match(gareth.lastBody, /whose author withdrew it/);
      const pdf = readPdf(
        new Uint8Array(await (await gareth.get(`/stories/booklets/${bookletId}/booklet.pdf`)).arrayBuffer()),
      );
      assert.doesNotMatch(pdf.text, /bench by the bridge/);
      const kept = await inside(database, riverside, null, (scope) =>
        rowsOf<{ n: number }>(
          scope.tx.execute(
            sql`select count(*)::int as n from story_booklet_story where booklet_id = ${bookletId}`,
          ),
        ),
      );
      assert.equal(kept[0]!.n, 1, 'the record of what the booklet used stays');
      // A booklet made now leaves it out, even when its id is sent.
      const nia = await storyIdByTitle(database, riverside, 'Yn ôl yn y gwaith');
      await gareth.get('/stories/booklets/new');
      assert.doesNotMatch(gareth.lastBody, new RegExp(`value="${storyId}"`), 'not offered');
      const made = await gareth.post('/stories/booklets/new', {
        title: 'Later booklet',
        introduction: '',
        audience: 'organisation',
        language: 'en',
        stories: [storyId, nia],
      });
      assert.equal(made.status, 303);
      const later = /booklets\/([0-9a-f-]{36})/.exec(made.headers.get('location') ?? '')![1]!;
      const inLater = await inside(database, riverside, null, (scope) =>
        rowsOf<{ storyId: string }>(
          scope.tx.execute(
            sql`select story_id as "storyId" from story_booklet_story where booklet_id = ${later}`,
          ),
        ),
      );
      assert.deepEqual(
        inLater.map((row) => row.storyId),
        [nia],
      );
    });

    it('puts the author’s stories, versions and consent words in their record', async () => {
      const section = (await inside(database, riverside, jordanId, (scope) =>
        storiesModule.exportPerson!(scope, jordanId, recordWriter('en')),
      )) as { stories: { title: string; consent: { wording: string }[]; versions: unknown[] }[] };
      const mine = section.stories.find((one) => one.title === 'The bench by the bridge');
      assert.ok(mine);
      assert.equal(mine.versions.length, 2);
      assert.equal(mine.consent.length, 3, 'team, public, withdrawn');
    });

    it('counts stories written, shared and their authors as worked out by hand', async () => {
      const at = (text: string) => new Date(text);
      await inside(database, glanHafren, null, async (scope) => {
        const as = (id: string): Scope => ({ ...scope, actorPersonId: id });
        const text = { words: 'Words.', language: 'en' as const, shownName: null, picture: null };
        const january = await createStory(as(alexId), alexId, {
          ...text,
          title: 'January',
          createdAt: at('2024-01-15T12:00:00Z'),
        });
        const february = await createStory(as(bethanId), bethanId, {
          ...text,
          title: 'February',
          createdAt: at('2024-02-10T12:00:00Z'),
        });
        const withdrawn = await createStory(as(alexId), alexId, {
          ...text,
          title: 'Withdrawn',
          createdAt: at('2024-02-20T12:00:00Z'),
        });
        // 23:30 on 31 March in UTC is half past midnight on 1 April in the UK (summer time began that day).
        await createStory(as(alexId), alexId, {
          ...text,
          title: 'April in the UK',
          createdAt: at('2024-03-31T23:30:00Z'),
        });
        await createStory(as(kofiId), kofiId, {
          ...text,
          title: 'December',
          createdAt: at('2023-12-31T23:59:00Z'),
        });
        const share = async (id: string, who: string, to: 'public' | 'organisation') => {
          const story = (await findStory(scope, id))!;
          await giveConsent(as(who), story, {
            scope: to,
            shownVersion: 'own',
            wording: 'Shared.',
            language: 'en',
          });
        };
        await share(january, alexId, 'public');
        await share(february, bethanId, 'organisation');
        await share(withdrawn, alexId, 'public');
        await withdrawConsent(as(alexId), (await findStory(scope, withdrawn))!, {
          wording: 'Withdrawn.',
          language: 'en',
        });
      });
      const period = periodOf('2024-01', '2024-03')!;
      const figures = await inside(database, glanHafren, null, (scope) => storyStatistics(scope, period));
      const byKey = new Map(figures.map((figure) => [figure.key, figure]));
      assert.equal(byKey.get('stories-written')?.value, 3);
      assert.deepEqual(byKey.get('stories-written')?.byMonth, [1, 2, 0]);
      assert.equal(byKey.get('stories-shared')?.value, 2);
      assert.deepEqual(byKey.get('stories-shared')?.byMonth, [1, 1, 0]);
      assert.equal(byKey.get('story-authors')?.value, 2);
      assert.equal(byKey.get('story-authors')?.countsPeople, true);
      assert.ok(figures.every((figure) => figure.section === 'stories'));
      const april = await inside(database, glanHafren, null, (scope) =>
        storyStatistics(scope, periodOf('2024-04', '2024-04')!),
      );
      assert.equal(april.find((f) => f.key === 'stories-written')?.value, 1);

      const quoted = await inside(database, glanHafren, null, (scope) => storiesForReport(scope, 10));
      assert.deepEqual(quoted.map((story) => story.title).sort(), ['February', 'January']);
      const outside = await inside(database, glanHafren, null, (scope) =>
        storiesForReport(scope, 10, { publicOnly: true }),
      );
      assert.deepEqual(
        outside.map((story) => story.title),
        ['January'],
      );
    });
  });
}
