import { createHash } from 'node:crypto';

/** One file of a version's artifact, by its path inside the artifact folder. */
export interface ManifestEntry {
  path: string;
  sha256: string;
  sizeBytes: number;
}

/** Identifies the canonical form; part of what is hashed, so a future format cannot be confused with this one. */
export const MANIFEST_FORMAT = 'slipway.manifest/v1';

/** Entries sorted by path (code-point order, the same on every platform), each with exactly these three fields. */
export function normalizeManifest(entries: readonly ManifestEntry[]): ManifestEntry[] {
  const sorted = entries
    .map((e) => ({ path: e.path, sha256: e.sha256.toLowerCase(), sizeBytes: e.sizeBytes }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].path === sorted[i - 1].path) throw new Error(`manifest lists ${sorted[i].path} twice`);
  }
  return sorted;
}

/**
 * The bytes that are hashed and signed: `{"format":…,"files":[{"path","sha256","sizeBytes"}…]}` with keys
 * in that order, files sorted by path, no whitespace. Anyone can rebuild it from the manifest alone.
 */
export function canonicalManifestJson(entries: readonly ManifestEntry[]): string {
  return JSON.stringify({ format: MANIFEST_FORMAT, files: normalizeManifest(entries) });
}

/** The version's sha256: the hash of the canonical manifest, so it covers every file's content and name. */
export function manifestDigest(entries: readonly ManifestEntry[]): string {
  return createHash('sha256').update(canonicalManifestJson(entries), 'utf8').digest('hex');
}

/** Object-store folder of a model version's files; the one place that layout is defined. */
export function modelVersionPrefix(modelId: string, version: number): string {
  return `models/${modelId}/versions/${version}/`;
}
