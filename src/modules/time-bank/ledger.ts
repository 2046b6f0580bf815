import { type SQL, sql } from 'drizzle-orm';
import { audit } from '../../core/audit.ts';
import { rowsOf, type Scope } from '../../core/database/tenancy.ts';
import { notify } from '../../core/notifications.ts';
import { isUuid } from '../../core/tokens.ts';
import { waitingForYou } from './notifications.ts';

/**
 * The time bank's ledger. Balances live on the account rows and are changed only here, in the
 * caller's transaction, after locking every account an exchange touches in one order (by id), so
 * concurrent exchanges queue instead of losing an update and never deadlock. The locks are `for no key
 * update`: a proposal's foreign-key checks take key-share locks on both accounts in giver/receiver
 * order, which a `for update` in id order would wait for (and deadlock with); these do not conflict.
 */

export const auditSubject = {
  bank: 'time-bank:bank',
  account: 'time-bank:member',
  listing: 'time-bank:listing',
  exchange: 'time-bank:exchange',
  statement: 'time-bank:statement',
  report: 'time-bank:report',
  link: 'time-bank:link',
} as const;

export type AccountKind = 'member' | 'community' | 'link';

export interface Bank {
  id: string;
  name: string;
  overdraftLimitMinutes: number;
}

/**
 * What an exchange is: an exchange between people, welcome hours from the community account, or hours
 * given as a peer in a link-up, credited from the community account (credits.ts).
 */
export type ExchangeKind = 'exchange' | 'welcome' | 'peer-hours';

export interface Account {
  id: string;
  bankId: string;
  kind: AccountKind;
  personId: string | null;
  linkedBankId: string | null;
  canOffer: string;
  wouldLike: string;
  area: string;
  contact: string;
  isCoordinator: boolean;
  recordedByCoordinator: boolean;
  /** Members of partner banks in other organisations may see this member (their choice). */
  shownToPartners: boolean;
  balanceMinutes: number;
  joinedAt: Date;
}

export interface Part {
  giverAccountId: string;
  receiverAccountId: string;
  minutes: number;
}

/** Why an exchange could not be made; each has kind words in the catalogue under `problems`. */
export type LedgerProblem =
  | 'not-found'
  | 'same-person'
  | 'bad-minutes'
  | 'overdraft'
  | 'not-a-side'
  | 'already-confirmed'
  | 'not-proposed'
  | 'not-counted'
  | 'not-linked'
  | 'empty'
  | 'offline'
  | 'same-coordinator'
  | 'bad-code'
  | 'not-shown';

export type Outcome<T = string> =
  | { ok: true; value: T }
  | { ok: false; problem: LedgerProblem; detail?: string };

/** The most one part of an exchange may be: a long day's work, 100 hours. */
export const maxMinutes = 6000;

const accountColumns = sql`id, bank_id as "bankId", kind, person_id as "personId", linked_bank_id as "linkedBankId",
  can_offer as "canOffer", would_like as "wouldLike", area, contact, is_coordinator as "isCoordinator",
  recorded_by_coordinator as "recordedByCoordinator", shown_to_partners as "shownToPartners",
  balance_minutes as "balanceMinutes", joined_at as "joinedAt"`;

function toAccount(row: Account): Account {
  return { ...row, balanceMinutes: Number(row.balanceMinutes), joinedAt: new Date(row.joinedAt) };
}

const list = (values: string[]) =>
  sql.join(
    values.map((value) => sql`${value}`),
    sql`, `,
  );

export async function listBanks(scope: Scope): Promise<Bank[]> {
  const rows = await rowsOf<Bank>(
    scope.tx.execute(
      sql`select id, name, overdraft_limit_minutes as "overdraftLimitMinutes" from time_bank order by name, id`,
    ),
  );
  return rows.map((row) => ({ ...row, overdraftLimitMinutes: Number(row.overdraftLimitMinutes) }));
}

export async function findBank(scope: Scope, bankId: string): Promise<Bank | null> {
  if (!isUuid(bankId)) return null;
  const [row] = await rowsOf<Bank>(
    scope.tx.execute(
      sql`select id, name, overdraft_limit_minutes as "overdraftLimitMinutes" from time_bank
          where id = ${bankId} and organisation_id = ${scope.organisationId}`,
    ),
  );
  return row ? { ...row, overdraftLimitMinutes: Number(row.overdraftLimitMinutes) } : null;
}

/** A bank comes with its community account, which may go below zero to seed exchanges. */
export async function createBank(
  scope: Scope,
  input: { name: string; overdraftLimitMinutes?: number; id?: string },
): Promise<string> {
  const [row] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`insert into time_bank (id, organisation_id, name, overdraft_limit_minutes)
      values (coalesce(${input.id ?? null}::uuid, gen_random_uuid()), ${scope.organisationId}, ${input.name}, ${input.overdraftLimitMinutes ?? 720})
      returning id`),
  );
  await scope.tx.execute(sql`insert into time_bank_account (organisation_id, bank_id, kind)
    values (${scope.organisationId}, ${row!.id}, 'community')`);
  await audit(scope, { action: 'create', subjectType: auditSubject.bank, subjectId: row!.id });
  return row!.id;
}

export async function updateBank(
  scope: Scope,
  bankId: string,
  changes: { name: string; overdraftLimitMinutes: number },
): Promise<void> {
  await scope.tx.execute(sql`update time_bank set name = ${changes.name},
    overdraft_limit_minutes = ${changes.overdraftLimitMinutes} where id = ${bankId}`);
  await audit(scope, {
    action: 'update',
    subjectType: auditSubject.bank,
    subjectId: bankId,
    detail: { fields: ['name', 'overdraftLimitMinutes'] },
  });
}

