// The autoscaling query (TRAINING_QUEUE_DEPTH_SQL, the text the KEDA ScaledObjects carry) run against the real
// pg-boss schema, as JobQueue installs it, through a job's whole life: waiting, held by a worker, done,
// cancelled, interrupted and waiting out its retry delay.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { JobQueue, QueueName, type QueuedJob, type TrainingMessage } from '@slipway/queue';
import { connectTestSql, useTestDatabase, waitFor, type TestSql } from '@slipway/testing';
import { TRAINING_QUEUE_DEPTH_SQL } from './training-queue-depth';

describe('training queue depth query on pg-boss', () => {
  const db = useTestDatabase();
  let producer: JobQueue;
  let worker: JobQueue;
  let sql: TestSql;
  /** Each running job waits here until the test lets it finish (or its signal aborts it). */
  const release = new Map<string, () => void>();
  const started: string[] = [];

  /** As KEDA reads it: one row, one column, a number. */
  const depth = async () => {
    const columns = Object.values(await sql.one(TRAINING_QUEUE_DEPTH_SQL));
    expect(columns).toHaveLength(1);
    expect(typeof columns[0]).toBe('number');
    return columns[0];
  };
  const stateOf = async (id: string) => (await producer.jobState(QueueName.Training, id))?.state;

  beforeAll(async () => {
    sql = connectTestSql(db.url);
    // supervise: false on both, so no maintenance pass moves a job behind the test's back.
    producer = await JobQueue.start({ databaseUrl: db.url, instanceName: 'depth-producer', supervise: false });
    worker = await JobQueue.start({ databaseUrl: db.url, instanceName: 'depth-worker', supervise: false });
  });
  afterAll(async () => {
    await Promise.all([producer?.stop(1000), worker?.stop(1000)]);
    await sql?.close();
  });

  it('counts jobs waiting or running, and nothing else, through a job lifecycle', async () => {
    await expect(depth()).resolves.toBe(0);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(await producer.send(QueueName.Training, { trainingJobId: randomUUID() }));
    await expect(depth()).resolves.toBe(3);

    // Not counted: another queue's job, and a training job that may not start for an hour.
    await producer.send(QueueName.WebhookDelivery, { deliveryId: randomUUID() });
    const deferred = await producer.send(QueueName.Training, { trainingJobId: randomUUID() }, { startAfter: 3600 });
    await expect(depth()).resolves.toBe(3);

    await worker.work(QueueName.Training, 1, async (job: QueuedJob<TrainingMessage>) => {
      started.push(job.id);
      await new Promise<void>((resolve, reject) => {
        release.set(job.id, resolve);
        job.signal.addEventListener('abort', () => reject(job.signal.reason as Error), { once: true });
      });
    });
    const first = await waitFor(() => started[0], { what: 'the worker takes a training job' });
    expect(ids).toContain(first);
    await expect(stateOf(first)).resolves.toBe('active');
    // Held by a worker still needs that worker: scaling must not count it out.
    await expect(depth()).resolves.toBe(3);

    release.get(first)?.();
    await waitFor(async () => ((await stateOf(first)) === 'completed' ? true : undefined), { what: 'the first job completes' });
    // The worker takes the next one at once; active or waiting, two remain.
    await expect(depth()).resolves.toBe(2);
    const second = await waitFor(() => started[1], { what: 'the worker takes the second job' });
    const third = ids.find((id) => id !== first && id !== second) as string;

    await producer.cancel(QueueName.Training, third);
    await expect(stateOf(third)).resolves.toBe('cancelled');
    await expect(depth()).resolves.toBe(1);

    // A worker shutting down (a scale-down's SIGTERM) hands its job back: retried after the queue's retry
    // delay, and not counted while it waits that out...
    await worker.stop(5000);
    await expect(stateOf(second)).resolves.toBe('retry');
    await expect(sql.one('SELECT start_after > now() AS later FROM pgboss.job WHERE id = $1', [second])).resolves.toEqual({ later: true });
    await expect(depth()).resolves.toBe(0);
    // ...then counted again once it can be fetched.
    await sql.query('UPDATE pgboss.job SET start_after = now() WHERE id = $1', [second]);
    await expect(depth()).resolves.toBe(1);
    // The deferred job never ran and is still there, just not counted yet.
    await expect(stateOf(deferred)).resolves.toBe('created');
  });
});
