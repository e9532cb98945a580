import { binaryClfCurve, splitScores } from './binary-curve';
import { EvaluationErrorCode, EvaluationInputError } from './evaluation.error';

export interface PrecisionRecallCurve {
  /** Increasing thresholds order reversed as in scikit-learn: recall decreases, last point is (recall 0, precision 1). */
  precision: number[];
  recall: number[];
  thresholds: number[];
}

/** scikit-learn 1.2's precision_recall_curve for 0/1 labels (every distinct score is a threshold). */
export function precisionRecallCurve(yTrue: ArrayLike<number>, yScore: ArrayLike<number>): PrecisionRecallCurve {
  const split = splitScores(yTrue, yScore);
  if (split.positives.length === 0) {
    throw new EvaluationInputError(EvaluationErrorCode.SINGLE_CLASS, 'yTrue', 'has no positive rows; recall is undefined');
  }
  const { fps, tps, thresholds } = binaryClfCurve(split);
  const m = tps.length;
  const tpTotal = tps[m - 1];
  const precision: number[] = [];
  const recall: number[] = [];
  const thr: number[] = [];
  for (let i = m - 1; i >= 0; i--) {
    const predicted = tps[i] + fps[i];
    precision.push(predicted === 0 ? 0 : tps[i] / predicted);
    recall.push(tps[i] / tpTotal);
    thr.push(thresholds[i]);
  }
  precision.push(1);
  recall.push(0);
  return { precision, recall, thresholds: thr };
}

/** Average precision: Σ (R_n − R_{n−1}) · P_n, the step integral without interpolation (scikit-learn's). */
export function averagePrecision(yTrue: ArrayLike<number>, yScore: ArrayLike<number>): number {
  const { precision, recall } = precisionRecallCurve(yTrue, yScore);
  let sum = 0;
  for (let i = 0; i < recall.length - 1; i++) sum += (recall[i + 1] - recall[i]) * precision[i];
  return -sum;
}
