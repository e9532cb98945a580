/**
 * Online serving: `npm run bench -- serving`. Real processes throughout: an embedded Postgres 17 (migrated), one
 * serving replica (apps/serving/src/main.ts in its own Node process, as the serving process spec runs it) over a
 * local object store, and the reference scorer tools/bench/python/serving_fastapi.py (FastAPI + uvicorn, one
 * worker, scikit-learn's DecisionTreeClassifier on breast_cancer) under Debian's /usr/bin/python3. One load
 * generator for both: `wrk -t1 -c32 -d<SLIPWAY_SERVING_DURATION, default 15>s --latency` with a Lua script that
 * posts one breast_cancer row per request (the 569 rows in turn, `{"inputs":[[30 numbers]]}`), the same rows and
 * the same body on both sides.
 *
 * Ours serves CARTs trained by train() on breast_cancer, registered (copied, sealed, signed) by the ModelRegistrar
 * and deployed through the DeploymentStore: `plain` (the stable version only), `canary` (GRAY_START, 10% to a
 * second version) and `shadow` (SHADOW, every request copied to a second version). Each round runs the reference,
 * plain, canary and shadow once, 15 s each, in an order rotated per round (both sides see the same background load
 * of this shared machine); SLIPWAY_SERVING_ROUNDS rounds (default 3), after a 5 s warm-up of each. Figures are
 * medians over the rounds; every run's numbers and the load average at its start go to
 * dist/bench/RESULTS-serving.json (tools/bench/RESULTS-serving.md is the curated write-up).
 *
 * Needs `wrk` (Debian) and python3-fastapi, python3-uvicorn, python3-sklearn (python3-uvloop and
 * python3-httptools are used when installed).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArtifactSigner } from '@slipway/artifacts';
import { UnitOfWork, type ModelVersionEntity, type NewDeploymentRevision } from '@slipway/db';
import { encodeImageBundle, readTrainingImages, type ImageBundleHeader } from '@slipway/dataset-files';
import { train } from '@slipway/ml-algorithms';
import { selectBackend } from '@slipway/ml-runtime';
import { loadBuiltinDataset } from '@slipway/ml-datasets';
import { ModelRegistrar, runArtifactKey, type RegistrarActor } from '@slipway/model-registry';
import { applyMigrations, ensureDatabase, startEmbeddedPostgres } from '@slipway/postgres';
import { LocalObjectStore } from '@slipway/storage';
import { freePort, workspaceRoot as root } from './bench-platform';
import type { BenchFigure, BenchSuite } from './bench-types';

export const figureNames = [
  'serving.table.rps',
  'serving.table.p99',
  'serving.table.p50',
  'serving.canary.rps',
  'serving.shadow.rps',
  'serving.cnn.single.p50',
  'serving.cnn.single.p99',
  'serving.cnn.single.images_per_s',
  'serving.cnn.batch64.p50',
  'serving.cnn.batch64.p99',
  'serving.cnn.batch64.images_per_s',
  'serving.cnn.single.tfjs_in_process_p50',
  'serving.cnn.batch64.tfjs_in_process_p50',
] as const;

const log = (message: string) => process.stderr.write(`[serving] ${message}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ACTOR: RegistrarActor = { tokenId: null, name: 'bench', requestId: 'serving-bench' };
const DATA = loadBuiltinDataset('breast_cancer');
const CLASSES = ['malignant', 'benign'];
const DIGITS = loadBuiltinDataset('digits');
/** The CNN served: CnnClassifier's default architecture (filters 32/64/64, 64 dense units) on 8×8×1 digits. */
const CNN = { filters: [32, 64, 64] as [number, number, number], denseUnits: 64, epochs: 1 };
const CNN_BATCH = 64;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function row(r: number): number[] {
  return Array.from(DATA.features.subarray(r * DATA.nFeatures, (r + 1) * DATA.nFeatures));
}

