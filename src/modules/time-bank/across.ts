import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { audit } from '../../core/audit.ts';
import {
  acrossBridge,
  answerBridge,
  type Bridge,
  findBridge,
  inviteBridge,
  partnerOf,
} from '../../core/bridges.ts';
import { rowsOf, type Scope } from '../../core/database/tenancy.ts';
import { findOrganisation, findPerson, namesOf } from '../../core/people.ts';
import { isUuid } from '../../core/tokens.ts';
import {
  type Account,
  accountsFor,
  auditExchange,
  auditSubject,
  type Bank,
  confirmExchange,
  declineExchange,
  type EntryPlan,
  type Exchange,
  findAccount,
  findBank,
  findExchange,
  insertExchange,
  lockAndCheck,
  maxMinutes,
  type Outcome,
  planEntries,
  reverseExchange,
  write,
} from './ledger.ts';

/**
 * Banks of different organisations, linked through a core bridge (decision 014). Each organisation
 * keeps its own half of everything: a row for the link, an account standing for the partner bank, and
 * its half of each exchange (the member here and that account), so each ledger balances on its own
 * and row-level security still holds each organisation to its own rows. Work on the partner's half
 * runs inside `acrossBridge`, in the same transaction, so both halves change together or not at all.
 */

export const bridgePurpose = 'time-bank-link';

export interface PartnerLink {
  id: string;
  bankId: string;
  bridgeId: string;
  partnerBankId: string;
  partnerBankName: string;
  partnerOrganisationName: string;
  linkAccountId: string;
  agreedAt: Date;
}

const linkColumns = sql`id, bank_id as "bankId", bridge_id as "bridgeId", partner_bank_id as "partnerBankId",
  partner_bank_name as "partnerBankName", partner_organisation_name as "partnerOrganisationName",
  link_account_id as "linkAccountId", agreed_at as "agreedAt"`;

export async function listPartnerLinks(scope: Scope, bankId?: string): Promise<PartnerLink[]> {
  return rowsOf<PartnerLink>(
    scope.tx.execute(sql`select ${linkColumns} from time_bank_partner_link
      where organisation_id = ${scope.organisationId} ${bankId ? sql`and bank_id = ${bankId}` : sql``}
      order by partner_organisation_name, partner_bank_name`),
  );
}

export async function findPartnerLink(
  scope: Scope,
  bankId: string,
  linkId: string,
): Promise<PartnerLink | null> {
  if (!isUuid(linkId)) return null;
  const [row] = await rowsOf<PartnerLink>(
    scope.tx.execute(sql`select ${linkColumns} from time_bank_partner_link
      where id = ${linkId} and bank_id = ${bankId} and organisation_id = ${scope.organisationId}`),
  );
  return row ?? null;
}

async function linkByBridge(scope: Scope, bridgeId: string): Promise<PartnerLink | null> {
  const [row] = await rowsOf<PartnerLink>(
    scope.tx.execute(sql`select ${linkColumns} from time_bank_partner_link
      where bridge_id = ${bridgeId} and organisation_id = ${scope.organisationId}`),
  );
  return row ?? null;
}

/** A coordinator makes a code for another organisation's coordinator to enter. Shown once. */
export async function makeLinkCode(scope: Scope, bank: Bank, secretKey: string) {
  return inviteBridge(scope, { purpose: bridgePurpose, subjectId: bank.id, secretKey });
}

/** This organisation's side of a link: its row and the account standing for the partner bank. */
async function addHalf(
  scope: Scope,
  input: {
    bankId: string;
    bridgeId: string;
    partnerBankId: string;
    partnerBankName: string;
    partnerOrganisationName: string;
  },
): Promise<void> {
  const [account] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`insert into time_bank_account (organisation_id, bank_id, kind, linked_bank_id)
      values (${scope.organisationId}, ${input.bankId}, 'link', ${input.partnerBankId}) returning id`),
  );
  const [link] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`insert into time_bank_partner_link (organisation_id, bank_id, bridge_id, partner_bank_id,
      partner_bank_name, partner_organisation_name, link_account_id)
      values (${scope.organisationId}, ${input.bankId}, ${input.bridgeId}, ${input.partnerBankId},
        ${input.partnerBankName}, ${input.partnerOrganisationName}, ${account!.id}) returning id`),
  );
  await audit(scope, { action: 'time-bank:agree', subjectType: auditSubject.link, subjectId: link!.id });
}

