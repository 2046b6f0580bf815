import { createHmac } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { audit } from './audit.ts';
import type { Config } from './config.ts';
import type { AppServices } from './context.ts';
import type { Role } from './database/schema.ts';
import { rowsOf, type Scope, withOrganisation, withSystem } from './database/tenancy.ts';
import { isLanguage } from './i18n/index.ts';
import { type EventTime, type IcalEvent, icalendar } from './icalendar.ts';
import type { Can } from './permissions.ts';
import { withinLimits } from './request-limits.ts';
import { hashToken, newToken, sameToken } from './tokens.ts';

/**
 * Calendar feeds (decision 022): a secret address per person that a calendar app reads without
 * signing in. The dates come from each module's `calendarEvents`, asked as that person with their
 * own permissions inside their own organisation, so the feed never holds more than they see signed in.
 */

/** One date a module puts in a person's calendar. */
export interface CalendarEvent {
  /** Stable and unique across the installation (e.g. the record's id); the core adds `@host`. */
  uid: string;
  start: EventTime;
  end?: Date;
  /** A key in the module's catalogue. Titles never name a person supported ("Link-up meeting"). */
  title: string;
  /** A key in the module's catalogue for a plain sentence about the date, with no names in it. */
  description?: string;
  /** Words the person sees on that page when signed in (a series' name); never a person supported's name. */
  detail?: string;
  place?: string;
  /** The page in Alongside (a path); opening it needs signing in, as always. */
  path?: string;
}

/** The person whose calendar it is, with their permissions now. */
export interface CalendarViewer {
  personId: string;
  can: Can;
}

/** Which dates a feed holds: from some weeks back to a year ahead, and at most so many. */
export interface CalendarWindow {
  from: Date;
  to: Date;
  limit: number;
}

export const feedDaysBack = 60;
export const feedDaysAhead = 365;
export const feedMostEvents = 500;
/** Calendar apps read a feed every few minutes at most; more than this in an hour is not a calendar app. */
export const feedReadsPerHour = 60;

export function feedWindow(now = new Date()): CalendarWindow {
  return {
    from: new Date(now.getTime() - feedDaysBack * 86_400_000),
    to: new Date(now.getTime() + feedDaysAhead * 86_400_000),
    limit: feedMostEvents,
  };
}

/** The address's secret part, worked out from the row's seed with the server's key (see the migration). */
function tokenFrom(secretKey: string, seed: string): string {
  return createHmac('sha256', secretKey).update(`calendar-feed\u0000${seed}`).digest('base64url');
}

const tokenPattern = /^[A-Za-z0-9_-]{43}$/;

export function feedAddress(config: Config, token: string): string {
  return new URL(`/calendar/${token}.ics`, config.publicUrl.origin).toString();
}

export interface OpenFeed {
  id: string;
  address: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

const auditSubject = 'calendar-feed';

/**
 * The person's working feed, with its address to show again. A feed whose address no longer matches
 * (the server's secret key was changed, which changes every address) is stopped and not shown.
 */
export async function openFeedOf(scope: Scope, config: Config, personId: string): Promise<OpenFeed | null> {
  const [row] = await rowsOf<{
    id: string;
    seed: string;
    tokenHash: string;
    createdAt: string;
    lastUsedAt: string | null;
  }>(
    scope.tx.execute(sql`select id, seed, token_hash as "tokenHash", created_at as "createdAt",
        last_used_at as "lastUsedAt"
      from calendar_feed where person_id = ${personId} and revoked_at is null`),
  );
  if (!row) return null;
  const token = tokenFrom(config.secretKey, row.seed);
  if (!sameToken(hashToken(config.secretKey, token), row.tokenHash)) {
    await scope.tx.execute(sql`update calendar_feed set revoked_at = now() where id = ${row.id}`);
    return null;
  }
  return {
    id: row.id,
    address: feedAddress(config, token),
    createdAt: new Date(row.createdAt),
    lastUsedAt: row.lastUsedAt ? new Date(row.lastUsedAt) : null,
  };
}

/** Stops the person's working feed, if they have one: its address gives "not found" from now on. */
export async function revokeFeed(scope: Scope, personId: string): Promise<boolean> {
  const stopped = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`update calendar_feed set revoked_at = now()
      where person_id = ${personId} and revoked_at is null returning id`),
  );
  for (const row of stopped)
    await audit(scope, {
      action: 'delete',
      subjectType: auditSubject,
      subjectId: row.id,
      subjectPersonId: personId,
    });
  return stopped.length > 0;
}

/** A new address for the person; an earlier one stops working in the same transaction. */
export async function makeFeed(scope: Scope, config: Config, personId: string): Promise<OpenFeed> {
  await revokeFeed(scope, personId);
  const seed = newToken();
  const token = tokenFrom(config.secretKey, seed);
  const [row] = await rowsOf<{ id: string; createdAt: string }>(
    scope.tx.execute(sql`insert into calendar_feed (organisation_id, person_id, seed, token_hash)
      values (${scope.organisationId}, ${personId}, ${seed}, ${hashToken(config.secretKey, token)})
      returning id, created_at as "createdAt"`),
  );
  await audit(scope, {
    action: 'create',
    subjectType: auditSubject,
    subjectId: row!.id,
    subjectPersonId: personId,
  });
  return {
    id: row!.id,
    address: feedAddress(config, token),
    createdAt: new Date(row!.createdAt),
    lastUsedAt: null,
  };
}

