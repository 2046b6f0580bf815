import type { Hono } from 'hono';
import type { CalendarEvent, CalendarViewer, CalendarWindow } from './calendar-feeds.ts';
import type { AppEnv, AppServices } from './context.ts';
import type { Scope } from './database/tenancy.ts';
import type { Catalogues } from './i18n/index.ts';
import type { JobKind } from './jobs.ts';
import type { NotificationKind } from './notifications.ts';
import type { StatisticPeriod } from './periods.ts';
import type { Can, RoleGrants } from './permissions.ts';
import type { RecordSection, RecordWriter } from './record.ts';

export interface NavigationItem {
  href: string;
  /** Catalogue key, under the module's own words. */
  label: string;
  visible(can: Can): boolean;
  /** A shortcut shown on the home page only, not in the navigation bar (e.g. "Record a conversation"). */
  homeOnly?: boolean;
}

/** What a figure counts; `people` figures are counts of people, which the report hides when small. */
export type StatisticUnit = 'people' | 'count' | 'hours' | 'money' | 'days' | 'rate';

/** Where a figure sits in the impact report (src/modules/impact), in the order the report reads. */
export const impactSections = [
  'reach',
  'sessions',
  'goals',
  'distance',
  'hours',
  'volunteers',
  'money',
  'barriers',
  'restrictive-practice',
  'learning',
  'culture',
  'stories',
  'directory',
] as const;
export type ImpactSection = (typeof impactSections)[number];

/**
 * A figure for the impact report, derived from ordinary work and never from a field that exists only
 * for a report. Labels are catalogue keys in the module's own words. Asked for a period, a module
 * gives the figure over the whole period and, where a month on its own means something, each month.
 */
export interface Statistic {
  /** Unique within the module, stable across releases (the CSV and share links use it). */
  key: string;
  /** Catalogue key, under the module's own words; or, for a name an organisation gave (a barrier system), the name. */
  label: string;
  section: ImpactSection;
  unit: StatisticUnit;
  /**
   * The figure over the whole period: people and counts whole numbers, hours in hours (one decimal),
   * money in pence, days whole days. Null when it cannot be derived for the period (not shown).
   */
  value: number | null;
  /** Each month of `period.months`, same units; left out when only the whole period means something (a median). */
  byMonth?: number[];
  /** For a median: the middle half of the values (lower and upper quartile), shown as the spread. */
  spread?: { lower: number; upper: number };
  /**
   * How the figure was derived, said to the reader: a catalogue key under the module's words with its
   * counts, e.g. `{ label: 'statistics.from.conversations', values: { conversations: 412 } }` for "from
   * 412 conversations recorded by coaches". Values are counts of records, never of people.
   */
  derivation: { label: string; values?: Record<string, number> };
  /** A count of people: outside the team, 1 to 7 is "fewer than 8" and the rest rounded to 5. */
  countsPeople: boolean;
  /** The key of this module's figure that this one is a part of (the parts add up to it), for secondary suppression. */
  partOf?: string;
  /**
   * A rate the report works out from two of this module's figures after suppression, so it never
   * undoes the rounding: `numerator / denominator × per` (uses of force per 1,000 occupied bed days).
   */
  rate?: { numerator: string; denominator: string; per: number };
  /** Whether an organisation's own unit cost may be set against it in the report's cost comparison. */
  costable?: boolean;
}

export interface DemoOrganisation {
  id: string;
  /** People by their demo handle (`admin`, `coach`, …), for modules that add their own demo records. */
  people: Record<string, string>;
}

/**
 * A capability family. The core knows nothing of any one module; `src/modules/index.ts` lists them
 * and each brings its routes, permissions, words, navigation, tables, demo data, figures and exports.
 */
export interface AlongsideModule {
  id: string;
  /** Folder of SQL migrations, applied after the core's, in file-name order. */
  migrations?: string;
  permissions?: RoleGrants;
  catalogues?: Catalogues;
  navigation?: NavigationItem[];
  routes?(app: Hono<AppEnv>, services: AppServices): void;
  seedDemo?(scope: Scope, organisation: DemoOrganisation, services: AppServices): Promise<void>;
  /** Demo records that join organisations (through a bridge), once every organisation is seeded. */
  seedDemoTogether?(organisations: DemoOrganisation[], services: AppServices): Promise<void>;
  /**
   * This module's figures for the impact report over a period (src/core/periods.ts), asked inside the
   * organisation. The report audits the reading once; it needs no audit of its own.
   */
  statistics?(scope: Scope, period: StatisticPeriod): Promise<Statistic[]>;
  /**
   * Everything this module holds about one person, for their subject access export: one section of the
   * record, written with the writer's codes, money, durations, days and timestamps, and worded under
   * `<module>.myRecord` in the catalogues. docs/record.schema.json describes every field.
   */
  exportPerson?(scope: Scope, personId: string, writer: RecordWriter): Promise<RecordSection>;
  /**
   * The person's own dates in the window, for their calendar feed (src/core/calendar-feeds.ts): asked
   * inside their organisation with their permissions now, deciding what they may see exactly as the
   * module's pages do. Titles are catalogue keys and never name a person supported.
   */
  /** What this module tells people of (src/core/notifications.ts), worded in its catalogues. */
  notifications?: NotificationKind[];
  /** Background work this module does (src/core/jobs.ts), some of it on a daily schedule. */
  jobs?: JobKind[];
  calendarEvents?(scope: Scope, viewer: CalendarViewer, window: CalendarWindow): Promise<CalendarEvent[]>;
}

export function defineModule(module: AlongsideModule): AlongsideModule {
  if (!/^[a-z][a-z-]*$/.test(module.id))
    throw new Error(`Module id "${module.id}" must be lower-case words joined by hyphens.`);
  return module;
}