export async function findAccount(scope: Scope, accountId: string): Promise<Account | null> {
  if (!isUuid(accountId)) return null;
  const [row] = await rowsOf<Account>(
    scope.tx.execute(sql`select ${accountColumns} from time_bank_account where id = ${accountId}
      and organisation_id = ${scope.organisationId}`),
  );
  return row ? toAccount(row) : null;
}

/** Several accounts in one query, by id (unknown or another organisation's ids are left out). */
export async function findAccounts(
  scope: Scope,
  accountIds: Iterable<string>,
): Promise<Map<string, Account>> {
  const ids = [...new Set(accountIds)].filter(isUuid);
  const found = new Map<string, Account>();
  if (ids.length === 0) return found;
  const rows = await rowsOf<Account>(
    scope.tx.execute(sql`select ${accountColumns} from time_bank_account
      where id in (${sql.join(
        ids.map((id) => sql`${id}::uuid`),
        sql`, `,
      )}) and organisation_id = ${scope.organisationId}`),
  );
  for (const row of rows) {
    const account = toAccount(row);
    found.set(account.id, account);
  }
  return found;
}

/** Every bank account this person holds as a member, by bank, in one query. */
export async function memberAccountsOf(scope: Scope, personId: string): Promise<Map<string, Account>> {
  if (!isUuid(personId)) return new Map();
  const rows = await rowsOf<Account>(
    scope.tx.execute(sql`select ${accountColumns} from time_bank_account
      where organisation_id = ${scope.organisationId} and person_id = ${personId} and kind = 'member'`),
  );
  return new Map(rows.map((row) => [row.bankId, toAccount(row)]));
}

export async function findMemberAccount(
  scope: Scope,
  bankId: string,
  personId: string,
): Promise<Account | null> {
  if (!isUuid(bankId) || !isUuid(personId)) return null;
  const [row] = await rowsOf<Account>(
    scope.tx.execute(sql`select ${accountColumns} from time_bank_account
      where bank_id = ${bankId} and person_id = ${personId} and kind = 'member'`),
  );
  return row ? toAccount(row) : null;
}

export async function communityAccount(scope: Scope, bankId: string): Promise<Account> {
  const [row] = await rowsOf<Account>(
    scope.tx.execute(
      sql`select ${accountColumns} from time_bank_account where bank_id = ${bankId} and kind = 'community'`,
    ),
  );
  return toAccount(row!);
}

/** Every account of a bank (members, community, links); callers audit what they show. */
export async function listAccounts(scope: Scope, bankId: string): Promise<Account[]> {
  const rows = await rowsOf<Account>(
    scope.tx.execute(
      sql`select ${accountColumns} from time_bank_account where bank_id = ${bankId} order by kind, joined_at, id`,
    ),
  );
  return rows.map(toAccount);
}

export interface Profile {
  canOffer: string;
  wouldLike: string;
  area: string;
  contact: string;
  shownToPartners?: boolean;
}

export async function joinBank(
  scope: Scope,
  bankId: string,
  personId: string,
  profile: Profile,
  options: { recordedByCoordinator?: boolean; isCoordinator?: boolean } = {},
): Promise<string> {
  const existing = await findMemberAccount(scope, bankId, personId);
  if (existing) return existing.id;
  const [row] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`insert into time_bank_account (organisation_id, bank_id, kind, person_id, can_offer,
      would_like, area, contact, is_coordinator, recorded_by_coordinator, shown_to_partners)
      values (${scope.organisationId}, ${bankId}, 'member', ${personId}, ${profile.canOffer}, ${profile.wouldLike},
        ${profile.area}, ${profile.contact}, ${options.isCoordinator ?? false}, ${options.recordedByCoordinator ?? false},
        ${profile.shownToPartners ?? false})
      returning id`),
  );
  await audit(scope, {
    action: 'create',
    subjectType: auditSubject.account,
    subjectId: row!.id,
    subjectPersonId: personId,
    detail: { fields: ['canOffer', 'wouldLike', 'area', 'contact', 'shownToPartners'] },
  });
  return row!.id;
}

export async function updateProfile(scope: Scope, account: Account, profile: Profile): Promise<void> {
  const shownToPartners = profile.shownToPartners ?? account.shownToPartners;
  const fields = [
    ...(['canOffer', 'wouldLike', 'area', 'contact'] as const).filter(
      (field) => account[field] !== profile[field],
    ),
    ...(shownToPartners !== account.shownToPartners ? ['shownToPartners'] : []),
  ];
  if (fields.length === 0) return;
  await scope.tx.execute(sql`update time_bank_account set can_offer = ${profile.canOffer},
    would_like = ${profile.wouldLike}, area = ${profile.area}, contact = ${profile.contact},
    shown_to_partners = ${shownToPartners} where id = ${account.id}`);
  await audit(scope, {
    action: 'update',
    subjectType: auditSubject.account,
    subjectId: account.id,
    subjectPersonId: account.personId,
    detail: { fields: [...fields] },
  });
}

export async function setAccountFlags(
  scope: Scope,
  account: Account,
  flags: { isCoordinator: boolean; recordedByCoordinator: boolean },
): Promise<void> {
  await scope.tx.execute(sql`update time_bank_account set is_coordinator = ${flags.isCoordinator},
    recorded_by_coordinator = ${flags.recordedByCoordinator} where id = ${account.id}`);
  await audit(scope, {
    action: 'update',
    subjectType: auditSubject.account,
    subjectId: account.id,
    subjectPersonId: account.personId,
    detail: { fields: ['isCoordinator', 'recordedByCoordinator'] },
  });
}

