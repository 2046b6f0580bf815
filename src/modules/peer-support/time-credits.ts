import { sql } from 'drizzle-orm';
import { audit } from '../../core/audit.ts';
import { rowsOf, type Scope } from '../../core/database/tenancy.ts';
import type { Translate } from '../../core/i18n/index.ts';
import { isUuid } from '../../core/tokens.ts';
import {
  type CreditOutcome,
  creditPeerHours,
  creditsFor,
  type PeerHoursCredit,
} from '../time-bank/credits.ts';
import { type Bank, findBank, findMemberAccount, listBanks } from '../time-bank/ledger.ts';
import type { LinkUp } from './link-ups.ts';
import { auditSubject, w } from './words.ts';

/**
 * Optional per organisation: hours logged in peer link-ups earn time credits for the peer, in the time
 * bank the team chose in the settings (none by default). Everything about the bank goes through the
 * time bank's exported functions; peer support keeps only the chosen bank's id.
 */

/** The bank that credits peers' hours, or null when the organisation gives no time credits. */
export async function timeCreditBankOf(scope: Scope): Promise<Bank | null> {
  const [row] = await rowsOf<{ bankId: string | null }>(
    scope.tx.execute(sql`select time_credit_bank_id as "bankId" from peer_settings
      where organisation_id = ${scope.organisationId}`),
  );
  return row?.bankId ? findBank(scope, row.bankId) : null;
}

/**
 * Chooses the bank (or none, with null). Only one of the organisation's own banks can be chosen: an id
 * that is not among them changes nothing and returns false.
 */
export async function setTimeCreditBank(scope: Scope, bankId: string | null): Promise<boolean> {
  if (bankId !== null) {
    if (!isUuid(bankId)) return false;
    const banks = await listBanks(scope);
    if (!banks.some((bank) => bank.id === bankId)) return false;
  }
  await scope.tx.execute(sql`insert into peer_settings (organisation_id, time_credit_bank_id)
    values (${scope.organisationId}, ${bankId})
    on conflict (organisation_id) do update set time_credit_bank_id = excluded.time_credit_bank_id,
      updated_at = now()`);
  await audit(scope, {
    action: 'update',
    subjectType: auditSubject.settings,
    detail: { fields: ['timeCreditBankId'] },
  });
  return true;
}

export type SessionCredit =
  | { kind: 'off' }
  | { kind: 'credited'; bank: Bank; minutes: number }
  | { kind: 'not-a-member'; bank: Bank }
  | { kind: 'already'; bank: Bank };

/**
 * Credits a session just logged on a link-up to its peer, in the caller's transaction (the one that
 * logged the session). Nothing is written to the bank when the organisation gives no time credits or
 * the peer is not a member; nobody is ever joined to a bank automatically.
 */
export async function creditSession(
  scope: Scope,
  linkUp: LinkUp,
  session: { id: string; minutes: number; happenedOn: string },
  t?: Translate,
): Promise<SessionCredit> {
  const bank = await timeCreditBankOf(scope);
  if (!bank) return { kind: 'off' };
  // The exchange's words say what it was, never what was done with whom: the bank's coordinators
  // may read it, and the session's own words are about the person supported.
  const outcome: CreditOutcome = await creditPeerHours(scope, {
    bankId: bank.id,
    personId: linkUp.peerPersonId,
    minutes: session.minutes,
    whatWasDone: t ? t(w('credits.whatWasDone')) : 'A peer support session',
    happenedOn: session.happenedOn,
    sourceId: session.id,
    t,
  });
  if (outcome.credited) return { kind: 'credited', bank, minutes: outcome.minutes };
  if (outcome.reason === 'not-a-member') return { kind: 'not-a-member', bank };
  if (outcome.reason === 'already') return { kind: 'already', bank };
  return { kind: 'off' };
}

export interface LinkUpCredits {
  /** The bank that credits peers' hours, if any. */
  bank: Bank | null;
  /** Whether the link-up's peer is a member of that bank (false when there is no bank). */
  peerIsMember: boolean;
  /** The credit given for each session, by session id (sessions logged before the setting have none). */
  bySession: Map<string, PeerHoursCredit>;
}

/** What the link-up page says about time credits: the bank, whether the peer can earn, and each session's. */
export async function creditsOfLinkUp(
  scope: Scope,
  linkUp: LinkUp,
  sessionIds: string[],
): Promise<LinkUpCredits> {
  const bank = await timeCreditBankOf(scope);
  const peerIsMember = bank ? !!(await findMemberAccount(scope, bank.id, linkUp.peerPersonId)) : false;
  return { bank, peerIsMember, bySession: await creditsFor(scope, sessionIds) };
}

/** A peer's credits across all their link-ups' sessions, counted and not corrected, grouped by bank. */
export async function creditsOfPeer(
  scope: Scope,
  profileId: string,
): Promise<{ bankId: string; bankName: string; sessions: number; minutes: number }[]> {
  const sessionIds = (
    await rowsOf<{ id: string }>(
      scope.tx.execute(sql`select s.id from peer_session s join peer_link_up l on l.id = s.link_up_id
        where l.profile_id = ${profileId}`),
    )
  ).map((row) => row.id);
  const byBank = new Map<string, { bankId: string; bankName: string; sessions: number; minutes: number }>();
  for (const credit of (await creditsFor(scope, sessionIds)).values()) {
    if (credit.status !== 'counted') continue;
    const sum = byBank.get(credit.bankId) ?? {
      bankId: credit.bankId,
      bankName: credit.bankName,
      sessions: 0,
      minutes: 0,
    };
    sum.sessions += 1;
    sum.minutes += credit.minutes;
    byBank.set(credit.bankId, sum);
  }
  return [...byBank.values()];
}
