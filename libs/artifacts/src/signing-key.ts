import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, createHash, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { manifestDigest, normalizeManifest, type ManifestEntry } from './manifest';

/** The platform's public key in the forms clients need to verify a signature themselves. */
export interface PublicKeyInfo {
  algorithm: 'ed25519';
  /** SubjectPublicKeyInfo PEM, what `openssl` and Node's `createPublicKey` read. */
  pem: string;
  /** The 32 raw key bytes, base64. */
  rawBase64: string;
  /** sha256 of the raw key bytes, hex: the key's name, stored with every signature made with it (see keyIdOf). */
  keyId: string;
}

const SPKI_ED25519_PREFIX_LENGTH = 12;

function rawPublicKey(publicKey: KeyObject): Buffer {
  return publicKey.export({ format: 'der', type: 'spki' }).subarray(SPKI_ED25519_PREFIX_LENGTH);
}

/**
 * The id of an ed25519 public key: sha256 of its 32 raw bytes, hex. The same value GET /registry/public-key
 * publishes as `keyId`, so a client can tell which published key a version's signature needs.
 */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(rawPublicKey(publicKey)).digest('hex');
}

export function describePublicKey(publicKey: KeyObject): PublicKeyInfo {
  return {
    algorithm: 'ed25519',
    pem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    rawBase64: rawPublicKey(publicKey).toString('base64'),
    keyId: keyIdOf(publicKey),
  };
}

function requireEd25519(key: KeyObject, what: string): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${what} must be ed25519, not ${key.asymmetricKeyType}`);
  return key;
}

/**
 * The public keys signatures may be checked against: the current key and the retired ones. Rotating the
 * signing key retires the old public key instead of forgetting it, so versions signed before the rotation
 * still verify; a signature names its key by id, and an id the ring does not hold is refused.
 */
export class SigningKeyRing {
  private readonly byId = new Map<string, KeyObject>();
  readonly currentKeyId: string;

  constructor(current: KeyObject, retired: readonly KeyObject[] = []) {
    this.currentKeyId = keyIdOf(requireEd25519(current, 'the current public key'));
    this.byId.set(this.currentKeyId, current);
    for (const key of retired) {
      const id = keyIdOf(requireEd25519(key, 'a retired public key'));
      if (!this.byId.has(id)) this.byId.set(id, key);
    }
  }

  /** The public key with this id, or undefined when it is neither the current nor a retired key. */
  get(keyId: string): KeyObject | undefined {
    return this.byId.get(keyId);
  }

  /** Every key, current first. */
  entries(): { keyId: string; publicKey: KeyObject; current: boolean }[] {
    return [...this.byId].map(([keyId, publicKey]) => ({ keyId, publicKey, current: keyId === this.currentKeyId }));
  }

  retiredKeyIds(): string[] {
    return [...this.byId.keys()].filter((id) => id !== this.currentKeyId);
  }

  /** The retired public keys, described as the public-key route publishes them (for checking old versions offline). */
  retiredKeys(): PublicKeyInfo[] {
    return this.retiredKeyIds().map((id) => describePublicKey(this.byId.get(id) as KeyObject));
  }
}

/**
 * Where the retired public keys of a key file live: `retired-signing-keys/` next to it, one PEM per key
 * (`<keyId>.pem`; SPKI public keys, or private keys of which only the public half is used).
 */
export function retiredKeysDirOf(keyFile: string): string {
  return join(dirname(keyFile), 'retired-signing-keys');
}

function readRetiredKeys(keyFile: string): KeyObject[] {
  const dir = retiredKeysDirOf(keyFile);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.pem'))
    .sort()
    .map((name) => {
      const pem = readFileSync(join(dir, name));
      try {
        return requireEd25519(createPublicKey(pem), `retired key ${name}`);
      } catch (error) {
        throw new Error(`${join(dir, name)} is not an ed25519 public key: ${(error as Error).message}`);
      }
    });
}

/**
 * Replaces the key in `keyFile` with a new one and keeps the old public key in the retired folder, so
 * everything it signed still verifies. The new key is written beside the file and renamed over it (a
 * reader never sees half a key). Restart (or reload) every API replica afterwards.
 */
export function rotateSigningKey(keyFile: string): { retiredKeyId: string; keyId: string } {
  const old = createPublicKey(createPrivateKey(readFileSync(keyFile)));
  const retiredKeyId = keyIdOf(requireEd25519(old, 'the signing key'));
  const dir = retiredKeysDirOf(keyFile);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${retiredKeyId}.pem`), old.export({ format: 'pem', type: 'spki' }), { mode: 0o644 });
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const next = `${keyFile}.next`;
  writeFileSync(next, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
  chmodSync(next, 0o600);
  renameSync(next, keyFile);
  return { retiredKeyId, keyId: keyIdOf(publicKey) };
}

