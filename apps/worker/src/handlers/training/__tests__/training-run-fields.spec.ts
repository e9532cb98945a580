import { describe, expect, it } from '@jest/globals';
import { TRACKING_LIMITS, text } from '@slipway/contracts';
import type { TrainingJobEntity } from '@slipway/db';
import { metricPointsOf } from '../training-progress';
import { evaluationMetricPoints, safeText, trainingParams } from '../training-run-fields';

describe('training run fields', () => {
  it('params: hyper-parameters by name (nested with dots, lists as JSON), the algorithm, the plan under evaluation.*, the target', () => {
    const job = {
      algorithm: 'nn-regression',
      hyperparameters: { epochs: 5, hiddenLayers: [{ units: 8, activation: 'relu' }], earlyStopping: { patience: 3, minDelta: 0.001 }, l2: 0 },
      evaluationPlan: { kind: 'split', testFraction: 0.25, stratify: true },
      targetColumn: 'price',
    } as unknown as TrainingJobEntity;
    expect(Object.fromEntries(trainingParams(job).map((p) => [p.key, p.value]))).toEqual({
      epochs: '5',
      hiddenLayers: '[{"units":8,"activation":"relu"}]',
      'earlyStopping.patience': '3',
      'earlyStopping.minDelta': '0.001',
      l2: '0',
      algorithm: 'nn-regression',
      'evaluation.kind': 'split',
      'evaluation.testFraction': '0.25',
      'evaluation.stratify': 'true',
      target: 'price',
    });
    const long = { ...job, hyperparameters: { notes: 'x'.repeat(TRACKING_LIMITS.valueLength + 10) }, targetColumn: null } as unknown as TrainingJobEntity;
    const notes = trainingParams(long).find((p) => p.key === 'notes');
    expect(notes?.value).toHaveLength(TRACKING_LIMITS.valueLength);
    expect(trainingParams(long).some((p) => p.key === 'target')).toBe(false);
  });

  it('metric points: epochs at the global step under epoch/, folds at the fold number under fold/, the evaluation at step 0 with <metric>_std', () => {
    expect(metricPointsOf({ kind: 'epoch', step: 17, fold: 2, epoch: 3, epochs: 10, metrics: { loss: 0.5, val_loss: Number.NaN } }, 1000)).toEqual([
      { key: 'epoch/loss', value: 0.5, step: 17, timestamp: 1000 },
      { key: 'epoch/val_loss', value: Number.NaN, step: 17, timestamp: 1000 },
    ]);
    expect(metricPointsOf({ kind: 'fold', step: 4, fold: 3, folds: 5, metrics: { accuracy: 0.9 }, meanSoFar: { accuracy: 0.8 } }, 1000)).toEqual([
      { key: 'fold/accuracy', value: 0.9, step: 3, timestamp: 1000 },
    ]);
    const evaluation = {
      task: 'classification',
      plan: 'kfold',
      primaryMetric: 'accuracy',
      metrics: { accuracy: 0.9 },
      std: { accuracy: 0.02 },
      rows: { train: 1, test: 1 },
    };
    expect(evaluationMetricPoints(evaluation as never, 5)).toEqual([
      { key: 'accuracy', value: 0.9, step: 0, timestamp: 5 },
      { key: 'accuracy_std', value: 0.02, step: 0, timestamp: 5 },
    ]);
  });

  it('safeText gives what the contracts accept: no NUL, no lone surrogate, at most max units', () => {
    const schema = text({ max: 10 });
    for (const value of ['a\u0000b', 'ok\uD800', '\uDC00x', 'x'.repeat(9) + '😀😀', 'plain']) {
      const clean = safeText(value, 10);
      expect(schema.safeParse(clean).success).toBe(true);
    }
    expect(safeText('a\u0000b', 10)).toBe('ab');
    expect(safeText('abcdefghijkl', 10)).toBe('abcdefghi…');
  });
});
