import {
  type Area,
  days,
  defaultSettings,
  type MatchingSettings,
  type PairScore,
  type Peer,
  partsOfDay,
  type Reason,
  type RejectedPair,
  type RuledOut,
  type WaitingRequest,
  type WeeklySlot,
} from './types.ts';

/**
 * Scoring a seeker–peer pair. Everything a pair needs is turned into numbers and bit sets once
 * (`prepareMatching`), because the assignment scores every pair: 5,000 × 2,000 is ten million.
 * Scores are kept in hundredths of a point as integers so the assignment compares them exactly.
 */

export const earthRadiusMiles = 3958.8;

/** Great-circle distance in miles (haversine). */
export function haversineMiles(a: Area, b: Area): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * earthRadiusMiles * Math.asin(Math.min(1, Math.sqrt(h)));
}

const slotIndex = new Map<string, number>();
const slotNames: WeeklySlot[] = [];
for (const [d, day] of days.entries()) {
  for (const [p, part] of partsOfDay.entries()) {
    slotIndex.set(`${day}-${part}`, d * partsOfDay.length + p);
    slotNames.push(`${day}-${part}`);
  }
}

function slotMask(slots: readonly WeeklySlot[]): number {
  let mask = 0;
  for (const slot of slots) {
    const i = slotIndex.get(slot);
    if (i === undefined) throw new RangeError(`Unknown weekly slot: ${slot}`);
    mask |= 1 << i;
  }
  return mask;
}

