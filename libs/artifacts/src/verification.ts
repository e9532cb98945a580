import { createPublicKey, type KeyObject } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertSafeKey, createSha256Meter, type ObjectStore } from '@slipway/storage';
import { manifestDigest, type ManifestEntry } from './manifest';
import { SigningKeyRing, verifyDigestSignature } from './signing-key';

export type VerificationFailure = 'unsigned' | 'manifest_mismatch' | 'unknown_key' | 'bad_signature' | 'missing_file' | 'size_mismatch' | 'sha256_mismatch';

const REASON_TEXT: Record<VerificationFailure, string> = {
  unsigned: 'it has no manifest, sha256 or signature',
  manifest_mismatch: 'the manifest does not hash to the recorded sha256',
  unknown_key: 'it is signed with a key that is neither the platform key nor one of its retired keys',
  bad_signature: 'the signature does not match the platform key',
  missing_file: 'missing file',
  size_mismatch: 'size mismatch on',
  sha256_mismatch: 'sha256 mismatch on',
};

/** A stored artifact does not match what was signed: it must not be loaded or served. */
export class ArtifactVerificationError extends Error {
  constructor(
    readonly artifact: string,
    readonly reason: VerificationFailure,
    readonly path?: string,
    /** The key id of an `unknown_key` failure. */
    readonly keyId?: string,
  ) {
    super(`artifact ${artifact} failed verification: ${REASON_TEXT[reason]}${path ? ` ${path}` : ''}${keyId ? ` (key ${keyId})` : ''}`);
    this.name = 'ArtifactVerificationError';
  }
}

/** What the database records for a version's artifact. */
export interface SignedArtifact {
  /** How errors name it, e.g. `fraud@3`. */
  label: string;
  /** Object-store folder holding the files, ending in `/`, e.g. `models/<modelId>/versions/3/`. */
  prefix: string;
  manifest: readonly ManifestEntry[] | null;
  sha256: string | null;
  signature: string | null;
  /**
   * Id of the key that made the signature (see keyIdOf). null for versions signed before key ids were
   * recorded: those are checked against every key of the ring.
   */
  signatureKeyId?: string | null;
}

/** What signatures are checked against: one public key (PEM or KeyObject), or the platform's key ring. */
export type VerificationKeys = KeyObject | string | SigningKeyRing;

function ringOf(keys: VerificationKeys): SigningKeyRing {
  return keys instanceof SigningKeyRing ? keys : new SigningKeyRing(typeof keys === 'string' ? createPublicKey(keys) : keys);
}

/** Checks the signature and returns the id of the key it verified with. */
function checkSignature(artifact: SignedArtifact & { sha256: string; signature: string }, keys: VerificationKeys): string {
  const ring = ringOf(keys);
  if (artifact.signatureKeyId) {
    const key = ring.get(artifact.signatureKeyId);
    if (!key) throw new ArtifactVerificationError(artifact.label, 'unknown_key', undefined, artifact.signatureKeyId);
    if (!verifyDigestSignature(artifact.sha256, artifact.signature, key)) throw new ArtifactVerificationError(artifact.label, 'bad_signature');
    return artifact.signatureKeyId;
  }
  const match = ring.entries().find(({ publicKey }) => verifyDigestSignature(artifact.sha256, artifact.signature, publicKey));
  if (!match) throw new ArtifactVerificationError(artifact.label, 'bad_signature');
  return match.keyId;
}

/**
 * The cheap half of verification: the manifest is the one that was signed, by the key the version names
 * (current or retired). Returns the manifest and the id of the key the signature verified with.
 */
export function verifyManifestSignature(artifact: SignedArtifact, keys: VerificationKeys): readonly ManifestEntry[] {
  return verifySignedManifest(artifact, keys).manifest;
}

function verifySignedManifest(artifact: SignedArtifact, keys: VerificationKeys): { manifest: readonly ManifestEntry[]; keyId: string } {
  if (!artifact.manifest || !artifact.sha256 || !artifact.signature) throw new ArtifactVerificationError(artifact.label, 'unsigned');
  if (manifestDigest(artifact.manifest) !== artifact.sha256) throw new ArtifactVerificationError(artifact.label, 'manifest_mismatch');
  const keyId = checkSignature({ ...artifact, sha256: artifact.sha256, signature: artifact.signature }, keys);
  return { manifest: artifact.manifest, keyId };
}

