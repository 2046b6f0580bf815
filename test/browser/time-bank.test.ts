import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { clickAndWait, type Harness, heading, mainNavigation, signIn, startHarness } from './harness.ts';

/**
 * The time bank in a phone-sized browser with JavaScript off, every page scanned with axe-core:
 * members post and exchange, a coordinator records for an offline member, a workshop, and an
 * exchange between linked banks.
 */
const width = 360;

async function phone(harness: Harness): Promise<Page> {
  const context = await harness.newContext({ width, height: 740 });
  return context.newPage();
}

async function check(harness: Harness, page: Page, name: string) {
  await harness.expectAccessible(page, `time bank: ${name}`);
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollWidth <= width, `"${name}" scrolls sideways at ${width}px: it is ${scrollWidth}px wide`);
}

const main = (page: Page) => page.getByRole('main');

async function openBank(page: Page, name = 'Riverside Time Bank') {
  await clickAndWait(page, (await mainNavigation(page)).getByRole('link', { name: 'Time bank' }));
  await clickAndWait(page, main(page).getByRole('link', { name }));
}

async function balance(page: Page): Promise<string> {
  return ((await main(page).locator('.govuk-body-l strong').textContent()) ?? '').trim();
}

async function signInAsGareth(harness: Harness, page: Page) {
  await signIn(harness, page, 'lead@riverside.example');
  if (new URL(page.url()).pathname === '/choose-organisation') {
    await main(page).getByLabel('Riverside Community Coaching').check();
    await clickAndWait(page, main(page).getByRole('button'));
  }
}

