import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { AppEnv } from '../../core/context.ts';
import type { Language, Translate } from '../../core/i18n/index.ts';
import type { WordingSuggestion } from '../../core/language-guard/index.ts';
import { ErrorSummary, type FieldErrors, type FormValues, TextArea } from '../../core/web/forms.tsx';
import { Notice, renderPage } from '../../core/web/layout.tsx';
import type { Barrier, BarrierSystem } from './barriers.ts';
import { systemName } from './barriers.ts';

export const id = 'barriers';
export const w = (key: string) => `${id}.${key}`;
export type C = Context<AppEnv>;

export const limits = { whatHappened: 2000, effect: 2000, words: 1000, systemName: 80 };

export function hasErrors(errors: FieldErrors) {
  return Object.keys(errors).length > 0;
}

/**
 * A text area for what staff write about a person. `data-language-guard` lets the core's language
 * guard find it and suggest person-first words; the page works the same without it.
 */
/** Free text staff write about a person: the core's text area, watched by the language guard. */
export function GuardedTextArea(props: {
  name: string;
  label: string;
  hint?: string;
  values?: FormValues;
  errors?: FieldErrors;
  wording?: Record<string, WordingSuggestion[]>;
  t: Translate;
  rows?: number;
}) {
  return <TextArea {...props} rows={props.rows ?? 4} wording={props.wording ?? {}} />;
}

/** Written words as they were typed, line breaks kept, long words wrapped on a phone. */
export function Words({ text }: { text: string }) {
  return <p class="govuk-body alongside-pre govuk-!-margin-bottom-0">{text}</p>;
}

const locales: Record<Language, string> = { en: 'en-GB', cy: 'cy-GB' };

/** "March 2026" from `2026-03`, in the reader's language. */
export function monthName(month: string, language: Language): string {
  const [year, number] = month.split('-').map(Number);
  return new Intl.DateTimeFormat(locales[language], {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(year!, number! - 1, 1)));
}

export function systemOptions(c: C, systems: BarrierSystem[], current: string | null, empty?: string) {
  const language = c.get('language');
  return [
    ...(empty !== undefined ? [{ value: '', label: empty }] : []),
    // Hidden systems are not offered for new barriers, but one a barrier already names stays choosable.
    ...systems
      .filter((s) => !s.isHidden || s.id === current)
      .map((s) => ({ value: s.id, label: systemName(s, language) })),
  ];
}

export function nameOfSystem(c: C, systems: BarrierSystem[], barrier: Pick<Barrier, 'systemId'>) {
  return systemName(
    systems.find((s) => s.id === barrier.systemId),
    c.get('language'),
  );
}

/** A status as a tag with its word: the word carries the meaning, the tag's colour only repeats it. */
export function StatusTag({ status, t }: { status: Barrier['status']; t: Translate }) {
  const colour = { open: 'govuk-tag--yellow', challenged: 'govuk-tag--blue', changed: 'govuk-tag--green' }[
    status
  ];
  return <strong class={`govuk-tag ${colour}`}>{t(w(`status.${status}`))}</strong>;
}

export const notices: Record<string, string> = {
  recorded: 'notices.recorded',
  saved: 'notices.saved',
  status: 'notices.status',
  consentYes: 'notices.consentYes',
  consentNo: 'notices.consentNo',
  systemAdded: 'notices.systemAdded',
  systemSaved: 'notices.systemSaved',
  systemDeleted: 'notices.systemDeleted',
  systemInUse: 'notices.systemInUse',
};

/**
 * A barriers page: its title as the heading, the success notice named by `?done=`, any form errors
 * (status 400 then) and a link back at the end.
 */
export function page(
  c: C,
  options: {
    title: string;
    errors?: FieldErrors;
    narrow?: boolean;
    back?: { href: string; label: string };
    caption?: string;
  },
  body: Child,
) {
  const t = c.get('t');
  const errors = options.errors ?? {};
  const notice = notices[c.req.query('done') ?? ''];
  return renderPage(
    c,
    {
      title: options.title,
      hasErrors: hasErrors(errors),
      status: hasErrors(errors) ? 400 : 200,
      narrow: options.narrow,
    },
    <>
      <Notice text={notice ? t(w(notice)) : null} />
      <ErrorSummary errors={errors} t={t} />
      {options.caption ? <span class="govuk-caption-l">{options.caption}</span> : null}
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
