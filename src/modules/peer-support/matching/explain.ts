import type { Reason, WeeklySlot } from './types.ts';

/**
 * English wording of a suggestion's reasons, for tests, the bench and as the model for the
 * catalogue wording the interface will use (in English and Welsh) later.
 */

const languageNames: Record<string, string> = {
  cy: 'Welsh',
  en: 'English',
  pl: 'Polish',
  ar: 'Arabic',
  ur: 'Urdu',
  bn: 'Bengali',
  so: 'Somali',
  ro: 'Romanian',
  pa: 'Punjabi',
  uk: 'Ukrainian',
};

const dayNames: Record<string, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

const supportNames: Record<string, string> = {
  'first-meeting': 'a friendly first meeting',
  practical: 'practical support',
  emotional: 'emotional support',
};

export interface EnglishLabels {
  languages?: Record<string, string>;
  /** Experience tags as words that follow "has been through", e.g. `a neonatal stay`. */
  tags?: Record<string, string>;
  levels?: Record<string, string>;
  supports?: Record<string, string>;
}

function list(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

function levelName(level: string): string {
  return level
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('-');
}

function slotName(slot: WeeklySlot): string {
  const [day, part] = slot.split('-') as [string, string];
  return `${dayNames[day]} ${part}s`;
}

export function reasonInEnglish(reason: Reason, labels: EnglishLabels = {}): string {
  switch (reason.kind) {
    case 'language':
      return `both speak ${labels.languages?.[reason.language] ?? languageNames[reason.language] ?? reason.language}`;
    case 'experience':
      return `has been through ${list(reason.tags.map((tag) => labels.tags?.[tag] ?? tag))}`;
    case 'distance':
      // Areas are often district centres, so two people in one district are 0 miles apart.
      if (reason.miles === 0) return 'same area';
      return reason.miles === 1 ? '1 mile' : `${reason.miles} miles`;
    case 'sharedTime':
      return `both free ${list(reason.slots.map(slotName))}`;
    case 'support':
      return `a ${labels.levels?.[reason.level] ?? levelName(reason.level)}, suited to ${
        labels.supports?.[reason.support] ?? supportNames[reason.support] ?? reason.support
      }`;
    case 'waiting': {
      const weeks = Math.floor(reason.days / 7);
      if (weeks >= 2) return `waiting ${weeks} weeks`;
      return reason.days === 1 ? 'waiting 1 day' : `waiting ${reason.days} days`;
    }
  }
}

/** All of a suggestion's reasons as one line: "both speak Welsh; has been through …; 1.4 miles". */
export function explainInEnglish(reasons: readonly Reason[], labels: EnglishLabels = {}): string {
  return reasons.map((reason) => reasonInEnglish(reason, labels)).join('; ');
}
