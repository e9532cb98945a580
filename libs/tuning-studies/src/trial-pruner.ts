import type { ChangeContext, TuningStudyEntity, TuningTrialEntity, UnitOfWork } from '@slipway/db';
import type { TrainingProgress } from '@slipway/ml-algorithms';
import { shouldPrune, type Direction } from '@slipway/ml-tuning';
import { actorForStudy, trialRecordOf } from './study-records';

/** One intermediate value of a trial: what the early-stopping rule compares across trials at the same step. */
export interface IntermediatePoint {
  step: number;
  value: number;
  direction: Direction;
}

/**
 * How a training attempt's progress becomes a trial's intermediate values (the pruning mapping):
 * - k-fold plan: each `fold` event; step = the fold's number (1..k), value = the running mean over the folds so
 *   far of the objective's metric (`meanSoFar[objective.metric]`), compared in the objective's direction;
 * - split plan (a network's epochs of its one fit, `fold` null): each `epoch` event; step = the epoch, value =
 *   `val_loss` (the training `loss` when there is no validation split), always minimised;
 * - anything else (a split-plan CART or k-means: no intermediate events; a network's epochs inside k-fold folds)
 *   reports nothing, so such trials are never pruned. Non-finite values are not reported (a diverged epoch).
 */
export function intermediatePointOf(study: Pick<TuningStudyEntity, 'evaluationPlan' | 'objective'>, event: TrainingProgress): IntermediatePoint | null {
  if (study.evaluationPlan.kind === 'kfold') {
    if (event.kind !== 'fold') return null;
    const value = event.meanSoFar[study.objective.metric];
    return typeof value === 'number' && Number.isFinite(value) ? { step: event.fold, value, direction: study.objective.direction } : null;
  }
  if (event.kind !== 'epoch' || event.fold !== null) return null;
  const value = event.metrics['val_loss'] ?? event.metrics['loss'];
  return typeof value === 'number' && Number.isFinite(value) ? { step: event.epoch, value, direction: 'minimize' } : null;
}

export interface PruneVerdict {
  step: number;
  value: number;
  reason: string;
}

/**
 * The early-stopping side of one trial's training attempt. `report` is awaited by train() between folds and
 * epochs, so a decision to prune takes effect before the next one starts: it appends the point
 * (TuningStudyStore.appendIntermediate: never twice for a step, nothing once the trial ended), judges the trial
 * against the study's other trials with the study's rule, and on a prune writes the step and the reason on the
 * trial (audited) for the scheduler, which makes the trial PRUNED once its job ends CANCELLED.
 */
export class TrialPruner {
  private verdict: PruneVerdict | null = null;

  private constructor(
    private readonly uow: UnitOfWork,
    private readonly study: TuningStudyEntity,
    private readonly trial: TuningTrialEntity,
    private readonly actor: ChangeContext,
  ) {}

  /** The pruner of a training job that is a trial of a study with early stopping; null otherwise. */
  static async forJob(uow: UnitOfWork, trainingJobId: string): Promise<TrialPruner | null> {
    const trial = await uow.read.studies.trialOfJob(trainingJobId);
    if (!trial) return null;
    const study = await uow.read.studies.get(trial.studyId);
    if (!study?.earlyStopping) return null;
    return new TrialPruner(uow, study, trial, actorForStudy(study));
  }

  get pruned(): PruneVerdict | null {
    return this.verdict;
  }

  async report(event: TrainingProgress): Promise<PruneVerdict | null> {
    const rule = this.study.earlyStopping;
    const point = intermediatePointOf(this.study, event);
    if (!rule || !point || this.verdict) return null;
    const trial = await this.uow.read.studies.appendIntermediate(this.trial.id, { step: point.step, value: point.value });
    if (!trial || trial.prunedAtStep !== null) return null;
    const history = (await this.uow.read.studies.trials(this.study.id)).filter((t) => t.id !== trial.id).map(trialRecordOf);
    const decision = shouldPrune({ rule, direction: point.direction, trial: trialRecordOf(trial), history });
    if (!decision.prune) return null;
    const verdict = { step: point.step, value: point.value, reason: decision.reason };
    const marked = await this.uow.run(this.actor, async (tx) => {
      const current = await tx.studies.trial(trial.id);
      if (!current || (current.status !== 'QUEUED' && current.status !== 'RUNNING') || current.prunedAtStep !== null) return false;
      await tx.studies.updateTrial(trial.id, { prunedAtStep: verdict.step, error: verdict.reason.slice(0, 2000) });
      await tx.record({
        action: 'tuning_trial.prune_request',
        entity: { type: 'tuning_trial', id: trial.id },
        after: { studyId: this.study.id, number: trial.number, step: verdict.step, value: verdict.value, reason: verdict.reason },
      });
      return true;
    });
    if (!marked) return null;
    this.verdict = verdict;
    return verdict;
  }
}
