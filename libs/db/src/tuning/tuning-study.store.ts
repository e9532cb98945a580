import {
  ErrorCode,
  evaluationPlanSchema,
  readJsonColumn,
  readJsonColumnOrNull,
  SlipwayError,
  trainingAlgorithmSchema,
  type EvaluationPlan,
  type StudyQuery,
  type TrainingAlgorithm,
  type TrialParams,
  type TuningStrategyName,
  type TuningStudyStatus,
  type TuningTrialStatus,
} from '@slipway/contracts';
import { Prisma, type TuningStudy as StudyRow, type TuningTrial as TrialRow } from '../generated/prisma/client';
import type { DbClient } from '../db-client';
import { newestFirstPaging } from '../newest-first';
import { float8 } from '../float8';
import { jsonbText } from '../jsonb';
import type { TrialCounts, TuningStudyEntity, TuningTrialEntity } from './tuning-study.entity';

/** Keyset: newest first, ties by id. */
const paging = newestFirstPaging('studies');

const INCLUDE = {
  dataset: { select: { id: true, name: true } },
  registeredVersion: { select: { version: true, model: { select: { name: true } } } },
} as const;

type StudyRowWith = StudyRow & {
  dataset: { id: string; name: string } | null;
  registeredVersion: { version: number; model: { name: string } } | null;
};

const STRATEGY_OF_ROW = { GRID: 'grid', RANDOM: 'random', TPE: 'tpe' } as const satisfies Record<StudyRow['strategy'], TuningStrategyName>;
const ROW_STRATEGY = { grid: 'GRID', random: 'RANDOM', tpe: 'TPE' } as const satisfies Record<TuningStrategyName, StudyRow['strategy']>;

function toStudy(row: StudyRowWith): TuningStudyEntity {
  const algorithm: TrainingAlgorithm = trainingAlgorithmSchema.safeParse(row.algorithm).data ?? 'cart';
  const evaluationPlan: EvaluationPlan = evaluationPlanSchema.safeParse(row.evaluationPlan).data ?? { kind: 'kfold', folds: 5, stratify: true };
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    status: row.status,
    algorithm,
    datasetId: row.datasetId,
    dataset: row.dataset,
    targetColumn: row.targetColumn,
    featureColumns: readJsonColumnOrNull('tuning_studies.feature_columns', row.featureColumns),
    fixedHyperparameters: readJsonColumnOrNull('tuning_studies.fixed_hyperparameters', row.fixedHyperparameters) ?? {},
    // The search space and objective drive the scheduler: a row that no longer reads is an error, not a default.
    searchSpace: readJsonColumn('tuning_studies.search_space', row.searchSpace, row.id),
    strategy: STRATEGY_OF_ROW[row.strategy],
    samplerOptions: readJsonColumnOrNull('tuning_studies.sampler_options', row.samplerOptions) ?? {},
    objective: readJsonColumn('tuning_studies.objective', row.objective, row.id),
    evaluationPlan,
    maxTrials: row.maxTrials,
    parallelism: row.parallelism,
    earlyStopping: readJsonColumnOrNull('tuning_studies.early_stopping', row.earlyStopping),
    seed: row.seed ?? 0,
    maxFailedTrials: row.maxFailedTrials,
    trialMaxAttempts: row.trialMaxAttempts,
    registerBest: row.registerModel ? { model: row.registerModel, ...(row.registerAlias ? { alias: row.registerAlias } : {}) } : null,
    registeredVersionId: row.registeredVersionId,
    registeredVersion: row.registeredVersion ? { model: row.registeredVersion.model.name, version: row.registeredVersion.version } : null,
    bestTrialId: row.bestTrialId,
    experimentId: row.experimentId,
    error: row.error,
    stopRequestedAt: row.stopRequestedAt,
    stopRequestedBy: row.stopRequestedBy,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    updatedAt: row.updatedAt,
  };
}

function toTrial(row: TrialRow): TuningTrialEntity {
  return {
    id: row.id,
    studyId: row.studyId,
    number: row.number,
    params: readJsonColumn('tuning_trials.params', row.params, row.id),
    status: row.status,
    value: row.value,
    intermediateValues: readJsonColumnOrNull('tuning_trials.intermediate_values', row.intermediateValues) ?? [],
    prunedAtStep: row.prunedAtStep,
    runId: row.runId,
    trainingJobId: row.trainingJobId,
    attempts: row.attempts,
    error: row.error,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  };
}

