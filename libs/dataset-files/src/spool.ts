import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

/** Bytes as they stream in: a Node stream, an async generator, or chunks already in memory. */
export type ByteSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array> | Readable;

/** The bytes were more than the spool's bound allows. */
export class FileTooLargeError extends Error {
  override readonly name = 'FileTooLargeError';
  constructor(readonly maxBytes: number) {
    super(`the file is larger than ${maxBytes} bytes`);
  }
}

export interface SpooledFile {
  path: string;
  sizeBytes: number;
  sha256: string;
  /** Removes the file and its folder; safe to call twice. */
  remove(): Promise<void>;
}

/**
 * Writes a stream to a private temporary file, hashing on the way and stopping at `maxBytes`: formats that need
 * random access (Parquet's footer, a zip's central directory) are read from disk, never held whole in memory.
 * On any failure the file is removed before the error propagates.
 */
export async function spoolToTempFile(bytes: ByteSource, options: { tempDir?: string; maxBytes?: number } = {}): Promise<SpooledFile> {
  const folder = await mkdtemp(join(options.tempDir ?? tmpdir(), 'slipway-spool-'));
  const path = join(folder, randomUUID());
  const remove = () => rm(folder, { recursive: true, force: true });
  const hash = createHash('sha256');
  let sizeBytes = 0;
  const out = createWriteStream(path, { flags: 'wx', mode: 0o600 });
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  failed.catch(() => undefined);
  try {
    for await (const piece of bytes as AsyncIterable<Uint8Array | string>) {
      const chunk = typeof piece === 'string' ? Buffer.from(piece) : piece;
      sizeBytes += chunk.length;
      if (options.maxBytes !== undefined && sizeBytes > options.maxBytes) throw new FileTooLargeError(options.maxBytes);
      hash.update(chunk);
      // Back-pressure: wait for the disk when its buffer is full.
      if (!out.write(chunk)) await Promise.race([new Promise<void>((resolve) => out.once('drain', () => resolve())), failed]);
    }
    await Promise.race([new Promise<void>((resolve) => out.end(() => resolve())), failed]);
  } catch (error) {
    out.destroy();
    await remove();
    throw error;
  }
  return { path, sizeBytes, sha256: hash.digest('hex'), remove };
}

/** Runs `work` with a private temporary folder, removed afterwards whatever happens. */
export async function withTempDir<T>(work: (folder: string) => Promise<T>, tempDir?: string): Promise<T> {
  const folder = await mkdtemp(join(tempDir ?? tmpdir(), 'slipway-spool-'));
  try {
    return await work(folder);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
