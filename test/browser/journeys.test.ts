import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  clickAndWait,
  demoPassword,
  type Harness,
  heading,
  horizontalScrollProblem,
  mainNavigation,
  signIn,
  signOut,
  startHarness,
} from './harness.ts';

/**
 * Real journeys in a real browser with JavaScript switched off, each page scanned with axe-core.
 * One app and one Chromium for the whole file; each test starts from its own signed-out visitor.
 */
describe('Alongside in a browser without JavaScript', () => {
  let harness: Harness;

  before(async () => {
    harness = await startHarness();
  });

  after(async () => {
    await harness?.close();
  });

  test('an admin signs in, sees their home page and signs out', async () => {
    const context = await harness.newContext();
    const page = await context.newPage();
    try {
      const shown = await harness.visit(page, '/sign-in');
      assert.equal(shown.status(), 200);
      assert.equal(await heading(page), 'Sign in');
      assert.equal(await page.getAttribute('html', 'lang'), 'en');
      await harness.expectAccessible(page, 'sign-in');

      const response = await signIn(harness, page, 'admin@riverside.example');
      assert.equal(response.status(), 200);
      assert.equal(new URL(page.url()).pathname, '/');
      assert.equal(await heading(page), 'Hello, Priya');
      assert.match(await page.title(), /^Hello, Priya – Alongside$/);
      assert.match((await page.getByRole('banner').textContent()) ?? '', /Riverside Community Coaching/);
      const navigation = await mainNavigation(page);
      assert.equal(await navigation.getByRole('link', { name: 'Organisation admin' }).count(), 1);
      assert.equal(await navigation.getByRole('link', { name: 'Home' }).getAttribute('aria-current'), 'page');
      await harness.expectAccessible(page, 'home');

      await signOut(page);
      assert.equal(new URL(page.url()).pathname, '/sign-in');
      assert.equal(await heading(page), 'Sign in');
      assert.equal(((await page.getByRole('status').textContent()) ?? '').trim(), 'You have signed out.');
      assert.equal(await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).count(), 0);
      await harness.expectAccessible(page, 'sign-in, signed out');

      // Signed out means signed out: the admin pages send the visitor back to sign in.
      await harness.visit(page, '/admin');
      assert.equal(new URL(page.url()).pathname, '/sign-in');
      assert.equal(new URL(page.url()).searchParams.get('next'), '/admin');
    } finally {
      await context.close();
    }
  });

  test('a wrong password shows the error summary, keeps the email and titles the page as an error', async () => {
    const context = await harness.newContext();
    const page = await context.newPage();
    try {
      // Nothing typed at all: one message per field.
      await harness.visit(page, '/sign-in');
      const empty = await clickAndWait(page, page.getByRole('main').getByRole('button', { name: 'Sign in' }));
      assert.equal(empty.status(), 400);
      assert.match(await page.title(), /^Error: Sign in – Alongside$/);
      const emptySummary = page.locator('.govuk-error-summary');
      assert.equal(((await emptySummary.locator('h2').textContent()) ?? '').trim(), 'There is a problem');
      assert.deepEqual(
        await emptySummary.getByRole('link').evaluateAll((links) => links.map((a) => a.getAttribute('href'))),
        ['#email', '#password'],
      );
      await harness.expectAccessible(page, 'sign-in, nothing typed');

      // A wrong password.
      const typed = 'admin@riverside.example';
      await page.getByLabel('Email address').fill(typed);
      await page.getByLabel('Password', { exact: true }).fill('not-the-password');
      const response = await clickAndWait(
        page,
        page.getByRole('main').getByRole('button', { name: 'Sign in' }),
      );
      assert.equal(response.status(), 400);
      assert.equal(new URL(page.url()).pathname, '/sign-in');
      assert.ok((await page.title()).startsWith('Error:'), `title is "${await page.title()}"`);

      const summary = page.locator('.govuk-error-summary');
      assert.equal(await summary.count(), 1);
      assert.equal(((await summary.locator('h2').textContent()) ?? '').trim(), 'There is a problem');
      assert.equal(await summary.getByRole('alert').count(), 1);
      const link = summary.getByRole('link');
      assert.equal(await link.count(), 1);
      assert.equal(await link.getAttribute('href'), '#email');
      assert.match((await link.textContent()) ?? '', /do not match an account/);
      // The link leads to the field, and the field says what is wrong with it.
      const field = page.locator('#email');
      assert.equal(await field.count(), 1);
      assert.equal(await field.inputValue(), typed);
      assert.match((await field.getAttribute('aria-describedby')) ?? '', /\bemail-error\b/);
      assert.match((await page.locator('#email-error').textContent()) ?? '', /do not match an account/);
      assert.equal(await page.locator('#password').inputValue(), '', 'the password must never be sent back');
      await harness.expectAccessible(page, 'sign-in, wrong password');

      // Following the summary link moves to the field, with no script needed.
      await link.click();
      assert.equal(new URL(page.url()).hash, '#email');
    } finally {
      await context.close();
    }
  });

  test('the language switch turns pages Welsh, is remembered, and switches back', async () => {
    const context = await harness.newContext();
    const page = await context.newPage();
    try {
      await harness.visit(page, '/sign-in');
      assert.equal(await page.getAttribute('html', 'lang'), 'en');
      const cymraeg = page.getByRole('banner').getByRole('link', { name: 'Cymraeg' });
      assert.equal(await cymraeg.getAttribute('lang'), 'cy');
      await clickAndWait(page, cymraeg);

      assert.equal(new URL(page.url()).pathname, '/sign-in', 'the switch returns to the same page');
      assert.equal(await page.getAttribute('html', 'lang'), 'cy');
      assert.equal(await heading(page), 'Mewngofnodi');
      assert.equal(await page.getByLabel('Cyfeiriad e-bost').count(), 1);
      await harness.expectAccessible(page, 'sign-in in Welsh');

      // Remembered on the next page load.
      await harness.visit(page, '/');
      assert.equal(await page.getAttribute('html', 'lang'), 'cy');
      assert.equal(await heading(page), 'Croeso i Alongside');
      await harness.expectAccessible(page, 'welcome page in Welsh');

      // Errors in Welsh too.
      await harness.visit(page, '/sign-in');
      await clickAndWait(page, page.getByRole('main').getByRole('button', { name: 'Mewngofnodi' }));
      assert.match(await page.title(), /^Gwall: /);
      assert.equal(
        ((await page.locator('.govuk-error-summary h2').textContent()) ?? '').trim(),
        'Mae problem wedi codi',
      );
      await harness.expectAccessible(page, 'sign-in errors in Welsh');

      // Signing in keeps the language chosen before.
      await page.getByLabel('Cyfeiriad e-bost').fill('coach@riverside.example');
      await page.getByLabel('Cyfrinair', { exact: true }).fill(demoPassword);
      await clickAndWait(page, page.getByRole('main').getByRole('button', { name: 'Mewngofnodi' }));
      assert.equal(await heading(page), 'Helo, Amara');
      assert.equal(await page.getAttribute('html', 'lang'), 'cy');
      await harness.expectAccessible(page, 'home in Welsh');

      await harness.visit(page, '/account');
      assert.equal(await heading(page), 'Eich cyfrif');
      await harness.expectAccessible(page, 'account in Welsh');

      // A coach may not manage the organisation: a kind refusal, in Welsh.
      const refused = await harness.visit(page, '/admin');
      assert.equal(refused.status(), 403);
      assert.equal(await heading(page), 'Ni allwch wneud hynny yma');
      await harness.expectAccessible(page, 'forbidden page in Welsh');

      const english = page.getByRole('banner').getByRole('link', { name: 'English' });
      assert.equal(await english.getAttribute('lang'), 'en');
      await clickAndWait(page, english);
      assert.equal(new URL(page.url()).pathname, '/admin');
      assert.equal(await page.getAttribute('html', 'lang'), 'en');
      assert.equal(await heading(page), 'You cannot do that here');
      await harness.expectAccessible(page, 'forbidden page');

      await harness.visit(page, '/');
      assert.equal(await page.getAttribute('html', 'lang'), 'en');
      assert.equal(await heading(page), 'Hello, Amara');
    } finally {
      await context.close();
    }
  });

  test('an admin invites someone, who joins from the emailed link and can sign in again', async () => {
    const suffix = Date.now().toString(36);
    const name = `Robin ${suffix}`;
    const email = `robin.${suffix}@example.org`;
    const password = 'a long walk by the river';

    const admin = await harness.newContext();
    const page = await admin.newPage();
    let link = '';
    try {
      await signIn(harness, page, 'admin@riverside.example');
      await clickAndWait(
        page,
        (await mainNavigation(page)).getByRole('link', { name: 'Organisation admin' }),
      );
      assert.equal(new URL(page.url()).pathname, '/admin');
      assert.equal(await heading(page), 'Organisation admin');
      await harness.expectAccessible(page, 'admin overview');

      await clickAndWait(page, page.getByRole('main').getByRole('link', { name: 'Add someone' }));
      assert.equal(new URL(page.url()).pathname, '/admin/people/new');
      assert.equal(await heading(page), 'Add someone');
      assert.equal(await page.getByLabel('Gets support').isChecked(), true, 'a new person is supported');
      await harness.expectAccessible(page, 'add someone');

      // Nothing to call them and an address that is not one: both fields are named in the summary.
      await page.getByLabel('Email address (optional)').fill('not an address');
      const refused = await clickAndWait(
        page,
        page.getByRole('main').getByRole('button', { name: 'Add', exact: true }),
      );
      assert.equal(refused.status(), 400);
      assert.ok((await page.title()).startsWith('Error:'));
      assert.deepEqual(
        await page
          .locator('.govuk-error-summary a')
          .evaluateAll((links) => links.map((a) => a.getAttribute('href'))),
        ['#calledName', '#email'],
      );
      assert.equal(await page.getByLabel('Email address (optional)').inputValue(), 'not an address');
      await harness.expectAccessible(page, 'add someone, with errors');

      await page.getByLabel('What they would like to be called').fill(name);
      await page.getByLabel('Email address (optional)').fill(email);
      await clickAndWait(page, page.getByRole('main').getByRole('button', { name: 'Add', exact: true }));
      assert.match(new URL(page.url()).pathname, /^\/admin\/people\/[0-9a-f-]{36}$/);
      assert.equal(await heading(page), name);
      assert.match(
        ((await page.getByRole('status').textContent()) ?? '').trim(),
        /^An invitation has been made\./,
      );
      assert.match(
        (await page.getByRole('main').textContent()) ?? '',
        new RegExp(`Invitation to ${email} made`),
      );
      await harness.expectAccessible(page, 'person page');

      await harness.visit(page, '/admin/outbox');
      assert.equal(await heading(page), 'Outbox');
      const message = page.locator('.alongside-card-list > li', { hasText: email });
      assert.equal(await message.count(), 1, 'one invitation for the new person in the outbox');
      assert.match(
        (await message.locator('h2').textContent()) ?? '',
        /invited to join Riverside Community Coaching/,
      );
      const body = message.locator('pre');
      assert.equal(await body.isVisible(), false);
      // <details> opens without any script.
      await message.getByText('Read the email').click();
      assert.equal(await body.isVisible(), true);
      await harness.expectAccessible(page, 'outbox');
      const found = /https?:\/\/\S+\/invitation\/\S+/.exec((await body.textContent()) ?? '');
      assert.ok(found, 'the email holds an invitation link');
      link = found[0];
      assert.ok(link.startsWith(`${harness.baseUrl}/invitation/`), `link points elsewhere: ${link}`);
    } finally {
      await admin.close();
    }

    const invited = await harness.newContext();
    const visitor = await invited.newPage();
    try {
      const opened = await visitor.goto(link);
      assert.equal(opened?.status(), 200);
      assert.equal(await heading(visitor), 'Join Riverside Community Coaching on Alongside');
      assert.match((await visitor.getByRole('main').textContent()) ?? '', new RegExp(`Hello, ${name}\\.`));
      assert.match(
        (await visitor.getByRole('main').textContent()) ?? '',
        new RegExp(email.replace('.', '\\.')),
      );
      await harness.expectAccessible(visitor, 'invitation');

      // Too short, then two different passwords: each is explained, nothing is used up.
      await visitor.getByLabel('New password', { exact: true }).fill('short');
      await visitor.getByLabel('Type the new password again').fill('short');
      const tooShort = await clickAndWait(
        visitor,
        visitor.getByRole('main').getByRole('button', { name: 'Join' }),
      );
      assert.equal(tooShort.status(), 400);
      assert.match(
        (await visitor.locator('.govuk-error-summary').textContent()) ?? '',
        /Use at least 10 characters/,
      );
      await harness.expectAccessible(visitor, 'invitation, with errors');
      await visitor.getByLabel('New password', { exact: true }).fill(password);
      await visitor.getByLabel('Type the new password again').fill(`${password}!`);
      await clickAndWait(visitor, visitor.getByRole('main').getByRole('button', { name: 'Join' }));
      assert.equal(
        await visitor.locator('.govuk-error-summary a').getAttribute('href'),
        '#confirm',
        'the summary points at the second password',
      );

      await visitor.getByLabel('New password', { exact: true }).fill(password);
      await visitor.getByLabel('Type the new password again').fill(password);
      await clickAndWait(visitor, visitor.getByRole('main').getByRole('button', { name: 'Join' }));
      assert.equal(new URL(visitor.url()).pathname, '/');
      assert.equal(await heading(visitor), `Hello, ${name}`);
      assert.match(
        (await visitor.getByRole('status').textContent()) ?? '',
        /Welcome to Riverside Community Coaching\. Your account is ready\./,
      );
      await harness.expectAccessible(visitor, 'home, just joined');

      // The link works once.
      const again = await visitor.goto(link);
      assert.equal(again?.status(), 409);
      await harness.expectAccessible(visitor, 'invitation already used');

      await harness.visit(visitor, '/');
      await signOut(visitor);
      assert.equal(new URL(visitor.url()).pathname, '/sign-in');

      await signIn(harness, visitor, email, password);
      assert.equal(new URL(visitor.url()).pathname, '/');
      assert.equal(await heading(visitor), `Hello, ${name}`);
    } finally {
      await invited.close();
    }
  });

  test('someone in two organisations chooses which one to work in', async () => {
    const context = await harness.newContext();
    const page = await context.newPage();
    try {
      await signIn(harness, page, 'lead@riverside.example');
      assert.equal(new URL(page.url()).pathname, '/choose-organisation');
      assert.equal(await heading(page), 'Which organisation are you working in?');
      const group = page.getByRole('group', { name: 'Which organisation are you working in?' });
      assert.deepEqual(
        (await group.locator('label').allTextContents()).map((text) => text.trim()),
        ['Cwm Teg Family Link', 'Riverside Community Coaching'],
      );
      await harness.expectAccessible(page, 'choose organisation');

      const unchosen = await clickAndWait(page, page.getByRole('button', { name: 'Continue' }));
      assert.equal(unchosen.status(), 400);
      assert.ok((await page.title()).startsWith('Error:'));
      assert.equal(
        await page.locator('.govuk-error-summary a').getAttribute('href'),
        '#organisation',
        'the summary points at the first choice',
      );
      assert.equal(await page.locator('#organisation').count(), 1);
      await harness.expectAccessible(page, 'choose organisation, with errors');

      await page.getByLabel('Cwm Teg Family Link').check();
      await clickAndWait(page, page.getByRole('button', { name: 'Continue' }));
      assert.equal(new URL(page.url()).pathname, '/');
      assert.equal(await heading(page), 'Hello, Gareth');
      assert.match((await page.getByRole('banner').textContent()) ?? '', /Cwm Teg Family Link/);
      // A partner in Cwm Teg does not run it.
      assert.equal(await page.getByRole('link', { name: 'Organisation admin' }).count(), 0);

      await harness.visit(page, '/account');
      assert.equal(await heading(page), 'Your account');
      assert.equal(await page.getByRole('link', { name: 'Work in another organisation' }).count(), 1);
      await harness.expectAccessible(page, 'account, two organisations');
      await clickAndWait(page, page.getByRole('link', { name: 'Work in another organisation' }));
      await page.getByLabel('Riverside Community Coaching').check();
      await clickAndWait(page, page.getByRole('button', { name: 'Continue' }));
      assert.match((await page.getByRole('banner').textContent()) ?? '', /Riverside Community Coaching/);
      assert.equal(await page.getByRole('link', { name: 'Organisation admin' }).count(), 0);
    } finally {
      await context.close();
    }
  });

  test('the admin pages, account pages and problem pages', async () => {
    const context = await harness.newContext();
    const page = await context.newPage();
    try {
      await signIn(harness, page, 'admin@riverside.example');

      await harness.visit(page, '/admin/people');
      assert.equal(await heading(page), 'People and accounts');
      const rows = page.locator('table tbody tr');
      assert.ok((await rows.count()) >= 10, 'every demo person is listed');
      await harness.expectAccessible(page, 'people list');

      await page.getByLabel('Search by name or email address').fill('Jordan');
      await clickAndWait(page, page.getByRole('main').getByRole('button', { name: 'Search' }));
      assert.equal(await rows.count(), 1);
      assert.equal(await page.getByLabel('Search by name or email address').inputValue(), 'Jordan');
      await harness.expectAccessible(page, 'people list, searched');
      await clickAndWait(page, rows.getByRole('link', { name: 'Jordan' }));
      assert.equal(await heading(page), 'Jordan');
      assert.match(
        (await page.getByRole('main').textContent()) ?? '',
        /Signs in as person@riverside\.example/,
      );
      await harness.expectAccessible(page, 'person page, with an account');

      // Someone without an account can be invited from their page; a bad address is explained there.
      await harness.visit(page, '/admin/people?q=Sam');
      await clickAndWait(page, page.locator('table tbody').getByRole('link', { name: 'Sam' }));
      assert.equal(await heading(page), 'Sam');
      await page.getByLabel('Email address', { exact: true }).fill('sam at home');
      const badInvite = await clickAndWait(page, page.getByRole('button', { name: 'Send invitation' }));
      assert.equal(badInvite.status(), 400);
      assert.equal(await page.locator('.govuk-error-summary a').getAttribute('href'), '#email');
      await harness.expectAccessible(page, 'person page, with errors');

      await harness.visit(page, '/admin/organisation');
      assert.equal(await heading(page), 'Organisation settings');
      assert.equal(
        await page.getByLabel('Name', { exact: true }).inputValue(),
        'Riverside Community Coaching',
      );
      await harness.expectAccessible(page, 'organisation settings');
      await page.getByLabel('Name', { exact: true }).fill('');
      const badSettings = await clickAndWait(page, page.getByRole('button', { name: 'Save settings' }));
      assert.equal(badSettings.status(), 400);
      assert.equal(await page.locator('.govuk-error-summary a').getAttribute('href'), '#name');
      await harness.expectAccessible(page, 'organisation settings, with errors');

      await harness.visit(page, '/admin/audit');
      assert.equal(await heading(page), 'Audit trail');
      assert.ok((await page.locator('table tbody tr').count()) > 0, 'the trail has events');
      await harness.expectAccessible(page, 'audit trail');
      const badDates = await harness.visit(page, '/admin/audit?from=yesterday');
      assert.equal(badDates.status(), 400);
      assert.equal(await page.locator('.govuk-error-summary a').getAttribute('href'), '#from');
      await harness.expectAccessible(page, 'audit trail, with errors');

      await harness.visit(page, '/account');
      assert.equal(await heading(page), 'Your account');
      assert.match(
        (await page.locator('.govuk-summary-list').textContent()) ?? '',
        /admin@riverside\.example/,
      );
      await harness.expectAccessible(page, 'account');

      await clickAndWait(
        page,
        page.getByRole('main').getByRole('link', { name: 'Who has looked at or changed my record' }),
      );
      assert.equal(new URL(page.url()).pathname, '/account/record-history');
      assert.equal(await heading(page), 'Who has looked at or changed my record');
      await harness.expectAccessible(page, 'record history');

      const missing = await harness.visit(page, '/no-such-page');
      assert.equal(missing.status(), 404);
      assert.equal(await heading(page), 'Page not found');
      await harness.expectAccessible(page, 'page not found');

      const otherOrganisation = await harness.visit(
        page,
        '/admin/people/00000000-0000-4000-8200-000000000003',
      );
      assert.equal(otherOrganisation.status(), 404, "another organisation's person is not found");
    } finally {
      await context.close();
    }

    const visitor = await harness.newContext();
    const anonymous = await visitor.newPage();
    try {
      await harness.visit(anonymous, '/password-reset');
      assert.equal(await heading(anonymous), 'Choose a new password');
      await harness.expectAccessible(anonymous, 'password reset');
      const unknown = await harness.visit(anonymous, '/invitation/not-a-real-token');
      assert.equal(unknown.status(), 404);
      await harness.expectAccessible(anonymous, 'invitation not found');
    } finally {
      await visitor.close();
    }
  });

  test('pages fit a 360px-wide screen without scrolling sideways', async () => {
    const width = 360;
    const context = await harness.newContext({ width, height: 740 });
    const page = await context.newPage();
    // Every page is checked before failing, so one report names everything that does not fit.
    const problems: string[] = [];
    const check = async (name: string, scan = true) => {
      problems.push(await horizontalScrollProblem(page, width, name));
      if (scan) problems.push(await harness.accessibilityProblems(page, `${name} at 360px`));
    };
    try {
      await harness.visit(page, '/sign-in');
      await check('sign-in', false);
      await clickAndWait(page, page.getByRole('main').getByRole('button', { name: 'Sign in' }));
      await check('sign-in, with errors');

      await signIn(harness, page, 'admin@riverside.example');
      const pages: [string, string][] = [
        ['/', 'Hello, Priya'],
        ['/admin', 'Organisation admin'],
        ['/admin/people', 'People and accounts'],
        ['/admin/people/new', 'Add someone'],
        ['/admin/people/00000000-0000-4000-8100-000000000006', 'Jordan'],
        ['/admin/organisation', 'Organisation settings'],
        ['/admin/audit', 'Audit trail'],
        ['/admin/outbox', 'Outbox'],
        ['/account', 'Your account'],
        ['/account/record-history', 'Who has looked at or changed my record'],
        ['/no-such-page', 'Page not found'],
      ];
      for (const [path, title] of pages) {
        await harness.visit(page, path);
        assert.equal(await heading(page), title, `heading of ${path}`);
        await check(path);
      }

      // Welsh words are often longer.
      await clickAndWait(page, page.getByRole('banner').getByRole('link', { name: 'Cymraeg' }));
      for (const path of ['/', '/admin', '/admin/people', '/admin/audit', '/account']) {
        await harness.visit(page, path);
        assert.equal(await page.getAttribute('html', 'lang'), 'cy');
        await check(`${path} in Welsh`, path === '/account');
      }
      await clickAndWait(page, page.getByRole('banner').getByRole('link', { name: 'English' }));
      const found = problems.filter(Boolean);
      assert.equal(found.length, 0, found.join('\n\n'));
    } finally {
      await context.close();
    }
  });

  test('every kind of page was scanned for accessibility', () => {
    const expected = [
      'sign-in',
      'sign-in, wrong password',
      'home',
      'admin overview',
      'people list',
      'add someone',
      'add someone, with errors',
      'person page',
      'outbox',
      'audit trail',
      'organisation settings',
      'account',
      'record history',
      'invitation',
      'invitation, with errors',
      'page not found',
      'sign-in in Welsh',
      'home in Welsh',
      'choose organisation',
    ];
    const missing = expected.filter((name) => !harness.scanned.has(name));
    assert.deepEqual(missing, [], `pages never scanned (an earlier test stopped before them): ${missing}`);
  });
});
