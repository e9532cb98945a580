import {
  TERMINAL_TUNING_STUDY_STATUSES,
  trainingTaskFor,
  type ChoiceValue,
  type SearchSpace,
  type TrainingAlgorithm,
  type TrainingTask,
  type TuningStudyStatus,
  type TuningStudyView,
  type TuningTrialStatus,
  type TuningTrialView,
} from '@slipway/contracts';
import type { StatusTone } from '../training-view';

// What the study pages compute from a study and its trials: pure functions, shared by the server render, the
// browser and the unit spec, so a chart shows exactly what a test can recompute from the API's answer.

/** While a study is RUNNING or STOPPING (or CREATED and about to start) its page keeps polling; terminal ones stop. */
export function isActiveStudy(status: TuningStudyStatus): boolean {
  return !TERMINAL_TUNING_STUDY_STATUSES.includes(status);
}

export function studyStatusTone(status: TuningStudyStatus): StatusTone {
  if (status === 'COMPLETED') return 'good';
  if (status === 'FAILED') return 'bad';
  return 'neutral';
}

export function trialStatusTone(status: TuningTrialStatus): StatusTone {
  if (status === 'COMPLETED') return 'good';
  if (status === 'FAILED') return 'bad';
  return 'neutral';
}

/** Trials that reached an end (the budget counts them): completed, pruned and failed ones. */
export function trialsDone(counts: TuningStudyView['counts']): number {
  return counts.completed + counts.pruned + counts.failed;
}

/** The share of the trial budget used, 0..1, for the progress bars. */
export function studyProgressFraction(study: Pick<TuningStudyView, 'counts' | 'maxTrials'>): number {
  if (study.maxTrials <= 0) return 0;
  return Math.min(1, trialsDone(study.counts) / study.maxTrials);
}

/** A parameter value as a table cell shows it: strings bare, null as "none", numbers short. */
export function formatParam(value: ChoiceValue | undefined): string {
  if (value === undefined) return '—';
  if (value === null) return 'none';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : Number(value.toPrecision(4)).toString();
  return String(value);
}

// ── trials table ────────────────────────────────────────────────────────────

export type TrialSortKey = 'number' | 'value' | 'status';
export type SortDirection = 'asc' | 'desc';

/** The order a table of states reads best in: what is happening first, then what is done, failures last. */
const STATUS_ORDER: Record<TuningTrialStatus, number> = { RUNNING: 0, QUEUED: 1, COMPLETED: 2, PRUNED: 3, FAILED: 4 };

/** Sorting by value: objectives first, then pruned trials' partial values, then trials without a value. */
const valueTier = (trial: TuningTrialView) => (trial.value === null ? 2 : trial.status === 'COMPLETED' ? 0 : 1);

/**
 * Trials sorted by one column. By value, completed trials come first in both directions, then pruned ones (their
 * value is the last intermediate one, a fold's running mean, which can beat the best objective without being
 * comparable to it), then those without a value (queued, running, failed), as the run tables put runs without the
 * metric last; ties fall back to the trial number.
 */
export function sortTrials(trials: readonly TuningTrialView[], key: TrialSortKey, direction: SortDirection): TuningTrialView[] {
  const sign = direction === 'asc' ? 1 : -1;
  return [...trials].sort((a, b) => {
    if (key === 'value') {
      const tier = valueTier(a) - valueTier(b);
      if (tier !== 0) return tier;
      if (a.value !== null && b.value !== null && a.value !== b.value) return sign * (a.value - b.value);
      return a.number - b.number;
    }
    if (key === 'status') {
      const diff = STATUS_ORDER[a.status] - STATUS_ORDER[b.status];
      return diff !== 0 ? sign * diff : a.number - b.number;
    }
    return sign * (a.number - b.number);
  });
}

// ── optimisation history ────────────────────────────────────────────────────

export interface HistoryPoint {
  number: number;
  value: number;
  status: TuningTrialStatus;
}

export interface BestStep {
  number: number;
  best: number;
}

/**
 * The optimisation history: each trial's value (completed ones, and pruned ones at the value they were stopped
 * at) and the best completed value so far after each completed trial. Pruned trials never set the best: their
 * value is an intermediate one, not the objective.
 */