describe('the time bank in a browser without JavaScript', () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
  });
  after(async () => {
    await harness?.close();
  });

  test('two members post, one proposes an exchange, the other confirms, and both balances change', async () => {
    const tomasz = await phone(harness);
    const jordan = await phone(harness);
    await signIn(harness, tomasz, 'peer@riverside.example');
    await openBank(tomasz);
    await check(harness, tomasz, 'bank home');
    const tomaszBefore = await balance(tomasz);
    await clickAndWait(tomasz, main(tomasz).getByRole('link', { name: 'Post an offer or a request' }));
    await check(harness, tomasz, 'new post');
    await tomasz.getByLabel('I am offering my time').check();
    await tomasz.getByLabel('In a few words').fill('Help with the garden');
    await tomasz.getByLabel('Category').selectOption({ label: 'Gardening' });
    await clickAndWait(tomasz, main(tomasz).getByRole('button', { name: 'Post it' }));
    assert.equal(await heading(tomasz), 'Offers and requests');
    await check(harness, tomasz, 'offers and requests');

    await signIn(harness, jordan, 'person@riverside.example');
    await openBank(jordan);
    const jordanBefore = await balance(jordan);
    await clickAndWait(jordan, main(jordan).getByRole('link', { name: 'Post an offer or a request' }));
    await jordan.getByLabel('I would like some help').check();
    await jordan.getByLabel('In a few words').fill('Someone to fix a gate');
    await clickAndWait(jordan, main(jordan).getByRole('button', { name: 'Post it' }));
    await jordan.getByLabel('Words to look for').fill('garden');
    await clickAndWait(jordan, main(jordan).getByRole('button', { name: 'Search' }));
    await clickAndWait(
      jordan,
      main(jordan).getByRole('link', { name: 'Record an exchange for “Help with the garden”' }).first(),
    );
    await check(harness, jordan, 'propose an exchange');
    // A mistake first: the message is beside the field and what was typed is kept.
    await jordan.getByLabel('Hours', { exact: true }).fill('two');
    await clickAndWait(jordan, main(jordan).getByRole('button', { name: 'Send for confirmation' }));
    assert.match((await main(jordan).locator('#time-error').textContent()) ?? '', /whole number/);
    await check(harness, jordan, 'propose an exchange with a mistake');
    await jordan.getByLabel('Hours', { exact: true }).fill('1');
    await jordan.getByLabel('Minutes', { exact: true }).fill('30');
    await clickAndWait(jordan, main(jordan).getByRole('button', { name: 'Send for confirmation' }));
    assert.equal(await heading(jordan), 'Exchange');
    await check(harness, jordan, 'exchange waiting');

    await openBank(tomasz);
    await clickAndWait(
      tomasz,
      main(tomasz).getByRole('link', { name: /Tomasz gave Jordan 1 hour 30 minutes/ }),
    );
    await clickAndWait(tomasz, main(tomasz).getByRole('button', { name: 'Yes, this happened: confirm it' }));
    assert.match((await tomasz.getByRole('status').textContent()) ?? '', /Confirmed/);
    await check(harness, tomasz, 'exchange confirmed');
    await openBank(tomasz);
    assert.notEqual(await balance(tomasz), tomaszBefore);
    await openBank(jordan);
    assert.notEqual(await balance(jordan), jordanBefore);
    await clickAndWait(jordan, main(jordan).getByRole('link', { name: 'My statement' }));
    await check(harness, jordan, 'statement');
    assert.match((await main(jordan).locator('table').textContent()) ?? '', /Help with the garden/);
    await tomasz.context().close();
    await jordan.context().close();
  });

  test('a coordinator records for an offline member, prints a statement, records a workshop and an exchange between banks', async () => {
    const gareth = await phone(harness);
    await signInAsGareth(harness, gareth);
    await openBank(gareth);
    await clickAndWait(gareth, main(gareth).getByRole('link', { name: 'Record an exchange for members' }));
    await check(harness, gareth, 'record for members');
    await gareth.getByLabel('Who gave their time').selectOption({ label: 'Sam (recorded by a coordinator)' });
    await gareth.getByLabel('Who received it').selectOption({ label: 'Dev' });
    await gareth.getByLabel('Hours', { exact: true }).fill('2');
    await gareth.getByLabel('What was done').fill('Did the weekly shop');
    await clickAndWait(gareth, main(gareth).getByRole('button', { name: 'Record the exchange' }));
    assert.match((await gareth.getByRole('status').textContent()) ?? '', /Recorded/);

    await openBank(gareth);
    await clickAndWait(gareth, main(gareth).getByRole('link', { name: 'Members, balances and activity' }));
    await check(harness, gareth, 'coordinator report');
    await clickAndWait(gareth, main(gareth).getByRole('link', { name: 'Sam', exact: true }).first());
    await check(harness, gareth, 'member');
    const pdfLink = await main(gareth)
      .getByRole('link', { name: 'Statement to print (PDF)' })
      .getAttribute('href');
    const pdf = await gareth.request.get(new URL(pdfLink!, harness.baseUrl).toString());
    assert.equal(pdf.headers()['content-type'], 'application/pdf');
    assert.equal((await pdf.body()).subarray(0, 5).toString(), '%PDF-');

    await openBank(gareth);
    await clickAndWait(gareth, main(gareth).getByRole('link', { name: 'Record a group exchange' }));
    await check(harness, gareth, 'group exchange');
    await gareth.getByLabel('One person gave time to a group (for example, a workshop)').check();
    await gareth.getByLabel('The one person').selectOption({ label: 'Dev' });
    const group = main(gareth).getByRole('group', { name: 'The group' });
    for (const name of ['Nia', 'Marcus', 'Jordan']) await group.getByLabel(name, { exact: true }).check();
    await gareth.getByLabel('Hours', { exact: true }).fill('2');
    await gareth.getByLabel('What was done').fill('Cooking workshop');
    await clickAndWait(gareth, main(gareth).getByRole('button', { name: 'Record the group exchange' }));
    assert.match((await gareth.getByRole('status').textContent()) ?? '', /Recorded/);
    assert.equal(
      await main(gareth)
        .getByText(/Dev gave .* 2 hours/)
        .count(),
      3,
    );
    await check(harness, gareth, 'group exchange recorded');

    await openBank(gareth);
    await clickAndWait(gareth, main(gareth).getByRole('link', { name: 'Give welcome hours' }));
    await gareth.getByLabel('Who to welcome').selectOption({ label: 'Nia' });
    await gareth.getByLabel('Hours', { exact: true }).fill('3');
    await clickAndWait(gareth, main(gareth).getByRole('button', { name: 'Give the welcome hours' }));
    assert.match((await gareth.getByRole('status').textContent()) ?? '', /Welcome hours given/);
    await check(harness, gareth, 'welcome hours');

    await openBank(gareth);
    await clickAndWait(gareth, main(gareth).getByRole('link', { name: 'Links with other time banks' }));
    await check(harness, gareth, 'links');
    await openBank(gareth);
    await clickAndWait(gareth, main(gareth).getByRole('link', { name: 'Record an exchange for members' }));
    await gareth.getByLabel('Who gave their time').selectOption({ label: 'Jordan' });
    await gareth.getByLabel('Who received it').selectOption({ label: 'Yusuf (Northfield Time Bank)' });
    await gareth.getByLabel('Minutes', { exact: true }).fill('45');
    await gareth.getByLabel('What was done').fill('Company on a walk');
    await clickAndWait(gareth, main(gareth).getByRole('button', { name: 'Record the exchange' }));
    assert.match((await gareth.getByRole('status').textContent()) ?? '', /Recorded/);
    await openBank(gareth, 'Northfield Time Bank');
    await clickAndWait(gareth, main(gareth).getByRole('link', { name: 'Members, balances and activity' }));
    const report = (await main(gareth).locator('table').first().textContent()) ?? '';
    assert.match(report, /Yusuf/);
    assert.match(report, /Exchanges with Riverside Time Bank\+45 minutes/);
    await gareth.context().close();
  });

  test('two organisations’ banks become partners with a code, and their members exchange across', async () => {
    const amara = await phone(harness);
    await signIn(harness, amara, 'coach@riverside.example');
    await openBank(amara, 'Northfield Time Bank');
    await clickAndWait(
      amara,
      main(amara).getByRole('link', { name: 'Partner banks in other organisations' }),
    );
    await check(harness, amara, 'partner banks');
    await clickAndWait(amara, main(amara).getByRole('button', { name: 'Make a link code' }));
    const code = ((await main(amara).locator('#link-code strong').textContent()) ?? '').trim();
    assert.match(code, /^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    await check(harness, amara, 'a link code');

    // Cwm Teg works in Welsh.
    const dafydd = await phone(harness);
    await signIn(harness, dafydd, 'coach@cwmteg.example');
    await clickAndWait(dafydd, (await mainNavigation(dafydd)).getByRole('link', { name: 'Banc amser' }));
    await clickAndWait(dafydd, main(dafydd).getByRole('link', { name: 'Banc Amser Pentre Isaf' }));
    await clickAndWait(
      dafydd,
      main(dafydd).getByRole('link', { name: 'Banciau partner mewn sefydliadau eraill' }),
    );
    await dafydd.getByLabel('Cod cysylltu').fill(code.toLowerCase());
    await clickAndWait(dafydd, main(dafydd).getByRole('button', { name: 'Dod yn bartneriaid' }));
    assert.equal(await heading(dafydd), 'Northfield Time Bank (Riverside Community Coaching)');
    await check(harness, dafydd, 'partner bank in Welsh');

    // The demo's partner banks: Jordan asks for an exchange with Elin, who confirms it in Welsh.
    const jordan = await phone(harness);
    await signIn(harness, jordan, 'person@riverside.example');
    await openBank(jordan);
    const jordanBefore = await balance(jordan);
    await clickAndWait(
      jordan,
      main(jordan).getByRole('link', { name: 'Banc Amser Cwm Teg (Cwm Teg Family Link)', exact: true }),
    );
    await check(harness, jordan, 'members of a partner bank');
    assert.match((await main(jordan).locator('#partner-members').textContent()) ?? '', /Elin/);
    await jordan.getByLabel('I received time').check();
    await jordan.getByLabel('Who with').selectOption({ label: 'Elin' });
    await jordan.getByLabel('Hours', { exact: true }).fill('1');
    await jordan.getByLabel('What was done').fill('Help with a letter in Welsh');
    await clickAndWait(jordan, main(jordan).getByRole('button', { name: 'Send for confirmation' }));
    assert.equal(await heading(jordan), 'Exchange');
    assert.match((await main(jordan).textContent()) ?? '', /Elin, Banc Amser Cwm Teg/);
    await check(harness, jordan, 'exchange across organisations waiting');

    const elin = await phone(harness);
    await signIn(harness, elin, 'person@cwmteg.example');
    await clickAndWait(elin, (await mainNavigation(elin)).getByRole('link', { name: 'Banc amser' }));
    await clickAndWait(elin, main(elin).getByRole('link', { name: 'Banc Amser Cwm Teg', exact: true }));
    await clickAndWait(
      elin,
      main(elin).getByRole('link', { name: /Rhoddodd Elin 1 awr i Jordan, Riverside Time Bank/ }),
    );
    await clickAndWait(elin, main(elin).getByRole('button', { name: 'Do, digwyddodd hyn: ei gadarnhau' }));
    assert.match((await elin.getByRole('status').textContent()) ?? '', /Wedi cadarnhau/);
    await check(harness, elin, 'exchange across organisations confirmed, in Welsh');
    await openBank(jordan);
    assert.notEqual(await balance(jordan), jordanBefore);
    for (const page of [amara, dafydd, jordan, elin]) await page.context().close();
  });
});
