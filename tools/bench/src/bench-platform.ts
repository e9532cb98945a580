/**
 * What the benchmarks that drive the real API share: a free port, the server build (`dist/server`, what
 * `npm start` runs) brought up to date with the sources, and the API spawned from it and waited for.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { findWorkspaceRoot } from '@slipway/config';

export const workspaceRoot = findWorkspaceRoot(__dirname);
const API_MAIN = join(workspaceRoot, 'dist', 'server', 'apps', 'api', 'src', 'main.js');

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Newest modification time of the server's TypeScript sources below `folder` (specs and generated code aside). */
function newestSource(folder: string): number {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'generated' || entry.name.startsWith('.')) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * The API's entry in the server build, rebuilt first when any API or lib source is newer: measuring
 * yesterday's build measures yesterday's code. `reuse`: take the build that is there (another process may be
 * running from it, and a rebuild wipes dist/server).
 */
export function ensureServerBuild(log: (message: string) => void, options: { reuse?: boolean } = {}): string {
  if (options.reuse && existsSync(API_MAIN)) return API_MAIN;
  const sources = Math.max(newestSource(join(workspaceRoot, 'apps', 'api', 'src')), newestSource(join(workspaceRoot, 'libs')));
  if (!existsSync(API_MAIN) || statSync(API_MAIN).mtimeMs < sources) {
    log('building the server (dist/server)');
    const result = spawnSync(process.execPath, [join(workspaceRoot, 'tools', 'build', 'build-server.mjs')], {
      cwd: workspaceRoot,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (result.status !== 0 || !existsSync(API_MAIN)) throw new Error('the server build failed: run npm run build:server to see why');
  }
  return API_MAIN;
}

export interface ApiProcess {
  baseUrl: string;
  child: ChildProcess;
}

/**
 * Spawns the built API on a free port over `databaseUrl` with `token` as its bootstrap admin token, and waits
 * (up to 60 s) until it answers that token. Its stderr (the stacks of any 500) goes to this terminal.
 */
export async function startApiProcess(options: { main: string; databaseUrl: string; home: string; token: string }): Promise<ApiProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [options.main], {
    cwd: workspaceRoot,
    env: {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      SLIPWAY_HOME: options.home,
      SLIPWAY_API_PORT: String(port),
      SLIPWAY_BOOTSTRAP_TOKEN: options.token,
      SLIPWAY_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) throw new Error(`API exited with ${child.exitCode}`);
    const ok = await fetch(`${baseUrl}/api/v1/whoami`, { headers: { authorization: `Bearer ${options.token}` } }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { baseUrl, child };
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill('SIGTERM');
  throw new Error('API did not start within 60 s');
}
