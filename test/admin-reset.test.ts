import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Database } from '../src/core/database/connect.ts';
import { rowsOf, withSystem } from '../src/core/database/tenancy.ts';
import { outboxText } from '../src/core/mail.ts';
import { buildTestApp, Visitor } from './helpers/app.ts';
import { databaseKinds } from './helpers/databases.ts';

const riversideCoach = '00000000-0000-4000-8100-000000000003';
const riversideLead = '00000000-0000-4000-8100-000000000002';
const cwmTegPerson = '00000000-0000-4000-8200-000000000003';
const oneTimeLink = /\/(password-reset|invitation)\/[A-Za-z0-9_-]{16,}/;

async function count(database: Database, query: ReturnType<typeof sql>): Promise<number> {
  const [row] = await rowsOf<{ n: number }>(withSystem(database, (tx) => tx.execute(query)));
  return row!.n;
}

describe('the outbox shows a live link only to the admin who sent that invitation', () => {
  const message = (linkKind: string | null, causedByPersonId: string | null) => ({
    bodyText:
      'Open this link:\nhttp://localhost:3000/invitation/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg\n\nThanks',
    linkKind,
    causedByPersonId,
  });
  it('keeps an invitation whole for the admin who sent it, and hides it from everyone else', () => {
    assert.match(outboxText(message('invitation', 'me'), 'me', '[hidden]'), oneTimeLink);
    assert.equal(
      outboxText(message('invitation', 'another admin'), 'me', '[hidden]'),
      'Open this link:\n[hidden]\n\nThanks',
    );
  });
  it('never shows a password-reset link, or a link in a message of no known kind', () => {
    assert.doesNotMatch(outboxText(message('password-reset', 'me'), 'me', '[hidden]'), oneTimeLink);
    assert.doesNotMatch(outboxText(message(null, 'me'), 'me', '[hidden]'), oneTimeLink);
  });
});

