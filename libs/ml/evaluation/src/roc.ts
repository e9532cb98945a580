import { binaryClfCurve, forEachThreshold, splitScores } from './binary-curve';
import { EvaluationErrorCode, EvaluationInputError } from './evaluation.error';
import { assertSameLength, toLabels, toMatrix, type MatrixInput } from './inputs';

export interface RocCurve {
  fpr: number[];
  tpr: number[];
  /** Decreasing; thresholds[0] = max score + 1 (scikit-learn 1.2's convention) so the curve starts at (0, 0). */
  thresholds: number[];
}

export interface RocCurveOptions {
  /** Drop points on straight segments (scikit-learn's default, true): they do not change the curve or its area. */
  dropIntermediate?: boolean;
}

/** ROC curve of binary 0/1 labels against scores, with ties handled as scikit-learn's roc_curve. */
export function rocCurve(yTrue: ArrayLike<number>, yScore: ArrayLike<number>, options: RocCurveOptions = {}): RocCurve {
  const split = splitScores(yTrue, yScore);
  requireBothClasses(split.positives.length, split.negatives.length);
  let { fps, tps, thresholds } = binaryClfCurve(split);
  if ((options.dropIntermediate ?? true) && fps.length > 2) {
    // Keep the ends and every point where the second difference of fps or tps is non-zero (a corner).
    const keep: number[] = [0];
    for (let i = 1; i < fps.length - 1; i++) {
      const dfp = fps[i + 1] - 2 * fps[i] + fps[i - 1];
      const dtp = tps[i + 1] - 2 * tps[i] + tps[i - 1];
      if (dfp !== 0 || dtp !== 0) keep.push(i);
    }
    keep.push(fps.length - 1);
    fps = Float64Array.from(keep, (i) => fps[i]);
    tps = Float64Array.from(keep, (i) => tps[i]);
    thresholds = Float64Array.from(keep, (i) => thresholds[i]);
  }
  const fpTotal = fps[fps.length - 1];
  const tpTotal = tps[tps.length - 1];
  return {
    fpr: [0, ...Array.from(fps, (v) => v / fpTotal)],
    tpr: [0, ...Array.from(tps, (v) => v / tpTotal)],
    thresholds: [thresholds[0] + 1, ...thresholds],
  };
}

/** Area under a curve by the trapezoidal rule; x must be monotonic (either direction, as scikit-learn's auc). */
export function auc(x: ArrayLike<number>, y: ArrayLike<number>): number {
  assertSameLength(x, y, 'x', 'y');
  if (x.length < 2) throw new EvaluationInputError(EvaluationErrorCode.EMPTY_INPUT, 'x', `needs at least 2 points, got ${x.length}`);
  let increasing = true;
  let decreasing = true;
  for (let i = 1; i < x.length; i++) {
    if (x[i] < x[i - 1]) increasing = false;
    if (x[i] > x[i - 1]) decreasing = false;
  }
  if (!increasing && !decreasing) throw new EvaluationInputError(EvaluationErrorCode.BAD_PARAM, 'x', 'is neither increasing nor decreasing');
  let area = 0;
  for (let i = 1; i < x.length; i++) area += ((x[i] - x[i - 1]) * (y[i] + y[i - 1])) / 2;
  return increasing ? area : -area;
}

/**
 * Binary ROC AUC. Equal to the trapezoidal area under rocCurve (ties count half, as scikit-learn), computed in
 * one merge pass over the sorted positive and negative scores without building the curve.
 */
export function rocAucScore(yTrue: ArrayLike<number>, yScore: ArrayLike<number>): number {
  const split = splitScores(yTrue, yScore);
  const { positives: pos, negatives: neg } = split;
  requireBothClasses(pos.length, neg.length);
  let tp = 0;
  let area = 0;
  forEachThreshold(split, (_threshold, dTp, dFp) => {
    // Trapezoid over this threshold group: width dFp, heights tp and tp + dTp.
    area += dFp * (tp + dTp / 2);
    tp += dTp;
  });
  return area / (pos.length * neg.length);
}

/**
 * Multiclass ROC AUC, one-vs-rest, macro average (scikit-learn's roc_auc_score(multi_class='ovr',
 * average='macro')). `proba` is n × k with labels 0..k-1; every class must occur in yTrue.
 */
export function rocAucOvr(yTrue: ArrayLike<number>, proba: MatrixInput): number {
  const t = toLabels(yTrue, 'yTrue');
  const m = toMatrix(proba, 'proba');
  assertSameLength(t, { length: m.nRows }, 'yTrue', 'proba');
  const k = m.nCols;
  const present = new Uint8Array(k);
  for (let i = 0; i < t.length; i++) {
    if (t[i] < 0 || t[i] >= k) throw new EvaluationInputError(EvaluationErrorCode.BAD_LABELS, 'yTrue', `label ${t[i]} at index ${i} is outside 0..${k - 1}`);
    present[t[i]] = 1;
  }
  const missing = [...present.keys()].filter((c) => !present[c]);
  if (missing.length > 0)
    throw new EvaluationInputError(EvaluationErrorCode.BAD_LABELS, 'yTrue', `classes ${missing.join(', ')} never occur; one-vs-rest AUC is undefined for them`);
  const binary = new Int32Array(t.length);
  const scores = new Float64Array(t.length);
  let total = 0;
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < t.length; i++) {
      binary[i] = t[i] === c ? 1 : 0;
      scores[i] = m.data[i * k + c];
    }
    total += rocAucScore(binary, scores);
  }
  return total / k;
}

function requireBothClasses(nPos: number, nNeg: number): void {
  if (nPos === 0 || nNeg === 0) {
    throw new EvaluationInputError(EvaluationErrorCode.SINGLE_CLASS, 'yTrue', `has ${nPos} positives and ${nNeg} negatives; ROC needs both`);
  }
}