/** The account that stands for `otherBankId` inside `bankId`, made when the banks are linked. */
async function linkAccount(scope: Scope, bankId: string, otherBankId: string): Promise<string | null> {
  const [row] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`select id from time_bank_account where bank_id = ${bankId}
      and kind = 'link' and linked_bank_id = ${otherBankId}`),
  );
  return row?.id ?? null;
}

export interface EntryPlan {
  bankId: string;
  accountId: string;
  counterpartyAccountId: string;
  minutes: number;
}

/**
 * The entries for some parts: giver +minutes, receiver -minutes in one bank; across linked banks, each
 * bank's side is balanced by the account that stands for the other bank.
 */
export async function planEntries(
  scope: Scope,
  parts: Part[],
  accounts: Map<string, Account>,
): Promise<Outcome<EntryPlan[]>> {
  const plan: EntryPlan[] = [];
  for (const part of parts) {
    const giver = accounts.get(part.giverAccountId);
    const receiver = accounts.get(part.receiverAccountId);
    if (!giver || !receiver) return { ok: false, problem: 'not-found' };
    if (giver.bankId === receiver.bankId) {
      plan.push(
        {
          bankId: giver.bankId,
          accountId: giver.id,
          counterpartyAccountId: receiver.id,
          minutes: part.minutes,
        },
        {
          bankId: giver.bankId,
          accountId: receiver.id,
          counterpartyAccountId: giver.id,
          minutes: -part.minutes,
        },
      );
      continue;
    }
    const giverSide = await linkAccount(scope, giver.bankId, receiver.bankId);
    const receiverSide = await linkAccount(scope, receiver.bankId, giver.bankId);
    if (!giverSide || !receiverSide) return { ok: false, problem: 'not-linked' };
    plan.push(
      {
        bankId: giver.bankId,
        accountId: giver.id,
        counterpartyAccountId: receiver.id,
        minutes: part.minutes,
      },
      { bankId: giver.bankId, accountId: giverSide, counterpartyAccountId: giver.id, minutes: -part.minutes },
      {
        bankId: receiver.bankId,
        accountId: receiverSide,
        counterpartyAccountId: receiver.id,
        minutes: part.minutes,
      },
      {
        bankId: receiver.bankId,
        accountId: receiver.id,
        counterpartyAccountId: giver.id,
        minutes: -part.minutes,
      },
    );
  }
  return { ok: true, value: plan };
}

/** Locks the accounts, always in id order, and returns them with their bank's overdraft limit. */
async function lockAccounts(scope: Scope, ids: string[]) {
  const sorted = [...new Set(ids)].sort();
  if (sorted.length === 0) return new Map<string, Account & { limit: number }>();
  const rows = await rowsOf<Account & { limit: number }>(
    scope.tx.execute(sql`select a.id, a.bank_id as "bankId", a.kind, a.person_id as "personId",
        a.balance_minutes as "balanceMinutes", b.overdraft_limit_minutes as "limit"
      from time_bank_account a join time_bank b on b.id = a.bank_id
      where a.id in (${list(sorted)}) order by a.id for no key update of a`),
  );
  return new Map(
    rows.map((row) => [
      row.id,
      { ...row, balanceMinutes: Number(row.balanceMinutes), limit: Number(row.limit) } as Account & {
        limit: number;
      },
    ]),
  );
}

/**
 * Locks the accounts an entry plan touches and checks it: with `checkLimit`, a member account may
 * not end below its bank's overdraft limit; the community and link accounts have no limit.
 */
export async function lockAndCheck(
  scope: Scope,
  plan: EntryPlan[],
  checkLimit: boolean | ((account: { bankId: string }) => boolean),
): Promise<Outcome<null>> {
  const locked = await lockAccounts(
    scope,
    plan.map((entry) => entry.accountId),
  );
  for (const [accountId, delta] of netChange(plan)) {
    const account = locked.get(accountId);
    if (!account) return { ok: false, problem: 'not-found' };
    const limited = typeof checkLimit === 'function' ? checkLimit(account) : checkLimit;
    if (
      limited &&
      account.kind === 'member' &&
      delta < 0 &&
      account.balanceMinutes + delta < -account.limit
    ) {
      return { ok: false, problem: 'overdraft', detail: account.personId ?? undefined };
    }
  }
  return { ok: true, value: null };
}

function netChange(plan: EntryPlan[]): [string, number][] {
  const change = new Map<string, number>();
  for (const entry of plan) change.set(entry.accountId, (change.get(entry.accountId) ?? 0) + entry.minutes);
  return [...change].sort(([a], [b]) => (a < b ? -1 : 1));
}

/** Writes the entries and moves the balances; only after `lockAndCheck` in the same transaction. */
export async function write(
  scope: Scope,
  exchangeId: string,
  plan: EntryPlan[],
  isReversal: boolean,
): Promise<void> {
  const values = plan.map(
    (entry) =>
      sql`(${scope.organisationId}, ${entry.bankId}, ${exchangeId}, ${entry.accountId}, ${entry.counterpartyAccountId}, ${entry.minutes}, ${isReversal})`,
  );
  await scope.tx.execute(sql`insert into time_bank_entry (organisation_id, bank_id, exchange_id, account_id,
    counterparty_account_id, minutes, is_reversal) values ${sql.join(values, sql`, `)}`);
  for (const [accountId, delta] of netChange(plan)) {
    if (delta === 0) continue;
    await scope.tx.execute(
      sql`update time_bank_account set balance_minutes = balance_minutes + ${delta} where id = ${accountId}`,
    );
  }
}

