import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnitOfWork, type DatasetEntity } from '@slipway/db';
import { JobQueue, QueueName } from '@slipway/queue';
import { LocalObjectStore } from '@slipway/storage';
import { connectTestSql, type TestSql } from '@slipway/testing';
import { sampleCsv, seedDataset } from './training-jobs';
import { spawnWorker, type SpawnedWorker } from './worker-processes';

/** What the training and tuning process specs share: connections, an artifact folder and the datasets they train on. */
export interface WorkerTestbed {
  sql: TestSql;
  uow: UnitOfWork;
  queue: JobQueue;
  /** The workers' environment: database, artifact folder and signing key (plus what the caller added). */
  env: Record<string, string>;
  objects: LocalObjectStore;
  iris: DatasetEntity;
  regression: DatasetEntity;
}

/**
 * Opens the test's connections and seeds iris and a 240-row regression sample. The test's queue client sends
 * messages and, as any supervising instance does, fails jobs whose heartbeat stopped: every second here, so a
 * SIGKILL test does not wait out the default pass.
 */
export async function openWorkerTestbed(
  databaseUrl: string,
  options: { name: string; poolSize: number; env?: Record<string, string> },
): Promise<WorkerTestbed> {
  const sql = connectTestSql(databaseUrl);
  const uow = UnitOfWork.connect(databaseUrl, { poolSize: options.poolSize });
  const queue = await JobQueue.start({ databaseUrl, instanceName: `${options.name}-test`, monitorIntervalSeconds: 1 });
  const home = mkdtempSync(join(tmpdir(), `slipway-${options.name}-`));
  const env = {
    DATABASE_URL: databaseUrl,
    SLIPWAY_ARTIFACT_DIR: join(home, 'artifacts'),
    SLIPWAY_SIGNING_KEY_FILE: join(home, 'signing-key.pem'),
    ...options.env,
  };
  const objects = new LocalObjectStore(env.SLIPWAY_ARTIFACT_DIR);
  const irisCsv = sampleCsv('iris');
  const iris = await seedDataset(uow, objects, 'iris', irisCsv.csv, irisCsv.target);
  const regressionCsv = sampleCsv('regression_20k', { rows: 240 });
  const regression = await seedDataset(uow, objects, 'regression-240', regressionCsv.csv, regressionCsv.target);
  return { sql, uow, queue, env, objects, iris, regression };
}

/**
 * Spawns `count` workers into `workers` and waits until they are ready. The training queue's heartbeat is 30 s
 * with a 10 s backoff before a retry; here 10 s and no delay (jobs copy their queue's policy when sent), so a
 * SIGKILLed attempt's retry comes within seconds. Set after the processes started: each one brings the queue back
 * to the registry's policy when it starts.
 */
export async function startWorkers(testbed: Pick<WorkerTestbed, 'sql' | 'env'>, workers: SpawnedWorker[], count: number): Promise<void> {
  for (let i = 0; i < count; i++) workers.push(spawnWorker(testbed.env));
  await Promise.all(workers.map((w) => w.ready));
  await testbed.sql.query(`UPDATE pgboss.queue SET heartbeat_seconds = 10, retry_delay = 0, retry_backoff = false WHERE name = $1`, [QueueName.Training]);
}

/** Kills what is still running and closes what was opened; safe after a beforeAll that failed part-way. */
export async function closeWorkerTestbed(testbed: Partial<WorkerTestbed>, workers: SpawnedWorker[]): Promise<void> {
  for (const worker of workers) if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
  await testbed.queue?.stop(1000);
  await testbed.uow?.close();
  await testbed.sql?.close();
}

/** A run's tags as the worker wrote them. */
export const runTagsOf = async (sql: TestSql, runId: string): Promise<Record<string, string>> =>
  Object.fromEntries(
    (await sql.query<{ key: string; value: string }>('SELECT key, value FROM run_tags WHERE run_id = $1', [runId])).map((t) => [t.key, t.value]),
  );
