import { randomInt, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  ErrorCode,
  SlipwayError,
  tuningStudySchema,
  type CreateStudyRequest,
  type RegisterBestRequest,
  type ResumeStudyRequest,
  type StopStudyRequest,
  type StudyQuery,
  type TuningStudyDetail,
  type TuningStudyList,
  type TuningStudyView,
  type VersionView,
  type WebhookEvent,
} from '@slipway/contracts';
import { UnitOfWork, type Transaction, type TrialCounts, type TuningStudyEntity, type TuningStudyStore, type TuningTrialEntity } from '@slipway/db';
import { bestTrial, gridSize } from '@slipway/ml-tuning';
import { ModelRegistrar } from '@slipway/model-registry';
import { JobQueue, QueueName } from '@slipway/queue';
import { registerBestTrial, trialRecordOf } from '@slipway/tuning-studies';
import type { RequestActor } from '../auth/auth.decorators';
import { inRequestFields } from '../common/request-fields';
import { respondWithin } from '../common/respond-within';
import { JOB_QUEUE } from '../infrastructure/tokens';
import { ModelVersionService } from '../registry/model-version.service';
import { checkDatasetFit } from '../training/dataset-fit';
import { TrainingAlgorithmCatalogue } from '../training/training-algorithms';
import { openTrainingTarget } from '../training/training-job.service';
import { checkObjective, checkSearchSpace, MAX_TRIAL_SEED, studyTask, taskParamsOf } from './study-checks';
import { parameterImportanceOf } from './study-importance';
import { toStudyDetailView, toStudyView } from './tuning.views';

const field = (name: string, message: string) => [{ field: name, message }];
const noStudy = (id: string) => new SlipwayError(ErrorCode.NOT_FOUND, `No study ${id}`, field('params.id', 'no such study'));
const inState = (study: TuningStudyEntity, allowed: string) =>
  new SlipwayError(ErrorCode.CONFLICT, `Study "${study.name}" is ${study.status}; ${allowed}`, field('status', study.status));

/** Experiment names are at most 256 characters; `study/` + a long study name is cut there, never inside a character. */
export function defaultExperimentName(studyName: string): string {
  let name = 'study/';
  for (const char of studyName) {
    if (name.length + char.length > 256) break;
    name += char;
  }
  return name;
}

/** The best COMPLETED trial with a finite value (ties: the lower number), as ml-tuning ranks them. */
function bestAmong(study: TuningStudyEntity, trials: TuningTrialEntity[]): TuningTrialEntity | null {
  const best = bestTrial(trials.map(trialRecordOf), study.objective.direction);
  return best ? (trials.find((t) => t.number === best.number) ?? null) : null;
}

type StudyStores = { studies: TuningStudyStore };

@Injectable()
export class TuningStudyService {
  private readonly logger = new Logger(TuningStudyService.name);

  constructor(
    private readonly db: UnitOfWork,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    private readonly catalogue: TrainingAlgorithmCatalogue,
    private readonly registrar: ModelRegistrar,
    private readonly versions: ModelVersionService,
  ) {}

  /** The scheduler records its best trial; until it has, or when that trial is gone, the trials decide. */
  private async best(stores: StudyStores, study: TuningStudyEntity, counts: TrialCounts | undefined): Promise<TuningTrialEntity | null> {
    if (study.bestTrialId) {
      const recorded = await stores.studies.trial(study.bestTrialId);
      if (recorded && recorded.status === 'COMPLETED') return recorded;
    }
    if (!counts || counts.completed === 0) return null;
    return bestAmong(study, await stores.studies.trials(study.id));
  }

  private async view(stores: StudyStores, study: TuningStudyEntity): Promise<TuningStudyView> {
    const counts = (await stores.studies.counts([study.id])).get(study.id);
    return toStudyView(study, counts, await this.best(stores, study, counts));
  }

