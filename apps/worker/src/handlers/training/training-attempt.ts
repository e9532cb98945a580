import type { Logger } from '@nestjs/common';
import { platformVersion } from '@slipway/config';
import {
  ErrorCode,
  SlipwayError,
  versionEvaluationOf,
  type ImagePreprocessing,
  type ModelInputSchema,
  type TabularPreprocessing,
  type TrainingAttempt,
  type TrainingEvaluation,
  trainingResultSchema,
  type TrainingResult,
  type TrainingSpecInput,
} from '@slipway/contracts';
import type { ChangeContext, DatasetEntity, TrainingJobEntity, Transaction, UnitOfWork } from '@slipway/db';
import { datasetFileKey, datasetFormatOf, readTrainingImages, readTrainingTable, tableSourceOf } from '@slipway/dataset-files';
import { MlInputError, train, TrainingCancelledError, type TrainedModel, type TrainingData } from '@slipway/ml-algorithms';
import type { BackendInfo } from '@slipway/ml-runtime';
import { ModelRegistrar, runArtifactKey } from '@slipway/model-registry';
import { JobInterruptedError, PermanentJobError, QUEUE_POLICIES, QueueName, type QueuedJob, type TrainingMessage } from '@slipway/queue';
import type { ObjectStore } from '@slipway/storage';
import { TrialPruner, trialRunTags, TUNING_TAGS } from '@slipway/tuning-studies';
import type { TrainingSettings } from '../handler';
import { CancelRequested, FencedOut, PruneRequested, TrainingProgressReporter } from './training-progress';
import { evaluationMetricPoints, inputSchemaOf, safeText, TRAINING_TAGS, trainingParams, trainingTags } from './training-run-fields';

/** The run artifact folder a job's model files go to; a version registered from the job is copied from it. */
export const MODEL_ARTIFACT_PATH = 'model';

const MAX_REASON = 2000;
const reasonOf = (error: unknown) => safeText(error instanceof Error ? error.message : String(error), MAX_REASON);

/** Codes that say the job's own input (dataset, columns, names) cannot be trained or registered: a retry would fail the same way. */
const PERMANENT_CODES = new Set<string>([
  ErrorCode.FAILED_PRECONDITION,
  ErrorCode.INVALID_ARGUMENT,
  ErrorCode.NOT_FOUND,
  ErrorCode.PAYLOAD_TOO_LARGE,
  ErrorCode.PERMISSION_DENIED,
]);
const isPermanent = (error: unknown) => error instanceof MlInputError || (error instanceof SlipwayError && PERMANENT_CODES.has(error.code));

/** A training_job.* event's data: the job as the API's events summarise it, its state after the change, and what the change adds. */
export function jobEventData(
  job: TrainingJobEntity,
  after: { status: string; attempts: number },
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id: job.id,
    name: job.name,
    status: after.status,
    algorithm: job.algorithm,
    datasetId: job.datasetId,
    targetColumn: job.targetColumn,
    experimentId: job.experimentId,
    registerAs: job.registerAs,
    attempts: after.attempts,
    ...extra,
  };
}

/** The job's creator acts (their name on every audit entry and the run); the request id names the job, the entries name the worker. */
export function actorForJob(job: Pick<TrainingJobEntity, 'id' | 'createdBy'>): ChangeContext {
  return { tokenId: null, name: job.createdBy ?? 'system', requestId: `training-job:${job.id}` };
}

/** What the attempt trains on, read from the dataset's stored file: a table (CSV, Parquet) or images (the CNN). */
interface TrainingInput {
  data: TrainingData;
  /** One name per model input (empty for images: their inputs are pixels). */
  featureNames: string[];
  /** Written as the artifact's `preprocessing.json`; serving applies it to request rows or images. */
  preprocessing: TabularPreprocessing | ImagePreprocessing;
}

interface StartedAttempt {
  job: TrainingJobEntity;
  dataset: DatasetEntity;
  attempt: number;
  runId: string;
  startedAt: Date;
  actor: ChangeContext;
}

