import { sql } from 'drizzle-orm';
import { audit } from '../../core/audit.ts';
import { rowsOf, type Scope } from '../../core/database/tenancy.ts';
import { reachableBy } from '../../core/teams.ts';
import { isUuid } from '../../core/tokens.ts';

/** The barriers log's records: the organisation's systems, barriers, and what happened next. */

export const auditSubject = {
  barrier: 'barriers:barrier',
  list: 'barriers:list',
  report: 'barriers:report',
  system: 'barriers:system',
} as const;

export const statuses = ['open', 'challenged', 'changed'] as const;
export type Status = (typeof statuses)[number];
export const consents = ['not-asked', 'yes', 'no'] as const;
export type Consent = (typeof consents)[number];

export const isStatus = (value: unknown): value is Status =>
  typeof value === 'string' && (statuses as readonly string[]).includes(value);

/** The systems every organisation starts with, in English and Welsh; each can rename or hide them. */
export const defaultSystems: [key: string, name: string, nameCy: string][] = [
  ['housing', 'Housing', 'Tai'],
  ['benefits', 'Benefits', 'Budd-daliadau'],
  ['health', 'Health', 'Iechyd'],
  ['justice', 'Justice', 'Cyfiawnder'],
  ['education', 'Education', 'Addysg'],
  ['work', 'Work', 'Gwaith'],
  ['money', 'Money', 'Arian'],
  ['other', 'Other', 'Arall'],
];

export interface BarrierSystem {
  id: string;
  key: string;
  name: string;
  nameCy: string | null;
  isHidden: boolean;
  /** How many barriers name this system: one in use is never deleted. */
  uses: number;
}

/**
 * An organisation gets the default systems the first time its list is read, so a new organisation needs
 * no set-up step. The unique key makes two first readers at once add them once.
 */
async function ensureSystems(scope: Scope): Promise<void> {
  const [any] = await rowsOf<{ id: string }>(scope.tx.execute(sql`select id from barrier_system limit 1`));
  if (any) return;
  for (const [index, [key, name, nameCy]] of defaultSystems.entries()) {
    await scope.tx.execute(sql`insert into barrier_system (organisation_id, key, name, name_cy, position)
      values (${scope.organisationId}, ${key}, ${name}, ${nameCy}, ${index * 10})
      on conflict (organisation_id, key) do nothing`);
  }
}

/** The organisation's systems in their order, hidden ones too (an old barrier may name one). */
export async function listSystems(scope: Scope): Promise<BarrierSystem[]> {
  await ensureSystems(scope);
  return rowsOf<BarrierSystem>(
    scope.tx.execute(sql`select s.id, s.key, s.name, s.name_cy as "nameCy", s.is_hidden as "isHidden",
        (select count(*)::int from barrier b where b.system_id = s.id) as uses
      from barrier_system s order by s.position, s.name, s.id`),
  );
}

export function systemName(system: Pick<BarrierSystem, 'name' | 'nameCy'> | undefined, language: string) {
  if (!system) return '';
  return (language === 'cy' && system.nameCy) || system.name;
}

/** A key for a new system's figures, from its English name: lower-case words joined by hyphens. */
export function keyFor(name: string, taken: Set<string>): string {
  const base =
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 50) || 'system';
  let key = base;
  for (let n = 2; taken.has(key); n++) key = `${base}-${n}`;
  return key;
}

export async function createSystem(scope: Scope, name: string, nameCy: string | null): Promise<string> {
  const systems = await listSystems(scope);
  const key = keyFor(name, new Set(systems.map((s) => s.key)));
  // A new system goes at the end of the list.
  const [row] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`insert into barrier_system (organisation_id, key, name, name_cy, position)
      select ${scope.organisationId}, ${key}, ${name}, ${nameCy}, coalesce(max(position), 0) + 10
      from barrier_system returning id`),
  );
  await audit(scope, {
    action: 'create',
    subjectType: auditSubject.system,
    subjectId: row!.id,
    detail: { fields: nameCy ? ['name', 'nameCy'] : ['name'] },
  });
  return row!.id;
}

export async function updateSystem(
  scope: Scope,
  systemId: string,
  changes: { name: string; nameCy: string | null; isHidden: boolean },
): Promise<boolean> {
  if (!isUuid(systemId)) return false;
  const updated = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`update barrier_system set name = ${changes.name}, name_cy = ${changes.nameCy},
      is_hidden = ${changes.isHidden} where id = ${systemId} returning id`),
  );
  if (updated.length === 0) return false;
  await audit(scope, {
    action: 'update',
    subjectType: auditSubject.system,
    subjectId: systemId,
    detail: { fields: ['name', 'nameCy', 'isHidden'] },
  });
  return true;
}

