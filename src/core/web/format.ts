import type { Language, Translate } from '../i18n/index.ts';

const locales: Record<Language, string> = { en: 'en-GB', cy: 'cy-GB' };

/** Dates as people in Wales and England read them, in UK time. */
export function formatDateTime(value: Date, language: Language): string {
  return new Intl.DateTimeFormat(locales[language], {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Europe/London',
  }).format(value);
}

/** "Looked at – record": an audit event in the reader's words. */
export function describeAuditEvent(t: Translate, event: { action: string; subjectType: string }): string {
  return `${t(`audit.${event.action}`, { defaultValue: event.action })} – ${t(`audit.subjects.${event.subjectType}`, { defaultValue: event.subjectType })}`;
}
