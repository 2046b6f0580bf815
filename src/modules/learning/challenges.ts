import { sql } from 'drizzle-orm';
import { audit } from '../../core/audit.ts';
import { rowsOf, type Scope } from '../../core/database/tenancy.ts';
import { notify } from '../../core/notifications.ts';
import { hashToken, isUuid, newToken } from '../../core/tokens.ts';
import { challengeAnswered } from './notifications.ts';
import { auditSubject, daysBetween, median } from './shared.tsx';

export const challengeStatuses = ['waiting', 'heard', 'acting', 'changed', 'cannot'] as const;
export type ChallengeStatus = (typeof challengeStatuses)[number];
export const answerStatuses = ['heard', 'acting', 'changed', 'cannot'] as const;

export interface Challenge {
  id: string;
  /** Null when raised anonymously: then nothing in the database says who. */
  authorPersonId: string | null;
  isAnonymous: boolean;
  addressedTo: 'leaders' | 'system';
  whatIsWrong: string;
  suggestion: string;
  whoItAffects: string;
  status: ChallengeStatus;
  answer: string;
  answeredByPersonId: string | null;
  answeredAt: Date | null;
  seriesId: string | null;
  raisedAt: Date;
}

export interface ChallengeWords {
  addressedTo: 'leaders' | 'system';
  whatIsWrong: string;
  suggestion: string;
  whoItAffects: string;
}

const columns = sql`id, author_person_id as "authorPersonId", is_anonymous as "isAnonymous",
  addressed_to as "addressedTo", what_is_wrong as "whatIsWrong", suggestion, who_it_affects as "whoItAffects",
  status, answer, answered_by_person_id as "answeredByPersonId", answered_at as "answeredAt",
  series_id as "seriesId", raised_at as "raisedAt"`;

function fromRow(row: Challenge): Challenge {
  return {
    ...row,
    raisedAt: new Date(row.raisedAt),
    answeredAt: row.answeredAt ? new Date(row.answeredAt) : null,
  };
}

/**
 * An anonymous act is written to the audit trail with no actor and no request id: the request id would
 * tie it to the other things the same person's request recorded.
 */
function anonymously(scope: Scope): Scope {
  return { ...scope, actorPersonId: null, requestId: null };
}

/**
 * Raises a challenge. With a name, the author is kept. Anonymously, the author is not stored anywhere:
 * the row gets a keyed hash of a private key that is returned once, for the author to change the
 * words later, and the audit trail records an anonymous act. The time is kept to the hour only.
 */
export async function raiseChallenge(
  scope: Scope,
  words: ChallengeWords,
  options: { anonymous: false } | { anonymous: true; secretKey: string },
): Promise<{ id: string; key: string | null }> {
  if (!options.anonymous) {
    const [row] = await rowsOf<{ id: string }>(
      scope.tx.execute(sql`insert into learning_challenge (organisation_id, author_person_id, is_anonymous,
        addressed_to, what_is_wrong, suggestion, who_it_affects)
        values (${scope.organisationId}, ${scope.actorPersonId}, false, ${words.addressedTo}, ${words.whatIsWrong},
          ${words.suggestion}, ${words.whoItAffects}) returning id`),
    );
    await audit(scope, {
      action: 'create',
      subjectType: auditSubject.challenge,
      subjectId: row!.id,
      subjectPersonId: scope.actorPersonId,
      detail: { fields: ['addressedTo', 'whatIsWrong', 'suggestion', 'whoItAffects'] },
    });
    return { id: row!.id, key: null };
  }
  const key = newToken();
  const [row] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`insert into learning_challenge (organisation_id, author_person_id, is_anonymous,
      anonymous_key_hash, addressed_to, what_is_wrong, suggestion, who_it_affects, raised_at)
      values (${scope.organisationId}, null, true, ${hashToken(options.secretKey, key)}, ${words.addressedTo},
        ${words.whatIsWrong}, ${words.suggestion}, ${words.whoItAffects}, date_trunc('hour', now())) returning id`),
  );
  await audit(anonymously(scope), {
    action: 'learning:raise-anonymously',
    subjectType: auditSubject.challenge,
    subjectId: row!.id,
    detail: { fields: ['addressedTo', 'whatIsWrong', 'suggestion', 'whoItAffects'] },
  });
  return { id: row!.id, key };
}

export async function findChallenge(scope: Scope, challengeId: string): Promise<Challenge | null> {
  if (!isUuid(challengeId)) return null;
  const [row] = await rowsOf<Challenge>(
    scope.tx.execute(sql`select ${columns} from learning_challenge where id = ${challengeId}`),
  );
  return row ? fromRow(row) : null;
}

