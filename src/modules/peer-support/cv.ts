import { startPdf } from '../../core/pdf.ts';

export interface PrintableCv {
  title: string;
  /** en-GB or cy-GB, for screen readers. */
  language: string;
  sections: { heading: string; lines: string[] }[];
  footer: string;
}

/** "My volunteering CV": a plain A4 page or two a peer can hand to an employer. Empty sections are left out. */
export function cvPdf(cv: PrintableCv): Promise<Buffer> {
  const { document, done } = startPdf({
    size: 'A4',
    margin: 56,
    info: { Title: cv.title },
    lang: cv.language,
  } as PDFKit.PDFDocumentOptions);
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