/** A Transaction-bound close of a run that an attempt logged to (FAILED or KILLED), tagged with why; a run already ended stays as it is. */
export async function endRun(tx: Transaction, runId: string, status: 'FAILED' | 'KILLED' | 'FINISHED', reason: string | null, at: Date): Promise<void> {
  const run = await tx.runs.lock(runId, 'update');
  if (!run || run.status !== 'RUNNING') return;
  if (reason !== null) await tx.runs.setTags(runId, { [TRAINING_TAGS.endReason]: reason.slice(0, 5000) });
  const after = await tx.runs.end(runId, status, at);
  await tx.record({ action: 'run.end', entity: { type: 'run', id: runId }, before: run, after: { ...after, reason } });
}

export const lostReason = (attempt: TrainingAttempt) => `worker ${attempt.workerId ?? '(unknown)'} stopped heartbeating (attempt ${attempt.attempt})`;

export const closeAttempt = (
  history: TrainingAttempt[],
  attempt: number,
  outcome: TrainingAttempt['outcome'],
  reason: string | null,
  at: Date,
): TrainingAttempt[] => history.map((a) => (a.attempt === attempt ? { ...a, outcome, reason, endedAt: at.toISOString() } : a));

export interface TrainingAttemptDeps {
  uow: UnitOfWork;
  objects: ObjectStore;
  registrar: () => ModelRegistrar;
  workerId: string;
  backend: BackendInfo;
  logger: Logger;
  settings: TrainingSettings;
  /** Where Parquet files are spooled while read (the OS temp folder when absent). */
  tempDir?: string;
  /**
   * Called (errors logged, never thrown) after an attempt started and after the message was handled, whatever
   * the outcome: the training handler tells the job's tuning study, if it is a trial, to advance now.
   */
  onJobSettled?: (trainingJobId: string) => Promise<void>;
}

/**
 * One queue message of the `training` queue, start to end. Every write of an attempt is fenced by its number
 * (TrainingJobStore), so an attempt the queue gave up on (its worker stopped heartbeating) that comes back
 * writes nothing; and the steps are ordered so that a kill between any two leaves a state the next attempt
 * completes: a RUNNING attempt in the history is closed as LOST, a version registered from an earlier attempt
 * is reused, a version an earlier attempt left half-registered is marked FAILED.
 */
export class TrainingAttemptRunner {
  constructor(private readonly deps: TrainingAttemptDeps) {}

  async handle(message: QueuedJob<TrainingMessage>): Promise<void> {
    try {
      const started = await this.begin(message);
      if (!started) return;
      await this.settled(message.data.trainingJobId);
      await this.execute(started, message);
    } finally {
      await this.settled(message.data.trainingJobId);
    }
  }

  private async settled(trainingJobId: string): Promise<void> {
    await this.deps.onJobSettled?.(trainingJobId).catch((error: Error) => this.deps.logger.warn(`training job ${trainingJobId}: ${error.message}`));
  }

