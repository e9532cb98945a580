import { z } from 'zod';
import { cursorSchema } from '../common/cursor';
import { pageQuerySchema } from '../common/page-query';
import { freeText, int32, isoDateTime, nameText, uuidText } from '../common/primitives';
import { experimentNameSchema } from '../experiments/experiment.contract';
import { evaluationPlanSchema } from '../training/evaluation-plan';
import { trainingAlgorithmSchema } from '../training/hyperparameters';
import { datasetColumnNameSchema, registerAsSchema } from '../training/training-job.contract';
import { trainingTaskSchema, type TrainingTask } from '../training/training-spec';
import {
  choiceValueSchema,
  intermediateValuesSchema,
  searchSpaceSchema,
  trialParamsSchema,
  tuningEarlyStoppingSchema,
  tuningObjectiveSchema,
} from './tuning.contract';

/**
 * Tuning studies (journey 3): a search over one algorithm's hyper-parameters on one dataset. Each trial is a
 * training job with its own tracked run; the study's scheduler keeps at most `parallelism` trials in flight and
 * never creates more than `maxTrials`. A study's life: CREATED → RUNNING → COMPLETED (every trial done, or the
 * grid exhausted) | FAILED (more than `maxFailedTrials` trials failed) | STOPPING → STOPPED (stop asked: queued
 * trials cancelled, running ones signalled); a STOPPED or FAILED study can be resumed.
 */
export const TUNING_STUDY_STATUSES = ['CREATED', 'RUNNING', 'STOPPING', 'COMPLETED', 'STOPPED', 'FAILED'] as const;
export const tuningStudyStatusSchema = z.enum(TUNING_STUDY_STATUSES);
export type TuningStudyStatus = z.infer<typeof tuningStudyStatusSchema>;
export const TERMINAL_TUNING_STUDY_STATUSES: readonly TuningStudyStatus[] = ['COMPLETED', 'STOPPED', 'FAILED'];

export const TUNING_TRIAL_STATUSES = ['QUEUED', 'RUNNING', 'COMPLETED', 'PRUNED', 'FAILED'] as const;
export const tuningTrialStatusSchema = z.enum(TUNING_TRIAL_STATUSES);
export type TuningTrialStatus = z.infer<typeof tuningTrialStatusSchema>;

/** How trials' parameters are chosen. `tpe`: the Tree-structured Parzen Estimator (libs/ml/tuning). */
export const TUNING_STRATEGIES = ['grid', 'random', 'tpe'] as const;
export const tuningStrategySchema = z.enum(TUNING_STRATEGIES);
export type TuningStrategyName = z.infer<typeof tuningStrategySchema>;

/**
 * TPE's knobs (tuning_studies.sampler_options). Absent ones take Optuna's defaults, except `multivariate`, which is
 * true in Slipway's TPE (one joint estimator over the unconditional parameters: better on both benchmark functions;
 * Optuna's default is false).
 */
export const tpeSamplerOptionsSchema = z
  .object({
    /** Random trials before TPE models the history. */
    startupTrials: z.number().int().min(0).max(1000).optional(),
    /** Candidates drawn from the good-trials estimator per suggestion; the best l(x)/g(x) wins. */
    eiCandidates: z.number().int().min(1).max(1000).optional(),
    /** One joint estimator over the unconditional parameters instead of one per parameter (default true). */
    multivariate: z.boolean().optional(),
    /** Trials still running count as the worst value, so parallel suggestions spread out. */
    constantLiar: z.boolean().optional(),
    /** Weight of the prior component of each Parzen estimator. */
    priorWeight: z.number().gt(0).max(100).optional(),
  })
  .strict();
export type TpeSamplerOptions = z.infer<typeof tpeSamplerOptionsSchema>;

/**
 * The metrics a trial's evaluation gives per task (libs/ml/algorithms' scorers; k-fold gives their fold means
 * under the same names), the names a study's objective can name. Binary classification adds `f1`, `precision` and
 * `recall` of the positive class (class id 1); multiclass names its ROC AUC and average precision `roc_auc_ovr` /
 * `average_precision_ovr` (scikit-learn's scorer names).
 */
