/**
 * `npm run generate:client`: boots the API exactly as `npm start` runs it (the server build, over a
 * throwaway embedded Postgres it migrates itself), reads its OpenAPI document from /docs-json and writes
 * libs/client/src/generated/{openapi.json,api-types.ts}. `--check` writes nothing and exits 1 when the
 * committed files differ.
 *
 * The API runs as a child process of the server build rather than imported: tools may not import apps
 * (module boundaries), and NestJS needs the decorator metadata that only the SWC build emits.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findWorkspaceRoot } from '@slipway/config';
import { ensureDatabase, startEmbeddedPostgres } from '@slipway/postgres';
import { API_TYPES_TS, canonicalOpenApiJson, OPENAPI_JSON, REGENERATE_HINT, renderApiTypes } from './client-files';

const root = findWorkspaceRoot(__dirname);
const say = (message: string) => process.stderr.write(`[generate:client] ${message}\n`);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function fetchDocument(url: string, api: ChildProcess, timeoutMs: number): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (api.exitCode !== null) throw new Error(`the API exited with code ${api.exitCode} before answering`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return await response.json();
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s (${last})`);
}

async function readApiDocument(): Promise<unknown> {
  // Always from a fresh build: a stale dist/server would describe yesterday's routes and pass --check wrongly.
  const build = spawnSync(process.execPath, [join(root, 'tools', 'build', 'build-server.mjs')], { cwd: root, stdio: 'ignore' });
  if (build.status !== 0) throw new Error('the server build failed: run npm run build:server to see why');
  const apiMain = join(root, 'dist', 'server', 'apps', 'api', 'src', 'main.js');
  const home = mkdtempSync(join(tmpdir(), 'slipway-openapi-'));
  const postgres = await startEmbeddedPostgres({ dataDir: join(home, 'postgres'), port: await freePort() });
  let api: ChildProcess | undefined;
  try {
    await ensureDatabase(postgres.adminUrl, 'slipway');
    const port = await freePort();
    api = spawn(process.execPath, [apiMain], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: postgres.urlFor('slipway'),
        SLIPWAY_HOME: home,
        SLIPWAY_API_HOST: '127.0.0.1',
        SLIPWAY_API_PORT: String(port),
        SLIPWAY_LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    return await fetchDocument(`http://127.0.0.1:${port}/docs-json`, api, 60_000);
  } finally {
    if (api && api.exitCode === null) {
      const exited = new Promise((done) => api?.once('exit', done));
      api.kill('SIGTERM');
      await exited;
    }
    await postgres.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const json = canonicalOpenApiJson(await readApiDocument());
  const files = [
    [OPENAPI_JSON, json],
    [API_TYPES_TS, await renderApiTypes(json)],
  ] as const;
  const stale = files.filter(([path, text]) => !existsSync(join(root, path)) || readFileSync(join(root, path), 'utf8') !== text).map(([path]) => path);
  if (check) {
    if (stale.length > 0) throw new Error(`${stale.join(', ')}: ${REGENERATE_HINT}`);
    say('up to date');
    return;
  }
  for (const [path, text] of files) writeFileSync(join(root, path), text);
  say(stale.length === 0 ? 'already up to date' : `wrote ${stale.join(', ')}`);
}

main().catch((error: unknown) => {
  say(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
