import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { clickAndWait, type Harness, heading, mainNavigation, signIn, startHarness } from './harness.ts';

/**
 * Peer support on a phone-sized screen with JavaScript off, every page scanned with axe-core: a
 * partner introduces a family; the coach team runs matching, reads the explanation and accepts; both
 * sides agree; sessions are logged and the peer's hours rise; a review and an ending; the peer
 * completes training and a coach confirms the next level; the peer downloads their CV.
 */
const width = 360;
const main = (page: Page) => page.getByRole('main');

describe('peer support in a browser without JavaScript', () => {
  let harness: Harness;
  let helen: Page;
  let amara: Page;
  let tomasz: Page;
  let linkUpPath = '';

  before(async () => {
    harness = await startHarness();
    helen = await (await harness.newContext({ width, height: 740 })).newPage();
    amara = await (await harness.newContext({ width, height: 740 })).newPage();
    tomasz = await (await harness.newContext({ width, height: 740 })).newPage();
    await signIn(harness, helen, 'partner@riverside.example');
    await signIn(harness, amara, 'coach@riverside.example');
    await signIn(harness, tomasz, 'peer@riverside.example');
  });
  after(async () => {
    await harness?.close();
  });

  async function check(page: Page, name: string) {
    await harness.expectAccessible(page, `peer support: ${name}`);
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= width, `"${name}" scrolls sideways at ${width}px: it is ${scrollWidth}px wide`);
  }

  const hoursOf = async (page: Page) => {
    const text = (await page.locator('[data-hours]').textContent()) ?? '';
    return Number(/(\d+) hours?/.exec(text)?.[1] ?? 0) * 60 + Number(/(\d+) minutes?/.exec(text)?.[1] ?? 0);
  };

  test('(1) a partner introduces a family, with their consent, in one short page', async () => {
    await clickAndWait(helen, (await mainNavigation(helen)).getByRole('link', { name: 'Introduce someone' }));
    assert.equal(await heading(helen), 'Introduce someone to peer support');
    await check(helen, 'introduce someone');
    await main(helen).getByLabel('What would they like to be called?').fill('Kasia');
    await main(helen).getByLabel('How should we get in touch?').fill('07700 900123, mornings');
    const refused = await clickAndWait(helen, main(helen).getByRole('button', { name: 'Introduce them' }));
    assert.equal(refused.status(), 400);
    assert.equal(await main(helen).getByLabel('What would they like to be called?').inputValue(), 'Kasia');
    await check(helen, 'introduce someone, without consent');
    await main(helen)
      .getByLabel('What would they like to change? (optional)')
      .fill('A new baby and no family nearby.');
    await main(helen).getByLabel('This is for the whole family').check();
    await main(helen).getByLabel('Language you would like').selectOption('pl');
    await main(helen).getByLabel('This language is a must for me').check();
    await main(helen).getByLabel('They agreed to this').check();
    await clickAndWait(helen, main(helen).getByRole('button', { name: 'Introduce them' }));
    assert.equal(await heading(helen), 'Thank you');
    await check(helen, 'introduction sent');
  });

  test('(2) the coach team sees the introduction, runs matching, reads the reasons and accepts', async () => {
    await clickAndWait(amara, (await mainNavigation(amara)).getByRole('link', { name: 'Link-ups' }));
    assert.match(
      (await main(amara).textContent()) ?? '',
      /new introductions? from (a )?partners? (is|are) waiting/,
    );
    await check(amara, 'coach team');
    await clickAndWait(amara, main(amara).getByRole('link', { name: 'Kasia' }));
    await check(amara, 'a request for support');
    await clickAndWait(amara, main(amara).getByRole('link', { name: 'See suggested link-ups' }));
    await check(amara, 'suggested link-ups');
    const card = main(amara).locator('li', { hasText: 'Kasia with Tomasz' });
    assert.match((await card.locator('[data-why]').textContent()) ?? '', /both speak Polish/);
    await clickAndWait(amara, card.getByRole('button', { name: 'Accept Kasia with Tomasz' }));
    assert.equal(await heading(amara), 'Tomasz with Kasia');
    linkUpPath = new URL(amara.url()).pathname;
    await check(amara, 'a link-up, for the coach team');
  });

  test('(3) both sides agree: the peer writes the agreement, the coach records the family’s with them', async () => {
    await clickAndWait(tomasz, (await mainNavigation(tomasz)).getByRole('link', { name: 'Peer support' }));
    await check(tomasz, 'peer support, for a peer');
    await clickAndWait(tomasz, main(tomasz).getByRole('link', { name: 'Kasia' }));
    await check(tomasz, 'a link-up, for the peer');
    const refused = await clickAndWait(
      tomasz,
      main(tomasz).getByRole('button', { name: 'I agree to this link-up' }),
    );
    assert.equal(refused.status(), 400);
    await check(tomasz, 'a link-up, agreeing with nothing chosen');
    await main(tomasz).getByLabel('someone to talk to').check();
    await main(tomasz).getByLabel('When and how will you meet?').fill('Friday mornings at the park café');
    await clickAndWait(tomasz, main(tomasz).getByRole('button', { name: 'I agree to this link-up' }));
    assert.match((await tomasz.getByRole('status').textContent()) ?? '', /Once the other side agrees/);

    await harness.visit(amara, linkUpPath);
    await clickAndWait(amara, main(amara).getByRole('button', { name: 'Record that Kasia agrees' }));
    assert.match((await amara.getByRole('status').textContent()) ?? '', /You are introduced/);
    await check(amara, 'a link-up, introduced');
  });

  test('(4) sessions are logged and the peer’s hours rise', async () => {
    await harness.visit(tomasz, '/peer');
    const before = await hoursOf(tomasz);
    await harness.visit(tomasz, linkUpPath);
    await main(tomasz).getByLabel('Hours').fill('-2');
    await main(tomasz).getByLabel('What you did').fill('A walk by the river with the pram.');
    const refused = await clickAndWait(tomasz, main(tomasz).getByRole('button', { name: 'Save session' }));
    assert.equal(refused.status(), 400);
    assert.equal(
      await main(tomasz).getByLabel('What you did').inputValue(),
      'A walk by the river with the pram.',
    );
    await check(tomasz, 'a session, with a mistake');
    await main(tomasz).getByLabel('Hours').fill('1');
    await main(tomasz).getByLabel('Minutes').fill('30');
    await main(tomasz).getByLabel('How it felt (optional)').fill('Lighter');
    await clickAndWait(tomasz, main(tomasz).getByRole('button', { name: 'Save session' }));
    assert.match((await tomasz.locator('[data-stage]').textContent()) ?? '', /Meeting/);
    // Riverside gives time credits in its time bank, of which Tomasz is a member.
    assert.match((await tomasz.getByRole('status').textContent()) ?? '', /credited as time credits/);
    assert.match((await main(tomasz).textContent()) ?? '', /1 hour 30 minutes earned in Riverside Time Bank/);
    await check(tomasz, 'a session, credited as time credits');
    await harness.visit(tomasz, '/peer');
    assert.equal((await hoursOf(tomasz)) - before, 90);
    assert.match((await tomasz.locator('[data-time-credits]').textContent()) ?? '', /in Riverside Time Bank/);
  });

  test('(5) a review and an ending with a celebration, seen on the board', async () => {
    await harness.visit(amara, linkUpPath);
    await main(amara).getByLabel('What happens next?').selectOption('reviewed');
    await main(amara).getByLabel('A few words').fill('Kasia says she feels less alone.');
    await clickAndWait(amara, main(amara).getByRole('button', { name: 'Save', exact: true }));
    assert.match((await amara.locator('[data-stage]').textContent()) ?? '', /Reviewed/);
    await check(amara, 'a link-up, reviewed');
    await main(amara).getByLabel('What happens next?').selectOption('ended');
    await main(amara).getByLabel('With a celebration').check();
    await main(amara).getByLabel('A few words').fill('Kasia goes to the baby group on her own now.');
    await clickAndWait(amara, main(amara).getByRole('button', { name: 'Save', exact: true }));
    assert.match((await amara.locator('[data-stage]').textContent()) ?? '', /Ended/);
    await check(amara, 'a link-up, ended');
    await harness.visit(amara, '/peer-support/board');
    await check(amara, 'the board');
    const ended = main(amara).locator('section', { has: amara.getByRole('heading', { name: /^Ended/ }) });
    assert.match((await ended.textContent()) ?? '', /Tomasz with Kasia/);
  });

  test('(6) the peer completes training and a coach confirms the next level', async () => {
    await harness.visit(amara, '/peer-support/peers');
    await check(amara, 'peers');
    await clickAndWait(amara, main(amara).getByRole('link', { name: 'Tomasz' }));
    await check(amara, 'a peer, for the coach team');
    const early = await clickAndWait(amara, main(amara).getByRole('button', { name: 'Confirm Mentor' }));
    assert.equal(early.status(), 400);
    assert.match(
      (await main(amara).textContent()) ?? '',
      /training that is not complete yet: Supporting other peers/,
    );
    await check(amara, 'a peer, level refused');
    await clickAndWait(
      amara,
      main(amara).getByRole('button', { name: 'Attended a session of Supporting other peers' }),
    );
    await clickAndWait(amara, main(amara).getByRole('button', { name: 'Confirm Mentor' }));
    assert.equal((await main(amara).locator('[data-level]').textContent())?.trim(), 'Mentor');
  });

  test('(7) the peer records where they are heading and downloads their CV', async () => {
    await harness.visit(tomasz, '/peer');
    await main(tomasz).getByLabel('Paid work').check();
    await main(tomasz).getByLabel('In your words').fill('A job as a family support worker');
    await clickAndWait(tomasz, main(tomasz).getByRole('button', { name: 'Save', exact: true }));
    await clickAndWait(tomasz, main(tomasz).getByRole('button', { name: 'I got there' }));
    assert.match((await main(tomasz).textContent()) ?? '', /A job as a family support worker got there/);
    await check(tomasz, 'peer support, after the journey');
    const [download] = await Promise.all([
      tomasz.waitForEvent('download'),
      main(tomasz).getByRole('link', { name: 'Download my volunteering CV (PDF)' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'volunteering-cv.pdf');
    const pdf = await readFile((await download.path())!);
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    await harness.visit(tomasz, '/peer/profile');
    await check(tomasz, 'my peer profile');
  });

  test('(8) the coach team’s settings and families pages, and asking for a peer, are accessible', async () => {
    await harness.visit(amara, '/peer-support/settings');
    await check(amara, 'settings');
    await harness.visit(amara, '/peer-support/households');
    await check(amara, 'families');
    await harness.visit(amara, '/peer-support/levels');
    await check(amara, 'levels and training');
    await main(amara).getByLabel('Sessions needed').fill('none');
    const badModule = await clickAndWait(amara, main(amara).getByRole('button', { name: 'Add module' }));
    assert.equal(badModule.status(), 400);
    await check(amara, 'levels and training, with a mistake');
    const jordan = await (await harness.newContext({ width, height: 740 })).newPage();
    await signIn(harness, jordan, 'person@riverside.example');
    await harness.visit(jordan, '/peer/ask');
    await check(jordan, 'ask for a peer');
    const refused = await clickAndWait(jordan, main(jordan).getByRole('button', { name: 'Send' }));
    assert.equal(refused.status(), 400);
    await check(jordan, 'ask for a peer, with a mistake');
    await jordan.context().close();
    const dafydd = await (await harness.newContext({ width, height: 740 })).newPage();
    await signIn(harness, dafydd, 'coach@cwmteg.example');
    await harness.visit(dafydd, '/peer-support/matching');
    assert.equal(await heading(dafydd), 'Cysylltiadau a awgrymir');
    await check(dafydd, 'suggested link-ups, in Welsh');
    await harness.visit(dafydd, '/peer-support/board');
    await check(dafydd, 'the board, in Welsh');
    await dafydd.context().close();
  });
});
