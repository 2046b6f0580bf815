import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Database } from '../src/core/database/connect.ts';
import { rowsOf, withSystem } from '../src/core/database/tenancy.ts';
import { buildTestApp, Visitor } from './helpers/app.ts';
import { databaseKinds } from './helpers/databases.ts';

const cwmTegElin = '00000000-0000-4000-8200-000000000003';
const riversideSam = '00000000-0000-4000-8100-000000000007';
const riversideJordan = '00000000-0000-4000-8100-000000000006';

/** The newest link of a kind in the organisation's outbox, as an admin reads it in the app. */
async function linkFromOutbox(admin: Visitor, kind: 'invitation' | 'password-reset'): Promise<string> {
  await admin.get('/admin/outbox');
  const link = new RegExp(`http://localhost:3000(/${kind}/[A-Za-z0-9_-]+)`).exec(admin.lastBody);
  assert.ok(link, `no ${kind} link in the outbox`);
  return link[1]!;
}

for (const kind of databaseKinds()) {
  describe(`organisation admin on ${kind.name}`, () => {
    let database: Database;
    let app: Awaited<ReturnType<typeof buildTestApp>>['app'];
    let admin: Visitor;
    before(async () => {
      database = await kind.open();
      ({ app } = await buildTestApp(database));
      admin = new Visitor(app);
      await admin.signIn('admin@riverside.example');
    });
    after(() => database.close());

    it('is only for admins', async () => {
      const coach = new Visitor(app);
      await coach.signIn('coach@riverside.example');
      assert.doesNotMatch(coach.lastBody, /Organisation admin/, 'not in the navigation');
      assert.equal((await coach.get('/admin/people')).status, 403);
      assert.equal((await coach.get('/admin/audit')).status, 403);
      assert.match((await admin.get('/admin')).status.toString(), /200/);
    });

    it('adds someone with nothing but what they would like to be called', async () => {
      await admin.get('/admin/people/new');
      const response = await admin.post('/admin/people', {
        calledName: 'Bex',
        fullName: '',
        email: '',
        roles: ['person'],
      });
      assert.equal(response.status, 303);
      const page = await admin.get(response.headers.get('location')!);
      assert.equal(page.status, 200);
      assert.match(admin.lastBody, /Bex has been added/);
      assert.match(admin.lastBody, /Gets support/);
    });

    it('keeps everything typed when something is wrong, with the message beside the field', async () => {
      await admin.get('/admin/people/new');
      const response = await admin.post('/admin/people', {
        calledName: '',
        fullName: 'Rebecca Hughes',
        email: 'not-an-address',
        roles: ['peer', 'coach'],
      });
      assert.equal(response.status, 400);
      assert.match(admin.lastBody, /id="calledName-error"/);
      assert.match(admin.lastBody, /id="email-error"[\s\S]*Enter an email address/);
      assert.match(admin.lastBody, /value="Rebecca Hughes"/);
      assert.match(admin.lastBody, /value="not-an-address"/);
      assert.match(admin.lastBody, /value="peer" checked/);
      assert.match(admin.lastBody, /value="coach" checked/);
      const tooLong = await admin.post('/admin/people', { calledName: 'x'.repeat(101) });
      assert.equal(tooLong.status, 400);
      assert.match(admin.lastBody, /100 characters or fewer/);
    });

    it('invites someone, who sets a password from the link once and is then signed in', async () => {
      await admin.get('/admin/people/new');
      const added = await admin.post('/admin/people', {
        calledName: 'Kai',
        email: 'kai@example.org',
        roles: ['peer'],
      });
      assert.equal(added.status, 303);
      const link = await linkFromOutbox(admin, 'invitation');
      assert.match(admin.lastBody, /Waiting here: no mail server is set up/);

      const kai = new Visitor(app);
      await kai.get(link);
      assert.match(kai.lastBody, /Hello, Kai/);
      const mismatch = await kai.post(link, {
        password: 'a-good-long-password',
        confirm: 'another-one-entirely',
      });
      assert.equal(mismatch.status, 400);
      assert.match(kai.lastBody, /not the same/);
      const short = await kai.post(link, { password: 'short', confirm: 'short' });
      assert.equal(short.status, 400);
      const joined = await kai.post(link, {
        password: 'a-good-long-password',
        confirm: 'a-good-long-password',
      });
      assert.equal(joined.headers.get('location'), '/?welcome=1');
      await kai.get('/?welcome=1');
      assert.match(kai.lastBody, /Hello, Kai/);

      const again = new Visitor(app);
      assert.equal((await again.get(link)).status, 409, 'an invitation works once');
      assert.equal((await again.signIn('kai@example.org', 'a-good-long-password')).status, 303);
    });

    it('turns away an expired invitation', async () => {
      await admin.get(`/admin/people/${riversideSam}`);
      await admin.post(`/admin/people/${riversideSam}/invite`, { email: 'sam@example.org' });
      const link = await linkFromOutbox(admin, 'invitation');
      await withSystem(database, (tx) =>
        tx.execute(
          sql`update invitation set expires_at = now() - interval '1 minute' where email = 'sam@example.org'`,
        ),
      );
      const sam = new Visitor(app);
      assert.equal((await sam.get(link)).status, 409);
      assert.match(sam.lastBody, /run out/);
      assert.equal((await sam.get('/invitation/made-up-token')).status, 404);
    });

    it('will not make someone already here into a second person through an invitation', async () => {
      await admin.get('/admin/people/new');
      const added = await admin.post('/admin/people', {
        calledName: 'Amara again',
        email: 'coach@riverside.example',
      });
      const newPersonId = /\/admin\/people\/([0-9a-f-]+)/.exec(added.headers.get('location') ?? '')![1]!;
      const link = await linkFromOutbox(admin, 'invitation');
      const amara = new Visitor(app);
      await amara.get(link);
      assert.match(amara.lastBody, /already have an Alongside account/);
      const refused = await amara.post(link, { password: 'walk-alongside' });
      assert.equal(refused.status, 409);
      assert.match(amara.lastBody, /already have an account in this organisation/);
      const [row] = await rowsOf<{ account_id: string | null }>(
        withSystem(database, (tx) =>
          tx.execute(sql`select account_id from person where id = ${newPersonId}`),
        ),
      );
      assert.equal(row!.account_id, null, 'the new person stays without an account');
    });

    it('gives and takes away roles, but never the last admin', async () => {
      await admin.get(`/admin/people/${riversideJordan}`);
      const given = await admin.post(`/admin/people/${riversideJordan}/roles`, { role: 'peer' });
      await admin.get(given.headers.get('location')!);
      assert.match(admin.lastBody, /Role given/);
      assert.match(admin.lastBody, /Take away the role: Peer/);
      await admin.post(`/admin/people/${riversideJordan}/roles/remove`, { role: 'peer' });
      await admin.get(`/admin/people/${riversideJordan}`);
      assert.doesNotMatch(admin.lastBody, /Take away the role: Peer/);
      const notARole = await admin.post(`/admin/people/${riversideJordan}/roles`, { role: 'emperor' });
      assert.equal(notARole.status, 400);

      const me = '00000000-0000-4000-8100-000000000001';
      await admin.get(`/admin/people/${me}`);
      const last = await admin.post(`/admin/people/${me}/roles/remove`, { role: 'admin' });
      assert.equal(last.status, 400);
      assert.match(admin.lastBody, /last admin/);
    });

    it('treats another organisation’s people and made-up ids as not found, and changes nothing', async () => {
      assert.equal((await admin.get(`/admin/people/${cwmTegElin}`)).status, 404);
      assert.equal((await admin.get('/admin/people/not-a-uuid')).status, 404);
      await admin.get('/admin/people');
      assert.equal((await admin.post(`/admin/people/${cwmTegElin}`, { calledName: 'Renamed' })).status, 404);
      assert.equal((await admin.post(`/admin/people/${cwmTegElin}/roles`, { role: 'admin' })).status, 404);
      assert.equal(
        (await admin.post(`/admin/people/${cwmTegElin}/invite`, { email: 'x@example.org' })).status,
        404,
      );
      const [elin] = await rowsOf<{ called_name: string; roles: number }>(
        withSystem(database, (tx) =>
          tx.execute(sql`select called_name, (select count(*)::int from membership where person_id = ${cwmTegElin}) as roles
            from person where id = ${cwmTegElin}`),
        ),
      );
      assert.deepEqual(elin, { called_name: 'Elin', roles: 1 });
      await admin.get('/admin/people?q=Elin');
      assert.match(admin.lastBody, /Nobody matches/);
    });

    it('keeps an audit trail an admin can search, and a person can see who looked at their record', async () => {
      await admin.get(`/admin/people/${riversideJordan}`);
      await admin.get(`/admin/audit?person=${riversideJordan}&action=read`);
      assert.match(admin.lastBody, /Looked at – record/);
      assert.match(admin.lastBody, /Priya/);
      for (const odd of [
        `person=${cwmTegElin}`,
        'actor=not-a-person',
        'from=2020-13-45',
        'from=0000-01-01',
        'to=9999-12-31',
        'from=2021-02-31',
      ]) {
        const response = await admin.get(`/admin/audit?${odd}`);
        assert.equal(response.status, 400, odd);
        assert.match(
          admin.lastBody,
          /Enter a real date|The date must be the same as or after|We cannot find that person here/,
        );
        assert.match(
          admin.lastBody,
          /Nothing matches/,
          'an unreadable filter shows nothing rather than everything',
        );
      }

      const jordan = new Visitor(app);
      await jordan.signIn('person@riverside.example');
      await jordan.get('/account/record-history');
      assert.match(jordan.lastBody, /Who has looked at or changed my record/);
      assert.match(jordan.lastBody, /<td class="govuk-table__cell"><bdi>Priya<\/bdi><\/td>/);
      assert.doesNotMatch(jordan.lastBody, />Signed in</, 'their own signing in is not listed');
      assert.match(jordan.lastBody, /Looked at – record/);
    });

    it('lets a person see that their name was shown in a list of people', async () => {
      await admin.get('/admin/people?q=Sam');
      const sam = await rowsOf<{ n: number }>(
        withSystem(database, (tx) =>
          tx.execute(sql`select count(*)::int as n from audit_event where subject_type = 'person-list'
            and (detail -> 'people') @> to_jsonb(${riversideSam}::text)`),
        ),
      );
      assert.ok(sam[0]!.n >= 1);
      await admin.get(`/admin/audit?person=${riversideSam}`);
      assert.match(admin.lastBody, /Looked at – list of people/);
    });

    it('writes the audit event in the same transaction as the change', async () => {
      const [before] = await rowsOf<{ n: number }>(
        withSystem(database, (tx) =>
          tx.execute(
            sql`select count(*)::int as n from audit_event where action = 'update' and subject_person_id = ${riversideJordan}`,
          ),
        ),
      );
      await admin.get(`/admin/people/${riversideJordan}`);
      await admin.post(`/admin/people/${riversideJordan}`, { calledName: 'Jordan', fullName: 'Jordan R.' });
      const [afterChange] = await rowsOf<{ n: number; detail: { fields: string[] } }>(
        withSystem(database, (tx) =>
          tx.execute(sql`select count(*)::int as n, (array_agg(detail order by occurred_at desc))[1] as detail
            from audit_event where action = 'update' and subject_person_id = ${riversideJordan}`),
        ),
      );
      assert.equal(afterChange!.n, before!.n + 1);
      assert.deepEqual(afterChange!.detail, { fields: ['fullName'] }, 'names the field, never its contents');
    });

    it('without a mail server, someone who forgot their password asks the admin, who starts one that works once', async () => {
      const jordanPhone = new Visitor(app);
      await jordanPhone.signIn('person@riverside.example');
      const visitor = new Visitor(app);
      // Someone has been guessing from this address: the new password must still let the owner in.
      await visitor.get('/sign-in');
      for (let attempt = 0; attempt < 5; attempt++) {
        await visitor.post('/sign-in', { email: 'person@riverside.example', password: `wrong-${attempt}` });
      }
      await visitor.get('/password-reset');
      await visitor.post('/password-reset', { email: 'person@riverside.example' });
      assert.match(visitor.lastBody, /Ask your organisation(&#39;|')s admin/);
      await visitor.get('/password-reset');
      await visitor.post('/password-reset', { email: 'nobody@example.org' });
      assert.match(visitor.lastBody, /Ask your organisation(&#39;|')s admin/, 'the same answer for anyone');
      // The admin is told in the outbox, with no link in it.
      await admin.get('/admin/outbox');
      assert.match(admin.lastBody, /Jordan asked for a new password/);
      assert.doesNotMatch(admin.lastBody, /\/password-reset\/[A-Za-z0-9_-]{16,}/);

      await admin.get(`/admin/people/${riversideJordan}`);
      const started = await admin.post(`/admin/people/${riversideJordan}/password-reset`, {});
      assert.equal(started.status, 200);
      const link = /http:\/\/localhost:3000(\/password-reset\/[A-Za-z0-9_-]+)/.exec(admin.lastBody)?.[1];
      assert.ok(link, 'the admin is shown the link once, to pass on');
      assert.equal((await jordanPhone.get('/account')).status, 303, 'signed out at once');
      await visitor.get(link);
      const done = await visitor.post(link, {
        password: 'a-brand-new-password',
        confirm: 'a-brand-new-password',
      });
      assert.equal(done.headers.get('location'), '/sign-in?reset=1');
      assert.equal((await visitor.get(link)).status, 404, 'the link works once');
      const jordan = new Visitor(app, visitor.address);
      const signedIn = await jordan.signIn('person@riverside.example', 'a-brand-new-password');
      assert.equal(signedIn.status, 303);
      assert.match(signedIn.headers.get('location')!, /^\/account\/notices/, 'told first of all');
    });

    it('makes only the newest invitation work', async () => {
      await admin.get(`/admin/people/${riversideSam}`);
      await admin.post(`/admin/people/${riversideSam}/invite`, { email: 'sam.first@example.org' });
      const first = await linkFromOutbox(admin, 'invitation');
      await admin.get(`/admin/people/${riversideSam}`);
      await admin.post(`/admin/people/${riversideSam}/invite`, { email: 'sam.second@example.org' });
      const second = await linkFromOutbox(admin, 'invitation');
      assert.notEqual(first, second);
      const sam = new Visitor(app);
      assert.equal((await sam.get(first)).status, 409, 'the older link has stopped working');
      assert.equal((await sam.get(second)).status, 200);
    });

    it('slows down password guessing through an invitation to an existing account', async () => {
      await admin.get('/admin/people/new');
      await admin.post('/admin/people', { calledName: 'Helen again', email: 'partner@riverside.example' });
      const link = await linkFromOutbox(admin, 'invitation');
      const guesser = new Visitor(app, '198.51.100.77');
      await guesser.get(link);
      for (let attempt = 0; attempt < 5; attempt++)
        await guesser.post(link, { password: `guess-${attempt}-wrong` });
      await guesser.post(link, { password: 'walk-alongside' });
      assert.match(guesser.lastBody, /too many attempts/);
    });

    it('writes at most three messages an hour about one address asking for a new password', async () => {
      const visitor = new Visitor(app);
      for (let attempt = 0; attempt < 5; attempt++) {
        await visitor.get('/password-reset');
        await visitor.post('/password-reset', { email: 'partner@riverside.example' });
      }
      const [row] = await rowsOf<{ n: number; links: number }>(
        withSystem(database, (tx) =>
          tx.execute(
            sql`select count(*)::int as n, count(*) filter (where body_text like '%/password-reset/%')::int as links
              from outbox_message where to_address = 'partner@riverside.example' and link_kind is distinct from 'invitation'`,
          ),
        ),
      );
      assert.equal(row!.n, 3);
      assert.equal(row!.links, 0, 'without a mail server no reset link is ever written down');
    });

    it('keeps reset links for an account in two organisations out of every outbox when there is no mail server', async () => {
      const visitor = new Visitor(app);
      await visitor.get('/password-reset');
      await visitor.post('/password-reset', { email: 'lead@riverside.example' });
      assert.match(visitor.lastBody, /Ask your organisation(&#39;|')s admin/);
      const [row] = await rowsOf<{ n: number }>(
        withSystem(database, (tx) =>
          tx.execute(
            sql`select count(*)::int as n from outbox_message where to_address = 'lead@riverside.example'`,
          ),
        ),
      );
      assert.equal(row!.n, 0, 'no admin of either organisation can read a link into the other');
    });

    it('refuses characters nobody types instead of failing', async () => {
      assert.equal((await admin.get('/admin/people?q=%00')).status, 400);
      assert.equal((await admin.get('/admin/audit?action=%00')).status, 400);
      await admin.get('/admin/people/new');
      const added = await admin.post('/admin/people', {
        calledName: 'Ffion\u0000',
        fullName: 'Ffion ŵ ŷ 🌱 שלום',
      });
      assert.equal(added.status, 303);
      await admin.get(added.headers.get('location')!);
      assert.match(admin.lastBody, /<bdi>Ffion<\/bdi>/);
      assert.match(admin.lastBody, /Ffion ŵ ŷ 🌱 שלום/);
    });

    it('saves organisation settings and shows the new name in the header', async () => {
      await admin.get('/admin/organisation');
      const blank = await admin.post('/admin/organisation', {
        name: '',
        nameCy: 'Enw',
        defaultLanguage: 'en',
      });
      assert.equal(blank.status, 400);
      assert.match(admin.lastBody, /value="Enw"/);
      await admin.post('/admin/organisation', {
        name: 'Riverside Coaching',
        nameCy: '',
        defaultLanguage: 'cy',
      });
      await admin.get('/admin/organisation');
      assert.match(admin.lastBody, /alongside-header__organisation">Riverside Coaching</);
      assert.match(admin.lastBody, /value="cy" selected/);
    });
  });
}
