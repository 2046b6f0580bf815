import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';

/** Statements as files: CSV for spreadsheets, PDF for printing for members without internet. */

/** One CSV cell: quoted when needed, and a leading = + - @ defused so a spreadsheet never runs it. */
export function csvCell(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(rows: (string | number)[][]): string {
  return `${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

// DejaVu Sans has every Welsh letter (ŵ, ŷ and the rest), and ships as a TTF in an npm package.
const fontPath = createRequire(import.meta.url).resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const boldFontPath = createRequire(import.meta.url).resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

export interface PrintableStatement {
  title: string;
  lines: string[];
  columns: string[];
  rows: string[][];
  footer: string;
}

/** A plain A4 statement, large enough type to read, with the table written as lines of text. */
export function statementPdf(statement: PrintableStatement): Promise<Buffer> {
  const document = new PDFDocument({
    size: 'A4',
    margin: 50,
    info: { Title: statement.title },
    lang: 'en-GB',
  } as PDFKit.PDFDocumentOptions);
  document.registerFont('body', fontPath);
  document.registerFont('bold', boldFontPath);
  const chunks: Buffer[] = [];
  document.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => document.on('end', () => resolve(Buffer.concat(chunks))));
  document.font('bold').fontSize(18).text(statement.title);
  document.moveDown(0.5);
  document.font('body').fontSize(12);
  for (const line of statement.lines) document.text(line);
  document.moveDown();
  const widths = [80, 195, 110, 55, 55];
  const row = (cells: string[], font: 'body' | 'bold') => {
    const y = document.y;
    let x = document.page.margins.left;
    let height = 0;
    document.font(font).fontSize(10);
    cells.forEach((cell, index) => {
      const width = widths[index] ?? 60;
      height = Math.max(height, document.heightOfString(cell, { width: width - 6 }));
      document.text(cell, x, y, { width: width - 6 });
      x += width;
    });
    document.x = document.page.margins.left;
    document.y = y + height + 4;
    if (document.y > document.page.height - 80) document.addPage();
  };
  row(statement.columns, 'bold');
  for (const cells of statement.rows) row(cells, 'body');
  document.moveDown();
  document.font('body').fontSize(10).text(statement.footer, document.page.margins.left);
  document.end();
  return done;
}
