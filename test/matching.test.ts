import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  type Assignment,
  type CandidateGraph,
  candidateGraph,
  explainInEnglish,
  graphFromLists,
  greedyAssignment,
  greedyLinkUps,
  haversineMiles,
  type MatchingSettings,
  matchingSettings,
  optimalAssignment,
  type Peer,
  prepareMatching,
  type RejectedPair,
  type Suggestions,
  scorePair,
  suggestLinkUps,
  type WaitingRequest,
  type WeeklySlot,
} from '../src/modules/peer-support/matching/index.ts';

const now = new Date('2026-03-02T09:00:00Z');
const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);
const cardiff = { lat: 51.48, lon: -3.18 };
// 0.0203° of latitude north of it: 1.40 miles.
const nearCardiff = { lat: 51.5003, lon: -3.18 };

function seeker(overrides: Partial<WaitingRequest> = {}): WaitingRequest {
  return {
    id: 'seeker',
    sharedExperienceWanted: ['a neonatal stay'],
    language: { code: 'cy', must: true },
    area: cardiff,
    freeSlots: ['tue-morning', 'thu-evening'],
    supportWanted: 'practical',
    waitingSince: daysAgo(28),
    ...overrides,
  };
}

function peer(overrides: Partial<Peer> = {}): Peer {
  return {
    id: 'peer',
    sharedExperience: ['a neonatal stay', 'twins'],
    languages: ['en', 'cy'],
    area: nearCardiff,
    freeSlots: ['tue-morning', 'wed-afternoon'],
    level: 'buddy',
    supportOffered: ['first-meeting', 'practical'],
    capacity: 2,
    currentLinkUps: 1,
    ...overrides,
  };
}

