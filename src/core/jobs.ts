import { hostname } from 'node:os';
import { sql } from 'drizzle-orm';
import type { AppServices } from './context.ts';
import type { Database } from './database/connect.ts';
import { rowsOf, type Scope, withSystem } from './database/tenancy.ts';
import { startOfUkDay, todayInUk } from './dates.ts';
import { isUuid } from './tokens.ts';

/**
 * Background jobs (decision 020): our own small runner on FOR UPDATE SKIP LOCKED with a lease, on
 * the embedded database and on PostgreSQL alike, enqueued in the same transaction as the change.
 */
export interface JobContext {
  database: Database;
  services: AppServices;
  organisationId: string | null;
  payload: Record<string, unknown>;
  /** When the runner claimed it (the runner's clock; tests move it). */
  now: Date;
  /** The schedule slot for a scheduled job (its UK day, '2026-12-02'), else null. */
  slot: string | null;
  /** How far long work has got; also renews the lease. */
  progress(done: number, total: number): Promise<void>;
  signal: AbortSignal;
}

export interface JobKind {
  /** '<module id>.<name>', e.g. 'notifications.daily-digest'. */
  kind: string;
  /** Catalogue key naming it for people. */
  label: string;
  run(context: JobContext): Promise<void>;
  /** Default 5. After the last failed attempt the job is 'failed' until someone retries it. */
  maxAttempts?: number;
  /** Fire once a day at this UK time ('HH:MM') for every organisation. */
  schedule?: { dailyAt: string };
}

export const coreJobKinds: JobKind[] = [];

/** In the same transaction as the change that asks for it: undone with it. */
export async function enqueueJob(
  scope: Scope,
  kind: string,
  payload: Record<string, unknown> = {},
  options: { runAt?: Date } = {},
): Promise<string> {
  const [row] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`insert into job (organisation_id, kind, payload, run_at)
      values (${scope.organisationId}, ${kind}, ${JSON.stringify(payload)}::jsonb,
        ${(options.runAt ?? new Date()).toISOString()}::timestamptz) returning id`),
  );
  return row!.id;
}

export interface JobRunnerOptions {
  database: Database;
  services: AppServices;
  kinds: JobKind[];
  clock?: () => Date;
  pollMs?: number;
  leaseMs?: number;
  instanceId?: string;
}

interface ClaimedJob {
  id: string;
  organisationId: string | null;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
  maxAttempts: number;
  slot: string | null;
}

/** The latest moment at or before `now` when a daily UK time came, and its day. */
export function latestSlot(dailyAt: string, now: Date): { slot: string; at: Date } {
  const [hours, minutes] = dailyAt.split(':').map(Number) as [number, number];
  const today = todayInUk(now);
  const at = new Date(startOfUkDay(today).getTime() + (hours * 60 + minutes) * 60_000);
  if (at <= now) return { slot: today, at };
  const yesterday = todayInUk(new Date(startOfUkDay(today).getTime() - 3_600_000));
  return {
    slot: yesterday,
    at: new Date(startOfUkDay(yesterday).getTime() + (hours * 60 + minutes) * 60_000),
  };
}

