import type { ObjectStoreConfig } from '@slipway/config';
import { LocalObjectStore } from './local-object-store';
import type { ObjectStore } from './object-store';
import { CodedObjectStore } from './object-store-errors';
import { S3ObjectStore } from './s3-object-store';

/** The configured store, its failures coded (507 full, 503 unreachable, naming it) once for every caller. */
export function createObjectStore(config: ObjectStoreConfig): ObjectStore {
  return new CodedObjectStore(config.kind === 's3' ? new S3ObjectStore(config) : new LocalObjectStore(config.rootDir));
}