describe('scoring a pair', () => {
  it('adds up the parts and explains itself in plain words', () => {
    const result = scorePair(seeker(), peer(), { now });
    assert.ok(result.allowed);
    const miles = haversineMiles(cardiff, nearCardiff);
    const expected =
      30 + // the one experience asked for
      15 + // Welsh
      (15 * 3) / (3 + miles) +
      15 * (1 / 2) + // one shared slot of the two that earn it all
      10 + // a Buddy, offering practical support
      (5 * 1) / 2 + // one place of two spare
      (10 * 28) / 56; // four weeks of eight
    assert.equal(result.score, Math.round(expected * 100) / 100);
    assert.deepEqual(result.reasons, [
      { kind: 'language', language: 'cy' },
      { kind: 'experience', tags: ['a neonatal stay'] },
      { kind: 'distance', miles: 1.4 },
      { kind: 'sharedTime', slots: ['tue-morning'] },
      { kind: 'support', support: 'practical', level: 'buddy' },
      { kind: 'waiting', days: 28 },
    ]);
    assert.equal(
      explainInEnglish(result.reasons),
      'both speak Welsh; has been through a neonatal stay; 1.4 miles; both free Tuesday mornings; ' +
        'a Buddy, suited to practical support; waiting 4 weeks',
    );
  });

  it('measures distance along the great circle, in miles', () => {
    const swansea = { lat: 51.6214, lon: -3.9436 };
    const cardiffCentre = { lat: 51.4816, lon: -3.1791 };
    const miles = haversineMiles(cardiffCentre, swansea);
    assert.ok(miles > 33 && miles < 35, `${miles}`);
    const result = scorePair(seeker({ area: cardiffCentre }), peer({ area: swansea }), { now });
    assert.ok(result.allowed);
    assert.deepEqual(
      result.reasons.find((r) => r.kind === 'distance'),
      { kind: 'distance', miles: Math.round(miles * 10) / 10 },
    );
  });

  it('keeps the hard constraints: language asked for as a must, rejected pairs, distance, capacity', () => {
    assert.deepEqual(scorePair(seeker(), peer({ languages: ['en'] }), { now }), {
      allowed: false,
      because: 'language',
    });
    const preferWelsh = scorePair(
      seeker({ language: { code: 'cy', must: false } }),
      peer({ languages: ['en'] }),
      {
        now,
      },
    );
    assert.ok(preferWelsh.allowed);
    assert.ok(!preferWelsh.reasons.some((r) => r.kind === 'language'));

    const rejected = [{ requestId: 'seeker', peerId: 'peer' }];
    assert.deepEqual(scorePair(seeker(), peer(), { now, rejected }), { allowed: false, because: 'rejected' });

    const limit = matchingSettings({ maxMiles: 1 });
    assert.deepEqual(scorePair(seeker(), peer(), { now, settings: limit }), {
      allowed: false,
      because: 'distance',
    });
    assert.ok(scorePair(seeker({ maxMiles: 2 }), peer(), { now, settings: limit }).allowed);
    assert.deepEqual(scorePair(seeker(), peer({ area: undefined }), { now, settings: limit }), {
      allowed: false,
      because: 'distance',
    });

    assert.deepEqual(scorePair(seeker(), peer({ currentLinkUps: 2 }), { now }), {
      allowed: false,
      because: 'noCapacity',
    });
  });

  it('leaves a poor pair unsuggested', () => {
    const poor = scorePair(
      seeker({ sharedExperienceWanted: ['debt'], freeSlots: ['sun-evening'], supportWanted: 'emotional' }),
      peer({ level: 'meeter-greeter', supportOffered: ['first-meeting'], area: { lat: 52.4, lon: -4.1 } }),
      { now },
    );
    assert.equal(poor.allowed, false);
    assert.ok(!poor.allowed && poor.because === 'belowMinimum' && poor.score! < 40);
  });

  it('suits levels to the kind of support through a table the organisation can change', () => {
    const firstMeeting = seeker({ supportWanted: 'first-meeting' });
    const greeter = peer({ level: 'meeter-greeter', supportOffered: ['first-meeting'] });
    const supportReason = (request: WaitingRequest, p: Peer, settings?: MatchingSettings) => {
      const result = scorePair(request, p, { now, ...(settings ? { settings } : {}) });
      assert.ok(result.allowed);
      return result.reasons.find((r) => r.kind === 'support');
    };
    assert.deepEqual(supportReason(firstMeeting, greeter), {
      kind: 'support',
      support: 'first-meeting',
      level: 'meeter-greeter',
    });
    // A Meeter-Greeter does not suit ongoing practical support, even if they offer it.
    assert.equal(
      supportReason(seeker(), peer({ level: 'meeter-greeter', supportOffered: ['practical'] })),
      undefined,
    );
    // A Mentor suits everything they offer.
    assert.ok(
      supportReason(
        seeker({ supportWanted: 'emotional' }),
        peer({ level: 'mentor', supportOffered: ['emotional'] }),
      ),
    );
    const wider = matchingSettings({ levelSuits: { 'meeter-greeter': ['first-meeting', 'practical'] } });
    assert.ok(
      supportReason(seeker(), peer({ level: 'meeter-greeter', supportOffered: ['practical'] }), wider),
    );
  });

  it('counts wishes not made as met, and gives no reason for them', () => {
    const result = scorePair(
      seeker({ sharedExperienceWanted: [], language: undefined, area: undefined, freeSlots: [] }),
      peer(),
      { now },
    );
    assert.ok(result.allowed);
    assert.deepEqual(
      result.reasons.map((r) => r.kind),
      ['support', 'waiting'],
    );
    assert.equal(result.score, Math.round((30 + 15 + 15 + 15 + 10 + 2.5 + 5) * 100) / 100);
  });

  it('words several reasons of a kind together', () => {
    assert.equal(
      explainInEnglish(
        [
          { kind: 'experience', tags: ['twins', 'debt', 'a neonatal stay'] },
          { kind: 'sharedTime', slots: ['mon-morning', 'fri-evening'] },
          { kind: 'distance', miles: 1 },
          { kind: 'waiting', days: 3 },
        ],
        { tags: { debt: 'money worries' } },
      ),
      'has been through twins, money worries and a neonatal stay; both free Monday mornings and Friday evenings; ' +
        '1 mile; waiting 3 days',
    );
  });
});

