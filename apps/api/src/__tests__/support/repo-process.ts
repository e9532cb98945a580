import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { findWorkspaceRoot } from '@slipway/config';
import { waitFor } from '@slipway/testing';
import type { ApiTestApp } from '../api-test-app';

const root = findWorkspaceRoot(__dirname);

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RepoProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<ProcessResult>;
}

/**
 * A process of this repository run from its sources through tsx, as a user (or `npm run worker`) runs it: apps do
 * not import each other, so this is how the API's suite reaches the CLI and the worker. Only PATH is inherited, so
 * what the process sees is what `env` says. `stdin`, when given, is written to its standard input and closed;
 * otherwise it has none.
 */
export function startRepoProcess(entry: string, args: string[], env: Record<string, string | undefined>, stdin?: string): RepoProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, entry), ...args], {
    cwd: root,
    env: { PATH: process.env.PATH, NODE_OPTIONS: '', ...env },
    stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  if (stdin !== undefined) child.stdin?.end(stdin);
  const exited = new Promise<ProcessResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** The `slipway` CLI (apps/cli/src/main.ts) run to its end. */
export const runSlipwayCli = (args: string[], env: Record<string, string | undefined>, stdin?: string): Promise<ProcessResult> =>
  startRepoProcess('apps/cli/src/main.ts', args, env, stdin).exited;

/**
 * A real worker process on the API's database and artifact folder (so what it trains, the API serves), with a
 * SLIPWAY_HOME of its own under `home`. `ready` resolves once it is connected to the job queue; assign the process
 * before awaiting it, so an afterAll can stop a worker that never got ready.
 */
export function startWorkerForApi(api: ApiTestApp, databaseUrl: string, home: string): RepoProcess & { ready: Promise<void> } {
  const store = api.config.objectStore;
  if (store.kind !== 'local') throw new Error('the test API uses a local object store');
  const worker = startRepoProcess('apps/worker/src/main.ts', [], {
    DATABASE_URL: databaseUrl,
    SLIPWAY_HOME: mkdtempSync(join(home, 'worker-')),
    SLIPWAY_ARTIFACT_DIR: store.rootDir,
    SLIPWAY_SIGNING_KEY_FILE: api.config.signingKeyFile,
    SLIPWAY_TF_BACKEND: 'cpu',
  });
  const ready = waitFor(() => (/connected to the job queue/.test(worker.stdout() + worker.stderr()) ? true : undefined), {
    what: 'the worker takes jobs',
    timeoutMs: 60_000,
  }).then(() => undefined);
  return { ...worker, ready };
}