export interface ExchangeInput {
  bankId: string;
  parts: Part[];
  whatWasDone: string;
  categoryId?: string | null;
  listingId?: string | null;
  happenedOn?: string | null;
  kind?: ExchangeKind;
}

function checkParts(parts: Part[], accounts: Map<string, Account>): Outcome<null> {
  if (parts.length === 0) return { ok: false, problem: 'empty' };
  for (const part of parts) {
    if (!Number.isInteger(part.minutes) || part.minutes <= 0 || part.minutes > maxMinutes)
      return { ok: false, problem: 'bad-minutes' };
    const giver = accounts.get(part.giverAccountId);
    const receiver = accounts.get(part.receiverAccountId);
    if (!giver || !receiver) return { ok: false, problem: 'not-found' };
    if (giver.id === receiver.id || (giver.personId && giver.personId === receiver.personId))
      return { ok: false, problem: 'same-person' };
  }
  return { ok: true, value: null };
}

export async function accountsFor(scope: Scope, parts: Part[]): Promise<Map<string, Account>> {
  const ids = [...new Set(parts.flatMap((p) => [p.giverAccountId, p.receiverAccountId]))].filter(isUuid);
  if (ids.length === 0) return new Map();
  const rows = await rowsOf<Account>(
    scope.tx.execute(sql`select ${accountColumns} from time_bank_account where id in (${list(ids)})
      and organisation_id = ${scope.organisationId}`),
  );
  return new Map(rows.map((row) => [row.id, toAccount(row)]));
}

/** Parts may reach members of banks linked to this one; anything else is another bank's and not found. */
async function reachable(scope: Scope, bankId: string, accounts: Map<string, Account>): Promise<boolean> {
  const banks = new Set([...accounts.values()].map((a) => a.bankId));
  banks.delete(bankId);
  for (const other of banks) {
    if (!(await banksLinked(scope, bankId, other))) return false;
  }
  return true;
}

export async function insertExchange(
  scope: Scope,
  input: ExchangeInput,
  fields: {
    status: 'proposed' | 'counted';
    isGroup: boolean;
    recordedByCoordinator: boolean;
    giverConfirmed: boolean;
    receiverConfirmed: boolean;
    overdraftAllowed: boolean;
  },
  /** One half of an exchange across organisations: its id, the bridge, and the other half there. */
  twin?: {
    id: string;
    bridgeId: string;
    twinExchangeId: string;
    partnerAccountId: string;
    partnerName: string;
  },
): Promise<string> {
  const [row] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`insert into time_bank_exchange (id, organisation_id, bank_id, kind, status, is_group, listing_id,
      category_id, what_was_done, happened_on, proposed_by_person_id, recorded_by_coordinator, giver_confirmed,
      receiver_confirmed, overdraft_allowed, counted_at, bridge_id, twin_exchange_id, partner_account_id, partner_name)
      values (coalesce(${twin?.id ?? null}::uuid, gen_random_uuid()), ${scope.organisationId}, ${input.bankId}, ${input.kind ?? 'exchange'},
        ${fields.status}, ${fields.isGroup}, ${input.listingId ?? null},
        ${input.categoryId ?? null}, ${input.whatWasDone}, coalesce(${input.happenedOn ?? null}::date, current_date),
        ${scope.actorPersonId}, ${fields.recordedByCoordinator}, ${fields.giverConfirmed}, ${fields.receiverConfirmed},
        ${fields.overdraftAllowed}, ${fields.status === 'counted' ? sql`now()` : null}, ${twin?.bridgeId ?? null},
        ${twin?.twinExchangeId ?? null}, ${twin?.partnerAccountId ?? null}, ${twin?.partnerName ?? null})
      returning id`),
  );
  const values = input.parts.map(
    (part) =>
      sql`(${scope.organisationId}, ${row!.id}, ${part.giverAccountId}, ${part.receiverAccountId}, ${part.minutes})`,
  );
  await scope.tx.execute(sql`insert into time_bank_exchange_part (organisation_id, exchange_id, giver_account_id,
    receiver_account_id, minutes) values ${sql.join(values, sql`, `)}`);
  return row!.id;
}

export async function auditExchange(
  scope: Scope,
  action: string,
  exchangeId: string,
  accounts: Iterable<Account>,
) {
  const people = [...new Set([...accounts].map((a) => a.personId).filter((p): p is string => !!p))];
  if (people.length === 0)
    await audit(scope, { action, subjectType: auditSubject.exchange, subjectId: exchangeId });
  for (const personId of people)
    await audit(scope, {
      action,
      subjectType: auditSubject.exchange,
      subjectId: exchangeId,
      subjectPersonId: personId,
    });
}

/**
 * Whether the parts would take a member past their bank's limit at today's balances, without
 * locking: a courtesy check when proposing and before offering to confirm. Confirming checks again
 * under the locks, which is what counts.
 */
