import type { KeyObject } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertSafeKey, createSha256Meter, type ObjectStore } from '@slipway/storage';
import { manifestDigest, type ManifestEntry } from './manifest';
import { verifyDigestSignature } from './signing-key';

export type VerificationFailure = 'unsigned' | 'manifest_mismatch' | 'bad_signature' | 'missing_file' | 'size_mismatch' | 'sha256_mismatch';

const REASON_TEXT: Record<VerificationFailure, string> = {
  unsigned: 'it has no manifest, sha256 or signature',
  manifest_mismatch: 'the manifest does not hash to the recorded sha256',
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
  ) {
    super(`artifact ${artifact} failed verification: ${REASON_TEXT[reason]}${path ? ` ${path}` : ''}`);
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
}

/** The cheap half of verification: the manifest is the one that was signed, with this key. */
export function verifyManifestSignature(artifact: SignedArtifact, publicKey: KeyObject | string): readonly ManifestEntry[] {
  if (!artifact.manifest || !artifact.sha256 || !artifact.signature) throw new ArtifactVerificationError(artifact.label, 'unsigned');
  if (manifestDigest(artifact.manifest) !== artifact.sha256) throw new ArtifactVerificationError(artifact.label, 'manifest_mismatch');
  if (!verifyDigestSignature(artifact.sha256, artifact.signature, publicKey)) throw new ArtifactVerificationError(artifact.label, 'bad_signature');
  return artifact.manifest;
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
export async function verifyVersionArtifact(store: ObjectStore, artifact: SignedArtifact, publicKey: KeyObject | string): Promise<void> {
  const manifest = verifyManifestSignature(artifact, publicKey);
  for (const entry of manifest) {
    const { transform, result } = createSha256Meter();
    await pipeline(await openStored(store, artifact, entry), transform, new Writable({ write: (_chunk, _encoding, done) => done() }));
    checkEntry(artifact, entry, result());
  }
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
export async function openVerifiedFile(
  store: ObjectStore,
  artifact: SignedArtifact,
  path: string,
  publicKey: KeyObject | string,
): Promise<VerifiedFile | null> {
  const manifest = verifyManifestSignature(artifact, publicKey);
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
  publicKey: KeyObject | string,
  destinationDir: string,
): Promise<readonly ManifestEntry[]> {
  const manifest = verifyManifestSignature(artifact, publicKey);
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
