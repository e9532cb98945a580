import { randomUUID } from 'node:crypto';
import { HYPERPARAMETER_SCHEMAS, type RegisterAs, type TuningStudyStatus } from '@slipway/contracts';
import type { TrainingJobEntity, Transaction, TuningStudyEntity, TuningTrialEntity, UnitOfWork } from '@slipway/db';
import { bestTrial, GridExhaustedError, gridExhausted, suggest, TuningSpaceError, type SamplerConfig, type TrialRecord } from '@slipway/ml-tuning';
import { JobQueue, QueueName } from '@slipway/queue';
import { actorForStudy, CANCELLED_NOTE, isCancelledTrial, isOpenTrial, jobSummary, studyEventData, trialEventData, trialRecordOf } from './study-records';

const MAX_NOTE = 2000;
const note = (text: string) => (text.length <= MAX_NOTE ? text : `${text.slice(0, MAX_NOTE - 1)}…`);

export interface AdvanceResult {
  studyId: string;
  /** The study's status after this pass (null: no such study). */
  status: TuningStudyStatus | null;
  /** tryLock found the study being advanced by someone else: nothing was done (that pass covers it). */
  skipped: boolean;
  /** Training jobs this pass created, to send to the training queue after commit. */
  enqueue: string[];
  /** Queue message ids of QUEUED jobs this pass cancelled (best effort: their handler finds the job ended anyway). */
  cancelledMessages: string[];
  /** Trials that ended this pass, by number. */
  ended: number[];
  /** The study COMPLETED in this pass (or earlier) with registerBest and nothing registered yet: register its best trial now. */
  registerBest: RegisterAs | null;
}

export interface SchedulerLogger {
  warn(message: string): unknown;
}

export interface AdvanceOptions {
  /** Skip (answer `skipped`) when another transaction holds the study's row: the sweep's way of not queueing behind a pass. */
  skipLocked?: boolean;
}

/**
 * Moves one study forward, in one unit of work with its row locked, so concurrent passes (every worker advances
 * studies: queue messages, the sweep, each trial's end) apply one after another and read each other's trials:
 * (a) reconcile each open trial with its training job; (b) decide the study (stop, fail, complete); (c) fill it up
 * to `parallelism` open trials without ever passing `maxTrials`. The trials are counted and created only under
 * the lock, which is what bounds them. Sending the new jobs' messages happens after commit (`dispatch`); a send
 * that fails leaves the job QUEUED without a message, and the training relay sweep sends it.
 */
export class StudyScheduler {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly logger: SchedulerLogger = { warn: () => undefined },
  ) {}

  async advance(studyId: string, options: AdvanceOptions = {}): Promise<AdvanceResult> {
    const result: AdvanceResult = { studyId, status: null, skipped: false, enqueue: [], cancelledMessages: [], ended: [], registerBest: null };
    const peek = await this.uow.read.studies.get(studyId);
    if (!peek) return result;
    return this.uow.run(actorForStudy(peek), async (tx) => {
      const study = options.skipLocked ? await tx.studies.tryLock(studyId) : await tx.studies.lock(studyId);
      if (!study) return { ...result, skipped: options.skipLocked === true, status: options.skipLocked ? peek.status : null };
      const pass = new StudyPass(tx, study, result);
      await pass.run();
      return result;
    });
  }

  /** Sends the training messages of the jobs a pass created (and cancels the messages of the ones it cancelled). */
  async dispatch(queue: JobQueue, result: AdvanceResult): Promise<void> {
    for (const trainingJobId of result.enqueue) {
      try {
        const messageId = await queue.send(QueueName.Training, { trainingJobId }, { singletonKey: trainingJobId });
        await this.uow.read.trainingJobs.setQueueJobId(trainingJobId, messageId);
      } catch (error) {
        this.logger.warn(`study ${result.studyId}: could not queue trial job ${trainingJobId} (the training relay will): ${(error as Error).message}`);
      }
    }
    for (const messageId of result.cancelledMessages) await queue.cancel(QueueName.Training, messageId).catch(() => undefined);
  }
}

/** One advance() pass over a locked study: its state as read under the lock, changed step by step. */
class StudyPass {
  private trials: TuningTrialEntity[] = [];

  constructor(
    private readonly tx: Transaction,
    private study: TuningStudyEntity,
    private readonly result: AdvanceResult,
  ) {}

  async run(): Promise<void> {
    this.trials = await this.tx.studies.trials(this.study.id);
    await this.reconcile();
    await this.updateBest();
    await this.decide();
    this.result.status = this.study.status;
    if (this.study.status === 'COMPLETED' && this.study.registerBest && !this.study.registeredVersionId && this.study.bestTrialId)
      this.result.registerBest = this.study.registerBest;
  }

