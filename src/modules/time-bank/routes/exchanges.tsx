import type { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { z } from 'zod';
import { audit } from '../../../core/audit.ts';
import type { AppEnv } from '../../../core/context.ts';
import { sortByName } from '../../../core/people.ts';
import { renderProblem } from '../../../core/web/errors.tsx';
import { formatDate } from '../../../core/web/format.ts';
import {
  Button,
  CsrfField,
  type FieldErrors,
  type FormValues,
  formValues,
  parseValues,
  TextInput,
} from '../../../core/web/forms.tsx';
import { Summary } from '../../../core/web/layout.tsx';
import { inOrganisation } from '../../../core/web/middleware.ts';
import { confirmAny, declineAny, NotProposed, reverseAny } from '../across.ts';
import {
  type Account,
  auditSubject,
  banksOfExchange,
  type Exchange,
  findAccounts,
  findBank,
  findExchange,
  listBanks,
  type Outcome,
  type Part,
  proposeExchange,
  wouldPassLimit,
} from '../ledger.ts';
import { type Category, categoryName, findListing, listCategories } from '../listings.ts';
import { duration, timeFields, w, whatWasDone } from '../views.tsx';
import {
  chosenMember,
  DirectionAndMember,
  ExchangeDetails,
  knownCategory,
  readExchangeForm,
} from './exchange-form.tsx';
import {
  accountNames,
  bankPath,
  type C,
  explain,
  here,
  page,
  problemKeys,
  reachableMembers,
  withPartner,
} from './shared.tsx';

const proposalSchema = z.object({
  direction: z.enum(['gave', 'received'], { error: 'time-bank.errors.chooseDirection' }),
  other: chosenMember,
  ...timeFields,
  whatWasDone,
  categoryId: z.string().default(''),
  listingId: z.string().default(''),
});

const reason = z
  .string({ error: 'time-bank.errors.reasonRequired' })
  .trim()
  .min(1, 'time-bank.errors.reasonRequired')
  .max(500, 'errors.tooLong');
const declineSchema = z.object({ declineReason: reason });
const reverseSchema = z.object({ reverseReason: reason });

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
        [t(w('exchange.when')), formatDate(exchange.happenedOn, c.get('language'))],
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
                : exchange.kind === 'peer-hours'
                  ? // Hours given as a peer in a link-up, credited the same way from the community account.
                    t(w('peerHours.partText'), {
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

/** Two halves of an exchange across organisations disagreed: nothing was changed; say it has moved on. */
function stillProposed(error: unknown): Outcome {
  if (error instanceof NotProposed) return { ok: false, problem: 'not-proposed' };
  throw error;
}

/** A member proposes an exchange; the other side confirms or declines; a coordinator corrects one. */
export function exchangeRoutes(app: Hono<AppEnv>) {
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
    return page(
      c,
      {
        title: t(w('propose.title')),
        errors,
        narrow: true,
        back: { href: bankPath(h.bank), label: h.bank.name },
      },
      <>
        <p class="govuk-body">{t(w('propose.intro'))}</p>
        <form method="post" action={bankPath(h.bank, '/exchanges')} novalidate>
          <CsrfField c={c} />
          <input type="hidden" name="listingId" value={shown.listingId ?? ''} />
          <DirectionAndMember
            c={c}
            members={sortByName(
              members.map((m) => ({
                value: m.id,
                label: m.bankId === h.bank.id ? name(m) : `${name(m)} (${banks.get(m.bankId)})`,
              })),
              (option) => option.label,
              c.get('language'),
            )}
            values={shown}
            errors={errors}
          />
          <ExchangeDetails c={c} categories={categories} values={shown} errors={errors} />
          <Button>{t(w('propose.send'))}</Button>
        </form>
      </>,
    );
  };
  app.get('/time-bank/:bankId/exchanges/new', (c) => proposePage(c));
  app.post('/time-bank/:bankId/exchanges', async (c) => {
    const t = c.get('t');
    const values = await formValues(c);
    const read = readExchangeForm(c, proposalSchema, values);
    if (!read.ok) return proposePage(c, values, read.errors);
    const { data, minutes } = read;
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
        categoryId: knownCategory(categories, data.categoryId),
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
      const accounts = await findAccounts(
        scope,
        exchange.parts.flatMap((p) => [p.giverAccountId, p.receiverAccountId]),
      );
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
        name: withPartner(c, exchange, await accountNames(c, scope, accounts.values())),
        categories: await listCategories(scope),
      };
    });
    if (!data) return renderProblem(c, 404);
    const { h, exchange, accounts, mine, waitingForMe, cannotCount, mayCorrect, name, categories } = data;
    return page(
      c,
      {
        title: t(w('exchange.title')),
        errors,
        notice: true,
        back: { href: bankPath(h.bank), label: h.bank.name },
      },
      <>
        <ExchangeSummary c={c} exchange={exchange} name={name} accounts={accounts} categories={categories} />
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
      </>,
    );
  };
  app.get('/time-bank/:bankId/exchanges/:exchangeId', (c) => exchangePage(c));

  app.post('/time-bank/:bankId/exchanges/:exchangeId/confirm', async (c) => {
    const done = await inOrganisation(c, async (scope) => {
      const bank = await findBank(scope, c.req.param('bankId'));
      if (!bank) return null;
      const result = await confirmAny(scope, c.req.param('exchangeId'), c.get('user')!.personId);
      return { result, message: await explain(c, scope, result) };
    }).catch((error) => {
      const result = stillProposed(error);
      return { result, message: c.get('t')(w(problemKeys['not-proposed'])) };
    });
    const outcome = done?.result;
    if (!outcome || (!outcome.ok && outcome.problem === 'not-found')) return renderProblem(c, 404);
    // A problem with the exchange as a whole points at where it stands.
    if (!outcome.ok) return exchangePage(c, { 'exchange-status': done.message });
    return c.redirect(`/time-bank/${c.req.param('bankId')}/exchanges/${outcome.value}?done=confirmed`, 303);
  });

  app.post('/time-bank/:bankId/exchanges/:exchangeId/decline', async (c) => {
    const values = await formValues(c);
    const parsed = parseValues(declineSchema, values, c.get('t'));
    if (!parsed.ok) return exchangePage(c, parsed.errors, values);
    const outcome = await inOrganisation(c, async (scope) => {
      const bank = await findBank(scope, c.req.param('bankId'));
      return bank
        ? declineAny(scope, c.req.param('exchangeId'), c.get('user')!.personId, parsed.data.declineReason)
        : null;
    }).catch(stillProposed);
    if (!outcome || (!outcome.ok && outcome.problem === 'not-found')) return renderProblem(c, 404);
    if (!outcome.ok)
      return exchangePage(c, { 'exchange-status': c.get('t')(w(problemKeys[outcome.problem])) }, values);
    return c.redirect(`/time-bank/${c.req.param('bankId')}/exchanges/${outcome.value}?done=declined`, 303);
  });

  app.post('/time-bank/:bankId/exchanges/:exchangeId/reverse', async (c) => {
    const values = await formValues(c);
    const parsed = parseValues(reverseSchema, values, c.get('t'));
    if (!parsed.ok) return exchangePage(c, parsed.errors, values);
    const outcome = await inOrganisation(c, async (scope) => {
      const h = await here(c, scope, c.req.param('bankId'));
      const exchange = await findExchange(scope, c.req.param('exchangeId'));
      if (!h?.coordinator || !exchange) return null;
      // Any bank whose ledger holds entries of the exchange (both, across a link) may correct it.
      if (!(await banksOfExchange(scope, exchange.id)).includes(h.bank.id)) return null;
      return reverseAny(scope, exchange.id, parsed.data.reverseReason);
    }).catch(stillProposed);
    if (!outcome || (!outcome.ok && outcome.problem === 'not-found')) return renderProblem(c, 404);
    if (!outcome.ok)
      return exchangePage(c, { 'exchange-status': c.get('t')(w(problemKeys[outcome.problem])) }, values);
    return c.redirect(`/time-bank/${c.req.param('bankId')}/exchanges/${outcome.value}?done=reversed`, 303);
  });
}
