import {
  ErrorCode,
  evaluationPlanSchema,
  HYPERPARAMETER_SCHEMAS,
  readJsonColumnOrNull,
  SlipwayError,
  trainingAlgorithmSchema,
  type EvaluationPlan,
  type TrainingAlgorithm,
  type TrainingAttempt,
  type TrainingEvaluation,
  type TrainingJobQuery,
  type TrainingJobStatus,
  type TrainingProgressView,
  type TrainingResult,
} from '@slipway/contracts';
import { Prisma, type TrainingJob as TrainingJobRow } from '../generated/prisma/client';
import type { DbClient } from '../db-client';
import { newestFirstPaging } from '../newest-first';
import { jsonbText } from '../jsonb';
import type { TrainingJobEntity } from './training-job.entity';

/** Keyset: newest first, ties by id. */
const paging = newestFirstPaging('training-jobs');

const INCLUDE = {
  dataset: { select: { id: true, name: true, sha256: true } },
  modelVersion: { select: { version: true, model: { select: { name: true } } } },
} as const;

type JobRow = TrainingJobRow & {
  dataset: { id: string; name: string; sha256: string } | null;
  modelVersion: { version: number; model: { name: string } } | null;
};

function toEntity(row: JobRow): TrainingJobEntity {
  const algorithm: TrainingAlgorithm = trainingAlgorithmSchema.safeParse(row.algorithm).data ?? 'cart';
  // Hyper-parameters are re-read through their algorithm's schema, which fills defaults added since the row was written.
  const hyperparameters = (HYPERPARAMETER_SCHEMAS[algorithm].safeParse(row.hyperparameters).data ?? {}) as Record<string, unknown>;
  const evaluationPlan: EvaluationPlan = evaluationPlanSchema.safeParse(row.evaluationPlan).data ?? { kind: 'split', testFraction: 0.2, stratify: true };
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    algorithm,
    hyperparameters,
    evaluationPlan,
    seed: row.seed ?? 0,
    datasetId: row.datasetId,
    dataset: row.dataset,
    targetColumn: row.targetColumn,
    featureColumns: readJsonColumnOrNull('training_jobs.feature_columns', row.featureColumns),
    experimentId: row.experimentId,
    runId: row.runId,
    registerAs: row.registerModel ? { model: row.registerModel, ...(row.registerAlias ? { alias: row.registerAlias } : {}) } : null,
    modelVersionId: row.modelVersionId,
    modelVersion: row.modelVersion ? { model: row.modelVersion.model.name, version: row.modelVersion.version } : null,
    queueJobId: row.queueJobId,
    workerId: row.workerId,
    attempts: row.attempts,
    maxAttempts: row.maxAttempts,
    attemptHistory: readJsonColumnOrNull('training_jobs.attempt_history', row.attemptHistory) ?? [],
    error: row.error,
    progress: readJsonColumnOrNull('training_jobs.progress', row.progress),
    evaluation: readJsonColumnOrNull('training_jobs.evaluation', row.evaluation),
    result: readJsonColumnOrNull('training_jobs.result', row.result),
    cancelRequestedAt: row.cancelRequestedAt,
    cancelRequestedBy: row.cancelRequestedBy,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    heartbeatAt: row.heartbeatAt,
  };
}

export interface NewTrainingJob {
  id: string;
  name: string;
  algorithm: TrainingAlgorithm;
  hyperparameters: Record<string, unknown>;
  evaluationPlan: EvaluationPlan;
  seed: number;
  datasetId: string;
  targetColumn: string | null;
  featureColumns: string[] | null;
  experimentId: string;
  registerAs: { model: string; alias?: string } | null;
  maxAttempts: number;
  createdBy: string;
}

/** How a worker's attempt ends (finish): the job's terminal state and what it leaves. */
export interface JobOutcome {
  status: Extract<TrainingJobStatus, 'SUCCEEDED' | 'FAILED' | 'CANCELLED'>;
  error?: string | null;
  evaluation?: TrainingEvaluation | null;
  result?: TrainingResult | null;
  modelVersionId?: string | null;
}

