import type { AppServices } from '../../core/context.ts';
import type { Scope } from '../../core/database/tenancy.ts';
import type { Translate } from '../../core/i18n/index.ts';
import type { Audience } from '../../core/small-numbers.ts';
import type { ReportStory } from './views.tsx';

/** How many stories the report quotes: a few voices beside the figures, never the whole collection. */
export const storiesOnReport = 6;

/**
 * People's own stories beside the figures: only those their authors shared with the organisation or
 * everyone, and only public ones for a report leaving the team. Filled in from the stories module.
 */
export async function reportStories(
  _services: AppServices,
  _scope: Scope,
  _audience: Audience,
  _t: Translate,
): Promise<ReportStory[]> {
  return [];
}
