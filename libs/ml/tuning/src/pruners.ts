import { fmt } from './format';
import type { Direction, EarlyStoppingRuleInput, MedianRuleInput, PruneDecision, SuccessiveHalvingRuleInput, TrialRecord } from './types';

const KEEP: PruneDecision = { prune: false };

function better(direction: Direction, a: number, b: number): boolean {
  return direction === 'maximize' ? a > b : a < b;
}

/** numpy's median (mean of the two middle values for an even count). */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Optuna's MedianPruner, stateless. At the trial's latest step s:
 * - no decision before `warmupSteps` (s < warmupSteps) nor between checkpoints: only the first report at or after
 *   each checkpoint warmupSteps + k·intervalSteps is judged (Optuna's `_is_first_in_interval_step`);
 * - the trial's figure is its best intermediate value so far (steps ≤ s);
 * - the comparison set is the value at step s exactly of every other COMPLETE trial that reported step s; fewer
 *   than `minTrials` such trials → no decision (this also covers Optuna's n_startup_trials: those trials are
 *   complete ones);
 * - prune when the trial's figure is worse than their median.
 */
export function medianDecision(rule: MedianRuleInput, direction: Direction, trial: TrialRecord, history: readonly TrialRecord[]): PruneDecision {
  const warmup = rule.warmupSteps ?? 0;
  const minTrials = rule.minTrials ?? 5;
  const interval = Math.max(1, rule.intervalSteps ?? 1);
  const points = trial.intermediate;
  if (points.length === 0) return KEEP;
  const step = points[points.length - 1].step;
  if (step < warmup) return KEEP;
  const checkpoint = Math.floor((step - warmup) / interval) * interval + warmup;
  const previous = points.length > 1 ? points[points.length - 2].step : -1;
  if (previous >= checkpoint) return KEEP;
  let best = points[0].value;
  for (const point of points) if (better(direction, point.value, best)) best = point.value;
  const others: number[] = [];
  for (const other of history) {
    if (other.state !== 'COMPLETE' || other.number === trial.number) continue;
    const at = findStep(other.intermediate, step);
    if (at !== null) others.push(at);
  }
  if (others.length < Math.max(1, minTrials)) return KEEP;
  const mid = median(others);
  if (!better(direction, mid, best)) return KEEP;
  const figure = points.length > 1 ? `best value so far ${fmt(best)}` : fmt(best);
  return {
    prune: true,
    reason: `median rule: ${figure} at step ${step} is worse than the median ${fmt(mid)} of ${others.length} completed trials at that step`,
  };
}

function findStep(points: readonly { step: number; value: number }[], step: number): number | null {
  let lo = 0;
  let hi = points.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = points[mid].step;
    if (s === step) return points[mid].value;
    if (s < step) lo = mid + 1;
    else hi = mid - 1;
  }
  return null;
}

/** The value a trial recorded at a rung: its value at the first step ≥ the rung's step (when it got that far). */
function rungValue(points: readonly { step: number; value: number }[], rungStep: number): number | null {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid].step < rungStep) lo = mid + 1;
    else hi = mid;
  }
  return lo < points.length ? points[lo].value : null;
}

/**
 * Optuna's SuccessiveHalvingPruner (asynchronous successive halving), stateless. Rung k sits at step
 * minResource · reductionFactor^(minEarlyStoppingRate + k). Each rung the trial's latest report crossed (steps in
 * (previous step, latest step]) is judged with the latest value: the trial goes on only if it ranks in the top
 * ⌊n / reductionFactor⌋ of the n values recorded at that rung (its own included; every other trial's rung value is
 * its value at its first step ≥ the rung's step); while n < reductionFactor only the best value goes on, as in Optuna.
 */
export function successiveHalvingDecision(
  rule: SuccessiveHalvingRuleInput,
  direction: Direction,
  trial: TrialRecord,
  history: readonly TrialRecord[],
): PruneDecision {
  const minResource = Math.max(1, rule.minResource ?? 1);
  const eta = Math.max(2, rule.reductionFactor ?? 3);
  const rate = Math.max(0, rule.minEarlyStoppingRate ?? 0);
  const points = trial.intermediate;
  if (points.length === 0) return KEEP;
  const { step, value } = points[points.length - 1];
  const previous = points.length > 1 ? points[points.length - 2].step : -Infinity;
  for (let rung = 0; ; rung++) {
    const rungStep = minResource * eta ** (rate + rung);
    if (!Number.isFinite(rungStep) || rungStep > step) return KEEP;
    if (rungStep <= previous) continue;
    const competing = [value];
    for (const other of history) {
      if (other.number === trial.number) continue;
      const v = rungValue(other.intermediate, rungStep);
      if (v !== null) competing.push(v);
    }
    const promotable = Math.max(0, Math.floor(competing.length / eta) - 1);
    competing.sort((a, b) => (direction === 'maximize' ? b - a : a - b));
    const cutoff = competing[promotable];
    if (better(direction, cutoff, value)) {
      const top = Math.max(1, Math.floor(competing.length / eta));
      return {
        prune: true,
        reason:
          `successive halving: ${fmt(value)} at step ${step} (rung ${rung}, step ${rungStep}) is not in the top ${top} of ` +
          `${competing.length} trials at that rung (reduction factor ${eta}, cut-off ${fmt(cutoff)})`,
      };
    }
  }
}

/** Should the trial stop now, judged by its intermediate values against the rest of the study? */
export function shouldPrune(input: {
  readonly rule: EarlyStoppingRuleInput;
  readonly direction: Direction;
  readonly trial: TrialRecord;
  readonly history: readonly TrialRecord[];
}): PruneDecision {
  const { rule, direction, trial, history } = input;
  if (rule.rule === 'median') return medianDecision(rule, direction, trial, history);
  return successiveHalvingDecision(rule, direction, trial, history);
}
