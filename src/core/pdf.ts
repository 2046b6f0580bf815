import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';

const fonts = createRequire(import.meta.url);
/** DejaVu Sans has every letter Welsh needs (ŵ, ŷ and the rest), which pdfkit's built-in fonts lack. */
const bodyFont = fonts.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const boldFont = fonts.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

/**
 * A new PDF document with our two fonts registered as `body` and `bold`, and the whole file as a
 * Buffer once `document.end()` is called: the one way every module starts a PDF.
 */
export function startPdf(options: PDFKit.PDFDocumentOptions & { lang?: string }): {
  document: PDFKit.PDFDocument;
  done: Promise<Buffer>;
} {
  const document = new PDFDocument(options as PDFKit.PDFDocumentOptions);
  document.registerFont('body', bodyFont);
  document.registerFont('bold', boldFont);
  const chunks: Buffer[] = [];
  document.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => document.on('end', () => resolve(Buffer.concat(chunks))));
  return { document, done };
}
