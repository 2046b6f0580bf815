import { startPdf } from '../../core/pdf.ts';

/** Statements as PDF, for printing for members without internet (CSV is the core's `csv.ts`). */

export interface PrintableStatement {
  title: string;
  lines: string[];
  columns: string[];
  rows: string[][];
  footer: string;
  /** The language the statement is written in, for screen readers and hyphenation: en-GB or cy-GB. */
  language: string;
}

/**
 * Column widths on A4 (495 points between the margins): date, what was done, with, change, balance.
 * The date in words ("22 September 2026") and the figures ("−100 hours 59 minutes") and their Welsh
 * take at most two lines.
 */
export const columnWidths = [80, 140, 95, 90, 90];

/**
 * A plain A4 statement, large enough type to read. A row never splits across pages: if it would not
 * fit, the page breaks before it, and the column headings are repeated at the top of each page.
 */
export function statementPdf(statement: PrintableStatement): Promise<Buffer> {
  const { document, done } = startPdf({
    size: 'A4',
    margin: 50,
    info: { Title: statement.title },
    lang: statement.language,
    bufferPages: false,
  } as PDFKit.PDFDocumentOptions);
  document.font('bold').fontSize(18).text(statement.title);
  document.moveDown(0.5);
  document.font('body').fontSize(12);
  for (const line of statement.lines) document.text(line);
  document.moveDown();
  const bottom = () => document.page.height - document.page.margins.bottom;
  const heightOf = (cells: string[], font: 'body' | 'bold') => {
    document.font(font).fontSize(10);
    return Math.max(
      ...cells.map((cell, index) =>
        document.heightOfString(cell, { width: (columnWidths[index] ?? 60) - 6 }),
      ),
    );
  };
  const draw = (cells: string[], font: 'body' | 'bold') => {
    const y = document.y;
    const height = heightOf(cells, font);
    let x = document.page.margins.left;
    document.font(font).fontSize(10);
    cells.forEach((cell, index) => {
      const width = columnWidths[index] ?? 60;
      // Figures line up on the right, as in the table on screen.
      document.text(cell, x, y, { width: width - 6, align: index >= 3 ? 'right' : 'left', lineBreak: true });
      x += width;
    });
    document.x = document.page.margins.left;
    document.y = y + height + 4;
  };
  const headings = () => draw(statement.columns, 'bold');
  headings();
  for (const cells of statement.rows) {
    if (document.y + heightOf(cells, 'body') > bottom()) {
      document.addPage();
      headings();
    }
    draw(cells, 'body');
  }
  document.moveDown();
  document.font('body').fontSize(10).text(statement.footer, document.page.margins.left);
  document.end();
  return done;
}
