import {
  TRAINING_CURVE_MAX_CLASSES,
  TRAINING_CURVE_MAX_POINTS,
  TRAINING_IMPORTANCE_MAX_FEATURES,
  TRAINING_RESIDUAL_BINS,
  type TrainingEvaluation,
  type TrainingTask,
} from '@slipway/contracts';
import {
  accuracy,
  adjustedRandIndex,
  downsampleCurve,
  meanAbsoluteError,
  meanSquaredError,
  permutationImportance,
  precisionRecallF1,
  probabilityReport,
  r2Score,
  residualSummary,
  silhouetteScore,
  type MatrixLike,
} from '@slipway/ml-evaluation';
import type { DenseMatrix } from '../common';
import { labelName } from './label-map';
import type { PreparedData } from './training-data';
import type { CartModel, KMeansModel } from './trained-models';
import type { TrainedModel } from './training-types';

export const PRIMARY_METRIC: Record<TrainingTask, string> = { classification: 'accuracy', regression: 'r2', clustering: 'silhouette' };

/** Shuffles per feature for permutation importance: scikit-learn's default, enough for a stable mean ± std. */
export const PERMUTATION_REPEATS = 5;
/**
 * Test rows permutation importance scores at most (evenly spaced beyond that): its cost is features × repeats
 * predictions of these rows, so a large test part must not multiply the evaluation time.
 */
export const PERMUTATION_MAX_ROWS = 2000;

export interface FoldScore {
  metrics: Record<string, number>;
  /** Classification and regression: the test rows' true values and predictions (class ids for classification). */
  truth?: Float64Array;
  predicted?: Int32Array | Float64Array;
  /** Classification: class probabilities, n × k, column c for class id c of the label map. */
  proba?: DenseMatrix;
}

/** The label map's names (the strings confusion matrices and curves are keyed by). */
export function classNames(data: PreparedData): string[] {
  return (data.labelMap ?? []).map(labelName);
}

/** Test-part metrics of one fitted model, by task (the ml-evaluation implementations, checked against scikit-learn). */
export function scoreTestPart(
  task: TrainingTask,
  test: PreparedData,
  predictions: Int32Array | Float64Array,
  extra: Record<string, number> = {},
  proba?: DenseMatrix,
): FoldScore {
  if (task === 'regression') {
    const y = test.y as Float64Array;
    const mse = meanSquaredError(y, predictions);
    return { metrics: { mse, rmse: Math.sqrt(mse), mae: meanAbsoluteError(y, predictions), r2: r2Score(y, predictions) }, truth: y, predicted: predictions };
  }
  if (task === 'classification') {
    const y = test.y as Float64Array;
    const macro = precisionRecallF1(y, predictions, 'macro');
    const weighted = precisionRecallF1(y, predictions, 'weighted');
    const metrics: Record<string, number> = {
      accuracy: accuracy(y, predictions),
      precision_macro: macro.precision,
      recall_macro: macro.recall,
      f1_macro: macro.f1,
      precision_weighted: weighted.precision,
      recall_weighted: weighted.recall,
      f1_weighted: weighted.f1,
    };
    // Two classes: scikit-learn's binary scorers too (`f1`, `precision`, `recall`), the positive class being class
    // id 1 — the second label in sorted order, i.e. label 1 for 0/1 targets, as scikit-learn's pos_label=1.
    if ((test.labelMap?.length ?? 0) === 2) {
      const binary = precisionRecallF1(y, predictions, 'binary');
      Object.assign(metrics, { precision: binary.precision, recall: binary.recall, f1: binary.f1 });
    }
    if (proba) {
      const names = classNames(test);
      const report = probabilityReport(y, proba, names);
      metrics['log_loss'] = report.logLoss;
      // scikit-learn's scorer names: roc_auc / average_precision for binary, *_ovr (macro) for multiclass.
      const suffix = names.length === 2 ? '' : '_ovr';
      if (report.rocAuc !== null) metrics[`roc_auc${suffix}`] = report.rocAuc;
      if (report.averagePrecision !== null) metrics[`average_precision${suffix}`] = report.averagePrecision;
    }
    return { metrics, truth: y, predicted: predictions, proba };
  }
  // Clustering: silhouette needs 2 ≤ distinct clusters ≤ rows − 1 among the test rows; otherwise it is undefined and left out.
  const metrics: Record<string, number> = { ...extra };
  const distinct = new Set(predictions).size;
  if (test.kind === 'tabular' && distinct >= 2 && distinct <= test.nRows - 1) metrics['silhouette'] = silhouetteScore(test.x, predictions);
  if (test.y) metrics['ari'] = adjustedRandIndex(test.y, predictions);
  return { metrics };
}

