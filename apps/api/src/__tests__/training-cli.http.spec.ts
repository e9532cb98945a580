import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { datasetSchema, trainingJobSchema, type TrainingJobView } from '@slipway/contracts';
import { connectTestSql, type TestSql, useTestDatabase, waitFor } from '@slipway/testing';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { runSlipwayCli, startRepoProcess, startWorkerForApi, type RepoProcess } from './support/repo-process';

/**
 * `slipway train` and `slipway jobs` as a user runs them, against the real API. First with no worker (jobs stay
 * QUEUED: client-side and server-side refusals, list/show/cancel, Ctrl-C and a cancelled wait), then with a real
 * worker process on the same database and artifact folder, so `--wait` watches jobs that actually train
 * (SUCCEEDED → 0 with the evaluation and the registered version; FAILED → 1 with the error and attempts).
 */
describe('slipway train | jobs against the real API and a real worker', () => {
  const db = useTestDatabase();
  let api: ApiTestApp;
  let sql: TestSql;
  let home: string;
  let env: Record<string, string>;
  let iris: { id: string };
  let worker: RepoProcess | undefined;
  let queuedKfold: TrainingJobView;

  const jobCount = async () => Number((await sql.query<{ n: string }>('SELECT count(*) AS n FROM training_jobs'))[0].n);
  const getJob = async (id: string) => trainingJobSchema.parse(await (await api.request(`/api/v1/training-jobs/${id}`, { role: 'viewer' })).json());
  /** The id `train --wait` announces on stderr as soon as the job is queued. */
  const announcedId = (run: RepoProcess) =>
    waitFor(() => /job ([0-9a-f-]{36}) queued/.exec(run.stderr())?.[1], { what: `train announces its job; stderr so far: ${run.stderr()}`, timeoutMs: 60_000 });

  beforeAll(async () => {
    api = await startApiTestApp(db.url);
    sql = connectTestSql(db.url);
    home = mkdtempSync(join(tmpdir(), 'slipway-training-cli-'));
    env = { HOME: home, SLIPWAY_API_URL: api.baseUrl, SLIPWAY_TOKEN: api.tokens.editor };
    iris = datasetSchema.parse(await (await api.request('/api/v1/datasets/samples/iris', { role: 'editor', method: 'POST' })).json());
  });
  afterAll(async () => {
    if (worker && worker.child.exitCode === null) {
      worker.child.kill('SIGTERM');
      await worker.exited;
    }
    await sql?.close();
    await api?.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('refuses bad --param values before sending anything, naming the parameter; shows a server 400 with its field', async () => {
    const cases: [string[], RegExp][] = [
      [['--param', 'maxDepth=0'], /--param maxDepth: expected a whole number ≥ 1 and ≤ 1000, got 0/],
      [['--param', 'criterion=gni'], /--param criterion: expected one of "gini", "entropy", "squared_error", got "gni"/],
      [['--param', 'epochs=3'], /--param epochs: cart has no hyper-parameter "epochs"/],
      [['--kfold', '5', '--test-fraction', '0.2'], /give --kfold or --test-fraction, not both/],
    ];
    for (const [extra, message] of cases) {
      const refused = await runSlipwayCli(['train', '--dataset', 'iris', '--algorithm', 'cart', ...extra], env);
      expect({ extra, code: refused.code, stderr: refused.stderr }).toEqual({ extra, code: 1, stderr: expect.stringMatching(message) });
    }
    const unknownDataset = await runSlipwayCli(['train', '--dataset', 'no-such-set', '--algorithm', 'cart'], env);
    expect(unknownDataset).toMatchObject({ code: 1, stderr: expect.stringContaining('--dataset no-such-set: no dataset has this name') });
    const unknownAlgorithm = await runSlipwayCli(['train', '--dataset', 'iris', '--algorithm', 'svm'], env);
    expect(unknownAlgorithm).toMatchObject({ code: 1, stderr: expect.stringContaining('--algorithm svm: unknown; one of kmeans, cart, nn-regression, cnn') });
    expect(await jobCount()).toBe(0);

    // What only the server can know (the dataset's columns) comes back as its 400, field named.
    const badColumn = await runSlipwayCli(['train', '--dataset', 'iris', '--algorithm', 'cart', '--features', 'sepal_length_cm,petal'], env);
    expect(badColumn.code).toBe(1);
    expect(badColumn.stderr).toContain('INVALID_ARGUMENT: Dataset "iris" has no column "petal" (body.featureColumns.1: no such column)');
    const viewer = await runSlipwayCli(['train', '--dataset', 'iris', '--algorithm', 'cart'], { ...env, SLIPWAY_TOKEN: api.tokens.viewer });
    expect(viewer).toMatchObject({ code: 1, stderr: expect.stringContaining('PERMISSION_DENIED') });
    expect(await jobCount()).toBe(0);
  });

  it('queues from flags and from a YAML spec, lists, shows and cancels jobs', async () => {
    const queued = await runSlipwayCli(
      ['train', '--dataset', 'iris', '--algorithm', 'cart', '--kfold', '5', '--param', 'maxDepth=3', '--seed', '7', '--experiment', 'cli', '--json'],
      env,
    );
    expect(queued.stderr).toBe('');
    queuedKfold = trainingJobSchema.parse(JSON.parse(queued.stdout));
    expect(queuedKfold).toMatchObject({
      status: 'QUEUED',
      dataset: { id: iris.id, name: 'iris' },
      evaluationPlan: { kind: 'kfold', folds: 5, stratify: true },
      hyperparameters: { maxDepth: 3, criterion: 'gini' },
      seed: 7,
      createdBy: 'test-editor',
    });

    const spec = join(home, 'kmeans.yaml');
    writeFileSync(
      spec,
      [
        'algorithm: kmeans',
        `dataset: ${iris.id}`,
        'hyperparameters:',
        '  k: 3',
        '  init: random',
        'evaluationPlan:',
        '  kind: split',
        '  testFraction: 0.3',
        'name: clusters',
      ].join('\n'),
    );
    const fromFile = await runSlipwayCli(['train', '-f', spec, '--param', 'k=4', '--no-stratify', '--json'], env);
    expect(fromFile.code).toBe(0);
    const kmeans = trainingJobSchema.parse(JSON.parse(fromFile.stdout));
    expect(kmeans).toMatchObject({
      algorithm: 'kmeans',
      name: 'clusters',
      hyperparameters: { k: 4, init: 'random' },
      evaluationPlan: { kind: 'split', testFraction: 0.3, stratify: false },
    });
    const badSpec = join(home, 'bad.yaml');
    writeFileSync(badSpec, 'algorithm: cart\nhyperparameters: [1, 2\n');
    expect(await runSlipwayCli(['train', '-f', badSpec], env)).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/-f .*bad\.yaml: not valid YAML: .* at line 3, column 1:\n$/),
    });

    const listed = await runSlipwayCli(['jobs', 'list', '--status', 'queued', '--json'], { ...env, SLIPWAY_TOKEN: api.tokens.viewer });
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.stdout) as { jobs: { id: string }[] }).jobs.map((j) => j.id)).toEqual([kmeans.id, queuedKfold.id]);
    const table = await runSlipwayCli(['jobs', 'list', '--dataset', iris.id], env);
    expect(table.stdout).toMatch(new RegExp(`${kmeans.id}\\s+clusters\\s+QUEUED\\s+kmeans\\s+iris`));
    const shown = await runSlipwayCli(['jobs', 'show', queuedKfold.id], env);
    expect(shown.stdout).toContain(`job ${queuedKfold.id} "cart on iris": QUEUED`);
    expect(shown.stdout).toContain('algorithm: cart (classification), 5-fold cross-validation, stratified, seed 7');

    const cancelled = await runSlipwayCli(['jobs', 'cancel', kmeans.id, '--reason', 'wrong k'], env);
    expect(cancelled).toMatchObject({ code: 0, stdout: `job ${kmeans.id} CANCELLED\n` });
    expect(await getJob(kmeans.id)).toMatchObject({ status: 'CANCELLED', error: 'wrong k' });
    const again = await runSlipwayCli(['jobs', 'cancel', kmeans.id], env);
    expect(again).toMatchObject({ code: 1, stderr: expect.stringContaining('CONFLICT') });
    expect(await runSlipwayCli(['jobs', 'show', '6f1c1c9e-1a7e-4f43-9d56-2f3f0e1c1a01'], env)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('NOT_FOUND'),
    });
  });

  it('--wait: Ctrl-C exits 130 leaving the job queued and saying how to cancel it; a job cancelled meanwhile exits 2', async () => {
    const interrupted = startRepoProcess('apps/cli/src/main.ts', ['train', '--dataset', 'iris', '--algorithm', 'cart', '--wait'], env);
    const id = await announcedId(interrupted);
    interrupted.child.kill('SIGINT');
    const stopped = await interrupted.exited;
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toContain(`Cancel it with: slipway jobs cancel ${id}`);
    expect((await getJob(id)).status).toBe('QUEUED');
    await runSlipwayCli(['jobs', 'cancel', id], env);

    const waiting = startRepoProcess('apps/cli/src/main.ts', ['train', '--dataset', 'iris', '--algorithm', 'cart', '--wait'], env);
    const other = await announcedId(waiting);
    expect(await runSlipwayCli(['jobs', 'cancel', other, '--reason', 'changed my mind'], env)).toMatchObject({ code: 0 });
    const ended = await waiting.exited;
    expect(ended.code).toBe(2);
    expect(ended.stderr).toContain(`job ${other} CANCELLED: changed my mind`);
  });

  it('--wait on a real worker: SUCCEEDED exits 0 with the evaluation and the registered version, FAILED exits 1 with the error and attempts', async () => {
    const started = startWorkerForApi(api, db.url, home);
    worker = started;
    await started.ready;

    const trained = await runSlipwayCli(
      ['train', '--dataset', 'iris', '--algorithm', 'cart', '--kfold', '5', '--param', 'maxDepth=4', '--register', 'iris-model@challenger', '--wait'],
      env,
    );
    expect({ code: trained.code, stderr: trained.stderr }).toEqual({ code: 0, stderr: expect.stringMatching(/job [0-9a-f-]{36} queued: cart on iris/) });
    expect(trained.stdout).toMatch(/job [0-9a-f-]{36} SUCCEEDED in /);
    expect(trained.stdout).toMatch(/accuracy: 0\.9\d* ± 0\.\d+ \(classification, mean of 5 folds\)/);
    expect(trained.stdout).toMatch(/CLASS\s+PRECISION\s+RECALL\s+F1\s+SUPPORT\n0\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+50\n/);
    expect(trained.stdout).toContain('model version: iris-model v1 (@challenger)');

    const failed = await runSlipwayCli(['train', '--dataset', 'iris', '--algorithm', 'kmeans', '--param', 'k=1000', '--wait'], env);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/job [0-9a-f-]{36} FAILED: .*k = 1000 but X has only \d+ rows/);
    expect(failed.stderr).toMatch(/ATTEMPT\s+OUTCOME\s+WORKER.*\n1\s+FAILED\s+/);

    // A network reports its epochs while it trains: the watcher shows them (one line each tenth of the fit off a terminal).
    const regression = datasetSchema.parse(await (await api.request('/api/v1/datasets/samples/regression_20k', { role: 'editor', method: 'POST' })).json());
    const nn = await runSlipwayCli(
      [
        'train',
        '--dataset',
        regression.id,
        '--algorithm',
        'nn-regression',
        '--param',
        'hiddenLayers=[{"units":8}]',
        '--param',
        'epochs=30',
        '--param',
        'earlyStopping=null',
        '--wait',
      ],
      env,
    );
    expect({ code: nn.code, stderr: nn.stderr }).toEqual({
      code: 0,
      stderr: expect.stringMatching(/phase: training\n(.*\n)*final fit epoch \d+\/30 {2}loss [\d.]+/),
    });
    expect(nn.stdout).toMatch(/r2: -?[\d.]+ \(regression, 4000 test rows\)/);

    // The job queued without --wait earlier trained too: show it, then register it afterwards.
    const done = await waitFor(
      async () => {
        const job = await getJob(queuedKfold.id);
        return ['SUCCEEDED', 'FAILED'].includes(job.status) ? job : undefined;
      },
      { what: 'the queued k-fold job ends', timeoutMs: 60_000 },
    );
    expect(done.status).toBe('SUCCEEDED');
    const shown = await runSlipwayCli(['jobs', 'show', done.id], env);
    expect(shown.stdout).toContain(`job ${done.id} "cart on iris": SUCCEEDED`);
    expect(shown.stdout).toMatch(/ATTEMPT\s+OUTCOME.*\n1\s+SUCCEEDED/);
    expect(shown.stdout).toMatch(/backend: cpu.*; worker \S+; code /);
    expect(shown.stdout).toMatch(/durations: total [\d.]+ m?s \(queued/);
    const register = (args: string[]) => runSlipwayCli(['jobs', 'register', done.id, ...args], env);
    expect(await register(['--model', 'iris-cli', '--alias', 'champion'])).toMatchObject({
      code: 0,
      stdout: 'registered: iris-cli v1 READY (aliases: champion)\n',
    });
    expect(await register(['--model', 'iris-cli'])).toMatchObject({ code: 0, stdout: expect.stringContaining('already registered: iris-cli v1') });
    expect(await register(['--model', 'other-model'])).toMatchObject({ code: 1, stderr: expect.stringContaining('CONFLICT') });
    expect((await runSlipwayCli(['jobs', 'show', done.id], env)).stdout).toContain('model version: iris-cli v1');
  }, 240_000);
});
