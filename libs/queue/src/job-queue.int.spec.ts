import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { useTestDatabase, waitFor } from '@slipway/testing';
import { PgBoss } from 'pg-boss';
import { z } from 'zod';
import {
  defineQueue,
  InvalidJobMessageError,
  JobInterruptedError,
  JobQueue,
  PermanentJobError,
  QUEUE_SCHEMA,
  QueueName,
  type QueuedJob,
  type TrainingMessage,
} from './job-queue';
import { abortableDelay } from './job-lifecycle';

// Test fixture queues: registered only by this file's JobQueues, with short retry delays so the policy is observable quickly.
const fixtureRetries = defineQueue({
  name: 'test-fixture-retries',
  description: 'test fixture: a handler that fails on purpose',
  schema: z.object({ key: z.string(), permanent: z.boolean() }).strict(),
  policy: { retryLimit: 2, retryDelay: 0, retryBackoff: false, expireInSeconds: 30 },
});
const fixtureLong = defineQueue({
  name: 'test-fixture-long',
  description: 'test fixture: a job that runs until its signal aborts',
  schema: z.object({ key: z.string() }).strict(),
  // Refreshing every second is what makes a cancellation visible to the handler within about a second.
  policy: { retryLimit: 1, retryDelay: 0, retryBackoff: false, heartbeatSeconds: 10, heartbeatRefreshSeconds: 1, expireInSeconds: 60 },
});
// Worked only by the JobQueue the shutdown test stops, so its job cannot land anywhere else.
const fixtureShutdown = defineQueue({ ...fixtureLong, name: 'test-fixture-shutdown', description: 'test fixture: a job interrupted by shutdown' });
const fixtureMalformed = defineQueue({ ...fixtureRetries, name: 'test-fixture-malformed', description: 'test fixture: receives a malformed message' });
// Worked only by the slow-polling JobQueue of the wake-up test.
const fixtureWakeup = defineQueue({ ...fixtureRetries, name: 'test-fixture-wakeup', description: 'test fixture: a job sent to an idle worker' });
const extraQueues = [fixtureRetries, fixtureLong, fixtureShutdown, fixtureMalformed, fixtureWakeup];

/** Works `queue` with a handler that waits 30 s on its job's signal; what it saw so far: whether it started, and why it was aborted. */
async function workUntilAborted(
  worker: JobQueue,
  queue: typeof fixtureLong | typeof fixtureShutdown,
): Promise<{ readonly started: boolean; readonly reason: unknown }> {
  const seen = { started: false, reason: undefined as unknown };
  await worker.work(queue, 1, async (job) => {
    seen.started = true;
    try {
      await abortableDelay(30_000, job.signal);
    } catch (error) {
      seen.reason = error;
      throw error;
    }
  });
  return seen;
}

