import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '@slipway/ml-runtime';
import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { MlInputErrorCode } from '../../common';
import { CnnClassifier, type ClassifierEpoch } from '../cnn-classifier';
import { expectInputError, expectSameFiles, loadWithPlainTfjs, quadrantImages } from './neural-fixtures';

const SMALL = { filters: [4, 8, 8] as [number, number, number], denseUnits: 16, epochs: 4, batchSize: 16, learningRate: 0.01 };

describe('CnnClassifier', () => {
  const models: CnnClassifier[] = [];
  const track = (model: CnnClassifier) => (models.push(model), model);

  beforeAll(async () => {
    await selectBackend({ force: 'wasm' });
  });
  afterEach(() => models.splice(0).forEach((m) => m.dispose()));

  it("trains on 8×8×1 images with the brief's layer stack and streams accuracy per epoch", async () => {
    const { images, labels } = quadrantImages(90, 8, 1);
    const epochs: ClassifierEpoch[] = [];
    const model = track(new CnnClassifier({ ...SMALL, earlyStopping: null }));
    await model.fit(images, labels, { classLabels: ['top-left', 'top-right', 'bottom-left'], onEpoch: (e) => void epochs.push(e) });
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4]);
    for (const e of epochs) expect(Object.keys(e).sort()).toEqual(['accuracy', 'epoch', 'loss', 'valAccuracy', 'valLoss']);
    expect(model.evaluate(images, labels).accuracy).toBeGreaterThan(0.9);
    const artifact = await model.save();
    const modelJson = JSON.parse(new TextDecoder().decode(artifact.files.get('model.json')));
    expect(modelJson.modelTopology.config.layers.map((l: { class_name: string }) => l.class_name)).toEqual([
      'Conv2D',
      'MaxPooling2D',
      'Conv2D',
      'MaxPooling2D',
      'Conv2D',
      'Flatten',
      'Dense',
      'Dropout',
      'Dense',
    ]);
    expect(artifact.manifest.state).toMatchObject({ inputShape: [8, 8, 1], nClasses: 3, classLabels: ['top-left', 'top-right', 'bottom-left'] });
  });

  it('takes its input shape from the data (32×32×3) and round-trips with identical predictions', async () => {
    const { images, labels } = quadrantImages(24, 32, 3);
    const model = track(await new CnnClassifier({ ...SMALL, epochs: 1, validationSplit: 0 }).fit(images, labels));
    const artifact = await model.save();
    const loaded = track(await CnnClassifier.load(artifact.files));
    expect(Array.from(loaded.predictProba(images))).toEqual(Array.from(model.predictProba(images)));
    expect(loaded.fitted.inputShape).toEqual([32, 32, 3]);

    // Standard tfjs layers format: the seeded dropout is saved as a plain Dropout layer.
    const plain = await loadWithPlainTfjs(artifact.files);
    expect(plain.layers.map((l) => l.getClassName())).toContain('Dropout');
    expect(plain.outputs[0].shape).toEqual([null, 3]);
    plain.dispose();
  });

  it('is reproducible to the byte with dropout and augmentation on', async () => {
    const { images, labels } = quadrantImages(60, 8, 1);
    const params = { ...SMALL, epochs: 2, dropout: 0.5, augmentation: { flipHorizontal: true, maxShift: 1 } };
    const a = await track(await new CnnClassifier(params).fit(images, labels)).save();
    const b = await track(await new CnnClassifier(params).fit(images, labels)).save();
    expect(expectSameFiles(a.files, b.files).every((f) => f.equal)).toBe(true);
    const c = await track(await new CnnClassifier({ ...params, seed: 3 }).fit(images, labels)).save();
    expect(expectSameFiles(a.files, c.files).find((f) => f.name === 'weights.bin')?.equal).toBe(false);
  });

  it('exports float16 and uint8 weights with tfjs quantization specs and reports the accuracy change', async () => {
    const { images, labels } = quadrantImages(60, 8, 1);
    const model = track(await new CnnClassifier(SMALL).fit(images, labels));
    const report = await model.quantizationReport(images, labels);
    expect(report.map((r) => [r.quantization, r.weightBytes / report[0].weightBytes])).toEqual([
      ['none', 1],
      ['float16', 0.5],
      ['uint8', 0.25],
    ]);
    expect(Math.abs(report[1].metricChange)).toBeLessThanOrEqual(1 / 60);
    expect(Math.abs(report[2].metricChange)).toBeLessThanOrEqual(0.1);
  });

  describe('rejects bad input with a typed error naming the argument', () => {
    const good = quadrantImages(12, 8, 1);

    it.each([
      ['no images', { ...good.images, data: new Float32Array(0), count: 0 }, [], MlInputErrorCode.EMPTY_INPUT, 'images'],
      ['data of the wrong size', { ...good.images, count: 13 }, [...good.labels, 0], MlInputErrorCode.SHAPE_MISMATCH, 'images.data'],
      [
        'NaN pixels',
        { ...good.images, data: Float32Array.from(good.images.data, (v, i) => (i === 70 ? Number.NaN : v)) },
        good.labels,
        MlInputErrorCode.NON_FINITE,
        'images.data',
      ],
      [
        'Infinity pixels',
        { ...good.images, data: Float32Array.from(good.images.data, (v, i) => (i === 3 ? Number.POSITIVE_INFINITY : v)) },
        good.labels,
        MlInputErrorCode.NON_FINITE,
        'images.data',
      ],
      ['one class only', good.images, good.labels.map(() => 0), MlInputErrorCode.SINGLE_CLASS, 'labels'],
      ['labels 1..k', good.images, good.labels.map((l) => l + 1), MlInputErrorCode.BAD_LABELS, 'labels'],
      ['fractional labels', good.images, good.labels.map((l, i) => (i === 0 ? 0.5 : l)), MlInputErrorCode.BAD_LABELS, 'labels'],
      ['fewer labels than images', good.images, good.labels.slice(1), MlInputErrorCode.SHAPE_MISMATCH, 'labels'],
    ])('%s', async (_label, images, labels, code, argument) => {
      await expectInputError(new CnnClassifier(SMALL).fit(images, labels), code, argument);
    });

    it('images too small for valid padding', async () => {
      await expectInputError(new CnnClassifier({ ...SMALL, padding: 'valid' }).fit(good.images, good.labels), MlInputErrorCode.SHAPE_MISMATCH, 'images');
    });

    it('class names that do not match the labels', async () => {
      await expectInputError(
        new CnnClassifier(SMALL).fit(good.images, good.labels, { classLabels: ['a', 'b'] }),
        MlInputErrorCode.SHAPE_MISMATCH,
        'options.classLabels',
      );
    });

    it('predicting on images of another shape, or before fit', async () => {
      await expectInputError(() => new CnnClassifier(SMALL).predict(good.images), MlInputErrorCode.NOT_FITTED, 'model');
      const model = track(await new CnnClassifier({ ...SMALL, epochs: 1 }).fit(good.images, good.labels));
      const other = quadrantImages(3, 16, 1).images;
      await expectInputError(() => model.predict(other), MlInputErrorCode.SHAPE_MISMATCH, 'images');
    });

    it('bad hyper-parameters', async () => {
      await expectInputError(() => new CnnClassifier({ filters: [4, 8] as never }), MlInputErrorCode.BAD_PARAM, 'params.filters');
      await expectInputError(() => new CnnClassifier({ dropout: 1 }), MlInputErrorCode.BAD_PARAM, 'params.dropout');
      await expectInputError(() => new CnnClassifier({ batchSize: 0 }), MlInputErrorCode.BAD_PARAM, 'params.batchSize');
    });
  });

  it('leaves no tensors behind after fit, save, load and dispose', async () => {
    const { images, labels } = quadrantImages(24, 8, 1);
    const before = tf.memory().numTensors;
    const model = await new CnnClassifier({ ...SMALL, epochs: 2 }).fit(images, labels);
    const loaded = await CnnClassifier.load((await model.save({ quantization: 'float16' })).files);
    loaded.predict(images);
    model.dispose();
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
