/**
 * The matching engine's words: a seeker's waiting request, a peer who could walk alongside them, the
 * organisation's settings, and the reasons a suggested link-up gives for itself. Pure data; the
 * module that loads these from the database comes later.
 */

export const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const partsOfDay = ['morning', 'afternoon', 'evening'] as const;
export type Day = (typeof days)[number];
export type PartOfDay = (typeof partsOfDay)[number];
/** One part of one day in a usual week, e.g. `tue-morning`. */
export type WeeklySlot = `${Day}-${PartOfDay}`;

/** Where someone is: their own place or the centroid of their postcode district, passed in. */
export interface Area {
  lat: number;
  lon: number;
}

/** A language the seeker asked for; `must` makes it a hard constraint, otherwise a preference. */
export interface LanguageWish {
  code: string;
  must: boolean;
}

/** A person or household waiting to be linked up with a peer. */
export interface WaitingRequest {
  id: string;
  /** Experience tags the seeker asked for ("someone who has been through ..."). */
  sharedExperienceWanted: readonly string[];
  language?: LanguageWish;
  /** Missing when the seeker did not give one (distance then does not count against anyone). */
  area?: Area;
  /** Empty means the seeker did not say, so any time suits. */
  freeSlots: readonly WeeklySlot[];
  /** The kind of support wanted, from the organisation's list (e.g. `first-meeting`, `practical`). */
  supportWanted: string;
  waitingSince: Date;
  /** The seeker's own distance limit in miles; overrides the organisation's. */
  maxMiles?: number;
}

/** A trained peer (volunteer, or a sharing household) who can hold link-ups. */
export interface Peer {
  id: string;
  /** Experience tags the peer is happy to share. */
  sharedExperience: readonly string[];
  languages: readonly string[];
  area?: Area;
  freeSlots: readonly WeeklySlot[];
  /** The peer's level id, e.g. `meeter-greeter`, `buddy`, `mentor`. */
  level: string;
  supportOffered: readonly string[];
  /** How many link-ups the peer can hold at once. */
  capacity: number;
  currentLinkUps: number;
}

/** Points for each part of a pair's score when that part is fully met. */
export interface Weights {
  sharedExperience: number;
  language: number;
  distance: number;
  sharedTime: number;
  support: number;
  spareCapacity: number;
  waiting: number;
}

export interface MatchingSettings {
  weights: Weights;
  /**
   * Which kinds of support each level suits; `everything` for levels that suit any kind. Levels not
   * listed suit nothing (they still score on everything else).
   */
  levelSuits: Readonly<Record<string, readonly string[] | 'everything'>>;
  /** The distance at which the distance part scores half (it falls off smoothly, never to zero). */
  halfScoreMiles: number;
  /** The organisation's distance limit in miles; none when undefined. */
  maxMiles?: number;
  /** Shared free slots that earn the whole shared-time part. */
  sharedSlotsForFullScore: number;
  /** Days waited that earn the whole waiting part. */
  waitingDaysForFullScore: number;
  /** A pair scoring below this is not suggested: waiting is better than a poor link-up. */
  minScore: number;
  /**
   * How many of each request's best peers the optimal assignment considers. The assignment is exact
   * on these candidates; see docs/decisions/007-matching-engine.md for what pruning costs.
   */
  candidatesPerRequest: number;
}

export const defaultWeights: Weights = {
  sharedExperience: 30,
  language: 15,
  distance: 15,
  sharedTime: 15,
  support: 10,
  spareCapacity: 5,
  waiting: 10,
};

export const defaultLevelSuits: MatchingSettings['levelSuits'] = {
  'meeter-greeter': ['first-meeting'],
  buddy: ['practical', 'emotional'],
  mentor: 'everything',
};

export const defaultSettings: MatchingSettings = {
  weights: defaultWeights,
  levelSuits: defaultLevelSuits,
  halfScoreMiles: 3,
  sharedSlotsForFullScore: 2,
  waitingDaysForFullScore: 56,
  minScore: 40,
  candidatesPerRequest: 30,
};

/** Fill in an organisation's partial settings from the defaults. */
export function matchingSettings(
  partial: Partial<Omit<MatchingSettings, 'weights'>> & { weights?: Partial<Weights> } = {},
): MatchingSettings {
  return {
    ...defaultSettings,
    ...partial,
    weights: { ...defaultWeights, ...partial.weights },
  };
}

/** A pair a coach rejected; it is never suggested again. */
export interface RejectedPair {
  requestId: string;
  peerId: string;
}

/**
 * Why a pair was suggested, as data so the interface can word it in English or Welsh. Only parts
 * that were actually met give a reason.
 */
export type Reason =
  | { kind: 'language'; language: string }
  | { kind: 'experience'; tags: string[] }
  | { kind: 'distance'; miles: number }
  | { kind: 'sharedTime'; slots: WeeklySlot[] }
  | { kind: 'support'; support: string; level: string }
  | { kind: 'waiting'; days: number };

/** Why a pair can never be suggested (or is not good enough to be). */
export type RuledOut = 'rejected' | 'language' | 'distance' | 'noCapacity' | 'belowMinimum';

export type PairScore =
  | { allowed: true; score: number; reasons: Reason[] }
  | { allowed: false; because: RuledOut; score?: number };

export interface Suggestion {
  requestId: string;
  peerId: string;
  score: number;
  reasons: Reason[];
}

export interface Suggestions {
  linkUps: Suggestion[];
  /** Requests left waiting, in the order given. */
  waiting: string[];
  totalScore: number;
}