/** Removes a system nobody's barrier names; one in use can only be hidden. */
export async function deleteSystem(
  scope: Scope,
  systemId: string,
): Promise<'deleted' | 'in-use' | 'not-found'> {
  if (!isUuid(systemId)) return 'not-found';
  const [system] = await rowsOf<{ uses: number }>(
    scope.tx.execute(sql`select (select count(*)::int from barrier b where b.system_id = s.id) as uses
      from barrier_system s where s.id = ${systemId} for update`),
  );
  if (!system) return 'not-found';
  if (system.uses > 0) return 'in-use';
  await scope.tx.execute(sql`delete from barrier_system where id = ${systemId}`);
  await audit(scope, { action: 'delete', subjectType: auditSubject.system, subjectId: systemId });
  return 'deleted';
}

export interface Barrier {
  id: string;
  personId: string;
  recordedByPersonId: string | null;
  systemId: string;
  whatHappened: string;
  effect: string;
  status: Status;
  consent: Consent;
  createdAt: Date;
  updatedAt: Date;
}

const barrierColumns = sql`b.id, b.person_id as "personId", b.recorded_by_person_id as "recordedByPersonId",
  b.system_id as "systemId", b.what_happened as "whatHappened", b.effect, b.status, b.consent,
  b.created_at as "createdAt", b.updated_at as "updatedAt"`;

const dated = (row: Barrier): Barrier => ({
  ...row,
  createdAt: new Date(row.createdAt),
  updatedAt: new Date(row.updatedAt),
});

/**
 * One barrier of this organisation, or null (also for another organisation's id). Not audited: the
 * caller checks who may see it first, then records the read with `auditRead`.
 */
export async function findBarrier(scope: Scope, barrierId: string): Promise<Barrier | null> {
  if (!isUuid(barrierId)) return null;
  const [row] = await rowsOf<Barrier>(
    scope.tx.execute(sql`select ${barrierColumns} from barrier b where b.id = ${barrierId}`),
  );
  return row ? dated(row) : null;
}

export async function auditRead(scope: Scope, barrier: Barrier): Promise<void> {
  await audit(scope, {
    action: 'read',
    subjectType: auditSubject.barrier,
    subjectId: barrier.id,
    subjectPersonId: barrier.personId,
  });
}

export interface BarrierFilter {
  /** Only this person's barriers (a person's own list). */
  personId?: string;
  /** Only barriers of people this member of staff's teams reach (src/core/teams.ts). */
  reachableBy?: string;
  systemId?: string;
  status?: Status;
  /** The last barrier of the page before: the list goes on from there, newest first. */
  after?: string;
  limit?: number;
}

/** Newest first, a page at a time, along one of the `barrier_*` indexes; audited with whose they were. */
export async function listBarriers(
  scope: Scope,
  filter: BarrierFilter = {},
): Promise<{ barriers: Barrier[]; more: boolean }> {
  const limit = filter.limit ?? 20;
  const conditions = [sql`b.organisation_id = ${scope.organisationId}`];
  if (filter.personId) conditions.push(sql`b.person_id = ${filter.personId}`);
  if (filter.reachableBy) conditions.push(sql`b.person_id in ${reachableBy(scope, filter.reachableBy)}`);
  if (filter.systemId && isUuid(filter.systemId)) conditions.push(sql`b.system_id = ${filter.systemId}`);
  if (filter.status) conditions.push(sql`b.status = ${filter.status}`);
  if (filter.after && isUuid(filter.after)) {
    conditions.push(
      sql`(b.created_at, b.id) < (select a.created_at, a.id from barrier a where a.id = ${filter.after})`,
    );
  }
  const rows = await rowsOf<Barrier>(
    scope.tx.execute(sql`select ${barrierColumns} from barrier b where ${sql.join(conditions, sql` and `)}
      order by b.created_at desc, b.id desc limit ${limit + 1}`),
  );
  const barriers = rows.slice(0, limit).map(dated);
  // Whose barriers were shown is kept, so each of them can see that theirs was in a list.
  await audit(scope, {
    action: 'read',
    subjectType: auditSubject.list,
    detail: { count: barriers.length, people: [...new Set(barriers.map((b) => b.personId))] },
  });
  return { barriers, more: rows.length > limit };
}

export interface BarrierUpdate {
  id: string;
  kind: 'status' | 'consent';
  status: Status | null;
  consent: Consent | null;
  words: string;
  byPersonId: string | null;
  createdAt: Date;
}

export async function listUpdates(scope: Scope, barrierId: string): Promise<BarrierUpdate[]> {
  const rows = await rowsOf<BarrierUpdate>(
    scope.tx.execute(sql`select id, kind, status, consent, words, by_person_id as "byPersonId",
        created_at as "createdAt"
      from barrier_update where barrier_id = ${barrierId} order by created_at, id`),
  );
  return rows.map((row) => ({ ...row, createdAt: new Date(row.createdAt) }));
}

