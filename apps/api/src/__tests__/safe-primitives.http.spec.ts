/**
 * The safe primitives over HTTP: text Postgres cannot hold, integers outside their column, times outside years
 * 0001..9999 and forged cursor payloads are 400s naming the field in bodies, query strings, paths and cursors, and
 * none of them stores anything.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { errorResponseSchema } from '@slipway/contracts';
import { connectTestSql, useTestDatabase, type TestSql } from '@slipway/testing';
import { expectNamed } from '@slipway/testing-matchers';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { json, uploadVersion } from './registry-fixtures';

const cursorOf = (kind: string, payload: unknown) => Buffer.from(JSON.stringify({ v: 1, k: kind, p: payload }), 'utf8').toString('base64url');
const TABLES = ['experiments', 'runs', 'run_tags', 'run_params', 'metrics', 'models', 'model_versions', 'model_tags', 'webhooks', 'api_tokens'];

describe('safe primitives over HTTP', () => {
  const db = useTestDatabase();
  let api: ApiTestApp;
  let sql: TestSql;
  let runId = '';

  beforeAll(async () => {
    api = await startApiTestApp(db.url);
    sql = connectTestSql(db.url);
    const run = await json<{ id: string }>(await api.request('/api/v1/runs', { role: 'editor', method: 'POST', json: { experimentName: 'e' } }), 201);
    runId = run.id;
    await json(await api.request('/api/v1/models', { role: 'editor', method: 'POST', json: { name: 'm' } }), 201);
    await uploadVersion(api, 'm', { 'a.json': '{}' });
  });
  afterAll(async () => {
    await sql?.close();
    await api?.close();
  });

  const counts = async () => Object.fromEntries(await Promise.all(TABLES.map(async (table) => [table, await sql.count(table)])));

  it('refuses each hostile value with a 400 naming its field, and stores nothing', async () => {
    const cases: { name: string; path: string; method?: string; json?: unknown; field: string }[] = [
      // Text: NUL and lone surrogates, in bodies, record keys, JSON documents, queries and filters.
      { name: 'experiment name with NUL', path: '/api/v1/experiments', method: 'POST', json: { name: 'a\u0000b' }, field: 'body.name' },
      { name: 'experiment name with a lone surrogate', path: '/api/v1/experiments', method: 'POST', json: { name: 'a\ud800' }, field: 'body.name' },
      {
        name: 'description with a lone low surrogate',
        path: '/api/v1/experiments',
        method: 'POST',
        json: { name: 'x', description: '\udc00' },
        field: 'body.description',
      },
      { name: 'run name with NUL', path: '/api/v1/runs', method: 'POST', json: { experimentName: 'e', name: '\u0000' }, field: 'body.name' },
      {
        name: 'param value with NUL',
        path: `/api/v1/runs/${runId}/log-batch`,
        method: 'POST',
        json: { params: [{ key: 'k', value: 'v\u0000' }] },
        field: 'body.params.0.value',
      },
      {
        name: 'tag value with a lone surrogate',
        path: `/api/v1/runs/${runId}/log-batch`,
        method: 'POST',
        json: { tags: { t: '\ud83d' } },
        field: 'body.tags.t',
      },
      {
        name: 'metric key with a lone surrogate',
        path: `/api/v1/runs/${runId}/log-batch`,
        method: 'POST',
        json: { metrics: [{ key: 'k\udfff', value: 1 }] },
        field: 'body.metrics.0.key',
      },
      { name: 'model description with NUL', path: '/api/v1/models', method: 'POST', json: { name: 'n1', description: '\u0000' }, field: 'body.description' },
      {
        name: 'evaluation extra key with a lone surrogate',
        path: '/api/v1/models/m/versions',
        method: 'POST',
        json: { evaluation: { extra: { x: { '\ud800': 1 } } } },
        field: 'body.evaluation.extra.x',
      },
      {
        name: 'evaluation metric key with NUL',
        path: '/api/v1/models/m/versions',
        method: 'POST',
        json: { evaluation: { metrics: { 'a\u0000': 1 } } },
        field: 'body.evaluation.metrics.a\u0000',
      },
      { name: 'token name with NUL', path: '/api/v1/tokens', method: 'POST', json: { name: 't\u0000', role: 'viewer' }, field: 'body.name' },
      {
        name: 'webhook name with NUL',
        path: '/api/v1/webhooks',
        method: 'POST',
        json: { name: 'w\u0000', url: 'https://example.com/h', events: ['model_version.ready'] },
        field: 'body.name',
      },
      { name: 'model search with NUL', path: '/api/v1/models?search=%00', field: 'query.search' },
      { name: 'experiment name filter with NUL', path: '/api/v1/experiments?nameContains=a%00', field: 'query.nameContains' },
      { name: 'audit actor with NUL', path: '/api/v1/audit?actor=%00', field: 'query.actor' },
      { name: 'filter literal with NUL', path: '/api/v1/runs/search', method: 'POST', json: { filter: "params.x = 'a\u0000'" }, field: 'body.filter' },
      {
        name: 'filter literal with a lone surrogate',
        path: '/api/v1/runs/search',
        method: 'POST',
        json: { filter: "tags.t = '\ud800'" },
        field: 'body.filter',
      },
      { name: 'filter in a query string with NUL', path: `/api/v1/runs/search?filter=${encodeURIComponent("params.x = '\u0000'")}`, field: 'query.filter' },
      // Integers: plain digits only, inside the column's range.
      ...['1e3', '%201', '0x10', '99999999999999999999', '1.0', '', '-1'].map((limit) => ({
        name: `limit=${limit}`,
        path: `/api/v1/experiments?limit=${limit}`,
        field: 'query.limit',
      })),
      { name: 'model list limit=1e2', path: '/api/v1/models?limit=1e2', field: 'query.limit' },
      { name: 'audit limit=+5', path: '/api/v1/audit?limit=%2B5', field: 'query.limit' },
      { name: 'metric history limit=0x10', path: `/api/v1/runs/${runId}/metrics/loss/history?limit=0x10`, field: 'query.limit' },
      { name: 'version beyond int4 in a path', path: '/api/v1/models/m/versions/9999999999', field: 'params.version' },
      { name: 'ref name@99999999999', path: '/api/v1/registry/resolve/m@99999999999', field: 'params.ref' },
      { name: 'ref name/0', path: '/api/v1/registry/resolve/m%2F0', field: 'params.ref' },
      { name: 'seed beyond int4', path: '/api/v1/runs', method: 'POST', json: { experimentName: 'e', seed: 2_147_483_648 }, field: 'body.seed' },
      {
        name: 'step beyond 2^53',
        path: `/api/v1/runs/${runId}/log-batch`,
        method: 'POST',
        json: { metrics: [{ key: 'k', value: 1, step: 2 ** 53 }] },
        field: 'body.metrics.0.step',
      },
      // Times: years 0001..9999 only.
      {
        name: 'end time in year 10000 (ISO)',
        path: `/api/v1/runs/${runId}/end`,
        method: 'POST',
        json: { status: 'FINISHED', endTime: '+010000-01-01T00:00:00Z' },
        field: 'body.endTime',
      },
      {
        name: 'end time past 9999 (epoch ms)',
        path: `/api/v1/runs/${runId}/end`,
        method: 'POST',
        json: { status: 'FINISHED', endTime: 253402300800000 },
        field: 'body.endTime',
      },
      {
        name: 'end time whose offset makes it year 10000',
        path: `/api/v1/runs/${runId}/end`,
        method: 'POST',
        json: { status: 'FINISHED', endTime: '9999-12-31T23:00:00-05:00' },
        field: 'body.endTime',
      },
      {
        name: 'metric timestamp 8.64e15',
        path: `/api/v1/runs/${runId}/log-batch`,
        method: 'POST',
        json: { metrics: [{ key: 'k', value: 1, timestamp: 8.64e15 }] },
        field: 'body.metrics.0.timestamp',
      },
      { name: 'audit since year 0', path: '/api/v1/audit?since=0000-06-01T00:00:00Z', field: 'query.since' },
      {
        name: 'filter time past 9999',
        path: '/api/v1/runs/search',
        method: 'POST',
        json: { filter: 'attributes.created_at > 253402300800000' },
        field: 'body.filter',
      },
      // Cursors: a forged payload is a 400 naming query.cursor, whatever is inside.
      {
        name: 'audit cursor of 19 digits beyond int8',
        path: `/api/v1/audit?cursor=${cursorOf('audit', { id: '9999999999999999999' })}`,
        field: 'query.cursor',
      },
      { name: 'audit cursor of 23 digits', path: `/api/v1/audit?cursor=${cursorOf('audit', { id: '12345678901234567890123' })}`, field: 'query.cursor' },
      { name: 'experiment cursor with NUL', path: `/api/v1/experiments?cursor=${cursorOf('experiments', { name: 'a\u0000' })}`, field: 'query.cursor' },
      { name: 'model cursor with a lone surrogate', path: `/api/v1/models?cursor=${cursorOf('models', { name: '\ud800' })}`, field: 'query.cursor' },
      { name: 'version cursor beyond int4', path: `/api/v1/models/m/versions?cursor=${cursorOf('model-versions', { version: 1e10 })}`, field: 'query.cursor' },
    ];
    const before = await counts();
    for (const c of cases) {
      const response = await api.request(c.path, { role: 'admin', method: c.method ?? 'GET', json: c.json });
      const body = (await response.json()) as unknown;
      const parsed = errorResponseSchema.safeParse(body);
      expectNamed({ status: response.status, fields: parsed.success ? (parsed.data.error.fields ?? []).map((f) => f.field) : body }, c.name).toMatchObject({
        status: 400,
        fields: expect.arrayContaining([c.field]),
      });
    }
    await expect(counts()).resolves.toEqual(before);
    expect(cases.length).toBeGreaterThan(40);
  });

  it('accepts the edges themselves', async () => {
    const ok = async (path: string, init: { method?: string; json?: unknown } = {}, status = 200) =>
      expectNamed((await api.request(path, { role: 'admin', ...init })).status, path).toBe(status);
    await ok('/api/v1/experiments?limit=1000');
    await ok('/api/v1/experiments?limit=1');
    await ok('/api/v1/audit?since=0001-01-01T00:00:00Z&until=9999-12-31T23:59:59.999Z');
    await ok('/api/v1/models/m/versions/1');
    await ok('/api/v1/registry/resolve/m@1');
    await ok(`/api/v1/runs/${runId}/log-batch`, {
      method: 'POST',
      json: { metrics: [{ key: 'k', value: 1, step: Number.MAX_SAFE_INTEGER, timestamp: '0001-01-01T00:00:00Z' }] },
    });
    await ok('/api/v1/runs', { method: 'POST', json: { experimentName: 'e', seed: -2_147_483_648, name: '😀 שלום', tags: { t: '𝔘' } } }, 201);
    await ok(`/api/v1/runs/${runId}/end`, { method: 'POST', json: { status: 'FINISHED', endTime: '9999-12-31T23:59:59.999Z' } });
    const run = await json<{ endedAt: string }>(await api.request(`/api/v1/runs/${runId}`), 200);
    expect(run.endedAt).toBe('9999-12-31T23:59:59.999Z');
  });

  it('refuses forged keyset values inside the metric-history and run-search cursors', async () => {
    for (const value of ['a', 'b']) {
      await json(
        await api.request('/api/v1/runs', { role: 'editor', method: 'POST', json: { experimentName: 'cursors', params: [{ key: 'p', value }] } }),
        201,
      );
    }
    const page = await json<{ nextCursor: string }>(
      await api.request('/api/v1/runs/search', { method: 'POST', json: { orderBy: 'params.p ASC', filter: "params.p != ''", limit: 1 } }),
      200,
    );
    const envelope = JSON.parse(Buffer.from(page.nextCursor, 'base64url').toString('utf8')) as { k: string; p: Record<string, unknown> };
    const forged = [
      [
        'run-search value with NUL',
        '/api/v1/runs/search',
        { orderBy: 'params.p ASC', filter: "params.p != ''", limit: 1, cursor: cursorOf(envelope.k, { ...envelope.p, value: 'a\u0000' }) },
        'body.cursor',
      ],
      [
        'run-search value with a lone surrogate',
        '/api/v1/runs/search',
        { orderBy: 'params.p ASC', filter: "params.p != ''", limit: 1, cursor: cursorOf(envelope.k, { ...envelope.p, value: '\ud800' }) },
        'body.cursor',
      ],
    ] as const;
    for (const [name, path, body, field] of forged) {
      const response = await api.request(path, { method: 'POST', json: body });
      const error = errorResponseSchema.safeParse(await response.json());
      expectNamed({ status: response.status, fields: error.success ? (error.data.error.fields ?? []).map((f) => f.field) : [] }, name).toEqual({
        status: 400,
        fields: [field],
      });
    }
    const history = await api.request(`/api/v1/runs/${runId}/metrics/k/history?cursor=${cursorOf('metric-history', { step: '9999999999999999999', id: '1' })}`);
    expectNamed(history.status, 'metric-history step beyond int8').toBe(400);
  });
});