/** A CART trained by train() on breast_cancer, saved with its preprocessing.json as a training job writes it, registered by the ModelRegistrar. */
async function registerVersion(uow: UnitOfWork, objects: LocalObjectStore, signer: ArtifactSigner, maxDepth: number | null): Promise<ModelVersionEntity> {
  const { model } = await train(
    { algorithm: 'cart', hyperparameters: maxDepth === null ? {} : { maxDepth }, seed: 3 },
    {
      kind: 'tabular',
      features: { data: DATA.features, nRows: DATA.nRows, nFeatures: DATA.nFeatures },
      target: Array.from(DATA.targets, (c) => CLASSES[c]),
      targetName: DATA.targetName,
      featureNames: DATA.featureNames,
    },
  );
  const saved = await model.save();
  const preprocessing = {
    format: 'slipway.preprocessing',
    formatVersion: 1,
    kind: 'tabular',
    inputs: DATA.featureNames.map((column) => ({ column, encoding: 'number' })),
    featureNames: DATA.featureNames,
    target: { column: DATA.targetName, type: 'string' },
    rows: DATA.nRows,
  };
  const files: Record<string, Uint8Array> = { ...saved.files, 'preprocessing.json': Buffer.from(JSON.stringify(preprocessing)) };
  const runId = await uow.run(ACTOR, async (tx) => {
    const experiment = await tx.experiments.create({ name: `serving-bench-${randomUUID()}`, description: '', tags: {} });
    const run = await tx.runs.create({ experimentId: experiment.id, name: 'cart', seed: 3, createdBy: 'bench', params: [], tags: {} });
    for (const [name, bytes] of Object.entries(files)) {
      const path = `model/${name}`;
      const object = await objects.put(runArtifactKey(run.id, path), Buffer.from(bytes));
      await tx.artifacts.create({ runId: run.id, path, uri: object.uri, sha256: object.sha256, sizeBytes: object.sizeBytes, contentType: 'application/json' });
    }
    return run.id;
  });
  const { version } = await new ModelRegistrar(uow, objects, signer).registerFromRun(ACTOR, 'breast-cancer', {
    runId,
    artifactPath: 'model',
    algorithm: 'cart',
    framework: 'slipway',
    inputSchema: { columns: DATA.featureNames.map((name) => ({ name, type: 'number' })), target: { name: DATA.targetName, type: 'string' } },
  });
  return version;
}

/**
 * The digits CNN as an image training job makes it: the images as the stored bundle the built-in sample uploads, read
 * back by readTrainingImages (pixels and the image preprocessing.json), trained by train(), registered by the ModelRegistrar.
 */
async function registerCnnVersion(
  uow: UnitOfWork,
  objects: LocalObjectStore,
  signer: ArtifactSigner,
): Promise<{ version: ModelVersionEntity; inProcess: InProcessLatency }> {
  const order = Array.from({ length: DIGITS.nRows }, (_, i) => i).sort((a, b) => DIGITS.targets[a] - DIGITS.targets[b] || a - b);
  const classes = [...new Set(Array.from(DIGITS.targets, String))].sort();
  const pixels = new Uint8Array(DIGITS.nRows * 64);
  order.forEach((row, i) => pixels.set(DIGITS.features.subarray(row * 64, (row + 1) * 64), i * 64));
  const labels = order.map((row) => classes.indexOf(String(DIGITS.targets[row])));
  const header: ImageBundleHeader = { height: 8, width: 8, channels: 1, count: DIGITS.nRows, classes, source: 'sample:digits' };
  const images = await readTrainingImages([encodeImageBundle(header, labels, pixels)]);
  const { model } = await train(
    {
      algorithm: 'cnn',
      hyperparameters: { ...CNN, earlyStopping: null, validationSplit: 0 },
      evaluationPlan: { kind: 'split', testFraction: 0.2 },
      seed: 5,
    },
    images.data,
  );
  const saved = await model.save();
  const inProcess = inProcessLatency(model);
  model.dispose();
  const files: Record<string, Uint8Array> = { ...saved.files, 'preprocessing.json': Buffer.from(JSON.stringify(images.preprocessing)) };
  const runId = await uow.run(ACTOR, async (tx) => {
    const experiment = await tx.experiments.create({ name: `serving-bench-cnn-${randomUUID()}`, description: '', tags: {} });
    const run = await tx.runs.create({ experimentId: experiment.id, name: 'cnn', seed: 5, createdBy: 'bench', params: [], tags: {} });
    for (const [name, bytes] of Object.entries(files)) {
      const path = `model/${name}`;
      const object = await objects.put(runArtifactKey(run.id, path), Buffer.from(bytes));
      await tx.artifacts.create({
        runId: run.id,
        path,
        uri: object.uri,
        sha256: object.sha256,
        sizeBytes: object.sizeBytes,
        contentType: 'application/octet-stream',
      });
    }
    return run.id;
  });
  const { version } = await new ModelRegistrar(uow, objects, signer).registerFromRun(ACTOR, 'digits-cnn', {
    runId,
    artifactPath: 'model',
    algorithm: 'cnn',
    framework: 'slipway',
    inputSchema: { shape: [8, 8, 1], classLabels: classes },
  });
  return { version, inProcess };
}

