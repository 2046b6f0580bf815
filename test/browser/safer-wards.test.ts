import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import en from '../../src/modules/safer-wards/en.json' with { type: 'json' };
import { ukDayAndTime } from '../../src/modules/safer-wards/moments.ts';
import { exportColumns } from '../../src/modules/safer-wards/statutory-export.ts';
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
const banner = (page: Page) => page.getByRole('banner');
const mainText = async (page: Page) => ((await main(page).textContent()) ?? '').replace(/\s+/g, ' ');
const caption = async (page: Page) =>
  ((await main(page).locator('.govuk-caption-l').first().textContent()) ?? '').trim();

/** Willow ward at Glan Hafren, in the demo (src/modules/safer-wards/demo.ts). */
const willow = '00000000-0000-4000-8300-a00000000001';
const askForHelp =
  'I will show the green card to whoever is on shift. If I cannot, I will sit by the office.';
const jobTitle = 'Senior staff nurse';
const accountWords =
  'I showed the green card but it still got too much. Sitting down helped. Thank you for talking to me.';

/** A CSV file as rows of cells: quoted cells may hold commas, quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += char;
  }
  if (cell || row.length > 0) rows.push([...row, cell]);
  return rows;
}

/**
 * Safer wards on a phone-sized screen with JavaScript off, every page scanned with axe-core and every
 * page's HTML validated: Alex writes in their help plan how they will ask for help; Bethan, a nurse on
 * Willow ward, records from the ward home that Alex asked for help and got it (three actions), then a
 * use of force with Alex's plan shown above the form, saves a draft, is told what is missing at
 * sign-off, finishes it and signs it off; Alex reads it and gives their own account; Owen, the ward
 * manager, sees the ward's figures go up by one and downloads the statutory CSV; and the ward home,
 * the figures and Alex's page read in Welsh.
 */