/**
 * Class probabilities with one column per class of the label map (undefined when the model has none or they
 * are not all finite). A fold's tree can know fewer classes than
 * the whole dataset (the last ids were absent from its training rows); those columns are 0.
 */
export function probabilitiesOver(model: TrainedModel, input: Parameters<TrainedModel['predictCodes']>[0], k: number): DenseMatrix | undefined {
  if (!model.predictProba) return undefined;
  const { probabilities } = model.predictProba(input);
  // A diverged network's softmax can hold NaN: its arg-max predictions are still scored, its probabilities are not.
  if (!probabilities.data.every(Number.isFinite)) return undefined;
  if (probabilities.nFeatures === k) return probabilities;
  const data = new Float64Array(probabilities.nRows * k);
  for (let i = 0; i < probabilities.nRows; i++) {
    for (let c = 0; c < probabilities.nFeatures; c++) data[i * k + c] = probabilities.data[i * probabilities.nFeatures + c];
  }
  return { data, nRows: probabilities.nRows, nFeatures: k };
}

/** Means (and population std) of the metrics every fold has. */
export function summarizeFolds(folds: Record<string, number>[]): { mean: Record<string, number>; std: Record<string, number> } {
  const keys = Object.keys(folds[0] ?? {}).filter((key) => folds.every((fold) => key in fold));
  const mean: Record<string, number> = {};
  const std: Record<string, number> = {};
  for (const key of keys) {
    const values = folds.map((fold) => fold[key]);
    const m = values.reduce((a, b) => a + b, 0) / values.length;
    mean[key] = m;
    std[key] = Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / values.length);
  }
  return { mean, std };
}

const concat = <T extends Float64Array | Int32Array>(parts: readonly (T | undefined)[]): Float64Array => {
  const defined = parts.filter((p): p is T => p !== undefined);
  const out = new Float64Array(defined.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of defined) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};

function concatRows(parts: readonly DenseMatrix[]): DenseMatrix {
  const k = parts[0].nFeatures;
  const data = new Float64Array(parts.reduce((n, p) => n + p.data.length, 0));
  let at = 0;
  for (const part of parts) {
    data.set(part.data, at);
    at += part.data.length;
  }
  return { data, nRows: data.length / k, nFeatures: k };
}

/**
 * A [0, 1] score as stored: the areas are sums of many small steps and can land a few ulps outside (a perfect
 * ranking's average precision is often 1.0000000000000087, scikit-learn's too); the metrics keep the exact sum.
 */
const unit = (value: number) => Math.min(1, Math.max(0, value));

/**
 * ROC and PR curves of the scored rows (all parts pooled: for k-fold, every row's out-of-fold probabilities),
 * at most TRAINING_CURVE_MAX_POINTS each; AUC and AP are computed on every point before downsampling.
 */
export function curvesOf(data: PreparedData, scores: readonly FoldScore[]): TrainingEvaluation['curves'] {
  const names = classNames(data);
  const parts = scores.filter((s) => s.proba && s.truth);
  if (names.length < 2 || names.length > TRAINING_CURVE_MAX_CLASSES || parts.length !== scores.length || parts.length === 0) return undefined;
  const report = probabilityReport(concat(parts.map((s) => s.truth)), concatRows(parts.map((s) => s.proba as DenseMatrix)), names);
  // Binary: the positive class (id 1) only; its negative's curves carry no more information for ROC.
  const classes = names.length === 2 ? [report.oneVsRest[1]] : report.oneVsRest;
  const roc: NonNullable<TrainingEvaluation['curves']>['roc'] = [];
  const pr: NonNullable<TrainingEvaluation['curves']>['pr'] = [];
  for (const c of classes) {
    if (c.roc && c.rocAuc !== null) {
      const points = downsampleCurve(c.roc.fpr, c.roc.tpr, TRAINING_CURVE_MAX_POINTS);
      roc.push({ label: c.label, auc: unit(c.rocAuc), points: { fpr: points.x, tpr: points.y } });
    }
    if (c.pr && c.averagePrecision !== null) {
      const points = downsampleCurve(c.pr.recall, c.pr.precision, TRAINING_CURVE_MAX_POINTS);
      pr.push({ label: c.label, averagePrecision: unit(c.averagePrecision), points: { recall: points.x, precision: points.y } });
    }
  }
  return { roc, pr };
}

