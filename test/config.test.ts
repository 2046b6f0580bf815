import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../src/core/config.ts';

const tempDir = () => mkdtempSync(join(tmpdir(), 'alongside-config-'));

describe('configuration', () => {
  it('runs locally with no settings: embedded database in ./data, a generated secret kept beside it', () => {
    const dataDir = tempDir();
    const config = loadConfig({ DATA_DIR: dataDir });
    assert.equal(config.production, false);
    assert.equal(config.port, 3000);
    assert.deepEqual(config.database, { kind: 'pglite', dataDir: join(dataDir, 'pglite') });
    assert.equal(config.publicUrl.origin, 'http://localhost:3000');
    assert.equal(config.demoData, true);
    assert.equal(config.secretKey, readFileSync(join(dataDir, 'secret.key'), 'utf8'));
    assert.equal(
      loadConfig({ DATA_DIR: dataDir }).secretKey,
      config.secretKey,
      'the same secret on the next start',
    );
  });

  it('refuses to start in production without a database, public address and secret, naming each', () => {
    assert.throws(
      () => loadConfig({ NODE_ENV: 'production', DATA_DIR: tempDir() }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.problems.length, 3);
        assert.match(error.message, /DATABASE_URL is required/);
        assert.match(error.message, /PUBLIC_URL is required/);
        assert.match(error.message, /SECRET_KEY is required/);
        return true;
      },
    );
  });

  it('starts in production with the required values, on PostgreSQL with a pool', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://alongside@db.internal/alongside',
      PUBLIC_URL: 'https://alongside.example.org',
      SECRET_KEY: 'a'.repeat(64),
      DATABASE_POOL_SIZE: '20',
    });
    assert.deepEqual(config.database, {
      kind: 'postgresql',
      url: 'postgres://alongside@db.internal/alongside',
      poolSize: 20,
    });
    assert.equal(config.demoData, false);
    assert.equal(config.host, '0.0.0.0');
  });

  it('insists on https for the public address in production', () => {
    assert.throws(
      () =>
        loadConfig({
          NODE_ENV: 'production',
          DATABASE_URL: 'postgres://db/alongside',
          PUBLIC_URL: 'http://alongside.example.org',
          SECRET_KEY: 'a'.repeat(64),
        }),
      /must start with https/,
    );
  });

  it('explains values that are there but wrong', () => {
    assert.throws(
      () =>
        loadConfig({
          PORT: 'eighty',
          DATABASE_URL: 'mysql://x',
          PUBLIC_URL: 'not a url',
          SECRET_KEY: 'short',
          DATA_DIR: tempDir(),
        }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.problems.length, 4);
        return true;
      },
    );
  });
});
