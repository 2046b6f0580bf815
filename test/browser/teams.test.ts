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

const width = 360;
const jordanId = '00000000-0000-4000-8100-000000000006';
const main = (page: Page) => page.getByRole('main');

/**
 * Teams in a browser with JavaScript off, on a phone-sized screen: an admin makes a second team with a
 * new coach, who cannot find a person of the first team; a lead hands that person over; the person sees
 * who walks alongside them now. Every page is scanned with axe, some in Welsh.
 */
describe('teams in a browser without JavaScript', { concurrency: false }, () => {
  let harness: Harness;
  let inviteLink = '';

  before(async () => {
    harness = await startHarness();
  });
  after(async () => {
    await harness?.close();
  });

  const check = async (page: Page, name: string) => {
    await harness.expectAccessible(page, name);
    assert.equal(await horizontalScrollProblem(page, width, name), '');
  };

  test('an admin makes a second team and puts a new coach in it', async () => {
    const page = await (await harness.newContext({ width, height: 740 })).newPage();
    await signIn(harness, page, 'admin@riverside.example');
    await harness.visit(page, '/admin/teams');
    assert.equal(await heading(page), 'Teams');
    await check(page, 'teams, for an admin');
    await main(page).getByLabel('Name', { exact: true }).fill('Northside');
    await main(page).getByLabel('Name in Welsh (optional)').fill('Gogledd');
    await main(page).getByLabel('What kind of team (optional)').selectOption('coaching');
    await clickAndWait(page, main(page).getByRole('button', { name: 'Make the team' }));
    assert.equal(await heading(page), 'Northside');
    const teamPath = new URL(page.url()).pathname;

    await harness.visit(page, '/admin/people/new');
    await main(page).getByLabel('What they would like to be called').fill('Kai');
    await main(page).getByLabel('Email address (optional)').fill('kai@example.org');
    await main(page).getByLabel('Coach', { exact: true }).check();
    await clickAndWait(page, main(page).getByRole('button', { name: 'Add' }));

    await harness.visit(page, teamPath);
    await main(page).getByLabel('Who').selectOption({ label: 'Kai' });
    await main(page).getByLabel('As what').selectOption('coach');
    await clickAndWait(page, main(page).getByRole('button', { name: 'Add to the team' }));
    assert.match((await main(page).getByRole('table').textContent()) ?? '', /Kai\s*Coach/);
    await check(page, 'a team, for an admin');

    await harness.visit(page, '/admin/outbox');
    const message = page.locator('.alongside-card-list > li', { hasText: 'kai@example.org' });
    await message.getByText('Read the email').click();
    inviteLink = /https?:\/\/\S+\/invitation\/[A-Za-z0-9_-]+/.exec(
      (await message.locator('pre').textContent()) ?? '',
    )![0];
    await page.context().close();
  });

  test('the new coach of the second team cannot find a person of the first', async () => {
    const page = await (await harness.newContext({ width, height: 740 })).newPage();
    await page.goto(inviteLink);
    await page.getByLabel('New password', { exact: true }).fill('kai walks alongside');
    await page.getByLabel('Type the new password again').fill('kai walks alongside');
    await clickAndWait(page, main(page).getByRole('button', { name: 'Join' }));
    await harness.visit(page, '/coaching?everyone=yes');
    assert.doesNotMatch((await main(page).textContent()) ?? '', /Jordan/);
    await main(page).getByLabel('Find someone by name').fill('Jordan');
    await clickAndWait(page, main(page).getByRole('button', { name: 'Search' }));
    assert.doesNotMatch((await main(page).textContent()) ?? '', /Jordan/);
    await check(page, 'my people, for a coach of another team');
    const response = await harness.visit(page, `/coaching/people/${jordanId}`);
    assert.equal(response.status(), 404);
    await check(page, 'a person of another team: not found');
    await page.context().close();
  });

  test('a lead hands the person over, and the person sees their new coach, in English and Welsh', async () => {
    const lead = await (await harness.newContext({ width, height: 740 })).newPage();
    await signIn(harness, lead, 'lead@riverside.example');
    await lead.getByLabel('Riverside Community Coaching').check();
    await clickAndWait(lead, main(lead).getByRole('button', { name: 'Continue' }));
    await harness.visit(lead, '/coaching');
    await clickAndWait(lead, main(lead).getByRole('link', { name: 'Hand someone over' }));
    assert.equal(await heading(lead), 'Hand someone over');
    await check(lead, 'handover');
    await main(lead).getByLabel('One person', { exact: true }).check();
    await main(lead).getByLabel('The person (for one person)').selectOption({ label: 'Jordan' });
    await main(lead).getByLabel('Their new coach').selectOption({ label: 'Kai' });
    await main(lead).getByLabel('Their new team').selectOption({ label: 'Northside' });
    await clickAndWait(lead, main(lead).getByRole('button', { name: 'Hand over' }));
    assert.match((await lead.getByRole('status').textContent()) ?? '', /1 person has been handed over/);
    await check(lead, 'my people after a handover');
    await clickAndWait(lead, lead.getByRole('banner').getByRole('link', { name: 'Cymraeg' }));
    await harness.visit(lead, '/coaching/handover');
    assert.equal(await heading(lead), 'Trosglwyddo rhywun');
    await check(lead, 'handover, in Welsh');
    await lead.context().close();

    const jordan = await (await harness.newContext({ width, height: 740 })).newPage();
    await signIn(harness, jordan, 'person@riverside.example');
    await harness.visit(jordan, '/me');
    const words = (await main(jordan).textContent()) ?? '';
    assert.match(words, /Walking alongside you: Kai, since \d{1,2} \w+ \d{4}/);
    assert.match(words, /Before\s*Amara, until/);
    await check(jordan, 'my space after a handover');
    await clickAndWait(jordan, jordan.getByRole('banner').getByRole('link', { name: 'Cymraeg' }));
    assert.match((await main(jordan).textContent()) ?? '', /Yn cerdded gyda chi: Kai, ers/);
    await check(jordan, 'my space after a handover, in Welsh');
    await jordan.context().close();
  });
});