/** Residual summary of the scored rows (k-fold: every row's out-of-fold prediction). */
export function residualsOf(scores: readonly FoldScore[]): TrainingEvaluation['residuals'] {
  const truth = concat(scores.map((s) => s.truth));
  if (truth.length === 0) return undefined;
  return residualSummary(truth, concat(scores.map((s) => s.predicted)), { bins: TRAINING_RESIDUAL_BINS });
}

export function featureNamesOf(data: PreparedData & { kind: 'tabular' }): string[] {
  return data.featureNames ?? Array.from({ length: data.x.nFeatures }, (_, j) => `x${j}`);
}

/** Features no split of the tree reads: a tree's predictions never change when they are shuffled. */
export function unusedByTree(splitFeatures: Int32Array, nFeatures: number): number[] {
  const used = new Uint8Array(nFeatures);
  // Leaves hold feature −1.
  for (const f of splitFeatures) if (f >= 0) used[f] = 1;
  return Array.from({ length: nFeatures }, (_, j) => j).filter((j) => !used[j]);
}

/** At most `max` rows, evenly spaced, in order: deterministic without drawing from the seed's stream. */
function capRows(data: PreparedData & { kind: 'tabular' }, max: number): { x: DenseMatrix; y: Float64Array | null } {
  if (data.nRows <= max) return { x: data.x, y: data.y };
  const d = data.x.nFeatures;
  const x = new Float64Array(max * d);
  const y = data.y ? new Float64Array(max) : null;
  for (let i = 0; i < max; i++) {
    const r = Math.floor((i * data.nRows) / max);
    x.set(data.x.data.subarray(r * d, (r + 1) * d), i * d);
    if (y && data.y) y[i] = data.y[r];
  }
  return { x: { data: x, nRows: max, nFeatures: d }, y };
}

/**
 * Permutation importance of a fitted tabular model on test rows, scored with the task's own metric (accuracy,
 * R², or −mean inertia for clustering, which needs no labels), seeded. Undefined for images (thousands of pixel
 * "features", each shuffled on its own, say nothing a user can act on) and past TRAINING_IMPORTANCE_MAX_FEATURES.
 */
export async function permutationImportanceOf(
  task: TrainingTask,
  model: TrainedModel,
  test: PreparedData,
  /** The spec's seed: the same spec and data shuffle the same way. */
  seed: number,
): Promise<NonNullable<TrainingEvaluation['featureImportance']>['permutation']> {
  if (test.kind !== 'tabular' || test.x.nFeatures > TRAINING_IMPORTANCE_MAX_FEATURES || test.nRows === 0) return undefined;
  const { x, y } = capRows(test, PERMUTATION_MAX_ROWS);
  const predict = (features: MatrixLike) => model.predictCodes(features as DenseMatrix);
  let metric: string;
  let score: (features: MatrixLike, targets: ArrayLike<number>) => number;
  if (task === 'classification') {
    metric = 'accuracy';
    score = (features, targets) => accuracy(targets, predict(features));
  } else if (task === 'regression') {
    metric = 'r2';
    score = (features, targets) => r2Score(targets, predict(features));
  } else {
    const kmeans = model as KMeansModel;
    metric = 'neg_inertia_mean';
    score = (features) => -kmeans.meanInertia(features as DenseMatrix);
  }
  const result = await permutationImportance({
    features: x,
    targets: y ?? new Float64Array(x.nRows),
    score,
    nRepeats: PERMUTATION_REPEATS,
    seed,
    unusedFeatures: model.algorithm === 'cart' ? unusedByTree((model as CartModel).estimator.tree.feature, x.nFeatures) : undefined,
  });
  const names = featureNamesOf(test);
  return {
    metric,
    repeats: PERMUTATION_REPEATS,
    rows: x.nRows,
    baseline: result.baselineScore,
    features: names.map((feature, j) => ({ feature, mean: result.importancesMean[j], std: result.importancesStd[j] })),
  };
}

/** CART's mean decrease in impurity, named by feature (undefined past TRAINING_IMPORTANCE_MAX_FEATURES). */
export function impurityImportanceOf(
  importances: ArrayLike<number>,
  names: readonly string[],
): NonNullable<TrainingEvaluation['featureImportance']>['impurity'] {
  if (importances.length > TRAINING_IMPORTANCE_MAX_FEATURES) return undefined;
  // Each is a share of the total decrease, so in [0, 1] up to rounding (a zero-gain split can leave −1e-17).
  return names.map((feature, j) => ({ feature, importance: unit(importances[j]) }));
}