/**
 * Training jobs. A worker's writes are fenced by the attempt it started (`attempts = n AND status = 'RUNNING'`):
 * once the queue has handed the job to another worker (attempt n+1), a worker presumed dead that comes back
 * writes nothing — its progress, heartbeat and outcome calls answer null/false.
 */
export class TrainingJobStore {
  constructor(private readonly db: DbClient) {}

  async create(input: NewTrainingJob): Promise<TrainingJobEntity> {
    // Raw insert: the JSON columns go in as text cast by Postgres (Prisma would re-round their numbers).
    await this.db.$executeRaw`
      INSERT INTO training_jobs (id, name, status, algorithm, hyperparameters, evaluation_plan, seed, dataset_id, target_column,
                                 feature_columns, experiment_id, register_model, register_alias, max_attempts, created_by)
      VALUES (${input.id}::uuid, ${input.name}, 'QUEUED', ${input.algorithm}, ${jsonbText(input.hyperparameters)}, ${jsonbText(input.evaluationPlan)},
              ${input.seed}, ${input.datasetId}::uuid, ${input.targetColumn}, ${jsonbText(input.featureColumns)}, ${input.experimentId}::uuid,
              ${input.registerAs?.model ?? null}, ${input.registerAs?.alias ?? null}, ${input.maxAttempts}, ${input.createdBy})`;
    return this.mustGet(input.id);
  }

  async get(id: string): Promise<TrainingJobEntity | null> {
    const row = await this.db.trainingJob.findUnique({ where: { id }, include: INCLUDE });
    return row ? toEntity(row) : null;
  }

  private async mustGet(id: string): Promise<TrainingJobEntity> {
    const job = await this.get(id);
    if (!job) throw new SlipwayError(ErrorCode.NOT_FOUND, `No training job ${id}`, [{ field: 'params.id', message: 'no such training job' }]);
    return job;
  }

  /** Locks the job's row until the transaction ends. */
  async lock(id: string): Promise<TrainingJobEntity | null> {
    const locked = await this.db.$queryRaw<{ id: string }[]>`SELECT id FROM training_jobs WHERE id = ${id}::uuid FOR UPDATE`;
    return locked.length ? this.get(id) : null;
  }

  async list(query: TrainingJobQuery): Promise<{ jobs: TrainingJobEntity[]; nextCursor: string | null }> {
    const after = paging.after(query.cursor);
    const rows = await this.db.trainingJob.findMany({
      where: {
        status: query.status,
        datasetId: query.datasetId,
        algorithm: query.algorithm,
        OR: after,
      },
      include: INCLUDE,
      orderBy: paging.orderBy,
      take: query.limit + 1,
    });
    const page = paging.page(rows, query.limit);
    return { jobs: page.rows.map(toEntity), nextCursor: page.nextCursor };
  }

  /** The queue's id for the job's message (set after the message is sent; the relay re-sends jobs that have none). */
  async setQueueJobId(id: string, queueJobId: string): Promise<void> {
    await this.db.$executeRaw`UPDATE training_jobs SET queue_job_id = ${queueJobId} WHERE id = ${id}::uuid AND queue_job_id IS NULL`;
  }

  /** QUEUED jobs whose queue message was never sent (the API's send failed after commit), oldest first. */
  async unqueued(olderThan: Date, limit: number): Promise<string[]> {
    const rows = await this.db.$queryRaw<{ id: string }[]>`
      SELECT id FROM training_jobs WHERE status = 'QUEUED' AND queue_job_id IS NULL AND created_at < ${olderThan}
      ORDER BY created_at LIMIT ${limit}`;
    return rows.map((r) => r.id);
  }