type InProcessLatency = Record<number, { p50Ms: number; p99Ms: number }>;

/**
 * The model's own time, without HTTP or JSON: predictProba on one image and on 64, called in this process on the
 * same TensorFlow.js backend the replica selects (what the HTTP figures add their parsing and answering to).
 */
function inProcessLatency(model: {
  predictProba?: (input: { data: Float32Array; count: number; height: number; width: number; channels: number }) => unknown;
}) {
  const out: InProcessLatency = {};
  for (const batch of [1, CNN_BATCH]) {
    const images = { data: Float32Array.from(DIGITS.features.subarray(0, batch * 64)), count: batch, height: 8, width: 8, channels: 1 };
    for (let i = 0; i < 30; i++) model.predictProba?.(images);
    const times: number[] = [];
    for (let i = 0; i < 300; i++) {
      const started = performance.now();
      model.predictProba?.(images);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    out[batch] = { p50Ms: times[149], p99Ms: times[296] };
  }
  return out;
}

/** Digits image `r` as nested 8×8×1 arrays, the body shape both sides take. */
const digitsImage = (r: number): number[][][] =>
  Array.from({ length: 8 }, (_, y) => Array.from({ length: 8 }, (_, x) => [DIGITS.features[r * 64 + y * 8 + x]]));

/** The wrk script for the CNN: `batch` digits images per request, the dataset's images in turn. */
function imageLuaScript(batch: number): string {
  const count = Math.floor(DIGITS.nRows / batch);
  const bodies = Array.from(
    { length: count },
    (_, b) => `[==[${JSON.stringify({ inputs: Array.from({ length: batch }, (_, i) => digitsImage(b * batch + i)) })}]==]`,
  );
  return [
    `local bodies = {${bodies.join(',\n')}}`,
    'local i = 0',
    'wrk.method = "POST"',
    'wrk.headers["Content-Type"] = "application/json"',
    'request = function()',
    '  i = i % #bodies + 1',
    '  return wrk.format(nil, nil, nil, bodies[i])',
    'end',
  ].join('\n');
}

async function deploy(uow: UnitOfWork, name: string, stable: ModelVersionEntity, next?: Omit<NewDeploymentRevision, 'reason' | 'createdBy'>): Promise<void> {
  await uow.run(ACTOR, async (tx) => {
    const created = await tx.deployments.create(
      { id: randomUUID(), name, description: '', modelId: stable.modelId, trackedAlias: null, aliasPolicy: 'redeploy', rolloutPlan: null, createdBy: 'bench' },
      { action: 'CREATE', stableVersionId: stable.id, reason: 'bench', createdBy: 'bench' },
    );
    void created;
  });
  if (!next) return;
  await uow.run(ACTOR, async (tx) => {
    const current = await tx.deployments.lock(name);
    if (!current) throw new Error(`no deployment ${name}`);
    const revised = await tx.deployments.appendRevision(current.id, current.currentRevision, { ...next, reason: 'bench', createdBy: 'bench' });
    if (!revised) throw new Error(`could not revise ${name}`);
  });
}

async function waitReady(url: string, child: ChildProcess, what: string, output: () => string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}:\n${output()}`);
    const res = await fetch(url).catch(() => null);
    if (res && res.status < 500) return;
    await sleep(100);
  }
  throw new Error(`${what} was not ready within 60 s:\n${output()}`);
}

function spawnLogged(command: string, args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string } {
  const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout?.on('data', (c: Buffer) => (text = (text + c.toString()).slice(-20_000)));
  child.stderr?.on('data', (c: Buffer) => (text = (text + c.toString()).slice(-20_000)));
  return { child, output: () => text };
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(10_000)]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/** The wrk script: one row per request, the dataset's rows in turn, as `{"inputs":[[…]]}`. */
function luaScript(): string {
  const bodies = Array.from({ length: DATA.nRows }, (_, r) => `[==[${JSON.stringify({ inputs: [row(r)] })}]==]`);
  return [
    `local bodies = {${bodies.join(',\n')}}`,
    'local i = 0',
    'wrk.method = "POST"',
    'wrk.headers["Content-Type"] = "application/json"',
    'request = function()',
    '  i = i % #bodies + 1',
    '  return wrk.format(nil, nil, nil, bodies[i])',
    'end',
  ].join('\n');
}

interface WrkRun {
  target: string;
  requestsPerSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  socketErrors: string | null;
  loadAverage: number[];
}

function toMs(value: string, unit: string): number {
  const v = Number(value);
  return unit === 'us' ? v / 1000 : unit === 's' ? v * 1000 : unit === 'm' ? v * 60_000 : v;
}

function runWrk(target: string, url: string, script: string, seconds: number, connections = 32): WrkRun {
  const loadAverage = loadavg().map((l) => Math.round(l * 100) / 100);
  const result = spawnSync('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', script, url], {
    encoding: 'utf8',
    timeout: (seconds + 30) * 1000,
  });
  if (result.status !== 0) throw new Error(`wrk failed on ${target}: ${result.stderr || result.error?.message}`);
  const out = result.stdout;
  const percentile = (p: string): number => {
    const m = new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(out);
    if (!m) throw new Error(`no ${p}% latency in wrk's output:\n${out}`);
    return toMs(m[1], m[2]);
  };
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
  const total = /(\d+) requests in/.exec(out);
  if (!rps || !total) throw new Error(`unreadable wrk output:\n${out}`);
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(out);
  const socket = /Socket errors:(.*)/.exec(out);
  return {
    target,
    requestsPerSecond: Number(rps[1]),
    p50Ms: percentile('50'),
    p90Ms: percentile('90'),
    p99Ms: percentile('99'),
    requests: Number(total[1]),
    non2xx: non2xx ? Number(non2xx[1]) : 0,
    socketErrors: socket ? socket[1].trim() : null,
    loadAverage,
  };
}

