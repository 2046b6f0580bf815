import { sql } from 'drizzle-orm';
import { rowsOf, type Scope } from '../../core/database/tenancy.ts';
import type { Language } from '../../core/i18n/index.ts';
import type { Statistic } from '../../core/module.ts';
import { byMonth, type StatisticPeriod } from '../../core/periods.ts';
import { shownText, storiesForAudience } from './stories.ts';

/**
 * Figures for the impact report: stories written in the period (whatever their consent, since a count
 * shows no words), those of them shared now with the organisation or anyone, and how many people wrote
 * them. A withdrawn story is still a story someone wrote; it is never counted as shared.
 */
export async function storyStatistics(scope: Scope, period: StatisticPeriod): Promise<Statistic[]> {
  const inPeriod = sql`organisation_id = ${scope.organisationId}
    and created_at >= (${period.from}::date::timestamp at time zone 'Europe/London')
    and created_at < (${period.until}::date::timestamp at time zone 'Europe/London')`;
  const month = sql`to_char(created_at at time zone 'Europe/London', 'YYYY-MM')`;
  const shared = sql`withdrawn_at is null and scope in ('organisation', 'public')`;
  const rows = await rowsOf<{ month: string; written: number; shared: number }>(
    scope.tx.execute(sql`select ${month} as month, count(*)::int as written,
        (count(*) filter (where ${shared}))::int as shared
      from story where ${inPeriod} group by 1`),
  );
  const [people] = await rowsOf<{ n: number }>(
    scope.tx.execute(sql`select count(distinct author_person_id)::int as n from story where ${inPeriod}`),
  );
  const written = rows.reduce((sum, row) => sum + Number(row.written), 0);
  const sharedCount = rows.reduce((sum, row) => sum + Number(row.shared), 0);
  return [
    {
      key: 'stories-written',
      label: 'statistics.written',
      section: 'stories',
      unit: 'count',
      value: written,
      byMonth: byMonth(
        period,
        rows.map((row) => ({ month: row.month, n: row.written })),
      ),
      derivation: { label: 'statistics.from.written', values: { stories: written } },
      countsPeople: false,
    },
    {
      key: 'stories-shared',
      label: 'statistics.shared',
      section: 'stories',
      unit: 'count',
      value: sharedCount,
      byMonth: byMonth(
        period,
        rows.map((row) => ({ month: row.month, n: row.shared })),
      ),
      derivation: { label: 'statistics.from.shared', values: { stories: written } },
      countsPeople: false,
      partOf: 'stories-written',
    },
    {
      key: 'story-authors',
      label: 'statistics.authors',
      section: 'stories',
      unit: 'people',
      value: Number(people?.n ?? 0),
      derivation: { label: 'statistics.from.authors', values: { stories: written } },
      countsPeople: true,
    },
  ];
}

export interface ReportStory {
  id: string;
  title: string;
  /** The start of the shown version's words, cut at a word. */
  excerpt: string;
  language: Language;
  /** The author's chosen name, or null for anonymous. */
  name: string | null;
  scope: 'organisation' | 'public';
}

/** The first `length` characters or so of the words, ending at a whole word. */
export function excerptOf(words: string, length = 300): string {
  const flat = words.replace(/\s+/g, ' ').trim();
  if (flat.length <= length) return flat;
  const cut = flat.slice(0, length);
  const space = cut.lastIndexOf(' ');
  return `${(space > length / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.–-]+$/u, '')}…`;
}

/**
 * Up to `limit` stories for the impact report, newest first: only those shared with the organisation
 * or anyone (only public ones with `publicOnly`, for a report read outside the organisation), never
 * withdrawn, each in the version its author chose to show, with their chosen name (null: anonymous).
 */
export async function storiesForReport(
  scope: Scope,
  limit = 3,
  options: { publicOnly?: boolean } = {},
): Promise<ReportStory[]> {
  const audience = options.publicOnly ? 'public' : 'organisation';
  const stories = await storiesForAudience(scope, audience, limit);
  return stories.map((story) => {
    const text = shownText(story);
    return {
      id: story.id,
      title: text.title,
      excerpt: excerptOf(text.words),
      language: story.language,
      name: story.shownName,
      scope: story.scope as 'organisation' | 'public',
    };
  });
}
