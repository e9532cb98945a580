/**
 * Prisma CLI configuration. Migrations run through Prisma's wasm schema engine over a driver adapter
 * (`engine: 'js'`), so `prisma migrate dev|deploy|diff|status` work offline as well as online: Prisma 6's
 * native schema engine would be downloaded from binaries.prisma.sh, which these machines cannot reach.
 * DATABASE_URL must point at the database; `npm run db -- <command>` starts the embedded Postgres
 * and sets it for you.
 */
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { defineConfig } from 'prisma/config';

// adapter-pg cannot deserialize catalog columns of type `name` (OID 19) and `char` (OID 18), which the
// schema engine reads while introspecting (prisma/prisma#27403). Reporting them as `text` fixes it.
const CATALOG_TEXT_OIDS = new Set([18, 19]);
const TEXT_OID = 25;

function reportCatalogTypesAsText(res: pg.QueryResult | undefined): pg.QueryResult | undefined {
  for (const field of res?.fields ?? []) if (CATALOG_TEXT_OIDS.has(field.dataTypeID)) field.dataTypeID = TEXT_OID;
  return res;
}

class CatalogAsTextClient extends pg.Client {
  // pg.Pool calls client.query with a callback; direct callers get a promise. Fix the result either way.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: any[]): any {
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      args[args.length - 1] = (error: Error | null, res: pg.QueryResult) => last(error, reportCatalogTypesAsText(res));
    }
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const result = (super.query as any)(...args);
    return result && typeof result.then === 'function' ? result.then(reportCatalogTypesAsText) : result;
  }
}

function connectionFromUrl(): pg.PoolConfig {
  const raw = process.env.DATABASE_URL;
  if (!raw) throw new Error('DATABASE_URL is not set: run Prisma through `npm run db -- <command>` or set it yourself');
  const url = new URL(raw);
  // Discrete fields, not a connection string: the schema engine swaps the database name for its shadow database.
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: url.pathname.replace(/^\//, '') || 'postgres',
    ssl: url.searchParams.get('sslmode') === 'require' ? { rejectUnauthorized: false } : undefined,
    // Lets the shadow database be dropped promptly after `migrate dev`.
    idleTimeoutMillis: 1,
    Client: CatalogAsTextClient,
  } as pg.PoolConfig;
}

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  experimental: { adapter: true },
  engine: 'js',
  adapter: async () => new PrismaPg(connectionFromUrl()),
});