/** The table rounds: reference, plain, canary and shadow, one row per request, 32 connections, order rotated per round. */
async function tableRounds(oursUrl: string, referenceUrl: string, dir: string, seconds: number, rounds: number, runs: WrkRun[]): Promise<WrkRun[]> {
  const targets: Record<string, string> = {
    reference: referenceUrl,
    plain: `${oursUrl}/v1/deployments/plain/predict`,
    canary: `${oursUrl}/v1/deployments/canary/predict`,
    shadow: `${oursUrl}/v1/deployments/shadow/predict`,
  };
  // Every side answers the same body with one prediction and its probabilities before it is loaded.
  for (const [name, url] of Object.entries(targets)) {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ inputs: [row(0)] }) });
    const body = (await res.json()) as { predictions?: unknown[]; probabilities?: unknown };
    if (res.status !== 200 || body.predictions?.length !== 1 || !body.probabilities) throw new Error(`${name} answered ${res.status}: ${JSON.stringify(body)}`);
  }
  const script = join(dir, 'one-row.lua');
  writeFileSync(script, luaScript());

  const order = Object.keys(targets);
  for (const name of order) {
    log(`warm-up ${name}`);
    runWrk(name, targets[name], script, 5);
  }
  for (let round = 0; round < rounds; round++) {
    const rotated = order.map((_, i) => order[(i + round) % order.length]);
    for (const name of rotated) {
      const result = runWrk(name, targets[name], script, seconds);
      log(
        `round ${round + 1} ${name}: ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms, ` +
          `non-2xx ${result.non2xx}, load ${result.loadAverage.join(' ')}`,
      );
      if (result.non2xx > 0 || result.socketErrors) throw new Error(`${name} failed requests under load: ${JSON.stringify(result)}`);
      runs.push(result);
    }
  }
  return runs;
}

