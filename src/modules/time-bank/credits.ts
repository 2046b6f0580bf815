import { sql } from 'drizzle-orm';
import { rowsOf, type Scope } from '../../core/database/tenancy.ts';
import type { Translate } from '../../core/i18n/index.ts';
import { isUuid } from '../../core/tokens.ts';
import {
  auditExchange,
  communityAccount,
  findBank,
  findMemberAccount,
  lockAndCheck,
  maxMinutes,
  type Part,
  planEntries,
  write,
} from './ledger.ts';
import { duration, w } from './views.tsx';

/**
 * Time credits for hours given elsewhere in Alongside: today, the hours a peer logs in a peer support
 * link-up, when the organisation has chosen a bank for them. Other modules call these functions, never
 * the time bank's tables.
 *
 * A credit is an ordinary exchange of kind `peer-hours` from the bank's community account to the peer's
 * member account (the community account may go below zero; the member's balance goes up), counted at
 * once, audited like any exchange and written with the ledger's own locking and writing functions, in
 * the caller's transaction. Its `source_id` (the session) is unique, so nothing is credited twice.
 */

export interface PeerHoursInput {
  bankId: string;
  /** The peer: credited only if they are a member of the bank. Nobody is ever joined automatically. */
  personId: string;
  minutes: number;
  /** Plain words for the exchange, in the language of whoever logged it; never the session's own words. */
  whatWasDone: string;
  happenedOn: string;
  /** What is being credited (a peer support session's id): one credit per source, ever. */
  sourceId: string;
  /** For the words added when the minutes are more than one exchange may hold. */
  t?: Translate;
}

export type CreditOutcome =
  | { credited: true; exchangeId: string; minutes: number; capped: boolean }
  | { credited: false; reason: 'no-bank' | 'not-a-member' | 'already' | 'bad-input' };

/**
 * Credits a peer's hours to their account in the bank. Refuses nothing the peer did: minutes above the
 * ledger's most for one part (`maxMinutes`) are credited as `maxMinutes`, and the exchange's words say so.
 */
export async function creditPeerHours(scope: Scope, input: PeerHoursInput): Promise<CreditOutcome> {
  if (!Number.isInteger(input.minutes) || input.minutes <= 0) return { credited: false, reason: 'bad-input' };
  if (!isUuid(input.sourceId)) return { credited: false, reason: 'bad-input' };
  const bank = await findBank(scope, input.bankId);
  if (!bank) return { credited: false, reason: 'no-bank' };
  const member = await findMemberAccount(scope, bank.id, input.personId);
  if (!member) return { credited: false, reason: 'not-a-member' };
  const community = await communityAccount(scope, bank.id);
  const minutes = Math.min(input.minutes, maxMinutes);
  const capped = minutes < input.minutes;
  const parts: Part[] = [{ giverAccountId: member.id, receiverAccountId: community.id, minutes }];
  const plan = await planEntries(
    scope,
    parts,
    new Map([
      [member.id, member],
      [community.id, community],
    ]),
  );
  if (!plan.ok) return { credited: false, reason: 'no-bank' };
  // The locks first (in the ledger's order), then the look for an earlier credit of the same source:
  // a second credit of the same session waits on the same community account and then finds the first.
  const locked = await lockAndCheck(scope, plan.value, false);
  if (!locked.ok) return { credited: false, reason: 'no-bank' };
  if (await creditOf(scope, input.sourceId)) return { credited: false, reason: 'already' };
  const whatWasDone = capped ? cappedWords(input, minutes) : input.whatWasDone;
  // The unique index on source_id is the last word: a conflicting insert writes nothing at all.
  const [row] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`insert into time_bank_exchange (organisation_id, bank_id, kind, status, is_group,
        what_was_done, happened_on, proposed_by_person_id, recorded_by_coordinator, giver_confirmed,
        receiver_confirmed, overdraft_allowed, counted_at, source_id)
      values (${scope.organisationId}, ${bank.id}, 'peer-hours', 'counted', false, ${whatWasDone},
        ${input.happenedOn}::date, ${scope.actorPersonId}, false, true, true, false, now(), ${input.sourceId})
      on conflict (source_id) where source_id is not null do nothing
      returning id`),
  );
  if (!row) return { credited: false, reason: 'already' };
  await scope.tx.execute(sql`insert into time_bank_exchange_part (organisation_id, exchange_id, giver_account_id,
      receiver_account_id, minutes)
    values (${scope.organisationId}, ${row.id}, ${member.id}, ${community.id}, ${minutes})`);
  await write(scope, row.id, plan.value, false);
  await auditExchange(scope, 'create', row.id, [member, community]);
  return { credited: true, exchangeId: row.id, minutes, capped };
}

function cappedWords(input: PeerHoursInput, minutes: number): string {
  const t = input.t;
  return t
    ? t(w('peerHours.capped'), {
        what: input.whatWasDone,
        given: duration(t, input.minutes),
        counted: duration(t, minutes),
      })
    : `${input.whatWasDone} (${input.minutes} minutes given; ${minutes} counted, the most one exchange holds)`;
}

export interface PeerHoursCredit {
  sourceId: string;
  exchangeId: string;
  bankId: string;
  bankName: string;
  minutes: number;
  /** `reversed` when a coordinator has corrected it: it no longer counts. */
  status: 'counted' | 'reversed';
}

async function creditOf(scope: Scope, sourceId: string): Promise<string | null> {
  const [row] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`select id from time_bank_exchange where source_id = ${sourceId}
      and organisation_id = ${scope.organisationId}`),
  );
  return row?.id ?? null;
}

/** The credits given for some sources (sessions), by source, in one query. */
export async function creditsFor(
  scope: Scope,
  sourceIds: Iterable<string>,
): Promise<Map<string, PeerHoursCredit>> {
  const ids = [...new Set(sourceIds)].filter(isUuid);
  const found = new Map<string, PeerHoursCredit>();
  if (ids.length === 0) return found;
  const rows = await rowsOf<PeerHoursCredit>(
    scope.tx.execute(sql`select x.source_id as "sourceId", x.id as "exchangeId", x.bank_id as "bankId",
        b.name as "bankName", x.status, coalesce(sum(p.minutes), 0) as minutes
      from time_bank_exchange x join time_bank b on b.id = x.bank_id
        join time_bank_exchange_part p on p.exchange_id = x.id
      where x.organisation_id = ${scope.organisationId} and x.kind = 'peer-hours'
        and x.source_id in (${sql.join(
          ids.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})
      group by x.id, b.name`),
  );
  for (const row of rows) found.set(row.sourceId, { ...row, minutes: Number(row.minutes) });
  return found;
}
