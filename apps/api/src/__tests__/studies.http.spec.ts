import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  datasetSchema,
  errorResponseSchema,
  trainingJobSchema,
  tuningStudyDetailSchema,
  tuningStudyListSchema,
  tuningStudySchema,
  versionSchema,
  type TrainingEvaluation,
  type TuningStudyView,
} from '@slipway/contracts';
import { UnitOfWork } from '@slipway/db';
import { QueueName } from '@slipway/queue';
import { connectTestSql, type TestSql, useTestDatabase } from '@slipway/testing';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { succeedFirstAttempt, workerRunWithModel } from './support/worker-outcome';

/**
 * The tuning-studies API on its own (no worker in this process): what create accepts and refuses (each refusal
 * naming its field), list and detail, the start/stop/resume transitions and their 409s, and register-best on a
 * planted completed trial. The scheduler's side (trials, pruning, ending a study) is libs/tuning-studies'.
 */
describe('tuning studies over HTTP: create, validate, list, detail, start/stop/resume, register-best', () => {
  const db = useTestDatabase();
  let api: ApiTestApp;
  let sql: TestSql;
  let uow: UnitOfWork;
  let cancer: { id: string };
  let iris: { id: string };
  let wine: { id: string };

  /** Journey 3: CART on breast_cancer, 5-fold CV f1_macro, TPE with median pruning. */
  const journey = (overrides: Record<string, unknown> = {}) => ({
    name: `cart-${randomUUID().slice(0, 8)}`,
    datasetId: cancer.id,
    algorithm: 'cart',
    searchSpace: {
      maxDepth: { type: 'int', low: 2, high: 12 },
      minSamplesLeaf: { type: 'int', low: 1, high: 20 },
      criterion: { type: 'categorical', choices: ['gini', 'entropy'] },
    },
    objective: { metric: 'f1_macro', direction: 'maximize' },
    evaluationPlan: { kind: 'kfold', folds: 5 },
    maxTrials: 60,
    parallelism: 2,
    strategy: 'tpe',
    earlyStopping: { rule: 'median' },
    ...overrides,
  });

  beforeAll(async () => {
    api = await startApiTestApp(db.url);
    sql = connectTestSql(db.url);
    uow = UnitOfWork.connect(db.url, { poolSize: 2 });
    await sql.query(`INSERT INTO workers (id, host, pid, tf_backend) VALUES ('w1', 'test', 1, 'wasm')`);
    cancer = datasetSchema.parse(await (await api.request('/api/v1/datasets/samples/breast_cancer', { role: 'editor', method: 'POST' })).json());
    iris = datasetSchema.parse(await (await api.request('/api/v1/datasets/samples/iris', { role: 'editor', method: 'POST' })).json());
    wine = datasetSchema.parse(await (await api.request('/api/v1/datasets/samples/wine', { role: 'editor', method: 'POST' })).json());
  });
  afterAll(async () => {
    await uow?.close();
    await sql?.close();
    await api?.close();
  });

  const create = (json: unknown, role: 'editor' | 'viewer' = 'editor', headers: Record<string, string> = {}) =>
    api.request('/api/v1/studies', { role, method: 'POST', json, headers });
  const created = async (json: unknown): Promise<TuningStudyView> => {
    const response = await create(json);
    const body: unknown = await response.json();
    expect({ status: response.status, body }).toMatchObject({ status: 201 });
    return tuningStudySchema.parse(body);
  };
  const refusal = async (response: Response) => {
    const body: unknown = await response.json();
    if (response.status < 400) throw new Error(`expected a refusal, got ${response.status}: ${JSON.stringify(body).slice(0, 300)}`);
    return { status: response.status, body: errorResponseSchema.parse(body) };
  };
  const act = (id: string, action: string, json: unknown = {}, role: 'editor' | 'viewer' = 'editor') =>
    api.request(`/api/v1/studies/${id}/${action}`, { role, method: 'POST', json });
  const count = async (query: string, params: unknown[] = []) => Number((await sql.query<{ n: string }>(query, params))[0].n);
  const messages = (studyId: string) =>
    count(`SELECT count(*) AS n FROM pgboss.job WHERE name = $1 AND data->>'studyId' = $2`, [QueueName.TuningStudy, studyId]);
  const setStatus = (id: string, status: string) =>
    sql.query(`UPDATE tuning_studies SET status = $2::tuning_study_status, finished_at = now() WHERE id = $1`, [id, status]);

  /** A QUEUED training job for a planted trial to point at (tuning_trials.training_job_id is a foreign key). */
  const trainingJob = async () =>
    trainingJobSchema.parse(
      await (await api.request('/api/v1/training-jobs', { role: 'editor', method: 'POST', json: { datasetId: cancer.id, algorithm: 'cart' } })).json(),
    );
  const plantTrial = async (
    studyId: string,
    number: number,
    params: Record<string, string | number>,
    outcome: { status: 'COMPLETED' | 'FAILED' | 'RUNNING'; value?: number },
  ) => {
    const job = await trainingJob();
    const id = randomUUID();
    await uow.run({ name: 'worker', tokenId: null }, async (tx) => {
      await tx.studies.lock(studyId);
      await tx.studies.createTrial({ id, studyId, number, params, trainingJobId: job.id });
      await tx.studies.updateTrial(id, { status: outcome.status, value: outcome.value ?? null, startedAt: new Date(), finishedAt: new Date() });
    });
    return { id, job };
  };

  it('creates the journey-3 study RUNNING with its defaults, an experiment of its own, audit entries, events and one scheduler message', async () => {
    const body = journey();
    const study = await created(body);
    expect(study).toMatchObject({
      name: body.name,
      status: 'RUNNING',
      algorithm: 'cart',
      task: 'classification',
      dataset: { id: cancer.id, name: 'breast_cancer' },
      targetColumn: 'label',
      featureColumns: null,
      fixedHyperparameters: {},
      strategy: 'tpe',
      sampler: {},
      objective: { metric: 'f1_macro', direction: 'maximize' },
      evaluationPlan: { kind: 'kfold', folds: 5, stratify: true },
      maxTrials: 60,
      parallelism: 2,
      earlyStopping: { rule: 'median', warmupSteps: 0, minTrials: 5, intervalSteps: 1 },
      maxFailedTrials: 5,
      trialMaxAttempts: 2,
      registerBest: null,
      registeredVersion: null,
      counts: { queued: 0, running: 0, completed: 0, pruned: 0, failed: 0, total: 0 },
      best: null,
      createdBy: 'test-editor',
      startedAt: expect.any(String),
      finishedAt: null,
    });
    expect(study.searchSpace.maxDepth).toEqual({ type: 'int', low: 2, high: 12, log: false });
    // Drawn within what every trial's training job can carry (a Postgres integer).
    expect(study.seed).toBeGreaterThanOrEqual(0);
    expect(study.seed).toBeLessThanOrEqual(2_147_483_647);
    const [row] = await sql.query<{ name: string }>(`SELECT e.name FROM experiments e WHERE e.id = $1`, [study.experimentId]);
    expect(row.name).toBe(`study/${body.name}`);
    const audit = await sql.query<{ action: string }>(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id`, [study.id]);
    expect(audit.map((a) => a.action)).toEqual(['tuning_study.create', 'tuning_study.start']);
    expect(await messages(study.id)).toBe(1);

    // start: false leaves it CREATED, with nothing queued; a named experiment is used as it is.
    const later = await created(journey({ start: false, experiment: 'tuning-later', seed: 11, strategy: 'random', earlyStopping: null }));
    expect(later).toMatchObject({ status: 'CREATED', seed: 11, strategy: 'random', startedAt: null });
    expect((await sql.query<{ name: string }>(`SELECT name FROM experiments WHERE id = $1`, [later.experimentId]))[0].name).toBe('tuning-later');
    expect(await messages(later.id)).toBe(0);
  });

  it('refuses what cannot be tuned, naming the field, and stores nothing', async () => {
    const before = await count(`SELECT count(*) AS n FROM tuning_studies`);
    const space = journey().searchSpace;
    const cases: [Record<string, unknown>, number, string][] = [
      [{ datasetId: randomUUID() }, 404, 'body.datasetId'],
      [{ objective: { metric: 'r2', direction: 'maximize' } }, 400, 'body.objective.metric'],
      [{ objective: { metric: 'roc_auc_ovr', direction: 'maximize' } }, 400, 'body.objective.metric'],
      [{ searchSpace: { ...space, depth: { type: 'int', low: 1, high: 3 } } }, 400, 'body.searchSpace.depth'],
      [{ fixedHyperparameters: { maxDepth: 4 } }, 400, 'body.searchSpace.maxDepth'],
      [{ fixedHyperparameters: { epochs: 4 } }, 400, 'body.fixedHyperparameters.epochs'],
      [{ fixedHyperparameters: { minSamplesSplit: 1 } }, 400, 'body.fixedHyperparameters.minSamplesSplit'],
      [{ searchSpace: { ...space, maxDepth: { type: 'int', low: 0, high: 12 } } }, 400, 'body.searchSpace.maxDepth.low'],
      [{ searchSpace: { ...space, minSamplesLeaf: { type: 'int', low: 1, high: 2_000_000 } } }, 400, 'body.searchSpace.minSamplesLeaf.high'],
      [{ searchSpace: { ...space, criterion: { type: 'categorical', choices: ['gini', 'log_loss'] } } }, 400, 'body.searchSpace.criterion.choices.1'],
      [{ searchSpace: { ...space, criterion: { type: 'categorical', choices: ['gini', 'squared_error'] } } }, 400, 'body.searchSpace.criterion'],
      [{ searchSpace: { ...space, maxDepth: { type: 'float', low: 2, high: 12 } } }, 400, 'body.searchSpace.maxDepth.type'],
      [{ strategy: 'grid', searchSpace: { maxFeatures: { type: 'float', low: 0.1, high: 0.9 } } }, 400, 'body.searchSpace.maxFeatures.step'],
      [
        { strategy: 'grid', searchSpace: { minSamplesLeaf: { type: 'int', low: 1, high: 1000 }, minSamplesSplit: { type: 'int', low: 2, high: 1000 } } },
        400,
        'body.searchSpace',
      ],
      [{ strategy: 'random', sampler: { startupTrials: 3 } }, 400, 'body.sampler'],
      [{ evaluationPlan: { kind: 'split' } }, 400, 'body.earlyStopping'],
      [{ targetColumn: 'colour' }, 400, 'body.targetColumn'],
      [{ featureColumns: ['mean_radius', 'label'] }, 400, 'body.featureColumns.1'],
      [
        { algorithm: 'cnn', searchSpace: { dropout: { type: 'float', low: 0, high: 0.5 } }, objective: { metric: 'accuracy', direction: 'maximize' } },
        422,
        'body.datasetId',
      ],
      [{ seed: 2_147_483_648 }, 400, 'body.seed'],
      [{ maxTrials: 0 }, 400, 'body.maxTrials'],
      [{ searchSpace: {} }, 400, 'body.searchSpace'],
      [{ searchSpace: { ...space, maxDepth: { type: 'int', low: 5, high: 2 } } }, 400, 'body.searchSpace.maxDepth.high'],
      [
        { searchSpace: { ...space, minSamplesLeaf: { type: 'int', low: 1, high: 4, when: { param: 'criterion', in: ['log_loss'] } } } },
        400,
        'body.searchSpace.minSamplesLeaf.when.in.0',
      ],
      [{ name: 'a\u0000b' }, 400, 'body.name'],
    ];
    for (const [overrides, status, fieldName] of cases) {
      const { status: got, body: error } = await refusal(await create(journey(overrides)));
      expect({ overrides, got, fields: error.error.fields?.map((f) => f.field) }).toEqual({
        overrides,
        got: status,
        fields: expect.arrayContaining([fieldName]),
      });
    }
    const metric = await refusal(await create(journey({ objective: { metric: 'r2', direction: 'maximize' } })));
    expect(metric.body.error.message).toContain('f1_macro');
    // Early stopping on a split is fine where training itself reports steps (a network's epochs).
    const nn = await create(
      journey({
        datasetId: iris.id,
        algorithm: 'nn-regression',
        targetColumn: 'petal_width_cm',
        searchSpace: { learningRate: { type: 'float', low: 1e-4, high: 1e-1, log: true } },
        fixedHyperparameters: { epochs: 3 },
        objective: { metric: 'rmse', direction: 'minimize' },
        evaluationPlan: { kind: 'split' },
        start: false,
      }),
    );
    expect(nn.status).toBe(201);
    expect(await count(`SELECT count(*) AS n FROM tuning_studies`)).toBe(before + 1);
  });

  it('answers hostile search spaces below 500, each 400 naming a body field, and a grid dimension too large to list as a 400 at once', async () => {
    const bodies: Record<string, unknown>[] = [
      { strategy: 'grid', searchSpace: { maxFeatures: { type: 'float', low: 0.1, high: 0.9, step: 1e-9 } } },
      { strategy: 'grid', searchSpace: { minSamplesLeaf: { type: 'int', low: 1, high: 900_000 } } },
      { strategy: 'grid', searchSpace: { minSamplesLeaf: { type: 'int', low: 1, high: 900_000, log: true } } },
      { searchSpace: { minSamplesLeaf: { type: 'int', low: -9007199254740991, high: 9007199254740991 } } },
      { searchSpace: { maxFeatures: { type: 'float', low: 5e-324, high: 0.9, log: true } } },
      { searchSpace: { maxFeatures: { type: 'float', low: -1.7976931348623157e308, high: 1.7976931348623157e308 } } },
      { searchSpace: { maxDepth: { type: 'categorical', choices: Array.from({ length: 100 }, () => null) } } },
      { searchSpace: { maxDepth: { type: 'categorical', choices: [1, '1', true, null, 1.5] } } },
      {
        searchSpace: {
          criterion: { type: 'categorical', choices: ['gini'] },
          minSamplesLeaf: { type: 'int', low: 1, high: 5, when: { param: 'criterion', in: ['gini'] } },
        },
      },
      {
        fixedHyperparameters: { maxFeatures: 'sqrt', maxDepth: null },
        searchSpace: { minSamplesLeaf: { type: 'int', low: 1, high: 5, step: 9007199254740991 } },
      },
      { objective: { metric: '😀\u202e', direction: 'maximize' } },
      {
        fixedHyperparameters: { criterion: 'squared_error' },
        searchSpace: { maxDepth: { type: 'int', low: 1, high: 3 } },
        objective: { metric: 'r2', direction: 'maximize' },
      },
      { algorithm: 'kmeans', searchSpace: { k: { type: 'int', low: 1, high: 1024, log: true } }, objective: { metric: 'ari', direction: 'maximize' } },
      { algorithm: 'kmeans', targetColumn: null, searchSpace: { k: { type: 'int', low: 2, high: 5 } }, objective: { metric: 'ari', direction: 'maximize' } },
    ];
    const answers: string[] = [];
    for (const [i, overrides] of bodies.entries()) {
      const response = await create(journey({ ...overrides, start: false, earlyStopping: null }));
      const body = (await response.json()) as { error?: { fields?: { field: string }[] } };
      const fields = body.error?.fields?.map((f) => f.field) ?? [];
      answers.push(`${i}: ${response.status} ${fields.join(',')}`);
      expect({ i, status: response.status < 500, named: response.status !== 400 || fields.some((f) => f.startsWith('body.')) }).toEqual({
        i,
        status: true,
        named: true,
      });
    }
    expect(answers.slice(0, 3)).toEqual([
      '0: 400 body.searchSpace.maxFeatures',
      '1: 400 body.searchSpace.minSamplesLeaf',
      '2: 400 body.searchSpace.minSamplesLeaf',
    ]);
    // A regression tree with r2 is one task throughout; ARI without a target is refused, with the dataset's target it is fine.
    expect(answers.slice(11)).toEqual(['11: 201 ', '12: 201 ', '13: 400 body.objective.metric']);
  });

  it('refuses a second study of the same name (409 naming body.name) and a viewer (403); replays an Idempotency-Key', async () => {
    const body = journey({ start: false });
    await created(body);
    const again = await refusal(await create({ ...body, maxTrials: 5 }));
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'ALREADY_EXISTS', fields: [{ field: 'body.name' }] } } });
    expect((await create(journey(), 'viewer')).status).toBe(403);

    const key = randomUUID();
    const keyed = journey();
    const first = await create(keyed, 'editor', { 'idempotency-key': key });
    const second = await create(keyed, 'editor', { 'idempotency-key': key });
    expect([first.status, second.status]).toEqual([201, 201]);
    const a = tuningStudySchema.parse(await first.json());
    expect(tuningStudySchema.parse(await second.json())).toEqual(a);
    expect(await count(`SELECT count(*) AS n FROM tuning_studies WHERE name = $1`, [keyed.name])).toBe(1);
    expect(await messages(a.id)).toBe(1);
  });

  it('lists newest first with filters and pages; the detail has every trial by number, counts, the best trial and importance', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await created(journey({ datasetId: wine.id, start: false, strategy: 'random', earlyStopping: null }))).id);
    const page = async (query: string) => tuningStudyListSchema.parse(await (await api.request(`/api/v1/studies?${query}`, { role: 'viewer' })).json());
    const first = await page(`datasetId=${wine.id}&limit=2`);
    expect(first.studies.map((s) => s.id)).toEqual([ids[2], ids[1]]);
    const second = await page(`datasetId=${wine.id}&limit=2&cursor=${first.nextCursor}`);
    expect(second.studies.map((s) => s.id)).toEqual([ids[0]]);
    expect(second.nextCursor).toBeNull();
    expect((await page('status=CREATED&limit=200')).studies.every((s) => s.status === 'CREATED')).toBe(true);
    expect((await page(`algorithm=kmeans&datasetId=${wine.id}`)).studies).toEqual([]);
    for (const bad of ['status=DONE', 'limit=0', 'limit=1e2', 'datasetId=nope', 'cursor=abc', 'algorithm=svm'])
      expect({ bad, status: (await api.request(`/api/v1/studies?${bad}`, { role: 'viewer' })).status }).toEqual({ bad, status: 400 });
    expect((await api.request(`/api/v1/studies/${randomUUID()}`, { role: 'viewer' })).status).toBe(404);
    expect((await api.request(`/api/v1/studies/not-a-uuid`, { role: 'viewer' })).status).toBe(400);

    const study = await created(journey({ start: false }));
    const trials: [Record<string, string | number>, 'COMPLETED' | 'FAILED' | 'RUNNING', number | undefined][] = [
      [{ maxDepth: 2, minSamplesLeaf: 10, criterion: 'gini' }, 'COMPLETED', 0.91],
      [{ maxDepth: 8, minSamplesLeaf: 1, criterion: 'entropy' }, 'COMPLETED', 0.95],
      [{ maxDepth: 4, minSamplesLeaf: 5, criterion: 'gini' }, 'COMPLETED', 0.93],
      [{ maxDepth: 12, minSamplesLeaf: 20, criterion: 'entropy' }, 'FAILED', undefined],
      [{ maxDepth: 6, minSamplesLeaf: 3, criterion: 'gini' }, 'RUNNING', undefined],
      [{ maxDepth: 3, minSamplesLeaf: 15, criterion: 'entropy' }, 'COMPLETED', 0.92],
    ];
    const planted = [];
    for (const [i, [params, status, value]] of trials.entries()) planted.push(await plantTrial(study.id, i, params, { status, value }));
    const detail = tuningStudyDetailSchema.parse(await (await api.request(`/api/v1/studies/${study.id}`, { role: 'viewer' })).json());
    expect(detail.trials.map((t) => [t.number, t.status, t.value])).toEqual(trials.map(([, status, value], i) => [i, status, value ?? null]));
    expect(detail.trials[1]).toMatchObject({ id: planted[1].id, trainingJobId: planted[1].job.id, params: trials[1][0], intermediateValues: [] });
    expect(detail.counts).toEqual({ queued: 0, running: 1, completed: 4, pruned: 0, failed: 1, total: 6 });
    expect(detail.best).toMatchObject({ trialId: planted[1].id, number: 1, value: 0.95, params: trials[1][0] });
    expect(detail.importance.map((p) => p.param).sort()).toEqual(['criterion', 'maxDepth', 'minSamplesLeaf']);
    expect(detail.importance.reduce((s, p) => s + p.importance, 0)).toBeCloseTo(1, 9);
    const listed = (await page(`status=CREATED&limit=200`)).studies.find((s) => s.id === study.id);
    expect(listed).toMatchObject({ counts: detail.counts, best: detail.best });
    const byName = tuningStudyDetailSchema.parse(
      await (await api.request(`/api/v1/studies/by-name/${encodeURIComponent(study.name)}`, { role: 'viewer' })).json(),
    );
    expect(byName.id).toBe(study.id);
    expect((await api.request(`/api/v1/studies/by-name/nope-${randomUUID()}`, { role: 'viewer' })).status).toBe(404);
    // A name is free text: a slash or a space in it travels percent-encoded in the one path segment.
    const slashed = await created(journey({ name: `team/a b ${randomUUID().slice(0, 4)}`, start: false }));
    const bySlashed = await api.request(`/api/v1/studies/by-name/${encodeURIComponent(slashed.name)}`, { role: 'viewer' });
    expect(tuningStudyDetailSchema.parse(await bySlashed.json()).id).toBe(slashed.id);
  });

  it('starts a CREATED study, stops a RUNNING one (STOPPING), resumes ended ones, and answers 409 saying what to raise', async () => {
    const study = await created(journey({ start: false, maxTrials: 3, maxFailedTrials: 1 }));
    expect((await act(study.id, 'start', {}, 'viewer')).status).toBe(403);
    const started = await act(study.id, 'start', { maxTrials: 4 });
    expect(started.status).toBe(200);
    expect(tuningStudySchema.parse(await started.json())).toMatchObject({ status: 'RUNNING', maxTrials: 4, startedAt: expect.any(String) });
    expect(await messages(study.id)).toBeGreaterThanOrEqual(1);
    expect(await refusal(await act(study.id, 'start'))).toMatchObject({ status: 409, body: { error: { fields: [{ field: 'status', message: 'RUNNING' }] } } });
    expect((await refusal(await act(study.id, 'resume'))).status).toBe(409);

    const stopped = await act(study.id, 'stop', { reason: 'wrong dataset' });
    expect(stopped.status).toBe(200);
    expect(tuningStudySchema.parse(await stopped.json())).toMatchObject({
      status: 'STOPPING',
      error: 'wrong dataset',
      stopRequestedAt: expect.any(String),
      stopRequestedBy: 'test-editor',
    });
    expect(await refusal(await act(study.id, 'stop'))).toMatchObject({ status: 409, body: { error: { fields: [{ field: 'status', message: 'STOPPING' }] } } });

    // The scheduler ends it STOPPED; it resumes as it was.
    await setStatus(study.id, 'STOPPED');
    const resumed = tuningStudySchema.parse(await (await act(study.id, 'resume')).json());
    expect(resumed).toMatchObject({ status: 'RUNNING', error: null, stopRequestedAt: null, finishedAt: null, maxTrials: 4 });

    // COMPLETED: only with a higher maxTrials.
    await plantTrial(study.id, 0, { maxDepth: 3, minSamplesLeaf: 2, criterion: 'gini' }, { status: 'COMPLETED', value: 0.9 });
    await setStatus(study.id, 'COMPLETED');
    for (const body of [{}, { maxTrials: 4 }]) {
      const refused = await refusal(await act(study.id, 'resume', body));
      expect(refused).toMatchObject({ status: 409, body: { error: { fields: [{ field: 'body.maxTrials' }] } } });
      expect(refused.body.error.message).toMatch(/higher maxTrials/);
    }
    expect(tuningStudySchema.parse(await (await act(study.id, 'resume', { maxTrials: 10 })).json())).toMatchObject({ status: 'RUNNING', maxTrials: 10 });

    // FAILED on failed trials: only with a maxFailedTrials its failures no longer exceed.
    await plantTrial(study.id, 1, { maxDepth: 5, minSamplesLeaf: 2, criterion: 'gini' }, { status: 'FAILED' });
    await plantTrial(study.id, 2, { maxDepth: 6, minSamplesLeaf: 2, criterion: 'gini' }, { status: 'FAILED' });
    await setStatus(study.id, 'FAILED');
    const failed = await refusal(await act(study.id, 'resume'));
    expect(failed).toMatchObject({
      status: 409,
      body: { error: { fields: [{ field: 'body.maxFailedTrials', message: expect.stringContaining('at least 2') }] } },
    });
    expect((await refusal(await act(study.id, 'resume', { maxTrials: 2, maxFailedTrials: 5 }))).body.error.fields).toEqual([
      { field: 'body.maxTrials', message: 'at least 3' },
    ]);
    expect(tuningStudySchema.parse(await (await act(study.id, 'resume', { maxFailedTrials: 2 })).json())).toMatchObject({
      status: 'RUNNING',
      maxFailedTrials: 2,
      counts: { completed: 1, failed: 2, total: 3 },
    });

    // Every trial trains with the study's own seed: the largest one a job can carry leaves any budget possible.
    const late = await created(journey({ start: false, seed: 2_147_483_647, maxTrials: 10 }));
    expect(tuningStudySchema.parse(await (await act(late.id, 'start', { maxTrials: 100 })).json())).toMatchObject({ status: 'RUNNING', maxTrials: 100 });

    // A CREATED study has nothing running: stopping it ends it at once.
    const idle = await created(journey({ start: false }));
    expect(tuningStudySchema.parse(await (await act(idle.id, 'stop')).json())).toMatchObject({ status: 'STOPPED', finishedAt: expect.any(String) });
    for (const action of ['start', 'stop', 'resume', 'register-best'])
      expect({ action, status: (await act(randomUUID(), action, action === 'register-best' ? { model: 'm' } : {})).status }).toEqual({ action, status: 404 });
    const audit = await sql.query<{ action: string }>(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id`, [study.id]);
    expect(audit.map((a) => a.action)).toEqual([
      'tuning_study.create',
      'tuning_study.start',
      'tuning_study.stop',
      'tuning_study.resume',
      'tuning_study.resume',
      'tuning_study.resume',
    ]);
  });

  it('registers the best completed trial’s model once (409 before there is one, and for another model)', async () => {
    const study = await created(journey({ start: false }));
    const register = (json: unknown, role: 'editor' | 'viewer' = 'editor') => act(study.id, 'register-best', json, role);
    expect((await refusal(await register({ model: 'cancer-model' }))).status).toBe(409);
    expect((await register({ model: 'cancer-model' }, 'viewer')).status).toBe(403);
    expect((await refusal(await register({ model: 'bad name!' }))).body.error.fields?.[0].field).toBe('body.model');

    // What a worker leaves when a trial completes: its job SUCCEEDED with a run holding the model under `model/`.
    const { id: trialId, job } = await plantTrial(study.id, 0, { maxDepth: 4, minSamplesLeaf: 2, criterion: 'gini' }, { status: 'COMPLETED', value: 0.94 });
    const run = await workerRunWithModel(api, uow, job);
    const evaluation: TrainingEvaluation = {
      task: 'classification',
      plan: 'split',
      primaryMetric: 'accuracy',
      metrics: { accuracy: 0.95, f1_macro: 0.94 },
      rows: { train: 455, test: 114 },
    };
    await uow.run({ name: 'worker', tokenId: null }, async (tx) => {
      await succeedFirstAttempt(tx, job.id, run.id, {
        evaluation,
        featureNames: ['mean_radius'],
        inputSchema: { columns: [{ name: 'mean_radius', type: 'number' }], target: { name: 'label', type: 'integer' }, classLabels: ['0', '1'] },
      });
      await tx.studies.updateTrial(trialId, { runId: run.id });
      await tx.studies.update(study.id, { bestTrialId: trialId });
    });
    const first = await register({ model: 'cancer-model', alias: 'challenger' });
    expect({ status: first.status, body: first.status === 200 ? null : await first.clone().text() }).toEqual({ status: 200, body: null });
    const version = versionSchema.parse(await first.json());
    expect(version).toMatchObject({ model: 'cancer-model', version: 1, status: 'READY', algorithm: 'cart', aliases: ['challenger'], runId: run.id });
    const again = await register({ model: 'cancer-model' });
    expect(again.status).toBe(200);
    expect(versionSchema.parse(await again.json()).id).toBe(version.id);
    expect(await refusal(await register({ model: 'other-model' }))).toMatchObject({ status: 409, body: { error: { fields: [{ field: 'body.model' }] } } });
    const after = tuningStudyDetailSchema.parse(await (await api.request(`/api/v1/studies/${study.id}`, { role: 'viewer' })).json());
    expect(after.registeredVersion).toEqual({ model: 'cancer-model', version: 1 });
    const audit = await sql.query<{ action: string }>(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id`, [study.id]);
    expect(audit.map((a) => a.action)).toContain('tuning_study.register_best');
  });
});
