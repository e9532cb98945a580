import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createSlipwayNodeClient as createSlipwayClient } from '@slipway/client-node';
import { errorResponseSchema, runSchema, versionSchema } from '@slipway/contracts';
import type { ObjectStore } from '@slipway/storage';
import { type TestSql, useTestDatabase } from '@slipway/testing';
import { requestFingerprint } from '../common/idempotency';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { connect, createModel, json, seedRun } from './registry-fixtures';

describe('Idempotency-Key on creates, and nothing left behind by a 5xx', () => {
  const db = useTestDatabase();
  let api: ApiTestApp;
  let sql: TestSql;
  let objects: ObjectStore;

  beforeAll(async () => {
    api = await startApiTestApp(db.url, { SLIPWAY_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
    ({ sql, objects } = connect(api, db.url));
  });
  afterAll(async () => {
    await sql?.close();
    await api?.close();
  });

  const count = async (table: string, where = 'true', params: unknown[] = []) =>
    Number((await sql.one<{ n: string }>(`SELECT count(*)::text AS n FROM ${table} WHERE ${where}`, params)).n);
  const post = (path: string, body: unknown, key?: string, role: 'editor' | 'admin' = 'editor') =>
    api.request(path, { role, method: 'POST', json: body, headers: key === undefined ? {} : { 'idempotency-key': key } });
  const errorOf = async (response: Response, status: number) => errorResponseSchema.parse(await json(response, status)).error;

  it('answers a retry with the first response, marked as replayed, and creates once', async () => {
    await createModel(api, 'idem-a');
    const key = randomUUID();
    const first = await post('/api/v1/models/idem-a/versions', { description: 'first', tags: { team: 'risk' } }, key);
    const firstBody = versionSchema.parse(await json(first, 201));
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const retry = await post('/api/v1/models/idem-a/versions', { description: 'first', tags: { team: 'risk' } }, key);
    expect(versionSchema.parse(await json(retry, 201))).toEqual(firstBody);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await count('model_versions', 'id = $1', [firstBody.id])).toBe(1);
    expect(await count('model_versions m JOIN models o ON o.id = m.model_id', "o.name = 'idem-a'")).toBe(1);
    expect(await count('audit_log', "action = 'model_version.create' AND entity_id = $1", [firstBody.id])).toBe(1);
    // The same key again, with the body's keys in another order, is the same request.
    const again = await post('/api/v1/models/idem-a/versions', { tags: { team: 'risk' }, description: 'first' }, key);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });

  it('refuses the key reused with a different request (422), a malformed key (400), and keeps keys per caller', async () => {
    await createModel(api, 'idem-b');
    const key = `k-${randomUUID()}`;
    await json(await post('/api/v1/models/idem-b/versions', { description: 'one' }, key), 201);
    expect(await errorOf(await post('/api/v1/models/idem-b/versions', { description: 'two' }, key), 422)).toMatchObject({
      code: 'FAILED_PRECONDITION',
      fields: [{ field: 'headers.idempotency-key' }],
    });
    for (const bad of ['x'.repeat(256), 'has space', 'tab\tkey'])
      expect(await errorOf(await post('/api/v1/models/idem-b/versions', { description: 'x' }, bad), 400)).toMatchObject({
        code: 'INVALID_ARGUMENT',
        fields: [{ field: 'headers.idempotency-key' }],
      });
    expect(await count('model_versions m JOIN models o ON o.id = m.model_id', "o.name = 'idem-b'")).toBe(1);
    // Another token with the same key is another client: its own create.
    const other = versionSchema.parse(await json(await post('/api/v1/models/idem-b/versions', { description: 'one' }, key, 'admin'), 201));
    expect(other.version).toBe(2);
  });

  it('lets exactly one of many simultaneous identical requests create; the others get the replay or 409', async () => {
    const key = randomUUID();
    const body = { experimentName: 'idem-race', name: 'racer' };
    const responses = await Promise.all(Array.from({ length: 12 }, () => post('/api/v1/runs', body, key)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    const ids = new Set<string>();
    for (const response of responses) {
      const payload: unknown = await response.json();
      if (response.status === 201) ids.add(runSchema.parse(payload).id);
      else expect(errorResponseSchema.parse(payload).error).toMatchObject({ code: 'CONFLICT', fields: [{ field: 'headers.idempotency-key' }] });
    }
    expect(ids.size).toBe(1);
    expect(await count('runs', "name = 'racer'")).toBe(1);
    expect(await count('idempotency_keys', 'key = $1', [key])).toBe(1);
    // Once the first has finished, every retry is the replay.
    const late = await post('/api/v1/runs', body, key);
    expect(runSchema.parse(await json(late, 201)).id).toBe([...ids][0]);
  });

  it('does not log a batch twice when retried with its key', async () => {
    const run = runSchema.parse(await json(await post('/api/v1/runs', { experimentName: 'idem-batch' }), 201));
    const key = randomUUID();
    const batch = { metrics: [{ key: 'loss', value: 0.5, step: 0 }] };
    const first = await json(await post(`/api/v1/runs/${run.id}/log-batch`, batch, key), 200);
    const retry = await post(`/api/v1/runs/${run.id}/log-batch`, batch, key);
    expect(await json(retry, 200)).toEqual(first);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await count('metrics', 'run_id = $1', [run.id])).toBe(1);
  });

  it('lets the client SDK send the key: a retried create through it answers the first result', async () => {
    const client = createSlipwayClient({ baseUrl: api.baseUrl, token: api.tokens.editor });
    const idempotencyKey = randomUUID();
    const first = await client.runs.create({ experimentName: 'idem-sdk', name: 'sdk-run' }, { idempotencyKey });
    const retried = await client.runs.create({ experimentName: 'idem-sdk', name: 'sdk-run' }, { idempotencyKey });
    expect(retried.id).toBe(first.id);
    expect(await count('runs', "name = 'sdk-run'")).toBe(1);
    const version = await client.versions.create('idem-sdk-model', {}, { idempotencyKey });
    expect(await client.versions.create('idem-sdk-model', {}, { idempotencyKey })).toEqual(version);
  });

  it('never keeps a new token secret: a retry is told the first request created it', async () => {
    const key = randomUUID();
    const before = await count('api_tokens');
    await json(await post('/api/v1/tokens', { name: 'ci', role: 'viewer' }, key, 'admin'), 201);
    expect(await errorOf(await post('/api/v1/tokens', { name: 'ci', role: 'viewer' }, key, 'admin'), 409)).toMatchObject({
      fields: [{ field: 'headers.idempotency-key' }],
    });
    expect(await count('api_tokens')).toBe(before + 1);
    expect(await count('idempotency_keys', 'key = $1 AND response_body = $2', [key, 'null'])).toBe(1);
  });

  it('takes over a key whose request died before committing, and refuses one that committed without an answer', async () => {
    await createModel(api, 'idem-d');
    const principal = (await sql.one<{ id: string }>("SELECT id FROM api_tokens WHERE name = 'test-editor'")).id;
    const plant = (key: string, committed: boolean, ageMinutes: number) =>
      sql.query(
        `INSERT INTO idempotency_keys (id, principal, method, route, key, fingerprint, committed_at, created_at, expires_at)
         VALUES (gen_random_uuid(), $1, 'POST', '/api/v1/models/:name/versions', $2, $3, $4, now() - make_interval(mins => $5), now() + interval '1 day')`,
        [principal, key, 'f'.repeat(64), committed ? new Date() : null, ageMinutes],
      );
    // Another request's fingerprint, 20 minutes old, nothing committed: its API process died; the key is free again.
    await plant('abandoned', false, 20);
    expect(versionSchema.parse(await json(await post('/api/v1/models/idem-d/versions', {}, 'abandoned'), 201)).version).toBe(1);
    // A minute old: still in flight.
    await plant('running', false, 1);
    expect(await errorOf(await post('/api/v1/models/idem-d/versions', {}, 'running'), 422)).toMatchObject({ code: 'FAILED_PRECONDITION' });
    await sql.query(`UPDATE idempotency_keys SET fingerprint = $1 WHERE key = 'running'`, [requestFingerprint('POST', '/api/v1/models/idem-d/versions', {})]);
    expect(await errorOf(await post('/api/v1/models/idem-d/versions', {}, 'running'), 409)).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/in progress/),
    });
    // Committed long ago, but its answer was never stored (the process died between): never created again.
    await plant('committed', true, 20);
    await sql.query(`UPDATE idempotency_keys SET fingerprint = $1 WHERE key = 'committed'`, [requestFingerprint('POST', '/api/v1/models/idem-d/versions', {})]);
    expect(await errorOf(await post('/api/v1/models/idem-d/versions', {}, 'committed'), 409)).toMatchObject({ code: 'CONFLICT' });
    expect(await count('model_versions m JOIN models o ON o.id = m.model_id', "o.name = 'idem-d'")).toBe(1);
  });

  it('forgets a key once it has expired', async () => {
    await createModel(api, 'idem-c');
    const key = randomUUID();
    await json(await post('/api/v1/models/idem-c/versions', {}, key), 201);
    await sql.query(`UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = $1`, [key]);
    const fresh = await post('/api/v1/models/idem-c/versions', {}, key);
    expect(versionSchema.parse(await json(fresh, 201)).version).toBe(2);
    expect(fresh.headers.get('idempotent-replayed')).toBeNull();
  });

  it('creates the model with its first version, audited, as MLflow register_model does', async () => {
    const created = versionSchema.parse(await json(await post('/api/v1/models/brand-new/versions', { description: 'v1' }), 201));
    expect(created).toMatchObject({ model: 'brand-new', version: 1, status: 'PENDING_UPLOAD' });
    expect(await count('models', "name = 'brand-new'")).toBe(1);
    const model = await sql.one<{ id: string }>("SELECT id FROM models WHERE name = 'brand-new'");
    expect(await count('audit_log', "action = 'model.create' AND entity_id = $1", [model.id])).toBe(1);
    // Two first registrations at once: one model, versions 1 and 2.
    const racing = await Promise.all([1, 2].map(() => post('/api/v1/models/raced-new/versions', {})));
    expect(racing.map((r) => r.status)).toEqual([201, 201]);
    const numbers = await Promise.all(racing.map(async (r) => versionSchema.parse(await r.json()).version));
    expect(numbers.sort()).toEqual([1, 2]);
    expect(await count('models', "name = 'raced-new'")).toBe(1);
  });

  describe('a change whose answer fails after the write', () => {
    // A real failure between the write and the answer: the lineage the answer is built from cannot be read
    // (its table is gone), after the version row, its audit entry and its events were written.
    const breakLineage = () => sql.query('ALTER TABLE latest_metrics RENAME TO latest_metrics_unreadable');
    const repairLineage = () => sql.query('ALTER TABLE latest_metrics_unreadable RENAME TO latest_metrics');

    it('answers 5xx and commits nothing: no version, no audit entry, no event, no key; the retry then succeeds', async () => {
      await createModel(api, 'idem-fault');
      await json(
        await api.request('/api/v1/webhooks', { method: 'POST', json: { name: 'all', url: 'http://127.0.0.1:9/hook', events: ['model_version.created'] } }),
        201,
      );
      const { runId } = await seedRun(sql, objects, { metrics: { loss: [0.3, 0.2] } });
      const counts = async () => ({
        versions: await count('model_versions'),
        audit: await count('audit_log'),
        deliveries: await count('webhook_deliveries'),
        keys: await count('idempotency_keys'),
      });
      const before = await counts();
      const key = randomUUID();
      await breakLineage();
      let failed: Response;
      try {
        failed = await post('/api/v1/models/idem-fault/versions', { runId }, key);
      } finally {
        await repairLineage();
      }
      expect(failed.status).toBeGreaterThanOrEqual(500);
      expect(await counts()).toEqual(before);
      const retried = versionSchema.parse(await json(await post('/api/v1/models/idem-fault/versions', { runId }, key), 201));
      expect(retried).toMatchObject({ version: 1, runId, lineage: { metrics: { loss: 0.2 } } });
      expect(await count('model_versions')).toBe(before.versions + 1);
    });

    it('leaves no version behind when the run whose artifact it copies cannot be rendered', async () => {
      const { runId } = await seedRun(sql, objects, { metrics: { loss: [0.1] }, artifacts: { 'model/weights.bin': 'weights' } });
      const before = { versions: await count('model_versions'), audit: await count('audit_log') };
      await breakLineage();
      let failed: Response;
      try {
        failed = await post('/api/v1/models/idem-fault/versions', { runId, artifactPath: 'model' }, randomUUID());
      } finally {
        await repairLineage();
      }
      expect(failed.status).toBeGreaterThanOrEqual(500);
      expect({ versions: await count('model_versions'), audit: await count('audit_log') }).toEqual(before);
      const copied = versionSchema.parse(await json(await post('/api/v1/models/idem-fault/versions', { runId, artifactPath: 'model' }), 201));
      expect(copied).toMatchObject({ status: 'READY', files: [{ path: 'weights.bin' }] });
    });
  });
});
