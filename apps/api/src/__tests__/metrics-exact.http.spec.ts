import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { expectNamed } from '@slipway/testing-matchers';
import {
  compareResultSchema,
  errorResponseSchema,
  metricHistorySchema,
  runSchema,
  runSearchResultSchema,
  versionSchema,
  type MetricValue,
  type RunSearchResult,
} from '@slipway/contracts';
import { useTestDatabase } from '@slipway/testing';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { connect, createModel, json, seedRun } from './registry-fixtures';

/** Fixed, so a failure names values that reproduce. */
const SEED = 20_261_201;
const GENERATED = 3000;

/** The doubles most likely to be mangled on the way: extremes, subnormals, integers past 2^53, 1-ULP neighbours. */
const EDGES = [
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  Number.MIN_VALUE,
  -Number.MIN_VALUE,
  2.2250738585072014e-308, // smallest normal
  2.225073858507201e-308, // largest subnormal
  Number.EPSILON,
  1 + Number.EPSILON,
  2 ** 53 + 2,
  2 ** 64,
  -(2 ** 63),
  123456789012345680000,
  1.9796781408864355,
  1.979678140886435,
  0.1 + 0.2,
  1e21,
  1e-7,
  0,
  -0,
];

function generatedValues(): number[] {
  const arbitrary = fc.oneof(
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.double({ min: -1, max: 1, noNaN: true }),
    // Subnormals: below the smallest normal double.
    fc.double({ min: -2.2250738585072014e-308, max: 2.2250738585072014e-308, noNaN: true }),
    fc.bigInt({ min: -(2n ** 90n), max: 2n ** 90n }).map(Number),
  );
  return [...EDGES, ...fc.sample(arbitrary, { seed: SEED, numRuns: GENERATED })];
}

/** −0 is stored and answered as 0 (JSON cannot write −0 back; see docs/CONVENTIONS.md "Metric values"). */
const expectedOf = (value: number): number => (value === 0 ? 0 : value);
const chunks = <T>(items: T[], size: number): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

