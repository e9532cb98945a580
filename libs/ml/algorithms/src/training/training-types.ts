import type { TrainingAlgorithm, TrainingEvaluation, TrainingTask } from '@slipway/contracts';
import type { DenseMatrix, MatrixInput } from '../common';
import type { ImageSet } from '../neural/image-set';
import type { ClassLabel } from './label-map';

/**
 * A feature matrix with an optional target: class labels (CART classifier: numbers, strings or booleans,
 * encoded once into ids 0..k-1, see `encodeClassLabels`), finite numbers (regression), or true clusters
 * (k-means ARI). Missing labels (null, NaN, blank) are refused naming their row.
 */
export interface TabularTrainingData {
  kind: 'tabular';
  features: MatrixInput;
  target?: ArrayLike<number> | readonly (ClassLabel | null | undefined)[];
  /** The target's column name, for error messages (`column "species" row 7 has no label`). */
  targetName?: string;
  featureNames?: string[];
  /**
   * Legacy: names of integer class ids 0..k-1 in the target. They become the label map, so `predict`
   * returns these names. Labels that are strings already name themselves; leave this out then.
   */
  classLabels?: string[];
}

/** NHWC images with their class labels (the CNN): numbers, strings or booleans, as for the tabular target. */
export interface ImageTrainingData {
  kind: 'images';
  images: ImageSet;
  labels: ArrayLike<number> | readonly (ClassLabel | null | undefined)[];
  /** Legacy: names of integer class ids 0..k-1 in `labels` (see TabularTrainingData.classLabels). */
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
 * A trained model behind one interface. `predict` gives classification models' original labels (through
 * the label map; an artifact written before label maps gives the class ids as numbers), cluster ids as
 * Int32Array and regression values as Float64Array.
 */
export interface TrainedModel {
  readonly algorithm: TrainingAlgorithm;
  readonly task: TrainingTask;
  /** Classification: the original label of each class id 0..k-1 (null when the artifact had no label map). */
  readonly classLabels: readonly ClassLabel[] | null;
  predict(input: PredictionInput): ClassLabel[] | Int32Array | Float64Array;
  /** The estimator's own output: class ids 0..k-1, cluster ids, or regression values. */
  predictCodes(input: PredictionInput): Int32Array | Float64Array;
  /**
   * Classification only: class probabilities, one row per input, column c for `labels[c]` (the label map's
   * order; class ids when there is no map).
   */
  predictProba?(input: PredictionInput): { labels: ClassLabel[]; probabilities: DenseMatrix };
  /** The model as files; `loadModel` gives back a model with identical predictions. */
  save(): Promise<TrainedModelArtifact>;
  /** Frees tensor memory (networks); the model is unusable afterwards. */
  dispose(): void;
}

export const TRAINED_MODEL_FORMAT = 'slipway.model';
/** 2: classification artifacts carry labels.json, the label map. Version 1 artifacts (no map) still load. */
export const TRAINED_MODEL_FORMAT_VERSION = 2;
export const READABLE_MODEL_FORMAT_VERSIONS: readonly number[] = [1, 2];

/**
 * What workers store and serving loads: file name → bytes. Every algorithm writes `slipway.json`, its own
 * versioned manifest (format `slipway.kmeans`, `slipway.cart`, …), so the files alone say what they hold;
 * the networks add tfjs's model.json + weights.bin, and classification models labels.json (their label map).
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
  /**
   * Wall-clock milliseconds: fitting (every fold's fit and the final one) and evaluating (scores, curves,
   * residuals, feature importance). For lineage and for keeping the evaluation's cost in view; not part of
   * the evaluation, which stays the same for the same spec and data.
   */
  timings: { fitMs: number; evaluationMs: number };
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
