import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '@slipway/ml-runtime';
import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { MlInputErrorCode } from '../../common';
import { NnRegressor, type RegressionEpoch } from '../nn-regression';
import { expectInputError, expectSameFiles, linearProblem, loadWithPlainTfjs } from './neural-fixtures';

const FAST = { hiddenLayers: [{ units: 16, activation: 'relu' as const }], epochs: 6, batchSize: 32, learningRate: 0.01 };

describe('NnRegressor', () => {
  const models: NnRegressor[] = [];
  const track = (model: NnRegressor) => (models.push(model), model);

  beforeAll(async () => {
    await selectBackend({ force: 'wasm' });
  });
  afterEach(() => models.splice(0).forEach((m) => m.dispose()));

  it('learns a linear target and streams { epoch, loss, valLoss } each epoch', async () => {
    const { X, y } = linearProblem(400);
    const epochs: RegressionEpoch[] = [];
    const model = track(new NnRegressor({ ...FAST, earlyStopping: null }));
    await model.fit(X, y, { onEpoch: (e) => void epochs.push(e) });
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    for (const e of epochs) {
      expect(Object.keys(e).sort()).toEqual(['epoch', 'loss', 'valLoss']);
      expect(Number.isFinite(e.loss) && Number.isFinite(e.valLoss as number)).toBe(true);
    }
    expect(epochs[5].loss).toBeLessThan(epochs[0].loss);
    expect(model.history).toEqual(epochs);
    expect(model.evaluate(X, y).r2).toBeGreaterThan(0.97);
    // Standardisation is kept with the model: targets come back in the original units.
    expect(model.fitted.target.mean).toBeCloseTo(y.reduce((a, b) => a + b, 0) / y.length, 6);
  });

  it('round-trips through its artifact with identical predictions, loadable by plain tfjs', async () => {
    const { X, y } = linearProblem(200);
    const model = track(await new NnRegressor(FAST).fit(X, y));
    const artifact = await model.save();
    expect([...artifact.files.keys()]).toEqual(['model.json', 'weights.bin', 'slipway.json']);
    const manifest = JSON.parse(new TextDecoder().decode(artifact.files.get('slipway.json')));
    expect(manifest).toMatchObject({ format: 'slipway.nn-regression', formatVersion: 1, tfjs: { quantization: 'none', modelFile: 'model.json' } });
    expect(manifest.state.inputs.kind).toBe('standardize');

    const loaded = track(await NnRegressor.load(artifact.files));
    expect(Array.from(loaded.predict(X))).toEqual(Array.from(model.predict(X)));

    const plain = await loadWithPlainTfjs(artifact.files);
    const scaled = tf.tidy(() => (plain.predict(tf.tensor2d([[0, 0, 0]])) as tf.Tensor).dataSync()[0]);
    expect(Number.isFinite(scaled)).toBe(true);
    plain.dispose();
  });

  it('gives byte-identical artifacts for the same seed and data, and different ones for another seed', async () => {
    const { X, y } = linearProblem(200);
    const a = await track(await new NnRegressor(FAST).fit(X, y)).save();
    const b = await track(await new NnRegressor(FAST).fit(X, y)).save();
    const c = await track(await new NnRegressor({ ...FAST, seed: 7 }).fit(X, y)).save();
    expect(expectSameFiles(a.files, b.files)).toEqual([
      { name: 'model.json', equal: true },
      { name: 'weights.bin', equal: true },
      { name: 'slipway.json', equal: true },
    ]);
    expect(expectSameFiles(a.files, c.files).find((f) => f.name === 'weights.bin')?.equal).toBe(false);
  });

  it('stops early when the validation loss stops improving and keeps the best weights', async () => {
    const { X, y } = linearProblem(200);
    const model = track(new NnRegressor({ ...FAST, epochs: 50, earlyStopping: { patience: 2, minDelta: 10 } }));
    await model.fit(X, y);
    expect(model.fitted.training).toEqual({ epochsRun: 3, bestEpoch: 1, stoppedEarly: true });
  });

  it('applies the L2 penalty to the hidden kernels', async () => {
    const { X, y } = linearProblem(200);
    const kernelNorm = async (l2: number) => {
      const model = track(await new NnRegressor({ ...FAST, l2, earlyStopping: null }).fit(X, y));
      const artifact = await model.save();
      const weights = new Float32Array((artifact.files.get('weights.bin') as Uint8Array).slice().buffer, 0, 3 * 16);
      return weights.reduce((sum, w) => sum + w * w, 0);
    };
    expect(await kernelNorm(0.5)).toBeLessThan((await kernelNorm(0)) * 0.8);
  });

  it('exports float16 and uint8 weights that tfjs dequantizes, reporting size and R² change', async () => {
    const { X, y } = linearProblem(300);
    const model = track(await new NnRegressor(FAST).fit(X, y));
    const report = await model.quantizationReport(X, y);
    expect(report.map((r) => r.quantization)).toEqual(['none', 'float16', 'uint8']);
    const [full, half, bytes] = report;
    expect(half.weightBytes).toBe(full.weightBytes / 2);
    expect(bytes.weightBytes).toBe(full.weightBytes / 4);
    expect(half.sizeRatio).toBeLessThan(1);
    expect(Math.abs(half.metricChange)).toBeLessThan(1e-4);
    expect(Math.abs(bytes.metricChange)).toBeLessThan(0.02);

    const uint8 = await model.save({ quantization: 'uint8' });
    const modelJson = JSON.parse(new TextDecoder().decode(uint8.files.get('model.json')));
    expect(modelJson.weightsManifest[0].weights[0].quantization).toMatchObject({ dtype: 'uint8' });
    const plain = await loadWithPlainTfjs(uint8.files);
    expect(plain.getWeights()[0].dtype).toBe('float32');
    plain.dispose();
  });

  describe('rejects bad input with a typed error naming the argument', () => {
    it.each([
      ['no rows', [] as number[][], [] as number[], MlInputErrorCode.EMPTY_INPUT, 'X'],
      [
        'NaN in X',
        [
          [1, Number.NaN],
          [2, 3],
        ],
        [1, 2],
        MlInputErrorCode.NON_FINITE,
        'X',
      ],
      [
        'Infinity in y',
        [
          [1, 2],
          [2, 3],
        ],
        [1, Number.POSITIVE_INFINITY],
        MlInputErrorCode.NON_FINITE,
        'y',
      ],
      ['ragged rows', [[1, 2], [3]], [1, 2], MlInputErrorCode.RAGGED_ROWS, 'X'],
      [
        'y of another length',
        [
          [1, 2],
          [3, 4],
        ],
        [1],
        MlInputErrorCode.SHAPE_MISMATCH,
        'y',
      ],
      ['a single row', [[1, 2]], [1], MlInputErrorCode.EMPTY_INPUT, 'X'],
    ])('%s', async (_label, X, y, code, argument) => {
      await expectInputError(new NnRegressor(FAST).fit(X, y), code, argument);
    });

    it('bad hyper-parameters', async () => {
      await expectInputError(() => new NnRegressor({ learningRate: -1 }), MlInputErrorCode.BAD_PARAM, 'params.learningRate');
      await expectInputError(
        () => new NnRegressor({ hiddenLayers: [{ units: 0, activation: 'relu' }] }),
        MlInputErrorCode.BAD_PARAM,
        'params.hiddenLayers[0].units',
      );
      await expectInputError(() => new NnRegressor({ optimizer: 'lbfgs' as never }), MlInputErrorCode.BAD_PARAM, 'params.optimizer');
    });

    it('predicting before fit or with another feature count', async () => {
      await expectInputError(() => new NnRegressor(FAST).predict([[1, 2, 3]]), MlInputErrorCode.NOT_FITTED, 'model');
      const { X, y } = linearProblem(50);
      const model = track(await new NnRegressor({ ...FAST, epochs: 1 }).fit(X, y));
      await expectInputError(() => model.predict([[1, 2]]), MlInputErrorCode.SHAPE_MISMATCH, 'X');
    });

    it('a broken artifact', async () => {
      await expectInputError(NnRegressor.load(new Map()), MlInputErrorCode.BAD_ARTIFACT, 'artifact.files["slipway.json"]');
      const { X, y } = linearProblem(50);
      const files = (await track(await new NnRegressor({ ...FAST, epochs: 1 }).fit(X, y)).save()).files;
      await expectInputError(
        NnRegressor.load(new Map([...files].filter(([name]) => name !== 'weights.bin'))),
        MlInputErrorCode.BAD_ARTIFACT,
        'artifact.files["weights.bin"]',
      );
      const wrongKind = new Map(files);
      wrongKind.set('slipway.json', new TextEncoder().encode(JSON.stringify({ format: 'slipway.kmeans', formatVersion: 1, params: {}, state: {} })));
      await expectInputError(NnRegressor.load(wrongKind), MlInputErrorCode.BAD_ARTIFACT, 'artifact.format');
    });
  });
});
