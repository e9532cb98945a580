import type { ChangeContext, TrainingJobEntity, TuningStudyEntity, TuningTrialEntity } from '@slipway/db';
import type { TrialRecord, TrialState } from '@slipway/ml-tuning';

/** Run tags every trial's runs carry, so a run (and a version registered from it) names its study and trial. */
export const TUNING_TAGS = {
  study: 'slipway.study',
  studyName: 'slipway.study.name',
  trial: 'slipway.trial',
  /** On a pruned trial's run (KILLED): the rule's reason. */
  pruned: 'slipway.tuning.pruned',
} as const;

/**
 * The study's creator acts (their name on every audit entry, job and run the scheduler makes); the request id
 * names the study, as `training-job:<id>` names a job (at most 64 characters: 13 + a UUID).
 */
export function actorForStudy(study: Pick<TuningStudyEntity, 'id' | 'createdBy'>): ChangeContext {
  return { tokenId: null, name: study.createdBy ?? 'system', requestId: `tuning-study:${study.id}` };
}

export function trialRunTags(study: Pick<TuningStudyEntity, 'id' | 'name'>, trial: Pick<TuningTrialEntity, 'number'>): Record<string, string> {
  return { [TUNING_TAGS.study]: study.id, [TUNING_TAGS.studyName]: study.name.slice(0, 500), [TUNING_TAGS.trial]: String(trial.number) };
}

/**
 * A FAILED trial's note when its job was cancelled rather than failing (a stop, or a study that failed and
 * cancelled the rest): such trials say nothing about the search space, so they never count towards
 * maxFailedTrials — a stopped study resumes without being failed by its own stop.
 */
export const CANCELLED_NOTE = 'cancelled';
export const isCancelledTrial = (trial: Pick<TuningTrialEntity, 'status' | 'error'>) =>
  trial.status === 'FAILED' && (trial.error ?? '').startsWith(CANCELLED_NOTE);

export const isOpenTrial = (trial: Pick<TuningTrialEntity, 'status'>) => trial.status === 'QUEUED' || trial.status === 'RUNNING';

const STATE_OF: Record<TuningTrialEntity['status'], TrialState> = {
  QUEUED: 'RUNNING',
  RUNNING: 'RUNNING',
  COMPLETED: 'COMPLETE',
  PRUNED: 'PRUNED',
  FAILED: 'FAILED',
};

/** A trial as @slipway/ml-tuning reads its history: queued and running both RUNNING (so TPE's constant liar counts them). */
export function trialRecordOf(trial: TuningTrialEntity): TrialRecord {
  return { number: trial.number, params: trial.params, state: STATE_OF[trial.status], value: trial.value, intermediate: trial.intermediateValues };
}

/** What tuning_trial.* events and audit entries say about a trial. */
export function trialEventData(study: Pick<TuningStudyEntity, 'id' | 'name'>, trial: TuningTrialEntity): Record<string, unknown> {
  return {
    studyId: study.id,
    studyName: study.name,
    trialId: trial.id,
    number: trial.number,
    status: trial.status,
    params: trial.params,
    value: trial.value !== null && Number.isFinite(trial.value) ? trial.value : null,
    runId: trial.runId,
    trainingJobId: trial.trainingJobId,
    attempts: trial.attempts,
    prunedAtStep: trial.prunedAtStep,
    error: trial.error,
  };
}

/** What tuning_study.* events say about a study. */
export function studyEventData(study: TuningStudyEntity, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: study.id,
    name: study.name,
    status: study.status,
    algorithm: study.algorithm,
    datasetId: study.datasetId,
    objective: study.objective,
    maxTrials: study.maxTrials,
    experimentId: study.experimentId,
    ...extra,
  };
}

/** A training_job.* event's data, the shape the API's and the workers' job events have. */
export function jobSummary(job: TrainingJobEntity): Record<string, unknown> {
  return {
    id: job.id,
    name: job.name,
    status: job.status,
    algorithm: job.algorithm,
    datasetId: job.datasetId,
    targetColumn: job.targetColumn,
    experimentId: job.experimentId,
    registerAs: job.registerAs,
    attempts: job.attempts,
  };
}
