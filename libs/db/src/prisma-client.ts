import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';

export { PrismaClient };
export type { Prisma } from './generated/prisma/client';

/** One Prisma client over node-postgres (driver adapter: no native query engine needed). */
export function createPrismaClient(databaseUrl: string, options: { poolSize?: number } = {}): PrismaClient {
  // extra_float_digits > 0 makes float8 output the shortest exact text (Postgres ≥ 12): metric values read back
  // bit-exact whatever the server's default (an `options` in the URL still wins).
  // connectionTimeoutMillis: a server that accepts TCP but does not answer (restarting, overloaded) fails the request
  // with UNAVAILABLE after a bounded wait instead of hanging it; generous, as waiting for a free connection counts too.
  const adapter = new PrismaPg({
    connectionString: databaseUrl,
    max: options.poolSize ?? 10,
    options: '-c extra_float_digits=3',
    connectionTimeoutMillis: 15_000,
  });
  return new PrismaClient({ adapter });
}
