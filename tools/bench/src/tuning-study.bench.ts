/**
 * The journey-3 study through the platform: `npm run bench -- tuning-study`. Real processes throughout: an embedded
 * Postgres 17 (migrated), the API and two worker processes (one training slot each) from the server build
 * (`dist/server`, what `npm start` runs). The study is created with POST /api/v1/studies and followed with GET, as
 * the console and the CLI do; every trial is a training job with its own tracked run (params, fold metrics, model
 * artifact).
 *
 * - tuning.study.wall: CART on breast_cancer, 3 parameters (maxDepth int 2..12, minSamplesLeaf int 1..20, criterion
 *   gini|entropy), objective the 5-fold stratified CV binary F1, maximised, TPE, SLIPWAY_STUDY_TRIALS (default 60)
 *   trials, parallelism 2, over SLIPWAY_STUDY_SEEDS seeds (default 5: 0..4); wall = the study's finishedAt −
 *   createdAt. Reference, same run, same rows (the dataset's stored CSV): Optuna 3.1 + scikit-learn 1.2 running the
 *   same study untracked in one process with n_jobs=2 (tools/bench/python/tuning_study_reference.py), wall time of
 *   study.optimize. Median over seeds on both sides; target ≤ 3×.
 * - tuning.study.best: the median over seeds of the best CV F1, ours vs Optuna's; target: within 0.005.
 *
 * Writes dist/bench/RESULTS-tuning-study.json with every study's numbers.
 */
import type { ChildProcess } from 'node:child_process';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { DatasetView, TuningStudyDetail, TuningStudyView } from '@slipway/contracts';
import { datasetFileKey } from '@slipway/dataset-files';
import { applyMigrations, ensureDatabase, startEmbeddedPostgres } from '@slipway/postgres';
import {
  BenchApi,
  ensureServerBuild,
  freePort,
  median,
  sleep,
  snapshotServerBuild,
  startApiProcess,
  WorkerPool,
  workspaceRoot as root,
} from './bench-platform';
import type { BenchFigure, BenchSuite } from './bench-types';

export const figureNames = ['tuning.study.wall', 'tuning.study.best'] as const;

const TOKEN = 'slw_tuning-study-bench-admin-token-0123456789ab';
const PYTHON = '/usr/bin/python3';
const log = (message: string) => process.stderr.write(`[tuning-study] ${message}\n`);

interface OurStudy {
  seed: number;
  wallSeconds: number;
  observedSeconds: number;
  best: number;
  bestParams: Record<string, unknown>;
  trials: number;
  completed: number;
  failed: number;
  /** Median of the trials' started → finished, and of their queued time (created → started). */
  medianTrialMs: number;
  medianQueuedMs: number;
}

interface ReferenceRun {
  seed: number;
  wallSeconds: number;
  best: number;
  bestParams: Record<string, unknown>;
}

const ms = (iso: string | null) => (iso ? Date.parse(iso) : NaN);

async function runStudy(api: BenchApi, datasetId: string, seed: number, trials: number): Promise<OurStudy> {
  const clock = performance.now();
  const created = await api.call<TuningStudyView>('POST', '/api/v1/studies', {
    name: `bench-journey3-${seed}-${Date.now()}`,
    datasetId,
    algorithm: 'cart',
    searchSpace: {
      maxDepth: { type: 'int', low: 2, high: 12 },
      minSamplesLeaf: { type: 'int', low: 1, high: 20 },
      criterion: { type: 'categorical', choices: ['gini', 'entropy'] },
    },
    strategy: 'tpe',
    objective: { metric: 'f1', direction: 'maximize' },
    evaluationPlan: { kind: 'kfold', folds: 5, stratify: true },
    maxTrials: trials,
    parallelism: 2,
    seed,
  });
  const deadline = Date.now() + 30 * 60_000;
  let study: TuningStudyDetail;
  for (;;) {
    study = await api.call<TuningStudyDetail>('GET', `/api/v1/studies/${created.id}`);
    if (study.status === 'COMPLETED') break;
    if (study.status === 'FAILED' || study.status === 'STOPPED') throw new Error(`study ${created.id} ended ${study.status}: ${study.error}`);
    if (Date.now() > deadline) throw new Error(`study ${created.id} still ${study.status} after 30 minutes`);
    await sleep(50);
  }
  const observedSeconds = (performance.now() - clock) / 1000;
  if (!study.best) throw new Error(`study ${created.id} completed without a best trial`);
  const ended = study.trials.filter((t) => t.finishedAt && t.startedAt);
  return {
    seed,
    wallSeconds: (ms(study.finishedAt) - ms(study.createdAt)) / 1000,
    observedSeconds,
    best: study.best.value,
    bestParams: study.best.params,
    trials: study.trials.length,
    completed: study.counts.completed,
    failed: study.counts.failed,
    medianTrialMs: median(ended.map((t) => ms(t.finishedAt) - ms(t.startedAt))),
    medianQueuedMs: median(ended.map((t) => ms(t.startedAt) - ms(t.createdAt))),
  };
}

