import type { Hono } from 'hono';
import type { CalendarEvent, CalendarViewer, CalendarWindow } from './calendar-feeds.ts';
import type { AppEnv, AppServices } from './context.ts';
import type { Scope } from './database/tenancy.ts';
import type { Catalogues } from './i18n/index.ts';
import type { JobKind } from './jobs.ts';
import type { NotificationKind } from './notifications.ts';
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

/** A figure for impact reports, derived from ordinary work; small numbers are suppressed by the report. */
export interface Statistic {
  key: string;
  label: string;
  value: number;
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
  statistics?(scope: Scope): Promise<Statistic[]>;
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
