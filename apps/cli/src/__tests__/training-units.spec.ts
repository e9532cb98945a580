import { PassThrough } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { HYPERPARAMETER_SCHEMAS, type TrainingAlgorithm, type TrainingJobView } from '@slipway/contracts';
import { z } from 'zod';
import { applyParams, describeSchema, type JsonSchema } from '../training-params';
import { jobProgress, progressParts } from '../training-progress';

/** The JSON Schema and defaults exactly as GET /api/v1/training-jobs/algorithms builds them from the contracts. */
function catalogue(algorithm: TrainingAlgorithm): { schema: JsonSchema; defaults: Record<string, unknown> } {
  const schema = HYPERPARAMETER_SCHEMAS[algorithm];
  return { schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema, defaults: schema.parse({}) as Record<string, unknown> };
}

const apply = (algorithm: TrainingAlgorithm, pairs: string[], base: Record<string, unknown> = {}) => {
  const { schema, defaults } = catalogue(algorithm);
  return applyParams(algorithm, schema, defaults, base, pairs);
};

describe('--param against the algorithm’s JSON Schema', () => {
  it('reads numbers, enums, null, booleans, JSON arrays and dotted keys, and the contract accepts the result', () => {
    const cart = apply('cart', ['maxDepth=4', 'criterion=entropy', 'maxFeatures=sqrt', 'minSamplesLeaf=2']);
    expect(cart).toEqual({ maxDepth: 4, criterion: 'entropy', maxFeatures: 'sqrt', minSamplesLeaf: 2 });
    expect(apply('cart', ['maxFeatures=0.5', 'maxDepth=null'])).toEqual({ maxFeatures: 0.5, maxDepth: null });

    const nn = apply('nn-regression', ['hiddenLayers=[{"units":32},{"units":8,"activation":"tanh"}]', 'earlyStopping.patience=3', 'learningRate=0.01']);
    // A nested object given in part starts from the algorithm's default for it.
    expect(nn).toEqual({
      hiddenLayers: [{ units: 32 }, { units: 8, activation: 'tanh' }],
      earlyStopping: { patience: 3, minDelta: 1e-5, restoreBestWeights: true },
      learningRate: 0.01,
    });
    expect(apply('nn-regression', ['earlyStopping=null'])).toEqual({ earlyStopping: null });
    expect(apply('cnn', ['filters=[8,16,16]', 'augmentation.flipHorizontal=true'])).toEqual({ filters: [8, 16, 16], augmentation: { flipHorizontal: true } });
    // Flags go on top of what a spec file gave.
    expect(apply('cart', ['maxDepth=2'], { maxDepth: 9, criterion: 'entropy' })).toEqual({ maxDepth: 2, criterion: 'entropy' });
    for (const [algorithm, params] of [
      ['cart', cart],
      ['nn-regression', nn],
    ] as const)
      expect(HYPERPARAMETER_SCHEMAS[algorithm].safeParse(params).success).toBe(true);
  });

  it('refuses a wrong type, a bound, an enum, an unknown name and a bad nested field, naming the parameter', () => {
    const cases: [TrainingAlgorithm, string, RegExp][] = [
      ['cart', 'maxDepth=0', /^--param maxDepth: expected a whole number ≥ 1 and ≤ 1000, got 0$/],
      ['cart', 'maxDepth=2.5', /^--param maxDepth: expected a whole number ≥ 1 and ≤ 1000 or null, got 2.5$/],
      ['cart', 'maxDepth=deep', /^--param maxDepth: expected a whole number ≥ 1 and ≤ 1000 or null, got "deep"$/],
      ['cart', 'criterion=gni', /^--param criterion: expected one of "gini", "entropy", "squared_error", got "gni"$/],
      ['cart', 'epochs=3', /^--param epochs: cart has no hyper-parameter "epochs" \(known: criterion, maxDepth, .*\)$/],
      ['cart', 'maxDepth', /^--param maxDepth: expected key=value/],
      ['nn-regression', 'learningRate=0', /^--param learningRate: expected a number > 0 and ≤ 10, got 0$/],
      [
        'nn-regression',
        'earlyStopping.patiense=3',
        /^--param earlyStopping.patiense: "earlyStopping" has no field "patiense" \(known: patience, minDelta, restoreBestWeights\)$/,
      ],
      ['nn-regression', 'hiddenLayers=[{"units":0}]', /^--param hiddenLayers.0.units: expected a whole number ≥ 1 and ≤ 4096, got 0$/],
      ['nn-regression', 'hiddenLayers=[{"unit":3}]', /^--param hiddenLayers.0.units: required$/],
      ['cnn', 'filters=[8,16]', /^--param filters: expected 3 items, got 2$/],
      ['kmeans', 'k=2000', /^--param k: expected a whole number ≥ 1 and ≤ 1024, got 2000$/],
    ];
    for (const [algorithm, pair, message] of cases) expect(() => apply(algorithm, [pair])).toThrow(message);
    // What a spec file brought is checked too, named by its place in the request.
    expect(() => apply('cart', [], { maxDepth: -1 })).toThrow(/^hyperparameters.maxDepth: expected a whole number ≥ 1/);
  });

  it('describes each parameter for `slipway jobs algorithms`', () => {
    const properties = catalogue('nn-regression').schema.properties ?? {};
    expect(describeSchema(properties['epochs'])).toBe('a whole number ≥ 1 and ≤ 10000');
    expect(describeSchema(properties['earlyStopping'])).toBe(
      '{ patience: a whole number ≥ 1 and ≤ 10000, minDelta?: a number ≥ 0 and ≤ 1000000, restoreBestWeights?: a boolean } or null',
    );
  });
});

