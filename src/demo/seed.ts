import { eq, sql } from 'drizzle-orm';
import { makeFeed } from '../core/calendar-feeds.ts';
import type { Config } from '../core/config.ts';
import type { AppServices } from '../core/context.ts';
import type { Database } from '../core/database/connect.ts';
import { account, membership, organisation, person, securityNotice } from '../core/database/schema.ts';
import {
  inOneTransaction,
  rowsOf,
  type Scope,
  withOrganisation,
  withSystem,
} from '../core/database/tenancy.ts';
import { enqueueJob } from '../core/jobs.ts';
import { dailyDigest, setChoices } from '../core/notifications.ts';
import { hashPassword } from '../core/passwords.ts';
import { addToTeam, createTeam, listTeams, placeWithTeam } from '../core/teams.ts';
import { demoOrganisations, demoPassword } from './people.ts';

export async function hasAnyOrganisation(database: Database): Promise<boolean> {
  const rows = await withSystem(database, (tx) =>
    tx.select({ id: organisation.id }).from(organisation).limit(1),
  );
  return rows.length > 0;
}

/** Held while the demo data loads, so two servers starting on one empty PostgreSQL load it once. */
export const demoLoadLock = 4_242_002;

export interface DemoLoadOptions {
  /** Load only into a database with no organisation yet (the first start); `npm run seed` loads anyway. */
  onlyIfEmpty?: boolean;
  /** A stop asked for while loading: what was loaded so far is undone, and the next start loads it all. */
  signal?: AbortSignal;
}

/**
 * Loads the demo organisations, people and accounts, then each module's demo records, all in one
 * transaction: a stop half-way leaves nothing, never a half-filled database that no later start would
 * repair. Safe to run again: every row has a fixed id and existing rows are left as they are.
 */
