import type { AppServices } from '../../core/context.ts';
import type { Scope } from '../../core/database/tenancy.ts';
import type { Translate } from '../../core/i18n/index.ts';
import type { Audience } from '../../core/small-numbers.ts';
import { storiesForReport } from '../stories/report.ts';
import { w } from './format.ts';
import type { ReportStory } from './views.tsx';

/** How many stories the report quotes: a few voices beside the figures, never the whole collection. */
export const storiesOnReport = 6;

/**
 * People's own stories beside the figures, through the stories module: only those their authors
 * shared with the organisation or everyone, and only public ones for a report read outside the team.
 */
export async function reportStories(
  services: AppServices,
  scope: Scope,
  audience: Audience,
  t: Translate,
): Promise<ReportStory[]> {
  if (!services.modules.some((module) => module.id === 'stories')) return [];
  const stories = await storiesForReport(scope, storiesOnReport, { publicOnly: audience === 'outside' });
  return stories.map((story) => ({
    title: story.title,
    excerpt: story.excerpt,
    language: story.language,
    author: story.name ?? t(w('anonymous')),
  }));
}
