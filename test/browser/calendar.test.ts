import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ICAL from 'ical.js';
import type { Page } from 'playwright-core';
import {
  clickAndWait,
  type Harness,
  heading,
  horizontalScrollProblem,
  mainNavigation,
  signIn,
  startHarness,
} from './harness.ts';

/**
 * A calendar address made, read by a calendar app and stopped, in English and in Welsh; and the
 * public "ask for a coach" form with its trap for robots and its limit per hour. On a phone-sized
 * screen with JavaScript off, every page scanned with axe-core.
 */
const width = 360;

async function phone(harness: Harness): Promise<Page> {
  const context = await harness.newContext({ width, height: 740 });
  return context.newPage();
}

async function check(harness: Harness, page: Page, name: string) {
  await harness.expectAccessible(page, `calendar: ${name}`);
  const problem = await horizontalScrollProblem(page, width, name);
  assert.equal(problem, '', problem);
}

const main = (page: Page) => page.getByRole('main');

describe('calendar feeds and the public form in a browser without JavaScript', () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
  });
  after(async () => {
    await harness?.close();
  });

  test('a peer makes a calendar address, a calendar app reads it, and the peer stops it', async () => {
    const page = await phone(harness);
    await signIn(harness, page, 'peer@riverside.example');
    await clickAndWait(page, (await mainNavigation(page)).getByRole('link', { name: 'Your account' }));
    await clickAndWait(page, main(page).getByRole('link', { name: 'Your dates in a calendar app' }));
    assert.equal(await heading(page), 'Your dates in a calendar app');
    await check(harness, page, 'no address yet');
    await clickAndWait(page, main(page).getByRole('button', { name: 'Make my calendar address' }));
    assert.match(await page.getByRole('status').innerText(), /Your calendar address is ready/);
    const box = main(page).getByLabel('The address to copy into your calendar app');
    const address = await box.inputValue();
    assert.match(address, /^http:\/\/127\.0\.0\.1:\d+\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    assert.equal(await box.getAttribute('readonly'), '');
    await check(harness, page, 'an address to copy');

    // A calendar app: no cookies, just the address.
    const feed = await fetch(address);
    assert.equal(feed.status, 200);
    assert.equal(feed.headers.get('set-cookie'), null);
    const events = new ICAL.Component(ICAL.parse(await feed.text())).getAllSubcomponents('vevent');
    assert.ok(events.some((event) => event.getFirstPropertyValue('summary') === 'Reflective space'));

    // The page says when a calendar app last read it, and gives the same address again.
    await harness.visit(page, '/account/calendar');
    assert.equal(
      await main(page).getByLabel('The address to copy into your calendar app').inputValue(),
      address,
    );
    assert.doesNotMatch(await main(page).innerText(), /Last read by a calendar app\s*Not yet/);

    await clickAndWait(page, main(page).getByRole('button', { name: 'Stop this address' }));
    assert.match(await page.getByRole('status').innerText(), /Your calendar address has stopped working/);
    await check(harness, page, 'address stopped');
    assert.equal((await fetch(address)).status, 404);
  });

  test('the page in Welsh, with an address to copy', async () => {
    const page = await phone(harness);
    await signIn(harness, page, 'coach@cwmteg.example');
    await harness.visit(page, '/account/calendar');
    if ((await page.locator('html').getAttribute('lang')) !== 'cy')
      await clickAndWait(page, page.getByRole('banner').getByRole('link', { name: 'Cymraeg' }));
    assert.equal(await page.locator('html').getAttribute('lang'), 'cy');
    assert.equal(await heading(page), 'Eich dyddiadau mewn ap calendr');
    const address = await main(page).getByLabel('Y cyfeiriad i’w gopïo i’ch ap calendr').inputValue();
    assert.match(address, /\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    assert.match(
      await main(page).innerText(),
      /Gall unrhyw un sydd â’r cyfeiriad hwn weld y dyddiadau sydd ynddo/,
    );
    await check(harness, page, 'in Welsh');
    await clickAndWait(page, main(page).getByRole('button', { name: 'Gwneud cyfeiriad newydd' }));
    assert.match(await page.getByRole('status').innerText(), /Mae cyfeiriad eich calendr yn barod/);
    assert.notEqual(
      await main(page).getByLabel('Y cyfeiriad i’w gopïo i’ch ap calendr').inputValue(),
      address,
    );
    assert.equal((await fetch(address)).status, 404);
    await check(harness, page, 'a new address in Welsh');
  });

  test('asking for a coach: the trap is never reached by keyboard, and the limit keeps every word', async () => {
    const page = await phone(harness);
    await harness.visit(page, '/ask/riverside');
    await check(harness, page, 'ask for a coach');
    // Tab from the first field to the button: the trap is never focused.
    await main(page).getByLabel('What would you like to be called?').focus();
    const reached: string[] = [];
    for (let i = 0; i < 8; i++) {
      reached.push(await page.evaluate(() => document.activeElement?.getAttribute('name') ?? ''));
      await page.keyboard.press('Tab');
    }
    assert.ok(reached.includes('howToReach') && reached.includes('consent'), reached.join(', '));
    assert.ok(!reached.includes('website'), reached.join(', '));

    const send = async (name: string) => {
      await main(page).getByLabel('What would you like to be called?').fill(name);
      await main(page).getByLabel('How can we get in touch?').fill('07700 900456');
      await main(page)
        .getByLabel('Anything you would like to tell us (optional)')
        .fill('A new town, and nobody to talk to.');
      await main(page).getByLabel('I agree').check();
      return clickAndWait(page, main(page).getByRole('button', { name: 'Send' }));
    };
    for (let i = 1; i <= 5; i++) {
      const sent = await send(`Sky ${i}`);
      assert.equal(sent.status(), 200);
      assert.equal(await heading(page), 'Thank you');
      await harness.visit(page, '/ask/riverside');
    }
    const refused = await send('Sky, again');
    assert.equal(refused.status(), 429);
    const banner = main(page).getByRole('region', { name: 'Please try again later' });
    assert.match(await banner.innerText(), /Please send it again in an hour/);
    assert.equal(await main(page).getByLabel('What would you like to be called?').inputValue(), 'Sky, again');
    assert.equal(await main(page).getByLabel('How can we get in touch?').inputValue(), '07700 900456');
    assert.equal(
      await main(page).getByLabel('Anything you would like to tell us (optional)').inputValue(),
      'A new town, and nobody to talk to.',
    );
    assert.equal(await main(page).getByLabel('I agree').isChecked(), true);
    await check(harness, page, 'ask for a coach, limit reached');
  });
});