  private async detail(study: TuningStudyEntity): Promise<TuningStudyDetail> {
    const studies = this.db.read.studies;
    const [trials, counts] = await Promise.all([studies.trials(study.id), studies.counts([study.id])]);
    const recorded = study.bestTrialId ? trials.find((t) => t.id === study.bestTrialId && t.status === 'COMPLETED') : undefined;
    const best = recorded ?? bestAmong(study, trials);
    return toStudyDetailView(study, counts.get(study.id), best, trials, parameterImportanceOf(study, trials.map(trialRecordOf)));
  }

  /**
   * Checks the study against its algorithm and dataset (every refusal names its field), records it (audited,
   * `tuning_study.created`, and `tuning_study.started` when it starts at once) and answers it; a started study's
   * scheduler message goes after the commit.
   */
  async create(request: CreateStudyRequest, actor: RequestActor): Promise<TuningStudyView> {
    const dataset = await this.db.read.datasets.get(request.datasetId);
    if (!dataset) throw new SlipwayError(ErrorCode.NOT_FOUND, `No dataset ${request.datasetId}`, field('body.datasetId', 'no such dataset'));
    checkSearchSpace(request);
    const { target, features } = checkDatasetFit(
      {
        algorithm: request.algorithm,
        hyperparameters: taskParamsOf(request.algorithm, request.fixedHyperparameters, request.searchSpace),
        targetColumn: request.targetColumn,
        featureColumns: request.featureColumns,
      },
      dataset,
      this.catalogue.get(request.algorithm),
    );
    const task = studyTask(request.algorithm, request.fixedHyperparameters, request.searchSpace);
    checkObjective(
      request,
      task,
      target,
      dataset.profile?.columns.find((c) => c.name === target),
    );
    const id = randomUUID();
    const status = request.start ? 'RUNNING' : 'CREATED';
    const view = await this.db.run(actor, async (tx) => {
      if (await tx.studies.getByName(request.name))
        throw new SlipwayError(ErrorCode.ALREADY_EXISTS, `A study named "${request.name}" already exists`, field('body.name', 'name taken'));
      const experiment = await openTrainingTarget(tx, {
        experiment: request.experiment ?? defaultExperimentName(request.name),
        source: 'tuning study',
        datasetId: dataset.id,
      });
      const study = await tx.studies.create({
        id,
        name: request.name,
        description: request.description ?? null,
        algorithm: request.algorithm,
        datasetId: dataset.id,
        targetColumn: target,
        featureColumns: features,
        fixedHyperparameters: request.fixedHyperparameters,
        searchSpace: request.searchSpace,
        strategy: request.strategy,
        samplerOptions: request.sampler,
        objective: request.objective,
        evaluationPlan: request.evaluationPlan,
        maxTrials: request.maxTrials,
        parallelism: request.parallelism,
        earlyStopping: request.earlyStopping,
        seed: request.seed ?? randomInt(0, MAX_TRIAL_SEED + 1),
        maxFailedTrials: request.maxFailedTrials,
        trialMaxAttempts: request.trialMaxAttempts,
        registerBest: request.registerBest ?? null,
        experimentId: experiment.id,
        status,
        createdBy: actor.name,
      });
      const created = toStudyView(study, undefined, null);
      await tx.record({
        action: 'tuning_study.create',
        entity: { type: 'tuning_study', id },
        after: summaryOf(created),
        event: { name: 'tuning_study.created', data: summaryOf(created) },
      });
      if (status === 'RUNNING')
        await tx.record({
          action: 'tuning_study.start',
          entity: { type: 'tuning_study', id },
          after: summaryOf(created),
          event: { name: 'tuning_study.started', data: summaryOf(created) },
        });
      await respondWithin(tx, tuningStudySchema, created);
      return created;
    });
    if (status === 'RUNNING') await this.advance(id);
    return view;
  }

  /** Wakes the study's scheduler. A send that fails after the commit is not lost work: the workers' sweep advances every RUNNING or STOPPING study. */
  private async advance(id: string): Promise<void> {
    try {
      // null: a pass for this study is already waiting (the queue keeps one per study), and it reads the state as committed now.
      await this.queue.trySend(QueueName.TuningStudy, { studyId: id });
    } catch (error) {
      this.logger.warn(`could not queue tuning study ${id} (the workers' sweep will advance it): ${(error as Error).message}`);
    }
  }