describe('progress of a job as the CLI shows it', () => {
  const base = { step: 1, phase: 'training' as const, updatedAt: '2026-12-01T10:00:00.000Z' };
  it('counts finished folds from fold events and the fold in training from epoch events', () => {
    expect(progressParts({ ...base, fold: 2, folds: 5, epoch: null, epochs: null, metrics: { accuracy: 0.95, f1_macro: 0.9 } })).toEqual({
      fold: { done: 2, total: 5, metric: 'accuracy 0.95' },
      epoch: null,
    });
    expect(progressParts({ ...base, fold: 3, folds: 5, epoch: 7, epochs: 20, metrics: { val_loss: 0.5, loss: 0.25 } })).toEqual({
      fold: { done: 2, total: 5, metric: '' },
      epoch: { epoch: 7, epochs: 20, fold: 3, metric: 'loss 0.25  val_loss 0.5' },
    });
    // The final fit after the folds.
    expect(progressParts({ ...base, fold: null, folds: 5, epoch: 1, epochs: 20, metrics: { loss: 1 } }).fold).toEqual({ done: 5, total: 5, metric: '' });
  });
});

describe('jobProgress', () => {
  const at = '2026-12-01T10:00:00.000Z';
  const job = (status: TrainingJobView['status'], progress: TrainingJobView['progress']): TrainingJobView =>
    ({ id: 'job-1', status, attempts: 1, maxAttempts: 3, workerId: 'host:1:abc', progress }) as TrainingJobView;
  const fold = (n: number, accuracy: number) => ({
    step: n,
    phase: 'training' as const,
    fold: n,
    folds: 5,
    epoch: null,
    epochs: null,
    metrics: { accuracy },
    updatedAt: at,
  });
  const epoch = (n: number) => ({ step: n, phase: 'training' as const, fold: null, folds: 5, epoch: n, epochs: 20, metrics: { loss: 1 / n }, updatedAt: at });
  const feed = (progress: ReturnType<typeof jobProgress>) => {
    progress.update(job('QUEUED', null));
    progress.update(job('RUNNING', { ...fold(0, 0), phase: 'loading', fold: null, folds: null, metrics: {} }));
    for (const n of [1, 2, 2, 5]) progress.update(job('RUNNING', fold(n, 0.9 + n / 100)));
    for (const n of [1, 2, 3, 4, 7, 20]) progress.update(job('RUNNING', epoch(n)));
    progress.update(job('SUCCEEDED', null));
    progress.stop();
  };

  it('off a terminal: a line per status, phase and fold, and about every tenth epoch', () => {
    const stream = new PassThrough();
    feed(jobProgress(stream, false));
    expect(String(stream.read())).toBe(
      [
        'job job-1 QUEUED',
        'job job-1 RUNNING on host:1:abc',
        'phase: loading',
        'phase: training',
        'fold 1/5  accuracy 0.91 (mean so far)',
        'fold 2/5  accuracy 0.92 (mean so far)',
        'fold 5/5  accuracy 0.95 (mean so far)',
        'final fit epoch 1/20  loss 1',
        'final fit epoch 2/20  loss 0.5',
        'final fit epoch 4/20  loss 0.25',
        'final fit epoch 20/20  loss 0.05',
        'job job-1 SUCCEEDED',
        '',
      ].join('\n'),
    );
  });

  it('on a terminal: a bar for the folds and one for the epochs', () => {
    const stream = new PassThrough();
    let drawn = '';
    stream.on('data', (chunk: Buffer) => (drawn += chunk.toString()));
    feed(jobProgress(stream, true, { noTTYOutput: true }));
    expect(drawn).toMatch(/folds +\[[^\]]+\] 5\/5 accuracy 0.95/);
    expect(drawn).toMatch(/epochs +\[[^\]]+\] 20\/20 loss 0.05/);
    expect(drawn).toContain('job job-1 SUCCEEDED');
  });
});