function tableFigures(runs: WrkRun[], seconds: number, rounds: number, referenceBanner: string): BenchFigure[] {
  const med = (name: string, key: 'requestsPerSecond' | 'p50Ms' | 'p99Ms') => median(runs.filter((r) => r.target === name).map((r) => r[key]));
  const refRps = med('reference', 'requestsPerSecond');
  const plainRps = med('plain', 'requestsPerSecond');
  const canaryRps = med('canary', 'requestsPerSecond');
  const shadowRps = med('shadow', 'requestsPerSecond');
  const refP99 = med('reference', 'p99Ms');
  const plainP99 = med('plain', 'p99Ms');
  const what = `breast_cancer, one row per request, wrk -t1 -c32 -d${seconds}s, median of ${rounds}`;
  const fastapi = 'FastAPI + uvicorn + scikit-learn';
  const figures: BenchFigure[] = [
    {
      name: 'serving.table.rps',
      description: `CART (train()) on one replica, plain deployment vs ${referenceBanner.replace(/^READY \d+ /, '')}: ${what}`,
      unit: 'ops/s',
      value: plainRps,
      reference: { name: fastapi, value: refRps },
      ratio: refRps / plainRps,
      target: '≥ 2× FastAPI',
      met: plainRps >= 2 * refRps,
    },
    {
      name: 'serving.table.p99',
      description: `p99 latency under the same load (${what})`,
      unit: 'ms',
      value: plainP99,
      reference: { name: fastapi, value: refP99 },
      ratio: plainP99 / refP99,
      target: '≤ FastAPI',
      met: plainP99 <= refP99,
    },
    {
      name: 'serving.table.p50',
      description: `p50 latency under the same load (${what})`,
      unit: 'ms',
      value: med('plain', 'p50Ms'),
      reference: { name: fastapi, value: med('reference', 'p50Ms') },
      ratio: med('plain', 'p50Ms') / med('reference', 'p50Ms'),
    },
    {
      name: 'serving.canary.rps',
      description: `10% canary (GRAY_START) vs the plain deployment on the same replica: cost ${((1 - canaryRps / plainRps) * 100).toFixed(1)}% (${what})`,
      unit: 'ops/s',
      value: canaryRps,
      reference: { name: 'plain deployment', value: plainRps },
      ratio: plainRps / canaryRps,
      target: 'costs ≤ 5%',
      met: canaryRps >= 0.95 * plainRps,
    },
    {
      name: 'serving.shadow.rps',
      description: `100% shadow (SHADOW) vs the plain deployment on the same replica: cost ${((1 - shadowRps / plainRps) * 100).toFixed(1)}% (${what})`,
      unit: 'ops/s',
      value: shadowRps,
      reference: { name: 'plain deployment', value: plainRps },
      ratio: plainRps / shadowRps,
      target: 'costs ≤ 15%',
      met: shadowRps >= 0.85 * plainRps,
    },
  ];
  return figures;
}

