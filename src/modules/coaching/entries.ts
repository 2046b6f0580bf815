import { sql } from 'drizzle-orm';
import { audit } from '../../core/audit.ts';
import { rowsOf, type Scope } from '../../core/database/tenancy.ts';
import { notify, notifyEach } from '../../core/notifications.ts';
import { isUuid } from '../../core/tokens.ts';
import { responseToEntry, writtenAboutMe } from './notifications.ts';
import { markSeen } from './support.ts';
import { auditSubject } from './words.ts';

/**
 * Why an entry may be hidden from the person it is about, and whether they may know it exists. Where
 * saying so could itself cause harm or prejudice an investigation, the person sees nothing.
 */
export const hiddenReasons = {
  'someone-else': { personSeesItExists: true },
  'talk-first': { personSeesItExists: true },
  'serious-harm': { personSeesItExists: false },
  'police-or-court': { personSeesItExists: false },
} as const;
export type HiddenReason = keyof typeof hiddenReasons;
export const hiddenReasonKeys = Object.keys(hiddenReasons) as HiddenReason[];

export interface EntryResponse {
  id: string;
  kind: 'comment' | 'disagree';
  words: string;
  writtenBy: string | null;
  writtenAt: Date;
}

export interface Entry {
  id: string;
  personId: string;
  kind: 'conversation' | 'own';
  writtenBy: string | null;
  talkedAbout: string;
  nextSteps: string;
  happenedOn: string | null;
  place: string;
  hiddenReason: HiddenReason | null;
  hiddenWords: string | null;
  hiddenBy: string | null;
  createdAt: Date;
  responses: EntryResponse[];
}

/** What the person sees of an entry withheld from them: only that it exists, when, and why in general. */
export interface WithheldEntry {
  id: string;
  withheld: true;
  hiddenReason: HiddenReason;
  createdAt: Date;
}

export const entriesPageSize = 20;

const entryColumns = sql`id, person_id as "personId", kind, written_by as "writtenBy", talked_about as "talkedAbout",
  next_steps as "nextSteps", happened_on::text as "happenedOn", place, hidden_reason as "hiddenReason",
  hidden_words as "hiddenWords", hidden_by as "hiddenBy", created_at as "createdAt"`;

async function withResponses(scope: Scope, rows: Omit<Entry, 'responses'>[]): Promise<Entry[]> {
  if (rows.length === 0) return [];
  const responses = await rowsOf<EntryResponse & { entryId: string }>(
    scope.tx.execute(sql`select id, entry_id as "entryId", kind, words, written_by as "writtenBy", written_at as "writtenAt"
      from coaching_entry_response where entry_id in (${sql.join(
        rows.map((row) => sql`${row.id}`),
        sql`, `,
      )}) order by written_at, id`),
  );
  return rows.map((row) => ({
    ...row,
    createdAt: new Date(row.createdAt),
    responses: responses
      .filter((response) => response.entryId === row.id)
      .map(({ entryId: _, ...response }) => ({ ...response, writtenAt: new Date(response.writtenAt) })),
  }));
}

/**
 * Everything written about a person, newest first, a page at a time. The person themself never
 * receives a hidden entry's words from the database, only the fact that one exists where its reason
 * allows that.
 */
export async function entriesAbout(
  scope: Scope,
  personId: string,
  options: { viewer: 'person' | 'team'; page?: number; pageSize?: number },
): Promise<{ entries: (Entry | WithheldEntry)[]; more: boolean }> {
  const page = Math.max(1, options.page ?? 1);
  const pageSize = options.pageSize ?? entriesPageSize;
  const shownReasons = hiddenReasonKeys.filter((reason) => hiddenReasons[reason].personSeesItExists);
  const visibility =
    options.viewer === 'team'
      ? sql`true`
      : sql`(hidden_reason is null or hidden_reason in (${sql.join(
          shownReasons.map((reason) => sql`${reason}`),
          sql`, `,
        )}))`;
  const columns =
    options.viewer === 'team'
      ? entryColumns
      : sql`id, person_id as "personId", kind, written_by as "writtenBy",
          case when hidden_reason is null then talked_about else '' end as "talkedAbout",
          case when hidden_reason is null then next_steps else '' end as "nextSteps",
          case when hidden_reason is null then happened_on::text end as "happenedOn",
          case when hidden_reason is null then place else '' end as "place",
          hidden_reason as "hiddenReason", null as "hiddenWords", null as "hiddenBy", created_at as "createdAt"`;
  const rows = await rowsOf<Omit<Entry, 'responses'>>(
    scope.tx.execute(sql`select ${columns} from coaching_entry
      where organisation_id = ${scope.organisationId} and person_id = ${personId} and ${visibility}
      order by created_at desc, id desc limit ${pageSize + 1} offset ${(page - 1) * pageSize}`),
  );
  const shown = rows.slice(0, pageSize);
  const open = await withResponses(
    scope,
    shown.filter((row) => options.viewer === 'team' || row.hiddenReason === null),
  );
  const entries = shown.map(
    (row): Entry | WithheldEntry =>
      open.find((entry) => entry.id === row.id) ?? {
        id: row.id,
        withheld: true,
        hiddenReason: row.hiddenReason!,
        createdAt: new Date(row.createdAt),
      },
  );
  await audit(scope, {
    action: 'read',
    subjectType: auditSubject.entry,
    subjectPersonId: personId,
    detail: { page, count: entries.length },
  });
  return { entries, more: rows.length > pageSize };
}

