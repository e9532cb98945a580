/**
 * Sampler quality and cost of @slipway/ml-tuning next to Optuna 3.1 (Debian's python3-optuna), measured in the
 * same run (tools/bench/python/tuning_samplers_reference.py):
 * - Branin (2-D, minimum 0.397887) and Hartmann-6 (minimum −3.32237), minimised over 20 seeds: the median best value
 *   after 50 trials, and how many seeds get within 1% of Branin's optimum / 5% of Hartmann-6's after 200 trials
 *   (the 50-trial figure is the same runs' best after their first 50 trials). Ours TPE multivariate (the default) and univariate,
 *   ours random; Optuna's TPESampler with its defaults, and its RandomSampler.
 * - The cost of one suggestion at 200 finished trials (mean over the suggestions for trials 200..219 of a Hartmann-6
 *   study), CPU time, ours vs Optuna's ask + suggest + tell.
 *
 * Environment: TUNING_BENCH_SEEDS (default 20) and TUNING_BENCH_TRIALS (default 200) shrink the quality runs;
 * TUNING_BENCH_PYTHON the interpreter (default /usr/bin/python3).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { bestTrial, suggest, type SamplerConfig, type SearchSpaceInput, type TrialRecord } from '@slipway/ml-tuning';
import type { BenchFigure, BenchSuite } from './bench-types';

export const figureNames = [
  'tuning.branin.median_best_50',
  'tuning.hartmann6.median_best_50',
  'tuning.branin.seeds_within_1pct_200',
  'tuning.hartmann6.seeds_within_5pct_200',
  'tuning.suggest_overhead_200',
  'tuning.suggest_cost_1000',
] as const;

const PYTHON = process.env['TUNING_BENCH_PYTHON'] ?? '/usr/bin/python3';
const SEEDS = Number(process.env['TUNING_BENCH_SEEDS'] ?? 20);
const TRIALS = Number(process.env['TUNING_BENCH_TRIALS'] ?? 200);
const SEED_OFFSET = Number(process.env['TUNING_BENCH_SEED_OFFSET'] ?? 0);
const EARLY = 50;
const OVERHEAD_AT = 200;
const OVERHEAD_SUGGESTIONS = 20;

interface Problem {
  readonly name: 'branin' | 'hartmann6';
  readonly space: SearchSpaceInput;
  readonly optimum: number;
  /** Relative distance to the optimum a seed must reach after TRIALS trials. */
  readonly tolerance: number;
  readonly f: (p: Record<string, number>) => number;
}

export function branin(x1: number, x2: number): number {
  const b = 5.1 / (4 * Math.PI ** 2);
  const c = 5 / Math.PI;
  const t = 1 / (8 * Math.PI);
  return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10;
}

const H_ALPHA = [1.0, 1.2, 3.0, 3.2];
const H_A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const H_P = [
  [1312, 1696, 5569, 124, 8283, 5886],
  [2329, 4135, 8307, 3736, 1004, 9991],
  [2348, 1451, 3522, 2883, 3047, 6650],
  [4047, 8828, 8732, 5743, 1091, 381],
].map((row) => row.map((v) => v * 1e-4));

export function hartmann6(x: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < 4; i++) {
    let inner = 0;
    for (let j = 0; j < 6; j++) inner += H_A[i][j] * (x[j] - H_P[i][j]) ** 2;
    sum += H_ALPHA[i] * Math.exp(-inner);
  }
  return -sum;
}

const HARTMANN_NAMES = ['x0', 'x1', 'x2', 'x3', 'x4', 'x5'];

const PROBLEMS: readonly Problem[] = [
  {
    name: 'branin',
    space: { x1: { type: 'float', low: -5, high: 10 }, x2: { type: 'float', low: 0, high: 15 } },
    optimum: 0.397887,
    tolerance: 0.01,
    f: (p) => branin(p.x1, p.x2),
  },
  {
    name: 'hartmann6',
    space: Object.fromEntries(HARTMANN_NAMES.map((n) => [n, { type: 'float' as const, low: 0, high: 1 }])),
    optimum: -3.32237,
    tolerance: 0.05,
    f: (p) => hartmann6(HARTMANN_NAMES.map((n) => p[n])),
  },
];

const OURS: Record<string, SamplerConfig> = {
  /** Our default: multivariate. */
  tpe: { kind: 'tpe' },
  'tpe-univariate': { kind: 'tpe', multivariate: false },
  random: { kind: 'random' },
};

