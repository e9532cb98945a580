/**
 * TEST FIXTURE, not a product queue: registered only when SLIPWAY_TEST_FIXTURE_QUEUES=1 (set by the worker
 * crash-recovery test), so no deployment ever creates its queue or its tables. It stands in for the long
 * jobs to come (training, tuning trials): works in steps, heartbeats through the queue, stops on its
 * signal, and writes its whole result in one transaction at the end, so an attempt killed halfway leaves
 * nothing behind. Its tables are created by the test.
 *
 * Its tables are not the platform's (no store, no migration), so it writes them with plain SQL on a pg pool
 * of its own, never through @slipway/db.
 */
import { abortableDelay, defineQueue } from '@slipway/queue';
import pg from 'pg';
import { z } from 'zod';
import { defineHandler } from './handler';

export const TEST_FIXTURE_QUEUES_ENV = 'SLIPWAY_TEST_FIXTURE_QUEUES';

export const testFixtureLongJobQueue = defineQueue({
  name: 'test-fixture-long-job',
  description: 'test fixture: a long job in steps, for the worker crash-recovery test',
  schema: z.object({ key: z.string().min(1), steps: z.number().int().min(1).max(1000), stepMs: z.number().int().min(1).max(60_000) }).strict(),
  // The shortest heartbeat pg-boss allows, so a killed worker's job is failed over within seconds; no retry delay.
  policy: { retryLimit: 3, retryDelay: 0, retryBackoff: false, heartbeatSeconds: 10, heartbeatRefreshSeconds: 2, expireInSeconds: 300 },
});

/** The tables the fixture writes (one row per attempt that started; the result and its steps, once). */
export const TEST_FIXTURE_TABLES_SQL = [
  'CREATE TABLE IF NOT EXISTS test_fixture_job_attempts (job_key text NOT NULL, worker_id text NOT NULL, pid int NOT NULL, retry_count int NOT NULL, started_at timestamptz NOT NULL DEFAULT now())',
  'CREATE TABLE IF NOT EXISTS test_fixture_job_results (job_key text NOT NULL, worker_id text NOT NULL, pid int NOT NULL, steps int NOT NULL, finished_at timestamptz NOT NULL DEFAULT now())',
  'CREATE TABLE IF NOT EXISTS test_fixture_job_steps (job_key text NOT NULL, step int NOT NULL, worker_id text NOT NULL)',
];

export const testFixtureLongJobHandler = defineHandler({
  queue: testFixtureLongJobQueue,
  concurrency: (workerConcurrency) => workerConcurrency,
  create: ({ databaseUrl, workerId, onStop }) => {
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    // An idle connection the database drops (the test harness drops its database at the end) must not crash the worker.
    pool.on('error', () => undefined);
    onStop(() => pool.end());
    return async (job) => {
      const { key, steps, stepMs } = job.data;
      await pool.query('INSERT INTO test_fixture_job_attempts (job_key, worker_id, pid, retry_count) VALUES ($1, $2, $3, $4)', [
        key,
        workerId,
        process.pid,
        job.retryCount,
      ]);
      const done: number[] = [];
      for (let step = 1; step <= steps; step++) {
        // Rejects with the signal's reason on shutdown or cancellation: the attempt fails and is retried.
        await abortableDelay(stepMs, job.signal);
        done.push(step);
      }
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        await client.query('INSERT INTO test_fixture_job_results (job_key, worker_id, pid, steps) VALUES ($1, $2, $3, $4)', [
          key,
          workerId,
          process.pid,
          done.length,
        ]);
        await client.query('INSERT INTO test_fixture_job_steps (job_key, step, worker_id) SELECT $1, step, $2 FROM unnest($3::int[]) AS step', [
          key,
          workerId,
          done,
        ]);
        await client.query('COMMIT');
      } catch (error) {
        // A connection that cannot even roll back is discarded, not handed to the next job mid-transaction.
        broken = await client.query('ROLLBACK').then(
          () => false,
          () => true,
        );
        throw error;
      } finally {
        client.release(broken);
      }
    };
  },
});
