/** Key ids on signatures and key rotation: versions signed before a rotation keep verifying. */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LocalObjectStore } from '@slipway/storage';
import {
  ArtifactSigner,
  ArtifactVerificationError,
  keyIdOf,
  retiredKeysDirOf,
  rotateSigningKey,
  sealManifest,
  SigningKeyRing,
  verifyManifestSignature,
  verifyVersionArtifact,
  type SignedArtifact,
} from '../index';

describe('signing key rotation', () => {
  let dir: string;
  let store: LocalObjectStore;
  let keyFile: string;

  async function storeVersion(prefix: string, signer: ArtifactSigner): Promise<SignedArtifact> {
    const body = Buffer.from(`weights of ${prefix}`);
    const stored = await store.put(`${prefix}weights.bin`, body);
    return { label: prefix, prefix, ...sealManifest([{ path: 'weights.bin', sha256: stored.sha256, sizeBytes: stored.sizeBytes }], signer) };
  }

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'slipway-rotation-'));
    store = new LocalObjectStore(join(dir, 'objects'));
    keyFile = join(dir, 'keys', 'signing-key.pem');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('records the signing key id with each seal: the id the public-key endpoint publishes', () => {
    const signer = ArtifactSigner.loadOrCreate(join(dir, 'other', 'key.pem'));
    const sealed = sealManifest([{ path: 'a.bin', sha256: 'a'.repeat(64), sizeBytes: 1 }], signer);
    expect(sealed.signatureKeyId).toBe(signer.keyId);
    expect(signer.keyId).toBe(signer.publicKeyInfo().keyId);
    expect(signer.keyId).toBe(keyIdOf(signer.publicKey));
    expect(signer.keyId).toMatch(/^[0-9a-f]{64}$/);
  });

  it('sign with A, rotate to B (A retired): the old version verifies against A, new ones are signed by B', async () => {
    const a = ArtifactSigner.loadOrCreate(keyFile);
    const v1 = await storeVersion('models/m/versions/1/', a);
    expect(v1.signatureKeyId).toBe(a.keyId);

    const rotated = rotateSigningKey(keyFile);
    expect(rotated.retiredKeyId).toBe(a.keyId);
    expect(rotated.keyId).not.toBe(a.keyId);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readdirSync(retiredKeysDirOf(keyFile))).toEqual([`${a.keyId}.pem`]);
    // Only the public half of A is kept.
    expect(readFileSync(join(retiredKeysDirOf(keyFile), `${a.keyId}.pem`), 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----/);

    // A restarted API replica: the file now holds B, and A is in its ring as a retired key.
    const b = ArtifactSigner.loadOrCreate(keyFile);
    expect(b.keyId).toBe(rotated.keyId);
    expect(b.keyRing.retiredKeyIds()).toEqual([a.keyId]);
    await expect(verifyVersionArtifact(store, v1, b.keyRing)).resolves.toEqual({ keyId: a.keyId });
    const v2 = await storeVersion('models/m/versions/2/', b);
    expect(v2.signatureKeyId).toBe(b.keyId);
    await expect(verifyVersionArtifact(store, v2, b.keyRing)).resolves.toEqual({ keyId: b.keyId });

    // Without the retired key (what happened before key ids: the ring is only the current key), v1 is refused.
    await expect(verifyVersionArtifact(store, v1, b.publicKey)).rejects.toMatchObject({ reason: 'unknown_key', keyId: a.keyId });
  });

  it('refuses a version signed by a key the ring does not hold, with a message naming the key', async () => {
    const platform = ArtifactSigner.loadOrCreate(keyFile);
    const stranger = new ArtifactSigner(generateKeyPairSync('ed25519').privateKey);
    const foreign = await storeVersion('models/m/versions/3/', stranger);
    const refused = verifyVersionArtifact(store, foreign, platform.keyRing);
    await expect(refused).rejects.toBeInstanceOf(ArtifactVerificationError);
    await expect(refused).rejects.toThrow(
      `artifact models/m/versions/3/ failed verification: it is signed with a key that is neither the platform key nor one of its retired keys (key ${stranger.keyId})`,
    );
    // A key id swapped for a trusted one does not help: the signature is checked with the key the id names.
    expect(() => verifyManifestSignature({ ...foreign, signatureKeyId: platform.keyId }, platform.keyRing)).toThrow(
      expect.objectContaining({ reason: 'bad_signature' }),
    );
  });

  it('a version stored before key ids (no signatureKeyId) verifies against any key of the ring, and only those', async () => {
    const platform = ArtifactSigner.loadOrCreate(keyFile);
    // The retired key's private half is gone after rotation, so the old signer here is a fresh pair placed in a ring.
    const old = new ArtifactSigner(generateKeyPairSync('ed25519').privateKey);
    const legacy = { ...(await storeVersion('models/m/versions/4/', old)), signatureKeyId: null };
    const ring = new SigningKeyRing(platform.publicKey, [old.publicKey]);
    await expect(verifyVersionArtifact(store, legacy, ring)).resolves.toEqual({ keyId: old.keyId });
    await expect(verifyVersionArtifact(store, legacy, platform.keyRing)).rejects.toMatchObject({ reason: 'bad_signature' });
  });

  it('refuses to start with a retired key file that is not an ed25519 public key', () => {
    const file = join(dir, 'broken', 'signing-key.pem');
    ArtifactSigner.loadOrCreate(file);
    const retired = retiredKeysDirOf(file);
    rotateSigningKey(file);
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    writeFileSync(join(retired, 'p256.pem'), publicKey.export({ format: 'pem', type: 'spki' }));
    expect(() => ArtifactSigner.loadOrCreate(file)).toThrow(/p256\.pem is not an ed25519 public key/);
  });
});