/**
 * The other organisation's coordinator enters the code for one of their banks: both organisations
 * now have a link to the other's bank. A wrong, used or expired code changes nothing.
 */
export async function enterLinkCode(
  scope: Scope,
  bank: Bank,
  code: string,
  secretKey: string,
): Promise<Outcome<PartnerLink>> {
  const bridge = await answerBridge(scope, { purpose: bridgePurpose, code, subjectId: bank.id, secretKey });
  if (!bridge) return { ok: false, problem: 'bad-code' };
  const here = await findOrganisation(scope);
  const there = await acrossBridge(scope, bridge, 'link two time banks', async (partner) => {
    const partnerBank = await findBank(partner, bridge.askingSubjectId);
    const partnerOrganisation = await findOrganisation(partner);
    if (!partnerBank || !partnerOrganisation) return null;
    const existing = await rowsOf<{ id: string }>(
      partner.tx.execute(sql`select id from time_bank_partner_link where bank_id = ${partnerBank.id}
        and partner_bank_id = ${bank.id}`),
    );
    if (existing.length > 0) return null;
    await addHalf(partner, {
      bankId: partnerBank.id,
      bridgeId: bridge.id,
      partnerBankId: bank.id,
      partnerBankName: bank.name,
      partnerOrganisationName: here!.name,
    });
    return { bank: partnerBank, organisationName: partnerOrganisation.name };
  });
  // Already linked (or the bank has gone): undo the answer by refusing the whole transaction's work.
  if (!there) throw new AlreadyLinked();
  await addHalf(scope, {
    bankId: bank.id,
    bridgeId: bridge.id,
    partnerBankId: there.bank.id,
    partnerBankName: there.bank.name,
    partnerOrganisationName: there.organisationName,
  });
  return { ok: true, value: (await linkByBridge(scope, bridge.id))! };
}

/** How many of a bank's members chose to be seen by partner banks (for its coordinators). */
export async function membersSeen(scope: Scope, bankId: string): Promise<number> {
  const [row] = await rowsOf<{ n: number }>(
    scope.tx.execute(sql`select count(*)::int as n from time_bank_account
      where bank_id = ${bankId} and kind = 'member' and shown_to_partners`),
  );
  return Number(row?.n ?? 0);
}

/** Thrown to roll back an answered code when the two banks were already linked. */
export class AlreadyLinked extends Error {}

export interface PartnerMember {
  accountId: string;
  name: string;
  area: string;
  canOffer: string;
  wouldLike: string;
}

async function bridgeOf(scope: Scope, link: PartnerLink): Promise<Bridge> {
  const bridge = await findBridge(scope, link.bridgeId);
  if (!bridge) throw new Error('A partner link without its bridge');
  return bridge;
}

/**
 * The members of the partner bank who chose to be seen by partner banks, and whose exchanges they
 * confirm themselves. The partner organisation's audit trail records each one shown.
 */
