import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/app.tsx';
import { loadConfig } from '../../src/core/config.ts';
import type { AppServices } from '../../src/core/context.ts';
import type { Database } from '../../src/core/database/connect.ts';
import { createTranslator, type Language } from '../../src/core/i18n/index.ts';
import { coreJobKinds, JobRunner } from '../../src/core/jobs.ts';
import { createLogger } from '../../src/core/logger.ts';
import type { AlongsideModule } from '../../src/core/module.ts';
import { notificationJobKinds } from '../../src/core/notifications.ts';
import { RecordWriter } from '../../src/core/record.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { modules } from '../../src/modules/index.ts';

export const testOrigin = 'http://localhost:3000';

/** The real app on a test database, with cheap password hashing and the demo organisations loaded. */
export async function buildTestApp(
  database: Database,
  options: { seed?: boolean; env?: Record<string, string>; modules?: AlongsideModule[] } = {},
) {
  const config = loadConfig({
    NODE_ENV: 'test',
    SECRET_KEY: 'test-secret-key-that-is-long-enough-0123456789',
    PASSWORD_MEMORY_COST: '1024',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'alongside-test-')),
    PUBLIC_URL: testOrigin,
    // Each test visitor says where it comes from, so throttling per address can be tested.
    TRUST_PROXY: 'true',
    ...options.env,
  });
  const built = createApp({
    config,
    database,
    logger: createLogger('silent'),
    modules: options.modules ?? modules,
  });
  if (options.seed !== false) await seedDemo(built.services);
  return built;
}

/** What a module's `exportPerson` writes with, in one language, for tests that call it directly. */
export function recordWriter(language: Language = 'en'): RecordWriter {
  const translator = createTranslator(
    Object.fromEntries(
      modules.flatMap((module) => (module.catalogues ? [[module.id, module.catalogues]] : [])),
    ),
  );
  return new RecordWriter(language, translator.forLanguage(language));
}

type Fetcher = { request(path: string, init?: RequestInit): Response | Promise<Response> };

/**
 * A visitor with a cookie jar, driving the app through `app.request()` with no network: it carries the
 * session cookie and each page's form token, as a browser would.
 */
export class Visitor {
  private cookies = new Map<string, string>();
  csrfToken = '';
  lastBody = '';

  constructor(
    private readonly app: Fetcher,
    readonly address = '203.0.113.7',
  ) {}

  /** The cookies a browser would send, for requests that read a binary body. */
  cookieHeader() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  private remember(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
  }

  async get(path: string): Promise<Response> {
    const response = await this.app.request(path, {
      headers: { cookie: this.cookieHeader(), 'x-forwarded-for': this.address },
    });
    this.remember(response);
    this.lastBody = await response.clone().text();
    const token = /name="_csrf" value="([^"]+)"/.exec(this.lastBody);
    if (token) this.csrfToken = token[1]!;
    return response;
  }

  async post(
    path: string,
    form: Record<string, string | string[]>,
    options: { csrf?: string | null; origin?: string | null } = {},
  ): Promise<Response> {
    const body = new URLSearchParams();
    const token = options.csrf === undefined ? this.csrfToken : options.csrf;
    if (token !== null) body.append('_csrf', token);
    for (const [name, value] of Object.entries(form)) {
      for (const one of Array.isArray(value) ? value : [value]) body.append(name, one);
    }
    const headers: Record<string, string> = {
      cookie: this.cookieHeader(),
      'content-type': 'application/x-www-form-urlencoded',
      'x-forwarded-for': this.address,
    };
    const origin = options.origin === undefined ? testOrigin : options.origin;
    if (origin !== null) headers.origin = origin;
    const response = await this.app.request(path, { method: 'POST', body, headers });
    this.remember(response);
    this.lastBody = await response.clone().text();
    return response;
  }

  /**
   * Sends a multipart form with one file in `fileField` (or an empty file part, as a browser sends
   * when nothing is chosen), as a phone's browser sends a photo.
   */
  async uploadFile(
    path: string,
    fields: Record<string, string>,
    fileField: string,
    file: { name: string; type: string; bytes: Uint8Array } | null,
  ): Promise<Response> {
    const form = new FormData();
    form.append('_csrf', this.csrfToken);
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    if (file) form.append(fileField, new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
    else form.append(fileField, new Blob([], { type: 'application/octet-stream' }), '');
    const response = await this.app.request(path, {
      method: 'POST',
      body: form,
      headers: { cookie: this.cookieHeader(), origin: testOrigin, 'x-forwarded-for': this.address },
    });
    this.remember(response);
    this.lastBody = await response.clone().text();
    return response;
  }

  /** Signs in through the real form; the visitor keeps the session. */
  async signIn(email: string, password = 'walk-alongside'): Promise<Response> {
    await this.get('/sign-in');
    const response = await this.post('/sign-in', { email, password });
    if (response.headers.get('location') === '/choose-organisation') return response;
    await this.get('/');
    return response;
  }
}

/** A job runner with every kind the app has (as `main.ts` builds it), on a clock the test moves. */
export function testJobRunner(
  database: Database,
  services: AppServices,
  clock: () => Date = () => new Date(),
): JobRunner {
  return new JobRunner({
    database,
    services,
    kinds: [
      ...coreJobKinds,
      ...notificationJobKinds,
      ...services.modules.flatMap((module) => module.jobs ?? []),
    ],
    clock,
  });
}
