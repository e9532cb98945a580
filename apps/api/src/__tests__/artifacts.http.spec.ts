import { createHash, randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { expectNamed } from '@slipway/testing-matchers';
import { artifactListSchema, artifactSchema, auditListSchema, errorResponseSchema, runSchema } from '@slipway/contracts';
import { connectTestSql, type TestSql, useTestDatabase } from '@slipway/testing';
import { rawRequest, startApiTestApp, type ApiTestApp } from './api-test-app';

const MISSING = '00000000-0000-4000-8000-000000000000';

describe('run artifacts over HTTP: streamed upload with sha256, download, immutability, safe paths', () => {
  const db = useTestDatabase();
  let api: ApiTestApp;
  let sql: TestSql;
  let runId: string;

  beforeAll(async () => {
    api = await startApiTestApp(db.url);
    sql = connectTestSql(db.url);
    const created = await api.request('/api/v1/runs', { role: 'editor', method: 'POST', json: { experimentName: 'artifacts' } });
    runId = runSchema.parse(await created.json()).id;
  });
  afterAll(async () => {
    await sql?.close();
    await api?.close();
  });

  const put = (path: string, body: RequestInit['body'], headers: Record<string, string> = {}, role: 'editor' | 'viewer' = 'editor') =>
    fetch(`${api.baseUrl}/api/v1/runs/${runId}/artifacts/${path}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${api.tokens[role]}`, 'content-type': 'application/octet-stream', ...headers },
      body,
      duplex: 'half',
    } as RequestInit);
  const storedFiles = () => {
    const list = (dir: string): string[] => {
      try {
        return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? list(join(dir, e.name)) : [join(dir, e.name)]));
      } catch {
        return [];
      }
    };
    return list(join(api.config.home, 'artifacts'));
  };

  it('streams an upload in (chunked, no length), records sha256 and size, and streams it back', async () => {
    const chunks = Array.from({ length: 64 }, () => randomBytes(16 * 1024));
    const whole = Buffer.concat(chunks);
    const body = Readable.toWeb(Readable.from(chunks)) as unknown as RequestInit['body'];
    const response = await put('model/weights.bin', body, { 'content-type': 'application/x-tfjs-weights' });
    expect(response.status).toBe(201);
    const artifact = artifactSchema.parse(await response.json());
    expect(artifact).toMatchObject({
      path: 'model/weights.bin',
      sizeBytes: whole.length,
      sha256: createHash('sha256').update(whole).digest('hex'),
      contentType: 'application/x-tfjs-weights',
    });

    const download = await api.request(`/api/v1/runs/${runId}/artifacts/model/weights.bin`, { role: 'viewer' });
    expect(download.status).toBe(200);
    expect(download.headers.get('x-slipway-sha256')).toBe(artifact.sha256);
    expect(download.headers.get('content-type')).toBe('application/x-tfjs-weights');
    expect(Buffer.from(await download.arrayBuffer()).equals(whole)).toBe(true);

    expect((await put('notes name.txt', 'hello')).status).toBe(201);
    const list = artifactListSchema.parse(await (await api.request(`/api/v1/runs/${runId}/artifacts`, { role: 'viewer' })).json());
    expect(list.artifacts.map((a) => a.path)).toEqual(['model/weights.bin', 'notes name.txt']);
    expect(runSchema.parse(await (await api.request(`/api/v1/runs/${runId}`, { role: 'viewer' })).json()).artifacts).toHaveLength(2);
    const audit = auditListSchema.parse(await (await api.request('/api/v1/audit?action=artifact.create')).json());
    expect(audit.entries).toHaveLength(2);
  });

  it('refuses to overwrite an artifact (409), keeping the original bytes', async () => {
    expect((await put('once.txt', 'first')).status).toBe(201);
    const again = await put('once.txt', 'second');
    expect(again.status).toBe(409);
    expect(errorResponseSchema.parse(await again.json()).error.code).toBe('ALREADY_EXISTS');
    expect(await (await api.request(`/api/v1/runs/${runId}/artifacts/once.txt`, { role: 'viewer' })).text()).toBe('first');
  });

  it('answers 404 for unknown runs and artifacts, 403 for viewers, 401 without a token', async () => {
    expect((await api.request(`/api/v1/runs/${runId}/artifacts/nope.bin`, { role: 'viewer' })).status).toBe(404);
    expect((await api.request(`/api/v1/runs/${MISSING}/artifacts`, { role: 'viewer' })).status).toBe(404);
    expect(
      (await api.request(`/api/v1/runs/${MISSING}/artifacts/a.txt`, { role: 'editor', method: 'PUT', headers: { 'content-type': 'text/plain' } })).status,
    ).toBe(404);
    expect((await put('viewer.txt', 'x', {}, 'viewer')).status).toBe(403);
    expect((await fetch(`${api.baseUrl}/api/v1/runs/${runId}/artifacts/anon.txt`, { method: 'PUT', body: 'x' })).status).toBe(401);
  });

  it('rejects unsafe paths with 400 naming params.path, writing nothing', async () => {
    const before = { rows: await sql.count('artifacts'), files: storedFiles().length };
    for (const path of [
      '../../etc/passwd',
      '%2e%2e/%2e%2e/etc/passwd',
      '..%2f..%2fetc%2fpasswd',
      'a/%2e%2e%2f%2e%2e%2f..%2fescape',
      'a//b',
      'a/./b',
      '%2Fabs',
      'back%5Cslash',
      'nul%00byte',
      `${'x'.repeat(1000)}`,
    ]) {
      const response = await rawRequest(api.baseUrl, {
        method: 'PUT',
        path: `/api/v1/runs/${runId}/artifacts/${path}`,
        headers: { authorization: `Bearer ${api.tokens.editor}`, 'content-type': 'application/octet-stream' },
        body: 'owned',
      });
      // A path that normalises out of the artifacts route is simply not a route (404); none may succeed or fail with 5xx.
      expectNamed([400, 404], path).toContain(response.status);
      if (response.status === 400) expectNamed(JSON.parse(response.body.toString()).error.fields?.[0]?.field, path).toBe('params.path');
    }
    const traversal = await rawRequest(api.baseUrl, {
      method: 'PUT',
      path: `/api/v1/runs/${runId}/artifacts/../../etc/passwd`,
      headers: { authorization: `Bearer ${api.tokens.editor}`, 'content-type': 'application/octet-stream' },
      body: 'owned',
    });
    expect(traversal.status).toBe(400);
    const encoded = await rawRequest(api.baseUrl, {
      method: 'GET',
      path: `/api/v1/runs/${runId}/artifacts/..%2f..%2f..%2fpackage.json`,
      headers: { authorization: `Bearer ${api.tokens.viewer}` },
    });
    expect(encoded.status).toBe(400);
    expect({ rows: await sql.count('artifacts'), files: storedFiles().length }).toEqual(before);
  });

  it('answers 413 for a declared or streamed body over the limit, keeping nothing', async () => {
    const before = { rows: await sql.count('artifacts'), files: storedFiles().length };
    const declared = await rawRequest(api.baseUrl, {
      method: 'PUT',
      path: `/api/v1/runs/${runId}/artifacts/huge.bin`,
      headers: { authorization: `Bearer ${api.tokens.editor}`, 'content-type': 'application/octet-stream', 'content-length': String(3 * 1024 ** 3) },
    }).catch((error: Error) => ({ status: -1, error }));
    expect(declared.status).toBe(413);
    const service = api.app.get((await import('../experiments/artifact.service')).ArtifactService);
    const limit = service.maxBytes;
    service.maxBytes = 100_000;
    try {
      const streamed = await put(
        'streamed-huge.bin',
        Readable.toWeb(Readable.from(Array.from({ length: 20 }, () => randomBytes(16 * 1024)))) as unknown as RequestInit['body'],
      ).catch(() => null);
      // The server may close the connection before the client has sent everything; then there is no response to read.
      expect(streamed === null || streamed.status === 413).toBe(true);
    } finally {
      service.maxBytes = limit;
    }
    expect({ rows: await sql.count('artifacts'), files: storedFiles().filter((f) => !f.includes('.partial-')).length }).toEqual(before);
  });

  it('stores a JSON artifact byte for byte, refuses a bad content type, and refuses uploads to ended runs (409)', async () => {
    const body = JSON.stringify({ a: 1, nested: [1, 2] }, null, 2);
    const json = await put('metrics.json', body, { 'content-type': 'application/json' });
    expect(json.status).toBe(201);
    const back = await fetch(`${api.baseUrl}/api/v1/runs/${runId}/artifacts/metrics.json`, { headers: { authorization: `Bearer ${api.tokens.viewer}` } });
    expect([back.headers.get('content-type'), await back.text()]).toEqual(['application/json', body]);
    const bad = await put('weird.bin', 'x', { 'content-type': 'not a type' });
    expect(bad.status).toBe(400);

    const other = runSchema.parse(await (await api.request('/api/v1/runs', { role: 'editor', method: 'POST', json: { experimentName: 'artifacts' } })).json());
    await api.request(`/api/v1/runs/${other.id}/end`, { role: 'editor', method: 'POST', json: { status: 'FINISHED' } });
    const late = await fetch(`${api.baseUrl}/api/v1/runs/${other.id}/artifacts/late.txt`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${api.tokens.editor}`, 'content-type': 'text/plain' },
      body: 'late',
    });
    expect(late.status).toBe(409);
  });
});
