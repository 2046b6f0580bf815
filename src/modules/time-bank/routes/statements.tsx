import type { Hono } from 'hono';
import { audit } from '../../../core/audit.ts';
import type { AppEnv } from '../../../core/context.ts';
import { toCsv, typed } from '../../../core/csv.ts';
import type { Scope } from '../../../core/database/tenancy.ts';
import { findPerson } from '../../../core/people.ts';
import { renderProblem } from '../../../core/web/errors.tsx';
import { formatDate } from '../../../core/web/format.ts';
import { DataTable } from '../../../core/web/layout.tsx';
import { inOrganisation } from '../../../core/web/middleware.ts';
import { type Account, auditSubject, findAccount, findAccounts, statement } from '../ledger.ts';
import { statementPdf } from '../statement-files.ts';
import { duration, w } from '../views.tsx';

import { accountNames, bankPath, type C, here, page, withPartner } from './shared.tsx';

/** Lines on one screen of a statement; the CSV and PDF always hold every line. */
export const statementPageSize = 100;

async function statementRows(
  c: C,
  scope: Scope,
  account: Account,
  format: 'html' | 'csv' | 'pdf',
  pageNumber = 1,
) {
  const t = c.get('t');
  // One line more than a screen holds tells whether there are earlier lines to page to.
  const lines = await statement(
    scope,
    account.id,
    format === 'html' ? { limit: statementPageSize + 1, offset: (pageNumber - 1) * statementPageSize } : {},
  );
  const counterparties = await findAccounts(
    scope,
    lines.flatMap((line) => (line.counterpartyAccountId ? [line.counterpartyAccountId] : [])),
  );
  const name = await accountNames(c, scope, counterparties.values());
  // A file taken away is an export, not a look at a screen.
  await audit(scope, {
    action: format === 'html' ? 'read' : 'export',
    subjectType: auditSubject.statement,
    subjectId: account.id,
    subjectPersonId: account.personId,
    detail: { lines: lines.length, format },
  });
  return lines.map((line) => {
    // Hours given as a peer say so, on screen and in the CSV and PDF files alike.
    const what =
      line.kind === 'peer-hours' ? t(w('peerHours.statement'), { what: line.whatWasDone }) : line.whatWasDone;
    return {
      ...line,
      withName: withPartner(c, line, name)(counterparties.get(line.counterpartyAccountId ?? '')),
      what: line.isReversal ? t(w('statement.reversal'), { what }) : what,
    };
  });
}

