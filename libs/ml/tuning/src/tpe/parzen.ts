import type { Rng } from '../random';
import { fromInternal, toInternal, type CategoricalParam, type NumericParam, type Param } from '../space';
import { logNdtrDiff, logNormalPdf, sampleTruncatedStandard } from './normal';

/** One observation of the dimensions an estimator covers: the transformed coordinate, or the choice index. */
export type Coordinates = readonly number[];

interface NumericKernels {
  readonly kind: 'numeric';
  readonly param: NumericParam;
  readonly mus: Float64Array;
  readonly sigmas: Float64Array;
  /** ln of each truncated kernel's mass inside [xLow, xHigh]. */
  readonly logMass: Float64Array;
  /** 1/σ and −ln σ − ln √(2π) − ln mass: the continuous log-density is offset − ½((x − μ)/σ)². */
  readonly invSigmas: Float64Array;
  readonly offsets: Float64Array;
}

interface CategoricalKernels {
  readonly kind: 'categorical';
  readonly param: CategoricalParam;
  /** Per component, ln of the probability of each choice. */
  readonly logProbs: Float64Array[];
  readonly probs: Float64Array[];
}

type Kernels = NumericKernels | CategoricalKernels;

export interface ParzenOptions {
  readonly priorWeight: number;
  /** Finished trials of the study (both groups): loosens the magic clip as the study grows. */
  readonly finished?: number;
}

/** Finished trials that count as one kernel in the magic clip's floor (see numericKernels). */
const CLIP_TRIALS_PER_KERNEL = 4;

/** Optuna's default_weights: flat for the 25 newest observations, a linear ramp from 1/n up for older ones. */
export function defaultWeights(n: number): Float64Array {
  const weights = new Float64Array(n).fill(1);
  if (n < 25) return weights;
  const ramp = n - 25;
  for (let i = 0; i < ramp; i++) weights[i] = ramp === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (ramp - 1);
  return weights;
}

/**
 * A Parzen estimator (mixture of truncated Gaussians / smoothed categoricals) over one or several dimensions, one
 * component per observation plus a prior component (the whole range / uniform choices) weighing `priorWeight`
 * against the observations' own weights, as in Optuna's `_ParzenEstimator` with consider_prior, magic clip on and
 * consider_endpoints off; two departures: the clip's floor also shrinks with the study's size, and joint kernels
 * take per-dimension neighbour-gap widths (both explained in numericKernels).
 */
export class ParzenEstimator {
  private readonly kernels: Kernels[];
  private readonly weights: Float64Array;
  private readonly logWeights: Float64Array;
  /** Per-component terms of logPdf, reused across calls (an estimator is used by one suggestion only). */
  private readonly terms: Float64Array;

  constructor(
    readonly params: readonly Param[],
    observations: readonly Coordinates[],
    observationWeights: Float64Array,
    options: ParzenOptions,
  ) {
    const n = observations.length;
    const weights = new Float64Array(n + 1);
    weights.set(observationWeights);
    weights[n] = options.priorWeight;
    let total = 0;
    for (const w of weights) total += w;
    for (let i = 0; i <= n; i++) weights[i] /= total;
    this.weights = weights;
    this.logWeights = weights.map((w) => Math.log(w));
    this.terms = new Float64Array(n + 1);
    this.kernels = params.map((param, d) => {
      const column = observations.map((o) => o[d]);
      return param.kind === 'categorical' ? categoricalKernels(param, column, options.priorWeight) : numericKernels(param, column, options);
    });
  }

  /** Draws from the mixture: a component by weight, then every dimension from that component. */
  sample(rng: Rng): number[] {
    const k = rng.choice(this.weights);
    return this.kernels.map((kernel) => {
      if (kernel.kind === 'categorical') return rng.choice(kernel.probs[k]);
      const { param } = kernel;
      const mu = kernel.mus[k];
      const sigma = kernel.sigmas[k];
      const z = sampleTruncatedStandard((param.xLow - mu) / sigma, (param.xHigh - mu) / sigma, rng.next());
      return toInternal(param, fromInternal(param, mu + sigma * z));
    });
  }

  /** ln of the mixture's density (mass of the value's cell for discrete dimensions) at the point. */
  logPdf(point: Coordinates): number {
    const n = this.weights.length;
    const terms = this.terms;
    terms.set(this.logWeights);
    for (let d = 0; d < this.kernels.length; d++) {
      const kernel = this.kernels[d];
      if (kernel.kind === 'categorical') {
        const c = point[d];
        for (let k = 0; k < n; k++) terms[k] += kernel.logProbs[k][c];
        continue;
      }
      const { param, mus, invSigmas, logMass, offsets } = kernel;
      const x = point[d];
      const cell = discreteCell(param, x);
      if (cell) {
        for (let k = 0; k < n; k++) terms[k] += logNdtrDiff((cell[0] - mus[k]) * invSigmas[k], (cell[1] - mus[k]) * invSigmas[k]) - logMass[k];
      } else {
        for (let k = 0; k < n; k++) {
          const z = (x - mus[k]) * invSigmas[k];
          terms[k] += offsets[k] - 0.5 * z * z;
        }
      }
    }
    let max = -Infinity;
    for (const t of terms) if (t > max) max = t;
    if (max === -Infinity) return -Infinity;
    let sum = 0;
    for (const t of terms) sum += Math.exp(t - max);
    return max + Math.log(sum);
  }
}

