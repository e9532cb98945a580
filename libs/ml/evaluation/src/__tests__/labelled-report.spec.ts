import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { averagePrecision, EvaluationInputError, labelledClassificationReport, labelledOneVsRest, perClassScores, rocAucScore } from '..';

describe('reports keyed by the original class labels', () => {
  const labels = ['setosa', 'versicolor', 'virginica'];
  const yTrue = [0, 0, 1, 1, 1, 2, 2, 0];
  const yPred = [0, 1, 1, 1, 2, 2, 2, 0];

  it('names every confusion row and per-class score, by hand', () => {
    const report = labelledClassificationReport(yTrue, yPred, labels);
    expect(report.labels).toEqual(labels);
    expect(report.confusionMatrix).toEqual([
      [2, 1, 0],
      [0, 2, 1],
      [0, 0, 2],
    ]);
    expect(report.perClass[0]).toEqual({ label: 'setosa', precision: 1, recall: 2 / 3, f1: 0.8, support: 3 });
    expect(report.perClass[2]).toMatchObject({ label: 'virginica', precision: 2 / 3, recall: 1, support: 2 });
  });

  it('a class absent from the test part still has its row (zeros, support 0); ids outside the map are refused', () => {
    const report = labelledClassificationReport([0, 1, 0], [0, 1, 1], labels);
    expect(report.perClass[2]).toEqual({ label: 'virginica', precision: 0, recall: 0, f1: 0, support: 0 });
    expect(report.confusionMatrix[2]).toEqual([0, 0, 0]);
    expect(() => labelledClassificationReport([0, 3], [0, 1], labels)).toThrow(EvaluationInputError);
    expect(() => labelledClassificationReport([0, 1], [0, 1], ['a', 'a'])).toThrow('names must be distinct');
  });

  it('property: the same scores as perClassScores, each under its own label', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 60 }), (pairs) => {
        const t = pairs.map(([a]) => a);
        const p = pairs.map(([, b]) => b);
        const names = ['d', 'c', 'b', 'a'];
        const report = labelledClassificationReport(t, p, names);
        const reference = perClassScores(t, p);
        reference.labels.forEach((id, j) => {
          expect(report.perClass[id]).toEqual({
            label: names[id],
            precision: reference.precision[j],
            recall: reference.recall[j],
            f1: reference.f1[j],
            support: reference.support[j],
          });
        });
        expect(report.confusionMatrix.flat().reduce((a, b) => a + b, 0)).toBe(t.length);
      }),
      { seed: 3 },
    );
  });

  it('one-vs-rest curves per label agree with the binary metrics; an absent class has none', () => {
    const proba = [
      [0.8, 0.1, 0.1],
      [0.4, 0.5, 0.1],
      [0.2, 0.7, 0.1],
      [0.1, 0.6, 0.3],
      [0.1, 0.3, 0.6],
      [0.1, 0.2, 0.7],
      [0.2, 0.1, 0.7],
      [0.6, 0.2, 0.2],
    ];
    const ovr = labelledOneVsRest(yTrue, proba, labels);
    expect(ovr.map((c) => c.label)).toEqual(labels);
    ovr.forEach((curve, c) => {
      const binary = yTrue.map((id) => (id === c ? 1 : 0));
      const scores = proba.map((row) => row[c]);
      expect(curve.rocAuc).toBeCloseTo(rocAucScore(binary, scores), 12);
      expect(curve.averagePrecision).toBeCloseTo(averagePrecision(binary, scores), 12);
    });
    const absent = labelledOneVsRest([0, 1, 0], proba.slice(0, 3), labels);
    expect(absent[2]).toEqual({ label: 'virginica', roc: null, rocAuc: null, pr: null, averagePrecision: null });
    expect(() => labelledOneVsRest(yTrue, proba, ['a', 'b', 'c', 'd'])).toThrow('has 3 columns for 4 labels');
  });
});
