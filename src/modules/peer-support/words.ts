export const id = 'peer-support';
/** A key in this module's catalogue. */
export const w = (key: string) => `${id}.${key}`;

export const auditSubject = {
  household: 'peer-support:household',
  profile: 'peer-support:profile',
  training: 'peer-support:training',
  level: 'peer-support:level',
  journey: 'peer-support:journey',
  reference: 'peer-support:reference',
  request: 'peer-support:request',
  introduction: 'peer-support:introduction',
  matching: 'peer-support:matching',
  linkUp: 'peer-support:link-up',
  session: 'peer-support:session',
  note: 'peer-support:note',
  settings: 'peer-support:settings',
  cv: 'peer-support:cv',
  statistics: 'peer-support:statistics',
} as const;

/** Permission subjects. */
export const subject = {
  /** A peer's own profile, training, journey and CV; the coach team's for anyone. */
  peer: 'peer-profile',
  /** Asking for a peer for oneself. */
  ask: 'peer-request',
  /** A partner introducing someone, with their consent. */
  introduce: 'peer-introduction',
  /** The coach team's side: matching, the board, training and levels, settings. */
  team: 'peer-team',
  /** Taking part in a link-up, as the peer or the person supported. */
  linkUp: 'peer-link-up',
} as const;

/** Kinds of support, the same keys the matching engine's level table uses. */
export const supportKinds = ['first-meeting', 'practical', 'emotional'] as const;
export type SupportKind = (typeof supportKinds)[number];

/** Languages offered on forms; the engine compares codes. */
export const languageCodes = ['en', 'cy', 'pl', 'ar', 'ur', 'bn', 'so', 'ro', 'pa', 'uk'] as const;

export const journeyKinds = ['work', 'study', 'volunteering', 'other'] as const;

export const stages = ['suggested', 'introduced', 'active', 'reviewed', 'paused', 'ended'] as const;
export type Stage = (typeof stages)[number];
/** Stages that hold a place in the peer's capacity. */
export const openStages: readonly Stage[] = ['suggested', 'introduced', 'active', 'reviewed', 'paused'];

export const hideReasons = ['someone-else', 'talk-first', 'serious-harm', 'police-or-court'] as const;
