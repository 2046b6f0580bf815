import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Database } from '../src/core/database/connect.ts';
import { rowsOf, withSystem } from '../src/core/database/tenancy.ts';
import { assetPath } from '../src/core/web/assets.ts';
import { buildTestApp, Visitor } from './helpers/app.ts';
import { databaseKinds } from './helpers/databases.ts';

for (const kind of databaseKinds()) {
  describe(`sign-in and sessions on ${kind.name}`, () => {
    let database: Database;
    let app: Awaited<ReturnType<typeof buildTestApp>>['app'];
    before(async () => {
      database = await kind.open();
      ({ app } = await buildTestApp(database));
    });
    after(() => database.close());

    it('answers health, ping and info without a session', async () => {
      assert.equal(await (await app.request('/ping')).text(), 'pong');
      assert.deepEqual(await (await app.request('/health')).json(), { status: 'ok', database: 'ok' });
      const info = (await (await app.request('/info')).json()) as Record<string, string>;
      assert.equal(info.database, kind.name);
      assert.match(info.version ?? '', /^\d+\.\d+\.\d+/);
    });

    it('signs in, shows the person by the name they chose, and signs out', async () => {
      const visitor = new Visitor(app);
      const response = await visitor.signIn('admin@riverside.example');
      assert.equal(response.status, 303);
      assert.match(visitor.lastBody, /Hello, Priya/);
      assert.match(visitor.lastBody, /Riverside Community Coaching/);
      const out = await visitor.post('/sign-out', {});
      assert.equal(out.headers.get('location'), '/sign-in?signed-out=1');
      const after = await visitor.get('/account');
      assert.equal(after.status, 303);
      assert.match(after.headers.get('location') ?? '', /^\/sign-in\?next=/);
    });

    it('gives a new session id on sign-in, so a planted one is worthless', async () => {
      const visitor = new Visitor(app);
      const first = await visitor.get('/sign-in');
      const before = first.headers.getSetCookie().join();
      const signedIn = await visitor.post('/sign-in', {
        email: 'coach@riverside.example',
        password: 'walk-alongside',
      });
      const afterCookie = signedIn.headers.getSetCookie().join();
      assert.ok(before.includes('alongside_session=') && afterCookie.includes('alongside_session='));
      assert.notEqual(before.split(';')[0], afterCookie.split(';')[0]);
    });

    it('keeps what was typed and says what is wrong when the password does not match', async () => {
      const visitor = new Visitor(app);
      await visitor.get('/sign-in');
      const response = await visitor.post('/sign-in', {
        email: 'admin@riverside.example',
        password: 'not-the-password',
      });
      assert.equal(response.status, 400);
      assert.match(visitor.lastBody, /<title>Error: Sign in/);
      assert.match(visitor.lastBody, /do not match an account/);
      assert.match(visitor.lastBody, /value="admin@riverside.example"/);
      assert.doesNotMatch(visitor.lastBody, /not-the-password/, 'a password is never sent back');
    });

    it('asks for both fields when they are empty', async () => {
      const visitor = new Visitor(app);
      await visitor.get('/sign-in');
      await visitor.post('/sign-in', { email: '', password: '' });
      assert.match(visitor.lastBody, /href="#email">Enter the email address you sign in with/);
      assert.match(visitor.lastBody, /href="#password">Enter your password/);
    });

    it('slows down repeated failures for an account, even with the right password, then lets it in after a reset window', async () => {
      const visitor = new Visitor(app, '198.51.100.1');
      await visitor.get('/sign-in');
      for (let attempt = 0; attempt < 5; attempt++) {
        await visitor.post('/sign-in', { email: 'person@riverside.example', password: `guess-${attempt}` });
      }
      const blocked = await visitor.post('/sign-in', {
        email: 'person@riverside.example',
        password: 'walk-alongside',
      });
      assert.equal(blocked.status, 429);
      assert.match(visitor.lastBody, /too many attempts/);
      // The person themselves, elsewhere, can still sign in: a stranger cannot lock them out.
      const owner = new Visitor(app, '198.51.100.2');
      assert.equal((await owner.signIn('person@riverside.example')).status, 303);
      // Once the failures are older than the window, the account opens again.
      await withSystem(database, (tx) =>
        tx.execute(sql`update sign_in_failure set failed_at = now() - interval '16 minutes'`),
      );
      assert.equal(
        (await visitor.post('/sign-in', { email: 'person@riverside.example', password: 'walk-alongside' }))
          .status,
        303,
      );
    });

    it('slows down one address trying many accounts', async () => {
      const visitor = new Visitor(app, '198.51.100.9');
      await visitor.get('/sign-in');
      for (let attempt = 0; attempt < 20; attempt++) {
        await visitor.post('/sign-in', {
          email: `nobody-${attempt}@example.org`,
          password: 'whatever-it-is',
        });
      }
      const blocked = await visitor.post('/sign-in', {
        email: 'coach@riverside.example',
        password: 'walk-alongside',
      });
      assert.equal(blocked.status, 429);
    });

    it('refuses a form without its token, or sent from another site, and changes nothing', async () => {
      const visitor = new Visitor(app);
      await visitor.signIn('admin@riverside.example');
      const noToken = await visitor.post(
        '/admin/organisation',
        { name: 'Taken over', defaultLanguage: 'en' },
        { csrf: null },
      );
      assert.equal(noToken.status, 403);
      assert.match(visitor.lastBody, /This form had run out/);
      const wrongToken = await visitor.post(
        '/admin/organisation',
        { name: 'Taken over', defaultLanguage: 'en' },
        { csrf: 'guess' },
      );
      assert.equal(wrongToken.status, 403);
      const elsewhere = await visitor.post(
        '/admin/organisation',
        { name: 'Taken over', defaultLanguage: 'en' },
        { origin: 'https://evil.example' },
      );
      assert.equal(elsewhere.status, 403);
      assert.match(visitor.lastBody, /sent from another website/);
      await visitor.get('/admin/organisation');
      assert.doesNotMatch(visitor.lastBody, /Taken over/);
    });

    it('asks someone in two organisations which one they are working in, then takes them where they were going', async () => {
      const going = new Visitor(app);
      await going.get('/account');
      await going.get('/sign-in?next=%2Faccount%2Frecord-history');
      const asked = await going.post('/sign-in', {
        email: 'lead@riverside.example',
        password: 'walk-alongside',
        next: '/account/record-history',
      });
      assert.equal(asked.headers.get('location'), '/choose-organisation?next=%2Faccount%2Frecord-history');
      assert.equal(
        (await going.get('/account')).headers.get('location'),
        '/choose-organisation?next=%2Faccount',
      );
      await going.get('/choose-organisation?next=%2Faccount%2Frecord-history');
      const arrived = await going.post('/choose-organisation', {
        organisation: '00000000-0000-4000-8000-000000000001',
        next: '/account/record-history',
      });
      assert.equal(arrived.headers.get('location'), '/account/record-history');

      const visitor = new Visitor(app);
      const response = await visitor.signIn('lead@riverside.example');
      assert.equal(response.headers.get('location'), '/choose-organisation');
      await visitor.get('/choose-organisation');
      assert.match(visitor.lastBody, /Cwm Teg Family Link/);
      assert.match(visitor.lastBody, /Riverside Community Coaching/);
      const nothing = await visitor.post('/choose-organisation', {});
      assert.equal(nothing.status, 400);
      await visitor.post('/choose-organisation', { organisation: '00000000-0000-4000-8000-000000000002' });
      await visitor.get('/account');
      assert.match(visitor.lastBody, /Cwm Teg Family Link/);
      // An organisation the account is not part of cannot be chosen.
      await visitor.get('/choose-organisation');
      const sneaky = await visitor.post('/choose-organisation', {
        organisation: '00000000-0000-4000-8000-00000000dead',
      });
      assert.equal(sneaky.status, 400);
    });

    it('signs out everywhere: every device of the account loses its session', async () => {
      const phone = new Visitor(app);
      const laptop = new Visitor(app);
      await phone.signIn('partner@riverside.example');
      await laptop.signIn('partner@riverside.example');
      await laptop.get('/account');
      await laptop.post('/account/sign-out-everywhere', {});
      assert.equal((await phone.get('/account')).status, 303);
      assert.equal((await laptop.get('/account')).status, 303);
    });

    it('rolls a session forward while it is used and ends it once idle too long', async () => {
      const visitor = new Visitor(app);
      await visitor.signIn('coach@riverside.example');
      const [before] = await rowsOf<{ expires_at: Date }>(
        withSystem(database, (tx) =>
          tx.execute(sql`update session set last_seen_at = now() - interval '5 minutes' where account_id is not null
            and person_id = '00000000-0000-4000-8100-000000000003' returning expires_at`),
        ),
      );
      await visitor.get('/account');
      const [rolled] = await rowsOf<{ expires_at: Date }>(
        withSystem(database, (tx) =>
          tx.execute(
            sql`select max(expires_at) as expires_at from session where person_id = '00000000-0000-4000-8100-000000000003'`,
          ),
        ),
      );
      assert.ok(new Date(rolled!.expires_at) > new Date(before!.expires_at), 'expiry moved forward');
      await withSystem(database, (tx) =>
        tx.execute(
          sql`update session set expires_at = now() - interval '1 minute' where person_id = '00000000-0000-4000-8100-000000000003'`,
        ),
      );
      assert.equal((await visitor.get('/account')).status, 303, 'an expired session signs the person out');
    });

    it('speaks Welsh when asked and remembers it', async () => {
      const visitor = new Visitor(app);
      await visitor.get('/sign-in');
      const switched = await visitor.get('/language/cy?back=%2Fsign-in');
      assert.equal(switched.headers.get('location'), '/sign-in');
      await visitor.get('/sign-in');
      assert.match(visitor.lastBody, /<html lang="cy"/);
      assert.match(visitor.lastBody, /Mewngofnodi/);
      assert.match(visitor.lastBody, /lang="en"[^>]*>English</);
      for (const back of [
        '%2F%2Fevil.example',
        '/%09/evil.example',
        '/%5Cevil.example',
        '%2F%0A%2Fx',
        'https://evil.example',
      ]) {
        const offsite = await visitor.get(`/language/en?back=${back}`);
        assert.equal(offsite.headers.get('location'), '/', `never sends people to another site (${back})`);
      }
      await visitor.get('/sign-in?next=/%09/evil.example');
      const signedIn = await visitor.post('/sign-in', {
        email: 'coach@riverside.example',
        password: 'walk-alongside',
        next: '/\t/evil.example',
      });
      assert.equal(signedIn.headers.get('location'), '/');
    });

    it('shows kind pages for unknown addresses and bad input, never a stack trace', async () => {
      const visitor = new Visitor(app);
      const missing = await visitor.get('/no-such-page');
      assert.equal(missing.status, 404);
      assert.match(visitor.lastBody, /Page not found/);
      await visitor.get('/sign-in');
      const huge = await visitor.post('/sign-in', { email: 'x'.repeat(2 * 1024 * 1024), password: 'y' });
      assert.equal(huge.status, 413);
      const long = await visitor.post('/sign-in', { email: `${'x'.repeat(400)}@example.org`, password: 'y' });
      assert.equal(long.status, 400);
      assert.match(visitor.lastBody, /too long/);
      const json = await app.request('/sign-in', {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'http://localhost:3000' },
        body: '{}',
      });
      assert.equal(json.status, 400);
      for (const body of [visitor.lastBody, await json.text()]) assert.doesNotMatch(body, /at .*\.ts:\d+/);
    });

    it('keeps no session for a page that was not shown', async () => {
      const count = async () =>
        (
          await rowsOf<{ n: number }>(
            withSystem(database, (tx) => tx.execute(sql`select count(*)::int as n from session`)),
          )
        )[0]!.n;
      const before = await count();
      const missing = await app.request('/no-such-page');
      assert.equal(missing.status, 404);
      assert.equal(missing.headers.getSetCookie().length, 0);
      assert.equal(await count(), before);
      const shown = await app.request('/sign-in');
      assert.equal(
        shown.headers.getSetCookie().some((c) => c.startsWith('alongside_session=')),
        true,
      );
      assert.equal(await count(), before + 1);
    });

    it('speaks the organisation’s language to someone who has not chosen one', async () => {
      const rhian = new Visitor(app);
      await rhian.signIn('admin@cwmteg.example');
      assert.match(rhian.lastBody, /<html lang="cy"/);
      assert.match(rhian.lastBody, /Cyswllt Teuluoedd Cwm Teg/);
    });

    it('sends the security headers on every page', async () => {
      const response = await app.request('/sign-in');
      const policy = response.headers.get('content-security-policy') ?? '';
      assert.match(policy, /default-src 'self'/);
      assert.match(policy, /script-src 'nonce-[^']+'/);
      assert.match(policy, /frame-ancestors 'none'/);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
      assert.ok(response.headers.get('x-request-id'));
      const body = await response.text();
      assert.doesNotMatch(body, /\son[a-z]+=/i, 'no inline event handlers');
      assert.doesNotMatch(body, /style="/, 'no inline styles');
    });

    it('serves our own stylesheet: no Transport font, no crown', async () => {
      const css = await (await app.request(assetPath('govuk.css'))).text();
      assert.ok(css.length > 30_000);
      assert.doesNotMatch(css, /GDS Transport/);
      assert.doesNotMatch(css, /crest|crown\.svg/);
      assert.match(css, /system-ui/);
    });
  });
}
