import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { expectNamed } from '@slipway/testing-matchers';
import { errorResponseSchema, runSchema, runSearchResultSchema } from '@slipway/contracts';
import { connectTestSql, useTestDatabase } from '@slipway/testing';
import { startApiTestApp, type ApiTestApp } from './api-test-app';

/** name → params, metrics; every run gets tag `grid=1`. */
const GRID = [
  { name: 'r1', params: { criterion: 'gini', maxDepth: '4' }, metrics: { f1: 0.95, auc: 0.97 } },
  { name: 'r2', params: { criterion: 'gini', maxDepth: '12' }, metrics: { f1: 0.93, auc: 0.9 } },
  { name: 'r3', params: { criterion: 'entropy', maxDepth: '8' }, metrics: { f1: 0.91, auc: 0.99 } },
  { name: 'r4', params: { criterion: 'entropy', maxDepth: '16' }, metrics: { f1: 0.96, auc: 0.8 } },
  { name: 'r5', params: { criterion: 'entropy', maxDepth: '4' }, metrics: { f1: 0.85, auc: 0.85 } },
  { name: 'r6', params: { criterion: 'gini', maxDepth: '2' }, metrics: { f1: 0.89 } },
  { name: 'r7', params: { criterion: 'log_loss', maxDepth: '8' }, metrics: { f1: 0.99, auc: 0.7 } },
  { name: 'r8', params: { criterion: 'gini', maxDepth: '8' }, metrics: {} },
] as const;

