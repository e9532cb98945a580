import { wireTime, wireTimeOrNull, type TuningStudyDetail, type TuningStudyView, type TuningTrialView } from '@slipway/contracts';
import type { TrialCounts, TuningStudyEntity, TuningTrialEntity } from '@slipway/db';
import { studyTask } from './study-checks';

const NO_TRIALS: TrialCounts = { queued: 0, running: 0, completed: 0, pruned: 0, failed: 0, total: 0 };

/** A diverged trial's NaN or ±Infinity reads as no value: the view's numbers are plain JSON numbers. */
const finiteOrNull = (value: number | null): number | null => (value !== null && Number.isFinite(value) ? value : null);

export function toTrialView(trial: TuningTrialEntity): TuningTrialView {
  return {
    id: trial.id,
    number: trial.number,
    status: trial.status,
    params: trial.params,
    value: finiteOrNull(trial.value),
    intermediateValues: trial.intermediateValues,
    prunedAtStep: trial.prunedAtStep,
    error: trial.error,
    trainingJobId: trial.trainingJobId,
    runId: trial.runId,
    attempts: trial.attempts,
    createdAt: wireTime(trial.createdAt),
    startedAt: wireTimeOrNull(trial.startedAt),
    finishedAt: wireTimeOrNull(trial.finishedAt),
  };
}

/** The study with its trial counts and its best trial (a COMPLETED one with a finite value, or null). */
export function toStudyView(study: TuningStudyEntity, counts: TrialCounts | undefined, best: TuningTrialEntity | null): TuningStudyView {
  const bestValue = best ? finiteOrNull(best.value) : null;
  return {
    id: study.id,
    name: study.name,
    description: study.description,
    status: study.status,
    algorithm: study.algorithm,
    task: studyTask(study.algorithm, study.fixedHyperparameters, study.searchSpace),
    dataset: study.dataset,
    targetColumn: study.targetColumn,
    featureColumns: study.featureColumns,
    fixedHyperparameters: study.fixedHyperparameters,
    searchSpace: study.searchSpace,
    strategy: study.strategy,
    sampler: study.samplerOptions,
    objective: study.objective,
    evaluationPlan: study.evaluationPlan,
    maxTrials: study.maxTrials,
    parallelism: study.parallelism,
    earlyStopping: study.earlyStopping,
    seed: study.seed,
    maxFailedTrials: study.maxFailedTrials,
    trialMaxAttempts: study.trialMaxAttempts,
    registerBest: study.registerBest,
    experimentId: study.experimentId,
    registeredVersion: study.registeredVersion,
    counts: counts ?? NO_TRIALS,
    best: best && bestValue !== null ? { trialId: best.id, number: best.number, value: bestValue, params: best.params, runId: best.runId } : null,
    error: study.error,
    stopRequestedAt: wireTimeOrNull(study.stopRequestedAt),
    stopRequestedBy: study.stopRequestedBy,
    createdBy: study.createdBy,
    createdAt: wireTime(study.createdAt),
    startedAt: wireTimeOrNull(study.startedAt),
    finishedAt: wireTimeOrNull(study.finishedAt),
  };
}

export function toStudyDetailView(
  study: TuningStudyEntity,
  counts: TrialCounts | undefined,
  best: TuningTrialEntity | null,
  trials: TuningTrialEntity[],
  importance: { param: string; importance: number }[],
): TuningStudyDetail {
  return { ...toStudyView(study, counts, best), trials: trials.map(toTrialView), importance };
}
