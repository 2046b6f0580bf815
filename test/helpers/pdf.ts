import { inflateSync } from 'node:zlib';

/**
 * A small PDF reader for tests of the PDFs pdfkit writes: the text of every page as lines, the text
 * inside each marked-content tag (H1, H2, P, LBody, …) in order, and the raw dictionaries, so a test
 * can read a PDF the way a person or a screen reader would. It understands what pdfkit writes (flate
 * streams, embedded fonts with a ToUnicode map, hex strings in TJ and Tj), not every PDF there is.
 */
export interface ReadPdf {
  /** Every line of text, page by page, in drawing order. */
  lines: string[];
  /** All the text as one string with single spaces, for searching phrases across line breaks. */
  text: string;
  /** Text inside each tagged piece of content, in order: `{ tag: 'H2', text: 'Time bank' }`. */
  marked: { tag: string; text: string }[];
  /** Each object's dictionary text (streams left out), by object number. */
  objects: Map<number, string>;
  /** The document catalogue's dictionary. */
  catalog: string;
}

function utf16(spaced: string): string {
  const hex = spaced.replace(/\s/g, '');
  let text = '';
  for (let at = 0; at + 4 <= hex.length; at += 4)
    text += String.fromCharCode(Number.parseInt(hex.slice(at, at + 4), 16));
  return text;
}

function parseCmap(source: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const block of source.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const line of block[1]!.matchAll(/<([0-9a-f]+)>\s*<([0-9a-f]+)>\s*(\[[^\]]*\]|<[0-9a-f\s]+>)/gi)) {
      const start = Number.parseInt(line[1]!, 16);
      const end = Number.parseInt(line[2]!, 16);
      if (line[3]!.startsWith('[')) {
        for (const [index, one] of [...line[3]!.matchAll(/<([0-9a-f\s]+)>/gi)].entries())
          map.set(start + index, utf16(one[1]!));
      } else {
        const first = Number.parseInt(line[3]!.slice(1, -1).replace(/\s/g, ''), 16);
        for (let code = start; code <= end; code++) map.set(code, String.fromCharCode(first + code - start));
      }
    }
  }
  for (const block of source.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const line of block[1]!.matchAll(/<([0-9a-f]+)>\s*<([0-9a-f\s]+)>/gi))
      map.set(Number.parseInt(line[1]!, 16), utf16(line[2]!));
  }
  return map;
}

