import type { Language } from '../i18n/index.ts';

const locales: Record<Language, string> = { en: 'en-GB', cy: 'cy-GB' };

/** Dates as people in Wales and England read them, in UK time. */
export function formatDateTime(value: Date, language: Language): string {
  return new Intl.DateTimeFormat(locales[language], {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Europe/London',
  }).format(value);
}
