import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { useTestDatabase } from '@slipway/testing';
import { JobQueue, QueueName, type TrainingMessage } from './job-queue';

describe('JobQueue on Postgres (pg-boss)', () => {
  const db = useTestDatabase();
  let producer: JobQueue;
  let consumerA: JobQueue;
  let consumerB: JobQueue;

  beforeAll(async () => {
    // Three processes' worth of clients starting at once: schema install and queue creation must not race.
    [producer, consumerA, consumerB] = await Promise.all([
      JobQueue.start({ databaseUrl: db.url, instanceName: 'producer' }),
      JobQueue.start({ databaseUrl: db.url, instanceName: 'consumer-a', supervise: false }),
      JobQueue.start({ databaseUrl: db.url, instanceName: 'consumer-b', supervise: false }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([producer?.stop(1000), consumerA?.stop(1000), consumerB?.stop(1000)]);
  });

  it('reports itself healthy once installed', async () => {
    await expect(producer.check()).resolves.toBeUndefined();
  });

  it('delivers each job exactly once across competing workers', async () => {
    const ids = Array.from({ length: 12 }, () => randomUUID());
    const seen: { by: string; trainingJobId: string }[] = [];
    const done = new Promise<void>((resolve) => {
      const record = (by: string) => async (job: { data: TrainingMessage }) => {
        seen.push({ by, trainingJobId: job.data.trainingJobId });
        if (seen.length === ids.length) resolve();
      };
      void consumerA.work<TrainingMessage>(QueueName.Training, 2, record('a'));
      void consumerB.work<TrainingMessage>(QueueName.Training, 2, record('b'));
    });
    for (const trainingJobId of ids) await producer.send(QueueName.Training, { trainingJobId });
    await done;
    expect(seen.map((s) => s.trainingJobId).sort()).toEqual([...ids].sort());
    expect(new Set(seen.map((s) => s.trainingJobId)).size).toBe(ids.length);
  });
});