describe('safer wards in a browser without JavaScript', { concurrency: false }, () => {
  let harness: Harness;
  let alex: Page;
  let bethan: Page;
  let owen: Page;
  let alexId = '';
  let recordId = '';
  // When the use of force began and ended, typed as the ward clock reads (UK time), a little in the past.
  const startedAt = new Date(Date.now() - 20 * 60_000);
  const endedAt = new Date(startedAt.getTime() + 4 * 60_000);
  const start = ukDayAndTime(startedAt);
  const end = ukDayAndTime(endedAt);
  // The dashboard's figures before the use of force is recorded, read from the page.
  let usesBefore = -1;
  let monthUsesBefore = -1;

  before(async () => {
    harness = await startHarness();
    alex = await (await harness.newContext({ width, height: 740 })).newPage();
    bethan = await (await harness.newContext({ width, height: 740 })).newPage();
    owen = await (await harness.newContext({ width, height: 740 })).newPage();
    await signIn(harness, alex, 'person@glanhafren.example');
    await signIn(harness, bethan, 'coach@glanhafren.example');
    await signIn(harness, owen, 'lead@glanhafren.example');
  });
  after(async () => {
    await harness?.close();
  });

  const check = async (page: Page, name: string) => {
    await harness.expectAccessible(page, `safer wards: ${name}`);
    assert.equal(await horizontalScrollProblem(page, width, name), '');
  };

  /** The figures on the dashboard as shown: the 24 months' total and the record's month in the table. */
  const readDashboard = async (page: Page) => {
    await harness.visit(page, `/wards/${willow}/dashboard`);
    assert.equal(await heading(page), "The ward's figures");
    const total = /Uses of force: (\d+) in the last 24 months/.exec(await mainText(page));
    assert.ok(total, 'the dashboard says how many times force was used');
    const month = new Intl.DateTimeFormat('en-GB', {
      month: 'short',
      year: 'numeric',
      timeZone: 'UTC',
    }).format(new Date(`${start.day.slice(0, 7)}-15T12:00:00Z`));
    const table = main(page).getByRole('region', { name: 'Month by month' });
    const row = table.locator('tbody tr').filter({ has: page.locator('td:first-child', { hasText: month }) });
    assert.equal(await row.count(), 1, `the months table has a row for ${month}`);
    const headers = (await table.locator('thead th').allTextContents()).map((h) => h.trim());
    const uses = (await row.locator('td').nth(headers.indexOf('Uses of force')).textContent())!.trim();
    return { total: Number(total[1]), month: Number(uses.replace(/,/g, '')) };
  };

  test('(1) Alex writes how they will ask for help in their help plan, and sees it', async () => {
    await harness.visit(alex, '/');
    await clickAndWait(alex, (await mainNavigation(alex)).getByRole('link', { name: 'My help plan' }));
    assert.equal(new URL(alex.url()).pathname, '/my-ward');
    assert.equal(await heading(alex), 'My help plan');
    await check(alex, 'my help plan');
    await clickAndWait(alex, main(alex).getByRole('link', { name: 'Change my help plan' }));
    assert.equal(await heading(alex), 'My help plan');
    await check(alex, 'change my help plan');
    const field = main(alex).getByLabel('How I will ask for help (a word, a sign, a card)');
    assert.match(await field.inputValue(), /office door/, 'the plan so far is there to change');
    await field.fill(askForHelp);
    await clickAndWait(alex, main(alex).getByRole('button', { name: 'Save the help plan' }));
    assert.equal(new URL(alex.url()).pathname, '/my-ward');
    assert.match((await alex.getByRole('status').textContent()) ?? '', /The help plan is saved/);
    const plan = await mainText(alex);
    assert.match(plan, /How I will ask for help \(a word, a sign, a card\)\s*I will show the green card/);
    assert.match(plan, /In your own words/);
    await check(alex, 'my help plan, saved');
  });

  test('(2) Bethan records from the ward home that Alex asked for help, in three actions', async () => {
    await harness.visit(bethan, '/wards');
    // Bethan works on one ward, so the list goes straight to it; with more, she chooses Willow.
    if (new URL(bethan.url()).pathname === '/wards')
      await clickAndWait(bethan, main(bethan).getByRole('link', { name: 'Willow' }));
    assert.equal(new URL(bethan.url()).pathname, `/wards/${willow}`);
    assert.equal(await heading(bethan), 'Willow');
    assert.equal(await caption(bethan), 'Ward');
    await check(bethan, 'the ward home');

    let actions = 0;
    await clickAndWait(bethan, main(bethan).getByRole('link', { name: 'Record what happened with Alex' }));
    actions++;
    assert.equal(await heading(bethan), 'Record what happened');
    alexId = new URL(bethan.url()).searchParams.get('person') ?? '';
    assert.match(alexId, /^[0-9a-f-]{36}$/);
    // Alex is chosen already, the time is now, and what helps them is a tap away.
    assert.equal(await main(bethan).getByLabel('Who was it with?').inputValue(), alexId);
    assert.match(await mainText(bethan), /What helps Alex/);
    await check(bethan, 'record what happened');
    await main(bethan).getByLabel('Asked for help and got it').check();
    actions++;
    await clickAndWait(bethan, main(bethan).getByRole('button', { name: 'Record it' }));
    actions++;
    assert.ok(actions <= 3, `${actions} actions from the ward home`);
    assert.equal(new URL(bethan.url()).pathname, `/wards/${willow}`);
    assert.match((await bethan.getByRole('status').textContent()) ?? '', /What happened is recorded/);
    await check(bethan, 'the ward home, recorded');

    // On Alex's page it is the newest thing that happened, recorded by Bethan.
    await clickAndWait(bethan, main(bethan).getByRole('link', { name: 'Alex', exact: true }));
    assert.equal(await heading(bethan), 'Alex');
    const recent = main(bethan)
      .locator('h2', { hasText: 'What happened recently' })
      .locator('+ ul li')
      .first();
    assert.match((await recent.textContent()) ?? '', /Asked for help and got it, .* · Bethan/);
    await check(bethan, 'a patient, for staff');
  });

  test('(5, before) Owen reads the ward’s figures before the use of force', async () => {
    const before = await readDashboard(owen);
    usesBefore = before.total;
    monthUsesBefore = before.month;
    assert.ok(usesBefore > 0, 'the demo has two years of uses of force');
    await check(owen, 'the ward’s figures');
  });

  test('(3) Bethan records a use of force with Alex’s plan above it, is told what is missing, and signs it off', async () => {
    await harness.visit(bethan, `/wards/${willow}/patients/${alexId}`);
    await clickAndWait(bethan, main(bethan).getByRole('link', { name: 'Record a use of force' }));
    assert.equal(await heading(bethan), 'Record a use of force');
    // Alex's own words come first, above the form.
    const plan = main(bethan).locator('.govuk-inset-text').first();
    assert.equal(((await plan.locator('h2').textContent()) ?? '').trim(), 'What helps Alex');
    assert.match((await plan.textContent()) ?? '', /green card/);
    assert.ok(
      await plan.evaluate((box) => {
        const form = document.querySelector('main form[method="post"]');
        return Boolean(form && box.compareDocumentPosition(form) & Node.DOCUMENT_POSITION_FOLLOWING);
      }),
      'the plan is shown before the form',
    );
    assert.equal(await main(bethan).getByLabel('Who was force used with?').inputValue(), alexId);
    await check(bethan, 'record a use of force');

    await main(bethan).getByLabel('Where it happened (b)').fill('Lounge, by the window');
    const first = main(bethan).locator('.alongside-force-type').filter({ hasText: 'Type of force 1' });
    await first.getByLabel('Type of force').selectOption({ label: 'Physical restraint' });
    await first.getByLabel('Position').selectOption({ label: 'Seated' });
    const started = first.getByRole('group', { name: 'When it started' });
    await started.getByLabel('Day').fill(start.day);
    await started.getByLabel('Time, for example 14:30').fill(start.time);
    const ended = first.getByRole('group', { name: 'When it ended' });
    await ended.getByLabel('Day').fill(end.day);
    await ended.getByLabel('Time, for example 14:30').fill(end.time);
    const staff = main(bethan).getByRole('group', { name: /Staff who used force/ });
    await staff.getByLabel('Bethan', { exact: true }).check();
    await staff.getByLabel("Bethan's job title").fill(jobTitle);
    await clickAndWait(bethan, main(bethan).getByRole('button', { name: 'Save as a draft' }));
    const saved = /\/wards\/[0-9a-f-]{36}\/force\/([0-9a-f-]{36})$/.exec(new URL(bethan.url()).pathname);
    assert.ok(saved, `a draft's own page, not ${bethan.url()}`);
    recordId = saved[1]!;
    assert.match((await bethan.getByRole('status').textContent()) ?? '', /The draft is saved/);
    assert.equal(await caption(bethan), 'Alex · Draft');
    await check(bethan, 'a draft record of force');

    // Opened again from the ward's records, it is a draft there too.
    await harness.visit(bethan, `/wards/${willow}`);
    await clickAndWait(bethan, main(bethan).getByRole('link', { name: 'Records of force' }));
    assert.equal(await heading(bethan), 'Records of force');
    const item = main(bethan)
      .locator('li')
      .filter({ has: bethan.locator(`a[href$="/force/${recordId}"]`) });
    assert.match((await item.textContent()) ?? '', /Alex\s+Draft/);
    await check(bethan, 'records of force, for a nurse');
    await clickAndWait(bethan, item.getByRole('link'));
    assert.equal(new URL(bethan.url()).pathname, `/wards/${willow}/force/${recordId}`);

    // Sign-off lists what is still missing, and locks nothing: each message links to its field.
    const refused = await clickAndWait(
      bethan,
      main(bethan).getByRole('button', { name: 'Sign off the record' }),
    );
    assert.equal(refused.status(), 400);
    const summary = bethan.locator('.govuk-error-summary');
    const missing = (await summary.locator('li').allTextContents()).map((m) => m.trim());
    for (const letter of ['a', 'd', 'f', 'i', 'm', 'n', 'o', 'p'] as const)
      assert.ok(
        missing.includes(en.force.missing[letter]),
        `sign-off says "${en.force.missing[letter]}"; it said ${missing.join(' | ')}`,
      );
    for (const letter of ['b', 'c', 'h'] as const)
      assert.ok(!missing.includes(en.force.missing[letter]), `(${letter}) was given`);
    await check(bethan, 'a draft record of force, not yet complete');

    // The refusal is the form to finish it, each missing item beside its field.
    assert.equal(await heading(bethan), 'Finish the draft record');
    assert.equal(await bethan.locator('#reason-error').count(), 1);
    await check(bethan, 'finish the draft record');
    const form = main(bethan);
    assert.equal(await form.getByLabel('Where it happened (b)').inputValue(), 'Lounge, by the window');
    assert.equal(await form.getByLabel("Bethan's job title").inputValue(), jobTitle);
    await form
      .getByLabel('Why force was used (a)')
      .fill('To keep Alex safe: they were hitting their head against the window and could not stop.');
    await form
      .getByLabel('How force was used (f)')
      .fill('Bethan held Alex’s arms and guided them to sit on the sofa, talking to them throughout.');
    await form
      .getByRole('group', { name: /part of their care plan/ })
      .getByLabel('Yes', { exact: true })
      .check();
    await form
      .getByRole('group', { name: 'From their help plan' })
      .getByLabel(/green card/)
      .check();
    await form
      .getByLabel('Anything else that was tried to avoid using force (o)')
      .fill('We offered music and the garden first.');
    await form
      .getByRole('group', { name: /anyone who is not ward staff/ })
      .getByLabel('No, only staff of the ward or unit')
      .check();
    await form
      .getByLabel('The outcome of the use of force (m)')
      .fill('Alex listened to music, then had tea.');
    await form
      .getByRole('group', { name: /serious injury/ })
      .getByLabel('No injury')
      .check();
    await form
      .getByRole('group', { name: /people their care plan names told/ })
      .getByLabel('Yes, they were told')
      .check();
    await form
      .getByLabel('Who was told, how and when (p)')
      .fill('Their brother Sam, by phone, this afternoon.');
    await clickAndWait(bethan, form.getByRole('button', { name: 'Save as a draft' }));
    assert.equal(new URL(bethan.url()).pathname, `/wards/${willow}/force/${recordId}`);
    assert.match((await bethan.getByRole('status').textContent()) ?? '', /The draft is saved/);

    await clickAndWait(bethan, main(bethan).getByRole('button', { name: 'Sign off the record' }));
    assert.equal(new URL(bethan.url()).pathname, `/wards/${willow}/force/${recordId}`);
    assert.match((await bethan.getByRole('status').textContent()) ?? '', /The record is signed off/);
    assert.equal(await caption(bethan), 'Alex · Signed off');
    const record = await mainText(bethan);
    assert.match(record, /Signed off on .*Any change now needs a reason/);
    assert.match(record, /Physical restraint \(Seated\)/);
    assert.match(record, new RegExp(`Bethan, ${jobTitle}`));
    assert.equal(await main(bethan).getByRole('button', { name: 'Sign off the record' }).count(), 0);
    assert.equal(await main(bethan).getByRole('link', { name: 'Change the record' }).count(), 1);
    await check(bethan, 'a signed-off record of force');
  });

  test('(4) Alex reads the record and gives their own account, in their own words', async () => {
    await harness.visit(alex, '/my-ward');
    await clickAndWait(alex, main(alex).locator(`a[href="/my-ward/force/${recordId}"]`));
    assert.match(await heading(alex), /^Use of force on /);
    const staffAccount = await mainText(alex);
    assert.match(staffAccount, /What staff recorded/);
    assert.match(staffAccount, /Lounge, by the window/);
    assert.match(staffAccount, /Physical restraint \(Seated\)/);
    assert.match(staffAccount, new RegExp(`Bethan, ${jobTitle}`));
    assert.match(staffAccount, /hitting their head against the window/);
    await check(alex, 'a record of force about me');

    await main(alex).getByLabel('Yes, I want to say what happened').check();
    await main(alex).getByLabel('What happened, in your words').fill(accountWords);
    await clickAndWait(alex, main(alex).getByRole('button', { name: 'Save my answer' }));
    assert.equal(new URL(alex.url()).pathname, `/my-ward/force/${recordId}`);
    assert.match(
      (await alex.getByRole('status').textContent()) ?? '',
      /Your account of what happened is saved/,
    );
    const mine = main(alex)
      .locator('h2', { hasText: 'Your account of what happened' })
      .locator('+ .govuk-inset-text');
    assert.match((await mine.textContent()) ?? '', /Account given/);
    assert.match((await mine.textContent()) ?? '', /I showed the green card but it still got too much/);
    await check(alex, 'a record of force about me, with my account');

    // The staff read it beside their own, as Alex wrote it.
    await harness.visit(bethan, `/wards/${willow}/force/${recordId}`);
    const patientSide = main(bethan).locator('h2', { hasText: "The person's own account" }).locator('+ ul');
    assert.match((await patientSide.textContent()) ?? '', /Account given[\s\S]*I showed the green card/);
  });

  test('(5) the ward’s figures count the use of force once', async () => {
    const now = await readDashboard(owen);
    assert.equal(now.total, usesBefore + 1, 'uses of force in the last 24 months');
    assert.equal(now.month, monthUsesBefore + 1, 'uses of force in the month it began');
    // The month under way is the last row of the months table, and is left off the chart (and its table).
    const months = main(owen).getByRole('region', { name: 'Month by month' });
    const underWay = (
      (await months.locator('tbody tr').last().locator('td').first().textContent()) ?? ''
    ).trim();
    const charted = main(owen).getByRole('region', { name: /by month: the figures by month$/ });
    const chartMonths = (await charted.locator('tbody tr td:first-child').allTextContents()).map((m) =>
      m.trim(),
    );
    assert.ok(chartMonths.length > 0, 'the chart has its months as a table too');
    assert.ok(!chartMonths.includes(underWay), `${underWay} is not charted yet`);
    await check(owen, 'the ward’s figures, one more');
  });

  test('(6) Owen downloads the statutory CSV from the ward’s records of force', async () => {
    await harness.visit(owen, `/wards/${willow}`);
    await clickAndWait(owen, main(owen).getByRole('link', { name: 'Records of force' }));
    assert.equal(await heading(owen), 'Records of force');
    assert.equal(
      (
        (await main(owen).locator('h2', { hasText: 'Download the records of force' }).textContent()) ?? ''
      ).trim(),
      'Download the records of force',
    );
    await check(owen, 'records of force, for the ward manager');
    await main(owen).getByLabel('From').fill(start.day);
    await main(owen).getByLabel('To').fill(start.day);
    const [download] = await Promise.all([
      owen.waitForEvent('download'),
      main(owen).getByRole('button', { name: 'Download the spreadsheet (CSV)' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), `use-of-force-${start.day}-to-${start.day}.csv`);
    const text = await readFile((await download.path())!, 'utf8');
    assert.ok(text.startsWith('\uFEFF'), 'a byte order mark, for spreadsheets to read it as UTF-8');
    const [header, ...rows] = parseCsv(text.slice(1));
    assert.equal(header!.length, 30);
    assert.deepEqual(
      header,
      exportColumns.map((column) => en.export.columns[column]),
    );
    const ours = rows.filter((row) => row[exportColumns.indexOf('record')] === recordId);
    assert.equal(ours.length, 1, 'one row for the one type of force used');
    const cell = (column: (typeof exportColumns)[number]) => ours[0]![exportColumns.indexOf(column)]!;
    assert.equal(cell('ward'), 'Willow');
    assert.equal(cell('status'), 'Signed off');
    assert.equal(cell('patient'), 'Alex Morgan (Alex)');
    assert.equal(cell('type'), 'Physical restraint');
    assert.equal(cell('position'), 'Seated');
    assert.equal(cell('typeMinutes'), '4');
    assert.equal(cell('staff'), `Bethan (${jobTitle})`);
    assert.equal(cell('place'), 'Lounge, by the window');
    assert.match(cell('planItemsTried'), /green card/);
    assert.ok(
      rows.every((row) => row.length === 30),
      'every row has all 30 columns',
    );
  });

  test('(7) in Welsh: the ward home, the figures and Alex’s own page', async () => {
    await harness.visit(bethan, `/wards/${willow}`);
    await clickAndWait(bethan, banner(bethan).getByRole('link', { name: 'Cymraeg' }));
    assert.equal(new URL(bethan.url()).pathname, `/wards/${willow}`);
    assert.equal(await heading(bethan), 'Helygen');
    assert.equal(await bethan.locator('html').getAttribute('lang'), 'cy');
    await check(bethan, 'the ward home, in Welsh');

    await harness.visit(owen, `/wards/${willow}/dashboard`);
    await clickAndWait(owen, banner(owen).getByRole('link', { name: 'Cymraeg' }));
    assert.equal(await heading(owen), "Ffigurau'r ward");
    assert.equal(await caption(owen), 'Helygen');
    assert.match(await mainText(owen), new RegExp(`Defnyddio grym: ${usesBefore + 1} yn y 24 mis diwethaf`));
    await check(owen, 'the ward’s figures, in Welsh');

    await harness.visit(alex, '/my-ward');
    await clickAndWait(alex, banner(alex).getByRole('link', { name: 'Cymraeg' }));
    assert.equal(await heading(alex), 'Fy nghynllun help');
    // Alex's words are kept as they wrote them.
    assert.match(await mainText(alex), /I will show the green card/);
    await check(alex, 'my help plan, in Welsh');
  });
});
