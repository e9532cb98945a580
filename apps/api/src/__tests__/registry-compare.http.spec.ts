import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { auditListSchema, compareResultSchema, errorResponseSchema, gcResultSchema } from '@slipway/contracts';
import type { ObjectStore } from '@slipway/storage';
import { type TestSql, useTestDatabase } from '@slipway/testing';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { connect, createModel, json, modelId, seedRun, uploadVersion } from './registry-fixtures';

describe('compare and retention', () => {
  const db = useTestDatabase();
  let api: ApiTestApp;
  let sql: TestSql;
  let objects: ObjectStore;

  beforeAll(async () => {
    api = await startApiTestApp(db.url);
    ({ sql, objects } = connect(api, db.url));
  });
  afterAll(async () => {
    await sql?.close();
    await api?.close();
  });

  const compare = async (body: unknown, status = 200) =>
    json(await api.request('/api/v1/registry/compare', { role: 'viewer', method: 'POST', json: body }), status);

  describe('compare', () => {
    let runs: string[];

    beforeAll(async () => {
      await createModel(api, 'cmp');
      runs = [];
      const specs: { params: Record<string, string>; metrics: Record<string, number[]> }[] = [
        { params: { lr: '0.1', epochs: '10', criterion: 'gini' }, metrics: { loss: [1, 0.5, 0.3], accuracy: [0.5, 0.7, 0.8] } },
        { params: { lr: '0.01', epochs: '10', criterion: 'gini' }, metrics: { loss: [1, 0.4, 0.2], accuracy: [0.5, 0.8, 0.9], val_rmse: [3, 2] } },
        { params: { lr: '0.01', epochs: '10' }, metrics: { loss: [1, 0.6, 0.2], accuracy: [0.4, 0.6, 0.9] } },
      ];
      for (const [i, spec] of specs.entries()) {
        const { runId } = await seedRun(sql, objects, spec);
        runs.push(runId);
        await json(
          await api.request('/api/v1/models/cmp/versions', {
            role: 'editor',
            method: 'POST',
            json: {
              runId,
              evaluation: {
                roc: { x: [0, 1], y: [0, 1], auc: 0.5 + i / 10 },
                confusionMatrix: {
                  labels: ['a', 'b'],
                  matrix: [
                    [i, 1],
                    [1, i],
                  ],
                },
              },
            },
          }),
          201,
        );
      }
    });

    it('puts params side by side with differences marked, and marks the best final metric by its direction', async () => {
      const result = compareResultSchema.parse(await compare({ versions: [1, 2, 3].map((version) => ({ model: 'cmp', version })) }));
      expect(result.items.map((i) => [i.label, i.runId, i.status])).toEqual([
        ['cmp@1', runs[0], 'PENDING_UPLOAD'],
        ['cmp@2', runs[1], 'PENDING_UPLOAD'],
        ['cmp@3', runs[2], 'PENDING_UPLOAD'],
      ]);
      expect(result.params).toEqual([
        { key: 'criterion', values: ['gini', 'gini', null], differs: true },
        { key: 'epochs', values: ['10', '10', '10'], differs: false },
        { key: 'lr', values: ['0.1', '0.01', '0.01'], differs: true },
      ]);
      expect(result.metrics).toEqual([
        { key: 'accuracy', goal: 'max', values: [0.8, 0.9, 0.9], best: [1, 2] },
        { key: 'loss', goal: 'min', values: [0.3, 0.2, 0.2], best: [1, 2] },
        { key: 'val_rmse', goal: 'min', values: [null, 2, null], best: [1] },
      ]);
      expect(result.histories.find((h) => h.key === 'loss')?.series).toEqual([
        [
          { step: 0, value: 1 },
          { step: 1, value: 0.5 },
          { step: 2, value: 0.3 },
        ],
        [
          { step: 0, value: 1 },
          { step: 1, value: 0.4 },
          { step: 2, value: 0.2 },
        ],
        [
          { step: 0, value: 1 },
          { step: 1, value: 0.6 },
          { step: 2, value: 0.2 },
        ],
      ]);
      expect(result.evaluations.map((e) => (e as { roc: { auc: number } }).roc.auc)).toEqual([0.5, 0.6, 0.7]);
    });

    it('compares runs directly, in the order asked', async () => {
      const result = compareResultSchema.parse(await compare({ runIds: [runs[2], runs[0]] }));
      expect(result.items.map((i) => [i.label, i.model])).toEqual([
        [runs[2], null],
        [runs[0], null],
      ]);
      expect(result.metrics.find((m) => m.key === 'accuracy')).toEqual({ key: 'accuracy', goal: 'max', values: [0.9, 0.8], best: [0] });
      expect(result.evaluations).toEqual([null, null]);
    });

    it('downsamples long histories to at most 500 points, keeping the first and the last', async () => {
      const long = Array.from({ length: 2003 }, (_, i) => 1 / (i + 1));
      const { runId } = await seedRun(sql, objects, { metrics: { loss: long } });
      const result = compareResultSchema.parse(await compare({ runIds: [runId] }));
      const series = result.histories[0].series[0];
      expect(series.length).toBeLessThanOrEqual(500);
      expect(series.length).toBeGreaterThan(490);
      expect(series[0]).toEqual({ step: 0, value: 1 });
      expect(series[series.length - 1]).toEqual({ step: 2002, value: 1 / 2003 });
      expect(series.every((p, i) => i === 0 || p.step > series[i - 1].step)).toBe(true);
    });

    it('names what is missing (404) and refuses bad requests (400)', async () => {
      const missing = errorResponseSchema.parse(
        await compare(
          {
            versions: [
              { model: 'cmp', version: 1 },
              { model: 'cmp', version: 99 },
              { model: 'nope', version: 1 },
            ],
          },
          404,
        ),
      ).error;
      expect(missing.fields?.map((f) => f.field)).toEqual(['body.versions.1', 'body.versions.2']);
      expect(errorResponseSchema.parse(await compare({ runIds: ['00000000-0000-4000-8000-000000000000'] }, 404)).error.fields).toEqual([
        { field: 'body.runIds.0', message: 'no run 00000000-0000-4000-8000-000000000000' },
      ]);
      for (const body of [
        {},
        { versions: [{ model: 'cmp', version: 1 }], runIds: [runs[0]] },
        { versions: [] },
        {
          versions: [
            { model: 'cmp', version: 1 },
            { model: 'cmp', version: 1 },
          ],
        },
        { runIds: Array.from({ length: 51 }, () => runs[0]) },
        { versions: [{ model: 'cmp', version: '1' }] },
      ]) {
        expect(errorResponseSchema.parse(await compare(body, 400)).error.code).toBe('INVALID_ARGUMENT');
      }
    });

    it('compares 50 versions in one fast request', async () => {
      await createModel(api, 'wide');
      const model = { id: await modelId(sql, 'wide') };
      const experiment = await sql.one<{ id: string }>("SELECT id FROM experiments WHERE name = 'registry-tests'");
      // Seeded in a few statements: 50 runs, 12 params and 5 metrics × 200 points each, a version per run with a ROC curve.
      await sql.query(
        `INSERT INTO runs (id, experiment_id, name, status) SELECT gen_random_uuid(), $1::uuid, 'wide-' || i, 'FINISHED' FROM generate_series(0, 49) i`,
        [experiment.id],
      );
      await sql.query(
        `INSERT INTO run_params (run_id, key, value) SELECT r.id, 'param_' || p, CASE WHEN p = 0 THEN r.name ELSE p::text END FROM runs r, generate_series(0, 11) p WHERE r.name LIKE 'wide-%'`,
      );
      await sql.query(
        `INSERT INTO metrics (run_id, key, value, step) SELECT r.id, k, random(), s FROM runs r, unnest(ARRAY['loss','val_loss','accuracy','f1','auc']) k, generate_series(0, 199) s WHERE r.name LIKE 'wide-%'`,
      );
      await sql.query(
        `INSERT INTO latest_metrics (run_id, key, value, step, timestamp) SELECT r.id, k, random(), 199, now() FROM runs r, unnest(ARRAY['loss','val_loss','accuracy','f1','auc']) k WHERE r.name LIKE 'wide-%'`,
      );
      const roc = JSON.stringify({ roc: { x: Array.from({ length: 100 }, (_, k) => k / 100), y: Array.from({ length: 100 }, (_, k) => Math.sqrt(k / 100)) } });
      await sql.query(
        `INSERT INTO model_versions (id, model_id, version, status, run_id, evaluation) SELECT gen_random_uuid(), $1::uuid, substr(r.name, 6)::int + 1, 'READY', r.id, $2::jsonb FROM runs r WHERE r.name LIKE 'wide-%'`,
        [model.id, roc],
      );
      const body = { versions: Array.from({ length: 50 }, (_, i) => ({ model: 'wide', version: i + 1 })) };
      await compare(body);
      const timings: number[] = [];
      let result;
      for (let i = 0; i < 3; i++) {
        const started = performance.now();
        result = compareResultSchema.parse(await compare(body));
        timings.push(performance.now() - started);
      }
      const median = timings.sort((a, b) => a - b)[1];
      console.log(
        `compare: 50 versions × (12 params, 5 metrics × 200 points, ROC) in ${median.toFixed(0)} ms (median of 3; ${timings.map((t) => t.toFixed(0)).join(', ')} ms)`,
      );
      expect(result?.items).toHaveLength(50);
      expect(result?.params.find((p) => p.key === 'param_0')?.differs).toBe(true);
      expect(result?.params.find((p) => p.key === 'param_1')?.differs).toBe(false);
      expect(result?.histories.map((h) => h.series.every((s) => s.length === 200))).toEqual([true, true, true, true, true]);
      expect(median).toBeLessThan(3000);
    });
  });

  describe('retention', () => {
    it('lists artifacts of deleted runs, versions and models on a dry run, deletes them for real only when asked, and audits it', async () => {
      await createModel(api, 'gc-model');
      await uploadVersion(api, 'gc-model', { 'old.bin': 'old bytes' });
      await uploadVersion(api, 'gc-model', { 'new.bin': 'new bytes' });
      expect((await api.request('/api/v1/models/gc-model/versions/1', { role: 'editor', method: 'DELETE' })).status).toBe(204);
      await createModel(api, 'gc-gone');
      await uploadVersion(api, 'gc-gone', { 'gone.bin': 'gone' });
      const goneId = await modelId(sql, 'gc-gone');
      expect((await api.request('/api/v1/models/gc-gone', { role: 'editor', method: 'DELETE' })).status).toBe(204);
      const deletedRun = await seedRun(sql, objects, { artifacts: { 'a/x.bin': 'x', 'b.txt': 'b' } });
      await sql.query('UPDATE runs SET deleted_at = now() WHERE id = $1', [deletedRun.runId]);
      // A deleted run that a live version still names keeps its files.
      const namedRun = await seedRun(sql, objects, { artifacts: { 'm/m.json': '{}' } });
      await json(
        await api.request('/api/v1/models/gc-model/versions', { role: 'editor', method: 'POST', json: { runId: namedRun.runId, artifactPath: 'm' } }),
        201,
      );
      await sql.query('UPDATE runs SET deleted_at = now() WHERE id = $1', [namedRun.runId]);
      const liveRun = await seedRun(sql, objects, { artifacts: { 'keep.bin': 'keep' } });
      const gcModelId = await modelId(sql, 'gc-model');

      expect((await api.request('/api/v1/registry/gc', { role: 'editor', method: 'POST' })).status).toBe(403);
      const dry = gcResultSchema.parse(await json(await api.request('/api/v1/registry/gc', { method: 'POST' }), 200));
      const expected = [
        { key: `models/${goneId}/versions/1/gone.bin`, sizeBytes: 4, reason: 'deleted_model' },
        { key: `models/${gcModelId}/versions/1/old.bin`, sizeBytes: 9, reason: 'deleted_version' },
        { key: `runs/${deletedRun.runId}/artifacts/a/x.bin`, sizeBytes: 1, reason: 'deleted_run' },
        { key: `runs/${deletedRun.runId}/artifacts/b.txt`, sizeBytes: 1, reason: 'deleted_run' },
      ].sort((a, b) => (a.key < b.key ? -1 : 1)); // model ids are random uuids: their order is the sort's, not ours
      expect(dry).toEqual({ dryRun: true, objects: expected, objectCount: 4, totalBytes: 15, deletedCount: 0, truncated: false });
      await expect(objects.stat(`models/${gcModelId}/versions/1/old.bin`)).resolves.not.toBeNull();
      expect(gcResultSchema.parse(await json(await api.request('/api/v1/registry/gc?dryRun=true', { method: 'POST' }), 200)).deletedCount).toBe(0);
      expect((await api.request('/api/v1/registry/gc?dryRun=false', { method: 'POST', json: { dryRun: true } })).status).toBe(400);

      const real = gcResultSchema.parse(await json(await api.request('/api/v1/registry/gc?dryRun=false', { method: 'POST' }), 200));
      expect(real).toMatchObject({ dryRun: false, objectCount: 4, deletedCount: 4, totalBytes: 15 });
      for (const { key } of expected) await expect(objects.stat(key)).resolves.toBeNull();
      await expect(objects.stat(`runs/${namedRun.runId}/artifacts/m/m.json`)).resolves.not.toBeNull();
      await expect(objects.stat(`runs/${liveRun.runId}/artifacts/keep.bin`)).resolves.not.toBeNull();
      expect(await json(await api.request('/api/v1/models/gc-model/versions/2/verify', { role: 'viewer' }), 200)).toMatchObject({ verified: true });
      const [entry] = auditListSchema.parse(await json(await api.request('/api/v1/audit?action=registry.gc'), 200)).entries;
      expect(entry).toMatchObject({
        actor: 'test-admin',
        after: { deletedCount: 4, purgedRuns: 1, byReason: { deleted_run: 2, deleted_version: 1, deleted_model: 1 } },
      });
      // The collected run is purged for good (as mlflow gc does): it cannot come back listing files it lost.
      expect((await api.request(`/api/v1/runs/${deletedRun.runId}/restore`, { method: 'POST' })).status).toBe(404);
      expect((await api.request(`/api/v1/runs/${deletedRun.runId}/artifacts/b.txt`)).status).toBe(404);
      expect(auditListSchema.parse(await json(await api.request('/api/v1/audit?action=run.purge'), 200)).entries.map((e) => e.entityId)).toEqual([
        deletedRun.runId,
      ]);
      // The run a live version names stays restorable with its files.
      expect((await api.request(`/api/v1/runs/${namedRun.runId}/restore`, { method: 'POST' })).status).toBe(200);
      expect((await api.request(`/api/v1/runs/${namedRun.runId}/artifacts/m/m.json`)).status).toBe(200);
      expect(gcResultSchema.parse(await json(await api.request('/api/v1/registry/gc', { method: 'POST', json: { dryRun: false } }), 200)).objectCount).toBe(0);
    });

    it('finishes an interrupted purge: files left under a run that no longer exists are collected', async () => {
      const run = await seedRun(sql, objects, { artifacts: { 'left.bin': 'left' } });
      // What a crash between the purge and the file deletion leaves: the row gone, the bytes still there.
      await sql.query('DELETE FROM runs WHERE id = $1', [run.runId]);
      const dry = gcResultSchema.parse(await json(await api.request('/api/v1/registry/gc', { method: 'POST' }), 200));
      expect(dry.objects).toEqual([{ key: `runs/${run.runId}/artifacts/left.bin`, sizeBytes: 4, reason: 'deleted_run' }]);
      expect(gcResultSchema.parse(await json(await api.request('/api/v1/registry/gc?dryRun=false', { method: 'POST' }), 200)).deletedCount).toBe(1);
      await expect(objects.stat(`runs/${run.runId}/artifacts/left.bin`)).resolves.toBeNull();
    });
  });
});
