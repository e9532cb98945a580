import { z } from 'zod';
import { finiteNumber } from '../common/primitives';

/**
 * Hyper-parameters of each trainable algorithm, with the defaults and bounds a training job gets. Plain zod
 * objects (no transforms) so the training-jobs API can serve them as JSON Schema. The ML libs check the same
 * bounds again (their own errors name the argument); these are the contract a client can validate against.
 */
export const TRAINING_ALGORITHMS = ['kmeans', 'cart', 'nn-regression', 'cnn'] as const;
export const trainingAlgorithmSchema = z.enum(TRAINING_ALGORITHMS);
export type TrainingAlgorithm = z.infer<typeof trainingAlgorithmSchema>;

export const preprocessingKindSchema = z.enum(['none', 'standardize']);

export const kmeansHyperparametersSchema = z
  .object({
    k: z.number().int().min(1).max(1024).default(8),
    init: z.enum(['k-means++', 'random']).default('k-means++'),
    /** Independent restarts; the one with the lowest inertia wins. */
    nInit: z.number().int().min(1).max(100).default(1),
    maxIter: z.number().int().min(1).max(10_000).default(300),
    tol: finiteNumber.min(0).max(1).default(1e-4),
    preprocessing: preprocessingKindSchema.default('none'),
  })
  .strict();
export type KMeansHyperparameters = z.infer<typeof kmeansHyperparametersSchema>;

/** 'gini' and 'entropy' grow a classification tree, 'squared_error' a regression tree. */
export const cartHyperparametersSchema = z
  .object({
    criterion: z.enum(['gini', 'entropy', 'squared_error']).default('gini'),
    /** null grows until leaves are pure or too small to split. */
    maxDepth: z.number().int().min(1).max(1000).nullable().default(null),
    minSamplesSplit: z.number().int().min(2).max(1_000_000).default(2),
    minSamplesLeaf: z.number().int().min(1).max(1_000_000).default(1),
    /** Features tried per split: a count, a fraction in (0, 1), 'sqrt', 'log2', or null for all. */
    maxFeatures: z
      .union([z.number().int().min(1).max(100_000), finiteNumber.gt(0).lt(1), z.enum(['sqrt', 'log2'])])
      .nullable()
      .default(null),
    preprocessing: preprocessingKindSchema.default('none'),
  })
  .strict();
export type CartHyperparameters = z.infer<typeof cartHyperparametersSchema>;

export const ACTIVATION_NAMES = ['relu', 'elu', 'selu', 'tanh', 'sigmoid', 'linear', 'softplus', 'swish'] as const;
export const OPTIMIZER_NAMES = ['adam', 'sgd', 'rmsprop', 'adagrad'] as const;

export const earlyStoppingSchema = z
  .object({
    /** Epochs without improvement of the validation loss before training stops. */
    patience: z.number().int().min(1).max(10_000),
    minDelta: finiteNumber.min(0).max(1e6).default(0),
    restoreBestWeights: z.boolean().default(true),
  })
  .strict();

/** What both networks share. Bounds as the ML libs' validateTrainingParams. */
const networkTraining = {
  optimizer: z.enum(OPTIMIZER_NAMES).default('adam'),
  learningRate: finiteNumber.gt(0).max(10).default(1e-3),
  epochs: z.number().int().min(1).max(10_000),
  batchSize: z.number().int().min(1).max(65_536),
  /** Share of the training rows held out (seeded) to monitor the validation loss; 0 for none. */
  validationSplit: finiteNumber.min(0).max(0.9).default(0.1),
};

export const denseLayerSchema = z.object({ units: z.number().int().min(1).max(4096), activation: z.enum(ACTIVATION_NAMES).default('relu') }).strict();

export const nnRegressionHyperparametersSchema = z
  .object({
    hiddenLayers: z
      .array(denseLayerSchema)
      .max(16)
      .default([
        { units: 64, activation: 'relu' },
        { units: 32, activation: 'relu' },
      ]),
    /** L2 penalty on the hidden kernels. */
    l2: finiteNumber.min(0).max(1).default(0),
    ...networkTraining,
    epochs: networkTraining.epochs.default(50),
    batchSize: networkTraining.batchSize.default(64),
    earlyStopping: earlyStoppingSchema.nullable().default({ patience: 5, minDelta: 1e-5, restoreBestWeights: true }),
  })
  .strict();
export type NnRegressionHyperparameters = z.infer<typeof nnRegressionHyperparametersSchema>;

export const cnnHyperparametersSchema = z
  .object({
    /** Filters of the three convolutions. */
    filters: z.tuple([z.number().int().min(1).max(1024), z.number().int().min(1).max(1024), z.number().int().min(1).max(1024)]).default([32, 64, 64]),
    kernelSize: z.number().int().min(1).max(15).default(3),
    padding: z.enum(['same', 'valid']).default('same'),
    denseUnits: z.number().int().min(1).max(4096).default(64),
    dropout: finiteNumber.min(0).max(0.95).default(0.25),
    /** Random shifts/flips of the training images each epoch; null for none. */
    augmentation: z
      .object({ maxShift: z.number().int().min(0).max(64).default(2), flipHorizontal: z.boolean().default(false) })
      .strict()
      .nullable()
      .default(null),
    ...networkTraining,
    epochs: networkTraining.epochs.default(30),
    batchSize: networkTraining.batchSize.default(32),
    earlyStopping: earlyStoppingSchema.nullable().default({ patience: 5, minDelta: 1e-4, restoreBestWeights: true }),
  })
  .strict();
export type CnnHyperparameters = z.infer<typeof cnnHyperparametersSchema>;

/** The schema of each algorithm's hyper-parameters, for serving them (JSON Schema) and validating a job. */
export const HYPERPARAMETER_SCHEMAS = {
  kmeans: kmeansHyperparametersSchema,
  cart: cartHyperparametersSchema,
  'nn-regression': nnRegressionHyperparametersSchema,
  cnn: cnnHyperparametersSchema,
} as const satisfies Record<TrainingAlgorithm, z.ZodType>;

export type HyperparametersOf<A extends TrainingAlgorithm> = z.infer<(typeof HYPERPARAMETER_SCHEMAS)[A]>;
