import type { Context } from 'hono';
import type { AppEnv } from '../../../core/context.ts';
import { todayInUk } from '../../../core/dates.ts';
import type { Translate } from '../../../core/i18n/index.ts';
import { formatDate } from '../../../core/web/format.ts';
import { type Named, nameIn } from '../lists.ts';
import type { Reason, WeeklySlot } from '../matching/index.ts';
import { w } from '../words.ts';

export type C = Context<AppEnv>;

/** Every value of a field sent more than once (checkboxes), from the raw body. */
export async function allOf(c: C, name: string): Promise<string[]> {
  const body = await c.req.parseBody({ all: true });
  const value = body[name];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((item): item is string => typeof item === 'string');
}

export function day(c: C, value: string | Date) {
  return formatDate(value, c.get('language'));
}

export function today() {
  return todayInUk();
}

/** "3 hours 30 minutes", in the reader's language. */
export function hoursText(t: Translate, minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const parts: string[] = [];
  if (hours || !rest) parts.push(t(w('units.hours'), { count: hours }));
  if (rest) parts.push(t(w('units.minutes'), { count: rest }));
  return parts.join(' ');
}

export function slotText(t: Translate, slot: WeeklySlot): string {
  const [dayKey, part] = slot.split('-') as [string, string];
  return t(w(`slots.${part}`), { day: t(w(`days.${dayKey}`)) });
}

function list(t: Translate, words: string[]): string {
  if (words.length <= 1) return words.join('');
  return t(w('and'), { first: words.slice(0, -1).join(', '), last: words.at(-1) });
}

/** A suggestion's reasons in plain words, in English or Welsh: "both speak Welsh; 1.4 miles; …". */
export function explain(c: C, reasons: readonly Reason[], lists: { tags: Named[]; levels: Named[] }): string {
  const t = c.get('t');
  const language = c.get('language');
  const tagName = (key: string) => {
    const tag = lists.tags.find((item) => item.key === key);
    return tag ? nameIn(language, tag) : key;
  };
  const levelName = (key: string) => {
    const level = lists.levels.find((item) => item.key === key);
    return level ? nameIn(language, level) : key;
  };
  return reasons
    .map((reason) => {
      switch (reason.kind) {
        case 'language':
          return t(w('reasons.language'), { language: t(w(`languages.${reason.language}`)) });
        case 'experience':
          return t(w('reasons.experience'), { tags: list(t, reason.tags.map(tagName)) });
        case 'distance':
          return reason.miles === 0
            ? t(w('reasons.sameArea'))
            : t(w('reasons.miles'), {
                miles: reason.miles.toLocaleString(language === 'cy' ? 'cy-GB' : 'en-GB'),
              });
        case 'sharedTime':
          return t(w('reasons.sharedTime'), {
            slots: list(
              t,
              reason.slots.map((slot) => slotText(t, slot)),
            ),
          });
        case 'support':
          return t(w('reasons.support'), {
            level: levelName(reason.level),
            support: t(w(`supports.${reason.support}`)),
          });
        case 'waiting':
          return reason.days >= 14
            ? t(w('reasons.waitingWeeks'), { count: Math.floor(reason.days / 7) })
            : t(w('reasons.waitingDays'), { count: reason.days });
      }
      return '';
    })
    .join('; ');
}

const noticeKeys = [
  'profileSaved',
  'asked',
  'accepted',
  'rejected',
  'agreed',
  'introduced',
  'sessionLogged',
  'moved',
  'noteAdded',
  'noteHidden',
  'trainingRecorded',
  'levelConfirmed',
  'journeySaved',
  'reached',
  'referenceSaved',
  'settingsSaved',
  'tagAdded',
  'placeAdded',
  'householdSaved',
  'sessionCredited',
  'timeCreditsSaved',
] as const;

export function noticeFor(c: C): string | null {
  const done = c.req.query('done');
  return done && (noticeKeys as readonly string[]).includes(done) ? c.get('t')(w(`notices.${done}`)) : null;
}

/** The coach team's trail back to its home page. */
export function TeamCrumb({ c }: { c: C }) {
  return (
    <p class="govuk-caption-m">
      <a class="govuk-link" href="/peer-support">
        {c.get('t')(w('team.title'))}
      </a>
    </p>
  );
}
