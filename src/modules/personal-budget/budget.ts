import { sql } from 'drizzle-orm';
import { audit } from '../../core/audit.ts';
import { rowsOf, type Scope } from '../../core/database/tenancy.ts';
import { notify } from '../../core/notifications.ts';
import { reachableBy } from '../../core/teams.ts';
import { isUuid } from '../../core/tokens.ts';
import { requestNews } from './notifications.ts';
import type { ReceiptType } from './receipts.ts';

/**
 * Personal budgets: settings, one account per person, requests to spend, questions, the append-only
 * ledger and receipts. Every change to a balance locks the account row first (select … for no key update) in
 * the caller's transaction, then checks, then writes the entry and the new balance, so two approvals
 * or spends at once queue and neither can slip past the other's check. Writes are audited here; reads
 * are audited by the page that shows them.
 */

export const auditSubject = {
  settings: 'personal-budget:settings',
  budget: 'personal-budget:budget',
  request: 'personal-budget:request',
  receipt: 'personal-budget:receipt',
  waiting: 'personal-budget:waiting',
  report: 'personal-budget:report',
} as const;

export const auditAction = {
  open: 'personal-budget:open',
  topUp: 'personal-budget:top-up',
  ask: 'personal-budget:ask',
  approve: 'personal-budget:approve',
  question: 'personal-budget:question',
  answer: 'personal-budget:answer',
  decline: 'personal-budget:decline',
  withdraw: 'personal-budget:withdraw',
  spend: 'personal-budget:spend',
  correct: 'personal-budget:correct',
} as const;

export type RequestStatus = 'asked' | 'question' | 'approved' | 'spent' | 'withdrawn' | 'declined';
export type EntryKind = 'allocation' | 'top-up' | 'spend' | 'correction';

/** Why something could not be done; each has kind words in the catalogue under `problems`. */
export type BudgetProblem =
  | 'not-found'
  | 'no-budget'
  | 'already-open'
  | 'not-waiting'
  | 'not-approved'
  | 'no-question'
  | 'own-request'
  | 'over-balance'
  | 'over-approved'
  | 'already-corrected';

export type Outcome<T = string> =
  | { ok: true; value: T }
  | { ok: false; problem: BudgetProblem; freePence?: number };

export interface Budget {
  id: string;
  personId: string;
  balancePence: number;
  /** Approved and not yet spent: promised, so not free to ask for again. */
  approvedPence: number;
  openedAt: Date;
}

export interface BudgetRequest {
  id: string;
  accountId: string;
  personId: string;
  words: string;
  amountPence: number;
  goalId: string | null;
  status: RequestStatus;
  askedBy: string | null;
  askedAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  decisionWords: string;
  override: boolean;
  overrideWords: string;
  spentPence: number | null;
  spentBy: string | null;
  spentAt: Date | null;
}

export interface Question {
  id: string;
  question: string;
  askedBy: string | null;
  askedAt: Date;
  answer: string | null;
  answeredBy: string | null;
  answeredAt: Date | null;
}

export interface LedgerLine {
  id: number;
  kind: EntryKind;
  pence: number;
  words: string;
  requestId: string | null;
  /** What the request was for, for a spend (or the correction of one). */
  requestWords: string | null;
  reversesEntryId: number | null;
  reversed: boolean;
  override: boolean;
  overrideWords: string;
  recordedBy: string | null;
  createdAt: Date;
  balanceAfter: number;
}

export interface ReceiptInfo {
  id: string;
  requestId: string;
  contentType: ReceiptType;
  sizeBytes: number;
  uploadedAt: Date;
}

const dateOrNull = (value: unknown) => (value ? new Date(value as string) : null);
const numberOrNull = (value: unknown) => (value === null || value === undefined ? null : Number(value));

// Settings

/** The organisation's default amount for a new budget, or null when no one has set it yet. */
export async function defaultPence(scope: Scope): Promise<number | null> {
  const [row] = await rowsOf<{ pence: number }>(
    scope.tx.execute(sql`select default_pence as pence from personal_budget_setting
      where organisation_id = ${scope.organisationId}`),
  );
  return row ? Number(row.pence) : null;
}

