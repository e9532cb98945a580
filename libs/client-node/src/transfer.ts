import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';

/** What to upload: a file path, bytes in memory, or a stream (read once; its size is unknown unless given). */
export type UploadSource = string | Uint8Array | Readable;

export interface TransferProgress {
  /** Bytes sent or received so far. */
  bytes: number;
  /** The whole size, when known beforehand. */
  totalBytes: number | null;
}
export type ProgressCallback = (progress: TransferProgress) => void;

export interface OpenedSource {
  stream: Readable;
  sizeBytes: number | null;
}

export async function openUploadSource(source: UploadSource, sizeBytes?: number): Promise<OpenedSource> {
  if (typeof source === 'string') {
    const info = await stat(source);
    if (!info.isFile()) throw new Error(`${source} is not a file`);
    return { stream: createReadStream(source), sizeBytes: info.size };
  }
  if (source instanceof Uint8Array)
    return { stream: Readable.from([Buffer.from(source.buffer, source.byteOffset, source.byteLength)]), sizeBytes: source.byteLength };
  return { stream: source, sizeBytes: sizeBytes ?? null };
}

/**
 * A pass-through that hashes (sha256) and counts what flows through it and reports progress. The upload
 * compares its digest with what the server says it stored; a download compares it with the server's header.
 */
export class HashingMeter extends Transform {
  private readonly hash = createHash('sha256');
  private count = 0;

  constructor(
    private readonly totalBytes: number | null,
    private readonly onProgress?: ProgressCallback,
  ) {
    super();
    onProgress?.({ bytes: 0, totalBytes });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null, data?: Buffer) => void): void {
    this.hash.update(chunk);
    this.count += chunk.length;
    this.onProgress?.({ bytes: this.count, totalBytes: this.totalBytes });
    callback(null, chunk);
  }

  get bytes(): number {
    return this.count;
  }

  /** Hex sha256 of everything that passed; call once the stream has ended. */
  sha256(): string {
    return this.hash.copy().digest('hex');
  }
}
