/**
 * The API process SIGKILLed in the middle of an upload (a model version file; a run artifact), as when its
 * machine dies: what was half-received is never registered nor served, and after a restart the same upload
 * completes (the artifact's once the dead upload's claim on its path lapses) and the version is finalized exactly once. The API runs from its sources (support/swc-register.cjs)
 * on the test file's database, with the local object store in a home folder that outlives the kill.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { findWorkspaceRoot } from '@slipway/config';
import { connectTestSql, freePort, useTestDatabase, waitFor } from '@slipway/testing';

const root = findWorkspaceRoot(__dirname);
const TOKEN = 'slw_upload-kill-test-admin-token-0123456789abcdef0123';
const FILE = Buffer.alloc(8 * 1024 * 1024, 0x42);

interface Api {
  child: ChildProcessWithoutNullStreams;
  baseUrl: string;
  exited: Promise<unknown>;
}

function walk(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('the API killed mid-upload', () => {
  const db = useTestDatabase();
  const home = mkdtempSync(join(tmpdir(), 'slipway-upload-kill-'));
  const running: Api[] = [];
  afterAll(async () => {
    for (const api of running) if (api.child.exitCode === null && api.child.signalCode === null) api.child.kill('SIGKILL');
    rmSync(home, { recursive: true, force: true });
  });

  const startApi = async (): Promise<Api> => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--require', join(__dirname, 'support', 'swc-register.cjs'), join(root, 'apps/api/src/main.ts')], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_OPTIONS: '',
        DATABASE_URL: db.url,
        SLIPWAY_HOME: home,
        SLIPWAY_API_PORT: String(port),
        SLIPWAY_BOOTSTRAP_TOKEN: TOKEN,
        SLIPWAY_MIGRATE_ON_START: 'false',
        SLIPWAY_LOG_LEVEL: 'warn',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const api = { child, baseUrl: `http://127.0.0.1:${port}`, exited: new Promise((resolve) => child.once('exit', resolve)) };
    running.push(api);
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`API exited:\n${output}`);
        return (await fetch(`${api.baseUrl}/health`).then(
          (r) => r.status,
          () => 0,
        )) === 200
          ? true
          : undefined;
      },
      { what: 'the API answers', timeoutMs: 120_000 },
    );
    return api;
  };

  const call = async (api: Api, path: string, init: { method?: string; json?: unknown; body?: Buffer } = {}) => {
    const response = await fetch(`${api.baseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${TOKEN}`,
        ...(init.json !== undefined && { 'content-type': 'application/json' }),
        ...(init.body !== undefined && { 'content-type': 'application/octet-stream' }),
      },
      body: init.json !== undefined ? JSON.stringify(init.json) : init.body !== undefined ? new Uint8Array(init.body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, body: (text.startsWith('{') ? JSON.parse(text) : text) as Record<string, unknown> };
  };

  /**
   * Sends the head of an upload (half the file, then nothing more), waits until the API has started writing
   * it to the object store, and SIGKILLs the API there.
   */
  const killMidUpload = async (api: Api, path: string, objectsDir: string) => {
    const url = new URL(path, api.baseUrl);
    const upload = request({
      host: url.hostname,
      port: url.port,
      method: 'PUT',
      path: url.pathname,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/octet-stream', 'content-length': String(FILE.length) },
    });
    const answered = new Promise<string>((resolve) => {
      upload.on('response', (r) => resolve(`answered ${r.statusCode}`));
      upload.on('error', (e) => resolve(`connection: ${e.message}`));
    });
    // Partial files an earlier kill left behind do not count: this upload's own must appear.
    const before = new Set(walk(objectsDir));
    upload.write(FILE.subarray(0, FILE.length / 2));
    await waitFor(() => (walk(objectsDir).some((f) => f.includes('.partial-') && !before.has(f)) ? true : undefined), {
      what: 'the API writes the partial object',
      timeoutMs: 30_000,
    });
    api.child.kill('SIGKILL');
    await api.exited;
    // The client sees its connection die, never an answer.
    expect(await answered).toMatch(/^connection: /);
  };

  it('leaves no half-registered version or artifact, serves nothing partial, and the retry after restart completes once', async () => {
    const objectsDir = join(home, 'artifacts');
    const sha = createHash('sha256').update(FILE).digest('hex');
    let api = await startApi();
    expect((await call(api, '/api/v1/models', { method: 'POST', json: { name: 'killed' } })).status).toBe(201);
    const created = await call(api, '/api/v1/models/killed/versions', { method: 'POST', json: {} });
    expect(created.status).toBe(201);
    const version = created.body.version as number;
    const experiment = await call(api, '/api/v1/experiments', { method: 'POST', json: { name: 'killed' } });
    const run = await call(api, '/api/v1/runs', { method: 'POST', json: { experimentId: experiment.body.id, name: 'r' } });
    const runId = run.body.id as string;

    await killMidUpload(api, `/api/v1/models/killed/versions/${version}/files/model.bin`, objectsDir);
    api = await startApi();
    // Not READY, nothing served, nothing listed as a finished object.
    expect((await call(api, `/api/v1/models/killed/versions/${version}`)).body.status).toBe('PENDING_UPLOAD');
    expect((await call(api, `/api/v1/models/killed/versions/${version}/files/model.bin`)).status).toBe(409);

    await killMidUpload(api, `/api/v1/runs/${runId}/artifacts/weights.bin`, objectsDir);
    api = await startApi();
    expect((await call(api, `/api/v1/runs/${runId}/artifacts`)).body.artifacts).toEqual([]);
    expect((await call(api, `/api/v1/runs/${runId}/artifacts/weights.bin`)).status).toBe(404);

    // The retries: the same uploads, then finalize.
    const file = await call(api, `/api/v1/models/killed/versions/${version}/files/model.bin`, { method: 'PUT', body: FILE });
    expect([file.status, file.body.sha256]).toEqual([201, sha]);
    const finalized = await call(api, `/api/v1/models/killed/versions/${version}/finalize`, { method: 'POST', json: {} });
    expect([finalized.status, finalized.body.status]).toEqual([200, 'READY']);
    expect((finalized.body.files as { path: string }[]).map((f) => f.path)).toEqual(['model.bin']);
    const download = await fetch(`${api.baseUrl}/api/v1/models/killed/versions/${version}/files/model.bin`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect([
      download.status,
      createHash('sha256')
        .update(Buffer.from(await download.arrayBuffer()))
        .digest('hex'),
    ]).toEqual([200, sha]);
    // The killed upload's claim on the path lapses (ARTIFACT_UPLOAD_CLAIM_TTL_MS, 30 s, as nobody renews it); until then a
    // retry is told the upload is in progress, after that it completes.
    const refusals: string[] = [];
    const artifact = await waitFor(
      async () => {
        const attempt = await call(api, `/api/v1/runs/${runId}/artifacts/weights.bin`, { method: 'PUT', body: FILE });
        if (attempt.status !== 409) return attempt;
        refusals.push((attempt.body.error as { message: string }).message);
        return undefined;
      },
      { what: 'the artifact retry completes once the dead upload claim lapses', timeoutMs: 45_000, intervalMs: 2_000 },
    );
    expect([artifact.status, artifact.body.sha256]).toEqual([201, sha]);
    expect(refusals.filter((m) => !/is in progress/.test(m))).toEqual([]);

    const sql = connectTestSql(db.url);
    try {
      expect(await sql.count('model_versions', `model_id = (SELECT id FROM models WHERE name = 'killed')`)).toBe(1);
      expect(await sql.count('artifacts', 'run_id = $1', [runId])).toBe(1);
    } finally {
      await sql.close();
    }
  }, 300_000);
});
