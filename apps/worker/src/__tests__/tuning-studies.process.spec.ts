import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ArtifactSigner } from '@slipway/artifacts';
import { evaluationPlanSchema, tuningEarlyStoppingSchema, type SearchSpace } from '@slipway/contracts';
import { UnitOfWork, type DatasetEntity, type NewTuningStudy, type TuningStudyEntity, type TuningTrialEntity } from '@slipway/db';
import { suggest, type TrialRecord } from '@slipway/ml-tuning';
import { JobQueue, QueueName } from '@slipway/queue';
import { ModelRegistrar } from '@slipway/model-registry';
import { LocalObjectStore } from '@slipway/storage';
import { type TestSql, useTestDatabase, waitFor } from '@slipway/testing';
import { expectNamed } from '@slipway/testing-matchers';
import { registerBestTrial, StudyScheduler } from '@slipway/tuning-studies';
import { spawnWorker, type SpawnedWorker } from './support/worker-processes';
import { closeWorkerTestbed, openWorkerTestbed, runTagsOf, startWorkers } from './support/worker-testbed';

const ENDED = new Set(['COMPLETED', 'STOPPED', 'FAILED']);

/**
 * Tuning studies on real worker processes: two workers (one training slot each) share one database, queue and
 * artifact folder. A study is created through the store and started with a `tuning-study` message, as the API's
 * start does; from there the workers alone run it (trial jobs, the end-of-trial tick, the sweep, register-best).
 */
