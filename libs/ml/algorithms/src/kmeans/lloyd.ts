/**
 * Lloyd's algorithm with Hamerly's bounds (Hamerly 2010, "Making k-means even faster"). Each point keeps an
 * upper bound on the distance to its own center and a lower bound on the distance to every other center;
 * when the upper bound is below max(lower bound, half the gap to the nearest other center) the point cannot
 * change cluster and no distance is computed. Results equal plain Lloyd's (same assignments every iteration).
 *
 * The passes over X run in a WebAssembly SIMD kernel (lloyd-simd.ts / lloyd-simd.wat) where available, else in
 * the JavaScript kernel below; both do the same float64 operations in the same order (bit-identical results).
 */

import { createSimdKernel } from './lloyd-simd';

export interface LloydResult {
  labels: Int32Array;
  centers: Float64Array;
  inertia: number;
  nIter: number;
  /** True when the last iteration changed no label (scikit-learn's "strict convergence"). */
  converged: boolean;
}

/** Float32 input is used as float32 (no 25 MB float64 copy for blobs_200k); arithmetic is float64 either way. */
export type Values = Float64Array | Float32Array;

/** 'auto': the WebAssembly SIMD kernel where available, else JavaScript; 'js' forces JavaScript (tests). */
export type LloydBackend = 'auto' | 'js';

export interface LloydState {
  x: Values;
  n: number;
  d: number;
  k: number;
  centers: Float64Array;
  labels: Int32Array;
  upper: Float64Array;
  lower: Float64Array;
  sums: Float64Array;
  counts: Float64Array;
  /** k × k center-to-center distances for the current centers. */
  centerDist: Float64Array;
  /** Per-call scratch of size k (exact distances computed during one assignment, −1 where skipped). */
  scratch: Float64Array;
  /** Row 0 as float64: the shift for the variance sum (against cancellation). */
  x0: Float64Array;
  /** How far each center moved in the last update (Euclidean). */
  move: Float64Array;
  /** Half the distance from each center to its nearest other center (Hamerly's s). */
  gaps: Float64Array;
}

/**
 * The passes over X. The JavaScript ones below and the WebAssembly SIMD ones (lloyd-simd.ts) compute the same
 * float64 operations in the same order, so either gives bit-identical labels, centers and inertia.
 */
export interface LloydKernel {
  st: LloydState;
  /** First assignment of every row plus cluster sums and counts; returns Σ‖x − x₀‖². */
  initialAssignment(): number;
  /** One Hamerly pass (centerDist, gaps and move are current); returns how many labels changed. */
  reassign(maxMoveIdx: number, maxMove: number, secondMove: number): number;
  /** Σ‖x − c(x)‖² over rows in order. */
  inertia(): number;
  /** Copies results out (the WebAssembly kernel's arrays live in its memory) and frees what it holds. */
  finish(): { labels: Int32Array; centers: Float64Array };
}

/**
 * Squared distance from row i to center c. Four accumulators (feature j goes to s[j mod 4]) let V8 overlap the
 * multiply-adds; they are combined as (s0 + s2) + (s1 + s3), which is what two f64x2 accumulators give, so the
 * SIMD kernel computes the very same value.
 */
export function sqDist(x: Values, xOff: number, centers: Float64Array, cOff: number, d: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < d; j += 4) {
    const a = x[xOff + j] - centers[cOff + j];
    const b = x[xOff + j + 1] - centers[cOff + j + 1];
    const c = x[xOff + j + 2] - centers[cOff + j + 2];
    const e = x[xOff + j + 3] - centers[cOff + j + 3];
    s0 += a * a;
    s1 += b * b;
    s2 += c * c;
    s3 += e * e;
  }
  let s = s0 + s2 + (s1 + s3);
  for (; j < d; j++) {
    const a = x[xOff + j] - centers[cOff + j];
    s += a * a;
  }
  return s;
}

/**
 * Squared distance with early exit (partial distance search): once the running sum passes `limit` after a group
 * of four features, the center cannot be the nearest, and the partial sum, a valid lower bound, is returned. A
 * result ≤ limit is exact and equals sqDist bit for bit (same accumulators, same order).
 */
