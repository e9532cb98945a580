import type { TrainingTask } from '@slipway/contracts';
import { accuracy, adjustedRandIndex, meanAbsoluteError, meanSquaredError, precisionRecallF1, r2Score, silhouetteScore } from '@slipway/ml-evaluation';
import type { PreparedData } from './training-data';

export const PRIMARY_METRIC: Record<TrainingTask, string> = { classification: 'accuracy', regression: 'r2', clustering: 'silhouette' };

export interface FoldScore {
  metrics: Record<string, number>;
  /** Classification only: the test rows' true and predicted class ids, for the per-class report. */
  truth?: Float64Array;
  predicted?: Int32Array | Float64Array;
}

/** Test-part metrics of one fitted model, by task (the ml-evaluation implementations, checked against scikit-learn). */
export function scoreTestPart(task: TrainingTask, test: PreparedData, predictions: Int32Array | Float64Array, extra: Record<string, number> = {}): FoldScore {
  if (task === 'regression') {
    const y = test.y as Float64Array;
    const mse = meanSquaredError(y, predictions);
    return { metrics: { mse, rmse: Math.sqrt(mse), mae: meanAbsoluteError(y, predictions), r2: r2Score(y, predictions) } };
  }
  if (task === 'classification') {
    const y = test.y as Float64Array;
    const macro = precisionRecallF1(y, predictions, 'macro');
    return {
      metrics: { accuracy: accuracy(y, predictions), precision_macro: macro.precision, recall_macro: macro.recall, f1_macro: macro.f1 },
      truth: y,
      predicted: predictions,
    };
  }
  // Clustering: silhouette needs 2 ≤ distinct clusters ≤ rows − 1 among the test rows; otherwise it is undefined and left out.
  const metrics: Record<string, number> = { ...extra };
  const distinct = new Set(predictions).size;
  if (test.kind === 'tabular' && distinct >= 2 && distinct <= test.nRows - 1) metrics['silhouette'] = silhouetteScore(test.x, predictions);
  if (test.y) metrics['ari'] = adjustedRandIndex(test.y, predictions);
  return { metrics };
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
