import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { evaluationSchema, trainingEvaluationSchema, trainingSpecSchema, versionEvaluationOf, type TrainingEvaluation } from '@slipway/contracts';
import { loadBuiltinDataset, selectRows, type TabularDataset } from '@slipway/ml-datasets';
import { selectBackend } from '@slipway/ml-runtime';
import { resolveTreeParams } from '../../cart';
import { MlInputError, MlInputErrorCode } from '../../common';
import { resolveKMeansParams } from '../../kmeans';
import { resolveCnnClassifierParams } from '../../neural/cnn-classifier';
import { resolveNnRegressionParams } from '../../neural/nn-regression';
import { loadModel, train, TrainingCancelledError, type TrainedModel, type TrainingData, type TrainingProgress } from '..';

const tabular = (dataset: TabularDataset): TrainingData => ({
  kind: 'tabular',
  features: { data: dataset.features, nRows: dataset.nRows, nFeatures: dataset.nFeatures },
  target: dataset.targets,
  featureNames: dataset.featureNames,
});

/** Every `step`-th row: a small, deterministic subset that keeps all classes. */
const everyNth = (dataset: TabularDataset, step: number) =>
  selectRows(
    dataset,
    Array.from({ length: Math.floor(dataset.nRows / step) }, (_, i) => i * step),
  );

/** The 8×8 digits as single-channel images. */
const digitImages = (dataset: TabularDataset): TrainingData => ({
  kind: 'images',
  images: { data: dataset.features, count: dataset.nRows, height: 8, width: 8, channels: 1 },
  labels: dataset.targets,
});

const rowsOf = (dataset: TabularDataset) => ({ data: dataset.features, nRows: dataset.nRows, nFeatures: dataset.nFeatures });

/** What train returns is what its contract says, and converts to what the registry stores for a version. */
function expectContractEvaluation(evaluation: TrainingEvaluation): void {
  expect(trainingEvaluationSchema.parse(evaluation)).toEqual(evaluation);
  const stored = versionEvaluationOf(evaluation);
  expect(evaluationSchema.parse(stored)).toEqual(stored);
  expect(stored.metrics).toEqual(evaluation.metrics);
}

async function roundTrip(model: TrainedModel): Promise<TrainedModel> {
  const artifact = await model.save();
  expect(artifact).toMatchObject({ format: 'slipway.model', formatVersion: 2, algorithm: model.algorithm });
  for (const bytes of Object.values(artifact.files)) expect(bytes).toBeInstanceOf(Uint8Array);
  // Serving gets the files back from storage: copies, not the in-memory buffers.
  const stored = Object.fromEntries(Object.entries(artifact.files).map(([name, bytes]) => [name, Uint8Array.from(bytes)]));
  const loaded = await loadModel({ files: stored });
  expect(loaded.algorithm).toBe(model.algorithm);
  expect(loaded.task).toBe(model.task);
  return loaded;
}