function bitCount(n: number): number {
  let v = n - ((n >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Words (strings) numbered in order of first sight, so sets of them can be bit sets. */
class Vocabulary {
  readonly index = new Map<string, number>();
  add(word: string): number {
    let i = this.index.get(word);
    if (i === undefined) {
      i = this.index.size;
      this.index.set(word, i);
    }
    return i;
  }
  get words(): number {
    return Math.max(1, Math.ceil(this.index.size / 32));
  }
}

function fillBits(target: Uint32Array, row: number, words: number, indexes: Iterable<number>): void {
  for (const i of indexes) target[row * words + (i >>> 5)]! |= 1 << (i & 31);
}

function hasBit(bits: Uint32Array, row: number, words: number, i: number): boolean {
  return ((bits[row * words + (i >>> 5)]! >>> (i & 31)) & 1) === 1;
}

/** Everything about the requests and peers that scoring needs, as flat arrays. */
export interface MatchingModel {
  requests: readonly WaitingRequest[];
  peers: readonly Peer[];
  settings: MatchingSettings;
  requestTags: Int32Array[];
  /** The same tags as words, for explanations. */
  requestTagNames: string[][];
  requestLanguage: Int32Array;
  requestLanguageMust: Uint8Array;
  requestHasArea: Uint8Array;
  requestXyz: Float64Array;
  requestSlots: Int32Array;
  requestSupport: Int32Array;
  requestMaxMiles: Float64Array;
  /** The distance limit as a chord between unit vectors, a little generous; miles decide at the edge. */
  requestMaxChord: Float64Array;
  /** The waiting part in points: it is the same for every peer. */
  requestWaitingPoints: Float64Array;
  requestDaysWaited: Int32Array;
  rejectedByRequest: (Set<number> | undefined)[];
  tagWords: number;
  peerTags: Uint32Array;
  languageWords: number;
  peerLanguages: Uint32Array;
  supportWords: number;
  peerSuits: Uint32Array;
  peerSuitsEverything: Uint8Array;
  peerOffers: Uint32Array;
  peerHasArea: Uint8Array;
  peerXyz: Float64Array;
  peerSlots: Int32Array;
  peerSpare: Int32Array;
  /** The spare-capacity part in points: it is the same for every request. */
  peerSparePoints: Float64Array;
}

export interface MatchingInput {
  settings?: MatchingSettings;
  rejected?: readonly RejectedPair[];
  /** The moment waiting is counted to (passed in so the engine stays pure). */
  now: Date;
}

const dayMs = 24 * 60 * 60 * 1000;

function unitVector(area: Area, into: Float64Array, at: number): void {
  const lat = (area.lat * Math.PI) / 180;
  const lon = (area.lon * Math.PI) / 180;
  into[at] = Math.cos(lat) * Math.cos(lon);
  into[at + 1] = Math.cos(lat) * Math.sin(lon);
  into[at + 2] = Math.sin(lat);
}

export function prepareMatching(
  requests: readonly WaitingRequest[],
  peers: readonly Peer[],
  input: MatchingInput,
): MatchingModel {
  const settings = input.settings ?? defaultSettings;
  for (const [name, value] of Object.entries(settings.weights)) {
    if (!(value >= 0)) throw new RangeError(`Weight ${name} must be zero or more`);
  }
  const tags = new Vocabulary();
  const languages = new Vocabulary();
  const supports = new Vocabulary();
  for (const kinds of Object.values(settings.levelSuits)) {
    if (kinds !== 'everything') for (const kind of kinds) supports.add(kind);
  }
  for (const peer of peers) {
    for (const tag of peer.sharedExperience) tags.add(tag);
    for (const language of peer.languages) languages.add(language);
    for (const kind of peer.supportOffered) supports.add(kind);
  }
  for (const request of requests) {
    for (const tag of request.sharedExperienceWanted) tags.add(tag);
    if (request.language) languages.add(request.language.code);
    supports.add(request.supportWanted);
  }

  const R = requests.length;
  const P = peers.length;
  const w = settings.weights;
  const now = input.now.getTime();
  const model: MatchingModel = {
    requests,
    peers,
    settings,
    requestTags: [],
    requestTagNames: [],
    requestLanguage: new Int32Array(R).fill(-1),
    requestLanguageMust: new Uint8Array(R),
    requestHasArea: new Uint8Array(R),
    requestXyz: new Float64Array(3 * R),
    requestSlots: new Int32Array(R),
    requestSupport: new Int32Array(R),
    requestMaxMiles: new Float64Array(R),
    requestMaxChord: new Float64Array(R),
    requestWaitingPoints: new Float64Array(R),
    requestDaysWaited: new Int32Array(R),
    rejectedByRequest: new Array(R).fill(undefined),
    tagWords: tags.words,
    peerTags: new Uint32Array(P * tags.words),
    languageWords: languages.words,
    peerLanguages: new Uint32Array(P * languages.words),
    supportWords: supports.words,
    peerSuits: new Uint32Array(P * supports.words),
    peerSuitsEverything: new Uint8Array(P),
    peerOffers: new Uint32Array(P * supports.words),
    peerHasArea: new Uint8Array(P),
    peerXyz: new Float64Array(3 * P),
    peerSlots: new Int32Array(P),
    peerSpare: new Int32Array(P),
    peerSparePoints: new Float64Array(P),
  };

  for (const [r, request] of requests.entries()) {
    // A tag asked for twice still counts once.
    const wanted = [...new Set(request.sharedExperienceWanted)];
    model.requestTagNames.push(wanted);
    model.requestTags.push(Int32Array.from(wanted, (t) => tags.add(t)));
    if (request.language) {
      model.requestLanguage[r] = languages.add(request.language.code);
      model.requestLanguageMust[r] = request.language.must ? 1 : 0;
    }
    if (request.area) {
      model.requestHasArea[r] = 1;
      unitVector(request.area, model.requestXyz, 3 * r);
    }
    model.requestSlots[r] = slotMask(request.freeSlots);
    model.requestSupport[r] = supports.add(request.supportWanted);
    const maxMiles = request.maxMiles ?? settings.maxMiles ?? Number.POSITIVE_INFINITY;
    model.requestMaxMiles[r] = maxMiles;
    const angle = maxMiles / earthRadiusMiles;
    model.requestMaxChord[r] =
      angle >= Math.PI ? Number.POSITIVE_INFINITY : 2 * Math.sin(angle / 2) * (1 + 1e-9);
    const daysWaited = Math.max(0, Math.floor((now - request.waitingSince.getTime()) / dayMs));
    model.requestDaysWaited[r] = daysWaited;
    model.requestWaitingPoints[r] = w.waiting * Math.min(1, daysWaited / settings.waitingDaysForFullScore);
  }

  for (const [p, peer] of peers.entries()) {
    fillBits(
      model.peerTags,
      p,
      model.tagWords,
      peer.sharedExperience.map((t) => tags.add(t)),
    );
    fillBits(
      model.peerLanguages,
      p,
      model.languageWords,
      peer.languages.map((l) => languages.add(l)),
    );
    const suits = settings.levelSuits[peer.level];
    if (suits === 'everything') model.peerSuitsEverything[p] = 1;
    else if (suits) {
      fillBits(
        model.peerSuits,
        p,
        model.supportWords,
        suits.map((k) => supports.add(k)),
      );
    }
    fillBits(
      model.peerOffers,
      p,
      model.supportWords,
      peer.supportOffered.map((k) => supports.add(k)),
    );
    if (peer.area) {
      model.peerHasArea[p] = 1;
      unitVector(peer.area, model.peerXyz, 3 * p);
    }
    model.peerSlots[p] = slotMask(peer.freeSlots);
    // Capacity below current link-ups is refused where profiles are edited; here it just means no room.
    const capacity = Math.max(0, Math.floor(peer.capacity));
    const spare = Math.max(0, capacity - Math.floor(peer.currentLinkUps));
    model.peerSpare[p] = spare;
    model.peerSparePoints[p] = capacity > 0 ? (w.spareCapacity * spare) / capacity : 0;
  }

  if (input.rejected && input.rejected.length > 0) {
    const requestIndex = new Map(requests.map((q, i) => [q.id, i]));
    const peerIndex = new Map(peers.map((q, i) => [q.id, i]));
    for (const pair of input.rejected) {
      const r = requestIndex.get(pair.requestId);
      const p = peerIndex.get(pair.peerId);
      if (r === undefined || p === undefined) continue;
      let set = model.rejectedByRequest[r];
      if (!set) {
        set = new Set();
        model.rejectedByRequest[r] = set;
      }
      set.add(p);
    }
  }
  return model;
}

/** Codes `pairPoints` returns (below zero) for a pair that can never be suggested. */
export const ruledOutCode = { rejected: -1, language: -2, distance: -3, noCapacity: -4 } as const;
const ruledOutByCode: Record<number, RuledOut> = {
  [-1]: 'rejected',
  [-2]: 'language',
  [-3]: 'distance',
  [-4]: 'noCapacity',
};

/** `pairPoints` with a floor: the pair cannot reach it, so it was not scored to the end. */
export const belowFloor = -5;

/**
 * A pair's score in hundredths of a point, or a negative `ruledOutCode`. When `reasons` is given,
 * the parts that were met are pushed onto it; the arithmetic is the same either way, so the
 * explanation always belongs to the score the assignment used. With a `floor`, a pair that cannot
 * reach it whatever its distance returns `belowFloor` before the (costly) distance is worked out.
 */
export function pairPoints(
  m: MatchingModel,
  r: number,
  p: number,
  reasons: Reason[] | null,
  floor = 0,
): number {
  if (m.peerSpare[p] === 0) return ruledOutCode.noCapacity;
  const rejected = m.rejectedByRequest[r];
  if (rejected?.has(p)) return ruledOutCode.rejected;
  const w = m.settings.weights;

  // Language: a wish not made counts as met, so seekers who say less are not ranked lower.
  let languagePart = 1;
  const language = m.requestLanguage[r]!;
  let languageMet = false;
  if (language >= 0) {
    if (hasBit(m.peerLanguages, p, m.languageWords, language)) languageMet = true;
    else if (m.requestLanguageMust[r] === 1) return ruledOutCode.language;
    else languagePart = 0;
  }

  let experiencePart = 1;
  const wanted = m.requestTags[r]!;
  let sharedMask = 0;
  if (wanted.length > 0) {
    let shared = 0;
    // At most 32 tags asked for are told apart in the reasons; more than that is not a real request.
    for (let i = 0; i < wanted.length; i++) {
      if (hasBit(m.peerTags, p, m.tagWords, wanted[i]!)) {
        shared++;
        if (i < 32) sharedMask |= 1 << i;
      }
    }
    experiencePart = shared / wanted.length;
  }

  let timePart = 1;
  const seekerSlots = m.requestSlots[r]!;
  const bothFree = seekerSlots & m.peerSlots[p]!;
  if (seekerSlots !== 0) {
    const full = m.settings.sharedSlotsForFullScore;
    timePart = Math.min(bitCount(bothFree), full) / full;
  }

  // Half for a level that suits the kind of support, half for the peer offering it.
  const support = m.requestSupport[r]!;
  const suits = m.peerSuitsEverything[p] === 1 || hasBit(m.peerSuits, p, m.supportWords, support);
  const offers = hasBit(m.peerOffers, p, m.supportWords, support);
  const supportPart = (suits ? 0.5 : 0) + (offers ? 0.5 : 0);

  // Distance: the chord between unit vectors first, as it is cheap and bounds the miles from below
  // (miles = 2R·asin(chord / 2) ≥ R·chord), so far or weak pairs never pay for the arcsine.
  let chord = -1;
  let bestDistancePart = 1;
  if (m.requestHasArea[r] === 1) {
    if (m.peerHasArea[p] === 1) {
      const dx = m.requestXyz[3 * r]! - m.peerXyz[3 * p]!;
      const dy = m.requestXyz[3 * r + 1]! - m.peerXyz[3 * p + 1]!;
      const dz = m.requestXyz[3 * r + 2]! - m.peerXyz[3 * p + 2]!;
      chord = Math.sqrt(dx * dx + dy * dy + dz * dz);
      if (chord > m.requestMaxChord[r]!) return ruledOutCode.distance;
      bestDistancePart = m.settings.halfScoreMiles / (m.settings.halfScoreMiles + earthRadiusMiles * chord);
    } else {
      // A peer with no area cannot be shown to be within a limit, and is not near.
      if (m.requestMaxMiles[r]! < Number.POSITIVE_INFINITY) return ruledOutCode.distance;
      bestDistancePart = 0;
    }
  }

  if (floor > 0) {
    const best =
      w.sharedExperience * experiencePart +
      w.language * languagePart +
      w.distance * bestDistancePart +
      w.sharedTime * timePart +
      w.support * supportPart +
      m.peerSparePoints[p]! +
      m.requestWaitingPoints[r]!;
    // One hundredth of slack covers rounding: below this the score is surely under the floor.
    if (best * 100 < floor - 1) return belowFloor;
  }

  let distancePart = bestDistancePart;
  let miles = -1;
  if (chord >= 0) {
    // Haversine through the chord: 2R·asin(chord / 2).
    miles = 2 * earthRadiusMiles * Math.asin(Math.min(1, chord / 2));
    if (miles > m.requestMaxMiles[r]!) return ruledOutCode.distance;
    distancePart = m.settings.halfScoreMiles / (m.settings.halfScoreMiles + miles);
  }

  if (reasons) {
    if (languageMet) reasons.push({ kind: 'language', language: m.requests[r]!.language!.code });
    if (sharedMask !== 0) {
      const tags = m.requestTagNames[r]!.filter((_, i) => i < 32 && (sharedMask >>> i) & 1);
      reasons.push({ kind: 'experience', tags });
    }
    if (miles >= 0) reasons.push({ kind: 'distance', miles: Math.round(miles * 10) / 10 });
    if (seekerSlots !== 0 && bothFree !== 0) {
      reasons.push({ kind: 'sharedTime', slots: slotNames.filter((_, i) => (bothFree >>> i) & 1) });
    }
    if (suits && offers) {
      reasons.push({ kind: 'support', support: m.requests[r]!.supportWanted, level: m.peers[p]!.level });
    }
    if (m.requestDaysWaited[r]! > 0) reasons.push({ kind: 'waiting', days: m.requestDaysWaited[r]! });
  }

  const raw =
    w.sharedExperience * experiencePart +
    w.language * languagePart +
    w.distance * distancePart +
    w.sharedTime * timePart +
    w.support * supportPart +
    m.peerSparePoints[p]! +
    m.requestWaitingPoints[r]!;
  return Math.round(raw * 100);
}

/** The smallest score, in hundredths, a pair needs to be suggested (and always above zero). */
export function minimumPoints(settings: MatchingSettings): number {
  return Math.max(1, Math.ceil(settings.minScore * 100));
}

/** Score one pair with its reasons, or say why it can never be suggested. */
export function scorePair(request: WaitingRequest, peer: Peer, input: MatchingInput): PairScore {
  const model = prepareMatching([request], [peer], input);
  const reasons: Reason[] = [];
  const points = pairPoints(model, 0, 0, reasons);
  if (points < 0) return { allowed: false, because: ruledOutByCode[points]! };
  if (points < minimumPoints(model.settings))
    return { allowed: false, because: 'belowMinimum', score: points / 100 };
  return { allowed: true, score: points / 100, reasons };
}
