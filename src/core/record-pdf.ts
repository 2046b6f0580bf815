import type { Language, Translate } from './i18n/index.ts';
import { startPdf } from './pdf.ts';
import {
  ForMachines,
  RecordCode,
  RecordDay,
  type RecordDocument,
  RecordDuration,
  RecordMoney,
  type RecordSection,
} from './record.ts';
import { formatDate, formatDateTime } from './web/format.ts';

/** "talkedAbout" → "Talked about": only for a field a catalogue has no words for (a test keeps there none). */
function humanise(key: string): string {
  const words = key
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[-_]/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Internal ids mean nothing to a reader; the JSON keeps them, the PDF leaves them out. */
const isId = (key: string) => key === 'id' || /[a-z]Id$/.test(key);

/** A value drawn on one line after its label, as opposed to a group of fields or a list. */
const isLeaf = (value: unknown) =>
  value === null ||
  typeof value !== 'object' ||
  value instanceof Date ||
  value instanceof RecordCode ||
  value instanceof RecordMoney ||
  value instanceof RecordDuration ||
  value instanceof RecordDay;

type Struct = PDFKit.PDFStructureElement;

export interface RecordPdfOptions {
  t: Translate;
  language: Language;
  title: string;
  intro: string;
  /** Told of every catalogue key the document needed and did not find (tests keep this empty). */
  onMissing?: (key: string) => void;
}

/**
 * The same record as a plain, readable A4 document: every section and field in order, nothing left
 * out but internal ids, every label and heading from the catalogues in the reader's language, money
 * in pounds, time in hours and minutes, dates in UK time. It is a tagged PDF (headings, paragraphs
 * and lists in a structure tree, with the document's language) so that screen readers can read it.
 */
export function recordPdf(record: RecordDocument, options: RecordPdfOptions): Promise<Buffer> {
  const { t, language } = options;
  const { document, done } = startPdf({
    size: 'A4',
    margin: 50,
    pdfVersion: '1.7',
    tagged: true,
    displayTitle: true,
    lang: language === 'cy' ? 'cy-GB' : 'en-GB',
    info: { Title: options.title, Subject: t('record.pageTitle') },
  } as PDFKit.PDFDocumentOptions);

  const missing = '\u0000missing';
  const find = (...keys: string[]): string | null => {
    for (const key of keys) {
      const found = t(key, { defaultValue: missing }) as string;
      if (found !== missing) return found;
    }
    return null;
  };
  const label = (module: string, key: string) => {
    const found = find(...(module ? [`${module}.myRecord.fields.${key}`] : []), `record.fields.${key}`);
    if (found !== null) return found;
    options.onMissing?.(module ? `${module}.myRecord.fields.${key}` : `record.fields.${key}`);
    return humanise(key);
  };
  const show = (value: unknown): string => {
    if (value === null || value === undefined || value === '') return '—';
    if (value instanceof RecordCode) return value.label;
    if (value instanceof RecordMoney || value instanceof RecordDuration) return value.text;
    if (value instanceof RecordDay) return formatDate(value.date, language);
    if (value instanceof Date) return formatDateTime(value, language);
    if (typeof value === 'boolean') return t(value ? 'record.yes' : 'record.no');
    return String(value);
  };

  const left = 50;
  const widthAt = (indent: number) => document.page.width - indent - 50;
  const heading = (parent: Struct, level: number, text: string, indent: number) => {
    const size = [18, 15, 12, 11, 10.5, 10.5][level - 1]!;
    parent.add(
      document.struct(`H${level}`, {}, () => {
        document
          .font('bold')
          .fontSize(size)
          .text(text, indent, undefined, { width: widthAt(indent) });
      }),
    );
  };
  const paragraph = (parent: Struct, text: string, indent: number, size = 10) => {
    parent.add(
      document.struct('P', {}, () => {
        document
          .font('body')
          .fontSize(size)
          .text(text, indent, undefined, { width: widthAt(indent) });
      }),
    );
  };
  const field = (parent: Struct, name: string, value: string, indent: number) => {
    parent.add(
      document.struct('P', {}, () => {
        document
          .font('bold')
          .fontSize(10)
          .text(`${name}: `, indent, undefined, { width: widthAt(indent), continued: true })
          .font('body')
          .text(value);
      }),
    );
  };

  const writeFields = (parent: Struct, module: string, value: object, depth: number) => {
    const indent = left + Math.min(depth, 4) * 12;
    for (const [key, inner] of Object.entries(value)) {
      if (isId(key) || inner === undefined || inner instanceof ForMachines) continue;
      // Inside an item, nothing written is left unsaid rather than shown as a dash; a section's own
      // fields always show, so "My goals: None" still says there are none.
      if (depth > 0 && (inner === null || inner === '' || (Array.isArray(inner) && inner.length === 0)))
        continue;
      if (isLeaf(inner)) {
        field(parent, label(module, key), show(inner), indent);
        continue;
      }
      heading(parent, Math.min(3 + depth, 6), label(module, key), indent);
      writeValue(parent, module, inner, depth + 1);
    }
  };
  const writeValue = (parent: Struct, module: string, value: unknown, depth: number) => {
    const indent = left + Math.min(depth, 4) * 12;
    if (!Array.isArray(value)) {
      writeFields(parent, module, value as object, depth);
      return;
    }
    if (value.length === 0) {
      paragraph(parent, t('record.none'), indent);
      return;
    }
    const list = document.struct('L');
    parent.add(list);
    value.forEach((item, index) => {
      const entry = document.struct('LI');
      list.add(entry);
      const body = document.struct('LBody');
      entry.add(body);
      if (isLeaf(item)) {
        body.add(() => {
          document
            .font('body')
            .fontSize(10)
            .text(`• ${show(item)}`, indent, undefined, { width: widthAt(indent) });
        });
      } else {
        if (index > 0) document.moveDown(0.5);
        writeFields(body, module, item as object, depth);
      }
      body.end();
      entry.end();
    });
    list.end();
  };

  const root = document.struct('Document');
  document.addStructure(root);
  heading(root, 1, options.title, left);
  paragraph(root, options.intro, left, 11);
  paragraph(root, t('record.downloaded', { when: formatDateTime(record.exportedAt, language) }), left, 11);

  const section = (title: string, module: string, value: RecordSection | null) => {
    const part = document.struct('Sect');
    root.add(part);
    document.moveDown();
    heading(part, 2, title, left);
    if (value === null) paragraph(part, t('record.none'), left);
    else writeFields(part, module, value, 0);
    part.end();
  };
  section(t('record.sections.person'), '', record.person);
  for (const [module, value] of record.sections) {
    const title = find(`${module}.myRecord.title`);
    if (title === null) options.onMissing?.(`${module}.myRecord.title`);
    section(title ?? humanise(module), module, value);
  }
  root.end();
  document.end();
  return done;
}