  /** Locks the job and decides: nothing to do, end it without an attempt, or start attempt n+1 with its run. */
  private async begin(message: QueuedJob<TrainingMessage>): Promise<StartedAttempt | null> {
    const { uow, workerId, backend, logger } = this.deps;
    const id = message.data.trainingJobId;
    const peek = await uow.read.trainingJobs.get(id);
    if (!peek) {
      logger.warn(`training job ${id} does not exist (deleted?); message ${message.id} dropped`);
      return null;
    }
    const actor = actorForJob(peek);
    return uow.run(actor, async (tx) => {
      const job = await tx.trainingJobs.lock(id);
      if (!job || job.status === 'SUCCEEDED' || job.status === 'FAILED' || job.status === 'CANCELLED') return null;
      if (!(await tx.trainingJobs.claimQueueMessage(id, message.id))) {
        // Two sends for one job (two relay sweeps at once, or the API's send plus a sweep): the job's own message runs it.
        logger.warn(`training job ${id}: message ${message.id} is not the job's message (${job.queueJobId}); ignored as a duplicate`);
        return null;
      }
      const now = new Date();
      // The queue retries the job's own message only after the attempt that held it failed or stopped heartbeating:
      // an attempt still RUNNING in the history belongs to a worker that died (or was fenced out).
      let history = job.attemptHistory;
      for (const lost of history.filter((a) => a.outcome === 'RUNNING')) {
        const reason = lostReason(lost);
        history = closeAttempt(history, lost.attempt, 'LOST', reason, now);
        await endRun(tx, lost.runId, 'FAILED', reason, now);
        await tx.record({
          action: 'training_job.attempt_lost',
          entity: { type: 'training_job', id },
          after: { attempt: lost.attempt, runId: lost.runId, reason },
        });
      }
      const endWithout = async (status: 'FAILED' | 'CANCELLED', error: string | null, event: 'training_job.failed' | 'training_job.cancelled') => {
        const ended = await tx.trainingJobs.endWithoutAttempt(id, { status, error, history, at: now, by: job.cancelRequestedBy });
        await tx.record({
          action: status === 'FAILED' ? 'training_job.fail' : 'training_job.cancel',
          entity: { type: 'training_job', id },
          before: { status: job.status, attempts: job.attempts },
          after: { status, error, attempts: ended.attempts, workerId },
          event: { name: event, data: jobEventData(job, ended, { error }) },
        });
        return null;
      };
      if (job.cancelRequestedAt) return endWithout('CANCELLED', null, 'training_job.cancelled');
      if (job.attempts >= job.maxAttempts) {
        const last = history[history.length - 1]?.reason ?? job.error ?? 'no reason recorded';
        return endWithout('FAILED', reasonOf(`gave up after ${job.attempts} attempts; the last: ${last}`), 'training_job.failed');
      }
      const dataset = job.datasetId ? await tx.datasets.get(job.datasetId) : null;
      if (!dataset) return endWithout('FAILED', 'the dataset was deleted before the job could train on it', 'training_job.failed');

      const attempt = job.attempts + 1;
      const experimentId = job.experimentId ?? (await tx.experiments.getOrCreateByName('training')).entity.id;
      // A tuning trial's runs name their study and trial (the console finds a study's runs, and a version its trial, by them).
      const trial = await tx.studies.trialOfJob(id);
      const study = trial ? await tx.studies.get(trial.studyId) : null;
      const run = await tx.runs.create({
        experimentId,
        name: job.name,
        seed: job.seed,
        datasetSha256: dataset.sha256,
        codeVersion: platformVersion(),
        createdBy: actor.name,
        params: trainingParams(job),
        tags: { ...trainingTags(job, attempt, workerId, backend), ...(trial && study ? trialRunTags(study, trial) : {}) },
      });
      await tx.trainingJobs.setRunLineage(run.id, { datasetId: dataset.id, tfBackend: backend.backend, workerId });
      await tx.record({ action: 'run.create', entity: { type: 'run', id: run.id }, after: { ...run, source: `training job ${id} attempt ${attempt}` } });
      history = [...history, { attempt, runId: run.id, workerId, startedAt: now.toISOString(), endedAt: null, outcome: 'RUNNING', reason: null }];
      const running = await tx.trainingJobs.startAttempt(id, { workerId, runId: run.id, history, at: now });
      await tx.record({
        action: 'training_job.start',
        entity: { type: 'training_job', id },
        before: { status: job.status, attempts: job.attempts },
        after: { status: running.status, attempt, runId: run.id, workerId, backend: backend.backend, device: backend.device },
        event: { name: 'training_job.started', data: jobEventData(job, running, { attempt, runId: run.id, workerId }) },
      });
      return { job: running, dataset, attempt, runId: run.id, startedAt: now, actor };
    });
  }

