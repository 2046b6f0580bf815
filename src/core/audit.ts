import { and, desc, eq, gte, lt, or, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { auditEvent, person } from './database/schema.ts';
import type { Scope } from './database/tenancy.ts';

/** What happened to personal data. Never the data itself: `detail` holds names of fields, not values. */
export interface AuditInput {
  action: 'read' | 'create' | 'update' | 'delete' | 'sign-in' | 'sign-out' | 'export' | (string & {});
  subjectType: string;
  subjectId?: string | null;
  subjectPersonId?: string | null;
  detail?: Record<string, string | number | boolean | string[]>;
}

/** Written in the caller's transaction, so the record of a change exists exactly when the change does. */
export async function audit(scope: Scope, event: AuditInput): Promise<void> {
  await scope.tx.insert(auditEvent).values({
    organisationId: scope.organisationId,
    actorPersonId: scope.actorPersonId,
    action: event.action,
    subjectType: event.subjectType,
    subjectId: event.subjectId ?? null,
    subjectPersonId: event.subjectPersonId ?? null,
    requestId: scope.requestId,
    detail: event.detail ?? {},
  });
}

export interface AuditFilter {
  /** Events about this person, including lists their name appeared in. */
  subjectPersonId?: string;
  /** Leave out the subject's own signing in and out (noise on their own history page). */
  hideOwnSessions?: boolean;
  /** Leave out the subject looking at their own record: the page is about what others did. */
  hideOwnReads?: boolean;
  actorPersonId?: string;
  action?: string;
  from?: Date;
  before?: Date;
  limit?: number;
  offset?: number;
}

export interface AuditRow {
  id: string;
  occurredAt: Date;
  action: string;
  subjectType: string;
  subjectId: string | null;
  actorPersonId: string | null;
  actorName: string | null;
  subjectPersonId: string | null;
  subjectName: string | null;
  requestId: string | null;
  detail: Record<string, unknown>;
}

export async function findAuditEvents(scope: Scope, filter: AuditFilter): Promise<AuditRow[]> {
  const actor = alias(person, 'actor');
  const subject = alias(person, 'subject');
  const conditions: SQL[] = [eq(auditEvent.organisationId, scope.organisationId)];
  if (filter.subjectPersonId) {
    const id = filter.subjectPersonId;
    conditions.push(
      or(
        eq(auditEvent.subjectPersonId, id),
        sql`(${auditEvent.detail} -> 'people') @> to_jsonb(${id}::text)`,
      )!,
    );
    if (filter.hideOwnReads) {
      conditions.push(
        sql`not (${auditEvent.action} = 'read' and ${auditEvent.actorPersonId} is not distinct from ${id}::uuid)`,
      );
    }
    if (filter.hideOwnSessions) {
      conditions.push(
        sql`not (${auditEvent.subjectType} = 'session' and ${auditEvent.actorPersonId} is not distinct from ${id}::uuid)`,
      );
    }
  }
  if (filter.actorPersonId) conditions.push(eq(auditEvent.actorPersonId, filter.actorPersonId));
  if (filter.action) conditions.push(eq(auditEvent.action, filter.action));
  if (filter.from) conditions.push(gte(auditEvent.occurredAt, filter.from));
  if (filter.before) conditions.push(lt(auditEvent.occurredAt, filter.before));
  return scope.tx
    .select({
      id: auditEvent.id,
      occurredAt: auditEvent.occurredAt,
      action: auditEvent.action,
      subjectType: auditEvent.subjectType,
      subjectId: auditEvent.subjectId,
      actorPersonId: auditEvent.actorPersonId,
      actorName: actor.calledName,
      subjectPersonId: auditEvent.subjectPersonId,
      subjectName: subject.calledName,
      requestId: auditEvent.requestId,
      detail: auditEvent.detail,
    })
    .from(auditEvent)
    .leftJoin(actor, eq(actor.id, auditEvent.actorPersonId))
    .leftJoin(subject, eq(subject.id, auditEvent.subjectPersonId))
    .where(and(...conditions))
    .orderBy(desc(auditEvent.occurredAt), desc(auditEvent.id))
    .limit(filter.limit ?? 50)
    .offset(filter.offset ?? 0);
}