describe('assigning across everyone waiting', () => {
  it('beats one-at-a-time picks when the best pair blocks two good ones', () => {
    // Ann's best is Xena, but Bea can only have Xena: giving Ann Yasmin instead matches both.
    const graph = graphFromLists(
      [1, 1],
      [
        [
          [0, 9000],
          [1, 8000],
        ],
        [[0, 8500]],
      ],
    );
    assert.equal(greedyAssignment(graph).totalPoints, 9000);
    const best = optimalAssignment(graph);
    assert.equal(best.totalPoints, 16500);
    assert.equal(best.matched, 2);
  });

  it('leaves someone waiting rather than take a pair that lowers the total', () => {
    const graph = graphFromLists([1], [[[0, -10]], [[0, 0]]]);
    assert.equal(optimalAssignment(graph).matched, 0);
  });

  it('suggests link-ups with their reasons and lists who is still waiting', () => {
    const requests = [
      seeker({ id: 'r1' }),
      seeker({ id: 'r2', language: undefined }),
      seeker({ id: 'r3', language: { code: 'pl', must: true } }),
    ];
    const peers = [peer({ id: 'welsh' }), peer({ id: 'english', languages: ['en'] })];
    const result = suggestLinkUps(requests, peers, { now });
    assert.deepEqual(
      result.linkUps.map((s) => [s.requestId, s.peerId]),
      [
        ['r1', 'welsh'],
        ['r2', 'english'],
      ],
    );
    assert.deepEqual(result.waiting, ['r3']);
    assert.ok(result.linkUps.every((s) => s.reasons.length > 0));
  });
});

// ---- Property tests ----

/** The best total by trying every choice (waiting or any allowed peer) for every request. */
function bruteForce(points: (number | null)[][], spare: number[]): number {
  const left = [...spare];
  let best = 0;
  const visit = (r: number, total: number) => {
    if (r === points.length) {
      best = Math.max(best, total);
      return;
    }
    visit(r + 1, total);
    for (const [p, value] of points[r]!.entries()) {
      if (value !== null && value > 0 && left[p]! > 0) {
        left[p]!--;
        visit(r + 1, total + value);
        left[p]!++;
      }
    }
  };
  visit(0, 0);
  return best;
}

function checkAssignment(graph: CandidateGraph, assignment: Assignment): void {
  const used = new Array<number>(graph.peerSpare.length).fill(0);
  let total = 0;
  for (let r = 0; r < graph.requestCount; r++) {
    const e = assignment.edgeOfRequest[r]!;
    if (e < 0) continue;
    assert.ok(
      e >= graph.start[r]! && e < graph.start[r + 1]!,
      'a request is given one of its own candidates',
    );
    assert.ok(graph.edgePoints[e]! > 0, 'only pairs scoring above zero');
    used[graph.edgePeer[e]!]!++;
    total += graph.edgePoints[e]!;
  }
  for (const [p, n] of used.entries()) assert.ok(n <= graph.peerSpare[p]!, 'never over capacity');
  assert.equal(assignment.totalPoints, total);
}