describe('tuning studies on worker processes', () => {
  const db = useTestDatabase();
  let sql: TestSql;
  let uow: UnitOfWork;
  let queue: JobQueue;
  let env: Record<string, string>;
  const workers: SpawnedWorker[] = [];
  let iris: DatasetEntity;
  let regression: DatasetEntity;
  let experimentId: string;

  const workerOutput = () => workers.map((w) => `--- worker ${w.pid}\n${w.output().slice(-3000)}`).join('\n');
  const study = async (id: string) => (await uow.read.studies.get(id)) as TuningStudyEntity;
  const trials = (id: string) => uow.read.studies.trials(id);
  const ended = (id: string, timeoutMs = 50_000) =>
    waitFor(
      async () => {
        const current = await study(id);
        return ENDED.has(current.status) ? current : undefined;
      },
      { what: `study ${id} ends`, timeoutMs, intervalMs: 200 },
    ).catch(async (error: Error) => {
      const state = await sql.query(
        `SELECT t.number, t.status, t.error, j.status AS job, j.attempts, j.cancel_requested_at, j.progress->>'epoch' AS epoch, j.error AS job_error
           FROM tuning_trials t LEFT JOIN training_jobs j ON j.id = t.training_job_id WHERE t.study_id = $1 ORDER BY t.number`,
        [id],
      );
      throw new Error(`${error.message}: study ${(await study(id)).status}, trials ${JSON.stringify(state)}\n${workerOutput()}`);
    });
  const tagsOf = (runId: string) => runTagsOf(sql, runId);
  const runStatus = async (runId: string) => (await sql.query<{ status: string }>('SELECT status FROM runs WHERE id = $1', [runId]))[0]?.status;

  async function startStudy(fields: Partial<NewTuningStudy> & Pick<NewTuningStudy, 'algorithm' | 'searchSpace' | 'datasetId'>): Promise<TuningStudyEntity> {
    const created = await uow.run({ tokenId: null, name: 'alice' }, (tx) =>
      tx.studies.create({
        id: randomUUID(),
        name: `study-${randomUUID().slice(0, 8)}`,
        description: null,
        targetColumn: null,
        featureColumns: null,
        fixedHyperparameters: {},
        strategy: 'random',
        samplerOptions: {},
        objective: { metric: 'accuracy', direction: 'maximize' },
        evaluationPlan: { kind: 'kfold', folds: 2, stratify: true },
        maxTrials: 4,
        parallelism: 2,
        earlyStopping: null,
        seed: 3,
        maxFailedTrials: 2,
        trialMaxAttempts: 2,
        registerBest: null,
        experimentId,
        status: 'RUNNING',
        createdBy: 'alice',
        ...fields,
      }),
    );
    await queue.send(QueueName.TuningStudy, { studyId: created.id });
    return created;
  }

  beforeAll(async () => {
    ({ sql, uow, queue, env, iris, regression } = await openWorkerTestbed(db.url, {
      name: 'tuning',
      poolSize: 24,
      // One training slot per worker: pure-JavaScript TensorFlow on a shared 2-core machine starves an event loop that trains two networks.
      env: { SLIPWAY_WORKER_CONCURRENCY: '1' },
    }));
    experimentId = (await uow.run({ tokenId: null, name: 'alice' }, (tx) => tx.experiments.getOrCreateByName('studies'))).entity.id;
    await startWorkers({ sql, env }, workers, 2);
  }, 120_000);

  afterAll(() => closeWorkerTestbed({ queue, uow, sql }, workers));

  it('12 CART trials, parallelism 6 over two workers, with 20 concurrent advance() calls hammering it: exactly trials 0..11, COMPLETED, the best registered from its run', async () => {
    const space: SearchSpace = { maxDepth: { type: 'int', low: 1, high: 4, log: false }, criterion: { type: 'categorical', choices: ['gini', 'entropy'] } };
    const created = await startStudy({
      algorithm: 'cart',
      datasetId: iris.id,
      searchSpace: space,
      maxTrials: 12,
      parallelism: 6,
      registerBest: { model: 'iris-tuned', alias: 'champion' },
    });
    // The test is a third scheduler racing the workers' messages and sweeps: the row lock must keep every count.
    const hammer = new StudyScheduler(uow);
    const snapshots: { open: number; total: number; numbers: number[] }[] = [];
    while (!ENDED.has((await study(created.id)).status)) {
      const passes = await Promise.all(Array.from({ length: 20 }, () => hammer.advance(created.id)));
      // The jobs these passes created are sent as the workers' own passes send theirs, after commit.
      for (const pass of passes) await hammer.dispatch(queue, pass);
      const all = await trials(created.id);
      snapshots.push({ open: all.filter((t) => t.status === 'QUEUED' || t.status === 'RUNNING').length, total: all.length, numbers: all.map((t) => t.number) });
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    const done = await ended(created.id);
    expect(done.status).toBe('COMPLETED');
    snapshots.forEach((s, i) => {
      expectNamed(s.open, `open trials at snapshot ${i}`).toBeLessThanOrEqual(6);
      expectNamed(s.total, `trials at snapshot ${i}`).toBeLessThanOrEqual(12);
      expectNamed(new Set(s.numbers).size, `distinct numbers at snapshot ${i}`).toBe(s.numbers.length);
    });
    const all = await trials(created.id);
    expect(all.map((t) => t.number)).toEqual([...Array(12).keys()]);
    for (const trial of all) {
      expectNamed(trial.status, `trial ${trial.number}`).toBe('COMPLETED');
      expectNamed(typeof trial.value, `trial ${trial.number}'s value`).toBe('number');
      const tags = await tagsOf(trial.runId as string);
      expectNamed(tags, `trial ${trial.number}'s run tags`).toMatchObject({
        'slipway.study': created.id,
        'slipway.study.name': created.name,
        'slipway.trial': String(trial.number),
      });
    }
    // Both workers trained trials.
    const workersUsed = await sql.query<{ worker_id: string }>(`SELECT DISTINCT worker_id FROM training_jobs WHERE id = ANY($1::uuid[])`, [
      all.map((t) => t.trainingJobId),
    ]);
    expect(workersUsed.length).toBe(2);

    // Register-best ran on completion: the version's run is the best trial's run, its tags name the study and trial.
    const best = all.find((t) => t.id === done.bestTrialId) as TuningTrialEntity;
    const finite = all.map((t) => t.value as number);
    expect(best.value).toBe(Math.max(...finite));
    expect(best.number).toBe(all.find((t) => t.value === Math.max(...finite))?.number);
    const registered = await waitFor(async () => (await study(created.id)).registeredVersion ?? undefined, {
      what: 'the best trial registered',
      timeoutMs: 20_000,
    });
    expect(registered).toEqual({ model: 'iris-tuned', version: 1 });
    // The alias moves after the version is sealed (registerBestTrial): wait for both.
    const version = await waitFor(
      async () => {
        const [row] = await sql.query<{ run_id: string; status: string; tags: Record<string, string>; description: string; aliases: string[] }>(
          `SELECT v.run_id, v.status, v.description,
                  (SELECT jsonb_object_agg(key, value) FROM model_version_tags WHERE version_id = v.id) AS tags,
                  ARRAY(SELECT a.name FROM model_aliases a WHERE a.version_id = v.id) AS aliases
             FROM model_versions v JOIN models m ON m.id = v.model_id WHERE m.name = 'iris-tuned'`,
        );
        return row?.status === 'READY' && row.aliases.length > 0 ? row : undefined;
      },
      { what: 'the version READY with its alias', timeoutMs: 20_000 },
    );
    expect(version).toMatchObject({ run_id: best.runId, status: 'READY', aliases: ['champion'] });
    expect(version.tags).toMatchObject({ 'slipway.study': created.id, 'slipway.trial': String(best.number) });
    expect(version.description).toBe(`Best trial #${best.number} of study ${created.name} (accuracy = ${best.value})`);
    const announced = await sql.query<{ action: string }>(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY created_at`, [created.id]);
    expect(announced.map((a) => a.action)).toEqual(['tuning_study.complete', 'tuning_study.register_best']);

    // Once per study: the same model answers the same version, another model is refused.
    const registrar = new ModelRegistrar(uow, new LocalObjectStore(env.SLIPWAY_ARTIFACT_DIR), ArtifactSigner.loadOrCreate(env.SLIPWAY_SIGNING_KEY_FILE));
    const again = await registerBestTrial(uow, registrar, { tokenId: null, name: 'carol' }, created.id, { model: 'iris-tuned' });
    expect({ created: again.created, version: again.version.version, runId: again.version.runId }).toEqual({ created: false, version: 1, runId: best.runId });
    await expect(registerBestTrial(uow, registrar, { tokenId: null, name: 'carol' }, created.id, { model: 'other-model' })).rejects.toMatchObject({
      code: 'CONFLICT',
      fields: [{ field: 'body.model', message: 'already registered in iris-tuned' }],
    });
    expect(await sql.count('model_versions', 'true')).toBe(1);
  }, 90_000);

  it('median rule on 5-fold CART: a depth-1 tree is pruned after fold 2 against a completed depth-6 one, with its last value, its job CANCELLED and its run KILLED', async () => {
    const space: SearchSpace = {
      maxDepth: { type: 'categorical', choices: [1, 6] },
      criterion: { type: 'categorical', choices: ['gini', 'entropy'] },
      minSamplesLeaf: { type: 'categorical', choices: [1, 2] },
    };
    // A seed whose grid starts with a deep tree: the first completed trial is the good one the bad ones are judged by.
    const seed = [...Array(100).keys()].find(
      (s) => suggest({ space, history: [], direction: 'maximize', seed: s, number: 0, sampler: { kind: 'grid' } })['maxDepth'] === 6,
    );
    if (seed === undefined) throw new Error('no seed in 0..99 starts this grid with a deep tree');
    const created = await startStudy({
      algorithm: 'cart',
      datasetId: iris.id,
      searchSpace: space,
      strategy: 'grid',
      seed,
      maxTrials: 8,
      parallelism: 1,
      evaluationPlan: { kind: 'kfold', folds: 5, stratify: true },
      earlyStopping: tuningEarlyStoppingSchema.parse({ rule: 'median', warmupSteps: 2, minTrials: 1 }),
    });
    const done = await ended(created.id);
    expect(done.status).toBe('COMPLETED');
    const all = await trials(created.id);
    expect(all).toHaveLength(8);
    expect(all[0]).toMatchObject({ status: 'COMPLETED', params: { maxDepth: 6 } });
    expect(all[0].intermediateValues.map((p) => p.step)).toEqual([1, 2, 3, 4, 5]);
    // Every stump runs after a completed deep tree (parallelism 1): at fold 2 its mean accuracy is far below theirs.
    const stumps = all.filter((t) => t.params['maxDepth'] === 1);
    expect(stumps).toHaveLength(4);
    for (const trial of stumps) {
      const name = `stump trial ${trial.number}`;
      expectNamed(trial.status, name).toBe('PRUNED');
      expectNamed(trial.prunedAtStep, name).toBe(2);
      expectNamed(
        trial.intermediateValues.map((p) => p.step),
        name,
      ).toEqual([1, 2]);
      expectNamed(trial.value, name).toBe(trial.intermediateValues[1].value);
      expectNamed(trial.value, name).toBeLessThan(all[0].intermediateValues[1].value);
      expectNamed(trial.error, name).toMatch(/^median rule: .* at step 2 is worse than the median /);
      const job = await uow.read.trainingJobs.get(trial.trainingJobId as string);
      expectNamed({ status: job?.status, error: job?.error }, name).toEqual({ status: 'CANCELLED', error: `pruned: ${trial.error}` });
      expectNamed(await runStatus(trial.runId as string), name).toBe('KILLED');
      expectNamed((await tagsOf(trial.runId as string))['slipway.tuning.pruned'], name).toBe(trial.error);
    }
  }, 60_000);

  it('stop: queued trials cancelled at once, running ones signalled and ended, STOPPED; resume continues the numbering and finishes the budget', async () => {
    // A grid over epochs whose first four points train for long (they are stopped) and whose fifth, the one the resume
    // runs, trains 3 epochs: a seed that orders the grid so.
    const space: SearchSpace = { epochs: { type: 'categorical', choices: [400, 401, 402, 403, 3] } };
    const gridOrder = (seed: number) => {
      const history: TrialRecord[] = [];
      for (let number = 0; number < 5; number++)
        history.push({
          number,
          params: suggest({ space, history, direction: 'maximize', seed, number, sampler: { kind: 'grid' } }),
          state: 'RUNNING',
          value: null,
          intermediate: [],
        });
      return history.map((t) => t.params['epochs']);
    };
    const seed = [...Array(200).keys()].find((s) => gridOrder(s)[4] === 3);
    if (seed === undefined) throw new Error('no seed in 0..199 puts the short trial last');
    const created = await startStudy({
      algorithm: 'nn-regression',
      datasetId: regression.id,
      searchSpace: space,
      strategy: 'grid',
      seed,
      // No early stopping of its own: a trial trains all its epochs unless cancelled.
      fixedHyperparameters: { batchSize: 32, earlyStopping: null },
      objective: { metric: 'r2', direction: 'maximize' },
      evaluationPlan: evaluationPlanSchema.parse({ kind: 'split' }),
      maxTrials: 5,
      parallelism: 4,
    });
    // Two training slots: two trials train, two wait QUEUED.
    await waitFor(
      async () => {
        const all = await trials(created.id);
        const jobs = await Promise.all(all.map((t) => uow.read.trainingJobs.get(t.trainingJobId as string)));
        return all.length === 4 && jobs.filter((j) => (j?.progress?.epoch ?? 0) >= 1).length >= 1 ? true : undefined;
      },
      { what: 'four trials, one training', timeoutMs: 30_000, intervalMs: 100 },
    );
    await uow.run({ tokenId: null, name: 'bob' }, (tx) =>
      tx.studies.update(created.id, { status: 'STOPPING', stopRequestedAt: new Date(), stopRequestedBy: 'bob' }),
    );
    await queue.send(QueueName.TuningStudy, { studyId: created.id });
    const stopped = await ended(created.id, 40_000);
    expect(stopped.status).toBe('STOPPED');
    const afterStop = await trials(created.id);
    expect(afterStop).toHaveLength(4);
    for (const trial of afterStop) {
      const job = await uow.read.trainingJobs.get(trial.trainingJobId as string);
      const name = `trial ${trial.number} (job ${job?.status}, ${job?.attempts} attempts)`;
      expectNamed(job?.status, name).toBe('CANCELLED');
      expectNamed(trial.status, name).toBe('FAILED');
      expectNamed(trial.error, name).toMatch(/^cancelled/);
      if (trial.runId) expectNamed(await runStatus(trial.runId), name).toBe('KILLED');
    }
    expect(afterStop.some((t) => t.runId === null)).toBe(true);
    expect(afterStop.some((t) => t.runId !== null)).toBe(true);

    // Resume, as the API's resume does: RUNNING again, then a message.
    await uow.run({ tokenId: null, name: 'bob' }, (tx) =>
      tx.studies.update(created.id, { status: 'RUNNING', finishedAt: null, stopRequestedAt: null, stopRequestedBy: null, error: null }),
    );
    await queue.send(QueueName.TuningStudy, { studyId: created.id });
    const finished = await ended(created.id, 40_000);
    expect(finished.status).toBe('COMPLETED');
    const all = await trials(created.id);
    expect(all.map((t) => t.number)).toEqual([0, 1, 2, 3, 4]);
    expect(all[4]).toMatchObject({ status: 'COMPLETED', params: { epochs: 3 } });
  }, 120_000);

  /** Waits for trial `number` of the study to train a few epochs, SIGKILLs the worker running it, and answers that worker's id. */
  async function killWorkerOfTrial(studyId: string, number: number): Promise<{ workerId: string; survivor: SpawnedWorker }> {
    const running = await waitFor(
      async () => {
        const trial = (await trials(studyId)).find((t) => t.number === number);
        const job = trial?.trainingJobId ? await uow.read.trainingJobs.get(trial.trainingJobId) : null;
        return job && (job.progress?.epoch ?? 0) >= 2 ? job : undefined;
      },
      { what: `trial ${number} trains`, timeoutMs: 30_000, intervalMs: 100 },
    );
    const live = workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
    const victim = live.find((w) => running.workerId?.split(':')[1] === String(w.pid));
    const survivor = live.find((w) => w !== victim);
    if (!victim || !survivor) throw new Error(`trial ${number} ran on ${running.workerId}, not one of the live spawned workers`);
    victim.child.kill('SIGKILL');
    await expect(victim.exited).resolves.toEqual({ code: null, signal: 'SIGKILL' });
    return { workerId: running.workerId as string, survivor };
  }

  it('trialMaxAttempts 1: a trial whose worker is SIGKILLed ends FAILED (its one attempt LOST) and the study goes on to COMPLETED', async () => {
    const created = await startStudy({
      algorithm: 'nn-regression',
      datasetId: regression.id,
      searchSpace: { learningRate: { type: 'float', low: 0.002, high: 0.01, log: true } },
      fixedHyperparameters: { epochs: 80, batchSize: 32, earlyStopping: null },
      objective: { metric: 'r2', direction: 'maximize' },
      evaluationPlan: evaluationPlanSchema.parse({ kind: 'split' }),
      maxTrials: 2,
      parallelism: 1,
      trialMaxAttempts: 1,
      maxFailedTrials: 1,
    });
    const { workerId } = await killWorkerOfTrial(created.id, 0);
    // The next test kills a worker too: a replacement keeps two.
    const replacement = spawnWorker(env);
    workers.push(replacement);
    await replacement.ready;
    const done = await ended(created.id, 60_000);
    expect(done.status).toBe('COMPLETED');
    const [first, second] = await trials(created.id);
    expect(first.status).toBe('FAILED');
    expect(first.error).toBe(`gave up after 1 attempts; the last: worker ${workerId} stopped heartbeating (attempt 1)`);
    expect(second.status).toBe('COMPLETED');
    expect(done.bestTrialId).toBe(second.id);
  }, 90_000);

  it('a worker SIGKILLed mid-trial: the trial is retried as attempt 2 on the other worker and the study completes', async () => {
    const created = await startStudy({
      algorithm: 'nn-regression',
      datasetId: regression.id,
      searchSpace: { learningRate: { type: 'float', low: 0.002, high: 0.01, log: true } },
      fixedHyperparameters: { epochs: 80, batchSize: 32, earlyStopping: null },
      objective: { metric: 'r2', direction: 'maximize' },
      evaluationPlan: evaluationPlanSchema.parse({ kind: 'split' }),
      maxTrials: 1,
      parallelism: 1,
      trialMaxAttempts: 2,
    });
    const { survivor } = await killWorkerOfTrial(created.id, 0);
    const done = await ended(created.id, 60_000);
    expect(done.status).toBe('COMPLETED');
    const [trial] = await trials(created.id);
    expect({ status: trial.status, attempts: trial.attempts }).toEqual({ status: 'COMPLETED', attempts: 2 });
    const job = await uow.read.trainingJobs.get(trial.trainingJobId as string);
    expect(job?.attemptHistory.map((a) => a.outcome)).toEqual(['LOST', 'SUCCEEDED']);
    expect(Number(job?.workerId?.split(':')[1])).toBe(survivor.pid);
    expect(trial.runId).toBe(job?.runId);
    expect(await runStatus(job?.attemptHistory[0].runId as string)).toBe('FAILED');
    expect((await tagsOf(trial.runId as string))['slipway.trial']).toBe('0');
  }, 90_000);
});
