import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { errorResponseSchema, runSchema } from '@slipway/contracts';
import { connectTestSql, type TestSql, useTestDatabase } from '@slipway/testing';
import { rawRequest, startApiTestApp, type ApiTestApp } from './api-test-app';

const HUGE = 'x'.repeat(100_000);
const RUN = ':run';
const EXP = ':experiment';

interface Case {
  name: string;
  method: string;
  /** `:run` and `:experiment` are replaced by real ids. Sent verbatim (no URL normalisation). */
  path: string;
  /** JSON value, or a string sent as-is with content-type application/json. */
  json?: unknown;
  raw?: string;
  headers?: Record<string, string>;
  /** The field the error must name (exactly), or null when the error has no field (unparseable body). */
  field: string | null;
  status?: number;
}

const metric = (extra: Record<string, unknown>) => ({ metrics: [{ key: 'loss', value: 0.5, ...extra }] });

const CASES: Case[] = [
  // POST /experiments
  { name: 'experiment: missing name', method: 'POST', path: '/api/v1/experiments', json: {}, field: 'body.name' },
  { name: 'experiment: name is a number', method: 'POST', path: '/api/v1/experiments', json: { name: 123 }, field: 'body.name' },
  { name: 'experiment: 100 KB name', method: 'POST', path: '/api/v1/experiments', json: { name: HUGE }, field: 'body.name' },
  { name: 'experiment: control character in name', method: 'POST', path: '/api/v1/experiments', json: { name: 'a\u0000b' }, field: 'body.name' },
  {
    name: 'experiment: tag value of the wrong type',
    method: 'POST',
    path: '/api/v1/experiments',
    json: { name: 'ok', tags: { team: 5 } },
    field: 'body.tags.team',
  },
  {
    // Tags are an object; the list of `{ key, value }` pairs tracking once took is refused, not half-read.
    name: 'experiment: tags as a list of pairs',
    method: 'POST',
    path: '/api/v1/experiments',
    json: { name: 'ok', tags: [{ key: 'a', value: '1' }] },
    field: 'body.tags',
  },
  {
    name: 'experiment: tag key with "!"',
    method: 'POST',
    path: '/api/v1/experiments',
    json: { name: 'ok', tags: { 'bad key!': 'x' } },
    field: 'body.tags.bad key!',
  },
  {
    name: 'experiment: tag key with a newline',
    method: 'POST',
    path: '/api/v1/experiments',
    json: { name: 'ok', tags: { 'a\nb': 'x' } },
    field: 'body.tags.a\nb',
  },
  {
    name: 'experiment: 101 tags',
    method: 'POST',
    path: '/api/v1/experiments',
    json: { name: 'ok', tags: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`t${i}`, 'v'])) },
    field: 'body.tags',
  },
  { name: 'experiment: unknown field', method: 'POST', path: '/api/v1/experiments', json: { name: 'ok', owner: 'me' }, field: 'body' },
  { name: 'experiment: array body', method: 'POST', path: '/api/v1/experiments', json: [], field: 'body' },
  { name: 'experiment: malformed JSON', method: 'POST', path: '/api/v1/experiments', raw: '{"name": ', field: null },
  // GET /experiments, GET/PATCH /experiments/:id
  { name: 'experiments: limit not a number', method: 'GET', path: '/api/v1/experiments?limit=ten', field: 'query.limit' },
  { name: 'experiments: limit 0', method: 'GET', path: '/api/v1/experiments?limit=0', field: 'query.limit' },
  { name: 'experiments: unknown query parameter', method: 'GET', path: '/api/v1/experiments?sort=name', field: 'query' },
  { name: 'experiments: overlong cursor', method: 'GET', path: `/api/v1/experiments?cursor=${'a'.repeat(3000)}`, field: 'query.cursor' },
  {
    name: 'experiments: forged cursor',
    method: 'GET',
    path: `/api/v1/experiments?cursor=${Buffer.from('{"n":1}').toString('base64url')}`,
    field: 'query.cursor',
  },
  { name: 'experiment get: not a uuid', method: 'GET', path: '/api/v1/experiments/..%2f..%2fetc', field: 'params.id' },
  { name: 'experiment patch: empty change', method: 'PATCH', path: `/api/v1/experiments/${EXP}`, json: {}, field: 'body' },
  { name: 'experiment patch: empty name', method: 'PATCH', path: `/api/v1/experiments/${EXP}`, json: { name: '   ' }, field: 'body.name' },
  { name: 'experiment patch: 100 KB description', method: 'PATCH', path: `/api/v1/experiments/${EXP}`, json: { description: HUGE }, field: 'body.description' },
  { name: 'experiment patch: tags not an object', method: 'PATCH', path: `/api/v1/experiments/${EXP}`, json: { tags: 'team=risk' }, field: 'body.tags' },
  { name: 'experiment patch: bad id', method: 'PATCH', path: '/api/v1/experiments/1', json: { name: 'x' }, field: 'params.id' },
  // POST /runs
  { name: 'run: no experiment', method: 'POST', path: '/api/v1/runs', json: {}, field: 'body.experimentId' },
  {
    name: 'run: both experiment id and name',
    method: 'POST',
    path: '/api/v1/runs',
    json: { experimentId: '00000000-0000-4000-8000-000000000000', experimentName: 'x' },
    field: 'body.experimentId',
  },
  { name: 'run: experiment id not a uuid', method: 'POST', path: '/api/v1/runs', json: { experimentId: "1' OR '1'='1" }, field: 'body.experimentId' },
  { name: 'run: fractional seed', method: 'POST', path: '/api/v1/runs', json: { experimentName: 'm', seed: 1.5 }, field: 'body.seed' },
  { name: 'run: seed as string', method: 'POST', path: '/api/v1/runs', json: { experimentName: 'm', seed: '42' }, field: 'body.seed' },
  { name: 'run: bad dataset hash', method: 'POST', path: '/api/v1/runs', json: { experimentName: 'm', datasetSha256: 'zz' }, field: 'body.datasetSha256' },
  { name: 'run: 100 KB name', method: 'POST', path: '/api/v1/runs', json: { experimentName: 'm', name: HUGE }, field: 'body.name' },
  { name: 'run: 100 KB experiment name', method: 'POST', path: '/api/v1/runs', json: { experimentName: HUGE }, field: 'body.experimentName' },
  { name: 'run: tag value a list', method: 'POST', path: '/api/v1/runs', json: { experimentName: 'm', tags: { team: ['risk'] } }, field: 'body.tags.team' },
  {
    name: 'run: empty param key',
    method: 'POST',
    path: '/api/v1/runs',
    json: { experimentName: 'm', params: [{ key: '', value: '1' }] },
    field: 'body.params.0.key',
  },
  {
    name: 'run: 101 params',
    method: 'POST',
    path: '/api/v1/runs',
    json: { experimentName: 'm', params: Array.from({ length: 101 }, (_, i) => ({ key: `p${i}`, value: '1' })) },
    field: 'body.params',
  },
  { name: 'run get: not a uuid', method: 'GET', path: '/api/v1/runs/abc', field: 'params.id' },
  // POST /runs/:id/log-batch
  { name: 'batch: empty', method: 'POST', path: `/api/v1/runs/${RUN}/log-batch`, json: {}, field: 'body' },
  {
    name: 'batch: metric without value',
    method: 'POST',
    path: `/api/v1/runs/${RUN}/log-batch`,
    json: { metrics: [{ key: 'loss' }] },
    field: 'body.metrics.0.value',
  },
  // "NaN", "Infinity" and "-Infinity" are values (a diverged metric); other spellings are not.
  { name: 'batch: value "nan"', method: 'POST', path: `/api/v1/runs/${RUN}/log-batch`, json: metric({ value: 'nan' }), field: 'body.metrics.0.value' },
  {
    name: 'batch: value 1e999 (Infinity)',
    method: 'POST',
    path: `/api/v1/runs/${RUN}/log-batch`,
    raw: '{"metrics":[{"key":"loss","value":1e999}]}',
    field: 'body.metrics.0.value',
  },
  { name: 'batch: negative step', method: 'POST', path: `/api/v1/runs/${RUN}/log-batch`, json: metric({ step: -1 }), field: 'body.metrics.0.step' },
  { name: 'batch: fractional step', method: 'POST', path: `/api/v1/runs/${RUN}/log-batch`, json: metric({ step: 1.5 }), field: 'body.metrics.0.step' },
  { name: 'batch: step beyond 2^53', method: 'POST', path: `/api/v1/runs/${RUN}/log-batch`, json: metric({ step: 2 ** 60 }), field: 'body.metrics.0.step' },
  {
    name: 'batch: timestamp not a time',
    method: 'POST',
    path: `/api/v1/runs/${RUN}/log-batch`,
    json: metric({ timestamp: 'yesterday' }),
    field: 'body.metrics.0.timestamp',
  },
  {
    name: 'batch: negative timestamp',
    method: 'POST',
    path: `/api/v1/runs/${RUN}/log-batch`,
    json: metric({ timestamp: -5 }),
    field: 'body.metrics.0.timestamp',
  },
  {
    name: 'batch: 251-char key',
    method: 'POST',
    path: `/api/v1/runs/${RUN}/log-batch`,
    json: { metrics: [{ key: 'k'.repeat(251), value: 1 }] },
    field: 'body.metrics.0.key',
  },
  {
    name: 'batch: 1001 metrics',
    method: 'POST',
    path: `/api/v1/runs/${RUN}/log-batch`,
    json: { metrics: Array.from({ length: 1001 }, (_, step) => ({ key: 'loss', value: 1, step })) },
    field: 'body.metrics',
  },
  {
    name: 'batch: 6001-char param value',
    method: 'POST',
    path: `/api/v1/runs/${RUN}/log-batch`,
    json: { params: [{ key: 'p', value: 'v'.repeat(6001) }] },
    field: 'body.params.0.value',
  },
  { name: 'batch: 100 KB tag value', method: 'POST', path: `/api/v1/runs/${RUN}/log-batch`, json: { tags: { t: HUGE } }, field: 'body.tags.t' },
  { name: 'batch: NUL in a tag value', method: 'POST', path: `/api/v1/runs/${RUN}/log-batch`, json: { tags: { t: 'a\u0000b' } }, field: 'body.tags.t' },
  {
    name: 'batch: tags as a list of pairs',
    method: 'POST',
    path: `/api/v1/runs/${RUN}/log-batch`,
    json: { tags: [{ key: 't', value: 'v' }] },
    field: 'body.tags',
  },
  {
    name: 'batch: 101 tags',
    method: 'POST',
    path: `/api/v1/runs/${RUN}/log-batch`,
    json: { tags: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`t${i}`, 'v'])) },
    field: 'body.tags',
  },
  {
    name: 'batch: duplicate param keys',
    method: 'POST',
    path: `/api/v1/runs/${RUN}/log-batch`,
    json: {
      params: [
        { key: 'p', value: '1' },
        { key: 'p', value: '2' },
      ],
    },
    field: 'body.params.1.key',
  },
  { name: 'batch: unknown field', method: 'POST', path: `/api/v1/runs/${RUN}/log-batch`, json: { ...metric({}), artifacts: [] }, field: 'body' },
  { name: 'batch: metrics not a list', method: 'POST', path: `/api/v1/runs/${RUN}/log-batch`, json: { metrics: { loss: 1 } }, field: 'body.metrics' },
  { name: 'batch: bad run id', method: 'POST', path: '/api/v1/runs/nope/log-batch', json: metric({}), field: 'params.id' },
  // end / delete / restore
  { name: 'end: unknown status', method: 'POST', path: `/api/v1/runs/${RUN}/end`, json: { status: 'DONE' }, field: 'body.status' },
  { name: 'end: status RUNNING', method: 'POST', path: `/api/v1/runs/${RUN}/end`, json: { status: 'RUNNING' }, field: 'body.status' },
  { name: 'end: lowercase status', method: 'POST', path: `/api/v1/runs/${RUN}/end`, json: { status: 'finished' }, field: 'body.status' },
  { name: 'end: missing status', method: 'POST', path: `/api/v1/runs/${RUN}/end`, json: {}, field: 'body.status' },
  { name: 'end: bad end time', method: 'POST', path: `/api/v1/runs/${RUN}/end`, json: { status: 'FINISHED', endTime: 'soon' }, field: 'body.endTime' },
  { name: 'delete: bad id', method: 'DELETE', path: '/api/v1/runs/%00', field: 'params.id' },
  { name: 'restore: bad id', method: 'POST', path: '/api/v1/runs/x/restore', field: 'params.id' },
  // search
  ...[
    'metrics.f1 >',
    'metrics.f1 > 0.9 AND',
    '(metrics.f1 > 0.9',
    'metrics.f1 > 0.9)',
    "params.criterion = 'unterminated",
    'foo.bar = 1',
    "attributes.status = 'DONE'",
    "attributes.run_id = 'not-a-uuid'",
    "metrics.f1 = 'high'",
    'params.maxDepth > 4',
    "metrics.f1 LIKE '0.9%'",
    "params.x = 'a' OR 1 = 1",
    "params.x = 'a'; DROP TABLE runs",
    'metrics.f1 IN ()',
    HUGE,
  ].map((filter): Case => ({
    name: `search: filter ${filter.slice(0, 40)}`,
    method: 'POST',
    path: '/api/v1/runs/search',
    json: { filter },
    field: 'body.filter',
  })),
  { name: 'search: order by an unknown direction', method: 'POST', path: '/api/v1/runs/search', json: { orderBy: 'metrics.f1 UP' }, field: 'body.orderBy' },
  { name: 'search: order by run id', method: 'POST', path: '/api/v1/runs/search', json: { orderBy: 'attributes.run_id' }, field: 'body.orderBy' },
  { name: 'search: limit 1001', method: 'POST', path: '/api/v1/runs/search', json: { limit: 1001 }, field: 'body.limit' },
  { name: 'search: limit as string', method: 'POST', path: '/api/v1/runs/search', json: { limit: '10' }, field: 'body.limit' },
  { name: 'search: experiment id not a uuid', method: 'POST', path: '/api/v1/runs/search', json: { experimentIds: ['x'] }, field: 'body.experimentIds.0' },
  { name: 'search: unknown lifecycle', method: 'POST', path: '/api/v1/runs/search', json: { lifecycle: 'zombie' }, field: 'body.lifecycle' },
  { name: 'search: garbage cursor', method: 'POST', path: '/api/v1/runs/search', json: { cursor: 'garbage' }, field: 'body.cursor' },
  { name: 'search: filter of the wrong type', method: 'POST', path: '/api/v1/runs/search', json: { filter: { metrics: 1 } }, field: 'body.filter' },
  { name: 'search GET: bad limit', method: 'GET', path: '/api/v1/runs/search?limit=-1', field: 'query.limit' },
  { name: 'search GET: bad filter', method: 'GET', path: '/api/v1/runs/search?filter=metrics.f1%20%3E', field: 'query.filter' },
  { name: 'search GET: bad experiment ids', method: 'GET', path: '/api/v1/runs/search?experimentIds=a,b', field: 'query.experimentIds.0' },
  // metric history
  { name: 'history: bad run id', method: 'GET', path: '/api/v1/runs/1/metrics/loss/history', field: 'params.id' },
  { name: 'history: 251-char key', method: 'GET', path: `/api/v1/runs/${RUN}/metrics/${'k'.repeat(251)}/history`, field: 'params.key' },
  { name: 'history: limit 0', method: 'GET', path: `/api/v1/runs/${RUN}/metrics/loss/history?limit=0`, field: 'query.limit' },
  { name: 'history: garbage cursor', method: 'GET', path: `/api/v1/runs/${RUN}/metrics/loss/history?cursor=zzz`, field: 'query.cursor' },
  // artifacts
  { name: 'artifacts list: bad run id', method: 'GET', path: '/api/v1/runs/x/artifacts', field: 'params.id' },
  ...[
    '../../etc/passwd',
    '..%2f..%2fetc%2fpasswd',
    '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    'a/%2e%2e/%2e%2e/%2e%2e/b',
    '%2fetc%2fpasswd',
    'a%5c..%5cb',
    'x%0a.txt',
    'a//b',
  ].flatMap((path): Case[] => [
    {
      name: `artifact upload: ${path}`,
      method: 'PUT',
      path: `/api/v1/runs/${RUN}/artifacts/${path}`,
      raw: 'owned',
      headers: { 'content-type': 'application/octet-stream' },
      field: 'params.path',
    },
    { name: `artifact download: ${path}`, method: 'GET', path: `/api/v1/runs/${RUN}/artifacts/${path}`, field: 'params.path' },
  ]),
  {
    name: 'artifact upload: bad run id',
    method: 'PUT',
    path: '/api/v1/runs/1/artifacts/a.txt',
    raw: 'x',
    headers: { 'content-type': 'text/plain' },
    field: 'params.id',
  },
  {
    name: 'artifact upload: 100 KB content type',
    method: 'PUT',
    path: `/api/v1/runs/${RUN}/artifacts/a.txt`,
    raw: 'x',
    headers: { 'content-type': `text/${'x'.repeat(10_000)}` },
    field: 'headers.content-type',
  },
];