function sqDistBounded(x: Values, xOff: number, centers: Float64Array, cOff: number, d: number, limit: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let s = 0;
  let j = 0;
  for (; j + 3 < d; j += 4) {
    const a = x[xOff + j] - centers[cOff + j];
    const b = x[xOff + j + 1] - centers[cOff + j + 1];
    const c = x[xOff + j + 2] - centers[cOff + j + 2];
    const e = x[xOff + j + 3] - centers[cOff + j + 3];
    s0 += a * a;
    s1 += b * b;
    s2 += c * c;
    s3 += e * e;
    s = s0 + s2 + (s1 + s3);
    if (s > limit) return s;
  }
  for (; j < d; j++) {
    const a = x[xOff + j] - centers[cOff + j];
    s += a * a;
  }
  return s;
}

/**
 * Nearest center for row i, starting from a guess and its exact distance. A center c is skipped outright when
 * ||c_best − c|| ≥ 2·d(x, c_best) (Elkan's lemma: it cannot be closer), and otherwise abandoned as soon as its
 * partial distance exceeds the best. Every skipped center still leaves a valid lower bound on its distance,
 * whose minimum is Hamerly's lower bound. Sets label, upper and lower bound; returns the label.
 */
function assignPruned(st: LloydState, i: number, guess: number, guessDist: number): number {
  const { x, d, k, centers, centerDist, scratch } = st;
  const off = i * d;
  let best = guess;
  let u = guessDist;
  let bestSq = u * u;
  scratch[guess] = u;
  for (let c = 0; c < k; c++) {
    if (c === guess) continue;
    const cd = centerDist[best * k + c];
    if (cd >= 2 * u) {
      scratch[c] = cd - u;
      continue;
    }
    const sq = sqDistBounded(x, off, centers, c * d, d, bestSq);
    // Ties keep the lower center index, as scikit-learn's argmin does.
    if (sq < bestSq || (sq === bestSq && c < best)) {
      best = c;
      bestSq = sq;
      u = Math.sqrt(sq);
    }
    scratch[c] = Math.sqrt(sq);
  }
  let lower = Number.POSITIVE_INFINITY;
  for (let c = 0; c < k; c++) {
    if (c !== best && scratch[c] < lower) lower = scratch[c];
  }
  st.labels[i] = best;
  st.upper[i] = u;
  st.lower[i] = lower;
  return best;
}

/**
 * First guess for a row with no label yet: the center nearest on the first few features (cheap), so that
 * the pruning in assignPruned usually starts from the right center.
 */
function initialGuess(st: LloydState, i: number): number {
  const { x, d, k, centers } = st;
  const q = d < 4 ? d : 4;
  const off = i * d;
  let best = 0;
  let bestSq = Number.POSITIVE_INFINITY;
  for (let c = 0; c < k; c++) {
    const cOff = c * d;
    let s = 0;
    for (let j = 0; j < q; j++) {
      const a = x[off + j] - centers[cOff + j];
      s += a * a;
    }
    if (s < bestSq) {
      bestSq = s;
      best = c;
    }
  }
  return best;
}

/**
 * First assignment of every row (guess from a few features, then pruned search) and the cluster sums; also
 * returns Σ‖x − x₀‖² (x₀ = first row, against cancellation) so the variance for tol needs no extra pass over X.
 */