  private async execute(started: StartedAttempt, message: QueuedJob<TrainingMessage>): Promise<void> {
    const { uow, settings, logger } = this.deps;
    const { job, dataset, attempt, runId, actor } = started;
    const controller = new AbortController();
    const fromQueue = () => controller.abort(message.signal.reason);
    if (message.signal.aborted) fromQueue();
    else message.signal.addEventListener('abort', fromQueue, { once: true });
    const progress = new TrainingProgressReporter(
      uow,
      { jobId: job.id, attempt, runId, actor },
      {
        flushMs: settings.progressFlushMs,
        heartbeatMs: settings.heartbeatMs,
        onCancel: () => controller.abort(new CancelRequested()),
        onFenced: () => controller.abort(new FencedOut()),
        onError: (error) => logger.warn(`training job ${job.id} attempt ${attempt}: progress not written: ${error.message}`),
      },
    );
    progress.start();
    progress.phase('loading');
    const pruner = await TrialPruner.forJob(uow, job.id).catch((error: Error) => {
      logger.warn(`training job ${job.id}: its trial's early stopping is off for this attempt: ${error.message}`);
      return null;
    });
    // train() awaits this between folds and epochs: a prune decided here stops training before the next one.
    const onProgress = async (event: Parameters<TrialPruner['report']>[0]) => {
      progress.push(event);
      if (!pruner) return;
      const verdict = await pruner.report(event).catch((error: Error) => {
        logger.warn(`training job ${job.id}: intermediate value not judged: ${error.message}`);
        return null;
      });
      if (verdict) controller.abort(new PruneRequested(verdict.reason, verdict.step));
    };
    const times = { load: 0, fit: 0, save: 0 };
    let model: TrainedModel | undefined;
    const written: string[] = [];
    try {
      let clock = Date.now();
      const table = await this.readDataset(dataset, job);
      times.load = Date.now() - clock;
      if (controller.signal.aborted) throw new TrainingCancelledError('after loading the dataset', controller.signal.reason);
      // Known once the dataset is read (categorical columns one-hot into several inputs; an image's inputs are its pixels).
      await uow.run(actor, async (tx) => {
        const shape = table.preprocessing.kind === 'images' ? table.preprocessing.shape : null;
        const inputs = shape ? shape.height * shape.width * shape.channels : table.featureNames.length;
        const features = [{ key: 'features', value: String(inputs) }];
        await tx.runs.logParams(runId, features);
        await tx.record({ action: 'run.log_batch', entity: { type: 'run', id: runId }, after: { params: features } });
      });

      clock = Date.now();
      progress.phase('training');
      const spec = { algorithm: job.algorithm, hyperparameters: job.hyperparameters, evaluationPlan: job.evaluationPlan, seed: job.seed } as TrainingSpecInput;
      const trained = await train(spec, table.data, { onProgress, signal: controller.signal });
      model = trained.model;
      times.fit = Date.now() - clock;
      if (controller.signal.aborted) throw new TrainingCancelledError('after training', controller.signal.reason);

      clock = Date.now();
      progress.phase('saving');
      const inputSchema = inputSchemaOf(table.preprocessing, dataset.columns, model.classLabels);
      const files = await this.modelFiles(model, table, trained.evaluation);
      const stored = await this.upload(runId, files, written);
      times.save = Date.now() - clock;
      await progress.stop({ flush: true });
      if (progress.isFenced) throw new FencedOut();
      const cancelled = await this.recordArtifacts(started, stored, trained.evaluation);
      if (cancelled) throw new TrainingCancelledError('after saving the model', new CancelRequested());
      written.length = 0; // recorded: the run owns them now

      const modelVersion = job.registerAs ? await this.register(started, trained.evaluation, inputSchema) : null;
      const result: TrainingResult = {
        backend: backendColumn(this.deps.backend),
        codeVersion: platformVersion(),
        workerId: this.deps.workerId,
        durationsMs: {
          queued: Math.max(0, started.startedAt.getTime() - job.createdAt.getTime()),
          ...times,
          total: Date.now() - started.startedAt.getTime(),
        },
        artifact: { path: MODEL_ARTIFACT_PATH, files: stored.map(({ path, sha256, sizeBytes }) => ({ path, sha256, sizeBytes })) },
        featureNames: table.featureNames,
        inputSchema,
      };
      // Checked before it is written: a result its contract refuses would read back as null (training_jobs.result).
      await this.succeed(started, trained.evaluation, trainingResultSchema.parse(result), modelVersion);
    } catch (error) {
      await progress.stop({ flush: false });
      await this.removeUnrecorded(written);
      await this.fail(started, message, error, controller.signal.reason);
    } finally {
      message.signal.removeEventListener('abort', fromQueue);
      model?.dispose();
    }
  }