/** Best value so far after each trial of one sequential study. */
function runStudy(problem: Problem, sampler: SamplerConfig, seed: number, trials: number): number[] {
  const history: TrialRecord[] = [];
  const bestSoFar: number[] = [];
  let best = Number.POSITIVE_INFINITY;
  for (let number = 0; number < trials; number++) {
    const params = suggest({ space: problem.space, history, direction: 'minimize', seed, number, sampler });
    const value = problem.f(params as Record<string, number>);
    history.push({ number, params, state: 'COMPLETE', value, intermediate: [] });
    best = Math.min(best, value);
    bestSoFar.push(best);
  }
  if (bestTrial(history, 'minimize')?.value !== best) throw new Error('bestTrial disagrees with the running minimum');
  return bestSoFar;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function withinTolerance(problem: Problem, best: number): boolean {
  return best - problem.optimum <= problem.tolerance * Math.abs(problem.optimum);
}

interface Curves {
  /** Best after EARLY and after TRIALS trials, per seed. */
  readonly early: number[];
  readonly final: number[];
}

function cpuSeconds(fn: () => void): number {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

/** Mean CPU ms of one suggestion for trials `at`.. of a Hartmann-6 study whose history grows as it goes. */
function overheadMs(sampler: SamplerConfig, at = OVERHEAD_AT): number {
  const problem = PROBLEMS[1];
  const history: TrialRecord[] = [];
  for (let number = 0; number < at; number++) {
    const params = suggest({ space: problem.space, history, direction: 'minimize', seed: 0, number, sampler: { kind: 'random' } });
    history.push({ number, params, state: 'COMPLETE', value: problem.f(params as Record<string, number>), intermediate: [] });
  }
  // Warm the JIT on the same work first, as the Python side is timed after its imports.
  for (let i = 0; i < 5; i++) suggest({ space: problem.space, history, direction: 'minimize', seed: 1, number: at, sampler });
  let seconds = 0;
  for (let i = 0; i < OVERHEAD_SUGGESTIONS; i++) {
    const number = at + i;
    let params: Record<string, unknown> = {};
    seconds += cpuSeconds(() => {
      params = suggest({ space: problem.space, history, direction: 'minimize', seed: 0, number, sampler });
    });
    history.push({ number, params: params as TrialRecord['params'], state: 'COMPLETE', value: problem.f(params as Record<string, number>), intermediate: [] });
  }
  return (seconds / OVERHEAD_SUGGESTIONS) * 1000;
}

interface PythonResult {
  optuna: string;
  problems: Record<string, Record<'tpe' | 'random', { early: number[]; final: number[] }>>;
  overheadMs: number;
}

function runPython(): PythonResult | null {
  if (!existsSync(PYTHON)) return null;
  const spec = { seeds: SEEDS, trials: TRIALS, early: EARLY, overheadAt: OVERHEAD_AT, overheadSuggestions: OVERHEAD_SUGGESTIONS };
  const proc = spawnSync(PYTHON, [join(__dirname, '..', 'python', 'tuning_samplers_reference.py'), JSON.stringify(spec)], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
    env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
  });
  if (proc.status !== 0) {
    process.stderr.write(`[tuning-samplers] Optuna reference unavailable (apt-get install python3-optuna): ${proc.stderr.trim().split('\n').pop()}\n`);
    return null;
  }
  return JSON.parse(proc.stdout) as PythonResult;
}

function fmt(v: number): string {
  return String(Number.parseFloat(v.toPrecision(5)));
}

export const run: BenchSuite = async () => {
  const figures: BenchFigure[] = [];
  const ours: Record<string, Record<string, Curves>> = {};
  for (const problem of PROBLEMS) {
    ours[problem.name] = {};
    for (const [label, sampler] of Object.entries(OURS)) {
      const early: number[] = [];
      const final: number[] = [];
      for (let seed = 0; seed < SEEDS; seed++) {
        const curve = runStudy(problem, sampler, SEED_OFFSET + seed, TRIALS);
        early.push(curve[Math.min(EARLY, TRIALS) - 1]);
        final.push(curve[TRIALS - 1]);
      }
      ours[problem.name][label] = { early, final };
      process.stderr.write(
        `[tuning-samplers] ${problem.name} ${label}: median best@${EARLY} ${fmt(median(early))}, seeds within ${problem.tolerance * 100}% @${TRIALS}: ` +
          `${final.filter((b) => withinTolerance(problem, b)).length}/${SEEDS}\n`,
      );
    }
  }
  const ourOverhead = { tpe: overheadMs(OURS.tpe), 'tpe-univariate': overheadMs(OURS['tpe-univariate']) };
  const cost1000 = { tpe: overheadMs(OURS.tpe, 1000), 'tpe-univariate': overheadMs(OURS['tpe-univariate'], 1000) };
  const reference = runPython();
  if (reference) {
    for (const problem of PROBLEMS) {
      for (const label of ['tpe', 'random'] as const) {
        const r = reference.problems[problem.name][label];
        process.stderr.write(
          `[tuning-samplers] ${problem.name} optuna-${label}: median best@${EARLY} ${fmt(median(r.early))}, seeds within ${problem.tolerance * 100}% @${TRIALS}: ` +
            `${r.final.filter((b) => withinTolerance(problem, b)).length}/${SEEDS}\n`,
        );
      }
    }
  }
  const optunaName = reference ? `Optuna ${reference.optuna} TPESampler()` : 'Optuna';
  for (const problem of PROBLEMS) {
    const ref = reference?.problems[problem.name];
    for (const label of ['tpe', 'tpe-univariate', 'random'] as const) {
      const mine = ours[problem.name][label];
      const refCurves = label === 'random' ? ref?.random : ref?.tpe;
      const refName = label === 'random' ? `Optuna ${reference?.optuna} RandomSampler` : optunaName;
      const suffix = label === 'tpe' ? '' : `.${label}`;
      // Lower is better; the ratio compares distances to the optimum so that it reads as "< 1 is better".
      const gap = (v: number) => v - problem.optimum;
      const value = median(mine.early);
      const refValue = refCurves ? median(refCurves.early) : null;
      figures.push({
        name: `tuning.${problem.name}.median_best_50${suffix}`,
        description: `${problem.name}, ${SEEDS} seeds × ${EARLY} trials, median best value (optimum ${problem.optimum}); ratio = our gap to the optimum / the reference's; ours: ${label}`,
        unit: 'count',
        value,
        reference: refValue === null ? null : { name: refName, value: refValue },
        ratio: refValue === null ? null : gap(value) / gap(refValue),
        ...(label === 'tpe' || label === 'tpe-univariate'
          ? { target: `≤ ${optunaName}'s median best`, met: refValue === null ? null : value <= refValue }
          : {}),
      });
      const hits = mine.final.filter((b) => withinTolerance(problem, b)).length;
      const refHits = refCurves ? refCurves.final.filter((b) => withinTolerance(problem, b)).length : null;
      const pct = problem.tolerance * 100;
      figures.push({
        name: `tuning.${problem.name}.seeds_within_${pct}pct_${TRIALS}${suffix}`,
        description: `${problem.name}, ${SEEDS} seeds × ${TRIALS} trials, seeds whose best is within ${pct}% of the optimum; ratio = reference / ours; ours: ${label}`,
        unit: 'count',
        value: hits,
        reference: refHits === null ? null : { name: refName, value: refHits },
        ratio: refHits === null || hits === 0 ? null : refHits / hits,
        ...(label === 'tpe' || label === 'tpe-univariate' ? { target: `more seeds than ${optunaName}`, met: refHits === null ? null : hits > refHits } : {}),
      });
    }
  }
  for (const [label, ms] of Object.entries(ourOverhead)) {
    figures.push({
      name: `tuning.suggest_overhead_${OVERHEAD_AT}${label === 'tpe' ? '' : `.${label}`}`,
      description: `CPU ms per suggestion at ${OVERHEAD_AT}..${OVERHEAD_AT + OVERHEAD_SUGGESTIONS - 1} finished trials, Hartmann-6 space; Optuna: ask + 6 suggest_float + tell; ours: ${label}`,
      unit: 'ms',
      value: ms,
      reference: reference ? { name: optunaName, value: reference.overheadMs } : null,
      ratio: reference ? ms / reference.overheadMs : null,
      target: `≤ 1.0× ${optunaName}`,
      met: reference ? ms <= reference.overheadMs : null,
    });
  }
  for (const [label, ms] of Object.entries(cost1000)) {
    figures.push({
      name: `tuning.suggest_cost_1000${label === 'tpe' ? '' : `.${label}`}`,
      description: `CPU ms per suggestion at 1000..${1000 + OVERHEAD_SUGGESTIONS - 1} finished trials, Hartmann-6 space (no reference measured); ours: ${label}`,
      unit: 'ms',
      value: ms,
      reference: null,
      ratio: null,
      target: 'a few ms',
    });
  }
  return figures;
};