export async function wouldPassLimit(
  scope: Scope,
  parts: Part[],
  known?: Map<string, Account>,
): Promise<Outcome<null>> {
  const accounts = known ?? (await accountsFor(scope, parts));
  const plan = await planEntries(scope, parts, accounts);
  if (!plan.ok) return plan;
  const ids = [...new Set(plan.value.map((e) => e.accountId))];
  const rows = await rowsOf<{
    id: string;
    kind: AccountKind;
    personId: string | null;
    balance: number;
    limit: number;
  }>(
    scope.tx.execute(sql`select a.id, a.kind, a.person_id as "personId", a.balance_minutes as balance,
        b.overdraft_limit_minutes as "limit"
      from time_bank_account a join time_bank b on b.id = a.bank_id where a.id in (${list(ids)})`),
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const [accountId, delta] of netChange(plan.value)) {
    const row = byId.get(accountId);
    if (!row) return { ok: false, problem: 'not-found' };
    if (row.kind === 'member' && delta < 0 && Number(row.balance) + delta < -Number(row.limit))
      return { ok: false, problem: 'overdraft', detail: row.personId ?? undefined };
  }
  return { ok: true, value: null };
}

/**
 * A member proposes an exchange with one other member; it counts once the other side confirms.
 * The proposer's own side is confirmed by proposing.
 */
export async function proposeExchange(
  scope: Scope,
  input: ExchangeInput & { proposerAccountId: string },
): Promise<Outcome> {
  const accounts = await accountsFor(scope, input.parts);
  const checked = checkParts(input.parts, accounts);
  if (!checked.ok) return checked;
  const part = input.parts[0]!;
  if (input.parts.length !== 1) return { ok: false, problem: 'not-a-side' };
  if (![part.giverAccountId, part.receiverAccountId].includes(input.proposerAccountId))
    return { ok: false, problem: 'not-a-side' };
  if (![...accounts.values()].every((a) => a.kind === 'member')) return { ok: false, problem: 'not-found' };
  if (!(await reachable(scope, input.bankId, accounts))) return { ok: false, problem: 'not-linked' };
  const other = accounts.get(
    part.giverAccountId === input.proposerAccountId ? part.receiverAccountId : part.giverAccountId,
  );
  // Someone whose exchanges a coordinator records cannot confirm one themselves, so it would never count.
  if (other?.recordedByCoordinator)
    return { ok: false, problem: 'offline', detail: other.personId ?? undefined };
  const preview = await wouldPassLimit(scope, input.parts, accounts);
  if (!preview.ok) return preview;
  const id = await insertExchange(scope, input, {
    status: 'proposed',
    isGroup: false,
    recordedByCoordinator: false,
    giverConfirmed: part.giverAccountId === input.proposerAccountId,
    receiverConfirmed: part.receiverAccountId === input.proposerAccountId,
    overdraftAllowed: false,
  });
  await auditExchange(scope, 'create', id, accounts.values());
  if (other?.personId)
    await notify(scope, other.personId, waitingForYou, `/time-bank/${other.bankId}/exchanges/${id}`);
  return { ok: true, value: id };
}

/**
 * A coordinator records an exchange (one part) or a group exchange (many parts) in one action: it
 * counts at once, and if any part cannot be made, none is.
 */
export async function recordExchange(
  scope: Scope,
  input: ExchangeInput & { allowOverdraft?: boolean },
): Promise<Outcome> {
  const accounts = await accountsFor(scope, input.parts);
  const checked = checkParts(input.parts, accounts);
  if (!checked.ok) return checked;
  if ([...accounts.values()].some((a) => a.kind === 'link')) return { ok: false, problem: 'not-found' };
  // A bank's coordinator records for their own bank: every part has a side in it, and the accounts of
  // a linked bank taking part are its members (never its community account).
  for (const part of input.parts) {
    const sides = [accounts.get(part.giverAccountId)!, accounts.get(part.receiverAccountId)!];
    if (!sides.some((a) => a.bankId === input.bankId)) return { ok: false, problem: 'not-found' };
    if (sides.some((a) => a.bankId !== input.bankId && a.kind !== 'member'))
      return { ok: false, problem: 'not-found' };
  }
  if (!(await reachable(scope, input.bankId, accounts))) return { ok: false, problem: 'not-linked' };
  const plan = await planEntries(scope, input.parts, accounts);
  if (!plan.ok) return plan;
  // The override is the recording bank's to give: another bank's members keep their own limit.
  const checked2 = await lockAndCheck(
    scope,
    plan.value,
    input.allowOverdraft ? (account) => account.bankId !== input.bankId : true,
  );
  if (!checked2.ok) return checked2;
  const id = await insertExchange(scope, input, {
    status: 'counted',
    isGroup: input.parts.length > 1,
    recordedByCoordinator: true,
    giverConfirmed: true,
    receiverConfirmed: true,
    overdraftAllowed: input.allowOverdraft ?? false,
  });
  await write(scope, id, plan.value, false);
  await auditExchange(scope, 'create', id, accounts.values());
  return { ok: true, value: id };
}

export interface Exchange {
  id: string;
  bankId: string;
  kind: ExchangeKind;
  status: 'proposed' | 'counted' | 'declined' | 'reversed';
  isGroup: boolean;
  listingId: string | null;
  categoryId: string | null;
  whatWasDone: string;
  happenedOn: string;
  proposedByPersonId: string | null;
  recordedByCoordinator: boolean;
  giverConfirmed: boolean;
  receiverConfirmed: boolean;
  declineReason: string | null;
  reversalReason: string | null;
  createdAt: Date;
  parts: Part[];
  /** Set on one half of an exchange with a member of a partner bank in another organisation. */
  bridgeId: string | null;
  twinExchangeId: string | null;
  partnerName: string | null;
}

