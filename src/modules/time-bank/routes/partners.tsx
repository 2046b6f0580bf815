import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../../core/context.ts';
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
import { LinkList } from '../../../core/web/layout.tsx';
import { inOrganisation } from '../../../core/web/middleware.ts';
import {
  AlreadyLinked,
  enterLinkCode,
  findPartnerLink,
  listPartnerLinks,
  makeLinkCode,
  membersSeen,
  type PartnerLink,
  partnerMembers,
  proposeAcross,
} from '../across.ts';
import { timeFields, w, whatWasDone } from '../views.tsx';
import {
  chosenMember,
  DirectionAndMember,
  dateField,
  ExchangeDetails,
  readExchangeForm,
} from './exchange-form.tsx';
import { bankPath, type C, explain, here, page } from './shared.tsx';

const codeSchema = z.object({
  code: z
    .string({ error: 'time-bank.errors.codeRequired' })
    .trim()
    .min(1, 'time-bank.errors.codeRequired')
    .max(40, 'time-bank.problems.badCode'),
});

const proposalSchema = z.object({
  direction: z.enum(['gave', 'received'], { error: 'time-bank.errors.chooseDirection' }),
  other: chosenMember,
  ...timeFields,
  whatWasDone,
  happenedOn: dateField,
});

const partnerLabel = (link: PartnerLink) => `${link.partnerBankName} (${link.partnerOrganisationName})`;

/**
 * Banks of other organisations: a coordinator makes a code, the other organisation's coordinator
 * enters it; members who chose to be seen can then be found and exchanged with from either bank.
 */
