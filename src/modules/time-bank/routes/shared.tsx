import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { AppEnv } from '../../../core/context.ts';
import type { Scope } from '../../../core/database/tenancy.ts';
import type { Translate } from '../../../core/i18n/index.ts';
import { namesOf, namesToTellApartOf } from '../../../core/people.ts';
import { ErrorSummary, type FieldErrors } from '../../../core/web/forms.tsx';
import { Notice, renderPage } from '../../../core/web/layout.tsx';
import { partnerLinkNames } from '../across.ts';
import {
  type Account,
  type Bank,
  findBank,
  findMemberAccount,
  type LedgerProblem,
  listAccounts,
  listBanks,
  listLinks,
  type Outcome,
} from '../ledger.ts';
import { type Category, categoryName } from '../listings.ts';
import { hasErrors, w } from '../views.tsx';

export type C = Context<AppEnv>;

/** Everything a bank page needs: the bank, the visitor's own account, whether they coordinate it. */
export interface Here {
  bank: Bank;
  me: Account | null;
  coordinator: boolean;
}

export async function here(c: C, scope: Scope, bankId: string): Promise<Here | null> {
  const bank = await findBank(scope, bankId);
  if (!bank) return null;
  const me = await findMemberAccount(scope, bank.id, c.get('user')!.personId);
  return { bank, me, coordinator: c.get('can')('manage', 'time-bank') || !!me?.isCoordinator };
}

/** Whether someone may look around a bank (members, offers, people's pages): its members and coordinators. */
export const mayBrowse = (h: Here) => !!h.me || h.coordinator;

/**
 * Names for the accounts about to be shown: members by what they like to be called (fetched for just
 * these people, and told apart where two of them share a name), the others by what they stand for.
 */
export async function accountNames(
  c: C,
  scope: Scope,
  accounts: Iterable<Account | null | undefined>,
): Promise<(account: Account | undefined) => string> {
  return accountNamesIn(c.get('t'), scope, accounts);
}

/** The same names in any language's words, for the person's record download as well as for pages. */
export async function accountNamesIn(
  t: Translate,
  scope: Scope,
  accounts: Iterable<Account | null | undefined>,
): Promise<(account: Account | undefined) => string> {
  const shown = [...accounts].filter((a): a is Account => !!a);
  const people = await namesToTellApartOf(
    scope,
    shown.flatMap((a) => (a.personId ? [a.personId] : [])),
    t,
  );
  const hasLinks = shown.some((a) => a.kind === 'link');
  const banks = hasLinks
    ? new Map((await listBanks(scope)).map((b) => [b.id, b.name]))
    : new Map<string, string>();
  const partners = hasLinks
    ? await partnerLinkNames(scope)
    : new Map<string, { bank: string; organisation: string }>();
  return (account) => {
    if (!account) return '—';
    if (account.kind === 'community') return t(w('community'));
    const partner = partners.get(account.id);
    if (partner) return t(w('partners.bankName'), { bank: partner.bank, organisation: partner.organisation });
    if (account.kind === 'link') return t(w('linkAccount'), { bank: banks.get(account.linkedBankId!) ?? '' });
    return people.get(account.personId!) ?? '—';
  };
}

/**
 * On half of an exchange with a partner bank's member, the account standing for that bank is shown
 * as the member it stood for: "Elin, Banc Amser Cwm Teg (Cwm Teg Family Link)".
 */
export function withPartner(
  c: C | Translate,
  exchange: { partnerName: string | null },
  name: (account: Account | undefined) => string,
): (account: Account | undefined) => string {
  if (!exchange.partnerName) return name;
  const t = typeof c === 'function' ? c : c.get('t');
  return (account) =>
    account?.kind === 'link'
      ? t(w('partners.someone'), { name: exchange.partnerName, bank: name(account) })
      : name(account);
}

export const problemKeys: Record<LedgerProblem, string> = {
  'not-found': 'problems.notFound',
  'same-person': 'problems.samePerson',
  'bad-minutes': 'problems.badMinutes',
  overdraft: 'problems.overdraft',
  'not-a-side': 'problems.notASide',
  'already-confirmed': 'problems.alreadyConfirmed',
  'not-proposed': 'problems.notProposed',
  'not-counted': 'problems.notCounted',
  'not-linked': 'problems.notLinked',
  empty: 'problems.empty',
  offline: 'problems.offline',
  'same-coordinator': 'problems.sameCoordinator',
  'bad-code': 'problems.badCode',
  'not-shown': 'problems.notShown',
};

