import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { Database } from './database/connect.ts';
import type { Role } from './database/schema.ts';
import type { Language, Translate } from './i18n/index.ts';
import type { AlongsideModule } from './module.ts';
import type { Can, Permissions } from './permissions.ts';
import type { SessionRecord, Sessions } from './sessions.ts';

/** The person signed in, in the organisation they are working in now. */
export interface CurrentUser {
  accountId: string;
  personId: string;
  organisationId: string;
  organisationName: string;
  calledName: string;
  email: string;
  roles: Role[];
  /** Unread notifications, up to 100, for the header's count. */
  unreadNotifications?: number;
}

/** Everything the app is built from; tests build their own. */
export interface AppDeps {
  config: Config;
  database: Database;
  logger: Logger;
  modules: AlongsideModule[];
}

export interface AppServices extends AppDeps {
  permissions: Permissions;
  sessions: Sessions;
  translate(language: Language): Translate;
}

export type AppEnv = {
  Variables: {
    services: AppServices;
    requestId: string;
    secureHeadersNonce?: string;
    language: Language;
    t: Translate;
    session: SessionRecord | null;
    sessionToken: string | null;
    user: CurrentUser | null;
    can: Can;
  };
};
