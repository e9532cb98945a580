import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline, Readable, Transform } from 'node:stream';
import { afterAll, describe, expect, it } from '@jest/globals';
import { LocalObjectStore } from './local-object-store';

describe('LocalObjectStore.put with a source that fails on its first chunk', () => {
  const root = mkdtempSync(join(tmpdir(), 'slipway-failed-source-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('leaves no partial file behind (the file is removed after its open completes, not before)', async () => {
    const store = new LocalObjectStore(root);
    for (let i = 0; i < 30; i++) {
      const refusing = new Transform({ transform: (_chunk, _encoding, done) => done(new Error('refused content')) });
      const body = pipeline(Readable.from([Buffer.from('abc')]), refusing, () => undefined);
      await expect(store.put(`failed/${i}/data.csv`, body)).rejects.toThrow('refused content');
      expect(readdirSync(join(root, 'failed', String(i)))).toEqual([]);
    }
  });
});
