import { EvaluationErrorCode, EvaluationInputError } from './evaluation.error';
import { assertSameLength, toLabels, toVector } from './inputs';

/**
 * Scores of the positive and the negative rows, each sorted ascending with the native numeric sort of
 * Float64Array. Walking both from the top visits thresholds in decreasing order without ever sorting
 * (score, label) pairs with a JS comparator — that is what keeps ROC AUC of a million scores fast.
 */
export interface SplitScores {
  positives: Float64Array;
  negatives: Float64Array;
}

/** Binary labels must be 0/1 (scikit-learn also accepts −1/1; we keep one encoding). */
export function splitScores(yTrue: ArrayLike<number>, yScore: ArrayLike<number>): SplitScores {
  const t = toLabels(yTrue, 'yTrue');
  const s = toVector(yScore, 'yScore');
  assertSameLength(t, s, 'yTrue', 'yScore');
  let nPos = 0;
  for (let i = 0; i < t.length; i++) {
    if (t[i] !== 0 && t[i] !== 1)
      throw new EvaluationInputError(EvaluationErrorCode.BAD_LABELS, 'yTrue', `label ${t[i]} at index ${i}; binary metrics need 0/1 labels`);
    nPos += t[i];
  }
  const positives = new Float64Array(nPos);
  const negatives = new Float64Array(t.length - nPos);
  let ip = 0;
  let ineg = 0;
  for (let i = 0; i < t.length; i++) {
    if (t[i] === 1) positives[ip++] = s[i];
    else negatives[ineg++] = s[i];
  }
  positives.sort();
  negatives.sort();
  return { positives, negatives };
}

/**
 * Walks the distinct scores in decreasing order (one merge pass over the two sorted arrays) and hands each to
 * `visit` with how many positives (dTp) and negatives (dFp) score exactly that.
 */
export function forEachThreshold(split: SplitScores, visit: (threshold: number, dTp: number, dFp: number) => void): void {
  const { positives: pos, negatives: neg } = split;
  let ip = pos.length - 1;
  let ineg = neg.length - 1;
  while (ip >= 0 || ineg >= 0) {
    const v = ip < 0 ? neg[ineg] : ineg < 0 ? pos[ip] : Math.max(pos[ip], neg[ineg]);
    let dTp = 0;
    let dFp = 0;
    while (ip >= 0 && pos[ip] === v) {
      dTp++;
      ip--;
    }
    while (ineg >= 0 && neg[ineg] === v) {
      dFp++;
      ineg--;
    }
    visit(v, dTp, dFp);
  }
}

/**
 * scikit-learn's _binary_clf_curve: for each distinct score, in decreasing order, the number of negatives (fps)
 * and positives (tps) scoring at least that much.
 */
export function binaryClfCurve(split: SplitScores): { fps: Float64Array; tps: Float64Array; thresholds: Float64Array } {
  const cap = split.positives.length + split.negatives.length;
  const fps = new Float64Array(cap);
  const tps = new Float64Array(cap);
  const thresholds = new Float64Array(cap);
  let tp = 0;
  let fp = 0;
  let m = 0;
  forEachThreshold(split, (v, dTp, dFp) => {
    tp += dTp;
    fp += dFp;
    fps[m] = fp;
    tps[m] = tp;
    thresholds[m] = v;
    m++;
  });
  return { fps: fps.slice(0, m), tps: tps.slice(0, m), thresholds: thresholds.slice(0, m) };
}
