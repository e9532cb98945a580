/**
 * The rollout loop on real processes: a serving replica answering and counting (apps/serving/src/main.ts), a worker
 * whose analyser reads what it counted (apps/worker/src/main.ts), one Postgres, versions trained by train() and
 * registered by the ModelRegistrar. Nothing is planted: every count the analyser judges came through serving.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ArtifactSigner } from '@slipway/artifacts';
import { findWorkspaceRoot } from '@slipway/config';
import { UnitOfWork, type ModelVersionEntity } from '@slipway/db';
import { loadModel, train } from '@slipway/ml-algorithms';
import { LocalObjectStore } from '@slipway/storage';
import { expectNamed } from '@slipway/testing-matchers';
import { connectTestSql, useTestDatabase, waitFor, type TestSql } from '@slipway/testing';
import {
  createDeployment,
  csvProfile,
  IRIS,
  irisRow,
  postJson,
  registerIrisVersion,
  registerVersion,
  revise,
  spawnServing,
  stopServing,
  type ServingReplica,
} from './support/serving-fixtures';

const INTERVAL_SECONDS = 4;
/** The worker's sweep period (ANALYSIS_SWEEP_SECONDS) and slack for a loaded machine. */
const SWEEP_AND_SLACK_SECONDS = 2 + 3;
const root = findWorkspaceRoot(__dirname);
const database = useTestDatabase();

/** Iris' first three measurements predicting petal width: the regression the NN versions learn. */
const INPUTS = IRIS.featureNames.slice(0, 3);
const TARGET = IRIS.featureNames[3];
const rowOf = (r: number) => Object.fromEntries(INPUTS.map((c) => [c, irisRow(r)[c]]));

function spawnWorker(env: Record<string, string>): { child: ChildProcessWithoutNullStreams; output: () => string; ready: Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'apps/worker/src/main.ts')], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', NODE_OPTIONS: '', SLIPWAY_TF_BACKEND: 'cpu', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('connected to the job queue')) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready:\n${output}`)));
  });
  ready.catch(() => undefined);
  return { child, output: () => output, ready };
}

