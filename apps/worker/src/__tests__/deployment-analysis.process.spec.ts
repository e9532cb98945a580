import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LATENCY_BUCKETS_MS, METRICS_WINDOW_SECONDS } from '@slipway/contracts';
import { UnitOfWork } from '@slipway/db';
import { connectTestSql, type TestSql, useTestDatabase, waitFor } from '@slipway/testing';
import { ANALYSIS_SWEEP_SECONDS } from '../handlers/deployment-analysis.handler';
import { ANALYSER_ACTOR_NAME } from '../handlers/deployment-analysis';
import { spawnWorker, type SpawnedWorker } from './support/worker-processes';

const INTERVAL_SECONDS = 4;

/**
 * The rollout analyser as production runs it: two worker processes (apps/worker/src/main.ts), each asking for
 * sweeps on its timer, against traffic aggregates planted the way serving replicas add them. A failing canary is
 * rolled back within its interval (plus one sweep); a healthy one advances and is promoted; each step is acted on
 * once although both workers sweep.
 */
describe('rollout analysis on worker processes', () => {
  const db = useTestDatabase();
  let uow: UnitOfWork;
  let sql: TestSql;
  let v1: string;
  let v2: string;
  let modelId: string;
  const workers: SpawnedWorker[] = [];

  beforeAll(async () => {
    uow = UnitOfWork.connect(db.url, { poolSize: 2 });
    sql = connectTestSql(db.url);
    modelId = (await sql.one<{ id: string }>(`INSERT INTO models (id, name, updated_at) VALUES (gen_random_uuid(), 'churn', now()) RETURNING id`)).id;
    [v1, v2] = await Promise.all(
      [1, 2].map(
        async (v) =>
          (
            await sql.one<{ id: string }>(
              `INSERT INTO model_versions (id, model_id, version, status) VALUES (gen_random_uuid(), $1, $2, 'READY') RETURNING id`,
              [modelId, v],
            )
          ).id,
      ),
    );
    const env = { DATABASE_URL: db.url };
    workers.push(spawnWorker(env), spawnWorker(env));
    await Promise.all(workers.map((w) => w.ready));
  });
  afterAll(async () => {
    for (const worker of workers) if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
    await uow?.close();
    await sql?.close();
  });

  async function startRollout(): Promise<string> {
    const id = randomUUID();
    await uow.run({ tokenId: null, name: 'alice' }, async (tx) => {
      await tx.deployments.create(
        { id, name: `churn-${id.slice(0, 8)}`, description: '', modelId, trackedAlias: null, aliasPolicy: 'redeploy', rolloutPlan: null, createdBy: 'alice' },
        { action: 'CREATE', stableVersionId: v1, reason: '', createdBy: 'alice' },
      );
      await tx.deployments.appendRevision(id, 1, {
        action: 'GRAY_START',
        stableVersionId: v1,
        canary: { versionId: v2, percent: 10, sticky: null },
        rolloutPlan: { steps: [10, 50], intervalSeconds: INTERVAL_SECONDS, minRequestsPerStep: 100, gates: { maxErrorRate: 0.05 } },
        rolloutStep: 0,
        reason: '',
        createdBy: 'alice',
        status: 'ROLLING_OUT',
      });
    });
    return id;
  }

  /** Adds counts into the current window's row, as a replica's flush does. */
  async function serve(deploymentId: string, versionId: string, role: 'stable' | 'canary', requests: number, errors: number): Promise<void> {
    const buckets = new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
    buckets[3] = requests;
    await sql.query(
      `INSERT INTO deployment_metrics (deployment_id, version_id, role, window_start, requests, errors, latency_buckets, latency_sum_ms)
       VALUES ($1, $2, $3, to_timestamp(floor(extract(epoch FROM now()) / $7) * $7), $4, $5, $6::int[], 0)
       ON CONFLICT (deployment_id, version_id, role, window_start) DO UPDATE SET requests = deployment_metrics.requests + EXCLUDED.requests,
         errors = deployment_metrics.errors + EXCLUDED.errors`,
      [deploymentId, versionId, role, requests, errors, buckets, METRICS_WINDOW_SECONDS],
    );
  }

  const revisions = (id: string) =>
    sql.query<{ revision: number; action: string; created_at: Date; created_by: string; canary_version_id: string | null; stable_version_id: string }>(
      `SELECT revision, action::text AS action, created_at, created_by, canary_version_id, stable_version_id FROM deployment_revisions WHERE deployment_id = $1 ORDER BY revision`,
      [id],
    );

  it('rolls a canary failing 20% of its requests back within one interval, once, keeping the stable version', async () => {
    const id = await startRollout();
    await serve(id, v2, 'canary', 500, 100);
    await serve(id, v1, 'stable', 4500, 0);
    const history = await waitFor(async () => ((await revisions(id)).length >= 3 ? revisions(id) : undefined), {
      what: 'the automatic rollback',
      timeoutMs: 30_000,
    });
    const [, start, rollback] = history;
    expect(rollback).toMatchObject({ action: 'AUTO_ROLLBACK', created_by: ANALYSER_ACTOR_NAME, canary_version_id: null, stable_version_id: v1 });
    const lateMs = rollback.created_at.getTime() - start.created_at.getTime();
    expect(lateMs).toBeGreaterThanOrEqual(INTERVAL_SECONDS * 1000);
    // The interval, then at most one sweep period (and slack for the queue's pickup and the sweep's own work on a loaded machine).
    expect(lateMs).toBeLessThan((INTERVAL_SECONDS + ANALYSIS_SWEEP_SECONDS + 2) * 1000);
    await expect(sql.one(`SELECT status::text AS status FROM deployments WHERE id = $1`, [id])).resolves.toEqual({ status: 'ACTIVE' });
    // Two more sweep periods: nothing further happens, and there was exactly one analysis.
    await new Promise((resolve) => setTimeout(resolve, 2 * ANALYSIS_SWEEP_SECONDS * 1000));
    expect(await revisions(id)).toHaveLength(3);
    const events = await sql.query<{ type: string; data: Record<string, unknown> }>(
      `SELECT type, data FROM deployment_events WHERE deployment_id = $1 ORDER BY id`,
      [id],
    );
    expect(events.map((e) => e.type)).toEqual(['analysis.failed', 'auto_rollback']);
    expect(events[0].data).toMatchObject({ gate: 'maxErrorRate', value: 0.2, threshold: 0.05, canaryRequests: 500 });
  });

  it('advances a healthy canary step by step and promotes it, one revision per step with two workers sweeping', async () => {
    const id = await startRollout();
    await serve(id, v2, 'canary', 300, 0);
    await serve(id, v1, 'stable', 2700, 0);
    await waitFor(async () => ((await revisions(id)).length >= 3 ? true : undefined), { what: 'the first step', timeoutMs: 30_000 });
    await serve(id, v2, 'canary', 300, 1);
    await serve(id, v1, 'stable', 300, 0);
    const history = await waitFor(async () => ((await revisions(id)).length >= 4 ? revisions(id) : undefined), { what: 'the promotion', timeoutMs: 30_000 });
    await new Promise((resolve) => setTimeout(resolve, 2 * ANALYSIS_SWEEP_SECONDS * 1000));
    expect((await revisions(id)).map((r) => r.action)).toEqual(['CREATE', 'GRAY_START', 'GRAY_STEP', 'PROMOTE']);
    expect(history[3]).toMatchObject({ stable_version_id: v2, canary_version_id: null, created_by: ANALYSER_ACTOR_NAME });
    await expect(sql.count('deployment_events', `deployment_id = $1 AND type = 'analysis.passed'`, [id])).resolves.toBe(2);
  });
});
