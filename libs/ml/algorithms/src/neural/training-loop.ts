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

/** What the network minimises: mean squared error, or cross-entropy on softmax outputs with accuracy reported. */
export type TrainingObjective = 'meanSquaredError' | 'categoricalCrossentropy';

export interface TrainLoopOptions {
  model: tf.LayersModel;
  optimizer: tf.Optimizer;
  objective: TrainingObjective;
  /** Extra penalty added to each batch's loss (e.g. L2 on kernels); not part of the reported loss. */
  regularization?: () => tf.Scalar;
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

/** Probabilities are clipped as tfjs-layers' categoricalCrossentropy does, so the losses match it. */
const EPSILON = 1e-7;

/** Per-sample losses (rank 1) of a batch. */
function sampleLosses(objective: TrainingObjective, yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor1D {
  if (objective === 'meanSquaredError') return tf.mean(tf.squaredDifference(yTrue, yPred), -1) as tf.Tensor1D;
  return tf.neg(tf.sum(tf.mul(yTrue, tf.log(tf.clipByValue(yPred, EPSILON, 1 - EPSILON))), -1)) as tf.Tensor1D;
}

/** Number of rows whose arg-max matches the one-hot target. */
function correctCount(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  return tf.sum(tf.cast(tf.equal(tf.argMax(yTrue, -1), tf.argMax(yPred, -1)), 'float32'));
}

function gatherRows(data: SampleSet, rows: Int32Array, augment?: TrainLoopOptions['augment'], random?: Random): { x: Float32Array; y: Float32Array } {
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
  return { x, y };
}

interface Batches {
  count: number;
  /** Batch `b` as tensors (caller disposes). */
  take(b: number): { xs: tf.Tensor; ys: tf.Tensor };
}

function batchesOf(data: SampleSet, x: Float32Array, y: Float32Array, batchSize: number): Batches {
  const n = y.length / data.targetWidth;
  const sampleSize = x.length / n;
  return {
    count: Math.ceil(n / batchSize),
    take(b) {
      const start = b * batchSize;
      const end = Math.min(n, start + batchSize);
      return {
        xs: tf.tensor(x.subarray(start * sampleSize, end * sampleSize), [end - start, ...data.sampleShape], 'float32'),
        ys: tf.tensor2d(y.subarray(start * data.targetWidth, end * data.targetWidth), [end - start, data.targetWidth], 'float32'),
      };
    },
  };
}

/** Mean loss (and accuracy for classification) over a batched set, in inference mode. */
function evaluateBatches(model: tf.LayersModel, objective: TrainingObjective, batches: Batches, n: number): { loss: number; accuracy?: number } {
  let lossSum = tf.scalar(0);
  let correct = tf.scalar(0);
  for (let b = 0; b < batches.count; b++) {
    const { xs, ys } = batches.take(b);
    const [nextLoss, nextCorrect] = tf.tidy(() => {
      const pred = model.predict(xs) as tf.Tensor;
      const losses = tf.add(lossSum, tf.sum(sampleLosses(objective, ys, pred)));
      return [losses, objective === 'categoricalCrossentropy' ? tf.add(correct, correctCount(ys, pred)) : correct.clone()];
    });
    tf.dispose([xs, ys, lossSum, correct]);
    lossSum = nextLoss as tf.Scalar;
    correct = nextCorrect as tf.Scalar;
  }
  const loss = lossSum.dataSync()[0] / n;
  const accuracy = correct.dataSync()[0] / n;
  tf.dispose([lossSum, correct]);
  return objective === 'categoricalCrossentropy' ? { loss, accuracy } : { loss };
}

/**
 * Trains epoch by epoch with a seeded shuffle, reports each epoch, and stops early on the
 * validation loss (or the training loss when there is no validation set). A lean loop over
 * `optimizer.minimize` rather than `model.fit`: fit's shuffle is unseeded, and its per-batch
 * bookkeeping costs more than the arithmetic of a small network. Reported losses are the mean of
 * the per-sample losses over the epoch, as fit reports them.
 */
export async function trainEpochs(options: TrainLoopOptions): Promise<TrainingSummary> {
  const { model, optimizer, objective, data, validationRows, random, earlyStopping } = options;
  const order = Int32Array.from(options.trainRows);
  const augmentRandom = random.fork();
  const variables = model.trainableWeights.map((weight) => weight.read() as tf.Variable);
  const validationSet = validationRows && validationRows.length > 0 ? gatherRows(data, validationRows) : null;
  const validation = validationSet ? batchesOf(data, validationSet.x, validationSet.y, Math.max(options.batchSize, 256)) : null;
  const history: EpochMetrics[] = [];
  let best = Number.POSITIVE_INFINITY;
  let bestEpoch = 0;
  let bestWeights: tf.Tensor[] | null = null;
  let sinceBest = 0;
  let stoppedEarly = false;
  try {
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      shuffleInPlace(order, random);
      const epochData = gatherRows(data, order, options.augment, augmentRandom);
      const batches = batchesOf(data, epochData.x, epochData.y, options.batchSize);
      let lossSum = tf.scalar(0);
      let correct = tf.scalar(0);
      for (let b = 0; b < batches.count; b++) {
        const { xs, ys } = batches.take(b);
        let batchLoss: tf.Scalar | undefined;
        let batchCorrect: tf.Scalar | undefined;
        optimizer.minimize(
          () => {
            const pred = model.apply(xs, { training: true }) as tf.Tensor;
            const losses = sampleLosses(objective, ys, pred);
            batchLoss = tf.keep(tf.sum(losses) as tf.Scalar);
            if (objective === 'categoricalCrossentropy') batchCorrect = tf.keep(correctCount(ys, pred));
            const mean = tf.mean(losses) as tf.Scalar;
            return options.regularization ? tf.add(mean, options.regularization()) : mean;
          },
          false,
          variables,
        );
        const nextLoss = tf.add(lossSum, batchLoss as tf.Scalar) as tf.Scalar;
        const nextCorrect = batchCorrect ? (tf.add(correct, batchCorrect) as tf.Scalar) : correct.clone();
        tf.dispose([xs, ys, lossSum, correct, batchLoss as tf.Scalar, ...(batchCorrect ? [batchCorrect] : [])]);
        lossSum = nextLoss;
        correct = nextCorrect;
      }
      const n = order.length;
      const metrics: EpochMetrics = { epoch, loss: lossSum.dataSync()[0] / n };
      if (objective === 'categoricalCrossentropy') metrics.accuracy = correct.dataSync()[0] / n;
      tf.dispose([lossSum, correct]);
      if (validation && validationRows) {
        const measured = evaluateBatches(model, objective, validation, validationRows.length);
        metrics.valLoss = measured.loss;
        if (measured.accuracy !== undefined) metrics.valAccuracy = measured.accuracy;
      }
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
  }
  return { epochsRun: history.length, bestEpoch, stoppedEarly, history };
}

/** Splits row indices 0..n-1 into train and validation at random (seeded). */
export function splitRows(nRows: number, validationSplit: number, random: Random): { train: Int32Array; validation: Int32Array | null } {
  const rows = shuffleInPlace(
    Int32Array.from({ length: nRows }, (_, i) => i),
    random,
  );
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