const tokenPattern =
  /<<|>>|\[|\]|<[0-9A-Fa-f\s]*>|\((?:\\.|[^\\)])*\)|\/[^\s/[\]<>()]+|[-+]?(?:\d+\.?\d*|\.\d+)|[A-Za-z'"*]+/g;

export function readPdf(bytes: Uint8Array): ReadPdf {
  const buffer = Buffer.from(bytes);
  const source = buffer.toString('latin1');
  const objects = new Map<number, string>();
  const streams = new Map<number, string>();
  // Objects from the cross-reference table, and streams by their /Length: binary data can hold any bytes.
  const xref = source.lastIndexOf('\nxref');
  const table = /xref\s+0 (\d+)\s+([\s\S]*?)trailer/.exec(source.slice(xref))!;
  const offsets = [...table[2]!.matchAll(/(\d{10}) \d{5} n/g)].map((m) => Number(m[1]));
  for (const offset of offsets) {
    const header = /^(\d+) 0 obj\s*/.exec(source.slice(offset, offset + 40))!;
    const number = Number(header[1]);
    const from = offset + header[0].length;
    const streamAt = source.indexOf('stream', from);
    const endAt = source.indexOf('endobj', from);
    if (streamAt < 0 || streamAt > endAt) {
      objects.set(number, source.slice(from, endAt));
      continue;
    }
    const dictionary = source.slice(from, streamAt);
    objects.set(number, dictionary);
    const start = source.indexOf('\n', streamAt) + 1;
    const raw = buffer.subarray(start, start + Number(/\/Length (\d+)/.exec(dictionary)![1]));
    try {
      streams.set(number, (/FlateDecode/.test(dictionary) ? inflateSync(raw) : raw).toString('latin1'));
    } catch {
      // An image or a font file that is not text: nothing to read here.
    }
  }
  // Fonts by resource name: pdfkit names them F1, F2, … once for the whole document.
  const fonts = new Map<string, Map<number, string>>();
  for (const dictionary of objects.values()) {
    for (const block of dictionary.matchAll(/\/Font\s*<<([^>]*)>>/g)) {
      for (const entry of block[1]!.matchAll(/\/([^\s/]+)\s+(\d+) 0 R/g)) {
        const font = objects.get(Number(entry[2])) ?? '';
        const toUnicode = /\/ToUnicode (\d+) 0 R/.exec(font);
        if (toUnicode && !fonts.has(entry[1]!))
          fonts.set(entry[1]!, parseCmap(streams.get(Number(toUnicode[1])) ?? ''));
      }
    }
  }
  const catalogNumber = [...objects].find(([, text]) => /\/Type \/Catalog/.test(text))![0];
  const catalog = objects.get(catalogNumber)!;
  const pagesNumber = Number(/\/Pages (\d+) 0 R/.exec(catalog)![1]);
  const pageNumbers = [...objects.get(pagesNumber)!.matchAll(/(\d+) 0 R/g)]
    .map((m) => Number(m[1]))
    .filter((n) => /\/Type \/Page\b/.test(objects.get(n) ?? ''));

  const lines: string[] = [];
  const marked: { tag: string; text: string }[] = [];
  for (const pageNumber of pageNumbers) {
    const page = objects.get(pageNumber)!;
    const contents = /\/Contents (\d+) 0 R/.exec(page);
    const content = contents ? (streams.get(Number(contents[1])) ?? '') : '';
    let font = new Map<number, string>();
    let line = '';
    let lineY: number | null = null;
    const open: { tag: string; text: string }[] = [];
    let operands: (string | string[])[] = [];
    let array: string[] | null = null;
    const show = (hex: string) => {
      const clean = hex.replace(/\s/g, '');
      let text = '';
      for (let at = 0; at + 4 <= clean.length; at += 4)
        text += font.get(Number.parseInt(clean.slice(at, at + 4), 16)) ?? '';
      line += text;
      for (const mark of open) mark.text += text;
    };
    const endLine = () => {
      if (line.trim()) lines.push(line.trim());
      line = '';
    };
    for (const [token] of content.matchAll(tokenPattern)) {
      if (token === '[') array = [];
      else if (token === ']') {
        operands.push(array ?? []);
        array = null;
      } else if (array) array.push(token);
      else if (/^[A-Za-z'"*]+$/.test(token) && token !== 'true' && token !== 'false' && token !== 'null') {
        if (token === 'Tf') font = fonts.get(String(operands[0]).slice(1)) ?? new Map();
        else if (token === 'Tm' || token === 'Td') {
          const y = Number(operands[operands.length - 1]);
          if (lineY !== null && y !== lineY) endLine();
          lineY = y;
        } else if (token === 'TJ') {
          for (const part of operands[0] as string[]) if (part.startsWith('<')) show(part.slice(1, -1));
        } else if (token === 'Tj') show(String(operands[0]).slice(1, -1));
        else if (token === 'BDC' || token === 'BMC') {
          const tag = String(operands[0]).slice(1);
          const mark = { tag, text: '' };
          marked.push(mark);
          open.push(mark);
        } else if (token === 'EMC') {
          open.pop();
          for (const mark of open) mark.text += ' ';
        }
        operands = [];
      } else operands.push(token);
    }
    endLine();
  }
  for (const mark of marked) mark.text = mark.text.replace(/\s+/g, ' ').trim();
  return { lines, text: lines.join(' ').replace(/\s+/g, ' '), marked, objects, catalog };
}