/** A study as created: the entity's own settings, plus where its trials train and log (both known to exist) and who asked. */
export type NewTuningStudy = Pick<
  TuningStudyEntity,
  | 'id'
  | 'name'
  | 'description'
  | 'algorithm'
  | 'targetColumn'
  | 'featureColumns'
  | 'fixedHyperparameters'
  | 'searchSpace'
  | 'strategy'
  | 'samplerOptions'
  | 'objective'
  | 'evaluationPlan'
  | 'maxTrials'
  | 'parallelism'
  | 'earlyStopping'
  | 'seed'
  | 'maxFailedTrials'
  | 'trialMaxAttempts'
  | 'registerBest'
> & {
  datasetId: string;
  experimentId: string;
  /** RUNNING (started at once) or CREATED. */
  status: Extract<TuningStudyStatus, 'CREATED' | 'RUNNING'>;
  createdBy: string;
};

/** The study columns a state change writes; absent fields stay as they are, null clears. */
export interface StudyChange {
  status?: TuningStudyStatus;
  maxTrials?: number;
  maxFailedTrials?: number;
  error?: string | null;
  startedAt?: Date;
  finishedAt?: Date | null;
  stopRequestedAt?: Date | null;
  stopRequestedBy?: string | null;
  bestTrialId?: string | null;
  registeredVersionId?: string | null;
}

/** The trial columns the scheduler and the workers write; absent fields stay as they are. */
export interface TrialChange {
  status?: TuningTrialStatus;
  value?: number | null;
  runId?: string | null;
  trainingJobId?: string | null;
  attempts?: number;
  error?: string | null;
  prunedAtStep?: number | null;
  startedAt?: Date | null;
  finishedAt?: Date | null;
}

/**
 * Tuning studies and their trials. Every change that decides how many trials a study has (creating trials,
 * ending the study) is made with the study's row locked (`lock`), so concurrent schedulers — every worker
 * advances studies — serialise on it and a study never gets more than `maxTrials` trials.
 */
export class TuningStudyStore {
  constructor(private readonly db: DbClient) {}

  async create(input: NewTuningStudy): Promise<TuningStudyEntity> {
    // Raw insert: the JSON columns go in as text cast by Postgres (Prisma would re-round their numbers).
    await this.db.$executeRaw`
      INSERT INTO tuning_studies (id, name, description, experiment_id, algorithm, dataset_id, target_column, feature_columns,
                                  fixed_hyperparameters, search_space, strategy, sampler_options, objective, evaluation_plan,
                                  max_trials, parallelism, early_stopping, seed, max_failed_trials, trial_max_attempts,
                                  register_model, register_alias, status, created_by, started_at)
      VALUES (${input.id}::uuid, ${input.name}, ${input.description}, ${input.experimentId}::uuid, ${input.algorithm}, ${input.datasetId}::uuid,
              ${input.targetColumn}, ${jsonbText(input.featureColumns)}, ${jsonbText(input.fixedHyperparameters)}, ${jsonbText(input.searchSpace)},
              ${ROW_STRATEGY[input.strategy]}::tuning_strategy, ${jsonbText(input.samplerOptions)}, ${jsonbText(input.objective)},
              ${jsonbText(input.evaluationPlan)}, ${input.maxTrials}, ${input.parallelism}, ${jsonbText(input.earlyStopping)}, ${input.seed},
              ${input.maxFailedTrials}, ${input.trialMaxAttempts}, ${input.registerBest?.model ?? null}, ${input.registerBest?.alias ?? null},
              ${input.status}::tuning_study_status, ${input.createdBy}, ${input.status === 'RUNNING' ? new Date() : null})`;
    return this.mustGet(input.id);
  }

  async get(id: string): Promise<TuningStudyEntity | null> {
    const row = await this.db.tuningStudy.findUnique({ where: { id }, include: INCLUDE });
    return row ? toStudy(row) : null;
  }

  async getByName(name: string): Promise<TuningStudyEntity | null> {
    const row = await this.db.tuningStudy.findUnique({ where: { name }, include: INCLUDE });
    return row ? toStudy(row) : null;
  }