/** Statements: my own, or a member's for their coordinator, on screen, as CSV and as PDF. */
export function statementRoutes(app: Hono<AppEnv>) {
  // Statements: my own, or a member's for their coordinator, on screen, as CSV and as PDF.
  const statementFor = async (c: C, which: 'mine' | 'member', format: 'html' | 'csv' | 'pdf') => {
    const t = c.get('t');
    const asked = Number.parseInt(c.req.query('page') ?? '1', 10);
    const pageNumber = Number.isSafeInteger(asked) && asked >= 1 && asked <= 100_000 ? asked : 1;
    const data = await inOrganisation(c, async (scope) => {
      const h = await here(c, scope, c.req.param('bankId')!);
      if (!h) return null;
      const account =
        which === 'mine' ? h.me : h.coordinator ? await findAccount(scope, c.req.param('accountId')!) : null;
      if (!account || account.bankId !== h.bank.id || account.kind !== 'member') return null;
      const person = await findPerson(scope, account.personId!);
      return { h, account, person, rows: await statementRows(c, scope, account, format, pageNumber) };
    });
    if (!data) return renderProblem(c, 404);
    const { h, account, person } = data;
    // Past the last page (an old link, say): the statement starts again from the newest lines.
    if (format === 'html' && pageNumber > 1 && data.rows.length === 0)
      return c.redirect(
        which === 'mine'
          ? bankPath(h.bank, '/statement')
          : bankPath(h.bank, `/members/${account.id}/statement`),
        303,
      );
    const hasEarlier = format === 'html' && data.rows.length > statementPageSize;
    // Newest first on screen, so the earliest fetched line is the one a screen leaves for the next.
    const rows = hasEarlier ? data.rows.slice(1) : data.rows;
    const title = t(w('statement.title'), { name: person?.calledName ?? '', bank: h.bank.name });
    const columns = ['date', 'what', 'with', 'change', 'balance'].map((k) => t(w(`statement.${k}`)));
    const fileName = `statement-${new Date().toISOString().slice(0, 10)}`;
    // Dates in words, as everywhere a person reads them: on screen, on paper and in the spreadsheet.
    const day = (isoDate: string) => formatDate(isoDate, c.get('language'));
    if (format === 'csv') {
      c.header('Content-Type', 'text/csv; charset=utf-8');
      c.header('Content-Disposition', `attachment; filename="${fileName}.csv"`);
      c.header('Cache-Control', 'no-store');
      // Figures as plain numbers (minutes, and hours to two places) a spreadsheet can add up, then the
      // same in words; only what people typed is defused, never the app's own values.
      const hours = (minutes: number) => Math.round((minutes / 60) * 100) / 100;
      return c.body(
        toCsv([
          ['date', 'what', 'with', 'changeMinutes', 'changeHours', 'balanceMinutes', 'balanceHours'].map(
            (k) => t(w(`statement.csvColumns.${k}`)),
          ),
          ...rows.map((r) => [
            day(r.happenedOn),
            typed(r.what),
            typed(r.withName),
            r.minutes,
            hours(r.minutes),
            r.balanceAfter,
            hours(r.balanceAfter),
          ]),
        ]),
      );
    }
    if (format === 'pdf') {
      const pdf = await statementPdf({
        title,
        lines: [
          t(w('statement.balanceNow'), { balance: duration(t, account.balanceMinutes, true) }),
          t(w('statement.printed'), { date: formatDate(new Date(), c.get('language')) }),
        ],
        columns,
        rows: rows.map((r) => [
          day(r.happenedOn),
          r.what,
          r.withName,
          duration(t, r.minutes, true),
          duration(t, r.balanceAfter, true),
        ]),
        footer: t(w('statement.footer')),
        language: c.get('language') === 'cy' ? 'cy-GB' : 'en-GB',
      });
      c.header('Content-Type', 'application/pdf');
      c.header('Content-Disposition', `inline; filename="${fileName}.pdf"`);
      c.header('Cache-Control', 'no-store');
      return c.body(new Uint8Array(pdf));
    }
    const base =
      which === 'mine'
        ? bankPath(h.bank, '/statement')
        : bankPath(h.bank, `/members/${account.id}/statement`);
    return page(
      c,
      { title, back: { href: bankPath(h.bank), label: h.bank.name } },
      <>
        <p class="govuk-body-l">
          {t(w('home.balance'))} <strong>{duration(t, account.balanceMinutes, true)}</strong>
        </p>
        <p class="govuk-body">
          <a class="govuk-link" href={`${base}.csv`}>
            {t(w('statement.csv'))}
          </a>
          {' · '}
          <a class="govuk-link" href={`${base}.pdf`}>
            {t(w('statement.pdf'))}
          </a>
        </p>
        {rows.length === 0 ? (
          <p class="govuk-body">{t(w('statement.none'))}</p>
        ) : (
          <DataTable
            caption={t(w('statement.caption'))}
            scrollHint={t(w('statement.scrollHint'))}
            columns={columns.map((label, i) => ({ label, numeric: i >= 3, oneLine: i === 0 || i >= 3 }))}
            rows={[...rows]
              .reverse()
              .map((r) => [
                day(r.happenedOn),
                r.what,
                r.withName,
                duration(t, r.minutes, true),
                duration(t, r.balanceAfter, true),
              ])}
          />
        )}
        {pageNumber > 1 || hasEarlier ? (
          <nav class="govuk-pagination" aria-label={t(w('statement.pages'))}>
            {pageNumber > 1 ? (
              <div class="govuk-pagination__prev">
                <a
                  class="govuk-link govuk-pagination__link"
                  href={`${base}?page=${pageNumber - 1}`}
                  rel="prev"
                >
                  <span class="govuk-pagination__link-title">{t(w('statement.later'))}</span>
                </a>
              </div>
            ) : null}
            {hasEarlier ? (
              <div class="govuk-pagination__next">
                <a
                  class="govuk-link govuk-pagination__link"
                  href={`${base}?page=${pageNumber + 1}`}
                  rel="next"
                >
                  <span class="govuk-pagination__link-title">{t(w('statement.earlier'))}</span>
                </a>
              </div>
            ) : null}
          </nav>
        ) : null}
      </>,
    );
  };
  app.get('/time-bank/:bankId/statement', (c) => statementFor(c, 'mine', 'html'));
  app.get('/time-bank/:bankId/statement.csv', (c) => statementFor(c, 'mine', 'csv'));
  app.get('/time-bank/:bankId/statement.pdf', (c) => statementFor(c, 'mine', 'pdf'));
  app.get('/time-bank/:bankId/members/:accountId/statement', (c) => statementFor(c, 'member', 'html'));
  app.get('/time-bank/:bankId/members/:accountId/statement.csv', (c) => statementFor(c, 'member', 'csv'));
  app.get('/time-bank/:bankId/members/:accountId/statement.pdf', (c) => statementFor(c, 'member', 'pdf'));
}