export const OBJECTIVE_METRICS: Readonly<Record<TrainingTask, readonly string[]>> = {
  classification: [
    'accuracy',
    'f1',
    'precision',
    'recall',
    'f1_macro',
    'f1_weighted',
    'precision_macro',
    'precision_weighted',
    'recall_macro',
    'recall_weighted',
    'log_loss',
    'roc_auc',
    'roc_auc_ovr',
    'average_precision',
    'average_precision_ovr',
  ],
  regression: ['r2', 'rmse', 'mse', 'mae'],
  clustering: ['silhouette', 'ari', 'inertia', 'inertia_mean'],
};

/** The direction that makes a metric better, for defaulting and for warning about an objective that goes the wrong way. */
export function metricDirection(metric: string): 'maximize' | 'minimize' {
  return /^(log_loss|rmse|mse|mae|inertia|inertia_mean)$/.test(metric) ? 'minimize' : 'maximize';
}

/** `POST /api/v1/studies`. */
export const createStudyRequestSchema = z
  .object({
    name: nameText(256, { trim: true, min: 1 }),
    description: freeText(2000).optional(),
    datasetId: uuidText(),
    /** The column to predict; the dataset's own target when absent. */
    targetColumn: datasetColumnNameSchema.nullable().optional(),
    featureColumns: z.array(datasetColumnNameSchema).min(1).max(10_000).optional(),
    algorithm: trainingAlgorithmSchema,
    /**
     * Hyper-parameters every trial shares (e.g. `epochs` for a network); each trial's drawn parameters go on top.
     * Every trial's merged set is checked against the algorithm's hyper-parameter schema.
     */
    fixedHyperparameters: z
      .record(nameText(256), choiceValueSchema)
      .refine((record) => Object.keys(record).length <= 50, 'at most 50 parameters')
      .default({}),
    searchSpace: searchSpaceSchema,
    strategy: tuningStrategySchema.default('tpe'),
    /** TPE only. */
    sampler: tpeSamplerOptionsSchema.default({}),
    objective: tuningObjectiveSchema,
    evaluationPlan: evaluationPlanSchema.default({ kind: 'kfold', folds: 5, stratify: true }),
    maxTrials: z.number().int().min(1).max(5000),
    parallelism: z.number().int().min(1).max(64).default(1),
    earlyStopping: tuningEarlyStoppingSchema.nullable().default(null),
    /**
     * Seeds the sampler and every trial's training: all trials train with this one seed, so a k-fold plan gives them
     * the same folds and their scores compare (as scikit-learn's GridSearchCV scores every candidate on one split).
     * Random when absent. At most 2^31−1: it is stored with each trial's training job (a Postgres integer).
     */
    seed: int32(0).optional(),
    /** The study ends FAILED once more trials than this have failed (0: the first failure ends it). */
    maxFailedTrials: z.number().int().min(0).max(5000).default(5),
    /**
     * Attempts each trial's training job gets: a worker killed mid-trial hands the trial to another worker as
     * attempt 2, … ; once they are used up the trial is FAILED and the study goes on.
     */
    trialMaxAttempts: z.number().int().min(1).max(5).default(2),
    /** Registers the best trial's model as the next version of `model` (moving `alias` onto it) when the study completes. */
    registerBest: registerAsSchema.optional(),
    /** Experiment (created on first use) the trials' runs are logged to; `study/<name>` when absent. */
    experiment: experimentNameSchema.optional(),
    /** false: create the study CREATED, to start later (POST …/start). */
    start: z.boolean().default(true),
  })
  .strict();
export type CreateStudyRequest = z.infer<typeof createStudyRequestSchema>;
export type CreateStudyRequestInput = z.input<typeof createStudyRequestSchema>;

export const studyIdParamsSchema = z.object({ id: uuidText() }).strict();

/** `POST /api/v1/studies/:id/stop`. */
export const stopStudyRequestSchema = z.object({ reason: freeText(1000).optional() }).strict();
export type StopStudyRequest = z.infer<typeof stopStudyRequestSchema>;

/** `POST /api/v1/studies/:id/resume` (and `/start` for a CREATED study): optionally raise the trial budget. */
export const resumeStudyRequestSchema = z
  .object({
    maxTrials: z.number().int().min(1).max(5000).optional(),
    /** A study that FAILED on too many failed trials resumes only with a higher limit. */
    maxFailedTrials: z.number().int().min(0).max(5000).optional(),
  })
  .strict();
export type ResumeStudyRequest = z.infer<typeof resumeStudyRequestSchema>;

/** `POST /api/v1/studies/:id/register-best`: register the best trial's model now. */
export const registerBestRequestSchema = registerAsSchema;
export type RegisterBestRequest = z.infer<typeof registerBestRequestSchema>;