describe('train / loadModel', () => {
  const models: TrainedModel[] = [];
  const track = <T extends TrainedModel>(model: T) => (models.push(model), model);

  beforeAll(async () => {
    await selectBackend({ force: 'wasm' });
  });
  afterEach(() => models.splice(0).forEach((m) => m.dispose()));

  it('k-means on iris: hold-out silhouette and ARI, identical cluster ids after save → load', async () => {
    const iris = loadBuiltinDataset('iris');
    const { model, evaluation } = await train(
      { algorithm: 'kmeans', hyperparameters: { k: 3, nInit: 4 }, evaluationPlan: { kind: 'split', testFraction: 0.3 }, seed: 7 },
      tabular(iris),
    );
    track(model);
    expect(evaluation).toMatchObject({ task: 'clustering', plan: 'split', primaryMetric: 'silhouette', rows: { train: 105, test: 45 } });
    expectContractEvaluation(evaluation);
    expect(evaluation.metrics['silhouette']).toBeGreaterThan(0.4);
    expect(evaluation.metrics['ari']).toBeGreaterThan(0.5);
    expect(evaluation.metrics['inertia_mean']).toBeGreaterThan(0);
    const loaded = track(await roundTrip(model));
    expect(loaded.predict(rowsOf(iris))).toEqual(model.predict(rowsOf(iris)));
  });

  it('CART on wine with 3-fold CV: fold events in order, fold means, a final model that round-trips', async () => {
    const wine = loadBuiltinDataset('wine');
    const events: TrainingProgress[] = [];
    const { model, evaluation } = await train(
      { algorithm: 'cart', hyperparameters: { maxDepth: 4 }, evaluationPlan: { kind: 'kfold', folds: 3 }, seed: 1 },
      { ...tabular(wine), classLabels: ['class_0', 'class_1', 'class_2'] },
      { onProgress: (e) => void events.push(e) },
    );
    track(model);
    expect(events.map((e) => [e.kind, e.step, e.kind === 'fold' ? e.fold : null])).toEqual([
      ['fold', 1, 1],
      ['fold', 2, 2],
      ['fold', 3, 3],
    ]);
    const folds = events.filter((e): e is Extract<TrainingProgress, { kind: 'fold' }> => e.kind === 'fold');
    expect(folds[2].meanSoFar['accuracy']).toBeCloseTo((folds[0].metrics['accuracy'] + folds[1].metrics['accuracy'] + folds[2].metrics['accuracy']) / 3, 12);
    expect(folds[0].meanSoFar).toEqual(folds[0].metrics);
    expect(evaluation).toMatchObject({ task: 'classification', plan: 'kfold', primaryMetric: 'accuracy', rows: { train: 178, test: 178 } });
    expectContractEvaluation(evaluation);
    expect(versionEvaluationOf(evaluation).confusionMatrix?.labels).toEqual(['class_0', 'class_1', 'class_2']);
    expect(evaluation.folds?.map((f) => f['accuracy'])).toEqual(folds.map((f) => f.metrics['accuracy']));
    expect(evaluation.metrics['accuracy']).toBeGreaterThan(0.8);
    expect(evaluation.metrics['f1_macro']).toBeGreaterThan(0.75);
    expect(evaluation.std?.['accuracy']).toBeGreaterThanOrEqual(0);
    // Each row is tested exactly once over the folds, so the summed confusion matrix counts every row once.
    expect(evaluation.confusionMatrix?.labels).toEqual(['class_0', 'class_1', 'class_2']);
    expect(evaluation.confusionMatrix?.matrix.flat().reduce((a, b) => a + b, 0)).toBe(178);
    const loaded = track(await roundTrip(model));
    expect(loaded.predict(rowsOf(wine))).toEqual(model.predict(rowsOf(wine)));
  });

  it("CART with criterion 'squared_error' is a regression tree scored with MSE and R²", async () => {
    const data = everyNth(loadBuiltinDataset('regression_20k'), 20);
    const { model, evaluation } = await train({ algorithm: 'cart', hyperparameters: { criterion: 'squared_error', maxDepth: 6 }, seed: 3 }, tabular(data));
    track(model);
    expect(model.task).toBe('regression');
    expect(evaluation.primaryMetric).toBe('r2');
    expectContractEvaluation(evaluation);
    expect(Object.keys(evaluation.metrics).sort()).toEqual(['mae', 'mse', 'r2', 'rmse']);
    expect(evaluation.metrics['r2']).toBeGreaterThan(0.3);
    expect(evaluation.metrics['rmse']).toBeCloseTo(Math.sqrt(evaluation.metrics['mse']), 12);
    const loaded = track(await roundTrip(model));
    expect(loaded.predict(rowsOf(data))).toEqual(model.predict(rowsOf(data)));
  });

  it('NN regression: epoch events 1..n in order, R² on the hold-out part, identical predictions after load', async () => {
    const data = everyNth(loadBuiltinDataset('regression_20k'), 25);
    const events: TrainingProgress[] = [];
    const { model, evaluation } = await train(
      {
        algorithm: 'nn-regression',
        hyperparameters: { hiddenLayers: [{ units: 16, activation: 'relu' }], epochs: 3, batchSize: 32, learningRate: 0.01, earlyStopping: null },
        seed: 5,
      },
      tabular(data),
      { onProgress: (e) => void events.push(e) },
    );
    track(model);
    expect(events.map((e) => (e.kind === 'epoch' ? [e.step, e.fold, e.epoch, e.epochs] : e.kind))).toEqual([
      [1, null, 1, 3],
      [2, null, 2, 3],
      [3, null, 3, 3],
    ]);
    for (const e of events) expect(Object.keys(e.metrics).sort()).toEqual(['loss', 'val_loss']);
    expect(evaluation).toMatchObject({ task: 'regression', plan: 'split', rows: { train: 640, test: 160 } });
    expectContractEvaluation(evaluation);
    expect(Number.isFinite(evaluation.metrics['r2'])).toBe(true);
    const loaded = track(await roundTrip(model));
    expect(loaded.predict(rowsOf(data))).toEqual(model.predict(rowsOf(data)));
  });

  it('CNN on a digits subset: 2-fold CV with epochs inside each fold, then the final fit; round-trips', async () => {
    const digits = everyNth(loadBuiltinDataset('digits'), 12);
    const events: TrainingProgress[] = [];
    const { model, evaluation } = await train(
      {
        algorithm: 'cnn',
        hyperparameters: { filters: [4, 8, 8], denseUnits: 16, epochs: 2, batchSize: 16, learningRate: 0.01, earlyStopping: null, validationSplit: 0 },
        evaluationPlan: { kind: 'kfold', folds: 2 },
        seed: 11,
      },
      digitImages(digits),
      { onProgress: (e) => void events.push(e) },
    );
    track(model);
    expect(events.map((e) => `${e.step}:${e.kind}:${e.fold ?? 'final'}${e.kind === 'epoch' ? `:${e.epoch}` : ''}`)).toEqual([
      '1:epoch:1:1',
      '2:epoch:1:2',
      '3:fold:1',
      '4:epoch:2:1',
      '5:epoch:2:2',
      '6:fold:2',
      '7:epoch:final:1',
      '8:epoch:final:2',
    ]);
    expect(evaluation).toMatchObject({ task: 'classification', plan: 'kfold', rows: { train: digits.nRows, test: digits.nRows } });
    expect(evaluation.confusionMatrix?.labels).toHaveLength(10);
    expectContractEvaluation(evaluation);
    // Flattened rows and images are the same input to the CNN.
    const images = { data: digits.features, count: digits.nRows, height: 8, width: 8, channels: 1 };
    expect(model.predict(rowsOf(digits))).toEqual(model.predict(images));
    const loaded = track(await roundTrip(model));
    expect(loaded.predict(images)).toEqual(model.predict(images));
  });

  it('abort during the epochs stops after the current epoch with a typed error and frees the partial network', async () => {
    const data = everyNth(loadBuiltinDataset('regression_20k'), 50);
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const events: TrainingProgress[] = [];
    const error = await train(
      { algorithm: 'nn-regression', hyperparameters: { hiddenLayers: [{ units: 8, activation: 'relu' }], epochs: 50, earlyStopping: null }, seed: 1 },
      tabular(data),
      {
        signal: controller.signal,
        onProgress: (e) => {
          events.push(e);
          // From a timer, as a worker's cancel message would arrive: seen once training yields after the epoch.
          if (e.kind === 'epoch' && e.epoch === 2) setTimeout(() => controller.abort('user cancelled'), 0);
        },
      },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingCancelledError);
    expect((error as TrainingCancelledError).code).toBe('CANCELLED');
    expect((error as TrainingCancelledError).reason).toBe('user cancelled');
    expect((error as Error).message).toBe('training cancelled after epoch 2 of 50');
    expect(events.map((e) => e.kind === 'epoch' && e.epoch)).toEqual([1, 2]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('abort between folds stops k-fold CART before the next fold; an aborted signal stops before anything runs', async () => {
    const iris = loadBuiltinDataset('iris');
    const controller = new AbortController();
    const folds: number[] = [];
    const error = await train({ algorithm: 'cart', evaluationPlan: { kind: 'kfold', folds: 5 } }, tabular(iris), {
      signal: controller.signal,
      onProgress: (e) => {
        if (e.kind === 'fold') folds.push(e.fold);
        if (e.kind === 'fold' && e.fold === 2) controller.abort();
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingCancelledError);
    expect((error as Error).message).toBe('training cancelled before fold 3 of 5');
    expect(folds).toEqual([1, 2]);

    const early = await train({ algorithm: 'kmeans', hyperparameters: { k: 3 } }, tabular(iris), { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(early).toBeInstanceOf(TrainingCancelledError);
    expect((early as Error).message).toBe('training cancelled before training');
  });

  it("the contract's defaults are hyper-parameters each algorithm accepts", () => {
    const defaults = (algorithm: 'kmeans' | 'cart' | 'nn-regression' | 'cnn') => trainingSpecSchema.parse({ algorithm });
    const kmeans = defaults('kmeans');
    if (kmeans.algorithm !== 'kmeans') throw new Error('unreachable');
    expect(resolveKMeansParams({ ...kmeans.hyperparameters, seed: kmeans.seed })).toMatchObject(kmeans.hyperparameters);
    const cart = defaults('cart');
    if (cart.algorithm !== 'cart' || cart.hyperparameters.criterion === 'squared_error') throw new Error('unreachable');
    expect(resolveTreeParams({ ...cart.hyperparameters, criterion: cart.hyperparameters.criterion, seed: cart.seed }, ['gini', 'entropy'])).toMatchObject(
      cart.hyperparameters,
    );
    const nn = defaults('nn-regression');
    if (nn.algorithm !== 'nn-regression') throw new Error('unreachable');
    expect(resolveNnRegressionParams({ ...nn.hyperparameters, seed: nn.seed })).toMatchObject(nn.hyperparameters);
    const cnn = defaults('cnn');
    if (cnn.algorithm !== 'cnn') throw new Error('unreachable');
    expect(resolveCnnClassifierParams({ ...cnn.hyperparameters, seed: cnn.seed })).toMatchObject(cnn.hyperparameters);
  });

  it('refuses a spec outside the contract, data of the wrong kind, and an artifact that contradicts its files', async () => {
    const iris = loadBuiltinDataset('iris');
    const badSpec = await train({ algorithm: 'kmeans', hyperparameters: { k: 0 } }, tabular(iris)).catch((e: unknown) => e);
    expect(badSpec).toBeInstanceOf(MlInputError);
    expect((badSpec as MlInputError).code).toBe(MlInputErrorCode.BAD_PARAM);
    expect((badSpec as MlInputError).argument).toBe('spec.hyperparameters.k');

    const wrongKind = await train({ algorithm: 'cnn' }, tabular(iris)).catch((e: unknown) => e);
    expect((wrongKind as MlInputError).argument).toBe('data.kind');

    const artifact = await track((await train({ algorithm: 'cart' }, tabular(iris))).model).save();
    const mismatch = await loadModel({ ...artifact, algorithm: 'kmeans' }).catch((e: unknown) => e);
    expect(mismatch).toBeInstanceOf(MlInputError);
    expect((mismatch as MlInputError).code).toBe(MlInputErrorCode.BAD_ARTIFACT);
    expect((mismatch as MlInputError).message).toContain('the files hold a cart model');
  });
});