const exchangeColumns = sql`id, bank_id as "bankId", kind, status, is_group as "isGroup", listing_id as "listingId",
  category_id as "categoryId", what_was_done as "whatWasDone", to_char(happened_on, 'YYYY-MM-DD') as "happenedOn",
  proposed_by_person_id as "proposedByPersonId", recorded_by_coordinator as "recordedByCoordinator",
  giver_confirmed as "giverConfirmed", receiver_confirmed as "receiverConfirmed", decline_reason as "declineReason",
  reversal_reason as "reversalReason", created_at as "createdAt", bridge_id as "bridgeId",
  twin_exchange_id as "twinExchangeId", partner_name as "partnerName"`;

async function partsOf(scope: Scope, exchangeIds: string[]): Promise<Map<string, Part[]>> {
  const byExchange = new Map<string, Part[]>();
  if (exchangeIds.length === 0) return byExchange;
  const rows = await rowsOf<Part & { exchangeId: string }>(
    scope.tx.execute(sql`select exchange_id as "exchangeId", giver_account_id as "giverAccountId",
      receiver_account_id as "receiverAccountId", minutes from time_bank_exchange_part
      where exchange_id in (${list(exchangeIds)}) order by id`),
  );
  for (const row of rows) {
    const parts = byExchange.get(row.exchangeId) ?? [];
    parts.push({
      giverAccountId: row.giverAccountId,
      receiverAccountId: row.receiverAccountId,
      minutes: Number(row.minutes),
    });
    byExchange.set(row.exchangeId, parts);
  }
  return byExchange;
}

export async function findExchange(
  scope: Scope,
  exchangeId: string,
  options: { lock?: boolean } = {},
): Promise<Exchange | null> {
  if (!isUuid(exchangeId)) return null;
  const [row] = await rowsOf<Exchange>(
    scope.tx.execute(sql`select ${exchangeColumns} from time_bank_exchange where id = ${exchangeId}
      and organisation_id = ${scope.organisationId} ${options.lock ? sql`for no key update` : sql``}`),
  );
  if (!row) return null;
  return {
    ...row,
    createdAt: new Date(row.createdAt),
    parts: (await partsOf(scope, [row.id])).get(row.id) ?? [],
  };
}

/** Exchanges an account is part of, newest first. */
export async function exchangesOf(
  scope: Scope,
  accountId: string,
  status?: Exchange['status'],
): Promise<Exchange[]> {
  const rows = await rowsOf<Exchange>(
    scope.tx.execute(sql`select ${exchangeColumns} from time_bank_exchange e where exists (
        select 1 from time_bank_exchange_part p where p.exchange_id = e.id
          and (p.giver_account_id = ${accountId} or p.receiver_account_id = ${accountId}))
        ${status ? sql`and status = ${status}` : sql``}
      order by created_at desc, id limit 200`),
  );
  const parts = await partsOf(
    scope,
    rows.map((r) => r.id),
  );
  return rows.map((row) => ({ ...row, createdAt: new Date(row.createdAt), parts: parts.get(row.id) ?? [] }));
}

/** The other side confirms a proposed exchange; it counts in the same transaction, or not at all. */
export async function confirmExchange(scope: Scope, exchangeId: string, personId: string): Promise<Outcome> {
  const exchange = await findExchange(scope, exchangeId, { lock: true });
  // Half of an exchange across organisations changes only with its other half (across.ts).
  if (!exchange || exchange.bridgeId) return { ok: false, problem: 'not-found' };
  const part = exchange.parts[0];
  if (exchange.isGroup || !part) return { ok: false, problem: 'not-a-side' };
  const accounts = await accountsFor(scope, exchange.parts);
  const giver = accounts.get(part.giverAccountId);
  const receiver = accounts.get(part.receiverAccountId);
  const isGiver = giver?.personId === personId;
  const isReceiver = receiver?.personId === personId;
  if (!isGiver && !isReceiver) return { ok: false, problem: 'not-a-side' };
  if (exchange.status !== 'proposed') return { ok: false, problem: 'not-proposed' };
  if ((isGiver && exchange.giverConfirmed) || (isReceiver && exchange.receiverConfirmed))
    return { ok: false, problem: 'already-confirmed' };
  const plan = await planEntries(scope, exchange.parts, accounts);
  if (!plan.ok) return plan;
  const checked = await lockAndCheck(scope, plan.value, true);
  if (!checked.ok) return checked;
  await write(scope, exchange.id, plan.value, false);
  await scope.tx.execute(sql`update time_bank_exchange set status = 'counted', counted_at = now(),
    giver_confirmed = true, receiver_confirmed = true where id = ${exchange.id}`);
  await auditExchange(scope, 'time-bank:confirm', exchange.id, accounts.values());
  return { ok: true, value: exchange.id };
}

export async function declineExchange(
  scope: Scope,
  exchangeId: string,
  personId: string,
  reason: string,
): Promise<Outcome> {
  const exchange = await findExchange(scope, exchangeId, { lock: true });
  if (!exchange || exchange.bridgeId) return { ok: false, problem: 'not-found' };
  const accounts = await accountsFor(scope, exchange.parts);
  if (![...accounts.values()].some((a) => a.personId === personId))
    return { ok: false, problem: 'not-a-side' };
  if (exchange.status !== 'proposed') return { ok: false, problem: 'not-proposed' };
  await scope.tx.execute(sql`update time_bank_exchange set status = 'declined', declined_by_person_id = ${personId},
    decline_reason = ${reason} where id = ${exchange.id}`);
  await auditExchange(scope, 'time-bank:decline', exchange.id, accounts.values());
  return { ok: true, value: exchange.id };
}

