import { Rng, STREAM } from '../random';
import { sampleIndependent } from '../random-sampler';
import { choiceIndex, compileSpace, fromInternal, isActive, numericValue, toInternal, type Param } from '../space';
import type { ParamValue, SuggestInput, TpeGamma, TpeSamplerConfig, TrialRecord } from '../types';
import { defaultWeights, ParzenEstimator, type Coordinates } from './parzen';

/** Optuna's default γ: the best min(⌈0.1·n⌉, 25) of n observations are "good". */
export function defaultGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

function gammaCount(gamma: TpeGamma | undefined, n: number): number {
  let count: number;
  if (gamma === undefined) count = defaultGamma(n);
  else if (typeof gamma === 'number') count = gamma < 1 ? Math.min(Math.ceil(gamma * n), 25) : Math.floor(gamma);
  else count = Math.min(Math.ceil(gamma.fraction * n), gamma.max ?? Number.POSITIVE_INFINITY);
  return Math.max(0, Math.min(n, count));
}

/**
 * A trial's rank key, smaller is better, compared lexicographically (Optuna's TPE): COMPLETE trials by objective;
 * PRUNED ones behind them, those that got further first, then by their last intermediate value; RUNNING ones (the
 * constant liar) and pruned trials without any value last. FAILED trials and the trial being suggested are left out.
 */
interface Scored {
  readonly trial: TrialRecord;
  readonly tier: number;
  readonly score: number;
}

function scoreTrials(history: readonly TrialRecord[], input: SuggestInput, liar: boolean): Scored[] {
  const sign = input.direction === 'maximize' ? -1 : 1;
  const scored: Scored[] = [];
  for (const trial of history) {
    if (trial.number === input.number) continue;
    if (trial.state === 'COMPLETE') {
      if (trial.value !== null && Number.isFinite(trial.value)) scored.push({ trial, tier: -Infinity, score: sign * trial.value });
    } else if (trial.state === 'PRUNED') {
      const last = trial.intermediate[trial.intermediate.length - 1];
      if (last && Number.isFinite(last.value)) scored.push({ trial, tier: -last.step, score: sign * last.value });
      else scored.push({ trial, tier: Infinity, score: 0 });
    } else if (trial.state === 'RUNNING' && liar) {
      scored.push({ trial, tier: Infinity, score: 0 });
    }
  }
  scored.sort((a, b) => a.tier - b.tier || a.score - b.score || a.trial.number - b.trial.number);
  return scored;
}

/** The coordinate of a stored value for a dimension, or null when it is absent or no longer fits the space. */
function coordinate(param: Param, value: ParamValue | undefined): number | null {
  if (param.kind === 'categorical') {
    const index = choiceIndex(param, value);
    return index < 0 ? null : index;
  }
  const v = numericValue(value);
  if (v === null || v < param.low || v > param.top) return null;
  return toInternal(param, v);
}

interface Split {
  readonly good: Coordinates[];
  readonly goodWeights: Float64Array;
  readonly bad: Coordinates[];
  readonly badWeights: Float64Array;
}

/** The good/bad split over the trials where every one of `params` is present, each group weighted by age. */
function split(ranked: readonly Scored[], params: readonly Param[], gamma: TpeGamma | undefined): Split {
  const rows: { number: number; coords: number[] }[] = [];
  for (const { trial } of ranked) {
    const coords: number[] = [];
    for (const param of params) {
      const c = coordinate(param, trial.params[param.name]);
      if (c === null) break;
      coords.push(c);
    }
    if (coords.length === params.length) rows.push({ number: trial.number, coords });
  }
  const nGood = gammaCount(gamma, rows.length);
  const byAge = (group: typeof rows) => [...group].sort((a, b) => a.number - b.number);
  const good = byAge(rows.slice(0, nGood));
  const bad = byAge(rows.slice(nGood));
  return { good: good.map((r) => r.coords), goodWeights: defaultWeights(good.length), bad: bad.map((r) => r.coords), badWeights: defaultWeights(bad.length) };
}

/** Draws `candidates` points from l(x) and keeps the one with the largest ln l(x) − ln g(x) (the EI argmax). */
function bestCandidate(
  params: readonly Param[],
  parts: Split,
  config: Required<Pick<TpeSamplerConfig, 'priorWeight' | 'eiCandidates'>>,
  multivariate: boolean,
  rng: Rng,
): Coordinates {
  const options = { priorWeight: config.priorWeight, multivariate };
  const below = new ParzenEstimator(params, parts.good, parts.goodWeights, options);
  const above = new ParzenEstimator(params, parts.bad, parts.badWeights, options);
  let best: Coordinates | null = null;
  let bestScore = -Infinity;
  for (let i = 0; i < Math.max(1, config.eiCandidates); i++) {
    const candidate = below.sample(rng);
    const score = below.logPdf(candidate) - above.logPdf(candidate);
    if (best === null || score > bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best as Coordinates;
}

function decode(param: Param, c: number): ParamValue {
  return param.kind === 'categorical' ? param.choices[c] : fromInternal(param, c);
}

/**
 * Tree-structured Parzen Estimator (Bergstra et al. 2011, following Optuna's design). With fewer than
 * `startupTrials` finished (COMPLETE or PRUNED) trials it returns the random-search point. Otherwise, per parameter
 * (or jointly over the unconditional ones in multivariate mode) it ranks the trials where that parameter was active,
 * takes the best γ(n) as good, fits l (good) and g (rest) and returns the best of `eiCandidates` draws from l by
 * l/g. Conditional parameters are always modelled on their own, from the trials where they were active.
 */
export function suggestTpe(input: SuggestInput & { readonly sampler: TpeSamplerConfig }): Record<string, ParamValue> {
  const space = compileSpace(input.space);
  const config = input.sampler;
  const startup = config.startupTrials ?? 10;
  const finished = input.history.filter((t) => t.number !== input.number && (t.state === 'COMPLETE' || t.state === 'PRUNED')).length;
  if (finished < startup) return sampleIndependent(space, new Rng(input.seed, input.number, STREAM.random));
  const rng = new Rng(input.seed, input.number, STREAM.tpe);
  const ranked = scoreTrials(input.history, input, config.constantLiar ?? true);
  const settings = { priorWeight: config.priorWeight ?? 1, eiCandidates: config.eiCandidates ?? 24 };
  const params: Record<string, ParamValue> = {};
  if (config.multivariate) {
    const joint = space.params.filter((p) => p.when === null);
    if (joint.length) {
      const point = bestCandidate(joint, split(ranked, joint, config.gamma), settings, true, rng);
      joint.forEach((param, d) => (params[param.name] = decode(param, point[d])));
    }
  }
  for (const param of space.params) {
    if (Object.prototype.hasOwnProperty.call(params, param.name) || !isActive(param, params)) continue;
    const [c] = bestCandidate([param], split(ranked, [param], config.gamma), settings, false, rng);
    params[param.name] = decode(param, c);
  }
  return params;
}
