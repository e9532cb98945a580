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
}

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
 * consider_endpoints off.
 */
export class ParzenEstimator {
  private readonly kernels: Kernels[];
  private readonly weights: Float64Array;
  private readonly logWeights: Float64Array;

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
    this.kernels = params.map((param, d) => {
      const column = observations.map((o) => o[d]);
      return param.kind === 'categorical' ? categoricalKernels(param, column, options.priorWeight) : numericKernels(param, column);
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
    const terms = new Float64Array(n);
    for (let k = 0; k < n; k++) terms[k] = this.logWeights[k];
    for (let d = 0; d < this.kernels.length; d++) {
      const kernel = this.kernels[d];
      if (kernel.kind === 'categorical') {
        const c = point[d];
        for (let k = 0; k < n; k++) terms[k] += kernel.logProbs[k][c];
        continue;
      }
      const { param, mus, sigmas, logMass } = kernel;
      const x = point[d];
      const cell = discreteCell(param, x);
      for (let k = 0; k < n; k++) {
        const sigma = sigmas[k];
        const density = cell ? logNdtrDiff((cell[0] - mus[k]) / sigma, (cell[1] - mus[k]) / sigma) : logNormalPdf((x - mus[k]) / sigma) - Math.log(sigma);
        terms[k] += density - logMass[k];
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

function numericKernels(param: NumericParam, column: readonly number[]): NumericKernels {
  const n = column.length;
  const low = param.xLow;
  const high = param.xHigh;
  const range = high - low || 1;
  const priorMu = 0.5 * (low + high);
  const mus = new Float64Array(n + 1);
  const sigmas = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) mus[i] = column[i];
  mus[n] = priorMu;
  // Each kernel is as wide as the larger gap to its sorted neighbours among the observations (the prior's centre is
  // not one of them, as in Optuna since 3.2); the outermost use their inner gap rather than the distance to the bounds
  // (consider_endpoints off). Joint (multivariate) kernels use the same per-dimension rule instead of Optuna's
  // 0.2·n^(−1/(d+4)) Scott-style width: on Branin/Hartmann-6 that shared width shrinks too slowly to refine an optimum
  // (0/20 Branin seeds within 1% after 200 trials, see tools/bench/RESULTS-tuning.md).
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => mus[a] - mus[b] || a - b);
  const m = order.length;
  for (let j = 0; j < m; j++) {
    const here = mus[order[j]];
    const left = j === 0 ? here - low : here - mus[order[j - 1]];
    const right = j === m - 1 ? high - here : mus[order[j + 1]] - here;
    let sigma = Math.max(left, right);
    if (m >= 2 && j === 0) sigma = mus[order[1]] - here;
    if (m >= 2 && j === m - 1) sigma = here - mus[order[m - 2]];
    sigmas[order[j]] = sigma;
  }
  // Optuna's magic clip: no kernel narrower than range / min(100, 1 + kernels) nor wider than the range.
  const minSigma = range / Math.min(100, 1 + n + 1);
  for (let i = 0; i < n; i++) sigmas[i] = Math.min(range, Math.max(minSigma, sigmas[i]));
  sigmas[n] = range;
  const logMass = new Float64Array(n + 1);
  for (let i = 0; i <= n; i++) logMass[i] = logNdtrDiff((low - mus[i]) / sigmas[i], (high - mus[i]) / sigmas[i]);
  return { kind: 'numeric', param, mus, sigmas, logMass };
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
