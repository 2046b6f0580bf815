import { sql } from 'drizzle-orm';
import { audit } from '../../core/audit.ts';
import { rowsOf, type Scope } from '../../core/database/tenancy.ts';
import { isUuid } from '../../core/tokens.ts';
import { auditSubject } from './ledger.ts';

/** Categories (the organisation's own list) and offers and requests. */

export interface Category {
  id: string;
  name: string;
  nameCy: string | null;
}

export async function listCategories(scope: Scope): Promise<Category[]> {
  return rowsOf<Category>(
    scope.tx.execute(sql`select id, name, name_cy as "nameCy" from time_bank_category order by name, id`),
  );
}

export async function createCategory(scope: Scope, name: string, nameCy: string | null): Promise<string> {
  const [row] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`insert into time_bank_category (organisation_id, name, name_cy)
      values (${scope.organisationId}, ${name}, ${nameCy}) returning id`),
  );
  return row!.id;
}

export function categoryName(category: Category | undefined, language: string): string {
  if (!category) return '';
  return (language === 'cy' && category.nameCy) || category.name;
}

export interface Listing {
  id: string;
  bankId: string;
  accountId: string;
  personId: string;
  kind: 'offer' | 'request';
  categoryId: string | null;
  title: string;
  description: string;
  availability: string;
  area: string;
  isOpen: boolean;
  createdAt: Date;
}

const listingColumns = sql`l.id, l.bank_id as "bankId", l.account_id as "accountId", a.person_id as "personId",
  l.kind, l.category_id as "categoryId", l.title, l.description, l.availability, a.area, l.is_open as "isOpen",
  l.created_at as "createdAt"`;

export interface ListingFilter {
  kind?: 'offer' | 'request';
  categoryId?: string;
  area?: string;
  words?: string;
  accountId?: string;
}

const like = (value: string) => `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Open offers and requests in a bank, filtered by kind, category, area and words. */
export async function searchListings(
  scope: Scope,
  bankId: string,
  filter: ListingFilter = {},
): Promise<Listing[]> {
  const conditions = [sql`l.bank_id = ${bankId}`, sql`l.is_open`];
  if (filter.kind) conditions.push(sql`l.kind = ${filter.kind}`);
  if (filter.categoryId && isUuid(filter.categoryId))
    conditions.push(sql`l.category_id = ${filter.categoryId}`);
  if (filter.accountId) conditions.push(sql`l.account_id = ${filter.accountId}`);
  if (filter.area?.trim()) conditions.push(sql`a.area ilike ${like(filter.area.trim())}`);
  if (filter.words?.trim()) {
    const pattern = like(filter.words.trim());
    conditions.push(sql`(l.title ilike ${pattern} or l.description ilike ${pattern})`);
  }
  const rows = await rowsOf<Listing>(
    scope.tx.execute(sql`select ${listingColumns} from time_bank_listing l
      join time_bank_account a on a.id = l.account_id
      where ${sql.join(conditions, sql` and `)} order by l.created_at desc, l.id limit 200`),
  );
  // Whose offers and requests were shown is kept, so each of them can see their name was shown.
  await audit(scope, {
    action: 'read',
    subjectType: auditSubject.listing,
    detail: { count: rows.length, bank: bankId, people: [...new Set(rows.map((row) => row.personId))] },
  });
  return rows.map((row) => ({ ...row, createdAt: new Date(row.createdAt) }));
}

export async function findListing(scope: Scope, listingId: string): Promise<Listing | null> {
  if (!isUuid(listingId)) return null;
  const [row] = await rowsOf<Listing>(
    scope.tx.execute(sql`select ${listingColumns} from time_bank_listing l
      join time_bank_account a on a.id = l.account_id where l.id = ${listingId}`),
  );
  return row ? { ...row, createdAt: new Date(row.createdAt) } : null;
}

export async function createListing(
  scope: Scope,
  input: {
    bankId: string;
    accountId: string;
    personId: string;
    kind: 'offer' | 'request';
    categoryId: string | null;
    title: string;
    description: string;
    availability: string;
  },
): Promise<string> {
  const [row] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`insert into time_bank_listing (organisation_id, bank_id, account_id, kind, category_id,
      title, description, availability)
      values (${scope.organisationId}, ${input.bankId}, ${input.accountId}, ${input.kind}, ${input.categoryId},
        ${input.title}, ${input.description}, ${input.availability}) returning id`),
  );
  await audit(scope, {
    action: 'create',
    subjectType: auditSubject.listing,
    subjectId: row!.id,
    subjectPersonId: input.personId,
    detail: { fields: ['kind', 'title', 'description', 'availability'] },
  });
  return row!.id;
}

export async function closeListing(scope: Scope, listing: Listing): Promise<void> {
  await scope.tx.execute(sql`update time_bank_listing set is_open = false where id = ${listing.id}`);
  await audit(scope, {
    action: 'update',
    subjectType: auditSubject.listing,
    subjectId: listing.id,
    subjectPersonId: listing.personId,
    detail: { fields: ['isOpen'] },
  });
}

/**
 * Whether two accounts have been in an exchange together that counted (even if later corrected): only
 * then is contact shared. A proposal alone does not count, or proposing would reveal anyone's details.
 */
export async function haveExchanged(scope: Scope, a: string, b: string): Promise<boolean> {
  const [row] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`select p.id from time_bank_exchange_part p join time_bank_exchange x on x.id = p.exchange_id
      where x.status in ('counted', 'reversed') and
        ((p.giver_account_id = ${a} and p.receiver_account_id = ${b}) or
         (p.giver_account_id = ${b} and p.receiver_account_id = ${a})) limit 1`),
  );
  return !!row;
}