describe('metric values over HTTP: every double bit-exact, NaN and ±Infinity as values', () => {
  const db = useTestDatabase();
  let api: ApiTestApp;

  beforeAll(async () => {
    api = await startApiTestApp(db.url);
  });
  afterAll(async () => api?.close());

  async function createRun(experimentName: string, name = ''): Promise<{ id: string; experimentId: string }> {
    const response = await api.request('/api/v1/runs', { role: 'editor', method: 'POST', json: { experimentName, name } });
    expect(response.status).toBe(201);
    return runSchema.parse(await response.json());
  }
  async function log(runId: string, metrics: { key: string; value: MetricValue; step?: number }[]): Promise<void> {
    for (const batch of chunks(metrics, 1000)) {
      const response = await api.request(`/api/v1/runs/${runId}/log-batch`, { role: 'editor', method: 'POST', json: { metrics: batch } });
      expectNamed(response.status, await response.clone().text()).toBe(200);
    }
  }
  async function search(json: Record<string, unknown>): Promise<RunSearchResult> {
    const response = await api.request('/api/v1/runs/search', { role: 'viewer', method: 'POST', json });
    expectNamed(response.status, `${JSON.stringify(json)}: ${await response.clone().text()}`).toBe(200);
    return runSearchResultSchema.parse(await response.json());
  }
  async function compare(runIds: string[]) {
    const response = await api.request('/api/v1/registry/compare', { role: 'viewer', method: 'POST', json: { runIds } });
    expect(response.status).toBe(200);
    return compareResultSchema.parse(await response.json());
  }
  const key = (i: number) => `m${String(i).padStart(4, '0')}`;

  it(`round-trips ${GENERATED + EDGES.length} doubles (seed ${SEED}) through run get, history, search and compare`, async () => {
    const values = generatedValues();
    expect(values.length).toBeGreaterThanOrEqual(3000);
    const run = await createRun('exact');
    // Each value as the latest of its own key (run get, search, compare tables) and as a step of one history.
    await log(
      run.id,
      values.map((value, i) => ({ key: key(i), value })),
    );
    await log(
      run.id,
      values.map((value, step) => ({ key: 'h', value, step })),
    );

    const view = runSchema.parse(await (await api.request(`/api/v1/runs/${run.id}`, { role: 'viewer' })).json());
    const latest = new Map(view.metrics.map((m) => [m.key, m.value]));
    values.forEach((value, i) =>
      expectNamed(Object.is(latest.get(key(i)), expectedOf(value)), `run get ${key(i)} = ${value} → ${latest.get(key(i))}`).toBe(true),
    );

    const history = metricHistorySchema.parse(await (await api.request(`/api/v1/runs/${run.id}/metrics/h/history?limit=10000`, { role: 'viewer' })).json());
    expect(history.points).toHaveLength(values.length);
    history.points.forEach((p) =>
      expectNamed(Object.is(p.value, expectedOf(values[p.step])), `history step ${p.step} = ${values[p.step]} → ${p.value}`).toBe(true),
    );

    const found = await search({ experimentIds: [run.experimentId] });
    expect(found.runs).toHaveLength(1);
    const searched = new Map(found.runs[0].metrics.map((m) => [m.key, m.value]));
    values.forEach((value, i) =>
      expectNamed(Object.is(searched.get(key(i)), expectedOf(value)), `search ${key(i)} = ${value} → ${searched.get(key(i))}`).toBe(true),
    );

    const compared = await compare([run.id]);
    const table = new Map(compared.metrics.map((m) => [m.key, m.values[0]]));
    const series = new Map(compared.histories.map((h) => [h.key, h.series[0]]));
    values.forEach((value, i) => {
      expectNamed(Object.is(table.get(key(i)), expectedOf(value)), `compare ${key(i)} = ${value} → ${table.get(key(i))}`).toBe(true);
      expectNamed(Object.is(series.get(key(i))?.[0]?.value, expectedOf(value)), `compare history ${key(i)} = ${value}`).toBe(true);
    });
    // The downsampled history keeps points as they were, at their steps.
    const downsampled = series.get('h') ?? [];
    expect(downsampled.length).toBeGreaterThan(100);
    downsampled.forEach((p) => expectNamed(Object.is(p.value, expectedOf(values[p.step])), `compare history h step ${p.step}`).toBe(true));

    // A filter literal is as exact as the stored value: `= v` finds exactly the key that holds v.
    for (const i of fc.sample(fc.integer({ min: 0, max: values.length - 1 }), { seed: SEED, numRuns: 25 }).concat([0, 1, 2, 3, 12, 13, 14])) {
      const literal = String(expectedOf(values[i]));
      const hit = await search({ experimentIds: [run.experimentId], filter: `metrics.${key(i)} = ${literal}` });
      expectNamed(hit.runs.length, `metrics.${key(i)} = ${literal}`).toBe(1);
    }
  });

  it('stores −0 as 0 (JSON cannot answer −0) and refuses numbers JSON turns into Infinity, naming the field', async () => {
    const run = await createRun('negative-zero');
    const body = `{"metrics":[{"key":"z","value":-0},{"key":"w","value":-0.0}]}`;
    // Sent as text: JSON.stringify would already have written −0 as 0.
    const raw = await fetch(`${api.baseUrl}/api/v1/runs/${run.id}/log-batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.tokens.editor}`, 'content-type': 'application/json' },
      body,
    });
    expect(raw.status).toBe(200);
    const view = runSchema.parse(await (await api.request(`/api/v1/runs/${run.id}`, { role: 'viewer' })).json());
    expect(view.metrics.map((m) => [m.key, Object.is(m.value, 0)])).toEqual([
      ['w', true],
      ['z', true],
    ]);
    for (const value of ['nan', 'inf', '+Infinity', '', null, true, { v: 1 }]) {
      const response = await api.request(`/api/v1/runs/${run.id}/log-batch`, { role: 'editor', method: 'POST', json: { metrics: [{ key: 'x', value }] } });
      expectNamed(response.status, JSON.stringify(value)).toBe(400);
      expectNamed(errorResponseSchema.parse(await response.json()).error.fields?.[0].field, JSON.stringify(value)).toBe('body.metrics.0.value');
    }
  });

  it('stores NaN and ±Infinity and answers them as the strings they were sent as, on every read', async () => {
    const run = await createRun('diverged');
    await log(run.id, [
      { key: 'loss', value: 0.7, step: 0 },
      { key: 'loss', value: 'Infinity', step: 1 },
      { key: 'loss', value: 'NaN', step: 2 },
      { key: 'grad', value: '-Infinity', step: 0 },
      { key: 'lr', value: 'Infinity', step: 0 },
    ]);
    const view = runSchema.parse(await (await api.request(`/api/v1/runs/${run.id}`, { role: 'viewer' })).json());
    expect(view.metrics.map((m) => [m.key, m.value, m.step])).toEqual([
      ['grad', '-Infinity', 0],
      ['loss', 'NaN', 2],
      ['lr', 'Infinity', 0],
    ]);
    const history = metricHistorySchema.parse(await (await api.request(`/api/v1/runs/${run.id}/metrics/loss/history`, { role: 'viewer' })).json());
    expect(history.points.map((p) => p.value)).toEqual([0.7, 'Infinity', 'NaN']);
    const found = await search({ experimentIds: [run.experimentId] });
    expect(found.runs[0].metrics.map((m) => m.value)).toEqual(['-Infinity', 'NaN', 'Infinity']);
    const compared = await compare([run.id]);
    expect(compared.metrics.map((m) => [m.key, m.values])).toEqual([
      ['grad', ['-Infinity']],
      ['loss', ['NaN']],
      ['lr', ['Infinity']],
    ]);
    expect(compared.histories.find((h) => h.key === 'loss')?.series[0].map((p) => p.value)).toEqual([0.7, 'Infinity', 'NaN']);
  });

  it("captures a run's exact and non-finite final metrics in a version's lineage, and every registry read answers", async () => {
    const { sql, objects } = connect(api, db.url);
    try {
      // Seeded straight into the tracking tables (node-postgres binds numbers as String(n): exact).
      const { runId } = await seedRun(sql, objects, {
        metrics: { exact: [1.9796781408864355], loss: [0.5, Number.NaN], max: [Number.MAX_VALUE], neg: [-Infinity], tiny: [Number.MIN_VALUE] },
        artifacts: { 'model/model.json': JSON.stringify({ w: [1] }) },
      });
      await createModel(api, 'diverged');
      const created = versionSchema.parse(
        await json(await api.request('/api/v1/models/diverged/versions', { role: 'editor', method: 'POST', json: { runId, artifactPath: 'model' } }), 201),
      );
      const metrics = { exact: 1.9796781408864355, loss: 'NaN', max: Number.MAX_VALUE, neg: '-Infinity', tiny: Number.MIN_VALUE };
      expect(created.lineage?.metrics).toEqual(metrics);
      const one = versionSchema.parse(await json(await api.request('/api/v1/models/diverged/versions/1', { role: 'viewer' }), 200));
      expect(one.lineage?.metrics).toEqual(metrics);
      const list = await json<{ versions: unknown[] }>(await api.request('/api/v1/models/diverged/versions', { role: 'viewer' }), 200);
      expect(list.versions).toHaveLength(1);
      const compared = compareResultSchema.parse(
        await json(
          await api.request('/api/v1/registry/compare', { role: 'viewer', method: 'POST', json: { versions: [{ model: 'diverged', version: 1 }] } }),
          200,
        ),
      );
      expect(Object.fromEntries(compared.metrics.map((m) => [m.key, m.values[0]]))).toEqual(metrics);
      expect((await api.request('/api/v1/models', { role: 'viewer' })).status).toBe(200);
    } finally {
      await sql.close();
    }
  });

  describe('search, sort and pages over NaN and ±Infinity', () => {
    // name → latest loss (undefined: never logged). 'b' and 'c' differ in the last bit only.
    const LOSSES: Record<string, MetricValue | undefined> = {
      a: 0.5,
      b: 1.9796781408864355,
      c: 1.979678140886435,
      d: 'Infinity',
      e: '-Infinity',
      f: 'NaN',
      g: 'NaN',
      h: 1,
      i: 1 + Number.EPSILON,
      j: undefined,
      k: 0.5,
    };
    let experimentId: string;
    const idOf = new Map<string, string>();

    beforeAll(async () => {
      for (const [name, loss] of Object.entries(LOSSES)) {
        const run = await createRun('sorting', name);
        experimentId = run.experimentId;
        idOf.set(name, run.id);
        await log(run.id, [{ key: 'acc', value: 0.5 }, ...(loss === undefined ? [] : [{ key: 'loss', value: loss }])]);
      }
    });
    const byId = (names: string[], direction: 'ASC' | 'DESC') =>
      [...names].sort((x, y) => ((idOf.get(x) ?? '') < (idOf.get(y) ?? '') ? -1 : 1) * (direction === 'ASC' ? 1 : -1));
    async function names(filter: string, orderBy = 'metrics.loss ASC', limit = 100): Promise<string[]> {
      const out: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await search({ experimentIds: [experimentId], filter, orderBy, limit, ...(cursor ? { cursor } : {}) });
        out.push(...page.runs.map((r) => r.name));
        cursor = page.nextCursor;
      } while (cursor);
      return out;
    }

    it('sorts −Infinity first and +Infinity last among numbers, then NaN, then runs without the metric, in both directions and over every page size', async () => {
      // Ties (a and k) sort by id in the sort's direction, as do the NaNs and the runs without the metric.
      const expectedAsc = ['e', ...byId(['a', 'k'], 'ASC'), 'h', 'i', 'c', 'b', 'd', ...byId(['f', 'g'], 'ASC'), 'j'];
      const expectedDesc = ['d', 'b', 'c', 'i', 'h', ...byId(['a', 'k'], 'DESC'), 'e', ...byId(['f', 'g'], 'DESC'), 'j'];
      for (const limit of [1, 2, 3, 100]) {
        await expect(names('', 'metrics.loss ASC', limit)).resolves.toEqual(expectedAsc);
        await expect(names('', 'metrics.loss DESC', limit)).resolves.toEqual(expectedDesc);
      }
    });

    it.each([
      ['metrics.loss > 0.5', ['b', 'c', 'd', 'h', 'i']],
      ["metrics.loss >= '-Infinity'", ['a', 'b', 'c', 'd', 'e', 'h', 'i', 'k']],
      ["metrics.loss < 'Infinity'", ['a', 'b', 'c', 'e', 'h', 'i', 'k']],
      ["metrics.loss < 'NaN'", []],
      ["metrics.loss >= 'NaN'", []],
      ["metrics.loss = 'NaN'", ['f', 'g']],
      ["metrics.loss != 'NaN'", ['a', 'b', 'c', 'd', 'e', 'h', 'i', 'k']],
      ["metrics.loss IN ('Infinity', '-Infinity')", ['d', 'e']],
      ["metrics.loss NOT IN ('NaN', 0.5)", ['b', 'c', 'd', 'e', 'h', 'i']],
      ['metrics.loss = 1.9796781408864355', ['b']],
      ['metrics.loss < 1.9796781408864355 AND metrics.loss > 1', ['c', 'i']],
      ['NOT metrics.loss > 0.5', ['a', 'e', 'f', 'g', 'j', 'k']],
    ])('%s', async (filter, expected) => {
      await expect(names(filter, 'attributes.name ASC')).resolves.toEqual(expected);
    });

    it('refuses other words as metric literals, naming the filter', async () => {
      const response = await api.request('/api/v1/runs/search', { role: 'viewer', method: 'POST', json: { filter: "metrics.loss > 'inf'" } });
      expect(response.status).toBe(400);
      const error = errorResponseSchema.parse(await response.json()).error;
      expect(error.fields?.[0].field).toBe('body.filter');
      expect(error.fields?.[0].message).toContain("'NaN', 'Infinity' or '-Infinity'");
    });

    it('compares with NaN and ±Infinity shown and never best', async () => {
      const runs = ['f', 'd', 'a', 'e'].map((n) => idOf.get(n) ?? '');
      const result = await compare(runs);
      const loss = result.metrics.find((m) => m.key === 'loss');
      expect(loss).toEqual({ key: 'loss', goal: 'min', values: ['NaN', 'Infinity', 0.5, '-Infinity'], best: [2] });
      const allDiverged = await compare([idOf.get('f') ?? '', idOf.get('d') ?? '']);
      expect(allDiverged.metrics.find((m) => m.key === 'loss')?.best).toEqual([]);
    });
  });
});
