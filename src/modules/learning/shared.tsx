import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { AppEnv } from '../../core/context.ts';
import type { Language } from '../../core/i18n/index.ts';
import type { Can } from '../../core/permissions.ts';
import { ErrorSummary, type FieldErrors } from '../../core/web/forms.tsx';
import { Notice, renderPage } from '../../core/web/layout.tsx';

export const id = 'learning';
export const w = (key: string) => `${id}.${key}`;
export type C = Context<AppEnv>;

/** Who is "the team" for check-ins, the culture compass and reflective spaces: everyone who does the work. */
export const teamRoles = ['coach', 'peer', 'lead', 'admin'] as const;

/** Figures about a group are shown only when at least this many people are in it. */
export const smallestGroup = 5;

export const auditSubject = {
  challenge: 'learning:challenge',
  board: 'learning:board',
  checkIn: 'learning:check-in',
  teamFigures: 'learning:team-figures',
  conversation: 'learning:conversation',
  round: 'learning:culture-round',
  response: 'learning:culture-response',
  series: 'learning:space-series',
  space: 'learning:space',
  entry: 'learning:entry',
  action: 'learning:action',
  topic: 'learning:topic',
  idea: 'learning:idea',
  experiment: 'learning:experiment',
} as const;

export const mayTakePart = (can: Can) => can('take-part', 'learning');
export const mayLead = (can: Can) => can('lead', 'learning');

export function hasErrors(errors: FieldErrors) {
  return Object.keys(errors).length > 0;
}

const notices = new Set([
  'raised',
  'answered',
  'edited',
  'checkedIn',
  'removed',
  'asked',
  'noted',
  'opened',
  'closed',
  'answeredRound',
  'created',
  'saved',
  'proposed',
  'goAhead',
  'withLead',
  'supported',
  'commented',
  'decided',
  'replied',
  'taken',
]);

export function noticeFor(c: C) {
  const key = c.req.query('done') ?? '';
  return notices.has(key) ? c.get('t')(w(`notices.${key}`)) : null;
}

/** A learning page: its title as the heading, the success notice, any form errors (status 400), a way back. */
export function page(
  c: C,
  options: {
    title: string;
    errors?: FieldErrors;
    narrow?: boolean;
    back?: { href: string; label: string };
    status?: 200 | 400 | 404;
  },
  body: Child,
) {
  const t = c.get('t');
  const errors = options.errors ?? {};
  return renderPage(
    c,
    {
      title: options.title,
      hasErrors: hasErrors(errors),
      status: hasErrors(errors) ? 400 : (options.status ?? 200),
      narrow: options.narrow,
    },
    <>
      <Notice text={noticeFor(c)} />
      <ErrorSummary errors={errors} t={t} />
      <h1 class="govuk-heading-l">{options.title}</h1>
      {body}
      {options.back ? (
        <p class="govuk-body">
          <a class="govuk-link" href={options.back.href}>
            {options.back.label}
          </a>
        </p>
      ) : null}
    </>,
  );
}

/** Words kept as typed, with their line breaks, without any markup. */
export function Words({ text, small }: { text: string; small?: boolean }) {
  if (!text) return null;
  return (
    <>
      {text.split(/\n{2,}/).map((paragraph) => (
        <p class={small ? 'govuk-body-s' : 'govuk-body'}>
          {paragraph.split('\n').map((line, index) => (index === 0 ? line : [<br />, line]))}
        </p>
      ))}
    </>
  );
}

const locales: Record<Language, string> = { en: 'en-GB', cy: 'cy-GB' };

export function formatMonth(value: Date, language: Language): string {
  return new Intl.DateTimeFormat(locales[language], {
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/London',
  }).format(value);
}

/** Whole days between two moments, never below zero. */
export function daysBetween(from: Date, to: Date): number {
  return Math.max(0, Math.floor((to.getTime() - from.getTime()) / 86_400_000));
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export const like = (value: string) => `%${value.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
