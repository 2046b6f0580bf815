import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { clickAndWait, type Harness, heading, mainNavigation, signIn, startHarness } from './harness.ts';

/**
 * Person-led coaching on a phone-sized screen with JavaScript off, every page scanned with axe-core:
 * a coach starts supporting someone with only a name; that person joins from an invitation, writes
 * About Me in Welsh, adds a goal and rates a scale; a conversation is recorded in three actions, seen
 * and disagreed with; an entry is hidden with a reason and shows in the trail; the person downloads
 * everything held about them.
 */
const width = 360;
const main = (page: Page) => page.getByRole('main');

describe('person-led coaching in a browser without JavaScript', () => {
  let harness: Harness;
  let amara: Page;
  let bea: Page;
  let inviteLink = '';

  before(async () => {
    harness = await startHarness();
    amara = await (await harness.newContext({ width, height: 740 })).newPage();
    bea = await (await harness.newContext({ width, height: 740 })).newPage();
  });
  after(async () => {
    await harness?.close();
  });

  async function check(page: Page, name: string) {
    await harness.expectAccessible(page, `coaching: ${name}`);
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= width, `"${name}" scrolls sideways at ${width}px: it is ${scrollWidth}px wide`);
  }

  test('(1) a coach starts supporting someone with only a name', async () => {
    await signIn(harness, amara, 'coach@riverside.example');
    await clickAndWait(amara, main(amara).getByRole('link', { name: 'My people' }));
    await check(amara, 'my people');
    await clickAndWait(amara, main(amara).getByRole('link', { name: 'Start supporting someone' }));
    await check(amara, 'start supporting someone');
    const empty = await clickAndWait(amara, main(amara).getByRole('button', { name: 'Start' }));
    assert.equal(empty.status(), 400);
    await check(amara, 'start supporting someone, with errors');
    await main(amara).getByLabel('What would they like to be called?').fill('Bea');
    await main(amara)
      .getByLabel(/Their email address/)
      .fill('bea@example.org');
    await clickAndWait(amara, main(amara).getByRole('button', { name: 'Start' }));
    assert.equal(await heading(amara), 'Bea');
    assert.match(
      (await amara.getByRole('status').textContent()) ?? '',
      /invitation to sign in is on its way/,
    );
    await check(amara, 'a person’s record, for the coach');

    // Without a mail server the coach who sent the invitation is shown its link, to pass on by hand.
    const found = /https?:\/\/\S+\/invitation\/[A-Za-z0-9_-]+/.exec(
      (await main(amara).locator('.govuk-inset-text code').textContent()) ?? '',
    );
    assert.ok(found, 'the coach who invited Bea is shown the link');
    inviteLink = found[0];
    // The admin reads the invitation in the outbox, but not a link someone else may pass on.
    const priya = await (await harness.newContext({ width, height: 740 })).newPage();
    await signIn(harness, priya, 'admin@riverside.example');
    await harness.visit(priya, '/admin/outbox');
    const message = priya.locator('.alongside-card-list > li', { hasText: 'bea@example.org' });
    await message.getByText('Read the email').click();
    const text = (await message.locator('pre').textContent()) ?? '';
    assert.doesNotMatch(text, /\/invitation\/[A-Za-z0-9_-]{16,}/);
    assert.match(text, /one-time link hidden/);
    await priya.context().close();
  });

  test('(2) the person joins from the invitation, writes About Me in Welsh, adds a goal and rates a scale', async () => {
    await bea.goto(inviteLink);
    await bea.getByLabel('New password', { exact: true }).fill('a long walk by the river');
    await bea.getByLabel('Type the new password again').fill('a long walk by the river');
    await clickAndWait(bea, main(bea).getByRole('button', { name: 'Join' }));
    await clickAndWait(bea, bea.getByRole('banner').getByRole('link', { name: 'Cymraeg' }));
    await clickAndWait(bea, (await mainNavigation(bea)).getByRole('link', { name: 'Fy lle i' }));
    assert.equal(await heading(bea), 'Fy lle i');
    await check(bea, 'my space, in Welsh');

    await clickAndWait(
      bea,
      main(bea).getByRole('navigation').getByRole('link', { name: 'Amdanaf i', exact: true }),
    );
    await check(bea, 'About me, empty, in Welsh');
    await clickAndWait(bea, main(bea).getByRole('link', { name: 'Dechrau ysgrifennu' }));
    await check(bea, 'About me, writing, in Welsh');
    await main(bea).getByLabel('Beth hoffwn i gael fy ngalw').fill('Bea, os gwelwch yn dda');
    await main(bea)
      .getByLabel('Sut mae diwrnod da yn edrych')
      .fill('Nofio yn y môr a phaned wedyn. Dŵr oer, calon gynnes.');
    await clickAndWait(bea, main(bea).getByRole('button', { name: 'Cadw' }));
    assert.match((await main(bea).textContent()) ?? '', /Dŵr oer, calon gynnes\./);
    await check(bea, 'About me, in Welsh');

    await clickAndWait(bea, main(bea).getByRole('navigation').getByRole('link', { name: 'Fy nodau' }));
    await main(bea).getByLabel('Beth hoffech chi iddo ddigwydd?').fill('Nofio bob wythnos');
    await main(bea).getByLabel('Cam 1').fill('Ffeindio amseroedd y pwll');
    await check(bea, 'goals, in Welsh');
    await clickAndWait(bea, main(bea).getByRole('button', { name: 'Cadw’r nod hwn' }));
    assert.equal(await heading(bea), 'Nofio bob wythnos');
    await check(bea, 'a goal, in Welsh');

    await clickAndWait(bea, main(bea).getByRole('navigation').getByRole('link', { name: 'Ble ydw i nawr' }));
    await main(bea).getByLabel('Beth ydych chi eisiau cadw llygad arno?').fill('Pa mor dawel ydw i');
    await main(bea).getByLabel('Ble ydych chi nawr? (dewisol)').selectOption('5');
    await clickAndWait(bea, main(bea).getByRole('button', { name: 'Ychwanegu’r raddfa hon' }));
    await main(bea).getByLabel('Pa mor dawel ydw i').selectOption('7');
    await clickAndWait(bea, main(bea).getByRole('button', { name: 'Cadw', exact: true }));
    assert.equal(await main(bea).locator('svg.alongside-chart').count(), 1, 'the journey chart is drawn');
    const cells = await main(bea).locator('table td').allTextContents();
    assert.ok(cells.includes('7'), `the table beside the chart holds the rating: ${cells.join(',')}`);
    await check(bea, 'where I am now, in Welsh');
  });

  test('(3) the coach records a conversation in three actions; the person sees it and disagrees', async () => {
    await harness.visit(amara, '/');
    // One: the shortcut on the coach's home page.
    await clickAndWait(amara, main(amara).getByRole('link', { name: 'Record a conversation' }));
    await check(amara, 'record a conversation');
    // Two: who, and what we talked about.
    await main(amara).getByLabel('Who with').selectOption({ label: 'Bea' });
    await main(amara).getByLabel('What did you talk about?').fill('Talked about swimming in the sea again.');
    // Three: save.
    await clickAndWait(amara, main(amara).getByRole('button', { name: 'Save conversation' }));
    assert.match((await amara.getByRole('status').textContent()) ?? '', /They can see it too/);
    await check(amara, 'everything written, for the coach');

    await clickAndWait(
      bea,
      main(bea).getByRole('navigation').getByRole('link', { name: 'Popeth amdanaf i' }),
    );
    assert.match((await main(bea).textContent()) ?? '', /Talked about swimming in the sea again\./);
    await check(bea, 'everything about me, in Welsh');
    const entry = main(bea).locator('article', { hasText: 'swimming in the sea' });
    await clickAndWait(bea, entry.getByRole('link', { name: /Gwneud sylw neu anghytuno/ }));
    await check(bea, 'an entry, to comment or disagree, in Welsh');
    await main(bea).getByLabel('Dweud fy mod yn anghytuno, a pham').check();
    await main(bea).getByLabel('Eich geiriau').fill('Y llyn oedd e, nid y môr.');
    await clickAndWait(bea, main(bea).getByRole('button', { name: 'Cadw' }));
    assert.match((await main(bea).textContent()) ?? '', /Anghytuno[\s\S]*Y llyn oedd e, nid y môr\./);
    await check(bea, 'everything about me, after disagreeing');

    await amara.reload();
    assert.match((await main(amara).textContent()) ?? '', /Disagreement[\s\S]*Y llyn oedd e, nid y môr\./);
  });

  test('(4) hiding an entry needs a reason, and the hiding is in the trail', async () => {
    const entry = main(amara).locator('article', { hasText: 'swimming in the sea' });
    await clickAndWait(amara, entry.getByRole('link', { name: /Comment, disagree or hide/ }));
    await check(amara, 'an entry, for the coach');
    const refused = await clickAndWait(amara, main(amara).getByRole('button', { name: 'Hide it' }));
    assert.equal(refused.status(), 400);
    await check(amara, 'hiding an entry, with errors');
    await main(amara).getByLabel('It is about someone else').check();
    await main(amara).getByLabel('In your words, why').fill('It mentions her friend’s health.');
    await clickAndWait(amara, main(amara).getByRole('button', { name: 'Hide it' }));
    assert.match((await main(amara).textContent()) ?? '', /Hidden from Bea:/);
    await check(amara, 'a hidden entry, for the coach');

    await bea.reload();
    assert.doesNotMatch((await main(bea).textContent()) ?? '', /swimming in the sea/);
    assert.match((await main(bea).textContent()) ?? '', /oherwydd ei fod yn ymwneud â rhywun arall/);

    const priya = await (await harness.newContext({ width, height: 740 })).newPage();
    await signIn(harness, priya, 'admin@riverside.example');
    await harness.visit(priya, '/admin/audit');
    assert.match((await main(priya).textContent()) ?? '', /Hid from the person – entry in the record/);
    await priya.context().close();
  });

  test('(7) the person downloads their record, and the JSON holds every entry about them', async () => {
    await clickAndWait(
      bea,
      main(bea).getByRole('link', { name: 'Lawrlwytho popeth sy’n cael ei gadw amdanaf i' }),
    );
    await check(bea, 'download my record, in Welsh');
    const json = await bea.context().request.get(`${harness.baseUrl}/account/my-record.json`);
    assert.equal(json.status(), 200);
    const record = await json.json();
    const entries = record.coaching.everythingAboutMe as { talkedAbout?: string; withheld?: boolean }[];
    assert.equal(entries.length, 1, 'the one entry about Bea, held back from her');
    assert.equal(entries[0]!.withheld, true);
    assert.ok(record.coaching.aboutMe.headings.some((v: { words: string }) => v.words.includes('Dŵr oer')));
    assert.equal(record.coaching.goals[0].words, 'Nofio bob wythnos');
    const pdf = await bea.context().request.get(`${harness.baseUrl}/account/my-record.pdf`);
    assert.equal(pdf.headers()['content-type'], 'application/pdf');
    assert.equal((await pdf.body()).subarray(0, 5).toString('latin1'), '%PDF-');
  });
});
