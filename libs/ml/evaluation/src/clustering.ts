import { EvaluationErrorCode, EvaluationInputError } from './evaluation.error';
import { assertSameLength, toLabels, toMatrix, type MatrixInput } from './inputs';

function encode(labels: Int32Array): { codes: Int32Array; k: number } {
  const map = new Map<number, number>();
  const codes = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    let c = map.get(labels[i]);
    if (c === undefined) {
      c = map.size;
      map.set(labels[i], c);
    }
    codes[i] = c;
  }
  return { codes, k: map.size };
}

/**
 * Adjusted Rand index from the pair confusion matrix, as scikit-learn 1.2 computes it. Label values are
 * arbitrary (only the partition matters). Counts stay exact in doubles up to ~9·10⁷ rows.
 */
export function adjustedRandIndex(labelsTrue: ArrayLike<number>, labelsPred: ArrayLike<number>): number {
  const a = encode(toLabels(labelsTrue, 'labelsTrue'));
  const b = encode(toLabels(labelsPred, 'labelsPred'));
  assertSameLength(a.codes, b.codes, 'labelsTrue', 'labelsPred');
  const n = a.codes.length;
  const contingency = new Map<number, number>();
  const rowSums = new Float64Array(a.k);
  const colSums = new Float64Array(b.k);
  for (let i = 0; i < n; i++) {
    const key = a.codes[i] * b.k + b.codes[i];
    contingency.set(key, (contingency.get(key) ?? 0) + 1);
    rowSums[a.codes[i]]++;
    colSums[b.codes[i]]++;
  }
  let sumSquares = 0;
  let rowDot = 0;
  let colDot = 0;
  for (const [key, count] of contingency) {
    sumSquares += count * count;
    rowDot += count * colSums[key % b.k];
    colDot += count * rowSums[Math.floor(key / b.k)];
  }
  const tp = sumSquares - n;
  const fp = rowDot - sumSquares;
  const fn = colDot - sumSquares;
  const tn = n * n - fp - fn - sumSquares;
  if (fn === 0 && fp === 0) return 1;
  return (2 * (tp * tn - fn * fp)) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn));
}

/**
 * Silhouette coefficient of every row with Euclidean distances: (b − a) / max(a, b), where a is the mean distance
 * to the own cluster and b the smallest mean distance to another cluster; 0 for rows alone in their cluster.
 * O(n²·d) time, O(n·k) memory.
 */
export function silhouetteSamples(features: MatrixInput, labels: ArrayLike<number>): Float64Array {
  const x = toMatrix(features, 'features');
  const { codes, k } = encode(toLabels(labels, 'labels'));
  assertSameLength(codes, { length: x.nRows }, 'features', 'labels');
  const n = x.nRows;
  const d = x.nCols;
  if (k < 2 || k > n - 1) {
    throw new EvaluationInputError(EvaluationErrorCode.BAD_LABELS, 'labels', `silhouette needs 2 ≤ clusters ≤ n − 1, got ${k} clusters for ${n} rows`);
  }
  const sizes = new Float64Array(k);
  for (let i = 0; i < n; i++) sizes[codes[i]]++;
  // distSums[i * k + c] = Σ distance from row i to rows of cluster c; each pair computed once.
  const distSums = new Float64Array(n * k);
  const data = x.data;
  for (let i = 0; i < n; i++) {
    const oi = i * d;
    const ci = codes[i];
    for (let j = i + 1; j < n; j++) {
      const oj = j * d;
      let s = 0;
      for (let f = 0; f < d; f++) {
        const diff = data[oi + f] - data[oj + f];
        s += diff * diff;
      }
      const dist = Math.sqrt(s);
      distSums[i * k + codes[j]] += dist;
      distSums[j * k + ci] += dist;
    }
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const own = codes[i];
    if (sizes[own] <= 1) continue;
    const a = distSums[i * k + own] / (sizes[own] - 1);
    let b = Number.POSITIVE_INFINITY;
    for (let c = 0; c < k; c++) if (c !== own) b = Math.min(b, distSums[i * k + c] / sizes[c]);
    out[i] = (b - a) / Math.max(a, b);
  }
  return out;
}

/** Mean silhouette coefficient over all rows (scikit-learn's silhouette_score, Euclidean, no sampling). */
export function silhouetteScore(features: MatrixInput, labels: ArrayLike<number>): number {
  const s = silhouetteSamples(features, labels);
  let total = 0;
  for (let i = 0; i < s.length; i++) total += s[i];
  return total / s.length;
}
