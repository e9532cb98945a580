import type { TrainingAlgorithm, TrainingEvaluation, TrainingTask } from '@slipway/contracts';
import type { MatrixInput } from '../common';
import type { ImageSet } from '../neural/image-set';

/** A feature matrix with an optional target: class labels 0..k-1 (CART classifier), numbers (regression), or true clusters (k-means ARI). */
export interface TabularTrainingData {
  kind: 'tabular';
  features: MatrixInput;
  target?: ArrayLike<number>;
  featureNames?: string[];
  /** Names of the classes 0..k-1 (confusion matrix labels). */
  classLabels?: string[];
}

/** NHWC images with their class labels 0..k-1 (the CNN). */
export interface ImageTrainingData {
  kind: 'images';
  images: ImageSet;
  labels: ArrayLike<number>;
  classLabels?: string[];
}

export type TrainingData = TabularTrainingData | ImageTrainingData;

/**
 * Streamed while training, in order (`step` counts 1, 2, 3, … over the whole run). `fold` is the 1-based
 * fold an epoch belongs to, or null for the fit whose model is returned (the split's training part, or
 * the final fit on all rows after k-fold).
 */
export type TrainingProgress =
  | { kind: 'epoch'; step: number; fold: number | null; epoch: number; epochs: number; metrics: Record<string, number> }
  | { kind: 'fold'; step: number; fold: number; folds: number; metrics: Record<string, number>; meanSoFar: Record<string, number> };

export interface TrainOptions {
  onProgress?: (event: TrainingProgress) => void | Promise<void>;
  /** Checked between epochs and folds; an aborted signal ends training with a TrainingCancelledError. */
  signal?: AbortSignal;
}

/** Rows of features, or images for the CNN (rows then hold one flattened H×W×C image each). */
export type PredictionInput = MatrixInput | ImageSet;

/**
 * A trained model behind one interface. Class ids / cluster ids come back as Int32Array, regression values
 * as Float64Array.
 */
export interface TrainedModel {
  readonly algorithm: TrainingAlgorithm;
  readonly task: TrainingTask;
  predict(input: PredictionInput): Int32Array | Float64Array;
  /** The model as files; `loadModel` gives back a model with identical predictions. */
  save(): Promise<TrainedModelArtifact>;
  /** Frees tensor memory (networks); the model is unusable afterwards. */
  dispose(): void;
}

export const TRAINED_MODEL_FORMAT = 'slipway.model';
export const TRAINED_MODEL_FORMAT_VERSION = 1;

/**
 * What workers store and serving loads: file name → bytes. Every algorithm writes `slipway.json`, its own
 * versioned manifest (format `slipway.kmeans`, `slipway.cart`, …), so the files alone say what they hold;
 * the networks add tfjs's model.json + weights.bin.
 */
export interface TrainedModelArtifact {
  format: typeof TRAINED_MODEL_FORMAT;
  formatVersion: typeof TRAINED_MODEL_FORMAT_VERSION;
  algorithm: TrainingAlgorithm;
  files: Record<string, Uint8Array>;
}

export interface TrainResult {
  model: TrainedModel;
  evaluation: TrainingEvaluation;
}

/** Training stopped because its AbortSignal fired; nothing was returned and the partial model was freed. */
export class TrainingCancelledError extends Error {
  override readonly name = 'TrainingCancelledError';
  readonly code = 'CANCELLED' as const;

  constructor(
    /** Where it stopped, e.g. `before fold 3 of 5` or `after epoch 2 of 10 (final fit)`. */
    readonly at: string,
    readonly reason?: unknown,
  ) {
    super(`training cancelled ${at}`);
  }
}
