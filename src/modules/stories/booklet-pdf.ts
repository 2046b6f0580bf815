import type { Language, Translate } from '../../core/i18n/index.ts';
import { startPdf } from '../../core/pdf.ts';
import { formatDate } from '../../core/web/format.ts';

/** A story as a booklet prints it: the recorded version's words, with the author's chosen name. */
export interface PrintedStory {
  title: string;
  words: string;
  language: Language;
  byline: string;
  picture: { type: string; bytes: Uint8Array; description: string } | null;
}

export interface PrintedBooklet {
  title: string;
  introduction: string;
  language: Language;
  organisation: string;
  madeAt: Date;
  stories: PrintedStory[];
}

const pdfLanguage = (language: Language) => (language === 'cy' ? 'cy-GB' : 'en-GB');

/**
 * The booklet as a tagged A4 PDF: a cover, the contents with page numbers, then each story from a new
 * page, its picture with the description beside it (pdfkit draws PNG and JPEG; a WebP picture is
 * named by its description alone), every story marked with its own language. Drawn twice: once to
 * learn where each story starts, once with those pages in the contents.
 */
export async function bookletPdf(booklet: PrintedBooklet, t: Translate): Promise<Buffer> {
  const first = await draw(booklet, t, null);
  return (await draw(booklet, t, first.starts)).pdf;
}

async function draw(
  booklet: PrintedBooklet,
  t: Translate,
  pages: number[] | null,
): Promise<{ pdf: Buffer; starts: number[] }> {
  const { document, done } = startPdf({
    size: 'A4',
    margin: 60,
    pdfVersion: '1.7',
    tagged: true,
    displayTitle: true,
    lang: pdfLanguage(booklet.language),
    info: { Title: booklet.title, Author: booklet.organisation },
  } as PDFKit.PDFDocumentOptions);
  let page = 1;
  document.on('pageAdded', () => {
    page += 1;
  });
  const left = 60;
  const width = () => document.page.width - 120;
  const root = document.struct('Document');
  document.addStructure(root);
  type Struct = PDFKit.PDFStructureElement;
  const heading = (parent: Struct, level: number, text: string, size: number, lang?: Language) =>
    parent.add(
      document.struct(`H${level}`, lang ? { lang: pdfLanguage(lang) } : {}, () => {
        document.font('bold').fontSize(size).text(text, left, undefined, { width: width() });
      }),
    );
  const paragraph = (parent: Struct, text: string, size = 11, lang?: Language) =>
    parent.add(
      document.struct('P', lang ? { lang: pdfLanguage(lang) } : {}, () => {
        document.font('body').fontSize(size).text(text, left, undefined, { width: width(), lineGap: 2 });
      }),
    );

  // The cover.
  const cover = document.struct('Sect');
  root.add(cover);
  document.moveDown(8);
  heading(cover, 1, booklet.title, 26);
  document.moveDown();
  paragraph(cover, booklet.organisation, 14);
  paragraph(cover, formatDate(booklet.madeAt, booklet.language), 12);
  if (booklet.introduction.trim()) {
    document.moveDown(2);
    for (const part of booklet.introduction.split(/\n\s*\n/).filter((p) => p.trim())) {
      paragraph(cover, part.trim(), 12);
      document.moveDown(0.5);
    }
  }
  cover.end();

  // The contents.
  document.addPage();
  const contents = document.struct('Sect');
  root.add(contents);
  heading(contents, 2, t('stories.booklet.contents'), 18);
  document.moveDown();
  const list = document.struct('L');
  contents.add(list);
  booklet.stories.forEach((story, index) => {
    const item = document.struct('LI');
    list.add(item);
    item.add(
      document.struct('LBody', { lang: pdfLanguage(story.language) }, () => {
        const number = pages?.[index];
        document
          .font('body')
          .fontSize(12)
          .text(
            `${story.title}${number ? ` — ${t('stories.booklet.page', { page: number })}` : ''}`,
            left,
            undefined,
            {
              width: width(),
              goTo: pages ? `story-${index + 1}` : undefined,
            } as PDFKit.Mixins.TextOptions,
          );
        document.moveDown(0.3);
      }),
    );
    item.end();
  });
  list.end();
  if (booklet.stories.length === 0) paragraph(contents, t('stories.booklet.empty'));
  contents.end();

  // One story a page or more.
  const starts: number[] = [];
  booklet.stories.forEach((story, index) => {
    document.addPage();
    starts.push(page);
    document.addNamedDestination(`story-${index + 1}`);
    document.outline.addItem(story.title);
    const part = document.struct('Sect', { lang: pdfLanguage(story.language) });
    root.add(part);
    heading(part, 2, story.title, 18, story.language);
    paragraph(part, story.byline, 11, booklet.language);
    document.moveDown();
    if (story.picture) {
      const drawable = story.picture.type === 'image/png' || story.picture.type === 'image/jpeg';
      if (drawable) {
        part.add(
          document.struct('Figure', { alt: story.picture.description }, () => {
            document.image(Buffer.from(story.picture!.bytes), left, undefined, {
              fit: [width(), 300],
            });
          }),
        );
        document.moveDown(0.5);
      }
      paragraph(
        part,
        drawable
          ? story.picture.description
          : `${t('stories.booklet.pictureElsewhere')} ${story.picture.description}`,
        10,
        story.language,
      );
      document.moveDown();
    }
    for (const words of story.words.split(/\n\s*\n/).filter((p) => p.trim())) {
      paragraph(part, words.trim(), 12, story.language);
      document.moveDown(0.6);
    }
    part.end();
  });
  root.end();
  document.end();
  return { pdf: await done, starts };
}
