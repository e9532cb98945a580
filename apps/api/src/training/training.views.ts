import { trainingTaskFor, wireTime, wireTimeOrNull, type TrainingJobView } from '@slipway/contracts';
import type { TrainingJobEntity } from '@slipway/db';

export function toTrainingJobView(job: TrainingJobEntity): TrainingJobView {
  return {
    id: job.id,
    name: job.name,
    status: job.status,
    algorithm: job.algorithm,
    task: trainingTaskFor(job.algorithm, job.hyperparameters),
    hyperparameters: job.hyperparameters,
    evaluationPlan: job.evaluationPlan,
    seed: job.seed,
    dataset: job.dataset,
    targetColumn: job.targetColumn,
    featureColumns: job.featureColumns,
    experimentId: job.experimentId,
    runId: job.runId,
    registerAs: job.registerAs,
    modelVersion: job.modelVersion,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    attemptHistory: job.attemptHistory,
    workerId: job.workerId,
    error: job.error,
    progress: job.progress,
    cancelRequestedAt: wireTimeOrNull(job.cancelRequestedAt),
    evaluation: job.evaluation,
    result: job.result,
    createdBy: job.createdBy,
    createdAt: wireTime(job.createdAt),
    startedAt: wireTimeOrNull(job.startedAt),
    finishedAt: wireTimeOrNull(job.finishedAt),
    heartbeatAt: wireTimeOrNull(job.heartbeatAt),
  };
}
