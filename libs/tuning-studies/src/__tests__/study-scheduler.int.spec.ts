import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { tuningEarlyStoppingSchema, type SearchSpace, type TrainingEvaluation } from '@slipway/contracts';
import { CsvProfiler } from '@slipway/dataset-files';
import { UnitOfWork, type DatasetEntity, type NewTuningStudy, type TuningStudyEntity } from '@slipway/db';
import { connectTestSql, type TestSql, useTestDatabase } from '@slipway/testing';
import { expectNamed } from '@slipway/testing-matchers';
import { StudyScheduler } from '../study-scheduler';

const CSV = Buffer.from('a,b,label\n1,2,x\n3,4,y\n5,6,x\n7,8,y\n');

function evaluation(metrics: Record<string, number>): TrainingEvaluation {
  return { task: 'classification', plan: 'kfold', primaryMetric: 'accuracy', metrics, rows: { train: 4, test: 4 } };
}

/**
 * The scheduler's rules against a real Postgres, with the workers' side played by the test: a trial's job is
 * moved to RUNNING / SUCCEEDED / FAILED / CANCELLED by SQL, and advance() is called as a queue message would.
 */
describe('StudyScheduler (Postgres)', () => {
  const db = useTestDatabase();
  let uow: UnitOfWork;
  let sql: TestSql;
  let scheduler: StudyScheduler;
  let dataset: DatasetEntity;
  let experimentId: string;

  beforeAll(async () => {
    uow = UnitOfWork.connect(db.url, { poolSize: 24 });
    sql = connectTestSql(db.url);
    scheduler = new StudyScheduler(uow);
    const profiler = new CsvProfiler();
    profiler.push(CSV);
    const table = profiler.finish({ targetColumn: 'label' });
    const created = await uow.run({ tokenId: null, name: 'test' }, async (tx) => {
      experimentId = (await tx.experiments.getOrCreateByName('study/tests')).entity.id;
      return tx.datasets.create({
        id: randomUUID(),
        name: 'tiny',
        sha256: 'a'.repeat(64),
        rows: table.rows,
        columns: table.columns,
        targetColumn: 'label',
        storageUri: 'file:///nowhere',
        sizeBytes: CSV.length,
        profile: table.profile,
      });
    });
    if (!created) throw new Error('dataset not created');
    dataset = created;
  });

  afterAll(async () => {
    await uow?.close();
    await sql?.close();
  });

  const space: SearchSpace = { maxDepth: { type: 'int', low: 1, high: 8, log: false }, criterion: { type: 'categorical', choices: ['gini', 'entropy'] } };

  async function createStudy(overrides: Partial<NewTuningStudy> = {}): Promise<TuningStudyEntity> {
    return uow.run({ tokenId: null, name: 'alice' }, (tx) =>
      tx.studies.create({
        id: randomUUID(),
        name: `study-${randomUUID().slice(0, 8)}`,
        description: null,
        algorithm: 'cart',
        datasetId: dataset.id,
        targetColumn: 'label',
        featureColumns: null,
        fixedHyperparameters: { minSamplesLeaf: 1 },
        searchSpace: space,
        strategy: 'random',
        samplerOptions: {},
        objective: { metric: 'accuracy', direction: 'maximize' },
        evaluationPlan: { kind: 'kfold', folds: 2, stratify: true },
        maxTrials: 12,
        parallelism: 6,
        earlyStopping: null,
        seed: 11,
        maxFailedTrials: 5,
        trialMaxAttempts: 2,
        registerBest: null,
        experimentId,
        status: 'RUNNING',
        createdBy: 'alice',
        ...overrides,
      }),
    );
  }

  const trials = (studyId: string) => uow.read.studies.trials(studyId);
  const study = async (studyId: string) => (await uow.read.studies.get(studyId)) as TuningStudyEntity;
  const succeed = (jobId: string, metrics: Record<string, number>) =>
    sql.query(`UPDATE training_jobs SET status = 'SUCCEEDED', attempts = 1, finished_at = now(), evaluation = $2::jsonb WHERE id = $1`, [
      jobId,
      JSON.stringify(evaluation(metrics)),
    ]);
  const endJob = (jobId: string, status: 'FAILED' | 'CANCELLED' | 'RUNNING', error: string | null = null) =>
    sql.query(`UPDATE training_jobs SET status = $2::training_job_status, attempts = 1, error = $3, started_at = now() WHERE id = $1`, [jobId, status, error]);
  /** Audit entries of `action` about the study or one of its trials, each with the study's request id. */
  const audited = (action: string, studyId: string) =>
    sql.query<{ request_id: string; actor_name: string }>(
      `SELECT request_id, actor AS actor_name FROM audit_log WHERE action = $1 AND (entity_id = $2 OR after->>'studyId' = $2) ORDER BY created_at`,
      [action, studyId],
    );

  it('20 concurrent advance() calls queue exactly `parallelism` trials, and the budget ends at maxTrials: numbers 0..11, COMPLETED with the best', async () => {
    const created = await createStudy();
    const results = await Promise.all(Array.from({ length: 20 }, () => scheduler.advance(created.id)));
    expect(results.flatMap((r) => r.enqueue)).toHaveLength(6);
    let all = await trials(created.id);
    expect(all.map((t) => t.number)).toEqual([0, 1, 2, 3, 4, 5]);
    const jobs = await sql.query<{
      id: string;
      name: string;
      seed: number;
      max_attempts: number;
      hyperparameters: Record<string, unknown>;
      created_by: string;
    }>(
      `SELECT id, name, seed, max_attempts, hyperparameters, created_by FROM training_jobs WHERE id = ANY($1::uuid[]) ORDER BY (regexp_replace(name, '.*#', ''))::int`,
      [all.map((t) => t.trainingJobId)],
    );
    jobs.forEach((job, i) => {
      expectNamed(job, `job of trial ${i}`).toMatchObject({ name: `${created.name} #${i}`, seed: 11, max_attempts: 2, created_by: 'alice' });
      expectNamed(job.hyperparameters, `hyper-parameters of trial ${i}`).toMatchObject({ minSamplesLeaf: 1, ...all[i].params });
    });

    // Rounds of completions, each answered by a burst of concurrent passes: never more than 6 open nor 12 in all.
    for (let round = 0; round < 4; round++) {
      for (const trial of all.filter((t) => t.status === 'QUEUED')) await succeed(trial.trainingJobId as string, { accuracy: 0.5 + trial.number / 100 });
      await Promise.all(Array.from({ length: 20 }, () => scheduler.advance(created.id)));
      all = await trials(created.id);
      expect(all.filter((t) => t.status === 'QUEUED' || t.status === 'RUNNING').length).toBeLessThanOrEqual(6);
      expect(all.length).toBeLessThanOrEqual(12);
    }
    expect(all.map((t) => t.number)).toEqual([...Array(12).keys()]);
    expect(all.every((t) => t.status === 'COMPLETED')).toBe(true);
    const done = await study(created.id);
    expect(done.status).toBe('COMPLETED');
    expect(done.bestTrialId).toBe(all[11].id);
    expect(all[11].value).toBe(0.61);
    const completions = await audited('tuning_trial.complete', created.id);
    expect(completions).toHaveLength(12);
    expect(completions[0]).toEqual({ request_id: `tuning-study:${created.id}`, actor_name: 'alice' });
    expect(await audited('tuning_study.complete', created.id)).toHaveLength(1);
    expect(await audited('training_job.create', created.id)).toHaveLength(12);
  });

  it('reconciles each way a job ends: a missing objective FAILED naming the metrics it had, a failed job FAILED with its error, a pruned one PRUNED with its last value', async () => {
    const created = await createStudy({ maxTrials: 4, parallelism: 4 });
    await scheduler.advance(created.id);
    const [a, b, c, d] = await trials(created.id);
    await succeed(a.trainingJobId as string, { f1_macro: 0.7, log_loss: 0.4 });
    await endJob(b.trainingJobId as string, 'FAILED', 'out of memory');
    await uow.read.studies.appendIntermediate(c.id, { step: 1, value: 0.4 });
    await uow.read.studies.appendIntermediate(c.id, { step: 2, value: 0.45 });
    await uow.read.studies.updateTrial(c.id, { prunedAtStep: 2, error: 'median rule: 0.45 at step 2 is worse than the median 0.9' });
    await endJob(c.trainingJobId as string, 'CANCELLED', 'pruned: median rule');
    await endJob(d.trainingJobId as string, 'RUNNING');
    const result = await scheduler.advance(created.id);
    expect(result.ended.sort()).toEqual([0, 1, 2]);
    const [ra, rb, rc, rd] = await trials(created.id);
    expect({ status: ra.status, error: ra.error }).toEqual({ status: 'FAILED', error: 'the evaluation has no metric "accuracy" (it has f1_macro, log_loss)' });
    expect({ status: rb.status, error: rb.error }).toEqual({ status: 'FAILED', error: 'out of memory' });
    expect({ status: rc.status, value: rc.value, prunedAtStep: rc.prunedAtStep, error: rc.error }).toEqual({
      status: 'PRUNED',
      value: 0.45,
      prunedAtStep: 2,
      error: 'median rule: 0.45 at step 2 is worse than the median 0.9',
    });
    expect(rd.status).toBe('RUNNING');
    expect(rd.startedAt).not.toBeNull();
    expect((await study(created.id)).status).toBe('RUNNING');
  });

  it('more failures than maxFailedTrials end the study FAILED, cancelling its queued trials at once and asking the running one to stop', async () => {
    const created = await createStudy({ maxTrials: 6, parallelism: 3, maxFailedTrials: 0 });
    await scheduler.advance(created.id);
    const [a, b] = await trials(created.id);
    await endJob(a.trainingJobId as string, 'FAILED', 'boom');
    await endJob(b.trainingJobId as string, 'RUNNING');
    const result = await scheduler.advance(created.id);
    expect(result.status).toBe('FAILED');
    expect(result.enqueue).toEqual([]);
    const failed = await study(created.id);
    expect(failed.error).toBe('1 trial failed, more than maxFailedTrials (0)');
    const [, rb, rc] = await trials(created.id);
    expect(rb.status).toBe('RUNNING');
    expect((await uow.read.trainingJobs.get(rb.trainingJobId as string))?.cancelRequestedAt).not.toBeNull();
    expect({ status: rc.status, error: rc.error }).toEqual({ status: 'FAILED', error: `cancelled: study ${created.name} failed` });
    expect((await uow.read.trainingJobs.get(rc.trainingJobId as string))?.status).toBe('CANCELLED');
    expect(await audited('tuning_study.fail', created.id)).toHaveLength(1);
  });

  it('STOPPING cancels queued trials, signals the running one and ends STOPPED once it ended; a resume continues the numbering without counting the cancelled as failures', async () => {
    const created = await createStudy({ maxTrials: 5, parallelism: 3, maxFailedTrials: 0 });
    await scheduler.advance(created.id);
    const [a] = await trials(created.id);
    await endJob(a.trainingJobId as string, 'RUNNING');
    await uow.run({ tokenId: null, name: 'bob' }, (tx) =>
      tx.studies.update(created.id, { status: 'STOPPING', stopRequestedAt: new Date(), stopRequestedBy: 'bob' }),
    );
    expect((await scheduler.advance(created.id)).status).toBe('STOPPING');
    const job = await uow.read.trainingJobs.get(a.trainingJobId as string);
    expect({ status: job?.status, by: job?.cancelRequestedBy }).toEqual({ status: 'RUNNING', by: 'bob' });
    expect((await trials(created.id)).map((t) => t.status)).toEqual(['RUNNING', 'FAILED', 'FAILED']);
    await endJob(a.trainingJobId as string, 'CANCELLED', 'cancelled by bob');
    expect((await scheduler.advance(created.id)).status).toBe('STOPPED');
    expect((await study(created.id)).finishedAt).not.toBeNull();

    await uow.run({ tokenId: null, name: 'bob' }, (tx) => tx.studies.update(created.id, { status: 'RUNNING', finishedAt: null, stopRequestedAt: null }));
    const resumed = await scheduler.advance(created.id);
    expect(resumed.status).toBe('RUNNING');
    expect((await trials(created.id)).map((t) => [t.number, t.status])).toEqual([
      [0, 'FAILED'],
      [1, 'FAILED'],
      [2, 'FAILED'],
      [3, 'QUEUED'],
      [4, 'QUEUED'],
    ]);
  });

  it('a grid search completes when its grid is exhausted, below maxTrials', async () => {
    const created = await createStudy({
      strategy: 'grid',
      searchSpace: { maxDepth: { type: 'int', low: 1, high: 3, log: false } },
      maxTrials: 10,
      parallelism: 10,
      earlyStopping: tuningEarlyStoppingSchema.parse({ rule: 'median' }),
    });
    await scheduler.advance(created.id);
    const all = await trials(created.id);
    expect(all.map((t) => t.params['maxDepth']).sort()).toEqual([1, 2, 3]);
    for (const trial of all) await succeed(trial.trainingJobId as string, { accuracy: 0.9 });
    expect((await scheduler.advance(created.id)).status).toBe('COMPLETED');
    expect((await study(created.id)).bestTrialId).toBe(all[0].id);
  });

  it('parameters the algorithm refuses make a FAILED trial without a job, naming the field', async () => {
    const created = await createStudy({
      searchSpace: { minSamplesSplit: { type: 'int', low: 0, high: 1, log: false } },
      maxTrials: 2,
      parallelism: 1,
      maxFailedTrials: 5,
    });
    const result = await scheduler.advance(created.id);
    expect(result.enqueue).toEqual([]);
    const all = await trials(created.id);
    expect(all).toHaveLength(2);
    for (const trial of all) {
      expectNamed(trial.status, `trial ${trial.number}`).toBe('FAILED');
      expectNamed(trial.trainingJobId, `trial ${trial.number}'s job`).toBeNull();
      expectNamed(trial.error, `trial ${trial.number}'s error`).toMatch(/^the cart hyper-parameters were refused: minSamplesSplit: /);
    }
    expect(result.status).toBe('COMPLETED');
  });
});
