import { z } from 'zod';
import { cursorSchema } from '../common/cursor';
import { pageQuerySchema } from '../common/page-query';
import { finiteNumber, freeText, int32, isoDateTime, nameText, safeInt, text, uuidText } from '../common/primitives';
import { experimentNameSchema } from '../experiments/experiment.contract';
import { aliasNameSchema, modelNameSchema, sha256HexSchema } from '../registry/registry-names.contract';
import { backendInfoSchema } from '../workers/backend-info.contract';
import { modelInputSchemaSchema } from '../datasets/dataset-columns.contract';
import { evaluationPlanSchema } from './evaluation-plan';
import { TRAINING_ALGORITHMS, trainingAlgorithmSchema, type TrainingAlgorithm } from './hyperparameters';
import { trainingEvaluationSchema, trainingSpecSchema, trainingTaskSchema, type TrainingTask } from './training-spec';

/**
 * Training jobs: a training spec bound to a dataset, queued for the workers. A job's life is
 * QUEUED → RUNNING → SUCCEEDED | FAILED | CANCELLED; each attempt (a worker killed mid-job means a second one)
 * gets its own tracked run, and the job points at the current one.
 */
export const TRAINING_JOB_STATUSES = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'] as const;
export const trainingJobStatusSchema = z.enum(TRAINING_JOB_STATUSES);
export type TrainingJobStatus = z.infer<typeof trainingJobStatusSchema>;
export const TERMINAL_TRAINING_JOB_STATUSES: readonly TrainingJobStatus[] = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

/** A column of the dataset, as a request names it. */
export const datasetColumnNameSchema = nameText(256);

/** Where a successful job registers its model: the model's next version, optionally moving an alias onto it. */
export const registerAsSchema = z.object({ model: modelNameSchema, alias: aliasNameSchema.optional() }).strict();
export type RegisterAs = z.infer<typeof registerAsSchema>;

/** The fields every training job has besides its spec (algorithm, hyper-parameters, evaluation plan, seed). */
const jobFields = {
  datasetId: uuidText(),
  /** The column to predict; the dataset's own target when absent. Required for classification and regression. */
  targetColumn: datasetColumnNameSchema.nullable().optional(),
  /** The input columns, in this order; every usable column but the target when absent. */
  featureColumns: z.array(datasetColumnNameSchema).min(1).max(10_000).optional(),
  /** Experiment (by name, created on first use) the job's runs are logged to; `training` when absent. */
  experiment: experimentNameSchema.optional(),
  /** The run's name; `<algorithm> on <dataset>` when absent. */
  name: nameText(256, { trim: true }).optional(),
  registerAs: registerAsSchema.optional(),
  /**
   * The library takes any 32-bit unsigned seed; a job's is stored in training_jobs.seed (a Postgres integer), so it
   * stays within 0..2^31−1 — a larger one is a 400 naming `body.seed`, not a failed insert.
   */
  seed: int32(0).default(0),
};

/**
 * `POST /api/v1/training-jobs`: the training spec (one shape per algorithm, validated against that algorithm's
 * hyper-parameter schema) plus the job fields.
 */
const [kmeansSpec, cartSpec, nnRegressionSpec, cnnSpec] = trainingSpecSchema.options;
export const createTrainingJobRequestSchema = z.discriminatedUnion('algorithm', [
  kmeansSpec.extend(jobFields),
  cartSpec.extend(jobFields),
  nnRegressionSpec.extend(jobFields),
  cnnSpec.extend(jobFields),
]);
export type CreateTrainingJobRequest = z.infer<typeof createTrainingJobRequestSchema>;
export type CreateTrainingJobRequestInput = z.input<typeof createTrainingJobRequestSchema>;

/** `POST /api/v1/training-jobs/:id/register`: register a succeeded job's model ("one click" after the fact). */
export const registerTrainingJobRequestSchema = registerAsSchema;
export type RegisterTrainingJobRequest = z.infer<typeof registerTrainingJobRequestSchema>;

/** `POST /api/v1/training-jobs/:id/cancel`. */
export const cancelTrainingJobRequestSchema = z.object({ reason: freeText(1000).optional() }).strict();
export type CancelTrainingJobRequest = z.infer<typeof cancelTrainingJobRequestSchema>;

export const trainingJobIdParamsSchema = z.object({ id: uuidText() }).strict();

export const trainingJobQuerySchema = pageQuerySchema(
  {
    status: trainingJobStatusSchema.optional(),
    datasetId: uuidText().optional(),
    algorithm: trainingAlgorithmSchema.optional(),
  },
  { default: 50, max: 200 },
);
export type TrainingJobQuery = z.infer<typeof trainingJobQuerySchema>;

/**
 * Where the job is (training_jobs.progress), written by the worker as it trains: the last progress event's
 * position plus its metrics. Epoch counts are per fit; `fold` is null for the final fit.
 */
export const trainingProgressSchema = z
  .object({
    step: z.number().int().min(0).max(2_147_483_647),
    phase: z.enum(['loading', 'training', 'evaluating', 'saving', 'registering']),
    fold: z.number().int().min(1).max(20).nullable(),
    folds: z.number().int().min(1).max(20).nullable(),
    epoch: z.number().int().min(0).max(1_000_000).nullable(),
    epochs: z.number().int().min(0).max(1_000_000).nullable(),
    metrics: z.record(nameText(256), finiteNumber).refine((m) => Object.keys(m).length <= 100, 'at most 100 metrics'),
    updatedAt: isoDateTime(),
  })
  .strict();
export type TrainingProgressView = z.infer<typeof trainingProgressSchema>;

