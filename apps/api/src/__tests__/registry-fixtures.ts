/** Helpers for the registry and webhook HTTP tests: runs seeded straight into the tracking tables, uploads. */
import { randomUUID } from 'node:crypto';
import { expectNamed } from '@slipway/testing-matchers';
import { versionSchema, type VersionView } from '@slipway/contracts';
import { createObjectStore, type ObjectStore } from '@slipway/storage';
import type { ApiTestApp } from './api-test-app';
import { connectTestSql, type TestSql } from '@slipway/testing';

export interface SeededRun {
  runId: string;
  experimentId: string;
}

/** A run with params, final metrics, metric histories and artifacts, written as the tracking service would. */
export async function seedRun(
  sql: TestSql,
  objects: ObjectStore,
  options: {
    params?: Record<string, string>;
    metrics?: Record<string, number[]>;
    artifacts?: Record<string, Buffer | string>;
    datasetSha256?: string;
    codeVersion?: string;
    name?: string;
  } = {},
): Promise<SeededRun> {
  const experiment = await sql.one<{ id: string }>(
    `INSERT INTO experiments (id, name, description, created_at, updated_at) VALUES (gen_random_uuid(), 'registry-tests', '', now(), now())
     ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
  );
  const run = await sql.one<{ id: string }>(
    `INSERT INTO runs (id, experiment_id, name, status, dataset_sha256, code_version, seed, created_at) VALUES (gen_random_uuid(), $1, $2, 'FINISHED', $3, $4, 7, now()) RETURNING id`,
    [experiment.id, options.name ?? `run-${randomUUID().slice(0, 8)}`, options.datasetSha256 ?? 'd'.repeat(64), options.codeVersion ?? 'git:abc123'],
  );
  for (const [key, value] of Object.entries(options.params ?? {}))
    await sql.query('INSERT INTO run_params (run_id, key, value) VALUES ($1, $2, $3)', [run.id, key, value]);
  for (const [key, values] of Object.entries(options.metrics ?? {})) {
    await sql.query('INSERT INTO metrics (run_id, key, value, step) SELECT $1, $2, v, s - 1 FROM unnest($3::float8[]) WITH ORDINALITY AS u(v, s)', [
      run.id,
      key,
      values,
    ]);
    await sql.query('INSERT INTO latest_metrics (run_id, key, value, step, timestamp) VALUES ($1, $2, $3, $4, now())', [
      run.id,
      key,
      values[values.length - 1],
      values.length - 1,
    ]);
  }
  for (const [path, content] of Object.entries(options.artifacts ?? {})) {
    const stored = await objects.put(`runs/${run.id}/artifacts/${path}`, Buffer.from(content));
    await sql.query('INSERT INTO artifacts (id, run_id, path, uri, sha256, size_bytes) VALUES (gen_random_uuid(), $1, $2, $3, $4, $5)', [
      run.id,
      path,
      stored.uri,
      stored.sha256,
      stored.sizeBytes,
    ]);
  }
  return { runId: run.id, experimentId: experiment.id };
}

export function connect(api: ApiTestApp, databaseUrl: string): { sql: TestSql; objects: ObjectStore } {
  return { sql: connectTestSql(databaseUrl), objects: createObjectStore(api.config.objectStore) };
}

/** The id of the model named `name` (object keys are by id). */
export async function modelId(sql: TestSql, name: string): Promise<string> {
  return (await sql.one<{ id: string }>('SELECT id FROM models WHERE name = $1', [name])).id;
}

export async function json<T = unknown>(response: Response, status: number): Promise<T> {
  const text = await response.text();
  expectNamed(response.status, text.slice(0, 500)).toBe(status);
  return (text ? JSON.parse(text) : undefined) as T;
}

export async function createModel(api: ApiTestApp, name: string, extra: Record<string, unknown> = {}): Promise<void> {
  await json(await api.request('/api/v1/models', { role: 'editor', method: 'POST', json: { name, ...extra } }), 201);
}

export function putFile(
  api: ApiTestApp,
  model: string,
  version: number,
  path: string,
  body: Buffer | string,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${api.baseUrl}/api/v1/models/${model}/versions/${version}/files/${path}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${api.tokens.editor}`, 'content-type': 'application/octet-stream', ...headers },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
}

/** Creates a version by direct upload: create, PUT each file, finalize. */
export async function uploadVersion(
  api: ApiTestApp,
  model: string,
  files: Record<string, Buffer | string>,
  body: Record<string, unknown> = {},
): Promise<VersionView> {
  const created = versionSchema.parse(await json(await api.request(`/api/v1/models/${model}/versions`, { role: 'editor', method: 'POST', json: body }), 201));
  for (const [path, content] of Object.entries(files)) await json(await putFile(api, model, created.version, path, content), 201);
  return versionSchema.parse(
    await json(await api.request(`/api/v1/models/${model}/versions/${created.version}/finalize`, { role: 'editor', method: 'POST', json: {} }), 200),
  );
}
