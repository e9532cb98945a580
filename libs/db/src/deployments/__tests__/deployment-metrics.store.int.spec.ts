import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connectTestSql, type TestSql, useTestDatabase } from '@slipway/testing';
import { UnitOfWork } from '../../unit-of-work';
import type { DeploymentMetricsDelta } from '../deployment-metrics.store';

const actor = { tokenId: null, name: 'alice' };

/** Replicas add their per-window bins into one row: slipway_merge_bins sums them, and the analyser reads the sum. */
describe('DeploymentMetricsStore bins', () => {
  const db = useTestDatabase();
  let uow: UnitOfWork;
  let sql: TestSql;
  let deploymentId: string;
  let versionId: string;

  beforeAll(async () => {
    uow = UnitOfWork.connect(db.url, { poolSize: 6 });
    sql = connectTestSql(db.url);
    const modelId = (await sql.one<{ id: string }>(`INSERT INTO models (id, name, updated_at) VALUES (gen_random_uuid(), 'bins', now()) RETURNING id`)).id;
    versionId = (
      await sql.one<{ id: string }>(`INSERT INTO model_versions (id, model_id, version, status) VALUES (gen_random_uuid(), $1, 1, 'READY') RETURNING id`, [
        modelId,
      ])
    ).id;
    deploymentId = randomUUID();
    await uow.run(actor, (tx) =>
      tx.deployments.create(
        { id: deploymentId, name: 'bins', description: '', modelId, trackedAlias: null, aliasPolicy: 'redeploy', rolloutPlan: null, createdBy: 'alice' },
        { action: 'CREATE', stableVersionId: versionId, reason: 'first', createdBy: 'alice' },
      ),
    );
  });
  afterAll(async () => {
    await uow?.close();
    await sql?.close();
  });

  const windowStart = new Date(Math.floor(Date.now() / 10_000) * 10_000);
  const delta = (over: Partial<DeploymentMetricsDelta>): DeploymentMetricsDelta => ({
    deploymentId,
    versionId,
    role: 'stable',
    windowStart,
    requests: 1,
    errors: 0,
    latencyBuckets: [1, 0],
    latencySumMs: 1,
    features: {},
    predictions: null,
    ...over,
  });

  it('sums histograms bin by bin and categories key by key across replicas, including concurrent flushes', async () => {
    const edges = [0, 0.5, 1];
    const a = delta({
      features: { x: { kind: 'histogram', edges, counts: [2, 1] }, color: { kind: 'categories', counts: { red: 2, __other__: 1 } } },
      predictions: { kind: 'categories', counts: { yes: 3 } },
    });
    const b = delta({
      features: {
        x: { kind: 'histogram', edges, counts: [0, 4] },
        color: { kind: 'categories', counts: { blue: 1, red: 1 } },
        size: { kind: 'histogram', edges, counts: [5, 0] },
      },
      predictions: { kind: 'categories', counts: { no: 2, yes: 1 } },
    });
    const c = delta({ features: {}, predictions: null });
    await Promise.all([uow.read.deploymentMetrics.add([a]), uow.read.deploymentMetrics.add([b]), uow.read.deploymentMetrics.add([c])]);

    const [row] = await uow.read.deploymentMetrics.since(deploymentId, windowStart);
    expect(row.requests).toBe(3);
    expect(row.features).toEqual({
      x: { kind: 'histogram', edges, counts: [2, 5] },
      color: { kind: 'categories', counts: { red: 3, blue: 1, __other__: 1 } },
      size: { kind: 'histogram', edges, counts: [5, 0] },
    });
    expect(row.predictions).toEqual({ kind: 'categories', counts: { yes: 4, no: 2 } });

    // What the rollout analyser reads is the same sum.
    const [traffic] = await uow.read.rolloutAnalysis.traffic(deploymentId, windowStart);
    expect(traffic.features).toEqual([row.features]);
    expect(traffic.predictions).toEqual([row.predictions]);
  });

  it('leaves a window with no bins NULL, and bins that cannot be added keep the newer write', async () => {
    const later = new Date(windowStart.getTime() + 60_000);
    await uow.read.deploymentMetrics.add([delta({ windowStart: later })]);
    expect(
      (await sql.one<{ f: unknown; p: unknown }>(`SELECT features f, predictions p FROM deployment_metrics WHERE window_start = $1`, [later])).f,
    ).toBeNull();
    expect(
      await sql.one(`SELECT slipway_merge_bins('{"kind":"histogram","edges":[0,1],"counts":[1]}', '{"kind":"histogram","edges":[0,2],"counts":[4]}') AS m`),
    ).toEqual({
      m: { kind: 'histogram', edges: [0, 2], counts: [4] },
    });
  });
});