function runReference(csv: string, target: string, trials: number, seeds: number[]): ReferenceRun[] | string {
  if (!existsSync(PYTHON)) return `${PYTHON} is missing`;
  const script = join(root, 'tools', 'bench', 'python', 'tuning_study_reference.py');
  const result = spawnSync(PYTHON, [script, csv, target, String(trials), ...seeds.map(String)], {
    encoding: 'utf8',
    // The reference's own parallelism is Optuna's n_jobs=2 threads; BLAS threads would only fight them.
    env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
    maxBuffer: 16 * 1024 * 1024,
  });
  if (result.status !== 0) return `the reference failed: ${(result.stderr || result.error?.message || '').slice(-500)}`;
  return (JSON.parse(result.stdout) as { runs: ReferenceRun[] }).runs;
}

export const run: BenchSuite = async () => {
  const trials = Number(process.env.SLIPWAY_STUDY_TRIALS ?? 60);
  const seeds = Array.from({ length: Number(process.env.SLIPWAY_STUDY_SEEDS ?? 5) }, (_, i) => i);
  ensureServerBuild(log);
  const build = snapshotServerBuild('tuning-study');
  const dir = mkdtempSync(join(tmpdir(), 'slipway-bench-tuning-'));
  const server = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: await freePort() });
  let apiChild: ChildProcess | undefined;
  let workers: WorkerPool | undefined;
  const figures: BenchFigure[] = [];
  try {
    await ensureDatabase(server.adminUrl, 'tuning');
    const databaseUrl = server.urlFor('tuning');
    await applyMigrations(databaseUrl, join(root, 'prisma', 'migrations'));
    const home = join(dir, 'home');
    const started = await startApiProcess({ main: build.apiMain, databaseUrl, home, token: TOKEN });
    apiChild = started.child;
    const api = new BenchApi(started.baseUrl, TOKEN);
    workers = new WorkerPool({ api, workerMain: build.workerMain, home, databaseUrl });
    await workers.start(2);
    const cancer = await api.call<DatasetView>('POST', '/api/v1/datasets/samples/breast_cancer');
    if (!cancer.targetColumn) throw new Error('the breast_cancer sample has no target column');

    const ours: OurStudy[] = [];
    for (const seed of seeds) {
      const study = await runStudy(api, cancer.id, seed, trials);
      ours.push(study);
      log(
        `seed ${seed}: ${study.trials} trials (${study.completed} completed, ${study.failed} failed) in ${study.wallSeconds.toFixed(2)} s, ` +
          `best f1 ${study.best.toFixed(4)} ${JSON.stringify(study.bestParams)}; per trial ${study.medianTrialMs.toFixed(0)} ms running, ${study.medianQueuedMs.toFixed(0)} ms queued (medians)`,
      );
    }
    await workers.stopAll();
    workers = undefined;

    // The very rows the workers trained on: the stored file of the dataset.
    const csv = join(home, 'artifacts', datasetFileKey(cancer.id, cancer.format));
    const reference = runReference(csv, cancer.targetColumn, trials, seeds);
    const oursWall = median(ours.map((s) => s.wallSeconds));
    const oursBest = median(ours.map((s) => s.best));
    const what = `CART on breast_cancer, 3 params, 5-fold CV binary F1, TPE, ${trials} trials, parallelism 2, ${seeds.length} seeds (median)`;
    if (typeof reference === 'string') {
      log(`no reference: ${reference}`);
      figures.push(
        {
          name: 'tuning.study.wall',
          description: `${what}; reference unavailable (${reference})`,
          unit: 's',
          value: oursWall,
          reference: null,
          ratio: null,
          target: '≤ 3× Optuna',
          met: null,
        },
        {
          name: 'tuning.study.best',
          description: `${what}; reference unavailable`,
          unit: 'score',
          value: oursBest,
          reference: null,
          ratio: null,
          target: 'within 0.005 of Optuna',
          met: null,
        },
      );
    } else {
      for (const r of reference) log(`Optuna seed ${r.seed}: ${r.wallSeconds.toFixed(2)} s, best f1 ${r.best.toFixed(4)} ${JSON.stringify(r.bestParams)}`);
      const refWall = median(reference.map((r) => r.wallSeconds));
      const refBest = median(reference.map((r) => r.best));
      figures.push(
        {
          name: 'tuning.study.wall',
          description: `${what}, every trial a tracked training job on 2 worker processes; reference Optuna 3.1 + scikit-learn 1.2, untracked, one process, n_jobs=2`,
          unit: 's',
          value: oursWall,
          reference: { name: 'Optuna + scikit-learn', value: refWall },
          ratio: oursWall / refWall,
          target: '≤ 3×',
          met: oursWall / refWall <= 3,
        },
        {
          name: 'tuning.study.best',
          description: `${what}: median best CV F1; ratio = ours / Optuna's`,
          unit: 'score',
          value: oursBest,
          reference: { name: 'Optuna TPE', value: refBest },
          ratio: oursBest / refBest,
          target: 'within 0.005',
          met: oursBest >= refBest - 0.005,
        },
      );
      mkdirSync(join(root, 'dist', 'bench'), { recursive: true });
      writeFileSync(
        join(root, 'dist', 'bench', 'RESULTS-tuning-study.json'),
        JSON.stringify({ date: new Date().toISOString(), node: process.version, ours, reference }, null, 2) + '\n',
      );
    }
    return figures;
  } finally {
    await workers?.stopAll();
    apiChild?.kill('SIGTERM');
    await new Promise((r) => (apiChild && apiChild.exitCode === null ? apiChild.once('exit', r) : r(undefined)));
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
    build.remove();
  }
};
