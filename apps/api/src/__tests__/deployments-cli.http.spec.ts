import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { findWorkspaceRoot } from '@slipway/config';
import { deploymentMetricsSchema, deploymentRevisionListSchema, deploymentSchema, predictResponseSchema, type DeploymentView } from '@slipway/contracts';
import { train } from '@slipway/ml-algorithms';
import { loadBuiltinDataset } from '@slipway/ml-datasets';
import { freePort, useTestDatabase, waitFor } from '@slipway/testing';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { runSlipwayCli } from './support/repo-process';
import { createModel, json, uploadVersion } from './registry-fixtures';

const root = findWorkspaceRoot(__dirname);
const IRIS = loadBuiltinDataset('iris');
const SPECIES = ['setosa', 'versicolor', 'virginica'];
const irisRow = (r: number) => Object.fromEntries(IRIS.featureNames.map((name, j) => [name, IRIS.features[r * IRIS.nFeatures + j]]));

/** A servable version through the API's upload route: a CART trained on iris (species names as labels) with its preprocessing.json. */
async function uploadIrisVersion(api: ApiTestApp, maxDepth: number): Promise<number> {
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
  const files: Record<string, Buffer> = { 'preprocessing.json': Buffer.from(JSON.stringify(preprocessing)) };
  for (const [name, bytes] of Object.entries(saved.files)) files[name] = Buffer.from(bytes);
  const version = await uploadVersion(api, 'iris', files, {
    algorithm: 'cart',
    framework: 'slipway',
    inputSchema: { columns: IRIS.featureNames.map((name) => ({ name, type: 'number' })), target: { name: IRIS.targetName, type: 'string' } },
  });
  return version.version;
}

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * `slipway deploy …` and `slipway predict` as users run them (CLI processes) against the real API and a real
 * serving process on the same database and artifact folder.
 */