  async list(query: StudyQuery): Promise<TuningStudyList> {
    const page = await inRequestFields({ cursor: 'query.cursor' }, () => this.db.read.studies.list(query));
    const counts = await this.db.read.studies.counts(page.studies.map((s) => s.id));
    const views = await Promise.all(
      page.studies.map(async (study) => toStudyView(study, counts.get(study.id), await this.best(this.db.read, study, counts.get(study.id)))),
    );
    return { studies: views, nextCursor: page.nextCursor };
  }

  async get(id: string): Promise<TuningStudyDetail> {
    const study = await this.db.read.studies.get(id);
    if (!study) throw noStudy(id);
    return this.detail(study);
  }

  async getByName(name: string): Promise<TuningStudyDetail> {
    const study = await this.db.read.studies.getByName(name);
    if (!study) throw new SlipwayError(ErrorCode.NOT_FOUND, `No study named "${name}"`, field('params.name', 'no such study'));
    return this.detail(study);
  }

  /** One state change under the study's row lock: audited with its event, answered within the transaction, then the scheduler woken. */
  private async change(
    id: string,
    actor: RequestActor,
    action: string,
    decide: (
      tx: Transaction,
      study: TuningStudyEntity,
      counts: TrialCounts | undefined,
    ) => Promise<{ after: TuningStudyEntity; event: WebhookEvent; note?: Record<string, unknown> }>,
  ): Promise<TuningStudyView> {
    const view = await this.db.run(actor, async (tx) => {
      const study = await tx.studies.lock(id);
      if (!study) throw noStudy(id);
      const counts = (await tx.studies.counts([id])).get(id);
      const before = toStudyView(study, counts, null);
      const { after, event, note } = await decide(tx, study, counts);
      const answer = await this.view(tx, after);
      await tx.record({
        action,
        entity: { type: 'tuning_study', id },
        before: summaryOf(before),
        after: { ...summaryOf(answer), ...note },
        event: { name: event, data: { ...summaryOf(answer), ...note } },
      });
      await respondWithin(tx, tuningStudySchema, answer, { status: 200 });
      return answer;
    });
    await this.advance(id);
    return view;
  }

  /** CREATED → RUNNING, optionally with a new budget. */
  start(id: string, request: ResumeStudyRequest, actor: RequestActor): Promise<TuningStudyView> {
    return this.change(id, actor, 'tuning_study.start', async (tx, study) => {
      if (study.status !== 'CREATED') throw inState(study, 'only a CREATED study can be started (an ended one is resumed: POST …/resume)');
      const after = await tx.studies.update(id, { status: 'RUNNING', startedAt: new Date(), ...budgetOf(request) });
      return { after, event: 'tuning_study.started' };
    });
  }

  /**
   * RUNNING → STOPPING: the scheduler cancels the queued trials, signals the running ones and ends the study
   * STOPPED. A CREATED study has nothing running and is STOPPED at once. Anything else: 409.
   */
  stop(id: string, request: StopStudyRequest, actor: RequestActor): Promise<TuningStudyView> {
    return this.change(id, actor, 'tuning_study.stop', async (tx, study) => {
      const now = new Date();
      const reason = request.reason ?? `stopped by ${actor.name}`;
      if (study.status === 'CREATED') {
        const after = await tx.studies.update(id, { status: 'STOPPED', finishedAt: now, stopRequestedAt: now, stopRequestedBy: actor.name, error: reason });
        return { after, event: 'tuning_study.stopped', note: { reason } };
      }
      if (study.status !== 'RUNNING') throw inState(study, 'only a RUNNING (or CREATED) study can be stopped');
      const after = await tx.studies.update(id, { status: 'STOPPING', stopRequestedAt: now, stopRequestedBy: actor.name, error: reason });
      return { after, event: 'tuning_study.stop_requested', note: { reason } };
    });
  }

