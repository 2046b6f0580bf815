import type { Hono } from 'hono';
import { z } from 'zod';
import { audit } from '../../../core/audit.ts';
import type { AppEnv } from '../../../core/context.ts';
import { sortByName } from '../../../core/people.ts';
import { renderProblem } from '../../../core/web/errors.tsx';
import {
  Button,
  Checkboxes,
  CsrfField,
  type FieldErrors,
  type FormValues,
  formValues,
  optionalText,
  parseValues,
  TextArea,
  TextInput,
} from '../../../core/web/forms.tsx';
import { DataTable, LinkList, Summary } from '../../../core/web/layout.tsx';
import { inOrganisation } from '../../../core/web/middleware.ts';
import { auditSubject, findAccount, listAccounts, setAccountFlags, updateProfile } from '../ledger.ts';
import { haveExchanged, searchListings } from '../listings.ts';
import { duration, w } from '../views.tsx';

import { accountNames, allValues, bankPath, type C, here, joinFirst, mayBrowse, page } from './shared.tsx';

export const profileSchema = z.object({
  canOffer: optionalText(1000),
  wouldLike: optionalText(1000),
  area: optionalText(200),
  contact: optionalText(300),
  // One tick box: sent as "yes" when ticked, not sent at all when not.
  shownToPartners: z
    .string()
    .optional()
    .transform((value) => value === 'yes'),
});

export function ProfileFields({ c, values, errors }: { c: C; values: FormValues; errors: FieldErrors }) {
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
      <Checkboxes
        name="shownToPartners"
        legend={t(w('profile.partnersLegend'))}
        hint={t(w('profile.partnersHint'))}
        options={[{ value: 'yes', label: t(w('profile.partners')) }]}
        chosen={values.shownToPartners === 'yes' ? ['yes'] : []}
        errors={errors}
        t={t}
      />
    </>
  );
}

/** A member's own profile, the member directory, a member's page and what a coordinator sets for them. */
export function memberRoutes(app: Hono<AppEnv>) {
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
      shownToPartners: h.me.shownToPartners ? 'yes' : '',
    };
    return page(
      c,
      {
        title: t(w('profile.title')),
        errors,
        narrow: true,
        notice: true,
        back: { href: bankPath(h.bank), label: h.bank.name },
      },
      <form method="post" action={bankPath(h.bank, '/profile')} novalidate>
        <CsrfField c={c} />
        <ProfileFields c={c} values={shown} errors={errors} />
        <Button>{t(w('profile.save'))}</Button>
      </form>,
    );
  };
  app.get('/time-bank/:bankId/profile', (c) => profilePage(c));
  app.post('/time-bank/:bankId/profile', async (c) => {
    const values = await formValues(c);
    const parsed = parseValues(profileSchema, values, c.get('t'));
    if (!parsed.ok) return profilePage(c, values, parsed.errors);
    const h = await inOrganisation(c, async (scope) => {
      const found = await here(c, scope, c.req.param('bankId'));
      if (found?.me) await updateProfile(scope, found.me, parsed.data);
      return found;
    });
    if (!h?.me) return renderProblem(c, 404);
    return c.redirect(bankPath(h.bank, '/profile?done=saved'), 303);
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
    return page(
      c,
      { title: t(w('members.title')), back: { href: bankPath(h.bank), label: h.bank.name } },
      <DataTable
        caption={t(w('members.caption'), { count: members.length })}
        columns={[
          { label: t(w('members.name')) },
          { label: t(w('profile.canOffer')) },
          { label: t(w('profile.wouldLike')) },
          { label: t(w('profile.area')) },
        ]}
        rows={sortByName(members, name, c.get('language')).map((m) => [
          <a class="govuk-link" href={bankPath(h.bank, `/members/${m.id}`)}>
            {name(m)}
          </a>,
          m.canOffer || '—',
          m.wouldLike || '—',
          m.area || '—',
        ])}
      />,
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
    return page(
      c,
      {
        title: name(member),
        notice: true,
        back: { href: bankPath(h.bank, '/members'), label: t(w('members.title')) },
      },
      <>
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
      </>,
    );
  });

  app.post('/time-bank/:bankId/members/:accountId/flags', async (c) => {
    const flags = await allValues(c, 'flags');
    const outcome = await inOrganisation(c, async (scope) => {
      const h = await here(c, scope, c.req.param('bankId'));
      const member = await findAccount(scope, c.req.param('accountId'));
      if (!h?.coordinator || !member || member.bankId !== h.bank.id || member.kind !== 'member') return null;
      await setAccountFlags(scope, member, {
        recordedByCoordinator: flags.includes('offline'),
        isCoordinator: flags.includes('coordinator'),
      });
      return { h, member };
    });
    if (!outcome) return renderProblem(c, 404);
    return c.redirect(bankPath(outcome.h.bank, `/members/${outcome.member.id}?done=saved`), 303);
  });
}