  /** The dataset's file, streamed from the object store into training data (never whole in memory as text). */
  private async readDataset(dataset: DatasetEntity, job: TrainingJobEntity): Promise<TrainingInput> {
    const format = datasetFormatOf(dataset.profile);
    const key = datasetFileKey(dataset.id, format);
    if (!(await this.deps.objects.stat(key)))
      throw new SlipwayError(
        ErrorCode.FAILED_PRECONDITION,
        `The file of dataset "${dataset.name}" (${key}) is missing from the object store (${this.deps.objects.description})`,
      );
    const wantsImages = job.algorithm === 'cnn';
    if (wantsImages !== (format === 'images'))
      throw new SlipwayError(
        ErrorCode.FAILED_PRECONDITION,
        wantsImages ? `cnn trains on an image dataset; "${dataset.name}" is ${format}` : `${job.algorithm} trains on a table; "${dataset.name}" holds images`,
      );
    const bytes = await this.deps.objects.get(key);
    if (format === 'images') {
      const images = await readTrainingImages(bytes);
      return { data: images.data, featureNames: [], preprocessing: images.preprocessing };
    }
    const target = job.targetColumn ?? dataset.targetColumn ?? null;
    const table = await readTrainingTable(bytes, tableSourceOf(dataset), { target, features: job.featureColumns }, { tempDir: this.deps.tempDir });
    return { data: table.data, featureNames: table.featureNames, preprocessing: table.preprocessing };
  }

