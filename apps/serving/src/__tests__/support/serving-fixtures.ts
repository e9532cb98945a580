import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { ArtifactSigner } from '@slipway/artifacts';
import { findWorkspaceRoot } from '@slipway/config';
import { CsvProfiler, encodeImageBundle, imageProfile, readTrainingImages, type ImageBundleHeader } from '@slipway/dataset-files';
import type { ModelVersionEntity, NewDeploymentRevision, UnitOfWork } from '@slipway/db';
import { train } from '@slipway/ml-algorithms';
import { selectBackend } from '@slipway/ml-runtime';
import { loadBuiltinDataset } from '@slipway/ml-datasets';
import { ModelRegistrar, runArtifactKey, type RegistrarActor } from '@slipway/model-registry';
import type { ObjectStore } from '@slipway/storage';
import { freePort, waitFor } from '@slipway/testing';

const root = findWorkspaceRoot(__dirname);
export const TESTER: RegistrarActor = { tokenId: null, name: 'tester', requestId: 'serving-test' };

export const IRIS = loadBuiltinDataset('iris');
const SPECIES = ['setosa', 'versicolor', 'virginica'];

/** Iris row `r` as named columns. */
export function irisRow(r: number): Record<string, number> {
  return Object.fromEntries(IRIS.featureNames.map((name, j) => [name, IRIS.features[r * IRIS.nFeatures + j]]));
}

/**
 * A real version: a CART trained by train() on iris (labels as species names), saved with its preprocessing.json
 * the way a training job writes it, logged as a run's `model/` folder and registered (copied, sealed, signed) by
 * the ModelRegistrar.
 */
export async function registerIrisVersion(
  uow: UnitOfWork,
  objects: ObjectStore,
  signer: ArtifactSigner,
  modelName: string,
  maxDepth: number,
): Promise<ModelVersionEntity> {
  const { model } = await train(
    { algorithm: 'cart', hyperparameters: { maxDepth }, seed: 3 },
    {
      kind: 'tabular',
      features: { data: IRIS.features, nRows: IRIS.nRows, nFeatures: IRIS.nFeatures },
      target: Array.from(IRIS.targets, (c) => SPECIES[c]),
      targetName: IRIS.targetName,
      featureNames: IRIS.featureNames,
    },
  );
  const saved = await model.save();
  const preprocessing = {
    format: 'slipway.preprocessing',
    formatVersion: 1,
    kind: 'tabular',
    inputs: IRIS.featureNames.map((column) => ({ column, encoding: 'number' })),
    featureNames: IRIS.featureNames,
    target: { column: IRIS.targetName, type: 'string' },
    rows: IRIS.nRows,
  };
  const files: Record<string, Uint8Array> = { ...saved.files, 'preprocessing.json': Buffer.from(JSON.stringify(preprocessing)) };
  return registerVersion(uow, objects, signer, modelName, files, {
    algorithm: 'cart',
    inputSchema: { columns: IRIS.featureNames.map((name) => ({ name, type: 'number' })), target: { name: IRIS.targetName, type: 'string' } },
    trainingProfile: irisProfile(),
  });
}

export const DIGITS = loadBuiltinDataset('digits');

/** Digits image `r` as nested 8×8×1 pixel arrays (its values as shipped, 0..16). */
export function digitsImage(r: number): number[][][] {
  return Array.from({ length: 8 }, (_, y) => Array.from({ length: 8 }, (_, x) => [DIGITS.features[r * 64 + y * 8 + x]]));
}

/**
 * A CNN version on the digits images, as an image training job makes it: the 1,797 8×8 images written as the stored
 * bundle the built-in sample uploads (`POST /api/v1/datasets/samples/digits/images`), read back by
 * readTrainingImages (pixels and the image preprocessing.json), trained by train() for `epochs` on a small network
 * (seconds on wasm), registered by the ModelRegistrar with the dataset's image profile.
 */
export async function registerDigitsCnnVersion(
  uow: UnitOfWork,
  objects: ObjectStore,
  signer: ArtifactSigner,
  modelName: string,
  epochs = 2,
): Promise<ModelVersionEntity> {
  const order = Array.from({ length: DIGITS.nRows }, (_, i) => i).sort((a, b) => DIGITS.targets[a] - DIGITS.targets[b] || a - b);
  const classes = [...new Set(Array.from(DIGITS.targets, String))].sort();
  const pixels = new Uint8Array(DIGITS.nRows * 64);
  order.forEach((row, i) => pixels.set(DIGITS.features.subarray(row * 64, (row + 1) * 64), i * 64));
  const labels = order.map((row) => classes.indexOf(String(DIGITS.targets[row])));
  const header: ImageBundleHeader = { height: 8, width: 8, channels: 1, count: DIGITS.nRows, classes, source: 'sample:digits' };
  const images = await readTrainingImages([encodeImageBundle(header, labels, pixels)]);
  // The backend a worker selects (wasm here): tfjs's pure-JS default trains this minutes instead of seconds.
  await selectBackend();
  const { model } = await train(
    {
      algorithm: 'cnn',
      hyperparameters: { filters: [16, 32, 32], denseUnits: 32, epochs, batchSize: 32, earlyStopping: null, validationSplit: 0 },
      evaluationPlan: { kind: 'split', testFraction: 0.2 },
      seed: 5,
    },
    images.data,
  );
  const saved = await model.save();
  const files: Record<string, Uint8Array> = { ...saved.files, 'preprocessing.json': Buffer.from(JSON.stringify(images.preprocessing)) };
  model.dispose();
  return registerVersion(uow, objects, signer, modelName, files, {
    algorithm: 'cnn',
    inputSchema: { shape: [8, 8, 1], classLabels: classes },
    trainingProfile: imageProfile(header, labels),
  });
}

