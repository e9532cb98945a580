import { EvaluationErrorCode, EvaluationInputError } from './evaluation.error';
import { assertSameLength, meanStd, toVector } from './inputs';

/** The quantiles a residual summary reports, as fractions. */
export const RESIDUAL_QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95] as const;

export interface Histogram {
  /** bins + 1 increasing edges; bin i is [edges[i], edges[i + 1]), the last bin also holds its right edge. */
  edges: number[];
  counts: number[];
}

export interface ResidualSummary {
  count: number;
  /** Residuals are yTrue − yPred: positive where the model under-predicts. */
  mean: number;
  /** Population standard deviation (ddof = 0, numpy's default). */
  std: number;
  min: number;
  max: number;
  maxAbs: number;
  quantiles: { p5: number; p25: number; p50: number; p75: number; p95: number };
  histogram: Histogram;
}

/**
 * The q-quantile of ascending `sorted` values with numpy's default ('linear') interpolation:
 * position q·(n − 1), interpolated between its neighbours.
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) throw new EvaluationInputError(EvaluationErrorCode.EMPTY_INPUT, 'values', 'needs at least one value');
  if (!(q >= 0 && q <= 1)) throw new EvaluationInputError(EvaluationErrorCode.BAD_PARAM, 'q', `must be in [0, 1], got ${q}`);
  const position = q * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, sorted.length - 1);
  const fraction = position - lower;
  // numpy's _lerp form, exact at both ends: a + (b − a)·t, or b − (b − a)·(1 − t) past the midpoint.
  const a = sorted[lower];
  const b = sorted[upper];
  const diff = b - a;
  return fraction >= 0.5 ? b - diff * (1 - fraction) : a + diff * fraction;
}

/**
 * numpy.histogram(values, bins) with equal-width bins over [min, max] (min ± 0.5 when every value is the same):
 * edges are min + i·(max − min)/bins, the last one exactly max, and a value on an edge goes to the bin on its right.
 */
export function histogram(values: ArrayLike<number>, bins = 20): Histogram {
  const v = toVector(values, 'values');
  if (v.length === 0) throw new EvaluationInputError(EvaluationErrorCode.EMPTY_INPUT, 'values', 'needs at least one value');
  if (!Number.isInteger(bins) || bins < 1) throw new EvaluationInputError(EvaluationErrorCode.BAD_PARAM, 'bins', `must be an integer ≥ 1, got ${bins}`);
  let first = Infinity;
  let last = -Infinity;
  for (let i = 0; i < v.length; i++) {
    if (v[i] < first) first = v[i];
    if (v[i] > last) last = v[i];
  }
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  const step = (last - first) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => i * step + first);
  edges[bins] = last;
  const counts = new Array<number>(bins).fill(0);
  const norm = bins / (last - first);
  for (let i = 0; i < v.length; i++) {
    let index = Math.floor((v[i] - first) * norm);
    if (index === bins) index--;
    // The scaled index can land one bin off next to an edge; compare with the edges themselves, as numpy does.
    if (v[i] < edges[index]) index--;
    else if (index !== bins - 1 && v[i] >= edges[index + 1]) index++;
    counts[index]++;
  }
  return { edges, counts };
}

/** Mean, spread, quantiles and a histogram of the residuals yTrue − yPred. */
export function residualSummary(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options: { bins?: number } = {}): ResidualSummary {
  const t = toVector(yTrue, 'yTrue');
  const p = toVector(yPred, 'yPred');
  assertSameLength(t, p, 'yTrue', 'yPred');
  if (t.length === 0) throw new EvaluationInputError(EvaluationErrorCode.EMPTY_INPUT, 'yTrue', 'needs at least one value');
  const residuals = Float64Array.from(t, (v, i) => v - p[i]);
  const sorted = Float64Array.from(residuals).sort();
  const { mean, std } = meanStd(residuals);
  const min = sorted[0];
  const max = sorted[sorted.length - 1];
  const [p5, p25, p50, p75, p95] = RESIDUAL_QUANTILES.map((q) => quantileSorted(sorted, q));
  return {
    count: residuals.length,
    mean,
    std,
    min,
    max,
    maxAbs: Math.max(Math.abs(min), Math.abs(max)),
    quantiles: { p5, p25, p50, p75, p95 },
    histogram: histogram(residuals, options.bins ?? 20),
  };
}