describe('the optimal assignment (property tests)', () => {
  const smallGraph = fc
    .record({
      spare: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 4 }),
      requests: fc.integer({ min: 0, max: 7 }),
    })
    .chain(({ spare, requests }) =>
      fc.record({
        spare: fc.constant(spare),
        points: fc.array(
          fc.array(fc.option(fc.integer({ min: -500, max: 10_000 }), { nil: null }), {
            minLength: spare.length,
            maxLength: spare.length,
          }),
          { minLength: requests, maxLength: requests },
        ),
      }),
    );

  it('equals the brute-force optimum, stays within capacity and is never below greedy', () => {
    fc.assert(
      fc.property(smallGraph, ({ spare, points }) => {
        const graph = graphFromLists(
          spare,
          points.map((row) => row.flatMap((value, p) => (value === null ? [] : [[p, value] as const]))),
        );
        const best = optimalAssignment(graph);
        const greedy = greedyAssignment(graph);
        checkAssignment(graph, best);
        checkAssignment(graph, greedy);
        assert.equal(best.totalPoints, bruteForce(points, spare));
        assert.ok(best.totalPoints >= greedy.totalPoints);
      }),
      { numRuns: 400 },
    );
  });

  it('reaches the same optimum whatever order the requests are taken in', () => {
    fc.assert(
      fc.property(
        smallGraph.chain((g) =>
          fc.record({
            g: fc.constant(g),
            order: fc.shuffledSubarray([...g.points.keys()], { minLength: g.points.length }),
          }),
        ),
        ({ g, order }) => {
          const graph = graphFromLists(
            g.spare,
            g.points.map((row) => row.flatMap((value, p) => (value === null ? [] : [[p, value] as const]))),
          );
          assert.equal(optimalAssignment(graph, order).totalPoints, optimalAssignment(graph).totalPoints);
        },
      ),
      { numRuns: 200 },
    );
  });
});

const allSlots: WeeklySlot[] = ['mon-morning', 'tue-morning', 'tue-evening', 'thu-afternoon', 'sat-morning'];
const place = fc.record({
  lat: fc.double({ min: 51.4, max: 51.7, noNaN: true }),
  lon: fc.double({ min: -3.6, max: -3.0, noNaN: true }),
});

const requestArbitrary = (id: string) =>
  fc.record({
    id: fc.constant(id),
    sharedExperienceWanted: fc.subarray(['a neonatal stay', 'twins', 'debt', 'bereavement']),
    language: fc.option(fc.record({ code: fc.constantFrom('cy', 'pl', 'en'), must: fc.boolean() }), {
      nil: undefined,
    }),
    area: fc.option(place, { nil: undefined, freq: 5 }),
    freeSlots: fc.subarray(allSlots),
    supportWanted: fc.constantFrom('first-meeting', 'practical', 'emotional'),
    waitingSince: fc.integer({ min: 0, max: 120 }).map(daysAgo),
    maxMiles: fc.option(fc.integer({ min: 2, max: 25 }), { nil: undefined, freq: 3 }),
  });

const peerArbitrary = (id: string) =>
  fc.record({
    id: fc.constant(id),
    sharedExperience: fc.subarray(['a neonatal stay', 'twins', 'debt', 'bereavement']),
    languages: fc.subarray(['en', 'cy', 'pl'], { minLength: 1 }),
    area: fc.option(place, { nil: undefined, freq: 5 }),
    freeSlots: fc.subarray(allSlots),
    level: fc.constantFrom('meeter-greeter', 'buddy', 'mentor', 'trainee'),
    supportOffered: fc.subarray(['first-meeting', 'practical', 'emotional']),
    capacity: fc.integer({ min: 1, max: 2 }),
    currentLinkUps: fc.integer({ min: 0, max: 1 }),
  });

const scheme = (maxRequests: number, maxPeers: number) =>
  fc
    .record({
      requests: fc.integer({ min: 0, max: maxRequests }),
      peers: fc.integer({ min: 1, max: maxPeers }),
    })
    .chain(({ requests, peers }) =>
      fc.record({
        requests: fc.tuple(...Array.from({ length: requests }, (_, i) => requestArbitrary(`r${i}`))),
        peers: fc.tuple(...Array.from({ length: peers }, (_, i) => peerArbitrary(`p${i}`))),
        rejected: fc.array(
          fc.record({
            requestId: fc.integer({ min: 0, max: Math.max(0, requests - 1) }).map((i) => `r${i}`),
            peerId: fc.integer({ min: 0, max: peers - 1 }).map((i) => `p${i}`),
          }),
          { maxLength: 4 },
        ),
        maxMiles: fc.option(fc.integer({ min: 3, max: 30 }), { nil: undefined }),
        minScore: fc.integer({ min: 0, max: 70 }),
      }),
    );

