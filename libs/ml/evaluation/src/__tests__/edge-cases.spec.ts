import { describe, expect, it } from '@jest/globals';
import {
  accuracy,
  adjustedRandIndex,
  EvaluationErrorCode,
  EvaluationInputError,
  logLoss,
  meanSquaredError,
  precisionRecallF1,
  r2Score,
  rocAucOvr,
  rocAucScore,
  rocCurve,
  silhouetteScore,
} from '..';

function codeOf(fn: () => unknown): { code: EvaluationErrorCode; argument: string } {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(EvaluationInputError);
    const e = error as EvaluationInputError;
    return { code: e.code, argument: e.argument };
  }
  throw new Error('expected an EvaluationInputError');
}

describe('edge cases fail with typed errors naming the argument', () => {
  it('empty input', () => {
    expect(codeOf(() => accuracy([], []))).toEqual({ code: EvaluationErrorCode.EMPTY_INPUT, argument: 'yTrue' });
  });
  it('NaN / Infinity', () => {
    expect(codeOf(() => meanSquaredError([1, 2], [1, Number.NaN]))).toEqual({ code: EvaluationErrorCode.NON_FINITE, argument: 'yPred' });
    expect(codeOf(() => rocAucScore([0, 1], [0.1, Number.POSITIVE_INFINITY]))).toEqual({ code: EvaluationErrorCode.NON_FINITE, argument: 'yScore' });
  });
  it('length mismatch', () => {
    expect(codeOf(() => accuracy([0, 1, 1], [0, 1]))).toEqual({ code: EvaluationErrorCode.SHAPE_MISMATCH, argument: 'yPred' });
  });
  it('ragged probability rows', () => {
    expect(codeOf(() => logLoss([0, 1], [[0.5, 0.5], [1]]))).toEqual({ code: EvaluationErrorCode.RAGGED_ROWS, argument: 'proba' });
  });
  it('one class only makes ROC undefined', () => {
    expect(codeOf(() => rocAucScore([1, 1, 1], [0.2, 0.4, 0.9]))).toEqual({ code: EvaluationErrorCode.SINGLE_CLASS, argument: 'yTrue' });
    expect(codeOf(() => rocCurve([0, 0], [0.2, 0.4]))).toEqual({ code: EvaluationErrorCode.SINGLE_CLASS, argument: 'yTrue' });
  });
  it('labels outside 0..k-1, non-integer, or non-binary where binary is required', () => {
    expect(
      codeOf(() =>
        logLoss(
          [0, 3],
          [
            [0.5, 0.5],
            [0.2, 0.8],
          ],
        ),
      ),
    ).toEqual({ code: EvaluationErrorCode.BAD_LABELS, argument: 'yTrue' });
    expect(codeOf(() => accuracy([0, 1.5], [0, 1]))).toEqual({ code: EvaluationErrorCode.BAD_LABELS, argument: 'yTrue' });
    expect(codeOf(() => rocAucScore([0, 2], [0.1, 0.2]))).toEqual({ code: EvaluationErrorCode.BAD_LABELS, argument: 'yTrue' });
    expect(codeOf(() => precisionRecallF1([0, 1, 2], [0, 1, 2], 'binary'))).toEqual({ code: EvaluationErrorCode.BAD_LABELS, argument: 'yTrue' });
    expect(
      codeOf(() =>
        rocAucOvr(
          [0, 0, 1],
          [
            [0.5, 0.3, 0.2],
            [0.6, 0.2, 0.2],
            [0.1, 0.8, 0.1],
          ],
        ),
      ),
    ).toEqual({
      code: EvaluationErrorCode.BAD_LABELS,
      argument: 'yTrue',
    });
    expect(codeOf(() => silhouetteScore([[0], [1], [2]], [0, 0, 0]))).toEqual({ code: EvaluationErrorCode.BAD_LABELS, argument: 'labels' });
  });
  it('error messages say what is wrong', () => {
    expect(() =>
      logLoss(
        [0, 3],
        [
          [0.5, 0.5],
          [0.2, 0.8],
        ],
      ),
    ).toThrow(/yTrue: label 3 at index 1 is outside 0\.\.1/);
  });
});

describe('documented corner values (same as scikit-learn)', () => {
  it('R² of a constant target: 1 if perfect, else 0', () => {
    expect(r2Score([2, 2, 2], [2, 2, 2])).toBe(1);
    expect(r2Score([2, 2, 2], [2, 2, 3])).toBe(0);
  });
  it('ARI is 1 for identical partitions under relabelling and −0.5 for the classic discordant case', () => {
    expect(adjustedRandIndex([0, 0, 1, 1], [5, 5, 9, 9])).toBe(1);
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1])).toBe(-0.5);
  });
  it('all-tied scores give AUC 0.5 and a two-point curve', () => {
    expect(rocAucScore([0, 1, 0, 1], [0.3, 0.3, 0.3, 0.3])).toBe(0.5);
    expect(rocCurve([0, 1, 0, 1], [0.3, 0.3, 0.3, 0.3])).toEqual({ fpr: [0, 1], tpr: [0, 1], thresholds: [1.3, 0.3] });
  });
  it('zero_division = 0 for a class never predicted', () => {
    expect(precisionRecallF1([0, 1, 1], [0, 0, 0], 'binary')).toEqual({ precision: 0, recall: 0, f1: 0 });
  });
  it('log loss clips certain-but-wrong predictions instead of returning Infinity', () => {
    expect(logLoss([1], [[1, 0]])).toBeCloseTo(-Math.log(Number.EPSILON), 10);
  });
});
