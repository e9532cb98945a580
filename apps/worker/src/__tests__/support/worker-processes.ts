import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findWorkspaceRoot, loadConfig } from '@slipway/config';
import { WorkerProcess, type WorkerOptions } from '../../worker-process';

const root = findWorkspaceRoot(__dirname);

/** What every test worker runs with: the pure-JavaScript TF backend and a SLIPWAY_HOME of its own. */
function testWorkerEnv(): Record<string, string> {
  return { SLIPWAY_TF_BACKEND: 'cpu', SLIPWAY_HOME: mkdtempSync(join(tmpdir(), 'slipway-worker-')) };
}

/** A worker in the test's own process on the queue and tables of `databaseUrl`; `env` goes on top of the test defaults. */
export function inProcessWorker(databaseUrl: string, { env = {}, ...options }: WorkerOptions & { env?: Record<string, string> } = {}): WorkerProcess {
  return new WorkerProcess(loadConfig({ DATABASE_URL: databaseUrl, ...testWorkerEnv(), ...env }), options);
}

export interface SpawnedWorker {
  child: ChildProcessWithoutNullStreams;
  pid: number;
  /** Everything it printed so far (for failure messages). */
  output(): string;
  /** Resolves with how it ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once it logged that it takes jobs. */
  ready: Promise<void>;
}

/**
 * A worker as production runs it: its own Node process running apps/worker/src/main.ts (sources through
 * tsx; the worker has no decorators that need SWC), configured only through the environment.
 */
export function spawnWorker(env: Record<string, string>): SpawnedWorker {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'apps/worker/src/main.ts')], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', NODE_OPTIONS: '', ...testWorkerEnv(), ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('connected to the job queue')) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(({ code, signal }) => reject(new Error(`worker exited (${code ?? signal}) before it was ready:\n${output}`)));
  });
  // A worker that dies before the test waits on `ready` must not surface as an unhandled rejection.
  ready.catch(() => undefined);
  if (child.pid === undefined) throw new Error('worker did not start');
  return { child, pid: child.pid, output: () => output, exited, ready };
}