  private get open() {
    return this.trials.filter(isOpenTrial);
  }

  private get failures() {
    return this.trials.filter((t) => t.status === 'FAILED' && !isCancelledTrial(t)).length;
  }

  private replace(trial: TuningTrialEntity) {
    this.trials = this.trials.map((t) => (t.id === trial.id ? trial : t));
  }

  // (a) ---------------------------------------------------------------------------------------------------------

  private async reconcile(): Promise<void> {
    for (const trial of this.open) {
      const job = trial.trainingJobId ? await this.tx.trainingJobs.get(trial.trainingJobId) : null;
      if (!job) {
        await this.endTrial(trial, { status: 'FAILED', error: 'its training job no longer exists' });
        continue;
      }
      const seen = { runId: job.runId, attempts: job.attempts };
      switch (job.status) {
        case 'QUEUED':
          // A RUNNING trial whose job went back to QUEUED is between attempts (a worker died): still running as a trial.
          if (job.attempts !== trial.attempts || job.runId !== trial.runId) this.replace(await this.tx.studies.updateTrial(trial.id, seen));
          break;
        case 'RUNNING':
          if (trial.status !== 'RUNNING' || job.attempts !== trial.attempts || job.runId !== trial.runId)
            this.replace(await this.tx.studies.updateTrial(trial.id, { ...seen, status: 'RUNNING', startedAt: job.startedAt ?? new Date() }));
          break;
        case 'SUCCEEDED':
          await this.endSucceeded(trial, job);
          break;
        case 'FAILED':
          await this.endTrial(trial, { status: 'FAILED', error: job.error ?? 'the training job failed', job });
          break;
        case 'CANCELLED': {
          if (trial.prunedAtStep !== null) {
            const last = trial.intermediateValues[trial.intermediateValues.length - 1];
            await this.endTrial(trial, { status: 'PRUNED', value: last?.value ?? null, error: trial.error ?? job.error, job });
          } else {
            const why = job.error && !job.error.startsWith(CANCELLED_NOTE) ? `: ${job.error}` : '';
            await this.endTrial(trial, { status: 'FAILED', error: note(`${CANCELLED_NOTE}${why}`), job });
          }
          break;
        }
      }
    }
  }

  private async endSucceeded(trial: TuningTrialEntity, job: TrainingJobEntity): Promise<void> {
    const { metric } = this.study.objective;
    const metrics = job.evaluation?.metrics ?? {};
    const value = metrics[metric];
    if (typeof value === 'number' && Number.isFinite(value)) return this.endTrial(trial, { status: 'COMPLETED', value, error: null, job });
    const available = Object.keys(metrics).sort();
    const error =
      value === undefined
        ? `the evaluation has no metric "${metric}" (it has ${available.length ? available.join(', ') : 'none'})`
        : `the objective "${metric}" is ${String(value)}, not a finite number`;
    await this.endTrial(trial, { status: 'FAILED', error: note(error), job });
  }

  private async endTrial(
    trial: TuningTrialEntity,
    outcome: { status: 'COMPLETED' | 'PRUNED' | 'FAILED'; value?: number | null; error: string | null; job?: TrainingJobEntity },
  ): Promise<void> {
    const { job } = outcome;
    const ended = await this.tx.studies.updateTrial(trial.id, {
      status: outcome.status,
      value: outcome.value ?? null,
      error: outcome.error,
      ...(job && { runId: job.runId, attempts: job.attempts, startedAt: job.startedAt ?? undefined }),
      finishedAt: job?.finishedAt ?? new Date(),
    });
    this.replace(ended);
    this.result.ended.push(ended.number);
    const action = { COMPLETED: 'complete', PRUNED: 'prune', FAILED: 'fail' }[outcome.status];
    const event = { COMPLETED: 'tuning_trial.completed', PRUNED: 'tuning_trial.pruned', FAILED: 'tuning_trial.failed' } as const;
    const data = trialEventData(this.study, ended);
    await this.tx.record({
      action: `tuning_trial.${action}`,
      entity: { type: 'tuning_trial', id: ended.id },
      before: { status: trial.status, attempts: trial.attempts },
      after: data,
      event: { name: event[outcome.status], data },
    });
  }

  private records(): TrialRecord[] {
    return this.trials.map(trialRecordOf);
  }

  private async updateBest(): Promise<void> {
    const best = bestTrial(this.records(), this.study.objective.direction);
    const id = best ? (this.trials.find((t) => t.number === best.number)?.id ?? null) : null;
    if (id !== this.study.bestTrialId) this.study = await this.tx.studies.update(this.study.id, { bestTrialId: id });
  }