/** Per-channel mean and population std of the digits pixels: the reference standardises its input as ours does. */
function digitsChannelStats(): { mean: number; scale: number } {
  let sum = 0;
  for (const v of DIGITS.features) sum += v;
  const mean = sum / DIGITS.features.length;
  let squares = 0;
  for (const v of DIGITS.features) squares += (v - mean) ** 2;
  return { mean, scale: Math.sqrt(squares / DIGITS.features.length) };
}

/**
 * The CNN rounds: one client (`wrk -c1`), so each figure is the latency of one request with nothing queued before
 * it, for one image per request and for batches of 64; ours (the `digits` deployment) and the PyTorch + FastAPI
 * reference alternate, order rotated per round.
 */
async function cnnRounds(
  oursUrl: string,
  dir: string,
  rounds: number,
  runs: WrkRun[],
  children: ChildProcess[],
  inProcess: InProcessLatency,
): Promise<BenchFigure[]> {
  const seconds = Number(process.env.SLIPWAY_SERVING_CNN_DURATION ?? 10);
  const port = await freePort();
  const { mean, scale } = digitsChannelStats();
  const args = [
    join(root, 'tools/bench/python/serving_cnn_torch.py'),
    String(port),
    '8',
    '8',
    '1',
    '10',
    CNN.filters.join(','),
    String(CNN.denseUnits),
    String(mean),
    String(scale),
  ];
  const torch = spawnLogged('/usr/bin/python3', args, { PATH: process.env.PATH ?? '', PYTHONUNBUFFERED: '1', OMP_NUM_THREADS: '1' });
  children.push(torch.child);
  for (let i = 0; i < 600 && !/READY/.test(torch.output()); i++) {
    if (torch.child.exitCode !== null) throw new Error(`the CNN reference exited:\n${torch.output()}`);
    await sleep(100);
  }
  const banner = /READY .*/.exec(torch.output())?.[0];
  if (!banner) throw new Error(`the CNN reference did not start:\n${torch.output()}`);
  log(`CNN reference: ${banner}`);
  const targets: Record<string, string> = { 'cnn-ours': `${oursUrl}/v1/deployments/digits/predict`, 'cnn-reference': `http://127.0.0.1:${port}/invocations` };
  for (const [name, url] of Object.entries(targets)) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ inputs: [digitsImage(0), digitsImage(1)] }),
    });
    const body = (await res.json()) as { predictions?: unknown[]; probabilities?: unknown[] | { values: unknown[] } };
    if (res.status !== 200 || body.predictions?.length !== 2 || !body.probabilities)
      throw new Error(`${name} answered ${res.status}: ${JSON.stringify(body).slice(0, 500)}`);
  }
  const scripts: Record<number, string> = {};
  for (const batch of [1, CNN_BATCH]) {
    scripts[batch] = join(dir, `images-${batch}.lua`);
    writeFileSync(scripts[batch], imageLuaScript(batch));
  }
  const order = Object.keys(targets);
  for (const name of order) for (const batch of [1, CNN_BATCH]) runWrk(`${name}-${batch}`, targets[name], scripts[batch], 3, 1);
  for (let round = 0; round < rounds; round++)
    for (const batch of [1, CNN_BATCH])
      for (const name of order.map((_, i) => order[(i + round) % order.length])) {
        const result = runWrk(`${name}-${batch}`, targets[name], scripts[batch], seconds, 1);
        log(
          `round ${round + 1} ${name} batch ${batch}: ${(result.requestsPerSecond * batch).toFixed(0)} images/s, p50 ${result.p50Ms.toFixed(2)} ms, ` +
            `p99 ${result.p99Ms.toFixed(2)} ms, non-2xx ${result.non2xx}, load ${result.loadAverage.join(' ')}`,
        );
        if (result.non2xx > 0 || result.socketErrors) throw new Error(`${name} failed requests: ${JSON.stringify(result)}`);
        runs.push(result);
      }
  const med = (target: string, key: 'requestsPerSecond' | 'p50Ms' | 'p99Ms') => median(runs.filter((r) => r.target === target).map((r) => r[key]));
  const reference = `PyTorch ${/torch=(\S+)/.exec(banner)?.[1] ?? ''} + FastAPI + uvicorn (same CNN)`;
  const figures: BenchFigure[] = [];
  for (const [batch, label] of [
    [1, 'single'],
    [CNN_BATCH, 'batch64'],
  ] as const) {
    const what = `digits CNN (8×8×1, filters ${CNN.filters.join('/')}, ${CNN.denseUnits} dense), ${batch} image${batch > 1 ? 's' : ''} per request, wrk -t1 -c1 -d${seconds}s, median of ${rounds}`;
    for (const key of ['p50Ms', 'p99Ms'] as const) {
      const value = med(`cnn-ours-${batch}`, key);
      const ref = med(`cnn-reference-${batch}`, key);
      figures.push({
        name: `serving.cnn.${label}.${key === 'p50Ms' ? 'p50' : 'p99'}`,
        description: `${key === 'p50Ms' ? 'p50' : 'p99'} latency per request: ${what}`,
        unit: 'ms',
        value,
        reference: { name: reference, value: ref },
        ratio: value / ref,
      });
    }
    const images = med(`cnn-ours-${batch}`, 'requestsPerSecond') * batch;
    const refImages = med(`cnn-reference-${batch}`, 'requestsPerSecond') * batch;
    figures.push({
      name: `serving.cnn.${label}.tfjs_in_process_p50`,
      description: `predictProba alone (no HTTP, no JSON) in the bench process, same backend, ${batch} image${batch > 1 ? 's' : ''} per call, p50 of 300 calls (p99 ${inProcess[batch]?.p99Ms.toFixed(2)} ms)`,
      unit: 'ms',
      value: inProcess[batch]?.p50Ms ?? Number.NaN,
      reference: null,
      ratio: null,
    });
    figures.push({
      name: `serving.cnn.${label}.images_per_s`,
      description: `images/s answered by one client: ${what}`,
      unit: 'ops/s',
      value: images,
      reference: { name: reference, value: refImages },
      ratio: refImages / images,
    });
  }
  return figures;
}

