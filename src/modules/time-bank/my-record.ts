import type { Scope } from '../../core/database/tenancy.ts';
import type { RecordWriter } from '../../core/record.ts';
import { exchangesOf, findAccounts, listBanks, memberAccountsOf, statement } from './ledger.ts';
import { categoryName, listCategories, searchListings } from './listings.ts';
import { accountNamesIn, withPartner } from './routes/shared.tsx';
import { w } from './views.tsx';

/**
 * The time bank section of the person's record: for each bank they belong to, their profile, balance,
 * open offers and requests, exchanges still waiting or declined, and the whole statement, with
 * everyone named as on the statement page and time as minutes with its words.
 */
export async function timeBankRecord(scope: Scope, personId: string, r: RecordWriter) {
  const mine = await memberAccountsOf(scope, personId);
  const categories = new Map((await listCategories(scope)).map((category) => [category.id, category]));
  const category = (id: string | null) => (id ? categoryName(categories.get(id), r.language) || null : null);
  const timeBanks = [];
  for (const bank of await listBanks(scope)) {
    const account = mine.get(bank.id);
    if (!account) continue;
    const lines = await statement(scope, account.id);
    const open = [
      ...(await exchangesOf(scope, account.id, 'proposed')),
      ...(await exchangesOf(scope, account.id, 'declined')),
    ];
    const others = await findAccounts(scope, [
      ...lines.flatMap((line) => (line.counterpartyAccountId ? [line.counterpartyAccountId] : [])),
      ...open.flatMap((exchange) =>
        exchange.parts.flatMap((part) => [part.giverAccountId, part.receiverAccountId]),
      ),
    ]);
    const name = await accountNamesIn(r.t, scope, others.values());
    timeBanks.push({
      bankId: bank.id,
      bank: bank.name,
      profile: {
        canOffer: account.canOffer,
        wouldLike: account.wouldLike,
        area: account.area,
        contact: account.contact,
      },
      balance: r.duration(account.balanceMinutes),
      offersAndRequests: (await searchListings(scope, bank.id, { accountId: account.id })).map((listing) => ({
        id: listing.id,
        offerOrRequest: r.code(listing.kind, w(`listings.${listing.kind}Label`)),
        title: listing.title,
        description: listing.description,
        availability: listing.availability,
        categoryId: listing.categoryId,
        category: category(listing.categoryId),
        postedAt: r.at(listing.createdAt),
      })),
      waitingOrDeclined: open.map((exchange) => {
        const named = withPartner(r.t, exchange, name);
        return {
          exchangeId: exchange.id,
          status: r.code(exchange.status, w(`status.${exchange.status}`)),
          whatWasDone: exchange.whatWasDone,
          happenedOn: r.day(exchange.happenedOn),
          categoryId: exchange.categoryId,
          category: category(exchange.categoryId),
          parts: exchange.parts.map((part) => ({
            giver: named(others.get(part.giverAccountId)),
            receiver: named(others.get(part.receiverAccountId)),
            time: r.duration(part.minutes),
          })),
          declineReason: exchange.declineReason,
          proposedAt: r.at(exchange.createdAt),
        };
      }),
      statement: lines.map((line) => ({
        entryId: line.entryId,
        exchangeId: line.exchangeId,
        happenedOn: r.day(line.happenedOn),
        whatWasDone: line.whatWasDone,
        kind: r.code(line.kind, w(`myRecord.values.${line.kind}`)),
        correction: line.isReversal,
        categoryId: line.categoryId,
        category: category(line.categoryId),
        with: withPartner(r.t, line, name)(others.get(line.counterpartyAccountId ?? '')),
        change: r.duration(line.minutes, true),
        balanceAfter: r.duration(line.balanceAfter),
        recordedAt: r.at(line.createdAt),
      })),
    });
  }
  return { timeBanks };
}
