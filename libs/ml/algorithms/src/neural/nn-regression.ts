import * as tf from '@tensorflow/tfjs';
import {
  applyPreprocessing,
  assertFeatureCount,
  fitPreprocessing,
  MlInputError,
  MlInputErrorCode,
  numberArray,
  parsePreprocessing,
  requireInteger,
  toDenseMatrix,
  validateTargets,
  type MatrixInput,
  type PreprocessingState,
  type Random,
} from '../common';
import { compareQuantizations, type QuantizationReportRow } from './quantization-report';
import type { ArtifactFiles, NeuralArtifact } from './artifact';
import { ACTIVATIONS, createOptimizer, nextSeed, requireOneOf, validateTrainingParams, type Activation, type TrainingParams } from './neural-params';
import { loadNetwork, NeuralEstimator } from './neural-estimator';
import type { TrainingSummary } from './training-loop';

export const NN_REGRESSION_FORMAT = 'slipway.nn-regression';
export const NN_REGRESSION_FORMAT_VERSION = 1;
const NN_REGRESSION_ARTIFACT = { format: NN_REGRESSION_FORMAT, formatVersion: NN_REGRESSION_FORMAT_VERSION } as const;

export interface DenseLayerSpec {
  units: number;
  activation: Activation;
}

export interface NnRegressionParams extends TrainingParams {
  /** Hidden layers, input side first; the output is one linear unit. */
  hiddenLayers: DenseLayerSpec[];
  /** L2 penalty on the hidden kernels (0 for none). */
  l2: number;
}

export const NN_REGRESSION_DEFAULTS: NnRegressionParams = {
  hiddenLayers: [
    { units: 64, activation: 'relu' },
    { units: 32, activation: 'relu' },
  ],
  l2: 0,
  optimizer: 'adam',
  learningRate: 1e-3,
  epochs: 50,
  batchSize: 64,
  validationSplit: 0.1,
  earlyStopping: { patience: 5, minDelta: 1e-5 },
  seed: 42,
};

/** Streamed per epoch; losses are mean squared errors on the standardised target. */
export interface RegressionEpoch {
  epoch: number;
  loss: number;
  valLoss?: number;
}

export interface NnRegressionFitOptions {
  onEpoch?: (epoch: RegressionEpoch) => void | Promise<void>;
}

/** Standardisation kept with the model: inputs as the common preprocessing, the target as mean/scale. */
export interface NnRegressionState {
  nFeatures: number;
  inputs: PreprocessingState;
  target: { mean: number; scale: number };
  training: Omit<TrainingSummary, 'history'>;
}

export type NnRegressionArtifact = NeuralArtifact<typeof NN_REGRESSION_FORMAT, NnRegressionParams, NnRegressionState>;

export function resolveNnRegressionParams(params: Partial<NnRegressionParams> = {}): NnRegressionParams {
  const p: NnRegressionParams = { ...NN_REGRESSION_DEFAULTS, ...params };
  validateTrainingParams(p);
  if (!Array.isArray(p.hiddenLayers)) {
    throw new MlInputError(MlInputErrorCode.BAD_PARAM, 'params.hiddenLayers', 'must be an array of { units, activation }');
  }
  p.hiddenLayers.forEach((layer, i) => {
    requireInteger(layer.units, `params.hiddenLayers[${i}].units`, 1, 65_536);
    requireOneOf(layer.activation, ACTIVATIONS, `params.hiddenLayers[${i}].activation`);
  });
  if (!Number.isFinite(p.l2) || p.l2 < 0) throw new MlInputError(MlInputErrorCode.BAD_PARAM, 'params.l2', `must be ≥ 0, got ${p.l2}`);
  return p;
}

/** The hidden kernels' L2 penalty (the output layer is not regularised), as tfjs's l2 regularizer computes it. */
function l2Penalty(model: tf.LayersModel, l2: number): tf.Scalar {
  const kernels = model.layers.filter((layer) => layer.name.startsWith('dense_')).map((layer) => layer.trainableWeights[0].read());
  return tf.mul(l2, tf.addN(kernels.map((kernel) => tf.sum(tf.square(kernel))))) as tf.Scalar;
}

/** Multi-layer perceptron regressor on TensorFlow.js (whatever backend the runtime selected). */
export class NnRegressor extends NeuralEstimator<typeof NN_REGRESSION_FORMAT, NnRegressionParams, NnRegressionState, RegressionEpoch> {
  constructor(params: Partial<NnRegressionParams> = {}) {
    super(resolveNnRegressionParams(params), NN_REGRESSION_ARTIFACT);
  }

