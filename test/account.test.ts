import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Database } from '../src/core/database/connect.ts';
import { rowsOf, withSystem } from '../src/core/database/tenancy.ts';
import { limits } from '../src/core/throttle.ts';
import { describeDevice } from '../src/core/web/device.ts';
import { buildTestApp, Visitor } from './helpers/app.ts';
import { databaseKinds } from './helpers/databases.ts';

const firefoxOnWindows = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
const chromeOnAndroid =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';

describe('naming a browser for the list of places signed in', () => {
  it('says browser and system in a few words, and keeps nothing else of the user agent', () => {
    assert.equal(describeDevice(firefoxOnWindows), 'Firefox · Windows');
    assert.equal(describeDevice(chromeOnAndroid), 'Chrome · Android');
    assert.equal(
      describeDevice(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
      ),
      'Safari · iPhone',
    );
    assert.equal(describeDevice(undefined), null);
    assert.equal(describeDevice('curl/8.5.0'), null);
  });
});

/** A visitor whose browser says what it is, as a real one does. */
class Browser extends Visitor {
  constructor(
    app: ConstructorParameters<typeof Visitor>[0],
    address: string,
    private readonly userAgent: string,
  ) {
    super(app, address);
    const request = app.request.bind(app);
    (this as unknown as { app: typeof app }).app = {
      request: (path: string, init: RequestInit = {}) =>
        request(path, { ...init, headers: { ...(init.headers as object), 'user-agent': this.userAgent } }),
    };
  }
}

for (const kind of databaseKinds()) {
  describe(`your account on ${kind.name}`, () => {
    let database: Database;
    let app: Awaited<ReturnType<typeof buildTestApp>>['app'];
    before(async () => {
      database = await kind.open();
      ({ app } = await buildTestApp(database));
    });
    after(() => database.close());

    it('lists where you are signed in, names this one, and can sign out one other place', async () => {
      const laptop = new Browser(app, '198.51.100.1', firefoxOnWindows);
      await laptop.signIn('partner@riverside.example');
      const phone = new Browser(app, '198.51.100.2', chromeOnAndroid);
      await phone.signIn('partner@riverside.example');
      await laptop.get('/account');
      assert.match(laptop.lastBody, /Where you are signed in/);
      assert.match(laptop.lastBody, /Firefox · Windows[\s\S]*This one/);
      assert.match(laptop.lastBody, /Chrome · Android/);
      const rows = laptop.lastBody.split('<tr').filter((row) => row.includes('name="session"'));
      const phoneRow = rows.find((row) => row.includes('Chrome · Android'))!;
      const phoneKey = /name="session" value="([0-9a-f]+)"/.exec(phoneRow)![1]!;
      const ended = await laptop.post('/account/sessions/end', { session: phoneKey });
      assert.equal(ended.headers.get('location'), '/account?done=session');
      assert.equal((await phone.get('/account')).status, 303, 'the phone is signed out');
      assert.equal((await laptop.get('/account')).status, 200, 'the laptop is not');
      // Another account's session is not this account's to end.
      const other = new Visitor(app, '198.51.100.3');
      await other.signIn('person@riverside.example');
      await other.get('/account');
      const otherKey = /name="session" value="([0-9a-f]+)"/.exec(other.lastBody)![1]!;
      await laptop.get('/account');
      assert.equal((await laptop.post('/account/sessions/end', { session: otherKey })).status, 404);
      assert.equal((await other.get('/account')).status, 200);
    });

    it('changes the password only with the current one, keeps this session and ends the others', async () => {
      const here = new Visitor(app, '198.51.100.10');
      await here.signIn('peer@riverside.example');
      const elsewhere = new Visitor(app, '198.51.100.11');
      await elsewhere.signIn('peer@riverside.example');
      await here.get('/account');
      const wrong = await here.post('/account/password', {
        current: 'not-my-password',
        password: 'a-new-peer-password',
        confirm: 'a-new-peer-password',
      });
      assert.equal(wrong.status, 400);
      assert.match(here.lastBody, /id="current-error"[\s\S]*That is not your current password/);
      const differ = await here.post('/account/password', {
        current: 'walk-alongside',
        password: 'a-new-peer-password',
        confirm: 'something else entirely',
      });
      assert.equal(differ.status, 400);
      assert.match(here.lastBody, /id="confirm-error"/);
      const changed = await here.post('/account/password', {
        current: 'walk-alongside',
        password: 'a-new-peer-password',
        confirm: 'a-new-peer-password',
      });
      assert.equal(changed.headers.get('location'), '/account?done=password');
      await here.get('/account?done=password');
      assert.match(here.lastBody, /Your password has been changed/);
      assert.equal((await elsewhere.get('/account')).status, 303, 'signed out everywhere else');
      const fresh = new Visitor(app, '198.51.100.12');
      assert.equal((await fresh.signIn('peer@riverside.example', 'walk-alongside')).status, 400);
      assert.equal((await fresh.signIn('peer@riverside.example', 'a-new-peer-password')).status, 303);
      const [audited] = await rowsOf<{ n: number }>(
        withSystem(database, (tx) =>
          tx.execute(sql`select count(*)::int as n from audit_event where action = 'change-password'`),
        ),
      );
      assert.equal(audited!.n, 1);
    });

    it("one stranger's guessing at a shared office does not lock out the people who sign in there", async () => {
      const office = '192.0.2.50';
      // Jordan signs in from the office most days.
      const jordan = new Visitor(app, office);
      assert.equal((await jordan.signIn('person@riverside.example')).status, 303);
      // Someone on the office wifi guesses at many accounts.
      const stranger = new Visitor(app, office);
      await stranger.get('/sign-in');
      for (let attempt = 0; attempt < limits.address; attempt++)
        await stranger.post('/sign-in', { email: `guess-${attempt}@example.org`, password: 'password1' });
      // The guesser is slowed down, and so is an account never seen at this address...
      const tried = await stranger.post('/sign-in', { email: 'guess-x@example.org', password: 'password1' });
      assert.equal(tried.status, 429);
      const newcomer = new Visitor(app, office);
      assert.equal((await newcomer.signIn('admin@riverside.example')).status, 429);
      // ...but Jordan, who signed in from here before, still gets in.
      const jordanAgain = new Visitor(app, office);
      assert.equal((await jordanAgain.signIn('person@riverside.example')).status, 303);
      // And Jordan's own limit still holds: five wrong guesses at Jordan from here slow Jordan here.
      const guesser = new Visitor(app, office);
      await guesser.get('/sign-in');
      for (let attempt = 0; attempt < limits.accountAtAddress; attempt++)
        await guesser.post('/sign-in', { email: 'person@riverside.example', password: `wrong-${attempt}` });
      assert.equal((await new Visitor(app, office).signIn('person@riverside.example')).status, 429);
      // The address itself is never kept, only its keyed hash.
      const [stored] = await rowsOf<{ n: number }>(
        withSystem(database, (tx) =>
          tx.execute(
            sql`select count(*)::int as n from sign_in_address where address_hash like ${`%${office}%`}`,
          ),
        ),
      );
      assert.equal(stored!.n, 0);
    });
  });
}
