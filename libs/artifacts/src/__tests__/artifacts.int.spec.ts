/** Signing and verification against both object stores: the local folder and S3 (s3rver on 127.0.0.1). */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LocalObjectStore, S3ObjectStore, type ObjectStore } from '@slipway/storage';
import { startLocalS3Server, type LocalS3Server } from '@slipway/testing';
import {
  ArtifactSigner,
  ArtifactVerificationError,
  canonicalManifestJson,
  downloadVerifiedArtifact,
  manifestDigest,
  openVerifiedFile,
  sealManifest,
  verifyDigestSignature,
  verifyVersionArtifact,
  type SignedArtifact,
} from '../index';

const sha = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

describe('manifest', () => {
  it('is canonical: sorted by path, fixed key order, no whitespace', () => {
    const a = { path: 'weights.bin', sha256: 'A'.repeat(64), sizeBytes: 3 };
    const b = { path: 'model.json', sha256: 'b'.repeat(64), sizeBytes: 2 };
    expect(canonicalManifestJson([a, b])).toBe(
      `{"format":"slipway.manifest/v1","files":[{"path":"model.json","sha256":"${'b'.repeat(64)}","sizeBytes":2},{"path":"weights.bin","sha256":"${'a'.repeat(64)}","sizeBytes":3}]}`,
    );
    expect(manifestDigest([a, b])).toBe(manifestDigest([b, a]));
    expect(manifestDigest([a, b])).toBe(sha(canonicalManifestJson([b, a])));
    expect(() => canonicalManifestJson([a, a])).toThrow(/twice/);
  });
});

describe('ArtifactSigner', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'slipway-key-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a PKCS#8 ed25519 key with mode 0600 when missing, and reuses it afterwards', () => {
    const file = join(dir, 'nested', 'signing-key.pem');
    const first = ArtifactSigner.loadOrCreate(file);
    expect(readFileSync(file, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = ArtifactSigner.loadOrCreate(file);
    expect(second.publicKeyInfo()).toEqual(first.publicKeyInfo());
    const info = first.publicKeyInfo();
    expect(info.pem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(Buffer.from(info.rawBase64, 'base64')).toHaveLength(32);
    expect(info.keyId).toBe(sha(Buffer.from(info.rawBase64, 'base64')));
  });

  it('signs the digest bytes; the signature verifies with the exported PEM only', () => {
    const signer = ArtifactSigner.loadOrCreate(join(dir, 'k2.pem'));
    const digest = sha('hello');
    const signature = signer.sign(digest);
    expect(verifyDigestSignature(digest, signature, signer.publicKeyInfo().pem)).toBe(true);
    expect(verifyDigestSignature(sha('hellO'), signature, signer.publicKey)).toBe(false);
    expect(verifyDigestSignature(digest, signature, generateKeyPairSync('ed25519').publicKey)).toBe(false);
    expect(verifyDigestSignature(digest, 'not-a-signature', signer.publicKey)).toBe(false);
  });

  it('refuses a key that is not ed25519', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => new ArtifactSigner(privateKey)).toThrow(/ed25519/);
  });
});

