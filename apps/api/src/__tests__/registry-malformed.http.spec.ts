/**
 * Table-driven malformed input over every registry and webhook route: wrong types, missing fields, huge
 * strings, unknown enum values, path traversal in artifact names. Each answer is a 4xx naming the field;
 * no row and no object is stored.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { expectNamed } from '@slipway/testing-matchers';
import { createdWebhookSchema, errorResponseSchema } from '@slipway/contracts';
import { createObjectStore, type ObjectStore } from '@slipway/storage';
import { useTestDatabase } from '@slipway/testing';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { createModel, json, uploadVersion } from './registry-fixtures';

interface Case {
  method: string;
  path: string;
  json?: unknown;
  raw?: string;
  headers?: Record<string, string>;
  status: number;
  /** Start of the `fields[].field` the answer must name (omitted for 404s of unmatched routes). */
  field?: string;
}

const HUGE = 'x'.repeat(100_000);
const UUID = '00000000-0000-4000-8000-000000000000';

async function rowCounts(url: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>(
      "select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1",
    );
    const counts: Record<string, number> = {};
    for (const { table_name } of tables.rows)
      counts[table_name] = Number((await client.query<{ n: string }>(`select count(*) as n from "${table_name}"`)).rows[0].n);
    return counts;
  } finally {
    await client.end();
  }
}

async function objectKeys(objects: ObjectStore): Promise<string[]> {
  const keys: string[] = [];
  for await (const o of objects.list('')) keys.push(o.key);
  return keys.sort();
}

