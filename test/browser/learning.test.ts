import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { clickAndWait, type Harness, heading, mainNavigation, signIn, startHarness } from './harness.ts';

/**
 * Learning together in a phone-sized browser with JavaScript off, every page scanned with axe-core:
 * an anonymous challenge and its answer, a reflective space with that challenge on its agenda, an
 * idea that becomes a kept change, a culture round that shows its chart from five answers, and
 * check-ins whose team figure appears only from five people.
 */
const width = 360;

async function phone(harness: Harness): Promise<Page> {
  const context = await harness.newContext({ width, height: 740 });
  return context.newPage();
}

async function check(harness: Harness, page: Page, name: string) {
  await harness.expectAccessible(page, `learning: ${name}`);
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollWidth <= width, `"${name}" scrolls sideways at ${width}px: it is ${scrollWidth}px wide`);
}

const main = (page: Page) => page.getByRole('main');
const mainText = async (page: Page) => (await main(page).innerText()).replace(/\s+/g, ' ');

async function signInAsGareth(harness: Harness, page: Page) {
  await signIn(harness, page, 'lead@riverside.example');
  if (new URL(page.url()).pathname === '/choose-organisation') {
    await main(page).getByLabel('Riverside Community Coaching').check();
    await clickAndWait(page, main(page).getByRole('button'));
  }
}

async function openLearning(page: Page) {
  await clickAndWait(page, (await mainNavigation(page)).getByRole('link', { name: 'Learning together' }));
}