/** Model files (a saved model and its preprocessing.json) put into a run's artifacts and registered from it by the ModelRegistrar. */
export async function registerVersion(
  uow: UnitOfWork,
  objects: ObjectStore,
  signer: ArtifactSigner,
  modelName: string,
  files: Record<string, Uint8Array>,
  fields: { algorithm: string; inputSchema: unknown; trainingProfile: unknown },
): Promise<ModelVersionEntity> {
  const runId = await uow.run(TESTER, async (tx) => {
    const experiment = await tx.experiments.create({ name: `serving-${randomUUID()}`, description: '', tags: {} });
    const run = await tx.runs.create({ experimentId: experiment.id, name: 'cart', seed: 3, createdBy: 'tester', params: [], tags: {} });
    for (const [name, bytes] of Object.entries(files)) {
      const path = `model/${name}`;
      const object = await objects.put(runArtifactKey(run.id, path), Buffer.from(bytes));
      await tx.artifacts.create({ runId: run.id, path, uri: object.uri, sha256: object.sha256, sizeBytes: object.sizeBytes, contentType: 'application/json' });
    }
    return run.id;
  });
  const registrar = new ModelRegistrar(uow, objects, signer);
  const { version } = await registrar.registerFromRun(TESTER, modelName, {
    runId,
    artifactPath: 'model',
    algorithm: fields.algorithm,
    framework: 'slipway',
    inputSchema: fields.inputSchema,
    trainingProfile: fields.trainingProfile,
  });
  return version;
}

/** Iris profiled as an uploaded CSV is: what serving bins request inputs on. */
function irisProfile(): unknown {
  const rows = Array.from({ length: IRIS.nRows }, (_, r) => [...IRIS.featureNames.map((c) => irisRow(r)[c]), SPECIES[IRIS.targets[r]]]);
  return csvProfile([...IRIS.featureNames, IRIS.targetName], rows, IRIS.targetName);
}

/** A table profiled as an uploaded CSV is. */
export function csvProfile(header: string[], rows: (string | number)[][], targetColumn: string): unknown {
  const profiler = new CsvProfiler();
  const lines = [header.join(','), ...rows.map((row) => row.join(','))];
  profiler.push(Buffer.from(`${lines.join('\n')}\n`));
  return profiler.finish({ targetColumn }).profile;
}

/** A deployment through the committed DeploymentStore, in a unit of work (revision 1 serves `stable`). */
export async function createDeployment(
  uow: UnitOfWork,
  name: string,
  stable: ModelVersionEntity,
  also: Pick<NewDeploymentRevision, 'canary' | 'shadow'> = {},
): Promise<string> {
  const id = randomUUID();
  await uow.run(TESTER, (tx) =>
    tx.deployments.create(
      { id, name, description: '', modelId: stable.modelId, trackedAlias: null, aliasPolicy: 'redeploy', rolloutPlan: null, createdBy: 'tester' },
      { action: 'CREATE', stableVersionId: stable.id, ...also, reason: 'test', createdBy: 'tester' },
    ),
  );
  return id;
}

/** The next revision of `name` (appendRevision: compare-and-set + NOTIFY in the same transaction). */
export async function revise(uow: UnitOfWork, name: string, revision: Omit<NewDeploymentRevision, 'reason' | 'createdBy'>): Promise<number> {
  return uow.run(TESTER, async (tx) => {
    const current = await tx.deployments.lock(name);
    if (!current) throw new Error(`no deployment ${name}`);
    const next = await tx.deployments.appendRevision(current.id, current.currentRevision, { ...revision, reason: 'test', createdBy: 'tester' });
    if (!next) throw new Error('lost a race the test does not run');
    return next.revision;
  });
}

export interface ServingReplica {
  child: ChildProcessWithoutNullStreams;
  port: number;
  url: string;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A serving replica as production runs it: apps/serving/src/main.ts in its own Node process, configured by the environment. */
export async function spawnServing(env: Record<string, string>, port?: number): Promise<ServingReplica> {
  const servingPort = port ?? (await freePort());
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'apps/serving/src/main.ts')], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', NODE_OPTIONS: '', SLIPWAY_SERVING_PORT: String(servingPort), ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = `http://127.0.0.1:${servingPort}`;
  let ended = false;
  void exited.then(() => (ended = true));
  await waitFor(
    async () => {
      if (ended) throw new Error(`serving exited before it was ready:\n${output}`);
      const res = await fetch(`${url}/v2/health/ready`).catch(() => null);
      return res?.status === 200 ? true : undefined;
    },
    { what: 'the serving replica is ready', timeoutMs: 60_000, intervalMs: 100 },
  );
  return { child, port: servingPort, url, output: () => output, exited };
}

export async function stopServing(replica: ServingReplica | undefined): Promise<void> {
  if (!replica || replica.child.exitCode !== null || replica.child.signalCode !== null) return;
  replica.child.kill('SIGTERM');
  await replica.exited;
}

export interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = { text };
  }
  return { status: res.status, headers: res.headers, body: parsed };
}
