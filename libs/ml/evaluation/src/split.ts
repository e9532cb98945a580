import { EvaluationErrorCode, EvaluationInputError } from './evaluation.error';
import { toLabels } from './inputs';
import { createSeededRandom, shuffle } from './random';

export interface TrainTestSplitOptions {
  /** Fraction of rows in (0, 1), or an absolute row count ≥ 1. */
  testSize: number;
  seed: number;
  /** Class labels to stratify on: each class keeps (as near as possible) its share in both parts. */
  stratify?: ArrayLike<number>;
}

export interface TrainTestSplit {
  /** Row indices, in shuffled order. */
  train: Int32Array;
  test: Int32Array;
}

function resolveTestCount(nRows: number, testSize: number): number {
  const count = testSize < 1 ? Math.ceil(testSize * nRows) : testSize;
  if (!(testSize > 0) || !Number.isFinite(testSize) || (testSize >= 1 && !Number.isInteger(testSize)) || count < 1 || count >= nRows) {
    throw new EvaluationInputError(EvaluationErrorCode.BAD_PARAM, 'options.testSize', `gives ${count} test rows of ${nRows}; need 1..${nRows - 1}`);
  }
  return count;
}

/** Seeded shuffle-and-cut of row indices 0..nRows-1 (test share rounded up, as scikit-learn). */
export function trainTestSplit(nRows: number, options: TrainTestSplitOptions): TrainTestSplit {
  if (!Number.isInteger(nRows) || nRows < 2) throw new EvaluationInputError(EvaluationErrorCode.EMPTY_INPUT, 'nRows', `needs at least 2 rows, got ${nRows}`);
  const nTest = resolveTestCount(nRows, options.testSize);
  const random = createSeededRandom(options.seed);
  if (!options.stratify) {
    const order = shuffle(
      Int32Array.from({ length: nRows }, (_, i) => i),
      random,
    );
    return { test: order.slice(0, nTest), train: order.slice(nTest) };
  }
  const labels = toLabels(options.stratify, 'options.stratify');
  if (labels.length !== nRows)
    throw new EvaluationInputError(EvaluationErrorCode.SHAPE_MISMATCH, 'options.stratify', `has ${labels.length} labels for ${nRows} rows`);
  const byClass = groupByClass(labels);
  if (byClass.length < 2) throw new EvaluationInputError(EvaluationErrorCode.SINGLE_CLASS, 'options.stratify', 'has one class; stratifying is meaningless');
  // Largest-remainder apportionment of the test rows over classes, so totals are exact and shares as fair as possible.
  const quotas = byClass.map((rows) => (rows.length * nTest) / nRows);
  const counts = quotas.map(Math.floor);
  let left = nTest - counts.reduce((a, b) => a + b, 0);
  const order = quotas.map((q, c) => ({ c, r: q - Math.floor(q) })).sort((a, b) => b.r - a.r || a.c - b.c);
  for (const { c } of order) {
    if (left === 0) break;
    if (counts[c] < byClass[c].length) {
      counts[c]++;
      left--;
    }
  }
  const test: number[] = [];
  const train: number[] = [];
  byClass.forEach((rows, c) => {
    shuffle(rows, random);
    for (let i = 0; i < rows.length; i++) (i < counts[c] ? test : train).push(rows[i]);
  });
  return { test: shuffle(Int32Array.from(test), random), train: shuffle(Int32Array.from(train), random) };
}

/** Row indices of each class, classes in ascending label order. */
export function groupByClass(labels: Int32Array): Int32Array[] {
  const groups = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const g = groups.get(labels[i]);
    if (g) g.push(i);
    else groups.set(labels[i], [i]);
  }
  return [...groups.entries()].sort((a, b) => a[0] - b[0]).map(([, rows]) => Int32Array.from(rows));
}