  /**
   * STOPPED, FAILED or COMPLETED → RUNNING. A COMPLETED study resumes only with a higher maxTrials (and a grid
   * only while points are left); one that FAILED on too many failed trials only with a maxFailedTrials that its
   * failures no longer exceed. The new budget may not be below the trials the study already has.
   */
  resume(id: string, request: ResumeStudyRequest, actor: RequestActor): Promise<TuningStudyView> {
    return this.change(id, actor, 'tuning_study.resume', async (tx, study, counts) => {
      if (study.status !== 'STOPPED' && study.status !== 'FAILED' && study.status !== 'COMPLETED')
        throw inState(study, 'only a STOPPED, FAILED or COMPLETED study can be resumed');
      const total = counts?.total ?? 0;
      const failed = counts?.failed ?? 0;
      if (request.maxTrials !== undefined && request.maxTrials < total)
        throw new SlipwayError(
          ErrorCode.INVALID_ARGUMENT,
          `Study "${study.name}" already has ${total} trials; maxTrials cannot be below that`,
          field('body.maxTrials', `at least ${total}`),
        );
      const maxTrials = request.maxTrials ?? study.maxTrials;
      if (study.status === 'COMPLETED') {
        if (study.strategy === 'grid' && total >= gridSize(study.searchSpace))
          throw new SlipwayError(ErrorCode.CONFLICT, `Study "${study.name}" has tried every point of its grid (${total}); there is nothing left to search`, [
            { field: 'status', message: 'grid exhausted' },
          ]);
        if (maxTrials <= study.maxTrials || maxTrials <= total)
          throw new SlipwayError(
            ErrorCode.CONFLICT,
            `Study "${study.name}" COMPLETED its ${study.maxTrials} trials; resume it with a higher maxTrials (above ${Math.max(study.maxTrials, total)})`,
            field('body.maxTrials', `raise it above ${Math.max(study.maxTrials, total)}`),
          );
      }
      const maxFailedTrials = request.maxFailedTrials ?? study.maxFailedTrials;
      if (failed > maxFailedTrials)
        throw new SlipwayError(
          study.status === 'FAILED' && request.maxFailedTrials === undefined ? ErrorCode.CONFLICT : ErrorCode.INVALID_ARGUMENT,
          `Study "${study.name}" has ${failed} failed trials, more than maxFailedTrials ${maxFailedTrials}: resume it with maxFailedTrials of at least ${failed}`,
          field('body.maxFailedTrials', `raise it to at least ${failed}`),
        );
      const after = await tx.studies.update(id, {
        status: 'RUNNING',
        maxTrials,
        maxFailedTrials,
        error: null,
        finishedAt: null,
        stopRequestedAt: null,
        stopRequestedBy: null,
        startedAt: new Date(),
      });
      return { after, event: 'tuning_study.started', note: { resumedFrom: study.status } };
    });
  }

  /**
   * Registers the best COMPLETED trial's model (libs/tuning-studies, which the workers use when a study with
   * registerBest completes): once per study; the same model again answers that version, another model is a 409.
   */
  async registerBest(id: string, request: RegisterBestRequest, actor: RequestActor): Promise<VersionView> {
    const registered = await registerBestTrial(this.db, this.registrar, actor, id, request);
    return this.versions.get(registered.version.modelName, registered.version.version);
  }
}

function budgetOf(request: ResumeStudyRequest): { maxTrials?: number; maxFailedTrials?: number } {
  return {
    ...(request.maxTrials !== undefined ? { maxTrials: request.maxTrials } : {}),
    ...(request.maxFailedTrials !== undefined ? { maxFailedTrials: request.maxFailedTrials } : {}),
  };
}

/** What the audit log and webhooks say about a study (not its space or trials). */
function summaryOf(view: TuningStudyView) {
  return {
    id: view.id,
    name: view.name,
    status: view.status,
    algorithm: view.algorithm,
    datasetId: view.dataset?.id ?? null,
    strategy: view.strategy,
    objective: view.objective,
    maxTrials: view.maxTrials,
    maxFailedTrials: view.maxFailedTrials,
    experimentId: view.experimentId,
    counts: view.counts,
    best: view.best ? { number: view.best.number, value: view.best.value } : null,
  };
}
