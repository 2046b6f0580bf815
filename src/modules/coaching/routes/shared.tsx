import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { AppEnv } from '../../../core/context.ts';
import type { Scope } from '../../../core/database/tenancy.ts';
import { checkWording, type WordingSuggestion } from '../../../core/language-guard/index.ts';
import { findPersonFor } from '../../../core/people.ts';
import { formatDate, formatDateTime } from '../../../core/web/format.ts';
import { ErrorSummary, type FieldErrors, type FormValues } from '../../../core/web/forms.tsx';
import { needsWordingPause } from '../../../core/web/language-guard.tsx';
import { Notice, renderPage } from '../../../core/web/layout.tsx';
import { inOrganisation } from '../../../core/web/middleware.ts';
import { type Support, supportOf } from '../support.ts';
import { w } from '../words.ts';

export type C = Context<AppEnv>;

/**
 * Whose record a page is about, and who is looking. The same pages serve the person (under `/me`)
 * and the coach team (under `/coaching/people/:personId`); `team` decides what a viewer may see,
 * such as entries hidden from the person.
 */
export interface Whose {
  personId: string;
  calledName: string;
  base: string;
  self: boolean;
  team: boolean;
  support: Support | null;
}

export const recordSubject = 'coaching-record';

/** The two places the person's pages live. */
export const prefixes = ['/me', '/coaching/people/:personId'] as const;

export async function whose(c: C, scope: Scope): Promise<Whose | null> {
  const user = c.get('user')!;
  const can = c.get('can');
  const param = c.req.param('personId');
  if (!param) {
    // Everyone may keep their own space; a coach's own record is theirs, not the team's.
    return {
      personId: user.personId,
      calledName: user.calledName,
      base: '/me',
      self: true,
      team: false,
      support: await supportOf(scope, user.personId),
    };
  }
  if (!can('read', recordSubject)) return null;
  // One after the other: a transaction is one connection, which runs one query at a time. Only someone
  // this coach's teams reach is found (src/core/teams.ts); anyone else is not there for them.
  const person = await findPersonFor(scope, param);
  const support = person ? await supportOf(scope, param) : null;
  if (!person || !support) return null;
  return {
    personId: person.id,
    calledName: person.calledName,
    base: `/coaching/people/${person.id}`,
    self: false,
    team: true,
    support,
  };
}

/** A coach opening their own record through the team's address goes to their own space instead. */
export function ownRecordThroughTeam(c: C): boolean {
  return c.req.param('personId') === c.get('user')?.personId;
}

export function when(c: C, value: Date) {
  return formatDateTime(value, c.get('language'));
}

export function day(c: C, value: string | Date) {
  return formatDate(value, c.get('language'));
}

const noticeKeys = [
  'saved',
  'goalAdded',
  'reached',
  'letGo',
  'working',
  'stepAdded',
  'scaleAdded',
  'rated',
  'entryAdded',
  'responded',
  'hidden',
  'shown',
  'started',
  'invited',
  'supportChanged',
  'recorded',
  'handedOver',
] as const;

export function noticeFor(c: C): string | null {
  const done = c.req.query('done');
  const count = Math.max(0, Number.parseInt(c.req.query('count') ?? '0', 10) || 0);
  return done && (noticeKeys as readonly string[]).includes(done)
    ? c.get('t')(w(`notices.${done}`), { count })
    : null;
}

/** The tabs across the top of every page of a person's record. */
function RecordTabs({ c, who, current }: { c: C; who: Whose; current: string }) {
  const t = c.get('t');
  const tabs = [
    ['', 'overview'],
    ['/about-me', 'aboutMe'],
    ['/goals', 'goals'],
    ['/where-i-am', 'whereIAm'],
    ['/everything', 'everything'],
  ] as const;
  return (
    <nav class="alongside-tabs" aria-label={t(w('tabs.label'))}>
      <ul class="alongside-tabs__list">
        {tabs.map(([path, key]) => (
          <li class="alongside-tabs__item">
            <a
              class="govuk-link alongside-tabs__link"
              href={`${who.base}${path}`}
              aria-current={current === key ? 'page' : undefined}
            >
              {t(w(`tabs.${who.self ? 'mine' : 'theirs'}.${key}`))}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** A page of someone's record: who it is about (for the team), the tabs, the notice, the errors. */
export function recordPage(
  c: C,
  who: Whose,
  options: { title: string; current: string; errors?: FieldErrors; status?: 200 | 400 },
  body: Child,
) {
  const t = c.get('t');
  const errors = options.errors ?? {};
  const hasErrors = Object.keys(errors).length > 0;
  return renderPage(
    c,
    { title: options.title, hasErrors, status: options.status ?? (hasErrors ? 400 : 200) },
    <>
      {who.team ? (
        <p class="govuk-caption-m">
          <a class="govuk-link" href="/coaching">
            {t(w('coach.title'))}
          </a>
          {' › '}
          <bdi>{who.calledName}</bdi>
        </p>
      ) : null}
      <RecordTabs c={c} who={who} current={options.current} />
      <Notice text={noticeFor(c)} />
      <ErrorSummary errors={errors} t={t} />
      <h1 class="govuk-heading-l">{options.title}</h1>
      {body}
    </>,
  );
}

/** A page number from the query string: 1 unless a sensible whole number was given. */
export function pageNumber(c: C): number {
  const page = Number(c.req.query('page') ?? '1');
  return Number.isInteger(page) && page >= 1 && page <= 100_000 ? page : 1;
}

/** Who wrote something, in the reader's words: "you", "you with Sam", "Sam", "Sam with you". */
export function writtenBy(
  c: C,
  who: Whose,
  writerId: string | null,
  names: Map<string, string>,
  withCoach = false,
): string {
  const t = c.get('t');
  const viewer = c.get('user')!.personId;
  if (writerId === who.personId && writerId === viewer) return t(w('by.you'));
  if (writerId === viewer) return withCoach ? t(w('by.youWith'), { name: who.calledName }) : t(w('by.you'));
  const name = (writerId && names.get(writerId)) || t(w('by.someone'));
  if (writerId === who.personId) return name;
  return withCoach && who.self ? t(w('by.withYou'), { name }) : name;
}

/**
 * The language guard for free text staff write about a person: on the team's door only (a person's
 * own words about themselves are theirs). Null when there is nothing to pause for.
 */
export async function staffWordingPause(
  c: C,
  values: FormValues,
  texts: Record<string, string>,
): Promise<Record<string, WordingSuggestion[]> | null> {
  if (!c.req.param('personId')) return null;
  const found = await inOrganisation(c, (scope) => checkWording(scope, c.get('language'), texts));
  return needsWordingPause(values, found) ? found : null;
}
