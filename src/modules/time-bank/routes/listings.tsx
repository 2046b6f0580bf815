import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../../core/context.ts';
import { namesOf } from '../../../core/people.ts';
import { renderProblem } from '../../../core/web/errors.tsx';
import {
  Button,
  CsrfField,
  type FieldErrors,
  type FormValues,
  formValues,
  optionalText,
  parseValues,
  Radios,
  Select,
  TextArea,
  TextInput,
} from '../../../core/web/forms.tsx';
import { inOrganisation } from '../../../core/web/middleware.ts';
import {
  categoryName,
  closeListing,
  createListing,
  findListing,
  listCategories,
  searchListings,
} from '../listings.ts';
import { w } from '../views.tsx';
import { knownCategory } from './exchange-form.tsx';
import { bankPath, type C, categoryOptions, here, joinFirst, mayBrowse, page } from './shared.tsx';

const listingSchema = z.object({
  kind: z.enum(['offer', 'request'], { error: 'time-bank.errors.chooseKind' }),
  title: z.string({ error: 'errors.required' }).trim().min(1, 'errors.required').max(120, 'errors.tooLong'),
  description: optionalText(2000),
  availability: optionalText(300),
  categoryId: z.string().default(''),
});

/** Offers and requests: finding them, putting one up and taking it down. */
export function listingRoutes(app: Hono<AppEnv>) {
  // Offers and requests: search by kind, category, area and words.
  app.get('/time-bank/:bankId/listings', async (c) => {
    const t = c.get('t');
    const query = c.req.query();
    const filter = {
      kind:
        query.kind === 'offer' || query.kind === 'request' ? (query.kind as 'offer' | 'request') : undefined,
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
    return page(
      c,
      { title: t(w('listings.title')), notice: true, back: { href: bankPath(h.bank), label: h.bank.name } },
      <>
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
    return page(
      c,
      {
        title: t(w('listings.newTitle')),
        errors,
        narrow: true,
        back: { href: bankPath(h.bank), label: h.bank.name },
      },
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
      </form>,
    );
  };
  app.get('/time-bank/:bankId/listings/new', (c) => newListingPage(c));
  app.post('/time-bank/:bankId/listings', async (c) => {
    const values = await formValues(c);
    const parsed = parseValues(listingSchema, values, c.get('t'));
    if (!parsed.ok) return newListingPage(c, values, parsed.errors);
    const outcome = await inOrganisation(c, async (scope) => {
      const h = await here(c, scope, c.req.param('bankId'));
      if (!h?.me) return null;
      const categories = await listCategories(scope);
      const categoryId = knownCategory(categories, parsed.data.categoryId);
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
}
