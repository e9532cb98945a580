import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { JobQueue } from '@slipway/queue';
import { connectTestSql, type TestSql, useTestDatabase, waitFor } from '@slipway/testing';
import { TEST_FIXTURE_TABLES_SQL, testFixtureLongJobQueue } from '../handlers/test-fixture-long-job.handler';
import { inProcessWorker } from './support/worker-processes';

/** The most intervals that overlap at any instant. */
function maxOverlap(intervals: { start: number; end: number }[]): number {
  const edges = intervals.flatMap((i) => [
    { at: i.start, delta: 1 },
    { at: i.end, delta: -1 },
  ]);
  // Ends before starts at the same instant: a job that finished as the next began did not overlap it.
  edges.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let now = 0;
  let max = 0;
  for (const edge of edges) max = Math.max(max, (now += edge.delta));
  return max;
}

describe('SLIPWAY_WORKER_CONCURRENCY', () => {
  const db = useTestDatabase();
  let sql: TestSql;
  let queue: JobQueue;

  beforeAll(async () => {
    sql = connectTestSql(db.url);
    for (const statement of TEST_FIXTURE_TABLES_SQL) await sql.query(statement);
    queue = await JobQueue.start({ databaseUrl: db.url, instanceName: 'concurrency-test', supervise: false, extraQueues: [testFixtureLongJobQueue] });
  });
  afterAll(async () => {
    await queue?.stop(1000);
    await sql?.close();
  });

  it('is how many jobs of a queue one worker process runs at once', async () => {
    const worker = inProcessWorker(db.url, { testFixtures: true, env: { SLIPWAY_WORKER_CONCURRENCY: '2' } });
    const keys = [randomUUID(), randomUUID(), randomUUID()];
    await worker.start();
    try {
      for (const key of keys) await queue.send(testFixtureLongJobQueue, { key, steps: 4, stepMs: 400 });
      await waitFor(async () => ((await sql.count('test_fixture_job_results')) >= keys.length ? true : undefined), { what: 'jobs finish', timeoutMs: 30_000 });
    } finally {
      await worker.stop();
    }
    const intervals = await sql.query<{ start: Date; end: Date }>(
      'SELECT a.started_at AS start, r.finished_at AS end FROM test_fixture_job_attempts a JOIN test_fixture_job_results r USING (job_key)',
    );
    expect(intervals).toHaveLength(3);
    // Two at once, never three: the third waited for a slot.
    expect(maxOverlap(intervals.map((i) => ({ start: i.start.getTime(), end: i.end.getTime() })))).toBe(2);
  });
});
