/**
 * Lloyd's algorithm with Hamerly's bounds (Hamerly 2010, "Making k-means even faster"). Each point keeps an
 * upper bound on the distance to its own center and a lower bound on the distance to every other center;
 * when the upper bound is below max(lower bound, half the gap to the nearest other center) the point cannot
 * change cluster and no distance is computed. Results equal plain Lloyd's (same assignments every iteration).
 */

export interface LloydResult {
  labels: Int32Array;
  centers: Float64Array;
  inertia: number;
  nIter: number;
  /** True when the last iteration changed no label (scikit-learn's "strict convergence"). */
  converged: boolean;
}

interface LloydState {
  x: Float64Array;
  n: number;
  d: number;
  k: number;
  centers: Float64Array;
  labels: Int32Array;
  upper: Float64Array;
  lower: Float64Array;
  sums: Float64Array;
  counts: Float64Array;
}

/** Squared distance from row i to center c. */
function sqDist(x: Float64Array, xOff: number, centers: Float64Array, cOff: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const diff = x[xOff + j] - centers[cOff + j];
    s += diff * diff;
  }
  return s;
}

/** Full scan of all centers for row i: sets label, upper and lower bound. Returns the new label. */
function assignFull(st: LloydState, i: number): number {
  const { x, d, k, centers } = st;
  const off = i * d;
  let best = -1;
  let bestD = Number.POSITIVE_INFINITY;
  let secondD = Number.POSITIVE_INFINITY;
  for (let c = 0; c < k; c++) {
    const dist = sqDist(x, off, centers, c * d, d);
    if (dist < bestD) {
      secondD = bestD;
      bestD = dist;
      best = c;
    } else if (dist < secondD) {
      secondD = dist;
    }
  }
  st.labels[i] = best;
  st.upper[i] = Math.sqrt(bestD);
  st.lower[i] = Math.sqrt(secondD);
  return best;
}

function moveRow(st: LloydState, i: number, from: number, to: number): void {
  const { x, d, sums, counts } = st;
  const off = i * d;
  if (from >= 0) {
    const f = from * d;
    for (let j = 0; j < d; j++) sums[f + j] -= x[off + j];
    counts[from]--;
  }
  const t = to * d;
  for (let j = 0; j < d; j++) sums[t + j] += x[off + j];
  counts[to]++;
}

/** Half the distance from each center to its nearest other center: a point closer than that cannot switch. */
function halfGaps(centers: Float64Array, k: number, d: number, out: Float64Array): void {
  out.fill(Number.POSITIVE_INFINITY);
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      const g = 0.5 * Math.sqrt(sqDist(centers, a * d, centers, b * d, d));
      if (g < out[a]) out[a] = g;
      if (g < out[b]) out[b] = g;
    }
  }
}

/**
 * Gives each empty cluster the point farthest from its own center (as scikit-learn does), so k clusters survive.
 * Runs only when a cluster empties, which is rare; its cost (one pass over the data) does not matter.
 */
function relocateEmptyClusters(st: LloydState): void {
  const { x, n, d, k, centers, labels, counts } = st;
  const empty: number[] = [];
  for (let c = 0; c < k; c++) if (counts[c] === 0) empty.push(c);
  if (empty.length === 0) return;
  const dist = new Float64Array(n);
  for (let i = 0; i < n; i++) dist[i] = sqDist(x, i * d, centers, labels[i] * d, d);
  for (const c of empty) {
    let far = -1;
    let farD = -1;
    for (let i = 0; i < n; i++) {
      if (counts[labels[i]] > 1 && dist[i] > farD) {
        farD = dist[i];
        far = i;
      }
    }
    if (far < 0) return;
    moveRow(st, far, labels[far], c);
    labels[far] = c;
    dist[far] = 0;
    // Bounds of the moved point are unknown now; force a full scan next time.
    st.upper[far] = Number.POSITIVE_INFINITY;
    st.lower[far] = 0;
  }
}

/** New centers from the running sums; returns per-center movement (Euclidean) and total squared shift. */
function updateCenters(st: LloydState, move: Float64Array): number {
  relocateEmptyClusters(st);
  const { d, k, centers, sums, counts } = st;
  let shiftTotal = 0;
  for (let c = 0; c < k; c++) {
    const off = c * d;
    const inv = 1 / counts[c];
    let m = 0;
    for (let j = 0; j < d; j++) {
      const v = sums[off + j] * inv;
      const diff = v - centers[off + j];
      m += diff * diff;
      centers[off + j] = v;
    }
    shiftTotal += m;
    move[c] = Math.sqrt(m);
  }
  return shiftTotal;
}

/** One Hamerly assignment pass after centers moved by `move`; returns how many labels changed. */
function reassign(st: LloydState, move: Float64Array, gaps: Float64Array): number {
  const { x, n, d, k, centers, labels, upper, lower } = st;
  let maxMove = 0;
  let maxMoveIdx = -1;
  let secondMove = 0;
  for (let c = 0; c < k; c++) {
    if (move[c] > maxMove) {
      secondMove = maxMove;
      maxMove = move[c];
      maxMoveIdx = c;
    } else if (move[c] > secondMove) {
      secondMove = move[c];
    }
  }
  halfGaps(centers, k, d, gaps);
  let changed = 0;
  for (let i = 0; i < n; i++) {
    const a = labels[i];
    const u = upper[i] + move[a];
    const l = lower[i] - (a === maxMoveIdx ? secondMove : maxMove);
    const bound = l > gaps[a] ? l : gaps[a];
    if (u <= bound) {
      upper[i] = u;
      lower[i] = l;
      continue;
    }
    // Tighten the upper bound with the one exact distance before paying for a full scan.
    const exact = Math.sqrt(sqDist(x, i * d, centers, a * d, d));
    if (exact <= bound) {
      upper[i] = exact;
      lower[i] = l;
      continue;
    }
    const b = assignFull(st, i);
    if (b !== a) {
      moveRow(st, i, a, b);
      changed++;
    }
  }
  return changed;
}

export function lloyd(x: Float64Array, n: number, d: number, initialCenters: Float64Array, maxIter: number, tolAbs: number): LloydResult {
  const k = initialCenters.length / d;
  const st: LloydState = {
    x,
    n,
    d,
    k,
    centers: Float64Array.from(initialCenters),
    labels: new Int32Array(n),
    upper: new Float64Array(n),
    lower: new Float64Array(n),
    sums: new Float64Array(k * d),
    counts: new Float64Array(k),
  };
  const move = new Float64Array(k);
  const gaps = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const b = assignFull(st, i);
    moveRow(st, i, -1, b);
  }
  let nIter = 1;
  let converged = false;
  let shift = updateCenters(st, move);
  // Same loop shape as scikit-learn's _kmeans_single_lloyd, so iteration counts are comparable.
  while (shift > tolAbs && nIter < maxIter) {
    const changed = reassign(st, move, gaps);
    nIter++;
    if (changed === 0) {
      converged = true;
      break;
    }
    shift = updateCenters(st, move);
  }
  if (!converged) {
    // Centers moved after the last assignment: relabel so labels and inertia describe the returned centers.
    reassign(st, move, gaps);
  }
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += sqDist(x, i * d, st.centers, st.labels[i] * d, d);
  return { labels: st.labels, centers: st.centers, inertia, nIter, converged };
}