export const run: BenchSuite = async () => {
  if (spawnSync('wrk', ['--version'], { encoding: 'utf8' }).error) throw new Error('wrk is not installed (apt-get install -y wrk)');
  const seconds = Number(process.env.SLIPWAY_SERVING_DURATION ?? 15);
  const rounds = Number(process.env.SLIPWAY_SERVING_ROUNDS ?? 3);
  const dir = mkdtempSync(join(tmpdir(), 'slipway-serving-bench-'));
  const server = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: await freePort() });
  let uow: UnitOfWork | undefined;
  let ours: ChildProcess | undefined;
  let reference: ChildProcess | undefined;
  const references: ChildProcess[] = [];
  try {
    await ensureDatabase(server.adminUrl, 'serving');
    const databaseUrl = server.urlFor('serving');
    await applyMigrations(databaseUrl, join(root, 'prisma', 'migrations'));
    const env = {
      DATABASE_URL: databaseUrl,
      SLIPWAY_HOME: join(dir, 'home'),
      SLIPWAY_ARTIFACT_DIR: join(dir, 'artifacts'),
      SLIPWAY_SIGNING_KEY_FILE: join(dir, 'signing-key.pem'),
      SLIPWAY_LOG_LEVEL: 'warn',
    };
    uow = UnitOfWork.connect(databaseUrl, { poolSize: 2 });
    const objects = new LocalObjectStore(env.SLIPWAY_ARTIFACT_DIR);
    const signer = ArtifactSigner.loadOrCreate(env.SLIPWAY_SIGNING_KEY_FILE);
    log('training and registering two CARTs on breast_cancer');
    const v1 = await registerVersion(uow, objects, signer, null);
    const v2 = await registerVersion(uow, objects, signer, 4);
    await deploy(uow, 'plain', v1);
    await deploy(uow, 'canary', v1, { action: 'GRAY_START', stableVersionId: v1.id, canary: { versionId: v2.id, percent: 10, sticky: null } });
    await deploy(uow, 'shadow', v1, { action: 'SHADOW', stableVersionId: v1.id, shadow: { versionId: v2.id, percent: 100 } });
    const cnnOnly = process.env.SLIPWAY_SERVING_ONLY === 'cnn';
    let inProcess: InProcessLatency = {};
    const tableOnly = process.env.SLIPWAY_SERVING_ONLY === 'table';
    if (!tableOnly) {
      // Training on the backend the workers would use (the replica selects its own the same way).
      const backend = await selectBackend({ force: (process.env.SLIPWAY_TF_BACKEND as 'auto' | undefined) ?? 'auto' });
      log(`training and registering the digits CNN (${CNN.epochs} epoch, filters ${CNN.filters.join('/')}) on ${backend.backend}`);
      const cnn = await registerCnnVersion(uow, objects, signer);
      inProcess = cnn.inProcess;
      log(
        `tfjs in-process predictProba: ${Object.entries(inProcess)
          .map(([b, t]) => `batch ${b} p50 ${t.p50Ms.toFixed(2)} ms p99 ${t.p99Ms.toFixed(2)} ms`)
          .join('; ')}`,
      );
      await deploy(uow, 'digits', cnn.version);
    }

    // SLIPWAY_SERVING_CPU_PROF=<dir>: the replica writes a V8 CPU profile there when it stops (to find its hot path).
    const profileDir = process.env.SLIPWAY_SERVING_CPU_PROF;
    const cpuProfile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
    const servingPort = await freePort();
    const servingProcess = spawnLogged(process.execPath, [...cpuProfile, '--import', 'tsx', join(root, 'apps/serving/src/main.ts')], {
      PATH: process.env.PATH ?? '',
      NODE_OPTIONS: '',
      SLIPWAY_SERVING_PORT: String(servingPort),
      ...env,
    });
    ours = servingProcess.child;
    const oursUrl = `http://127.0.0.1:${servingPort}`;
    await waitReady(`${oursUrl}/v2/health/ready`, ours, 'the serving replica', servingProcess.output);

    const referencePort = await freePort();
    const referenceProcess = spawnLogged('/usr/bin/python3', [join(root, 'tools/bench/python/serving_fastapi.py'), String(referencePort)], {
      PATH: process.env.PATH ?? '',
      PYTHONUNBUFFERED: '1',
    });
    reference = referenceProcess.child;
    references.push(reference);
    const referenceUrl = `http://127.0.0.1:${referencePort}/invocations`;
    for (let i = 0; i < 600 && !/READY/.test(referenceProcess.output()); i++) {
      if (reference.exitCode !== null) throw new Error(`the reference exited:\n${referenceProcess.output()}`);
      await sleep(100);
    }
    const referenceBanner = /READY .*/.exec(referenceProcess.output())?.[0] ?? '';
    if (!referenceBanner) throw new Error(`the reference did not start:\n${referenceProcess.output()}`);
    log(`reference: ${referenceBanner}`);

    const runs: WrkRun[] = [];
    const figures: BenchFigure[] = [];
    if (!cnnOnly) figures.push(...tableFigures(await tableRounds(oursUrl, referenceUrl, dir, seconds, rounds, runs), seconds, rounds, referenceBanner));
    if (!tableOnly) figures.push(...(await cnnRounds(oursUrl, dir, rounds, runs, references, inProcess)));
    mkdirSync(join(root, 'dist', 'bench'), { recursive: true });
    writeFileSync(
      join(root, 'dist', 'bench', 'RESULTS-serving.json'),
      JSON.stringify({ date: new Date().toISOString(), node: process.version, reference: referenceBanner, seconds, rounds, runs }, null, 2) + '\n',
    );
    return figures;
  } finally {
    await stop(ours);
    for (const child of references) await stop(child);
    await uow?.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
};
