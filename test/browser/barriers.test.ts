import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { clickAndWait, type Harness, heading, mainNavigation, signIn, startHarness } from './harness.ts';

/**
 * The barriers log on a phone-sized screen with JavaScript off, every page scanned with axe-core: a
 * coach records a barrier for a person, it is counted on the "What gets in the way" page, and once the
 * person agrees, their words appear there as an example, without their name.
 */
const width = 360;

async function phone(harness: Harness): Promise<Page> {
  const context = await harness.newContext({ width, height: 740 });
  return context.newPage();
}

async function check(harness: Harness, page: Page, name: string) {
  await harness.expectAccessible(page, `barriers: ${name}`);
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollWidth <= width, `"${name}" scrolls sideways at ${width}px: it is ${scrollWidth}px wide`);
}

const main = (page: Page) => page.getByRole('main');

async function openBarriers(page: Page) {
  await clickAndWait(page, (await mainNavigation(page)).getByRole('link', { name: 'Barriers' }));
}

/** The number of barriers in a system on the team's report, read from the table beside the chart. */
async function countFor(page: Page, system: string): Promise<number> {
  const row = main(page)
    .getByRole('row')
    .filter({ has: page.getByRole('cell', { name: system, exact: true }) });
  return Number(((await row.getByRole('cell').nth(1).textContent()) ?? '').trim());
}

describe('the barriers log in a browser without JavaScript', () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
  });
  after(async () => {
    await harness?.close();
  });

  test('a coach records a barrier for a person, and it appears on the barriers and report pages', async () => {
    const what = 'The council sent the housing letter to an address Jordan left a year ago';
    const amara = await phone(harness);
    await signIn(harness, amara, 'coach@riverside.example');
    await openBarriers(amara);
    assert.equal(await heading(amara), 'Barriers');
    await check(harness, amara, 'team list');

    await clickAndWait(amara, main(amara).getByRole('link', { name: 'What gets in the way' }));
    await check(harness, amara, 'report for the team');
    const housingBefore = await countFor(amara, 'Housing');
    assert.ok(housingBefore > 0);
    await clickAndWait(amara, main(amara).getByRole('link', { name: 'Back to barriers' }));

    await clickAndWait(amara, main(amara).getByRole('link', { name: 'Record a barrier' }));
    await check(harness, amara, 'record a barrier');
    // Forgetting the system first: the message is beside the field, and nothing typed is lost.
    await amara.getByLabel('Whose way did it get in?').selectOption({ label: 'Jordan' });
    await amara.getByLabel('What happened').fill(what);
    await clickAndWait(amara, main(amara).getByRole('button', { name: 'Save the barrier' }));
    assert.match(await amara.title(), /^Error/);
    assert.equal(await amara.getByLabel('What happened').inputValue(), what);
    await check(harness, amara, 'record a barrier with a problem');
    await amara.getByLabel('Which system').selectOption({ label: 'Housing' });
    await amara.getByLabel('What it did to them').fill('Missed the viewing for a flat');
    await clickAndWait(amara, main(amara).getByRole('button', { name: 'Save the barrier' }));
    assert.equal(await heading(amara), 'A barrier: Housing');
    await main(amara).getByText('The barrier is saved.').waitFor();
    await check(harness, amara, 'one barrier');

    await clickAndWait(amara, main(amara).getByRole('link', { name: 'Back to barriers' }));
    await main(amara).getByText(what.slice(0, 60)).waitFor();
    await clickAndWait(amara, main(amara).getByRole('link', { name: 'What gets in the way' }));
    assert.equal(await countFor(amara, 'Housing'), housingBefore + 1);
    assert.equal(await main(amara).getByText(what).count(), 0, 'not shared before Jordan says so');

    // Jordan finds it in his own list and agrees to share his words.
    const jordan = await phone(harness);
    await signIn(harness, jordan, 'person@riverside.example');
    await openBarriers(jordan);
    assert.equal(await heading(jordan), 'Barriers in my way');
    await check(harness, jordan, 'my barriers');
    await clickAndWait(
      jordan,
      main(jordan)
        .getByRole('link', { name: /^Housing, / })
        .first(),
    );
    await main(jordan).getByText(what).first().waitFor();
    await check(harness, jordan, 'my barrier');
    await jordan.getByLabel('Yes, they can be used without my name').check();
    await clickAndWait(jordan, main(jordan).getByRole('button', { name: 'Save my answer' }));
    await main(jordan).getByText('Thank you. Your words may now be shown as an example').waitFor();

    await clickAndWait(amara, main(amara).getByRole('link', { name: /version to share/ }));
    await check(harness, amara, 'report to share');
    await main(amara).getByText(what).waitFor();
    assert.equal(await main(amara).getByText('Jordan', { exact: true }).count(), 0);
  });

  test("an admin looks after the organisation's systems", async () => {
    const priya = await phone(harness);
    await signIn(harness, priya, 'admin@riverside.example');
    await openBarriers(priya);
    await clickAndWait(priya, main(priya).getByRole('link', { name: 'Systems' }));
    await check(harness, priya, 'systems');
    await priya.getByLabel('Name in English').fill('Transport');
    await priya.getByLabel('Name in Welsh').fill('Trafnidiaeth');
    await clickAndWait(priya, main(priya).getByRole('button', { name: 'Add the system' }));
    await main(priya).getByText('The system is added.').waitFor();
    await clickAndWait(priya, main(priya).getByRole('link', { name: 'Change Transport' }));
    await check(harness, priya, 'change a system');
    await clickAndWait(priya, main(priya).getByRole('button', { name: 'Delete the system' }));
    await main(priya).getByText('The system is deleted.').waitFor();
  });
});
