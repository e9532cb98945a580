import type { Readable } from 'node:stream';

/** Where artifacts and datasets live. Keys are `/`-separated relative paths, validated by `assertSafeKey`. */
export interface ObjectStore {
  /** e.g. `local folder /srv/slipway/artifacts` or `s3 bucket slipway at http://minio:9000`. */
  readonly description: string;
  /** Streams `body` in, computing its sha256 on the way; the object appears only once fully written. */
  put(key: string, body: Readable | Buffer, options?: { contentType?: string }): Promise<StoredObject>;
  get(key: string): Promise<Readable>;
  /** null when the object does not exist. */
  stat(key: string): Promise<{ sizeBytes: number } | null>;
  delete(key: string): Promise<void>;
  list(prefix: string): AsyncIterable<{ key: string; sizeBytes: number }>;
  /** URI recorded in the database for `key` (file:// or s3://). */
  uriFor(key: string): string;
  /** Throws when the store cannot be used (health checks). */
  check(): Promise<void>;
}

export interface StoredObject {
  key: string;
  uri: string;
  sha256: string;
  sizeBytes: number;
}

export class InvalidObjectKeyError extends Error {
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(`Invalid object key "${key.slice(0, 200)}": ${reason}`);
    this.name = 'InvalidObjectKeyError';
  }
}

const MAX_KEY_LENGTH = 1024;

/** Rejects keys that could escape the store's root or confuse S3/filesystems: `..`, absolute paths, backslashes, control chars. */
export function assertSafeKey(key: string): void {
  if (key.length === 0) throw new InvalidObjectKeyError(key, 'empty');
  if (key.length > MAX_KEY_LENGTH) throw new InvalidObjectKeyError(key, `longer than ${MAX_KEY_LENGTH} characters`);
  if (key.startsWith('/')) throw new InvalidObjectKeyError(key, 'absolute paths are not allowed');
  if (key.includes('\\')) throw new InvalidObjectKeyError(key, 'backslashes are not allowed');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(key)) throw new InvalidObjectKeyError(key, 'control characters are not allowed');
  const segments = key.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) throw new InvalidObjectKeyError(key, 'empty, "." and ".." path segments are not allowed');
}