export function optimisationHistory(trials: readonly TuningTrialView[], direction: 'maximize' | 'minimize'): { points: HistoryPoint[]; best: BestStep[] } {
  const ordered = [...trials].sort((a, b) => a.number - b.number);
  const points: HistoryPoint[] = [];
  const best: BestStep[] = [];
  let current: number | undefined;
  for (const trial of ordered) {
    if (trial.value === null || !Number.isFinite(trial.value)) continue;
    points.push({ number: trial.number, value: trial.value, status: trial.status });
    if (trial.status !== 'COMPLETED') continue;
    if (current === undefined || (direction === 'maximize' ? trial.value > current : trial.value < current)) current = trial.value;
    best.push({ number: trial.number, best: current });
  }
  return { points, best };
}

// ── parallel coordinates ────────────────────────────────────────────────────

export type AxisScale = 'linear' | 'log' | 'categorical';

export interface ParallelAxis {
  name: string;
  scale: AxisScale;
  /** Tick labels bottom to top, with their position 0..1. */
  ticks: { label: string; at: number }[];
  /** Where a value sits on this axis, 0 (bottom) .. 1 (top); null when the trial has no value for it (a conditional one it did not draw). */
  position: (value: ChoiceValue | undefined) => number | null;
}

export interface ParallelLine {
  number: number;
  value: number;
  /** One position per axis, null where the trial has no value on it. */
  positions: (number | null)[];
  /** 0 (worst) .. 1 (best) among the lines drawn: the colour. */
  rank: number;
}

const sameChoice = (a: ChoiceValue, b: ChoiceValue | undefined) => a === b;

function numericAxis(name: string, values: number[], log: boolean, space: { low: number; high: number } | undefined): ParallelAxis {
  let low = Math.min(...values, ...(space ? [space.low] : []));
  let high = Math.max(...values, ...(space ? [space.high] : []));
  // A log axis cannot place values ≤ 0: the contract forbids them in a log dimension, but a stray one falls back to linear.
  const useLog = log && low > 0;
  const map = (v: number) => (useLog ? Math.log10(v) : v);
  if (low === high) {
    low = low - 1;
    high = high + 1;
    if (useLog && low <= 0) low = high / 100;
  }
  const a = map(low);
  const b = map(high);
  const at = (v: number) => (b === a ? 0.5 : (map(v) - a) / (b - a));
  const ticks = [0, 0.5, 1].map((t) => {
    const raw = useLog ? 10 ** (a + t * (b - a)) : low + t * (high - low);
    return { label: formatParam(Number(raw.toPrecision(3))), at: t };
  });
  return {
    name,
    scale: useLog ? 'log' : 'linear',
    ticks,
    position: (value) => (typeof value === 'number' && Number.isFinite(value) && (!useLog || value > 0) ? Math.min(1, Math.max(0, at(value))) : null),
  };
}

function categoricalAxis(name: string, choices: ChoiceValue[]): ParallelAxis {
  // Evenly spaced, in the order the space lists them; a single choice sits in the middle.
  const at = (index: number) => (choices.length === 1 ? 0.5 : index / (choices.length - 1));
  return {
    name,
    scale: 'categorical',
    ticks: choices.map((c, i) => ({ label: formatParam(c), at: at(i) })),
    position: (value) => {
      if (value === undefined) return null;
      const index = choices.findIndex((c) => sameChoice(c, value));
      return index < 0 ? null : at(index);
    },
  };
}

/**
 * Axes (one per search-space parameter, then the objective) and one line per completed trial, coloured by its
 * value's rank (1 best). Categorical axes list the space's choices evenly; log dimensions get log axes; numeric
 * axes span the space's range and any value outside it.
 */