async function addUpdate(
  scope: Scope,
  barrierId: string,
  update: { kind: 'status'; status: Status; words: string } | { kind: 'consent'; consent: Consent },
  at: Date | null = null,
) {
  await scope.tx.execute(sql`insert into barrier_update (organisation_id, barrier_id, kind, status, consent, words,
      by_person_id, created_at)
    values (${scope.organisationId}, ${barrierId}, ${update.kind},
      ${update.kind === 'status' ? update.status : null}, ${update.kind === 'consent' ? update.consent : null},
      ${update.kind === 'status' ? update.words : ''}, ${scope.actorPersonId}, coalesce(${at}::timestamptz, now()))`);
}

export interface BarrierInput {
  personId: string;
  systemId: string;
  whatHappened: string;
  effect: string;
  /** Only when the person records their own: their answer. A coach's record starts as not asked. */
  consent: Consent;
  /** For demo data: when it was recorded. */
  createdAt?: Date;
}

export async function createBarrier(scope: Scope, input: BarrierInput): Promise<string> {
  const at = input.createdAt ?? null;
  const [row] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`insert into barrier (organisation_id, person_id, recorded_by_person_id, system_id,
        what_happened, effect, consent, created_at, updated_at)
      values (${scope.organisationId}, ${input.personId}, ${scope.actorPersonId}, ${input.systemId},
        ${input.whatHappened}, ${input.effect}, ${input.consent}, coalesce(${at}::timestamptz, now()),
        coalesce(${at}::timestamptz, now()))
      returning id`),
  );
  const id = row!.id;
  await scope.tx.execute(sql`insert into barrier_update (organisation_id, barrier_id, kind, status, by_person_id,
      created_at)
    values (${scope.organisationId}, ${id}, 'status', 'open', ${scope.actorPersonId},
      coalesce(${at}::timestamptz, now()))`);
  if (input.consent !== 'not-asked') {
    await scope.tx.execute(sql`insert into barrier_update (organisation_id, barrier_id, kind, consent, by_person_id,
        created_at)
      values (${scope.organisationId}, ${id}, 'consent', ${input.consent}, ${scope.actorPersonId},
        coalesce(${at}::timestamptz, now()))`);
  }
  await audit(scope, {
    action: 'create',
    subjectType: auditSubject.barrier,
    subjectId: id,
    subjectPersonId: input.personId,
    detail: {
      fields: ['system', 'whatHappened', ...(input.effect ? ['effect'] : []), 'consent'],
    },
  });
  return id;
}

/**
 * Corrects what was written. When someone other than the person changes the words they had agreed to
 * share, the agreement no longer covers them: it goes back to not asked until the person answers again.
 */
export async function updateBarrier(
  scope: Scope,
  barrier: Barrier,
  changes: { systemId: string; whatHappened: string; effect: string },
): Promise<string[]> {
  const fields = [
    barrier.systemId !== changes.systemId ? 'system' : '',
    barrier.whatHappened !== changes.whatHappened ? 'whatHappened' : '',
    barrier.effect !== changes.effect ? 'effect' : '',
  ].filter(Boolean);
  if (fields.length === 0) return [];
  const wordsChanged = fields.includes('whatHappened') || fields.includes('effect');
  const resetConsent = wordsChanged && barrier.consent === 'yes' && scope.actorPersonId !== barrier.personId;
  await scope.tx.execute(sql`update barrier set system_id = ${changes.systemId},
      what_happened = ${changes.whatHappened}, effect = ${changes.effect},
      consent = ${resetConsent ? 'not-asked' : barrier.consent}, updated_at = now()
    where id = ${barrier.id}`);
  if (resetConsent) {
    await addUpdate(scope, barrier.id, { kind: 'consent', consent: 'not-asked' });
    fields.push('consent');
  }
  await audit(scope, {
    action: 'update',
    subjectType: auditSubject.barrier,
    subjectId: barrier.id,
    subjectPersonId: barrier.personId,
    detail: { fields },
  });
  return fields;
}

/** What was done about it: a new status with the words that go with it, kept in the history. */
export async function changeStatus(
  scope: Scope,
  barrier: Barrier,
  status: Status,
  words: string,
  /** For demo data: when it happened. */
  at: Date | null = null,
) {
  await scope.tx.execute(
    sql`update barrier set status = ${status}, updated_at = coalesce(${at}::timestamptz, now())
      where id = ${barrier.id}`,
  );
  await addUpdate(scope, barrier.id, { kind: 'status', status, words }, at);
  await audit(scope, {
    action: 'update',
    subjectType: auditSubject.barrier,
    subjectId: barrier.id,
    subjectPersonId: barrier.personId,
    detail: { fields: words ? ['status', 'words'] : ['status'] },
  });
}