  /**
   * Starts attempt `attempts + 1` on `workerId` with its run (call with the row locked): RUNNING, the worker and
   * run recorded, the attempt appended to the history, progress reset. `history` is the job's history with any
   * earlier attempt still marked RUNNING already closed by the caller (LOST, with its reason).
   */
  async startAttempt(id: string, input: { workerId: string; runId: string; history: TrainingAttempt[]; at: Date }): Promise<TrainingJobEntity> {
    await this.db.$executeRaw`
      UPDATE training_jobs
         SET status = 'RUNNING', attempts = attempts + 1, worker_id = ${input.workerId}, run_id = ${input.runId}::uuid,
             attempt_history = ${jsonbText(input.history)}, progress = NULL, error = NULL,
             started_at = COALESCE(started_at, ${input.at}), heartbeat_at = ${input.at}
       WHERE id = ${id}::uuid`;
    return this.mustGet(id);
  }

  /**
   * The running attempt's progress and heartbeat. Answers whether a cancel was asked for, or null when this
   * attempt no longer owns the job (another attempt took over, or the job ended).
   */
  async recordProgress(id: string, attempt: number, progress: TrainingProgressView | null, at: Date): Promise<{ cancelRequested: boolean } | null> {
    const progressSet = progress ? Prisma.sql`, progress = ${jsonbText(progress)}` : Prisma.empty;
    const rows = await this.db.$queryRaw<{ cancel_requested_at: Date | null }[]>`
      UPDATE training_jobs SET heartbeat_at = ${at} ${progressSet}
       WHERE id = ${id}::uuid AND attempts = ${attempt} AND status = 'RUNNING'
      RETURNING cancel_requested_at`;
    return rows.length ? { cancelRequested: rows[0].cancel_requested_at !== null } : null;
  }

  /** Ends the running attempt `attempt` (fenced); null when the attempt no longer owns the job. */
  async finish(id: string, attempt: number, outcome: JobOutcome & { history: TrainingAttempt[]; at: Date }): Promise<TrainingJobEntity | null> {
    const sets: Prisma.Sql[] = [
      Prisma.sql`status = ${outcome.status}::training_job_status`,
      Prisma.sql`finished_at = ${outcome.at}`,
      Prisma.sql`heartbeat_at = ${outcome.at}`,
      Prisma.sql`error = ${outcome.error ?? null}`,
      Prisma.sql`attempt_history = ${jsonbText(outcome.history)}`,
    ];
    if (outcome.evaluation !== undefined) sets.push(Prisma.sql`evaluation = ${jsonbText(outcome.evaluation)}`);
    if (outcome.result !== undefined) sets.push(Prisma.sql`result = ${jsonbText(outcome.result)}`);
    if (outcome.modelVersionId !== undefined) sets.push(Prisma.sql`model_version_id = ${outcome.modelVersionId}::uuid`);
    const updated = await this.db.$executeRaw`
      UPDATE training_jobs SET ${Prisma.join(sets, ', ')} WHERE id = ${id}::uuid AND attempts = ${attempt} AND status = 'RUNNING'`;
    return updated ? this.mustGet(id) : null;
  }

  /** A job that never ran (QUEUED) or whose attempts are all spent ends here without a worker: CANCELLED or FAILED. */
  async endWithoutAttempt(
    id: string,
    outcome: { status: 'CANCELLED' | 'FAILED'; error: string | null; history?: TrainingAttempt[]; at: Date; by?: string | null },
  ): Promise<TrainingJobEntity> {
    const historySet = outcome.history ? Prisma.sql`, attempt_history = ${jsonbText(outcome.history)}` : Prisma.empty;
    const cancelSet =
      outcome.status === 'CANCELLED'
        ? Prisma.sql`, cancel_requested_at = COALESCE(cancel_requested_at, ${outcome.at}), cancel_requested_by = COALESCE(cancel_requested_by, ${outcome.by ?? null})`
        : Prisma.empty;
    await this.db.$executeRaw`
      UPDATE training_jobs SET status = ${outcome.status}::training_job_status, finished_at = ${outcome.at}, error = ${outcome.error} ${historySet} ${cancelSet}
       WHERE id = ${id}::uuid`;
    return this.mustGet(id);
  }

