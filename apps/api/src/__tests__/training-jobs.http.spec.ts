import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  datasetProfileSchema,
  datasetSchema,
  evaluationSchema,
  modelInputSchemaSchema,
  errorResponseSchema,
  trainingAlgorithmListSchema,
  trainingJobListSchema,
  trainingJobSchema,
  versionSchema,
  type TrainingEvaluation,
  type TrainingJobView,
} from '@slipway/contracts';
import { UnitOfWork } from '@slipway/db';
import { JobQueue, QueueName } from '@slipway/queue';
import { connectTestSql, type TestSql, useTestDatabase } from '@slipway/testing';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { succeedFirstAttempt, workerRunWithModel } from './support/worker-outcome';

/**
 * The training-jobs API on its own (no worker in this process): what it accepts and refuses, what it queues,
 * cancel and register. The worker's side (attempts, progress, kill and cancel on real processes) is tested in
 * apps/worker.
 */
describe('training jobs over HTTP: create, validate against the dataset, queue, list, cancel, register', () => {
  const db = useTestDatabase();
  let api: ApiTestApp;
  let sql: TestSql;
  let uow: UnitOfWork;
  let queue: JobQueue;
  let iris: { id: string };
  let regression: { id: string };

  beforeAll(async () => {
    api = await startApiTestApp(db.url);
    sql = connectTestSql(db.url);
    uow = UnitOfWork.connect(db.url, { poolSize: 2 });
    queue = await JobQueue.start({ databaseUrl: db.url, supervise: false });
    // The worker the simulated attempts below run on (jobs reference the workers table).
    await sql.query(`INSERT INTO workers (id, host, pid, tf_backend) VALUES ('w1', 'test', 1, 'wasm')`);
    iris = datasetSchema.parse(await (await api.request('/api/v1/datasets/samples/iris', { role: 'editor', method: 'POST' })).json());
    regression = datasetSchema.parse(await (await api.request('/api/v1/datasets/samples/regression_20k', { role: 'editor', method: 'POST' })).json());
  });
  afterAll(async () => {
    await queue?.stop(2_000);
    await uow?.close();
    await sql?.close();
    await api?.close();
  });

  const create = (json: unknown, role: 'editor' | 'viewer' = 'editor', headers: Record<string, string> = {}) =>
    api.request('/api/v1/training-jobs', { role, method: 'POST', json, headers });
  const created = async (json: unknown): Promise<TrainingJobView> => {
    const response = await create(json);
    expect(response.status).toBe(201);
    return trainingJobSchema.parse(await response.json());
  };
  const refusal = async (response: Response) => {
    const body: unknown = await response.json();
    if (response.status < 400) throw new Error(`expected a refusal, got ${response.status}: ${JSON.stringify(body).slice(0, 300)}`);
    return { status: response.status, body: errorResponseSchema.parse(body) };
  };

  it('serves every algorithm’s hyper-parameters as JSON Schema with defaults and bounds', async () => {
    const response = await api.request('/api/v1/training-jobs/algorithms', { role: 'viewer' });
    expect(response.status).toBe(200);
    const { algorithms } = trainingAlgorithmListSchema.parse(await response.json());
    expect(algorithms.map((a) => a.algorithm)).toEqual(['kmeans', 'cart', 'nn-regression', 'cnn']);
    const cart = algorithms.find((a) => a.algorithm === 'cart')!;
    expect(cart).toMatchObject({ tasks: ['classification', 'regression'], datasetKind: 'tabular', targetRequired: true });
    expect(cart.hyperparameters).toMatchObject({ type: 'object', properties: { minSamplesLeaf: { type: 'integer', minimum: 1, default: 1 } } });
    expect(cart.defaults).toMatchObject({ criterion: 'gini', maxDepth: null });
    expect(algorithms.find((a) => a.algorithm === 'cnn')).toMatchObject({ datasetKind: 'images' });
  });

  it('queues a job with its defaults filled in, one queue message keyed by the job, and an audit entry', async () => {
    const job = await created({ datasetId: iris.id, algorithm: 'cart', evaluationPlan: { kind: 'kfold', folds: 5 }, seed: 7 });
    expect(job).toMatchObject({
      status: 'QUEUED',
      algorithm: 'cart',
      task: 'classification',
      name: 'cart on iris',
      targetColumn: 'label',
      featureColumns: null,
      seed: 7,
      evaluationPlan: { kind: 'kfold', folds: 5, stratify: true },
      hyperparameters: { criterion: 'gini', minSamplesSplit: 2 },
      attempts: 0,
      maxAttempts: 3,
      attemptHistory: [],
      dataset: { id: iris.id, name: 'iris' },
      createdBy: 'test-editor',
    });
    const [row] = await sql.query<{ queue_job_id: string | null; name: string }>(
      `SELECT t.queue_job_id, e.name FROM training_jobs t JOIN experiments e ON e.id = t.experiment_id WHERE t.id = $1`,
      [job.id],
    );
    expect(row.name).toBe('training');
    expect(row.queue_job_id).toEqual(expect.any(String));
    const queued = await sql.query<{ data: { trainingJobId: string } }>(`SELECT data FROM pgboss.job WHERE name = $1 AND id = $2`, [
      QueueName.Training,
      row.queue_job_id,
    ]);
    expect(queued).toEqual([{ data: { trainingJobId: job.id } }]);
    const audit = await sql.query<{ action: string }>(`SELECT action FROM audit_log WHERE entity_id = $1`, [job.id]);
    expect(audit.map((a) => a.action)).toEqual(['training_job.create']);
  });

  it('replays an Idempotency-Key without a second job or message', async () => {
    const key = randomUUID();
    const body = { datasetId: iris.id, algorithm: 'kmeans', hyperparameters: { k: 3 }, experiment: 'idem' };
    const first = await create(body, 'editor', { 'idempotency-key': key });
    const second = await create(body, 'editor', { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    const a = trainingJobSchema.parse(await first.json());
    expect(trainingJobSchema.parse(await second.json()).id).toBe(a.id);
    const rows = await sql.query<{ n: string }>(`SELECT count(*) AS n FROM training_jobs t JOIN experiments e ON e.id = t.experiment_id WHERE e.name = 'idem'`);
    expect(Number(rows[0].n)).toBe(1);
  });

  it('refuses what cannot train, naming the field, and stores nothing', async () => {
    const before = Number((await sql.query<{ n: string }>(`SELECT count(*) AS n FROM training_jobs`))[0].n);
    const cases: [unknown, number, string][] = [
      [{ datasetId: randomUUID(), algorithm: 'cart' }, 404, 'body.datasetId'],
      [{ datasetId: iris.id, algorithm: 'cart', targetColumn: 'colour' }, 400, 'body.targetColumn'],
      [{ datasetId: iris.id, algorithm: 'cart', featureColumns: ['sepal_length_cm', 'petal'] }, 400, 'body.featureColumns.1'],
      [{ datasetId: iris.id, algorithm: 'cart', featureColumns: ['label'] }, 400, 'body.featureColumns.0'],
      [{ datasetId: iris.id, algorithm: 'cart', featureColumns: ['sepal_length_cm', 'sepal_length_cm'] }, 400, 'body.featureColumns.1'],
      [{ datasetId: iris.id, algorithm: 'kmeans', featureColumns: [] }, 400, 'body.featureColumns'],
      [{ datasetId: iris.id, algorithm: 'cnn' }, 422, 'body.datasetId'],
      [{ datasetId: iris.id, algorithm: 'cart', hyperparameters: { maxDepth: 0 } }, 400, 'body.hyperparameters.maxDepth'],
      [{ datasetId: iris.id, algorithm: 'cart', hyperparameters: { epochs: 3 } }, 400, 'body.hyperparameters'],
      [{ datasetId: iris.id, algorithm: 'svm' }, 400, 'body.algorithm'],
      [{ datasetId: iris.id, algorithm: 'cart', evaluationPlan: { kind: 'kfold', folds: 1 } }, 400, 'body.evaluationPlan.folds'],
      [{ datasetId: iris.id, algorithm: 'cart', registerAs: { model: 'bad name!' } }, 400, 'body.registerAs.model'],
      [{ datasetId: iris.id, algorithm: 'cart', name: 'a\u0000b' }, 400, 'body.name'],
      [{ datasetId: iris.id, algorithm: 'cart', seed: 2 ** 40 }, 400, 'body.seed'],
    ];
    for (const [body, status, fieldName] of cases) {
      const { status: got, body: error } = await refusal(await create(body));
      expect({ body, got }).toEqual({ body, got: status });
      expect(error.error.fields?.map((f) => f.field)).toContain(fieldName);
    }
    expect((await create({ datasetId: iris.id, algorithm: 'cart' }, 'viewer')).status).toBe(403);
    expect(Number((await sql.query<{ n: string }>(`SELECT count(*) AS n FROM training_jobs`))[0].n)).toBe(before);
  });

  it('refuses a target with a single class, and a regression target that is not numeric', async () => {
    // A dataset whose `label` column has one value (as its target the upload itself refuses it; as a job's target, the job does).
    const csv = ['x,label', ...Array.from({ length: 20 }, (_, i) => `${i},only`)].join('\n');
    const upload = await fetch(`${api.baseUrl}/api/v1/datasets?name=one-class`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${api.tokens.editor}`, 'content-type': 'text/csv' },
      body: csv,
    });
    const oneClass = datasetSchema.parse(await upload.json());
    const single = await refusal(await create({ datasetId: oneClass.id, algorithm: 'cart', targetColumn: 'label' }));
    expect(single.status).toBe(422);
    expect(single.body.error.message).toMatch(/one class|at least two classes/);
    const kinds = await fetch(`${api.baseUrl}/api/v1/datasets?name=kinds&targetColumn=kind`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${api.tokens.editor}`, 'content-type': 'text/csv' },
      body: ['x,kind', ...Array.from({ length: 20 }, (_, i) => `${i},${i % 2 ? 'odd' : 'even'}`)].join('\n'),
    });
    const kindsId = datasetSchema.parse(await kinds.json()).id;
    for (const body of [
      { datasetId: kindsId, algorithm: 'nn-regression' },
      { datasetId: kindsId, algorithm: 'cart', hyperparameters: { criterion: 'squared_error' } },
    ]) {
      const text = await refusal(await create(body));
      expect(text.status).toBe(400);
      expect(text.body.error.fields).toEqual([{ field: 'body.targetColumn', message: expect.stringContaining('regression target') }]);
    }
    expect((await created({ datasetId: kindsId, algorithm: 'cart' })).task).toBe('classification');
    // The same dataset with a numeric target is fine for a regression tree.
    const ok = await created({ datasetId: iris.id, algorithm: 'cart', hyperparameters: { criterion: 'squared_error' }, targetColumn: 'petal_width_cm' });
    expect(ok).toMatchObject({ task: 'regression', targetColumn: 'petal_width_cm' });
  });

  it('lists newest first with filters and keyset pages', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await created({ datasetId: regression.id, algorithm: 'nn-regression', experiment: 'paging' })).id);
    const first = trainingJobListSchema.parse(await (await api.request(`/api/v1/training-jobs?datasetId=${regression.id}&limit=2`, { role: 'viewer' })).json());
    expect(first.jobs.map((j) => j.id)).toEqual([ids[2], ids[1]]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = trainingJobListSchema.parse(
      await (await api.request(`/api/v1/training-jobs?datasetId=${regression.id}&limit=2&cursor=${first.nextCursor}`, { role: 'viewer' })).json(),
    );
    expect(second.jobs.map((j) => j.id)).toEqual([ids[0]]);
    const byAlgorithm = trainingJobListSchema.parse(await (await api.request(`/api/v1/training-jobs?algorithm=kmeans`, { role: 'viewer' })).json());
    expect(byAlgorithm.jobs.every((j) => j.algorithm === 'kmeans')).toBe(true);
    for (const bad of ['status=DONE', 'limit=0', 'limit=1e2', 'datasetId=nope', 'cursor=abc'])
      expect((await api.request(`/api/v1/training-jobs?${bad}`, { role: 'viewer' })).status).toBe(400);
    expect((await api.request(`/api/v1/training-jobs/${randomUUID()}`, { role: 'viewer' })).status).toBe(404);
    expect((await api.request(`/api/v1/training-jobs/not-a-uuid`, { role: 'viewer' })).status).toBe(400);
  });

  it('cancels a QUEUED job at once, asks a RUNNING one to stop, and refuses an ended one (409)', async () => {
    const queued = await created({ datasetId: iris.id, algorithm: 'cart' });
    const cancel = (id: string, json: unknown = {}) => api.request(`/api/v1/training-jobs/${id}/cancel`, { role: 'editor', method: 'POST', json });
    const first = await cancel(queued.id, { reason: 'wrong dataset' });
    expect(first.status).toBe(200);
    expect(trainingJobSchema.parse(await first.json())).toMatchObject({ status: 'CANCELLED', error: 'wrong dataset', cancelRequestedAt: expect.any(String) });
    expect((await refusal(await cancel(queued.id))).status).toBe(409);

    // A running attempt, as a worker would have started it.
    const running = await created({ datasetId: iris.id, algorithm: 'cart' });
    const run = await uow.read.runs.create({ experimentId: running.experimentId!, name: running.name, createdBy: 'worker', params: [], tags: {} });
    await uow.run({ name: 'worker', tokenId: null }, async (tx) => {
      await tx.trainingJobs.lock(running.id);
      await tx.trainingJobs.startAttempt(running.id, {
        workerId: 'w1',
        runId: run.id,
        at: new Date(),
        history: [{ attempt: 1, runId: run.id, workerId: 'w1', startedAt: new Date().toISOString(), endedAt: null, outcome: 'RUNNING', reason: null }],
      });
    });
    const asked = await cancel(running.id);
    expect(asked.status).toBe(200);
    expect(trainingJobSchema.parse(await asked.json())).toMatchObject({ status: 'RUNNING', cancelRequestedAt: expect.any(String) });
    // The worker's next heartbeat is told to stop.
    expect(await uow.read.trainingJobs.recordProgress(running.id, 1, null, new Date())).toEqual({ cancelRequested: true });
    expect(await uow.read.trainingJobs.recordProgress(running.id, 2, null, new Date())).toBeNull();
    expect((await api.request(`/api/v1/training-jobs/${running.id}/cancel`, { role: 'viewer', method: 'POST', json: {} })).status).toBe(403);
  });

  it('registers a succeeded job’s model once (evaluation, input schema and profile copied in), moving an alias', async () => {
    const job = await created({ datasetId: iris.id, algorithm: 'cart' });
    const register = (json: unknown) => api.request(`/api/v1/training-jobs/${job.id}/register`, { role: 'editor', method: 'POST', json });
    expect((await refusal(await register({ model: 'iris-model' }))).status).toBe(409);

    // What a worker leaves when the job succeeds: a run with the model under `model/`, the job's evaluation and result.
    const run = await workerRunWithModel(api, uow, job);
    const evaluation: TrainingEvaluation = {
      task: 'classification',
      plan: 'split',
      primaryMetric: 'accuracy',
      metrics: { accuracy: 0.9666666666666667, f1_macro: 0.9665831244778613 },
      rows: { train: 120, test: 30 },
    };
    const features = ['sepal_length_cm', 'sepal_width_cm', 'petal_length_cm', 'petal_width_cm'];
    await uow.run({ name: 'worker', tokenId: null }, (tx) =>
      succeedFirstAttempt(tx, job.id, run.id, {
        evaluation,
        featureNames: features,
        inputSchema: {
          columns: features.map((name) => ({ name, type: 'number' as const })),
          target: { name: 'label', type: 'integer' },
          classLabels: ['setosa', 'versicolor', 'virginica'],
        },
      }),
    );
    const first = await register({ model: 'iris-model', alias: 'challenger' });
    expect(first.status).toBe(201);
    const version = versionSchema.parse(await first.json());
    expect(version).toMatchObject({ model: 'iris-model', version: 1, status: 'READY', algorithm: 'cart', aliases: ['challenger'] });
    expect(evaluationSchema.parse(version.evaluation).metrics).toEqual(evaluation.metrics);
    expect(modelInputSchemaSchema.parse(version.inputSchema).classLabels).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(datasetProfileSchema.parse(version.trainingProfile).classBalance?.map((c) => c.value)).toEqual(['0', '1', '2']);
    expect(version.runId).toBe(run.id);
    expect(version.lineage?.runId).toBe(run.id);

    const again = await register({ model: 'iris-model' });
    expect(again.status).toBe(200);
    expect(versionSchema.parse(await again.json()).id).toBe(version.id);
    const other = await refusal(await register({ model: 'other-model' }));
    expect(other).toMatchObject({ status: 409, body: { error: { fields: [{ field: 'body.model' }] } } });
    const after = trainingJobSchema.parse(await (await api.request(`/api/v1/training-jobs/${job.id}`, { role: 'viewer' })).json());
    expect(after.modelVersion).toEqual({ model: 'iris-model', version: 1 });
    expect((await api.request(`/api/v1/training-jobs/${job.id}/register`, { role: 'viewer', method: 'POST', json: { model: 'x' } })).status).toBe(403);
  });
});
