import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { findWorkspaceRoot } from '@slipway/config';
import { datasetSchema, tuningStudyDetailSchema, versionSchema } from '@slipway/contracts';
import { useTestDatabase, waitFor } from '@slipway/testing';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { runSlipwayCli, startRepoProcess, startWorkerForApi, type RepoProcess } from './support/repo-process';

const root = findWorkspaceRoot(__dirname);

/**
 * `slipway studies` as a user runs it, against the real API: first without a worker (the example file, refusals
 * from the file and from the API, list/show/stop/resume), then with a real worker process on the same database and
 * artifact folder, so `create --wait` follows a study whose trials actually train (COMPLETED → 0 with its progress
 * lines, STOPPED → 2), and `register-best` registers the winner.
 */
describe('slipway studies against the real API and a real worker', () => {
  const db = useTestDatabase();
  let api: ApiTestApp;
  let home: string;
  let env: Record<string, string>;
  let worker: RepoProcess | undefined;

  const getStudy = async (name: string) =>
    tuningStudyDetailSchema.parse(await (await api.request(`/api/v1/studies/by-name/${encodeURIComponent(name)}`, { role: 'viewer' })).json());
  const file = (name: string, body: unknown) => {
    const path = join(home, name);
    writeFileSync(path, name.endsWith('.json') ? JSON.stringify(body) : String(body));
    return path;
  };
  /** A quick study for the worker: CART on iris, hold-out split, random search. */
  const quick = (name: string, maxTrials: number) => ({
    name,
    dataset: 'iris',
    algorithm: 'cart',
    searchSpace: { maxDepth: { type: 'int', low: 1, high: 6 }, criterion: { type: 'categorical', choices: ['gini', 'entropy'] } },
    objective: { metric: 'accuracy', direction: 'maximize' },
    evaluationPlan: { kind: 'split', testFraction: 0.3 },
    strategy: 'random',
    maxTrials,
    parallelism: 2,
    seed: 5,
  });

  beforeAll(async () => {
    api = await startApiTestApp(db.url);
    home = mkdtempSync(join(tmpdir(), 'slipway-studies-cli-'));
    env = { HOME: home, SLIPWAY_API_URL: api.baseUrl, SLIPWAY_TOKEN: api.tokens.editor };
    for (const sample of ['breast_cancer', 'iris'])
      datasetSchema.parse(await (await api.request(`/api/v1/datasets/samples/${sample}`, { role: 'editor', method: 'POST' })).json());
  });
  afterAll(async () => {
    if (worker && worker.child.exitCode === null) {
      worker.child.kill('SIGTERM');
      await worker.exited;
    }
    await api?.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('creates the journey-3 example CREATED, lists and shows it, stops and resumes it; refusals name the file or the field', async () => {
    const example = join(root, 'examples/studies/breast-cancer-cart.yaml');
    const created = await runSlipwayCli(['studies', 'create', '-f', example, '--no-start'], env);
    expect({ code: created.code, stderr: created.stderr }).toEqual({ code: 0, stderr: expect.stringContaining('slipway studies show breast-cancer-cart') });
    expect(created.stdout).toMatch(/^study [0-9a-f-]{36} CREATED: breast-cancer-cart \(cart on breast_cancer, 60 trials, tpe\)\n$/);
    const study = await getStudy('breast-cancer-cart');
    expect(study).toMatchObject({
      status: 'CREATED',
      dataset: { name: 'breast_cancer' },
      objective: { metric: 'f1_macro', direction: 'maximize' },
      evaluationPlan: { kind: 'kfold', folds: 5 },
      parallelism: 2,
      earlyStopping: { rule: 'median', warmupSteps: 1, minTrials: 5 },
      seed: 42,
    });
    expect(Object.keys(study.searchSpace).sort()).toEqual(['criterion', 'maxDepth', 'minSamplesLeaf']);

    const listed = await runSlipwayCli(['studies', 'list'], { ...env, SLIPWAY_TOKEN: api.tokens.viewer });
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/ID\s+NAME\s+STATUS\s+ALGORITHM\s+DATASET\s+TRIALS\s+BEST\s+CREATED\n/);
    expect(listed.stdout).toMatch(new RegExp(`${study.id}\\s+breast-cancer-cart\\s+CREATED\\s+cart\\s+breast_cancer\\s+0/60\\s+-`));
    const shown = await runSlipwayCli(['studies', 'show', 'breast-cancer-cart'], env);
    expect(shown.stdout).toContain(`study ${study.id} "breast-cancer-cart": CREATED`);
    expect(shown.stdout).toContain('cart (classification) on breast_cancer; tpe search, 5-fold CV, median pruning; maximize f1_macro');
    const json = await runSlipwayCli(['studies', 'show', study.id, '--json'], env);
    expect(tuningStudyDetailSchema.parse(JSON.parse(json.stdout)).id).toBe(study.id);

    const stopped = await runSlipwayCli(['studies', 'stop', 'breast-cancer-cart', '--reason', 'later'], env);
    expect(stopped).toMatchObject({ code: 0, stdout: `study ${study.id} STOPPED\n` });
    const resumed = await runSlipwayCli(['studies', 'resume', 'breast-cancer-cart', '--max-trials', '70'], env);
    expect(resumed).toMatchObject({ code: 0, stdout: `study ${study.id} RUNNING: 0/70 trials done, at most 5 may fail\n` });
    // Ended or running: the API's 409 says the state.
    const again = await runSlipwayCli(['studies', 'start', study.id], env);
    expect({ code: again.code, stderr: again.stderr }).toEqual({ code: 1, stderr: expect.stringMatching(/CONFLICT.*RUNNING/) });
    expect((await runSlipwayCli(['studies', 'stop', study.id], env)).stdout).toContain('STOPPING');

    const refusals: [string[], RegExp][] = [
      [['studies', 'create', '-f', join(home, 'missing.yaml')], /missing\.yaml: no such file/],
      [['studies', 'create', '-f', file('bad.yaml', 'name: [unclosed\n')], /bad\.yaml: not valid YAML/],
      [['studies', 'create', '-f', file('list.json', [1, 2])], /expected an object with the study's fields/],
      [['studies', 'create', '-f', file('nodata.json', { ...quick('nodata', 2), dataset: undefined })], /give the dataset/],
      [['studies', 'create', '-f', file('unknown.json', { ...quick('unknown', 2), dataset: 'no-such-dataset' })], /no dataset has this name/],
      [
        ['studies', 'create', '-f', file('metric.json', { ...quick('metric', 2), objective: { metric: 'r2', direction: 'maximize' } })],
        /body\.objective\.metric/,
      ],
      [
        ['studies', 'create', '-f', file('space.json', { ...quick('space', 2), searchSpace: { depth: { type: 'int', low: 1, high: 3 } } })],
        /body\.searchSpace\.depth/,
      ],
      [['studies', 'create', '-f', example], /ALREADY_EXISTS.*body\.name/],
      [['studies', 'resume', 'no-such-study'], /NOT_FOUND/],
      [['studies', 'resume', study.id, '--max-trials', '0'], /--max-trials.*expected a whole number ≥ 1/],
    ];
    for (const [args, message] of refusals) {
      const run = await runSlipwayCli(args, env);
      expect({ args, code: run.code, stderr: run.stderr }).toEqual({ args, code: 1, stderr: expect.stringMatching(message) });
    }
    const viewer = await runSlipwayCli(['studies', 'create', '-f', file('viewer.json', quick('viewer', 2))], { ...env, SLIPWAY_TOKEN: api.tokens.viewer });
    expect({ code: viewer.code, stderr: viewer.stderr }).toEqual({ code: 1, stderr: expect.stringContaining('PERMISSION_DENIED') });
  }, 300_000);

  it('--wait on a real worker: COMPLETED exits 0 after progress lines, STOPPED exits 2; show lists the trials; register-best registers the winner', async () => {
    const started = startWorkerForApi(api, db.url, home);
    worker = started;
    await started.ready;

    const done = await runSlipwayCli(['studies', 'create', '-f', file('quick.json', quick('quick', 4)), '--wait'], env);
    expect({ code: done.code, stderr: done.stderr }).toEqual({ code: 0, stderr: expect.stringMatching(/study [0-9a-f-]{36} started: quick/) });
    expect(done.stderr).toMatch(/trials 4\/4 done, best accuracy (1|0\.\d+) \(#\d\) \[COMPLETED\]\n/);
    // One line per change of what it says: no line twice in a row.
    const lines = done.stderr.trimEnd().split('\n');
    expect(lines.filter((line, i) => i > 0 && line === lines[i - 1])).toEqual([]);
    expect(done.stdout).toMatch(/study [0-9a-f-]{36} "quick" COMPLETED: 4\/4 trials, best accuracy (1|0\.\d+) \(#\d\)\n/);
    expect(done.stdout).toMatch(/best params: \{"maxDepth":\d,"criterion":"(gini|entropy)"\}/);
    const study = await getStudy('quick');
    expect(study.trials.map((t) => t.status)).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED']);
    const shown = await runSlipwayCli(['studies', 'show', 'quick'], env);
    expect(shown.stdout).toMatch(/#\s+STATE\s+VALUE\s+PARAMS\s+NOTE\n0\s+COMPLETED\s+(1|0\.\d+)\s+maxDepth=\d criterion=(gini|entropy)/);
    expect(shown.stdout.match(/^\d\s+COMPLETED\s/gm)).toHaveLength(4);

    const registered = await runSlipwayCli(['studies', 'register-best', 'quick', '--model', 'iris-tuned', '--alias', 'challenger', '--json'], env);
    expect(registered.code).toBe(0);
    expect(versionSchema.parse(JSON.parse(registered.stdout))).toMatchObject({
      model: 'iris-tuned',
      version: 1,
      status: 'READY',
      aliases: ['challenger'],
      runId: study.best?.runId,
    });

    // A long study stopped while it is watched: the watcher reports STOPPED and exits 2.
    const watching = startRepoProcess('apps/cli/src/main.ts', ['studies', 'create', '-f', file('long.json', quick('long', 500)), '--wait'], env);
    await waitFor(() => (/trials [1-9]\d*\/500 done/.test(watching.stderr()) ? true : undefined), {
      what: `a trial of the long study ends; stderr so far: ${watching.stderr()}`,
      timeoutMs: 120_000,
    });
    expect((await runSlipwayCli(['studies', 'stop', 'long', '--reason', 'enough'], env)).code).toBe(0);
    const ended = await watching.exited;
    expect(ended.code).toBe(2);
    expect(ended.stderr).toMatch(/study [0-9a-f-]{36} "long" STOPPED: \d+\/500 trials, best accuracy (1|0\.\d+) \(#\d+\): enough/);
    const long = await getStudy('long');
    expect(long.status).toBe('STOPPED');
    expect(long.trials.every((t) => t.status !== 'QUEUED' && t.status !== 'RUNNING')).toBe(true);
  }, 400_000);
});
