import { fileURLToPath } from 'node:url';
import type { Context, Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { z } from 'zod';
import { audit } from '../../core/audit.ts';
import type { AppEnv } from '../../core/context.ts';
import type { Scope } from '../../core/database/tenancy.ts';
import { defineModule } from '../../core/module.ts';
import { findPerson, namesOf } from '../../core/people.ts';
import { renderProblem } from '../../core/web/errors.tsx';
import {
  Button,
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  type FormValues,
  formValues,
  Select,
  TextInput,
} from '../../core/web/forms.tsx';
import { DataTable, LinkList, Notice, renderPage } from '../../core/web/layout.tsx';
import { allowed, inOrganisation } from '../../core/web/middleware.ts';
import cy from './cy.json' with { type: 'json' };
import { seedTimeBank } from './demo.ts';
import en from './en.json' with { type: 'json' };
import {
  type Account,
  agreeLink,
  askLink,
  auditSubject,
  type Bank,
  banksOfExchange,
  byCategory,
  byMonth,
  confirmExchange,
  createBank,
  declineExchange,
  type Exchange,
  exchangesOf,
  findAccount,
  findBank,
  findExchange,
  findMemberAccount,
  joinBank,
  type LedgerProblem,
  listAccounts,
  listBanks,
  listLinks,
  memberActivity,
  type Outcome,
  type Part,
  proposeExchange,
  recordExchange,
  reverseExchange,
  setAccountFlags,
  statement,
  updateBank,
  updateProfile,
  wouldPassLimit,
} from './ledger.ts';
import {
  type Category,
  categoryName,
  closeListing,
  createCategory,
  createListing,
  findListing,
  haveExchanged,
  listCategories,
  searchListings,
} from './listings.ts';
import { statementPdf, toCsv, typed } from './statement-files.ts';
import {
  Checkboxes,
  checkTime,
  duration,
  hasErrors,
  id,
  optional,
  parseWith,
  Radios,
  Summary,
  TextArea,
  TimeInput,
  timeFields,
  w,
  whatWasDone,
} from './views.tsx';

type C = Context<AppEnv>;

/** Everything a bank page needs: the bank, the visitor's own account, whether they coordinate it. */
interface Here {
  bank: Bank;
  me: Account | null;
  coordinator: boolean;
}

async function here(c: C, scope: Scope, bankId: string): Promise<Here | null> {
  const bank = await findBank(scope, bankId);
  if (!bank) return null;
  const me = await findMemberAccount(scope, bank.id, c.get('user')!.personId);
  return { bank, me, coordinator: c.get('can')('manage', 'time-bank') || !!me?.isCoordinator };
}

/** Whether someone may look around a bank (members, offers, people's pages): its members and coordinators. */
const mayBrowse = (h: Here) => !!h.me || h.coordinator;

/**
 * Names for the accounts about to be shown: members by what they like to be called (fetched for just
 * these people), the others by what they stand for.
 */
async function accountNames(
  c: C,
  scope: Scope,
  accounts: Iterable<Account | null | undefined>,
): Promise<(account: Account | undefined) => string> {
  const t = c.get('t');
  const shown = [...accounts].filter((a): a is Account => !!a);
  const people = await namesOf(
    scope,
    shown.flatMap((a) => (a.personId ? [a.personId] : [])),
  );
  const banks = shown.some((a) => a.kind === 'link')
    ? new Map((await listBanks(scope)).map((b) => [b.id, b.name]))
    : new Map<string, string>();
  return (account) => {
    if (!account) return '—';
    if (account.kind === 'community') return t(w('community'));
    if (account.kind === 'link') return t(w('linkAccount'), { bank: banks.get(account.linkedBankId!) ?? '' });
    return people.get(account.personId!) ?? '—';
  };
}

const problemKeys: Record<LedgerProblem, string> = {
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
};

/**
 * Kind words for why something could not be done. A limit says whose limit it is; a member whose
 * exchanges a coordinator records is named, so the proposer knows to ask the coordinator.
 */
async function explain(c: C, scope: Scope, outcome: Outcome): Promise<string> {
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

/** Today's date where the time bank is (the UK), as YYYY-MM-DD. */
function todayHere(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
}

/**
 * An exchange's date may be from about a year ago up to today: paper records catch up, but a date in
 * the future or long ago is almost always a slip. The message says which dates can be used.
 */
function checkDate(c: C, value: string | undefined, errors: FieldErrors) {
  const on = (value ?? '').trim();
  if (!on || errors.happenedOn) return;
  const today = todayHere();
  const earliest = new Date(`${today}T00:00:00Z`);
  earliest.setUTCFullYear(earliest.getUTCFullYear() - 1);
  const from = earliest.toISOString().slice(0, 10);
  if (on >= from && on <= today) return;
  const format = new Intl.DateTimeFormat(c.get('language') === 'cy' ? 'cy-GB' : 'en-GB', {
    dateStyle: 'long',
    timeZone: 'UTC',
  });
  errors.happenedOn = c.get('t')(w(on > today ? 'errors.dateFuture' : 'errors.dateLongAgo'), {
    from: format.format(earliest),
    to: format.format(new Date(`${today}T00:00:00Z`)),
  });
}

function bankPath(bank: Bank, rest = '') {
  return `/time-bank/${bank.id}${rest}`;
}

function categoryOptions(c: C, categories: Category[], empty: string) {
  return [
    { value: '', label: empty },
    ...categories.map((cat) => ({ value: cat.id, label: categoryName(cat, c.get('language')) })),
  ];
}

const notices: Record<string, string> = {
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

function noticeFor(c: C) {
  const key = notices[c.req.query('done') ?? ''];
  return key ? c.get('t')(w(key)) : null;
}

const profileSchema = z.object({
  canOffer: optional(1000),
  wouldLike: optional(1000),
  area: optional(200),
  contact: optional(300),
});

function ProfileFields({ c, values, errors }: { c: C; values: FormValues; errors: FieldErrors }) {
  const t = c.get('t');
  return (
    <>
      <TextArea
        name="canOffer"
        label={t(w('profile.canOffer'))}
        hint={t(w('profile.canOfferHint'))}
        values={values}
        errors={errors}
        t={t}
      />
      <TextArea name="wouldLike" label={t(w('profile.wouldLike'))} values={values} errors={errors} t={t} />
      <TextInput
        name="area"
        label={t(w('profile.area'))}
        hint={t(w('profile.areaHint'))}
        values={values}
        errors={errors}
        t={t}
      />
      <TextInput
        name="contact"
        label={t(w('profile.contact'))}
        hint={t(w('profile.contactHint'))}
        values={values}
        errors={errors}
        t={t}
      />
    </>
  );
}

const listingSchema = z.object({
  kind: z.enum(['offer', 'request'], { error: 'time-bank.errors.chooseKind' }),
  title: z.string({ error: 'errors.required' }).trim().min(1, 'errors.required').max(120, 'errors.tooLong'),
  description: optional(2000),
  availability: optional(300),
  categoryId: z.string().default(''),
});

const proposalSchema = z.object({
  direction: z.enum(['gave', 'received'], { error: 'time-bank.errors.chooseDirection' }),
  other: z.string({ error: 'time-bank.errors.chooseMember' }).min(1, 'time-bank.errors.chooseMember'),
  ...timeFields,
  whatWasDone,
  categoryId: z.string().default(''),
  listingId: z.string().default(''),
});

const dateField = z
  .string()
  .trim()
  .default('')
  .refine(
    (v) =>
      v === '' || (/^\d{4}-\d{2}-\d{2}$/.test(v) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v)),
    'errors.invalid',
  );

const recordSchema = z.object({
  giver: z.string({ error: 'time-bank.errors.chooseMember' }).min(1, 'time-bank.errors.chooseMember'),
  receiver: z.string({ error: 'time-bank.errors.chooseMember' }).min(1, 'time-bank.errors.chooseMember'),
  ...timeFields,
  whatWasDone,
  categoryId: z.string().default(''),
  happenedOn: dateField,
  allowOverdraft: z.string().default(''),
});

const groupSchema = z.object({
  direction: z.enum(['one-gives', 'one-receives'], { error: 'time-bank.errors.chooseDirection' }),
  one: z.string({ error: 'time-bank.errors.chooseMember' }).min(1, 'time-bank.errors.chooseMember'),
  ...timeFields,
  whatWasDone,
  categoryId: z.string().default(''),
  happenedOn: dateField,
});

const reason = z
  .string({ error: 'time-bank.errors.reasonRequired' })
  .trim()
  .min(1, 'time-bank.errors.reasonRequired')
  .max(500, 'errors.tooLong');
const declineSchema = z.object({ declineReason: reason });
const reverseSchema = z.object({ reverseReason: reason });

const welcomeSchema = z.object({
  member: z.string({ error: 'time-bank.errors.chooseMember' }).min(1, 'time-bank.errors.chooseMember'),
  ...timeFields,
  whatWasDone,
});

const bankSchema = z.object({
  name: z.string({ error: 'errors.required' }).trim().min(1, 'errors.required').max(120, 'errors.tooLong'),
});

const settingsSchema = bankSchema.extend({
  overdraftHours: z
    .string()
    .trim()
    .regex(/^\d{1,3}$/, 'time-bank.errors.limitNumber')
    .refine((v) => Number(v) <= 1000, 'time-bank.errors.limitNumber'),
});

const categorySchema = z.object({
  categoryName: z
    .string({ error: 'errors.required' })
    .trim()
    .min(1, 'errors.required')
    .max(80, 'errors.tooLong'),
  categoryNameCy: optional(80),
});

function ExchangeSummary({
  c,
  exchange,
  name,
  accounts,
  categories,
}: {
  c: C;
  exchange: Exchange;
  name: (a: Account | undefined) => string;
  accounts: Map<string, Account>;
  categories: Category[];
}) {
  const t = c.get('t');
  const category = categories.find((x) => x.id === exchange.categoryId);
  return (
    <Summary
      rows={[
        [t(w('exchange.what')), exchange.whatWasDone],
        [t(w('exchange.when')), exchange.happenedOn],
        ...(category
          ? [[t(w('exchange.category')), categoryName(category, c.get('language'))] as [string, string]]
          : []),
        ...exchange.parts.map(
          (part) =>
            [
              t(w('exchange.part')),
              // Welcome hours: the community account credits the member (in the ledger, the member's
              // side is the one that goes up), worded as the gift it is.
              exchange.kind === 'welcome'
                ? t(w('welcome.partText'), {
                    member: name(accounts.get(part.giverAccountId)),
                    time: duration(t, part.minutes),
                  })
                : t(w('exchange.partText'), {
                    giver: name(accounts.get(part.giverAccountId)),
                    receiver: name(accounts.get(part.receiverAccountId)),
                    time: duration(t, part.minutes),
                  }),
            ] as [string, Child],
        ),
        [t(w('exchange.status')), <span id="exchange-status">{t(w(`status.${exchange.status}`))}</span>],
        ...(exchange.declineReason
          ? [[t(w('exchange.declineReason')), exchange.declineReason] as [string, string]]
          : []),
        ...(exchange.reversalReason
          ? [[t(w('exchange.reversalReason')), exchange.reversalReason] as [string, string]]
          : []),
      ]}
    />
  );
}

/** Accounts anyone in this bank may exchange with: its members and the members of linked banks. */
async function reachableMembers(scope: Scope, bank: Bank) {
  const own = (await listAccounts(scope, bank.id)).filter((a) => a.kind === 'member');
  const linked = (await listLinks(scope, bank.id)).filter((l) => l.agreedAt);
  const others: Account[] = [];
  for (const link of linked) {
    const other = link.fromBankId === bank.id ? link.toBankId : link.fromBankId;
    others.push(...(await listAccounts(scope, other)).filter((a) => a.kind === 'member'));
  }
  return [...own, ...others];
}

async function statementRows(c: C, scope: Scope, account: Account, format: 'html' | 'csv' | 'pdf') {
  const t = c.get('t');
  const lines = await statement(scope, account.id);
  const counterparties = new Map<string, Account>();
  for (const line of lines) {
    if (line.counterpartyAccountId && !counterparties.has(line.counterpartyAccountId)) {
      const found = await findAccount(scope, line.counterpartyAccountId);
      if (found) counterparties.set(found.id, found);
    }
  }
  const name = await accountNames(c, scope, counterparties.values());
  // A file taken away is an export, not a look at a screen.
  await audit(scope, {
    action: format === 'html' ? 'read' : 'export',
    subjectType: auditSubject.statement,
    subjectId: account.id,
    subjectPersonId: account.personId,
    detail: { lines: lines.length, format },
  });
  return lines.map((line) => ({
    ...line,
    withName: name(counterparties.get(line.counterpartyAccountId ?? '')),
    what: line.isReversal ? t(w('statement.reversal'), { what: line.whatWasDone }) : line.whatWasDone,
  }));
}

export const timeBank = defineModule({
  id,
  migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
  catalogues: { en, cy },
  permissions: {
    ...Object.fromEntries(
      (['person', 'peer', 'coach', 'partner'] as const).map((role) => [
        role,
        [{ action: 'use', subject: 'time-bank', scope: 'any' as const }],
      ]),
    ),
    lead: [{ action: 'manage', subject: 'time-bank', scope: 'any' }],
    admin: [{ action: 'manage', subject: 'time-bank', scope: 'any' }],
  },
  navigation: [
    {
      href: '/time-bank',
      label: 'nav',
      visible: (can) => can('use', 'time-bank') || can('manage', 'time-bank'),
    },
  ],
  seedDemo: seedTimeBank,

  async statistics(scope) {
    const banks = await listBanks(scope);
    let members = 0;
    let active = 0;
    let both = 0;
    let exchanges = 0;
    let minutes = 0;
    const since = new Date(Date.now() - 90 * 86_400_000).toISOString().slice(0, 10);
    for (const bank of banks) {
      const activity = await memberActivity(scope, bank.id);
      members += activity.length;
      active += activity.filter((m) => m.lastExchange && m.lastExchange >= since).length;
      both += activity.filter((m) => m.givenMinutes > 0 && m.receivedMinutes > 0).length;
    }
    // Across the organisation, each exchange once (one across a link belongs to two banks).
    for (const month of await byMonth(scope, null)) {
      exchanges += month.exchanges;
      minutes += month.minutes;
    }
    await audit(scope, { action: 'read', subjectType: auditSubject.report, detail: { statistics: true } });
    return [
      { key: 'members', label: 'statistics.members', value: members },
      { key: 'active-members', label: 'statistics.activeMembers', value: active },
      { key: 'exchanges', label: 'statistics.exchanges', value: exchanges },
      { key: 'hours', label: 'statistics.hours', value: Math.round(minutes / 60) },
      {
        key: 'gave-and-received',
        label: 'statistics.gaveAndReceived',
        value: members ? Math.round((100 * both) / members) : 0,
      },
    ];
  },

  async exportPerson(scope, personId) {
    const accounts = [];
    for (const bank of await listBanks(scope)) {
      const account = await findMemberAccount(scope, bank.id, personId);
      if (!account) continue;
      accounts.push({
        bank: bank.name,
        profile: {
          canOffer: account.canOffer,
          wouldLike: account.wouldLike,
          area: account.area,
          contact: account.contact,
        },
        balanceMinutes: account.balanceMinutes,
        offersAndRequests: await searchListings(scope, bank.id, { accountId: account.id }),
        statement: await statement(scope, account.id),
      });
    }
    return { timeBanks: accounts };
  },

  routes(app: Hono<AppEnv>) {
    const useOrManage = async (c: C, next: () => Promise<void>) => {
      if (!c.get('user')) return c.redirect(`/sign-in?next=${encodeURIComponent(c.req.path)}`, 303);
      const can = c.get('can');
      if (!can('use', 'time-bank') && !can('manage', 'time-bank')) return renderProblem(c, 403);
      await next();
    };
    app.use('/time-bank', useOrManage);
    app.use('/time-bank/*', useOrManage);

    const banksPage = async (c: C, values: FormValues = {}, errors: FieldErrors = {}) => {
      const t = c.get('t');
      const user = c.get('user')!;
      const banks = await inOrganisation(c, async (scope) => {
        const all = await listBanks(scope);
        return Promise.all(
          all.map(async (bank) => ({ bank, me: await findMemberAccount(scope, bank.id, user.personId) })),
        );
      });
      const canManage = c.get('can')('manage', 'time-bank');
      return renderPage(
        c,
        { title: t(w('banks.title')), hasErrors: hasErrors(errors), status: hasErrors(errors) ? 400 : 200 },
        <>
          <Notice text={noticeFor(c)} />
          <ErrorSummary errors={errors} t={t} />
          <h1 class="govuk-heading-l">{t(w('banks.title'))}</h1>
          <p class="govuk-body">{t(w('banks.intro'))}</p>
          {banks.length === 0 ? <p class="govuk-body">{t(w('banks.none'))}</p> : null}
          <LinkList
            links={banks.map(({ bank, me }) => ({
              href: bankPath(bank),
              label: bank.name,
              hint: me
                ? t(w('banks.yourBalance'), { balance: duration(t, me.balanceMinutes, true) })
                : t(w('banks.notJoined')),
            }))}
          />
          {canManage ? (
            <form method="post" action="/time-bank" novalidate>
              <CsrfField c={c} />
              <TextInput name="name" label={t(w('banks.newName'))} values={values} errors={errors} t={t} />
              <Button secondary>{t(w('banks.create'))}</Button>
            </form>
          ) : null}
        </>,
      );
    };
    app.get('/time-bank', (c) => banksPage(c));

    app.post('/time-bank', allowed('manage', 'time-bank'), async (c) => {
      const values = await formValues(c);
      const parsed = parseWith(bankSchema, values, c.get('t'));
      if (!parsed.ok) return banksPage(c, values, parsed.errors);
      const bankId = await inOrganisation(c, async (scope) => {
        const created = await createBank(scope, { name: parsed.data.name });
        await joinBank(
          scope,
          created,
          c.get('user')!.personId,
          { canOffer: '', wouldLike: '', area: '', contact: '' },
          { isCoordinator: true },
        );
        return created;
      });
      return c.redirect(`/time-bank/${bankId}?done=created`, 303);
    });

    // The bank's front page: balance, things waiting for me, ways in.
    const bankPage = async (c: C, values: FormValues = {}, errors: FieldErrors = {}) => {
      const t = c.get('t');
      const data = await inOrganisation(c, async (scope) => {
        const h = await here(c, scope, c.req.param('bankId')!);
        if (!h) return null;
        if (!h.me)
          return {
            h,
            waiting: [],
            name: await accountNames(c, scope, []),
            accounts: new Map<string, Account>(),
          };
        const waiting = await exchangesOf(scope, h.me.id, 'proposed');
        const accounts = new Map<string, Account>();
        for (const ex of waiting)
          for (const p of ex.parts)
            for (const a of [p.giverAccountId, p.receiverAccountId]) {
              const found = await findAccount(scope, a);
              if (found) accounts.set(a, found);
            }
        await audit(scope, {
          action: 'read',
          subjectType: auditSubject.account,
          subjectId: h.me.id,
          subjectPersonId: h.me.personId,
          detail: { fields: ['balance'] },
        });
        return { h, waiting, name: await accountNames(c, scope, accounts.values()), accounts };
      });
      if (!data) return renderProblem(c, 404);
      const { h, waiting, name, accounts } = data;
      const { bank, me, coordinator } = h;
      return renderPage(
        c,
        { title: bank.name, hasErrors: hasErrors(errors), status: hasErrors(errors) ? 400 : 200 },
        <>
          <Notice text={noticeFor(c)} />
          <ErrorSummary errors={errors} t={t} />
          <h1 class="govuk-heading-l">{bank.name}</h1>
          {me ? (
            <>
              <p class="govuk-body-l">
                {t(w('home.balance'))} <strong>{duration(t, me.balanceMinutes, true)}</strong>
              </p>
              <p class="govuk-body">
                {t(w('home.limit'), { limit: duration(t, bank.overdraftLimitMinutes) })}
              </p>
              {waiting.length > 0 ? (
                <>
                  <h2 class="govuk-heading-m">{t(w('home.waiting'))}</h2>
                  <ul class="alongside-card-list">
                    {waiting.map((ex) => {
                      const part = ex.parts[0]!;
                      const mine =
                        (part.giverAccountId === me.id && ex.giverConfirmed) ||
                        (part.receiverAccountId === me.id && ex.receiverConfirmed);
                      return (
                        <li>
                          <a class="govuk-link" href={bankPath(bank, `/exchanges/${ex.id}`)}>
                            {t(w('exchange.partText'), {
                              giver: name(accounts.get(part.giverAccountId)),
                              receiver: name(accounts.get(part.receiverAccountId)),
                              time: duration(t, part.minutes),
                            })}
                          </a>
                          <p class="govuk-body-s govuk-!-margin-bottom-0">
                            {ex.whatWasDone} ·{' '}
                            {mine ? t(w('home.waitingForOther')) : t(w('home.waitingForYou'))}
                          </p>
                        </li>
                      );
                    })}
                  </ul>
                </>
              ) : null}
              <LinkList
                links={[
                  { href: bankPath(bank, '/listings'), label: t(w('home.listings')) },
                  { href: bankPath(bank, '/listings/new'), label: t(w('home.newListing')) },
                  { href: bankPath(bank, '/exchanges/new'), label: t(w('home.propose')) },
                  { href: bankPath(bank, '/statement'), label: t(w('home.statement')) },
                  { href: bankPath(bank, '/members'), label: t(w('home.members')) },
                  { href: bankPath(bank, '/profile'), label: t(w('home.profile')) },
                ]}
              />
            </>
          ) : (
            <>
              <p class="govuk-body">{t(w('home.joinIntro'))}</p>
              <form method="post" action={bankPath(bank, '/join')} novalidate>
                <CsrfField c={c} />
                <ProfileFields c={c} values={values} errors={errors} />
                <Button>{t(w('home.join'))}</Button>
              </form>
            </>
          )}
          {coordinator ? (
            <>
              <h2 class="govuk-heading-m">{t(w('home.coordinating'))}</h2>
              <LinkList
                links={[
                  { href: bankPath(bank, '/coordinator'), label: t(w('home.report')) },
                  { href: bankPath(bank, '/record'), label: t(w('home.record')) },
                  { href: bankPath(bank, '/group'), label: t(w('home.group')) },
                  { href: bankPath(bank, '/welcome'), label: t(w('home.welcome')) },
                  { href: bankPath(bank, '/settings'), label: t(w('home.settings')) },
                  { href: bankPath(bank, '/links'), label: t(w('home.links')) },
                ]}
              />
            </>
          ) : null}
        </>,
      );
    };
    app.get('/time-bank/:bankId', (c) => bankPage(c));

    app.post('/time-bank/:bankId/join', async (c) => {
      const values = await formValues(c);
      const parsed = parseWith(profileSchema, values, c.get('t'));
      if (!parsed.ok) return bankPage(c, values, parsed.errors);
      const bank = await inOrganisation(c, async (scope) => {
        const found = await findBank(scope, c.req.param('bankId'));
        if (found) await joinBank(scope, found.id, c.get('user')!.personId, parsed.data);
        return found;
      });
      if (!bank) return renderProblem(c, 404);
      return c.redirect(bankPath(bank, '?done=joined'), 303);
    });

    const profilePage = async (c: C, values?: FormValues, errors: FieldErrors = {}) => {
      const t = c.get('t');
      const h = await inOrganisation(c, async (scope) => {
        const found = await here(c, scope, c.req.param('bankId')!);
        if (found?.me)
          await audit(scope, {
            action: 'read',
            subjectType: auditSubject.account,
            subjectId: found.me.id,
            subjectPersonId: found.me.personId,
          });
        return found;
      });
      if (!h?.me) return renderProblem(c, 404);
      const shown = values ?? {
        canOffer: h.me.canOffer,
        wouldLike: h.me.wouldLike,
        area: h.me.area,
        contact: h.me.contact,
      };
      return renderPage(
        c,
        {
          title: t(w('profile.title')),
          hasErrors: hasErrors(errors),
          status: hasErrors(errors) ? 400 : 200,
          narrow: true,
        },
        <>
          <Notice text={noticeFor(c)} />
          <ErrorSummary errors={errors} t={t} />
          <h1 class="govuk-heading-l">{t(w('profile.title'))}</h1>
          <form method="post" action={bankPath(h.bank, '/profile')} novalidate>
            <CsrfField c={c} />
            <ProfileFields c={c} values={shown} errors={errors} />
            <Button>{t(w('profile.save'))}</Button>
          </form>
          {back(c, bankPath(h.bank), h.bank.name)}
        </>,
      );
    };
    app.get('/time-bank/:bankId/profile', (c) => profilePage(c));
    app.post('/time-bank/:bankId/profile', async (c) => {
      const values = await formValues(c);
      const parsed = parseWith(profileSchema, values, c.get('t'));
      if (!parsed.ok) return profilePage(c, values, parsed.errors);
      const h = await inOrganisation(c, async (scope) => {
        const found = await here(c, scope, c.req.param('bankId'));
        if (found?.me) await updateProfile(scope, found.me, parsed.data);
        return found;
      });
      if (!h?.me) return renderProblem(c, 404);
      return c.redirect(bankPath(h.bank, '/profile?done=saved'), 303);
    });

    // Offers and requests: search by kind, category, area and words.
    app.get('/time-bank/:bankId/listings', async (c) => {
      const t = c.get('t');
      const query = c.req.query();
      const filter = {
        kind:
          query.kind === 'offer' || query.kind === 'request'
            ? (query.kind as 'offer' | 'request')
            : undefined,
        categoryId: query.category || undefined,
        area: (query.area ?? '').slice(0, 200),
        words: (query.q ?? '').slice(0, 200),
      };
      const data = await inOrganisation(c, async (scope) => {
        const h = await here(c, scope, c.req.param('bankId'));
        if (!h) return null;
        if (!mayBrowse(h)) return { h, refused: true as const };
        const listings = await searchListings(scope, h.bank.id, filter);
        return {
          h,
          listings,
          categories: await listCategories(scope),
          people: await namesOf(
            scope,
            listings.map((l) => l.personId),
          ),
        };
      });
      if (!data) return renderProblem(c, 404);
      if ('refused' in data) return joinFirst(c, data.h);
      const { h, listings, categories, people } = data;
      const language = c.get('language');
      return renderPage(
        c,
        { title: t(w('listings.title')) },
        <>
          <Notice text={noticeFor(c)} />
          <h1 class="govuk-heading-l">{t(w('listings.title'))}</h1>
          <form method="get" action={bankPath(h.bank, '/listings')} novalidate>
            <Select
              name="kind"
              label={t(w('listings.kind'))}
              options={[
                { value: '', label: t(w('listings.both')) },
                { value: 'offer', label: t(w('listings.offers')) },
                { value: 'request', label: t(w('listings.requests')) },
              ]}
              values={query}
              t={t}
            />
            <Select
              name="category"
              label={t(w('listings.category'))}
              options={categoryOptions(c, categories, t(w('listings.anyCategory')))}
              values={query}
              t={t}
            />
            <TextInput name="area" label={t(w('listings.area'))} values={query} t={t} />
            <TextInput name="q" type="search" label={t(w('listings.words'))} values={query} t={t} />
            <Button secondary>{t(w('listings.search'))}</Button>
          </form>
          <p class="govuk-body">
            <a class="govuk-link" href={bankPath(h.bank, '/listings/new')}>
              {t(w('home.newListing'))}
            </a>
          </p>
          {listings.length === 0 ? <p class="govuk-body">{t(w('listings.none'))}</p> : null}
          <ul class="alongside-card-list">
            {listings.map((listing) => (
              <li>
                <h2 class="govuk-heading-s govuk-!-margin-bottom-1">
                  {t(w(`listings.${listing.kind}Label`))}: {listing.title}
                </h2>
                <p class="govuk-body-s govuk-!-margin-bottom-1">
                  {[
                    people.get(listing.personId),
                    categoryName(
                      categories.find((x) => x.id === listing.categoryId),
                      language,
                    ),
                    listing.area,
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </p>
                {listing.description ? (
                  <p class="govuk-body govuk-!-margin-bottom-1">{listing.description}</p>
                ) : null}
                {listing.availability ? (
                  <p class="govuk-body-s govuk-!-margin-bottom-1">
                    {t(w('listings.availability'))}: {listing.availability}
                  </p>
                ) : null}
                {h.me && listing.accountId !== h.me.id ? (
                  <a class="govuk-link" href={bankPath(h.bank, `/exchanges/new?listing=${listing.id}`)}>
                    {t(w('listings.proposeFrom'), { title: listing.title })}
                  </a>
                ) : null}
                {h.me && listing.accountId === h.me.id ? (
                  <form
                    method="post"
                    action={bankPath(h.bank, `/listings/${listing.id}/close`)}
                    class="alongside-inline-form"
                  >
                    <CsrfField c={c} />
                    <button type="submit" class="alongside-button-link">
                      {t(w('listings.close'), { title: listing.title })}
                    </button>
                  </form>
                ) : null}
              </li>
            ))}
          </ul>
          {back(c, bankPath(h.bank), h.bank.name)}
        </>,
      );
    });

    const newListingPage = async (c: C, values: FormValues = {}, errors: FieldErrors = {}) => {
      const t = c.get('t');
      const data = await inOrganisation(c, async (scope) => {
        const h = await here(c, scope, c.req.param('bankId')!);
        return h ? { h, categories: await listCategories(scope) } : null;
      });
      if (!data?.h.me) return renderProblem(c, 404);
      const { h, categories } = data;
      return renderPage(
        c,
        {
          title: t(w('listings.newTitle')),
          hasErrors: hasErrors(errors),
          status: hasErrors(errors) ? 400 : 200,
          narrow: true,
        },
        <>
          <ErrorSummary errors={errors} t={t} />
          <h1 class="govuk-heading-l">{t(w('listings.newTitle'))}</h1>
          <form method="post" action={bankPath(h.bank, '/listings')} novalidate>
            <CsrfField c={c} />
            <Radios
              name="kind"
              legend={t(w('listings.kindQuestion'))}
              options={[
                { value: 'offer', label: t(w('listings.offerOption')) },
                { value: 'request', label: t(w('listings.requestOption')) },
              ]}
              values={values}
              errors={errors}
              t={t}
            />
            <TextInput
              name="title"
              label={t(w('listings.titleLabel'))}
              hint={t(w('listings.titleHint'))}
              values={values}
              errors={errors}
              t={t}
            />
            <Select
              name="categoryId"
              label={t(w('listings.category'))}
              options={categoryOptions(c, categories, t(w('listings.noCategory')))}
              values={values}
              errors={errors}
              t={t}
            />
            <TextArea
              name="description"
              label={t(w('listings.description'))}
              values={values}
              errors={errors}
              t={t}
            />
            <TextInput
              name="availability"
              label={t(w('listings.availability'))}
              hint={t(w('listings.availabilityHint'))}
              values={values}
              errors={errors}
              t={t}
            />
            <Button>{t(w('listings.save'))}</Button>
          </form>
          {back(c, bankPath(h.bank), h.bank.name)}
        </>,
      );
    };
    app.get('/time-bank/:bankId/listings/new', (c) => newListingPage(c));
    app.post('/time-bank/:bankId/listings', async (c) => {
      const values = await formValues(c);
      const parsed = parseWith(listingSchema, values, c.get('t'));
      if (!parsed.ok) return newListingPage(c, values, parsed.errors);
      const outcome = await inOrganisation(c, async (scope) => {
        const h = await here(c, scope, c.req.param('bankId'));
        if (!h?.me) return null;
        const categories = await listCategories(scope);
        const categoryId = categories.some((x) => x.id === parsed.data.categoryId)
          ? parsed.data.categoryId
          : null;
        await createListing(scope, {
          ...parsed.data,
          categoryId,
          bankId: h.bank.id,
          accountId: h.me.id,
          personId: h.me.personId!,
        });
        return h;
      });
      if (!outcome) return renderProblem(c, 404);
      return c.redirect(bankPath(outcome.bank, '/listings?done=listed'), 303);
    });
    app.post('/time-bank/:bankId/listings/:listingId/close', async (c) => {
      const outcome = await inOrganisation(c, async (scope) => {
        const h = await here(c, scope, c.req.param('bankId'));
        const listing = await findListing(scope, c.req.param('listingId'));
        if (!h || !listing || listing.bankId !== h.bank.id) return null;
        if (listing.accountId !== h.me?.id && !h.coordinator) return null;
        await closeListing(scope, listing);
        return h;
      });
      if (!outcome) return renderProblem(c, 404);
      return c.redirect(bankPath(outcome.bank, '/listings?done=closed'), 303);
    });

    // The member directory; how to reach someone is shown only to people they have exchanged with.
    app.get('/time-bank/:bankId/members', async (c) => {
      const t = c.get('t');
      const data = await inOrganisation(c, async (scope) => {
        const h = await here(c, scope, c.req.param('bankId'));
        if (!h) return null;
        if (!mayBrowse(h)) return { h, refused: true as const };
        const members = (await listAccounts(scope, h.bank.id)).filter((a) => a.kind === 'member');
        // Who was in the directory is kept, so each of them can see that their details were shown.
        await audit(scope, {
          action: 'read',
          subjectType: auditSubject.account,
          detail: {
            count: members.length,
            bank: h.bank.id,
            people: members.flatMap((m) => (m.personId ? [m.personId] : [])),
          },
        });
        return { h, members, name: await accountNames(c, scope, members) };
      });
      if (!data) return renderProblem(c, 404);
      if ('refused' in data) return joinFirst(c, data.h);
      const { h, members, name } = data;
      return renderPage(
        c,
        { title: t(w('members.title')) },
        <>
          <h1 class="govuk-heading-l">{t(w('members.title'))}</h1>
          <DataTable
            caption={t(w('members.caption'), { count: members.length })}
            columns={[
              { label: t(w('members.name')) },
              { label: t(w('profile.canOffer')) },
              { label: t(w('profile.wouldLike')) },
              { label: t(w('profile.area')) },
            ]}
            rows={members.map((m) => [
              <a class="govuk-link" href={bankPath(h.bank, `/members/${m.id}`)}>
                {name(m)}
              </a>,
              m.canOffer || '—',
              m.wouldLike || '—',
              m.area || '—',
            ])}
          />
          {back(c, bankPath(h.bank), h.bank.name)}
        </>,
      );
    });

    app.get('/time-bank/:bankId/members/:accountId', async (c) => {
      const t = c.get('t');
      const data = await inOrganisation(c, async (scope) => {
        const h = await here(c, scope, c.req.param('bankId'));
        const member = await findAccount(scope, c.req.param('accountId'));
        if (!h || !member || member.bankId !== h.bank.id || member.kind !== 'member') return null;
        if (!mayBrowse(h)) return { h, refused: true as const };
        const shareContact =
          h.coordinator ||
          member.id === h.me?.id ||
          (!!h.me && (await haveExchanged(scope, h.me.id, member.id)));
        await audit(scope, {
          action: 'read',
          subjectType: auditSubject.account,
          subjectId: member.id,
          subjectPersonId: member.personId,
        });
        return {
          h,
          member,
          shareContact,
          name: await accountNames(c, scope, [member]),
          listings: await searchListings(scope, h.bank.id, { accountId: member.id }),
        };
      });
      if (!data) return renderProblem(c, 404);
      if ('refused' in data) return joinFirst(c, data.h);
      const { h, member, shareContact, name, listings } = data;
      return renderPage(
        c,
        { title: name(member) },
        <>
          <Notice text={noticeFor(c)} />
          <h1 class="govuk-heading-l">{name(member)}</h1>
          <Summary
            rows={[
              [t(w('profile.canOffer')), member.canOffer || '—'],
              [t(w('profile.wouldLike')), member.wouldLike || '—'],
              [t(w('profile.area')), member.area || '—'],
              [t(w('profile.contact')), shareContact ? member.contact || '—' : t(w('members.contactHidden'))],
              ...(h.coordinator
                ? ([
                    [t(w('members.balance')), duration(t, member.balanceMinutes, true)],
                    [t(w('members.offline')), member.recordedByCoordinator ? t(w('yes')) : t(w('no'))],
                  ] as [string, string][])
                : []),
            ]}
          />
          {listings.length > 0 ? (
            <ul class="govuk-list govuk-list--bullet">
              {listings.map((l) => (
                <li>
                  {t(w(`listings.${l.kind}Label`))}: {l.title}
                </li>
              ))}
            </ul>
          ) : null}
          {h.me && h.me.id !== member.id ? (
            <p class="govuk-body">
              <a class="govuk-link" href={bankPath(h.bank, `/exchanges/new?with=${member.id}`)}>
                {t(w('members.propose'), { name: name(member) })}
              </a>
            </p>
          ) : null}
          {h.coordinator ? (
            <>
              <h2 class="govuk-heading-m">{t(w('members.coordinatorTitle'))}</h2>
              <LinkList
                links={[
                  {
                    href: bankPath(h.bank, `/members/${member.id}/statement`),
                    label: t(w('members.statement')),
                  },
                  {
                    href: bankPath(h.bank, `/members/${member.id}/statement.pdf`),
                    label: t(w('members.printStatement')),
                  },
                ]}
              />
              <form method="post" action={bankPath(h.bank, `/members/${member.id}/flags`)} novalidate>
                <CsrfField c={c} />
                <Checkboxes
                  name="flags"
                  legend={t(w('members.flags'))}
                  options={[
                    { value: 'offline', label: t(w('members.offlineOption')) },
                    { value: 'coordinator', label: t(w('members.coordinatorOption')) },
                  ]}
                  chosen={[
                    member.recordedByCoordinator ? 'offline' : '',
                    member.isCoordinator ? 'coordinator' : '',
                  ].filter(Boolean)}
                  t={t}
                />
                <Button secondary>{t(w('members.saveFlags'))}</Button>
              </form>
            </>
          ) : null}
          {back(c, bankPath(h.bank, '/members'), t(w('members.title')))}
        </>,
      );
    });

    app.post('/time-bank/:bankId/members/:accountId/flags', async (c) => {
      const body = await c.req.parseBody({ all: true });
      const raw = body.flags;
      const flags = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(String);
      const outcome = await inOrganisation(c, async (scope) => {
        const h = await here(c, scope, c.req.param('bankId'));
        const member = await findAccount(scope, c.req.param('accountId'));
        if (!h?.coordinator || !member || member.bankId !== h.bank.id || member.kind !== 'member')
          return null;
        await setAccountFlags(scope, member, {
          recordedByCoordinator: flags.includes('offline'),
          isCoordinator: flags.includes('coordinator'),
        });
        return { h, member };
      });
      if (!outcome) return renderProblem(c, 404);
      return c.redirect(bankPath(outcome.h.bank, `/members/${outcome.member.id}?done=saved`), 303);
    });

    // Proposing an exchange: from an offer or request, with a member, or directly.
    const proposePage = async (c: C, values?: FormValues, errors: FieldErrors = {}) => {
      const t = c.get('t');
      const data = await inOrganisation(c, async (scope) => {
        const h = await here(c, scope, c.req.param('bankId')!);
        if (!h?.me) return null;
        const listing =
          c.req.query('listing') || values?.listingId
            ? await findListing(scope, c.req.query('listing') || values?.listingId || '')
            : null;
        const members = (await reachableMembers(scope, h.bank)).filter((m) => m.id !== h.me!.id);
        return {
          h,
          listing: listing && listing.bankId === h.bank.id && listing.isOpen ? listing : null,
          members,
          categories: await listCategories(scope),
          name: await accountNames(c, scope, members),
          banks: new Map((await listBanks(scope)).map((b) => [b.id, b.name])),
        };
      });
      if (!data) return renderProblem(c, 404);
      const { h, listing, members, categories, name, banks } = data;
      const shown: FormValues = values ?? {
        direction: listing ? (listing.kind === 'offer' ? 'received' : 'gave') : '',
        other: listing?.accountId ?? c.req.query('with') ?? '',
        whatWasDone: listing?.title ?? '',
        categoryId: listing?.categoryId ?? '',
        listingId: listing?.id ?? '',
      };
      return renderPage(
        c,
        {
          title: t(w('propose.title')),
          hasErrors: hasErrors(errors),
          status: hasErrors(errors) ? 400 : 200,
          narrow: true,
        },
        <>
          <ErrorSummary errors={errors} t={t} />
          <h1 class="govuk-heading-l">{t(w('propose.title'))}</h1>
          <p class="govuk-body">{t(w('propose.intro'))}</p>
          <form method="post" action={bankPath(h.bank, '/exchanges')} novalidate>
            <CsrfField c={c} />
            <input type="hidden" name="listingId" value={shown.listingId ?? ''} />
            <Radios
              name="direction"
              legend={t(w('propose.direction'))}
              options={[
                { value: 'gave', label: t(w('propose.gave')) },
                { value: 'received', label: t(w('propose.received')) },
              ]}
              values={shown}
              errors={errors}
              t={t}
            />
            <Select
              name="other"
              label={t(w('propose.other'))}
              options={[
                { value: '', label: t(w('form.chooseMember')) },
                ...members.map((m) => ({
                  value: m.id,
                  label: m.bankId === h.bank.id ? name(m) : `${name(m)} (${banks.get(m.bankId)})`,
                })),
              ]}
              values={shown}
              errors={errors}
              t={t}
            />
            <TimeInput values={shown} errors={errors} t={t} />
            <TextArea
              name="whatWasDone"
              label={t(w('form.whatWasDone'))}
              values={shown}
              errors={errors}
              t={t}
            />
            <Select
              name="categoryId"
              label={t(w('listings.category'))}
              options={categoryOptions(c, categories, t(w('listings.noCategory')))}
              values={shown}
              errors={errors}
              t={t}
            />
            <Button>{t(w('propose.send'))}</Button>
          </form>
          {back(c, bankPath(h.bank), h.bank.name)}
        </>,
      );
    };
    app.get('/time-bank/:bankId/exchanges/new', (c) => proposePage(c));
    app.post('/time-bank/:bankId/exchanges', async (c) => {
      const t = c.get('t');
      const values = await formValues(c);
      const parsed = parseWith(proposalSchema, values, t);
      const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
      const minutes = checkTime({ hours: values.hours ?? '', minutes: values.minutes ?? '' }, errors, t);
      if (!parsed.ok || minutes === null || hasErrors(errors)) return proposePage(c, values, errors);
      const data = parsed.data;
      const outcome = await inOrganisation(c, async (scope) => {
        const h = await here(c, scope, c.req.param('bankId'));
        if (!h?.me) return null;
        const categories = await listCategories(scope);
        const part: Part =
          data.direction === 'gave'
            ? { giverAccountId: h.me.id, receiverAccountId: data.other, minutes }
            : { giverAccountId: data.other, receiverAccountId: h.me.id, minutes };
        const listing = data.listingId ? await findListing(scope, data.listingId) : null;
        // An offer or request that has been taken down is no longer there to exchange from.
        if (listing && listing.bankId === h.bank.id && !listing.isOpen)
          return { h, result: { ok: false, problem: 'not-found' } as Outcome, message: '', closed: true };
        const result = await proposeExchange(scope, {
          bankId: h.bank.id,
          proposerAccountId: h.me.id,
          parts: [part],
          whatWasDone: data.whatWasDone,
          categoryId: categories.some((x) => x.id === data.categoryId) ? data.categoryId : null,
          listingId: listing && listing.bankId === h.bank.id ? listing.id : null,
        });
        return { h, result, message: await explain(c, scope, result), closed: false };
      });
      if (!outcome) return renderProblem(c, 404);
      if (outcome.closed)
        return proposePage(c, { ...values, listingId: '' }, { other: t(w('problems.listingClosed')) });
      if (!outcome.result.ok) {
        const problem = outcome.result.problem;
        const field = problem === 'bad-minutes' || problem === 'overdraft' ? 'hours' : 'other';
        return proposePage(c, values, { [field]: outcome.message ?? '' });
      }
      return c.redirect(bankPath(outcome.h.bank, `/exchanges/${outcome.result.value}?done=proposed`), 303);
    });

    const exchangePage = async (c: C, errors: FieldErrors = {}, values: FormValues = {}) => {
      const t = c.get('t');
      const data = await inOrganisation(c, async (scope) => {
        const h = await here(c, scope, c.req.param('bankId')!);
        const exchange = await findExchange(scope, c.req.param('exchangeId')!);
        if (!h || !exchange) return null;
        const accounts = new Map<string, Account>();
        for (const p of exchange.parts)
          for (const a of [p.giverAccountId, p.receiverAccountId]) {
            const found = await findAccount(scope, a);
            if (found) accounts.set(a, found);
          }
        const sides = [...accounts.values()];
        const mine = sides.find((a) => a.personId === c.get('user')!.personId);
        const inThisBank = exchange.bankId === h.bank.id || sides.some((a) => a.bankId === h.bank.id);
        if (!inThisBank || (!mine && !h.coordinator)) return null;
        for (const personId of new Set(sides.map((a) => a.personId).filter(Boolean)))
          await audit(scope, {
            action: 'read',
            subjectType: auditSubject.exchange,
            subjectId: exchange.id,
            subjectPersonId: personId,
          });
        const part = exchange.parts[0];
        const waitingForMe =
          exchange.status === 'proposed' &&
          !!mine &&
          !!part &&
          ((part.giverAccountId === mine.id && !exchange.giverConfirmed) ||
            (part.receiverAccountId === mine.id && !exchange.receiverConfirmed));
        // Offer to confirm only what can count now; if a limit stands in the way, say whose.
        const fits = waitingForMe ? await wouldPassLimit(scope, exchange.parts) : null;
        return {
          h,
          exchange,
          accounts,
          mine,
          waitingForMe,
          cannotCount: fits && !fits.ok ? await explain(c, scope, fits) : null,
          // The coordinator of any bank whose ledger holds entries of it may correct it.
          mayCorrect:
            h.coordinator &&
            exchange.status === 'counted' &&
            (await banksOfExchange(scope, exchange.id)).includes(h.bank.id),
          name: await accountNames(c, scope, accounts.values()),
          categories: await listCategories(scope),
        };
      });
      if (!data) return renderProblem(c, 404);
      const { h, exchange, accounts, mine, waitingForMe, cannotCount, mayCorrect, name, categories } = data;
      const status = hasErrors(errors) ? 400 : 200;
      return renderPage(
        c,
        { title: t(w('exchange.title')), hasErrors: hasErrors(errors), status },
        <>
          <Notice text={noticeFor(c)} />
          <ErrorSummary errors={errors} t={t} />
          <h1 class="govuk-heading-l">{t(w('exchange.title'))}</h1>
          <ExchangeSummary
            c={c}
            exchange={exchange}
            name={name}
            accounts={accounts}
            categories={categories}
          />
          {waitingForMe && cannotCount ? (
            <div class="govuk-inset-text" id="cannot-count">
              {cannotCount}
            </div>
          ) : null}
          {waitingForMe && !cannotCount ? (
            <form method="post" action={bankPath(h.bank, `/exchanges/${exchange.id}/confirm`)} novalidate>
              <CsrfField c={c} />
              <Button>{t(w('exchange.confirm'))}</Button>
            </form>
          ) : null}
          {exchange.status === 'proposed' && mine ? (
            <form method="post" action={bankPath(h.bank, `/exchanges/${exchange.id}/decline`)} novalidate>
              <CsrfField c={c} />
              <TextInput
                name="declineReason"
                label={t(w('exchange.declineLabel'))}
                hint={t(w('exchange.declineHint'))}
                values={values}
                errors={errors}
                t={t}
              />
              <Button secondary>{t(w('exchange.decline'))}</Button>
            </form>
          ) : null}
          {mayCorrect ? (
            <form method="post" action={bankPath(h.bank, `/exchanges/${exchange.id}/reverse`)} novalidate>
              <CsrfField c={c} />
              <TextInput
                name="reverseReason"
                label={t(w('exchange.reverseLabel'))}
                hint={t(w('exchange.reverseHint'))}
                values={values}
                errors={errors}
                t={t}
              />
              <Button secondary>{t(w('exchange.reverse'))}</Button>
            </form>
          ) : null}
          {back(c, bankPath(h.bank), h.bank.name)}
        </>,
      );
    };
    app.get('/time-bank/:bankId/exchanges/:exchangeId', (c) => exchangePage(c));

    app.post('/time-bank/:bankId/exchanges/:exchangeId/confirm', async (c) => {
      const done = await inOrganisation(c, async (scope) => {
        const bank = await findBank(scope, c.req.param('bankId'));
        if (!bank) return null;
        const result = await confirmExchange(scope, c.req.param('exchangeId'), c.get('user')!.personId);
        return { result, message: await explain(c, scope, result) };
      });
      const outcome = done?.result;
      if (!outcome || (!outcome.ok && outcome.problem === 'not-found')) return renderProblem(c, 404);
      // A problem with the exchange as a whole points at where it stands.
      if (!outcome.ok) return exchangePage(c, { 'exchange-status': done.message });
      return c.redirect(`/time-bank/${c.req.param('bankId')}/exchanges/${outcome.value}?done=confirmed`, 303);
    });

    app.post('/time-bank/:bankId/exchanges/:exchangeId/decline', async (c) => {
      const values = await formValues(c);
      const parsed = parseWith(declineSchema, values, c.get('t'));
      if (!parsed.ok) return exchangePage(c, parsed.errors, values);
      const outcome = await inOrganisation(c, async (scope) => {
        const bank = await findBank(scope, c.req.param('bankId'));
        return bank
          ? declineExchange(
              scope,
              c.req.param('exchangeId'),
              c.get('user')!.personId,
              parsed.data.declineReason,
            )
          : null;
      });
      if (!outcome || (!outcome.ok && outcome.problem === 'not-found')) return renderProblem(c, 404);
      if (!outcome.ok)
        return exchangePage(c, { 'exchange-status': c.get('t')(w(problemKeys[outcome.problem])) }, values);
      return c.redirect(`/time-bank/${c.req.param('bankId')}/exchanges/${outcome.value}?done=declined`, 303);
    });

    app.post('/time-bank/:bankId/exchanges/:exchangeId/reverse', async (c) => {
      const values = await formValues(c);
      const parsed = parseWith(reverseSchema, values, c.get('t'));
      if (!parsed.ok) return exchangePage(c, parsed.errors, values);
      const outcome = await inOrganisation(c, async (scope) => {
        const h = await here(c, scope, c.req.param('bankId'));
        const exchange = await findExchange(scope, c.req.param('exchangeId'));
        if (!h?.coordinator || !exchange) return null;
        // Any bank whose ledger holds entries of the exchange (both, across a link) may correct it.
        if (!(await banksOfExchange(scope, exchange.id)).includes(h.bank.id)) return null;
        return reverseExchange(scope, exchange.id, parsed.data.reverseReason);
      });
      if (!outcome || (!outcome.ok && outcome.problem === 'not-found')) return renderProblem(c, 404);
      if (!outcome.ok)
        return exchangePage(c, { 'exchange-status': c.get('t')(w(problemKeys[outcome.problem])) }, values);
      return c.redirect(`/time-bank/${c.req.param('bankId')}/exchanges/${outcome.value}?done=reversed`, 303);
    });

    // Statements: my own, or a member's for their coordinator, on screen, as CSV and as PDF.
    const statementFor = async (c: C, which: 'mine' | 'member', format: 'html' | 'csv' | 'pdf') => {
      const t = c.get('t');
      const data = await inOrganisation(c, async (scope) => {
        const h = await here(c, scope, c.req.param('bankId')!);
        if (!h) return null;
        const account =
          which === 'mine'
            ? h.me
            : h.coordinator
              ? await findAccount(scope, c.req.param('accountId')!)
              : null;
        if (!account || account.bankId !== h.bank.id || account.kind !== 'member') return null;
        const person = await findPerson(scope, account.personId!);
        return { h, account, person, rows: await statementRows(c, scope, account, format) };
      });
      if (!data) return renderProblem(c, 404);
      const { h, account, person, rows } = data;
      const title = t(w('statement.title'), { name: person?.calledName ?? '', bank: h.bank.name });
      const columns = ['date', 'what', 'with', 'change', 'balance'].map((k) => t(w(`statement.${k}`)));
      const fileName = `statement-${new Date().toISOString().slice(0, 10)}`;
      if (format === 'csv') {
        c.header('Content-Type', 'text/csv; charset=utf-8');
        c.header('Content-Disposition', `attachment; filename="${fileName}.csv"`);
        c.header('Cache-Control', 'no-store');
        // Figures as plain numbers (minutes, and hours to two places) a spreadsheet can add up, then the
        // same in words; only what people typed is defused, never the app's own values.
        const hours = (minutes: number) => Math.round((minutes / 60) * 100) / 100;
        return c.body(
          toCsv([
            ['date', 'what', 'with', 'changeMinutes', 'changeHours', 'balanceMinutes', 'balanceHours'].map(
              (k) => t(w(`statement.csvColumns.${k}`)),
            ),
            ...rows.map((r) => [
              r.happenedOn,
              typed(r.what),
              typed(r.withName),
              r.minutes,
              hours(r.minutes),
              r.balanceAfter,
              hours(r.balanceAfter),
            ]),
          ]),
        );
      }
      if (format === 'pdf') {
        const pdf = await statementPdf({
          title,
          lines: [
            t(w('statement.balanceNow'), { balance: duration(t, account.balanceMinutes, true) }),
            t(w('statement.printed'), { date: new Date().toISOString().slice(0, 10) }),
          ],
          columns,
          rows: rows.map((r) => [
            r.happenedOn,
            r.what,
            r.withName,
            duration(t, r.minutes, true),
            duration(t, r.balanceAfter, true),
          ]),
          footer: t(w('statement.footer')),
          language: c.get('language') === 'cy' ? 'cy-GB' : 'en-GB',
        });
        c.header('Content-Type', 'application/pdf');
        c.header('Content-Disposition', `inline; filename="${fileName}.pdf"`);
        c.header('Cache-Control', 'no-store');
        return c.body(new Uint8Array(pdf));
      }
      const base =
        which === 'mine'
          ? bankPath(h.bank, '/statement')
          : bankPath(h.bank, `/members/${account.id}/statement`);
      return renderPage(
        c,
        { title },
        <>
          <h1 class="govuk-heading-l">{title}</h1>
          <p class="govuk-body-l">
            {t(w('home.balance'))} <strong>{duration(t, account.balanceMinutes, true)}</strong>
          </p>
          <p class="govuk-body">
            <a class="govuk-link" href={`${base}.csv`}>
              {t(w('statement.csv'))}
            </a>
            {' · '}
            <a class="govuk-link" href={`${base}.pdf`}>
              {t(w('statement.pdf'))}
            </a>
          </p>
          {rows.length === 0 ? (
            <p class="govuk-body">{t(w('statement.none'))}</p>
          ) : (
            <DataTable
              caption={t(w('statement.caption'))}
              columns={columns.map((label, i) => ({ label, numeric: i >= 3 }))}
              rows={[...rows]
                .reverse()
                .map((r) => [
                  r.happenedOn,
                  r.what,
                  r.withName,
                  duration(t, r.minutes, true),
                  duration(t, r.balanceAfter, true),
                ])}
            />
          )}
          {back(c, bankPath(h.bank), h.bank.name)}
        </>,
      );
    };
    app.get('/time-bank/:bankId/statement', (c) => statementFor(c, 'mine', 'html'));
    app.get('/time-bank/:bankId/statement.csv', (c) => statementFor(c, 'mine', 'csv'));
    app.get('/time-bank/:bankId/statement.pdf', (c) => statementFor(c, 'mine', 'pdf'));
    app.get('/time-bank/:bankId/members/:accountId/statement', (c) => statementFor(c, 'member', 'html'));
    app.get('/time-bank/:bankId/members/:accountId/statement.csv', (c) => statementFor(c, 'member', 'csv'));
    app.get('/time-bank/:bankId/members/:accountId/statement.pdf', (c) => statementFor(c, 'member', 'pdf'));

    // The coordinator's view: reciprocity, who to reach out to, and what the bank is doing.
    app.get('/time-bank/:bankId/coordinator', async (c) => {
      const t = c.get('t');
      const data = await inOrganisation(c, async (scope) => {
        const h = await here(c, scope, c.req.param('bankId'));
        if (!h?.coordinator) return null;
        const activity = await memberActivity(scope, h.bank.id);
        // Who was in the report is kept, so each of them can see that their figures were shown.
        await audit(scope, {
          action: 'read',
          subjectType: auditSubject.report,
          subjectId: h.bank.id,
          detail: { members: activity.length, people: activity.map((m) => m.personId) },
        });
        const community = (await listAccounts(scope, h.bank.id)).filter((a) => a.kind !== 'member');
        const categoryList = await listCategories(scope);
        const language = c.get('language');
        const label = (key: string | null) =>
          categoryName(
            categoryList.find((x) => x.id === key),
            language,
          ) || t(w('listings.noCategory'));
        return {
          h,
          activity,
          // By the category's name in the reader's language, as people look for it.
          categories: (await byCategory(scope, h.bank.id))
            .map((row) => ({ ...row, label: label(row.key) }))
            .sort((a, b) => a.label.localeCompare(b.label, language)),
          months: await byMonth(scope, h.bank.id),
          people: await namesOf(
            scope,
            activity.map((m) => m.personId),
          ),
          community,
          name: await accountNames(c, scope, community),
        };
      });
      if (!data) return renderProblem(c, 403);
      const { h, activity, categories, months, people, community, name } = data;
      const since = new Date(Date.now() - 90 * 86_400_000).toISOString().slice(0, 10);
      const person = (m: (typeof activity)[number]) => (
        <a class="govuk-link" href={bankPath(h.bank, `/members/${m.accountId}`)}>
          {people.get(m.personId) ?? '—'}
        </a>
      );
      const onlyGives = activity.filter((m) => m.givenMinutes > 0 && m.receivedMinutes === 0);
      const onlyReceives = activity.filter((m) => m.receivedMinutes > 0 && m.givenMinutes === 0);
      const quiet = activity.filter((m) => !m.lastExchange || m.lastExchange < since);
      const names = (list: typeof activity) =>
        list.length === 0 ? (
          <p class="govuk-body">{t(w('report.nobody'))}</p>
        ) : (
          <ul class="govuk-list govuk-list--bullet">
            {list.map((m) => (
              <li>{person(m)}</li>
            ))}
          </ul>
        );
      return renderPage(
        c,
        { title: t(w('report.title')) },
        <>
          <h1 class="govuk-heading-l">{t(w('report.title'))}</h1>
          <p class="govuk-body">{t(w('report.intro'))}</p>
          <DataTable
            caption={t(w('report.balances'))}
            captionSize="m"
            columns={[
              { label: t(w('members.name')) },
              { label: t(w('report.gave')), numeric: true },
              { label: t(w('report.received')), numeric: true },
              { label: t(w('members.balance')), numeric: true },
              { label: t(w('report.last')) },
            ]}
            rows={[
              ...activity.map((m) => [
                person(m),
                duration(t, m.givenMinutes),
                duration(t, m.receivedMinutes),
                duration(t, m.balanceMinutes, true),
                m.lastExchange ?? t(w('report.never')),
              ]),
              ...community.map((a) => [name(a), '', '', duration(t, a.balanceMinutes, true), '']),
            ]}
          />
          <h2 class="govuk-heading-m">{t(w('report.onlyGives'))}</h2>
          {names(onlyGives)}
          <h2 class="govuk-heading-m">{t(w('report.onlyReceives'))}</h2>
          {names(onlyReceives)}
          <h2 class="govuk-heading-m">{t(w('report.quiet'))}</h2>
          <p class="govuk-body">{t(w('report.quietIntro'))}</p>
          {names(quiet)}
          <DataTable
            caption={t(w('report.byCategory'))}
            captionSize="m"
            columns={[
              { label: t(w('listings.category')) },
              { label: t(w('report.exchanges')), numeric: true },
              { label: t(w('report.time')), numeric: true },
            ]}
            rows={categories.map((row) => [row.label, row.exchanges, duration(t, row.minutes)])}
          />
          <DataTable
            caption={t(w('report.byMonth'))}
            captionSize="m"
            columns={[
              { label: t(w('report.month')) },
              { label: t(w('report.exchanges')), numeric: true },
              { label: t(w('report.time')), numeric: true },
            ]}
            rows={months.map((row) => [row.key ?? '', row.exchanges, duration(t, row.minutes)])}
          />
          {back(c, bankPath(h.bank), h.bank.name)}
        </>,
      );
    });

    // A coordinator records one exchange, for example for a member without internet.
    const accountOptions = async (c: C, scope: Scope, h: Here) => {
      const banks = new Map((await listBanks(scope)).map((b) => [b.id, b.name]));
      const own = (await listAccounts(scope, h.bank.id)).filter((a) => a.kind !== 'link');
      const linked = (await reachableMembers(scope, h.bank)).filter((a) => a.bankId !== h.bank.id);
      const name = await accountNames(c, scope, [...own, ...linked]);
      return [...own, ...linked].map((a) => ({
        value: a.id,
        label:
          a.bankId === h.bank.id
            ? name(a) + (a.recordedByCoordinator ? ` ${c.get('t')(w('record.offlineMark'))}` : '')
            : `${name(a)} (${banks.get(a.bankId)})`,
      }));
    };

    const recordPage = async (c: C, values: FormValues = {}, errors: FieldErrors = {}) => {
      const t = c.get('t');
      const data = await inOrganisation(c, async (scope) => {
        const h = await here(c, scope, c.req.param('bankId')!);
        if (!h?.coordinator) return null;
        return { h, options: await accountOptions(c, scope, h), categories: await listCategories(scope) };
      });
      if (!data) return renderProblem(c, 403);
      const { h, options, categories } = data;
      const choose = [{ value: '', label: t(w('form.chooseMember')) }, ...options];
      return renderPage(
        c,
        {
          title: t(w('record.title')),
          hasErrors: hasErrors(errors),
          status: hasErrors(errors) ? 400 : 200,
          narrow: true,
        },
        <>
          <ErrorSummary errors={errors} t={t} />
          <h1 class="govuk-heading-l">{t(w('record.title'))}</h1>
          <p class="govuk-body">{t(w('record.intro'))}</p>
          <form method="post" action={bankPath(h.bank, '/record')} novalidate>
            <CsrfField c={c} />
            <Select
              name="giver"
              label={t(w('record.giver'))}
              options={choose}
              values={values}
              errors={errors}
              t={t}
            />
            <Select
              name="receiver"
              label={t(w('record.receiver'))}
              options={choose}
              values={values}
              errors={errors}
              t={t}
            />
            <TimeInput values={values} errors={errors} t={t} />
            <TextArea
              name="whatWasDone"
              label={t(w('form.whatWasDone'))}
              values={values}
              errors={errors}
              t={t}
            />
            <Select
              name="categoryId"
              label={t(w('listings.category'))}
              options={categoryOptions(c, categories, t(w('listings.noCategory')))}
              values={values}
              errors={errors}
              t={t}
            />
            <TextInput
              name="happenedOn"
              type="date"
              label={t(w('form.happenedOn'))}
              hint={t(w('form.happenedOnHint'))}
              values={values}
              errors={errors}
              t={t}
            />
            <Checkboxes
              name="allowOverdraft"
              legend={t(w('record.overdraftLegend'))}
              options={[
                {
                  value: 'yes',
                  label: t(w('record.allowOverdraft'), { limit: duration(t, h.bank.overdraftLimitMinutes) }),
                },
              ]}
              chosen={values.allowOverdraft ? ['yes'] : []}
              t={t}
            />
            <Button>{t(w('record.save'))}</Button>
          </form>
          {back(c, bankPath(h.bank), h.bank.name)}
        </>,
      );
    };
    app.get('/time-bank/:bankId/record', (c) => recordPage(c));
    app.post('/time-bank/:bankId/record', async (c) => {
      const t = c.get('t');
      const values = await formValues(c);
      const parsed = parseWith(recordSchema, values, t);
      const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
      const minutes = checkTime({ hours: values.hours ?? '', minutes: values.minutes ?? '' }, errors, t);
      checkDate(c, values.happenedOn, errors);
      if (!parsed.ok || minutes === null || hasErrors(errors)) return recordPage(c, values, errors);
      const data = parsed.data;
      const outcome = await inOrganisation(c, async (scope) => {
        const h = await here(c, scope, c.req.param('bankId'));
        if (!h?.coordinator) return null;
        const categories = await listCategories(scope);
        const result = await recordExchange(scope, {
          bankId: h.bank.id,
          parts: [{ giverAccountId: data.giver, receiverAccountId: data.receiver, minutes }],
          whatWasDone: data.whatWasDone,
          categoryId: categories.some((x) => x.id === data.categoryId) ? data.categoryId : null,
          happenedOn: data.happenedOn || null,
          allowOverdraft: data.allowOverdraft === 'yes',
        });
        return { h, result, message: await explain(c, scope, result) };
      });
      if (!outcome) return renderProblem(c, 403);
      if (!outcome.result.ok) {
        // The receiver is the one whose balance goes down, so a limit is theirs.
        const field = outcome.result.problem === 'bad-minutes' ? 'hours' : 'receiver';
        return recordPage(c, values, { [field]: outcome.message });
      }
      return c.redirect(bankPath(outcome.h.bank, `/exchanges/${outcome.result.value}?done=recorded`), 303);
    });

    // A group exchange: one giver to many (a workshop) or many givers to one, all or nothing.
    const groupPage = async (
      c: C,
      values: FormValues = {},
      errors: FieldErrors = {},
      chosen: string[] = [],
    ) => {
      const t = c.get('t');
      const data = await inOrganisation(c, async (scope) => {
        const h = await here(c, scope, c.req.param('bankId')!);
        if (!h?.coordinator) return null;
        return { h, options: await accountOptions(c, scope, h), categories: await listCategories(scope) };
      });
      if (!data) return renderProblem(c, 403);
      const { h, options, categories } = data;
      return renderPage(
        c,
        {
          title: t(w('group.title')),
          hasErrors: hasErrors(errors),
          status: hasErrors(errors) ? 400 : 200,
          narrow: true,
        },
        <>
          <ErrorSummary errors={errors} t={t} />
          <h1 class="govuk-heading-l">{t(w('group.title'))}</h1>
          <p class="govuk-body">{t(w('group.intro'))}</p>
          <form method="post" action={bankPath(h.bank, '/group')} novalidate>
            <CsrfField c={c} />
            <Radios
              name="direction"
              legend={t(w('group.direction'))}
              options={[
                { value: 'one-gives', label: t(w('group.oneGives')) },
                { value: 'one-receives', label: t(w('group.oneReceives')) },
              ]}
              values={values}
              errors={errors}
              t={t}
            />
            <Select
              name="one"
              label={t(w('group.one'))}
              options={[{ value: '', label: t(w('form.chooseMember')) }, ...options]}
              values={values}
              errors={errors}
              t={t}
            />
            <Checkboxes
              name="many"
              legend={t(w('group.many'))}
              options={options}
              chosen={chosen}
              errors={errors}
              t={t}
            />
            <TimeInput values={values} errors={errors} t={t} />
            <TextArea
              name="whatWasDone"
              label={t(w('form.whatWasDone'))}
              values={values}
              errors={errors}
              t={t}
            />
            <Select
              name="categoryId"
              label={t(w('listings.category'))}
              options={categoryOptions(c, categories, t(w('listings.noCategory')))}
              values={values}
              errors={errors}
              t={t}
            />
            <TextInput
              name="happenedOn"
              type="date"
              label={t(w('form.happenedOn'))}
              hint={t(w('form.happenedOnHint'))}
              values={values}
              errors={errors}
              t={t}
            />
            <Button>{t(w('group.save'))}</Button>
          </form>
          {back(c, bankPath(h.bank), h.bank.name)}
        </>,
      );
    };
    app.get('/time-bank/:bankId/group', (c) => groupPage(c));
    app.post('/time-bank/:bankId/group', async (c) => {
      const t = c.get('t');
      const values = await formValues(c);
      const body = await c.req.parseBody({ all: true });
      const many = [
        ...new Set(
          (Array.isArray(body.many) ? body.many : body.many === undefined ? [] : [body.many]).map(String),
        ),
      ];
      const parsed = parseWith(groupSchema, values, t);
      const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
      const minutes = checkTime({ hours: values.hours ?? '', minutes: values.minutes ?? '' }, errors, t);
      const others = many.filter((m) => m !== values.one);
      if (others.length === 0) errors.many = t(w('errors.chooseMany'));
      if (others.length > 200) errors.many = t(w('errors.tooMany'));
      checkDate(c, values.happenedOn, errors);
      if (!parsed.ok || minutes === null || hasErrors(errors)) return groupPage(c, values, errors, many);
      const data = parsed.data;
      const outcome = await inOrganisation(c, async (scope) => {
        const h = await here(c, scope, c.req.param('bankId'));
        if (!h?.coordinator) return null;
        const categories = await listCategories(scope);
        const parts = others.map((other) =>
          data.direction === 'one-gives'
            ? { giverAccountId: data.one, receiverAccountId: other, minutes }
            : { giverAccountId: other, receiverAccountId: data.one, minutes },
        );
        const result = await recordExchange(scope, {
          bankId: h.bank.id,
          parts,
          whatWasDone: data.whatWasDone,
          categoryId: categories.some((x) => x.id === data.categoryId) ? data.categoryId : null,
          happenedOn: data.happenedOn || null,
        });
        return { h, result, message: await explain(c, scope, result) };
      });
      if (!outcome) return renderProblem(c, 403);
      if (!outcome.result.ok) {
        // A limit belongs to whoever receives: the group when one gives, the one when the group gives.
        const field =
          outcome.result.problem === 'overdraft' && data.direction === 'one-receives' ? 'one' : 'many';
        const message =
          outcome.result.problem === 'overdraft'
            ? `${outcome.message} ${t(w('problems.nothingRecorded'))}`
            : outcome.message;
        return groupPage(c, values, { [field]: message }, many);
      }
      return c.redirect(bankPath(outcome.h.bank, `/exchanges/${outcome.result.value}?done=recorded`), 303);
    });

    // Welcome hours: the community account gives a member some hours to start with (their balance goes up).
    const welcomePage = async (c: C, values: FormValues = {}, errors: FieldErrors = {}) => {
      const t = c.get('t');
      const data = await inOrganisation(c, async (scope) => {
        const h = await here(c, scope, c.req.param('bankId')!);
        if (!h?.coordinator) return null;
        const members = (await listAccounts(scope, h.bank.id)).filter((a) => a.kind === 'member');
        return { h, members, name: await accountNames(c, scope, members) };
      });
      if (!data) return renderProblem(c, 403);
      const { h, members, name } = data;
      const shown = { whatWasDone: t(w('welcome.defaultWhat')), ...values };
      return renderPage(
        c,
        {
          title: t(w('welcome.title')),
          hasErrors: hasErrors(errors),
          status: hasErrors(errors) ? 400 : 200,
          narrow: true,
        },
        <>
          <ErrorSummary errors={errors} t={t} />
          <h1 class="govuk-heading-l">{t(w('welcome.title'))}</h1>
          <p class="govuk-body">{t(w('welcome.intro'))}</p>
          <form method="post" action={bankPath(h.bank, '/welcome')} novalidate>
            <CsrfField c={c} />
            <Select
              name="member"
              label={t(w('welcome.member'))}
              options={[
                { value: '', label: t(w('form.chooseMember')) },
                ...members.map((m) => ({ value: m.id, label: name(m) })),
              ]}
              values={shown}
              errors={errors}
              t={t}
            />
            <TimeInput values={shown} errors={errors} t={t} />
            <TextInput name="whatWasDone" label={t(w('welcome.what'))} values={shown} errors={errors} t={t} />
            <Button>{t(w('welcome.save'))}</Button>
          </form>
          {back(c, bankPath(h.bank), h.bank.name)}
        </>,
      );
    };
    app.get('/time-bank/:bankId/welcome', (c) => welcomePage(c));
    app.post('/time-bank/:bankId/welcome', async (c) => {
      const t = c.get('t');
      const values = await formValues(c);
      const parsed = parseWith(welcomeSchema, values, t);
      const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
      const minutes = checkTime({ hours: values.hours ?? '', minutes: values.minutes ?? '' }, errors, t);
      if (!parsed.ok || minutes === null || hasErrors(errors)) return welcomePage(c, values, errors);
      const data = parsed.data;
      const outcome = await inOrganisation(c, async (scope) => {
        const h = await here(c, scope, c.req.param('bankId'));
        if (!h?.coordinator) return null;
        const member = await findAccount(scope, data.member);
        if (!member || member.bankId !== h.bank.id || member.kind !== 'member')
          return {
            h,
            result: { ok: false, problem: 'not-found' } as Outcome,
            message: t(w('problems.notFound')),
          };
        const community = (await listAccounts(scope, h.bank.id)).find((a) => a.kind === 'community')!;
        // In the ledger the member's side goes up and the community account's down; the exchange is
        // marked as welcome hours so it reads as the gift it is.
        const result = await recordExchange(scope, {
          bankId: h.bank.id,
          kind: 'welcome',
          parts: [{ giverAccountId: member.id, receiverAccountId: community.id, minutes }],
          whatWasDone: data.whatWasDone,
        });
        return { h, result, message: await explain(c, scope, result) };
      });
      if (!outcome) return renderProblem(c, 403);
      if (!outcome.result.ok) return welcomePage(c, values, { member: outcome.message });
      return c.redirect(bankPath(outcome.h.bank, `/exchanges/${outcome.result.value}?done=welcomed`), 303);
    });

    // Settings: name, overdraft limit and the organisation's categories.
    const settingsPage = async (c: C, values?: FormValues, errors: FieldErrors = {}) => {
      const t = c.get('t');
      const data = await inOrganisation(c, async (scope) => {
        const h = await here(c, scope, c.req.param('bankId')!);
        return h?.coordinator ? { h, categories: await listCategories(scope) } : null;
      });
      if (!data) return renderProblem(c, 403);
      const { h, categories } = data;
      // Categories are the organisation's, shared by all its banks: only its managers add to them.
      const manager = c.get('can')('manage', 'time-bank');
      const shown = values ?? {
        name: h.bank.name,
        overdraftHours: String(h.bank.overdraftLimitMinutes / 60),
      };
      return renderPage(
        c,
        {
          title: t(w('settings.title')),
          hasErrors: hasErrors(errors),
          status: hasErrors(errors) ? 400 : 200,
          narrow: true,
        },
        <>
          <Notice text={noticeFor(c)} />
          <ErrorSummary errors={errors} t={t} />
          <h1 class="govuk-heading-l">{t(w('settings.title'))}</h1>
          <form method="post" action={bankPath(h.bank, '/settings')} novalidate>
            <CsrfField c={c} />
            <TextInput name="name" label={t(w('settings.name'))} values={shown} errors={errors} t={t} />
            <TextInput
              name="overdraftHours"
              label={t(w('settings.limit'))}
              hint={t(w('settings.limitHint'))}
              width="10"
              values={shown}
              errors={errors}
              t={t}
            />
            <Button>{t(w('settings.save'))}</Button>
          </form>
          <h2 class="govuk-heading-m">{t(w('settings.categories'))}</h2>
          <ul class="govuk-list govuk-list--bullet">
            {categories.map((cat) => (
              <li>{categoryName(cat, c.get('language'))}</li>
            ))}
          </ul>
          {manager ? (
            <form method="post" action={bankPath(h.bank, '/categories')} novalidate>
              <CsrfField c={c} />
              <TextInput
                name="categoryName"
                label={t(w('settings.categoryName'))}
                values={values}
                errors={errors}
                t={t}
              />
              <TextInput
                name="categoryNameCy"
                label={t(w('settings.categoryNameCy'))}
                values={values}
                errors={errors}
                t={t}
              />
              <Button secondary>{t(w('settings.addCategory'))}</Button>
            </form>
          ) : (
            <p class="govuk-body">{t(w('settings.categoriesByManagers'))}</p>
          )}
          {back(c, bankPath(h.bank), h.bank.name)}
        </>,
      );
    };
    app.get('/time-bank/:bankId/settings', (c) => settingsPage(c));
    app.post('/time-bank/:bankId/settings', async (c) => {
      const values = await formValues(c);
      const parsed = parseWith(settingsSchema, values, c.get('t'));
      if (!parsed.ok) return settingsPage(c, values, parsed.errors);
      const h = await inOrganisation(c, async (scope) => {
        const found = await here(c, scope, c.req.param('bankId'));
        if (!found?.coordinator) return null;
        await updateBank(scope, found.bank.id, {
          name: parsed.data.name,
          overdraftLimitMinutes: Number(parsed.data.overdraftHours) * 60,
        });
        return found;
      });
      if (!h) return renderProblem(c, 403);
      return c.redirect(bankPath(h.bank, '/settings?done=saved'), 303);
    });
    app.post('/time-bank/:bankId/categories', async (c) => {
      const values = await formValues(c);
      if (!c.get('can')('manage', 'time-bank')) return renderProblem(c, 403);
      const parsed = parseWith(categorySchema, values, c.get('t'));
      if (!parsed.ok) return settingsPage(c, undefined, parsed.errors);
      const h = await inOrganisation(c, async (scope) => {
        const found = await here(c, scope, c.req.param('bankId'));
        if (!found?.coordinator) return null;
        await createCategory(scope, parsed.data.categoryName, parsed.data.categoryNameCy || null);
        return found;
      });
      if (!h) return renderProblem(c, 403);
      return c.redirect(bankPath(h.bank, '/settings?done=saved'), 303);
    });

    // Links between banks: one coordinator asks, the other bank's coordinator agrees.
    app.get('/time-bank/:bankId/links', async (c) => {
      const t = c.get('t');
      const data = await inOrganisation(c, async (scope) => {
        const h = await here(c, scope, c.req.param('bankId'));
        if (!h?.coordinator) return null;
        return { h, links: await listLinks(scope, h.bank.id), banks: await listBanks(scope) };
      });
      if (!data) return renderProblem(c, 403);
      const { h, links, banks } = data;
      const bankName = (bankId: string) => banks.find((b) => b.id === bankId)?.name ?? '';
      const unlinked = banks.filter(
        (b) => b.id !== h.bank.id && !links.some((l) => l.fromBankId === b.id || l.toBankId === b.id),
      );
      return renderPage(
        c,
        { title: t(w('links.title')) },
        <>
          <Notice text={noticeFor(c)} />
          <h1 class="govuk-heading-l">{t(w('links.title'))}</h1>
          <p class="govuk-body">{t(w('links.intro'))}</p>
          {links.length === 0 ? <p class="govuk-body">{t(w('links.none'))}</p> : null}
          <ul class="alongside-card-list">
            {links.map((link) => {
              const other = link.fromBankId === h.bank.id ? link.toBankId : link.fromBankId;
              return (
                <li>
                  <p class="govuk-body govuk-!-margin-bottom-1">
                    {bankName(other)}:{' '}
                    {link.agreedAt
                      ? t(w('links.agreed'))
                      : link.fromBankId === h.bank.id
                        ? t(w('links.waiting'))
                        : t(w('links.asked'))}
                  </p>
                  {!link.agreedAt && link.toBankId === h.bank.id ? (
                    <form
                      method="post"
                      action={bankPath(h.bank, `/links/${link.id}/agree`)}
                      class="alongside-inline-form"
                    >
                      <CsrfField c={c} />
                      <Button>{t(w('links.agree'), { bank: bankName(other) })}</Button>
                    </form>
                  ) : null}
                </li>
              );
            })}
          </ul>
          {unlinked.length > 0 ? (
            <form method="post" action={bankPath(h.bank, '/links')} novalidate>
              <CsrfField c={c} />
              <Select
                name="bank"
                label={t(w('links.ask'))}
                options={unlinked.map((b) => ({ value: b.id, label: b.name }))}
                values={{}}
                t={t}
              />
              <Button secondary>{t(w('links.askButton'))}</Button>
            </form>
          ) : null}
          {back(c, bankPath(h.bank), h.bank.name)}
        </>,
      );
    });
    app.post('/time-bank/:bankId/links', async (c) => {
      const values = await formValues(c);
      const outcome = await inOrganisation(c, async (scope) => {
        const h = await here(c, scope, c.req.param('bankId'));
        if (!h?.coordinator) return null;
        return { h, result: await askLink(scope, h.bank.id, values.bank ?? '') };
      });
      if (!outcome) return renderProblem(c, 403);
      if (!outcome.result.ok) return renderProblem(c, 404);
      return c.redirect(bankPath(outcome.h.bank, '/links?done=asked'), 303);
    });
    app.post('/time-bank/:bankId/links/:linkId/agree', async (c) => {
      const outcome = await inOrganisation(c, async (scope) => {
        const h = await here(c, scope, c.req.param('bankId'));
        if (!h?.coordinator) return null;
        return { h, result: await agreeLink(scope, c.req.param('linkId'), h.bank.id) };
      });
      if (!outcome) return renderProblem(c, 403);
      if (!outcome.result.ok && outcome.result.problem === 'same-coordinator')
        return c.redirect(bankPath(outcome.h.bank, '/links?done=sameCoordinator'), 303);
      if (!outcome.result.ok) return renderProblem(c, 404);
      return c.redirect(bankPath(outcome.h.bank, '/links?done=linked'), 303);
    });
  },
});

/** Someone who has not joined is asked to join first: the members' details are for the members. */
function joinFirst(c: C, h: Here) {
  return c.redirect(bankPath(h.bank, '?done=joinFirst'), 303);
}

function back(_c: C, href: string, label: string) {
  return (
    <p class="govuk-body">
      <a class="govuk-link" href={href}>
        {label}
      </a>
    </p>
  );
}
