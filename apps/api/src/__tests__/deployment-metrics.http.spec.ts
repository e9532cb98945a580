import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { deploymentMetricsSchema, deploymentSchema, errorResponseSchema, LATENCY_BUCKETS_MS } from '@slipway/contracts';
import { psi } from '@slipway/ml-evaluation';
import { useTestDatabase, type TestSql } from '@slipway/testing';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { connect, createModel, json, modelId, uploadVersion } from './registry-fixtures';

const EDGES = [0, 1, 2, 3, 4];
const PROFILE = { rowCount: 400, columns: [{ name: 'x', type: 'number', count: 400, missing: 0, histogram: { edges: EDGES, counts: [100, 100, 100, 100] } }] };

/** Latency buckets with every request in the bucket whose upper bound is `boundMs`. */
function buckets(requests: number, boundMs: number): number[] {
  const out = new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
  out[LATENCY_BUCKETS_MS.indexOf(boundMs as (typeof LATENCY_BUCKETS_MS)[number])] = requests;
  return out;
}

/** Windows planted as the serving replicas write them (deployment_metrics rows), read back through the API. */
describe('deployment metrics over HTTP', () => {
  const db = useTestDatabase();
  let api: ApiTestApp;
  let sql: TestSql;
  let deploymentId: string;
  let v1: string;
  let v2: string;
  const windowAgo = (seconds: number) => new Date(Math.floor((Date.now() - seconds * 1000) / 10_000) * 10_000);

  async function plant(versionId: string, role: string, at: Date, requests: number, errors: number, boundMs: number, features: unknown = null) {
    await sql.query(
      `INSERT INTO deployment_metrics (deployment_id, version_id, role, window_start, requests, errors, latency_buckets, latency_sum_ms, features)
       VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6, $7::int[], $8, $9::jsonb)`,
      [
        deploymentId,
        versionId,
        role,
        at,
        requests,
        errors,
        buckets(requests, boundMs),
        requests * boundMs,
        features === null ? null : JSON.stringify(features),
      ],
    );
  }

  beforeAll(async () => {
    api = await startApiTestApp(db.url);
    sql = connect(api, db.url).sql;
    await createModel(api, 'fraud');
    for (let v = 1; v <= 2; v++) await uploadVersion(api, 'fraud', { 'model.json': `{"v":${v}}` });
    const id = await modelId(sql, 'fraud');
    await sql.query(`UPDATE model_versions SET training_profile = $2::jsonb WHERE model_id = $1 AND version = 2`, [id, JSON.stringify(PROFILE)]);
    const created = deploymentSchema.parse(
      await json(await api.request('/api/v1/deployments', { role: 'editor', method: 'POST', json: { name: 'scorer', model: 'fraud', version: 1 } }), 201),
    );
    deploymentId = created.id;
    v1 = created.revision.stable.versionId;
    const canary = deploymentSchema.parse(
      await json(
        await api.request('/api/v1/deployments/scorer/canary', { role: 'editor', method: 'POST', json: { baseRevision: 1, version: 2, percent: 10 } }),
        200,
      ),
    );
    v2 = canary.revision.canary?.versionId ?? '';
  });
  afterAll(async () => {
    await sql?.close();
    await api?.close();
  });

  it('answers per version and role: request rate, error rate and p99 per window and over the range, and input drift per feature', async () => {
    const older = windowAgo(60);
    const newer = windowAgo(30);
    await plant(v1, 'stable', older, 100, 2, 5);
    await plant(v1, 'stable', newer, 50, 0, 10);
    const canaryInputs = { x: { kind: 'histogram', edges: EDGES, counts: [30, 0, 0, 0] } };
    await plant(v2, 'canary', newer, 30, 3, 50, canaryInputs);
    // Outside the range asked for: left out.
    await plant(v1, 'stable', windowAgo(3600), 1000, 1000, 10_000);

    const since = new Date(Date.now() - 5 * 60_000).toISOString();
    const answer = deploymentMetricsSchema.parse(await json(await api.request(`/api/v1/deployments/scorer/metrics?since=${since}`, { role: 'viewer' }), 200));
    expect(answer).toMatchObject({ deployment: 'scorer', windowSeconds: 10, since });
    expect(answer.series.map((s) => [s.role, s.version])).toEqual([
      ['stable', 1],
      ['canary', 2],
    ]);
    const [stable, canary] = answer.series;
    expect(stable.points).toEqual([
      // 100 requests in the 2..5 ms bucket: the 99th is 99% of the way through it.
      { at: older.toISOString(), requests: 100, requestRate: 10, errorRate: 0.02, p99Ms: 4.97 },
      { at: newer.toISOString(), requests: 50, requestRate: 5, errorRate: 0, p99Ms: 9.95 },
    ]);
    expect(stable.totals).toMatchObject({ requests: 150, errors: 2 });
    expect(stable.totals.errorRate).toBeCloseTo(2 / 150, 5);
    // Over the range: rank 148.5 of 150 lands in the 5..10 ms bucket (50 requests, 100 below it).
    expect(stable.totals.p99Ms).toBeCloseTo(5 + 5 * (48.5 / 50), 4);
    // v1 has no training profile: no drift to show.
    expect(stable.drift).toEqual([]);

    expect(canary.totals).toMatchObject({ requests: 30, errors: 3, errorRate: 0.1 });
    const expected = psi({ kind: 'histogram', edges: EDGES, counts: [100, 100, 100, 100] }, { kind: 'histogram', edges: EDGES, counts: [30, 0, 0, 0] }) ?? NaN;
    expect(canary.drift).toHaveLength(1);
    expect(canary.drift[0].feature).toBe('x');
    expect(canary.drift[0].psi).toBeCloseTo(expected, 4);
    expect(canary.drift[0].psi).toBeGreaterThan(1);
  });

  it('defaults to the last 15 minutes and refuses a range past 24 hours, a malformed since and an unknown deployment, naming the field', async () => {
    const answer = deploymentMetricsSchema.parse(await json(await api.request('/api/v1/deployments/scorer/metrics', { role: 'viewer' }), 200));
    expect(Date.parse(answer.until) - Date.parse(answer.since)).toBe(15 * 60_000);
    const fieldOf = async (path: string, status: number) =>
      errorResponseSchema.parse(await json(await api.request(path, { role: 'viewer' }), status)).error.fields?.[0]?.field;
    expect(await fieldOf(`/api/v1/deployments/scorer/metrics?since=${new Date(Date.now() - 25 * 3600_000).toISOString()}`, 400)).toBe('query.since');
    expect(await fieldOf('/api/v1/deployments/scorer/metrics?since=yesterday', 400)).toBe('query.since');
    // An unknown parameter is refused (not ignored), at the query itself.
    expect(await fieldOf('/api/v1/deployments/scorer/metrics?until=now', 400)).toBe('query');
    expect(await fieldOf('/api/v1/deployments/nope/metrics', 404)).toBe('params.name');
    expect(await fieldOf('/api/v1/deployments/Bad_Name/metrics', 400)).toBe('params.name');
  });
});