  // (b) ---------------------------------------------------------------------------------------------------------

  private async decide(): Promise<void> {
    const study = this.study;
    if (study.status === 'STOPPING') return this.windDown('STOPPED', study.error);
    if (study.status !== 'RUNNING') return;
    if (await this.failIfTooMany()) return;
    if (this.budgetSpent() && this.open.length === 0) return this.complete();
    await this.fill();
    if (await this.failIfTooMany()) return;
    if (this.budgetSpent() && this.open.length === 0) await this.complete();
  }

  private async failIfTooMany(): Promise<boolean> {
    const failures = this.failures;
    if (failures <= this.study.maxFailedTrials) return false;
    await this.windDown('FAILED', `${failures} ${failures === 1 ? 'trial' : 'trials'} failed, more than maxFailedTrials (${this.study.maxFailedTrials})`);
    return true;
  }

  private gridDone(): boolean {
    return this.study.strategy === 'grid' && gridExhausted(this.study.searchSpace, this.records());
  }

  private budgetSpent(): boolean {
    return this.trials.length >= this.study.maxTrials || this.gridDone();
  }

  /**
   * STOPPING → STOPPED, or RUNNING → FAILED: every open trial's job is cancelled (a QUEUED one at once, its trial
   * ended here; a RUNNING one asked to stop, its trial ended by the pass after its job ends). FAILED is final at
   * once (nothing new starts); STOPPED waits until no trial is open, so a resume never races a trial still running.
   */
  private async windDown(target: 'STOPPED' | 'FAILED', error: string | null): Promise<void> {
    const by = this.study.stopRequestedBy ?? actorForStudy(this.study).name;
    const reason = target === 'STOPPED' ? `study ${this.study.name} stopped` : `study ${this.study.name} failed`;
    for (const trial of this.open) {
      const job = trial.trainingJobId ? await this.tx.trainingJobs.lock(trial.trainingJobId) : null;
      if (!job) continue;
      const now = new Date();
      if (job.status === 'QUEUED') {
        const after = await this.tx.trainingJobs.endWithoutAttempt(job.id, { status: 'CANCELLED', error: `${CANCELLED_NOTE}: ${reason}`, at: now, by });
        if (job.queueJobId) this.result.cancelledMessages.push(job.queueJobId);
        await this.tx.record({
          action: 'training_job.cancel',
          entity: { type: 'training_job', id: job.id },
          before: jobSummary(job),
          after: { ...jobSummary(after), reason },
          event: { name: 'training_job.cancelled', data: { ...jobSummary(after), reason } },
        });
        await this.endTrial(trial, { status: 'FAILED', error: note(`${CANCELLED_NOTE}: ${reason}`), job: after });
      } else if (job.status === 'RUNNING' && !job.cancelRequestedAt) {
        const after = await this.tx.trainingJobs.requestCancel(job.id, by, now);
        await this.tx.record({
          action: 'training_job.cancel',
          entity: { type: 'training_job', id: job.id },
          before: jobSummary(job),
          after: { ...jobSummary(after), reason },
          event: { name: 'training_job.cancel_requested', data: { ...jobSummary(after), reason } },
        });
      }
    }
    if (target === 'STOPPED' && this.open.length > 0) return;
    const before = this.study;
    this.study = await this.tx.studies.update(before.id, { status: target, error, finishedAt: new Date() });
    await this.tx.record({
      action: target === 'STOPPED' ? 'tuning_study.stop' : 'tuning_study.fail',
      entity: { type: 'tuning_study', id: before.id },
      before: { status: before.status },
      after: { status: target, error, counts: this.counts() },
      event: {
        name: target === 'STOPPED' ? 'tuning_study.stopped' : 'tuning_study.failed',
        data: studyEventData(this.study, { error, counts: this.counts() }),
      },
    });
  }

  private async complete(): Promise<void> {
    const best = this.study.bestTrialId ? this.trials.find((t) => t.id === this.study.bestTrialId) : undefined;
    const before = this.study;
    this.study = await this.tx.studies.update(before.id, { status: 'COMPLETED', finishedAt: new Date() });
    const summary = {
      counts: this.counts(),
      best: best ? { trialId: best.id, number: best.number, value: best.value, params: best.params, runId: best.runId } : null,
    };
    await this.tx.record({
      action: 'tuning_study.complete',
      entity: { type: 'tuning_study', id: before.id },
      before: { status: before.status },
      after: { status: 'COMPLETED', ...summary },
      event: { name: 'tuning_study.completed', data: studyEventData(this.study, summary) },
    });
  }