export async function saveDefault(scope: Scope, pence: number): Promise<void> {
  await scope.tx.execute(sql`insert into personal_budget_setting (organisation_id, default_pence, updated_by)
    values (${scope.organisationId}, ${pence}, ${scope.actorPersonId})
    on conflict (organisation_id) do update set default_pence = excluded.default_pence,
      updated_by = excluded.updated_by, updated_at = now()`);
  await audit(scope, {
    action: 'update',
    subjectType: auditSubject.settings,
    detail: { fields: ['defaultPence'] },
  });
}

// Budgets

const committed = (accountId: unknown) => sql`(select coalesce(sum(amount_pence), 0)
  from personal_budget_request where account_id = ${accountId} and status = 'approved')`;

export async function findBudget(scope: Scope, personId: string): Promise<Budget | null> {
  if (!isUuid(personId)) return null;
  const [row] = await rowsOf<Budget>(
    scope.tx.execute(sql`select a.id, a.person_id as "personId", a.balance_pence as "balancePence",
        ${committed(sql`a.id`)} as "approvedPence", a.opened_at as "openedAt"
      from personal_budget_account a
      where a.organisation_id = ${scope.organisationId} and a.person_id = ${personId}`),
  );
  return row
    ? {
        ...row,
        balancePence: Number(row.balancePence),
        approvedPence: Number(row.approvedPence),
        openedAt: new Date(row.openedAt),
      }
    : null;
}

/** Budgets of several people at once (for a page of waiting requests), by person. */
export async function budgetsOf(scope: Scope, personIds: string[]): Promise<Map<string, Budget>> {
  const ids = [...new Set(personIds.filter(isUuid))];
  const found = new Map<string, Budget>();
  if (ids.length === 0) return found;
  const rows = await rowsOf<Budget>(
    scope.tx.execute(sql`select a.id, a.person_id as "personId", a.balance_pence as "balancePence",
        ${committed(sql`a.id`)} as "approvedPence", a.opened_at as "openedAt"
      from personal_budget_account a
      where a.organisation_id = ${scope.organisationId} and a.person_id in (${sql.join(
        ids.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})`),
  );
  for (const row of rows)
    found.set(row.personId, {
      ...row,
      balancePence: Number(row.balancePence),
      approvedPence: Number(row.approvedPence),
      openedAt: new Date(row.openedAt),
    });
  return found;
}

/** Locks a budget's row for the rest of the transaction and returns its balance as it now is. */
async function lockBudget(scope: Scope, accountId: string) {
  const [row] = await rowsOf<{ id: string; personId: string; balancePence: string }>(
    scope.tx.execute(sql`select id, person_id as "personId", balance_pence as "balancePence"
      from personal_budget_account where id = ${accountId} and organisation_id = ${scope.organisationId}
      for no key update`),
  );
  return row ? { id: row.id, personId: row.personId, balancePence: Number(row.balancePence) } : null;
}

async function approvedExcept(scope: Scope, accountId: string, requestId: string | null): Promise<number> {
  const [row] = await rowsOf<{ pence: string }>(
    scope.tx.execute(sql`select coalesce(sum(amount_pence), 0) as pence from personal_budget_request
      where account_id = ${accountId} and status = 'approved'
      ${requestId ? sql`and id <> ${requestId}` : sql``}`),
  );
  return Number(row!.pence);
}

interface EntryInput {
  accountId: string;
  personId: string;
  kind: EntryKind;
  pence: number;
  words?: string;
  requestId?: string | null;
  reversesEntryId?: number | null;
  override?: boolean;
  overrideWords?: string;
}

