/**
 * One behavioural suite run against both implementations: the local folder store and the S3 store
 * talking to a real S3-protocol server (s3rver on 127.0.0.1; MinIO cannot be installed here).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startLocalS3Server, type LocalS3Server } from '@slipway/testing';
import { InvalidObjectKeyError, type ObjectStore } from './object-store';
import { LocalObjectStore } from './local-object-store';
import { S3ObjectStore } from './s3-object-store';

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

function describeStore(name: string, makeStore: () => Promise<{ store: ObjectStore; cleanup: () => Promise<void> }>) {
  describe(name, () => {
    let store: ObjectStore;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      ({ store, cleanup } = await makeStore());
    });
    afterAll(async () => cleanup());

    it('passes its health check', async () => {
      await expect(store.check()).resolves.toBeUndefined();
    });

    it('streams an object in with its sha256 and size, and back out unchanged', async () => {
      // 12 MiB in uneven chunks: more than two S3 multipart parts.
      const data = randomBytes(12 * 1024 * 1024 + 123);
      const chunks = [data.subarray(0, 1000), data.subarray(1000, 7_000_000), data.subarray(7_000_000)];
      const stored = await store.put('runs/r1/artifacts/model/weights.bin', Readable.from(chunks));
      expect(stored.sha256).toBe(createHash('sha256').update(data).digest('hex'));
      expect(stored.sizeBytes).toBe(data.length);
      expect(stored.uri).toBe(store.uriFor('runs/r1/artifacts/model/weights.bin'));
      const back = await readAll(await store.get('runs/r1/artifacts/model/weights.bin'));
      expect(back.equals(data)).toBe(true);
      await expect(store.stat('runs/r1/artifacts/model/weights.bin')).resolves.toEqual({ sizeBytes: data.length });
    });

    it('lists by prefix, deletes, and reports missing objects as null', async () => {
      await store.put('datasets/a.csv', Buffer.from('x,y\n1,2\n'), { contentType: 'text/csv' });
      await store.put('datasets/b.csv', Buffer.from('x,y\n3,4\n'));
      const listed: string[] = [];
      for await (const item of store.list('datasets/')) listed.push(item.key);
      expect(listed.sort()).toEqual(['datasets/a.csv', 'datasets/b.csv']);
      await store.delete('datasets/a.csv');
      await expect(store.stat('datasets/a.csv')).resolves.toBeNull();
      await expect(store.stat('never/written')).resolves.toBeNull();
    });

    it.each(['../escape', 'a/../../etc/passwd', '/etc/passwd', 'a\\b', 'a//b', '', 'nul\u0000byte', 'x/./y'])('refuses the unsafe key %j', async (key) => {
      await expect(store.put(key, Buffer.from('x'))).rejects.toBeInstanceOf(InvalidObjectKeyError);
    });

    it('does not leave a partial object when the input stream fails', async () => {
      const failing = new Readable({
        read() {
          this.push(Buffer.alloc(1024));
          this.destroy(new Error('client went away'));
        },
      });
      await expect(store.put('broken/upload.bin', failing)).rejects.toThrow();
      await expect(store.stat('broken/upload.bin')).resolves.toBeNull();
    });
  });
}

describeStore('LocalObjectStore', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-store-'));
  return { store: new LocalObjectStore(dir), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
});

describeStore('S3ObjectStore against a local S3-protocol server', async () => {
  const server: LocalS3Server = await startLocalS3Server(['slipway-test']);
  const store = new S3ObjectStore({ ...server.clientOptions('slipway-test'), prefix: 'p/' });
  return {
    store,
    cleanup: async () => {
      store.destroy();
      await server.stop();
    },
  };
});

describe('S3ObjectStore health', () => {
  it('fails its check for a bucket that does not exist', async () => {
    const server = await startLocalS3Server(['present-bucket']);
    const store = new S3ObjectStore({
      bucket: 'absent-bucket',
      endpoint: server.endpoint,
      region: 'us-east-1',
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      forcePathStyle: true,
    });
    try {
      await expect(store.check()).rejects.toThrow();
    } finally {
      store.destroy();
      await server.stop();
    }
  });
});