/** Only the person themself gives or withdraws consent; the caller has checked who is asking. */
export async function setConsent(
  scope: Scope,
  barrier: Barrier,
  consent: 'yes' | 'no',
  at: Date | null = null,
) {
  if (barrier.consent === consent) return;
  await scope.tx.execute(
    sql`update barrier set consent = ${consent}, updated_at = coalesce(${at}::timestamptz, now())
      where id = ${barrier.id}`,
  );
  await addUpdate(scope, barrier.id, { kind: 'consent', consent }, at);
  await audit(scope, {
    action: 'update',
    subjectType: auditSubject.barrier,
    subjectId: barrier.id,
    subjectPersonId: barrier.personId,
    detail: { fields: ['consent'] },
  });
}

export interface Report {
  /** Per system over the last 12 months, by status now. */
  bySystem: { systemId: string; open: number; challenged: number; changed: number; total: number }[];
  /** The last 12 months, oldest first, as `YYYY-MM` in UK time; months with none are there with 0. */
  byMonth: { month: string; count: number }[];
  /** The newest examples whose person said yes, without anything that names them. */
  examples: { id: string; systemId: string; month: string; whatHappened: string; effect: string }[];
}

// The first day of the month 11 months ago, in UK time: with this month, 12 months.
const since = sql`(date_trunc('month', now() at time zone 'Europe/London') - interval '11 months')`;

/** "What gets in the way": figures from the ordinary records, and the examples people agreed to share. */
export async function report(
  scope: Scope,
  options: { examples?: number; format?: 'html' | 'csv' } = {},
): Promise<Report> {
  const counts = await rowsOf<{ systemId: string; status: Status; count: number }>(
    scope.tx.execute(sql`select system_id as "systemId", status, count(*)::int as count from barrier
      where organisation_id = ${scope.organisationId}
        and created_at >= (${since} at time zone 'Europe/London')
      group by system_id, status`),
  );
  const bySystem = new Map<string, Report['bySystem'][number]>();
  for (const row of counts) {
    const entry = bySystem.get(row.systemId) ?? {
      systemId: row.systemId,
      open: 0,
      challenged: 0,
      changed: 0,
      total: 0,
    };
    entry[row.status] += row.count;
    entry.total += row.count;
    bySystem.set(row.systemId, entry);
  }
  const byMonth = await rowsOf<{ month: string; count: number }>(
    scope.tx.execute(sql`with counts as (
        select date_trunc('month', created_at at time zone 'Europe/London') as month, count(*)::int as n
        from barrier where organisation_id = ${scope.organisationId}
          and created_at >= (${since} at time zone 'Europe/London')
        group by 1)
      select to_char(m, 'YYYY-MM') as month, coalesce(c.n, 0)::int as count
      from generate_series(${since}, ${since} + interval '11 months', interval '1 month') m
      left join counts c on c.month = m
      order by m`),
  );
  const examples = await rowsOf<Report['examples'][number] & { personId: string }>(
    scope.tx.execute(sql`select id, system_id as "systemId",
        to_char(created_at at time zone 'Europe/London', 'YYYY-MM') as month,
        what_happened as "whatHappened", effect, person_id as "personId"
      from barrier where organisation_id = ${scope.organisationId} and consent = 'yes'
        and created_at >= (${since} at time zone 'Europe/London')
      order by created_at desc, id desc limit ${options.examples ?? 12}`),
  );
  // Whose words were shown is kept, so each of them can see that their example was used.
  // A file taken away is an export, not a look at a screen.
  await audit(scope, {
    action: options.format === 'csv' ? 'export' : 'read',
    subjectType: auditSubject.report,
    detail: {
      format: options.format ?? 'html',
      examples: examples.length,
      people: [...new Set(examples.map((e) => e.personId))],
    },
  });
  return {
    bySystem: [...bySystem.values()],
    byMonth,
    examples: examples.map(({ personId: _, ...example }) => example),
  };
}

/** Everything about one person's barriers, with what happened next, for their subject access export. */
export async function barriersAbout(scope: Scope, personId: string) {
  if (!isUuid(personId)) return [];
  const rows = await rowsOf<Barrier & { systemKey: string; systemName: string; systemNameCy: string | null }>(
    scope.tx.execute(sql`select ${barrierColumns}, s.key as "systemKey", s.name as "systemName",
        s.name_cy as "systemNameCy" from barrier b
      join barrier_system s on s.id = b.system_id
      where b.person_id = ${personId} order by b.created_at, b.id`),
  );
  const result = [];
  for (const row of rows) {
    result.push({
      ...dated(row),
      system: { key: row.systemKey, name: row.systemName, nameCy: row.systemNameCy },
      history: await listUpdates(scope, row.id),
    });
  }
  await audit(scope, {
    action: 'export',
    subjectType: auditSubject.barrier,
    subjectPersonId: personId,
    detail: { count: result.length },
  });
  return result;
}
