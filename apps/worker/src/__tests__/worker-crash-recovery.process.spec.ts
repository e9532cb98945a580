import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { JobQueue } from '@slipway/queue';
import { connectTestSql, type TestSql, useTestDatabase, waitFor } from '@slipway/testing';
import { TEST_FIXTURE_QUEUES_ENV, TEST_FIXTURE_TABLES_SQL, testFixtureLongJobQueue } from '../handlers/test-fixture-long-job.handler';
import { spawnWorker, type SpawnedWorker } from './support/worker-processes';

/**
 * Two real worker processes on one queue. The one that takes a long job is SIGKILLed halfway (no
 * shutdown, no handing back, as when a machine dies); the job's heartbeat stops, the queue fails the
 * attempt, and the other worker runs the job again from the start. The fixture handler writes its
 * result and its steps in one transaction at the end, so the killed attempt leaves nothing behind.
 */
describe('a worker killed mid-job', () => {
  const db = useTestDatabase();
  let sql: TestSql;
  let monitor: JobQueue;
  const workers: SpawnedWorker[] = [];

  beforeAll(async () => {
    sql = connectTestSql(db.url);
    for (const statement of TEST_FIXTURE_TABLES_SQL) await sql.query(statement);
    // The test's own queue client sends the job and, like any supervising instance, runs the monitor that
    // fails jobs whose heartbeat stopped; every second here, so the test does not wait out the default pass.
    monitor = await JobQueue.start({ databaseUrl: db.url, instanceName: 'crash-test', extraQueues: [testFixtureLongJobQueue], monitorIntervalSeconds: 1 });
  });
  afterAll(async () => {
    for (const worker of workers) if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
    await monitor?.stop(1000);
    await sql?.close();
  });

  it('finishes on the other worker, with exactly one result and nothing half-written', async () => {
    const env = { DATABASE_URL: db.url, [TEST_FIXTURE_QUEUES_ENV]: '1' };
    workers.push(spawnWorker(env), spawnWorker(env));
    await Promise.all(workers.map((w) => w.ready));

    const key = randomUUID();
    // 12 steps of 500 ms: long enough to be killed halfway, short enough to run again within the test.
    const jobId = await monitor.send(testFixtureLongJobQueue, { key, steps: 12, stepMs: 500 });
    const [first] = await waitFor(
      async () => {
        const rows = await sql.query<{ pid: number }>('SELECT pid FROM test_fixture_job_attempts WHERE job_key = $1', [key]);
        return rows.length > 0 ? rows : undefined;
      },
      { what: 'an attempt starts', timeoutMs: 20_000 },
    );
    const victim = workers.find((w) => w.pid === first.pid);
    const survivor = workers.find((w) => w.pid !== first.pid);
    if (!victim || !survivor) throw new Error(`attempt ran in pid ${first.pid}, not one of the spawned workers`);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    victim.child.kill('SIGKILL');
    await expect(victim.exited).resolves.toEqual({ code: null, signal: 'SIGKILL' });
    const killedAt = Date.now();

    const [result] = await waitFor(
      async () => {
        const rows = await sql.query<{ pid: number; steps: number }>('SELECT pid, steps FROM test_fixture_job_results WHERE job_key = $1', [key]);
        return rows.length > 0 ? rows : undefined;
      },
      { what: 'the job finishes elsewhere', timeoutMs: 60_000 },
    );
    // Picked up within the heartbeat (10 s) plus a monitor pass and a poll, then 6 s of work.
    expect(Date.now() - killedAt).toBeLessThan(30_000);
    expect(result).toEqual({ pid: survivor.pid, steps: 12 });
    await waitFor(async () => ((await monitor.jobState(testFixtureLongJobQueue, jobId))?.state === 'completed' ? true : undefined), {
      what: 'the queue records the job complete',
      timeoutMs: 10_000,
    });

    const results = await sql.count('test_fixture_job_results', 'job_key = $1', [key]);
    const steps = await sql.query<{ step: number }>('SELECT step FROM test_fixture_job_steps WHERE job_key = $1 ORDER BY step', [key]);
    const attempts = await sql.query<{ pid: number; retry_count: number }>(
      'SELECT pid, retry_count FROM test_fixture_job_attempts WHERE job_key = $1 ORDER BY started_at',
      [key],
    );
    expect(results).toBe(1);
    // Every step once: none from the killed attempt (its transaction never ran), none twice.
    expect(steps.map((s) => s.step)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(attempts).toEqual([
      { pid: victim.pid, retry_count: 0 },
      { pid: survivor.pid, retry_count: 1 },
    ]);

    // The survivor still shuts down cleanly on SIGTERM.
    survivor.child.kill('SIGTERM');
    await expect(survivor.exited).resolves.toEqual({ code: 0, signal: null });
  }, 180_000);
});
