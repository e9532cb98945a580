import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { UnitOfWork } from '@slipway/db';
import type { TrainingProgress } from '@slipway/ml-algorithms';
import { connectTestSql, type TestSql, useTestDatabase, waitFor } from '@slipway/testing';
import { TrainingProgressReporter } from '../training-progress';

const actor = { tokenId: null, name: 'alice' };

/** The reporter against a real database: batching, the attempt fence, and the cancel flag through the heartbeat. */
describe('TrainingProgressReporter', () => {
  const db = useTestDatabase();
  let uow: UnitOfWork;
  let sql: TestSql;

  beforeAll(() => {
    uow = UnitOfWork.connect(db.url, { poolSize: 4 });
    sql = connectTestSql(db.url);
  });
  afterAll(async () => {
    await uow?.close();
    await sql?.close();
  });

  /** A job RUNNING its attempt 1 on a registered worker, with the attempt's run. */
  async function runningAttempt(): Promise<{ jobId: string; runId: string }> {
    const workerId = `test-host:1:${randomUUID().slice(0, 6)}`;
    await uow.read.workers.register({
      id: workerId,
      host: 'test-host',
      pid: 1,
      tfBackend: 'cpu',
      device: 'cpu',
      backendInfo: {},
      concurrency: 1,
      version: 'test',
    });
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
        name: 'progress',
        algorithm: 'nn-regression',
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
      const run = await tx.runs.create({ experimentId: experiment.id, name: 'progress', createdBy: 'alice', params: [], tags: {} });
      const history = [{ attempt: 1, runId: run.id, workerId, startedAt: new Date().toISOString(), endedAt: null, outcome: 'RUNNING' as const, reason: null }];
      await tx.trainingJobs.startAttempt(job.id, { workerId, runId: run.id, history, at: new Date() });
      return { jobId: job.id, runId: run.id };
    });
  }

  const epoch = (step: number): TrainingProgress => ({
    kind: 'epoch',
    step,
    fold: null,
    epoch: step,
    epochs: 1000,
    metrics: { loss: 1 / step, val_loss: 2 / step },
  });
  const reporterFor = (
    target: { jobId: string; runId: string },
    events: { cancel: number; fenced: number },
    options: { flushMs?: number; heartbeatMs?: number } = {},
  ) =>
    new TrainingProgressReporter(
      uow,
      { ...target, attempt: 1, actor },
      {
        flushMs: options.flushMs ?? 300,
        heartbeatMs: options.heartbeatMs ?? 60_000,
        onCancel: () => events.cancel++,
        onFenced: () => events.fenced++,
        onError: (error) => {
          throw error;
        },
      },
    );

  it('writes buffered epochs in a few batches, at most one per flush interval, and the last position as the job progress', async () => {
    const target = await runningAttempt();
    const events = { cancel: 0, fenced: 0 };
    const reporter = reporterFor(target, events);
    reporter.start();
    const started = Date.now();
    for (let step = 1; step <= 60; step++) {
      reporter.push(epoch(step));
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const elapsed = Date.now() - started;
    await reporter.stop({ flush: true });
    const points = await sql.query<{ key: string; step: string }>('SELECT key, step FROM metrics WHERE run_id = $1 ORDER BY key, step', [target.runId]);
    expect(points.filter((p) => p.key === 'epoch/loss').map((p) => Number(p.step))).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(points.filter((p) => p.key === 'epoch/val_loss')).toHaveLength(60);
    const batches = await sql.count('audit_log', `entity_id = $1 AND action = 'run.log_batch'`, [target.runId]);
    // One batch per 300 ms of pushing, plus the final flush (and one for a flush that straddles the end).
    expect(batches).toBeGreaterThanOrEqual(2);
    expect(batches).toBeLessThanOrEqual(Math.ceil(elapsed / 300) + 2);
    const job = await uow.read.trainingJobs.get(target.jobId);
    expect(job?.progress).toMatchObject({ step: 60, phase: 'training', epoch: 60, epochs: 1000, fold: null, metrics: { loss: 1 / 60, val_loss: 2 / 60 } });
    expect(events).toEqual({ cancel: 0, fenced: 0 });
  });

  it('a heartbeat answers a cancel request; once another attempt owns the job it writes nothing and says so', async () => {
    const target = await runningAttempt();
    const events = { cancel: 0, fenced: 0 };
    const reporter = reporterFor(target, events, { flushMs: 100, heartbeatMs: 100 });
    reporter.start();
    reporter.push(epoch(1));
    await waitFor(async () => ((await sql.count('metrics', 'run_id = $1', [target.runId])) > 0 ? true : undefined), { what: 'the first batch' });
    await uow.run(actor, (tx) => tx.trainingJobs.requestCancel(target.jobId, 'bob', new Date()));
    await waitFor(() => (events.cancel > 0 ? true : undefined), { what: 'the heartbeat sees the cancel', timeoutMs: 2_000, intervalMs: 20 });

    // The queue retried the job elsewhere: attempt 2 holds it now.
    await sql.query('UPDATE training_jobs SET attempts = 2 WHERE id = $1', [target.jobId]);
    await waitFor(() => (events.fenced > 0 ? true : undefined), { what: 'the heartbeat finds the attempt fenced out', timeoutMs: 2_000, intervalMs: 20 });
    expect(reporter.isFenced).toBe(true);
    const before = await sql.count('metrics', 'run_id = $1', [target.runId]);
    reporter.push(epoch(2));
    await reporter.stop({ flush: true });
    expect(await sql.count('metrics', 'run_id = $1', [target.runId])).toBe(before);
    expect((await uow.read.trainingJobs.get(target.jobId))?.progress?.step).toBe(1);
  });
});