  private counts() {
    const count = (status: TuningTrialEntity['status']) => this.trials.filter((t) => t.status === status).length;
    return {
      queued: count('QUEUED'),
      running: count('RUNNING'),
      completed: count('COMPLETED'),
      pruned: count('PRUNED'),
      failed: count('FAILED'),
      total: this.trials.length,
    };
  }

  // (c) ---------------------------------------------------------------------------------------------------------

  private sampler(): SamplerConfig {
    if (this.study.strategy !== 'tpe') return { kind: this.study.strategy };
    const options = this.study.samplerOptions;
    return { kind: 'tpe', ...options };
  }

  private async fill(): Promise<void> {
    const study = this.study;
    while (this.open.length < study.parallelism && this.trials.length < study.maxTrials && this.failures <= study.maxFailedTrials) {
      const number = this.trials.reduce((max, t) => Math.max(max, t.number + 1), 0);
      let params: Record<string, string | number | boolean | null>;
      try {
        params = suggest({
          space: study.searchSpace,
          history: this.records(),
          direction: study.objective.direction,
          seed: study.seed,
          number,
          sampler: this.sampler(),
        });
      } catch (error) {
        if (error instanceof GridExhaustedError) return;
        if (error instanceof TuningSpaceError) return this.windDown('FAILED', note(`the search space cannot be sampled: ${error.message}`));
        throw error;
      }
      const checked = HYPERPARAMETER_SCHEMAS[study.algorithm].safeParse({ ...study.fixedHyperparameters, ...params });
      if (!checked.success) {
        await this.refusedTrial(number, params, checked.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
        continue;
      }
      if (!(await this.startTrial(number, params, checked.data as Record<string, unknown>))) return;
    }
  }

  /** Parameters the algorithm refuses: the trial exists (it used a number and a point) but FAILED at once, without a job. */
  private async refusedTrial(number: number, params: TuningTrialEntity['params'], reason: string): Promise<void> {
    const id = randomUUID();
    const trial = await this.tx.studies.createTrial({ id, studyId: this.study.id, number, params, trainingJobId: null });
    this.trials = [...this.trials, trial];
    await this.endTrial(trial, { status: 'FAILED', error: note(`the ${this.study.algorithm} hyper-parameters were refused: ${reason}`) });
  }

  /** The trial's training job (audited, `training_job.queued`) and the trial. False when the study cannot go on (it is FAILED then). */
  private async startTrial(number: number, params: TuningTrialEntity['params'], hyperparameters: Record<string, unknown>): Promise<boolean> {
    const study = this.study;
    const dataset = study.datasetId ? await this.tx.datasets.lock(study.datasetId) : null;
    if (!dataset) {
      await this.windDown('FAILED', 'the dataset was deleted');
      return false;
    }
    let experimentId = study.experimentId;
    if (!experimentId) {
      const experiment = await this.tx.experiments.getOrCreateByName(`study/${study.name}`);
      if (experiment.created)
        await this.tx.record({
          action: 'experiment.create',
          entity: { type: 'experiment', id: experiment.entity.id },
          after: { name: experiment.entity.name, source: `tuning study ${study.id}` },
        });
      experimentId = experiment.entity.id;
    }
    const jobId = randomUUID();
    const job = await this.tx.trainingJobs.create({
      id: jobId,
      name: `${study.name} #${number}`.slice(0, 256),
      algorithm: study.algorithm,
      hyperparameters,
      evaluationPlan: study.evaluationPlan,
      // One seed for every trial: the same folds (and tie-breaks), so trials differ only in their parameters.
      seed: study.seed,
      datasetId: dataset.id,
      targetColumn: study.targetColumn,
      featureColumns: study.featureColumns,
      experimentId,
      registerAs: null,
      maxAttempts: study.trialMaxAttempts,
      createdBy: actorForStudy(study).name,
    });
    const summary = { ...jobSummary(job), studyId: study.id, trial: number };
    await this.tx.record({
      action: 'training_job.create',
      entity: { type: 'training_job', id: jobId },
      after: summary,
      event: { name: 'training_job.queued', data: summary },
    });
    const trial = await this.tx.studies.createTrial({ id: randomUUID(), studyId: study.id, number, params, trainingJobId: jobId });
    await this.tx.record({
      action: 'tuning_trial.create',
      entity: { type: 'tuning_trial', id: trial.id },
      after: { studyId: study.id, number, params, trainingJobId: jobId },
    });
    this.trials = [...this.trials, trial];
    this.result.enqueue.push(jobId);
    return true;
  }
}