/** The interval of transformed coordinates that rounds to the same grid value, or null for continuous dimensions. */
function discreteCell(param: NumericParam, x: number): [number, number] | null {
  if (param.step === null) return null;
  if (param.log) {
    const v = Math.exp(x);
    return [Math.log(Math.max(param.low - 0.5, v - 0.5)), Math.log(v + 0.5)];
  }
  return [x - param.step / 2, x + param.step / 2];
}

/**
 * Indices of values[0..m) in ascending order, ties by index (a stable argsort): a native numeric sort of a copy plus
 * a binary search per value, several times faster than Array#sort with a comparator at 1,000 observations.
 */
function argsort(values: Float64Array, m: number): Uint32Array {
  const sorted = values.slice(0, m).sort();
  const used = new Uint32Array(m);
  const order = new Uint32Array(m);
  for (let i = 0; i < m; i++) {
    const v = values[i];
    let lo = 0;
    let hi = m;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    order[lo + used[lo]++] = i;
  }
  return order;
}

function numericKernels(param: NumericParam, column: readonly number[], options: ParzenOptions): NumericKernels {
  const n = column.length;
  const low = param.xLow;
  const high = param.xHigh;
  const range = high - low || 1;
  const priorMu = 0.5 * (low + high);
  const mus = new Float64Array(n + 1);
  const sigmas = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) mus[i] = column[i];
  mus[n] = priorMu;
  // Each kernel is as wide as the larger gap to its sorted neighbours among the observations and the prior's centre
  // (Optuna 3.1); the outermost use their inner gap rather than the distance to the bounds (consider_endpoints off).
  // Joint (multivariate) kernels use the same per-dimension rule instead of Optuna's 0.2·n^(−1/(d+4)) Scott-style
  // width: on Branin that shared width shrinks too slowly to refine an optimum (0/20 seeds within 1% after 200 trials,
  // see tools/bench/RESULTS-tuning.md).
  const m = n + 1;
  const order = argsort(mus, m);
  for (let j = 0; j < m; j++) {
    const here = mus[order[j]];
    const left = j === 0 ? here - low : here - mus[order[j - 1]];
    const right = j === m - 1 ? high - here : mus[order[j + 1]] - here;
    let sigma = Math.max(left, right);
    if (m >= 2 && j === 0) sigma = mus[order[1]] - here;
    if (m >= 2 && j === m - 1) sigma = here - mus[order[m - 2]];
    sigmas[order[j]] = sigma;
  }
  // Optuna's magic clip keeps kernels between range / min(100, 1 + kernels) and the range. Counted on the group alone
  // (γ keeps the good group at ≤ 25), that floor stays at range/22 after 200 trials, too wide to close in on an
  // optimum; it also counts a quarter of the study's finished trials here, so it reaches range/100 at 392 trials.
  const minSigma = range / Math.min(100, Math.max(n + 2, (options.finished ?? 0) / CLIP_TRIALS_PER_KERNEL + 2));
  for (let i = 0; i < n; i++) sigmas[i] = Math.min(range, Math.max(minSigma, sigmas[i]));
  sigmas[n] = range;
  const logMass = new Float64Array(n + 1);
  const invSigmas = new Float64Array(n + 1);
  const offsets = new Float64Array(n + 1);
  for (let i = 0; i <= n; i++) {
    logMass[i] = logNdtrDiff((low - mus[i]) / sigmas[i], (high - mus[i]) / sigmas[i]);
    invSigmas[i] = 1 / sigmas[i];
    offsets[i] = logNormalPdf(0) - Math.log(sigmas[i]) - logMass[i];
  }
  return { kind: 'numeric', param, mus, sigmas, logMass, invSigmas, offsets };
}

function categoricalKernels(param: CategoricalParam, column: readonly number[], priorWeight: number): CategoricalKernels {
  const n = column.length;
  const choices = param.choices.length;
  const probs: Float64Array[] = [];
  // Optuna: every kernel spreads priorWeight / kernels over all choices on top of its observed one; the prior is uniform.
  const smoothing = priorWeight / (n + 1);
  for (let i = 0; i < n; i++) {
    const row = new Float64Array(choices).fill(smoothing);
    row[column[i]] += 1;
    const total = 1 + smoothing * choices;
    for (let c = 0; c < choices; c++) row[c] /= total;
    probs.push(row);
  }
  probs.push(new Float64Array(choices).fill(1 / choices));
  return { kind: 'categorical', param, probs, logProbs: probs.map((row) => row.map((p) => Math.log(p))) };
}