  /** Asks the running attempt to stop: its next progress/heartbeat write sees it and aborts training. */
  async requestCancel(id: string, by: string, at: Date): Promise<TrainingJobEntity> {
    await this.db.$executeRaw`
      UPDATE training_jobs SET cancel_requested_at = COALESCE(cancel_requested_at, ${at}), cancel_requested_by = COALESCE(cancel_requested_by, ${by})
       WHERE id = ${id}::uuid`;
    return this.mustGet(id);
  }

  /** RUNNING jobs whose attempt has not heartbeated since `heartbeatBefore`, oldest first (their worker may be gone). */
  async silentSince(heartbeatBefore: Date, limit: number): Promise<string[]> {
    const rows = await this.db.$queryRaw<{ id: string }[]>`
      SELECT id FROM training_jobs WHERE status = 'RUNNING' AND heartbeat_at < ${heartbeatBefore} ORDER BY heartbeat_at LIMIT ${limit}`;
    return rows.map((r) => r.id);
  }

  /**
   * Claims the job for one queue message: records `messageId` when the job has none yet (the worker got the
   * message before the sender recorded it), and answers whether the job's message is this one. A second
   * message for the same job (two relay sweeps sending at once) answers false: its handler does nothing.
   */
  async claimQueueMessage(id: string, messageId: string): Promise<boolean> {
    const rows = await this.db.$queryRaw<{ queue_job_id: string | null }[]>`
      UPDATE training_jobs SET queue_job_id = COALESCE(queue_job_id, ${messageId}) WHERE id = ${id}::uuid RETURNING queue_job_id`;
    return rows.length === 1 && rows[0].queue_job_id === messageId;
  }

  /**
   * Ends the running attempt `attempt` (fenced) without ending the job: back to QUEUED, waiting for the queue's
   * retry (attempt n+1), with the attempt closed in `history` and its error kept. Null when the attempt no
   * longer owns the job.
   */
  async releaseAttempt(id: string, attempt: number, outcome: { history: TrainingAttempt[]; error: string; at: Date }): Promise<TrainingJobEntity | null> {
    const updated = await this.db.$executeRaw`
      UPDATE training_jobs SET status = 'QUEUED', progress = NULL, error = ${outcome.error}, heartbeat_at = ${outcome.at},
                               attempt_history = ${jsonbText(outcome.history)}
       WHERE id = ${id}::uuid AND attempts = ${attempt} AND status = 'RUNNING'`;
    return updated ? this.mustGet(id) : null;
  }

  /**
   * The lineage columns of a run a training attempt logs to (the run store does not write them): the dataset it
   * trains on, the TensorFlow.js backend and the worker.
   */
  async setRunLineage(runId: string, lineage: { datasetId: string | null; tfBackend: string; workerId: string }): Promise<void> {
    await this.db.$executeRaw`
      UPDATE runs SET dataset_id = ${lineage.datasetId}::uuid, tf_backend = ${lineage.tfBackend}, worker_id = ${lineage.workerId} WHERE id = ${runId}::uuid`;
  }

  /** Model versions registered from any of these runs (a job's earlier attempts), with their status. */
  async versionsFromRuns(runIds: string[]): Promise<{ id: string; model: string; version: number; status: string; runId: string }[]> {
    if (runIds.length === 0) return [];
    return this.db.$queryRaw<{ id: string; model: string; version: number; status: string; runId: string }[]>`
      SELECT v.id, m.name AS model, v.version, v.status::text AS status, v.run_id AS "runId"
        FROM model_versions v JOIN models m ON m.id = v.model_id
       WHERE v.run_id = ANY(${runIds}::uuid[]) ORDER BY v.created_at`;
  }

  /** The version the job's model was registered as (registerAs, or a later POST …/register). */
  async setModelVersion(id: string, modelVersionId: string): Promise<TrainingJobEntity> {
    await this.db.$executeRaw`UPDATE training_jobs SET model_version_id = ${modelVersionId}::uuid WHERE id = ${id}::uuid`;
    return this.mustGet(id);
  }
}
