import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { AppEnv } from '../../../core/context.ts';
import type { Scope } from '../../../core/database/tenancy.ts';
import type { Translate } from '../../../core/i18n/index.ts';
import { findPerson } from '../../../core/people.ts';
import { canReach } from '../../../core/teams.ts';
import type { FieldErrors } from '../../../core/web/forms.tsx';
import { taskPage } from '../../../core/web/page.tsx';
import type { BudgetProblem, Outcome, RequestStatus } from '../budget.ts';
import { formatPence, type PenceProblem, parsePence } from '../money.ts';

export type C = Context<AppEnv>;

export const id = 'personal-budget';
/** A key in this module's catalogue. */
export const w = (key: string) => `${id}.${key}`;

/** What the signed-in person may do with one person's budget. */
export function rights(c: C, personId: string) {
  const can = c.get('can');
  const target = { personId };
  return {
    read: can('read', id, target),
    ask: can('ask', id, target),
    spend: can('spend', id, target),
    /** Approve, ask a question, decline, override, top up, open, correct: the leads. */
    lead: can('approve', id),
    own: c.get('user')?.personId === personId,
  };
}

const amountKeys: Record<PenceProblem, string> = {
  empty: 'errors.amountEmpty',
  format: 'errors.amountFormat',
  negative: 'errors.amountNegative',
  decimals: 'errors.amountDecimals',
  zero: 'errors.amountZero',
  'too-big': 'errors.amountTooBig',
};

/** Reads an amount field into pence, or puts a kind message beside it. */
/**
 * Teams decide whose budgets a coach or lead works with (src/core/teams.ts); roles decide first, so
 * someone whose role gives no budget but their own still gets "you cannot do that" from `rights`.
 */
export async function reachedHere(c: C, scope: Scope, personId: string): Promise<boolean> {
  const me = c.get('user')!.personId;
  if (personId === me || !c.get('can')('read', 'personal-budget')) return true;
  return canReach(scope, me, personId);
}

/** A person whose budget pages are asked for, if they are anyone here this person may reach. */
export async function personHere(c: C, scope: Scope, personId: string) {
  const person = await findPerson(scope, personId);
  return person && (await reachedHere(c, scope, person.id)) ? person : null;
}

export function readAmount(
  t: Translate,
  typed: string | undefined,
  field: string,
  errors: FieldErrors,
  options: { allowZero?: boolean } = {},
): number | null {
  const parsed = parsePence(typed ?? '', options);
  if (parsed.ok) return parsed.pence;
  errors[field] = t(w(amountKeys[parsed.problem]));
  return null;
}

/** Words someone typed: required (or not), at most `max` characters, with the message beside the field. */
export function readWords(
  t: Translate,
  typed: string | undefined,
  field: string,
  errors: FieldErrors,
  options: { required?: string; max?: number } = {},
): string {
  const words = (typed ?? '').trim();
  const max = options.max ?? 1000;
  if (!words && options.required) errors[field] = t(w(options.required));
  else if (words.length > max) errors[field] = t('errors.tooLong', { max });
  return words;
}

export const problemKeys: Record<BudgetProblem, string> = {
  'not-found': 'problems.notFound',
  'no-budget': 'problems.noBudget',
  'already-open': 'problems.alreadyOpen',
  'not-waiting': 'problems.notWaiting',
  'not-approved': 'problems.notApproved',
  'no-question': 'problems.noQuestion',
  'own-request': 'problems.ownRequest',
  'over-balance': 'errors.overBalance',
  'over-approved': 'errors.overApproved',
  'already-corrected': 'problems.alreadyCorrected',
};

export function explain(t: Translate, outcome: Outcome, amountPence = 0): string {
  if (outcome.ok) return '';
  return t(w(problemKeys[outcome.problem]), {
    free: formatPence(Math.max(outcome.freePence ?? 0, 0)),
    amount: formatPence(amountPence),
  });
}

const notices: Record<string, string> = {
  asked: 'notices.asked',
  approved: 'notices.approved',
  questioned: 'notices.questioned',
  answered: 'notices.answered',
  declined: 'notices.declined',
  withdrawn: 'notices.withdrawn',
  spent: 'notices.spent',
  opened: 'notices.opened',
  toppedUp: 'notices.toppedUp',
  corrected: 'notices.corrected',
  saved: 'notices.saved',
};

export const statusTags: Record<RequestStatus, string> = {
  asked: 'govuk-tag--blue',
  question: 'govuk-tag--yellow',
  approved: 'govuk-tag--green',
  spent: 'govuk-tag--grey',
  withdrawn: 'govuk-tag--grey',
  declined: 'govuk-tag--red',
};

export function StatusTag({ t, status }: { t: Translate; status: RequestStatus }) {
  return <strong class={`govuk-tag ${statusTags[status]}`}>{t(w(`status.${status}`))}</strong>;
}

export function budgetPath(personId: string, rest = '') {
  return `/budget/people/${personId}${rest}`;
}

export function requestPath(requestId: string, rest = '') {
  return `/budget/requests/${requestId}${rest}`;
}

/**
 * A budget page: its title as the heading, the success notice named by `?done=`, any form errors
 * (status 400 then) and a link back at the end.
 */
export function page(
  c: C,
  options: { title: string; errors?: FieldErrors; narrow?: boolean; back?: { href: string; label: string } },
  body: Child,
) {
  const notice = notices[c.req.query('done') ?? ''];
  return taskPage(c, { ...options, notice: notice ? c.get('t')(w(notice)) : null }, body);
}