describe('learning together in a browser without JavaScript', () => {
  let harness: Harness;
  let amara: Page;
  let gareth: Page;
  let tomasz: Page;
  let priya: Page;
  before(async () => {
    harness = await startHarness();
    amara = await phone(harness);
    await signIn(harness, amara, 'coach@riverside.example');
    gareth = await phone(harness);
    await signInAsGareth(harness, gareth);
    tomasz = await phone(harness);
    await signIn(harness, tomasz, 'peer@riverside.example');
    priya = await phone(harness);
    await signIn(harness, priya, 'admin@riverside.example');
  });
  after(async () => {
    await harness?.close();
  });

  test('a coach raises a challenge without a name and a lead answers it', async () => {
    await openLearning(amara);
    await check(harness, amara, 'home');
    await clickAndWait(amara, main(amara).getByRole('link', { name: 'Challenges' }));
    await check(harness, amara, 'challenges board');
    await clickAndWait(amara, main(amara).getByRole('link', { name: 'Raise a challenge' }));
    await check(harness, amara, 'raise a challenge');
    // Nothing chosen: the message is by the field and what was typed stays.
    await amara.getByLabel('What would you suggest?').fill('Pair people up');
    const refused = await clickAndWait(
      amara,
      main(amara).getByRole('button', { name: 'Raise this challenge' }),
    );
    assert.equal(refused.status(), 400);
    assert.equal(await amara.getByLabel('What would you suggest?').inputValue(), 'Pair people up');
    await check(harness, amara, 'raise a challenge, with errors');
    await amara.getByLabel('The leaders here').check();
    await amara.getByLabel("What isn't working?").fill('The night rota leaves one coach alone on Fridays');
    await amara.getByLabel('No, raise it without my name').check();
    await clickAndWait(amara, main(amara).getByRole('button', { name: 'Raise this challenge' }));
    assert.equal(await heading(amara), 'Your challenge has been raised without your name');
    const key = ((await amara.locator('#anonymous-key').textContent()) ?? '').trim();
    assert.ok(key.length > 20);
    await check(harness, amara, 'private key');

    await openLearning(gareth);
    await clickAndWait(gareth, main(gareth).getByRole('link', { name: 'Challenges' }));
    await clickAndWait(gareth, main(gareth).getByRole('link', { name: /The night rota/ }));
    assert.match(await mainText(gareth), /Raised without a name on/);
    assert.doesNotMatch(await mainText(gareth), /Raised by/);
    await check(harness, gareth, 'a challenge, for a lead');
    await gareth.getByLabel('Changed: you said, we did').check();
    await gareth
      .getByLabel('Answer', { exact: true })
      .fill('You said, we did: nobody works a night alone now.');
    await clickAndWait(gareth, main(gareth).getByRole('button', { name: 'Send the answer' }));
    assert.match(await mainText(gareth), /The answer is saved/);
    assert.match(await mainText(gareth), /Changed Answered after 0 days/);

    // The author, with the key, sees the answer; the words stay as they were answered.
    await clickAndWait(amara, main(amara).getByRole('link', { name: 'Go to the challenges' }));
    assert.match(await mainText(amara), /nobody works a night alone now/);
    await clickAndWait(
      amara,
      main(amara).getByRole('link', { name: 'Change a challenge you raised without your name' }),
    );
    await check(harness, amara, 'open a challenge with its key');
    await amara.getByLabel('Private key').fill(key);
    await clickAndWait(amara, main(amara).getByRole('button', { name: 'Open my challenge' }));
    assert.match(await mainText(amara), /has been answered, so its words stay/);
    await check(harness, amara, 'a challenge opened with its key');
  });

  test('a reflective space has the challenge on its agenda, learning of two kinds and a calendar file', async () => {
    await harness.visit(amara, '/learning');
    await clickAndWait(amara, main(amara).getByRole('link', { name: 'Reflective spaces' }));
    await check(harness, amara, 'reflective spaces');
    const soon = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    await amara.getByLabel('Name', { exact: true }).fill('Night coaches’ space');
    await amara.getByLabel('First date').fill(soon);
    assert.equal(await amara.getByLabel('How many days between each one').inputValue(), '14');
    await clickAndWait(amara, main(amara).getByRole('button', { name: 'Set it up' }));
    assert.equal(await heading(amara), 'Night coaches’ space');
    await check(harness, amara, 'a reflective space series');
    await clickAndWait(amara, main(amara).locator('ul.govuk-list a').first());
    assert.match(await mainText(amara), /Challenges raised .*The night rota leaves one coach alone/);
    await check(harness, amara, 'one reflective space');

    const [download] = await Promise.all([
      amara.waitForEvent('download'),
      main(amara)
        .getByRole('link', { name: /Download this date for your calendar/ })
        .click(),
    ]);
    assert.match(download.suggestedFilename(), /^reflective-space-\d{4}-\d{2}-\d{2}\.ics$/);
    const ics = readFileSync((await download.path())!, 'utf8');
    assert.match(ics, /BEGIN:VCALENDAR[\s\S]*SUMMARY:Night coaches’ space[\s\S]*END:VCALENDAR/);

    await main(amara).getByLabel('Amara').check();
    await main(amara).getByLabel('Gareth').check();
    await clickAndWait(amara, main(amara).getByRole('button', { name: 'Save who came' }));
    await clickAndWait(amara, main(amara).getByRole('link', { name: 'Write down something we learned' }));
    await check(harness, amara, 'write down learning');
    await amara.getByLabel('Know-how').check();
    await amara.getByLabel('A short title').fill('Pairing on nights');
    await amara
      .getByLabel('Your words')
      .fill('Nobody works a night alone: swap with your pair, not the rota.');
    await clickAndWait(amara, main(amara).getByRole('button', { name: 'Save it' }));
    await clickAndWait(amara, main(amara).getByRole('link', { name: 'Write down something we learned' }));
    await amara.getByLabel('A story or image').check();
    await amara.getByLabel('A short title').fill('Our drawing of the rota');
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
      'base64',
    );
    await amara
      .getByLabel('A drawing or photo (optional)')
      .setInputFiles({ name: 'rota.png', mimeType: 'image/png', buffer: png });
    await amara.getByLabel('What the picture shows').fill('Two stick figures holding hands under a moon');
    await clickAndWait(amara, main(amara).getByRole('button', { name: 'Save it' }));
    const text = await mainText(amara);
    assert.match(text, /Pairing on nights \(Know-how\)/);
    assert.match(text, /Our drawing of the rota \(A story or image\)/);
    await check(harness, amara, 'one reflective space, with learning');
    await clickAndWait(amara, main(amara).getByRole('link', { name: 'Our drawing of the rota' }));
    const image = main(amara).getByRole('img', { name: 'Two stick figures holding hands under a moon' });
    assert.equal(await image.count(), 1);
    await check(harness, amara, 'a learning entry with a picture');
  });

  test('a peer proposes an idea, passes the self-check, runs it, and a lead keeps it', async () => {
    await harness.visit(tomasz, '/learning');
    await clickAndWait(tomasz, main(tomasz).getByRole('link', { name: 'Change ideas' }));
    await check(harness, tomasz, 'change ideas');
    await clickAndWait(tomasz, main(tomasz).getByRole('link', { name: 'Suggest a change' }));
    await check(harness, tomasz, 'suggest a change');
    await tomasz.getByLabel('What is the change?').fill('Walk-and-talk meetings by the river');
    await clickAndWait(tomasz, main(tomasz).getByRole('button', { name: 'Suggest it' }));
    assert.equal(await heading(tomasz), 'Walk-and-talk meetings by the river');
    await check(harness, tomasz, 'an idea with its self-check');
    for (const question of [
      'Does it keep everyone safe?',
      'Is it legal and within our policies?',
      'Will it cost less than £100?',
      "Can it be undone easily if it doesn't work?",
      'Would the people it affects want it?',
      'Will we share what happens, whatever happens?',
    ])
      await main(tomasz).getByRole('group', { name: question }).getByLabel('Yes').check();
    await clickAndWait(tomasz, main(tomasz).getByRole('button', { name: 'Check my answers' }));
    assert.match(await mainText(tomasz), /go ahead, no permission needed/);
    await tomasz.getByLabel('How we will know if it works').fill('People ask for another walk');
    await tomasz.getByLabel('What happened').fill('All three asked for another');
    await tomasz.getByLabel('What we learned').fill('Talking side by side is easier');
    await clickAndWait(tomasz, main(tomasz).getByRole('button', { name: 'Save the experiment' }));
    await check(harness, tomasz, 'an experiment');

    await harness.visit(gareth, '/learning/ideas');
    await clickAndWait(
      gareth,
      main(gareth).getByRole('link', { name: 'Walk-and-talk meetings by the river' }),
    );
    await gareth.getByLabel('Keep it: it becomes a change we made').check();
    await clickAndWait(gareth, main(gareth).getByRole('button', { name: 'Save the decision' }));
    assert.match(await mainText(gareth), /Kept: a change we made/);
    await harness.visit(tomasz, '/learning/ideas/wall');
    assert.match(await mainText(tomasz), /Walk-and-talk meetings by the river By Tomasz on/);
    await check(harness, tomasz, 'changes we made');
  });

  test('a culture round shows nothing with four answers and its chart with five', async () => {
    await harness.visit(gareth, '/learning/compass');
    await check(harness, gareth, 'culture compass');
    await gareth.getByLabel('Name of the round').fill('Winter round');
    await clickAndWait(gareth, main(gareth).getByRole('button', { name: 'Open the round' }));

    // A fifth member of the team, invited by the admin.
    await harness.visit(priya, '/admin/people/new');
    await priya.getByLabel('What they would like to be called').fill('Kai');
    await priya.getByLabel('Email address (optional)').fill('kai@example.org');
    await priya.getByLabel('Gets support').uncheck();
    await priya.getByLabel('Coach').check();
    await clickAndWait(priya, main(priya).getByRole('button', { name: 'Add', exact: true }));
    await harness.visit(priya, '/admin/outbox');
    const message = priya.locator('.alongside-card-list > li', { hasText: 'kai@example.org' });
    await message.getByText('Read the email').click();
    const link = /https?:\/\/\S+\/invitation\/\S+/.exec(
      (await message.locator('pre').textContent()) ?? '',
    )![0];
    const kai = await phone(harness);
    await kai.goto(link);
    await kai.getByLabel('New password', { exact: true }).fill('a-good-long-password');
    await kai.getByLabel('Type the new password again').fill('a-good-long-password');
    await clickAndWait(kai, main(kai).getByRole('button', { name: 'Join' }));

    const team = [amara, tomasz, gareth, priya, kai];
    for (const [index, page] of team.entries()) {
      await harness.visit(page, '/learning/compass');
      await clickAndWait(page, main(page).getByRole('link', { name: 'Answer Winter round' }));
      if (index === 0) {
        // A kind sum-check first: 90 points, and the message says how many more to share out.
        await page.locator('input[name="now-0-collaborate"]').fill('50');
        await page.locator('input[name="now-0-create"]').fill('40');
        const refused = await clickAndWait(page, main(page).getByRole('button', { name: 'Send my answers' }));
        assert.equal(refused.status(), 400);
        assert.match(await mainText(page), /these add up to 90\. Share out 10 more so they make 100/);
        await check(harness, page, 'culture compass answers, with errors');
      }
      for (const time of ['now', 'preferred'])
        for (let aspect = 0; aspect < 6; aspect++)
          for (const [k, culture] of ['collaborate', 'create', 'compete', 'control'].entries())
            await page
              .locator(`input[name="${time}-${aspect}-${culture}"]`)
              .fill(String((time === 'now' ? [15, 15, 30, 40] : [40, 30, 15, 15])[k]));
      if (index === 0) await check(harness, page, 'culture compass answers');
      await clickAndWait(page, main(page).getByRole('button', { name: 'Send my answers' }));
      await clickAndWait(page, main(page).getByRole('link', { name: 'Results of Winter round' }));
      const chart = main(page).locator('svg[role="img"]');
      if (index < 4) {
        assert.equal(await chart.count(), 0, `no chart with ${index + 1} answers`);
        assert.match(await mainText(page), /only when at least 5 people have answered/);
      } else {
        assert.equal(await chart.count(), 1, 'the chart with five answers');
        assert.match(await mainText(page), /People would like more Collaborate/);
        await check(harness, page, 'culture compass results');
      }
    }
  });

  test('check-ins show a team figure only from five people', async () => {
    const month = new Intl.DateTimeFormat('en-GB', {
      month: 'long',
      year: 'numeric',
      timeZone: 'Europe/London',
    }).format(new Date());
    const thisMonth = (page: Page) => main(page).locator('tr', { hasText: month });
    await harness.visit(amara, '/learning');
    await clickAndWait(amara, main(amara).getByRole('link', { name: 'How are you?' }));
    await check(harness, amara, 'wellbeing');
    assert.match((await thisMonth(amara).textContent()) ?? '', /Fewer than 5/);
    await amara.getByLabel(/^Strained: /).check();
    await amara.getByLabel('Private words').fill('Tired after the nights');
    await amara.getByLabel('Would you like a conversation with someone?').selectOption({ label: 'Gareth' });
    await clickAndWait(amara, main(amara).getByRole('button', { name: 'Save my check-in' }));
    assert.match(await mainText(amara), /has been told you would like to talk/);
    await check(harness, amara, 'your check-ins');
    await harness.visit(amara, '/learning/wellbeing');
    assert.match((await thisMonth(amara).textContent()) ?? '', /Too few people checked in/);

    await harness.visit(tomasz, '/learning/wellbeing');
    await tomasz.getByLabel(/^Settled: /).check();
    await clickAndWait(tomasz, main(tomasz).getByRole('button', { name: 'Save my check-in' }));
    await harness.visit(tomasz, '/learning/wellbeing');
    assert.match((await thisMonth(tomasz).textContent()) ?? '', /5\s*\d(\.\d)? out of 5/);
    await check(harness, tomasz, 'wellbeing, with this month shown');

    await harness.visit(gareth, '/learning');
    assert.match(await mainText(gareth), /Amara asked for a conversation with you/);
    assert.doesNotMatch(await mainText(gareth), /Tired after the nights|Strained/);
    await check(harness, gareth, 'home, asked for a conversation');
  });

  test('works in Welsh', async () => {
    const rhian = await phone(harness);
    await signIn(harness, rhian, 'admin@cwmteg.example');
    for (const [path, title] of [
      ['/learning', "Dysgu gyda'n gilydd"],
      ['/learning/challenges', 'Heriau'],
      ['/learning/wellbeing', 'Sut ydych chi?'],
      ['/learning/compass', 'Cwmpawd diwylliant'],
    ] as const) {
      await harness.visit(rhian, path);
      assert.equal(await heading(rhian), title);
      await check(harness, rhian, `in Welsh: ${path}`);
    }
    await clickAndWait(
      rhian,
      main(rhian)
        .getByRole('link', { name: /^Canlyniadau / })
        .first(),
    );
    assert.equal(await main(rhian).locator('svg[role="img"]').count(), 1);
    await check(harness, rhian, 'in Welsh: culture compass results');
  });

  test('every other page of the module, and its forms with mistakes, pass axe and fit a phone', async () => {
    const problems: string[] = [];
    const scan = async (page: Page, name: string) => {
      problems.push(await harness.accessibilityProblems(page, `learning: ${name}`));
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      if (scrollWidth > width)
        problems.push(`"${name}" scrolls sideways at ${width}px: it is ${scrollWidth}px wide`);
    };
    const hrefs = async (page: Page, pattern: RegExp) =>
      (
        await main(page)
          .locator('a')
          .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''))
      ).filter((href) => pattern.test(href));

    const pages: [string, string][] = [
      ['/learning/entries', 'learning entries'],
      ['/learning/entries?kind=story&q=nothing-like-this', 'learning entries, none found'],
      ['/learning/entries/new', 'write down learning, on its own'],
      ['/learning/ideas/new', 'suggest a change'],
      ['/learning/wellbeing/mine', 'your check-ins'],
      ['/learning/challenges/anonymous', 'open a challenge with its key'],
      ['/learning/challenges?status=waiting', 'challenges waiting'],
    ];
    for (const [path, name] of pages) {
      await harness.visit(gareth, path);
      await scan(gareth, name);
    }
    await harness.visit(gareth, '/learning/ideas');
    for (const [index, href] of (await hrefs(gareth, /^\/learning\/ideas\/[0-9a-f-]{36}$/)).entries()) {
      await harness.visit(gareth, href);
      await scan(gareth, `an idea (${index + 1})`);
    }
    await harness.visit(gareth, '/learning/entries');
    await harness.visit(gareth, (await hrefs(gareth, /^\/learning\/entries\/[0-9a-f-]{36}$/))[0]!);
    await scan(gareth, 'a learning entry');
    await harness.visit(gareth, '/learning/wellbeing/mine');
    await harness.visit(gareth, (await hrefs(gareth, /^\/learning\/wellbeing\/[0-9a-f-]{36}$/))[0]!);
    await scan(gareth, 'your check-in');
    await harness.visit(gareth, '/learning/spaces');
    await harness.visit(gareth, (await hrefs(gareth, /^\/learning\/spaces\/[0-9a-f-]{36}$/))[0]!);
    const dates = await hrefs(gareth, /^\/learning\/spaces\/[0-9a-f-]{36}\/[0-9a-f-]{36}$/);
    await harness.visit(gareth, dates[dates.length - 8]!);
    await scan(gareth, 'a reflective space that was held');

    // Forms sent with mistakes: each message by its field, the page still accessible.
    await harness.visit(gareth, '/learning/spaces');
    await gareth.getByLabel('First date').fill('2026-02-30');
    assert.equal(
      (await clickAndWait(gareth, main(gareth).getByRole('button', { name: 'Set it up' }))).status(),
      400,
    );
    await scan(gareth, 'set up a reflective space, with errors');
    await harness.visit(gareth, '/learning/wellbeing');
    assert.equal(
      (await clickAndWait(gareth, main(gareth).getByRole('button', { name: 'Save my check-in' }))).status(),
      400,
    );
    await scan(gareth, 'wellbeing, with errors');
    await harness.visit(gareth, '/learning/challenges/anonymous');
    await gareth.getByLabel('Private key').fill('a-key-that-opens-nothing-at-all');
    assert.equal(
      (await clickAndWait(gareth, main(gareth).getByRole('button', { name: 'Open my challenge' }))).status(),
      400,
    );
    await scan(gareth, 'open a challenge with its key, with errors');
    await harness.visit(gareth, '/learning/ideas');
    await gareth.getByLabel(/Largest cost an idea may have/).fill('lots');
    assert.equal(
      (await clickAndWait(gareth, main(gareth).getByRole('button', { name: 'Save the limit' }))).status(),
      400,
    );
    await scan(gareth, 'idea cost limit, with errors');
    await harness.visit(gareth, '/learning/entries/new');
    await gareth.getByLabel('A short title').fill('Not a picture');
    await gareth.getByLabel('A drawing or photo (optional)').setInputFiles({
      name: 'fake.png',
      mimeType: 'image/png',
      buffer: Buffer.from('<svg/>'),
    });
    assert.equal(
      (await clickAndWait(gareth, main(gareth).getByRole('button', { name: 'Save it' }))).status(),
      400,
    );
    assert.equal(await gareth.getByLabel('A short title').inputValue(), 'Not a picture');
    assert.match(await mainText(gareth), /not a PNG, JPEG, GIF or WebP picture/);
    await scan(gareth, 'write down learning, with errors');

    const found = problems.filter(Boolean);
    assert.deepEqual(found, [], found.join('\n\n'));
  });
});
