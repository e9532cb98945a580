import * as tf from '@tensorflow/tfjs';
import { shuffleInPlace, type Random } from '../common';

export interface EarlyStoppingOptions {
  /** Epochs without improvement of the monitored loss before training stops. */
  patience: number;
  /** Smallest decrease that counts as an improvement. */
  minDelta?: number;
  /** Put back the weights of the best epoch when training ends (default true). */
  restoreBestWeights?: boolean;
}

/** Metrics of one finished epoch; `loss` and `valLoss` are in the units the model trains on. */
export interface EpochMetrics {
  epoch: number;
  loss: number;
  valLoss?: number;
  accuracy?: number;
  valAccuracy?: number;
}

export interface TrainingSummary {
  epochsRun: number;
  /** 1-based epoch whose weights the model ends with. */
  bestEpoch: number;
  stoppedEarly: boolean;
  history: EpochMetrics[];
}

/** Samples as one flat Float32Array, `sampleShape` per sample, with a flat target array alongside. */
export interface SampleSet {
  x: Float32Array;
  sampleShape: number[];
  y: Float32Array;
  targetWidth: number;
}

export interface TrainLoopOptions {
  model: tf.LayersModel;
  data: SampleSet;
  trainRows: Int32Array;
  validationRows: Int32Array | null;
  epochs: number;
  batchSize: number;
  random: Random;
  earlyStopping: EarlyStoppingOptions | null;
  /** Alters one sample in place (data augmentation); gets its own seeded stream. */
  augment?: (sample: Float32Array, random: Random) => void;
  onEpoch?: (metrics: EpochMetrics) => void | Promise<void>;
}

function gatherRows(data: SampleSet, rows: Int32Array, augment?: TrainLoopOptions['augment'], random?: Random): { xs: tf.Tensor; ys: tf.Tensor } {
  const sampleSize = data.x.length / (data.y.length / data.targetWidth);
  const x = new Float32Array(rows.length * sampleSize);
  const y = new Float32Array(rows.length * data.targetWidth);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const sample = x.subarray(i * sampleSize, (i + 1) * sampleSize);
    sample.set(data.x.subarray(row * sampleSize, (row + 1) * sampleSize));
    if (augment && random) augment(sample, random);
    y.set(data.y.subarray(row * data.targetWidth, (row + 1) * data.targetWidth), i * data.targetWidth);
  }
  return {
    xs: tf.tensor(x, [rows.length, ...data.sampleShape], 'float32'),
    ys: tf.tensor(y, [rows.length, data.targetWidth], 'float32'),
  };
}

function metricOf(history: tf.History, ...keys: string[]): number | undefined {
  for (const key of keys) {
    const values = history.history[key];
    if (values && values.length > 0) return Number(values[values.length - 1]);
  }
  return undefined;
}

/**
 * Trains epoch by epoch with a seeded shuffle (tfjs's own shuffle is unseeded), reports each epoch,
 * and stops early on the validation loss (or the training loss when there is no validation set).
 */
export async function trainEpochs(options: TrainLoopOptions): Promise<TrainingSummary> {
  const { model, data, validationRows, random, earlyStopping } = options;
  const order = Int32Array.from(options.trainRows);
  const augmentRandom = random.fork();
  const validation = validationRows && validationRows.length > 0 ? gatherRows(data, validationRows) : null;
  const history: EpochMetrics[] = [];
  let best = Number.POSITIVE_INFINITY;
  let bestEpoch = 0;
  let bestWeights: tf.Tensor[] | null = null;
  let sinceBest = 0;
  let stoppedEarly = false;
  try {
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      shuffleInPlace(order, random);
      const { xs, ys } = gatherRows(data, order, options.augment, augmentRandom);
      let result: tf.History;
      try {
        result = await model.fit(xs, ys, {
          epochs: 1,
          batchSize: options.batchSize,
          shuffle: false,
          verbose: 0,
          yieldEvery: 'never',
          validationData: validation ? [validation.xs, validation.ys] : undefined,
        });
      } finally {
        tf.dispose([xs, ys]);
      }
      const metrics: EpochMetrics = { epoch, loss: metricOf(result, 'loss') ?? Number.NaN };
      const valLoss = metricOf(result, 'val_loss');
      const accuracy = metricOf(result, 'acc', 'accuracy');
      const valAccuracy = metricOf(result, 'val_acc', 'val_accuracy');
      if (valLoss !== undefined) metrics.valLoss = valLoss;
      if (accuracy !== undefined) metrics.accuracy = accuracy;
      if (valAccuracy !== undefined) metrics.valAccuracy = valAccuracy;
      history.push(metrics);
      await options.onEpoch?.(metrics);

      const monitored = metrics.valLoss ?? metrics.loss;
      if (!Number.isFinite(monitored)) {
        throw new Error(`training diverged at epoch ${epoch}: loss is ${monitored}; lower the learning rate`);
      }
      if (monitored < best - (earlyStopping?.minDelta ?? 0)) {
        best = monitored;
        bestEpoch = epoch;
        sinceBest = 0;
        if (earlyStopping && earlyStopping.restoreBestWeights !== false) {
          tf.dispose(bestWeights ?? []);
          bestWeights = model.getWeights().map((w) => w.clone());
        }
      } else if (earlyStopping && ++sinceBest >= earlyStopping.patience) {
        stoppedEarly = true;
        break;
      }
    }
    if (bestWeights && bestEpoch !== history.length) model.setWeights(bestWeights);
    else if (!bestWeights) bestEpoch = history.length;
  } finally {
    tf.dispose(bestWeights ?? []);
    if (validation) tf.dispose([validation.xs, validation.ys]);
  }
  return { epochsRun: history.length, bestEpoch, stoppedEarly, history };
}

/** Splits row indices 0..n-1 into train and validation at random (seeded). */
export function splitRows(nRows: number, validationSplit: number, random: Random): { train: Int32Array; validation: Int32Array | null } {
  const rows = shuffleInPlace(Int32Array.from({ length: nRows }, (_, i) => i), random);
  const nValidation = Math.floor(nRows * validationSplit);
  if (nValidation === 0) return { train: rows.sort(), validation: null };
  return { train: rows.slice(nValidation).sort(), validation: rows.slice(0, nValidation).sort() };
}

/**
 * Frees a model's weights and its optimizer's slots (Adam's moments...), which LayersModel.dispose
 * leaves alive when the optimizer was passed to compile() as an instance.
 */
export function disposeModel(model: tf.LayersModel): void {
  const optimizer = model.optimizer as tf.Optimizer | undefined;
  model.dispose();
  optimizer?.dispose();
}
