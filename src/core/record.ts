import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import { audit } from './audit.ts';
import type { Scope } from './database/tenancy.ts';
import type { Translate } from './i18n/index.ts';
import type { AlongsideModule } from './module.ts';
import { findPerson } from './people.ts';
import { formatDateTime } from './web/format.ts';

/**
 * Everything held about one person, gathered from the core and every module's `exportPerson`: the
 * subject access export the person downloads for themselves, as JSON (complete) and PDF (readable).
 */
export async function gatherRecord(
  scope: Scope,
  modules: AlongsideModule[],
  personId: string,
): Promise<Record<string, unknown>> {
  const person = await findPerson(scope, personId);
  const record: Record<string, unknown> = {
    exportedAt: new Date().toISOString(),
    person: person
      ? { calledName: person.calledName, fullName: person.fullName, email: person.email, roles: person.roles }
      : null,
  };
  for (const module of modules) {
    if (module.exportPerson) record[module.id] = await module.exportPerson(scope, personId);
  }
  await audit(scope, {
    action: 'export',
    subjectType: 'person',
    subjectId: personId,
    subjectPersonId: personId,
    detail: { modules: modules.filter((m) => m.exportPerson).map((m) => m.id) },
  });
  return record;
}

const fontPath = createRequire(import.meta.url).resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const boldFontPath = createRequire(import.meta.url).resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

/** "talkedAbout" → "Talked about", for keys a catalogue has no words for. */
function humanise(key: string): string {
  const words = key
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[-_]/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const isoDate = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
/** Internal ids mean nothing to a reader; the JSON keeps them, the PDF leaves them out. */
const isId = (key: string) => key === 'id' || /[a-z]Id$/.test(key);
/** A value that is a code (`working-on`, `someone-else`), worded by the module under `record.values`. */
const isCode = /^[a-z]+(?:-[a-z]+)*$/;

/**
 * The same record as a plain, readable A4 document: every section and field in order, nothing left
 * out, dates in the reader's language. Labels come from `record.<key>` in the catalogues when a
 * module words them, otherwise from the field's own name.
 */
export function recordPdf(
  record: Record<string, unknown>,
  options: { t: Translate; language: 'en' | 'cy'; title: string; intro: string },
): Promise<Buffer> {
  const { t, language } = options;
  const document = new PDFDocument({
    size: 'A4',
    margin: 50,
    info: { Title: options.title },
    lang: language === 'cy' ? 'cy-GB' : 'en-GB',
  } as PDFKit.PDFDocumentOptions);
  document.registerFont('body', fontPath);
  document.registerFont('bold', boldFontPath);
  const chunks: Buffer[] = [];
  document.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => document.on('end', () => resolve(Buffer.concat(chunks))));
  const label = (module: string, key: string) =>
    t(`${module}.record.${key}`, { defaultValue: t(`record.${key}`, { defaultValue: humanise(key) }) });
  const show = (value: unknown, module = ''): string => {
    if (value === null || value === undefined || value === '') return '—';
    if (typeof value === 'string' && isCode.test(value) && module)
      return t(`${module}.record.values.${value}`, {
        defaultValue: t(`record.values.${value}`, { defaultValue: value }),
      });
    if (value instanceof Date) return formatDateTime(value, language);
    if (typeof value === 'string' && isoDate.test(value)) return formatDateTime(new Date(value), language);
    if (typeof value === 'boolean') return t(value ? 'record.yes' : 'record.no');
    return String(value);
  };
  const write = (module: string, value: unknown, depth: number) => {
    const indent = 50 + depth * 14;
    const width = document.page.width - indent - 50;
    if (Array.isArray(value)) {
      if (value.length === 0)
        document.font('body').fontSize(10).text(t('record.none'), indent, undefined, { width });
      value.forEach((item, index) => {
        if (item && typeof item === 'object') {
          if (index > 0) document.moveDown(0.4);
          write(module, item, depth);
        } else
          document
            .font('body')
            .fontSize(10)
            .text(`• ${show(item, module)}`, indent, undefined, { width });
      });
      return;
    }
    if (value && typeof value === 'object' && !(value instanceof Date)) {
      for (const [key, inner] of Object.entries(value)) {
        if (isId(key)) continue;
        if (inner && typeof inner === 'object' && !(inner instanceof Date)) {
          document.font('bold').fontSize(10).text(label(module, key), indent, undefined, { width });
          write(module, inner, depth + 1);
        } else {
          document
            .font('bold')
            .fontSize(10)
            .text(`${label(module, key)}: `, indent, undefined, { width, continued: true })
            .font('body')
            .text(show(inner, module));
        }
      }
      return;
    }
    document.font('body').fontSize(10).text(show(value), indent, undefined, { width });
  };
  document.font('bold').fontSize(18).text(options.title);
  document.font('body').fontSize(11).text(options.intro);
  for (const [section, value] of Object.entries(record)) {
    if (value && typeof value === 'object' && Object.keys(value).length === 0) continue;
    document.moveDown();
    document
      .font('bold')
      .fontSize(14)
      .text(
        t(`${section}.record.title`, {
          defaultValue: t(`record.sections.${section}`, { defaultValue: humanise(section) }),
        }),
        50,
      );
    write(section, value, 0);
  }
  document.end();
  return done;
}
