import type { Hono } from 'hono';
import { z } from 'zod';
import { audit } from '../../../core/audit.ts';
import type { AppEnv } from '../../../core/context.ts';
import { renderProblem } from '../../../core/web/errors.tsx';
import {
  Button,
  CsrfField,
  type FieldErrors,
  type FormValues,
  formValues,
  parseValues,
  TextInput,
} from '../../../core/web/forms.tsx';
import { LinkList } from '../../../core/web/layout.tsx';
import { allowed, inOrganisation } from '../../../core/web/middleware.ts';
import { listPartnerLinks } from '../across.ts';
import {
  type Account,
  auditSubject,
  createBank,
  exchangesOf,
  findAccounts,
  findBank,
  joinBank,
  listBanks,
  memberAccountsOf,
} from '../ledger.ts';
import { duration, w } from '../views.tsx';

import { ProfileFields, profileSchema } from './members.tsx';
import { accountNames, bankPath, type C, here, page, withPartner } from './shared.tsx';

export const bankSchema = z.object({
  name: z.string({ error: 'errors.required' }).trim().min(1, 'errors.required').max(120, 'errors.tooLong'),
});

/** The list of banks, starting one, a bank's front page and joining it. */
export function bankRoutes(app: Hono<AppEnv>) {
  const banksPage = async (c: C, values: FormValues = {}, errors: FieldErrors = {}) => {
    const t = c.get('t');
    const user = c.get('user')!;
    const banks = await inOrganisation(c, async (scope) => {
      const all = await listBanks(scope);
      const mine = await memberAccountsOf(scope, user.personId);
      return all.map((bank) => ({ bank, me: mine.get(bank.id) ?? null }));
    });
    const canManage = c.get('can')('manage', 'time-bank');
    return page(
      c,
      { title: t(w('banks.title')), errors, notice: true },
      <>
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
    const parsed = parseValues(bankSchema, values, c.get('t'));
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
      const partners = await listPartnerLinks(scope, h.bank.id);
      if (!h.me)
        return {
          h,
          partners,
          waiting: [],
          name: await accountNames(c, scope, []),
          accounts: new Map<string, Account>(),
        };
      const waiting = await exchangesOf(scope, h.me.id, 'proposed');
      const accounts = await findAccounts(
        scope,
        waiting.flatMap((ex) => ex.parts.flatMap((p) => [p.giverAccountId, p.receiverAccountId])),
      );
      await audit(scope, {
        action: 'read',
        subjectType: auditSubject.account,
        subjectId: h.me.id,
        subjectPersonId: h.me.personId,
        detail: { fields: ['balance'] },
      });
      return { h, partners, waiting, name: await accountNames(c, scope, accounts.values()), accounts };
    });
    if (!data) return renderProblem(c, 404);
    const { h, partners, waiting, name, accounts } = data;
    const { bank, me, coordinator } = h;
    return page(
      c,
      { title: bank.name, errors, notice: true },
      <>
        {me ? (
          <>
            <p class="govuk-body-l">
              {t(w('home.balance'))} <strong>{duration(t, me.balanceMinutes, true)}</strong>
            </p>
            <p class="govuk-body">{t(w('home.limit'), { limit: duration(t, bank.overdraftLimitMinutes) })}</p>
            {waiting.length > 0 ? (
              <>
                <h2 class="govuk-heading-m">{t(w('home.waiting'))}</h2>
                <ul class="alongside-card-list">
                  {waiting.map((ex) => {
                    const part = ex.parts[0]!;
                    const shownName = withPartner(c, ex, name);
                    const mine =
                      (part.giverAccountId === me.id && ex.giverConfirmed) ||
                      (part.receiverAccountId === me.id && ex.receiverConfirmed);
                    return (
                      <li>
                        <a class="govuk-link" href={bankPath(bank, `/exchanges/${ex.id}`)}>
                          {t(w('exchange.partText'), {
                            giver: shownName(accounts.get(part.giverAccountId)),
                            receiver: shownName(accounts.get(part.receiverAccountId)),
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
            {partners.length > 0 ? (
              <>
                <h2 class="govuk-heading-m">{t(w('home.partners'))}</h2>
                <LinkList
                  links={partners.map((link) => ({
                    href: bankPath(bank, `/partners/${link.id}`),
                    label: t(w('partners.bankName'), {
                      bank: link.partnerBankName,
                      organisation: link.partnerOrganisationName,
                    }),
                  }))}
                />
              </>
            ) : null}
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
                { href: bankPath(bank, '/partners'), label: t(w('home.partnerBanks')) },
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
    const parsed = parseValues(profileSchema, values, c.get('t'));
    if (!parsed.ok) return bankPage(c, values, parsed.errors);
    const bank = await inOrganisation(c, async (scope) => {
      const found = await findBank(scope, c.req.param('bankId'));
      if (found) await joinBank(scope, found.id, c.get('user')!.personId, parsed.data);
      return found;
    });
    if (!bank) return renderProblem(c, 404);
    return c.redirect(bankPath(bank, '?done=joined'), 303);
  });
}
