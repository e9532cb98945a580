/** One cursor format for every paginated list: a cursor is only good for the list that made it, and a bad one is a 400 naming where it came. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { auditListSchema, errorResponseSchema, experimentListSchema, modelListSchema, versionListSchema } from '@slipway/contracts';
import { useTestDatabase } from '@slipway/testing';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { createModel, json, uploadVersion } from './registry-fixtures';

describe('page cursors over HTTP', () => {
  const db = useTestDatabase();
  let api: ApiTestApp;

  beforeAll(async () => {
    api = await startApiTestApp(db.url);
    for (const name of ['alpha', 'beta']) {
      await json(await api.request('/api/v1/experiments', { role: 'editor', method: 'POST', json: { name } }), 201);
      await createModel(api, name);
    }
    for (let i = 0; i < 3; i++) await uploadVersion(api, 'alpha', { 'a.json': `{"i":${i}}` });
  });
  afterAll(async () => api?.close());

  it('pages every list with opaque cursors of the same format', async () => {
    const models = modelListSchema.parse(await json(await api.request('/api/v1/models?limit=1'), 200));
    const experiments = experimentListSchema.parse(await json(await api.request('/api/v1/experiments?limit=1'), 200));
    const versions = versionListSchema.parse(await json(await api.request('/api/v1/models/alpha/versions?limit=2'), 200));
    const audit = auditListSchema.parse(await json(await api.request('/api/v1/audit?limit=1'), 200));
    for (const cursor of [models.nextCursor, experiments.nextCursor, versions.nextCursor, audit.nextCursor]) {
      expect(JSON.parse(Buffer.from(cursor ?? '', 'base64url').toString())).toMatchObject({ v: 1, k: expect.any(String), p: expect.any(Object) });
    }
    const rest = versionListSchema.parse(await json(await api.request(`/api/v1/models/alpha/versions?limit=2&cursor=${versions.nextCursor}`), 200));
    expect([...versions.versions, ...rest.versions].map((v) => v.version)).toEqual([3, 2, 1]);
    expect(rest.nextCursor).toBeNull();
  });

  it('refuses a cursor replayed on another list with 400 naming the field that carried it', async () => {
    const experiments = experimentListSchema.parse(await json(await api.request('/api/v1/experiments?limit=1'), 200));
    const foreign = experiments.nextCursor ?? '';
    for (const path of ['/api/v1/models', '/api/v1/models/alpha/versions', '/api/v1/audit', '/api/v1/runs/search']) {
      const error = errorResponseSchema.parse(await json(await api.request(`${path}?cursor=${foreign}`), 400)).error;
      expect([path, error.code, error.fields]).toEqual([path, 'INVALID_ARGUMENT', [{ field: 'query.cursor', message: 'not a cursor from this API' }]]);
    }
    const body = errorResponseSchema.parse(await json(await api.request('/api/v1/runs/search', { method: 'POST', json: { cursor: foreign } }), 400)).error;
    expect(body.fields).toEqual([{ field: 'body.cursor', message: 'not a cursor from this API' }]);
  });
});
