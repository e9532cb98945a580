import { EvaluationErrorCode, EvaluationInputError } from './evaluation.error';
import { meanStd, toLabels } from './inputs';
import { createSeededRandom, shuffle } from './random';
import { groupByClass } from './split';

export interface Fold {
  train: Int32Array;
  test: Int32Array;
}

export interface KFoldOptions {
  k: number;
  /** Shuffle rows (seeded) before cutting folds; without it folds are contiguous blocks, as scikit-learn's KFold. */
  shuffle?: boolean;
  seed?: number;
}

function checkK(k: number, nRows: number): void {
  if (!Number.isInteger(k) || k < 2) throw new EvaluationInputError(EvaluationErrorCode.BAD_PARAM, 'options.k', `must be an integer ≥ 2, got ${k}`);
  if (k > nRows) throw new EvaluationInputError(EvaluationErrorCode.BAD_PARAM, 'options.k', `is ${k} but there are only ${nRows} rows`);
}

function foldsFromAssignment(fold: Int32Array, k: number): Fold[] {
  const out: Fold[] = [];
  for (let f = 0; f < k; f++) {
    const test: number[] = [];
    const train: number[] = [];
    for (let i = 0; i < fold.length; i++) (fold[i] === f ? test : train).push(i);
    out.push({ train: Int32Array.from(train), test: Int32Array.from(test) });
  }
  return out;
}

/** k folds of (near) equal size; the first nRows mod k folds get one extra row (as scikit-learn). */
export function kFold(nRows: number, options: KFoldOptions): Fold[] {
  const { k } = options;
  checkK(k, nRows);
  const order = Int32Array.from({ length: nRows }, (_, i) => i);
  if (options.shuffle) shuffle(order, createSeededRandom(options.seed ?? 0));
  const fold = new Int32Array(nRows);
  let pos = 0;
  for (let f = 0; f < k; f++) {
    const size = Math.floor(nRows / k) + (f < nRows % k ? 1 : 0);
    for (let i = 0; i < size; i++) fold[order[pos++]] = f;
  }
  return foldsFromAssignment(fold, k);
}

/**
 * k folds that each keep the class proportions: rows are grouped by class (shuffled within a class when asked)
 * and dealt round-robin, so each class is split as evenly as possible and fold sizes differ by at most one.
 */
export function stratifiedKFold(labels: ArrayLike<number>, options: KFoldOptions): Fold[] {
  const y = toLabels(labels, 'labels');
  const { k } = options;
  checkK(k, y.length);
  const random = createSeededRandom(options.seed ?? 0);
  const fold = new Int32Array(y.length);
  let next = 0;
  for (const rows of groupByClass(y)) {
    if (options.shuffle) shuffle(rows, random);
    for (let i = 0; i < rows.length; i++) fold[rows[i]] = next++ % k;
  }
  return foldsFromAssignment(fold, k);
}

export interface CrossValidationResult {
  /** One score per fold, in fold order. */
  scores: number[];
  mean: number;
  /** Population standard deviation (ddof = 0), as numpy's std of scikit-learn's cross_val_score. */
  std: number;
}

/**
 * Runs `fitAndScore` on every fold (sequentially: training may be heavy and the scores must not depend on
 * scheduling) and summarises the scores.
 */
export async function crossValidate(folds: Fold[], fitAndScore: (fold: Fold, index: number) => number | Promise<number>): Promise<CrossValidationResult> {
  if (folds.length === 0) throw new EvaluationInputError(EvaluationErrorCode.EMPTY_INPUT, 'folds', 'has no folds');
  const scores: number[] = [];
  for (let f = 0; f < folds.length; f++) {
    const score = await fitAndScore(folds[f], f);
    if (!Number.isFinite(score)) throw new EvaluationInputError(EvaluationErrorCode.NON_FINITE, 'fitAndScore', `returned ${score} for fold ${f}`);
    scores.push(score);
  }
  return { scores, ...meanStd(scores) };
}
