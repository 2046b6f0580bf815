import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Database } from '../src/core/database/connect.ts';
import { rowsOf, withOrganisation, withSystem } from '../src/core/database/tenancy.ts';
import { type JobRunner, latestSlot } from '../src/core/jobs.ts';
import { dispatchMail, smtpTransport } from '../src/core/mail.ts';
import { dailyDigest, setChoices } from '../src/core/notifications.ts';
import { addEntry } from '../src/modules/coaching/entries.ts';
import { buildTestApp, testJobRunner, Visitor } from './helpers/app.ts';
import { databaseKinds } from './helpers/databases.ts';
import { startTestSmtp } from './helpers/smtp.ts';

const riverside = '00000000-0000-4000-8000-000000000001';
const cwmTeg = '00000000-0000-4000-8000-000000000002';
const amaraId = '00000000-0000-4000-8100-000000000003';
const jordanId = '00000000-0000-4000-8100-000000000006';
const dafyddId = '00000000-0000-4000-8200-000000000002';
const elinId = '00000000-0000-4000-8200-000000000003';

/** Names the demo knows for these people: none may reach an email. */
const names = /Jordan|Amara|Elin|Dafydd|Okafor|Jones|Hughes/;

/**
 * Email that really goes out: the app is configured with SMTP_URL pointing at an SMTP server started
 * here, the job runner turns notifications into outbox messages, and the dispatcher sends them over
 * TCP with nodemailer. What arrives is read back as a mail client would read it.
 */
for (const kind of databaseKinds()) {
  describe(`notification email through a real SMTP server on ${kind.name}`, () => {
    let database: Database;
    let built: Awaited<ReturnType<typeof buildTestApp>>;
    let smtp: Awaited<ReturnType<typeof startTestSmtp>>;
    let runner: JobRunner;
    let clock = new Date();

    const write = (organisationId: string, coachId: string, personId: string, words: string) =>
      withOrganisation(database, { organisationId, actorPersonId: coachId }, (scope) =>
        addEntry(scope, {
          personId,
          kind: 'conversation',
          talkedAbout: words,
          nextSteps: '',
          happenedOn: null,
          place: '',
        }),
      );
    const send = () => dispatchMail(database, built.services.config, smtpTransport(built.services.config)!);

    before(async () => {
      smtp = await startTestSmtp();
      database = await kind.open();
      built = await buildTestApp(database, {
        env: { SMTP_URL: smtp.url, MAIL_FROM: 'Alongside <no-reply@alongside.test>' },
      });
      runner = testJobRunner(database, built.services, () => clock);
      // The demo load's own work (its digests, its invitations) goes first, so each test sees only its
      // own mail.
      clock = new Date(Date.now() + 1_000);
      await runner.runReady();
      while ((await send()) > 0) {}
      smtp.arrived.length = 0;
    });
    after(async () => {
      await database.close();
      await smtp.close();
    });

    it('sends an email at once, with no name and no record text, and keeps no copy of what was sent', async () => {
      const jordan = new Visitor(built.app, '203.0.113.70');
      await jordan.signIn('person@riverside.example');
      await jordan.get('/notifications/choices');
      const fields = [...new Set([...jordan.lastBody.matchAll(/name="(kind-[^"]+)"/g)].map((m) => m[1]!))];
      const saved = await jordan.post(
        '/notifications/choices',
        Object.fromEntries(
          fields.map((field) => [field, field === 'kind-coaching--written-about-me' ? 'email' : 'page']),
        ),
      );
      assert.equal(saved.status, 303);

      await write(riverside, amaraId, jordanId, 'Jordan talked about the hospital appointment on Friday.');
      clock = new Date(Date.now() + 1_000);
      await runner.runReady();
      assert.equal(await send(), 1);

      const mail = smtp.to('person@riverside.example');
      assert.equal(mail.length, 1);
      assert.equal(mail[0]!.subject, 'Something new in Alongside');
      assert.match(mail[0]!.text, /Sign in to see it: http:\/\/localhost:3000\/notifications/);
      assert.match(mail[0]!.raw, /^From: Alongside <no-reply@alongside\.test>/m);
      assert.doesNotMatch(mail[0]!.raw, names);
      assert.doesNotMatch(mail[0]!.raw, /hospital|Friday|conversation/i);

      // Once delivered, the outbox keeps that it was sent, not what it said.
      const [kept] = await withSystem(database, (tx) =>
        rowsOf<{ body_text: string; sent_at: Date | null }>(
          tx.execute(sql`select body_text, sent_at from outbox_message
            where to_address = 'person@riverside.example' order by created_at desc limit 1`),
        ),
      );
      assert.equal(kept!.body_text, '');
      assert.ok(kept!.sent_at);
      // Sent once: a second round finds nothing waiting.
      assert.equal(await send(), 0);
      assert.equal(smtp.to('person@riverside.example').length, 1);
    });

    it('sends one daily digest in the person’s language, saying only how many', async () => {
      await withOrganisation(database, { organisationId: cwmTeg, actorPersonId: elinId }, (scope) =>
        setChoices(scope, elinId, new Map([['coaching.written-about-me', 'digest']])),
      );
      await write(cwmTeg, dafyddId, elinId, 'Siaradodd Elin am y gwaith yn yr ysgol.');
      await write(cwmTeg, dafyddId, elinId, 'Elin found the swimming pool times.');
      // Nothing goes before the digest's time.
      await runner.runReady();
      await send();
      assert.equal(smtp.to('person@cwmteg.example').length, 0);

      clock = new Date(
        latestSlot(dailyDigest.schedule!.dailyAt, new Date(Date.now() + 86_400_000)).at.getTime() + 60_000,
      );
      await runner.runReady();
      await send();
      const mail = smtp.to('person@cwmteg.example');
      assert.equal(mail.length, 1, 'one digest, however many notifications');
      assert.equal(mail[0]!.subject, "Beth sy'n newydd i chi yn Alongside");
      assert.match(mail[0]!.text, /Mae 2 peth newydd i chi yn Alongside/);
      assert.doesNotMatch(mail[0]!.raw, names);
      assert.doesNotMatch(mail[0]!.raw, /ysgol|swimming|pool/i);

      // The same day's digest again (another server, a restart) sends nothing more.
      await runner.runReady();
      await send();
      assert.equal(smtp.to('person@cwmteg.example').length, 1);
    });
  });
}
