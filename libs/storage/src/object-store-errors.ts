import type { Readable } from 'node:stream';
import { ErrorCode, SlipwayError } from '@slipway/contracts';
import type { ObjectStore, StoredObject } from './object-store';

/** The object store failures callers answer to by what they mean; anything else stays as it came. */
export type ObjectStoreFailure = 'full' | 'unreachable';

/**
 * Network failures of the S3 client (Node's socket errors, the SDK's own timeouts), and the local store's
 * folder being gone or read-only: either way, retrying later is the only remedy.
 */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'EROFS',
  'EIO',
]);
const UNREACHABLE_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'ServiceUnavailable', 'SlowDown', 'InternalError', 'XMinioServerNotInitialized']);
/** ENOSPC/EDQUOT from a filesystem; MinIO answers 507 with XMinioStorageFull; AWS has no "full", only quotas. */
const FULL_CODES = new Set(['ENOSPC', 'EDQUOT']);
const FULL_NAMES = new Set(['XMinioStorageFull', 'XMinioAdminBucketQuotaExceeded', 'QuotaExceeded']);

export function objectStoreFailureOf(error: unknown): ObjectStoreFailure | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, name, $metadata, cause } = error as { code?: unknown; name?: unknown; $metadata?: { httpStatusCode?: unknown }; cause?: unknown };
  const status = $metadata?.httpStatusCode;
  if ((typeof code === 'string' && FULL_CODES.has(code)) || (typeof name === 'string' && FULL_NAMES.has(name)) || status === 507) return 'full';
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return 'unreachable';
  if (typeof name === 'string' && UNREACHABLE_NAMES.has(name)) return 'unreachable';
  if (typeof status === 'number' && status >= 500) return 'unreachable';
  // When the socket error comes from another realm (a Jest VM context), the SDK re-wraps it as
  // "AWS SDK error wrapper for Error: connect ECONNREFUSED …", keeping only the text.
  const message = (error as { message?: unknown }).message;
  if (
    typeof message === 'string' &&
    /^AWS SDK error wrapper for .*\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN)\b/.test(message)
  )
    return 'unreachable';
  // The SDK sometimes wraps the socket error (AggregateError of a dual-stack connect, or `cause`).
  const inner = (error as { errors?: unknown[] }).errors?.[0] ?? cause;
  return inner && inner !== error ? objectStoreFailureOf(inner) : undefined;
}

/** The one mapping from an object store failure to the platform's codes: 507 when full, 503 when unreachable, naming the store. */
export function toObjectStoreError(error: unknown, description: string): unknown {
  if (error instanceof SlipwayError) return error;
  switch (objectStoreFailureOf(error)) {
    case 'full':
      return new SlipwayError(ErrorCode.INSUFFICIENT_STORAGE, `The object store (${description}) is full; nothing was kept. Free space, then retry`);
    case 'unreachable':
      return new SlipwayError(ErrorCode.UNAVAILABLE, `The object store (${description}) is unreachable; retry shortly`);
    case undefined:
      return error;
  }
}

/**
 * Any ObjectStore, with its failures mapped by toObjectStoreError, so every service sees the same coded
 * errors whichever store is configured. A put whose *source* failed (the client went away, an upload
 * limit refused it; Node reports a client that hung up as ECONNRESET too) is not the store's fault: that
 * error passes through as it came, for the service to answer.
 */
export class CodedObjectStore implements ObjectStore {
  readonly description: string;

  constructor(private readonly inner: ObjectStore) {
    this.description = inner.description;
  }

  private coded<T>(operation: () => Promise<T>): Promise<T> {
    return operation().catch((error: unknown) => {
      throw toObjectStoreError(error, this.description);
    });
  }

  async put(key: string, body: Readable | Buffer, options?: { contentType?: string }): Promise<StoredObject> {
    let sourceFailed = false;
    if (!Buffer.isBuffer(body)) body.once('error', () => (sourceFailed = true));
    try {
      return await this.inner.put(key, body, options);
    } catch (error) {
      // A full store is never the client's doing, even though the failed write also tears down the source.
      if (sourceFailed && objectStoreFailureOf(error) !== 'full') throw error;
      throw toObjectStoreError(error, this.description);
    }
  }

  get(key: string): Promise<Readable> {
    return this.coded(() => this.inner.get(key));
  }

  stat(key: string): Promise<{ sizeBytes: number } | null> {
    return this.coded(() => this.inner.stat(key));
  }

  delete(key: string): Promise<void> {
    return this.coded(() => this.inner.delete(key));
  }

  async *list(prefix: string): AsyncIterable<{ key: string; sizeBytes: number }> {
    try {
      yield* this.inner.list(prefix);
    } catch (error) {
      throw toObjectStoreError(error, this.description);
    }
  }

  uriFor(key: string): string {
    return this.inner.uriFor(key);
  }

  check(): Promise<void> {
    return this.coded(() => this.inner.check());
  }

  /** The S3 store holds sockets; the local one has nothing to release. */
  destroy(): void {
    (this.inner as { destroy?: () => void }).destroy?.();
  }
}
