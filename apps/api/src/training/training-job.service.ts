import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  ErrorCode,
  SlipwayError,
  trainingJobSchema,
  versionEvaluationOf,
  type CancelTrainingJobRequest,
  type CreateTrainingJobRequest,
  type RegisterTrainingJobRequest,
  type TrainingJobList,
  type TrainingJobQuery,
  type TrainingJobView,
  type VersionView,
} from '@slipway/contracts';
import { UnitOfWork, type ExperimentEntity, type TrainingJobEntity, type Transaction } from '@slipway/db';
import { ModelRegistrar } from '@slipway/model-registry';
import { JobQueue, QueueName } from '@slipway/queue';
import type { RequestActor } from '../auth/auth.decorators';
import { inRequestFields } from '../common/request-fields';
import { respondWithin } from '../common/respond-within';
import { JOB_QUEUE } from '../infrastructure/tokens';
import { ModelVersionService } from '../registry/model-version.service';
import { checkDatasetFit } from './dataset-fit';
import { TrainingAlgorithmCatalogue } from './training-algorithms';
import { toTrainingJobView } from './training.views';

/** Attempts a job gets: the first plus the training queue's two retries (libs/queue: retryLimit 2). */
export const TRAINING_JOB_MAX_ATTEMPTS = 3;
/** Where a job's runs go when the request names no experiment. */
export const DEFAULT_TRAINING_EXPERIMENT = 'training';

const field = (name: string, message: string) => [{ field: name, message }];
const noJob = (id: string) => new SlipwayError(ErrorCode.NOT_FOUND, `No training job ${id}`, field('params.id', 'no such training job'));

/**
 * The first writes of a create that trains on a dataset (a training job, a tuning study), inside its transaction:
 * the experiment its runs go to, made on first use and audited with `source`, then a lock on the dataset read
 * before the transaction. It may have been deleted since, and the insert's foreign key would say so as a 500
 * rather than a 404 naming the field.
 */
export async function openTrainingTarget(tx: Transaction, target: { experiment: string; source: string; datasetId: string }): Promise<ExperimentEntity> {
  const experiment = await tx.experiments.getOrCreateByName(target.experiment);
  if (experiment.created)
    await tx.record({
      action: 'experiment.create',
      entity: { type: 'experiment', id: experiment.entity.id },
      after: { name: experiment.entity.name, source: target.source },
    });
  if (!(await tx.datasets.lock(target.datasetId)))
    throw new SlipwayError(ErrorCode.NOT_FOUND, `No dataset ${target.datasetId}`, field('body.datasetId', 'no such dataset'));
  return experiment.entity;
}

@Injectable()
export class TrainingJobService {
  private readonly logger = new Logger(TrainingJobService.name);

  constructor(
    private readonly db: UnitOfWork,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    private readonly registrar: ModelRegistrar,
    private readonly versions: ModelVersionService,
    private readonly catalogue: TrainingAlgorithmCatalogue,
  ) {}

  private view(job: TrainingJobEntity): TrainingJobView {
    return toTrainingJobView(job);
  }

  private async job(id: string): Promise<TrainingJobEntity> {
    const job = await this.db.read.trainingJobs.get(id);
    if (!job) throw noJob(id);
    return job;
  }

  /**
   * Records the job QUEUED (audited, `training_job.queued` event) and answers it; then queues its message.
   * A send that fails after the commit leaves the job QUEUED without a queue id, and the workers' relay sends it.
   */
  async create(request: CreateTrainingJobRequest, actor: RequestActor): Promise<TrainingJobView> {
    const dataset = await this.db.read.datasets.get(request.datasetId);
    if (!dataset) throw new SlipwayError(ErrorCode.NOT_FOUND, `No dataset ${request.datasetId}`, field('body.datasetId', 'no such dataset'));
    const { target, features } = checkDatasetFit(
      { ...request, hyperparameters: request.hyperparameters as Record<string, unknown> },
      dataset,
      this.catalogue.get(request.algorithm),
    );
    const id = randomUUID();
    const view = await this.db.run(actor, async (tx) => {
      const experiment = await openTrainingTarget(tx, {
        experiment: request.experiment ?? DEFAULT_TRAINING_EXPERIMENT,
        source: 'training job',
        datasetId: dataset.id,
      });
      const job = await tx.trainingJobs.create({
        id,
        name: request.name ?? `${request.algorithm} on ${dataset.name}`,
        algorithm: request.algorithm,
        hyperparameters: request.hyperparameters as Record<string, unknown>,
        evaluationPlan: request.evaluationPlan,
        seed: request.seed,
        datasetId: dataset.id,
        targetColumn: target,
        featureColumns: features,
        experimentId: experiment.id,
        registerAs: request.registerAs ?? null,
        maxAttempts: TRAINING_JOB_MAX_ATTEMPTS,
        createdBy: actor.name,
      });
      const created = this.view(job);
      await tx.record({
        action: 'training_job.create',
        entity: { type: 'training_job', id },
        after: summaryOf(created),
        event: { name: 'training_job.queued', data: summaryOf(created) },
      });
      await respondWithin(tx, trainingJobSchema, created);
      return created;
    });
    await this.enqueue(id);
    return view;
  }

