import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { expectNamed } from '@slipway/testing-matchers';
// The Node client: the isomorphic core's routes plus file and stream transfers, all of which this suite covers.
import { createSlipwayNodeClient as createSlipwayClient, SlipwayApiError, type SlipwayNodeClient as SlipwayClient } from '@slipway/client-node';
import { findWorkspaceRoot } from '@slipway/config';
import { ErrorCode } from '@slipway/contracts';
import { useTestDatabase } from '@slipway/testing';
import { startApiTestApp, type ApiTestApp } from './api-test-app';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('@slipway/client against the real API', () => {
  const db = useTestDatabase();
  let api: ApiTestApp;
  let editor: SlipwayClient;
  let viewer: SlipwayClient;
  let dir: string;

  beforeAll(async () => {
    api = await startApiTestApp(db.url);
    editor = createSlipwayClient({ baseUrl: api.baseUrl, token: api.tokens.editor });
    viewer = createSlipwayClient({ baseUrl: `${api.baseUrl}/api/v1/`, token: api.tokens.viewer });
    dir = mkdtempSync(join(tmpdir(), 'slipway-client-'));
  });
  afterAll(async () => {
    await api?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("the committed OpenAPI document (libs/client/src/generated/openapi.json) is the running API's", async () => {
    const live = await (await fetch(`${api.baseUrl}/docs-json`)).json();
    const committed = JSON.parse(readFileSync(join(findWorkspaceRoot(__dirname), 'libs/client/src/generated/openapi.json'), 'utf8'));
    // Key order is not compared (the committed file is canonical, keys sorted); a difference means run npm run generate:client.
    expectNamed(committed, 'the generated client is out of date with the API: run npm run generate:client').toEqual(live);
  });

  it('whoami names the token and its role', async () => {
    await expect(viewer.whoami()).resolves.toMatchObject({ name: 'test-viewer', role: 'viewer' });
  });

  it('tracks a run: create, log a batch, metric history, search with a filter, end', async () => {
    const run = await editor.runs.create({ experimentName: 'client-tracking', name: 'cart', params: [{ key: 'criterion', value: 'gini' }] });
    expect(run).toMatchObject({ status: 'RUNNING', name: 'cart' });
    await expect(
      editor.runs.logBatch(run.id, {
        metrics: [0, 1, 2].map((step) => ({ key: 'loss', value: 1 / (step + 1), step })).concat([{ key: 'f1', value: 0.93, step: 0 }]),
        tags: { team: 'risk' },
      }),
    ).resolves.toEqual({ metrics: 4, params: 0, tags: 1 });
    expect((await viewer.runs.get(run.id)).tags).toEqual({ team: 'risk' });
    const history = await viewer.runs.metricHistory(run.id, 'loss', { limit: 2 });
    expect(history.points.map((p) => p.step)).toEqual([0, 1]);
    expect(history.nextCursor).not.toBeNull();
    await expect(editor.runs.end(run.id, 'FINISHED')).resolves.toMatchObject({ status: 'FINISHED' });

    const other = await editor.runs.create({ experimentName: 'client-tracking', params: [{ key: 'criterion', value: 'entropy' }] });
    await editor.runs.logBatch(other.id, { metrics: [{ key: 'f1', value: 0.5 }] });
    const found = await viewer.runs.search({ filter: "metrics.f1 > 0.9 AND params.criterion = 'gini'" });
    expect(found.runs.map((r) => r.id)).toEqual([run.id]);
    const all: string[] = [];
    for await (const r of viewer.runs.searchAll({ filter: 'metrics.f1 >= 0', orderBy: 'metrics.f1 DESC', limit: 1 })) all.push(r.id);
    expect(all).toEqual([run.id, other.id]);
    const experiment = await viewer.experiments.findByName('client-tracking');
    expect(experiment?.id).toBe(run.experimentId);
  });

  it('uploads an artifact from a file with progress and a client-side sha256, and downloads it verified', async () => {
    const run = await editor.runs.create({ experimentName: 'client-artifacts' });
    const bytes = randomBytes(300_000);
    const file = join(dir, 'weights.bin');
    writeFileSync(file, bytes);
    const progress: number[] = [];
    const artifact = await editor.artifacts.upload(run.id, 'model/weights v1.bin', file, { onProgress: (p) => progress.push(p.bytes) });
    expect(artifact).toMatchObject({ path: 'model/weights v1.bin', sizeBytes: bytes.length, sha256: sha256(bytes) });
    expect(progress[0]).toBe(0);
    expect(progress.at(-1)).toBe(bytes.length);

    const streamed = await editor.artifacts.upload(run.id, 'notes.txt', Readable.from([Buffer.from('a '), Buffer.from('stream')]));
    expect(streamed).toMatchObject({ sizeBytes: 8, sha256: sha256(Buffer.from('a stream')) });

    const target = join(dir, 'downloaded.bin');
    await expect(viewer.artifacts.download(run.id, 'model/weights v1.bin', target)).resolves.toEqual({ sha256: sha256(bytes), sizeBytes: bytes.length });
    expect(readFileSync(target).equals(bytes)).toBe(true);
    const listed = await viewer.artifacts.list(run.id);
    expect(listed.artifacts.map((a) => a.path).sort()).toEqual(['model/weights v1.bin', 'notes.txt']);
  });

  it('registers versions from a run artifact and by direct upload, moves aliases, resolves refs, compares', async () => {
    const run = await editor.runs.create({ experimentName: 'client-registry', params: [{ key: 'maxDepth', value: '4' }] });
    await editor.runs.logBatch(run.id, { metrics: [{ key: 'f1', value: 0.9 }] });
    await editor.artifacts.upload(run.id, 'model/model.json', Buffer.from('{"v":1}'));
    const fromRun = await editor.versions.registerFromRun('client-fraud', { runId: run.id, artifactPath: 'model' });
    expect(fromRun).toMatchObject({ model: 'client-fraud', version: 1, status: 'READY', runId: run.id });
    expect(fromRun.files?.map((f) => f.path)).toEqual(['model.json']);

    const weights = randomBytes(50_000);
    const seen = new Set<string>();
    const uploaded = await editor.versions.registerFiles(
      'client-fraud',
      [
        { path: 'model.json', source: Buffer.from('{"v":2}') },
        { path: 'weights/group1.bin', source: weights },
      ],
      { description: 'direct upload', onProgress: (file) => seen.add(file) },
    );
    expect(uploaded).toMatchObject({ version: 2, status: 'READY', description: 'direct upload' });
    expect(uploaded.files?.find((f) => f.path === 'weights/group1.bin')?.sha256).toBe(sha256(weights));
    expect([...seen].sort()).toEqual(['model.json', 'weights/group1.bin']);
    await expect(viewer.versions.verify('client-fraud', 2)).resolves.toMatchObject({ verified: true, files: 2 });

    await expect(editor.aliases.set('client-fraud', 'champion', 1)).resolves.toMatchObject({ version: 1, previousVersion: null });
    await expect(editor.aliases.set('client-fraud', 'champion', 2)).resolves.toMatchObject({ version: 2, previousVersion: 1 });
    await expect(viewer.resolve('client-fraud@champion')).resolves.toMatchObject({ alias: 'champion', version: { version: 2 } });
    const model = await viewer.models.get('client-fraud');
    expect(model).toMatchObject({ versionCount: 2, aliases: [{ alias: 'champion', version: 2 }] });
    const models = [];
    for await (const m of viewer.models.listAll()) models.push(m.name);
    expect(models).toContain('client-fraud');

    const target = join(dir, 'group1.bin');
    await viewer.versions.downloadFile('client-fraud', 2, 'weights/group1.bin', target);
    expect(statSync(target).size).toBe(weights.length);

    const comparison = await viewer.compare({
      versions: [
        { model: 'client-fraud', version: 1 },
        { model: 'client-fraud', version: 2 },
      ],
    });
    expect(comparison.items.map((i) => i.label)).toEqual(['client-fraud@1', 'client-fraud@2']);
    expect(comparison.metrics.find((m) => m.key === 'f1')).toMatchObject({ values: [0.9, null], best: [0] });

    await editor.aliases.delete('client-fraud', 'champion');
    await expect(viewer.aliases.get('client-fraud', 'champion')).rejects.toMatchObject({ status: 404, code: ErrorCode.NOT_FOUND });
  });

  it('turns API errors into SlipwayApiError with code, message, fields, request id and status', async () => {
    const denied = await viewer.runs.create({ experimentName: 'nope' }).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(SlipwayApiError);
    expect(denied).toMatchObject({ status: 403, code: ErrorCode.PERMISSION_DENIED });
    expect((denied as SlipwayApiError).requestId).toMatch(/\S/);

    const invalid = (await editor.runs.search({ filter: 'metrics.f1 >>> 1' }).catch((e: unknown) => e)) as SlipwayApiError;
    expect(invalid).toMatchObject({ status: 400, code: ErrorCode.INVALID_ARGUMENT });
    expect(invalid.fields.map((f) => f.field)).toContain('body.filter');
    expect(invalid.describe()).toMatch(/^INVALID_ARGUMENT: /);

    await expect(createSlipwayClient({ baseUrl: api.baseUrl, token: 'slw_wrong' }).whoami()).rejects.toMatchObject({
      status: 401,
      code: ErrorCode.UNAUTHENTICATED,
    });
    await expect(editor.models.get('no-such-model')).rejects.toMatchObject({ status: 404, code: ErrorCode.NOT_FOUND });
  });

  it('reports an unreachable API as UNAVAILABLE with status 0', async () => {
    // A port that was just free: nothing listens there.
    const server = createServer();
    const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
    await new Promise((resolve) => server.close(resolve));
    const nowhere = createSlipwayClient({ baseUrl: `http://127.0.0.1:${port}`, token: 'slw_x' });
    const error = (await nowhere.whoami().catch((e: unknown) => e)) as SlipwayApiError;
    expect(error).toMatchObject({ status: 0, code: ErrorCode.UNAVAILABLE });
    expect(error.message).toContain(`cannot reach the Slipway API at http://127.0.0.1:${port}: ECONNREFUSED`);
    await expect(nowhere.artifacts.upload('00000000-0000-4000-8000-000000000000', 'a.bin', Buffer.from('x'))).rejects.toMatchObject({
      status: 0,
      code: ErrorCode.UNAVAILABLE,
    });
  });
});
