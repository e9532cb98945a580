/** Helpers for the registry and webhook HTTP tests: runs seeded straight into the tracking tables, uploads. */
import { randomUUID } from 'node:crypto';
import { expectNamed } from '@slipway/testing-matchers';
import { versionSchema, type VersionView } from '@slipway/contracts';
import { createPrismaClient, type PrismaClient } from '@slipway/db';
import { createObjectStore, type ObjectStore } from '@slipway/storage';
import type { ApiTestApp } from './api-test-app';

export interface SeededRun {
  runId: string;
  experimentId: string;
}

/** A run with params, final metrics, metric histories and artifacts, written as the tracking service would. */
export async function seedRun(
  prisma: PrismaClient,
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
  const experiment = await prisma.experiment.upsert({ where: { name: 'registry-tests' }, create: { name: 'registry-tests' }, update: {} });
  const run = await prisma.run.create({
    data: {
      experimentId: experiment.id,
      name: options.name ?? `run-${randomUUID().slice(0, 8)}`,
      status: 'FINISHED',
      datasetSha256: options.datasetSha256 ?? 'd'.repeat(64),
      codeVersion: options.codeVersion ?? 'git:abc123',
      seed: 7,
    },
  });
  const params = Object.entries(options.params ?? {});
  if (params.length) await prisma.runParam.createMany({ data: params.map(([key, value]) => ({ runId: run.id, key, value })) });
  const metrics = Object.entries(options.metrics ?? {});
  for (const [key, values] of metrics) {
    await prisma.metric.createMany({ data: values.map((value, step) => ({ runId: run.id, key, value, step: BigInt(step) })) });
    await prisma.latestMetric.create({
      data: { runId: run.id, key, value: values[values.length - 1], step: BigInt(values.length - 1), timestamp: new Date() },
    });
  }
  for (const [path, content] of Object.entries(options.artifacts ?? {})) {
    const stored = await objects.put(`runs/${run.id}/artifacts/${path}`, Buffer.from(content));
    await prisma.artifact.create({ data: { runId: run.id, path, uri: stored.uri, sha256: stored.sha256, sizeBytes: BigInt(stored.sizeBytes) } });
  }
  return { runId: run.id, experimentId: experiment.id };
}

export function connect(api: ApiTestApp, databaseUrl: string): { prisma: PrismaClient; objects: ObjectStore } {
  return { prisma: createPrismaClient(databaseUrl, { poolSize: 2 }), objects: createObjectStore(api.config.objectStore) };
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