  private async mustGet(id: string): Promise<TuningStudyEntity> {
    const study = await this.get(id);
    if (!study) throw new SlipwayError(ErrorCode.NOT_FOUND, `No study ${id}`, [{ field: 'params.id', message: 'no such study' }]);
    return study;
  }

  /** Locks the study's row until the transaction ends: the one place trials are counted and created. */
  async lock(id: string): Promise<TuningStudyEntity | null> {
    const locked = await this.db.$queryRaw<{ id: string }[]>`SELECT id FROM tuning_studies WHERE id = ${id}::uuid FOR UPDATE`;
    return locked.length ? this.get(id) : null;
  }

  /** Like lock, but answers null at once when another transaction holds the row (a sweep skips a study being advanced). */
  async tryLock(id: string): Promise<TuningStudyEntity | null> {
    const locked = await this.db.$queryRaw<{ id: string }[]>`SELECT id FROM tuning_studies WHERE id = ${id}::uuid FOR UPDATE SKIP LOCKED`;
    return locked.length ? this.get(id) : null;
  }

  async list(query: StudyQuery): Promise<{ studies: TuningStudyEntity[]; nextCursor: string | null }> {
    const after = paging.after(query.cursor);
    const rows = await this.db.tuningStudy.findMany({
      where: {
        status: query.status,
        algorithm: query.algorithm,
        datasetId: query.datasetId,
        OR: after,
      },
      include: INCLUDE,
      orderBy: paging.orderBy,
      take: query.limit + 1,
    });
    const page = paging.page(rows, query.limit);
    return { studies: page.rows.map(toStudy), nextCursor: page.nextCursor };
  }

  /** Writes a state change (call with the row locked when it changes status or the budget). */
  async update(id: string, change: StudyChange): Promise<TuningStudyEntity> {
    const sets: Prisma.Sql[] = [Prisma.sql`updated_at = now()`];
    if (change.status !== undefined) sets.push(Prisma.sql`status = ${change.status}::tuning_study_status`);
    if (change.maxTrials !== undefined) sets.push(Prisma.sql`max_trials = ${change.maxTrials}`);
    if (change.maxFailedTrials !== undefined) sets.push(Prisma.sql`max_failed_trials = ${change.maxFailedTrials}`);
    if (change.error !== undefined) sets.push(Prisma.sql`error = ${change.error}`);
    if (change.startedAt !== undefined) sets.push(Prisma.sql`started_at = COALESCE(started_at, ${change.startedAt})`);
    if (change.finishedAt !== undefined) sets.push(Prisma.sql`finished_at = ${change.finishedAt}`);
    if (change.stopRequestedAt !== undefined) sets.push(Prisma.sql`stop_requested_at = ${change.stopRequestedAt}`);
    if (change.stopRequestedBy !== undefined) sets.push(Prisma.sql`stop_requested_by = ${change.stopRequestedBy}`);
    if (change.bestTrialId !== undefined) sets.push(Prisma.sql`best_trial_id = ${change.bestTrialId}::uuid`);
    if (change.registeredVersionId !== undefined) sets.push(Prisma.sql`registered_version_id = ${change.registeredVersionId}::uuid`);
    await this.db.$executeRaw`UPDATE tuning_studies SET ${Prisma.join(sets, ', ')} WHERE id = ${id}::uuid`;
    return this.mustGet(id);
  }

  /** Studies the scheduler must look at (RUNNING or STOPPING), least recently changed first. */
  async active(limit: number): Promise<string[]> {
    const rows = await this.db.$queryRaw<{ id: string }[]>`
      SELECT id FROM tuning_studies WHERE status IN ('RUNNING', 'STOPPING') ORDER BY updated_at LIMIT ${limit}`;
    return rows.map((r) => r.id);
  }

  /** Every trial of the study, by number. */
  async trials(studyId: string): Promise<TuningTrialEntity[]> {
    const rows = await this.db.tuningTrial.findMany({ where: { studyId }, orderBy: { number: 'asc' } });
    return rows.map(toTrial);
  }

  async trial(id: string): Promise<TuningTrialEntity | null> {
    const row = await this.db.tuningTrial.findUnique({ where: { id } });
    return row ? toTrial(row) : null;
  }

  /** The trial a training job runs, if it is one. */
  async trialOfJob(trainingJobId: string): Promise<TuningTrialEntity | null> {
    const row = await this.db.tuningTrial.findUnique({ where: { trainingJobId } });
    return row ? toTrial(row) : null;
  }