/** Writes one entry and moves the balance by it; only after `lockBudget` in the same transaction. */
async function writeEntry(scope: Scope, entry: EntryInput): Promise<number> {
  const [row] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`insert into personal_budget_entry (organisation_id, account_id, kind, pence, words,
        request_id, reverses_entry_id, override, override_words, recorded_by)
      values (${scope.organisationId}, ${entry.accountId}, ${entry.kind}, ${entry.pence}, ${entry.words ?? ''},
        ${entry.requestId ?? null}, ${entry.reversesEntryId ?? null}, ${entry.override ?? false},
        ${entry.overrideWords ?? ''}, ${scope.actorPersonId})
      returning id`),
  );
  await scope.tx.execute(sql`update personal_budget_account set balance_pence = balance_pence + ${entry.pence}
    where id = ${entry.accountId}`);
  return Number(row!.id);
}

/** Opens a person's budget with its first allocation (the organisation's default, unless a lead changed it). */
export async function openBudget(
  scope: Scope,
  personId: string,
  pence: number,
  words: string,
): Promise<Outcome> {
  const [row] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`insert into personal_budget_account (organisation_id, person_id, opened_by)
      values (${scope.organisationId}, ${personId}, ${scope.actorPersonId})
      on conflict (organisation_id, person_id) do nothing returning id`),
  );
  if (!row) return { ok: false, problem: 'already-open' };
  await lockBudget(scope, row.id);
  if (pence > 0) await writeEntry(scope, { accountId: row.id, personId, kind: 'allocation', pence, words });
  await audit(scope, {
    action: auditAction.open,
    subjectType: auditSubject.budget,
    subjectId: row.id,
    subjectPersonId: personId,
    detail: { fields: ['allocation', ...(words ? ['words'] : [])] },
  });
  return { ok: true, value: row.id };
}

export async function topUp(scope: Scope, budget: Budget, pence: number, words: string): Promise<Outcome> {
  const locked = await lockBudget(scope, budget.id);
  if (!locked) return { ok: false, problem: 'no-budget' };
  await writeEntry(scope, { accountId: locked.id, personId: locked.personId, kind: 'top-up', pence, words });
  await audit(scope, {
    action: auditAction.topUp,
    subjectType: auditSubject.budget,
    subjectId: locked.id,
    subjectPersonId: locked.personId,
    detail: { fields: ['pence', 'words'] },
  });
  return { ok: true, value: locked.id };
}

// Requests

const requestColumns = sql`id, account_id as "accountId", person_id as "personId", words,
  amount_pence as "amountPence", goal_id as "goalId", status, asked_by as "askedBy", asked_at as "askedAt",
  decided_by as "decidedBy", decided_at as "decidedAt", decision_words as "decisionWords", override,
  override_words as "overrideWords", spent_pence as "spentPence", spent_by as "spentBy", spent_at as "spentAt"`;

function toRequest(row: BudgetRequest): BudgetRequest {
  return {
    ...row,
    amountPence: Number(row.amountPence),
    askedAt: new Date(row.askedAt),
    decidedAt: dateOrNull(row.decidedAt),
    spentPence: numberOrNull(row.spentPence),
    spentAt: dateOrNull(row.spentAt),
  };
}

export async function findRequest(
  scope: Scope,
  requestId: string,
  options: { lock?: boolean } = {},
): Promise<BudgetRequest | null> {
  if (!isUuid(requestId)) return null;
  const [row] = await rowsOf<BudgetRequest>(
    scope.tx.execute(sql`select ${requestColumns} from personal_budget_request
      where id = ${requestId} and organisation_id = ${scope.organisationId}
      ${options.lock ? sql`for no key update` : sql``}`),
  );
  return row ? toRequest(row) : null;
}

/** A budget's requests, newest first. */
export async function requestsOf(scope: Scope, accountId: string): Promise<BudgetRequest[]> {
  const rows = await rowsOf<BudgetRequest>(
    scope.tx.execute(sql`select ${requestColumns} from personal_budget_request
      where account_id = ${accountId} order by asked_at desc, id limit 500`),
  );
  return rows.map(toRequest);
}

