/**
 * The object store failing under the API: full (MinIO's 507 XMinioStorageFull, through a named fake in
 * front of the real S3-protocol server, see startStorageFullS3Proxy) and unreachable (that endpoint
 * stopped). Uploads answer 507 / 503 naming the object store, and no record exists without its bytes: no
 * artifact is listed, no version becomes READY; once the store is back the same uploads complete.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { errorResponseSchema } from '@slipway/contracts';
import { startLocalS3Server, startStorageFullS3Proxy, useTestDatabase, type LocalS3Server, type StorageFullS3Proxy } from '@slipway/testing';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { createModel, json, putFile } from './registry-fixtures';

const BUCKET = 'slipway-faults';

describe('object store full or unreachable', () => {
  const db = useTestDatabase();
  let s3: LocalS3Server;
  let proxy: StorageFullS3Proxy;
  let api: ApiTestApp;
  let runId: string;

  beforeAll(async () => {
    s3 = await startLocalS3Server([BUCKET]);
    proxy = await startStorageFullS3Proxy(s3.endpoint);
    proxy.full = false;
    api = await startApiTestApp(db.url, {
      S3_BUCKET: BUCKET,
      S3_ENDPOINT: proxy.endpoint,
      S3_REGION: s3.region,
      S3_ACCESS_KEY_ID: s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    });
    const experiment = await json<{ id: string }>(await api.request('/api/v1/experiments', { method: 'POST', json: { name: 'faults' } }), 201);
    runId = (await json<{ id: string }>(await api.request('/api/v1/runs', { method: 'POST', json: { experimentId: experiment.id, name: 'r' } }), 201)).id;
    await createModel(api, 'faulty');
  });
  afterAll(async () => {
    await api?.close();
    await proxy?.stop();
    await s3?.stop();
  });

  const putArtifact = (path: string, body: string) =>
    fetch(`${api.baseUrl}/api/v1/runs/${runId}/artifacts/${path}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${api.tokens.editor}`, 'content-type': 'application/octet-stream' },
      body,
    });
  const errorOf = async (response: Response) => ({ status: response.status, ...errorResponseSchema.parse(await response.json()).error });
  const artifactPaths = async () =>
    (await json<{ artifacts: { path: string }[] }>(await api.request(`/api/v1/runs/${runId}/artifacts`), 200)).artifacts.map((a) => a.path);
  const versionStatus = async (version: number) => (await json<{ status: string }>(await api.request(`/api/v1/models/faulty/versions/${version}`), 200)).status;

  it('when full: 507 INSUFFICIENT_STORAGE naming the store, nothing recorded, and the same uploads complete once there is space', async () => {
    proxy.full = true;
    const artifact = await errorOf(await putArtifact('model/weights.bin', 'weights'));
    expect(artifact).toMatchObject({
      status: 507,
      code: 'INSUFFICIENT_STORAGE',
      message: expect.stringMatching(/^The object store \(s3 bucket slipway-faults at .*\) is full/),
    });
    expect(await artifactPaths()).toEqual([]);

    const version = await json<{ version: number }>(await api.request('/api/v1/models/faulty/versions', { method: 'POST', json: {} }), 201);
    const file = await errorOf(await putFile(api, 'faulty', version.version, 'model.json', '{"w":1}'));
    expect(file).toMatchObject({ status: 507, code: 'INSUFFICIENT_STORAGE', message: expect.stringMatching(/object store .* is full/) });
    // Nothing to seal: finalize refuses, and the version is not READY.
    expect((await api.request(`/api/v1/models/faulty/versions/${version.version}/finalize`, { method: 'POST', json: {} })).status).toBe(422);
    expect(await versionStatus(version.version)).toBe('PENDING_UPLOAD');
    expect(proxy.refusedWrites).toBeGreaterThanOrEqual(2);

    proxy.full = false;
    expect((await putArtifact('model/weights.bin', 'weights')).status).toBe(201);
    expect(await artifactPaths()).toEqual(['model/weights.bin']);
    expect((await putFile(api, 'faulty', version.version, 'model.json', '{"w":1}')).status).toBe(201);
    expect((await api.request(`/api/v1/models/faulty/versions/${version.version}/finalize`, { method: 'POST', json: {} })).status).toBe(200);
    expect(await versionStatus(version.version)).toBe('READY');
  }, 60_000);

  it('when unreachable: 503 UNAVAILABLE naming the store for uploads, downloads and finalize; health DOWN; nothing recorded', async () => {
    const version = await json<{ version: number }>(await api.request('/api/v1/models/faulty/versions', { method: 'POST', json: {} }), 201);
    expect((await putFile(api, 'faulty', version.version, 'model.json', '{"w":2}')).status).toBe(201);
    await proxy.stop();

    const upload = await errorOf(await putArtifact('later.txt', 'later'));
    expect(upload).toMatchObject({
      status: 503,
      code: 'UNAVAILABLE',
      message: expect.stringMatching(/^The object store \(s3 bucket slipway-faults at .*\) is unreachable/),
    });
    expect(await artifactPaths()).toEqual(['model/weights.bin']);
    const download = await errorOf(await api.request(`/api/v1/runs/${runId}/artifacts/model/weights.bin`));
    expect(download).toMatchObject({ status: 503, code: 'UNAVAILABLE', message: expect.stringMatching(/object store/) });
    // Version 1 is READY since the first case: its file cannot be read now, and says why.
    const versionFile = await errorOf(await api.request('/api/v1/models/faulty/versions/1/files/model.json'));
    expect(versionFile).toMatchObject({ status: 503, code: 'UNAVAILABLE', message: expect.stringMatching(/object store/) });
    const finalize = await errorOf(await api.request(`/api/v1/models/faulty/versions/${version.version}/finalize`, { method: 'POST', json: {} }));
    expect(finalize).toMatchObject({ status: 503, code: 'UNAVAILABLE', message: expect.stringMatching(/object store .* is unreachable/) });
    expect(await versionStatus(version.version)).toBe('PENDING_UPLOAD');

    const health = await api.request('/health', { role: null });
    expect(health.status).toBe(503);
    expect(((await health.json()) as { checks: { objectStore: { status: string } } }).checks.objectStore.status).toBe('DOWN');
  }, 60_000);
});