async function openStored(store: ObjectStore, artifact: SignedArtifact, entry: ManifestEntry): Promise<Readable> {
  const key = `${artifact.prefix}${entry.path}`;
  assertSafeKey(key);
  if (!(await store.stat(key))) throw new ArtifactVerificationError(artifact.label, 'missing_file', entry.path);
  return store.get(key);
}

function checkEntry(artifact: SignedArtifact, entry: ManifestEntry, actual: { sha256: string; sizeBytes: number }): void {
  if (actual.sizeBytes !== entry.sizeBytes) throw new ArtifactVerificationError(artifact.label, 'size_mismatch', entry.path);
  if (actual.sha256 !== entry.sha256) throw new ArtifactVerificationError(artifact.label, 'sha256_mismatch', entry.path);
}

/**
 * Full verification, run before an artifact is loaded: the manifest hashes to the recorded sha256, the
 * signature over it is the platform's, and every stored file (re-hashed, streaming) matches the manifest.
 * Throws ArtifactVerificationError naming the first file that does not.
 */
export async function verifyVersionArtifact(store: ObjectStore, artifact: SignedArtifact, keys: VerificationKeys): Promise<{ keyId: string }> {
  const { manifest, keyId } = verifySignedManifest(artifact, keys);
  for (const entry of manifest) {
    const { transform, result } = createSha256Meter();
    await pipeline(await openStored(store, artifact, entry), transform, new Writable({ write: (_chunk, _encoding, done) => done() }));
    checkEntry(artifact, entry, result());
  }
  return { keyId };
}

/** One verified file, held in a private temp file until it is sent. */
export interface VerifiedFile {
  entry: ManifestEntry;
  /** A stream of the verified bytes; the temp file is removed when the stream closes. */
  open(): Readable;
  /** Removes the temp file (for when the stream is never opened). */
  dispose(): Promise<void>;
}

/**
 * Copies one file of a signed artifact out of the store into a temp file, hashing on the way, and hands it
 * out only when it matches the signed manifest: bad bytes never reach the caller. null when the manifest
 * has no such path.
 */
export async function openVerifiedFile(store: ObjectStore, artifact: SignedArtifact, path: string, keys: VerificationKeys): Promise<VerifiedFile | null> {
  const manifest = verifyManifestSignature(artifact, keys);
  const entry = manifest.find((e) => e.path === path);
  if (!entry) return null;
  const dir = await mkdtemp(join(tmpdir(), 'slipway-verified-'));
  const dispose = () => rm(dir, { recursive: true, force: true });
  const file = join(dir, 'file');
  try {
    const { transform, result } = createSha256Meter();
    await pipeline(await openStored(store, artifact, entry), transform, createWriteStream(file, { mode: 0o600 }));
    checkEntry(artifact, entry, result());
  } catch (error) {
    await dispose();
    throw error;
  }
  return {
    entry,
    open: () => {
      const stream = createReadStream(file);
      stream.once('close', () => void dispose());
      return stream;
    },
    dispose,
  };
}

/** Downloads every file of a signed artifact into `destinationDir`, verifying each; for loading a model to serve. */
export async function downloadVerifiedArtifact(
  store: ObjectStore,
  artifact: SignedArtifact,
  keys: VerificationKeys,
  destinationDir: string,
): Promise<readonly ManifestEntry[]> {
  const manifest = verifyManifestSignature(artifact, keys);
  try {
    for (const entry of manifest) {
      assertSafeKey(entry.path);
      const target = join(destinationDir, ...entry.path.split('/'));
      await mkdir(dirname(target), { recursive: true });
      const { transform, result } = createSha256Meter();
      await pipeline(await openStored(store, artifact, entry), transform, createWriteStream(target));
      checkEntry(artifact, entry, result());
    }
  } catch (error) {
    // Nothing half-verified is left behind for a loader to pick up.
    await rm(destinationDir, { recursive: true, force: true });
    throw error;
  }
  return manifest;
}

/** sha256 and size of a stored object, streaming; null when it does not exist. */
export async function hashStoredObject(store: ObjectStore, key: string): Promise<{ sha256: string; sizeBytes: number } | null> {
  if (!(await store.stat(key))) return null;
  const { transform, result } = createSha256Meter();
  await pipeline(await store.get(key), transform, new Writable({ write: (_chunk, _encoding, done) => done() }));
  return result();
}
