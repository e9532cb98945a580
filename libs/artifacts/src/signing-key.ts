import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, createHash, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { manifestDigest, normalizeManifest, type ManifestEntry } from './manifest';

/** The platform's public key in the forms clients need to verify a signature themselves. */
export interface PublicKeyInfo {
  algorithm: 'ed25519';
  /** SubjectPublicKeyInfo PEM, what `openssl` and Node's `createPublicKey` read. */
  pem: string;
  /** The 32 raw key bytes, base64. */
  rawBase64: string;
  /** sha256 of the raw key bytes, hex: a short name for the key (changes when the key is rotated). */
  keyId: string;
}

const SPKI_ED25519_PREFIX_LENGTH = 12;

export function describePublicKey(publicKey: KeyObject): PublicKeyInfo {
  const der = publicKey.export({ format: 'der', type: 'spki' });
  const raw = der.subarray(SPKI_ED25519_PREFIX_LENGTH);
  return {
    algorithm: 'ed25519',
    pem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    rawBase64: raw.toString('base64'),
    keyId: createHash('sha256').update(raw).digest('hex'),
  };
}

/**
 * Signs version digests with the platform's ed25519 key. The message signed is the 32 bytes of the
 * version's sha256 (the digest of the canonical manifest), not its hex text.
 */
export class ArtifactSigner {
  readonly publicKey: KeyObject;

  constructor(private readonly privateKey: KeyObject) {
    if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`signing key must be ed25519, not ${privateKey.asymmetricKeyType}`);
    this.publicKey = createPublicKey(privateKey);
  }

  /** Reads the PKCS#8 PEM at `file`, creating a new key there (mode 0600) when the file does not exist. */
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
    return new ArtifactSigner(createPrivateKey(readFileSync(file)));
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

/** What a READY version records: its manifest, the manifest's digest and the signature over it. */
export interface SealedManifest {
  manifest: ManifestEntry[];
  sha256: string;
  signature: string;
}

export function sealManifest(entries: readonly ManifestEntry[], signer: ArtifactSigner): SealedManifest {
  const manifest = normalizeManifest(entries);
  const sha256 = manifestDigest(manifest);
  return { manifest, sha256, signature: signer.sign(sha256) };
}
