import type * as tf from '@tensorflow/tfjs';
import { createRandom, MlInputError, MlInputErrorCode, type Random } from '../common';
import { readNeuralArtifact, writeNeuralArtifact, type ArtifactFiles, type NeuralArtifact, type SaveArtifactOptions } from './artifact';
import type { TrainingParams } from './neural-params';
import { disposeModel, splitRows, trainEpochs, type EpochMetrics, type TrainLoopOptions, type TrainingSummary } from './training-loop';

/** What one network's fit hands the training loop beyond what every network shares. */
export type NetworkTraining = Pick<TrainLoopOptions, 'objective' | 'data' | 'regularization' | 'augment'>;

export interface NetworkFit<E> {
  /** Samples in the training data (split into training and validation rows here). */
  nRows: number;
  /** A fresh, compiled network, its initial weights drawn from `random`. */
  build(random: Random): tf.LayersModel;
  training(model: tf.LayersModel): NetworkTraining;
  /** This estimator's report of one epoch, kept in `history` and streamed to `onEpoch`. */
  report(metrics: EpochMetrics): E;
  onEpoch?: (epoch: E) => void | Promise<void>;
}

/**
 * What the TensorFlow.js estimators (NnRegressor, CnnClassifier) share: the fitted network and state, the
 * epoch history, the seeded fit (one generator for the split, the initial weights and the batches), saving
 * and freeing the weights. Each estimator adds its own preprocessing, network, prediction and load.
 */
export abstract class NeuralEstimator<F extends string, P extends TrainingParams, S, E> {
  protected model: tf.LayersModel | null = null;
  protected state: S | null = null;
  private epochs: E[] = [];

  protected constructor(
    readonly params: P,
    private readonly artifactFormat: { format: F; formatVersion: number },
  ) {}

  /** Per-epoch metrics of the last fit. */
  get history(): readonly E[] {
    return this.epochs;
  }

  get fitted(): S {
    if (!this.state) throw new MlInputError(MlInputErrorCode.NOT_FITTED, 'model', 'call fit() or load an artifact first');
    return this.state;
  }

  async save(options: SaveArtifactOptions = {}): Promise<NeuralArtifact<F, P, S>> {
    const state = this.fitted;
    return writeNeuralArtifact(this.model as tf.LayersModel, { ...this.artifactFormat, params: this.params, state }, options);
  }

  /** Frees the tfjs weights; the estimator is unusable afterwards until fit or load. */
  dispose(): void {
    if (this.model) disposeModel(this.model);
    this.model = null;
    this.state = null;
  }

  /**
   * Replaces the network with a freshly built one and trains it: the seed's generator splits the rows, a fork
   * of it draws the initial weights, and it goes on to shuffle the batches. Returns the summary (its history
   * is `history`); the caller sets the fitted state.
   */
  protected async trainNetwork(fit: NetworkFit<E>): Promise<Omit<TrainingSummary, 'history'>> {
    const p = this.params;
    const random = createRandom(p.seed);
    const { train, validation } = splitRows(fit.nRows, p.validationSplit, random);
    this.dispose();
    const model = fit.build(random.fork());
    this.model = model;
    this.epochs = [];
    const { history: _history, ...training } = await trainEpochs({
      model,
      optimizer: model.optimizer,
      ...fit.training(model),
      trainRows: train,
      validationRows: validation,
      epochs: p.epochs,
      batchSize: p.batchSize,
      random,
      earlyStopping: p.earlyStopping,
      onEpoch: async (metrics) => {
        const report = fit.report(metrics);
        this.epochs.push(report);
        await fit.onEpoch?.(report);
      },
    });
    return training;
  }
}

export type ReadNetwork = Awaited<ReturnType<typeof readNeuralArtifact>>;

/** Reads a network's artifact and hands it to `restore`, which checks it and returns the estimator; frees the network if that throws. */
export async function loadNetwork<T>(
  files: ArtifactFiles | Record<string, Uint8Array>,
  artifactFormat: { format: string; formatVersion: number },
  restore: (read: ReadNetwork) => T,
): Promise<T> {
  const read = await readNeuralArtifact(files, artifactFormat.format, artifactFormat.formatVersion);
  try {
    return restore(read);
  } catch (error) {
    disposeModel(read.model);
    throw error;
  }
}