describe('rollouts judged on real serving traffic', () => {
  let dir: string;
  let uow: UnitOfWork;
  let sql: TestSql;
  let objects: LocalObjectStore;
  let signer: ArtifactSigner;
  let serving: ServingReplica;
  let worker: ReturnType<typeof spawnWorker>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'slipway-rollout-'));
    const env = {
      DATABASE_URL: database.url,
      SLIPWAY_HOME: join(dir, 'home'),
      SLIPWAY_ARTIFACT_DIR: join(dir, 'artifacts'),
      SLIPWAY_SIGNING_KEY_FILE: join(dir, 'signing-key.pem'),
      SLIPWAY_SERVING_POLL_MS: '60000',
      SLIPWAY_LOG_LEVEL: 'warn',
    };
    uow = UnitOfWork.connect(database.url, { poolSize: 3 });
    sql = connectTestSql(database.url);
    objects = new LocalObjectStore(env.SLIPWAY_ARTIFACT_DIR);
    signer = ArtifactSigner.loadOrCreate(env.SLIPWAY_SIGNING_KEY_FILE);
    worker = spawnWorker({ DATABASE_URL: database.url, SLIPWAY_HOME: join(dir, 'worker-home') });
    serving = await spawnServing(env);
    await worker.ready;
  });
  afterAll(async () => {
    await stopServing(serving);
    if (worker?.child.exitCode === null) worker.child.kill('SIGKILL');
    await uow?.close();
    await sql?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const predict = (name: string, row: unknown) => postJson(`${serving.url}/v1/deployments/${name}/predict`, { inputs: [row] });
  const history = (id: string) =>
    sql.query<{ revision: number; action: string; created_at: Date; stable_version_id: string; canary_version_id: string | null }>(
      `SELECT revision, action::text AS action, created_at, stable_version_id, canary_version_id FROM deployment_revisions WHERE deployment_id = $1 ORDER BY revision`,
      [id],
    );
  const events = (id: string) =>
    sql.query<{ type: string; data: Record<string, unknown> }>(
      `SELECT type, data FROM deployment_events WHERE deployment_id = $1 AND type LIKE 'analysis.%' ORDER BY id`,
      [id],
    );

  async function startRollout(name: string, canary: ModelVersionEntity, gates: Record<string, number>): Promise<Date> {
    await revise(uow, name, {
      action: 'GRAY_START',
      stableVersionId: (
        await sql.one<{ v: string }>(
          `SELECT r.stable_version_id AS v FROM deployments d JOIN deployment_revisions r ON r.deployment_id = d.id AND r.revision = d.current_revision WHERE d.name = $1`,
          [name],
        )
      ).v,
      canary: { versionId: canary.id, percent: 50, sticky: null },
      rolloutPlan: { steps: [50], intervalSeconds: INTERVAL_SECONDS, minRequestsPerStep: 40, gates },
      rolloutStep: 0,
      status: 'ROLLING_OUT',
    });
    return (
      await sql.one<{ at: Date }>(`SELECT max(r.created_at) AS at FROM deployment_revisions r JOIN deployments d ON d.id = r.deployment_id WHERE d.name = $1`, [
        name,
      ])
    ).at;
  }

  /** Sends rows one request at a time until the rollout leaves ROLLING_OUT; every answer's status and role. */
  async function trafficUntilDecided(id: string, name: string, rows: (r: number) => unknown): Promise<{ status: number; role?: string; body: unknown }[]> {
    const answers: { status: number; role?: string; body: unknown }[] = [];
    const deadline = Date.now() + (INTERVAL_SECONDS + SWEEP_AND_SLACK_SECONDS + 10) * 1000;
    for (let r = 0; Date.now() < deadline; r++) {
      const answer = await predict(name, rows(r % IRIS.nRows));
      answers.push({ status: answer.status, role: (answer.body as { role?: string }).role, body: answer.body });
      if (r % 20 === 19 && (await sql.one<{ s: string }>(`SELECT status::text AS s FROM deployments WHERE id = $1`, [id])).s !== 'ROLLING_OUT') break;
    }
    return answers;
  }

  it('rolls back a canary whose network overflows on some inputs within one interval, stable answering 200 throughout', async () => {
    const features = { data: new Float64Array(IRIS.nRows * 3), nRows: IRIS.nRows, nFeatures: 3 };
    const target: number[] = [];
    for (let r = 0; r < IRIS.nRows; r++) {
      INPUTS.forEach((c, j) => (features.data[r * 3 + j] = irisRow(r)[c]));
      target.push(irisRow(r)[TARGET]);
    }
    const { model } = await train(
      {
        algorithm: 'nn-regression',
        hyperparameters: {
          hiddenLayers: [{ units: 8, activation: 'relu' }],
          l2: 0,
          optimizer: 'adam',
          learningRate: 0.01,
          epochs: 20,
          batchSize: 32,
          validationSplit: 0,
          earlyStopping: null,
        },
        seed: 5,
      },
      { kind: 'tabular', features, target, targetName: TARGET, featureNames: INPUTS },
    );
    const saved = await model.save();
    model.dispose();
    const preprocessing = Buffer.from(
      JSON.stringify({
        format: 'slipway.preprocessing',
        formatVersion: 1,
        kind: 'tabular',
        inputs: INPUTS.map((column) => ({ column, encoding: 'number' })),
        featureNames: INPUTS,
        target: { column: TARGET, type: 'number' },
        rows: IRIS.nRows,
      }),
    );
    // The overflowing canary: the same network with its output kernel scaled up, so inputs whose hidden activations
    // weigh in past float32's range come out ±Infinity (or NaN). A real, loadable model; which rows fail is read
    // from the model itself, at the smallest scale that breaks between a fifth and most of iris.
    const manifest = JSON.parse(Buffer.from(saved.files['model.json']).toString('utf8')) as {
      weightsManifest: { weights: { name: string; shape: number[] }[] }[];
    };
    const specs = manifest.weightsManifest.flatMap((m) => m.weights);
    const sizes = specs.map((w) => w.shape.reduce((a, b) => a * b, 1));
    const kernelAt = sizes.slice(0, -2).reduce((a, b) => a + b, 0);
    const kernelSize = sizes[sizes.length - 2];
    const rows = Array.from({ length: IRIS.nRows }, (_, r) => INPUTS.map((c) => irisRow(r)[c]));
    let broken: { files: Record<string, Uint8Array>; failing: number } | null = null;
    for (const scale of [1e36, 1e37, 3e37, 1e38, 3e38]) {
      const weights = new Float32Array(new Uint8Array(saved.files['weights.bin']).slice().buffer);
      for (let i = kernelAt; i < kernelAt + kernelSize; i++) weights[i] *= scale;
      if (!weights.every(Number.isFinite)) break;
      const files = { ...saved.files, 'weights.bin': new Uint8Array(weights.buffer), 'preprocessing.json': preprocessing };
      const loaded = await loadModel({ files });
      const out = Array.from(loaded.predict(rows) as Float64Array);
      loaded.dispose();
      const failing = out.filter((y) => !Number.isFinite(y)).length;
      if (failing >= IRIS.nRows / 5 && failing < IRIS.nRows * 0.9) {
        broken = { files, failing };
        break;
      }
    }
    if (!broken) throw new Error('no scale of the output kernel overflows a fraction of iris');
    const fields = {
      algorithm: 'nn-regression',
      inputSchema: { columns: INPUTS.map((name) => ({ name, type: 'number' })), target: { name: TARGET, type: 'number' } },
      trainingProfile: csvProfile(
        [...INPUTS, TARGET],
        rows.map((row, r) => [...row, target[r]]),
        TARGET,
      ),
    };
    const healthy = await registerVersion(uow, objects, signer, 'petals', { ...saved.files, 'preprocessing.json': preprocessing }, fields);
    const overflowing = await registerVersion(uow, objects, signer, 'petals', broken.files, fields);

    const id = await createDeployment(uow, 'petals', healthy);
    await waitFor(async () => ((await predict('petals', rowOf(0))).status === 200 ? true : undefined), { what: 'petals served' });
    const started = await startRollout('petals', overflowing, { maxErrorRate: 0.05 });
    const answers = await trafficUntilDecided(id, 'petals', rowOf);

    const revisions = await history(id);
    expect(revisions.map((r) => r.action)).toEqual(['CREATE', 'GRAY_START', 'AUTO_ROLLBACK']);
    const rollback = revisions[2];
    expect(rollback).toMatchObject({ stable_version_id: healthy.id, canary_version_id: null });
    expect(rollback.created_at.getTime() - started.getTime()).toBeLessThan((INTERVAL_SECONDS + SWEEP_AND_SLACK_SECONDS) * 1000);
    const [failed] = await events(id);
    expect(failed.type).toBe('analysis.failed');
    expect(failed.data).toMatchObject({ gate: 'maxErrorRate', threshold: 0.05 });
    expect(failed.data.value as number).toBeGreaterThan(0.1);
    // Stable answered every request it got; the canary's failures were 500s with the typed code.
    expect(answers.filter((a) => a.role === 'stable').every((a) => a.status === 200)).toBe(true);
    expect(answers.some((a) => a.status === 500)).toBe(true);
    expect(answers.every((a) => a.status === 200 || a.status === 500)).toBe(true);
    expect(answers.find((a) => a.status === 500)?.body).toMatchObject({
      error: { code: 'INTERNAL', message: 'model produced a non-finite prediction for row 0' },
    });
    expect(rollback.created_at.getTime() - started.getTime()).toBeGreaterThanOrEqual(INTERVAL_SECONDS * 1000 - 50);
    const bad = rowOf(answers.findIndex((a) => a.status === 500) % IRIS.nRows);
    for (let i = 0; i < 5; i++) expect((await predict('petals', bad)).status).toBe(200);
  }, 60_000);

  const sigma = (c: string) => {
    let sum = 0;
    let squares = 0;
    for (let r = 0; r < IRIS.nRows; r++) {
      sum += irisRow(r)[c];
      squares += irisRow(r)[c] ** 2;
    }
    const mean = sum / IRIS.nRows;
    return Math.sqrt(squares / IRIS.nRows - mean * mean);
  };

  it('fires maxInputDrift on inputs shifted by 3σ and stays quiet on the training rows', async () => {
    const v1 = await registerIrisVersion(uow, objects, signer, 'flowers', 1);
    const v2 = await registerIrisVersion(uow, objects, signer, 'flowers', 4);
    const shifted = (r: number) => Object.fromEntries(IRIS.featureNames.map((c) => [c, irisRow(r)[c] + 3 * sigma(c)]));
    const outcomes: Record<string, { actions: string[]; event: { type: string; data: Record<string, unknown> } }> = {};
    for (const [name, rows] of [
      ['quiet', irisRow],
      ['shifted', shifted],
    ] as const) {
      const id = await createDeployment(uow, name, v1);
      await waitFor(async () => ((await predict(name, irisRow(0))).status === 200 ? true : undefined), { what: `${name} served` });
      await startRollout(name, v2, { maxInputDrift: 0.25 });
      const answers = await trafficUntilDecided(id, name, rows);
      expect(answers.every((a) => a.status === 200)).toBe(true);
      outcomes[name] = { actions: (await history(id)).map((r) => r.action), event: (await events(id))[0] };
    }
    expectNamed(outcomes.quiet.actions, `quiet: ${JSON.stringify(outcomes.quiet.event)}`).toEqual(['CREATE', 'GRAY_START', 'PROMOTE']);
    expect(outcomes.quiet.event.type).toBe('analysis.passed');
    expect(outcomes.shifted.actions).toEqual(['CREATE', 'GRAY_START', 'AUTO_ROLLBACK']);
    expect(outcomes.shifted.event).toMatchObject({ type: 'analysis.failed', data: { gate: 'maxInputDrift', threshold: 0.25 } });
    expect(outcomes.shifted.event.data.value as number).toBeGreaterThan(1);
  }, 60_000);
});
