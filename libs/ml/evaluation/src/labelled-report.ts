import { perClassScores } from './classification';
import { EvaluationErrorCode, EvaluationInputError } from './evaluation.error';
import { assertSameLength, toLabels, toMatrix, type MatrixInput } from './inputs';
import { averagePrecision, precisionRecallCurve, type PrecisionRecallCurve } from './precision-recall';
import { auc, rocCurve, type RocCurve } from './roc';

/**
 * Reports keyed by the dataset's original class labels. Metrics compute on class ids 0..k-1 (what models
 * predict); `labels[c]` is the name of class id c (the model's label map), so every row of a report says
 * which class it is about, including classes absent from this test part.
 */
export interface LabelledClassScore {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface LabelledClassificationReport {
  labels: string[];
  /** matrix[i][j]: rows of true class labels[i] predicted as labels[j]. */
  confusionMatrix: number[][];
  perClass: LabelledClassScore[];
}

function idsIn(values: ArrayLike<number>, argument: string, labels: readonly string[]): Int32Array {
  const ids = toLabels(values, argument);
  for (let i = 0; i < ids.length; i++) {
    if (ids[i] < 0 || ids[i] >= labels.length) {
      throw new EvaluationInputError(
        EvaluationErrorCode.BAD_LABELS,
        argument,
        `class id ${ids[i]} at index ${i} is outside 0..${labels.length - 1} (the label map)`,
      );
    }
  }
  return ids;
}

function checkNames(labels: readonly string[]): void {
  if (labels.length === 0) throw new EvaluationInputError(EvaluationErrorCode.EMPTY_INPUT, 'labels', 'names no classes');
  if (new Set(labels).size !== labels.length) throw new EvaluationInputError(EvaluationErrorCode.BAD_PARAM, 'labels', 'names must be distinct');
}

/**
 * Confusion matrix and per-class precision/recall/F1/support over every class of the label map (scikit-learn's
 * precision_recall_fscore_support(labels=range(k), zero_division=0)), each row named by its label.
 */
export function labelledClassificationReport(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, labels: readonly string[]): LabelledClassificationReport {
  checkNames(labels);
  const t = idsIn(yTrue, 'yTrue', labels);
  const p = idsIn(yPred, 'yPred', labels);
  assertSameLength(t, p, 'yTrue', 'yPred');
  const k = labels.length;
  const confusionMatrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < t.length; i++) confusionMatrix[t[i]][p[i]]++;
  // Classes that occur are scored by perClassScores (checked against scikit-learn); absent ones score 0 with support 0.
  const scored = perClassScores(t, p);
  const at = new Map(scored.labels.map((id, j) => [id, j]));
  const perClass = labels.map((label, c) => {
    const j = at.get(c);
    return j === undefined
      ? { label, precision: 0, recall: 0, f1: 0, support: 0 }
      : { label, precision: scored.precision[j], recall: scored.recall[j], f1: scored.f1[j], support: scored.support[j] };
  });
  return { labels: [...labels], confusionMatrix, perClass };
}

/** One class against the rest; curves and areas are null where undefined (the class is absent, or is every row). */
export interface LabelledOneVsRest {
  label: string;
  roc: RocCurve | null;
  rocAuc: number | null;
  pr: PrecisionRecallCurve | null;
  averagePrecision: number | null;
}

/** One-vs-rest ROC and PR curves per class of the label map; `proba` is n × k, column c for `labels[c]`. */
export function labelledOneVsRest(yTrue: ArrayLike<number>, proba: MatrixInput, labels: readonly string[]): LabelledOneVsRest[] {
  checkNames(labels);
  const t = idsIn(yTrue, 'yTrue', labels);
  const m = toMatrix(proba, 'proba');
  assertSameLength(t, { length: m.nRows }, 'yTrue', 'proba');
  if (m.nCols !== labels.length)
    throw new EvaluationInputError(EvaluationErrorCode.SHAPE_MISMATCH, 'proba', `has ${m.nCols} columns for ${labels.length} labels`);
  return labels.map((label, c) => {
    const binary = Int32Array.from(t, (id) => (id === c ? 1 : 0));
    const scores = Float64Array.from({ length: m.nRows }, (_, i) => m.data[i * m.nCols + c]);
    const positives = binary.reduce((a, b) => a + b, 0);
    if (positives === 0 || positives === binary.length) return { label, roc: null, rocAuc: null, pr: null, averagePrecision: null };
    const roc = rocCurve(binary, scores);
    return { label, roc, rocAuc: auc(roc.fpr, roc.tpr), pr: precisionRecallCurve(binary, scores), averagePrecision: averagePrecision(binary, scores) };
  });
}