export async function findEntry(scope: Scope, entryId: string): Promise<Entry | null> {
  if (!isUuid(entryId)) return null;
  const rows = await rowsOf<Omit<Entry, 'responses'>>(
    scope.tx.execute(sql`select ${entryColumns} from coaching_entry
      where organisation_id = ${scope.organisationId} and id = ${entryId}`),
  );
  const [entry] = await withResponses(scope, rows);
  return entry ?? null;
}

export async function addEntry(
  scope: Scope,
  input: {
    personId: string;
    kind: 'conversation' | 'own';
    talkedAbout: string;
    nextSteps: string;
    happenedOn: string | null;
    place: string;
    hidden?: { reason: HiddenReason; words: string } | null;
    at?: Date;
  },
): Promise<string> {
  const hidden = input.hidden ?? null;
  const [row] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`insert into coaching_entry (organisation_id, person_id, kind, written_by, talked_about, next_steps,
        happened_on, place, hidden_reason, hidden_words, hidden_by, hidden_at, created_at)
      values (${scope.organisationId}, ${input.personId}, ${input.kind}, ${scope.actorPersonId}, ${input.talkedAbout},
        ${input.nextSteps}, ${input.happenedOn}, ${input.place}, ${hidden?.reason ?? null}, ${hidden?.words ?? null},
        ${hidden ? scope.actorPersonId : null}, ${hidden ? sql`now()` : null}, ${(input.at ?? new Date()).toISOString()})
      returning id`),
  );
  if (input.kind === 'conversation')
    await markSeen(scope, input.personId, input.happenedOn ? new Date(input.happenedOn) : new Date());
  await audit(scope, {
    action: 'create',
    subjectType: auditSubject.entry,
    subjectId: row!.id,
    subjectPersonId: input.personId,
    detail: { fields: ['talkedAbout', 'nextSteps', 'happenedOn', 'place'], kind: input.kind },
  });
  if (hidden) await auditHiding(scope, row!.id, input.personId, hidden.reason);
  // Something withheld from the person is not announced to them either.
  else await notify(scope, input.personId, writtenAboutMe, `/me/everything/${row!.id}`);
  return row!.id;
}

// Hiding is the rare, explicit act the admin's trail must show: its own event with the reason's key.
async function auditHiding(scope: Scope, entryId: string, personId: string, reason: HiddenReason) {
  await audit(scope, {
    action: 'coaching:hide',
    subjectType: auditSubject.entry,
    subjectId: entryId,
    subjectPersonId: personId,
    detail: { reason },
  });
}

export async function hideEntry(scope: Scope, entry: Entry, reason: HiddenReason, words: string) {
  await scope.tx.execute(sql`update coaching_entry set hidden_reason = ${reason}, hidden_words = ${words},
    hidden_by = ${scope.actorPersonId}, hidden_at = now() where id = ${entry.id}`);
  await auditHiding(scope, entry.id, entry.personId, reason);
}

export async function showEntry(scope: Scope, entry: Entry) {
  await scope.tx.execute(sql`update coaching_entry set hidden_reason = null, hidden_words = null,
    hidden_by = null, hidden_at = null where id = ${entry.id}`);
  await audit(scope, {
    action: 'coaching:show',
    subjectType: auditSubject.entry,
    subjectId: entry.id,
    subjectPersonId: entry.personId,
  });
}

export async function respondToEntry(
  scope: Scope,
  entry: Entry,
  kind: 'comment' | 'disagree',
  words: string,
) {
  await scope.tx.execute(sql`insert into coaching_entry_response (organisation_id, entry_id, kind, words, written_by)
    values (${scope.organisationId}, ${entry.id}, ${kind}, ${words}, ${scope.actorPersonId})`);
  await audit(scope, {
    action: 'create',
    subjectType: auditSubject.entry,
    subjectId: entry.id,
    subjectPersonId: entry.personId,
    detail: { fields: [kind === 'disagree' ? 'disagreement' : 'comment'] },
  });
  // The person it is about hears of it (unless it was withheld from them), and so does who wrote it.
  if (!entry.hiddenReason) await notify(scope, entry.personId, responseToEntry, `/me/everything/${entry.id}`);
  if (entry.writtenBy && entry.writtenBy !== entry.personId)
    await notifyEach(
      scope,
      [entry.writtenBy],
      responseToEntry,
      `/coaching/people/${entry.personId}/everything/${entry.id}`,
    );
}