/**
 * Signs version digests with the platform's ed25519 key. The message signed is the 32 bytes of the
 * version's sha256 (the digest of the canonical manifest), not its hex text.
 */
export class ArtifactSigner {
  readonly publicKey: KeyObject;
  /** Id of the key this signer signs with; stored next to each signature. */
  readonly keyId: string;
  /** This key and the retired ones: what signatures are verified against. */
  readonly keyRing: SigningKeyRing;

  constructor(
    private readonly privateKey: KeyObject,
    retiredPublicKeys: readonly KeyObject[] = [],
  ) {
    if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`signing key must be ed25519, not ${privateKey.asymmetricKeyType}`);
    this.publicKey = createPublicKey(privateKey);
    this.keyRing = new SigningKeyRing(this.publicKey, retiredPublicKeys);
    this.keyId = this.keyRing.currentKeyId;
  }

  /**
   * Reads the PKCS#8 PEM at `file`, creating a new key there (mode 0600) when the file does not exist, and
   * the retired public keys from `retired-signing-keys/` next to it (see rotateSigningKey).
   */
  static loadOrCreate(file: string): ArtifactSigner {
    if (!existsSync(file)) {
      const { privateKey } = generateKeyPairSync('ed25519');
      mkdirSync(dirname(file), { recursive: true });
      // `wx`: if another replica created the key meanwhile, keep theirs and read it below.
      try {
        writeFileSync(file, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
        chmodSync(file, 0o600);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    return new ArtifactSigner(createPrivateKey(readFileSync(file)), readRetiredKeys(file));
  }

  /** base64 ed25519 signature over the digest's bytes. */
  sign(sha256Hex: string): string {
    return sign(null, digestBytes(sha256Hex), this.privateKey).toString('base64');
  }

  publicKeyInfo(): PublicKeyInfo {
    return describePublicKey(this.publicKey);
  }
}

function digestBytes(sha256Hex: string): Buffer {
  if (!/^[0-9a-f]{64}$/i.test(sha256Hex)) throw new Error('not a sha256 hex digest');
  return Buffer.from(sha256Hex, 'hex');
}

/** True when `signatureBase64` is the key's ed25519 signature over the digest. */
export function verifyDigestSignature(sha256Hex: string, signatureBase64: string, publicKey: KeyObject | string): boolean {
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  const signature = Buffer.from(signatureBase64, 'base64');
  if (signature.length !== 64) return false;
  try {
    return verify(null, digestBytes(sha256Hex), key, signature);
  } catch {
    return false;
  }
}

/** What a READY version records: its manifest, the manifest's digest, the signature over it and the signing key's id. */
export interface SealedManifest {
  manifest: ManifestEntry[];
  sha256: string;
  signature: string;
  signatureKeyId: string;
}

export function sealManifest(entries: readonly ManifestEntry[], signer: ArtifactSigner): SealedManifest {
  const manifest = normalizeManifest(entries);
  const sha256 = manifestDigest(manifest);
  return { manifest, sha256, signature: signer.sign(sha256), signatureKeyId: signer.keyId };
}
