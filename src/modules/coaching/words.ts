export const id = 'coaching';
/** A key in this module's catalogue. */
export const w = (key: string) => `${id}.${key}`;

export const auditSubject = {
  support: 'coaching:support',
  aboutMe: 'coaching:about-me',
  goal: 'coaching:goal',
  scale: 'coaching:scale',
  entry: 'coaching:entry',
  people: 'coaching:people',
  introduction: 'coaching:introduction',
  record: 'coaching:record',
  statistics: 'coaching:statistics',
} as const;
