/**
 * `npm run db -- <prisma args>`: runs the Prisma CLI against the embedded Postgres (started here when
 * DATABASE_URL is unset), e.g. `npm run db -- migrate dev --name add_thing`, `npm run db -- migrate status`.
 * With DATABASE_URL set it just runs Prisma against that database.
 */
import { spawnSync } from 'node:child_process';
import { ensureDatabase, startEmbeddedPostgres } from '@slipway/postgres';
import { findWorkspaceRoot, loadConfig } from '@slipway/config';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const root = findWorkspaceRoot(process.cwd());
  const config = loadConfig(process.env, root);
  let databaseUrl = config.database.url;
  let stop = async () => undefined as void;
  if (!databaseUrl && args[0] !== 'generate' && args[0] !== 'validate' && args[0] !== 'format') {
    const { port, dataDir, databaseName } = config.database.embedded;
    const server = await startEmbeddedPostgres({ dataDir, port });
    await ensureDatabase(server.adminUrl, databaseName);
    databaseUrl = server.urlFor(databaseName);
    stop = server.stop;
  }
  // generate/validate/format never connect, but Prisma 6 needs the variable to read the schema.
  const env = { ...process.env, DATABASE_URL: databaseUrl ?? 'postgresql://offline@127.0.0.1:5432/unused', PRISMA_HIDE_UPDATE_MESSAGE: '1' };
  const result = spawnSync(process.execPath, [require.resolve('prisma/build/index.js'), ...args], { cwd: root, env, stdio: 'inherit' });
  await stop();
  return result.status ?? 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
