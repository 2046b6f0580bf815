import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  clickAndWait,
  type Harness,
  heading,
  horizontalScrollProblem,
  signIn,
  startHarness,
} from './harness.ts';

/**
 * The wording suggestions page on a phone: without JavaScript (add a label, try some words, every
 * state scanned with axe-core) and with it, where the same suggestions appear while someone types.
 */
const width = 360;
const main = (page: Page) => page.getByRole('main');

async function check(harness: Harness, page: Page, name: string) {
  await harness.expectAccessible(page, `wording: ${name}`);
  assert.equal(await horizontalScrollProblem(page, width, name), '');
}

describe('wording suggestions in a browser', () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
  });
  after(async () => {
    await harness?.close();
  });

  test('without JavaScript: add a label, see a message by a field left empty, and try some words', async () => {
    const context = await harness.newContext({ width, height: 740 });
    const page = await context.newPage();
    await signIn(harness, page, 'admin@riverside.example');
    await harness.visit(page, '/admin');
    await clickAndWait(page, main(page).getByRole('link', { name: 'Wording suggestions' }));
    assert.equal(await heading(page), 'Wording suggestions');
    await check(harness, page, 'page');

    await page.getByLabel('English').check();
    await page.getByLabel('Words to suggest instead').fill('the people we walk alongside');
    const refused = await clickAndWait(page, main(page).getByRole('button', { name: 'Add this label' }));
    assert.equal(refused.status(), 400);
    assert.equal(
      await page.getByLabel('Words to suggest instead').inputValue(),
      'the people we walk alongside',
    );
    await check(harness, page, 'a field left empty');

    await page.getByLabel('Words to notice').fill('my caseload');
    await clickAndWait(page, main(page).getByRole('button', { name: 'Add this label' }));
    assert.match((await main(page).textContent()) ?? '', /The label has been added/);
    assert.ok(await main(page).getByRole('button', { name: 'Remove “my caseload”' }).isVisible());

    const sample = main(page).getByLabel('Write a sentence to try');
    await sample.fill('Someone new on my caseload is an addict.');
    const tried = await clickAndWait(page, main(page).getByRole('button', { name: 'Check these words' }));
    assert.equal(tried.status(), 200);
    assert.equal(await sample.inputValue(), 'Someone new on my caseload is an addict.');
    const note = page.locator('#sample-wording');
    assert.match((await note.textContent()) ?? '', /You wrote “my caseload”/);
    assert.match((await note.textContent()) ?? '', /You wrote “addict”/);
    // The note is how a screen reader hears it, on the field itself.
    assert.match((await sample.getAttribute('aria-describedby')) ?? '', /sample-wording/);
    await check(harness, page, 'words tried');
    await context.close();
  });

  test('with JavaScript: suggestions appear while typing, and can be hidden', async () => {
    const context = await harness.browser.newContext({
      javaScriptEnabled: true,
      viewport: { width, height: 740 },
      locale: 'en-GB',
    });
    const page = await context.newPage();
    const blocked: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) blocked.push(message.text());
    });
    await signIn(harness, page, 'admin@riverside.example');
    await harness.visit(page, '/wording');
    const sample = main(page).getByLabel('Write a sentence to try');
    const note = page.locator('#sample-wording');
    assert.equal(((await note.textContent()) ?? '').trim(), '');

    await sample.pressSequentially('Our client refused to engage');
    await note.getByText('You wrote “refused to engage”').waitFor();
    // The organisation's own demo label, from the route the script reads.
    await note
      .getByText(/You wrote “client”\. Many people would rather read something like: the person/)
      .waitFor();
    assert.equal(await note.getAttribute('aria-live'), 'polite');
    assert.equal(await sample.inputValue(), 'Our client refused to engage', 'typing was never blocked');
    await check(harness, page, 'suggestions while typing');

    await note.getByRole('button', { name: 'Hide this suggestion' }).click();
    assert.equal(((await note.textContent()) ?? '').trim(), '');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'sample');
    assert.equal(
      await page.locator('form:has(#sample) input[name="wordingSeen"]').getAttribute('value'),
      'yes',
    );

    // A label typed after that still gets its suggestion.
    await sample.pressSequentially(', and is an addict.');
    await note.getByText('You wrote “addict”').waitFor();
    assert.doesNotMatch((await note.textContent()) ?? '', /refused to engage/);
    assert.deepEqual(blocked, []);
    await context.close();
  });
});
