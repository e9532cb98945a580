import { EvaluationErrorCode, EvaluationInputError } from './evaluation.error';
import { assertSameLength, toLabels, toMatrix, uniqueSorted, type MatrixInput } from './inputs';

/** Fraction of exact matches. */
export function accuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const t = toLabels(yTrue, 'yTrue');
  const p = toLabels(yPred, 'yPred');
  assertSameLength(t, p, 'yTrue', 'yPred');
  let hits = 0;
  for (let i = 0; i < t.length; i++) if (t[i] === p[i]) hits++;
  return hits / t.length;
}

export interface ConfusionMatrix {
  /** Sorted union of the labels in yTrue and yPred; row/column i is labels[i]. */
  labels: number[];
  /** matrix[i][j]: rows whose true label is labels[i] and predicted label is labels[j]. */
  matrix: number[][];
}

export function confusionMatrix(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): ConfusionMatrix {
  const { t, p, labels, index } = encodePair(yTrue, yPred);
  const k = labels.length;
  const matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < t.length; i++) matrix[index.get(t[i]) as number][index.get(p[i]) as number]++;
  return { labels: Array.from(labels), matrix };
}

export type Average = 'binary' | 'macro' | 'micro' | 'weighted';

export interface PrecisionRecallF1 {
  precision: number;
  recall: number;
  f1: number;
}

export interface PerClassScores {
  labels: number[];
  precision: number[];
  recall: number[];
  f1: number[];
  /** Rows with each true label. */
  support: number[];
}

/**
 * Per-class precision, recall, F1 and support over the sorted union of labels (scikit-learn's
 * precision_recall_fscore_support(average=None, zero_division=0)): an undefined ratio (0/0) is 0.
 */
export function perClassScores(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): PerClassScores {
  const { t, p, labels, index } = encodePair(yTrue, yPred);
  const k = labels.length;
  const tp = new Float64Array(k);
  const predSum = new Float64Array(k);
  const trueSum = new Float64Array(k);
  for (let i = 0; i < t.length; i++) {
    const a = index.get(t[i]) as number;
    const b = index.get(p[i]) as number;
    trueSum[a]++;
    predSum[b]++;
    if (a === b) tp[a]++;
  }
  const precision: number[] = [];
  const recall: number[] = [];
  const f1: number[] = [];
  for (let c = 0; c < k; c++) {
    const s = prf(tp[c], predSum[c], trueSum[c]);
    precision.push(s.precision);
    recall.push(s.recall);
    f1.push(s.f1);
  }
  return { labels: Array.from(labels), precision, recall, f1, support: Array.from(trueSum) };
}

/**
 * Averaged precision, recall and F1. 'binary' scores the positive class 1 and requires labels ⊆ {0, 1};
 * 'macro' is the unweighted class mean, 'weighted' weights by true support, 'micro' pools all decisions.
 */
export function precisionRecallF1(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, average: Average = 'binary'): PrecisionRecallF1 {
  const per = perClassScores(yTrue, yPred);
  switch (average) {
    case 'binary': {
      if (per.labels.some((l) => l !== 0 && l !== 1)) {
        throw new EvaluationInputError(
          EvaluationErrorCode.BAD_LABELS,
          'yTrue',
          `average 'binary' needs labels in {0, 1}, got ${per.labels.join(', ')}; use 'macro', 'micro' or 'weighted'`,
        );
      }
      const c = per.labels.indexOf(1);
      return c < 0 ? { precision: 0, recall: 0, f1: 0 } : { precision: per.precision[c], recall: per.recall[c], f1: per.f1[c] };
    }
    case 'macro':
      return { precision: mean(per.precision), recall: mean(per.recall), f1: mean(per.f1) };
    case 'weighted': {
      const total = per.support.reduce((a, b) => a + b, 0);
      const w = (xs: number[]): number => (total === 0 ? 0 : xs.reduce((acc, x, c) => acc + x * per.support[c], 0) / total);
      return { precision: w(per.precision), recall: w(per.recall), f1: w(per.f1) };
    }
    case 'micro': {
      const { t, p } = encodePair(yTrue, yPred);
      let tp = 0;
      for (let i = 0; i < t.length; i++) if (t[i] === p[i]) tp++;
      // Every row is one prediction and one truth, so pooled predicted and true counts are both n.
      return prf(tp, t.length, t.length);
    }
    default: {
      const unreachable: never = average;
      throw new EvaluationInputError(EvaluationErrorCode.BAD_PARAM, 'average', `unknown average ${String(unreachable)}`);
    }
  }
}