function initialAssignment(st: LloydState): number {
  const { x, n, d, sums, counts, x0, gaps, labels, upper, lower } = st;
  let shiftedSq = 0;
  for (let i = 0; i < n; i++) {
    const g = initialGuess(st, i);
    const off = i * d;
    const u = Math.sqrt(sqDist(x, off, st.centers, g * d, d));
    let b = g;
    if (u <= gaps[g]) {
      // Every other center c has ‖c − g‖ ≥ 2·gaps[g] ≥ 2u: none can be closer, and the smallest of Elkan's lower
      // bounds (‖c − g‖ − u) is 2·gaps[g] − u, exactly what assignPruned would leave.
      labels[i] = g;
      upper[i] = u;
      lower[i] = 2 * gaps[g] - u;
    } else {
      b = assignPruned(st, i, g, u);
    }
    const t = b * d;
    for (let j = 0; j < d; j++) sums[t + j] += x[off + j];
    counts[b]++;
    shiftedSq += sqDist(x, off, x0, 0, d);
  }
  return shiftedSq;
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

/** Center-to-center distances, and half the distance from each center to its nearest other center (Hamerly's s). */
function centerGeometry(st: LloydState): void {
  const { centers, k, d, centerDist, gaps } = st;
  gaps.fill(Number.POSITIVE_INFINITY);
  for (let a = 0; a < k; a++) {
    centerDist[a * k + a] = 0;
    for (let b = a + 1; b < k; b++) {
      const dist = Math.sqrt(sqDist(centers, a * d, centers, b * d, d));
      centerDist[a * k + b] = dist;
      centerDist[b * k + a] = dist;
      const g = 0.5 * dist;
      if (g < gaps[a]) gaps[a] = g;
      if (g < gaps[b]) gaps[b] = g;
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
function updateCenters(st: LloydState): number {
  relocateEmptyClusters(st);
  const { d, k, centers, sums, counts, move } = st;
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

/** Largest and second-largest center movement, then the Hamerly pass of the kernel; returns how many labels changed. */
function reassign(kernel: LloydKernel): number {
  const { k, move } = kernel.st;
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
  centerGeometry(kernel.st);
  return kernel.reassign(maxMoveIdx, maxMove, secondMove);
}

/** One Hamerly assignment pass after centers moved by `move` (JavaScript kernel); returns how many labels changed. */
function reassignPass(st: LloydState, maxMoveIdx: number, maxMove: number, secondMove: number): number {
  const { x, n, d, labels, upper, lower, move, gaps } = st;
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
    const exact = Math.sqrt(sqDist(x, i * d, st.centers, a * d, d));
    if (exact <= bound) {
      upper[i] = exact;
      lower[i] = l;
      continue;
    }
    const b = assignPruned(st, i, a, exact);
    if (b !== a) {
      moveRow(st, i, a, b);
      changed++;
    }
  }
  return changed;
}

function inertiaPass(st: LloydState): number {
  const { x, n, d, centers, labels } = st;
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += sqDist(x, i * d, centers, labels[i] * d, d);
  return inertia;
}

/** The plain JavaScript kernel (also the fallback where WebAssembly SIMD is unavailable). */
export function createJsKernel(x: Values, n: number, d: number, initialCenters: Float64Array): LloydKernel {
  const k = initialCenters.length / d;
  const st: LloydState = {
    x,
    n,
    d,
    k,
    centers: Float64Array.from(initialCenters),
    centerDist: new Float64Array(k * k),
    scratch: new Float64Array(k),
    labels: new Int32Array(n),
    upper: new Float64Array(n),
    lower: new Float64Array(n),
    sums: new Float64Array(k * d),
    counts: new Float64Array(k),
    x0: Float64Array.from(x.subarray(0, d)),
    move: new Float64Array(k),
    gaps: new Float64Array(k),
  };
  return {
    st,
    initialAssignment: () => initialAssignment(st),
    reassign: (maxMoveIdx, maxMove, secondMove) => reassignPass(st, maxMoveIdx, maxMove, secondMove),
    inertia: () => inertiaPass(st),
    finish: () => ({ labels: st.labels, centers: st.centers }),
  };
}

/**
 * Runs Lloyd from `initialCenters` (k × d). `tolRelative` is scikit-learn's tol: the run stops when the total
 * squared center shift is ≤ tol × mean feature variance, or when no label changes.
 */
export function lloyd(
  x: Values,
  n: number,
  d: number,
  initialCenters: Float64Array,
  maxIter: number,
  tolRelative: number,
  backend: LloydBackend = 'auto',
): LloydResult {
  const kernel = (backend === 'js' ? null : createSimdKernel(x, n, d, initialCenters)) ?? createJsKernel(x, n, d, initialCenters);
  const st = kernel.st;
  const k = st.k;
  centerGeometry(st);
  const shiftedSq = kernel.initialAssignment();
  // tol is relative to the mean feature variance (as scikit-learn); the first pass already summed what it needs.
  let meanSq = 0;
  for (let j = 0; j < d; j++) {
    let total = 0;
    for (let c = 0; c < k; c++) total += st.sums[c * d + j];
    meanSq += (total / n - st.x0[j]) ** 2;
  }
  const tolAbs = tolRelative * (Math.max(shiftedSq / n - meanSq, 0) / d);
  let nIter = 1;
  let converged = false;
  let shift = updateCenters(st);
  // Same loop shape as scikit-learn's _kmeans_single_lloyd, so iteration counts are comparable.
  while (shift > tolAbs && nIter < maxIter) {
    const changed = reassign(kernel);
    nIter++;
    if (changed === 0) {
      converged = true;
      break;
    }
    shift = updateCenters(st);
  }
  if (!converged) {
    // Centers moved after the last assignment: relabel so labels and inertia describe the returned centers.
    reassign(kernel);
  }
  const inertia = kernel.inertia();
  const { labels, centers } = kernel.finish();
  return { labels, centers, inertia, nIter, converged };
}
