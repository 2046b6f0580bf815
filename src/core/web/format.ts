import type { Language, Translate } from '../i18n/index.ts';

const locales: Record<Language, string> = { en: 'en-GB', cy: 'cy-GB' };

/**
 * A day as people in Wales and England read it, the month in words ("2 December 2026", "2 Rhagfyr
 * 2026"), in UK time: the one format on every page, PDF and spreadsheet a person reads (files for
 * machines, JSON and calendars, keep ISO dates). A calendar date written as `2026-11-22` is read at
 * midday, so no time zone moves it to another day.
 */
export function formatDate(value: Date | string, language: Language): string {
  const date = typeof value === 'string' ? new Date(`${value.slice(0, 10)}T12:00:00Z`) : value;
  return new Intl.DateTimeFormat(locales[language], {
    dateStyle: 'long',
    timeZone: 'Europe/London',
  }).format(date);
}

/** A moment as people read it, in UK time: "2 December 2026 at 14:30", "2 Rhagfyr 2026 am 14:30". */
export function formatDateTime(value: Date, language: Language): string {
  return new Intl.DateTimeFormat(locales[language], {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Europe/London',
  }).format(value);
}

/**
 * "Looked at – record": an audit event in the reader's words. Modules name their own actions and
 * subjects `module-id:thing`, worded in their catalogue under `auditActions` and `auditSubjects`.
 */
export function describeAuditEvent(t: Translate, event: { action: string; subjectType: string }): string {
  const word = (value: string, coreGroup: string, moduleGroup: string) => {
    const [moduleId, thing] = value.includes(':') ? value.split(':', 2) : [null, value];
    return t(moduleId ? `${moduleId}.${moduleGroup}.${thing}` : `${coreGroup}.${value}`, {
      defaultValue: value,
    });
  };
  const action = word(event.action, 'audit', 'auditActions');
  // Signing in and out says all there is to say.
  if (event.subjectType === 'session') return action;
  return `${action} – ${word(event.subjectType, 'audit.subjects', 'auditSubjects')}`;
}