/** Requests waiting for a lead, oldest first, a page at a time (read in the order of their index). */
export async function waitingRequests(
  scope: Scope,
  options: { limit: number; offset: number; reachableBy: string },
): Promise<BudgetRequest[]> {
  const rows = await rowsOf<BudgetRequest>(
    scope.tx.execute(sql`select ${requestColumns} from personal_budget_request
      where organisation_id = ${scope.organisationId} and status = 'asked'
        and person_id in ${reachableBy(scope, options.reachableBy)}
      order by asked_at, id limit ${options.limit} offset ${options.offset}`),
  );
  return rows.map(toRequest);
}

export async function askToSpend(
  scope: Scope,
  budget: Budget,
  input: { words: string; pence: number; goalId: string | null },
): Promise<Outcome> {
  const [row] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`insert into personal_budget_request (organisation_id, account_id, person_id, words,
        amount_pence, goal_id, asked_by)
      values (${scope.organisationId}, ${budget.id}, ${budget.personId}, ${input.words}, ${input.pence},
        ${input.goalId}, ${scope.actorPersonId})
      returning id`),
  );
  await audit(scope, {
    action: auditAction.ask,
    subjectType: auditSubject.request,
    subjectId: row!.id,
    subjectPersonId: budget.personId,
    detail: {
      fields: ['words', 'amount', ...(input.goalId ? ['goal'] : [])],
      withCoach: budget.personId !== scope.actorPersonId,
    },
  });
  return { ok: true, value: row!.id };
}

/** Locks the budget, then the request, always in that order, so two decisions at once never deadlock. */
async function lockRequest(scope: Scope, requestId: string) {
  const first = await findRequest(scope, requestId);
  if (!first) return null;
  const budget = await lockBudget(scope, first.accountId);
  const request = await findRequest(scope, requestId, { lock: true });
  return budget && request ? { budget, request } : null;
}

/**
 * A lead approves in one action. Beyond what is free in the budget (the balance less what is already
 * approved), only with an explicit override and the lead's words, which the audit trail records.
 */
/** The person whose budget it is hears what became of their request. */
function tellPerson(scope: Scope, request: BudgetRequest, news: 'approved' | 'declined' | 'question') {
  return notify(scope, request.personId, requestNews, `/budget/requests/${request.id}`, { context: news });
}

export async function approveRequest(
  scope: Scope,
  requestId: string,
  options: { override: boolean; overrideWords: string },
): Promise<Outcome> {
  const locked = await lockRequest(scope, requestId);
  if (!locked) return { ok: false, problem: 'not-found' };
  const { budget, request } = locked;
  if (request.status !== 'asked' && request.status !== 'question')
    return { ok: false, problem: 'not-waiting' };
  if (budget.personId === scope.actorPersonId) return { ok: false, problem: 'own-request' };
  const free = budget.balancePence - (await approvedExcept(scope, budget.id, null));
  const over = request.amountPence > free;
  if (over && !(options.override && options.overrideWords))
    return { ok: false, problem: 'over-balance', freePence: free };
  await scope.tx.execute(sql`update personal_budget_request set status = 'approved', decided_by = ${scope.actorPersonId},
    decided_at = now(), override = ${over}, override_words = ${over ? options.overrideWords : ''}
    where id = ${request.id}`);
  await audit(scope, {
    action: auditAction.approve,
    subjectType: auditSubject.request,
    subjectId: request.id,
    subjectPersonId: request.personId,
    detail: over ? { override: true, fields: ['overrideWords'] } : {},
  });
  await tellPerson(scope, request, 'approved');
  return { ok: true, value: request.id };
}

export async function declineRequest(scope: Scope, requestId: string, words: string): Promise<Outcome> {
  const locked = await lockRequest(scope, requestId);
  if (!locked) return { ok: false, problem: 'not-found' };
  const { budget, request } = locked;
  if (request.status !== 'asked' && request.status !== 'question')
    return { ok: false, problem: 'not-waiting' };
  if (budget.personId === scope.actorPersonId) return { ok: false, problem: 'own-request' };
  await scope.tx.execute(sql`update personal_budget_request set status = 'declined', decided_by = ${scope.actorPersonId},
    decided_at = now(), decision_words = ${words} where id = ${request.id}`);
  await audit(scope, {
    action: auditAction.decline,
    subjectType: auditSubject.request,
    subjectId: request.id,
    subjectPersonId: request.personId,
    detail: { fields: ['decisionWords'] },
  });
  await tellPerson(scope, request, 'declined');
  return { ok: true, value: request.id };
}

