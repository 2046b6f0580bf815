import type { Hono } from 'hono';
import { z } from 'zod';
import { audit } from '../../../core/audit.ts';
import type { AppEnv } from '../../../core/context.ts';
import type { Scope } from '../../../core/database/tenancy.ts';
import { namesToTellApartOf, sortByName } from '../../../core/people.ts';
import { renderProblem } from '../../../core/web/errors.tsx';
import {
  Button,
  Checkboxes,
  CsrfField,
  type FieldErrors,
  type FormValues,
  formValues,
  Radios,
  TextInput,
} from '../../../core/web/forms.tsx';
import { DataTable } from '../../../core/web/layout.tsx';
import { inOrganisation } from '../../../core/web/middleware.ts';
import {
  type Account,
  auditSubject,
  byCategory,
  byMonth,
  findAccount,
  listAccounts,
  listBanks,
  memberActivity,
  type Outcome,
  recordExchange,
} from '../ledger.ts';
import { categoryName, listCategories } from '../listings.ts';
import { duration, TimeInput, timeFields, w, whatWasDone } from '../views.tsx';
import {
  chosenMember,
  dateField,
  ExchangeDetails,
  knownCategory,
  MemberSelect,
  readExchangeForm,
} from './exchange-form.tsx';
import {
  accountNames,
  allValues,
  bankPath,
  type C,
  explain,
  type Here,
  here,
  page,
  reachableMembers,
} from './shared.tsx';

const recordSchema = z.object({
  giver: chosenMember,
  receiver: chosenMember,
  ...timeFields,
  whatWasDone,
  categoryId: z.string().default(''),
  happenedOn: dateField,
  allowOverdraft: z.string().default(''),
});

const groupSchema = z.object({
  direction: z.enum(['one-gives', 'one-receives'], { error: 'time-bank.errors.chooseDirection' }),
  one: chosenMember,
  ...timeFields,
  whatWasDone,
  categoryId: z.string().default(''),
  happenedOn: dateField,
});

const welcomeSchema = z.object({
  member: chosenMember,
  ...timeFields,
  whatWasDone,
});

