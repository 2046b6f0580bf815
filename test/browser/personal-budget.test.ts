import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { receiptImage } from '../../src/modules/personal-budget/demo.ts';
import { formatPence, parsePence } from '../../src/modules/personal-budget/money.ts';
import { clickAndWait, type Harness, heading, mainNavigation, signIn, startHarness } from './harness.ts';

/**
 * Journey 5 in a phone-sized browser with JavaScript off, every page scanned with axe-core: a person
 * asks to spend, a lead approves in one action, the person records the spend with a photo of the
 * receipt, and the balance is right.
 */
const width = 360;

async function phone(harness: Harness): Promise<Page> {
  const context = await harness.newContext({ width, height: 740 });
  return context.newPage();
}

async function check(harness: Harness, page: Page, name: string) {
  await harness.expectAccessible(page, `personal budget: ${name}`);
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollWidth <= width, `"${name}" scrolls sideways at ${width}px: it is ${scrollWidth}px wide`);
}

const main = (page: Page) => page.getByRole('main');

async function left(page: Page): Promise<number> {
  const text = ((await main(page).locator('.govuk-body-l strong').textContent()) ?? '').trim();
  const parsed = parsePence(text);
  assert.ok(parsed.ok, `"${text}" is an amount`);
  return parsed.pence;
}

async function openBudget(page: Page, label = 'Personal budget') {
  // The main navigation (behind "Menu" on a phone), named in the page's own language.
  await clickAndWait(page, (await mainNavigation(page)).getByRole('link', { name: label }));
}

describe('personal budgets in a browser without JavaScript', () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
  });
  after(async () => {
    await harness?.close();
  });

  test('a request is approved and spent with a receipt, and the balance is right', async () => {
    const jordan = await phone(harness);
    await signIn(harness, jordan, 'person@riverside.example');
    await openBudget(jordan);
    assert.equal(await heading(jordan), 'My personal budget');
    await check(harness, jordan, 'my budget');
    const before = await left(jordan);

    await clickAndWait(jordan, main(jordan).getByRole('link', { name: 'Ask to spend something' }));
    await check(harness, jordan, 'ask');
    await jordan.getByLabel('What is it for?').fill('Gloves and a hat for the winter walks');
    await jordan.getByLabel('How much is it?').fill('12.345');
    await clickAndWait(jordan, main(jordan).getByRole('button', { name: 'Send the request' }));
    assert.match((await main(jordan).locator('#amount-error').textContent()) ?? '', /two numbers after/);
    assert.equal(
      await jordan.getByLabel('What is it for?').inputValue(),
      'Gloves and a hat for the winter walks',
    );
    await check(harness, jordan, 'ask with a mistake');
    await jordan.getByLabel('How much is it?').fill('£18.50');
    await clickAndWait(jordan, main(jordan).getByRole('button', { name: 'Send the request' }));
    assert.match((await jordan.getByRole('status').textContent()) ?? '', /request is sent/);

    const gareth = await phone(harness);
    await signIn(harness, gareth, 'lead@riverside.example');
    if (new URL(gareth.url()).pathname === '/choose-organisation') {
      await main(gareth).getByLabel('Riverside Community Coaching').check();
      await clickAndWait(gareth, main(gareth).getByRole('button'));
    }
    await openBudget(gareth);
    await check(harness, gareth, 'home for a lead');
    await clickAndWait(gareth, main(gareth).getByRole('link', { name: 'Requests waiting for a lead' }));
    await check(harness, gareth, 'requests waiting');
    await clickAndWait(
      gareth,
      main(gareth).getByRole('link', { name: 'Gloves and a hat for the winter walks' }),
    );
    await check(harness, gareth, 'a request to decide');
    await clickAndWait(gareth, main(gareth).getByRole('button', { name: 'Approve £18.50' }));
    assert.match((await gareth.getByRole('status').textContent()) ?? '', /Approved/);
    await check(harness, gareth, 'an approved request');

    await openBudget(jordan);
    await clickAndWait(
      jordan,
      main(jordan).getByRole('link', { name: 'Gloves and a hat for the winter walks' }),
    );
    await check(harness, jordan, 'ready to spend');
    await jordan.getByLabel('What it cost').fill('17.99');
    await jordan.getByLabel('Photo of the receipt (optional)').setInputFiles({
      name: 'receipt.png',
      mimeType: 'image/png',
      buffer: Buffer.from(receiptImage()),
    });
    await clickAndWait(jordan, main(jordan).getByRole('button', { name: 'Record the spend' }));
    assert.match((await jordan.getByRole('status').textContent()) ?? '', /spend is recorded/);
    await check(harness, jordan, 'spent with a receipt');
    const photo = main(jordan).getByRole('img', { name: /Photo of the receipt for: Gloves/ });
    assert.ok(await photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0));

    await openBudget(jordan);
    assert.equal(await left(jordan), before - 1799);
    assert.equal(formatPence(await left(jordan)), formatPence(before - 1799));
    assert.match(
      (await main(jordan).locator('table').textContent()) ?? '',
      /Spent: Gloves and a hat[\s\S]*−£17.99/,
    );

    // The lead sees the same balance on Jordan's budget, with the top-up form and corrections.
    await openBudget(gareth);
    await clickAndWait(gareth, main(gareth).getByRole('link', { name: 'Jordan', exact: true }));
    assert.equal(await left(gareth), before - 1799);
    await check(harness, gareth, 'a person’s budget for a lead');
    await clickAndWait(
      gareth,
      main(gareth)
        .getByRole('link', { name: /Correct this entry/ })
        .first(),
    );
    await check(harness, gareth, 'correct an entry');
    await jordan.context().close();
    await gareth.context().close();
  });

  test('an admin sets the default, and a Welsh-speaking person reads their budget in Welsh', async () => {
    const priya = await phone(harness);
    await signIn(harness, priya, 'admin@riverside.example');
    await openBudget(priya);
    await clickAndWait(priya, main(priya).getByRole('link', { name: 'Default amount for a new budget' }));
    await priya.getByLabel('Default amount').fill('-20');
    await clickAndWait(priya, main(priya).getByRole('button', { name: 'Save the default' }));
    assert.match((await main(priya).locator('#amount-error').textContent()) ?? '', /minus sign/);
    await check(harness, priya, 'settings with a mistake');
    await priya.getByLabel('Default amount').fill('300');
    await clickAndWait(priya, main(priya).getByRole('button', { name: 'Save the default' }));
    assert.match((await main(priya).textContent()) ?? '', /The default now is £300.00/);
    await priya.context().close();

    const elin = await phone(harness);
    await signIn(harness, elin, 'person@cwmteg.example');
    await openBudget(elin, 'Cyllideb bersonol');
    assert.equal(await heading(elin), 'Fy nghyllideb bersonol');
    await check(harness, elin, 'my budget in Welsh');
    await clickAndWait(
      elin,
      main(elin)
        .getByRole('link', { name: /Gwersi nofio/ })
        .first(),
    );
    await check(harness, elin, 'a spent request in Welsh');
    await elin.context().close();
  });
});
