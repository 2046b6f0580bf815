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
