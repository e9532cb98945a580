import type {
  EvaluationPlan,
  RegisterAs,
  TrainingAlgorithm,
  TrainingAttempt,
  TrainingEvaluation,
  TrainingJobStatus,
  TrainingProgressView,
  TrainingResult,
} from '@slipway/contracts';

/** A training job as the rest of the platform sees it (training_jobs row, its JSON columns parsed). */
export interface TrainingJobEntity {
  id: string;
  name: string;
  status: TrainingJobStatus;
  algorithm: TrainingAlgorithm;
  /** The algorithm's hyper-parameters, defaults filled (HYPERPARAMETER_SCHEMAS[algorithm]). */
  hyperparameters: Record<string, unknown>;
  evaluationPlan: EvaluationPlan;
  seed: number;
  datasetId: string | null;
  /** Name and sha256 of the dataset, while it exists. */
  dataset: { id: string; name: string; sha256: string } | null;
  targetColumn: string | null;
  featureColumns: string[] | null;
  experimentId: string | null;
  runId: string | null;
  registerAs: RegisterAs | null;
  modelVersionId: string | null;
  modelVersion: { model: string; version: number } | null;
  queueJobId: string | null;
  workerId: string | null;
  attempts: number;
  maxAttempts: number;
  attemptHistory: TrainingAttempt[];
  error: string | null;
  progress: TrainingProgressView | null;
  evaluation: TrainingEvaluation | null;
  result: TrainingResult | null;
  cancelRequestedAt: Date | null;
  cancelRequestedBy: string | null;
  createdBy: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  heartbeatAt: Date | null;
}
