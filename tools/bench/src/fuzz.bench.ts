/**
 * `npm run bench -- fuzz`: the hostile-input fuzzer (@slipway/testing-fuzz, the engine the fixed-seed HTTP spec
 * runs) for longer and with any seed, against the API as `npm start` runs it (the server build, spawned) over a
 * throwaway embedded Postgres migrated with the committed migrations.
 *
 * SLIPWAY_FUZZ_SEED (default: from the clock, printed), SLIPWAY_FUZZ_RUNS (default 5000), SLIPWAY_FUZZ_PATH (replay
 * the one generated request at that index), SLIPWAY_FUZZ_BUILD=never (use dist/server as it is), SLIPWAY_FUZZ_TRACE=1
 * (every request and answer to dist/bench/fuzz-trace.jsonl). Prints requests sent, per-operation counts, the status histogram and
 * each failure class with a reproduction; writes them to dist/bench/fuzz-report.txt.
 */
import type { ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigrations, ensureDatabase, startEmbeddedPostgres } from '@slipway/postgres';
import { formatFuzzReport, runFuzz } from '@slipway/testing-fuzz';
import { ensureServerBuild, freePort, startApiProcess, workspaceRoot as root } from './bench-platform';
import type { BenchFigure, BenchSuite } from './bench-types';

export const figureNames = ['fuzz.requests', 'fuzz.failure_classes', 'fuzz.throughput'] as const;

const TOKEN = 'slw_fuzz-bench-admin-token-0123456789abcdef';
const log = (message: string) => process.stderr.write(`[fuzz] ${message}\n`);

export const run: BenchSuite = async () => {
  const seed = process.env.SLIPWAY_FUZZ_SEED ? Number(process.env.SLIPWAY_FUZZ_SEED) : Date.now() % 2 ** 31;
  const runs = Number(process.env.SLIPWAY_FUZZ_RUNS ?? 5000);
  const path = process.env.SLIPWAY_FUZZ_PATH || undefined;
  if (!Number.isSafeInteger(seed) || !Number.isSafeInteger(runs) || runs < 1) throw new Error('SLIPWAY_FUZZ_SEED and SLIPWAY_FUZZ_RUNS must be integers');
  log(`seed ${seed}, ${path ? `replaying request ${path}` : `${runs} requests`} (SLIPWAY_FUZZ_SEED=${seed} SLIPWAY_FUZZ_RUNS=${runs} replays this run)`);
  // SLIPWAY_FUZZ_BUILD=never: fuzz the build that is there (another process may be running it; a rebuild wipes dist/server).
  const main = ensureServerBuild(log, { reuse: process.env.SLIPWAY_FUZZ_BUILD === 'never' });
  const dir = mkdtempSync(join(tmpdir(), 'slipway-fuzz-bench-'));
  const postgres = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: await freePort() });
  let api: { child: ChildProcess } | undefined;
  try {
    await ensureDatabase(postgres.adminUrl, 'fuzz');
    const databaseUrl = postgres.urlFor('fuzz');
    await applyMigrations(databaseUrl, join(root, 'prisma', 'migrations'));
    const started = await startApiProcess({ main, databaseUrl, home: join(dir, 'home'), token: TOKEN });
    api = started;
    const traceFile = process.env.SLIPWAY_FUZZ_TRACE ? join(root, 'dist', 'bench', 'fuzz-trace.jsonl') : undefined;
    if (traceFile) {
      mkdirSync(join(root, 'dist', 'bench'), { recursive: true });
      writeFileSync(traceFile, '');
    }
    const trace = traceFile
      ? (entry: { index: number; mutations: string[]; request: { method: string; path: string; body?: Buffer }; status: number; body: string }) =>
          appendFileSync(
            traceFile,
            JSON.stringify({
              ...entry,
              request: { ...entry.request, body: entry.request.body?.toString('utf8').slice(0, 2000) },
              body: entry.body.slice(0, 2000),
            }) + '\n',
          )
      : undefined;
    const report = await runFuzz({ baseUrl: started.baseUrl, token: TOKEN, databaseUrl, seed, runs, path, log, trace });
    const text = formatFuzzReport(report);
    mkdirSync(join(root, 'dist', 'bench'), { recursive: true });
    writeFileSync(join(root, 'dist', 'bench', 'fuzz-report.txt'), text + '\n');
    process.stderr.write(`\n${text}\n\n`);
    const failed = Object.values(report.failureCounts).reduce((n, c) => n + c, 0);
    const description = `seed ${seed}: ${report.requests} generated requests over ${Object.keys(report.perOperation).length}/${report.operations.length} operations, ${report.readSweepRequests} after-run reads`;
    const figures: BenchFigure[] = [
      { name: 'fuzz.requests', description, unit: 'count', value: report.requests, reference: null, ratio: null },
      {
        name: 'fuzz.failure_classes',
        description: `${report.failures.length} distinct failure classes (${failed} failing requests); list in dist/bench/fuzz-report.txt`,
        unit: 'count',
        value: report.failures.length,
        reference: null,
        ratio: null,
        target: '0',
        met: report.failures.length === 0,
      },
      {
        name: 'fuzz.throughput',
        description: 'generated requests per second, each with a row count of every table before and after',
        unit: 'ops/s',
        value: report.requests / report.seconds,
        reference: null,
        ratio: null,
      },
    ];
    return figures;
  } finally {
    api?.child.kill('SIGTERM');
    await postgres.stop();
    rmSync(dir, { recursive: true, force: true });
  }
};