export function precision(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, average: Average = 'binary'): number {
  return precisionRecallF1(yTrue, yPred, average).precision;
}
export function recall(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, average: Average = 'binary'): number {
  return precisionRecallF1(yTrue, yPred, average).recall;
}
export function f1Score(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, average: Average = 'binary'): number {
  return precisionRecallF1(yTrue, yPred, average).f1;
}

/**
 * Cross-entropy of predicted probabilities (scikit-learn's log_loss): probabilities are clipped to
 * [ε, 1 − ε] with ε = 2.22e-16 and rows renormalised. `proba` is n × k with labels 0..k-1, or for binary
 * problems a vector of P(class 1).
 */
export function logLoss(yTrue: ArrayLike<number>, proba: MatrixInput | ArrayLike<number>): number {
  const t = toLabels(yTrue, 'yTrue');
  const isVector = Array.isArray(proba) ? typeof proba[0] === 'number' : !('nRows' in (proba as object));
  let data: Float64Array;
  let nCols: number;
  const eps = Number.EPSILON;
  const clip = (v: number): number => (v < eps ? eps : v > 1 - eps ? 1 - eps : v);
  if (isVector) {
    const p = toMatrix({ data: proba as ArrayLike<number>, nRows: (proba as ArrayLike<number>).length, nFeatures: 1 }, 'proba');
    nCols = 2;
    data = new Float64Array(p.nRows * 2);
    for (let i = 0; i < p.nRows; i++) {
      // Clip first, then expand to [1 − p, p]: the order scikit-learn uses.
      const v = clip(p.data[i]);
      data[2 * i] = 1 - v;
      data[2 * i + 1] = v;
    }
  } else {
    const m = toMatrix(proba as MatrixInput, 'proba');
    nCols = m.nCols;
    data = m.data.map(clip);
  }
  const n = data.length / nCols;
  assertSameLength(t, { length: n }, 'yTrue', 'proba');
  if (nCols < 2) throw new EvaluationInputError(EvaluationErrorCode.SINGLE_CLASS, 'proba', 'needs at least two class columns');
  let total = 0;
  for (let i = 0; i < n; i++) {
    const y = t[i];
    if (y < 0 || y >= nCols) throw new EvaluationInputError(EvaluationErrorCode.BAD_LABELS, 'yTrue', `label ${y} at index ${i} is outside 0..${nCols - 1}`);
    let rowSum = 0;
    for (let c = 0; c < nCols; c++) rowSum += data[i * nCols + c];
    total -= Math.log(data[i * nCols + y] / rowSum);
  }
  return total / n;
}

function prf(tp: number, predicted: number, actual: number): PrecisionRecallF1 {
  const precision = predicted === 0 ? 0 : tp / predicted;
  const recall = actual === 0 ? 0 : tp / actual;
  // scikit-learn's form: (1 + β²)·P·R / (β²·P + R) with a zero denominator treated as 1.
  const denom = precision + recall;
  return { precision, recall, f1: (2 * precision * recall) / (denom === 0 ? 1 : denom) };
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function encodePair(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): { t: Int32Array; p: Int32Array; labels: Int32Array; index: Map<number, number> } {
  const t = toLabels(yTrue, 'yTrue');
  const p = toLabels(yPred, 'yPred');
  assertSameLength(t, p, 'yTrue', 'yPred');
  const all = new Int32Array(t.length + p.length);
  all.set(t);
  all.set(p, t.length);
  const labels = uniqueSorted(all);
  const index = new Map<number, number>();
  labels.forEach((l, i) => index.set(l, i));
  return { t, p, labels, index };
}
