/**
 * Matching figures (not a test): 5,000 waiting requests and 2,000 peers with capacities 1–3 across a
 * region of postcode districts, seeded so every run sees the same data. Prints the time of the
 * optimal assignment (scoring every pair included), its total score, the greedy baseline's, and how
 * many were matched.
 *   npm run bench:matching          (REQUESTS=5000 PEERS=2000 SEED=7 MAX_MILES=20 by default)
 */
import {
  candidateGraph,
  days,
  explainInEnglish,
  greedyAssignment,
  matchingSettings,
  optimalAssignment,
  type Peer,
  partsOfDay,
  prepareMatching,
  type RejectedPair,
  toSuggestions,
  type WaitingRequest,
  type WeeklySlot,
} from '../src/modules/peer-support/matching/index.ts';

const requestCount = Number(process.env.REQUESTS ?? 5000);
const peerCount = Number(process.env.PEERS ?? 2000);
let seed = Number(process.env.SEED ?? 7) >>> 0;

// mulberry32: small, fast and good enough for test data.
function random(): number {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
function weighted<T>(items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((sum, [, w]) => sum + w, 0);
  let x = random() * total;
  for (const [item, w] of items) {
    x -= w;
    if (x < 0) return item;
  }
  return items.at(-1)![0];
}

// 60 postcode districts spread over a region about 45 by 30 miles (a valleys-and-coast shape).
const districts = Array.from({ length: 60 }, () => ({
  lat: 51.45 + random() * 0.45,
  lon: -3.95 + random() * 1.05,
}));
// Some people give their own place (near their district's centre), the rest only the district.
function area() {
  const d = pick(districts);
  if (random() < 0.5) return d;
  return { lat: d.lat + (random() - 0.5) * 0.03, lon: d.lon + (random() - 0.5) * 0.045 };
}

const experiences: (readonly [string, number])[] = [
  ['a neonatal stay', 8],
  ['postnatal depression', 10],
  ['twins', 3],
  ['a child with autism', 7],
  ['single parenting', 10],
  ['domestic abuse', 5],
  ['bereavement', 4],
  ['moving to a new country', 4],
  ['a disabled child', 5],
  ['teenage parenthood', 4],
  ['debt', 6],
  ['housing problems', 6],
  ['breastfeeding difficulties', 7],
  ['a child in care', 2],
];
function someExperience(min: number, max: number): string[] {
  const count = min + Math.floor(random() * (max - min + 1));
  const tags = new Set<string>();
  while (tags.size < count) tags.add(weighted(experiences));
  return [...tags];
}

// Parents are mostly free in weekday mornings and afternoons; some only in evenings or at weekends.
const slotWeights: (readonly [WeeklySlot, number])[] = days.flatMap((day) =>
  partsOfDay.map((part): readonly [WeeklySlot, number] => {
    const weekend = day === 'sat' || day === 'sun';
    const w = part === 'evening' ? 2 : weekend ? 1 : 4;
    return [`${day}-${part}`, w];
  }),
);
function someSlots(): WeeklySlot[] {
  const count = 2 + Math.floor(random() * 5);
  const slots = new Set<WeeklySlot>();
  while (slots.size < count) slots.add(weighted(slotWeights));
  return [...slots];
}

const now = new Date('2026-03-02T09:00:00Z');
const requests: WaitingRequest[] = Array.from({ length: requestCount }, (_, i) => {
  const language = weighted<WaitingRequest['language'] | undefined>([
    [undefined, 80],
    [{ code: 'cy', must: true }, 6],
    [{ code: 'cy', must: false }, 8],
    [{ code: 'pl', must: true }, 3],
    [{ code: 'ar', must: true }, 2],
    [{ code: 'ur', must: false }, 1],
  ]);
  return {
    id: `request-${i}`,
    sharedExperienceWanted: someExperience(0, 2),
    ...(language ? { language } : {}),
    area: area(),
    freeSlots: random() < 0.1 ? [] : someSlots(),
    supportWanted: weighted([
      ['first-meeting', 4],
      ['emotional', 3],
      ['practical', 3],
    ]),
    waitingSince: new Date(now.getTime() - Math.floor(random() * 150) * 86_400_000),
  };
});

const peers: Peer[] = Array.from({ length: peerCount }, (_, i) => {
  const level = weighted([
    ['meeter-greeter', 4],
    ['buddy', 4],
    ['mentor', 2],
  ]);
  const languages = ['en'];
  if (random() < 0.2) languages.push('cy');
  if (random() < 0.04) languages.push('pl');
  if (random() < 0.03) languages.push('ar');
  if (random() < 0.02) languages.push('ur');
  const capacity = 1 + Math.floor(random() * 3);
  const supportOffered =
    level === 'meeter-greeter'
      ? ['first-meeting']
      : level === 'buddy'
        ? [
            'first-meeting',
            ...(random() < 0.7 ? ['emotional'] : []),
            ...(random() < 0.7 ? ['practical'] : []),
          ]
        : ['first-meeting', 'emotional', 'practical'];
  return {
    id: `peer-${i}`,
    sharedExperience: someExperience(1, 4),
    languages,
    area: area(),
    freeSlots: someSlots(),
    level,
    supportOffered,
    capacity,
    currentLinkUps: random() < 0.25 ? Math.floor(random() * capacity) : 0,
  };
});

// Coaches have turned down a few pairs.
const rejected: RejectedPair[] = Array.from({ length: 200 }, () => ({
  requestId: pick(requests).id,
  peerId: pick(peers).id,
}));

// The organisation's distance limit: MAX_MILES=none runs without one.
const maxMiles = process.env.MAX_MILES === 'none' ? undefined : Number(process.env.MAX_MILES ?? 20);
const settings = matchingSettings(maxMiles === undefined ? {} : { maxMiles });
const input = { settings, rejected, now };
const ms = (from: number) => `${(performance.now() - from).toFixed(0)} ms`;

const started = performance.now();
const model = prepareMatching(requests, peers, input);
const prepared = performance.now();
const graph = candidateGraph(model);
const scored = performance.now();
const optimal = optimalAssignment(graph);
const assigned = performance.now();
const suggestions = toSuggestions(model, graph, optimal);
const finished = performance.now();

const greedyStarted = performance.now();
const greedy = greedyAssignment(graph);
const greedyTime = ms(greedyStarted);

const spare = model.peerSpare.reduce((sum, s) => sum + s, 0);
console.log(`${requests.length} waiting requests, ${peers.length} peers, ${spare} spare places`);
console.log(
  `candidates: ${graph.edgePeer.length} pairs kept (at most ${settings.candidatesPerRequest} per request)`,
);
console.log(
  `optimal: ${ms(started)} in all (prepare ${(prepared - started).toFixed(0)} ms, score and prune ${(scored - prepared).toFixed(0)} ms, assign ${(assigned - scored).toFixed(0)} ms, explain ${(finished - assigned).toFixed(0)} ms)`,
);
console.log(
  `optimal: total score ${(optimal.totalPoints / 100).toFixed(2)}, ${optimal.matched} matched, ${suggestions.waiting.length} still waiting`,
);
console.log(
  `greedy:  total score ${(greedy.totalPoints / 100).toFixed(2)}, ${greedy.matched} matched (${greedyTime} on the same candidates)`,
);
const gain = optimal.totalPoints - greedy.totalPoints;
console.log(
  `optimal − greedy: ${(gain / 100).toFixed(2)} points (${((100 * gain) / Math.max(1, greedy.totalPoints)).toFixed(2)}%)`,
);

// What pruning costs: the same assignment over many more candidates per request.
const wideStarted = performance.now();
const wideGraph = candidateGraph(model, 200);
const wide = optimalAssignment(wideGraph);
console.log(
  `check: with 200 candidates per request the optimum is ${(wide.totalPoints / 100).toFixed(2)} (${wide.matched} matched, ${ms(wideStarted)})`,
);

for (const suggestion of suggestions.linkUps.slice(0, 3)) {
  console.log(
    `  ${suggestion.requestId} ↔ ${suggestion.peerId} (${suggestion.score}): ${explainInEnglish(suggestion.reasons)}`,
  );
}