  /** The model's own files, plus the preprocessing that produced its inputs and the evaluation, by file name. */
  private async modelFiles(model: TrainedModel, table: TrainingInput, evaluation: TrainingEvaluation): Promise<[string, Buffer][]> {
    const saved = await model.save();
    const files = new Map<string, Buffer>(
      Object.entries(saved.files).map(([name, bytes]) => [name, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)]),
    );
    files.set('preprocessing.json', Buffer.from(JSON.stringify(table.preprocessing, null, 2) + '\n'));
    files.set('evaluation.json', Buffer.from(JSON.stringify(evaluation, null, 2) + '\n'));
    return [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  private async upload(runId: string, files: [string, Buffer][], written: string[]) {
    const stored: { path: string; key: string; uri: string; sha256: string; sizeBytes: number; contentType: string }[] = [];
    for (const [name, bytes] of files) {
      const path = `${MODEL_ARTIFACT_PATH}/${name}`;
      const key = runArtifactKey(runId, path);
      const contentType = name.endsWith('.json') ? 'application/json' : 'application/octet-stream';
      written.push(key);
      const object = await this.deps.objects.put(key, bytes, { contentType });
      stored.push({ path, key, uri: object.uri, sha256: object.sha256, sizeBytes: object.sizeBytes, contentType });
    }
    return stored;
  }

  private async removeUnrecorded(keys: string[]): Promise<void> {
    for (const key of keys)
      await this.deps.objects.delete(key).catch((error: Error) => this.deps.logger.warn(`could not remove unrecorded artifact ${key}: ${error.message}`));
  }

  /**
   * The artifact rows and the final metrics, in one transaction that still owns the attempt. Answers true when
   * a cancel was asked for meanwhile (nothing written then: the job is cancelled instead).
   */
  private async recordArtifacts(started: StartedAttempt, stored: Awaited<ReturnType<TrainingAttemptRunner['upload']>>, evaluation: TrainingEvaluation) {
    const { job, attempt, runId, actor } = started;
    return this.deps.uow.run(actor, async (tx) => {
      const current = await tx.trainingJobs.lock(job.id);
      if (!current || current.status !== 'RUNNING' || current.attempts !== attempt) throw new FencedOut();
      if (current.cancelRequestedAt) return true;
      for (const file of stored) {
        const artifact = await tx.artifacts.create({
          runId,
          path: file.path,
          uri: file.uri,
          sha256: file.sha256,
          sizeBytes: file.sizeBytes,
          contentType: file.contentType,
        });
        await tx.record({
          action: 'artifact.create',
          entity: { type: 'artifact', id: artifact.id },
          after: { runId, path: file.path, sha256: file.sha256, sizeBytes: file.sizeBytes },
        });
      }
      const points = evaluationMetricPoints(evaluation, Date.now());
      await tx.metrics.append(runId, points);
      await tx.record({
        action: 'run.log_batch',
        entity: { type: 'run', id: runId },
        after: { metrics: points.length, metricKeys: points.map((p) => p.key).slice(0, 100) },
      });
      await tx.trainingJobs.recordProgress(
        job.id,
        attempt,
        { ...(current.progress ?? emptyProgress()), phase: 'registering', updatedAt: new Date().toISOString() },
        new Date(),
      );
      return false;
    });
  }

  /**
   * registerAs: the next version of the model from this run's `model/` folder, linked to the job in the
   * transaction that makes it READY, then the alias. A version an earlier attempt registered is reused (its
   * link committed with it); one it left PENDING_UPLOAD (killed mid-copy) is marked FAILED first.
   */
  private async register(
    started: StartedAttempt,
    evaluation: TrainingEvaluation,
    inputSchema: ModelInputSchema,
  ): Promise<{ id: string; model: string; version: number }> {
    const { job, attempt, runId, actor, dataset } = started;
    const registerAs = job.registerAs as NonNullable<TrainingJobEntity['registerAs']>;
    const registrar = this.deps.registrar();
    const current = await this.deps.uow.read.trainingJobs.get(job.id);
    let version = current?.modelVersionId && current.modelVersion ? { id: current.modelVersionId, ...current.modelVersion } : null;
    if (!version) {
      const earlierRuns = job.attemptHistory.filter((a) => a.attempt < attempt).map((a) => a.runId);
      for (const left of await this.deps.uow.read.trainingJobs.versionsFromRuns(earlierRuns)) {
        if (left.status === 'PENDING_UPLOAD')
          await registrar.abandon(
            actor,
            left.id,
            `training job ${job.id}: the attempt registering it stopped before sealing it; attempt ${attempt} registers anew`,
          );
      }
      const registered = await registrar.registerFromRun(
        actor,
        registerAs.model,
        {
          runId,
          artifactPath: MODEL_ARTIFACT_PATH,
          description: `Trained by training job ${job.id} (${job.algorithm} on ${dataset.name})`,
          tags: { [TRAINING_TAGS.job]: job.id },
          algorithm: job.algorithm,
          framework: 'slipway',
          inputSchema,
          trainingProfile: dataset.profile ?? undefined,
          evaluation: versionEvaluationOf(evaluation),
        },
        {
          preflight: async () => {
            const owner = await this.deps.uow.read.trainingJobs.get(job.id);
            if (!owner || owner.status !== 'RUNNING' || owner.attempts !== attempt) throw new FencedOut();
          },
          answer: async (tx, ready) => {
            await tx.trainingJobs.setModelVersion(job.id, ready.id);
            await tx.record({
              action: 'training_job.register',
              entity: { type: 'training_job', id: job.id },
              after: { model: ready.modelName, version: ready.version, runId },
            });
          },
        },
      );
      version = { id: registered.version.id, model: registered.version.modelName, version: registered.version.version };
    }
    if (registerAs.alias) await registrar.setAlias(actor, version.model, registerAs.alias, version.version);
    return version;
  }

  private async succeed(started: StartedAttempt, evaluation: TrainingEvaluation, result: TrainingResult, modelVersion: { id: string } | null): Promise<void> {
    const { job, attempt, runId, actor } = started;
    await this.deps.uow.run(actor, async (tx) => {
      const now = new Date();
      const current = await tx.trainingJobs.lock(job.id);
      if (!current) throw new FencedOut();
      const history = closeAttempt(current.attemptHistory, attempt, 'SUCCEEDED', null, now);
      const done = await tx.trainingJobs.finish(job.id, attempt, {
        status: 'SUCCEEDED',
        evaluation,
        result,
        history,
        at: now,
        modelVersionId: modelVersion?.id ?? undefined,
      });
      // Fenced out after the model was recorded: the attempt that owns the job now finishes it (and reuses the version).
      if (!done) throw new FencedOut();
      await endRun(tx, runId, 'FINISHED', null, now);
      await tx.record({
        action: 'training_job.succeed',
        entity: { type: 'training_job', id: job.id },
        before: { status: 'RUNNING', attempt },
        after: { status: 'SUCCEEDED', attempt, runId, workerId: this.deps.workerId, modelVersion: done.modelVersion, metrics: evaluation.metrics },
        event: {
          name: 'training_job.succeeded',
          data: jobEventData(job, done, { runId, attempt, modelVersion: done.modelVersion, metrics: evaluation.metrics }),
        },
      });
    });
  }

  /**
   * How the attempt ends when it did not succeed: cancelled (job CANCELLED, run KILLED); fenced out (nothing written:
   * the job is someone else's now); the job's own input is wrong (FAILED, not retried); anything else closes the
   * attempt FAILED and rethrows so the queue retries it (attempt n+1), unless it was the last.
   */
  private async fail(started: StartedAttempt, message: QueuedJob<TrainingMessage>, error: unknown, abortReason: unknown): Promise<void> {
    const { job, attempt, runId, actor } = started;
    const { uow, logger, workerId } = this.deps;
    if (error instanceof FencedOut || abortReason instanceof FencedOut || (abortReason instanceof JobInterruptedError && abortReason.reason === 'cancelled')) {
      logger.warn(`training job ${job.id} attempt ${attempt}: another attempt owns the job now; this one stops without writing`);
      throw new PermanentJobError(`training job ${job.id} attempt ${attempt} was superseded`);
    }
    const now = new Date();
    const pruned =
      abortReason instanceof PruneRequested
        ? abortReason
        : error instanceof TrainingCancelledError && error.reason instanceof PruneRequested
          ? error.reason
          : null;
    if (pruned) {
      const reason = safeText(pruned.message, MAX_REASON);
      await uow.run(actor, async (tx) => {
        const current = await tx.trainingJobs.lock(job.id);
        if (!current) return;
        const history = closeAttempt(current.attemptHistory, attempt, 'CANCELLED', reason, now);
        if (!(await tx.trainingJobs.finish(job.id, attempt, { status: 'CANCELLED', error: reason, history, at: now }))) return;
        await tx.runs.setTags(runId, { [TUNING_TAGS.pruned]: safeText(pruned.why, 5000) });
        await endRun(tx, runId, 'KILLED', reason, now);
        await tx.record({
          action: 'training_job.cancel',
          entity: { type: 'training_job', id: job.id },
          before: { status: 'RUNNING', attempt },
          after: { status: 'CANCELLED', attempt, runId, workerId, error: reason, prunedAtStep: pruned.step },
          event: { name: 'training_job.cancelled', data: jobEventData(job, { status: 'CANCELLED', attempts: attempt }, { runId, attempt, reason }) },
        });
      });
      return;
    }
    const cancelled = abortReason instanceof CancelRequested || (error instanceof TrainingCancelledError && error.reason instanceof CancelRequested);
    if (cancelled) {
      await uow.run(actor, async (tx) => {
        const current = await tx.trainingJobs.lock(job.id);
        if (!current) return;
        const by = current.cancelRequestedBy ?? 'someone';
        const history = closeAttempt(current.attemptHistory, attempt, 'CANCELLED', `cancelled by ${by}`, now);
        if (!(await tx.trainingJobs.finish(job.id, attempt, { status: 'CANCELLED', history, at: now }))) return;
        await endRun(tx, runId, 'KILLED', `cancelled by ${by}`, now);
        await tx.record({
          action: 'training_job.cancel',
          entity: { type: 'training_job', id: job.id },
          before: { status: 'RUNNING', attempt },
          after: { status: 'CANCELLED', attempt, runId, workerId, stoppedAt: error instanceof TrainingCancelledError ? error.at : null },
          event: { name: 'training_job.cancelled', data: jobEventData(job, { status: 'CANCELLED', attempts: attempt }, { runId, attempt }) },
        });
      });
      return;
    }
    const interrupted = abortReason instanceof JobInterruptedError ? abortReason : null;
    const reason = interrupted
      ? `worker ${workerId} ${interrupted.reason === 'shutdown' ? 'shut down' : 'ran past the time limit'} during attempt ${attempt}`
      : reasonOf(error);
    const permanent = !interrupted && isPermanent(error);
    const last = attempt >= job.maxAttempts || message.retryCount >= QUEUE_POLICIES[QueueName.Training].retryLimit;
    await uow.run(actor, async (tx) => {
      const current = await tx.trainingJobs.lock(job.id);
      if (!current) return;
      const history = closeAttempt(current.attemptHistory, attempt, 'FAILED', reason, now);
      const ended =
        permanent || last
          ? await tx.trainingJobs.finish(job.id, attempt, { status: 'FAILED', error: reason, history, at: now })
          : await tx.trainingJobs.releaseAttempt(job.id, attempt, { history, error: reason, at: now });
      if (!ended) return;
      await endRun(tx, runId, 'FAILED', reason, now);
      await tx.record({
        action: permanent || last ? 'training_job.fail' : 'training_job.attempt_fail',
        entity: { type: 'training_job', id: job.id },
        before: { status: 'RUNNING', attempt },
        after: { status: ended.status, attempt, runId, workerId, error: reason, retried: !(permanent || last) },
        ...(permanent || last ? { event: { name: 'training_job.failed' as const, data: jobEventData(job, ended, { runId, attempt, error: reason }) } } : {}),
      });
    });
    if (permanent || last) {
      logger.warn(`training job ${job.id} FAILED at attempt ${attempt}: ${reason}`);
      throw new PermanentJobError(reason, { cause: error });
    }
    logger.warn(`training job ${job.id} attempt ${attempt} failed, the queue retries it: ${reason}`);
    throw error instanceof Error ? error : new Error(reason);
  }
}

/** The backend as the result's contract holds it (backendInfoSchema's bounds: strings clipped, at most 16 routes tried). */
function backendColumn(info: BackendInfo): TrainingResult['backend'] {
  const clip = safeText;
  return {
    backend: info.backend,
    tfBackend: clip(info.tfBackend, 64),
    device: clip(info.device, 512),
    ...(info.adapter && {
      adapter: {
        vendor: clip(info.adapter.vendor, 256),
        architecture: clip(info.adapter.architecture, 256),
        description: clip(info.adapter.description, 1024),
        ...(info.adapter.device !== undefined && { device: clip(info.adapter.device, 256) }),
      },
    }),
    forced: info.forced,
    tried: info.tried.slice(0, 16).map((t) => ({ backend: t.backend, ok: t.ok, reason: clip(t.reason, 2048) })),
    tfjsVersion: clip(info.tfjsVersion, 64),
  };
}

function emptyProgress() {
  return { step: 0, phase: 'saving' as const, fold: null, folds: null, epoch: null, epochs: null, metrics: {}, updatedAt: new Date().toISOString() };
}
