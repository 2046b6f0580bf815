import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';

// DejaVu Sans has every Welsh letter (ŵ, ŷ and the rest), as the time bank's statements use.
const fontPath = createRequire(import.meta.url).resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const boldFontPath = createRequire(import.meta.url).resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

export interface PrintableCv {
  title: string;
  /** en-GB or cy-GB, for screen readers. */
  language: string;
  sections: { heading: string; lines: string[] }[];
  footer: string;
}

/** "My volunteering CV": a plain A4 page or two a peer can hand to an employer. Empty sections are left out. */
export function cvPdf(cv: PrintableCv): Promise<Buffer> {
  const document = new PDFDocument({
    size: 'A4',
    margin: 56,
    info: { Title: cv.title },
    lang: cv.language,
  } as PDFKit.PDFDocumentOptions);
  document.registerFont('body', fontPath);
  document.registerFont('bold', boldFontPath);
  const chunks: Buffer[] = [];
  document.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => document.on('end', () => resolve(Buffer.concat(chunks))));
  document.font('bold').fontSize(20).text(cv.title);
  document.moveDown(0.5);
  for (const section of cv.sections) {
    if (!section.lines.length) continue;
    document.moveDown(0.5);
    document.font('bold').fontSize(13).text(section.heading);
    document.moveDown(0.2);
    document.font('body').fontSize(11);
    for (const line of section.lines) document.text(line, { paragraphGap: 4 });
  }
  document.moveDown();
  document.font('body').fontSize(9).text(cv.footer);
  document.end();
  return done;
}
