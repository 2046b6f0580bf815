/**
 * Assigning waiting requests to peers: each request gets at most one peer, each peer at most their
 * spare capacity, and the total score is as large as it can be. Scores are integers (hundredths of a
 * point); only pairs scoring above zero can be assigned, so leaving someone waiting always beats a
 * pair that would lower the total.
 */

/** Each request's candidate peers, in compressed rows: request r owns edges start[r] … start[r+1]−1. */
export interface CandidateGraph {
  requestCount: number;
  peerSpare: Int32Array;
  start: Int32Array;
  edgePeer: Int32Array;
  /** Score of each edge in hundredths; edges at zero or below are never used. */
  edgePoints: Int32Array;
}

export interface Assignment {
  /** For each request, the index of the edge it was given, or −1 while it keeps waiting. */
  edgeOfRequest: Int32Array;
  /** Sum of the assigned edges' points. */
  totalPoints: number;
  matched: number;
}

/** Build a graph from lists of [peer, points] per request (small cases and tests). */
export function graphFromLists(
  peerSpare: readonly number[],
  candidates: readonly (readonly (readonly [peer: number, points: number])[])[],
): CandidateGraph {
  const start = new Int32Array(candidates.length + 1);
  for (const [r, list] of candidates.entries()) start[r + 1] = start[r]! + list.length;
  const edgePeer = new Int32Array(start[candidates.length]!);
  const edgePoints = new Int32Array(edgePeer.length);
  for (const [r, list] of candidates.entries()) {
    for (const [i, [peer, points]] of list.entries()) {
      edgePeer[start[r]! + i] = peer;
      edgePoints[start[r]! + i] = points;
    }
  }
  return {
    requestCount: candidates.length,
    peerSpare: Int32Array.from(peerSpare),
    start,
    edgePeer,
    edgePoints,
  };
}

function finish(graph: CandidateGraph, edgeOfRequest: Int32Array): Assignment {
  let totalPoints = 0;
  let matched = 0;
  for (const e of edgeOfRequest) {
    if (e >= 0) {
      totalPoints += graph.edgePoints[e]!;
      matched++;
    }
  }
  return { edgeOfRequest, totalPoints, matched };
}

/** Highest-scoring pairs first, each taken if the request is still waiting and the peer has room. */
export function greedyAssignment(graph: CandidateGraph): Assignment {
  const edgeRequest = new Int32Array(graph.edgePeer.length);
  for (let r = 0; r < graph.requestCount; r++) {
    for (let e = graph.start[r]!; e < graph.start[r + 1]!; e++) edgeRequest[e] = r;
  }
  const order: number[] = [];
  for (let e = 0; e < graph.edgePoints.length; e++) if (graph.edgePoints[e]! > 0) order.push(e);
  // Ties go to the earlier request, then the earlier edge, so the baseline is reproducible.
  order.sort((a, b) => graph.edgePoints[b]! - graph.edgePoints[a]! || a - b);
  const left = Int32Array.from(graph.peerSpare);
  const edgeOfRequest = new Int32Array(graph.requestCount).fill(-1);
  for (const e of order) {
    const r = edgeRequest[e]!;
    const p = graph.edgePeer[e]!;
    if (edgeOfRequest[r] === -1 && left[p]! > 0) {
      edgeOfRequest[r] = e;
      left[p]!--;
    }
  }
  return finish(graph, edgeOfRequest);
}

/**
 * The optimal assignment, by successive shortest paths on a flow network:
 *   request → peer (capacity 1, cost −points), peer → sink (capacity = spare), and
 *   request → sink (capacity 1, cost 0), the "keeps waiting" bypass.
 * With the bypass every request sends its one unit somewhere, so a min-cost flow is a max-score
 * assignment that never takes a pair which would lower the total. Requests are added one at a time
 * and each sends its unit along a shortest path in the residual network (Dijkstra on costs reduced
 * by node potentials, stopping when the sink is reached); each such step keeps the flow min-cost
 * for the requests added so far, so the last is optimal. Exact on the given graph.
 */