export function parallelCoordinates(
  space: SearchSpace,
  trials: readonly TuningTrialView[],
  objective: { metric: string; direction: 'maximize' | 'minimize' },
): { axes: ParallelAxis[]; lines: ParallelLine[] } {
  const completed = trials.filter((t) => t.status === 'COMPLETED' && t.value !== null && Number.isFinite(t.value));
  const axes: ParallelAxis[] = Object.entries(space).map(([name, dimension]) => {
    if (dimension.type === 'categorical') {
      // Values a trial holds outside the listed choices (an older space) still get a tick.
      const extra = completed.map((t) => t.params[name]).filter((v): v is ChoiceValue => v !== undefined && !dimension.choices.some((c) => sameChoice(c, v)));
      return categoricalAxis(name, [...dimension.choices, ...new Set(extra)]);
    }
    const values = completed.map((t) => t.params[name]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    return numericAxis(name, values, dimension.log, dimension);
  });
  const values = completed.map((t) => t.value as number);
  if (values.length > 0) axes.push(numericAxis(objective.metric, values, false, undefined));
  const low = Math.min(...values);
  const high = Math.max(...values);
  const lines = completed.map((t) => {
    const value = t.value as number;
    const share = high === low ? 1 : (value - low) / (high - low);
    return {
      number: t.number,
      value,
      positions: axes.map((axis, i) => (i === axes.length - 1 ? axis.position(value) : axis.position(t.params[axis.name]))),
      rank: objective.direction === 'maximize' ? share : 1 - share,
    };
  });
  return { axes, lines };
}

/** Worst (0) to best (1) as a colour: amber through teal to deep blue, readable on white. */
export function rankColor(rank: number): string {
  const r = Math.min(1, Math.max(0, rank));
  const hue = 40 + r * 180;
  const lightness = 52 - r * 14;
  return `hsl(${Math.round(hue)} 75% ${Math.round(lightness)}%)`;
}

// ── intermediate values ─────────────────────────────────────────────────────

export interface IntermediateCurve {
  number: number;
  status: TuningTrialStatus;
  pruned: boolean;
  points: { step: number; value: number }[];
}

/** One curve per trial that reported intermediate values; pruned trials are flagged so the chart draws them dashed. */
export function intermediateCurves(trials: readonly TuningTrialView[]): IntermediateCurve[] {
  return [...trials]
    .sort((a, b) => a.number - b.number)
    .filter((t) => t.intermediateValues.length > 0)
    .map((t) => ({
      number: t.number,
      status: t.status,
      pruned: t.status === 'PRUNED',
      points: t.intermediateValues.filter((p) => Number.isFinite(p.value)).map((p) => ({ step: p.step, value: p.value })),
    }));
}

// ── the objective's task ────────────────────────────────────────────────────

/**
 * The task the study's trials solve, as the API derives it: from the hyper-parameters a trial trains with (CART's
 * criterion decides classification or regression). A criterion in the search space decides by its first choice,
 * since one study cannot mix tasks.
 */
export function studyTaskOf(
  algorithm: TrainingAlgorithm,
  fixed: Record<string, ChoiceValue>,
  space: Record<string, { type: string; choices?: ChoiceValue[] }>,
): TrainingTask {
  const hyperparameters: Record<string, unknown> = { ...fixed };
  for (const [name, dimension] of Object.entries(space)) {
    if (dimension.type === 'categorical' && dimension.choices && dimension.choices.length > 0) hyperparameters[name] = dimension.choices[0];
  }
  return trainingTaskFor(algorithm, hyperparameters);
}

// ── axes ────────────────────────────────────────────────────────────────────

/** About `count` round tick values covering [low, high] (1, 2 or 5 times a power of ten apart). */
export function niceTicks(low: number, high: number, count = 5): number[] {
  if (!Number.isFinite(low) || !Number.isFinite(high)) return [];
  if (low === high) return [low];
  const span = high - low;
  const raw = span / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let v = Math.ceil(low / step) * step; v <= high + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/** A value range padded by a share of its span (a flat one by ±1 or ±10 %), so points do not sit on the frame. */
export function paddedRange(values: readonly number[], share = 0.05): [number, number] {
  if (values.length === 0) return [0, 1];
  const low = Math.min(...values);
  const high = Math.max(...values);
  if (low === high) {
    const pad = low === 0 ? 1 : Math.abs(low) * 0.1;
    return [low - pad, high + pad];
  }
  const pad = (high - low) * share;
  return [low - pad, high + pad];
}
