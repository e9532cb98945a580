import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connectTestSql, type TestSql, useTestDatabase } from '@slipway/testing';
import { UnitOfWork } from '../../unit-of-work';

const actor = { tokenId: null, name: 'alice' };

/** The store calls a worker makes around an attempt: claiming the message, releasing an attempt for a retry, the sweeps' lookups. */
describe('TrainingJobStore worker writes', () => {
  const db = useTestDatabase();
  let uow: UnitOfWork;
  let sql: TestSql;
  const workerId = 'store-test:1:abcdef';

  beforeAll(async () => {
    uow = UnitOfWork.connect(db.url, { poolSize: 4 });
    sql = connectTestSql(db.url);
    await uow.read.workers.register({
      id: workerId,
      host: 'store-test',
      pid: 1,
      tfBackend: 'cpu',
      device: 'cpu',
      backendInfo: {},
      concurrency: 1,
      version: 'test',
    });
  });
  afterAll(async () => {
    await uow?.close();
    await sql?.close();
  });

  async function queuedJob(): Promise<{ id: string; experimentId: string }> {
    return uow.run(actor, async (tx) => {
      const experiment = (await tx.experiments.getOrCreateByName('training')).entity;
      const dataset = await tx.datasets.create({
        id: randomUUID(),
        name: 'tiny',
        sha256: randomUUID().replace(/-/g, '').padEnd(64, '0'),
        rows: 2,
        columns: [{ name: 'x', type: 'number' }],
        targetColumn: null,
        storageUri: 'file:///nowhere',
        sizeBytes: 8,
        profile: { rowCount: 2, columns: [] },
      });
      const job = await tx.trainingJobs.create({
        id: randomUUID(),
        name: 'store',
        algorithm: 'kmeans',
        hyperparameters: {},
        evaluationPlan: { kind: 'split', testFraction: 0.2, stratify: true },
        seed: 1,
        datasetId: dataset?.id as string,
        targetColumn: null,
        featureColumns: null,
        experimentId: experiment.id,
        registerAs: null,
        maxAttempts: 3,
        createdBy: 'alice',
      });
      return { id: job.id, experimentId: experiment.id };
    });
  }

  async function startAttempt(job: { id: string; experimentId: string }, attempt: number): Promise<string> {
    return uow.run(actor, async (tx) => {
      const run = await tx.runs.create({ experimentId: job.experimentId, name: 'store', createdBy: 'alice', params: [], tags: {} });
      const current = await tx.trainingJobs.lock(job.id);
      const history = [
        ...(current?.attemptHistory ?? []),
        { attempt, runId: run.id, workerId, startedAt: new Date().toISOString(), endedAt: null, outcome: 'RUNNING' as const, reason: null },
      ];
      await tx.trainingJobs.startAttempt(job.id, { workerId, runId: run.id, history, at: new Date() });
      return run.id;
    });
  }

  it('claimQueueMessage: the first message to claim a job owns it, any other is a duplicate; a recorded message owns it', async () => {
    const job = await queuedJob();
    await expect(uow.read.trainingJobs.claimQueueMessage(job.id, 'message-b')).resolves.toBe(true);
    await expect(uow.read.trainingJobs.claimQueueMessage(job.id, 'message-a')).resolves.toBe(false);
    await expect(uow.read.trainingJobs.claimQueueMessage(job.id, 'message-b')).resolves.toBe(true);
    // The sender recording its message afterwards does not take it over.
    await uow.read.trainingJobs.setQueueJobId(job.id, 'message-a');
    expect((await uow.read.trainingJobs.get(job.id))?.queueJobId).toBe('message-b');

    const sent = await queuedJob();
    await uow.read.trainingJobs.setQueueJobId(sent.id, 'message-c');
    await expect(uow.read.trainingJobs.claimQueueMessage(sent.id, 'message-c')).resolves.toBe(true);
    await expect(uow.read.trainingJobs.claimQueueMessage(sent.id, 'message-d')).resolves.toBe(false);
    await expect(uow.read.trainingJobs.claimQueueMessage(randomUUID(), 'message-e')).resolves.toBe(false);
  });

  it('releaseAttempt: back to QUEUED with the attempt closed and its error, fenced by the attempt number', async () => {
    const job = await queuedJob();
    const runId = await startAttempt(job, 1);
    const at = new Date();
    const history = [{ attempt: 1, runId, workerId, startedAt: at.toISOString(), endedAt: at.toISOString(), outcome: 'FAILED' as const, reason: 'boom' }];
    await expect(uow.read.trainingJobs.releaseAttempt(job.id, 2, { history, error: 'boom', at })).resolves.toBeNull();
    const released = await uow.read.trainingJobs.releaseAttempt(job.id, 1, { history, error: 'boom', at });
    expect(released).toMatchObject({ status: 'QUEUED', attempts: 1, error: 'boom', progress: null, attemptHistory: history });
    // Released once: the attempt no longer runs, so neither its progress nor a second release lands.
    await expect(uow.read.trainingJobs.recordProgress(job.id, 1, null, new Date())).resolves.toBeNull();
    await expect(uow.read.trainingJobs.releaseAttempt(job.id, 1, { history, error: 'again', at })).resolves.toBeNull();
    // The retry starts attempt 2 as usual.
    await startAttempt(job, 2);
    expect(await uow.read.trainingJobs.get(job.id)).toMatchObject({ status: 'RUNNING', attempts: 2, error: null });
  });

  it('silentSince finds RUNNING jobs past their heartbeat; versionsFromRuns the versions registered from given runs; setRunLineage the run columns', async () => {
    const job = await queuedJob();
    const runId = await startAttempt(job, 1);
    await expect(uow.read.trainingJobs.silentSince(new Date(Date.now() - 60_000), 10)).resolves.not.toContain(job.id);
    await sql.query(`UPDATE training_jobs SET heartbeat_at = now() - interval '2 minutes' WHERE id = $1`, [job.id]);
    await expect(uow.read.trainingJobs.silentSince(new Date(Date.now() - 60_000), 10)).resolves.toContain(job.id);

    await uow.run(actor, (tx) => tx.trainingJobs.setRunLineage(runId, { datasetId: null, tfBackend: 'wasm', workerId }));
    expect((await sql.query('SELECT tf_backend, worker_id FROM runs WHERE id = $1', [runId]))[0]).toEqual({ tf_backend: 'wasm', worker_id: workerId });

    await expect(uow.read.trainingJobs.versionsFromRuns([])).resolves.toEqual([]);
    await expect(uow.read.trainingJobs.versionsFromRuns([runId])).resolves.toEqual([]);
    const version = await uow.run(actor, async (tx) => {
      const model = await tx.models.create({ name: `store-${randomUUID().slice(0, 8)}`, description: '', tags: {} });
      return tx.versions.create(model.id, { description: '', tags: {}, runId, algorithm: null, framework: null, createdBy: 'alice' });
    });
    await expect(uow.read.trainingJobs.versionsFromRuns([runId, randomUUID()])).resolves.toEqual([
      { id: version.id, model: version.modelName, version: 1, status: 'PENDING_UPLOAD', runId },
    ]);
  });
});