/**
 * Kind words for why something could not be done. A limit says whose limit it is; a member whose
 * exchanges a coordinator records is named, so the proposer knows to ask the coordinator.
 */
export async function explain(c: C, scope: Scope, outcome: Outcome): Promise<string> {
  const t = c.get('t');
  if (outcome.ok) return '';
  const { problem, detail } = outcome;
  if ((problem === 'overdraft' || problem === 'offline') && detail) {
    if (problem === 'overdraft' && detail === c.get('user')?.personId) return t(w('problems.overdraftYou'));
    const name = (await namesOf(scope, [detail])).get(detail) ?? '';
    return t(w(problem === 'overdraft' ? 'problems.overdraftNamed' : 'problems.offline'), { name });
  }
  return t(w(problemKeys[problem]));
}

export function bankPath(bank: Bank, rest = '') {
  return `/time-bank/${bank.id}${rest}`;
}

export function categoryOptions(c: C, categories: Category[], empty: string) {
  return [
    { value: '', label: empty },
    ...categories.map((cat) => ({ value: cat.id, label: categoryName(cat, c.get('language')) })),
  ];
}

export const notices: Record<string, string> = {
  joined: 'notices.joined',
  saved: 'notices.saved',
  listed: 'notices.listed',
  proposed: 'notices.proposed',
  confirmed: 'notices.confirmed',
  declined: 'notices.declined',
  recorded: 'notices.recorded',
  reversed: 'notices.reversed',
  closed: 'notices.closed',
  linked: 'notices.linked',
  asked: 'notices.asked',
  created: 'notices.created',
  welcomed: 'notices.welcomed',
  joinFirst: 'notices.joinFirst',
  sameCoordinator: 'problems.sameCoordinator',
};

export function noticeFor(c: C) {
  const key = notices[c.req.query('done') ?? ''];
  return key ? c.get('t')(w(key)) : null;
}

/** Accounts anyone in this bank may exchange with: its members and the members of linked banks. */
export async function reachableMembers(scope: Scope, bank: Bank) {
  const own = (await listAccounts(scope, bank.id)).filter((a) => a.kind === 'member');
  const linked = (await listLinks(scope, bank.id)).filter((l) => l.agreedAt);
  const others: Account[] = [];
  for (const link of linked) {
    const other = link.fromBankId === bank.id ? link.toBankId : link.fromBankId;
    others.push(...(await listAccounts(scope, other)).filter((a) => a.kind === 'member'));
  }
  return [...own, ...others];
}

/** Someone who has not joined is asked to join first: the members' details are for the members. */
export function joinFirst(c: C, h: Here) {
  return c.redirect(bankPath(h.bank, '?done=joinFirst'), 303);
}

export function back(_c: C, href: string, label: string) {
  return (
    <p class="govuk-body">
      <a class="govuk-link" href={href}>
        {label}
      </a>
    </p>
  );
}

/** Every value sent for a field that can be sent more than once (ticked checkboxes). */
export async function allValues(c: C, name: string): Promise<string[]> {
  const raw = (await c.req.parseBody({ all: true }))[name];
  return (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(String);
}

/**
 * A time bank page: its title as the heading, with the success notice (when `notice`), any form
 * errors (status 400 then), and a link back at the end. The body is what comes between.
 */
export function page(
  c: C,
  options: {
    title: string;
    errors?: FieldErrors;
    narrow?: boolean;
    notice?: boolean;
    back?: { href: string; label: string };
  },
  body: Child,
) {
  const t = c.get('t');
  const errors = options.errors ?? {};
  return renderPage(
    c,
    {
      title: options.title,
      hasErrors: hasErrors(errors),
      status: hasErrors(errors) ? 400 : 200,
      narrow: options.narrow,
    },
    <>
      {options.notice ? <Notice text={noticeFor(c)} /> : null}
      <ErrorSummary errors={errors} t={t} />
      <h1 class="govuk-heading-l">{options.title}</h1>
      {body}
      {options.back ? back(c, options.back.href, options.back.label) : null}
    </>,
  );
}