  /** Trial counts per state of each study (studies without trials are absent). */
  async counts(studyIds: string[]): Promise<Map<string, TrialCounts>> {
    const out = new Map<string, TrialCounts>();
    if (studyIds.length === 0) return out;
    const rows = await this.db.$queryRaw<{ study_id: string; status: TuningTrialStatus; n: bigint }[]>`
      SELECT study_id, status, count(*) AS n FROM tuning_trials WHERE study_id = ANY(${studyIds}::uuid[]) GROUP BY study_id, status`;
    for (const row of rows) {
      const counts = out.get(row.study_id) ?? { queued: 0, running: 0, completed: 0, pruned: 0, failed: 0, total: 0 };
      const n = Number(row.n);
      counts[row.status.toLowerCase() as Exclude<keyof TrialCounts, 'total'>] += n;
      counts.total += n;
      out.set(row.study_id, counts);
    }
    return out;
  }

  /** A new QUEUED trial (call with the study locked: its number is the study's next). */
  async createTrial(input: { id: string; studyId: string; number: number; params: TrialParams; trainingJobId: string | null }): Promise<TuningTrialEntity> {
    await this.db.$executeRaw`
      INSERT INTO tuning_trials (id, study_id, number, params, status, training_job_id)
      VALUES (${input.id}::uuid, ${input.studyId}::uuid, ${input.number}, ${jsonbText(input.params)}, 'QUEUED', ${input.trainingJobId}::uuid)`;
    const trial = await this.trial(input.id);
    if (!trial) throw new Error(`trial ${input.id} vanished after insert`);
    return trial;
  }

  async updateTrial(id: string, change: TrialChange): Promise<TuningTrialEntity> {
    const sets: Prisma.Sql[] = [];
    if (change.status !== undefined) sets.push(Prisma.sql`status = ${change.status}::tuning_trial_status`);
    if (change.value !== undefined) sets.push(change.value === null ? Prisma.sql`value = NULL` : Prisma.sql`value = ${float8(change.value)}`);
    if (change.runId !== undefined) sets.push(Prisma.sql`run_id = ${change.runId}::uuid`);
    if (change.trainingJobId !== undefined) sets.push(Prisma.sql`training_job_id = ${change.trainingJobId}::uuid`);
    if (change.attempts !== undefined) sets.push(Prisma.sql`attempts = ${change.attempts}`);
    if (change.error !== undefined) sets.push(Prisma.sql`error = ${change.error}`);
    if (change.prunedAtStep !== undefined) sets.push(Prisma.sql`pruned_at_step = ${change.prunedAtStep}`);
    if (change.startedAt !== undefined) sets.push(Prisma.sql`started_at = COALESCE(started_at, ${change.startedAt})`);
    if (change.finishedAt !== undefined) sets.push(Prisma.sql`finished_at = ${change.finishedAt}`);
    if (sets.length > 0) await this.db.$executeRaw`UPDATE tuning_trials SET ${Prisma.join(sets, ', ')} WHERE id = ${id}::uuid`;
    const trial = await this.trial(id);
    if (!trial) throw new SlipwayError(ErrorCode.NOT_FOUND, `No trial ${id}`);
    return trial;
  }

  /**
   * Appends one intermediate value (a fold's running mean, an epoch's loss) to a trial still QUEUED or RUNNING,
   * when its step is past the last one recorded: a retried attempt re-reporting steps 1..k adds nothing twice.
   * Answers the trial's values after the write, or null when the trial has ended (pruned or finished meanwhile).
   */
  async appendIntermediate(trialId: string, point: { step: number; value: number }): Promise<TuningTrialEntity | null> {
    await this.db.$executeRaw`
      UPDATE tuning_trials
         SET intermediate_values = intermediate_values || jsonb_build_array(jsonb_build_object('step', ${point.step}::int, 'value', ${float8(point.value)}))
       WHERE id = ${trialId}::uuid AND status IN ('QUEUED', 'RUNNING')
         AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(intermediate_values) AS p WHERE (p->>'step')::int >= ${point.step}::int)`;
    const trial = await this.trial(trialId);
    return trial && (trial.status === 'QUEUED' || trial.status === 'RUNNING') ? trial : null;
  }
}