export function partnerRoutes(app: Hono<AppEnv>) {
  const partnersPage = async (
    c: C,
    values: FormValues = {},
    errors: FieldErrors = {},
    code?: { code: string; expiresAt: Date },
  ) => {
    const t = c.get('t');
    const data = await inOrganisation(c, async (scope) => {
      const h = await here(c, scope, c.req.param('bankId')!);
      if (!h?.coordinator) return null;
      return {
        h,
        links: await listPartnerLinks(scope, h.bank.id),
        seen: await membersSeen(scope, h.bank.id),
      };
    });
    if (!data) return renderProblem(c, 403);
    const { h, links, seen } = data;
    return page(
      c,
      {
        title: t(w('partners.title')),
        errors,
        notice: true,
        back: { href: bankPath(h.bank, '/links'), label: t(w('links.title')) },
      },
      <>
        <p class="govuk-body">{t(w('partners.intro'))}</p>
        <p class="govuk-body" id="members-seen">
          {t(w('partners.seen'), { count: seen })}
        </p>
        {links.length === 0 ? (
          <p class="govuk-body">{t(w('partners.none'))}</p>
        ) : (
          <LinkList
            links={links.map((link) => ({
              href: bankPath(h.bank, `/partners/${link.id}`),
              label: partnerLabel(link),
              hint: t(w('partners.since'), { date: formatDate(new Date(link.agreedAt), c.get('language')) }),
            }))}
          />
        )}
        {code ? (
          <div class="govuk-panel alongside-code-panel" id="link-code">
            <h2 class="govuk-heading-m">{t(w('partners.codeTitle'))}</h2>
            <p class="govuk-body-l">
              <strong>{code.code}</strong>
            </p>
            <p class="govuk-body">
              {t(w('partners.codeHelp'), { date: formatDate(code.expiresAt, c.get('language')) })}
            </p>
          </div>
        ) : null}
        <h2 class="govuk-heading-m">{t(w('partners.makeTitle'))}</h2>
        <p class="govuk-body">{t(w('partners.makeIntro'))}</p>
        <form method="post" action={bankPath(h.bank, '/partners/code')} novalidate>
          <CsrfField c={c} />
          <Button secondary>{t(w('partners.make'))}</Button>
        </form>
        <h2 class="govuk-heading-m">{t(w('partners.enterTitle'))}</h2>
        <p class="govuk-body">{t(w('partners.enterIntro'))}</p>
        <form method="post" action={bankPath(h.bank, '/partners')} novalidate>
          <CsrfField c={c} />
          <TextInput
            name="code"
            label={t(w('partners.code'))}
            hint={t(w('partners.codeHint'))}
            values={values}
            errors={errors}
            t={t}
          />
          <Button>{t(w('partners.enter'))}</Button>
        </form>
      </>,
    );
  };
  app.get('/time-bank/:bankId/partners', (c) => partnersPage(c));

  // The code is shown once, on the answer to the post: only its hash is kept.
  app.post('/time-bank/:bankId/partners/code', async (c) => {
    const secretKey = c.get('services').config.secretKey;
    const made = await inOrganisation(c, async (scope) => {
      const h = await here(c, scope, c.req.param('bankId'));
      return h?.coordinator ? makeLinkCode(scope, h.bank, secretKey) : null;
    });
    if (!made) return renderProblem(c, 403);
    c.header('Cache-Control', 'no-store');
    return partnersPage(c, {}, {}, made);
  });

  app.post('/time-bank/:bankId/partners', async (c) => {
    const t = c.get('t');
    const values = await formValues(c);
    const parsed = parseValues(codeSchema, values, t);
    if (!parsed.ok) return partnersPage(c, values, parsed.errors);
    const secretKey = c.get('services').config.secretKey;
    const outcome = await inOrganisation(c, async (scope) => {
      const h = await here(c, scope, c.req.param('bankId'));
      if (!h?.coordinator) return null;
      return { h, result: await enterLinkCode(scope, h.bank, parsed.data.code, secretKey) };
    }).catch((error) => {
      if (error instanceof AlreadyLinked) return 'already' as const;
      throw error;
    });
    if (outcome === 'already') return partnersPage(c, values, { code: t(w('problems.alreadyLinked')) });
    if (!outcome) return renderProblem(c, 403);
    if (!outcome.result.ok) return partnersPage(c, values, { code: t(w('problems.badCode')) });
    return c.redirect(bankPath(outcome.h.bank, `/partners/${outcome.result.value.id}?done=linked`), 303);
  });

  // A partner bank's members who chose to be seen, with a way to propose an exchange with one.
  const partnerPage = async (c: C, values?: FormValues, errors: FieldErrors = {}) => {
    const t = c.get('t');
    const data = await inOrganisation(c, async (scope) => {
      const h = await here(c, scope, c.req.param('bankId')!);
      if (!h || (!h.me && !h.coordinator)) return null;
      const link = await findPartnerLink(scope, h.bank.id, c.req.param('linkId')!);
      if (!link) return null;
      return { h, link, members: await partnerMembers(scope, link) };
    });
    if (!data) return renderProblem(c, 404);
    const { h, link, members } = data;
    const shown: FormValues = values ?? { other: c.req.query('with') ?? '' };
    return page(
      c,
      {
        title: partnerLabel(link),
        errors,
        notice: true,
        back: { href: bankPath(h.bank), label: h.bank.name },
      },
      <>
        <p class="govuk-body">{t(w('partners.membersIntro'))}</p>
        {members.length === 0 ? <p class="govuk-body">{t(w('partners.noMembers'))}</p> : null}
        <ul class="alongside-card-list" id="partner-members">
          {members.map((m) => (
            <li>
              <h2 class="govuk-heading-s govuk-!-margin-bottom-1">{m.name}</h2>
              {m.area ? <p class="govuk-body-s govuk-!-margin-bottom-1">{m.area}</p> : null}
              {m.canOffer ? (
                <p class="govuk-body-s govuk-!-margin-bottom-1">
                  {t(w('profile.canOffer'))}: {m.canOffer}
                </p>
              ) : null}
              {m.wouldLike ? (
                <p class="govuk-body-s govuk-!-margin-bottom-0">
                  {t(w('profile.wouldLike'))}: {m.wouldLike}
                </p>
              ) : null}
            </li>
          ))}
        </ul>
        {h.me && members.length > 0 && !h.me.shownToPartners ? (
          <div class="govuk-inset-text" id="choose-to-be-seen">
            {t(w('problems.notShown'))}{' '}
            <a class="govuk-link" href={bankPath(h.bank, '/profile')}>
              {t(w('home.profile'))}
            </a>
          </div>
        ) : null}
        {h.me?.shownToPartners && members.length > 0 ? (
          <>
            <h2 class="govuk-heading-m">{t(w('partners.proposeTitle'))}</h2>
            <p class="govuk-body">{t(w('partners.proposeIntro'))}</p>
            <form method="post" action={bankPath(h.bank, `/partners/${link.id}/exchanges`)} novalidate>
              <CsrfField c={c} />
              <DirectionAndMember
                c={c}
                members={members.map((m) => ({ value: m.accountId, label: m.name }))}
                values={shown}
                errors={errors}
              />
              {/* Categories are each organisation's own, so an exchange across has none. */}
              <ExchangeDetails c={c} values={shown} errors={errors} askDate />
              <Button>{t(w('propose.send'))}</Button>
            </form>
          </>
        ) : null}
      </>,
    );
  };
  app.get('/time-bank/:bankId/partners/:linkId', (c) => partnerPage(c));

  app.post('/time-bank/:bankId/partners/:linkId/exchanges', async (c) => {
    const values = await formValues(c);
    const read = readExchangeForm(c, proposalSchema, values);
    if (!read.ok) return partnerPage(c, values, read.errors);
    const { data, minutes } = read;
    const outcome = await inOrganisation(c, async (scope) => {
      const h = await here(c, scope, c.req.param('bankId'));
      if (!h?.me) return null;
      const link = await findPartnerLink(scope, h.bank.id, c.req.param('linkId'));
      if (!link) return null;
      const result = await proposeAcross(scope, {
        link,
        me: h.me,
        partnerAccountId: data.other,
        direction: data.direction,
        minutes,
        whatWasDone: data.whatWasDone,
        happenedOn: data.happenedOn || null,
      });
      return { h, result, message: await explain(c, scope, result) };
    });
    if (!outcome) return renderProblem(c, 404);
    if (!outcome.result.ok) {
      const problem = outcome.result.problem;
      const field = problem === 'bad-minutes' || problem === 'overdraft' ? 'hours' : 'other';
      const message =
        problem === 'overdraft' && !outcome.result.detail
          ? c.get('t')(w('problems.overdraftPartner'))
          : outcome.message;
      return partnerPage(c, values, { [field]: message });
    }
    return c.redirect(bankPath(outcome.h.bank, `/exchanges/${outcome.result.value}?done=proposed`), 303);
  });
}
