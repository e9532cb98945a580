import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { downsampleCurve, precisionRecallF1, probabilityReport, residualSummary, auc } from '..';
import { expectAllClose, expectClose } from './golden';

/** Written by __fixtures__/make-training-golden.py (scikit-learn 1.2.1, numpy 1.24.2); tests never run Python. */
interface OneVsRestCase {
  name: string;
  nClasses: number;
  yTrue: number[];
  yPred: number[];
  proba: number[][];
  logLoss: number;
  weighted: { precision: number; recall: number; f1: number };
  perClass: { rocAuc: number; averagePrecision: number; rocPoints: number; prPoints: number }[];
  rocAuc?: number;
  averagePrecision?: number;
  rocAucOvrMacro?: number;
  averagePrecisionMacro?: number;
}
interface ResidualCase {
  name: string;
  yTrue: number[];
  yPred: number[];
  bins: number;
  count: number;
  mean: number;
  std: number;
  min: number;
  max: number;
  maxAbs: number;
  quantiles: Record<'p5' | 'p25' | 'p50' | 'p75' | 'p95', number>;
  histogram: { edges: number[]; counts: number[] };
}
const golden: { _sklearn: string; _numpy: string; oneVsRest: OneVsRestCase[]; residuals: ResidualCase[] } = JSON.parse(
  readFileSync(join(__dirname, '..', '__fixtures__', 'sklearn-training-golden.json'), 'utf8'),
);

const names = (k: number) => Array.from({ length: k }, (_, c) => `class ${c}`);

describe('the evaluation train() stores equals scikit-learn 1.2.1 / numpy 1.24.2 to 1e-9', () => {
  it('fixture comes from the Debian versions', () => {
    expect([golden._sklearn, golden._numpy]).toEqual(['1.2.1', '1.24.2']);
    expect(golden.oneVsRest.map((c) => c.name)).toEqual([
      'breast_cancer_logreg',
      'iris_logreg',
      'wine_logreg',
      'digits_logreg',
      'breast_cancer_tree_depth3',
      'wine_tree_depth3',
    ]);
  });

  describe.each(golden.oneVsRest.map((c) => [c.name, c] as const))('probabilities: %s', (_name, c) => {
    const report = probabilityReport(c.yTrue, c.proba, names(c.nClasses));

    it('log loss over every class (tree leaves give exact 0 and 1: clipped as scikit-learn)', () => {
      expectClose(report.logLoss, c.logLoss, 'log loss');
    });

    it('weighted precision / recall / F1 of the arg-max predictions', () => {
      const got = precisionRecallF1(c.yTrue, c.yPred, 'weighted');
      expectClose(got.precision, c.weighted.precision, 'precision');
      expectClose(got.recall, c.weighted.recall, 'recall');
      expectClose(got.f1, c.weighted.f1, 'f1');
    });

    it('one-vs-rest per class: ROC AUC, average precision, and the curves have scikit-learn’s points', () => {
      expect(report.oneVsRest.map((o) => o.label)).toEqual(names(c.nClasses));
      c.perClass.forEach((expected, k) => {
        const got = report.oneVsRest[k];
        expectClose(got.rocAuc as number, expected.rocAuc, `class ${k} ROC AUC`);
        expectClose(got.averagePrecision as number, expected.averagePrecision, `class ${k} AP`);
        expect([got.roc?.fpr.length, got.pr?.recall.length]).toEqual([expected.rocPoints, expected.prPoints]);
      });
    });

    it('the headline areas: positive class for binary, macro one-vs-rest for multiclass', () => {
      if (c.nClasses === 2) {
        expectClose(report.rocAuc as number, c.rocAuc as number, 'ROC AUC');
        expectClose(report.averagePrecision as number, c.averagePrecision as number, 'AP');
      } else {
        expectClose(report.rocAuc as number, c.rocAucOvrMacro as number, 'ROC AUC ovr macro');
        expectClose(report.averagePrecision as number, c.averagePrecisionMacro as number, 'AP macro');
      }
    });
  });

  it('areas are undefined (null) where scikit-learn refuses: a class missing from the test rows', () => {
    const report = probabilityReport(
      [0, 0, 1, 1],
      [
        [0.7, 0.2, 0.1],
        [0.5, 0.3, 0.2],
        [0.2, 0.7, 0.1],
        [0.1, 0.6, 0.3],
      ],
      names(3),
    );
    expect(report.oneVsRest[2]).toEqual({ label: 'class 2', roc: null, rocAuc: null, pr: null, averagePrecision: null });
    expect([report.rocAuc, report.averagePrecision]).toEqual([null, null]);
    expect(Number.isFinite(report.logLoss)).toBe(true);
  });

  describe.each(golden.residuals.map((c) => [c.name, c] as const))('residuals: %s', (_name, c) => {
    it('mean, std, extremes, quantiles (linear) and histogram as numpy', () => {
      const got = residualSummary(c.yTrue, c.yPred, { bins: c.bins });
      expect(got.count).toBe(c.count);
      for (const key of ['mean', 'std', 'min', 'max', 'maxAbs'] as const) expectClose(got[key], c[key], key);
      for (const key of ['p5', 'p25', 'p50', 'p75', 'p95'] as const) expectClose(got.quantiles[key], c.quantiles[key], key);
      expectAllClose(got.histogram.edges, c.histogram.edges, 'edges');
      expect(got.histogram.counts).toEqual(c.histogram.counts);
    });
  });

  it('downsampling a 361-point PR curve keeps 200 points, both ends, and the order; the area is only close', () => {
    const digits = golden.oneVsRest.find((c) => c.name === 'digits_logreg') as OneVsRestCase;
    const pr = probabilityReport(digits.yTrue, digits.proba, names(10)).oneVsRest[0].pr;
    if (!pr) throw new Error('class 0 occurs in the digits test rows');
    const small = downsampleCurve(pr.recall, pr.precision, 200);
    expect(small.x).toHaveLength(200);
    expect([small.x[0], small.y[0], small.x[199], small.y[199]]).toEqual([pr.recall[0], pr.precision[0], pr.recall[360], pr.precision[360]]);
    for (let i = 1; i < 200; i++) expect(small.x[i]).toBeLessThanOrEqual(small.x[i - 1]);
    expect(Math.abs(auc(small.x, small.y) - auc(pr.recall, pr.precision))).toBeLessThan(0.01);
    expect(downsampleCurve([0, 1], [0, 1], 200)).toEqual({ x: [0, 1], y: [0, 1] });
    expect(() => downsampleCurve([0, 1], [0, 1], 1)).toThrow('maxPoints');
  });
});
