import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { AppEnv } from '../context.ts';
import { ErrorSummary, type FieldErrors } from './forms.tsx';
import { Notice, renderPage } from './layout.tsx';

/**
 * A module's page of one task: its title as the heading, a success notice (unless the form came back
 * with mistakes), the form's errors summarised first (and status 400 then), and a link back at the end.
 */
export function taskPage(
  c: Context<AppEnv>,
  options: {
    title: string;
    errors?: FieldErrors;
    narrow?: boolean;
    back?: { href: string; label: string };
    notice?: string | null;
  },
  body: Child,
) {
  const t = c.get('t');
  const errors = options.errors ?? {};
  const hasErrors = Object.keys(errors).length > 0;
  return renderPage(
    c,
    { title: options.title, hasErrors, status: hasErrors ? 400 : 200, narrow: options.narrow },
    <>
      {!hasErrors && options.notice ? <Notice text={options.notice} /> : null}
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
