import { describe, expect, it } from '@jest/globals';
import { ErrorCode, trainingJobSchema, type TrainingJobView } from '@slipway/contracts';
import { SlipwayApiError } from '../slipway-api-error';
import { createSlipwayClient } from '../slipway-client';
import { useScriptedApi } from './support/stand-in-api';

// A real HTTP server plays the API so each poll can answer what the test scripts (a job moving through its
// states, outages, a lost create answer); training-cli.http.spec.ts in apps/api runs against the real one.

const api = useScriptedApi();
const seen = api.seen;

const ID = '6f1c1c9e-1a7e-4f43-9d56-2f3f0e1c1a01';
const RUN = '6f1c1c9e-1a7e-4f43-9d56-2f3f0e1c1a02';
const at = '2026-12-01T10:00:00.000Z';

function job(overrides: Partial<TrainingJobView> = {}): TrainingJobView {
  return trainingJobSchema.parse({
    id: ID,
    name: 'cart on iris',
    status: 'QUEUED',
    algorithm: 'cart',
    task: 'classification',
    hyperparameters: { criterion: 'gini' },
    evaluationPlan: { kind: 'kfold', folds: 5, stratify: true },
    seed: 0,
    dataset: null,
    targetColumn: 'label',
    featureColumns: null,
    experimentId: null,
    runId: null,
    registerAs: null,
    modelVersion: null,
    attempts: 0,
    maxAttempts: 3,
    attemptHistory: [],
    workerId: null,
    error: null,
    progress: null,
    cancelRequestedAt: null,
    evaluation: null,
    result: null,
    createdBy: 'ana',
    createdAt: at,
    startedAt: null,
    finishedAt: null,
    heartbeatAt: null,
    ...overrides,
  });
}

const progress = (fold: number) => ({
  step: fold,
  phase: 'training' as const,
  fold,
  folds: 5,
  epoch: null,
  epochs: null,
  metrics: { accuracy: 0.9 },
  updatedAt: at,
});
const running = (fold: number, heartbeatAt = at) => job({ status: 'RUNNING', attempts: 1, runId: RUN, progress: progress(fold), heartbeatAt });
const unavailable = { status: 503, body: { error: { code: 'UNAVAILABLE', message: 'database does not answer' } } };
const client = () => createSlipwayClient({ baseUrl: api.url, token: 'slw_test' });

describe('trainingJobs.waitFor', () => {
  it('polls until the job ends, telling onUpdate each change once (a heartbeat alone is no change)', async () => {
    api.answers = [
      { status: 200, body: job() },
      { status: 200, body: running(1) },
      { status: 200, body: running(1, '2026-12-01T10:00:01.000Z') },
      { status: 200, body: running(2) },
      { status: 200, body: job({ status: 'SUCCEEDED', attempts: 1, runId: RUN, finishedAt: at }) },
    ];
    const updates: string[] = [];
    const done = await client().trainingJobs.waitFor(ID, { intervalMs: 5, onUpdate: (j) => void updates.push(`${j.status}:${j.progress?.fold ?? '-'}`) });
    expect(done.status).toBe('SUCCEEDED');
    expect(updates).toEqual(['QUEUED:-', 'RUNNING:1', 'RUNNING:2', 'SUCCEEDED:-']);
    expect(seen.map((r) => `${r.method} ${r.url}`)).toEqual(Array(5).fill(`GET /api/v1/training-jobs/${ID}`));
  });

  it('resolves with a FAILED or CANCELLED job: an ended job is an answer, not an error', async () => {
    for (const status of ['FAILED', 'CANCELLED'] as const) {
      api.answers = [{ status: 200, body: job({ status, error: 'k = 1000 but X has only 150 rows' }) }];
      await expect(client().trainingJobs.waitFor(ID, { intervalMs: 5 })).resolves.toMatchObject({ status });
    }
  });

  it('rides out a few UNAVAILABLE polls, but gives up past maxUnavailable; other errors end the wait at once', async () => {
    api.answers = [unavailable, unavailable, { status: 200, body: job({ status: 'SUCCEEDED' }) }];
    await expect(client().trainingJobs.waitFor(ID, { intervalMs: 5, maxUnavailable: 2 })).resolves.toMatchObject({ status: 'SUCCEEDED' });

    api.answers = [unavailable, unavailable, { status: 200, body: job({ status: 'SUCCEEDED' }) }];
    await expect(client().trainingJobs.waitFor(ID, { intervalMs: 5, maxUnavailable: 1 })).rejects.toMatchObject({ code: ErrorCode.UNAVAILABLE, status: 503 });

    seen.length = 0;
    api.answers = [{ status: 404, body: { error: { code: 'NOT_FOUND', message: `No training job ${ID}` } } }];
    const error = await client()
      .trainingJobs.waitFor(ID, { intervalMs: 5 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlipwayApiError);
    expect(error).toMatchObject({ code: ErrorCode.NOT_FOUND });
    expect(seen).toHaveLength(1);
  });

  it('stops when its signal aborts, rejecting with the reason, and polls no more', async () => {
    api.answers = [{ status: 200, body: running(1) }];
    const controller = new AbortController();
    const updates: TrainingJobView[] = [];
    const waiting = client().trainingJobs.waitFor(ID, {
      intervalMs: 20,
      signal: controller.signal,
      onUpdate: (j) => {
        updates.push(j);
        controller.abort(new Error('interrupted'));
      },
    });
    await expect(waiting).rejects.toThrow('interrupted');
    const polls = seen.length;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(seen.length).toBe(polls);
    expect(updates).toHaveLength(1);
  });
});

describe('trainingJobs.create', () => {
  const body = { datasetId: '6f1c1c9e-1a7e-4f43-9d56-2f3f0e1c1a03', algorithm: 'cart' as const };

  it('sends an Idempotency-Key of its own and retries a lost answer with the same key, once queued', async () => {
    api.answers = [unavailable, { status: 201, body: job() }];
    await expect(client().trainingJobs.create(body)).resolves.toMatchObject({ id: ID, status: 'QUEUED' });
    expect(seen).toHaveLength(2);
    const [first, second] = seen.map((r) => r.headers['idempotency-key']);
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(second).toBe(first);
    expect(JSON.parse(seen[1].body.toString())).toEqual(body);

    seen.length = 0;
    api.answers = [{ status: 201, body: job() }];
    await client().trainingJobs.create(body, { idempotencyKey: 'my-key-1' });
    expect(seen[0].headers['idempotency-key']).toBe('my-key-1');
  });

  it('does not retry a refusal, and gives up after its retries', async () => {
    api.answers = [{ status: 400, body: { error: { code: 'INVALID_ARGUMENT', message: 'bad', fields: [{ field: 'body.seed', message: 'too big' }] } } }];
    await expect(client().trainingJobs.create(body)).rejects.toMatchObject({ status: 400, fields: [{ field: 'body.seed' }] });
    expect(seen).toHaveLength(1);
    seen.length = 0;
    api.answers = [unavailable];
    await expect(client().trainingJobs.create(body, { retries: 1 })).rejects.toMatchObject({ code: ErrorCode.UNAVAILABLE });
    expect(seen).toHaveLength(2);
  });
});