  private async enqueue(id: string): Promise<void> {
    try {
      const queueJobId = await this.queue.send(QueueName.Training, { trainingJobId: id }, { singletonKey: id });
      await this.db.read.trainingJobs.setQueueJobId(id, queueJobId);
    } catch (error) {
      this.logger.warn(`could not queue training job ${id} (the workers' relay will): ${(error as Error).message}`);
    }
  }

  async get(id: string): Promise<TrainingJobView> {
    return this.view(await this.job(id));
  }

  async list(query: TrainingJobQuery): Promise<TrainingJobList> {
    const page = await inRequestFields({ cursor: 'query.cursor' }, () => this.db.read.trainingJobs.list(query));
    return { jobs: page.jobs.map((job) => this.view(job)), nextCursor: page.nextCursor };
  }

  /**
   * QUEUED: CANCELLED at once (its queue message, when a worker takes it, finds the job ended). RUNNING: the
   * cancel is recorded and the worker's next heartbeat (about a second) aborts training; the job turns
   * CANCELLED then. An ended job: 409.
   */
  async cancel(id: string, request: CancelTrainingJobRequest, actor: RequestActor): Promise<TrainingJobView> {
    let queueJobId: string | null = null;
    const view = await this.db.run(actor, async (tx) => {
      const job = await tx.trainingJobs.lock(id);
      if (!job) throw noJob(id);
      if (job.status !== 'QUEUED' && job.status !== 'RUNNING')
        throw new SlipwayError(ErrorCode.CONFLICT, `Training job ${id} is ${job.status}; only QUEUED or RUNNING jobs can be cancelled`, [
          { field: 'status', message: job.status },
        ]);
      const now = new Date();
      const reason = request.reason ?? `cancelled by ${actor.name}`;
      const after =
        job.status === 'QUEUED'
          ? await tx.trainingJobs.endWithoutAttempt(id, { status: 'CANCELLED', error: reason, at: now, by: actor.name })
          : await tx.trainingJobs.requestCancel(id, actor.name, now);
      queueJobId = job.status === 'QUEUED' ? job.queueJobId : null;
      await tx.record({
        action: 'training_job.cancel',
        entity: { type: 'training_job', id },
        before: summaryOf(this.view(job)),
        after: { ...summaryOf(this.view(after)), reason },
        event: { name: job.status === 'QUEUED' ? 'training_job.cancelled' : 'training_job.cancel_requested', data: { ...summaryOf(this.view(after)), reason } },
      });
      const answer = this.view(after);
      await respondWithin(tx, trainingJobSchema, answer, { status: 200 });
      return answer;
    });
    if (queueJobId) await this.queue.cancel(QueueName.Training, queueJobId).catch(() => undefined);
    return view;
  }

  /**
   * Registers a succeeded job's model as the next version of `model` (its evaluation, input schema and the
   * dataset's profile copied in), optionally moving an alias onto it. Once per job: asking again for the
   * same model answers the version it already registered; another model is a 409.
   */
  async register(id: string, request: RegisterTrainingJobRequest, actor: RequestActor): Promise<{ version: VersionView; created: boolean }> {
    const job = await this.job(id);
    if (job.status !== 'SUCCEEDED' || !job.runId || !job.result || !job.evaluation)
      throw new SlipwayError(ErrorCode.CONFLICT, `Training job ${id} is ${job.status}; only a SUCCEEDED job has a model to register`, [
        { field: 'status', message: job.status },
      ]);
    if (job.modelVersion) {
      if (job.modelVersion.model !== request.model)
        throw new SlipwayError(
          ErrorCode.CONFLICT,
          `Training job ${id} is already registered as ${job.modelVersion.model}@${job.modelVersion.version}`,
          field('body.model', `already registered in ${job.modelVersion.model}`),
        );
      if (request.alias) await this.registrar.setAlias(actor, request.model, request.alias, job.modelVersion.version);
      return { version: await this.versions.get(job.modelVersion.model, job.modelVersion.version), created: false };
    }
    const dataset = job.datasetId ? await this.db.read.datasets.get(job.datasetId) : null;
    const registered = await this.versions.create(
      request.model,
      {
        runId: job.runId,
        artifactPath: job.result.artifact.path,
        description: `Trained by training job ${job.id} (${job.name})`,
        tags: { 'slipway.training_job': job.id },
        algorithm: job.algorithm,
        framework: 'slipway',
        inputSchema: job.result.inputSchema,
        trainingProfile: dataset?.profile ?? undefined,
        evaluation: versionEvaluationOf(job.evaluation),
      },
      actor,
    );
    await this.db.run(actor, async (tx) => {
      await tx.trainingJobs.setModelVersion(job.id, registered.id);
      await tx.record({
        action: 'training_job.register',
        entity: { type: 'training_job', id: job.id },
        after: { model: request.model, version: registered.version, versionId: registered.id },
      });
    });
    if (request.alias) await this.registrar.setAlias(actor, request.model, request.alias, registered.version);
    return { version: request.alias ? await this.versions.get(request.model, registered.version) : registered, created: true };
  }
}

/** What the audit log and webhooks say about a job (not its evaluation or progress). */
function summaryOf(view: TrainingJobView) {
  return {
    id: view.id,
    name: view.name,
    status: view.status,
    algorithm: view.algorithm,
    datasetId: view.dataset?.id ?? null,
    targetColumn: view.targetColumn,
    experimentId: view.experimentId,
    registerAs: view.registerAs,
    attempts: view.attempts,
  };
}
