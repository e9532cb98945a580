/**
 * A FAKE, named as such: an S3 endpoint that forwards to a real S3-protocol server (s3rver) and, while
 * `full` is on, answers every write (PutObject, CreateMultipartUpload, UploadPart) the way MinIO does when
 * its drives are full: HTTP 507 with the error code XMinioStorageFull. s3rver has no notion of "full" and
 * MinIO cannot be installed here; reads, lists and deletes still reach the real server.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** MinIO's body for a full store (cmd/api-errors.go, ErrStorageFull). */
function storageFullBody(resource: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>XMinioStorageFull</Code>' +
    '<Message>Storage backend has reached its minimum free drive threshold. Please delete a few objects to proceed.</Message>' +
    `<Resource>${resource}</Resource><RequestId>fake-minio-full</RequestId><HostId>fake-minio-full</HostId></Error>`
  );
}

export interface StorageFullS3Proxy {
  endpoint: string;
  /** While true, writes answer 507 XMinioStorageFull. */
  full: boolean;
  /** Writes refused so far. */
  refusedWrites: number;
  /** Stops answering at all (open connections are cut): to the client, the object store is unreachable. */
  stop(): Promise<void>;
}

export async function startStorageFullS3Proxy(upstreamEndpoint: string): Promise<StorageFullS3Proxy> {
  const upstream = new URL(upstreamEndpoint);
  const state = { full: true, refusedWrites: 0 };
  const server = createServer((incoming: IncomingMessage, outgoing: ServerResponse) => {
    const isWrite = incoming.method === 'PUT' || (incoming.method === 'POST' && /[?&]uploads(=|&|$)/.test(incoming.url ?? ''));
    if (state.full && isWrite) {
      state.refusedWrites += 1;
      // Read the body away first, as a server does, so the client sees the answer rather than a reset.
      incoming.resume();
      incoming.on('end', () => {
        outgoing.writeHead(507, { 'content-type': 'application/xml' }).end(storageFullBody(incoming.url ?? '/'));
      });
      return;
    }
    const forwarded = request(
      { host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', () => outgoing.destroy());
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get full() {
      return state.full;
    },
    set full(value: boolean) {
      state.full = value;
    },
    get refusedWrites() {
      return state.refusedWrites;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // The S3 client keeps its sockets alive; without this, close() would wait for them (and "stopped" would still answer).
        server.closeAllConnections();
      }),
  };
}
