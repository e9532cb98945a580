import * as tf from '@tensorflow/tfjs';
import { MlInputError, MlInputErrorCode, numberArray, requireInteger, requireNumber, validateClassLabels, type Random } from '../common';
import { compareQuantizations, type QuantizationReportRow } from './quantization-report';
import type { ArtifactFiles, NeuralArtifact } from './artifact';
import { createImageAugmenter, type AugmentationOptions } from './image-augmentation';
import { channelStatistics, standardizeChannels, validateImageSet, type ImageSet, type ImageShape } from './image-set';
import { createOptimizer, nextSeed, requireOneOf, validateTrainingParams, type TrainingParams } from './neural-params';
import { loadNetwork, NeuralEstimator } from './neural-estimator';
import { SeededDropout } from './seeded-dropout';
import type { TrainingSummary } from './training-loop';

export const CNN_CLASSIFIER_FORMAT = 'slipway.cnn-classifier';
export const CNN_CLASSIFIER_FORMAT_VERSION = 1;
const CNN_CLASSIFIER_ARTIFACT = { format: CNN_CLASSIFIER_FORMAT, formatVersion: CNN_CLASSIFIER_FORMAT_VERSION } as const;

/**
 * Conv2D → MaxPool → Conv2D → MaxPool → Conv2D → Flatten → Dense → Dense(softmax), the product
 * brief's image classifier. 'same' padding (the default) keeps small inputs such as 8×8 digits
 * large enough for both poolings.
 */
export interface CnnClassifierParams extends TrainingParams {
  /** Filters of the three convolutions. */
  filters: [number, number, number];
  kernelSize: number;
  padding: 'same' | 'valid';
  denseUnits: number;
  /** Dropout rate before the output layer (0 for none). */
  dropout: number;
  /** Random flips/shifts of the training images each epoch; null for none. */
  augmentation: AugmentationOptions | null;
}

export const CNN_CLASSIFIER_DEFAULTS: CnnClassifierParams = {
  filters: [32, 64, 64],
  kernelSize: 3,
  padding: 'same',
  denseUnits: 64,
  dropout: 0.25,
  augmentation: null,
  optimizer: 'adam',
  learningRate: 1e-3,
  epochs: 30,
  batchSize: 32,
  validationSplit: 0.1,
  earlyStopping: { patience: 5, minDelta: 1e-4 },
  seed: 42,
};

/** Streamed per epoch; accuracy is the fraction of training (validation) images classified right. */
export interface ClassifierEpoch {
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss?: number;
  valAccuracy?: number;
}

export interface CnnFitOptions {
  /** Names of the classes 0..k-1, kept in the artifact for callers. */
  classLabels?: string[];
  onEpoch?: (epoch: ClassifierEpoch) => void | Promise<void>;
}

export interface CnnClassifierState {
  inputShape: ImageShape;
  nClasses: number;
  classLabels: string[] | null;
  /** Per-channel standardisation fitted on the training images. */
  preprocessing: { kind: 'channel-standardize'; mean: number[]; scale: number[] };
  training: Omit<TrainingSummary, 'history'>;
}

export type CnnClassifierArtifact = NeuralArtifact<typeof CNN_CLASSIFIER_FORMAT, CnnClassifierParams, CnnClassifierState>;

const PREDICT_CHUNK = 1024;

export function resolveCnnClassifierParams(params: Partial<CnnClassifierParams> = {}): CnnClassifierParams {
  const p: CnnClassifierParams = { ...CNN_CLASSIFIER_DEFAULTS, ...params };
  validateTrainingParams(p);
  if (!Array.isArray(p.filters) || p.filters.length !== 3) {
    throw new MlInputError(MlInputErrorCode.BAD_PARAM, 'params.filters', 'must list the filters of the three convolutions');
  }
  p.filters.forEach((f, i) => requireInteger(f, `params.filters[${i}]`, 1, 4096));
  requireInteger(p.kernelSize, 'params.kernelSize', 1, 15);
  requireOneOf(p.padding, ['same', 'valid'], 'params.padding');
  requireInteger(p.denseUnits, 'params.denseUnits', 1, 65_536);
  requireNumber(p.dropout, 'params.dropout', 0, 0.95);
  if (p.augmentation) {
    requireInteger(p.augmentation.maxShift, 'params.augmentation.maxShift', 0, 64);
    if (typeof p.augmentation.flipHorizontal !== 'boolean') {
      throw new MlInputError(MlInputErrorCode.BAD_PARAM, 'params.augmentation.flipHorizontal', 'must be a boolean');
    }
  }
  return p;
}

