import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { type JobRunner, latestSlot } from '../../src/core/jobs.ts';
import { dispatchMail, smtpTransport } from '../../src/core/mail.ts';
import { dailyDigest } from '../../src/core/notifications.ts';
import { testJobRunner } from '../helpers/app.ts';
import { startTestSmtp } from '../helpers/smtp.ts';
import {
  clickAndWait,
  type Harness,
  heading,
  horizontalScrollProblem,
  signIn,
  startHarness,
} from './harness.ts';

const width = 360;
const main = (page: Page) => page.getByRole('main');
const banner = (page: Page) => page.getByRole('banner');

/**
 * Notifications in a browser with JavaScript off, on a phone-sized screen: Jordan is told when his
 * coach writes, opens it, and chooses (in Welsh) a daily email instead; the digest then arrives in a
 * real SMTP server with nobody's name and none of what was written. An admin then looks at the
 * background work that sent it. Every page is scanned with axe.
 */
describe('notifications in a browser without JavaScript', { concurrency: false }, () => {
  let harness: Harness;
  let smtp: Awaited<ReturnType<typeof startTestSmtp>>;
  let amara: Page;
  let jordan: Page;
  let runner: JobRunner;
  let clock = new Date();

  before(async () => {
    smtp = await startTestSmtp();
    harness = await startHarness({ env: { SMTP_URL: smtp.url } });
    runner = testJobRunner(harness.database, harness.services, () => clock);
    amara = await (await harness.newContext({ width, height: 740 })).newPage();
    jordan = await (await harness.newContext({ width, height: 740 })).newPage();
    await signIn(harness, amara, 'coach@riverside.example');
    await signIn(harness, jordan, 'person@riverside.example');
  });
  after(async () => {
    await harness?.close();
    await smtp?.close();
  });

  const check = async (page: Page, name: string) => {
    await harness.expectAccessible(page, name);
    assert.equal(await horizontalScrollProblem(page, width, name), '');
  };

  /** What background work there is, done now: as the server's own runner would, then the mail sent. */
  const runBackgroundWork = async (at: Date) => {
    clock = at;
    await runner.runReady();
    const transport = smtpTransport(harness.services.config)!;
    while ((await dispatchMail(harness.database, harness.services.config, transport)) > 0) {}
  };

  const amaraWrites = async (words: string) => {
    await harness.visit(amara, '/');
    await clickAndWait(amara, main(amara).getByRole('link', { name: 'Record a conversation' }));
    const jordanOption = await main(amara)
      .locator('option', { hasText: 'Jordan' })
      .first()
      .getAttribute('value');
    await main(amara).getByLabel('Who with').selectOption(jordanOption!);
    await main(amara).getByLabel('What did you talk about?').fill(words);
    await clickAndWait(amara, main(amara).getByRole('button', { name: 'Save conversation' }));
  };

  test('the person is told when their coach writes, and opening it marks it read', async () => {
    // The demo's own news goes first, so the count below is this test's alone.
    await runBackgroundWork(new Date(Date.now() + 1_000));
    await harness.visit(jordan, '/notifications');
    if (await main(jordan).getByRole('button', { name: 'Mark all as read' }).isVisible())
      await clickAndWait(jordan, main(jordan).getByRole('button', { name: 'Mark all as read' }));
    assert.equal(await banner(jordan).locator('.alongside-header__count').count(), 0);

    await amaraWrites('Jordan talked about the hospital appointment on Friday.');
    await harness.visit(jordan, '/');
    const link = banner(jordan).getByRole('link', { name: /Notifications/ });
    assert.equal(
      ((await link.textContent()) ?? '').replace(/\s+/g, ' ').trim(),
      'Notifications 1 (1 unread)',
    );
    await check(jordan, 'my space, with one notification');
    await clickAndWait(jordan, link);
    assert.equal(await heading(jordan), 'Notifications');
    await check(jordan, 'notifications');
    // Only that something was written: not what, nor by whom.
    const list = (await main(jordan).textContent()) ?? '';
    assert.match(list, /Something new was written about you/);
    assert.doesNotMatch(list, /hospital|Amara/);

    await clickAndWait(
      jordan,
      main(jordan)
        .getByRole('link', { name: /Something new was written about you/ })
        .first(),
    );
    assert.match(new URL(jordan.url()).pathname, /^\/me\/everything\/[0-9a-f-]{36}$/);
    assert.match((await main(jordan).textContent()) ?? '', /hospital appointment on Friday/);
    assert.equal(await banner(jordan).locator('.alongside-header__count').count(), 0);
  });

  test('the person chooses a daily email, in Welsh; it arrives once, with no name and nothing written', async () => {
    await harness.visit(jordan, '/notifications');
    await clickAndWait(jordan, banner(jordan).getByRole('link', { name: 'Cymraeg' }));
    assert.equal(await heading(jordan), 'Hysbysiadau');
    await clickAndWait(
      jordan,
      main(jordan).getByRole('link', { name: "Dewiswch sut rydych chi'n clywed am bethau newydd" }),
    );
    assert.equal(await heading(jordan), "Sut rydych chi'n clywed am bethau newydd");
    await check(jordan, 'how you hear about new things, in Welsh');
    const kind = main(jordan).getByRole('group', { name: "Rhywbeth newydd wedi'i ysgrifennu amdanaf" });
    await kind.getByLabel('Un e-bost y dydd, gyda phopeth newydd').check();
    await clickAndWait(jordan, main(jordan).getByRole('button', { name: 'Cadw fy newisiadau' }));
    assert.match((await jordan.getByRole('status').textContent()) ?? '', /Mae eich dewisiadau wedi'u cadw/);
    await check(jordan, 'notifications, choices saved, in Welsh');

    // Only mail from here on counts (the demo's own digest went out in the first test).
    smtp.arrived.length = 0;
    await amaraWrites('Jordan is worried about the rent.');
    await amaraWrites('Jordan found a walking group by the river.');
    // Nothing by email before the digest's time: the news waits on the page.
    await runBackgroundWork(new Date(Date.now() + 1_000));
    assert.equal(smtp.to('person@riverside.example').length, 0);
    await harness.visit(jordan, '/');
    assert.equal(await banner(jordan).locator('.alongside-header__count').textContent(), '2');

    // The next morning's digest.
    await runBackgroundWork(
      new Date(
        latestSlot(dailyDigest.schedule!.dailyAt, new Date(Date.now() + 86_400_000)).at.getTime() + 60_000,
      ),
    );
    const mail = smtp.to('person@riverside.example');
    assert.equal(mail.length, 1, 'one email for both');
    assert.equal(mail[0]!.subject, "Beth sy'n newydd i chi yn Alongside");
    assert.match(mail[0]!.text, /Mae 2 peth newydd i chi yn Alongside/);
    assert.match(mail[0]!.text, new RegExp(`${harness.baseUrl}/notifications`));
    assert.doesNotMatch(mail[0]!.raw, /Jordan|Amara|Okafor/);
    assert.doesNotMatch(`${mail[0]!.subject}\n${mail[0]!.text}`, /rent|walking|river/i);
    // The same morning again (a restart, a second server) sends nothing more.
    await runBackgroundWork(clock);
    assert.equal(smtp.to('person@riverside.example').length, 1);
  });

  test('an admin sees the background work that sent it, in English and Welsh', async () => {
    const admin = await (await harness.newContext({ width, height: 740 })).newPage();
    await signIn(harness, admin, 'admin@riverside.example');
    await harness.visit(admin, '/admin');
    await clickAndWait(admin, main(admin).getByRole('link', { name: /Background work/ }));
    assert.equal(await heading(admin), 'Background work');
    await check(admin, 'background work');
    await main(admin).getByLabel('Show').selectOption('done');
    await clickAndWait(admin, main(admin).getByRole('button', { name: 'Show these' }));
    assert.match(new URL(admin.url()).search, /state=done/);
    await clickAndWait(admin, main(admin).getByRole('link', { name: 'Daily email of what is new' }).first());
    assert.equal(await heading(admin), 'Daily email of what is new');
    assert.match((await main(admin).textContent()) ?? '', /Done/);
    await check(admin, 'a background job');
    await clickAndWait(admin, banner(admin).getByRole('link', { name: 'Cymraeg' }));
    assert.equal(await heading(admin), "E-bost dyddiol o'r hyn sy'n newydd");
    await check(admin, 'a background job, in Welsh');
    await admin.context().close();
  });
});
