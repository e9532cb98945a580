import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ArtifactSigner } from '@slipway/artifacts';
import { UnitOfWork, type DatasetEntity, type TrainingJobEntity } from '@slipway/db';
import { ModelRegistrar } from '@slipway/model-registry';
import { loadBuiltinDataset } from '@slipway/ml-datasets';
import { JobQueue, QueueName } from '@slipway/queue';
import { LocalObjectStore } from '@slipway/storage';
import { type TestSql, useTestDatabase, waitFor } from '@slipway/testing';
import type { SpawnedWorker } from './support/worker-processes';
import { createJob, sampleCsv, seedDataset, seedDigitImages } from './support/training-jobs';
import { closeWorkerTestbed, openWorkerTestbed, runTagsOf, startWorkers } from './support/worker-testbed';

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

/**
 * Training jobs on real worker processes (spawned as production runs them, configured by the environment),
 * sharing one database, one artifact folder and one signing key. Jobs are created through the store and their
 * messages sent the way the API does after commit.
 */
describe('training jobs on worker processes', () => {
  const db = useTestDatabase();
  let sql: TestSql;
  let uow: UnitOfWork;
  let queue: JobQueue;
  let objects: LocalObjectStore;
  let env: Record<string, string>;
  const workers: SpawnedWorker[] = [];
  let iris: DatasetEntity;
  let regression: DatasetEntity;
  let unqueuedAtStart: TrainingJobEntity;
  let abandonedAtStart: { id: string; runId: string };
  const deadWorker = 'dead-host:1:000000';

  const job = async (id: string) => (await uow.read.trainingJobs.get(id)) as TrainingJobEntity;
  const finished = (id: string, timeoutMs = 30_000) =>
    waitFor(
      async () => {
        const current = await job(id);
        return TERMINAL.has(current.status) ? current : undefined;
      },
      { what: `training job ${id} ends`, timeoutMs, intervalMs: 100 },
    );
  const artifactsOf = (runId: string) =>
    sql.query<{ path: string; sha256: string; size_bytes: string }>('SELECT path, sha256, size_bytes FROM artifacts WHERE run_id = $1 ORDER BY path', [runId]);
  const runOf = async (runId: string) =>
    (
      await sql.query<{ status: string; tf_backend: string; worker_id: string; dataset_sha256: string; code_version: string }>(
        'SELECT * FROM runs WHERE id = $1',
        [runId],
      )
    )[0];
  const tagsOf = (runId: string) => runTagsOf(sql, runId);
  const workerOutput = () => workers.map((w) => `--- worker ${w.pid}\n${w.output().slice(-4000)}`).join('\n');

  beforeAll(async () => {
    ({ sql, uow, queue, env, objects, iris, regression } = await openWorkerTestbed(db.url, { name: 'training', poolSize: 4 }));
    // A job the API committed but never queued (its send failed), old enough for the relay: the workers' first sweep sends it.
    unqueuedAtStart = await createJob(uow, queue, { dataset: iris, algorithm: 'cart', name: 'never queued' }, { send: false });
    await sql.query(`UPDATE training_jobs SET created_at = now() - interval '5 minutes' WHERE id = $1`, [unqueuedAtStart.id]);

    // A job whose last attempt's worker died after the queue's retries ran out: RUNNING, silent, no message left.
    await uow.read.workers.register({
      id: deadWorker,
      host: 'dead-host',
      pid: 1,
      tfBackend: 'cpu',
      device: 'cpu',
      backendInfo: {},
      concurrency: 1,
      version: 'test',
    });
    const abandoned = await createJob(uow, queue, { dataset: iris, algorithm: 'cart', name: 'abandoned' }, { send: false });
    const abandonedRun = await uow.run({ tokenId: null, name: 'alice' }, async (tx) => {
      const run = await tx.runs.create({ experimentId: abandoned.experimentId as string, name: abandoned.name, createdBy: 'alice', params: [], tags: {} });
      const history = [
        { attempt: 3, runId: run.id, workerId: deadWorker, startedAt: new Date().toISOString(), endedAt: null, outcome: 'RUNNING' as const, reason: null },
      ];
      await tx.trainingJobs.startAttempt(abandoned.id, { workerId: deadWorker, runId: run.id, history, at: new Date() });
      return run.id;
    });
    await sql.query(`UPDATE training_jobs SET attempts = 3, queue_job_id = 'gone', heartbeat_at = now() - interval '10 minutes' WHERE id = $1`, [abandoned.id]);
    abandonedAtStart = { id: abandoned.id, runId: abandonedRun };

    await startWorkers({ sql, env }, workers, 2);
  }, 120_000);

  afterAll(() => closeWorkerTestbed({ queue, uow, sql }, workers));

  it('trains iris with CART 5-fold: fold and evaluation metrics on the run, the model under model/, registered as v1 with the alias moved', async () => {
    const created = await createJob(uow, queue, {
      dataset: iris,
      algorithm: 'cart',
      hyperparameters: { maxDepth: 4 },
      evaluationPlan: { kind: 'kfold', folds: 5 },
      registerAs: { model: 'iris-model', alias: 'challenger' },
    });
    const done = await finished(created.id).catch((error: Error) => {
      throw new Error(`${error.message}\n${workerOutput()}`);
    });
    expect({ status: done.status, error: done.error, attempts: done.attempts }).toEqual({ status: 'SUCCEEDED', error: null, attempts: 1 });
    expect(done.attemptHistory).toEqual([expect.objectContaining({ attempt: 1, outcome: 'SUCCEEDED', runId: done.runId, reason: null })]);
    const runId = done.runId as string;

    const run = await runOf(runId);
    expect(run).toMatchObject({ status: 'FINISHED', tf_backend: 'cpu', dataset_sha256: iris.sha256 });
    expect(workers.map((w) => w.pid)).toContain(Number(run.worker_id.split(':')[1]));
    expect(await tagsOf(runId)).toMatchObject({
      'slipway.training_job': created.id,
      'slipway.attempt': '1',
      'slipway.worker': run.worker_id,
      'slipway.tf_backend': 'cpu',
      'slipway.device': expect.any(String),
    });
    const params = Object.fromEntries(
      (await sql.query<{ key: string; value: string }>('SELECT key, value FROM run_params WHERE run_id = $1', [runId])).map((p) => [p.key, p.value]),
    );
    expect(params).toMatchObject({
      algorithm: 'cart',
      maxDepth: '4',
      criterion: 'gini',
      'evaluation.kind': 'kfold',
      'evaluation.folds': '5',
      target: iris.targetColumn,
      features: '4',
    });

    // Fold by fold (step = fold number), then the fold means (step 0) with their std.
    const foldAccuracy = await sql.query<{ step: string; value: number }>(
      `SELECT step, value FROM metrics WHERE run_id = $1 AND key = 'fold/accuracy' ORDER BY step`,
      [runId],
    );
    expect(foldAccuracy.map((p) => Number(p.step))).toEqual([1, 2, 3, 4, 5]);
    const latest = Object.fromEntries(
      (await sql.query<{ key: string; value: number; step: string }>('SELECT key, value, step FROM latest_metrics WHERE run_id = $1', [runId])).map((m) => [
        m.key,
        m,
      ]),
    );
    expect(Number(latest['accuracy'].step)).toBe(0);
    expect(latest['accuracy'].value).toBeCloseTo(done.evaluation?.metrics['accuracy'] as number, 12);
    expect(latest['accuracy'].value).toBeCloseTo(foldAccuracy.reduce((s, p) => s + p.value, 0) / 5, 12);
    expect(latest['accuracy'].value).toBeGreaterThan(0.85);
    expect(latest['accuracy_std']).toBeDefined();

    const files = await artifactsOf(runId);
    const paths = files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['model/slipway.json', 'model/labels.json', 'model/preprocessing.json', 'model/evaluation.json']));
    expect(paths.every((p) => p.startsWith('model/'))).toBe(true);
    expect(done.result?.artifact.files.map((f) => f.path)).toEqual(paths);
    expect(done.result).toMatchObject({ workerId: run.worker_id, featureNames: loadBuiltinDataset('iris').featureNames });
    expect(done.result?.backend).toMatchObject({ backend: 'cpu' });
    expect(done.result?.inputSchema.classLabels).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(done.evaluation).toMatchObject({ task: 'classification', plan: 'kfold', primaryMetric: 'accuracy' });
    expect(done.evaluation?.folds).toHaveLength(5);

    expect(done.modelVersion).toEqual({ model: 'iris-model', version: 1 });
    const versions = await sql.query<{ version: number; status: string; run_id: string }>(
      `SELECT v.version, v.status, v.run_id FROM model_versions v JOIN models m ON m.id = v.model_id WHERE m.name = 'iris-model'`,
    );
    expect(versions).toEqual([{ version: 1, status: 'READY', run_id: runId }]);
    const alias = await sql.query<{ version: number }>(
      `SELECT v.version FROM model_aliases a JOIN models m ON m.id = a.model_id JOIN model_versions v ON v.id = a.version_id WHERE m.name = 'iris-model' AND a.name = 'challenger'`,
    );
    expect(alias).toEqual([{ version: 1 }]);
    const audit = await sql.query<{ action: string; actor: string }>(`SELECT action, actor FROM audit_log WHERE entity_id = $1 ORDER BY id`, [created.id]);
    expect(audit.map((a) => a.action)).toEqual(['training_job.start', 'training_job.register', 'training_job.succeed']);
    expect(new Set(audit.map((a) => a.actor))).toEqual(new Set(['alice']));
  });

  it('the same spec, seed and dataset give byte-identical artifact files; the job the API never queued was sent by the relay', async () => {
    const spec = {
      dataset: regression,
      algorithm: 'nn-regression' as const,
      hyperparameters: { epochs: 4, batchSize: 32, hiddenLayers: [{ units: 8, activation: 'relu' }], earlyStopping: null },
      seed: 11,
    };
    const [a, b] = await Promise.all([createJob(uow, queue, spec), createJob(uow, queue, spec)]);
    const [doneA, doneB, relayed] = await Promise.all([finished(a.id), finished(b.id), finished(unqueuedAtStart.id)]);
    expect([doneA.status, doneB.status, relayed.status]).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    const filesA = await artifactsOf(doneA.runId as string);
    const filesB = await artifactsOf(doneB.runId as string);
    expect(filesA.map((f) => f.path)).toEqual(
      expect.arrayContaining(['model/model.json', 'model/weights.bin', 'model/preprocessing.json', 'model/evaluation.json']),
    );
    expect(filesB).toEqual(filesA);
    expect(doneB.result?.artifact.files).toEqual(doneA.result?.artifact.files);
    // Per epoch (step = the progress event's global step), for the returned fit.
    const losses = await sql.query<{ step: string }>(`SELECT step FROM metrics WHERE run_id = $1 AND key = 'epoch/loss' ORDER BY step`, [doneA.runId]);
    expect(losses.map((p) => Number(p.step))).toEqual([1, 2, 3, 4]);

    expect(relayed.attempts).toBe(1);
    expect(relayed.queueJobId).not.toBeNull();
    expect(
      await sql.count('runs', `id IN (SELECT (a->>'runId')::uuid FROM training_jobs, jsonb_array_elements(attempt_history) a WHERE training_jobs.id = $1)`, [
        unqueuedAtStart.id,
      ]),
    ).toBe(1);
  });

  it('a RUNNING job the queue gave up on (its last worker died) is ended FAILED by the sweep, its attempt LOST', async () => {
    const done = await finished(abandonedAtStart.id);
    const reason = `worker ${deadWorker} stopped heartbeating (attempt 3)`;
    expect(done).toMatchObject({ status: 'FAILED', attempts: 3, error: `${reason}, and the queue has no attempts left` });
    expect(done.attemptHistory).toEqual([expect.objectContaining({ attempt: 3, outcome: 'LOST', reason })]);
    expect((await runOf(abandonedAtStart.runId)).status).toBe('FAILED');
  });

  it('a duplicate message for a job is a no-op: one attempt, one run', async () => {
    const created = await createJob(uow, queue, { dataset: iris, algorithm: 'cart', name: 'sent three times' }, { send: false });
    // As when two relay sweeps and the API all send for the same job at once: three messages, none recorded yet.
    const messages = await Promise.all([1, 2, 3].map(() => queue.send(QueueName.Training, { trainingJobId: created.id })));
    const done = await finished(created.id);
    expect({ status: done.status, attempts: done.attempts }).toEqual({ status: 'SUCCEEDED', attempts: 1 });
    expect(messages).toContain(done.queueJobId);
    await waitFor(
      async () => {
        const states = await Promise.all(messages.map((id) => queue.jobState(QueueName.Training, id)));
        return states.every((s) => s?.state === 'completed') ? true : undefined;
      },
      { what: 'every message is handled', timeoutMs: 15_000 },
    );
    expect(await sql.count('run_tags', `key = 'slipway.training_job' AND value = $1`, [created.id])).toBe(1);
  });

  it('a target that cannot be trained on fails the job at once, naming the column, without a retry', async () => {
    const oneClass = sampleCsv('iris', { rows: 30, target: () => 'setosa' });
    // Uploaded without a target (the upload refuses a one-class target); the job names it.
    const single = await seedDataset(uow, objects, 'iris-one-class', oneClass.csv, null);
    const [unknown, constant] = await Promise.all([
      createJob(uow, queue, { dataset: iris, algorithm: 'cart', targetColumn: 'no_such_column' }),
      createJob(uow, queue, { dataset: single, algorithm: 'cart', targetColumn: oneClass.target }),
    ]);
    const [doneUnknown, doneConstant] = await Promise.all([finished(unknown.id), finished(constant.id)]);
    expect({ status: doneUnknown.status, attempts: doneUnknown.attempts }).toEqual({ status: 'FAILED', attempts: 1 });
    expect(doneUnknown.error).toContain('no_such_column');
    expect({ status: doneConstant.status, attempts: doneConstant.attempts }).toEqual({ status: 'FAILED', attempts: 1 });
    expect(doneConstant.error).toContain(oneClass.target);
    expect(doneConstant.attemptHistory).toEqual([expect.objectContaining({ outcome: 'FAILED', reason: doneConstant.error })]);
    expect((await runOf(doneConstant.runId as string)).status).toBe('FAILED');
    expect((await tagsOf(doneConstant.runId as string))['slipway.end_reason']).toBe(doneConstant.error);
    const state = await queue.jobState(QueueName.Training, doneConstant.queueJobId as string);
    expect(state?.retryCount).toBe(0);
  });

  it('a cancel reaches the training loop: CANCELLED within 5 s, the run KILLED', async () => {
    const created = await createJob(uow, queue, {
      dataset: regression,
      algorithm: 'nn-regression',
      hyperparameters: { epochs: 100_000, batchSize: 32, hiddenLayers: [{ units: 8, activation: 'relu' }], earlyStopping: null },
    });
    await waitFor(async () => ((await job(created.id)).progress?.epoch ?? 0) >= 3 || undefined, { what: 'a few epochs', timeoutMs: 30_000, intervalMs: 100 });
    const asked = Date.now();
    await uow.run({ tokenId: null, name: 'bob' }, (tx) => tx.trainingJobs.requestCancel(created.id, 'bob', new Date()));
    const done = await finished(created.id, 10_000);
    expect(Date.now() - asked).toBeLessThan(5_000);
    expect(done.status).toBe('CANCELLED');
    expect(done.attemptHistory).toEqual([expect.objectContaining({ attempt: 1, outcome: 'CANCELLED', reason: 'cancelled by bob' })]);
    expect((await runOf(done.runId as string)).status).toBe('KILLED');
    expect(await sql.count('metrics', `run_id = $1 AND key = 'epoch/loss'`, [done.runId])).toBeGreaterThanOrEqual(3);
    expect(await sql.count('artifacts', 'run_id = $1', [done.runId])).toBe(0);
  });

  it('a retry after a crash during registration reuses the version the dead attempt sealed, and fails the one it left half-registered', async () => {
    // What a worker killed mid-registration leaves behind, planted as it would have written it: attempt 1 RUNNING on a
    // worker that is gone, its run with the model files, and either a sealed version linked to the job (killed after
    // sealing, before finishing) or a version still PENDING_UPLOAD (killed while copying).
    const registrar = new ModelRegistrar(uow, objects, ArtifactSigner.loadOrCreate(env.SLIPWAY_SIGNING_KEY_FILE));
    const actor = { tokenId: null, name: 'alice' };
    const plant = async (model: string, sealed: boolean) => {
      const created = await createJob(uow, queue, { dataset: iris, algorithm: 'cart', registerAs: { model, alias: 'live' } }, { send: false });
      const runId = await uow.run(actor, async (tx) => {
        const run = await tx.runs.create({ experimentId: created.experimentId as string, name: created.name, createdBy: 'alice', params: [], tags: {} });
        const history = [
          { attempt: 1, runId: run.id, workerId: deadWorker, startedAt: new Date().toISOString(), endedAt: null, outcome: 'RUNNING' as const, reason: null },
        ];
        await tx.trainingJobs.startAttempt(created.id, { workerId: deadWorker, runId: run.id, history, at: new Date() });
        return run.id;
      });
      const stored = await objects.put(`runs/${runId}/artifacts/model/slipway.json`, Buffer.from('{"planted":true}'));
      await uow.run(actor, (tx) =>
        tx.artifacts.create({
          runId,
          path: 'model/slipway.json',
          uri: stored.uri,
          sha256: stored.sha256,
          sizeBytes: stored.sizeBytes,
          contentType: 'application/json',
        }),
      );
      if (sealed)
        await registrar.registerFromRun(
          actor,
          model,
          { runId, artifactPath: 'model' },
          { answer: (tx, version) => tx.trainingJobs.setModelVersion(created.id, version.id) },
        );
      else await registrar.createPending(actor, model, { runId });
      const messageId = await queue.send(QueueName.Training, { trainingJobId: created.id });
      await uow.read.trainingJobs.setQueueJobId(created.id, messageId);
      return { id: created.id, runId };
    };
    const [afterSeal, midCopy] = await Promise.all([plant('planted-sealed', true), plant('planted-pending', false)]);
    const [doneSealed, donePending] = await Promise.all([finished(afterSeal.id), finished(midCopy.id)]);
    const versionsOf = (model: string) =>
      sql.query<{ version: number; status: string; run_id: string }>(
        `SELECT v.version, v.status, v.run_id FROM model_versions v JOIN models m ON m.id = v.model_id WHERE m.name = $1 ORDER BY v.version`,
        [model],
      );
    const aliasOf = async (model: string) =>
      (
        await sql.query<{ version: number }>(
          `SELECT v.version FROM model_aliases a JOIN models m ON m.id = a.model_id JOIN model_versions v ON v.id = a.version_id WHERE m.name = $1 AND a.name = 'live'`,
          [model],
        )
      ).map((a) => a.version);

    for (const done of [doneSealed, donePending]) {
      expect({ status: done.status, attempts: done.attempts }).toEqual({ status: 'SUCCEEDED', attempts: 2 });
      expect(done.attemptHistory[0]).toMatchObject({ outcome: 'LOST', reason: `worker ${deadWorker} stopped heartbeating (attempt 1)` });
    }
    expect((await runOf(afterSeal.runId)).status).toBe('FAILED');
    // Sealed before the kill: the same version, not a second one.
    expect(await versionsOf('planted-sealed')).toEqual([{ version: 1, status: 'READY', run_id: afterSeal.runId }]);
    expect(doneSealed.modelVersion).toEqual({ model: 'planted-sealed', version: 1 });
    expect(await aliasOf('planted-sealed')).toEqual([1]);
    // Killed mid-copy: that version FAILED, the retry's own run registered as the next one.
    expect(await versionsOf('planted-pending')).toEqual([
      { version: 1, status: 'FAILED', run_id: midCopy.runId },
      { version: 2, status: 'READY', run_id: donePending.runId },
    ]);
    expect(donePending.modelVersion).toEqual({ model: 'planted-pending', version: 2 });
    expect(await aliasOf('planted-pending')).toEqual([2]);
  });

  it('trains the CNN on an image dataset: the images preprocessing and the sample shape go with the model', async () => {
    const images = await seedDigitImages(uow, objects, 200);
    const created = await createJob(uow, queue, {
      dataset: images,
      algorithm: 'cnn',
      targetColumn: null,
      hyperparameters: { filters: [4, 4, 4], denseUnits: 8, epochs: 2, batchSize: 32, earlyStopping: null },
    });
    const done = await finished(created.id, 60_000);
    expect({ status: done.status, error: done.error }).toEqual({ status: 'SUCCEEDED', error: null });
    const runId = done.runId as string;
    const paths = (await artifactsOf(runId)).map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining(['model/model.json', 'model/weights.bin', 'model/labels.json', 'model/preprocessing.json', 'model/evaluation.json']),
    );
    const preprocessing = JSON.parse(
      await new Promise<string>((resolve, reject) => {
        void objects.get(`runs/${runId}/artifacts/model/preprocessing.json`).then((stream) => {
          let text = '';
          stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
          stream.on('end', () => resolve(text));
          stream.on('error', reject);
        }, reject);
      }),
    );
    expect(preprocessing).toMatchObject({
      kind: 'images',
      shape: { height: 8, width: 8, channels: 1 },
      classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    });
    expect(done.result?.inputSchema).toEqual({ shape: [8, 8, 1], classLabels: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] });
    expect(done.result?.featureNames).toEqual([]);
    expect(await sql.count('metrics', `run_id = $1 AND key = 'epoch/loss'`, [runId])).toBe(2);
    const params = await sql.query<{ value: string }>(`SELECT value FROM run_params WHERE run_id = $1 AND key = 'features'`, [runId]);
    expect(params).toEqual([{ value: '64' }]);
  });

  it('a worker SIGKILLed mid-training: attempt 2 on the other worker, attempt 1 LOST with its run FAILED, exactly one registered version', async () => {
    const created = await createJob(uow, queue, {
      dataset: regression,
      algorithm: 'nn-regression',
      hyperparameters: { epochs: 120, batchSize: 32, hiddenLayers: [{ units: 8, activation: 'relu' }], earlyStopping: null },
      registerAs: { model: 'regressor', alias: 'champion' },
    });
    const running = await waitFor(
      async () => {
        const current = await job(created.id);
        return (current.progress?.epoch ?? 0) >= 2 ? current : undefined;
      },
      { what: 'attempt 1 trains', timeoutMs: 30_000, intervalMs: 100 },
    );
    const victim = workers.find((w) => running.workerId?.split(':')[1] === String(w.pid));
    const survivor = workers.find((w) => w !== victim);
    if (!victim || !survivor) throw new Error(`attempt 1 ran on ${running.workerId}, not one of the spawned workers`);
    victim.child.kill('SIGKILL');
    await expect(victim.exited).resolves.toEqual({ code: null, signal: 'SIGKILL' });

    const done = await finished(created.id, 60_000).catch((error: Error) => {
      throw new Error(`${error.message}\n${workerOutput()}`);
    });
    expect({ status: done.status, attempts: done.attempts, error: done.error }).toEqual({ status: 'SUCCEEDED', attempts: 2, error: null });
    const [first, second] = done.attemptHistory;
    expect(first).toMatchObject({
      attempt: 1,
      workerId: running.workerId,
      outcome: 'LOST',
      reason: `worker ${running.workerId} stopped heartbeating (attempt 1)`,
    });
    expect(second).toMatchObject({ attempt: 2, outcome: 'SUCCEEDED', runId: done.runId });
    expect(Number(second.workerId?.split(':')[1])).toBe(survivor.pid);
    expect((await runOf(first.runId)).status).toBe('FAILED');
    expect((await tagsOf(first.runId))['slipway.end_reason']).toBe(first.reason);
    expect(await sql.count('artifacts', 'run_id = $1', [first.runId])).toBe(0);
    expect((await runOf(second.runId)).status).toBe('FINISHED');
    const versions = await sql.query<{ version: number; status: string; run_id: string }>(
      `SELECT v.version, v.status, v.run_id FROM model_versions v JOIN models m ON m.id = v.model_id WHERE m.name = 'regressor'`,
    );
    expect(versions).toEqual([{ version: 1, status: 'READY', run_id: second.runId }]);
    expect(done.modelVersion).toEqual({ model: 'regressor', version: 1 });
  }, 90_000);

  it('a worker stopped with SIGTERM mid-training hands the job back: attempt 1 FAILED with the reason, the job QUEUED for its retry', async () => {
    const survivor = workers.find((w) => w.child.exitCode === null && w.child.signalCode === null);
    if (!survivor) throw new Error('no worker left running');
    const created = await createJob(uow, queue, {
      dataset: regression,
      algorithm: 'nn-regression',
      hyperparameters: { epochs: 100_000, batchSize: 32, hiddenLayers: [{ units: 8, activation: 'relu' }], earlyStopping: null },
    });
    const running = await waitFor(
      async () => {
        const current = await job(created.id);
        return (current.progress?.epoch ?? 0) >= 2 ? current : undefined;
      },
      { what: 'the job trains', timeoutMs: 30_000, intervalMs: 100 },
    );
    const stoppedAt = Date.now();
    survivor.child.kill('SIGTERM');
    await expect(survivor.exited).resolves.toEqual({ code: 0, signal: null });
    expect(Date.now() - stoppedAt).toBeLessThan(10_000);
    const released = await job(created.id);
    const reason = `worker ${running.workerId} shut down during attempt 1`;
    expect({ status: released.status, attempts: released.attempts, error: released.error }).toEqual({ status: 'QUEUED', attempts: 1, error: reason });
    expect(released.attemptHistory).toEqual([expect.objectContaining({ attempt: 1, outcome: 'FAILED', reason })]);
    expect((await runOf(running.runId as string)).status).toBe('FAILED');
    // The queue holds the retry for the next worker that comes up.
    await expect(queue.jobState(QueueName.Training, released.queueJobId as string)).resolves.toMatchObject({ state: 'retry' });
  });
});
