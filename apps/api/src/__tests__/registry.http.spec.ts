import { createHash, createPublicKey, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  auditListSchema,
  errorResponseSchema,
  modelListSchema,
  modelSchema,
  publicKeySchema,
  resolvedRefSchema,
  versionListSchema,
  versionSchema,
  type VersionView,
} from '@slipway/contracts';
import type { ObjectStore } from '@slipway/storage';
import { type TestSql, useTestDatabase } from '@slipway/testing';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { connect, createModel, json, modelId, putFile, seedRun, uploadVersion } from './registry-fixtures';

const sha = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const MODEL_JSON = JSON.stringify({ format: 'layers-model', modelTopology: {}, weightsManifest: [{ paths: ['weights.bin'], weights: [] }] });
const WEIGHTS = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) % 256));

describe('model registry over HTTP', () => {
  const db = useTestDatabase();
  let api: ApiTestApp;
  let sql: TestSql;
  let objects: ObjectStore;

  beforeAll(async () => {
    api = await startApiTestApp(db.url, { SLIPWAY_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
    ({ sql, objects } = connect(api, db.url));
  });
  afterAll(async () => {
    await sql?.close();
    await api?.close();
  });

  const errorOf = async (response: Response, status: number) => errorResponseSchema.parse(await json(response, status)).error;
  const audit = async (query: string) => auditListSchema.parse(await json(await api.request(`/api/v1/audit?${query}`), 200)).entries;

  describe('models', () => {
    it('creates a model for editors only, with a unique name', async () => {
      expect((await api.request('/api/v1/models', { role: null, method: 'POST', json: { name: 'fraud' } })).status).toBe(401);
      expect(await errorOf(await api.request('/api/v1/models', { role: 'viewer', method: 'POST', json: { name: 'fraud' } }), 403)).toMatchObject({
        code: 'PERMISSION_DENIED',
      });
      const created = modelSchema.parse(
        await json(
          await api.request('/api/v1/models', { role: 'editor', method: 'POST', json: { name: 'fraud', description: 'card fraud', tags: { team: 'risk' } } }),
          201,
        ),
      );
      expect(created).toMatchObject({ name: 'fraud', description: 'card fraud', tags: { team: 'risk' }, latestVersion: null, versionCount: 0, aliases: [] });
      const again = await errorOf(await api.request('/api/v1/models', { role: 'editor', method: 'POST', json: { name: 'fraud' } }), 409);
      expect(again).toMatchObject({ code: 'ALREADY_EXISTS', fields: [{ field: 'body.name', message: 'already exists' }] });
      expect((await audit('action=model.create&entityId=' + created.id))[0]).toMatchObject({ actor: 'test-editor', after: { name: 'fraud' } });
    });

    it('lists, searches by name and filters by tag; updates description and tags with an audit entry', async () => {
      await createModel(api, 'churn-predictor', { tags: { team: 'growth', framework: 'tfjs' } });
      await createModel(api, 'Churn-v2', { tags: { team: 'growth' } });
      const all = modelListSchema.parse(await json(await api.request('/api/v1/models', { role: 'viewer' }), 200));
      expect(all.models.map((m) => m.name)).toEqual(['Churn-v2', 'churn-predictor', 'fraud']);
      const search = modelListSchema.parse(await json(await api.request('/api/v1/models?search=CHURN', { role: 'viewer' }), 200));
      expect(search.models.map((m) => m.name)).toEqual(['Churn-v2', 'churn-predictor']);
      const tagged = modelListSchema.parse(await json(await api.request('/api/v1/models?tag=framework%3Dtfjs', { role: 'viewer' }), 200));
      expect(tagged.models.map((m) => m.name)).toEqual(['churn-predictor']);
      const page = modelListSchema.parse(await json(await api.request('/api/v1/models?limit=2', { role: 'viewer' }), 200));
      expect(page.models.map((m) => m.name)).toEqual(['Churn-v2', 'churn-predictor']);
      // Opaque (one codec for every list): not the last name itself.
      expect(page.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(page.nextCursor).not.toBe('churn-predictor');
      const next = modelListSchema.parse(await json(await api.request(`/api/v1/models?limit=2&cursor=${page.nextCursor}`, { role: 'viewer' }), 200));
      expect(next.models.map((m) => m.name)).toEqual(['fraud']);

      const updated = modelSchema.parse(
        await json(
          await api.request('/api/v1/models/Churn-v2', { role: 'editor', method: 'PATCH', json: { description: 'v2', tags: { team: 'retention' } } }),
          200,
        ),
      );
      expect(updated).toMatchObject({ description: 'v2', tags: { team: 'retention' } });
      const [entry] = await audit(`action=model.update&entityId=${updated.id}`);
      expect(entry).toMatchObject({ before: { description: '', tags: { team: 'growth' } }, after: { description: 'v2', tags: { team: 'retention' } } });
      expect(await errorOf(await api.request('/api/v1/models/nope', { role: 'viewer' }), 404)).toMatchObject({ code: 'NOT_FOUND' });
    });
  });

  describe('versions by direct upload', () => {
    let v1: VersionView;

    it('creates PENDING_UPLOAD, takes streamed files, and finalizes to READY with a signed manifest', async () => {
      const pending = versionSchema.parse(
        await json(
          await api.request('/api/v1/models/fraud/versions', {
            role: 'editor',
            method: 'POST',
            json: { description: 'first', algorithm: 'nn', framework: 'tfjs' },
          }),
          201,
        ),
      );
      expect(pending).toMatchObject({ version: 1, status: 'PENDING_UPLOAD', sha256: null, signature: null, files: null });
      expect(await json(await putFile(api, 'fraud', 1, 'model.json', MODEL_JSON), 201)).toEqual({
        path: 'model.json',
        sha256: sha(MODEL_JSON),
        sizeBytes: MODEL_JSON.length,
      });
      await json(await putFile(api, 'fraud', 1, 'weights.bin', WEIGHTS, { 'x-content-sha256': sha(WEIGHTS) }), 201);
      await json(await putFile(api, 'fraud', 1, 'meta/slipway.json', '{"labels":["ok","fraud"]}'), 201);
      // Pending versions are not served.
      expect((await api.request('/api/v1/models/fraud/versions/1/files/model.json', { role: 'viewer' })).status).toBe(409);
      v1 = versionSchema.parse(
        await json(
          await api.request('/api/v1/models/fraud/versions/1/finalize', {
            role: 'editor',
            method: 'POST',
            json: {
              files: [
                { path: 'weights.bin', sha256: sha(WEIGHTS) },
                { path: 'model.json', sha256: sha(MODEL_JSON) },
                { path: 'meta/slipway.json', sha256: sha('{"labels":["ok","fraud"]}') },
              ],
            },
          }),
          200,
        ),
      );
      expect(v1).toMatchObject({ version: 1, status: 'READY', sizeBytes: MODEL_JSON.length + WEIGHTS.length + 25, createdBy: 'test-editor' });
      expect(v1.files?.map((f) => f.path)).toEqual(['meta/slipway.json', 'model.json', 'weights.bin']);
      expect(v1.artifactUri).toMatch(/^file:\/\/.*\/models\/[0-9a-f-]{36}\/versions\/1\/$/);
      expect(v1.readyAt).not.toBeNull();
    });

    it("signs the canonical manifest's sha256 with the key published at /registry/public-key", async () => {
      const key = publicKeySchema.parse(await json(await api.request('/api/v1/registry/public-key', { role: 'viewer' }), 200));
      expect(key.algorithm).toBe('ed25519');
      const canonical = JSON.stringify({ format: 'slipway.manifest/v1', files: v1.files });
      expect(v1.sha256).toBe(sha(canonical));
      expect(verify(null, Buffer.from(v1.sha256 ?? '', 'hex'), createPublicKey(key.pem), Buffer.from(v1.signature ?? '', 'base64'))).toBe(true);
      const raw = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(key.rawBase64, 'base64').toString('base64url') }, format: 'jwk' });
      expect(verify(null, Buffer.from(v1.sha256 ?? '', 'hex'), raw, Buffer.from(v1.signature ?? '', 'base64'))).toBe(true);
    });

    it('serves verified bytes and verifies the whole version on request', async () => {
      const download = await api.request('/api/v1/models/fraud/versions/1/files/weights.bin', { role: 'viewer' });
      expect(download.status).toBe(200);
      expect(download.headers.get('content-type')).toBe('application/octet-stream');
      expect(Buffer.from(await download.arrayBuffer()).equals(WEIGHTS)).toBe(true);
      const nested = await api.request('/api/v1/models/fraud/versions/1/files/meta/slipway.json', { role: 'viewer' });
      expect(await nested.text()).toBe('{"labels":["ok","fraud"]}');
      expect(await errorOf(await api.request('/api/v1/models/fraud/versions/1/files/absent.bin', { role: 'viewer' }), 404)).toMatchObject({
        fields: [{ field: 'params.path' }],
      });
      expect(await json(await api.request('/api/v1/models/fraud/versions/1/verify', { role: 'viewer' }), 200)).toMatchObject({
        verified: true,
        files: 3,
        sha256: v1.sha256,
      });
    });

    it('keeps READY versions immutable: no more files, no second finalize', async () => {
      expect(await errorOf(await putFile(api, 'fraud', 1, 'weights.bin', 'evil'), 409)).toMatchObject({ code: 'CONFLICT' });
      expect(await errorOf(await putFile(api, 'fraud', 1, 'extra.bin', 'evil'), 409)).toMatchObject({ code: 'CONFLICT' });
      expect((await api.request('/api/v1/models/fraud/versions/1/finalize', { role: 'editor', method: 'POST', json: {} })).status).toBe(409);
      const again = await api.request('/api/v1/models/fraud/versions/1/files/weights.bin', { role: 'viewer' });
      expect(Buffer.from(await again.arrayBuffer()).equals(WEIGHTS)).toBe(true);
    });

    it('refuses a file whose announced sha256 differs (not kept) and finalizing nothing or the wrong files; stores JSON files as sent', async () => {
      const pending = versionSchema.parse(await json(await api.request('/api/v1/models/fraud/versions', { role: 'editor', method: 'POST', json: {} }), 201));
      expect(pending.version).toBe(2);
      expect(await errorOf(await putFile(api, 'fraud', 2, 'w.bin', 'abc', { 'x-content-sha256': sha('abd') }), 422)).toMatchObject({
        code: 'FAILED_PRECONDITION',
        fields: [{ field: 'headers.x-content-sha256' }],
      });
      expect(await objects.stat(`models/${await modelId(sql, 'fraud')}/versions/2/w.bin`)).toBeNull();
      // A JSON file sent as JSON is stored byte for byte, not parsed.
      const spaced = '{ "a" :  1 }\n';
      expect(await json(await putFile(api, 'fraud', 2, 'w.json', spaced, { 'content-type': 'application/json' }), 201)).toEqual({
        path: 'w.json',
        sha256: sha(spaced),
        sizeBytes: spaced.length,
      });
      await objects.delete(`models/${await modelId(sql, 'fraud')}/versions/2/w.json`);
      expect(await errorOf(await api.request('/api/v1/models/fraud/versions/2/finalize', { role: 'editor', method: 'POST', json: {} }), 422)).toMatchObject({
        code: 'FAILED_PRECONDITION',
      });
      await json(await putFile(api, 'fraud', 2, 'w.bin', 'abc'), 201);
      const wrong = await errorOf(
        await api.request('/api/v1/models/fraud/versions/2/finalize', {
          role: 'editor',
          method: 'POST',
          json: {
            files: [
              { path: 'w.bin', sha256: sha('abd') },
              { path: 'x.bin', sha256: sha('x') },
            ],
          },
        }),
        422,
      );
      expect(wrong.fields?.map((f) => f.field).sort()).toEqual(['body.files.w.bin', 'body.files.x.bin']);
      expect(versionSchema.parse(await json(await api.request('/api/v1/models/fraud/versions/2', { role: 'viewer' }), 200)).status).toBe('PENDING_UPLOAD');
    });

    it('lists versions newest first with status filter and pages; updates metadata with an audit entry', async () => {
      const list = versionListSchema.parse(await json(await api.request('/api/v1/models/fraud/versions', { role: 'viewer' }), 200));
      expect(list.versions.map((v) => [v.version, v.status])).toEqual([
        [2, 'PENDING_UPLOAD'],
        [1, 'READY'],
      ]);
      const ready = versionListSchema.parse(await json(await api.request('/api/v1/models/fraud/versions?status=READY&limit=1', { role: 'viewer' }), 200));
      expect(ready.versions.map((v) => v.version)).toEqual([1]);
      const patched = versionSchema.parse(
        await json(
          await api.request('/api/v1/models/fraud/versions/1', { role: 'editor', method: 'PATCH', json: { description: 'baseline', tags: { stage: 'prod' } } }),
          200,
        ),
      );
      expect(patched).toMatchObject({ description: 'baseline', tags: { stage: 'prod' }, sha256: v1.sha256, signature: v1.signature });
      expect((await audit(`action=model_version.update&entityId=${v1.id}`))[0]).toMatchObject({
        before: { description: 'first' },
        after: { description: 'baseline', tags: { stage: 'prod' } },
      });
      const model = modelSchema.parse(await json(await api.request('/api/v1/models/fraud', { role: 'viewer' }), 200));
      expect(model).toMatchObject({ versionCount: 2, latestVersion: { version: 2, status: 'PENDING_UPLOAD' }, latestReadyVersion: 1 });
    });
  });

  describe('versions from a run', () => {
    it("copies the run's artifact folder, checks each file against the run's record, signs, and links the lineage", async () => {
      const { runId, experimentId } = await seedRun(sql, objects, {
        params: { learningRate: '0.01', epochs: '20' },
        metrics: { loss: [0.9, 0.5, 0.2], accuracy: [0.6, 0.8, 0.93] },
        artifacts: { 'model/model.json': MODEL_JSON, 'model/weights.bin': WEIGHTS, 'model_other/x.bin': 'not mine', 'plots/roc.png': 'png' },
        datasetSha256: 'a'.repeat(64),
        codeVersion: 'git:deadbeef',
      });
      await createModel(api, 'from-run');
      const evaluation = {
        metrics: { accuracy: 0.93 },
        roc: { x: [0, 0.1, 1], y: [0, 0.8, 1], auc: 0.91 },
        confusionMatrix: {
          labels: ['ok', 'fraud'],
          matrix: [
            [90, 3],
            [4, 40],
          ],
        },
      };
      const version = versionSchema.parse(
        await json(
          await api.request('/api/v1/models/from-run/versions', {
            role: 'editor',
            method: 'POST',
            json: { runId, artifactPath: 'model', evaluation, inputSchema: { columns: [{ name: 'amount', type: 'number' }] } },
          }),
          201,
        ),
      );
      expect(version).toMatchObject({ version: 1, status: 'READY', runId, evaluation, inputSchema: { columns: [{ name: 'amount', type: 'number' }] } });
      expect(version.files).toEqual([
        { path: 'model.json', sha256: sha(MODEL_JSON), sizeBytes: MODEL_JSON.length },
        { path: 'weights.bin', sha256: sha(WEIGHTS), sizeBytes: WEIGHTS.length },
      ]);
      expect(version.lineage).toEqual({
        runId,
        runName: expect.any(String),
        experimentId,
        runStatus: 'FINISHED',
        runDeleted: false,
        datasetId: null,
        datasetSha256: 'a'.repeat(64),
        codeVersion: 'git:deadbeef',
        seed: 7,
        params: { epochs: '20', learningRate: '0.01' },
        metrics: { accuracy: 0.93, loss: 0.2 },
      });
      const download = await api.request('/api/v1/models/from-run/versions/1/files/weights.bin', { role: 'viewer' });
      expect(Buffer.from(await download.arrayBuffer()).equals(WEIGHTS)).toBe(true);
      // One file: registered under its own name.
      const single = versionSchema.parse(
        await json(
          await api.request('/api/v1/models/from-run/versions', { role: 'editor', method: 'POST', json: { runId, artifactPath: 'model/model.json' } }),
          201,
        ),
      );
      expect(single.files?.map((f) => f.path)).toEqual(['model.json']);
      const actions = (await audit(`entityId=${version.id}`)).map((e) => e.action).sort();
      expect(actions).toEqual(['model_version.create', 'model_version.ready']);
    });

    it('answers 404 for an unknown run or artifact path, 400 for a path without a run, 409 for a deleted run — and creates nothing', async () => {
      const { runId } = await seedRun(sql, objects, { artifacts: { 'model/a.json': '{}' } });
      const count = () => sql.count('model_versions');
      const before = await count();
      expect(
        await errorOf(
          await api.request('/api/v1/models/from-run/versions', {
            role: 'editor',
            method: 'POST',
            json: { runId: '00000000-0000-4000-8000-000000000000', artifactPath: 'model' },
          }),
          404,
        ),
      ).toMatchObject({ fields: [{ field: 'body.runId' }] });
      expect(
        await errorOf(await api.request('/api/v1/models/from-run/versions', { role: 'editor', method: 'POST', json: { runId, artifactPath: 'mod' } }), 404),
      ).toMatchObject({ fields: [{ field: 'body.artifactPath' }] });
      expect(
        await errorOf(await api.request('/api/v1/models/from-run/versions', { role: 'editor', method: 'POST', json: { artifactPath: 'model' } }), 400),
      ).toMatchObject({ fields: [{ field: 'body.runId' }] });
      expect(
        await errorOf(
          await api.request('/api/v1/models/from-run/versions', { role: 'editor', method: 'POST', json: { runId, artifactPath: '../model' } }),
          400,
        ),
      ).toMatchObject({ fields: [{ field: 'body.artifactPath' }] });
      await sql.query('UPDATE runs SET deleted_at = now() WHERE id = $1', [runId]);
      expect(
        await errorOf(await api.request('/api/v1/models/from-run/versions', { role: 'editor', method: 'POST', json: { runId, artifactPath: 'model' } }), 409),
      ).toMatchObject({ fields: [{ field: 'body.runId' }] });
      expect(await count()).toBe(before);
    });

    it('marks the version FAILED and answers 422 when the run artifact no longer matches its recorded hash', async () => {
      const { runId } = await seedRun(sql, objects, { artifacts: { 'm/w.bin': 'original' } });
      await objects.put(`runs/${runId}/artifacts/m/w.bin`, Buffer.from('tampered'));
      const error = await errorOf(
        await api.request('/api/v1/models/from-run/versions', { role: 'editor', method: 'POST', json: { runId, artifactPath: 'm' } }),
        422,
      );
      expect(error.message).toMatch(/failed verification: (size|sha256) mismatch on m\/w.bin/);
      const failed = versionListSchema.parse(await json(await api.request('/api/v1/models/from-run/versions?status=FAILED', { role: 'viewer' }), 200));
      expect(failed.versions).toHaveLength(1);
    });
  });

  describe('aliases, refs, archive and delete', () => {
    it('sets, moves, reads and deletes aliases, each recorded; resolves every ref form', async () => {
      await createModel(api, 'ranker');
      const [r1, r2] = [await uploadVersion(api, 'ranker', { 'm.json': '{"v":1}' }), await uploadVersion(api, 'ranker', { 'm.json': '{"v":2}' })];
      const set = await json(await api.request('/api/v1/models/ranker/aliases/champion', { role: 'editor', method: 'PUT', json: { version: 1 } }), 200);
      expect(set).toMatchObject({ model: 'ranker', alias: 'champion', version: 1, previousVersion: null });
      const moved = await json(await api.request('/api/v1/models/ranker/aliases/champion', { role: 'editor', method: 'PUT', json: { version: 2 } }), 200);
      expect(moved).toMatchObject({ version: 2, previousVersion: 1 });
      // A no-op move changes and records nothing.
      expect(
        await json(await api.request('/api/v1/models/ranker/aliases/champion', { role: 'editor', method: 'PUT', json: { version: 2 } }), 200),
      ).toMatchObject({ version: 2, previousVersion: 2 });
      const trail = await audit('entityType=model_alias&entityId=ranker%40champion');
      expect(trail.map((e) => [e.action, (e.before as { version?: number } | null)?.version ?? null, (e.after as { version: number }).version])).toEqual([
        ['alias.move', 1, 2],
        ['alias.set', null, 1],
      ]);
      expect(await json(await api.request('/api/v1/models/ranker/aliases/champion', { role: 'viewer' }), 200)).toMatchObject({ version: 2 });
      for (const [ref, version, alias] of [
        ['ranker@champion', 2, 'champion'],
        ['ranker@latest', 2, 'latest'],
        ['ranker@1', 1, null],
        ['ranker@v1', 1, null],
        ['ranker/1', 1, null],
      ] as const) {
        const resolved = resolvedRefSchema.parse(await json(await api.request(`/api/v1/registry/resolve/${encodeURIComponent(ref)}`, { role: 'viewer' }), 200));
        expect([resolved.version.version, resolved.alias, resolved.version.id]).toEqual([version, alias, version === 1 ? r1.id : r2.id]);
      }
      const model = modelSchema.parse(await json(await api.request('/api/v1/models/ranker', { role: 'viewer' }), 200));
      expect(model.aliases).toEqual([{ alias: 'champion', version: 2 }]);
      expect(versionSchema.parse(await json(await api.request('/api/v1/models/ranker/versions/2', { role: 'viewer' }), 200)).aliases).toEqual(['champion']);
      expect((await api.request('/api/v1/registry/resolve/ranker%40nope', { role: 'viewer' })).status).toBe(404);
      expect((await api.request('/api/v1/registry/resolve/ranker%409', { role: 'viewer' })).status).toBe(404);
      expect((await api.request('/api/v1/models/ranker/aliases/champion', { role: 'viewer', method: 'PUT', json: { version: 1 } })).status).toBe(403);
      expect(
        await errorOf(await api.request('/api/v1/models/ranker/aliases/latest', { role: 'editor', method: 'PUT', json: { version: 1 } }), 400),
      ).toMatchObject({ fields: [{ field: 'params.alias' }] });
      expect(
        await errorOf(await api.request('/api/v1/models/ranker/aliases/next', { role: 'editor', method: 'PUT', json: { version: 9 } }), 404),
      ).toMatchObject({ fields: [{ field: 'body.version' }] });
      await json(await api.request('/api/v1/models/ranker/versions', { role: 'editor', method: 'POST', json: {} }), 201);
      expect(
        await errorOf(await api.request('/api/v1/models/ranker/aliases/next', { role: 'editor', method: 'PUT', json: { version: 3 } }), 409),
      ).toMatchObject({ code: 'CONFLICT' });
      await json(await api.request('/api/v1/models/ranker/aliases/challenger', { role: 'editor', method: 'PUT', json: { version: 1 } }), 200);
      expect((await api.request('/api/v1/models/ranker/aliases/challenger', { role: 'editor', method: 'DELETE' })).status).toBe(204);
      expect((await api.request('/api/v1/models/ranker/aliases/challenger', { role: 'editor', method: 'DELETE' })).status).toBe(404);
      expect((await audit('action=alias.delete'))[0]).toMatchObject({ entityId: 'ranker@challenger', before: { version: 1 } });
    });

    it('refuses to archive or delete a version an alias or a deployment uses (409), and does both otherwise', async () => {
      expect(await errorOf(await api.request('/api/v1/models/ranker/versions/2', { role: 'editor', method: 'DELETE' }), 409)).toMatchObject({
        message: expect.stringContaining('alias "champion"'),
      });
      expect((await api.request('/api/v1/models/ranker/versions/2/archive', { role: 'editor', method: 'POST' })).status).toBe(409);
      const model = { id: await modelId(sql, 'ranker') };
      const versionId = async (version: number) =>
        (await sql.one<{ id: string }>('SELECT id FROM model_versions WHERE model_id = $1 AND version = $2', [model.id, version])).id;
      const deployment = await sql.one<{ id: string }>(
        `INSERT INTO deployments (id, name, model_id, current_revision, created_at, updated_at) VALUES (gen_random_uuid(), 'rank-svc', $1, 1, now(), now()) RETURNING id`,
        [model.id],
      );
      const revision = (n: number, action: string, stable: string) =>
        sql.query(`INSERT INTO deployment_revisions (id, deployment_id, revision, action, stable_version_id) VALUES (gen_random_uuid(), $1, $2, $3, $4)`, [
          deployment.id,
          n,
          action,
          stable,
        ]);
      await revision(1, 'CREATE', await versionId(1));
      expect(await errorOf(await api.request('/api/v1/models/ranker/versions/1', { role: 'editor', method: 'DELETE' }), 409)).toMatchObject({
        message: expect.stringContaining('deployment "rank-svc"'),
      });
      expect(await errorOf(await api.request('/api/v1/models/ranker', { role: 'editor', method: 'DELETE' }), 409)).toMatchObject({
        message: expect.stringContaining('rank-svc'),
      });
      // A past revision still holds it (a rollback may return to it); once the deployment is deleted, version 1 is free.
      await revision(2, 'UPDATE', await versionId(2));
      await sql.query('UPDATE deployments SET current_revision = 2 WHERE id = $1', [deployment.id]);
      expect(await errorOf(await api.request('/api/v1/models/ranker/versions/1/archive', { role: 'editor', method: 'POST' }), 409)).toMatchObject({
        message: expect.stringContaining('deployment "rank-svc"'),
      });
      await sql.query(`UPDATE deployments SET status = 'DELETED' WHERE id = $1`, [deployment.id]);
      const archived = versionSchema.parse(await json(await api.request('/api/v1/models/ranker/versions/1/archive', { role: 'editor', method: 'POST' }), 200));
      expect(archived).toMatchObject({ status: 'ARCHIVED', archivedAt: expect.any(String) });
      expect((await api.request('/api/v1/models/ranker/versions/1/archive', { role: 'editor', method: 'POST' })).status).toBe(409);
      // Archived versions still verify and download; aliases do not point at them.
      expect((await api.request('/api/v1/models/ranker/versions/1/files/m.json', { role: 'viewer' })).status).toBe(200);
      expect((await api.request('/api/v1/models/ranker/aliases/old', { role: 'editor', method: 'PUT', json: { version: 1 } })).status).toBe(409);
      expect(
        versionSchema.parse(await json(await api.request('/api/v1/models/ranker/versions/1/restore', { role: 'editor', method: 'POST' }), 200)),
      ).toMatchObject({ status: 'READY', archivedAt: null });
      expect((await api.request('/api/v1/models/ranker/versions/1/restore', { role: 'editor', method: 'POST' })).status).toBe(409);
      await json(await api.request('/api/v1/models/ranker/versions/1/archive', { role: 'editor', method: 'POST' }), 200);
      expect((await api.request('/api/v1/models/ranker/versions/1', { role: 'editor', method: 'DELETE' })).status).toBe(204);
      expect((await api.request('/api/v1/models/ranker/versions/1', { role: 'viewer' })).status).toBe(404);
      expect((await audit(`entityId=${await versionId(1)}`)).map((e) => e.action)).toEqual([
        'model_version.delete',
        'model_version.archive',
        'model_version.restore',
        'model_version.archive',
        'model_version.ready',
        'model_version.create',
      ]);
      // Numbers are never reused, even after a delete.
      const next = versionSchema.parse(await json(await api.request('/api/v1/models/ranker/versions', { role: 'editor', method: 'POST', json: {} }), 201));
      expect(next.version).toBe(4);
    });

    it('deletes a model no deployment uses, with its versions and aliases', async () => {
      await createModel(api, 'scratch');
      await uploadVersion(api, 'scratch', { 'a.json': '{}' });
      await json(await api.request('/api/v1/models/scratch/aliases/champion', { role: 'editor', method: 'PUT', json: { version: 1 } }), 200);
      expect((await api.request('/api/v1/models/scratch', { role: 'viewer', method: 'DELETE' })).status).toBe(403);
      expect((await api.request('/api/v1/models/scratch', { role: 'editor', method: 'DELETE' })).status).toBe(204);
      expect((await api.request('/api/v1/models/scratch', { role: 'viewer' })).status).toBe(404);
      expect((await api.request('/api/v1/models/scratch', { role: 'editor', method: 'DELETE' })).status).toBe(404);
      expect((await audit('action=model.delete'))[0]).toMatchObject({ before: { name: 'scratch', versionCount: 1 } });
    });
  });

  describe('webhook outbox', () => {
    it('writes one delivery per subscribed webhook in the transaction of each registry change', async () => {
      const hook = await json<{ id: string }>(
        await api.request('/api/v1/webhooks', {
          method: 'POST',
          json: {
            name: 'ci',
            url: 'http://127.0.0.1:9/hook',
            events: ['model_version.created', 'model_version.ready', 'alias.moved', 'model_version.archived', 'alias.deleted'],
          },
        }),
        201,
      );
      await json(
        await api.request('/api/v1/webhooks', {
          method: 'POST',
          json: { name: 'only-ready', url: 'http://127.0.0.1:9/ready', events: ['model_version.ready'], active: true },
        }),
        201,
      );
      await createModel(api, 'hooked');
      await uploadVersion(api, 'hooked', { 'a.json': '{}' });
      await uploadVersion(api, 'hooked', { 'a.json': '{"b":1}' });
      await json(await api.request('/api/v1/models/hooked/aliases/champion', { role: 'editor', method: 'PUT', json: { version: 1 } }), 200);
      await json(await api.request('/api/v1/models/hooked/aliases/champion', { role: 'editor', method: 'PUT', json: { version: 2 } }), 200);
      await json(await api.request('/api/v1/models/hooked/versions/1/archive', { role: 'editor', method: 'POST' }), 200);
      expect((await api.request('/api/v1/models/hooked/aliases/champion', { role: 'editor', method: 'DELETE' })).status).toBe(204);
      const rows = await sql.query<{ event: string; payload: unknown }>(
        'SELECT event, payload FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY created_at, id',
        [hook.id],
      );
      expect(rows.map((r) => r.event)).toEqual([
        'model_version.created',
        'model_version.ready',
        'model_version.created',
        'model_version.ready',
        'alias.moved',
        'alias.moved',
        'model_version.archived',
        'alias.deleted',
      ]);
      expect(rows[5].payload).toMatchObject({ model: 'hooked', alias: 'champion', fromVersion: 1, toVersion: 2, actor: 'test-editor' });
      expect(rows[1].payload).toMatchObject({ model: 'hooked', version: 1, status: 'READY', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
      expect(await sql.count('webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id', "d.event = 'model_version.ready' AND w.name = 'only-ready'")).toBe(
        2,
      );
      // A refused change announces nothing.
      expect((await api.request('/api/v1/models/hooked/versions/1/archive', { role: 'editor', method: 'POST' })).status).toBe(409);
      expect(await sql.count('webhook_deliveries', 'webhook_id = $1', [hook.id])).toBe(8);
    });
  });
});