export class JobRunner {
  private readonly kinds: Map<string, JobKind>;
  private readonly clock: () => Date;
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private readonly instanceId: string;
  private readonly stopping = new AbortController();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: JobRunnerOptions) {
    this.kinds = new Map(options.kinds.map((kind) => [kind.kind, kind]));
    this.clock = options.clock ?? (() => new Date());
    this.pollMs = options.pollMs ?? 5_000;
    this.leaseMs = options.leaseMs ?? 5 * 60_000;
    this.instanceId =
      options.instanceId ?? `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  }

  start(): void {
    const tick = () => {
      this.running = this.runReady()
        .catch((error) =>
          this.options.services.logger.warn({ err: (error as Error).name }, 'job runner tick failed'),
        )
        .finally(() => {
          if (!this.stopping.signal.aborted) this.timer = setTimeout(tick, this.pollMs);
        });
    };
    this.timer = setTimeout(tick, 1_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Creates today's scheduled jobs that are due, one per organisation; a second tick adds nothing. */
  async scheduleTick(): Promise<void> {
    const now = this.clock();
    for (const kind of this.kinds.values()) {
      if (!kind.schedule) continue;
      const { slot, at } = latestSlot(kind.schedule.dailyAt, now);
      await withSystem(this.options.database, (tx) =>
        tx.execute(sql`insert into job (organisation_id, kind, slot, run_at, max_attempts)
          select id, ${kind.kind}, ${slot}, ${at.toISOString()}::timestamptz, ${kind.maxAttempts ?? 5}
          from organisation
          on conflict (kind, organisation_id, slot) where slot is not null do nothing`),
      );
    }
  }

  /** One schedule tick, then every ready job one after another; how many ran. */
  async runReady(): Promise<number> {
    await this.scheduleTick();
    let ran = 0;
    while (!this.stopping.signal.aborted) {
      const job = await this.claim();
      if (!job) break;
      await this.runOne(job);
      ran += 1;
    }
    return ran;
  }

  private async claim(): Promise<ClaimedJob | null> {
    const now = this.clock();
    const [row] = await withSystem(this.options.database, (tx) =>
      rowsOf<ClaimedJob>(
        tx.execute(sql`update job set state = 'running', attempts = attempts + 1, locked_by = ${this.instanceId},
            locked_until = ${new Date(now.getTime() + this.leaseMs).toISOString()}::timestamptz,
            started_at = ${now.toISOString()}::timestamptz
          where id = (select id from job
            where (state = 'waiting' and run_at <= ${now.toISOString()}::timestamptz)
               or (state = 'running' and locked_until < ${now.toISOString()}::timestamptz)
            order by run_at limit 1 for update skip locked)
          returning id, organisation_id as "organisationId", kind, payload, attempts,
            max_attempts as "maxAttempts", slot`),
      ),
    );
    return row ?? null;
  }

  private async finish(id: string, changes: ReturnType<typeof sql>) {
    await withSystem(this.options.database, (tx) =>
      tx.execute(sql`update job set ${changes}, locked_by = null, locked_until = null
        where id = ${id} and locked_by = ${this.instanceId}`),
    );
  }

  private async runOne(job: ClaimedJob): Promise<void> {
    const kind = this.kinds.get(job.kind);
    const now = this.clock();
    const renew = () =>
      withSystem(this.options.database, (tx) =>
        tx.execute(sql`update job set locked_until = ${new Date(this.clock().getTime() + this.leaseMs).toISOString()}::timestamptz
          where id = ${job.id} and locked_by = ${this.instanceId}`),
      );
    const heartbeat = setInterval(() => void renew().catch(() => {}), Math.max(1_000, this.leaseMs / 3));
    heartbeat.unref();
    try {
      if (!kind) throw new Error(`No job kind "${job.kind}" is known to this server.`);
      await kind.run({
        database: this.options.database,
        services: this.options.services,
        organisationId: job.organisationId,
        payload: job.payload ?? {},
        now,
        slot: job.slot,
        signal: this.stopping.signal,
        progress: async (done, total) => {
          await withSystem(this.options.database, (tx) =>
            tx.execute(sql`update job set progress_done = ${done}, progress_total = ${total},
              locked_until = ${new Date(this.clock().getTime() + this.leaseMs).toISOString()}::timestamptz
              where id = ${job.id} and locked_by = ${this.instanceId}`),
          );
        },
      });
      await this.finish(
        job.id,
        sql`state = 'done', finished_at = ${this.clock().toISOString()}::timestamptz, last_error = null`,
      );
    } catch (error) {
      const message = (error instanceof Error ? error.message : 'unknown failure').slice(0, 500);
      // Never the payload: only the kind and the id reach the log.
      this.options.services.logger.warn({ job: job.id, kind: job.kind }, 'background job failed');
      if (job.attempts < (kind?.maxAttempts ?? job.maxAttempts)) {
        const wait = 30_000 * 2 ** (job.attempts - 1);
        await this.finish(
          job.id,
          sql`state = 'waiting', last_error = ${message}, run_at = ${new Date(this.clock().getTime() + wait).toISOString()}::timestamptz`,
        );
      } else {
        await this.finish(
          job.id,
          sql`state = 'failed', last_error = ${message}, finished_at = ${this.clock().toISOString()}::timestamptz`,
        );
      }
    } finally {
      clearInterval(heartbeat);
    }
  }
}

// ——— What an admin sees ———

export const jobStates = ['waiting', 'running', 'failed', 'done'] as const;
export type JobState = (typeof jobStates)[number];

export interface JobLine {
  id: string;
  kind: string;
  state: JobState;
  attempts: number;
  lastError: string | null;
  progressDone: number | null;
  progressTotal: number | null;
  createdAt: Date;
  runAt: Date;
  finishedAt: Date | null;
}

const jobColumns = sql`id, kind, state, attempts, last_error as "lastError", progress_done as "progressDone",
  progress_total as "progressTotal", created_at as "createdAt", run_at as "runAt", finished_at as "finishedAt"`;
const jobOf = (row: JobLine): JobLine => ({
  ...row,
  createdAt: new Date(row.createdAt),
  runAt: new Date(row.runAt),
  finishedAt: row.finishedAt ? new Date(row.finishedAt) : null,
});

/** The organisation's jobs, newest first, a page at a time, optionally in one state. */
export async function jobsOf(
  scope: Scope,
  options: { state?: JobState; page: number; size: number },
): Promise<{ jobs: JobLine[]; more: boolean }> {
  const rows = await rowsOf<JobLine>(
    scope.tx.execute(sql`select ${jobColumns} from job where organisation_id = ${scope.organisationId}
      ${options.state ? sql`and state = ${options.state}` : sql``}
      order by created_at desc, id desc limit ${options.size + 1} offset ${(options.page - 1) * options.size}`),
  );
  return { jobs: rows.slice(0, options.size).map(jobOf), more: rows.length > options.size };
}

export async function findJob(scope: Scope, jobId: string): Promise<JobLine | null> {
  if (!isUuid(jobId)) return null;
  const [row] = await rowsOf<JobLine>(
    scope.tx.execute(
      sql`select ${jobColumns} from job where id = ${jobId} and organisation_id = ${scope.organisationId}`,
    ),
  );
  return row ? jobOf(row) : null;
}

/** A failed job waits again now, with its attempts counted afresh; anything else is left alone. */
export async function tryJobAgain(scope: Scope, jobId: string): Promise<boolean> {
  if (!isUuid(jobId)) return false;
  const rows = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`update job set state = 'waiting', attempts = 0, run_at = now(), finished_at = null
      where id = ${jobId} and organisation_id = ${scope.organisationId} and state = 'failed' returning id`),
  );
  return rows.length > 0;
}
