import { logLoss } from './classification';
import { labelledOneVsRest, type LabelledOneVsRest } from './labelled-report';
import type { MatrixInput } from './inputs';

export interface ProbabilityReport {
  /** Cross-entropy over every class of the label map (scikit-learn's log_loss(labels=range(k))). */
  logLoss: number;
  /**
   * Binary: ROC AUC of the positive class (class id 1). Multiclass: the macro mean of the one-vs-rest AUCs,
   * scikit-learn's roc_auc_score(multi_class='ovr', average='macro'). Null when undefined: a binary test part
   * with one class, or a multiclass one missing a class (scikit-learn refuses both).
   */
  rocAuc: number | null;
  /** As rocAuc, for average precision (multiclass: average_precision_score of the binarized labels, macro). */
  averagePrecision: number | null;
  /** Every class against the rest, in the label map's order (binary problems included: both classes). */
  oneVsRest: LabelledOneVsRest[];
}

function macro(values: (number | null)[]): number | null {
  if (values.some((v) => v === null)) return null;
  return (values as number[]).reduce((a, b) => a + b, 0) / values.length;
}

/** The probability-based scores of a classifier's test part: log loss, ROC AUC, average precision and their curves. */
export function probabilityReport(yTrue: ArrayLike<number>, proba: MatrixInput, labels: readonly string[]): ProbabilityReport {
  const oneVsRest = labelledOneVsRest(yTrue, proba, labels);
  const binary = labels.length === 2;
  return {
    logLoss: logLoss(yTrue, proba),
    rocAuc: binary ? oneVsRest[1].rocAuc : macro(oneVsRest.map((c) => c.rocAuc)),
    averagePrecision: binary ? oneVsRest[1].averagePrecision : macro(oneVsRest.map((c) => c.averagePrecision)),
    oneVsRest,
  };
}
