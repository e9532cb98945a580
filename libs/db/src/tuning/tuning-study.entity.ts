import type {
  EvaluationPlan,
  IntermediateValues,
  RegisterAs,
  SearchSpace,
  TpeSamplerOptions,
  TrainingAlgorithm,
  TrialParams,
  TuningEarlyStopping,
  TuningObjective,
  TuningStrategyName,
  TuningStudyStatus,
  TuningTrialStatus,
  ChoiceValue,
} from '@slipway/contracts';

/** A tuning study as the rest of the platform sees it (tuning_studies row, its JSON columns parsed). */
export interface TuningStudyEntity {
  id: string;
  name: string;
  description: string | null;
  status: TuningStudyStatus;
  algorithm: TrainingAlgorithm;
  datasetId: string | null;
  /** Name of the dataset, while it exists. */
  dataset: { id: string; name: string } | null;
  targetColumn: string | null;
  featureColumns: string[] | null;
  fixedHyperparameters: Record<string, ChoiceValue>;
  searchSpace: SearchSpace;
  strategy: TuningStrategyName;
  samplerOptions: TpeSamplerOptions;
  objective: TuningObjective;
  evaluationPlan: EvaluationPlan;
  maxTrials: number;
  parallelism: number;
  earlyStopping: TuningEarlyStopping | null;
  seed: number;
  maxFailedTrials: number;
  trialMaxAttempts: number;
  registerBest: RegisterAs | null;
  registeredVersionId: string | null;
  registeredVersion: { model: string; version: number } | null;
  bestTrialId: string | null;
  experimentId: string | null;
  error: string | null;
  stopRequestedAt: Date | null;
  stopRequestedBy: string | null;
  createdBy: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  updatedAt: Date;
}

/** One trial of a study (tuning_trials row): the parameters it drew and how its training job went. */
export interface TuningTrialEntity {
  id: string;
  studyId: string;
  number: number;
  params: TrialParams;
  status: TuningTrialStatus;
  /** COMPLETED: the objective; PRUNED: the last intermediate value. */
  value: number | null;
  intermediateValues: IntermediateValues;
  prunedAtStep: number | null;
  runId: string | null;
  trainingJobId: string | null;
  attempts: number;
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** How many trials a study has in each state. */
export interface TrialCounts {
  queued: number;
  running: number;
  completed: number;
  pruned: number;
  failed: number;
  total: number;
}