/** The person (or their coach with them) changes their mind; what was approved is free again. */
export async function withdrawRequest(scope: Scope, requestId: string): Promise<Outcome> {
  const locked = await lockRequest(scope, requestId);
  if (!locked) return { ok: false, problem: 'not-found' };
  const { request } = locked;
  if (!['asked', 'question', 'approved'].includes(request.status))
    return { ok: false, problem: 'not-waiting' };
  await scope.tx.execute(
    sql`update personal_budget_request set status = 'withdrawn' where id = ${request.id}`,
  );
  await audit(scope, {
    action: auditAction.withdraw,
    subjectType: auditSubject.request,
    subjectId: request.id,
    subjectPersonId: request.personId,
    detail: { fields: ['status'] },
  });
  return { ok: true, value: request.id };
}

// Questions

export async function questionsOf(scope: Scope, requestIds: string[]): Promise<Map<string, Question[]>> {
  const byRequest = new Map<string, Question[]>();
  const ids = requestIds.filter(isUuid);
  if (ids.length === 0) return byRequest;
  const rows = await rowsOf<Question & { requestId: string }>(
    scope.tx.execute(sql`select id, request_id as "requestId", question, asked_by as "askedBy", asked_at as "askedAt",
        answer, answered_by as "answeredBy", answered_at as "answeredAt"
      from personal_budget_question where request_id in (${sql.join(
        ids.map((id) => sql`${id}::uuid`),
        sql`, `,
      )}) order by asked_at, id`),
  );
  for (const { requestId, ...row } of rows) {
    const list = byRequest.get(requestId) ?? [];
    list.push({ ...row, askedAt: new Date(row.askedAt), answeredAt: dateOrNull(row.answeredAt) });
    byRequest.set(requestId, list);
  }
  return byRequest;
}

/** A lead asks a question instead of deciding; the request waits for the person's answer. */
export async function askQuestion(scope: Scope, requestId: string, question: string): Promise<Outcome> {
  const locked = await lockRequest(scope, requestId);
  if (!locked) return { ok: false, problem: 'not-found' };
  const { request } = locked;
  if (request.status !== 'asked') return { ok: false, problem: 'not-waiting' };
  await scope.tx.execute(sql`insert into personal_budget_question (organisation_id, request_id, question, asked_by)
    values (${scope.organisationId}, ${request.id}, ${question}, ${scope.actorPersonId})`);
  await scope.tx.execute(
    sql`update personal_budget_request set status = 'question' where id = ${request.id}`,
  );
  await audit(scope, {
    action: auditAction.question,
    subjectType: auditSubject.request,
    subjectId: request.id,
    subjectPersonId: request.personId,
    detail: { fields: ['question'] },
  });
  await tellPerson(scope, request, 'question');
  return { ok: true, value: request.id };
}

/** The answer goes beside the question and the request is back with the leads. */
export async function answerQuestion(scope: Scope, requestId: string, answer: string): Promise<Outcome> {
  const locked = await lockRequest(scope, requestId);
  if (!locked) return { ok: false, problem: 'not-found' };
  const { request } = locked;
  if (request.status !== 'question') return { ok: false, problem: 'no-question' };
  await scope.tx.execute(sql`update personal_budget_question set answer = ${answer}, answered_by = ${scope.actorPersonId},
    answered_at = now() where id = (select id from personal_budget_question where request_id = ${request.id}
      and answer is null order by asked_at desc, id limit 1)`);
  await scope.tx.execute(sql`update personal_budget_request set status = 'asked' where id = ${request.id}`);
  await audit(scope, {
    action: auditAction.answer,
    subjectType: auditSubject.request,
    subjectId: request.id,
    subjectPersonId: request.personId,
    detail: { fields: ['answer'] },
  });
  return { ok: true, value: request.id };
}

// Spending