/** The banks whose ledgers hold entries of an exchange: their coordinators may correct it. */
export async function banksOfExchange(scope: Scope, exchangeId: string): Promise<string[]> {
  if (!isUuid(exchangeId)) return [];
  const rows = await rowsOf<{ bankId: string }>(
    scope.tx.execute(
      sql`select distinct bank_id as "bankId" from time_bank_entry where exchange_id = ${exchangeId}`,
    ),
  );
  return rows.map((r) => r.bankId);
}

/** A correction: entries that undo the exchange's, with a reason. The originals stay as they were. */
export async function reverseExchange(scope: Scope, exchangeId: string, reason: string): Promise<Outcome> {
  const exchange = await findExchange(scope, exchangeId, { lock: true });
  if (!exchange || exchange.bridgeId) return { ok: false, problem: 'not-found' };
  if (exchange.status !== 'counted') return { ok: false, problem: 'not-counted' };
  const entries = await rowsOf<EntryPlan>(
    scope.tx.execute(sql`select bank_id as "bankId", account_id as "accountId",
      counterparty_account_id as "counterpartyAccountId", minutes from time_bank_entry
      where exchange_id = ${exchange.id} and not is_reversal order by id`),
  );
  const plan = entries.map((entry) => ({ ...entry, minutes: -Number(entry.minutes) }));
  const checked = await lockAndCheck(scope, plan, false);
  if (!checked.ok) return checked;
  await write(scope, exchange.id, plan, true);
  await scope.tx.execute(sql`update time_bank_exchange set status = 'reversed', reversed_by_person_id = ${scope.actorPersonId},
    reversal_reason = ${reason} where id = ${exchange.id}`);
  await auditExchange(
    scope,
    'time-bank:reverse',
    exchange.id,
    (await accountsFor(scope, exchange.parts)).values(),
  );
  return { ok: true, value: exchange.id };
}

// Links between banks

export async function banksLinked(scope: Scope, a: string, b: string): Promise<boolean> {
  const [row] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`select id from time_bank_link where agreed_at is not null and
      ((from_bank_id = ${a} and to_bank_id = ${b}) or (from_bank_id = ${b} and to_bank_id = ${a}))`),
  );
  return !!row;
}

export interface Link {
  id: string;
  fromBankId: string;
  toBankId: string;
  agreedAt: Date | null;
}

export async function listLinks(scope: Scope, bankId: string): Promise<Link[]> {
  return rowsOf<Link>(
    scope.tx.execute(sql`select id, from_bank_id as "fromBankId", to_bank_id as "toBankId", agreed_at as "agreedAt"
      from time_bank_link where from_bank_id = ${bankId} or to_bank_id = ${bankId} order by asked_at`),
  );
}

/** One coordinator asks; nothing changes in either ledger until the other bank's coordinator agrees. */
export async function askLink(scope: Scope, fromBankId: string, toBankId: string): Promise<Outcome> {
  if (fromBankId === toBankId || !(await findBank(scope, toBankId)))
    return { ok: false, problem: 'not-found' };
  const existing = (await listLinks(scope, fromBankId)).find(
    (l) => l.fromBankId === toBankId || l.toBankId === toBankId,
  );
  if (existing) return { ok: true, value: existing.id };
  const [row] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`insert into time_bank_link (organisation_id, from_bank_id, to_bank_id, asked_by_person_id)
      values (${scope.organisationId}, ${fromBankId}, ${toBankId}, ${scope.actorPersonId}) returning id`),
  );
  await audit(scope, { action: 'create', subjectType: auditSubject.link, subjectId: row!.id });
  return { ok: true, value: row!.id };
}

export async function agreeLink(scope: Scope, linkId: string, agreeingBankId: string): Promise<Outcome> {
  if (!isUuid(linkId)) return { ok: false, problem: 'not-found' };
  const [link] = await rowsOf<Link & { askedByPersonId: string | null }>(
    scope.tx.execute(sql`select id, from_bank_id as "fromBankId", to_bank_id as "toBankId", agreed_at as "agreedAt",
        asked_by_person_id as "askedByPersonId"
      from time_bank_link where id = ${linkId} for no key update`),
  );
  if (!link || link.toBankId !== agreeingBankId) return { ok: false, problem: 'not-found' };
  if (link.agreedAt) return { ok: true, value: link.id };
  // Two people agree: whoever asked cannot also agree for the other bank.
  if (link.askedByPersonId && link.askedByPersonId === scope.actorPersonId)
    return { ok: false, problem: 'same-coordinator' };
  await scope.tx.execute(
    sql`update time_bank_link set agreed_at = now(), agreed_by_person_id = ${scope.actorPersonId} where id = ${link.id}`,
  );
  for (const [bank, other] of [
    [link.fromBankId, link.toBankId],
    [link.toBankId, link.fromBankId],
  ] as const) {
    await scope.tx.execute(sql`insert into time_bank_account (organisation_id, bank_id, kind, linked_bank_id)
      values (${scope.organisationId}, ${bank}, 'link', ${other}) on conflict do nothing`);
  }
  await audit(scope, { action: 'time-bank:agree', subjectType: auditSubject.link, subjectId: link.id });
  return { ok: true, value: link.id };
}

// Reading the ledger

export interface StatementLine {
  entryId: number;
  createdAt: Date;
  happenedOn: string;
  exchangeId: string;
  whatWasDone: string;
  categoryId: string | null;
  counterpartyAccountId: string | null;
  minutes: number;
  isReversal: boolean;
  balanceAfter: number;
  /** Who the other side was, when it was a member of a partner bank in another organisation. */
  partnerName: string | null;
  kind: ExchangeKind;
}