describe('slipway deploy | predict against the real API and a serving process', () => {
  const db = useTestDatabase();
  let api: ApiTestApp;
  let home: string;
  let env: Record<string, string>;
  let serving: { child: ChildProcess; url: string; output: () => string; exited: Promise<unknown> };

  /** The CLI as a user runs it (apps/cli/src/main.ts through tsx), `stdin` written to its standard input. */
  const cli = async (args: string[], stdin?: string, extraEnv: Record<string, string> = {}): Promise<CliRun> => {
    const { code, stdout, stderr } = await runSlipwayCli(args, { ...env, ...extraEnv }, stdin ?? '');
    return { code: code ?? -1, stdout, stderr };
  };
  const current = async (name: string): Promise<DeploymentView> =>
    deploymentSchema.parse(await json(await api.request(`/api/v1/deployments/${name}`, { role: 'viewer' }), 200));
  const revisions = async (name: string) =>
    deploymentRevisionListSchema.parse(await json(await api.request(`/api/v1/deployments/${name}/revisions?limit=200`, { role: 'viewer' }), 200)).revisions;
  /** Waits until the serving replica answers at `revision` (it follows revisions by NOTIFY, with polling behind). */
  const servingAt = (name: string, revision: number) =>
    waitFor(
      async () => {
        const res = await fetch(`${serving.url}/v1/deployments/${name}/predict`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ inputs: [irisRow(0)] }),
        });
        return res.status === 200 && Number(res.headers.get('x-slipway-revision')) === revision ? true : undefined;
      },
      { what: `serving answers ${name} at revision ${revision}; serving output: ${serving.output().slice(-2000)}`, timeoutMs: 30_000, intervalMs: 100 },
    );

  beforeAll(async () => {
    api = await startApiTestApp(db.url);
    home = mkdtempSync(join(tmpdir(), 'slipway-deployments-cli-'));
    await createModel(api, 'iris');
    // Depth 1 tells only setosa apart; depth 4 all three species: the two versions answer differently.
    expect(await uploadIrisVersion(api, 1)).toBe(1);
    expect(await uploadIrisVersion(api, 4)).toBe(2);
    const store = api.config.objectStore;
    if (store.kind !== 'local') throw new Error('the test API stores artifacts in a local folder');
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'apps/serving/src/main.ts')], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_OPTIONS: '',
        DATABASE_URL: db.url,
        SLIPWAY_HOME: join(home, 'serving-home'),
        SLIPWAY_ARTIFACT_DIR: store.rootDir,
        SLIPWAY_SIGNING_KEY_FILE: api.config.signingKeyFile,
        SLIPWAY_SERVING_PORT: String(port),
        SLIPWAY_SERVING_POLL_MS: '1000',
        SLIPWAY_LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    serving = { child, url: `http://127.0.0.1:${port}`, output: () => output, exited: new Promise((resolve) => child.on('exit', resolve)) };
    env = { HOME: home, SLIPWAY_API_URL: api.baseUrl, SLIPWAY_TOKEN: api.tokens.editor, SLIPWAY_SERVING_URL: serving.url };
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`serving exited:\n${output}`);
        return (await fetch(`${serving.url}/v2/health/ready`).catch(() => null))?.status === 200 ? true : undefined;
      },
      { what: 'the serving process is ready', timeoutMs: 60_000, intervalMs: 100 },
    );
  });
  afterAll(async () => {
    if (serving && serving.child.exitCode === null) {
      serving.child.kill('SIGTERM');
      await serving.exited;
    }
    await api?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('creates a deployment, refusing bad flags before sending and showing the API’s refusal with its field', async () => {
    expect(await cli(['deploy', 'create', 'flowers', '--model', 'iris'])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('give exactly one of --version and --alias'),
    });
    expect(await cli(['deploy', 'create', 'flowers', '--model', 'iris', '--version', '1', '--follow'])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('--follow needs --alias'),
    });
    expect(await cli(['deploy', 'create', 'flowers', '--model', 'iris', '--version', '1', '--steps', '50,10', '--interval', '60'])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('steps must increase'),
    });
    const missing = await cli(['deploy', 'create', 'flowers', '--model', 'iris', '--version', '9']);
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringContaining('NOT_FOUND: Model "iris" has no version 9 (body.version: no such version)') });
    const viewer = await cli(['deploy', 'create', 'flowers', '--model', 'iris', '--version', '1'], undefined, { SLIPWAY_TOKEN: api.tokens.viewer });
    expect(viewer).toMatchObject({ code: 1, stderr: expect.stringContaining('PERMISSION_DENIED') });
    expect((await cli(['deploy', 'list', '--json'])).stdout.trim()).toBe('[]');

    const created = await cli([
      'deploy',
      'create',
      'flowers',
      '--model',
      'iris',
      '--version',
      '1',
      '--description',
      'iris species',
      '--reason',
      'first',
      '--json',
    ]);
    expect(created).toMatchObject({ code: 0, stderr: '' });
    expect(deploymentSchema.parse(JSON.parse(created.stdout))).toMatchObject({
      name: 'flowers',
      status: 'ACTIVE',
      currentRevision: 1,
      revision: { action: 'CREATE', stable: { version: 1 }, canary: null, reason: 'first', createdBy: 'test-editor' },
    });
    const list = await cli(['deploy', 'list']);
    expect(list.stdout).toMatch(/^NAME\s+STATUS\s+MODEL\s+REVISION\s+TRAFFIC\s+UPDATED\nflowers\s+ACTIVE\s+iris\s+1\s+v1 100% stable\s/);
  });

  it('predicts from a file and from stdin, naming the version that answered; a bad row is the serving 400 with its field', async () => {
    const rows = join(home, 'rows.json');
    writeFileSync(rows, JSON.stringify([irisRow(0), IRIS.featureNames.map((n) => irisRow(120)[n])]));
    await servingAt('flowers', 1);
    const answered = await cli(['predict', 'flowers', '-f', rows]);
    expect(answered).toMatchObject({ code: 0, stderr: '' });
    const [headline, ...table] = answered.stdout.trimEnd().split('\n');
    expect(headline).toMatch(/^flowers revision 1: iris version 1 \(stable\) answered 2 row\(s\), request [0-9a-f-]{36}\.\d+\.\d+$/);
    expect(table[0]).toMatch(/^ROW\s+PREDICTION\s+P\(setosa\)\s+P\(versicolor\)\s+P\(virginica\)$/);
    expect(table[1]).toMatch(/^0\s+setosa\s+1\s+0\s+0$/);
    expect(table).toHaveLength(3);

    const json = await cli(
      ['predict', 'flowers', '-f', '-', '--json', '--request-id', 'cli-req-1', '--no-probabilities'],
      JSON.stringify({ inputs: [irisRow(0)] }),
    );
    expect(json.code).toBe(0);
    expect(predictResponseSchema.parse(JSON.parse(json.stdout))).toEqual({
      deployment: 'flowers',
      revision: 1,
      model: 'iris',
      version: 1,
      role: 'stable',
      predictions: ['setosa'],
      probabilities: null,
      requestId: 'cli-req-1',
    });

    const badRow = await cli(['predict', 'flowers', '-f', '-'], JSON.stringify([{ ...irisRow(0), [IRIS.featureNames[1]]: 'wide' }]));
    expect(badRow.code).toBe(1);
    expect(badRow.stderr).toMatch(/^error: INVALID_ARGUMENT: .*body\.inputs\.0/m);
    expect(await cli(['predict', 'flowers', '-f', '-'], '[\n  {"a": 1,}\n]')).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('-f stdin: not valid JSON: line 2 column 11'),
    });
    expect(await cli(['predict', 'nowhere', '-f', rows])).toMatchObject({ code: 1, stderr: expect.stringContaining('NOT_FOUND') });
    const down = await cli(['predict', 'flowers', '-f', rows, '--serving-url', `http://127.0.0.1:${await freePort()}`]);
    expect(down).toMatchObject({ code: 1, stderr: expect.stringContaining('UNAVAILABLE: cannot reach the Slipway serving process at http://127.0.0.1:') });
  });

  it('starts a sticky canary, shows it in status, predicts per sticky key on one version, promotes and shows the history', async () => {
    const canary = await cli(['deploy', 'canary', 'flowers', '--version', '2', '--percent', '50', '--sticky', 'header:x-user', '--reason', 'try depth 4']);
    expect(canary.code).toBe(0);
    expect(canary.stdout.split('\n')).toEqual([
      'flowers ACTIVE: model iris',
      expect.stringMatching(/^revision 2 \(GRAY_START by test-editor, .*\): try depth 4$/),
      'traffic: v1 50% stable | v2 50% canary (sticky header:x-user)',
      '',
    ]);
    await servingAt('flowers', 2);
    // --header reaches the serving process: one sticky key lands on one version, and the answer says which.
    const sticky = await Promise.all(
      ['ann', 'ann'].map(async (key) => {
        const run = await cli(['predict', 'flowers', '-f', '-', '--json', '--header', `x-user=${key}`], JSON.stringify([irisRow(0)]));
        return predictResponseSchema.parse(JSON.parse(run.stdout));
      }),
    );
    expect(sticky[0].revision).toBe(2);
    expect(sticky[1].version).toBe(sticky[0].version);
    expect(sticky[0].role).toBe(sticky[0].version === 2 ? 'canary' : 'stable');

    const status = await cli(['deploy', 'status', 'flowers']);
    expect(status.stdout).toContain('traffic: v1 50% stable | v2 50% canary (sticky header:x-user)');
    expect(status.stdout).toMatch(/events \(newest first\):\n {2}\S+ \S+ {2}\S+ \(revision 2\): Canary: version 2 takes 50% of traffic \(sticky\)/);
    // What the replica counted (flushed every 2 s): the stable version has answered since the previous test.
    expect(status.stdout).toContain('traffic over the last 15 minutes:\n');
    expect(status.stdout).toMatch(/\n {2}v1 stable: \d+ requests, 0% errors, p99 [\d.]+ ms\n/);
    const statusJson = JSON.parse((await cli(['deploy', 'status', 'flowers', '--json', '--events', '1'])).stdout) as {
      deployment: unknown;
      events: unknown[];
      metrics: unknown;
    };
    expect(deploymentSchema.parse(statusJson.deployment).currentRevision).toBe(2);
    expect(statusJson.events).toHaveLength(1);
    expect(deploymentMetricsSchema.parse(statusJson.metrics).deployment).toBe('flowers');

    const promoted = await cli(['deploy', 'promote', 'flowers', '--reason', 'depth 4 is better', '--json']);
    expect(deploymentSchema.parse(JSON.parse(promoted.stdout))).toMatchObject({
      currentRevision: 3,
      revision: { action: 'PROMOTE', stable: { version: 2 }, canary: null },
    });
    await servingAt('flowers', 3);
    const afterPromote = await cli(['predict', 'flowers', '-f', '-'], JSON.stringify([irisRow(120)]));
    expect(afterPromote.stdout).toMatch(/^flowers revision 3: iris version 2 \(stable\) answered 1 row\(s\)/);

    const history = await cli(['deploy', 'history', 'flowers']);
    const lines = history.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^REVISION\s+ACTION\s+TRAFFIC\s+BY\s+AT\s+REASON$/);
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/).slice(0, 4))).toEqual([
      ['3', 'PROMOTE', 'v2 100% stable', 'test-editor'],
      ['2', 'GRAY_START', 'v1 50% stable | v2 50% canary (sticky header:x-user)', 'test-editor'],
      ['1', 'CREATE', 'v1 100% stable', 'test-editor'],
    ]);
  });

  it('two CLIs racing on one revision: one wins, the other is told who changed it and what it is now, exit 3', async () => {
    const base = (await current('flowers')).currentRevision;
    const [rollback, canary] = await Promise.all([
      cli(['deploy', 'rollback', 'flowers', '--revision', String(base), '--reason', 'back to v1']),
      cli(['deploy', 'canary', 'flowers', '--version', '1', '--percent', '10', '--revision', String(base)]),
    ]);
    const runs = [rollback, canary];
    expect(runs.map((r) => r.code).sort()).toEqual([0, 3]);
    const loser = runs[runs[0].code === 3 ? 0 : 1];
    const now = await current('flowers');
    expect(now.currentRevision).toBe(base + 1);
    expect(loser.stderr).toContain(
      `based on a stale revision: changed meanwhile by test-editor: now revision ${base + 1} (${now.revision.action} by test-editor`,
    );
    expect(loser.stderr).toContain(`traffic: ${now.revision.canary ? 'v2 90% stable | v1 10% canary (random)' : 'v1 100% stable'}`);
    // One linear history: the loser wrote nothing.
    expect((await revisions('flowers')).map((r) => r.revision)).toEqual([base + 1, base, base - 1, base - 2]);

    // Without --revision the CLI reads the current one first: acting on what is there now succeeds.
    const abort = now.revision.canary
      ? await cli(['deploy', 'abort', 'flowers'])
      : await cli(['deploy', 'canary', 'flowers', '--version', '2', '--percent', '10']);
    expect(abort.code).toBe(0);
    // A refusal that is not a stale revision (nothing to promote) is the API's CONFLICT, exit 1.
    if (now.revision.canary) {
      const nothing = await cli(['deploy', 'promote', 'flowers']);
      expect(nothing).toMatchObject({ code: 1, stderr: expect.stringContaining('has no canary to promote') });
    }
  });

  it('shadows a version and stops, refusing contradictory flags', async () => {
    const before = await current('flowers');
    if (before.revision.canary) expect((await cli(['deploy', 'abort', 'flowers'])).code).toBe(0);
    const stable = (await current('flowers')).revision.stable.version;
    const other = stable === 1 ? 2 : 1;
    expect(await cli(['deploy', 'shadow', 'flowers'])).toMatchObject({ code: 1, stderr: expect.stringContaining('give --version (to shadow it) or --off') });
    expect(await cli(['deploy', 'shadow', 'flowers', '--off', '--percent', '5'])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('--percent goes with --version'),
    });
    const on = await cli(['deploy', 'shadow', 'flowers', '--version', String(other), '--percent', '25']);
    expect(on.stdout).toContain(`traffic: v${stable} 100% stable; shadow v${other} gets a copy of 25%`);
    const off = await cli(['deploy', 'shadow', 'flowers', '--off', '--json']);
    expect(deploymentSchema.parse(JSON.parse(off.stdout)).revision).toMatchObject({ action: 'SHADOW', shadow: null });
  });

  it('starts a rollout from a plan file and flags, shows its progress, and --wait follows it to a rollback (exit 1) or a promotion (exit 0)', async () => {
    const stable = (await current('flowers')).revision.stable.version;
    const other = stable === 1 ? 2 : 1;
    const plan = join(home, 'plan.yaml');
    writeFileSync(plan, ['steps: [10, 25, 50]', 'intervalSeconds: 3600', 'gates:', '  maxErrorRate: 0.05'].join('\n'));
    const started = await cli(['deploy', 'rollout', 'flowers', '--version', String(other), '--plan', plan, '--min-requests', '20', '--max-p99-ratio', '1.5']);
    expect(started.code).toBe(0);
    expect(started.stdout).toContain('flowers ROLLING_OUT: model iris');
    expect(started.stdout).toContain(`traffic: v${stable} 90% stable | v${other} 10% canary (random)`);
    expect(started.stdout).toMatch(
      /rollout step 1\/3: \[10%\] → 25% → 50% → promote; step since .*, next analysis \S+; gates: error rate ≤ 0.05, p99 ≤ 1.5× stable; at least 20 canary requests a step, every 3600 s/,
    );
    expect((await current('flowers')).revision.rolloutPlan).toEqual({
      steps: [10, 25, 50],
      intervalSeconds: 3600,
      minRequestsPerStep: 20,
      gates: { maxErrorRate: 0.05, maxP99LatencyRatio: 1.5 },
    });

    // A second rollout while one runs: the API's refusal, exit 1.
    expect((await cli(['deploy', 'rollout', 'flowers', '--version', String(other), '--steps', '50', '--interval', '60'])).code).toBe(1);

    // --wait on a fresh rollout, ended by someone else's rollback: the watcher prints the event and exits 1.
    expect((await cli(['deploy', 'abort', 'flowers'])).code).toBe(0);
    const waiting = cli(['deploy', 'rollout', 'flowers', '--version', String(other), '--steps', '10,50', '--interval', '3600', '--wait', '--poll', '100']);
    await waitFor(async () => ((await current('flowers')).status === 'ROLLING_OUT' ? true : undefined), { what: 'the rollout started' });
    expect((await cli(['deploy', 'rollback', 'flowers', '--reason', 'not today'])).code).toBe(0);
    const rolledBack = await waiting;
    expect(rolledBack.code).toBe(1);
    expect(rolledBack.stderr).toContain('following the rollout');
    expect(rolledBack.stderr).toMatch(/\(revision \d+\): Canary of version \d rolled back/);
    expect(rolledBack.stderr).toContain('rollout of flowers rolled back');

    const promoting = cli([
      'deploy',
      'rollout',
      'flowers',
      '--version',
      String(other),
      '--steps',
      '10,50',
      '--interval',
      '3600',
      '--wait',
      '--poll',
      '100',
      '--json',
    ]);
    await waitFor(async () => ((await current('flowers')).status === 'ROLLING_OUT' ? true : undefined), { what: 'the second rollout started' });
    expect((await cli(['deploy', 'promote', 'flowers'])).code).toBe(0);
    const promoted = await promoting;
    expect(promoted.code).toBe(0);
    expect(deploymentSchema.parse(JSON.parse(promoted.stdout))).toMatchObject({
      status: 'ACTIVE',
      revision: { action: 'PROMOTE', stable: { version: other } },
    });
    expect(promoted.stderr).toMatch(/promoted to stable/);
  });
});