export function optimalAssignment(graph: CandidateGraph, order?: ArrayLike<number>): Assignment {
  const R = graph.requestCount;
  const P = graph.peerSpare.length;
  const sink = R + P;
  const N = R + P + 1;
  const { start, edgePeer, edgePoints, peerSpare } = graph;

  // Who holds each peer: fixed slots per peer (spare capacity), filled from the front.
  const holderStart = new Int32Array(P + 1);
  for (let p = 0; p < P; p++) holderStart[p + 1] = holderStart[p]! + Math.max(0, peerSpare[p]!);
  const holders = new Int32Array(holderStart[P]!);
  const holderCount = new Int32Array(P);
  const edgeOfRequest = new Int32Array(R).fill(-1);

  // Potentials keep every residual edge's reduced cost at zero or more, so Dijkstra is valid.
  const potential = new Float64Array(N);
  const dist = new Float64Array(N);
  const seen = new Int32Array(N);
  const prev = new Int32Array(N);
  const settled = new Int32Array(N);
  let generation = 0;

  // An indexed binary heap on dist (each node at most once, moved up when its distance falls).
  const heap = new Int32Array(N);
  const heapPos = new Int32Array(N).fill(-1);
  let heapSize = 0;
  const siftUp = (i: number, v: number) => {
    const key = dist[v]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const w = heap[parent]!;
      if (dist[w]! <= key) break;
      heap[i] = w;
      heapPos[w] = i;
      i = parent;
    }
    heap[i] = v;
    heapPos[v] = i;
  };
  const pop = (): number => {
    const top = heap[0]!;
    heapPos[top] = -1;
    const v = heap[--heapSize]!;
    if (heapSize === 0) return top;
    const key = dist[v]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= heapSize) break;
      if (child + 1 < heapSize && dist[heap[child + 1]!]! < dist[heap[child]!]!) child++;
      const w = heap[child]!;
      if (dist[w]! >= key) break;
      heap[i] = w;
      heapPos[w] = i;
      i = child;
    }
    heap[i] = v;
    heapPos[v] = i;
    return top;
  };
  const relax = (v: number, d: number, from: number) => {
    if (seen[v] === generation && d >= dist[v]!) return;
    // Reduced costs are never negative, so nothing at or beyond the sink's distance can help.
    if (seen[sink] === generation && d >= dist[sink]!) return;
    seen[v] = generation;
    dist[v] = d;
    prev[v] = from;
    siftUp(heapPos[v]! >= 0 ? heapPos[v]! : heapSize++, v);
  };

  // Requests with the best candidates go first: the optimum is the same in any order, but this
  // order leaves fewer chains of requests moving between peers to search through.
  const sequence = order ? Int32Array.from(order) : requestsByBestCandidate(graph);

  for (let k = 0; k < R; k++) {
    const source = sequence[k]!;
    generation++;

    // A new request has no incoming edges; a potential this high makes all its edges non-negative.
    let top = potential[sink]!;
    for (let e = start[source]!; e < start[source + 1]!; e++) {
      if (edgePoints[e]! > 0) top = Math.max(top, potential[R + edgePeer[e]!]! + edgePoints[e]!);
    }
    potential[source] = top;

    let settledCount = 0;
    relax(source, 0, -1);
    while (heapSize > 0) {
      const u = pop();
      const d = dist[u]!;
      settled[settledCount++] = u;
      if (u === sink) break;
      const pu = potential[u]!;
      if (u < R) {
        const held = edgeOfRequest[u]!;
        for (let e = start[u]!; e < start[u + 1]!; e++) {
          if (e === held || edgePoints[e]! <= 0) continue;
          const v = R + edgePeer[e]!;
          relax(v, d - edgePoints[e]! + pu - potential[v]!, e);
        }
        // The bypass is free unless this request is already waiting through it.
        if (u === source || held >= 0) relax(sink, d + pu - potential[sink]!, u);
      } else {
        const p = u - R;
        if (holderCount[p]! < peerSpare[p]!) relax(sink, d + pu - potential[sink]!, u);
        for (let i = holderStart[p]!; i < holderStart[p]! + holderCount[p]!; i++) {
          const h = holders[i]!;
          relax(h, d + edgePoints[edgeOfRequest[h]!]! + pu - potential[h]!, p);
        }
      }
    }
    for (let i = 0; i < heapSize; i++) heapPos[heap[i]!] = -1;
    heapSize = 0;

    // Shift potentials of nodes settled before the sink; the rest move with the sink (a no-op).
    const dSink = dist[sink]!;
    for (let i = 0; i < settledCount; i++) {
      const v = settled[i]!;
      potential[v] = potential[v]! + dist[v]! - dSink;
    }

    // Walk the path back from the sink, moving requests between peers.
    let node = prev[sink]!;
    if (node < R) {
      // Ends on a bypass: that request starts waiting and gives up its peer (if any) to the path.
      const r = node;
      edgeOfRequest[r] = -1;
      if (r === source) continue;
      const q = prev[r]!;
      removeHolder(q, r);
      node = R + q;
    }
    for (;;) {
      const p = node - R;
      const e = prev[node]!;
      const r = requestOfEdge(e);
      holders[holderStart[p]! + holderCount[p]!] = r;
      holderCount[p]!++;
      edgeOfRequest[r] = e;
      if (r === source) break;
      const q = prev[r]!;
      removeHolder(q, r);
      node = R + q;
    }
  }

  function removeHolder(p: number, r: number): void {
    const from = holderStart[p]!;
    const last = from + holderCount[p]! - 1;
    for (let i = from; i <= last; i++) {
      if (holders[i] === r) {
        holders[i] = holders[last]!;
        holderCount[p]!--;
        return;
      }
    }
    throw new Error('matching: a request was not among its peer’s holders');
  }

  function requestOfEdge(e: number): number {
    // Binary search in the row starts: last r with start[r] <= e.
    let lo = 0;
    let hi = R - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (start[mid]! <= e) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  return finish(graph, edgeOfRequest);
}

function requestsByBestCandidate(graph: CandidateGraph): Int32Array {
  const best = (r: number) => {
    let top = 0;
    for (let e = graph.start[r]!; e < graph.start[r + 1]!; e++) top = Math.max(top, graph.edgePoints[e]!);
    return top;
  };
  const bests = Array.from({ length: graph.requestCount }, (_, r) => best(r));
  return Int32Array.from(bests.map((_, r) => r).sort((a, b) => bests[b]! - bests[a]! || a - b));
}