export async function seedDemo(
  services: AppServices,
  options: DemoLoadOptions = {},
): Promise<'loaded' | 'already-there'> {
  const { config } = services;
  const passwordHash = await hashPassword(demoPassword, config.passwordMemoryCost);
  options.signal?.throwIfAborted();
  return inOneTransaction(services.database, async (database, tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${demoLoadLock}::bigint)`);
    if (options.onlyIfEmpty) {
      const [any] = await tx.select({ id: organisation.id }).from(organisation).limit(1);
      if (any) return 'already-there';
    }
    await loadEverything({ ...services, database }, passwordHash, options.signal);
    return 'loaded';
  });
}

async function loadEverything(services: AppServices, passwordHash: string, signal?: AbortSignal) {
  const { database } = services;
  const accountIds = new Map<string, string>();

  await withSystem(database, async (tx) => {
    for (const spec of demoOrganisations) {
      await tx
        .insert(organisation)
        .values({
          id: spec.id,
          slug: spec.slug,
          name: spec.name,
          nameCy: spec.nameCy,
          defaultLanguage: spec.defaultLanguage,
        })
        .onConflictDoNothing();
      for (const someone of spec.people) {
        if (!someone.email || accountIds.has(someone.email)) continue;
        const [existing] = await tx
          .select({ id: account.id })
          .from(account)
          .where(sql`lower(${account.email}) = ${someone.email}`);
        const [created] = existing
          ? [existing]
          : await tx
              .insert(account)
              .values({ email: someone.email, passwordHash })
              .returning({ id: account.id });
        accountIds.set(someone.email, created!.id);
      }
    }
  });

  for (const spec of demoOrganisations) {
    const admin = spec.people.find((p) => p.handle === 'admin')!;
    await withOrganisation(
      database,
      { organisationId: spec.id, actorPersonId: null, requestId: 'demo-data' },
      async (scope) => {
        for (const someone of spec.people) {
          await scope.tx
            .insert(person)
            .values({
              id: someone.id,
              organisationId: spec.id,
              calledName: someone.calledName,
              fullName: someone.fullName,
              accountId: someone.email ? accountIds.get(someone.email) : null,
            })
            .onConflictDoNothing();
          for (const role of someone.roles) {
            await scope.tx
              .insert(membership)
              .values({ organisationId: spec.id, personId: someone.id, role, grantedByPersonId: admin.id })
              .onConflictDoNothing();
          }
        }
        const [stored] = await scope.tx
          .select({ id: organisation.id })
          .from(organisation)
          .where(eq(organisation.id, spec.id));
        if (!stored) throw new Error(`Demo organisation ${spec.slug} is not visible inside itself`);
        const people = Object.fromEntries(spec.people.map((p) => [p.handle, p.id]));
        await seedOneTeam(scope, spec);
        await seedSecurityNotice(scope, people);
        await seedCalendarFeed(scope, people, services.config);
        await seedNotificationChoice(scope, people);
        for (const module of services.modules) {
          signal?.throwIfAborted();
          await module.seedDemo?.(scope, { id: spec.id, people }, services);
        }
      },
    );
  }
  const everyone = demoOrganisations.map((spec) => ({
    id: spec.id,
    people: Object.fromEntries(spec.people.map((p) => [p.handle, p.id])),
  }));
  for (const module of services.modules) {
    signal?.throwIfAborted();
    await module.seedDemoTogether?.(everyone, services);
  }
}

/**
 * Each demo organisation has one team holding everyone, as every organisation had when teams came,
 * so the modules' demo people who come next join it too (joinOnlyTeam).
 */
async function seedOneTeam(scope: Scope, spec: (typeof demoOrganisations)[number]) {
  const existing = await listTeams(scope, { includeClosed: true });
  const teamId =
    existing[0]?.id ??
    (await createTeam(scope, {
      id: `${spec.id.slice(0, 24)}a0000000000${spec.id.slice(-1)}`,
      name: spec.name,
      nameCy: spec.nameCy,
    }));
  for (const someone of spec.people) {
    for (const role of someone.roles) {
      if (role === 'coach' || role === 'lead' || role === 'peer')
        await addToTeam(scope, teamId, someone.id, role);
      if (role === 'person') await placeWithTeam(scope, someone.id, teamId);
    }
  }
}

/**
 * Three months ago the admin started a new password for the demo person, who was told at their next
 * sign-in; the notice stays on their account page. Once only: a second load finds it there.
 */
async function seedSecurityNotice(scope: Scope, people: Record<string, string>) {
  const personId = people.person;
  if (!personId || !people.admin) return;
  const [already] = await scope.tx
    .select({ id: securityNotice.id })
    .from(securityNotice)
    .where(eq(securityNotice.personId, personId))
    .limit(1);
  if (already) return;
  const when = new Date(Date.now() - 90 * 86_400_000);
  await scope.tx.insert(securityNotice).values({
    organisationId: scope.organisationId,
    personId,
    kind: 'password-reset-by-admin',
    aboutPersonId: personId,
    byPersonId: people.admin,
    createdAt: when,
    seenAt: new Date(when.getTime() + 86_400_000),
  });
}

/**
 * The demo person hears of new things written about them in a daily digest, so the first start also
 * shows a digest waiting in the outbox and a finished job on the admin's background-work page.
 */
async function seedNotificationChoice(scope: Scope, people: Record<string, string>) {
  const person = people.person;
  if (!person) return;
  await setChoices(scope, person, new Map([['coaching.written-about-me', 'digest' as const]]));
  await enqueueJob(scope, dailyDigest.kind);
}

/** The demo coach has a calendar address already, to try in a calendar app. Once only. */
async function seedCalendarFeed(scope: Scope, people: Record<string, string>, config: Config) {
  const personId = people.coach;
  if (!personId) return;
  const [already] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`select id from calendar_feed where person_id = ${personId} limit 1`),
  );
  if (!already) await makeFeed(scope, config, personId);
}

/** One line per demo account, for the start-up message and the README. */
export function demoAccounts(): { organisation: string; email: string; roles: string }[] {
  const seen = new Set<string>();
  return demoOrganisations.flatMap((spec) =>
    spec.people
      .filter((p) => p.email && !seen.has(p.email) && seen.add(p.email))
      .map((p) => ({ organisation: spec.name, email: p.email!, roles: p.roles.join(', ') })),
  );
}
