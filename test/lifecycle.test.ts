import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { openPglite } from '../src/core/database/connect.ts';
import { DurableNodeFS, durableStartParams } from '../src/core/database/embedded.ts';
import { rowsOf, withSystem } from '../src/core/database/tenancy.ts';
import { demoOrganisations } from '../src/demo/people.ts';

const root = join(import.meta.dirname, '..');

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

interface Started {
  npm: ChildProcess;
  output: () => string;
  /** Resolves with the exit code once npm (and so the server) has exited. */
  exited: Promise<number | null>;
  waitFor(text: string, seconds?: number): Promise<void>;
}

/** The real `npm start`, as a person or a service manager runs it, on its own data folder. */
function npmStart(dataDir: string, port: number): Started {
  const npm = spawn('npm', ['start'], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), NODE_ENV: '', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  npm.stdout!.on('data', (chunk) => {
    output += chunk;
  });
  npm.stderr!.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => npm.on('exit', (code) => resolve(code)));
  return {
    npm,
    output: () => output,
    exited,
    async waitFor(text, seconds = 60) {
      const deadline = Date.now() + seconds * 1000;
      while (!output.includes(text)) {
        if (Date.now() > deadline || npm.exitCode !== null)
          assert.fail(`"${text}" never came; the server said:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function countOrganisations(pgliteFolder: string): Promise<number> {
  const database = await openPglite(pgliteFolder);
  try {
    const [row] = await rowsOf<{ n: number }>(
      withSystem(database, (tx) => tx.execute(sql`select count(*)::int as n from organisation`)),
    );
    return row!.n;
  } finally {
    await database.close();
  }
}

describe('the embedded database', () => {
  const folders: string[] = [];
  after(() => {
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  it('waits for the disk at every commit: fsync on, and each commit reaches a real fsync', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'alongside-durable-'));
    folders.push(folder);
    const fs = new DurableNodeFS(folder);
    const client = await PGlite.create({ fs, startParams: durableStartParams() });
    try {
      assert.equal((await client.query<{ fsync: string }>('show fsync')).rows[0]!.fsync, 'on');
      assert.equal(
        (await client.query<{ wal_sync_method: string }>('show wal_sync_method')).rows[0]!.wal_sync_method,
        'fsync',
      );
      await client.exec('create table saved (words text)');
      const before = fs.syncs;
      for (let n = 0; n < 5; n++) await client.query('insert into saved values ($1)', [`entry ${n}`]);
      assert.ok(fs.syncs - before >= 5, `5 commits made ${fs.syncs - before} fsyncs`);
    } finally {
      await client.close();
    }
  });

  it('lets one server at a time use a data folder, and says so plainly', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'alongside-lock-'));
    folders.push(folder);
    const first = await openPglite(folder, { durable: false });
    await assert.rejects(() => openPglite(folder, { durable: false }), {
      name: 'DataFolderInUse',
      message: new RegExp(`in use by another Alongside, process ${process.pid}`),
    });
    await first.close();
    // Once closed, the folder is free again; a lock left by a process that died is taken over.
    const again = await openPglite(folder, { durable: false });
    await again.close();
    const lockFile = join(folder, 'alongside.pid');
    assert.equal(existsSync(lockFile), false);
  });
});

describe('npm start', { concurrency: false }, () => {
  const folders: string[] = [];
  after(() => {
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  it('stopped during the first demo load leaves no half-filled database, and the next start loads it all', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'alongside-start-'));
    folders.push(dataDir);
    const pgliteFolder = join(dataDir, 'pglite');

    const interrupted = npmStart(dataDir, await freePort());
    await interrupted.waitFor('Loading the demo data');
    interrupted.npm.kill('SIGTERM');
    assert.equal(await interrupted.exited, 0, interrupted.output());
    assert.match(interrupted.output(), /the database is closed/);
    assert.doesNotMatch(interrupted.output(), /Demo data loaded/);
    assert.equal(await countOrganisations(pgliteFolder), 0, 'nothing of a half-loaded demo is kept');

    const port = await freePort();
    const full = npmStart(dataDir, port);
    await full.waitFor('Press Ctrl+C to stop.');
    assert.match(full.output(), /Demo data loaded/);
    const serverPid = Number(readFileSync(join(pgliteFolder, 'alongside.pid'), 'utf8').split('\n')[0]);
    assert.ok(isAlive(serverPid));
    const page = await fetch(`http://localhost:${port}/ask/riverside`);
    assert.equal(page.status, 200);

    // A second server on the same folder stops at once with words a person can act on.
    const second = npmStart(dataDir, await freePort());
    assert.notEqual(await second.exited, 0);
    assert.match(
      second.output(),
      new RegExp(`This data folder is in use by another Alongside, process ${serverPid}`),
    );
    assert.doesNotMatch(second.output(), /RuntimeError|Aborted|wasm/i);

    // SIGTERM to npm itself reaches the server, which closes the database before npm exits.
    full.npm.kill('SIGTERM');
    assert.equal(await full.exited, 0, full.output());
    assert.match(full.output(), /the database is closed/);
    assert.equal(isAlive(serverPid), false, 'the server process has gone with npm');
    assert.equal(existsSync(join(pgliteFolder, 'alongside.pid')), false, 'the folder lock is released');
    assert.equal(
      existsSync(join(pgliteFolder, 'postmaster.pid')),
      false,
      'PostgreSQL inside shut down cleanly',
    );
    assert.equal(await countOrganisations(pgliteFolder), demoOrganisations.length);
  });

  it('stops cleanly on SIGINT (Ctrl+C) too', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'alongside-start-'));
    folders.push(dataDir);
    const server = npmStart(dataDir, await freePort());
    await server.waitFor('Press Ctrl+C to stop.');
    server.npm.kill('SIGINT');
    assert.equal(await server.exited, 0, server.output());
    assert.match(server.output(), /Stopping \(SIGINT\)/);
    assert.match(server.output(), /the database is closed/);
    assert.equal(existsSync(join(dataDir, 'pglite', 'alongside.pid')), false);
  });
});
