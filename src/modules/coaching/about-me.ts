import { sql } from 'drizzle-orm';
import { audit } from '../../core/audit.ts';
import { rowsOf, type Scope } from '../../core/database/tenancy.ts';
import { auditSubject } from './words.ts';

/** The PRSB About Me headings, in the order the person's page shows them; strengths are first-class. */
export const aboutMeHeadings = [
  'please-call-me',
  'how-i-communicate',
  'how-to-support-me',
  'what-matters',
  'good-day',
  'strengths',
  'people-who-matter',
  'people-who-may-act',
  'talk-to-me-about',
  'dont-talk-to-me-about',
  'adjustments',
  'day-to-day',
] as const;
export type AboutMeHeading = (typeof aboutMeHeadings)[number];

/**
 * The PRSB About Me heading each of ours sits under, by our stable identifier for it and its name as
 * the standard publishes it (in English). Two of ours share "What matters to me"; strengths are our
 * own heading, which the standard does not have. The record export carries both, see decision 017.
 */
export const prsbHeadings: Record<AboutMeHeading, { id: string; name: string } | null> = {
  'please-call-me': { id: 'please-call-me', name: 'Please call me' },
  'how-i-communicate': {
    id: 'how-i-communicate',
    name: 'How I communicate and how to communicate with me',
  },
  'how-to-support-me': { id: 'how-and-when-to-support-me', name: 'How and when to support me' },
  'what-matters': { id: 'what-matters-to-me', name: 'What matters to me' },
  'good-day': { id: 'what-matters-to-me', name: 'What matters to me' },
  strengths: null,
  'people-who-matter': {
    id: 'people-who-matter-to-me',
    name: 'People who matter to me and the role I want them to play',
  },
  'people-who-may-act': { id: 'people-who-may-act-for-me', name: 'People who may act for me' },
  'talk-to-me-about': { id: 'please-talk-to-me-about', name: 'Please talk to … about …' },
  'dont-talk-to-me-about': { id: 'please-do-not-talk-to-me-about', name: 'Please don’t talk to … about …' },
  adjustments: { id: 'reasonable-adjustments', name: 'Reasonable adjustments' },
  'day-to-day': {
    id: 'effect-on-my-day-to-day-life',
    name: 'The effect my health or disability has on my day-to-day life',
  },
};

export interface AboutMeVersion {
  id: string;
  heading: AboutMeHeading;
  words: string;
  writtenBy: string | null;
  withCoach: boolean;
  writtenAt: Date;
}

const columns = sql`id, heading, words, written_by as "writtenBy", with_coach as "withCoach", written_at as "writtenAt"`;
const toVersion = (row: AboutMeVersion) => ({ ...row, writtenAt: new Date(row.writtenAt) });

/** The newest words under each heading (an empty newest version means the person cleared it). */
export async function currentAboutMe(
  scope: Scope,
  personId: string,
): Promise<Map<AboutMeHeading, AboutMeVersion>> {
  const rows = await rowsOf<AboutMeVersion>(
    scope.tx.execute(sql`select distinct on (heading) ${columns} from about_me_version
      where organisation_id = ${scope.organisationId} and person_id = ${personId}
      order by heading, written_at desc, id desc`),
  );
  return new Map(rows.filter((row) => row.words !== '').map((row) => [row.heading, toVersion(row)]));
}

/** Every version, newest first: who wrote what, and when. */
export async function aboutMeHistory(scope: Scope, personId: string): Promise<AboutMeVersion[]> {
  const rows = await rowsOf<AboutMeVersion>(
    scope.tx.execute(sql`select ${columns} from about_me_version
      where organisation_id = ${scope.organisationId} and person_id = ${personId}
      order by written_at desc, id desc`),
  );
  return rows.map(toVersion);
}

/** Keeps a new version of each heading whose words changed; returns the headings that changed. */
export async function writeAboutMe(
  scope: Scope,
  personId: string,
  words: Partial<Record<AboutMeHeading, string>>,
  withCoach: boolean,
  at = new Date(),
): Promise<AboutMeHeading[]> {
  const current = await currentAboutMe(scope, personId);
  const changed = aboutMeHeadings.filter(
    (heading) => words[heading] !== undefined && words[heading] !== (current.get(heading)?.words ?? ''),
  );
  for (const heading of changed) {
    await scope.tx.execute(sql`insert into about_me_version (organisation_id, person_id, heading, words, written_by, with_coach, written_at)
      values (${scope.organisationId}, ${personId}, ${heading}, ${words[heading]!}, ${scope.actorPersonId}, ${withCoach}, ${at.toISOString()})`);
  }
  if (changed.length)
    await audit(scope, {
      action: 'update',
      subjectType: auditSubject.aboutMe,
      subjectPersonId: personId,
      detail: { fields: changed },
    });
  return changed;
}