/** One account's entries, oldest first, with the running balance; the read is the caller's to audit. */
export async function statement(
  scope: Scope,
  accountId: string,
  options: { limit?: number; offset?: number } = {},
) {
  const rows = await rowsOf<StatementLine>(
    scope.tx.execute(sql`select e.id as "entryId", e.created_at as "createdAt",
        to_char(x.happened_on, 'YYYY-MM-DD') as "happenedOn", e.exchange_id as "exchangeId",
        x.what_was_done as "whatWasDone", x.category_id as "categoryId",
        e.counterparty_account_id as "counterpartyAccountId", e.minutes, e.is_reversal as "isReversal", x.kind,
        x.partner_name as "partnerName",
        sum(e.minutes) over (order by e.created_at, e.id) as "balanceAfter"
      from time_bank_entry e join time_bank_exchange x on x.id = e.exchange_id
      where e.account_id = ${accountId}
      order by e.created_at desc, e.id desc
      ${options.limit ? sql`limit ${options.limit}` : sql``} ${options.offset ? sql`offset ${options.offset}` : sql``}`),
  );
  return rows
    .map((row) => ({
      ...row,
      entryId: Number(row.entryId),
      createdAt: new Date(row.createdAt),
      minutes: Number(row.minutes),
      balanceAfter: Number(row.balanceAfter),
    }))
    .reverse();
}

/** The sum of every balance in a bank: always exactly zero. */
export async function bankTotal(
  scope: Scope,
  bankId: string,
): Promise<{ balances: number; entries: number }> {
  const [row] = await rowsOf<{ balances: string; entries: string }>(
    scope.tx.execute(sql`select
      (select coalesce(sum(balance_minutes), 0) from time_bank_account where bank_id = ${bankId}) as balances,
      (select coalesce(sum(minutes), 0) from time_bank_entry where bank_id = ${bankId}) as entries`),
  );
  return { balances: Number(row!.balances), entries: Number(row!.entries) };
}

export interface MemberActivity {
  accountId: string;
  personId: string;
  balanceMinutes: number;
  recordedByCoordinator: boolean;
  isCoordinator: boolean;
  givenMinutes: number;
  receivedMinutes: number;
  lastExchange: string | null;
}

/** Per member: what they gave and received (reversals netted out) and when they last exchanged. */
export async function memberActivity(scope: Scope, bankId: string): Promise<MemberActivity[]> {
  const rows = await rowsOf<MemberActivity>(
    scope.tx.execute(sql`select a.id as "accountId", a.person_id as "personId", a.balance_minutes as "balanceMinutes",
        a.recorded_by_coordinator as "recordedByCoordinator", a.is_coordinator as "isCoordinator",
        coalesce(s.given, 0) as "givenMinutes", coalesce(s.received, 0) as "receivedMinutes",
        to_char(s.last_on, 'YYYY-MM-DD') as "lastExchange"
      from time_bank_account a
      left join (
        select p.account_id, sum(p.given) as given, sum(p.received) as received, max(p.happened_on) as last_on
        from (
          select g.giver_account_id as account_id, g.minutes as given, 0 as received, x.happened_on
            from time_bank_exchange_part g join time_bank_exchange x on x.id = g.exchange_id
            join time_bank_account ga on ga.id = g.giver_account_id
            where ga.bank_id = ${bankId} and x.status = 'counted'
          union all
          select r.receiver_account_id, 0, r.minutes, x.happened_on
            from time_bank_exchange_part r join time_bank_exchange x on x.id = r.exchange_id
            join time_bank_account ra on ra.id = r.receiver_account_id
            where ra.bank_id = ${bankId} and x.status = 'counted'
        ) p group by p.account_id
      ) s on s.account_id = a.id
      where a.bank_id = ${bankId} and a.kind = 'member'
      order by a.joined_at, a.id`),
  );
  return rows.map((row) => ({
    ...row,
    balanceMinutes: Number(row.balanceMinutes),
    givenMinutes: Number(row.givenMinutes),
    receivedMinutes: Number(row.receivedMinutes),
  }));
}

export interface Tally {
  key: string | null;
  exchanges: number;
  minutes: number;
}

/**
 * Counted exchanges grouped by `key`, with the parts that touch the bank: a part counts for a bank when
 * its giver's or receiver's account is in it, so an exchange across a link shows in both banks. With
 * no bank, the whole organisation (each exchange once).
 */
async function tally(scope: Scope, bankId: string | null, key: SQL): Promise<Tally[]> {
  const inBank = bankId
    ? sql`and (p.giver_account_id in (select id from time_bank_account where bank_id = ${bankId})
        or p.receiver_account_id in (select id from time_bank_account where bank_id = ${bankId}))`
    : sql``;
  const rows = await rowsOf<Tally>(
    scope.tx.execute(sql`select ${key} as key, count(distinct x.id) as exchanges, coalesce(sum(p.minutes), 0) as minutes
      from time_bank_exchange x join time_bank_exchange_part p on p.exchange_id = x.id
      where x.status = 'counted' ${inBank}
      group by 1 order by 1`),
  );
  return rows.map((row) => ({
    key: row.key,
    exchanges: Number(row.exchanges),
    minutes: Number(row.minutes),
  }));
}

export const byCategory = (scope: Scope, bankId: string) => tally(scope, bankId, sql`x.category_id::text`);
export const byMonth = (scope: Scope, bankId: string | null) =>
  tally(scope, bankId, sql`to_char(x.happened_on, 'YYYY-MM')`);
