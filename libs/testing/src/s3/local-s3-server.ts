/**
 * A real S3-protocol server on 127.0.0.1 for the S3 code path's tests: s3rver (npm), which stores
 * objects in a temp folder. MinIO itself cannot be installed here; production uses MinIO or AWS S3.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';

export interface LocalS3Server {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  /** What an S3 client (S3ObjectStore's options) needs to reach `bucket` on this server: path-style, its credentials. */
  clientOptions(bucket: string): { bucket: string; endpoint: string; region: string; accessKeyId: string; secretAccessKey: string; forcePathStyle: true };
  stop(): Promise<void>;
}

export async function startLocalS3Server(buckets: string[]): Promise<LocalS3Server> {
  const directory = mkdtempSync(join(tmpdir(), 'slipway-s3rver-'));
  // s3rver is CommonJS without types.
  const S3rver = require('s3rver');
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const address: AddressInfo = await server.run();
  const endpoint = `http://127.0.0.1:${address.port}`;
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', region: 'us-east-1' };
  return {
    endpoint,
    ...credentials,
    clientOptions: (bucket) => ({ bucket, endpoint, ...credentials, forcePathStyle: true }),
    stop: async () => {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
