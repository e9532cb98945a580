/**
 * What the benchmarks that drive the real API share: a free port, the server build (`dist/server`, what
 * `npm start` runs) brought up to date with the sources, and the API spawned from it and waited for.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
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

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Nearest-rank percentile, p in (0, 1]. */
export const percentile = (xs: readonly number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(s.length * p) - 1)];
};

/**
 * A private copy of the server build for one bench run (same depth below the workspace, so its relative requires
 * and node_modules resolve alike): workers start again and again over several minutes, and a `build:server` run
 * meanwhile by anyone wipes dist/server under them.
 */
export function snapshotServerBuild(label: string): { apiMain: string; workerMain: string; remove: () => void } {
  const copy = join(workspaceRoot, 'dist', `bench-${label}-${process.pid}`);
  cpSync(join(workspaceRoot, 'dist', 'server'), copy, { recursive: true });
  return {
    apiMain: join(copy, 'apps', 'api', 'src', 'main.js'),
    workerMain: join(copy, 'apps', 'worker', 'src', 'main.js'),
    remove: () => rmSync(copy, { recursive: true, force: true }),
  };
}

/** The API over HTTP as a bench drives it: one bearer token, JSON in and out, unexpected statuses thrown with the body. */
export class BenchApi {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async call<T>(method: string, path: string, body?: unknown, expect: number[] = [200, 201]): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(60_000),
    });
    const text = await response.text();
    if (!expect.includes(response.status)) throw new Error(`${method} ${path} → ${response.status}: ${text.slice(0, 500)}`);
    return JSON.parse(text) as T;
  }

  async connectedWorkers(): Promise<number> {
    const health = await fetch(`${this.baseUrl}/health`).then((r) => r.json() as Promise<{ workers: { connected: number } }>);
    return health.workers.connected;
  }
}

/** Worker processes from a server build, over one database and home, counted connected by the API before use. */
export class WorkerPool {
  private readonly children: ChildProcess[] = [];

  constructor(private readonly platform: { api: BenchApi; workerMain: string; home: string; databaseUrl: string }) {}

  /** Starts `n` worker processes (`concurrency` jobs each) and waits until the API counts them connected. */
  async start(n: number, options: { concurrency?: number; env?: Record<string, string> } = {}): Promise<void> {
    for (let i = 0; i < n; i++) {
      const child = spawn(process.execPath, [this.platform.workerMain], {
        cwd: workspaceRoot,
        env: {
          ...process.env,
          DATABASE_URL: this.platform.databaseUrl,
          SLIPWAY_HOME: this.platform.home,
          SLIPWAY_WORKER_CONCURRENCY: String(options.concurrency ?? 1),
          SLIPWAY_LOG_LEVEL: 'warn',
          ...options.env,
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      this.children.push(child);
    }
    const deadline = Date.now() + 90_000;
    while ((await this.platform.api.connectedWorkers()) < this.children.length) {
      for (const child of this.children) if (child.exitCode !== null) throw new Error(`a worker exited with ${child.exitCode}`);
      if (Date.now() > deadline) throw new Error(`${this.children.length} workers did not connect within 90 s`);
      await sleep(200);
    }
  }

  async stopAll(): Promise<void> {
    const children = this.children.splice(0);
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolveExit) => {
            if (child.exitCode !== null) return resolveExit();
            child.once('exit', () => resolveExit());
            child.kill('SIGTERM');
          }),
      ),
    );
    // Signed off: the API no longer counts them (the next phase waits for its own workers only).
    const deadline = Date.now() + 30_000;
    while ((await this.platform.api.connectedWorkers()) > 0 && Date.now() < deadline) await sleep(200);
  }
}
