/**
 * Rotating the platform's signing key over a real API restart: versions signed before keep verifying
 * against the retired key their signature names, new versions are signed by the new key, and a signature
 * naming a key the platform never held is refused.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { rotateSigningKey } from '@slipway/artifacts';
import { errorResponseSchema, publicKeySchema, versionSchema } from '@slipway/contracts';
import { connectTestSql, useTestDatabase } from '@slipway/testing';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { createModel, json, uploadVersion } from './registry-fixtures';

describe('signing key rotation', () => {
  const db = useTestDatabase();
  const home = mkdtempSync(join(tmpdir(), 'slipway-key-rotation-'));
  const started: ApiTestApp[] = [];
  afterAll(async () => {
    for (const api of started) await api.close();
    rmSync(home, { recursive: true, force: true });
  });
  const start = async () => {
    const api = await startApiTestApp(db.url, { SLIPWAY_HOME: home });
    started.push(api);
    return api;
  };
  const publicKey = async (api: ApiTestApp) => publicKeySchema.parse(await json(await api.request('/api/v1/registry/public-key', { role: 'viewer' }), 200));
  const verifiedBy = async (api: ApiTestApp, version: number) =>
    (await json<{ keyId: string }>(await api.request(`/api/v1/models/rot/versions/${version}/verify`, { role: 'viewer' }), 200)).keyId;

  it('keeps old versions verifiable by their key id, signs new ones with the new key, refuses unknown key ids', async () => {
    const before = await start();
    const keyA = await publicKey(before);
    expect(keyA.retired).toEqual([]);
    await createModel(before, 'rot');
    const v1 = await uploadVersion(before, 'rot', { 'model.json': '{"a":1}' });
    expect(v1.signatureKeyId).toBe(keyA.keyId);
    await before.close();
    started.splice(started.indexOf(before), 1);

    const rotated = rotateSigningKey(before.config.signingKeyFile);
    expect(rotated.retiredKeyId).toBe(keyA.keyId);
    const after = await start();
    const keyB = await publicKey(after);
    expect(keyB.keyId).toBe(rotated.keyId);
    expect(keyB.retired.map((k) => k.keyId)).toEqual([keyA.keyId]);
    expect(keyB.retired[0].pem).toBe(keyA.pem);

    expect(await verifiedBy(after, 1)).toBe(keyA.keyId);
    const download = await after.request('/api/v1/models/rot/versions/1/files/model.json', { role: 'viewer' });
    expect([download.status, await download.text()]).toEqual([200, '{"a":1}']);
    const v2 = await uploadVersion(after, 'rot', { 'model.json': '{"a":2}' });
    expect(v2.signatureKeyId).toBe(keyB.keyId);
    expect(await verifiedBy(after, 2)).toBe(keyB.keyId);
    expect(versionSchema.parse(await json(await after.request('/api/v1/models/rot/versions/1', { role: 'viewer' }), 200)).signatureKeyId).toBe(keyA.keyId);

    const sql = connectTestSql(db.url);
    try {
      await sql.query(`UPDATE model_versions SET signature_key_id = $1 WHERE version = 1`, ['f'.repeat(64)]);
    } finally {
      await sql.close();
    }
    const refused = await after.request('/api/v1/models/rot/versions/1/verify', { role: 'viewer' });
    expect(refused.status).toBe(422);
    expect(errorResponseSchema.parse(await refused.json()).error.code).toBe('FAILED_PRECONDITION');
  });
});