/** Height and width after each stage, or a clear error when the input is too small for the net. */
function checkGeometry(shape: ImageShape, p: CnnClassifierParams, argument: string): void {
  let [h, w] = shape;
  const conv = (size: number) => (p.padding === 'same' ? size : size - p.kernelSize + 1);
  const stages: Array<[string, (size: number) => number]> = [
    ['conv 1', conv],
    ['pool 1', (s) => Math.floor(s / 2)],
    ['conv 2', conv],
    ['pool 2', (s) => Math.floor(s / 2)],
    ['conv 3', conv],
  ];
  for (const [stage, next] of stages) {
    h = next(h);
    w = next(w);
    if (h < 1 || w < 1) {
      throw new MlInputError(
        MlInputErrorCode.SHAPE_MISMATCH,
        argument,
        `${shape[0]}×${shape[1]} images are too small for this network (nothing left after ${stage} with padding '${p.padding}', kernel ${p.kernelSize}); use padding 'same' or a smaller kernel`,
      );
    }
  }
}

/** Convolutional image classifier on TensorFlow.js (whatever backend the runtime selected). */
export class CnnClassifier extends NeuralEstimator<typeof CNN_CLASSIFIER_FORMAT, CnnClassifierParams, CnnClassifierState, ClassifierEpoch> {
  constructor(params: Partial<CnnClassifierParams> = {}) {
    super(resolveCnnClassifierParams(params), CNN_CLASSIFIER_ARTIFACT);
  }

  async fit(images: ImageSet, labels: ArrayLike<number>, options: CnnFitOptions = {}): Promise<this> {
    const p = this.params;
    const { pixels, shape, count } = validateImageSet(images, 'images');
    const { labels: classes, nClasses } = validateClassLabels(labels, count, 'labels');
    if (options.classLabels && options.classLabels.length !== nClasses) {
      throw new MlInputError(
        MlInputErrorCode.SHAPE_MISMATCH,
        'options.classLabels',
        `names ${options.classLabels.length} classes, the labels have ${nClasses}`,
      );
    }
    checkGeometry(shape, p, 'images');
    if (count < 2) throw new MlInputError(MlInputErrorCode.EMPTY_INPUT, 'images', 'needs at least 2 images to train');

    const statistics = channelStatistics(pixels, shape[2]);
    const x = standardizeChannels(pixels, statistics.mean, statistics.scale);
    const y = new Float32Array(count * nClasses);
    for (let i = 0; i < count; i++) y[i * nClasses + classes[i]] = 1;

    const training = await this.trainNetwork({
      nRows: count,
      build: (random) => this.build(shape, nClasses, random),
      training: () => ({
        objective: 'categoricalCrossentropy',
        data: { x, sampleShape: shape, y, targetWidth: nClasses },
        augment: p.augmentation ? createImageAugmenter(shape, p.augmentation) : undefined,
      }),
      report: (metrics) => {
        const report: ClassifierEpoch = { epoch: metrics.epoch, loss: metrics.loss, accuracy: metrics.accuracy ?? Number.NaN };
        if (metrics.valLoss !== undefined) report.valLoss = metrics.valLoss;
        if (metrics.valAccuracy !== undefined) report.valAccuracy = metrics.valAccuracy;
        return report;
      },
      onEpoch: options.onEpoch,
    });
    this.state = {
      inputShape: shape,
      nClasses,
      classLabels: options.classLabels ? [...options.classLabels] : null,
      preprocessing: { kind: 'channel-standardize', ...statistics },
      training,
    };
    return this;
  }

  /** Class probabilities, row-major `count × nClasses`. */
  predictProba(images: ImageSet): Float32Array {
    const state = this.fitted;
    const model = this.model as tf.LayersModel;
    const { pixels, shape, count } = validateImageSet(images, 'images');
    if (shape.some((size, i) => size !== state.inputShape[i])) {
      throw new MlInputError(
        MlInputErrorCode.SHAPE_MISMATCH,
        'images',
        `are ${shape.join('×')} but the model was trained on ${state.inputShape.join('×')} images`,
      );
    }
    const x = standardizeChannels(pixels, state.preprocessing.mean, state.preprocessing.scale);
    const perImage = shape[0] * shape[1] * shape[2];
    const out = new Float32Array(count * state.nClasses);
    for (let start = 0; start < count; start += PREDICT_CHUNK) {
      const n = Math.min(PREDICT_CHUNK, count - start);
      const chunk = tf.tidy(() => {
        const input = tf.tensor4d(x.subarray(start * perImage, (start + n) * perImage), [n, ...shape]);
        return (model.predict(input) as tf.Tensor).dataSync() as Float32Array;
      });
      out.set(chunk, start * state.nClasses);
    }
    return out;
  }

