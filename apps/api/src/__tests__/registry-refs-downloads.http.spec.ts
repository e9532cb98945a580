import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { errorResponseSchema, resolvedRefSchema } from '@slipway/contracts';
import { type TestSql, useTestDatabase } from '@slipway/testing';
import { rawRequest, startApiTestApp, type ApiTestApp } from './api-test-app';
import { connect, createModel, json, uploadVersion } from './registry-fixtures';

const sha = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

describe('version file downloads and the name/3 reference', () => {
  const db = useTestDatabase();
  let api: ApiTestApp;
  let sql: TestSql;
  const weights = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 13) % 256));

  beforeAll(async () => {
    api = await startApiTestApp(db.url);
    ({ sql } = connect(api, db.url));
    await createModel(api, 'refs');
    await uploadVersion(api, 'refs', { 'weights.bin': weights });
    await uploadVersion(api, 'refs', { 'weights.bin': 'second' });
  });
  afterAll(async () => {
    await sql?.close();
    await api?.close();
  });

  it('sends a version file with its sha256 in x-slipway-sha256 and as the ETag, and 304 for If-None-Match', async () => {
    const path = '/api/v1/models/refs/versions/1/files/weights.bin';
    const response = await api.request(path, { role: 'viewer' });
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(weights)).toBe(true);
    expect(response.headers.get('x-slipway-sha256')).toBe(sha(weights));
    expect(response.headers.get('etag')).toBe(`"${sha(weights)}"`);
    expect(response.headers.get('content-length')).toBe(String(weights.length));

    for (const header of [`"${sha(weights)}"`, `W/"${sha(weights)}"`, `"other", "${sha(weights)}"`, '*']) {
      const cached = await rawRequest(api.baseUrl, { method: 'GET', path, headers: { authorization: `Bearer ${api.tokens.viewer}`, 'if-none-match': header } });
      expect({ header, status: cached.status, bytes: cached.body.length, etag: cached.headers.etag }).toEqual({
        header,
        status: 304,
        bytes: 0,
        etag: `"${sha(weights)}"`,
      });
    }
    const stale = await api.request(path, { role: 'viewer', headers: { 'if-none-match': `"${sha('second')}"` } });
    expect(stale.status).toBe(200);
    expect(Buffer.from(await stale.arrayBuffer()).equals(weights)).toBe(true);
    // A file the manifest does not list is a 404 whatever If-None-Match says.
    const missing = await api.request('/api/v1/models/refs/versions/1/files/nope.bin', { role: 'viewer', headers: { 'if-none-match': '*' } });
    expect(errorResponseSchema.parse(await json(missing, 404)).error.fields).toEqual([{ field: 'params.path', message: 'no such file' }]);
  });

  it('resolves name/3 as a plain path, the same as name%2F3 and name@3', async () => {
    const plain = resolvedRefSchema.parse(await json(await api.request('/api/v1/registry/resolve/refs/2', { role: 'viewer' }), 200));
    const encoded = resolvedRefSchema.parse(await json(await api.request('/api/v1/registry/resolve/refs%2F2', { role: 'viewer' }), 200));
    const at = resolvedRefSchema.parse(await json(await api.request('/api/v1/registry/resolve/refs@2', { role: 'viewer' }), 200));
    expect(plain).toEqual(encoded);
    expect(plain.version).toEqual(at.version);
    expect(plain).toMatchObject({ ref: 'refs/2', alias: null, version: { model: 'refs', version: 2 } });
    expect(errorResponseSchema.parse(await json(await api.request('/api/v1/registry/resolve/nosuch/1', { role: 'viewer' }), 404)).error.fields).toEqual([
      { field: 'params.name', message: 'no such model' },
    ]);
    expect(errorResponseSchema.parse(await json(await api.request('/api/v1/registry/resolve/refs/9', { role: 'viewer' }), 404)).error.fields).toEqual([
      { field: 'params.version', message: 'no such version' },
    ]);
    expect((await api.request('/api/v1/registry/resolve/refs/x', { role: 'viewer' })).status).toBe(400);
  });
});
