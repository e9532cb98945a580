import { EvaluationErrorCode, EvaluationInputError } from './evaluation.error';
import { meanStd, toMatrix, type MatrixInput, type MatrixLike } from './inputs';
import { createSeededRandom, shuffle } from './random';

export interface PermutationImportanceOptions {
  features: MatrixInput;
  targets: ArrayLike<number>;
  /** Scores a fitted model on (features, targets); higher is better (e.g. accuracy, R², −MSE). */
  score: (features: MatrixLike, targets: ArrayLike<number>) => number | Promise<number>;
  nRepeats?: number;
  seed?: number;
  /**
   * Columns the model never reads (e.g. features no split of a tree uses): shuffling them cannot change a
   * prediction, so their drops are exactly 0 without scoring. They are still shuffled, so every other column
   * gets the same draws, and the result is the same as without this option, only cheaper.
   */
  unusedFeatures?: readonly number[];
}

export interface PermutationImportanceResult {
  baselineScore: number;
  /** Per feature: mean drop in score when that column is shuffled. */
  importancesMean: number[];
  importancesStd: number[];
  /** Per feature, the drop in each repeat. */
  importances: number[][];
}

/**
 * Permutation feature importance (Breiman 2001; scikit-learn's permutation_importance): the score drop when one
 * column is shuffled, breaking its link to the target while keeping its distribution.
 */
export async function permutationImportance(options: PermutationImportanceOptions): Promise<PermutationImportanceResult> {
  const nRepeats = options.nRepeats ?? 5;
  if (!Number.isInteger(nRepeats) || nRepeats < 1)
    throw new EvaluationInputError(EvaluationErrorCode.BAD_PARAM, 'options.nRepeats', `must be an integer ≥ 1, got ${nRepeats}`);
  const x = toMatrix(options.features, 'options.features');
  if (options.targets.length !== x.nRows) {
    throw new EvaluationInputError(EvaluationErrorCode.SHAPE_MISMATCH, 'options.targets', `has ${options.targets.length} values for ${x.nRows} rows`);
  }
  const random = createSeededRandom(options.seed ?? 0);
  const matrix: MatrixLike = { data: x.data, nRows: x.nRows, nFeatures: x.nCols };
  const baselineScore = await options.score(matrix, options.targets);
  const work = Float64Array.from(x.data);
  const permuted: MatrixLike = { data: work, nRows: x.nRows, nFeatures: x.nCols };
  const column = new Float64Array(x.nRows);
  const unused = new Set(options.unusedFeatures ?? []);
  const importances: number[][] = [];
  for (let j = 0; j < x.nCols; j++) {
    const drops: number[] = [];
    for (let r = 0; r < nRepeats; r++) {
      for (let i = 0; i < x.nRows; i++) column[i] = x.data[i * x.nCols + j];
      shuffle(column, random);
      if (unused.has(j)) {
        drops.push(0);
        continue;
      }
      for (let i = 0; i < x.nRows; i++) work[i * x.nCols + j] = column[i];
      drops.push(baselineScore - (await options.score(permuted, options.targets)));
    }
    for (let i = 0; i < x.nRows; i++) work[i * x.nCols + j] = x.data[i * x.nCols + j];
    importances.push(drops);
  }
  const stats = importances.map(meanStd);
  return { baselineScore, importancesMean: stats.map((s) => s.mean), importancesStd: stats.map((s) => s.std), importances };
}
