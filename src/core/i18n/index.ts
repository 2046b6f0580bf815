import i18next, { type i18n, type TFunction } from 'i18next';
import { formatDate } from '../web/format.ts';
import cy from './cy.json' with { type: 'json' };
import en from './en.json' with { type: 'json' };

export const languages = ['en', 'cy'] as const;
export type Language = (typeof languages)[number];
export type Translate = TFunction;
export type Catalogue = { [key: string]: string | Catalogue };
export interface Catalogues {
  en: Catalogue;
  cy: Catalogue;
}

export function isLanguage(value: unknown): value is Language {
  return value === 'en' || value === 'cy';
}

export const coreCatalogues: Catalogues = { en, cy };

/**
 * One i18next instance for the whole app: the core's words plus each module's, under the module id.
 * Welsh plurals (zero, one, two, few, many, other) come from Intl.PluralRules through i18next.
 */
export function createTranslator(moduleCatalogues: Record<string, Catalogues> = {}): {
  instance: i18n;
  forLanguage(language: Language): Translate;
} {
  const resources: Record<Language, { translation: Catalogue }> = {
    en: { translation: { ...coreCatalogues.en } },
    cy: { translation: { ...coreCatalogues.cy } },
  };
  for (const [moduleId, catalogues] of Object.entries(moduleCatalogues)) {
    resources.en.translation[moduleId] = catalogues.en;
    resources.cy.translation[moduleId] = catalogues.cy;
  }
  const instance = i18next.createInstance();
  void instance.init({
    resources,
    lng: 'en',
    fallbackLng: false,
    supportedLngs: [...languages],
    initAsync: false,
    // JSX escapes every value it renders, so escaping here would show &amp; to people.
    interpolation: { escapeValue: false },
    returnNull: false,
    // No advertising in a server's console.
    showSupportNotice: false,
  } as Parameters<i18n['init']>[0]);
  // "{{from, day}}": a calendar day (2026-03-27) or a moment, as people read it in that language ("27 Maw 2026").
  instance.services.formatter?.add('day', (value, language) =>
    formatDate(value instanceof Date ? value : String(value), isLanguage(language) ? language : 'en'),
  );
  const fixed = { en: instance.getFixedT('en'), cy: instance.getFixedT('cy') };
  return { instance, forLanguage: (language) => fixed[language] };
}

/** Flattens a catalogue to dotted keys, for the test that keeps both languages complete. */
export function flattenKeys(catalogue: Catalogue, prefix = ''): string[] {
  return Object.entries(catalogue).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : flattenKeys(value, `${prefix}${key}.`),
  );
}