/** The anonymous challenge a private key opens, or null for a key that opens nothing. */
export async function findByKey(scope: Scope, secretKey: string, key: string): Promise<Challenge | null> {
  const trimmed = key.trim();
  if (trimmed.length < 20 || trimmed.length > 100) return null;
  const [row] = await rowsOf<Challenge>(
    scope.tx.execute(sql`select ${columns} from learning_challenge
      where is_anonymous and anonymous_key_hash = ${hashToken(secretKey, trimmed)}`),
  );
  return row ? fromRow(row) : null;
}

/** Changes the words while the challenge waits for an answer; after that the answer would no longer fit. */
export async function changeWords(
  scope: Scope,
  challenge: Challenge,
  words: ChallengeWords,
): Promise<boolean> {
  if (challenge.status !== 'waiting') return false;
  await scope.tx.execute(sql`update learning_challenge set addressed_to = ${words.addressedTo},
    what_is_wrong = ${words.whatIsWrong}, suggestion = ${words.suggestion}, who_it_affects = ${words.whoItAffects}
    where id = ${challenge.id}`);
  const fields = (['addressedTo', 'whatIsWrong', 'suggestion', 'whoItAffects'] as const).filter(
    (field) => challenge[field] !== words[field],
  );
  if (challenge.isAnonymous) {
    await audit(anonymously(scope), {
      action: 'learning:change-anonymously',
      subjectType: auditSubject.challenge,
      subjectId: challenge.id,
      detail: { fields },
    });
  } else {
    await audit(scope, {
      action: 'update',
      subjectType: auditSubject.challenge,
      subjectId: challenge.id,
      subjectPersonId: challenge.authorPersonId,
      detail: { fields },
    });
  }
  return true;
}

export async function answerChallenge(
  scope: Scope,
  challenge: Challenge,
  answer: { status: (typeof answerStatuses)[number]; answer: string },
): Promise<void> {
  // The first answer's time is what the waiting figures count; later changes keep it.
  await scope.tx.execute(sql`update learning_challenge set status = ${answer.status}, answer = ${answer.answer},
    answered_by_person_id = ${scope.actorPersonId}, answered_at = coalesce(answered_at, now())
    where id = ${challenge.id}`);
  await audit(scope, {
    action: 'learning:answer',
    subjectType: auditSubject.challenge,
    subjectId: challenge.id,
    subjectPersonId: challenge.authorPersonId,
    detail: { fields: ['status', 'answer'] },
  });
  if (challenge.authorPersonId)
    await notify(scope, challenge.authorPersonId, challengeAnswered, `/learning/challenges/${challenge.id}`);
}

export async function takeToSpace(
  scope: Scope,
  challenge: Challenge,
  seriesId: string | null,
): Promise<void> {
  await scope.tx.execute(
    sql`update learning_challenge set series_id = ${seriesId} where id = ${challenge.id}`,
  );
  await audit(scope, {
    action: 'update',
    subjectType: auditSubject.challenge,
    subjectId: challenge.id,
    subjectPersonId: challenge.authorPersonId,
    detail: { fields: ['seriesId'] },
  });
}

export async function listChallenges(
  scope: Scope,
  filter: { status?: ChallengeStatus; authorPersonId?: string; ids?: string[] } = {},
): Promise<Challenge[]> {
  const conditions = [sql`true`];
  if (filter.status) conditions.push(sql`status = ${filter.status}`);
  if (filter.authorPersonId) conditions.push(sql`author_person_id = ${filter.authorPersonId}`);
  if (filter.ids) {
    const ids = filter.ids.filter(isUuid);
    if (ids.length === 0) return [];
    conditions.push(
      sql`id in (${sql.join(
        ids.map((one) => sql`${one}::uuid`),
        sql`, `,
      )})`,
    );
  }
  const rows = await rowsOf<Challenge>(
    scope.tx.execute(sql`select ${columns} from learning_challenge where ${sql.join(conditions, sql` and `)}
      order by (status = 'waiting') desc, raised_at desc, id limit 300`),
  );
  return rows.map(fromRow);
}

export interface WaitingFigures {
  raised: number;
  answered: number;
  waiting: number;
  /** Median whole days from raising to the first answer, over answered challenges. */
  medianDaysToAnswer: number | null;
  longestWaitingDays: number | null;
}

export function waitingFigures(challenges: Challenge[], now = new Date()): WaitingFigures {
  const answered = challenges.filter((c) => c.answeredAt);
  const waiting = challenges.filter((c) => !c.answeredAt);
  return {
    raised: challenges.length,
    answered: answered.length,
    waiting: waiting.length,
    medianDaysToAnswer: median(answered.map((c) => daysBetween(c.raisedAt, c.answeredAt!))),
    longestWaitingDays: waiting.length ? Math.max(...waiting.map((c) => daysBetween(c.raisedAt, now))) : null,
  };
}
