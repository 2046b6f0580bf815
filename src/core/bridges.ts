import { randomInt } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { audit } from './audit.ts';
import { rowsOf, type Scope } from './database/tenancy.ts';
import { hashToken, isUuid } from './tokens.ts';

/**
 * Bridges between organisations: the one narrow way for a module to act in another organisation's
 * data. Two organisations agree (one makes a code, the other enters it); afterwards a module may run
 * a piece of work as the other organisation with `acrossBridge`, which is audited on both sides and
 * still under row-level security, now for the other organisation only. Everything else stays apart.
 */

export const auditSubjectBridge = 'organisation-bridge';

export interface Bridge {
  id: string;
  purpose: string;
  askingOrganisationId: string;
  answeringOrganisationId: string | null;
  askingSubjectId: string;
  answeringSubjectId: string | null;
  askedAt: Date;
  answeredAt: Date | null;
}

/** How long a code can be entered: long enough to pass on by email or at a meeting. */
export const bridgeCodeDays = 14;

// No 0/O, 1/I/L: a code is read aloud and typed from paper.
const codeAlphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

function newCode(): string {
  const chars = Array.from({ length: 12 }, () => codeAlphabet[randomInt(codeAlphabet.length)]);
  return `${chars.slice(0, 4).join('')}-${chars.slice(4, 8).join('')}-${chars.slice(8).join('')}`;
}

/** What people type varies (lower case, spaces, missing dashes); the hash is of the letters alone. */
function normaliseCode(code: string): string {
  return code.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

const bridgeColumns = sql`id, purpose, asking_organisation_id as "askingOrganisationId",
  answering_organisation_id as "answeringOrganisationId", asking_subject_id as "askingSubjectId",
  answering_subject_id as "answeringSubjectId", asked_at as "askedAt", answered_at as "answeredAt"`;

/** Makes a code another organisation can enter to agree to `purpose` with this one. Shown once. */
export async function inviteBridge(
  scope: Scope,
  input: { purpose: string; subjectId: string; secretKey: string },
): Promise<{ id: string; code: string; expiresAt: Date }> {
  const code = newCode();
  const expiresAt = new Date(Date.now() + bridgeCodeDays * 24 * 60 * 60 * 1000);
  const [row] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`insert into organisation_bridge (purpose, asking_organisation_id, asking_subject_id,
      code_hash, code_expires_at, asked_by_person_id)
      values (${input.purpose}, ${scope.organisationId}, ${input.subjectId},
        ${hashToken(input.secretKey, normaliseCode(code))}, ${expiresAt.toISOString()}::timestamptz, ${scope.actorPersonId})
      returning id`),
  );
  await audit(scope, {
    action: 'create',
    subjectType: auditSubjectBridge,
    subjectId: row!.id,
    detail: { purpose: input.purpose },
  });
  return { id: row!.id, code, expiresAt };
}

/**
 * Enters a code from another organisation: the bridge is agreed, for `subjectId` on this side. An
 * unknown, used, expired or own code gives null, all alike, so a guess learns nothing.
 */
export async function answerBridge(
  scope: Scope,
  input: { purpose: string; code: string; subjectId: string; secretKey: string },
): Promise<Bridge | null> {
  const letters = normaliseCode(input.code);
  if (letters.length !== 12) return null;
  const [row] = await rowsOf<{ id: string | null }>(
    scope.tx.execute(sql`select organisation_bridge_answer(${hashToken(input.secretKey, letters)}, ${input.purpose},
      ${input.subjectId}::uuid, ${scope.actorPersonId}::uuid) as id`),
  );
  if (!row?.id) return null;
  const bridge = await findBridge(scope, row.id);
  if (!bridge) return null;
  await audit(scope, {
    action: 'bridge:agree',
    subjectType: auditSubjectBridge,
    subjectId: bridge.id,
    detail: { purpose: bridge.purpose },
  });
  return bridge;
}

/** A bridge this organisation is a party to (row-level security hides every other). */
export async function findBridge(scope: Scope, bridgeId: string): Promise<Bridge | null> {
  if (!isUuid(bridgeId)) return null;
  const [row] = await rowsOf<Bridge>(
    scope.tx.execute(sql`select ${bridgeColumns} from organisation_bridge where id = ${bridgeId}`),
  );
  return row
    ? {
        ...row,
        askedAt: new Date(row.askedAt),
        answeredAt: row.answeredAt ? new Date(row.answeredAt) : null,
      }
    : null;
}

/** The organisation on the other side of an agreed bridge, from this one's point of view. */
export function partnerOf(scope: Scope, bridge: Bridge): string | null {
  if (!bridge.answeringOrganisationId) return null;
  if (bridge.askingOrganisationId === scope.organisationId) return bridge.answeringOrganisationId;
  if (bridge.answeringOrganisationId === scope.organisationId) return bridge.askingOrganisationId;
  return null;
}

const crossing = new WeakSet<object>();

/**
 * Runs `work` as the other organisation of an agreed bridge, in the same transaction (so both sides
 * change together or not at all), then returns to this one. Each crossing is audited in both
 * organisations with `reason` (words for people reading the trail, never record contents). The
 * partner scope has no actor: the other organisation does not know this one's people.
 */
export async function acrossBridge<T>(
  scope: Scope,
  asked: Pick<Bridge, 'id' | 'purpose'>,
  reason: string,
  work: (partner: Scope) => Promise<T>,
): Promise<T> {
  // The row, not the caller's copy, decides: it must be this organisation's, agreed, for this purpose.
  const bridge = await findBridge(scope, asked.id);
  const partnerId = bridge && bridge.purpose === asked.purpose ? partnerOf(scope, bridge) : null;
  if (!bridge || !partnerId)
    throw new Error('acrossBridge: this organisation is not a party to an agreed bridge for this purpose');
  if (crossing.has(scope.tx)) throw new Error('acrossBridge: already across a bridge');
  await audit(scope, {
    action: 'bridge:cross',
    subjectType: auditSubjectBridge,
    subjectId: bridge.id,
    detail: { purpose: bridge.purpose, reason },
  });
  const partner: Scope = { ...scope, organisationId: partnerId, actorPersonId: null };
  crossing.add(scope.tx);
  await scope.tx.execute(sql`select set_config('app.organisation_id', ${partnerId}, true)`);
  try {
    await audit(partner, {
      action: 'bridge:cross',
      subjectType: auditSubjectBridge,
      subjectId: bridge.id,
      detail: { purpose: bridge.purpose, reason, from: 'partner' },
    });
    const result = await work(partner);
    await scope.tx.execute(sql`select set_config('app.organisation_id', ${scope.organisationId}, true)`);
    return result;
  } catch (error) {
    // A failed statement has already doomed the transaction; otherwise return home before rethrowing.
    await scope.tx
      .execute(sql`select set_config('app.organisation_id', ${scope.organisationId}, true)`)
      .catch(() => undefined);
    throw error;
  } finally {
    crossing.delete(scope.tx);
  }
}
