import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { evaluationPlanSchema, HYPERPARAMETER_SCHEMAS, TRAINING_ALGORITHMS, trainingSpecSchema } from '.';

describe('training contracts', () => {
  it('completes a bare spec with the defaults of its algorithm and a hold-out plan', () => {
    expect(trainingSpecSchema.parse({ algorithm: 'kmeans' })).toEqual({
      algorithm: 'kmeans',
      hyperparameters: { k: 8, init: 'k-means++', nInit: 1, maxIter: 300, tol: 1e-4, preprocessing: 'none' },
      evaluationPlan: { kind: 'split', testFraction: 0.2, stratify: true },
      seed: 0,
    });
    expect(evaluationPlanSchema.parse({ kind: 'kfold' })).toEqual({ kind: 'kfold', folds: 5, stratify: true });
  });

  it('refuses values outside the bounds, unknown fields and another algorithm’s hyper-parameters', () => {
    const issuePath = (input: unknown) => trainingSpecSchema.safeParse(input).error?.issues[0].path.join('.');
    expect(issuePath({ algorithm: 'cart', hyperparameters: { maxDepth: 0 } })).toBe('hyperparameters.maxDepth');
    expect(issuePath({ algorithm: 'nn-regression', hyperparameters: { learningRate: Number.POSITIVE_INFINITY } })).toBe('hyperparameters.learningRate');
    expect(issuePath({ algorithm: 'cnn', hyperparameters: { filters: [8, 8] } })).toBe('hyperparameters.filters');
    expect(issuePath({ algorithm: 'kmeans', hyperparameters: { k: 3, hiddenLayers: [] } })).toBe('hyperparameters');
    expect(issuePath({ algorithm: 'kmeans', evaluationPlan: { kind: 'kfold', folds: 1 } })).toBe('evaluationPlan.folds');
    expect(issuePath({ algorithm: 'kmeans', seed: -1 })).toBe('seed');
    expect(issuePath({ algorithm: 'svm' })).toBe('algorithm');
  });

  it('every algorithm’s hyper-parameters convert to JSON Schema with their defaults and bounds', () => {
    for (const algorithm of TRAINING_ALGORITHMS) {
      const schema = z.toJSONSchema(HYPERPARAMETER_SCHEMAS[algorithm], { io: 'input' }) as unknown as { type: string; properties: Record<string, unknown> };
      expect(schema.type).toBe('object');
      expect(Object.keys(schema.properties).length).toBeGreaterThan(3);
    }
    const kmeans = z.toJSONSchema(HYPERPARAMETER_SCHEMAS.kmeans, { io: 'input' }) as unknown as { properties: { k: Record<string, unknown> } };
    expect(kmeans.properties.k).toMatchObject({ type: 'integer', minimum: 1, maximum: 1024, default: 8 });
  });
});
