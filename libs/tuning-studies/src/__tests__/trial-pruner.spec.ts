import { describe, expect, it } from '@jest/globals';
import { intermediatePointOf } from '../trial-pruner';

const kfold = { evaluationPlan: { kind: 'kfold' as const, folds: 5, stratify: true }, objective: { metric: 'f1_macro', direction: 'maximize' as const } };
const split = { evaluationPlan: { kind: 'split' as const, testFraction: 0.2, stratify: true }, objective: { metric: 'r2', direction: 'maximize' as const } };

describe('intermediatePointOf (the pruning mapping)', () => {
  it('k-fold: a fold event is step = fold number, value = the running mean of the objective, in its direction', () => {
    const event = { kind: 'fold' as const, step: 2, fold: 2, folds: 5, metrics: { f1_macro: 0.5 }, meanSoFar: { f1_macro: 0.75, accuracy: 0.8 } };
    expect(intermediatePointOf(kfold, event)).toEqual({ step: 2, value: 0.75, direction: 'maximize' });
  });

  it('k-fold: epochs inside folds, a missing objective and a non-finite mean report nothing', () => {
    expect(intermediatePointOf(kfold, { kind: 'epoch', step: 9, fold: 1, epoch: 3, epochs: 10, metrics: { loss: 0.2 } })).toBeNull();
    expect(intermediatePointOf(kfold, { kind: 'fold', step: 1, fold: 1, folds: 5, metrics: {}, meanSoFar: { accuracy: 0.9 } })).toBeNull();
    expect(intermediatePointOf(kfold, { kind: 'fold', step: 1, fold: 1, folds: 5, metrics: {}, meanSoFar: { f1_macro: Number.NaN } })).toBeNull();
  });

  it('split: an epoch of the one fit is step = epoch, value = val_loss (else loss), minimised whatever the objective', () => {
    expect(intermediatePointOf(split, { kind: 'epoch', step: 4, fold: null, epoch: 4, epochs: 10, metrics: { loss: 0.3, val_loss: 0.4 } })).toEqual({
      step: 4,
      value: 0.4,
      direction: 'minimize',
    });
    expect(intermediatePointOf(split, { kind: 'epoch', step: 5, fold: null, epoch: 5, epochs: 10, metrics: { loss: 0.25 } })).toEqual({
      step: 5,
      value: 0.25,
      direction: 'minimize',
    });
    expect(intermediatePointOf(split, { kind: 'epoch', step: 6, fold: null, epoch: 6, epochs: 10, metrics: { loss: Number.POSITIVE_INFINITY } })).toBeNull();
  });
});