  /** Most probable class of each image. */
  predict(images: ImageSet): Int32Array {
    const { nClasses } = this.fitted;
    const proba = this.predictProba(images);
    const out = new Int32Array(proba.length / nClasses);
    for (let i = 0; i < out.length; i++) {
      let best = 0;
      for (let c = 1; c < nClasses; c++) if (proba[i * nClasses + c] > proba[i * nClasses + best]) best = c;
      out[i] = best;
    }
    return out;
  }

  evaluate(images: ImageSet, labels: ArrayLike<number>): { accuracy: number } {
    const predictions = this.predict(images);
    if (labels.length !== predictions.length) {
      throw new MlInputError(MlInputErrorCode.SHAPE_MISMATCH, 'labels', `has ${labels.length} labels for ${predictions.length} images`);
    }
    let right = 0;
    for (let i = 0; i < predictions.length; i++) if (predictions[i] === labels[i]) right++;
    return { accuracy: right / predictions.length };
  }

  /** Accuracy on (images, labels) of the float32, float16 and uint8 exports, with their sizes. */
  quantizationReport(images: ImageSet, labels: ArrayLike<number>): Promise<QuantizationReportRow[]> {
    return compareQuantizations(
      this,
      (files) => CnnClassifier.load(files),
      (loaded) => loaded.evaluate(images, labels).accuracy,
    );
  }

  static async load(files: ArtifactFiles | Record<string, Uint8Array>): Promise<CnnClassifier> {
    return loadNetwork(files, CNN_CLASSIFIER_ARTIFACT, (read) => {
      const classifier = new CnnClassifier(read.params as Partial<CnnClassifierParams>);
      const raw = read.state as Partial<CnnClassifierState>;
      const inputShape = numberArray(raw.inputShape, 'artifact.state.inputShape', 3) as ImageShape;
      const nClasses = requireInteger(Number(raw.nClasses), 'artifact.state.nClasses', 2);
      const mean = numberArray(raw.preprocessing?.mean, 'artifact.state.preprocessing.mean', inputShape[2]);
      const scale = numberArray(raw.preprocessing?.scale, 'artifact.state.preprocessing.scale', inputShape[2]);
      const modelInput = read.model.inputs[0].shape.slice(1);
      const modelOutput = read.model.outputs[0].shape[1];
      if (modelInput.some((size, i) => size !== inputShape[i]) || modelOutput !== nClasses) {
        throw new MlInputError(
          MlInputErrorCode.BAD_ARTIFACT,
          'artifact',
          `model.json shapes do not match slipway.json (input ${inputShape.join('×')}, ${nClasses} classes)`,
        );
      }
      classifier.state = {
        inputShape,
        nClasses,
        classLabels: Array.isArray(raw.classLabels) ? raw.classLabels.map(String) : null,
        preprocessing: { kind: 'channel-standardize', mean, scale },
        training: raw.training as CnnClassifierState['training'],
      };
      classifier.model = read.model;
      return classifier;
    });
  }

  private build(shape: ImageShape, nClasses: number, random: Random): tf.LayersModel {
    const p = this.params;
    const draw = () => random.next();
    const init = () => tf.initializers.glorotUniform({ seed: nextSeed(draw) });
    const conv = (i: number) =>
      tf.layers.conv2d({
        name: `conv2d_${i}`,
        ...(i === 0 ? { inputShape: shape } : {}),
        filters: p.filters[i],
        kernelSize: p.kernelSize,
        padding: p.padding,
        activation: 'relu',
        kernelInitializer: init(),
      });
    const model = tf.sequential({ name: 'slipway_cnn_classifier' });
    model.add(conv(0));
    model.add(tf.layers.maxPooling2d({ name: 'max_pooling2d_0', poolSize: 2 }));
    model.add(conv(1));
    model.add(tf.layers.maxPooling2d({ name: 'max_pooling2d_1', poolSize: 2 }));
    model.add(conv(2));
    model.add(tf.layers.flatten({ name: 'flatten' }));
    model.add(tf.layers.dense({ name: 'dense_0', units: p.denseUnits, activation: 'relu', kernelInitializer: init() }));
    if (p.dropout > 0) model.add(new SeededDropout({ name: 'dropout', rate: p.dropout, seed: nextSeed(draw) }));
    model.add(tf.layers.dense({ name: 'output', units: nClasses, activation: 'softmax', kernelInitializer: init() }));
    model.compile({ optimizer: createOptimizer(p.optimizer, p.learningRate), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    return model;
  }
}