describe('run search over HTTP: the PRODUCT.md query, sort, pages, and concurrent logging', () => {
  const db = useTestDatabase();
  let api: ApiTestApp;
  let experimentId: string;

  beforeAll(async () => {
    api = await startApiTestApp(db.url);
    for (const spec of GRID) {
      const run = runSchema.parse(
        await (
          await api.request('/api/v1/runs', {
            role: 'editor',
            method: 'POST',
            json: {
              experimentName: 'grid',
              name: spec.name,
              params: Object.entries(spec.params).map(([key, value]) => ({ key, value })),
              tags: { grid: '1' },
            },
          })
        ).json(),
      );
      experimentId = run.experimentId;
      const metrics = Object.entries(spec.metrics).flatMap(([key, value]) => [
        { key, value: value / 2, step: 0 },
        { key, value, step: 1 },
      ]);
      if (metrics.length > 0)
        expect((await api.request(`/api/v1/runs/${run.id}/log-batch`, { role: 'editor', method: 'POST', json: { metrics } })).status).toBe(200);
    }
    // Another experiment's run that matches everything, to prove experimentIds scopes the search.
    await api.request('/api/v1/runs', { role: 'editor', method: 'POST', json: { experimentName: 'other', params: [{ key: 'criterion', value: 'gini' }] } });
  });
  afterAll(async () => api?.close());

  async function search(json: Record<string, unknown>) {
    const response = await api.request('/api/v1/runs/search', { role: 'viewer', method: 'POST', json: { experimentIds: [experimentId], ...json } });
    expectNamed(response.status, JSON.stringify(json)).toBe(200);
    return runSearchResultSchema.parse(await response.json());
  }
  const names = async (json: Record<string, unknown>) => (await search(json)).runs.map((r) => r.name);

  it('answers the PRODUCT.md query exactly, sorted by f1', async () => {
    const filter = "metrics.f1 > 0.9 AND (params.criterion = 'gini' OR params.maxDepth IN (4, 8))";
    await expect(names({ filter, orderBy: 'metrics.f1 DESC' })).resolves.toEqual(['r7', 'r1', 'r2', 'r3']);
    // The GET form gives the same answer.
    const query = new URLSearchParams({ filter, orderBy: 'metrics.f1 DESC', experimentIds: experimentId });
    const viaGet = runSearchResultSchema.parse(await (await api.request(`/api/v1/runs/search?${query}`, { role: 'viewer' })).json());
    expect(viaGet.runs.map((r) => r.name)).toEqual(['r7', 'r1', 'r2', 'r3']);
    // Latest values, not the step-0 halves, are what is filtered and shown.
    expect(viaGet.runs[0].metrics.find((m) => m.key === 'f1')).toMatchObject({ value: 0.99, step: 1 });
  });

  it.each([
    ["params.criterion = 'gini' AND metrics.auc >= 0.9", 'attributes.name', ['r1', 'r2']],
    ["params.criterion NOT IN ('gini', 'entropy')", 'attributes.name', ['r7']],
    ["NOT (params.criterion = 'gini') AND metrics.f1 < 0.95", 'metrics.f1 ASC', ['r5', 'r3']],
    ["(metrics.auc < 0.85 OR metrics.f1 < 0.9) AND tags.grid = '1'", 'metrics.auc DESC', ['r5', 'r4', 'r7', 'r6']],
    // Params sort as strings: '12' < '16' < '4' < '8'.
    ['metrics.f1 > 0.9 AND metrics.f1 < 0.99', 'params.maxDepth ASC', ['r2', 'r4', 'r1', 'r3']],
    ["attributes.status = 'RUNNING' AND params.maxDepth = '8'", 'metrics.f1 DESC', ['r7', 'r3', 'r8']],
  ])('%s ordered by %s', async (filter, orderBy, expected) => {
    await expect(names({ filter, orderBy })).resolves.toEqual(expected);
  });

  it('pages with an opaque cursor: every run once, in order; a cursor from another query is a 400', async () => {
    const full = await names({ orderBy: 'metrics.auc DESC' });
    expect(full.slice(0, 6)).toEqual(['r3', 'r1', 'r2', 'r5', 'r4', 'r7']);
    expect(full.slice(6).sort()).toEqual(['r6', 'r8']);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await search({ orderBy: 'metrics.auc DESC', limit: 3, ...(cursor ? { cursor } : {}) });
      paged.push(...page.runs.map((r) => r.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(full);

    const first = await search({ orderBy: 'metrics.auc DESC', limit: 3 });
    const mismatched = await api.request('/api/v1/runs/search', {
      role: 'viewer',
      method: 'POST',
      json: { experimentIds: [experimentId], orderBy: 'metrics.f1 DESC', cursor: first.nextCursor },
    });
    expect(mismatched.status).toBe(400);
    expect(errorResponseSchema.parse(await mismatched.json()).error.fields?.[0].field).toBe('body.cursor');
    const garbage = await api.request(`/api/v1/runs/search?cursor=${encodeURIComponent('{"v":1}')}`, { role: 'viewer' });
    expect(errorResponseSchema.parse(await garbage.json()).error.fields?.[0].field).toBe('query.cursor');
  });

  it('reports filter syntax errors with their column, naming the field', async () => {
    const response = await api.request('/api/v1/runs/search', { role: 'viewer', method: 'POST', json: { filter: 'metrics.f1 > AND params.x = 1' } });
    expect(response.status).toBe(400);
    const error = errorResponseSchema.parse(await response.json()).error;
    expect(error.fields?.[0]).toEqual({ field: 'body.filter', message: "expected a value after '>' at column 14, found 'AND'" });
    const sort = await api.request('/api/v1/runs/search?orderBy=metrics.f1%20SIDEWAYS', { role: 'viewer' });
    expect(errorResponseSchema.parse(await sort.json()).error.fields?.[0].field).toBe('query.orderBy');
  });

  it('keeps latest_metrics consistent under parallel log-batch calls on one run (highest step wins)', async () => {
    const run = runSchema.parse(await (await api.request('/api/v1/runs', { role: 'editor', method: 'POST', json: { experimentName: 'concurrency' } })).json());
    const batches = Array.from({ length: 24 }, (_, b) =>
      Array.from({ length: 50 }, (_, i) => {
        // Steps interleave across batches so that no batch holds all the highest steps.
        const step = i * 24 + ((b * 7) % 24);
        return [
          { key: 'loss', value: 1 / (step + 1), step },
          { key: 'acc', value: step / 10_000, step },
        ];
      }).flat(),
    );
    const responses = await Promise.all(
      batches.map((metrics) => api.request(`/api/v1/runs/${run.id}/log-batch`, { role: 'editor', method: 'POST', json: { metrics } })),
    );
    expect(responses.map((r) => r.status)).toEqual(batches.map(() => 200));
    const maxStep = 49 * 24 + 23;
    const view = runSchema.parse(await (await api.request(`/api/v1/runs/${run.id}`, { role: 'viewer' })).json());
    expect(view.metrics.map((m) => [m.key, m.step, m.value])).toEqual([
      ['acc', maxStep, maxStep / 10_000],
      ['loss', maxStep, 1 / (maxStep + 1)],
    ]);
    const sql = connectTestSql(db.url);
    try {
      await expect(sql.count('metrics', 'run_id = $1', [run.id])).resolves.toBe(24 * 100);
    } finally {
      await sql.close();
    }
  });
});
