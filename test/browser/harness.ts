import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { type AddressInfo, createServer } from 'node:net';
import { AxeBuilder } from '@axe-core/playwright';
import { serve } from '@hono/node-server';
import { FileSystemConfigLoader, HtmlValidate } from 'html-validate';
import {
  type Browser,
  type BrowserContext,
  chromium,
  type Locator,
  type Page,
  type Response,
} from 'playwright-core';
import type { AppServices } from '../../src/core/context.ts';
import { type Database, openPglite } from '../../src/core/database/connect.ts';
import { migrate } from '../../src/core/database/migrate.ts';
import { demoPassword } from '../../src/demo/people.ts';
import { migrationSources } from '../../src/modules/index.ts';
import { buildTestApp } from '../helpers/app.ts';

/** Debian's Chromium: the tests never download a browser. */
const chromiumPath = '/usr/bin/chromium';
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** WCAG 2.2 AA as far as axe-core can check it automatically. */
export const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export { demoPassword };

async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    probe.once('listening', resolve);
    probe.once('error', reject);
  });
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export interface Harness {
  baseUrl: string;
  browser: Browser;
  /** The app's database and services, for tests that run its background work (the job runner, mail). */
  database: Database;
  services: AppServices;
  /** A fresh visitor (own cookies) with JavaScript switched off, as every page must work without it. */
  newContext(options?: { width?: number; height?: number }): Promise<BrowserContext>;
  /** Opens a path of the app and returns the response for the page finally shown. */
  visit(page: Page, path: string): Promise<Response>;
  /**
   * Scans the page as it is shown now with axe-core (WCAG 2.2 AA tags) and fails on any violation.
   * `name` records which page this was, so coverage of the pages can be checked.
   */
  expectAccessible(page: Page, name: string): Promise<void>;
  /** The same scan, returning what is wrong (empty when nothing is) so a test can gather several pages. */
  accessibilityProblems(page: Page, name: string): Promise<string>;
  /** Every page name scanned so far, with the path it was scanned at. */
  scanned: Map<string, string>;
  /**
   * What html-validate finds wrong in the HTML of every page this file's browsers were sent (empty
   * when every page is valid), and how many different pages that was.
   */
  htmlProblems(): Promise<{ problems: string; pages: number }>;
  /** Closes everything, then fails if any page sent to the browsers was not valid HTML. */
  close(): Promise<void>;
}

/** The project's settings (.htmlvalidate.mjs at the top of the repository), found from its folder. */
const htmlValidator = new HtmlValidate(new FileSystemConfigLoader());
const projectPage = new URL('../../page.html', import.meta.url).pathname;

/**
 * Watches every page a context's main frame is sent, keeping each HTML document once: the form token
 * and script nonce change on every visit without changing the markup.
 */
function collectDocuments(context: BrowserContext, documents: Map<string, string>, pending: Promise<void>[]) {
  context.on('response', (response) => {
    const request = response.request();
    if (request.resourceType() !== 'document' || request.frame().parentFrame() !== null) return;
    if (response.status() >= 300 && response.status() < 400) return;
    if (!(response.headers()['content-type'] ?? '').startsWith('text/html')) return;
    pending.push(
      response.text().then(
        (html) => {
          const key = html.replace(/(name="_csrf" value|nonce)="[^"]*"/g, '$1=""');
          if (!documents.has(key))
            documents.set(key, `${request.method()} ${new URL(response.url()).pathname}`);
        },
        // A page the browser has already left may have let go of its body; the next visit is kept.
        () => {},
      ),
    );
  });
}

/**
 * The real app on an in-memory PGlite database with the demo organisations, served over HTTP on
 * 127.0.0.1, and one Chromium for the whole file.
 */