describe('JobQueue on Postgres (pg-boss)', () => {
  const db = useTestDatabase();
  let producer: JobQueue;
  let consumerA: JobQueue;
  let consumerB: JobQueue;
  const errors: Error[] = [];

  beforeAll(async () => {
    // Three processes' worth of clients starting at once: schema install and queue creation must not race.
    [producer, consumerA, consumerB] = await Promise.all([
      JobQueue.start({ databaseUrl: db.url, instanceName: 'producer', extraQueues, monitorIntervalSeconds: 1 }),
      JobQueue.start({ databaseUrl: db.url, instanceName: 'consumer-a', supervise: false, extraQueues, onError: (e) => errors.push(e) }),
      JobQueue.start({ databaseUrl: db.url, instanceName: 'consumer-b', supervise: false, extraQueues, onError: (e) => errors.push(e) }),
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
      const record = (by: string) => async (job: QueuedJob<TrainingMessage>) => {
        seen.push({ by, trainingJobId: job.data.trainingJobId });
        if (seen.length === ids.length) resolve();
      };
      void consumerA.work(QueueName.Training, 2, record('a'));
      void consumerB.work(QueueName.Training, 2, record('b'));
    });
    for (const trainingJobId of ids) await producer.send(QueueName.Training, { trainingJobId });
    await done;
    expect(seen.map((s) => s.trainingJobId).sort()).toEqual([...ids].sort());
    expect(new Set(seen.map((s) => s.trainingJobId)).size).toBe(ids.length);
  });

  it('brings a queue created by an older release up to the registry policy', async () => {
    const raw = new PgBoss({ connectionString: db.url, schema: QUEUE_SCHEMA, supervise: false, schedule: false });
    await raw.start();
    try {
      // As an earlier release created it: more retries, no heartbeat.
      await raw.createQueue('test-fixture-policy', { retryLimit: 5, retryDelay: 30, retryBackoff: false, expireInSeconds: 900 });
      const current = defineQueue({ ...fixtureLong, name: 'test-fixture-policy', description: 'test fixture: policy changed since the queue was created' });
      const upgraded = await JobQueue.start({ databaseUrl: db.url, instanceName: 'upgraded', supervise: false, extraQueues: [current] });
      await upgraded.stop(1000);
      await expect(raw.getQueue('test-fixture-policy')).resolves.toMatchObject({
        retryLimit: 1,
        retryDelay: 0,
        heartbeatSeconds: 10,
        expireInSeconds: 60,
        notify: true,
      });
    } finally {
      await raw.stop({ graceful: false });
    }
  });

  it('wakes an idle worker as soon as a job is sent (NOTIFY from another process), not at its next poll', async () => {
    // Polling every 30 s: a pickup within a few seconds can only be the wake-up.
    const slow = await JobQueue.start({ databaseUrl: db.url, instanceName: 'slow-poller', supervise: false, extraQueues, pollingIntervalSeconds: 30 });
    try {
      const pickups: number[] = [];
      let picked: (() => void) | undefined;
      await slow.work(fixtureWakeup, 1, async () => picked?.());
      for (let i = 0; i < 3; i++) {
        // Well after the worker's last fetch came back empty: it is sleeping out its interval now.
        await new Promise((r) => setTimeout(r, 500));
        const handled = new Promise<void>((resolve) => (picked = resolve));
        const sentAt = Date.now();
        await producer.send(fixtureWakeup, { key: `wake-${i}`, permanent: false });
        await handled;
        pickups.push(Date.now() - sentAt);
      }
      expect(Math.max(...pickups)).toBeLessThan(5000);
    } finally {
      await slow.stop(1000);
    }
  });

  it('takes the next job of a backlog as soon as it finishes one, not at its next poll', async () => {
    // Queued before anyone works the queue (no wake-up in flight), worked by a slot polling every 30 s.
    for (let i = 0; i < 3; i++) await producer.send(fixtureWakeup, { key: `backlog-${i}`, permanent: false });
    const slow = await JobQueue.start({ databaseUrl: db.url, instanceName: 'slow-backlog', supervise: false, extraQueues, pollingIntervalSeconds: 30 });
    try {
      const handled: string[] = [];
      const started = Date.now();
      const all = new Promise<void>((resolve) =>
        slow.work(fixtureWakeup, 1, async (job) => {
          handled.push(job.data.key);
          if (handled.length === 3) resolve();
        }),
      );
      await all;
      expect(handled.sort()).toEqual(['backlog-0', 'backlog-1', 'backlog-2']);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await slow.stop(1000);
    }
  });

  it('refuses a malformed message at send with a typed error, and queues nothing', async () => {
    const before = await producer.depth(QueueName.WebhookDelivery);
    const refused = await producer.send(QueueName.WebhookDelivery, { deliveryId: 'not-a-uuid' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(InvalidJobMessageError);
    expect(refused).toMatchObject({ queue: 'webhook-delivery', direction: 'send', issues: [{ path: 'deliveryId' }] });
    // A field the schema does not know is refused too, rather than dropped on the floor.
    await expect(producer.send(QueueName.Training, { trainingJobId: randomUUID(), extra: 1 } as TrainingMessage)).rejects.toBeInstanceOf(
      InvalidJobMessageError,
    );
    await expect(producer.depth(QueueName.WebhookDelivery)).resolves.toEqual(before);
  });

  it('fails a malformed message on the wire for good, without calling the handler or retrying', async () => {
    // Another sender (an older release, a hand-written SQL insert) put a message the schema rejects.
    const raw = new PgBoss({ connectionString: db.url, schema: QUEUE_SCHEMA, supervise: false, schedule: false });
    await raw.start();
    const handled: string[] = [];
    try {
      await consumerA.work(fixtureMalformed, 1, async (job) => {
        handled.push(job.data.key);
      });
      const id = (await raw.send(fixtureMalformed.name, { key: 42, permanent: false })) as string;
      const state = await waitFor(async () => {
        const job = await producer.jobState(fixtureMalformed, id);
        return job?.state === 'failed' ? job : undefined;
      });
      expect(state).toMatchObject({ retryCount: 0, output: { name: 'InvalidJobMessageError', issues: [{ path: 'key' }] } });
      expect(handled).toEqual([]);
      expect(errors.map((e) => e.message)).toContainEqual(expect.stringContaining(`job ${id}: received on queue test-fixture-malformed: invalid message`));
    } finally {
      await raw.stop({ graceful: false });
    }
  });

  it('retries a failing handler by the queue policy, and a PermanentJobError not at all', async () => {
    const attempts = new Map<string, number>();
    await consumerB.work(fixtureRetries, 1, async (job) => {
      attempts.set(job.data.key, (attempts.get(job.data.key) ?? 0) + 1);
      if (job.data.permanent) throw new PermanentJobError('the row it names is gone');
      throw new Error('flaky');
    });
    const flaky = await producer.send(fixtureRetries, { key: 'flaky', permanent: false });
    const permanent = await producer.send(fixtureRetries, { key: 'permanent', permanent: true });
    for (const id of [flaky, permanent]) await waitFor(async () => ((await producer.jobState(fixtureRetries, id))?.state === 'failed' ? true : undefined));
    // retryLimit 2: the first try and two retries.
    expect(attempts.get('flaky')).toBe(3);
    expect(attempts.get('permanent')).toBe(1);
    await expect(producer.jobState(fixtureRetries, permanent)).resolves.toMatchObject({ output: { name: 'PermanentJobError' } });
  });

  it("aborts a running job's signal when the job is cancelled", async () => {
    const running = await workUntilAborted(consumerA, fixtureLong);
    const id = await producer.send(fixtureLong, { key: 'cancel-me' });
    await waitFor(() => (running.started ? true : undefined));
    const cancelledAt = Date.now();
    await producer.cancel(fixtureLong, id);
    await waitFor(() => running.reason, { timeoutMs: 10_000 });
    expect(running.reason).toBeInstanceOf(JobInterruptedError);
    expect(running.reason).toMatchObject({ reason: 'cancelled' });
    // Noticed at the next heartbeat refresh (every second for this queue), not at the end of the job.
    expect(Date.now() - cancelledAt).toBeLessThan(5_000);
    await expect(producer.jobState(fixtureLong, id)).resolves.toMatchObject({ state: 'cancelled' });
  });

  it("aborts running jobs' signals on stop, and the interrupted job is retried", async () => {
    const worker = await JobQueue.start({ databaseUrl: db.url, instanceName: 'stopping', supervise: false, extraQueues });
    const running = await workUntilAborted(worker, fixtureShutdown);
    const id = await producer.send(fixtureShutdown, { key: 'interrupted' });
    await waitFor(() => (running.started ? true : undefined));
    const stoppedAt = Date.now();
    await worker.stop(10_000);
    // The handler stopped on its signal, so stop() did not wait out the 30 s job.
    expect(Date.now() - stoppedAt).toBeLessThan(5_000);
    expect(running.reason).toMatchObject({ reason: 'shutdown' });
    // Failed by the interruption, and queued again for another worker (retryLimit 1).
    const state = await producer.jobState(fixtureShutdown, id);
    expect(state).toMatchObject({ state: 'retry', output: { name: 'JobInterruptedError' } });
  });
});
