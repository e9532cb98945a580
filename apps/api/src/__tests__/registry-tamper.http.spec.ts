/** A tampered artifact is refused on download and on verification — on the local store and on S3. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { errorResponseSchema } from '@slipway/contracts';
import type { ObjectStore } from '@slipway/storage';
import { type LocalS3Server, startLocalS3Server, type TestSql, useTestDatabase } from '@slipway/testing';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { connect, createModel, json, modelId, uploadVersion } from './registry-fixtures';

const WEIGHTS = Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 13) % 256));
const MARKER = Buffer.from('SECRET-MARKER-BYTES');

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

function describeTamper(
  name: string,
  setup: (databaseUrl: string) => Promise<{ api: ApiTestApp; flip: (objects: ObjectStore, key: string) => Promise<void>; stop: () => Promise<void> }>,
) {
  describe(`tamper detection on ${name}`, () => {
    const db = useTestDatabase();
    let api: ApiTestApp;
    let sql: TestSql;
    let objects: ObjectStore;
    let flip: (objects: ObjectStore, key: string) => Promise<void>;
    let stop: () => Promise<void>;

    beforeAll(async () => {
      ({ api, flip, stop } = await setup(db.url));
      ({ sql, objects } = connect(api, db.url));
      await createModel(api, 'guarded');
      await uploadVersion(api, 'guarded', { 'model.json': '{"format":"layers-model"}', 'weights.bin': Buffer.concat([MARKER, WEIGHTS]) });
      await uploadVersion(api, 'guarded', { 'model.json': '{"format":"layers-model","v":2}' });
    });
    afterAll(async () => {
      await sql?.close();
      await api?.close();
      await stop?.();
    });

    const keyOf = async (version: number, path: string) => `models/${await modelId(sql, 'guarded')}/versions/${version}/${path}`;

    it('serves the untouched artifact', async () => {
      const response = await api.request('/api/v1/models/guarded/versions/1/files/weights.bin', { role: 'viewer' });
      expect(Buffer.from(await response.arrayBuffer()).equals(Buffer.concat([MARKER, WEIGHTS]))).toBe(true);
      expect(api.config.objectStore.kind).toBe(name.startsWith('S3') ? 's3' : 'local');
    });

    it('refuses a stored file with one flipped byte (422, the file named, none of its bytes sent)', async () => {
      await flip(objects, await keyOf(1, 'weights.bin'));
      const response = await api.request('/api/v1/models/guarded/versions/1/files/weights.bin', { role: 'viewer' });
      const text = await response.text();
      expect(response.status).toBe(422);
      expect(text).not.toContain(MARKER.toString());
      const error = errorResponseSchema.parse(JSON.parse(text)).error;
      expect(error).toMatchObject({
        code: 'FAILED_PRECONDITION',
        message: 'artifact guarded@1 failed verification: sha256 mismatch on weights.bin',
        fields: [{ field: 'artifact.weights.bin', message: 'sha256_mismatch' }],
      });
      const verify = await api.request('/api/v1/models/guarded/versions/1/verify', { role: 'viewer' });
      expect(errorResponseSchema.parse(await json(verify, 422)).error.message).toBe('artifact guarded@1 failed verification: sha256 mismatch on weights.bin');
      // The other file of the version is intact and still served; so is the other version.
      expect((await api.request('/api/v1/models/guarded/versions/1/files/model.json', { role: 'viewer' })).status).toBe(200);
      expect(await json(await api.request('/api/v1/models/guarded/versions/2/verify', { role: 'viewer' }), 200)).toMatchObject({ verified: true });
    });

    it('refuses a deleted file, a forged signature and an edited manifest', async () => {
      const version = await sql.one<{ id: string; signature: string; manifest: unknown }>(
        "SELECT v.id, v.signature, v.manifest FROM model_versions v JOIN models m ON m.id = v.model_id WHERE m.name = 'guarded' AND v.version = 2",
      );
      await sql.query('UPDATE model_versions SET signature = $2 WHERE id = $1', [version.id, Buffer.alloc(64, 1).toString('base64')]);
      expect(
        errorResponseSchema.parse(await json(await api.request('/api/v1/models/guarded/versions/2/files/model.json', { role: 'viewer' }), 422)).error.message,
      ).toMatch(/signature does not match/);
      await sql.query('UPDATE model_versions SET signature = $2, manifest = $3 WHERE id = $1', [
        version.id,
        version.signature,
        JSON.stringify([{ path: 'model.json', sha256: '0'.repeat(64), sizeBytes: 3 }]),
      ]);
      expect(
        errorResponseSchema.parse(await json(await api.request('/api/v1/models/guarded/versions/2/verify', { role: 'viewer' }), 422)).error.message,
      ).toMatch(/manifest does not hash/);
      await sql.query('UPDATE model_versions SET manifest = $2 WHERE id = $1', [version.id, JSON.stringify(version.manifest)]);
      await objects.delete(await keyOf(2, 'model.json'));
      expect(
        errorResponseSchema.parse(await json(await api.request('/api/v1/models/guarded/versions/2/files/model.json', { role: 'viewer' }), 422)).error.message,
      ).toBe('artifact guarded@2 failed verification: missing file model.json');
    });
  });
}

describeTamper('the local folder store', async (url) => {
  const api = await startApiTestApp(url);
  return {
    api,
    // In place on disk, as a bad disk or someone with file access would.
    flip: async (_objects, key) => {
      if (api.config.objectStore.kind !== 'local') throw new Error('expected the local store');
      const file = join(api.config.objectStore.rootDir, ...key.split('/'));
      const data = readFileSync(file);
      data[MARKER.length + 100] ^= 0x01;
      writeFileSync(file, data);
    },
    stop: async () => undefined,
  };
});

describeTamper('S3 (local S3-protocol server)', async (url) => {
  const server: LocalS3Server = await startLocalS3Server(['registry-tamper']);
  const api = await startApiTestApp(url, {
    S3_BUCKET: 'registry-tamper',
    S3_ENDPOINT: server.endpoint,
    S3_ACCESS_KEY_ID: server.accessKeyId,
    S3_SECRET_ACCESS_KEY: server.secretAccessKey,
  });
  return {
    api,
    // Overwritten through the S3 API, as anyone with write access to the bucket could.
    flip: async (objects, key) => {
      const data = await readAll(await objects.get(key));
      data[MARKER.length + 100] ^= 0x01;
      await objects.put(key, data);
    },
    stop: () => server.stop(),
  };
});