/** One attempt of a job (training_jobs.attempt_history): its run, worker and how it ended. */
export const trainingAttemptSchema = z
  .object({
    attempt: z.number().int().min(1).max(1000),
    runId: uuidText(),
    workerId: text({ max: 256 }).nullable(),
    startedAt: isoDateTime(),
    endedAt: isoDateTime().nullable(),
    /** SUCCEEDED, FAILED, CANCELLED, or LOST (the worker stopped heartbeating; the queue retried the job). */
    outcome: z.enum(['RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'LOST']),
    reason: freeText(2000).nullable(),
  })
  .strict();
export type TrainingAttempt = z.infer<typeof trainingAttemptSchema>;
export const trainingAttemptHistorySchema = z.array(trainingAttemptSchema).max(1000);

/** One file of the model artifact the job wrote (under the run's `model/` artifact folder). */
export const trainingArtifactFileSchema = z.object({ path: text({ max: 1024 }), sha256: sha256HexSchema, sizeBytes: safeInt() }).strict();

/** What the worker recorded when the job succeeded (training_jobs.result): where, on what, how long, which files. */
export const trainingResultSchema = z
  .object({
    backend: backendInfoSchema,
    codeVersion: text({ max: 128 }),
    workerId: text({ max: 256 }),
    /** Milliseconds per phase. `fit` includes the evaluation's own fits (folds); `queued` is created → started. */
    durationsMs: z
      .object({
        queued: finiteNumber.min(0),
        load: finiteNumber.min(0),
        fit: finiteNumber.min(0),
        save: finiteNumber.min(0),
        total: finiteNumber.min(0),
      })
      .strict(),
    artifact: z.object({ path: text({ max: 1024 }), files: z.array(trainingArtifactFileSchema).max(1000) }).strict(),
    featureNames: z.array(text({ max: 1024 })).max(100_000),
    /** The input columns (names, types, order), target and class labels: what a version registered from the job takes. */
    inputSchema: modelInputSchemaSchema,
  })
  .strict();
export type TrainingResult = z.infer<typeof trainingResultSchema>;

const jobDatasetSchema = z.object({ id: uuidText(), name: z.string(), sha256: sha256HexSchema }).strict();

export const trainingJobSchema = z.object({
  id: uuidText(),
  name: z.string(),
  status: trainingJobStatusSchema,
  algorithm: trainingAlgorithmSchema,
  task: trainingTaskSchema,
  hyperparameters: z.record(z.string(), z.unknown()),
  evaluationPlan: evaluationPlanSchema,
  seed: z.number().int(),
  /** null once the dataset was deleted (the runs keep its sha256). */
  dataset: jobDatasetSchema.nullable(),
  targetColumn: z.string().nullable(),
  featureColumns: z.array(z.string()).nullable(),
  experimentId: uuidText().nullable(),
  /** The current (or last) attempt's run. */
  runId: uuidText().nullable(),
  registerAs: registerAsSchema.nullable(),
  /** The version the job registered (registerAs or POST …/register). */
  modelVersion: z.object({ model: z.string(), version: z.number().int() }).strict().nullable(),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  attemptHistory: trainingAttemptHistorySchema,
  workerId: z.string().nullable(),
  error: z.string().nullable(),
  progress: trainingProgressSchema.nullable(),
  cancelRequestedAt: isoDateTime().nullable(),
  evaluation: trainingEvaluationSchema.nullable(),
  result: trainingResultSchema.nullable(),
  createdBy: z.string().nullable(),
  createdAt: isoDateTime(),
  startedAt: isoDateTime().nullable(),
  finishedAt: isoDateTime().nullable(),
  heartbeatAt: isoDateTime().nullable(),
});
export type TrainingJobView = z.infer<typeof trainingJobSchema>;

export const trainingJobListSchema = z.object({ jobs: z.array(trainingJobSchema).max(200), nextCursor: cursorSchema.nullable() });
export type TrainingJobList = z.infer<typeof trainingJobListSchema>;

/**
 * `GET /api/v1/training-jobs/algorithms`: each algorithm's hyper-parameters as JSON Schema (input side: defaults and
 * bounds), what it solves and what data it takes — the console's job form and the CLI are generated from it.
 */
export const trainingAlgorithmInfoSchema = z.object({
  algorithm: trainingAlgorithmSchema,
  title: z.string(),
  description: z.string(),
  tasks: z.array(trainingTaskSchema),
  /** `tabular` datasets (CSV, Parquet) or `images` (a zip of class folders). */
  datasetKind: z.enum(['tabular', 'images']),
  /** Whether the job needs a target column (every algorithm but k-means, for which it only feeds ARI). */
  targetRequired: z.boolean(),
  hyperparameters: z.record(z.string(), z.unknown()),
  defaults: z.record(z.string(), z.unknown()),
});
export const trainingAlgorithmListSchema = z.object({ algorithms: z.array(trainingAlgorithmInfoSchema).max(TRAINING_ALGORITHMS.length) });
export type TrainingAlgorithmList = z.infer<typeof trainingAlgorithmListSchema>;

/** The task an algorithm solves with these hyper-parameters (CART: a regression tree with `squared_error`). */
export function trainingTaskFor(algorithm: TrainingAlgorithm, hyperparameters: Record<string, unknown>): TrainingTask {
  switch (algorithm) {
    case 'kmeans':
      return 'clustering';
    case 'cart':
      return hyperparameters['criterion'] === 'squared_error' ? 'regression' : 'classification';
    case 'nn-regression':
      return 'regression';
    case 'cnn':
      return 'classification';
  }
}