for (const kind of databaseKinds()) {
  describe(`no admin path gives a working credential for someone else unseen, on ${kind.name}`, () => {
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

    it('an admin who resets a coach and signs in as them is seen: sessions end, the coach and the lead are told', async () => {
      const coachPhone = new Visitor(app, '198.51.100.20');
      await coachPhone.signIn('coach@riverside.example');
      assert.equal((await coachPhone.get('/account')).status, 200);

      await admin.get(`/admin/people/${riversideCoach}`);
      assert.match(admin.lastBody, /Start a new password/);
      await admin.post(`/admin/people/${riversideCoach}/password-reset`, {});
      const link = /http:\/\/localhost:3000(\/password-reset\/[A-Za-z0-9_-]+)/.exec(admin.lastBody)?.[1];
      assert.ok(link, 'without a mail server the admin is shown the link, once');
      // It is kept nowhere an admin can read it again.
      await admin.get('/admin/outbox');
      assert.doesNotMatch(admin.lastBody, /\/password-reset\/[A-Za-z0-9_-]{16,}/);
      await admin.get(`/admin/people/${riversideCoach}`);
      assert.doesNotMatch(admin.lastBody, /\/password-reset\/[A-Za-z0-9_-]{16,}/);
      assert.equal((await coachPhone.get('/account')).status, 303, "the coach's phone is signed out at once");
      assert.equal(
        await count(
          database,
          sql`select count(*)::int as n from audit_event where action = 'start-password-reset'
            and subject_person_id = ${riversideCoach} and actor_person_id is not null`,
        ),
        1,
        'the admin is named in the audit trail',
      );

      // The admin uses the link themselves and signs in as the coach...
      const impostor = new Visitor(app, '203.0.113.99');
      await impostor.get(link);
      await impostor.post(link, { password: 'admin-knows-this', confirm: 'admin-knows-this' });
      await impostor.get('/sign-in');
      const asCoach = await impostor.post('/sign-in', {
        email: 'coach@riverside.example',
        password: 'admin-knows-this',
      });
      // ...and the first thing shown is what happened, naming the admin.
      assert.match(asCoach.headers.get('location')!, /^\/account\/notices/);
      await impostor.get(asCoach.headers.get('location')!);
      assert.match(impostor.lastBody, /Priya, an admin here, started a new password for your account/);
      // It stays on the account page even once "read", so the coach sees it whoever read it first.
      await impostor.post('/account/notices', { next: '/' });
      await impostor.get('/account');
      assert.match(impostor.lastBody, /Things you were told about your account/);
      assert.match(impostor.lastBody, /started a new password for your account/);

      // The lead is told at their next sign-in too.
      const lead = new Visitor(app, '198.51.100.30');
      await lead.get('/sign-in');
      const leadIn = await lead.post('/sign-in', {
        email: 'lead@riverside.example',
        password: 'walk-alongside',
      });
      // The lead works in two organisations, so chooses one first.
      assert.equal(leadIn.headers.get('location'), '/choose-organisation');
      await lead.get('/choose-organisation');
      const chosen = await lead.post('/choose-organisation', {
        organisation: '00000000-0000-4000-8000-000000000001',
      });
      assert.match(chosen.headers.get('location')!, /^\/account\/notices/);
      await lead.get(chosen.headers.get('location')!);
      assert.match(lead.lastBody, /Priya, an admin here, started a new password for Amara/);
      await lead.post('/account/notices', { next: '/' });
      const again = new Visitor(app, '198.51.100.30');
      await again.get('/sign-in');
      await again.post('/sign-in', { email: 'lead@riverside.example', password: 'walk-alongside' });
      await again.get('/choose-organisation');
      const second = await again.post('/choose-organisation', {
        organisation: '00000000-0000-4000-8000-000000000001',
      });
      assert.equal(second.headers.get('location'), '/', 'told once at sign-in');
    });

    it('refuses an account that is also used in another organisation, and writes nothing', async () => {
      const before = await count(database, sql`select count(*)::int as n from password_reset`);
      await admin.get(`/admin/people/${riversideLead}`);
      const refused = await admin.post(`/admin/people/${riversideLead}/password-reset`, {});
      assert.equal(refused.status, 400);
      assert.match(admin.lastBody, /also used in another organisation/);
      assert.doesNotMatch(admin.lastBody, oneTimeLink);
      assert.equal(await count(database, sql`select count(*)::int as n from password_reset`), before);
    });

    it("gives 404 for another organisation's person, and nothing is written", async () => {
      const before = await count(database, sql`select count(*)::int as n from password_reset`);
      await admin.get('/admin/people');
      const response = await admin.post(`/admin/people/${cwmTegPerson}/password-reset`, {});
      assert.equal(response.status, 404);
      assert.equal(await count(database, sql`select count(*)::int as n from password_reset`), before);
      assert.equal(
        await count(
          database,
          sql`select count(*)::int as n from security_notice where person_id = ${cwmTegPerson} and seen_at is null`,
        ),
        0,
      );
    });

    it("hides another admin's invitation links from this admin", async () => {
      // A second admin (the coach, made one for this test) invites someone.
      await admin.get(`/admin/people/${riversideCoach}`);
      await admin.post(`/admin/people/${riversideCoach}/roles`, { role: 'admin' });
      const second = new Visitor(app, '198.51.100.40');
      await second.signIn('coach@riverside.example', 'admin-knows-this');
      await second.get('/account/notices?next=/');
      await second.post('/account/notices', { next: '/' });
      await second.get('/admin/people/new');
      const added = await second.post('/admin/people', { calledName: 'Seren', email: 'seren@example.org' });
      assert.equal(added.status, 303);
      await second.get('/admin/outbox');
      assert.match(second.lastBody, /\/invitation\/[A-Za-z0-9_-]{16,}/, 'the sender can pass it on');
      await admin.get('/admin/outbox');
      const from = admin.lastBody.indexOf('seren@example.org');
      const seren = admin.lastBody.slice(from, admin.lastBody.indexOf('</li>', from));
      assert.doesNotMatch(seren, /\/invitation\/[A-Za-z0-9_-]{16,}/);
      assert.match(seren, /one-time link hidden/);
      await admin.post(`/admin/people/${riversideCoach}/roles/remove`, { role: 'admin' });
    });
  });

  describe(`an admin-started reset with a mail server, on ${kind.name}`, () => {
    let database: Database;
    let app: Awaited<ReturnType<typeof buildTestApp>>['app'];
    before(async () => {
      database = await kind.open();
      ({ app } = await buildTestApp(database, { env: { SMTP_URL: 'smtp://127.0.0.1:1' } }));
    });
    after(() => database.close());

    it('sends the link only to the account holder and never shows it to the admin', async () => {
      const admin = new Visitor(app);
      await admin.signIn('admin@riverside.example');
      await admin.get(`/admin/people/${riversideCoach}`);
      const started = await admin.post(`/admin/people/${riversideCoach}/password-reset`, {});
      assert.equal(started.status, 200);
      assert.match(admin.lastBody, /has been emailed to Amara/);
      assert.doesNotMatch(admin.lastBody, oneTimeLink);
      await admin.get('/admin/outbox');
      assert.doesNotMatch(admin.lastBody, oneTimeLink);
      const [queued] = await rowsOf<{ delivery: string; body: string }>(
        withSystem(database, (tx) =>
          tx.execute(sql`select delivery, body_text as body from outbox_message
            where to_address = 'coach@riverside.example' and link_kind = 'password-reset'`),
        ),
      );
      assert.equal(queued!.delivery, 'smtp');
      assert.match(queued!.body, /An admin at Riverside Community Coaching started a new password/);
      assert.match(queued!.body, oneTimeLink);
    });
  });
}