describe('registry and webhooks: malformed input on every route', () => {
  const db = useTestDatabase();
  let api: ApiTestApp;
  let hookId: string;

  beforeAll(async () => {
    api = await startApiTestApp(db.url, { SLIPWAY_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
    await createModel(api, 'm');
    await uploadVersion(api, 'm', { 'model.json': '{}' });
    await json(await api.request('/api/v1/models/m/versions', { role: 'editor', method: 'POST', json: {} }), 201);
    await json(await api.request('/api/v1/models/m/aliases/champion', { role: 'editor', method: 'PUT', json: { version: 1 } }), 200);
    hookId = createdWebhookSchema.parse(
      await json(await api.request('/api/v1/webhooks', { method: 'POST', json: { name: 'h', url: 'http://127.0.0.1:9/h', events: ['alias.moved'] } }), 201),
    ).id;
  });
  afterAll(async () => api?.close());

  const cases = (): Case[] => [
    // models
    { method: 'POST', path: '/api/v1/models', json: {}, status: 400, field: 'body.name' },
    { method: 'POST', path: '/api/v1/models', json: { name: 123 }, status: 400, field: 'body.name' },
    { method: 'POST', path: '/api/v1/models', json: { name: 'a/b' }, status: 400, field: 'body.name' },
    { method: 'POST', path: '/api/v1/models', json: { name: 'm@1' }, status: 400, field: 'body.name' },
    { method: 'POST', path: '/api/v1/models', json: { name: HUGE }, status: 400, field: 'body.name' },
    { method: 'POST', path: '/api/v1/models', json: { name: 'ok', description: HUGE }, status: 400, field: 'body.description' },
    { method: 'POST', path: '/api/v1/models', json: { name: 'ok', tags: 'team' }, status: 400, field: 'body.tags' },
    { method: 'POST', path: '/api/v1/models', json: { name: 'ok', tags: { team: 5 } }, status: 400, field: 'body.tags.team' },
    { method: 'POST', path: '/api/v1/models', json: { name: 'ok', tags: { 'bad key!': 'x' } }, status: 400, field: 'body.tags' },
    { method: 'POST', path: '/api/v1/models', json: { name: 'ok', owner: 'me' }, status: 400, field: 'body' },
    { method: 'POST', path: '/api/v1/models', json: [{ name: 'ok' }], status: 400, field: 'body' },
    { method: 'GET', path: '/api/v1/models?limit=0', status: 400, field: 'query.limit' },
    { method: 'GET', path: '/api/v1/models?limit=abc', status: 400, field: 'query.limit' },
    { method: 'GET', path: `/api/v1/models?search=${'s'.repeat(500)}`, status: 400, field: 'query.search' },
    { method: 'GET', path: '/api/v1/models?cursor=..%2Fx', status: 400, field: 'query.cursor' },
    { method: 'GET', path: '/api/v1/models?sort=name', status: 400, field: 'query' },
    { method: 'GET', path: '/api/v1/models/..%2F..%2Fetc', status: 400, field: 'params.name' },
    { method: 'GET', path: `/api/v1/models/${'n'.repeat(300)}`, status: 400, field: 'params.name' },
    { method: 'PATCH', path: '/api/v1/models/m', json: {}, status: 400, field: 'body' },
    { method: 'PATCH', path: '/api/v1/models/m', json: { description: 1 }, status: 400, field: 'body.description' },
    { method: 'PATCH', path: '/api/v1/models/m', json: { tags: ['a'] }, status: 400, field: 'body.tags' },
    { method: 'PATCH', path: '/api/v1/models/m', json: { name: 'renamed' }, status: 400, field: 'body' },
    { method: 'DELETE', path: '/api/v1/models/a%20b', status: 400, field: 'params.name' },
    // versions
    { method: 'POST', path: '/api/v1/models/m/versions', json: { runId: 'not-a-uuid' }, status: 400, field: 'body.runId' },
    { method: 'POST', path: '/api/v1/models/m/versions', json: { runId: UUID, artifactPath: '../secrets' }, status: 400, field: 'body.artifactPath' },
    { method: 'POST', path: '/api/v1/models/m/versions', json: { runId: UUID, artifactPath: '/etc/passwd' }, status: 400, field: 'body.artifactPath' },
    { method: 'POST', path: '/api/v1/models/m/versions', json: { runId: UUID, artifactPath: 'a\\..\\b' }, status: 400, field: 'body.artifactPath' },
    { method: 'POST', path: '/api/v1/models/m/versions', json: { runId: UUID, artifactPath: 'a/./b' }, status: 400, field: 'body.artifactPath' },
    { method: 'POST', path: '/api/v1/models/m/versions', json: { runId: UUID, artifactPath: 'a\u0000b' }, status: 400, field: 'body.artifactPath' },
    { method: 'POST', path: '/api/v1/models/m/versions', json: { runId: UUID, artifactPath: HUGE }, status: 400, field: 'body.artifactPath' },
    { method: 'POST', path: '/api/v1/models/m/versions', json: { artifactPath: 'model' }, status: 400, field: 'body.runId' },
    { method: 'POST', path: '/api/v1/models/m/versions', json: { evaluation: { roc: { x: [0, 1], y: [0] } } }, status: 400, field: 'body.evaluation.roc' },
    {
      method: 'POST',
      path: '/api/v1/models/m/versions',
      json: { evaluation: { confusionMatrix: { labels: ['a', 'b'], matrix: [[1, 2]] } } },
      status: 400,
      field: 'body.evaluation.confusionMatrix.matrix',
    },
    { method: 'POST', path: '/api/v1/models/m/versions', json: { evaluation: { accuracy: 0.9 } }, status: 400, field: 'body.evaluation' },
    { method: 'POST', path: '/api/v1/models/m/versions', json: { evaluation: { metrics: { f1: 'high' } } }, status: 400, field: 'body.evaluation.metrics.f1' },
    { method: 'POST', path: '/api/v1/models/m/versions', json: { status: 'ready' }, status: 400, field: 'body' },
    // The column contracts validate at the request (a shape the store would refuse on read is a 400, never a 500).
    {
      method: 'POST',
      path: '/api/v1/models/m/versions',
      json: { inputSchema: { columns: [{ name: 'x', type: 'tensor' }] } },
      status: 400,
      field: 'body.inputSchema.columns.0.type',
    },
    {
      method: 'POST',
      path: '/api/v1/models/m/versions',
      json: { trainingProfile: { rowCount: -1, columns: [] } },
      status: 400,
      field: 'body.trainingProfile.rowCount',
    },
    { method: 'GET', path: '/api/v1/models/m/versions?status=ready', status: 400, field: 'query.status' },
    { method: 'POST', path: '/api/v1/models/m/versions', json: { algorithm: HUGE }, status: 400, field: 'body.algorithm' },
    { method: 'GET', path: '/api/v1/models/m/versions?status=deployed', status: 400, field: 'query.status' },
    { method: 'GET', path: '/api/v1/models/m/versions?cursor=0', status: 400, field: 'query.cursor' },
    { method: 'GET', path: '/api/v1/models/m/versions?limit=100000', status: 400, field: 'query.limit' },
    ...['0', '-1', '1.5', 'abc', '99999999999', '1e3x'].map((v) => ({
      method: 'GET',
      path: `/api/v1/models/m/versions/${v}`,
      status: 400,
      field: 'params.version',
    })),
    { method: 'PATCH', path: '/api/v1/models/m/versions/1', json: {}, status: 400, field: 'body' },
    { method: 'PATCH', path: '/api/v1/models/m/versions/1', json: { tags: { k: ['v'] } }, status: 400, field: 'body.tags.k' },
    { method: 'PATCH', path: '/api/v1/models/m/versions/1', json: { sha256: 'f'.repeat(64) }, status: 400, field: 'body' },
    { method: 'POST', path: '/api/v1/models/m/versions/abc/archive', status: 400, field: 'params.version' },
    { method: 'DELETE', path: '/api/v1/models/m/versions/x', status: 400, field: 'params.version' },
    { method: 'POST', path: '/api/v1/models/m/versions/1.0/restore', status: 400, field: 'params.version' },
    { method: 'GET', path: '/api/v1/models/m/versions/zero/verify', status: 400, field: 'params.version' },
    { method: 'POST', path: '/api/v1/models/m/versions/2/finalize', json: { files: [] }, status: 400, field: 'body.files' },
    { method: 'POST', path: '/api/v1/models/m/versions/2/finalize', json: { files: 'all' }, status: 400, field: 'body.files' },
    {
      method: 'POST',
      path: '/api/v1/models/m/versions/2/finalize',
      json: { files: [{ path: '../x', sha256: 'a'.repeat(64) }] },
      status: 400,
      field: 'body.files.0.path',
    },
    {
      method: 'POST',
      path: '/api/v1/models/m/versions/2/finalize',
      json: { files: [{ path: 'x', sha256: 'XYZ' }] },
      status: 400,
      field: 'body.files.0.sha256',
    },
    // file upload and download: traversal in the artifact name, bad headers
    ...['..%2F..%2Fetc%2Fpasswd', '..%2Fsecret', 'a%5Cb', 'nul%00byte', 'a%2F%2Fb', '.%2Fx', '%2Fabs'].flatMap((p) => [
      {
        method: 'PUT',
        path: `/api/v1/models/m/versions/2/files/${p}`,
        raw: 'evil',
        headers: { 'content-type': 'application/octet-stream' },
        status: 400,
        field: 'params.path',
      },
      { method: 'GET', path: `/api/v1/models/m/versions/1/files/${p}`, status: 400, field: 'params.path' },
    ]),
    {
      method: 'PUT',
      path: `/api/v1/models/m/versions/2/files/${'p'.repeat(600)}`,
      raw: 'x',
      headers: { 'content-type': 'application/octet-stream' },
      status: 400,
      field: 'params.path',
    },
    {
      method: 'PUT',
      path: '/api/v1/models/m/versions/2/files/w.bin',
      raw: 'x',
      headers: { 'content-type': 'application/octet-stream', 'x-content-sha256': 'not-hex' },
      status: 400,
      field: 'headers.x-content-sha256',
    },
    { method: 'PUT', path: '/api/v1/models/m/versions/1/files/w.json', raw: '{"a":1}', headers: { 'content-type': 'application/json' }, status: 409 },
    {
      method: 'PUT',
      path: '/api/v1/models/m/versions/two/files/w.bin',
      raw: 'x',
      headers: { 'content-type': 'application/octet-stream' },
      status: 400,
      field: 'params.version',
    },
    // aliases and refs
    ...['Champion', 'latest', 'v3', '1st', 'a%2Fb', HUGE.slice(0, 100)].map((alias) => ({
      method: 'PUT',
      path: `/api/v1/models/m/aliases/${alias}`,
      json: { version: 1 },
      status: 400,
      field: 'params.alias',
    })),
    { method: 'PUT', path: '/api/v1/models/m/aliases/next', json: { version: '1' }, status: 400, field: 'body.version' },
    { method: 'PUT', path: '/api/v1/models/m/aliases/next', json: { version: 0 }, status: 400, field: 'body.version' },
    { method: 'PUT', path: '/api/v1/models/m/aliases/next', json: {}, status: 400, field: 'body.version' },
    { method: 'PUT', path: '/api/v1/models/m/aliases/next', json: { version: 1, force: true }, status: 400, field: 'body' },
    { method: 'DELETE', path: '/api/v1/models/m/aliases/UPPER', status: 400, field: 'params.alias' },
    ...['noref', 'm%40', '%40champion', 'm%40Champion', '..%2Fm%401', 'm%2Fx', `m%40${'a'.repeat(300)}`].map((ref) => ({
      method: 'GET',
      path: `/api/v1/registry/resolve/${ref}`,
      status: 400,
      field: 'params.ref',
    })),
    { method: 'POST', path: '/api/v1/registry/compare', json: {}, status: 400, field: 'body.versions' },
    { method: 'POST', path: '/api/v1/registry/compare', json: { versions: [{ model: 'm', version: 'x' }] }, status: 400, field: 'body.versions.0.version' },
    { method: 'POST', path: '/api/v1/registry/compare', json: { versions: [{ model: '../m', version: 1 }] }, status: 400, field: 'body.versions.0.model' },
    { method: 'POST', path: '/api/v1/registry/compare', json: { runIds: ['x'] }, status: 400, field: 'body.runIds.0' },
    { method: 'POST', path: '/api/v1/registry/compare', json: { runIds: Array.from({ length: 51 }, () => UUID) }, status: 400, field: 'body.runIds' },
    { method: 'POST', path: '/api/v1/registry/compare', json: { versions: 'm@1' }, status: 400, field: 'body.versions' },
    { method: 'POST', path: '/api/v1/registry/gc?dryRun=maybe', status: 400, field: 'query.dryRun' },
    { method: 'POST', path: '/api/v1/registry/gc', json: { dryRun: 'no' }, status: 400, field: 'body.dryRun' },
    { method: 'POST', path: '/api/v1/registry/gc', json: { everything: true }, status: 400, field: 'body' },
    { method: 'POST', path: '/api/v1/registry/gc?dryRun=false', json: { dryRun: true }, status: 400, field: 'query.dryRun' },
    // webhooks
    { method: 'POST', path: '/api/v1/webhooks', json: { url: 'http://x.io', events: ['alias.moved'] }, status: 400, field: 'body.name' },
    { method: 'POST', path: '/api/v1/webhooks', json: { name: 'h', url: 'file:///etc/passwd', events: ['alias.moved'] }, status: 400, field: 'body.url' },
    { method: 'POST', path: '/api/v1/webhooks', json: { name: 'h', url: `http://x.io/${HUGE}`, events: ['alias.moved'] }, status: 400, field: 'body.url' },
    { method: 'POST', path: '/api/v1/webhooks', json: { name: 'h', url: 'http://x.io', events: ['model.deleted'] }, status: 400, field: 'body.events.0' },
    { method: 'POST', path: '/api/v1/webhooks', json: { name: 'h', url: 'http://x.io', events: 'alias.moved' }, status: 400, field: 'body.events' },
    {
      method: 'POST',
      path: '/api/v1/webhooks',
      json: { name: 'h', url: 'http://x.io', events: ['alias.moved'], active: 'yes' },
      status: 400,
      field: 'body.active',
    },
    { method: 'POST', path: '/api/v1/webhooks', json: { name: HUGE, url: 'http://x.io', events: ['alias.moved'] }, status: 400, field: 'body.name' },
    { method: 'GET', path: '/api/v1/webhooks/not-a-uuid', status: 400, field: 'params.id' },
    { method: 'PATCH', path: `/api/v1/webhooks/${hookId}`, json: {}, status: 400, field: 'body' },
    { method: 'PATCH', path: `/api/v1/webhooks/${hookId}`, json: { events: ['ping'] }, status: 400, field: 'body.events.0' },
    { method: 'PATCH', path: `/api/v1/webhooks/${hookId}`, json: { secret: 'short' }, status: 400, field: 'body.secret' },
    { method: 'PATCH', path: '/api/v1/webhooks/..%2F..', json: { active: false }, status: 400, field: 'params.id' },
    { method: 'DELETE', path: '/api/v1/webhooks/1', status: 400, field: 'params.id' },
    { method: 'POST', path: '/api/v1/webhooks/x/ping', status: 400, field: 'params.id' },
    { method: 'GET', path: `/api/v1/webhooks/${hookId}/deliveries?status=lost`, status: 400, field: 'query.status' },
    { method: 'GET', path: `/api/v1/webhooks/${hookId}/deliveries?limit=0`, status: 400, field: 'query.limit' },
    { method: 'GET', path: `/api/v1/webhooks/${hookId}/deliveries?cursor=2020-01-01T00:00:00.000Z|x`, status: 400, field: 'query.cursor' },
  ];

  it('answers each malformed request with a 4xx naming the field, and stores nothing', async () => {
    const objects = createObjectStore(api.config.objectStore);
    const [rowsBefore, keysBefore] = [await rowCounts(db.url), await objectKeys(objects)];
    const table = cases();
    for (const c of table) {
      const role = c.path.startsWith('/api/v1/webhooks') || c.path.startsWith('/api/v1/registry/gc') ? 'admin' : 'editor';
      const headers: Record<string, string> = { authorization: `Bearer ${api.tokens[role]}`, ...(c.headers ?? {}) };
      let body: string | undefined = c.raw;
      if (c.json !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(c.json);
      }
      const response = await fetch(`${api.baseUrl}${c.path}`, { method: c.method, headers, body });
      const what = `${c.method} ${c.path.slice(0, 90)} ${JSON.stringify(c.json ?? c.raw ?? '').slice(0, 60)}`;
      const text = await response.text();
      expectNamed(response.status, `${what} → ${text.slice(0, 300)}`).toBe(c.status);
      const error = errorResponseSchema.parse(JSON.parse(text)).error;
      if (c.field)
        expectNamed(error.fields?.map((f) => f.field) ?? [], what).toEqual(
          expect.arrayContaining([expect.stringMatching(new RegExp(`^${c.field.replace(/\./g, '\\.')}`))]),
        );
    }
    expect(table.length).toBeGreaterThan(100);
    expect(await rowCounts(db.url)).toEqual(rowsBefore);
    expect(await objectKeys(objects)).toEqual(keysBefore);
  });

  it('needs a token on every route (401) and the right role (403)', async () => {
    const routes: [string, string, 'editor' | 'admin' | 'viewer'][] = [
      ['POST', '/api/v1/models', 'editor'],
      ['GET', '/api/v1/models', 'viewer'],
      ['GET', '/api/v1/models/m', 'viewer'],
      ['PATCH', '/api/v1/models/m', 'editor'],
      ['DELETE', '/api/v1/models/m', 'editor'],
      ['POST', '/api/v1/models/m/versions', 'editor'],
      ['GET', '/api/v1/models/m/versions', 'viewer'],
      ['GET', '/api/v1/models/m/versions/1', 'viewer'],
      ['PATCH', '/api/v1/models/m/versions/1', 'editor'],
      ['POST', '/api/v1/models/m/versions/1/archive', 'editor'],
      ['POST', '/api/v1/models/m/versions/1/restore', 'editor'],
      ['DELETE', '/api/v1/models/m/versions/1', 'editor'],
      ['PUT', '/api/v1/models/m/versions/2/files/a.bin', 'editor'],
      ['POST', '/api/v1/models/m/versions/2/finalize', 'editor'],
      ['GET', '/api/v1/models/m/versions/1/files/model.json', 'viewer'],
      ['GET', '/api/v1/models/m/versions/1/verify', 'viewer'],
      ['GET', '/api/v1/models/m/aliases/champion', 'viewer'],
      ['PUT', '/api/v1/models/m/aliases/champion', 'editor'],
      ['DELETE', '/api/v1/models/m/aliases/champion', 'editor'],
      ['GET', '/api/v1/registry/resolve/m%40champion', 'viewer'],
      ['GET', '/api/v1/registry/public-key', 'viewer'],
      ['POST', '/api/v1/registry/compare', 'viewer'],
      ['POST', '/api/v1/registry/gc', 'admin'],
      ['POST', '/api/v1/webhooks', 'admin'],
      ['GET', '/api/v1/webhooks', 'admin'],
      ['GET', `/api/v1/webhooks/${hookId}`, 'admin'],
      ['PATCH', `/api/v1/webhooks/${hookId}`, 'admin'],
      ['DELETE', `/api/v1/webhooks/${hookId}`, 'admin'],
      ['POST', `/api/v1/webhooks/${hookId}/ping`, 'admin'],
      ['GET', `/api/v1/webhooks/${hookId}/deliveries`, 'admin'],
    ];
    const rowsBefore = await rowCounts(db.url);
    for (const [method, path, needed] of routes) {
      expectNamed((await api.request(path, { role: null, method })).status, `${method} ${path} without a token`).toBe(401);
      const below = needed === 'admin' ? 'editor' : needed === 'editor' ? 'viewer' : null;
      if (below) {
        const response = await api.request(path, { role: below, method, json: method === 'GET' || method === 'DELETE' ? undefined : {} });
        expectNamed(response.status, `${method} ${path} as ${below}`).toBe(403);
      }
    }
    expect(await rowCounts(db.url)).toEqual(rowsBefore);
  });
});