interface FoundFeed {
  id: string;
  organisationId: string;
  personId: string;
}

/**
 * The one step outside any organisation: a feed found by its address's keyed hash, only while it
 * works. It gives back ids and nothing else; everything after runs inside that organisation.
 */
async function findFeed(database: AppServices['database'], secretKey: string, token: string) {
  if (!tokenPattern.test(token)) return null;
  const [row] = await withSystem(database, (tx) =>
    rowsOf<FoundFeed>(
      tx.execute(sql`select id, organisation_id as "organisationId", person_id as "personId"
        from calendar_feed where token_hash = ${hashToken(secretKey, token)} and revoked_at is null`),
    ),
  );
  return row ?? null;
}

export type FeedResult =
  | { outcome: 'feed'; text: string }
  | { outcome: 'not-found' }
  | { outcome: 'too-often' };

/**
 * The iCalendar text for a feed's address, or why not. The person is looked up again each time: one
 * who can no longer sign in here (no account) gets nothing, and roles taken away take their dates too.
 */
export async function readFeed(
  services: AppServices,
  token: string,
  options: { requestId: string; now?: Date },
): Promise<FeedResult> {
  const { database, config } = services;
  const feed = await findFeed(database, config.secretKey, token);
  if (!feed) return { outcome: 'not-found' };
  if (
    !(await withinLimits(database, config.secretKey, [
      { key: `calendar-feed:${feed.id}`, most: feedReadsPerHour },
    ]))
  )
    return { outcome: 'too-often' };
  const now = options.now ?? new Date();
  const text = await withOrganisation(
    database,
    { organisationId: feed.organisationId, actorPersonId: feed.personId, requestId: options.requestId },
    async (scope) => {
      const [who] = await rowsOf<{
        language: string | null;
        defaultLanguage: string;
        organisationName: string;
        organisationNameCy: string | null;
      }>(
        scope.tx.execute(sql`select a.language, o.default_language as "defaultLanguage", o.name as "organisationName",
            o.name_cy as "organisationNameCy"
          from person p join account a on a.id = p.account_id join organisation o on o.id = p.organisation_id
          where p.id = ${feed.personId}`),
      );
      if (!who) return null;
      const roles = await rowsOf<{ role: Role }>(
        scope.tx.execute(sql`select role from membership where person_id = ${feed.personId}`),
      );
      const language = isLanguage(who.language)
        ? who.language
        : isLanguage(who.defaultLanguage)
          ? who.defaultLanguage
          : 'en';
      const t = services.translate(language);
      const viewer: CalendarViewer = {
        personId: feed.personId,
        can: services.permissions.for({ personId: feed.personId, roles: roles.map((row) => row.role) }),
      };
      const window = feedWindow(now);
      const gathered: IcalEvent[] = [];
      for (const module of services.modules) {
        if (!module.calendarEvents) continue;
        for (const event of await module.calendarEvents(scope, viewer, window)) {
          const url = event.path ? new URL(event.path, config.publicUrl.origin).toString() : undefined;
          gathered.push({
            uid: `${event.uid}@${config.publicUrl.hostname}`,
            start: event.start,
            end: event.end,
            summary: t(`${module.id}.${event.title}`),
            location: event.place || undefined,
            description:
              [
                event.detail,
                event.description ? t(`${module.id}.${event.description}`) : null,
                url ? t('calendar.feed.openInAlongside', { url }) : null,
              ]
                .filter(Boolean)
                .join('\n') || undefined,
            url,
          });
        }
      }
      // The dates nearest today when there are too many, then in the order they happen.
      const startOf = (event: IcalEvent) =>
        'at' in event.start ? event.start.at.getTime() : Date.parse(`${event.start.day}T12:00:00Z`);
      const events = gathered
        .sort((a, b) => Math.abs(startOf(a) - now.getTime()) - Math.abs(startOf(b) - now.getTime()))
        .slice(0, window.limit)
        .sort((a, b) => startOf(a) - startOf(b) || (a.uid < b.uid ? -1 : 1));
      await scope.tx.execute(
        sql`update calendar_feed set last_used_at = ${now.toISOString()}::timestamptz where id = ${feed.id}`,
      );
      // The read of the person's own dates, in their trail: how many, never what they were.
      await audit(scope, {
        action: 'read',
        subjectType: auditSubject,
        subjectId: feed.id,
        subjectPersonId: feed.personId,
        detail: { events: events.length },
      });
      return icalendar({
        productId: '-//Alongside//Calendar feed//EN',
        name: t('calendar.feed.name', {
          organisation: (language === 'cy' && who.organisationNameCy) || who.organisationName,
        }),
        stamp: now,
        events,
      });
    },
  );
  return text === null ? { outcome: 'not-found' } : { outcome: 'feed', text };
}