describe('every experiment-tracking route refuses malformed input with a 4xx naming the field, storing nothing', () => {
  const db = useTestDatabase();
  let api: ApiTestApp;
  let sql: TestSql;
  let runId: string;
  let experimentId: string;

  beforeAll(async () => {
    api = await startApiTestApp(db.url);
    sql = connectTestSql(db.url);
    const run = runSchema.parse(await (await api.request('/api/v1/runs', { role: 'editor', method: 'POST', json: { experimentName: 'malformed' } })).json());
    runId = run.id;
    experimentId = run.experimentId;
  });
  afterAll(async () => {
    await sql?.close();
    await api?.close();
  });

  async function snapshot() {
    const files = (dir: string): number => {
      try {
        return readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? files(join(dir, e.name)) : 1), 0);
      } catch {
        return 0;
      }
    };
    return {
      experiments: await sql.count('experiments'),
      experimentTags: await sql.count('experiment_tags'),
      runs: await sql.count('runs'),
      endedRuns: await sql.count('runs', "status <> 'RUNNING' OR deleted_at IS NOT NULL"),
      params: await sql.count('run_params'),
      tags: await sql.count('run_tags'),
      metrics: await sql.count('metrics'),
      latestMetrics: await sql.count('latest_metrics'),
      artifacts: await sql.count('artifacts'),
      audit: await sql.count('audit_log'),
      files: files(join(api.config.home, 'artifacts')),
    };
  }

  it(`covers ${CASES.length} malformed requests across all 16 routes`, async () => {
    const before = await snapshot();
    const failures: string[] = [];
    for (const c of CASES) {
      const path = c.path.replace(RUN, runId).replace(EXP, experimentId);
      const body = c.raw ?? (c.json === undefined ? undefined : JSON.stringify(c.json));
      const headers: Record<string, string> = {
        authorization: `Bearer ${api.tokens.admin}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...c.headers,
      };
      const response = await rawRequest(api.baseUrl, { method: c.method, path, headers, body });
      const expected = c.status ?? 400;
      let parsed: ReturnType<typeof errorResponseSchema.safeParse> | null = null;
      try {
        parsed = errorResponseSchema.safeParse(JSON.parse(response.body.toString('utf8')));
      } catch {
        parsed = null;
      }
      const field = parsed?.success ? (parsed.data.error.fields?.[0]?.field ?? null) : undefined;
      if (response.status !== expected || !parsed?.success || (c.field !== null && field !== c.field)) {
        failures.push(`${c.name}: ${response.status} field=${String(field)} (wanted ${expected} ${c.field}) ${response.body.toString('utf8').slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
    await expect(snapshot()).resolves.toEqual(before);
  });

  it('covers every route the module serves', () => {
    const routes = new Set(
      CASES.map(
        (c) =>
          `${c.method} ${c.path
            .split('?')[0]
            .replace(RUN, ':id')
            .replace(EXP, ':id')
            .replace(/\/api\/v1\/(experiments|runs)\/(?!search)[^/]+/, '/api/v1/$1/:id')
            .replace(/\/metrics\/[^/]+\/history/, '/metrics/:key/history')
            .replace(/\/artifacts\/.+/, '/artifacts/*path')}`,
      ),
    );
    expect([...routes].sort()).toEqual(
      [
        'DELETE /api/v1/runs/:id',
        'GET /api/v1/experiments',
        'GET /api/v1/experiments/:id',
        'GET /api/v1/runs/:id',
        'GET /api/v1/runs/:id/artifacts',
        'GET /api/v1/runs/:id/artifacts/*path',
        'GET /api/v1/runs/:id/metrics/:key/history',
        'GET /api/v1/runs/search',
        'PATCH /api/v1/experiments/:id',
        'POST /api/v1/experiments',
        'POST /api/v1/runs',
        'POST /api/v1/runs/:id/end',
        'POST /api/v1/runs/:id/log-batch',
        'POST /api/v1/runs/:id/restore',
        'POST /api/v1/runs/search',
        'PUT /api/v1/runs/:id/artifacts/*path',
      ].sort(),
    );
  });
});
