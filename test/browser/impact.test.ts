import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { readPdf } from '../helpers/pdf.ts';
import {
  clickAndWait,
  type Harness,
  heading,
  horizontalScrollProblem,
  mainNavigation,
  signIn,
  startHarness,
} from './harness.ts';

const width = 360;
const main = (page: Page) => page.getByRole('main');
const mainText = async (page: Page) => ((await main(page).textContent()) ?? '').replace(/\s+/g, ' ');
const jordan = '00000000-0000-4000-8100-000000000006';

/**
 * The impact report on a phone-sized screen with JavaScript off, every page scanned with axe-core:
 * Ruth, Riverside's funder, signs in, finds the report in the navigation and reads it with small
 * numbers hidden, and is refused every record page; Priya, the admin, downloads the PDF, makes a share
 * link that opens the report for someone not signed in, then revokes it; and the report reads in Welsh.
 */
describe('the impact report in a browser without JavaScript', { concurrency: false }, () => {
  let harness: Harness;
  let ruth: Page;
  let priya: Page;
  let stranger: Page;
  let shareLink = '';

  before(async () => {
    harness = await startHarness();
    ruth = await (await harness.newContext({ width, height: 740 })).newPage();
    priya = await (await harness.newContext({ width, height: 740 })).newPage();
    stranger = await (await harness.newContext({ width, height: 740 })).newPage();
    await signIn(harness, ruth, 'funder@riverside.example');
    await signIn(harness, priya, 'admin@riverside.example');
  });
  after(async () => {
    await harness?.close();
  });

  const check = async (page: Page, name: string) => {
    await harness.expectAccessible(page, `impact: ${name}`);
    assert.equal(await horizontalScrollProblem(page, width, name), '');
  };

  test('(1) the funder finds the report and reads it with the small-number rule stated', async () => {
    await harness.visit(ruth, '/');
    const links = (await (await mainNavigation(ruth)).getByRole('link').allTextContents()).map((l) =>
      l.trim(),
    );
    assert.ok(links.includes('Impact'), `the funder's navigation: ${links.join(', ')}`);
    assert.ok(!links.includes('Coaching') && !links.includes('Organisation admin'), links.join(', '));
    await clickAndWait(ruth, (await mainNavigation(ruth)).getByRole('link', { name: 'Impact' }));
    assert.equal(await heading(ruth), 'What difference the work makes');
    const text = await mainText(ruth);
    assert.match(text, /any count of people from 1 to 7 is shown as "fewer than 8"/);
    assert.match(text, /People reached/);
    // A funder is never offered the team's exact figures.
    assert.equal(await main(ruth).getByRole('group', { name: 'Which figures' }).count(), 0);
    await check(ruth, 'report as a funder');
    // Every chart has its figures in a table, and says what it shows to a screen reader.
    const chart = main(ruth).locator('svg.impact-chart').first();
    if ((await chart.count()) > 0) assert.ok(await chart.getAttribute('aria-labelledby'));
  });

  test('(2) the funder is refused every record page', async () => {
    for (const path of [
      `/coaching/people/${jordan}`,
      `/admin/people/${jordan}`,
      `/budget`,
      '/barriers',
      '/impact/settings',
    ]) {
      const response = await harness.visit(ruth, path);
      assert.ok([403, 404].includes(response.status()), `${path} answered ${response.status()}`);
      assert.doesNotMatch(await mainText(ruth), /Jordan/);
    }
    const record = await harness.visit(ruth, `/coaching/people/${jordan}`);
    assert.equal(record.status(), 404);
  });

  test('(3) the admin downloads the report as a PDF, with the rule and the document language', async () => {
    await harness.visit(priya, '/impact');
    await check(priya, 'report for the team');
    await main(priya).getByLabel('As shared outside the team, with small numbers hidden').check();
    await clickAndWait(priya, main(priya).getByRole('button', { name: 'Show the report' }));
    assert.match(new URL(priya.url()).search, /view=outside/);
    const [download] = await Promise.all([
      priya.waitForEvent('download'),
      main(priya).getByRole('link', { name: 'Download as a PDF' }).click(),
    ]);
    const bytes = await readFile((await download.path())!);
    assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
    const pdf = readPdf(new Uint8Array(bytes));
    assert.match(pdf.text, /What difference the work makes: Riverside Community Coaching/);
    assert.match(pdf.text, /fewer than 8/);
    assert.match(bytes.toString('latin1'), /\/Lang \(en-GB\)/);
  });

  test('(4) a share link opens the report without signing in, and nothing once revoked', async () => {
    await harness.visit(priya, '/impact');
    await clickAndWait(
      priya,
      main(priya).getByRole('link', { name: 'Share with a funder without them signing in' }),
    );
    assert.equal(await heading(priya), 'Share the report with a funder');
    await check(priya, 'share links');
    await clickAndWait(priya, main(priya).getByRole('button', { name: 'Make the link' }));
    // Nothing said who it is for: the message is beside the field, linked from the summary.
    assert.equal(await main(priya).locator('.govuk-error-summary').count(), 1);
    assert.equal(await main(priya).locator('#label-error').count(), 1);
    await check(priya, 'share link with a mistake');
    await main(priya).getByLabel('Who it is for').fill('The Lottery grant officer');
    await clickAndWait(priya, main(priya).getByRole('button', { name: 'Make the link' }));
    shareLink = ((await main(priya).locator('#share-link').textContent()) ?? '').trim();
    assert.match(shareLink, /\/impact\/shared\/[A-Za-z0-9_-]{20,}$/);
    await check(priya, 'share link made');

    const opened = await harness.visit(stranger, new URL(shareLink).pathname);
    assert.equal(opened.status(), 200);
    assert.equal(await heading(stranger), 'What difference the work makes');
    assert.match(await mainText(stranger), /Shared with The Lottery grant officer/);
    await check(stranger, 'shared report');

    await harness.visit(priya, '/impact/shares');
    const row = main(priya).locator('tr', { hasText: 'The Lottery grant officer' });
    // Opened once, by the stranger.
    assert.equal(((await row.locator('td').nth(3).textContent()) ?? '').trim(), '1');
    await clickAndWait(priya, row.getByRole('button', { name: /Revoke/ }));
    assert.match((await priya.getByRole('status').textContent()) ?? '', /revoked/);
    const gone = await harness.visit(stranger, new URL(shareLink).pathname);
    assert.equal(gone.status(), 404);
    assert.match(await mainText(stranger), /may have run out or been revoked/);
  });

  test('(5) the report reads in Welsh', async () => {
    await harness.visit(ruth, '/impact');
    await clickAndWait(ruth, ruth.getByRole('banner').getByRole('link', { name: 'Cymraeg' }));
    assert.equal(await heading(ruth), "Pa wahaniaeth mae'r gwaith yn ei wneud");
    assert.equal(await ruth.locator('html').getAttribute('lang'), 'cy');
    assert.match(await mainText(ruth), /llai na 8/);
    await check(ruth, 'report in Welsh');
  });
});
