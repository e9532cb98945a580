import { describe, expect, it } from '@jest/globals';
import {
  accuracy,
  adjustedRandIndex,
  averagePrecision,
  confusionMatrix,
  logLoss,
  meanAbsoluteError,
  meanSquaredError,
  perClassScores,
  precisionRecallCurve,
  precisionRecallF1,
  r2Score,
  rocAucOvr,
  rocAucScore,
  rocCurve,
  rootMeanSquaredError,
  silhouetteScore,
  auc,
} from '..';
import { expectAllClose, expectClose, golden } from './golden';

describe('metrics equal scikit-learn 1.2.1 to 1e-9 on the same predictions', () => {
  it('fixture comes from scikit-learn 1.2.1', () => {
    expect(golden._sklearn).toBe('1.2.1');
    expect(golden.classification.map((c) => c.name)).toEqual(['breast_cancer', 'iris', 'wine', 'digits']);
  });

  describe.each(golden.classification.map((c) => [c.name, c] as const))('classification: %s', (_name, c) => {
    it('accuracy and confusion matrix', () => {
      expectClose(accuracy(c.yTrue, c.yPred), c.accuracy, 'accuracy');
      const cm = confusionMatrix(c.yTrue, c.yPred);
      expect(cm.labels).toEqual(Array.from({ length: c.nClasses }, (_, i) => i));
      expect(cm.matrix).toEqual(c.confusionMatrix);
    });

    it('precision / recall / F1: per class, macro, micro, weighted (and binary)', () => {
      const per = perClassScores(c.yTrue, c.yPred);
      expectAllClose(per.precision, c.perClass.precision, 'precision');
      expectAllClose(per.recall, c.perClass.recall, 'recall');
      expectAllClose(per.f1, c.perClass.f1, 'f1');
      expect(per.support).toEqual(c.perClass.support);
      for (const avg of ['macro', 'micro', 'weighted'] as const) {
        const got = precisionRecallF1(c.yTrue, c.yPred, avg);
        expectClose(got.precision, c[avg].precision, `${avg} precision`);
        expectClose(got.recall, c[avg].recall, `${avg} recall`);
        expectClose(got.f1, c[avg].f1, `${avg} f1`);
      }
      if (c.binary) {
        const got = precisionRecallF1(c.yTrue, c.yPred, 'binary');
        expectClose(got.precision, c.binary.precision, 'binary precision');
        expectClose(got.recall, c.binary.recall, 'binary recall');
        expectClose(got.f1, c.binary.f1, 'binary f1');
      }
    });

    it('log loss and ROC AUC', () => {
      expectClose(logLoss(c.yTrue, c.proba), c.logLoss, 'log loss');
      if (c.rocAuc !== undefined) {
        expectClose(
          rocAucScore(
            c.yTrue,
            c.proba.map((row) => row[1]),
          ),
          c.rocAuc,
          'roc auc',
        );
        expectClose(
          logLoss(
            c.yTrue,
            c.proba.map((row) => row[1]),
          ),
          c.logLoss,
          'log loss from P(class 1)',
        );
      }
      if (c.rocAucOvrMacro !== undefined) expectClose(rocAucOvr(c.yTrue, c.proba), c.rocAucOvrMacro, 'ovr macro auc');
    });
  });

  describe.each(golden.curves.map((c) => [c.name, c] as const))('curves: %s', (_name, c) => {
    it('roc_curve with drop_intermediate (default) and without', () => {
      const roc = rocCurve(c.yTrue, c.yScore);
      expectAllClose(roc.fpr, c.roc.fpr, 'fpr');
      expectAllClose(roc.tpr, c.roc.tpr, 'tpr');
      expectAllClose(roc.thresholds, c.roc.thresholds, 'thresholds');
      const all = rocCurve(c.yTrue, c.yScore, { dropIntermediate: false });
      expectAllClose(all.fpr, c.rocAll.fpr, 'fpr (all)');
      expectAllClose(all.tpr, c.rocAll.tpr, 'tpr (all)');
      expectAllClose(all.thresholds, c.rocAll.thresholds, 'thresholds (all)');
    });

    it('roc_auc_score equals the trapezoid under either curve', () => {
      expectClose(rocAucScore(c.yTrue, c.yScore), c.rocAuc, 'auc');
      const roc = rocCurve(c.yTrue, c.yScore);
      expectClose(auc(roc.fpr, roc.tpr), c.rocAuc, 'auc(fpr, tpr)');
    });

    it('precision_recall_curve and average precision', () => {
      const pr = precisionRecallCurve(c.yTrue, c.yScore);
      expectAllClose(pr.precision, c.pr.precision, 'precision');
      expectAllClose(pr.recall, c.pr.recall, 'recall');
      expectAllClose(pr.thresholds, c.pr.thresholds, 'thresholds');
      expectClose(averagePrecision(c.yTrue, c.yScore), c.averagePrecision, 'average precision');
    });
  });

  it('ties matter in the rounded-score case (the fixture really exercises them)', () => {
    const rounded = golden.curves.find((c) => c.name === 'breast_cancer_logreg_rounded');
    expect(rounded).toBeDefined();
    expect(new Set(rounded?.yScore).size).toBeLessThan(15);
    expect(rounded?.roc.thresholds.length).toBeLessThan(rounded?.rocAll.thresholds.length ?? 0);
  });

  describe.each(golden.regression.map((c) => [c.name, c] as const))('regression: %s', (_name, c) => {
    it('MSE, RMSE, MAE, R²', () => {
      expectClose(meanSquaredError(c.yTrue, c.yPred), c.mse, 'mse');
      expectClose(rootMeanSquaredError(c.yTrue, c.yPred), c.rmse, 'rmse');
      expectClose(meanAbsoluteError(c.yTrue, c.yPred), c.mae, 'mae');
      expectClose(r2Score(c.yTrue, c.yPred), c.r2, 'r2');
    });
  });

  describe.each(golden.clustering.map((c) => [c.name, c] as const))('clustering: %s', (_name, c) => {
    it('adjusted Rand index and silhouette', () => {
      expectClose(adjustedRandIndex(c.labelsTrue, c.labelsPred), c.adjustedRandIndex, 'ari');
      expectClose(silhouetteScore(c.features, c.labelsTrue), c.silhouetteTrue, 'silhouette (true labels)');
      expectClose(silhouetteScore(c.features, c.labelsPred), c.silhouettePred, 'silhouette (k-means labels)');
    });
  });
});
