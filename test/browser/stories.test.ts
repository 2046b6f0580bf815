import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { storyPicture } from '../../src/modules/stories/demo.ts';
import { readPdf } from '../helpers/pdf.ts';
import { clickAndWait, type Harness, heading, mainNavigation, signIn, startHarness } from './harness.ts';

/**
 * Stories in a phone-sized browser with JavaScript off, every page scanned with axe-core: Jordan writes
 * a story with a picture, makes an anonymised version with the names we know marked, and (in Welsh)
 * shares it with anyone, showing the anonymised version; it is on the public page; Gareth, a lead,
 * makes a booklet and downloads its PDF; Jordan withdraws, and Gareth's next booklet leaves it out.
 */
const width = 360;
const title = 'Tuesdays by the river';

async function phone(harness: Harness): Promise<Page> {
  const context = await harness.newContext({ width, height: 740 });
  return context.newPage();
}

const main = (page: Page) => page.getByRole('main');
const banner = (page: Page) => page.getByRole('banner');

describe('stories in a browser without JavaScript', () => {
  let harness: Harness;
  let jordan: Page;
  let gareth: Page;
  let storyPath = '';
  before(async () => {
    harness = await startHarness();
  });
  after(async () => {
    await harness?.close();
  });

  async function check(page: Page, name: string) {
    await harness.expectAccessible(page, `stories: ${name}`);
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= width, `"${name}" scrolls sideways at ${width}px: it is ${scrollWidth}px wide`);
  }

  async function downloadPdf(page: Page) {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      main(page).getByRole('link', { name: 'Download as PDF' }).click(),
    ]);
    const bytes = await readFile((await download.path())!);
    assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
    return readPdf(bytes);
  }

  test('(1) Jordan writes a story with a picture; an SVG is refused and the words are kept', async () => {
    jordan = await phone(harness);
    await signIn(harness, jordan, 'person@riverside.example');
    await clickAndWait(jordan, (await mainNavigation(jordan)).getByRole('link', { name: 'Stories' }));
    assert.equal(await heading(jordan), 'Stories');
    await check(jordan, 'my stories');
    await clickAndWait(jordan, main(jordan).getByRole('link', { name: 'Write a story' }));
    await check(jordan, 'write a story');
    await jordan.getByLabel('Title', { exact: true }).fill(title);
    await jordan
      .getByLabel('Your story', { exact: true })
      .fill('Amara met me on Tuesdays by the river.\n\nNow Jordan walks there alone, most days.');
    await jordan.getByLabel('What the picture shows').fill('The river with green hills behind');
    await jordan.getByLabel('A picture (if you like)').setInputFiles({
      name: 'river.svg',
      mimeType: 'image/svg+xml',
      buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    });
    await clickAndWait(jordan, main(jordan).getByRole('button', { name: 'Save my story' }));
    assert.match((await main(jordan).locator('#picture-error').textContent()) ?? '', /PNG, JPEG or WebP/);
    assert.match(
      await jordan.getByLabel('Your story', { exact: true }).inputValue(),
      /Amara met me on Tuesdays/,
    );
    await check(jordan, 'write a story with a wrong picture');
    await jordan.getByLabel('A picture (if you like)').setInputFiles({
      name: 'river.png',
      mimeType: 'image/png',
      buffer: Buffer.from(storyPicture()),
    });
    await clickAndWait(jordan, main(jordan).getByRole('button', { name: 'Save my story' }));
    assert.equal(await heading(jordan), title);
    assert.match((await jordan.getByRole('status').textContent()) ?? '', /Only you can read it/);
    storyPath = new URL(jordan.url()).pathname;
    const natural = await jordan
      .locator('img.alongside-story-picture')
      .evaluate((img) => (img as HTMLImageElement).naturalWidth);
    assert.ok(natural > 0, 'the picture is shown');
    await check(jordan, 'a story');
  });

  test('(2) the anonymised version marks the names we know; Jordan shares it with anyone, in Welsh', async () => {
    await clickAndWait(jordan, main(jordan).getByRole('link', { name: 'Make an anonymised version' }));
    const marks = await main(jordan).locator('mark').allTextContents();
    assert.ok(marks.includes('Amara') && marks.includes('Jordan'), `marked: ${marks.join(', ')}`);
    await check(jordan, 'anonymised version, names marked');
    await jordan
      .getByLabel('The anonymised version', { exact: true })
      .fill('My coach met me on Tuesdays by the river.\n\nNow I walk there alone, most days.');
    await clickAndWait(jordan, main(jordan).getByRole('button', { name: 'Save the anonymised version' }));
    assert.equal(await main(jordan).locator('mark').count(), 0);
    await check(jordan, 'anonymised version saved');

    await jordan.goto(`${harness.baseUrl}${storyPath}/sharing`);
    await clickAndWait(jordan, banner(jordan).getByRole('link', { name: 'Cymraeg' }));
    assert.equal(await heading(jordan), 'Pwy sy’n gallu darllen eich stori');
    assert.equal(await jordan.locator('html').getAttribute('lang'), 'cy');
    await check(jordan, 'who can read it, in Welsh');
    await main(jordan).getByLabel('Unrhyw un').check();
    await main(jordan).getByLabel('Y fersiwn ddienw').check();
    await clickAndWait(jordan, main(jordan).getByRole('button', { name: 'Cadw fy newis' }));
    assert.match((await jordan.getByRole('status').textContent()) ?? '', /gyda’r geiriau a ddangoswyd/);
    await check(jordan, 'a story, in Welsh');
    await clickAndWait(jordan, banner(jordan).getByRole('link', { name: 'English' }));
  });

  test('(3) the story is on the public page, anonymised, for anyone without signing in', async () => {
    const visitor = await phone(harness);
    await harness.visit(visitor, '/o/riverside/stories');
    assert.equal(await heading(visitor), 'Stories from Riverside Community Coaching');
    const article = main(visitor).locator('article', { hasText: title });
    assert.equal(await article.getAttribute('lang'), 'en');
    assert.match((await article.textContent()) ?? '', /My coach met me on Tuesdays/);
    assert.doesNotMatch((await main(visitor).textContent()) ?? '', /Amara met me/);
    await check(visitor, 'public stories');
  });

  test('(4) Gareth makes a public booklet and downloads its PDF', async () => {
    gareth = await phone(harness);
    await signIn(harness, gareth, 'lead@riverside.example');
    if (new URL(gareth.url()).pathname === '/choose-organisation') {
      await main(gareth).getByLabel('Riverside Community Coaching').check();
      await clickAndWait(gareth, main(gareth).getByRole('button'));
    }
    await harness.visit(gareth, '/stories');
    await clickAndWait(gareth, main(gareth).getByRole('link', { name: 'Booklets of stories' }));
    await check(gareth, 'booklets');
    await clickAndWait(gareth, main(gareth).getByRole('link', { name: 'Make a booklet' }));
    await check(gareth, 'make a booklet');
    await gareth.getByLabel('Title', { exact: true }).fill('Walking on');
    await gareth.getByLabel('Introduction').fill('Stories people chose to share.');
    await main(gareth).getByLabel('Anyone (public)').check();
    await main(gareth).getByLabel(title).check();
    await clickAndWait(gareth, main(gareth).getByRole('button', { name: 'Make the booklet' }));
    assert.equal(await heading(gareth), 'Walking on');
    await check(gareth, 'a booklet');
    const pdf = await downloadPdf(gareth);
    assert.match(pdf.catalog, /\/Lang \(en-GB\)/);
    assert.match(pdf.text, new RegExp(title));
    assert.match(pdf.text, /My coach met me on Tuesdays/);
  });

  test('(5) Jordan withdraws; the next booklet leaves the story out', async () => {
    await harness.visit(jordan, storyPath);
    await clickAndWait(jordan, main(jordan).getByRole('link', { name: 'Withdraw my story' }));
    assert.match((await main(jordan).textContent()) ?? '', /cannot be recalled/);
    await check(jordan, 'withdraw');
    await clickAndWait(jordan, main(jordan).getByRole('button', { name: 'Withdraw my story' }));
    assert.match((await jordan.getByRole('status').textContent()) ?? '', /Only you can read it now/);
    await check(jordan, 'a withdrawn story');

    await harness.visit(gareth, '/stories/booklets/new');
    assert.equal(await main(gareth).getByLabel(title).count(), 0, 'no longer offered');
    await gareth.getByLabel('Title', { exact: true }).fill('Walking on, again');
    await main(gareth).getByLabel('Anyone (public)').check();
    await main(gareth).getByLabel('What the peer group gave me').check();
    await clickAndWait(gareth, main(gareth).getByRole('button', { name: 'Make the booklet' }));
    const pdf = await downloadPdf(gareth);
    assert.doesNotMatch(pdf.text, new RegExp(title));
    assert.match(pdf.text, /What the peer group gave me/);
  });
});