export async function startHarness(options: { env?: Record<string, string> } = {}): Promise<Harness> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const database = await openPglite();
  await migrate(database, migrationSources());
  const { app, services } = await buildTestApp(database, { env: { PUBLIC_URL: baseUrl, ...options.env } });
  const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }) as Server;
  await new Promise<void>((resolve, reject) => {
    if (server.listening) resolve();
    server.once('listening', resolve);
    server.once('error', reject);
  });
  assert.equal((server.address() as AddressInfo).port, port);

  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });

  // axe-core needs timers and promises from the page, which a context without JavaScript never runs.
  // So each page is scanned by replaying its exact DOM (with JavaScript off, the DOM is the HTML the
  // server sent) at the same address, with the same style sheets and viewport, in a context that runs
  // JavaScript for axe alone. The pages' one script (the language guard) needs a signed-in request for
  // its labels, which the replay has not got, so it does nothing and nothing else differs.
  const auditContext = await browser.newContext({ javaScriptEnabled: true });
  const auditPage = await auditContext.newPage();
  const scanned = new Map<string, string>();
  const documents = new Map<string, string>();
  const pendingDocuments: Promise<void>[] = [];

  async function htmlProblems() {
    await Promise.all(pendingDocuments);
    const found = new Map<string, string>();
    for (const [html, where] of documents) {
      const report = await htmlValidator.validateString(html, projectPage);
      for (const message of report.results.flatMap((result) => result.messages)) {
        const problem = `${message.ruleId}: ${message.message}`;
        if (!found.has(problem)) {
          const near = html.slice(Math.max(0, message.offset - 60), message.offset + 100);
          found.set(problem, `- ${problem}\n    on ${where}\n    at …${near}…`);
        }
      }
    }
    return {
      problems: found.size === 0 ? '' : `Pages that are not valid HTML:\n${[...found.values()].join('\n')}`,
      pages: documents.size,
    };
  }

  async function accessibilityProblems(page: Page, name: string): Promise<string> {
    const address = page.url().split('#')[0]!;
    const html = await page.content();
    const viewport = page.viewportSize();
    if (viewport) await auditPage.setViewportSize(viewport);
    const replay = (url: URL) => url.href === address;
    await auditPage.route(replay, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }),
    );
    try {
      await auditPage.goto(address);
    } finally {
      await auditPage.unroute(replay);
    }
    // Legacy mode runs axe in the page itself: these pages have no frames, and it saves a page per scan.
    const results = await new AxeBuilder({ page: auditPage }).withTags(wcagTags).setLegacyMode().analyze();
    scanned.set(name, new URL(address).pathname);
    const report = results.violations
      .map(
        (violation) =>
          `- ${violation.id} (${violation.impact ?? 'unknown impact'}): ${violation.help}\n` +
          violation.nodes
            .map(
              (node) => `    at ${node.target.join(' ')}\n      ${node.failureSummary?.replace(/\n/g, ' ')}`,
            )
            .join('\n'),
      )
      .join('\n');
    return results.violations.length === 0
      ? ''
      : `Accessibility violations on "${name}" (${address}):\n${report}`;
  }

  return {
    baseUrl,
    browser,
    database,
    services,
    scanned,

    async newContext(options = {}) {
      const context = await browser.newContext({
        javaScriptEnabled: false,
        viewport: { width: options.width ?? 1024, height: options.height ?? 768 },
        locale: 'en-GB',
      });
      collectDocuments(context, documents, pendingDocuments);
      return context;
    },

    async visit(page, path) {
      const response = await page.goto(new URL(path, baseUrl).toString());
      assert.ok(response, `no response for ${path}`);
      return response;
    },

    async expectAccessible(page, name) {
      const problems = await accessibilityProblems(page, name);
      assert.equal(problems, '', problems);
    },

    accessibilityProblems,
    htmlProblems,

    async close() {
      // Bodies are read before the browser that holds them goes.
      const html = await htmlProblems().catch((error: Error) => ({ problems: String(error), pages: 0 }));
      await browser.close().catch(() => {});
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await database.close();
      assert.equal(html.problems, '', html.problems);
      if (scanned.size > 0) assert.ok(html.pages > 0, 'pages were visited, so their HTML was checked');
    },
  };
}

/** Clicks something that sends the browser to a new page and waits for that page to load. */
export async function clickAndWait(page: Page, target: Locator): Promise<Response> {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), target.click()]);
  assert.ok(response, 'the click did not load a page');
  return response;
}

/** Signs in through the form on the sign-in page, as a person would. */
export async function signIn(
  harness: Harness,
  page: Page,
  email: string,
  password = demoPassword,
): Promise<Response> {
  await harness.visit(page, '/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  return clickAndWait(page, page.getByRole('main').getByRole('button', { name: 'Sign in' }));
}

export async function signOut(page: Page): Promise<Response> {
  return clickAndWait(page, page.getByRole('banner').getByRole('button', { name: /Sign out|Allgofnodi/ }));
}

/**
 * The main navigation as a person reaches it: on a narrow screen behind "Menu" (opened first, as they
 * would), on a wider one the row of links under the header.
 */
export async function mainNavigation(page: Page): Promise<Locator> {
  const toggle = page.locator('summary.alongside-menu__toggle');
  if (await toggle.isVisible()) {
    if ((await page.locator('details.alongside-menu').getAttribute('open')) === null) await toggle.click();
    return page.getByRole('navigation', { name: /^(Menu|Dewislen)$/ });
  }
  return page.getByRole('navigation', { name: /^(Main|Prif ddewislen)$/ });
}

export async function heading(page: Page): Promise<string> {
  return ((await page.locator('h1').first().textContent()) ?? '').trim();
}

/** With JavaScript off, evaluation still works: it goes through the devtools protocol, not page scripts. */
export async function horizontalScrollProblem(page: Page, width: number, name: string): Promise<string> {
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  return scrollWidth <= width ? '' : `"${name}" scrolls sideways at ${width}px: it is ${scrollWidth}px wide`;
}