/** Check the suggestions against the rules, from the inputs alone. */
function checkRules(
  requests: readonly WaitingRequest[],
  peers: readonly Peer[],
  rejected: readonly RejectedPair[],
  settings: MatchingSettings,
  result: Suggestions,
): void {
  const byId = new Map(peers.map((p) => [p.id, p]));
  const requestById = new Map(requests.map((r) => [r.id, r]));
  const used = new Map<string, number>();
  const seen = new Set<string>();
  for (const s of result.linkUps) {
    const p = byId.get(s.peerId)!;
    const r = requestById.get(s.requestId)!;
    assert.ok(!seen.has(r.id), 'at most one peer per request');
    seen.add(r.id);
    used.set(p.id, (used.get(p.id) ?? 0) + 1);
    assert.ok(!rejected.some((x) => x.requestId === r.id && x.peerId === p.id), 'a rejected pair comes back');
    if (r.language?.must) assert.ok(p.languages.includes(r.language.code), 'language must is broken');
    const limit = r.maxMiles ?? settings.maxMiles;
    if (limit !== undefined && r.area) {
      assert.ok(p.area && haversineMiles(r.area, p.area) <= limit + 1e-9, 'distance limit is broken');
    }
    assert.ok(s.score >= settings.minScore && s.score > 0);
  }
  for (const [id, n] of used) {
    const p = byId.get(id)!;
    assert.ok(n <= p.capacity - p.currentLinkUps, 'over capacity');
  }
  const counted = new Set([...seen, ...result.waiting]);
  assert.equal(counted.size, requests.length, 'every request is either linked up or still waiting');
}

const points = (score: number) => Math.round(score * 100);

describe('suggestions (property tests)', () => {
  it('keep every hard constraint, equal the brute-force optimum and are never below greedy', () => {
    fc.assert(
      fc.property(scheme(6, 4), ({ requests, peers, rejected, maxMiles, minScore }) => {
        // At least as many candidates as peers: nothing is pruned, so the optimum is the true one.
        const settings = matchingSettings({
          minScore,
          candidatesPerRequest: peers.length,
          ...(maxMiles === undefined ? {} : { maxMiles }),
        });
        const input = { now, settings, rejected };
        const best = suggestLinkUps(requests, peers, input);
        const greedy = greedyLinkUps(requests, peers, input);
        checkRules(requests, peers, rejected, settings, best);
        checkRules(requests, peers, rejected, settings, greedy);
        const table = requests.map((r) =>
          peers.map((p) => {
            const s = scorePair(r, p, input);
            return s.allowed ? points(s.score) : null;
          }),
        );
        const spare = peers.map((p) => Math.max(0, p.capacity - p.currentLinkUps));
        assert.equal(points(best.totalScore), bruteForce(table, spare));
        assert.ok(points(best.totalScore) >= points(greedy.totalScore));
        // Each suggestion's score is the one its pair scores on its own.
        for (const s of best.linkUps) {
          const r = requests.findIndex((q) => q.id === s.requestId);
          const p = peers.findIndex((q) => q.id === s.peerId);
          assert.equal(points(s.score), table[r]![p]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keep the rules and beat greedy on the same candidates when candidates are pruned', () => {
    fc.assert(
      fc.property(scheme(30, 10), fc.integer({ min: 1, max: 4 }), (s, perRequest) => {
        const settings = matchingSettings({
          minScore: s.minScore,
          candidatesPerRequest: perRequest,
          ...(s.maxMiles === undefined ? {} : { maxMiles: s.maxMiles }),
        });
        const input = { now, settings, rejected: s.rejected };
        const best = suggestLinkUps(s.requests, s.peers, input);
        const greedy = greedyLinkUps(s.requests, s.peers, input);
        checkRules(s.requests, s.peers, s.rejected, settings, best);
        assert.ok(points(best.totalScore) >= points(greedy.totalScore));
        const model = prepareMatching(s.requests, s.peers, input);
        const graph = candidateGraph(model);
        for (let r = 0; r < graph.requestCount; r++) {
          assert.ok(graph.start[r + 1]! - graph.start[r]! <= perRequest);
        }
      }),
      { numRuns: 100 },
    );
  });
});