export interface SpendInput {
  pence: number;
  receipt: { contentType: ReceiptType; bytes: Uint8Array } | null;
  /** Whoever records it may lead: a lead may record more than was approved, or go over with an override. */
  lead: boolean;
  override: boolean;
  overrideWords: string;
}

/**
 * Records what an approved request cost, with its receipt. More than is free (the balance less the
 * budget's other approved requests) is refused, unless the lead's override at approval covers it or a
 * lead overrides now with words; either way the ledger entry says so.
 */
export async function recordSpend(scope: Scope, requestId: string, input: SpendInput): Promise<Outcome> {
  const locked = await lockRequest(scope, requestId);
  if (!locked) return { ok: false, problem: 'not-found' };
  const { budget, request } = locked;
  if (request.status !== 'approved') return { ok: false, problem: 'not-approved' };
  if (!input.lead && input.pence > request.amountPence) return { ok: false, problem: 'over-approved' };
  const free = budget.balancePence - (await approvedExcept(scope, budget.id, request.id));
  const over = input.pence > free;
  const coveredByApproval = request.override && input.pence <= request.amountPence;
  const overriddenNow = input.lead && input.override && !!input.overrideWords;
  if (over && !coveredByApproval && !overriddenNow)
    return { ok: false, problem: 'over-balance', freePence: free };
  await writeEntry(scope, {
    accountId: budget.id,
    personId: budget.personId,
    kind: 'spend',
    pence: -input.pence,
    requestId: request.id,
    override: over,
    overrideWords: over ? (overriddenNow ? input.overrideWords : request.overrideWords) : '',
  });
  await scope.tx.execute(sql`update personal_budget_request set status = 'spent', spent_pence = ${input.pence},
    spent_by = ${scope.actorPersonId}, spent_at = now() where id = ${request.id}`);
  await audit(scope, {
    action: auditAction.spend,
    subjectType: auditSubject.request,
    subjectId: request.id,
    subjectPersonId: request.personId,
    detail: {
      fields: ['spent', ...(input.receipt ? ['receipt'] : [])],
      ...(over ? { override: true } : {}),
    },
  });
  if (input.receipt) {
    const bytes = Buffer.from(input.receipt.bytes);
    await scope.tx.execute(sql`insert into personal_budget_receipt (organisation_id, request_id, content_type,
        size_bytes, bytes, uploaded_by)
      values (${scope.organisationId}, ${request.id}, ${input.receipt.contentType}, ${bytes.length}, ${bytes},
        ${scope.actorPersonId})`);
    await audit(scope, {
      action: 'create',
      subjectType: auditSubject.receipt,
      subjectId: request.id,
      subjectPersonId: request.personId,
      detail: { fields: ['photo'], contentType: input.receipt.contentType, sizeBytes: bytes.length },
    });
  }
  return { ok: true, value: request.id };
}

export async function receiptsOf(scope: Scope, requestIds: string[]): Promise<Map<string, ReceiptInfo>> {
  const ids = requestIds.filter(isUuid);
  const found = new Map<string, ReceiptInfo>();
  if (ids.length === 0) return found;
  const rows = await rowsOf<ReceiptInfo>(
    scope.tx.execute(sql`select id, request_id as "requestId", content_type as "contentType",
        size_bytes as "sizeBytes", uploaded_at as "uploadedAt"
      from personal_budget_receipt where request_id in (${sql.join(
        ids.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})`),
  );
  for (const row of rows)
    found.set(row.requestId, {
      ...row,
      sizeBytes: Number(row.sizeBytes),
      uploadedAt: new Date(row.uploadedAt),
    });
  return found;
}

/** The photo itself; the caller checks who may see it and audits the look. */
export async function receiptPhoto(
  scope: Scope,
  requestId: string,
): Promise<{ contentType: ReceiptType; bytes: Uint8Array } | null> {
  if (!isUuid(requestId)) return null;
  const [row] = await rowsOf<{ contentType: ReceiptType; bytes: Uint8Array | string }>(
    scope.tx.execute(sql`select content_type as "contentType", bytes from personal_budget_receipt
      where request_id = ${requestId} and organisation_id = ${scope.organisationId}`),
  );
  if (!row) return null;
  return { contentType: row.contentType, bytes: toBytes(row.bytes) };
}

