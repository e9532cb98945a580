import { describe, expect, it } from '@jest/globals';
import { ErrorCode, tuningStudyDetailSchema, tuningStudySchema, type TuningStudyDetail } from '@slipway/contracts';
import { SlipwayApiError } from '../slipway-api-error';
import { createSlipwayClient } from '../slipway-client';
import { useScriptedApi } from './support/stand-in-api';

// A real HTTP server plays the API so each poll answers what the test scripts (a study's trials ending, outages,
// a lost create answer); studies-cli.http.spec.ts in apps/api runs against the real one.

const api = useScriptedApi();
const seen = api.seen;

const ID = '6f1c1c9e-1a7e-4f43-9d56-2f3f0e1c1a01';
const TRIAL = '6f1c1c9e-1a7e-4f43-9d56-2f3f0e1c1a02';
const at = '2026-12-01T10:00:00.000Z';
const counts = (completed: number, running: number) => ({ queued: 0, running, completed, pruned: 0, failed: 0, total: completed + running });

function study(overrides: Partial<TuningStudyDetail> = {}): TuningStudyDetail {
  return tuningStudyDetailSchema.parse({
    id: ID,
    name: 'cart-search',
    description: null,
    status: 'RUNNING',
    algorithm: 'cart',
    task: 'classification',
    dataset: null,
    targetColumn: 'label',
    featureColumns: null,
    fixedHyperparameters: {},
    searchSpace: { maxDepth: { type: 'int', low: 2, high: 12, log: false } },
    strategy: 'tpe',
    sampler: {},
    objective: { metric: 'f1_macro', direction: 'maximize' },
    evaluationPlan: { kind: 'kfold', folds: 5, stratify: true },
    maxTrials: 3,
    parallelism: 2,
    earlyStopping: null,
    seed: 1,
    maxFailedTrials: 5,
    trialMaxAttempts: 2,
    registerBest: null,
    experimentId: null,
    registeredVersion: null,
    counts: counts(0, 0),
    best: null,
    error: null,
    stopRequestedAt: null,
    stopRequestedBy: null,
    createdBy: 'ana',
    createdAt: at,
    startedAt: at,
    finishedAt: null,
    trials: [],
    importance: [],
    ...overrides,
  });
}
const best = (value: number) => ({ trialId: TRIAL, number: 1, value, params: { maxDepth: 4 }, runId: null });
const unavailable = { status: 503, body: { error: { code: 'UNAVAILABLE', message: 'database does not answer' } } };
const client = () => createSlipwayClient({ baseUrl: api.url, token: 'slw_test' });

describe('studies.waitFor', () => {
  it('polls until the study ends, telling onProgress each change of status, counts or best once', async () => {
    api.answers = [
      { status: 200, body: study() },
      { status: 200, body: study({ counts: counts(0, 2) }) },
      { status: 200, body: study({ counts: counts(0, 2) }) },
      { status: 200, body: study({ counts: counts(1, 2), best: best(0.93) }) },
      { status: 200, body: study({ status: 'COMPLETED', counts: counts(3, 0), best: best(0.95), finishedAt: at }) },
    ];
    const heard: string[] = [];
    const done = await client().studies.waitFor(ID, {
      intervalMs: 5,
      onProgress: (s) => void heard.push(`${s.status}:${s.counts.completed}:${s.best?.value ?? '-'}`),
    });
    expect(done.status).toBe('COMPLETED');
    expect(heard).toEqual(['RUNNING:0:-', 'RUNNING:0:-', 'RUNNING:1:0.93', 'COMPLETED:3:0.95']);
    expect(seen.map((r) => `${r.method} ${r.url}`)).toEqual(Array(5).fill(`GET /api/v1/studies/${ID}`));
  });

  it('resolves with a FAILED or STOPPED study, rides out UNAVAILABLE polls up to maxUnavailable, and stops on its signal', async () => {
    for (const status of ['FAILED', 'STOPPED'] as const) {
      api.answers = [unavailable, { status: 200, body: study({ status, error: 'too many failed trials' }) }];
      await expect(client().studies.waitFor(ID, { intervalMs: 5, maxUnavailable: 1 })).resolves.toMatchObject({ status });
    }
    api.answers = [unavailable, unavailable, { status: 200, body: study({ status: 'COMPLETED' }) }];
    await expect(client().studies.waitFor(ID, { intervalMs: 5, maxUnavailable: 1 })).rejects.toMatchObject({ code: ErrorCode.UNAVAILABLE });
    api.answers = [{ status: 200, body: study() }];
    const stop = new AbortController();
    const waiting = client().studies.waitFor(ID, { intervalMs: 5, signal: stop.signal, onProgress: () => stop.abort(new Error('enough')) });
    await expect(waiting).rejects.toThrow('enough');
  });
});

describe('studies', () => {
  it('create sends an Idempotency-Key and retries a lost answer with the same key; a taken name is not retried', async () => {
    const { trials: _trials, importance: _importance, ...created } = study();
    api.answers = [unavailable, { status: 201, body: tuningStudySchema.parse(created) }];
    const request = {
      name: 'cart-search',
      datasetId: ID,
      algorithm: 'cart' as const,
      searchSpace: { maxDepth: { type: 'int' as const, low: 2, high: 12 } },
      objective: { metric: 'f1_macro', direction: 'maximize' as const },
      maxTrials: 3,
    };
    await expect(client().studies.create(request)).resolves.toMatchObject({ id: ID, status: 'RUNNING' });
    expect(seen.map((r) => r.method)).toEqual(['POST', 'POST']);
    expect(seen[0].headers['idempotency-key']).toEqual(expect.stringMatching(/^[0-9a-f-]{36}$/));
    expect(seen[1].headers['idempotency-key']).toBe(seen[0].headers['idempotency-key']);
    expect(JSON.parse(seen[0].body.toString())).toEqual(request);

    seen.length = 0;
    api.answers = [{ status: 409, body: { error: { code: 'ALREADY_EXISTS', message: 'taken', fields: [{ field: 'body.name', message: 'name taken' }] } } }];
    const refused = await client()
      .studies.create(request)
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SlipwayApiError);
    expect(refused).toMatchObject({ code: ErrorCode.ALREADY_EXISTS, fields: [{ field: 'body.name' }] });
    expect(seen).toHaveLength(1);
  });

  it('start, stop and resume post to their routes with their bodies; getByName encodes the name', async () => {
    const view = { ...study({ status: 'STOPPING' }), trials: undefined, importance: undefined };
    api.answers = [{ status: 200, body: view }];
    await client().studies.stop(ID, 'enough');
    await client().studies.stop(ID);
    await client().studies.resume(ID, { maxTrials: 10 });
    await client().studies.start(ID);
    expect(seen.map((r) => `${r.method} ${r.url} ${r.body}`)).toEqual([
      `POST /api/v1/studies/${ID}/stop {"reason":"enough"}`,
      `POST /api/v1/studies/${ID}/stop {}`,
      `POST /api/v1/studies/${ID}/resume {"maxTrials":10}`,
      `POST /api/v1/studies/${ID}/start {}`,
    ]);
    seen.length = 0;
    api.answers = [{ status: 200, body: study() }];
    await expect(client().studies.getByName('a b/c')).resolves.toMatchObject({ id: ID });
    expect(seen[0].url).toBe('/api/v1/studies/by-name/a%20b%2Fc');
  });
});
