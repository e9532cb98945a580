import type { Random } from '../common';
import type { Values } from './lloyd';

/**
 * Greedy k-means++ (Arthur & Vassilvitskii 2007, with scikit-learn's 2 + ln k local trials per step):
 * each new center is the best of a few candidates drawn with probability proportional to D(x)².
 */
export function kmeansPlusPlus(x: Values, n: number, d: number, k: number, random: Random): Float64Array {
  const centers = new Float64Array(k * d);
  const nTrials = 2 + Math.floor(Math.log(k));
  const first = random.int(n);
  centers.set(x.subarray(first * d, first * d + d), 0);
  const closest = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    closest[i] = sqDistRows(x, i * d, x, first * d, d);
  }
  const cumulative = new Float64Array(n);
  const candidateDist = new Float64Array(n);
  const bestDist = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    let acc = 0;
    for (let i = 0; i < n; i++) {
      acc += closest[i];
      cumulative[i] = acc;
    }
    let bestCandidate = -1;
    let bestPotential = Number.POSITIVE_INFINITY;
    for (let t = 0; t < nTrials; t++) {
      // All points coincide with chosen centers: any point is as good as another.
      const candidate = acc > 0 ? searchSorted(cumulative, random.next() * acc) : random.int(n);
      let pot = 0;
      const cOff = candidate * d;
      for (let i = 0; i < n; i++) {
        const dist = Math.min(closest[i], sqDistRows(x, i * d, x, cOff, d));
        candidateDist[i] = dist;
        pot += dist;
      }
      if (pot < bestPotential) {
        bestPotential = pot;
        bestCandidate = candidate;
        bestDist.set(candidateDist);
      }
    }
    centers.set(x.subarray(bestCandidate * d, bestCandidate * d + d), c * d);
    closest.set(bestDist);
  }
  return centers;
}

/** k distinct rows drawn uniformly (scikit-learn's init='random'). */
export function randomRows(x: Values, n: number, d: number, k: number, random: Random): Float64Array {
  const centers = new Float64Array(k * d);
  const chosen = new Set<number>();
  for (let c = 0; c < k; c++) {
    let row = random.int(n);
    while (chosen.has(row)) row = random.int(n);
    chosen.add(row);
    centers.set(x.subarray(row * d, row * d + d), c * d);
  }
  return centers;
}

/** Squared Euclidean distance between row `aOff` of `a` and row `bOff` of `b` (d features each), summed in order. */
export function sqDistRows(a: Values, aOff: number, b: Values, bOff: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const diff = a[aOff + j] - b[bOff + j];
    s += diff * diff;
  }
  return s;
}

/** First index whose cumulative weight exceeds `target`, skipping zero-weight rows. */
function searchSorted(cumulative: Float64Array, target: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid] <= target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
