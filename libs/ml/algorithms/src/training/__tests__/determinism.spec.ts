import { beforeAll, describe, expect, it } from '@jest/globals';
import type { TrainingSpecInput } from '@slipway/contracts';
import { loadBuiltinDataset, selectRows, type TabularDataset } from '@slipway/ml-datasets';
import { getBackendInfo, selectBackend } from '@slipway/ml-runtime';
import { train, type TrainedModelArtifact, type TrainingData } from '..';

const everyNth = (dataset: TabularDataset, step: number) =>
  selectRows(
    dataset,
    Array.from({ length: Math.floor(dataset.nRows / step) }, (_, i) => i * step),
  );

/** Fresh arrays each call: equal bytes must come from the same values, not from sharing the same buffers. */
const tabular = (dataset: TabularDataset, target: ArrayLike<number> | string[] = dataset.targets): TrainingData => ({
  kind: 'tabular',
  features: { data: Float64Array.from(dataset.features), nRows: dataset.nRows, nFeatures: dataset.nFeatures },
  target: Array.isArray(target) ? [...target] : Float64Array.from(target),
  featureNames: [...dataset.featureNames],
});

const iris = loadBuiltinDataset('iris');
const species = Array.from(iris.targets, (c) => ['setosa', 'versicolor', 'virginica'][c]);
const regression = everyNth(loadBuiltinDataset('regression_20k'), 40);
const digits = everyNth(loadBuiltinDataset('digits'), 9);
const images = (): TrainingData => ({
  kind: 'images',
  images: { data: Float32Array.from(digits.features), count: digits.nRows, height: 8, width: 8, channels: 1 },
  labels: Float64Array.from(digits.targets),
});

const cases: [string, TrainingSpecInput, () => TrainingData][] = [
  ['k-means, hold-out', { algorithm: 'kmeans', hyperparameters: { k: 3, nInit: 3 }, seed: 21 }, () => tabular(iris)],
  ['CART classifier with string labels, 5-fold', { algorithm: 'cart', evaluationPlan: { kind: 'kfold', folds: 5 }, seed: 21 }, () => tabular(iris, species)],
  ['CART regressor, hold-out', { algorithm: 'cart', hyperparameters: { criterion: 'squared_error', maxDepth: 5 }, seed: 21 }, () => tabular(regression)],
  [
    'NN regression, 2-fold',
    {
      algorithm: 'nn-regression',
      hyperparameters: { hiddenLayers: [{ units: 8, activation: 'relu' }], epochs: 3, batchSize: 32 },
      evaluationPlan: { kind: 'kfold', folds: 2 },
      seed: 21,
    },
    () => tabular(regression),
  ],
  [
    'CNN, hold-out',
    { algorithm: 'cnn', hyperparameters: { filters: [4, 8, 8], denseUnits: 16, epochs: 2, batchSize: 16, validationSplit: 0.2 }, seed: 21 },
    images,
  ],
];

async function trainAndSave(spec: TrainingSpecInput, data: TrainingData) {
  const { model, evaluation } = await train(spec, data);
  try {
    return { artifact: await model.save(), evaluation };
  } finally {
    model.dispose();
  }
}

function expectSameBytes(a: TrainedModelArtifact, b: TrainedModelArtifact): void {
  expect(Object.keys(b.files)).toEqual(Object.keys(a.files));
  for (const name of Object.keys(a.files)) {
    expect([name, Buffer.from(b.files[name]).equals(Buffer.from(a.files[name]))]).toEqual([name, true]);
  }
}

/**
 * Same spec + seed + data ⇒ byte-identical artifact files and the same evaluation, for every algorithm on the
 * backend these machines' workers run (wasm). k-means and CART are plain JS and backend-free. For the networks
 * on the GPU backends (tfjs-node-gpu, WebGPU) this is not checked here: their parallel reductions are not
 * promised to sum in a fixed order, so weights may differ in the last bits there.
 */
describe('determinism: same spec + seed + data ⇒ byte-identical save() files', () => {
  beforeAll(async () => {
    await selectBackend({ force: 'wasm' });
    expect(getBackendInfo()?.backend).toBe('wasm');
  });

  it.each(cases)('%s', async (_name, spec, data) => {
    const first = await trainAndSave(spec, data());
    const second = await trainAndSave(spec, data());
    expectSameBytes(first.artifact, second.artifact);
    expect(second.evaluation).toEqual(first.evaluation);
  });

  it('the networks are not trivially equal: another seed gives other weights', async () => {
    for (const [, spec, data] of cases.filter(([, s]) => s.algorithm === 'nn-regression' || s.algorithm === 'cnn')) {
      const a = await trainAndSave(spec, data());
      const b = await trainAndSave({ ...spec, seed: 22 }, data());
      expect(Buffer.from(b.artifact.files['weights.bin']).equals(Buffer.from(a.artifact.files['weights.bin']))).toBe(false);
    }
  });
});
