import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LocalHttpServer {
  /** `http://127.0.0.1:<port><path>`. */
  url(path?: string): string;
  /** Stops listening and ends the open connections, keep-alive ones included. */
  close(): Promise<void>;
}

/**
 * A real HTTP server for a test (a webhook receiver, an upstream), on 127.0.0.1 and a port the OS picks, so
 * parallel runs never collide. `handle` gets each request once its body has arrived, as UTF-8 text.
 */
export async function startLocalHttpServer(handle: (request: IncomingMessage, body: string, response: ServerResponse) => void): Promise<LocalHttpServer> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => handle(request, Buffer.concat(chunks).toString('utf8'), response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path = '/') => `http://127.0.0.1:${port}${path}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
