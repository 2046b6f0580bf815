import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../../core/context.ts';
import { renderProblem } from '../../../core/web/errors.tsx';
import {
  Button,
  CsrfField,
  type FieldErrors,
  type FormValues,
  formValues,
  optionalText,
  parseValues,
  Select,
  TextInput,
} from '../../../core/web/forms.tsx';
import { inOrganisation } from '../../../core/web/middleware.ts';
import { agreeLink, askLink, listBanks, listLinks, updateBank } from '../ledger.ts';
import { categoryName, createCategory, listCategories } from '../listings.ts';
import { w } from '../views.tsx';

import { bankSchema } from './banks.tsx';
import { bankPath, type C, here, page } from './shared.tsx';

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
  categoryNameCy: optionalText(80),
});

/** A bank's settings, the organisation's categories, and links between banks. */
export function settingsRoutes(app: Hono<AppEnv>) {
  // Settings: name, overdraft limit and the organisation's categories.
  /** `values` are what was typed into whichever form was sent; the other form shows what is saved. */
  const settingsPage = async (
    c: C,
    sent?: { form: 'settings' | 'category'; values: FormValues },
    errors: FieldErrors = {},
  ) => {
    const t = c.get('t');
    const data = await inOrganisation(c, async (scope) => {
      const h = await here(c, scope, c.req.param('bankId')!);
      return h?.coordinator ? { h, categories: await listCategories(scope) } : null;
    });
    if (!data) return renderProblem(c, 403);
    const { h, categories } = data;
    // Categories are the organisation's, shared by all its banks: only its managers add to them.
    const manager = c.get('can')('manage', 'time-bank');
    const shown =
      sent?.form === 'settings'
        ? sent.values
        : { name: h.bank.name, overdraftHours: String(h.bank.overdraftLimitMinutes / 60) };
    const category = sent?.form === 'category' ? sent.values : {};
    return page(
      c,
      {
        title: t(w('settings.title')),
        errors,
        narrow: true,
        notice: true,
        back: { href: bankPath(h.bank), label: h.bank.name },
      },
      <>
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
              values={category}
              errors={errors}
              t={t}
            />
            <TextInput
              name="categoryNameCy"
              label={t(w('settings.categoryNameCy'))}
              values={category}
              errors={errors}
              t={t}
            />
            <Button secondary>{t(w('settings.addCategory'))}</Button>
          </form>
        ) : (
          <p class="govuk-body">{t(w('settings.categoriesByManagers'))}</p>
        )}
      </>,
    );
  };
  app.get('/time-bank/:bankId/settings', (c) => settingsPage(c));
  app.post('/time-bank/:bankId/settings', async (c) => {
    const values = await formValues(c);
    const parsed = parseValues(settingsSchema, values, c.get('t'));
    if (!parsed.ok) return settingsPage(c, { form: 'settings', values }, parsed.errors);
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
    const parsed = parseValues(categorySchema, values, c.get('t'));
    const sent = { form: 'category' as const, values };
    if (!parsed.ok) return settingsPage(c, sent, parsed.errors);
    const h = await inOrganisation(c, async (scope) => {
      const found = await here(c, scope, c.req.param('bankId'));
      if (!found?.coordinator) return null;
      // The same name twice would be two categories nobody could tell apart in a list.
      const same = (a: string, b: string | null) => !!b && a.toLocaleLowerCase() === b.toLocaleLowerCase();
      const { categoryName: name, categoryNameCy: nameCy } = parsed.data;
      const existing = await listCategories(scope);
      if (existing.some((one) => same(name, one.name))) return { found, taken: 'categoryName' as const };
      if (nameCy && existing.some((one) => same(nameCy, one.nameCy)))
        return { found, taken: 'categoryNameCy' as const };
      await createCategory(scope, name, nameCy || null);
      return { found, taken: null };
    });
    if (!h) return renderProblem(c, 403);
    if (h.taken) return settingsPage(c, sent, { [h.taken]: c.get('t')(w('errors.categoryTaken')) });
    return c.redirect(bankPath(h.found.bank, '/settings?done=saved'), 303);
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
    return page(
      c,
      { title: t(w('links.title')), notice: true, back: { href: bankPath(h.bank), label: h.bank.name } },
      <>
        <p class="govuk-body">{t(w('links.intro'))}</p>
        <p class="govuk-body">
          <a class="govuk-link" href={bankPath(h.bank, '/partners')}>
            {t(w('links.otherOrganisations'))}
          </a>
        </p>
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
}
