import { type Assignment, type CandidateGraph, greedyAssignment, optimalAssignment } from './assign.ts';
import {
  type MatchingInput,
  type MatchingModel,
  minimumPoints,
  pairPoints,
  prepareMatching,
} from './score.ts';
import type { Peer, Reason, Suggestion, Suggestions, WaitingRequest } from './types.ts';

/**
 * Each request's best peers after the hard constraints: at most `perRequest` of them, best first.
 * Scoring every pair is the bulk of the work; keeping a few per request keeps the assignment small.
 */
export function candidateGraph(
  model: MatchingModel,
  perRequest: number = model.settings.candidatesPerRequest,
): CandidateGraph {
  const R = model.requests.length;
  const P = model.peers.length;
  const k = Math.max(0, Math.min(Math.floor(perRequest), P));
  const least = minimumPoints(model.settings);
  const start = new Int32Array(R + 1);
  let edgePeer = new Int32Array(Math.max(1, R * Math.min(k, 64)));
  let edgePoints = new Int32Array(edgePeer.length);
  // A min-heap of the best k so far: its root is the one to drop when a better peer turns up.
  const heapPoints = new Int32Array(k);
  const heapPeer = new Int32Array(k);
  let size = 0;
  const siftDown = (i: number) => {
    const points = heapPoints[i]!;
    const peer = heapPeer[i]!;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      if (child + 1 < size && heapPoints[child + 1]! < heapPoints[child]!) child++;
      if (heapPoints[child]! >= points) break;
      heapPoints[i] = heapPoints[child]!;
      heapPeer[i] = heapPeer[child]!;
      i = child;
    }
    heapPoints[i] = points;
    heapPeer[i] = peer;
  };

  let edges = 0;
  for (let r = 0; r < R; r++) {
    size = 0;
    if (k > 0) {
      for (let p = 0; p < P; p++) {
        // Once k are kept, a peer must beat the weakest of them.
        const points = pairPoints(model, r, p, null, size < k ? least : heapPoints[0]! + 1);
        if (points < least) continue;
        if (size < k) {
          let i = size++;
          while (i > 0) {
            const parent = (i - 1) >> 1;
            if (heapPoints[parent]! <= points) break;
            heapPoints[i] = heapPoints[parent]!;
            heapPeer[i] = heapPeer[parent]!;
            i = parent;
          }
          heapPoints[i] = points;
          heapPeer[i] = p;
        } else if (points > heapPoints[0]!) {
          heapPoints[0] = points;
          heapPeer[0] = p;
          siftDown(0);
        }
      }
    }
    if (edges + size > edgePeer.length) {
      const grownPeer = new Int32Array(Math.max(edgePeer.length * 2, edges + size));
      grownPeer.set(edgePeer);
      edgePeer = grownPeer;
      const grownPoints = new Int32Array(grownPeer.length);
      grownPoints.set(edgePoints);
      edgePoints = grownPoints;
    }
    // Emptying the min-heap from the back gives best first.
    const rowSize = size;
    for (let i = rowSize - 1; i >= 0; i--) {
      edgePoints[edges + i] = heapPoints[0]!;
      edgePeer[edges + i] = heapPeer[0]!;
      size--;
      heapPoints[0] = heapPoints[size]!;
      heapPeer[0] = heapPeer[size]!;
      siftDown(0);
    }
    edges += rowSize;
    start[r + 1] = edges;
  }
  return {
    requestCount: R,
    peerSpare: model.peerSpare,
    start,
    edgePeer: edgePeer.subarray(0, edges),
    edgePoints: edgePoints.subarray(0, edges),
  };
}

/** Turn an assignment into suggestions, each with the reasons its score was made of. */
export function toSuggestions(
  model: MatchingModel,
  graph: CandidateGraph,
  assignment: Assignment,
): Suggestions {
  const linkUps: Suggestion[] = [];
  const waiting: string[] = [];
  let totalPoints = 0;
  for (let r = 0; r < graph.requestCount; r++) {
    const e = assignment.edgeOfRequest[r]!;
    const request = model.requests[r]!;
    if (e < 0) {
      waiting.push(request.id);
      continue;
    }
    const p = graph.edgePeer[e]!;
    const reasons: Reason[] = [];
    const points = pairPoints(model, r, p, reasons);
    totalPoints += points;
    linkUps.push({ requestId: request.id, peerId: model.peers[p]!.id, score: points / 100, reasons });
  }
  return { linkUps, waiting, totalScore: totalPoints / 100 };
}

/**
 * The proposed set of link-ups across everyone waiting: the largest total score within every
 * peer's spare capacity, one peer per request at most, hard constraints kept. Exact over each
 * request's best `candidatesPerRequest` peers (all peers when that is at least the number of peers).
 */
export function suggestLinkUps(
  requests: readonly WaitingRequest[],
  peers: readonly Peer[],
  input: MatchingInput,
): Suggestions {
  const model = prepareMatching(requests, peers, input);
  const graph = candidateGraph(model);
  return toSuggestions(model, graph, optimalAssignment(graph));
}

/** One-at-a-time picks, best pair first: the baseline the optimal assignment is measured against. */
export function greedyLinkUps(
  requests: readonly WaitingRequest[],
  peers: readonly Peer[],
  input: MatchingInput,
): Suggestions {
  const model = prepareMatching(requests, peers, input);
  const graph = candidateGraph(model);
  return toSuggestions(model, graph, greedyAssignment(graph));
}
