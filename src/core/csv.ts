/** CSV files people download (statements, reports): safe to open in a spreadsheet, Welsh letters intact. */

/** Text a person typed (a name, what was done): the only cells that may need defusing. */
export interface Typed {
  typed: string;
}

export const typed = (text: string): Typed => ({ typed: text });

export type CsvValue = string | number | Typed;

/** Characters that make a spreadsheet treat a cell as a formula when they come first. */
const formulaStarts = new Set(['=', '+', '-', '@', '\t', '\r']);

/**
 * One CSV cell, quoted when needed. Text people typed that starts like a formula is defused with a
 * leading apostrophe so a spreadsheet never runs it; the app's own values (dates, numbers, words from
 * the catalogue) are written as they are.
 */
export function csvCell(value: CsvValue): string {
  let text: string;
  if (typeof value === 'object') {
    text = value.typed;
    if (formulaStarts.has(text.charAt(0))) text = `'${text}`;
  } else {
    text = String(value);
  }
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A whole file, starting with a byte order mark so spreadsheet programs read Welsh letters as UTF-8. */
export function toCsv(rows: CsvValue[][]): string {
  return `\uFEFF${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
