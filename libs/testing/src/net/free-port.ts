import { createServer } from 'node:net';

/**
 * A port the OS says is free right now (bound on port 0, then released), for a process a test starts that must
 * be told its port up front (a worker's health server, an embedded Postgres), so parallel runs never collide.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no port from the OS'))));
    });
  });
}