/** What only a coordinator does: the report, recording exchanges for members, group exchanges, welcome hours. */
export function coordinatorRoutes(app: Hono<AppEnv>) {
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
        people: await namesToTellApartOf(
          scope,
          activity.map((m) => m.personId),
          t,
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
    return page(
      c,
      { title: t(w('report.title')), back: { href: bankPath(h.bank), label: h.bank.name } },
      <>
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
      </>,
    );
  });

  // A coordinator records one exchange, for example for a member without internet.
  const accountOptions = async (c: C, scope: Scope, h: Here) => {
    const banks = new Map((await listBanks(scope)).map((b) => [b.id, b.name]));
    const own = (await listAccounts(scope, h.bank.id)).filter((a) => a.kind !== 'link');
    const linked = (await reachableMembers(scope, h.bank)).filter((a) => a.bankId !== h.bank.id);
    const name = await accountNames(c, scope, [...own, ...linked]);
    // The community account first, then the members by name (this bank's, then linked banks').
    const members = (list: Account[]) =>
      sortByName(
        list.filter((a) => a.kind === 'member'),
        name,
        c.get('language'),
      );
    const ordered = [...own.filter((a) => a.kind !== 'member'), ...members(own), ...members(linked)];
    return ordered.map((a) => ({
      value: a.id,
      label:
        a.bankId === h.bank.id
          ? name(a) + (a.recordedByCoordinator ? ` ${c.get('t')(w('record.offlineMark'))}` : '')
          : `${name(a)} (${banks.get(a.bankId)})`,
    }));
  };

  /** What a coordinator's exchange form offers: everyone to choose from, and the categories. */
  const coordinatorForm = (c: C) =>
    inOrganisation(c, async (scope) => {
      const h = await here(c, scope, c.req.param('bankId')!);
      if (!h?.coordinator) return null;
      return { h, options: await accountOptions(c, scope, h), categories: await listCategories(scope) };
    });

  const recordPage = async (c: C, values: FormValues = {}, errors: FieldErrors = {}) => {
    const t = c.get('t');
    const data = await coordinatorForm(c);
    if (!data) return renderProblem(c, 403);
    const { h, options, categories } = data;
    return page(
      c,
      {
        title: t(w('record.title')),
        errors,
        narrow: true,
        back: { href: bankPath(h.bank), label: h.bank.name },
      },
      <>
        <p class="govuk-body">{t(w('record.intro'))}</p>
        <form method="post" action={bankPath(h.bank, '/record')} novalidate>
          <CsrfField c={c} />
          <MemberSelect
            name="giver"
            label={t(w('record.giver'))}
            options={options}
            values={values}
            errors={errors}
            c={c}
          />
          <MemberSelect
            name="receiver"
            label={t(w('record.receiver'))}
            options={options}
            values={values}
            errors={errors}
            c={c}
          />
          <ExchangeDetails c={c} categories={categories} values={values} errors={errors} askDate />
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
      </>,
    );
  };
  app.get('/time-bank/:bankId/record', (c) => recordPage(c));
  app.post('/time-bank/:bankId/record', async (c) => {
    const values = await formValues(c);
    const read = readExchangeForm(c, recordSchema, values);
    if (!read.ok) return recordPage(c, values, read.errors);
    const { data, minutes } = read;
    const outcome = await inOrganisation(c, async (scope) => {
      const h = await here(c, scope, c.req.param('bankId'));
      if (!h?.coordinator) return null;
      const categories = await listCategories(scope);
      const result = await recordExchange(scope, {
        bankId: h.bank.id,
        parts: [{ giverAccountId: data.giver, receiverAccountId: data.receiver, minutes }],
        whatWasDone: data.whatWasDone,
        categoryId: knownCategory(categories, data.categoryId),
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
    const data = await coordinatorForm(c);
    if (!data) return renderProblem(c, 403);
    const { h, options, categories } = data;
    return page(
      c,
      {
        title: t(w('group.title')),
        errors,
        narrow: true,
        back: { href: bankPath(h.bank), label: h.bank.name },
      },
      <>
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
          <MemberSelect
            name="one"
            label={t(w('group.one'))}
            options={options}
            values={values}
            errors={errors}
            c={c}
          />
          <Checkboxes
            name="many"
            legend={t(w('group.many'))}
            options={options}
            chosen={chosen}
            errors={errors}
            t={t}
          />
          <ExchangeDetails c={c} categories={categories} values={values} errors={errors} askDate />
          <Button>{t(w('group.save'))}</Button>
        </form>
      </>,
    );
  };
  app.get('/time-bank/:bankId/group', (c) => groupPage(c));
  app.post('/time-bank/:bankId/group', async (c) => {
    const t = c.get('t');
    const values = await formValues(c);
    const many = [...new Set(await allValues(c, 'many'))];
    const others = many.filter((m) => m !== values.one);
    const read = readExchangeForm(c, groupSchema, values, {
      also: (errors) => {
        if (others.length === 0) errors.many = t(w('errors.chooseMany'));
        if (others.length > 200) errors.many = t(w('errors.tooMany'));
      },
    });
    if (!read.ok) return groupPage(c, values, read.errors, many);
    const { data, minutes } = read;
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
        categoryId: knownCategory(categories, data.categoryId),
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
    return page(
      c,
      {
        title: t(w('welcome.title')),
        errors,
        narrow: true,
        back: { href: bankPath(h.bank), label: h.bank.name },
      },
      <>
        <p class="govuk-body">{t(w('welcome.intro'))}</p>
        <form method="post" action={bankPath(h.bank, '/welcome')} novalidate>
          <CsrfField c={c} />
          <MemberSelect
            name="member"
            label={t(w('welcome.member'))}
            options={sortByName(members, name, c.get('language')).map((m) => ({
              value: m.id,
              label: name(m),
            }))}
            values={shown}
            errors={errors}
            c={c}
          />
          <TimeInput values={shown} errors={errors} t={t} />
          <TextInput name="whatWasDone" label={t(w('welcome.what'))} values={shown} errors={errors} t={t} />
          <Button>{t(w('welcome.save'))}</Button>
        </form>
      </>,
    );
  };
  app.get('/time-bank/:bankId/welcome', (c) => welcomePage(c));
  app.post('/time-bank/:bankId/welcome', async (c) => {
    const t = c.get('t');
    const values = await formValues(c);
    const read = readExchangeForm(c, welcomeSchema, values);
    if (!read.ok) return welcomePage(c, values, read.errors);
    const { data, minutes } = read;
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
}