export async function partnerMembers(scope: Scope, link: PartnerLink): Promise<PartnerMember[]> {
  return acrossBridge(scope, await bridgeOf(scope, link), 'members of a partner bank', async (partner) => {
    const rows = await rowsOf<{
      id: string;
      personId: string;
      area: string;
      canOffer: string;
      wouldLike: string;
    }>(
      partner.tx.execute(sql`select id, person_id as "personId", area, can_offer as "canOffer", would_like as "wouldLike"
        from time_bank_account where bank_id = ${link.partnerBankId} and kind = 'member' and shown_to_partners
          and not recorded_by_coordinator order by joined_at, id`),
    );
    const names = await namesOf(
      partner,
      rows.map((r) => r.personId),
    );
    for (const row of rows)
      await audit(partner, {
        action: 'read',
        subjectType: auditSubject.account,
        subjectId: row.id,
        subjectPersonId: row.personId,
        detail: { fields: ['name', 'area', 'canOffer', 'wouldLike'], shownTo: 'partner-bank' },
      });
    return rows
      .map((row) => ({
        accountId: row.id,
        name: names.get(row.personId) ?? '',
        area: row.area,
        canOffer: row.canOffer,
        wouldLike: row.wouldLike,
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
  });
}

/** The member of this bank whom a partner exchange names: by what they like to be called. */
async function calledName(scope: Scope, account: Account): Promise<string> {
  return (await namesOf(scope, [account.personId!])).get(account.personId!) ?? '';
}

/** Whether a member's balance may fall by `minutes` at today's balance (a courtesy check, no lock). */
async function fitsToday(scope: Scope, account: Account, minutes: number): Promise<boolean> {
  const bank = await findBank(scope, account.bankId);
  return !!bank && account.balanceMinutes - minutes >= -bank.overdraftLimitMinutes;
}

/**
 * One half of a proposal: the member here and the account standing for the partner bank. The
 * proposer's side (the giver when they gave) is confirmed by proposing, in both halves alike.
 */
async function insertHalf(
  side: Scope,
  input: { direction: 'gave' | 'received'; minutes: number; whatWasDone: string; happenedOn?: string | null },
  half: {
    id: string;
    twinExchangeId: string;
    bridgeId: string;
    memberAccountId: string;
    memberBankId: string;
    linkAccountId: string;
    memberGave: boolean;
    partnerAccountId: string;
    partnerName: string;
  },
): Promise<void> {
  const [giver, receiver] = half.memberGave
    ? [half.memberAccountId, half.linkAccountId]
    : [half.linkAccountId, half.memberAccountId];
  await insertExchange(
    side,
    {
      bankId: half.memberBankId,
      parts: [{ giverAccountId: giver, receiverAccountId: receiver, minutes: input.minutes }],
      whatWasDone: input.whatWasDone,
      happenedOn: input.happenedOn,
    },
    {
      status: 'proposed',
      isGroup: false,
      recordedByCoordinator: false,
      giverConfirmed: input.direction === 'gave',
      receiverConfirmed: input.direction === 'received',
      overdraftAllowed: false,
    },
    {
      id: half.id,
      bridgeId: half.bridgeId,
      twinExchangeId: half.twinExchangeId,
      partnerAccountId: half.partnerAccountId,
      partnerName: half.partnerName,
    },
  );
}

/**
 * A member proposes an exchange with a member of a partner bank. Both halves are written now, with
 * the proposer's side confirmed; it counts when the partner's member confirms their half.
 */
export async function proposeAcross(
  scope: Scope,
  input: {
    link: PartnerLink;
    me: Account;
    partnerAccountId: string;
    direction: 'gave' | 'received';
    minutes: number;
    whatWasDone: string;
    happenedOn?: string | null;
  },
): Promise<Outcome> {
  const { link, me, minutes } = input;
  if (!Number.isInteger(minutes) || minutes <= 0 || minutes > maxMinutes)
    return { ok: false, problem: 'bad-minutes' };
  if (me.kind !== 'member' || me.bankId !== link.bankId) return { ok: false, problem: 'not-a-side' };
  if (!isUuid(input.partnerAccountId)) return { ok: false, problem: 'not-found' };
  if (input.direction === 'received' && !(await fitsToday(scope, me, minutes)))
    return { ok: false, problem: 'overdraft', detail: me.personId ?? undefined };
  // Someone who proposes across is seen by the partner bank, so they must have chosen to be.
  if (!me.shownToPartners) return { ok: false, problem: 'not-shown' };
  const myName = await calledName(scope, me);
  const myEmail = (await findPerson(scope, me.personId!))?.email?.toLowerCase() ?? null;
  const hereId = randomUUID();
  const thereId = randomUUID();
  const bridge = await bridgeOf(scope, link);
  const there = await acrossBridge(
    scope,
    bridge,
    'propose an exchange',
    async (partner): Promise<Outcome<string>> => {
      const other = await findAccount(partner, input.partnerAccountId);
      const partnerLink = await linkByBridge(partner, bridge.id);
      if (
        !other ||
        !partnerLink ||
        other.bankId !== link.partnerBankId ||
        other.kind !== 'member' ||
        !other.shownToPartners
      )
        return { ok: false, problem: 'not-found' };
      // They could not confirm it themselves, so it would never count.
      if (other.recordedByCoordinator) return { ok: false, problem: 'offline' };
      // One login standing on both sides (someone known to both organisations) is one person.
      const mine = myEmail ? (await findPerson(partner, other.personId!))?.email : null;
      if (mine && mine.toLowerCase() === myEmail) return { ok: false, problem: 'same-person' };
      // No look at the partner member's balance here: an answer would tell the proposer about it.
      // Their limit is checked when they confirm, under the locks.
      await insertHalf(partner, input, {
        id: thereId,
        twinExchangeId: hereId,
        bridgeId: bridge.id,
        memberAccountId: other.id,
        memberBankId: other.bankId,
        linkAccountId: partnerLink.linkAccountId,
        memberGave: input.direction === 'received',
        partnerAccountId: me.id,
        partnerName: myName,
      });
      await auditExchange(partner, 'create', thereId, [other]);
      return { ok: true, value: await calledName(partner, other) };
    },
  );
  if (!there.ok) return there;
  await insertHalf(scope, input, {
    id: hereId,
    twinExchangeId: thereId,
    bridgeId: bridge.id,
    memberAccountId: me.id,
    memberBankId: me.bankId,
    linkAccountId: link.linkAccountId,
    memberGave: input.direction === 'gave',
    partnerAccountId: input.partnerAccountId,
    partnerName: there.value,
  });
  await auditExchange(scope, 'create', hereId, [me]);
  return { ok: true, value: hereId };
}

/**
 * Runs `work` on both halves of an exchange across organisations, always the organisation with the
 * lower id first, so two transactions crossing the same bridge take their locks in one order and
 * never wait on each other in a circle. Each half's exchange row is locked before `work` sees it.
 */
async function bothHalves<T>(
  scope: Scope,
  exchange: Exchange,
  reason: string,
  work: (side: Scope, half: Exchange, isHere: boolean) => Promise<T>,
): Promise<T[] | null> {
  const bridge = await findBridge(scope, exchange.bridgeId!);
  if (!bridge) return null;
  const order =
    scope.organisationId < (partnerOf(scope, bridge) ?? '') ? ['here', 'there'] : ['there', 'here'];
  const results: T[] = [];
  for (const which of order) {
    let found: { value: T } | null;
    if (which === 'here') {
      const half = await findExchange(scope, exchange.id, { lock: true });
      found = half ? { value: await work(scope, half, true) } : null;
    } else {
      found = await acrossBridge(scope, bridge, reason, async (partner) => {
        const half = await findExchange(partner, exchange.twinExchangeId!, { lock: true });
        return half ? { value: await work(partner, half, false) } : null;
      });
    }
    if (!found) {
      // A half already changed must not stay changed alone: undo the whole transaction.
      if (results.length > 0) throw new NotProposed();
      return null;
    }
    results.push(found.value);
  }
  return results;
}

/** Who in this organisation stands on each side of a half (the member here, or none). */
async function memberOf(side: Scope, half: Exchange): Promise<Account | null> {
  const accounts = await accountsFor(side, half.parts);
  return [...accounts.values()].find((a) => a.kind === 'member') ?? null;
}

/**
 * The partner's member confirms; both halves count in this transaction or neither does. Every lock
 * and limit is checked on both sides before anything is written.
 */
export async function confirmAcross(scope: Scope, exchange: Exchange, personId: string): Promise<Outcome> {
  const part = exchange.parts[0]!;
  const me = await memberOf(scope, exchange);
  if (!me || me.personId !== personId) return { ok: false, problem: 'not-a-side' };
  const plans = new Map<string, { side: Scope; half: Exchange; plan: EntryPlan[] }>();
  const checks = await bothHalves(scope, exchange, 'confirm an exchange', async (side, half, isHere) => {
    if (half.status !== 'proposed') return { ok: false, problem: 'not-proposed' } as Outcome<null>;
    if (isHere) {
      const mine = part.giverAccountId === me.id ? half.giverConfirmed : half.receiverConfirmed;
      if (mine) return { ok: false, problem: 'already-confirmed' } as Outcome<null>;
    }
    const accounts = await accountsFor(side, half.parts);
    const plan = await planEntries(side, half.parts, accounts);
    if (!plan.ok) return plan as Outcome<null>;
    const checked = await lockAndCheck(side, plan.value, true);
    if (!checked.ok)
      return {
        ok: false,
        problem: 'overdraft',
        detail: isHere ? checked.detail : undefined,
      } as Outcome<null>;
    plans.set(isHere ? 'here' : 'there', { side, half, plan: plan.value });
    return { ok: true, value: null } as Outcome<null>;
  });
  if (!checks) return { ok: false, problem: 'not-found' };
  const failed = checks.find((c) => !c.ok);
  if (failed && !failed.ok) return failed;
  await bothHalves(scope, exchange, 'count an exchange', async (side, half, isHere) => {
    const { plan } = plans.get(isHere ? 'here' : 'there')!;
    await write(side, half.id, plan, false);
    await side.tx.execute(sql`update time_bank_exchange set status = 'counted', counted_at = now(),
      giver_confirmed = true, receiver_confirmed = true where id = ${half.id}`);
    const member = await memberOf(side, half);
    await auditExchange(side, 'time-bank:confirm', half.id, member ? [member] : []);
  });
  return { ok: true, value: exchange.id };
}

/** Either member declines with a reason, which both halves keep. */
export async function declineAcross(
  scope: Scope,
  exchange: Exchange,
  personId: string,
  reason: string,
): Promise<Outcome> {
  const me = await memberOf(scope, exchange);
  if (!me || me.personId !== personId) return { ok: false, problem: 'not-a-side' };
  const results = await bothHalves(scope, exchange, 'decline an exchange', async (side, half, isHere) => {
    if (half.status !== 'proposed') return false;
    await side.tx.execute(sql`update time_bank_exchange set status = 'declined',
      declined_by_person_id = ${isHere ? personId : null}, decline_reason = ${reason} where id = ${half.id}`);
    const member = await memberOf(side, half);
    await auditExchange(side, 'time-bank:decline', half.id, member ? [member] : []);
    return true;
  });
  if (!results) return { ok: false, problem: 'not-found' };
  return settled(results, 'not-proposed', exchange.id);
}

/**
 * Both halves always change together, under the first half's lock; if neither could change, say
 * why; if only one did (which would be a fault), roll everything back rather than keep it.
 */
function settled(results: boolean[], problem: 'not-proposed' | 'not-counted', id: string): Outcome {
  if (results.every(Boolean)) return { ok: true, value: id };
  if (results.some(Boolean)) throw new NotProposed();
  return { ok: false, problem };
}

/** Thrown to roll back when one half had already moved on (the transaction undoes the other). */
export class NotProposed extends Error {}

/** A coordinator of either bank corrects it: reversing entries in both ledgers, with the reason. */
export async function reverseAcross(scope: Scope, exchange: Exchange, reason: string): Promise<Outcome> {
  if (exchange.status !== 'counted') return { ok: false, problem: 'not-counted' };
  const results = await bothHalves(scope, exchange, 'correct an exchange', async (side, half) => {
    if (half.status !== 'counted') return false;
    const entries = await rowsOf<EntryPlan>(
      side.tx.execute(sql`select bank_id as "bankId", account_id as "accountId",
        counterparty_account_id as "counterpartyAccountId", minutes from time_bank_entry
        where exchange_id = ${half.id} and not is_reversal order by id`),
    );
    const plan = entries.map((entry) => ({ ...entry, minutes: -Number(entry.minutes) }));
    await lockAndCheck(side, plan, false);
    await write(side, half.id, plan, true);
    await side.tx.execute(sql`update time_bank_exchange set status = 'reversed',
      reversed_by_person_id = ${side.actorPersonId}, reversal_reason = ${reason} where id = ${half.id}`);
    const member = await memberOf(side, half);
    await auditExchange(side, 'time-bank:reverse', half.id, member ? [member] : []);
    return true;
  });
  if (!results) return { ok: false, problem: 'not-found' };
  return settled(results, 'not-counted', exchange.id);
}

// The exchange pages call these: each goes to the right kind of exchange.

export async function confirmAny(scope: Scope, exchangeId: string, personId: string): Promise<Outcome> {
  const exchange = await findExchange(scope, exchangeId);
  if (exchange?.bridgeId) return confirmAcross(scope, exchange, personId);
  return confirmExchange(scope, exchangeId, personId);
}

export async function declineAny(scope: Scope, exchangeId: string, personId: string, reason: string) {
  const exchange = await findExchange(scope, exchangeId);
  if (exchange?.bridgeId) return declineAcross(scope, exchange, personId, reason);
  return declineExchange(scope, exchangeId, personId, reason);
}

export async function reverseAny(scope: Scope, exchangeId: string, reason: string): Promise<Outcome> {
  const exchange = await findExchange(scope, exchangeId);
  if (exchange?.bridgeId) return reverseAcross(scope, exchange, reason);
  return reverseExchange(scope, exchangeId, reason);
}

/** Names for the accounts standing for partner banks: "Bank (Organisation)". */
export async function partnerLinkNames(
  scope: Scope,
): Promise<Map<string, { bank: string; organisation: string }>> {
  return new Map(
    (await listPartnerLinks(scope)).map((l) => [
      l.linkAccountId,
      { bank: l.partnerBankName, organisation: l.partnerOrganisationName },
    ]),
  );
}
