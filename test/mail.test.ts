import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import type { Database } from '../src/core/database/connect.ts';
import { rowsOf, withOrganisation, withSystem } from '../src/core/database/tenancy.ts';
import { dispatchMail, queueMail } from '../src/core/mail.ts';
import { buildTestApp } from './helpers/app.ts';
import { databaseKinds } from './helpers/databases.ts';

const riverside = '00000000-0000-4000-8000-000000000001';

for (const kind of databaseKinds()) {
  describe(`email on ${kind.name}`, () => {
    let database: Database;
    before(async () => {
      database = await kind.open();
    });
    after(() => database.close());

    it('with SMTP set, queues in the outbox and the dispatcher sends each message once', async () => {
      const { services } = await buildTestApp(database, { env: { SMTP_URL: 'smtp://mail.invalid:25' } });
      await withOrganisation(database, { organisationId: riverside }, (scope) =>
        queueMail(scope, services.config, {
          to: 'someone@example.org',
          subject: 'Hello',
          text: 'A line of text',
        }),
      );
      const sent: string[] = [];
      const transport = nodemailer.createTransport({ jsonTransport: true });
      const original = transport.sendMail.bind(transport);
      transport.sendMail = ((message: nodemailer.SendMailOptions) => {
        sent.push(String(message.to));
        return original(message);
      }) as typeof transport.sendMail;
      // The demo data's two invitations (one per organisation) are waiting too.
      assert.equal(await dispatchMail(database, services.config, transport), 3);
      assert.equal(await dispatchMail(database, services.config, transport), 0, 'nothing is sent twice');
      assert.deepEqual(sent.sort(), ['nia@example.org', 'owain@example.org', 'someone@example.org']);
      const [row] = await rowsOf<{ delivery: string; sent: boolean; body_text: string }>(
        withSystem(database, (tx) =>
          tx.execute(
            sql`select delivery, sent_at is not null as sent, body_text from outbox_message where subject = 'Hello'`,
          ),
        ),
      );
      assert.deepEqual(
        row,
        { delivery: 'smtp', sent: true, body_text: '' },
        'a delivered message keeps no text',
      );
    });

    it('keeps a message and the reason when sending fails, to try again later', async () => {
      const { services } = await buildTestApp(database, {
        seed: false,
        env: { SMTP_URL: 'smtp://mail.invalid:25' },
      });
      await withOrganisation(database, { organisationId: riverside }, (scope) =>
        queueMail(scope, services.config, { to: 'later@example.org', subject: 'Later', text: 'Try again' }),
      );
      const failing = nodemailer.createTransport({ jsonTransport: true });
      failing.sendMail = (() =>
        Promise.reject(new Error('connection refused'))) as unknown as typeof failing.sendMail;
      assert.equal(await dispatchMail(database, services.config, failing), 0);
      const [row] = await rowsOf<{ failure: string; sent: boolean }>(
        withSystem(database, (tx) =>
          tx.execute(
            sql`select failure, sent_at is not null as sent from outbox_message where subject = 'Later'`,
          ),
        ),
      );
      assert.deepEqual(row, { failure: 'connection refused', sent: false });
    });
  });
}