function describeVerification(
  name: string,
  makeStore: () => Promise<{ store: ObjectStore; tamper: (key: string) => Promise<void>; cleanup: () => Promise<void> }>,
) {
  describe(`verification on ${name}`, () => {
    let store: ObjectStore;
    let tamper: (key: string) => Promise<void>;
    let cleanup: () => Promise<void>;
    let signer: ArtifactSigner;
    let keyDir: string;
    const modelJson = Buffer.from(JSON.stringify({ format: 'layers-model', weightsManifest: [{ paths: ['weights.bin'] }] }));
    const weights = Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 251));

    async function storeVersion(prefix: string): Promise<SignedArtifact> {
      const files = [
        { path: 'model.json', body: modelJson },
        { path: 'weights.bin', body: weights },
        { path: 'sub/slipway.json', body: Buffer.from('{"algorithm":"nn"}') },
      ];
      const entries = [];
      for (const f of files) {
        const stored = await store.put(`${prefix}${f.path}`, f.body);
        entries.push({ path: f.path, sha256: stored.sha256, sizeBytes: stored.sizeBytes });
      }
      return { label: prefix, prefix, ...sealManifest(entries, signer) };
    }

    beforeAll(async () => {
      ({ store, tamper, cleanup } = await makeStore());
      keyDir = mkdtempSync(join(tmpdir(), 'slipway-key-'));
      signer = ArtifactSigner.loadOrCreate(join(keyDir, 'key.pem'));
    });
    afterAll(async () => {
      await cleanup();
      rmSync(keyDir, { recursive: true, force: true });
    });

    it('accepts an untouched artifact and serves verified bytes', async () => {
      const artifact = await storeVersion('models/m1/versions/1/');
      await expect(verifyVersionArtifact(store, artifact, signer.publicKey)).resolves.toEqual({ keyId: signer.keyId });
      const file = await openVerifiedFile(store, artifact, 'weights.bin', signer.publicKeyInfo().pem);
      expect(file?.entry).toEqual({ path: 'weights.bin', sha256: sha(weights), sizeBytes: weights.length });
      if (!file) throw new Error('expected the file');
      expect((await readAll(file.open())).equals(weights)).toBe(true);
      await expect(openVerifiedFile(store, artifact, 'absent.bin', signer.publicKey)).resolves.toBeNull();
      const dest = mkdtempSync(join(tmpdir(), 'slipway-load-'));
      await expect(downloadVerifiedArtifact(store, artifact, signer.publicKey, dest)).resolves.toHaveLength(3);
      expect(readFileSync(join(dest, 'sub', 'slipway.json'), 'utf8')).toBe('{"algorithm":"nn"}');
      rmSync(dest, { recursive: true, force: true });
    });

    it('refuses a stored file with one flipped byte, naming the file, and hands out none of it', async () => {
      const artifact = await storeVersion('models/m1/versions/2/');
      await tamper('models/m1/versions/2/weights.bin');
      const refused = verifyVersionArtifact(store, artifact, signer.publicKey);
      await expect(refused).rejects.toBeInstanceOf(ArtifactVerificationError);
      await expect(refused).rejects.toThrow('artifact models/m1/versions/2/ failed verification: sha256 mismatch on weights.bin');
      await expect(openVerifiedFile(store, artifact, 'weights.bin', signer.publicKey)).rejects.toMatchObject({
        reason: 'sha256_mismatch',
        path: 'weights.bin',
      });
      // The untouched file of the same version is still served.
      await expect(openVerifiedFile(store, artifact, 'model.json', signer.publicKey)).resolves.not.toBeNull();
      const dest = mkdtempSync(join(tmpdir(), 'slipway-load-'));
      await expect(downloadVerifiedArtifact(store, artifact, signer.publicKey, dest)).rejects.toMatchObject({ reason: 'sha256_mismatch' });
      expect(existsSync(dest) ? readdirSync(dest) : []).toEqual([]);
    });

    it('refuses a missing file, an edited manifest, a foreign signature and an unsigned version', async () => {
      const artifact = await storeVersion('models/m1/versions/3/');
      await store.delete('models/m1/versions/3/model.json');
      await expect(verifyVersionArtifact(store, artifact, signer.publicKey)).rejects.toMatchObject({ reason: 'missing_file', path: 'model.json' });
      const good = await storeVersion('models/m1/versions/4/');
      const edited = { ...good, manifest: (good.manifest ?? []).map((e) => (e.path === 'weights.bin' ? { ...e, sizeBytes: e.sizeBytes + 1 } : e)) };
      await expect(verifyVersionArtifact(store, edited, signer.publicKey)).rejects.toMatchObject({ reason: 'manifest_mismatch' });
      const other = new ArtifactSigner(generateKeyPairSync('ed25519').privateKey);
      await expect(verifyVersionArtifact(store, { ...good, signature: other.sign(good.sha256 ?? '') }, signer.publicKey)).rejects.toMatchObject({
        reason: 'bad_signature',
      });
      await expect(verifyVersionArtifact(store, { ...good, signature: null }, signer.publicKey)).rejects.toMatchObject({ reason: 'unsigned' });
    });
  });
}

describeVerification('the local folder store', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-artifacts-'));
  const store = new LocalObjectStore(dir);
  return {
    store,
    // Flipped in place on disk, as a bad disk or someone with file access would.
    tamper: async (key) => {
      const path = join(dir, ...key.split('/'));
      const data = readFileSync(path);
      data[100] ^= 0xff;
      writeFileSync(path, data);
    },
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

describeVerification('the S3 store (local S3-protocol server)', async () => {
  const server: LocalS3Server = await startLocalS3Server(['artifacts-test']);
  const store = new S3ObjectStore(server.clientOptions('artifacts-test'));
  return {
    store,
    // Overwritten through the S3 API, as someone with bucket access would.
    tamper: async (key) => {
      const data = await readAll(await store.get(key));
      data[100] ^= 0xff;
      await store.put(key, data);
    },
    cleanup: async () => {
      store.destroy();
      await server.stop();
    },
  };
});
