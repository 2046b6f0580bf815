import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Everything Alongside reads from its environment, typed and checked in one place. */
export interface Config {
  production: boolean;
  port: number;
  host: string;
  publicUrl: URL;
  /** `postgres://…` for a server, or a folder for the embedded PGlite database. */
  database: { kind: 'pglite'; dataDir: string } | { kind: 'postgresql'; url: string; poolSize: number };
  /** Keys the hashes of session ids and one-time tokens, so a copied table alone is useless. */
  secretKey: string;
  smtpUrl: string | null;
  mailFrom: string;
  demoData: boolean;
  trustProxy: boolean;
  sessionIdleMinutes: number;
  logLevel: string;
  /** Argon2 memory cost in KiB; tests lower it so hundreds of sign-ins stay quick. */
  passwordMemoryCost: number;
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Alongside cannot start:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    problems.push(`${name} must be a positive whole number (it is "${raw}").`);
    return fallback;
  }
  return value;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  return ['1', 'true', 'yes', 'on'].includes(raw);
}

/** A local secret kept beside the embedded database, so sessions survive a restart without set-up. */
function localSecret(dataDir: string): string {
  const file = join(dataDir, 'secret.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const production = env.NODE_ENV === 'production';
  const port = integer(env, 'PORT', 3000, problems);
  const dataDir = resolve(env.DATA_DIR || 'data');

  const databaseUrl = env.DATABASE_URL?.trim();
  let database: Config['database'];
  if (databaseUrl && /^postgres(ql)?:\/\//.test(databaseUrl)) {
    database = {
      kind: 'postgresql',
      url: databaseUrl,
      poolSize: integer(env, 'DATABASE_POOL_SIZE', 10, problems),
    };
  } else if (databaseUrl?.startsWith('file:')) {
    database = { kind: 'pglite', dataDir: resolve(databaseUrl.slice('file:'.length)) };
  } else if (databaseUrl) {
    problems.push('DATABASE_URL must start with postgres:// (a server) or file: (the embedded database).');
    database = { kind: 'pglite', dataDir: join(dataDir, 'pglite') };
  } else {
    if (production) {
      problems.push(
        'DATABASE_URL is required in production: postgres://user:password@host/db, or file:/path for the embedded database.',
      );
    }
    database = { kind: 'pglite', dataDir: join(dataDir, 'pglite') };
  }

  let publicUrl = new URL(`http://localhost:${port}`);
  if (env.PUBLIC_URL) {
    try {
      publicUrl = new URL(env.PUBLIC_URL);
    } catch {
      problems.push(
        `PUBLIC_URL must be a full address such as https://alongside.example.org (it is "${env.PUBLIC_URL}").`,
      );
    }
    if (production && publicUrl.protocol !== 'https:') {
      problems.push(
        'PUBLIC_URL must start with https:// in production: passwords must not cross a network unencrypted.',
      );
    }
  } else if (production) {
    problems.push(
      'PUBLIC_URL is required in production: the address people type, such as https://alongside.example.org.',
    );
  }

  let secretKey = env.SECRET_KEY ?? '';
  if (!secretKey) {
    if (production) {
      problems.push(
        'SECRET_KEY is required in production: at least 32 random characters (openssl rand -hex 32).',
      );
    } else {
      secretKey = localSecret(dataDir);
    }
  } else if (secretKey.length < 32) {
    problems.push('SECRET_KEY must be at least 32 characters long.');
  }

  const config: Config = {
    production,
    port,
    host: env.HOST || (production ? '0.0.0.0' : '127.0.0.1'),
    publicUrl,
    database,
    secretKey,
    smtpUrl: env.SMTP_URL || null,
    mailFrom: env.MAIL_FROM || `Alongside <no-reply@${publicUrl.hostname}>`,
    demoData: flag(env, 'DEMO_DATA', !production),
    trustProxy: flag(env, 'TRUST_PROXY', false),
    sessionIdleMinutes: integer(env, 'SESSION_IDLE_MINUTES', 120, problems),
    logLevel: env.LOG_LEVEL || (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    passwordMemoryCost: integer(env, 'PASSWORD_MEMORY_COST', 19456, problems),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
