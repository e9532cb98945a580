import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { expectNamed } from '@slipway/testing-matchers';
import {
  auditListSchema,
  errorResponseSchema,
  experimentListSchema,
  experimentSchema,
  logBatchResultSchema,
  metricHistorySchema,
  runSchema,
  runSearchResultSchema,
} from '@slipway/contracts';
import { useTestDatabase } from '@slipway/testing';
import { startApiTestApp, type ApiTestApp } from './api-test-app';

const MISSING = '00000000-0000-4000-8000-000000000000';

describe('experiment tracking over HTTP: experiments, runs, logging, lifecycle, audit', () => {
  const db = useTestDatabase();
  let api: ApiTestApp;

  beforeAll(async () => {
    api = await startApiTestApp(db.url);
  });
  afterAll(async () => api?.close());

  async function errorOf(response: Response) {
    return errorResponseSchema.parse(await response.json()).error;
  }
  async function createRun(json: Record<string, unknown>) {
    const response = await api.request('/api/v1/runs', { role: 'editor', method: 'POST', json });
    expectNamed(response.status, JSON.stringify(json)).toBe(201);
    return runSchema.parse(await response.json());
  }
  const logBatch = (runId: string, json: unknown) => api.request(`/api/v1/runs/${runId}/log-batch`, { role: 'editor', method: 'POST', json });

  describe('experiments', () => {
    it('creates, reads, lists and updates experiments; names are unique', async () => {
      const created = await api.request('/api/v1/experiments', {
        role: 'editor',
        method: 'POST',
        json: { name: 'fraud', description: 'card fraud', tags: { team: 'risk' } },
      });
      expect(created.status).toBe(201);
      const fraud = experimentSchema.parse(await created.json());
      expect(fraud).toMatchObject({ name: 'fraud', description: 'card fraud', tags: { team: 'risk' } });

      const duplicate = await api.request('/api/v1/experiments', { role: 'editor', method: 'POST', json: { name: 'fraud' } });
      expect(duplicate.status).toBe(409);
      expect(await errorOf(duplicate)).toMatchObject({ code: 'ALREADY_EXISTS', fields: [{ field: 'body.name' }] });

      expect(experimentSchema.parse(await (await api.request(`/api/v1/experiments/${fraud.id}`, { role: 'viewer' })).json()).name).toBe('fraud');
      const missing = await api.request(`/api/v1/experiments/${MISSING}`, { role: 'viewer' });
      expect(missing.status).toBe(404);
      expect((await errorOf(missing)).code).toBe('NOT_FOUND');

      for (const name of ['churn', 'ads-ctr', 'Fraud-v2'])
        expect((await api.request('/api/v1/experiments', { role: 'editor', method: 'POST', json: { name } })).status).toBe(201);
      const page1 = experimentListSchema.parse(await (await api.request('/api/v1/experiments?limit=2', { role: 'viewer' })).json());
      const page2 = experimentListSchema.parse(await (await api.request(`/api/v1/experiments?limit=2&cursor=${page1.nextCursor}`, { role: 'viewer' })).json());
      const all = experimentListSchema.parse(await (await api.request('/api/v1/experiments', { role: 'viewer' })).json());
      // Name order follows the database collation; pages must add up to the single-page list.
      expect([...page1.experiments, ...page2.experiments].map((e) => e.name)).toEqual(all.experiments.map((e) => e.name));
      expect(all.experiments.map((e) => e.name).sort()).toEqual(['Fraud-v2', 'ads-ctr', 'churn', 'fraud']);
      expect(page2.nextCursor).toBeNull();
      const search = experimentListSchema.parse(await (await api.request('/api/v1/experiments?nameContains=FRAUD', { role: 'viewer' })).json());
      expect(search.experiments.map((e) => e.name).sort()).toEqual(['Fraud-v2', 'fraud']);
      expect((await api.request('/api/v1/experiments?cursor=garbage!', { role: 'viewer' })).status).toBe(400);

      const patched = await api.request(`/api/v1/experiments/${fraud.id}`, {
        role: 'editor',
        method: 'PATCH',
        json: { description: 'v2', tags: { owner: 'ana' } },
      });
      expect(patched.status).toBe(200);
      const patchedView = experimentSchema.parse(await patched.json());
      expect(patchedView).toMatchObject({ name: 'fraud', description: 'v2' });
      // Given tags replace the whole set: `team` is gone.
      expect(patchedView.tags).toEqual({ owner: 'ana' });
      const clash = await api.request(`/api/v1/experiments/${fraud.id}`, { role: 'editor', method: 'PATCH', json: { name: 'churn' } });
      expect(clash.status).toBe(409);
      expect((await api.request(`/api/v1/experiments/${MISSING}`, { role: 'editor', method: 'PATCH', json: { name: 'x' } })).status).toBe(404);
    });

    it('needs a token (401) and the editor role to write (403)', async () => {
      expect((await api.request('/api/v1/experiments', { role: null })).status).toBe(401);
      const asViewer = await api.request('/api/v1/experiments', { role: 'viewer', method: 'POST', json: { name: 'nope' } });
      expect(asViewer.status).toBe(403);
      expect((await errorOf(asViewer)).code).toBe('PERMISSION_DENIED');
      const list = experimentListSchema.parse(await (await api.request('/api/v1/experiments?nameContains=nope', { role: 'viewer' })).json());
      expect(list.experiments).toEqual([]);
    });
  });

  describe('runs', () => {
    it('starts a run by experiment name, creating the experiment, with params, tags and provenance', async () => {
      const run = await createRun({
        experimentName: 'auto-created',
        name: 'cart-depth-4',
        params: [{ key: 'maxDepth', value: '4' }],
        tags: { git: 'main' },
        seed: 42,
        datasetSha256: 'a'.repeat(64),
        codeVersion: 'abc123',
      });
      expect(run).toMatchObject({
        name: 'cart-depth-4',
        status: 'RUNNING',
        seed: 42,
        createdBy: 'test-editor',
        endedAt: null,
        deletedAt: null,
        params: [{ key: 'maxDepth', value: '4' }],
        tags: { git: 'main' },
        artifacts: [],
      });
      const experiments = experimentListSchema.parse(await (await api.request('/api/v1/experiments?nameContains=auto-created', { role: 'viewer' })).json());
      expect(experiments.experiments.map((e) => e.id)).toEqual([run.experimentId]);
      // The same name again reuses the experiment.
      expect((await createRun({ experimentName: 'auto-created' })).experimentId).toBe(run.experimentId);

      const unknown = await api.request('/api/v1/runs', { role: 'editor', method: 'POST', json: { experimentId: MISSING } });
      expect(unknown.status).toBe(404);
      expect((await errorOf(unknown)).fields?.[0].field).toBe('body.experimentId');
      expect((await api.request('/api/v1/runs', { role: 'viewer', method: 'POST', json: { experimentName: 'x' } })).status).toBe(403);
      expect((await api.request(`/api/v1/runs/${MISSING}`, { role: 'viewer' })).status).toBe(404);
    });

    it('logs metrics, params and tags in batches; params are immutable, tags are not', async () => {
      const run = await createRun({ experimentName: 'logging' });
      const t0 = Date.UTC(2025, 5, 1);
      const first = await logBatch(run.id, {
        metrics: [
          { key: 'loss', value: 0.9, step: 0, timestamp: t0 },
          { key: 'loss', value: 0.5, step: 1, timestamp: new Date(t0 + 1000).toISOString() },
          { key: 'f1', value: 0.8 },
        ],
        params: [{ key: 'lr', value: '0.01' }],
        tags: { phase: 'warmup', owner: 'ana' },
      });
      expect(first.status).toBe(200);
      expect(logBatchResultSchema.parse(await first.json())).toEqual({ metrics: 3, params: 1, tags: 2 });

      // Re-logging a param with the same value is fine; a different value is a conflict naming the field, and nothing of that batch is kept.
      expect((await logBatch(run.id, { params: [{ key: 'lr', value: '0.01' }] })).status).toBe(200);
      const conflict = await logBatch(run.id, {
        params: [
          { key: 'batch', value: '32' },
          { key: 'lr', value: '0.1' },
        ],
        metrics: [{ key: 'loss', value: 0.01, step: 99 }],
      });
      expect(conflict.status).toBe(409);
      expect(await errorOf(conflict)).toMatchObject({ code: 'CONFLICT', fields: [{ field: 'body.params.1.value' }] });
      // A tag in a batch sets its key (overwriting the old value); the run's other tags stay.
      expect((await logBatch(run.id, { tags: { phase: 'main' } })).status).toBe(200);

      const view = runSchema.parse(await (await api.request(`/api/v1/runs/${run.id}`, { role: 'viewer' })).json());
      expect(view.params).toEqual([{ key: 'lr', value: '0.01' }]);
      expect(view.tags).toEqual({ owner: 'ana', phase: 'main' });
      expect(view.metrics.map((m) => [m.key, m.value, m.step])).toEqual([
        ['f1', 0.8, 0],
        ['loss', 0.5, 1],
      ]);

      const history = metricHistorySchema.parse(await (await api.request(`/api/v1/runs/${run.id}/metrics/loss/history?limit=1`, { role: 'viewer' })).json());
      expect(history.points).toEqual([{ value: 0.9, step: 0, timestamp: new Date(t0).toISOString() }]);
      const rest = metricHistorySchema.parse(
        await (await api.request(`/api/v1/runs/${run.id}/metrics/loss/history?cursor=${history.nextCursor}`, { role: 'viewer' })).json(),
      );
      expect(rest).toEqual({ key: 'loss', points: [{ value: 0.5, step: 1, timestamp: new Date(t0 + 1000).toISOString() }], nextCursor: null });
      const spaced = await api.request(`/api/v1/runs/${run.id}/metrics/${encodeURIComponent('never logged')}/history`, { role: 'viewer' });
      expect(metricHistorySchema.parse(await spaced.json()).points).toEqual([]);
      expect((await api.request(`/api/v1/runs/${MISSING}/metrics/loss/history`, { role: 'viewer' })).status).toBe(404);
      expect((await api.request(`/api/v1/runs/${run.id}/metrics/loss/history?cursor=bad`, { role: 'viewer' })).status).toBe(400);
    });

    it('ends a run once; an ended run accepts no more writes (409)', async () => {
      const run = await createRun({ experimentName: 'lifecycle' });
      const ended = await api.request(`/api/v1/runs/${run.id}/end`, { role: 'editor', method: 'POST', json: { status: 'FINISHED' } });
      expect(ended.status).toBe(200);
      const view = runSchema.parse(await ended.json());
      expect(view.status).toBe('FINISHED');
      expect(view.endedAt).not.toBeNull();
      const late = await logBatch(run.id, { metrics: [{ key: 'x', value: 1 }] });
      expect(late.status).toBe(409);
      expect((await errorOf(late)).code).toBe('CONFLICT');
      expect((await api.request(`/api/v1/runs/${run.id}/end`, { role: 'editor', method: 'POST', json: { status: 'KILLED' } })).status).toBe(409);
      expect((await api.request(`/api/v1/runs/${MISSING}/end`, { role: 'editor', method: 'POST', json: { status: 'KILLED' } })).status).toBe(404);
      expect((await api.request(`/api/v1/runs/${run.id}/end`, { role: 'viewer', method: 'POST', json: { status: 'KILLED' } })).status).toBe(403);
      expect((await logBatch(MISSING, { metrics: [{ key: 'x', value: 1 }] })).status).toBe(404);
    });

    it('soft-deletes and restores runs: deleted runs leave search and refuse writes', async () => {
      const run = await createRun({ experimentName: 'deletion', tags: { marker: 'del-me' } });
      const find = async () =>
        runSearchResultSchema.parse(
          await (await api.request('/api/v1/runs/search', { role: 'viewer', method: 'POST', json: { filter: "tags.marker = 'del-me'" } })).json(),
        ).runs.length;
      await expect(find()).resolves.toBe(1);
      const deleted = await api.request(`/api/v1/runs/${run.id}`, { role: 'editor', method: 'DELETE' });
      expect(deleted.status).toBe(200);
      expect(runSchema.parse(await deleted.json()).deletedAt).not.toBeNull();
      await expect(find()).resolves.toBe(0);
      expect((await api.request(`/api/v1/runs/${run.id}`, { role: 'viewer' })).status).toBe(200);
      expect((await api.request(`/api/v1/runs/${run.id}`, { role: 'editor', method: 'DELETE' })).status).toBe(409);
      expect((await logBatch(run.id, { tags: { a: 'b' } })).status).toBe(409);
      expect((await api.request(`/api/v1/runs/${run.id}/restore`, { role: 'editor', method: 'POST' })).status).toBe(200);
      await expect(find()).resolves.toBe(1);
      expect((await api.request(`/api/v1/runs/${run.id}/restore`, { role: 'editor', method: 'POST' })).status).toBe(409);
      expect((await api.request(`/api/v1/runs/${MISSING}`, { role: 'editor', method: 'DELETE' })).status).toBe(404);
      expect((await api.request(`/api/v1/runs/${run.id}`, { role: 'viewer', method: 'DELETE' })).status).toBe(403);
    });

    it('audits every change with the actor, one entry per metric batch', async () => {
      const run = await createRun({ experimentName: 'audited' });
      const points = Array.from({ length: 500 }, (_, step) => ({ key: 'loss', value: 1 / (step + 1), step }));
      expect((await logBatch(run.id, { metrics: points })).status).toBe(200);
      await api.request(`/api/v1/runs/${run.id}/end`, { role: 'editor', method: 'POST', json: { status: 'FAILED' } });
      const entries = auditListSchema.parse(await (await api.request(`/api/v1/audit?entityId=${run.id}&limit=500`)).json()).entries;
      expect(entries.map((e) => e.action).reverse()).toEqual(['run.create', 'run.log_batch', 'run.end']);
      expect(entries.every((e) => e.actor === 'test-editor')).toBe(true);
      expect(entries[0]).toMatchObject({ before: { status: 'RUNNING' }, after: { status: 'FAILED' } });
      const experimentAudit = auditListSchema.parse(await (await api.request(`/api/v1/audit?entityId=${run.experimentId}`)).json()).entries;
      expect(experimentAudit.map((e) => e.action)).toEqual(['experiment.create']);
    });
  });
});
