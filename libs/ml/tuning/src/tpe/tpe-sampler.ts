import { Rng, STREAM } from '../random';
import { sampleIndependent } from '../random-sampler';
import { choiceIndex, compileSpace, fromInternal, isActive, numericValue, pointKey, toInternal, type Param } from '../space';
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
 * PRUNED ones behind them, those that got further first, then by their last intermediate value, then pruned trials
 * without any value; RUNNING ones (the constant liar) last. FAILED trials and the trial being suggested are left out.
 */
interface Scored {
  readonly trial: TrialRecord;
  readonly tier: number;
  readonly score: number;
}

export function rankTrials(history: readonly TrialRecord[], input: SuggestInput, liar: boolean): Scored[] {
  const sign = input.direction === 'maximize' ? -1 : 1;
  const scored: Scored[] = [];
  for (const trial of history) {
    if (trial.number === input.number) continue;
    if (trial.state === 'COMPLETE') {
      if (trial.value !== null && Number.isFinite(trial.value)) scored.push({ trial, tier: -Infinity, score: sign * trial.value });
    } else if (trial.state === 'PRUNED') {
      const last = trial.intermediate[trial.intermediate.length - 1];
      if (last && Number.isFinite(last.value)) scored.push({ trial, tier: -last.step, score: sign * last.value });
      else scored.push({ trial, tier: 1, score: 0 });
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
  readonly finished: number;
  readonly good: Coordinates[];
  readonly goodWeights: Float64Array;
  readonly bad: Coordinates[];
  readonly badWeights: Float64Array;
}

/** The ranked trials, and their rank positions in trial-number order (for the age weights). */
interface Ranked {
  readonly ranked: readonly Scored[];
  readonly byAge: Uint32Array;
}

function byAge(ranked: readonly Scored[]): Ranked {
  const order = Uint32Array.from(ranked.keys()).sort((a, b) => ranked[a].trial.number - ranked[b].trial.number);
  return { ranked, byAge: order };
}

/**
 * The good/bad split over the trials where every one of `params` is present, each group in trial-number order so
 * that the age weights fall on the oldest: two linear passes, no sort per parameter.
 */
function split({ ranked, byAge: ageOrder }: Ranked, params: readonly Param[], gamma: TpeGamma | undefined): Split {
  const coordsByRank: (number[] | null)[] = new Array(ranked.length).fill(null);
  let finished = 0;
  ranked.forEach(({ trial }, rank) => {
    const coords: number[] = [];
    for (const param of params) {
      const c = coordinate(param, trial.params[param.name]);
      if (c === null) return;
      coords.push(c);
    }
    coordsByRank[rank] = coords;
    if (trial.state !== 'RUNNING') finished++;
  });
  // γ counts finished trials only: the liars rank last, so they always land in the bad group.
  const nGood = gammaCount(gamma, finished);
  const isGood = new Uint8Array(ranked.length);
  for (let rank = 0, taken = 0; rank < ranked.length && taken < nGood; rank++) {
    if (coordsByRank[rank] === null) continue;
    isGood[rank] = 1;
    taken++;
  }
  const good: Coordinates[] = [];
  const bad: Coordinates[] = [];
  for (const rank of ageOrder) {
    const coords = coordsByRank[rank];
    if (coords) (isGood[rank] ? good : bad).push(coords);
  }
  return {
    finished,
    good,
    goodWeights: defaultWeights(good.length),
    bad,
    badWeights: defaultWeights(bad.length),
  };
}

/** One slot's candidates (a parameter, or the joint block), distinct, best first by ln l(x) − ln g(x). */
type Ranking = { readonly values: readonly ParamValue[]; readonly score: number }[];

/** Draws `eiCandidates` points from l(x) and ranks them by ln l(x) − ln g(x): the first is Optuna's EI argmax. */
function rankCandidates(params: readonly Param[], parts: Split, config: Required<Pick<TpeSamplerConfig, 'priorWeight' | 'eiCandidates'>>, rng: Rng): Ranking {
  const options = { priorWeight: config.priorWeight, finished: parts.finished };
  const below = new ParzenEstimator(params, parts.good, parts.goodWeights, options);
  const above = new ParzenEstimator(params, parts.bad, parts.badWeights, options);
  const seen = new Set<string>();
  const ranking: { values: ParamValue[]; score: number; order: number }[] = [];
  for (let i = 0; i < Math.max(1, config.eiCandidates); i++) {
    const candidate = below.sample(rng);
    const values = params.map((param, d) => decode(param, candidate[d]));
    const key = JSON.stringify(values);
    if (seen.has(key)) continue;
    seen.add(key);
    ranking.push({ values, score: below.logPdf(candidate) - above.logPdf(candidate), order: i });
  }
  // Ties keep the draw order, so the winner is the first best draw as in Optuna's argmax.
  return ranking.sort((a, b) => b.score - a.score || a.order - b.order);
}

function decode(param: Param, c: number): ParamValue {
  return param.kind === 'categorical' ? param.choices[c] : fromInternal(param, c);
}

/** How many fresh random points to try when every model candidate is already held by a pending trial. */
const RANDOM_RETRIES = 16;

/**
 * Tree-structured Parzen Estimator (Bergstra et al. 2011, following Optuna's design). With fewer than
 * `startupTrials` finished (COMPLETE or PRUNED) trials it returns the random-search point. Otherwise, jointly over
 * the unconditional parameters (multivariate, the default) or per parameter (univariate) it ranks the trials where that parameter was active,
 * takes the best γ(n) finished ones as good, fits l (good) and g (the rest, RUNNING trials included as the worst
 * under the constant liar) and keeps the best of `eiCandidates` draws from l by l/g. Conditional parameters are
 * always modelled on their own, from the trials where they were active.
 *
 * With the constant liar on, the point is also never one a RUNNING trial already holds (small discrete spaces): the
 * best combination is replaced by the cheapest swap (one slot moved to its next-best distinct candidate, its
 * conditional children re-drawn) that is free, else by a fresh random point.
 */
export function suggestTpe(input: SuggestInput & { readonly sampler: TpeSamplerConfig }): Record<string, ParamValue> {
  const space = compileSpace(input.space);
  const config = input.sampler;
  const liar = config.constantLiar ?? true;
  const pending = new Set(liar ? input.history.filter((t) => t.state === 'RUNNING' && t.number !== input.number).map((t) => pointKey(t.params, space)) : []);
  const free = (point: Record<string, ParamValue>) => !pending.has(pointKey(point, space));
  const randomPoint = (attempt: number) => sampleIndependent(space, new Rng(input.seed, input.number, STREAM.random, ...(attempt ? [attempt] : [])));
  const fallback = (point: Record<string, ParamValue>) => {
    for (let attempt = 1; attempt <= RANDOM_RETRIES && !free(point); attempt++) point = randomPoint(attempt);
    return point;
  };
  const startup = config.startupTrials ?? 10;
  const finished = input.history.filter((t) => t.number !== input.number && (t.state === 'COMPLETE' || t.state === 'PRUNED')).length;
  if (finished < startup) return fallback(randomPoint(0));

  const rng = new Rng(input.seed, input.number, STREAM.tpe);
  const ranked = byAge(rankTrials(input.history, input, liar));
  const settings = { priorWeight: config.priorWeight ?? 1, eiCandidates: config.eiCandidates ?? 24 };
  const joint = (config.multivariate ?? true) ? space.params.filter((p) => p.when === null) : [];
  // A slot is the joint block or one parameter; its ranking is computed once, when first needed.
  const rankings = new Map<string, Ranking>();
  const JOINT = '\u0000joint';
  const rankingOf = (slot: string): Ranking => {
    let ranking = rankings.get(slot);
    if (!ranking) {
      const params = slot === JOINT ? joint : [space.byName.get(slot) as Param];
      ranking = rankCandidates(params, split(ranked, params, config.gamma), settings, rng);
      rankings.set(slot, ranking);
    }
    return ranking;
  };
  /** The point made of each slot's choice (index into its ranking; 0 unless overridden), parents first. */
  const assemble = (override: { slot: string; index: number } | null) => {
    const point: Record<string, ParamValue> = {};
    const slots: string[] = [];
    const pick = (slot: string) => {
      slots.push(slot);
      return rankingOf(slot)[override?.slot === slot ? override.index : 0].values;
    };
    if (joint.length) pick(JOINT).forEach((value, d) => (point[joint[d].name] = value));
    for (const param of space.params) {
      if (Object.prototype.hasOwnProperty.call(point, param.name) || !isActive(param, point)) continue;
      point[param.name] = pick(param.name)[0];
    }
    return { point, slots };
  };
  const best = assemble(null);
  if (free(best.point)) return best.point;
  const swaps = best.slots
    .filter((slot) => rankingOf(slot).length > 1)
    .map((slot) => ({ slot, index: 1, loss: rankingOf(slot)[0].score - rankingOf(slot)[1].score }))
    .sort((a, b) => a.loss - b.loss);
  for (const swap of swaps) {
    const { point } = assemble(swap);
    if (free(point)) return point;
  }
  return fallback(best.point);
}