export const studyQuerySchema = pageQuerySchema(
  {
    status: tuningStudyStatusSchema.optional(),
    algorithm: trainingAlgorithmSchema.optional(),
    datasetId: uuidText().optional(),
  },
  { default: 50, max: 200 },
);
export type StudyQuery = z.infer<typeof studyQuerySchema>;

export const tuningTrialSchema = z
  .object({
    id: uuidText(),
    number: z.number().int(),
    status: tuningTrialStatusSchema,
    params: trialParamsSchema,
    /** COMPLETED: the objective; PRUNED: the last intermediate value. */
    value: z.number().nullable(),
    intermediateValues: intermediateValuesSchema,
    /** The step a PRUNED trial stopped at, and why (the rule, with its numbers). */
    prunedAtStep: z.number().int().nullable(),
    error: z.string().nullable(),
    trainingJobId: uuidText().nullable(),
    runId: uuidText().nullable(),
    attempts: z.number().int(),
    createdAt: isoDateTime(),
    startedAt: isoDateTime().nullable(),
    finishedAt: isoDateTime().nullable(),
  })
  .strict();
export type TuningTrialView = z.infer<typeof tuningTrialSchema>;

export const studyTrialCountsSchema = z
  .object({
    queued: z.number().int(),
    running: z.number().int(),
    completed: z.number().int(),
    pruned: z.number().int(),
    failed: z.number().int(),
    total: z.number().int(),
  })
  .strict();
export type StudyTrialCounts = z.infer<typeof studyTrialCountsSchema>;

export const studyBestSchema = z
  .object({ trialId: uuidText(), number: z.number().int(), value: z.number(), params: trialParamsSchema, runId: uuidText().nullable() })
  .strict();

export const tuningStudySchema = z
  .object({
    id: uuidText(),
    name: z.string(),
    description: z.string().nullable(),
    status: tuningStudyStatusSchema,
    algorithm: trainingAlgorithmSchema,
    task: trainingTaskSchema,
    /** null once the dataset was deleted. */
    dataset: z.object({ id: uuidText(), name: z.string() }).strict().nullable(),
    targetColumn: z.string().nullable(),
    featureColumns: z.array(z.string()).nullable(),
    fixedHyperparameters: z.record(z.string(), choiceValueSchema),
    searchSpace: searchSpaceSchema,
    strategy: tuningStrategySchema,
    sampler: tpeSamplerOptionsSchema,
    objective: tuningObjectiveSchema,
    evaluationPlan: evaluationPlanSchema,
    maxTrials: z.number().int(),
    parallelism: z.number().int(),
    earlyStopping: tuningEarlyStoppingSchema.nullable(),
    seed: z.number().int(),
    maxFailedTrials: z.number().int(),
    trialMaxAttempts: z.number().int(),
    registerBest: registerAsSchema.nullable(),
    experimentId: uuidText().nullable(),
    /** The version registered from the best trial (registerBest when the study completed, or register-best). */
    registeredVersion: z.object({ model: z.string(), version: z.number().int() }).strict().nullable(),
    counts: studyTrialCountsSchema,
    best: studyBestSchema.nullable(),
    /** Why the study FAILED, or why it was stopped. */
    error: z.string().nullable(),
    stopRequestedAt: isoDateTime().nullable(),
    stopRequestedBy: z.string().nullable(),
    createdBy: z.string().nullable(),
    createdAt: isoDateTime(),
    startedAt: isoDateTime().nullable(),
    finishedAt: isoDateTime().nullable(),
  })
  .strict();
export type TuningStudyView = z.infer<typeof tuningStudySchema>;

/** One parameter's share of the objective's variance over the completed trials (libs/ml/tuning's parameterImportance). */
export const parameterImportanceSchema = z.object({ param: z.string(), importance: z.number() }).strict();

/** `GET /api/v1/studies/:id`: the study, every trial, and parameter importance. */
export const tuningStudyDetailSchema = tuningStudySchema
  .extend({
    trials: z.array(tuningTrialSchema).max(5000),
    importance: z.array(parameterImportanceSchema).max(50),
  })
  .strict();
export type TuningStudyDetail = z.infer<typeof tuningStudyDetailSchema>;

export const tuningStudyListSchema = z.object({ studies: z.array(tuningStudySchema).max(200), nextCursor: cursorSchema.nullable() }).strict();
export type TuningStudyList = z.infer<typeof tuningStudyListSchema>;
