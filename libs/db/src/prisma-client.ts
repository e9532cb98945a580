import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/prisma/client';

export { PrismaClient };
export type { Prisma } from './generated/prisma/client';

/** One Prisma client over node-postgres (driver adapter: no native query engine needed). */
export function createPrismaClient(databaseUrl: string, options: { poolSize?: number } = {}): PrismaClient {
  // extra_float_digits > 0 makes float8 output the shortest exact text (Postgres ≥ 12): metric values read back
  // bit-exact whatever the server's default (an `options` in the URL still wins).
  // connectionTimeoutMillis: a server that accepts TCP but does not answer (restarting, overloaded) fails the request
  // with UNAVAILABLE after a bounded wait instead of hanging it; generous, as waiting for a free connection counts too.
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.poolSize ?? 10,
    options: '-c extra_float_digits=3',
    connectionTimeoutMillis: 15_000,
  });
  // Every client gets an error listener for its whole life. When the postmaster is SIGKILLed, an orphaned backend
  // sends "terminating connection due to unexpected postmaster exit", and node-postgres emits it as an 'error'
  // event on a client that has no query running; a client checked out at that moment has no pool listener, and the
  // unheard event killed the API process (about one run in ten of postgres-restart.process.spec.ts). The failure
  // still reaches the request (the client is no longer queryable: 503) and the pool still drops the client.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  return new PrismaClient({ adapter });
}