/** node-postgres gives a Buffer and PGlite a Uint8Array; a driver that gives hex text is read too. */
function toBytes(value: Uint8Array | string): Uint8Array {
  if (typeof value === 'string') return Buffer.from(value.replace(/^\\x/, ''), 'hex');
  return value;
}

// The ledger

/** A budget's entries, oldest first, with the balance after each. */
export async function ledgerOf(scope: Scope, accountId: string): Promise<LedgerLine[]> {
  const rows = await rowsOf<LedgerLine>(
    scope.tx.execute(sql`select e.id, e.kind, e.pence, e.words, e.request_id as "requestId",
        coalesce(r.words, rr.words) as "requestWords",
        e.reverses_entry_id as "reversesEntryId",
        exists (select 1 from personal_budget_entry c where c.reverses_entry_id = e.id) as reversed,
        e.override, e.override_words as "overrideWords", e.recorded_by as "recordedBy", e.created_at as "createdAt",
        sum(e.pence) over (order by e.id) as "balanceAfter"
      from personal_budget_entry e
      left join personal_budget_request r on r.id = e.request_id
      left join personal_budget_entry o on o.id = e.reverses_entry_id
      left join personal_budget_request rr on rr.id = o.request_id
      where e.account_id = ${accountId}
      order by e.id`),
  );
  return rows.map((row) => ({
    ...row,
    id: Number(row.id),
    pence: Number(row.pence),
    reversesEntryId: numberOrNull(row.reversesEntryId),
    createdAt: new Date(row.createdAt),
    balanceAfter: Number(row.balanceAfter),
  }));
}

/** A correction: an entry that undoes an earlier one, with the lead's reason. The original stays. */
export async function correctEntry(
  scope: Scope,
  budget: Budget,
  entryId: number,
  reason: string,
): Promise<Outcome> {
  const locked = await lockBudget(scope, budget.id);
  if (!locked || !Number.isSafeInteger(entryId)) return { ok: false, problem: 'not-found' };
  const [entry] = await rowsOf<{ id: string; kind: EntryKind; pence: string; reversed: boolean }>(
    scope.tx.execute(sql`select id, kind, pence,
        exists (select 1 from personal_budget_entry c where c.reverses_entry_id = e.id) as reversed
      from personal_budget_entry e where id = ${entryId} and account_id = ${locked.id}`),
  );
  if (!entry || entry.kind === 'correction') return { ok: false, problem: 'not-found' };
  if (entry.reversed) return { ok: false, problem: 'already-corrected' };
  await writeEntry(scope, {
    accountId: locked.id,
    personId: locked.personId,
    kind: 'correction',
    pence: -Number(entry.pence),
    words: reason,
    reversesEntryId: Number(entry.id),
  });
  await audit(scope, {
    action: auditAction.correct,
    subjectType: auditSubject.budget,
    subjectId: locked.id,
    subjectPersonId: locked.personId,
    detail: { fields: ['reason'], entry: Number(entry.id) },
  });
  return { ok: true, value: locked.id };
}

// Figures

/** Everything held about one person's budget, for their subject access export (receipts without bytes). */
export async function budgetForExport(scope: Scope, personId: string) {
  const budget = await findBudget(scope, personId);
  if (!budget) return null;
  const requests = await requestsOf(scope, budget.id);
  const ids = requests.map((r) => r.id);
  const questions = await questionsOf(scope, ids);
  const receipts = await receiptsOf(scope, ids);
  return {
    balancePence: budget.balancePence,
    approvedPence: budget.approvedPence,
    openedAt: budget.openedAt,
    requests: requests.map((request) => ({
      ...request,
      questions: questions.get(request.id) ?? [],
      receipt: receipts.get(request.id) ?? null,
    })),
    ledger: await ledgerOf(scope, budget.id),
  };
}
