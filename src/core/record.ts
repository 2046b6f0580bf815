import { audit } from './audit.ts';
import type { Scope } from './database/tenancy.ts';
import type { Language, Translate } from './i18n/index.ts';
import type { AlongsideModule } from './module.ts';
import { findOrganisation, findPerson } from './people.ts';

/**
 * Everything held about one person, gathered from the core and every module's `exportPerson`: the
 * subject access export the person downloads for themselves, as JSON (complete, for another service)
 * and as PDF (readable). The JSON is a published, versioned format: docs/record.schema.json describes
 * it and docs/decisions/017-record-export.md says when the version changes.
 */
export const recordFormat = 'alongside-record';
/** Semantic version of the JSON format: major for a removed or changed field, minor for an added one. */
export const recordVersion = '1.1.0';

/** A code with its words in the download's language: `{"code": "working-on", "label": "Working on it"}`. */
export class RecordCode {
  constructor(
    readonly code: string | number,
    readonly label: string,
  ) {}
  toJSON() {
    return { code: this.code, label: this.label };
  }
}

/** Money as whole pence and as people read it: `{"pence": 3850, "text": "£38.50"}`. */
export class RecordMoney {
  constructor(
    readonly pence: number,
    readonly text: string,
  ) {}
  toJSON() {
    return { pence: this.pence, text: this.text };
  }
}

/** Time as whole minutes and in words: `{"minutes": 150, "text": "2 hours 30 minutes"}`. */
export class RecordDuration {
  constructor(
    readonly minutes: number,
    readonly text: string,
  ) {}
  toJSON() {
    return { minutes: this.minutes, text: this.text };
  }
}

/** A calendar day with no time or zone, written `YYYY-MM-DD`. */
export class RecordDay {
  constructor(readonly date: string) {}
  toJSON() {
    return this.date;
  }
}

/** Kept in the JSON for other services, left out of the PDF (the PRSB's English heading names). */
export class ForMachines<T> {
  constructor(readonly value: T) {}
  toJSON() {
    return this.value;
  }
}

const missingWords = '\u0000missing';

/**
 * What a module's `exportPerson` writes its section with, in the language of the download: codes with
 * their words, money, durations, days and timestamps, each in the one shape the schema documents.
 * Words a catalogue lacks are noted in `missing` (tests keep it empty) and fall back to the code.
 */
export class RecordWriter {
  readonly missing = new Set<string>();

  constructor(
    readonly language: Language,
    readonly t: Translate,
  ) {}

  /** App words from a catalogue key, in the download's language. */
  words(key: string, options: Record<string, unknown> = {}): string {
    const found = this.t(key, { ...options, defaultValue: missingWords }) as string;
    if (found !== missingWords) return found;
    this.missing.add(key);
    return key;
  }

  /** A code worded by a catalogue key (the module's own words for it, as people see them on screen). */
  code(code: string | number, key: string): RecordCode {
    const found = this.t(key, { defaultValue: missingWords }) as string;
    if (found === missingWords) this.missing.add(key);
    return new RecordCode(code, found === missingWords ? String(code) : found);
  }

  /** A code from an organisation's own list, named in English and perhaps Welsh. */
  named(code: string, names: { name: string; nameCy?: string | null } | undefined): RecordCode {
    if (!names) return new RecordCode(code, code);
    return new RecordCode(code, (this.language === 'cy' && names.nameCy) || names.name);
  }

  money(pence: number | string): RecordMoney {
    const whole = Number(pence);
    if (!Number.isSafeInteger(whole)) throw new Error('Money is whole pence');
    const size = Math.abs(whole);
    const pounds = String((size - (size % 100)) / 100).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return new RecordMoney(whole, `${whole < 0 ? '−' : ''}£${pounds}.${String(size % 100).padStart(2, '0')}`);
  }

  /** "2 hours 30 minutes" (or "2 awr 30 munud"); `signed` says "+" or "−" for a change to a balance. */
  duration(minutes: number | string, signed = false): RecordDuration {
    const whole = Number(minutes);
    if (!Number.isSafeInteger(whole)) throw new Error('A duration is whole minutes');
    const size = Math.abs(whole);
    const hours = Math.floor(size / 60);
    const rest = size % 60;
    const parts = [
      hours > 0 ? this.words('record.units.hours', { count: hours }) : '',
      rest > 0 || hours === 0 ? this.words('record.units.minutes', { count: rest }) : '',
    ].filter(Boolean);
    const sign = whole < 0 ? '−' : signed && whole > 0 ? '+' : '';
    return new RecordDuration(whole, `${sign}${parts.join(' ')}`);
  }

  /** A calendar day, from a `date` column (text or a Date read at midnight UTC). */
  day(value: string | Date | null | undefined): RecordDay | null {
    if (value === null || value === undefined || value === '') return null;
    const text = value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) throw new Error(`Not a calendar day: ${text}`);
    return new RecordDay(text);
  }

  /** A moment in time; raw SQL text (`2026-02-08 15:47:52.345+00`) becomes a Date, written RFC 3339 in UTC. */
  at(value: string | Date | null | undefined): Date | null {
    if (value === null || value === undefined || value === '') return null;
    const date = value instanceof Date ? value : new Date(value);
    if (Number.isNaN(date.getTime())) throw new Error('Not a moment in time');
    return date;
  }

  /** A name for someone referred to by id, or null when nobody is named. */
  name(names: Map<string, string>, personId: string | null | undefined): string | null {
    if (!personId) return null;
    return names.get(personId) ?? null;
  }
}

export type RecordSection = Record<string, unknown>;

export interface RecordDocument {
  format: typeof recordFormat;
  version: string;
  language: RecordCode;
  exportedAt: Date;
  organisation: { id: string; name: string; nameCy?: string };
  person: {
    id: string;
    calledName: string;
    fullName: string | null;
    email: string | null;
    roles: RecordCode[];
  } | null;
  sections: [moduleId: string, section: RecordSection][];
}

/** Everything held about the person, as one document in the writer's language; audited as an export. */
export async function gatherRecord(
  scope: Scope,
  modules: AlongsideModule[],
  personId: string,
  writer: RecordWriter,
): Promise<RecordDocument> {
  const person = await findPerson(scope, personId);
  const organisation = await findOrganisation(scope);
  const sections: RecordDocument['sections'] = [];
  for (const module of modules) {
    if (module.exportPerson) sections.push([module.id, await module.exportPerson(scope, personId, writer)]);
  }
  await audit(scope, {
    action: 'export',
    subjectType: 'person',
    subjectId: personId,
    subjectPersonId: personId,
    detail: { modules: sections.map(([id]) => id), language: writer.language },
  });
  return {
    format: recordFormat,
    version: recordVersion,
    language: writer.code(writer.language, `record.values.${writer.language}`),
    exportedAt: new Date(),
    organisation: {
      id: scope.organisationId,
      name: organisation?.name ?? '',
      ...(organisation?.nameCy ? { nameCy: organisation.nameCy } : {}),
    },
    person: person
      ? {
          id: person.id,
          calledName: person.calledName,
          fullName: person.fullName,
          email: person.email,
          roles: person.roles.map((role) => writer.code(role, `roles.${role}`)),
        }
      : null,
    sections,
  };
}

/** The JSON file: the document's fields, then one section per module under the module's id. */
export function recordJson(document: RecordDocument): string {
  const { sections, ...head } = document;
  return JSON.stringify({ ...head, ...Object.fromEntries(sections) }, null, 2);
}