  async fit(X: MatrixInput, y: ArrayLike<number>, options: NnRegressionFitOptions = {}): Promise<this> {
    const matrix = toDenseMatrix(X, 'X');
    const targets = validateTargets(y, matrix.nRows, 'y');
    const p = this.params;
    if (matrix.nRows < 2) throw new MlInputError(MlInputErrorCode.EMPTY_INPUT, 'X', 'needs at least 2 rows to train');

    const inputs = fitPreprocessing('standardize', matrix);
    const targetState = fitPreprocessing('standardize', { data: targets, nRows: targets.length, nFeatures: 1 });
    if (targetState.kind !== 'standardize') throw new Error('unreachable: standardize preprocessing');
    const target = { mean: targetState.mean[0], scale: targetState.scale[0] };
    const x = Float32Array.from(applyPreprocessing(inputs, matrix).data);
    const yScaled = Float32Array.from(targets, (v) => (v - target.mean) / target.scale);

    const training = await this.trainNetwork({
      nRows: matrix.nRows,
      build: (random) => this.build(matrix.nFeatures, random),
      training: (model) => ({
        objective: 'meanSquaredError',
        regularization: p.l2 > 0 ? () => l2Penalty(model, p.l2) : undefined,
        data: { x, sampleShape: [matrix.nFeatures], y: yScaled, targetWidth: 1 },
      }),
      report: (metrics) => {
        const report: RegressionEpoch = { epoch: metrics.epoch, loss: metrics.loss };
        if (metrics.valLoss !== undefined) report.valLoss = metrics.valLoss;
        return report;
      },
      onEpoch: options.onEpoch,
    });
    this.state = { nFeatures: matrix.nFeatures, inputs, target, training };
    return this;
  }

  predict(X: MatrixInput): Float64Array {
    const state = this.fitted;
    const model = this.model as tf.LayersModel;
    const matrix = toDenseMatrix(X, 'X');
    assertFeatureCount(matrix, state.nFeatures, 'X');
    const x = Float32Array.from(applyPreprocessing(state.inputs, matrix).data);
    const scaled = tf.tidy(() => (model.predict(tf.tensor2d(x, [matrix.nRows, matrix.nFeatures]), { batchSize: 1024 }) as tf.Tensor).dataSync());
    return Float64Array.from(scaled, (v) => v * state.target.scale + state.target.mean);
  }

  /** R² and RMSE of the predictions on (X, y). */
  evaluate(X: MatrixInput, y: ArrayLike<number>): { r2: number; rmse: number } {
    const predictions = this.predict(X);
    const targets = validateTargets(y, predictions.length, 'y');
    let mean = 0;
    for (const v of targets) mean += v;
    mean /= targets.length;
    let residual = 0;
    let total = 0;
    for (let i = 0; i < targets.length; i++) {
      residual += (targets[i] - predictions[i]) ** 2;
      total += (targets[i] - mean) ** 2;
    }
    return { r2: total > 0 ? 1 - residual / total : Number.NaN, rmse: Math.sqrt(residual / targets.length) };
  }

  /** R² on (X, y) of the float32, float16 and uint8 exports, with their sizes. */
  quantizationReport(X: MatrixInput, y: ArrayLike<number>): Promise<QuantizationReportRow[]> {
    return compareQuantizations(
      this,
      (files) => NnRegressor.load(files),
      (loaded) => loaded.evaluate(X, y).r2,
    );
  }

  static async load(files: ArtifactFiles | Record<string, Uint8Array>): Promise<NnRegressor> {
    return loadNetwork(files, NN_REGRESSION_ARTIFACT, (read) => {
      const regressor = new NnRegressor(read.params as Partial<NnRegressionParams>);
      const raw = read.state as Partial<NnRegressionState>;
      const nFeatures = requireInteger(Number(raw.nFeatures), 'artifact.state.nFeatures', 1);
      const [mean, scale] = numberArray([raw.target?.mean, raw.target?.scale], 'artifact.state.target', 2);
      const inputShape = read.model.inputs[0].shape;
      if (inputShape.length !== 2 || inputShape[1] !== nFeatures) {
        throw new MlInputError(
          MlInputErrorCode.BAD_ARTIFACT,
          'artifact',
          `model.json input shape [${inputShape.join(', ')}] does not match nFeatures ${nFeatures}`,
        );
      }
      regressor.state = {
        nFeatures,
        inputs: parsePreprocessing(raw.inputs, nFeatures),
        target: { mean, scale },
        training: raw.training as NnRegressionState['training'],
      };
      regressor.model = read.model;
      return regressor;
    });
  }

  private build(nFeatures: number, random: Random): tf.LayersModel {
    const p = this.params;
    const draw = () => random.next();
    const model = tf.sequential({ name: 'slipway_nn_regression' });
    p.hiddenLayers.forEach((layer, i) => {
      model.add(
        tf.layers.dense({
          name: `dense_${i}`,
          ...(i === 0 ? { inputShape: [nFeatures] } : {}),
          units: layer.units,
          activation: layer.activation,
          kernelInitializer: tf.initializers.glorotUniform({ seed: nextSeed(draw) }),
          biasInitializer: 'zeros',
          kernelRegularizer: p.l2 > 0 ? tf.regularizers.l2({ l2: p.l2 }) : undefined,
        }),
      );
    });
    model.add(
      tf.layers.dense({
        name: 'output',
        ...(p.hiddenLayers.length === 0 ? { inputShape: [nFeatures] } : {}),
        units: 1,
        activation: 'linear',
        kernelInitializer: tf.initializers.glorotUniform({ seed: nextSeed(draw) }),
      }),
    );
    model.compile({ optimizer: createOptimizer(p.optimizer, p.learningRate), loss: 'meanSquaredError' });
    return model;
  }
}
