import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig, type PlatformConfig } from '@slipway/config';
import type { Role } from '@slipway/contracts';
import { UnitOfWork } from '@slipway/db';
import { createApiApp } from '../create-api-app';

export interface ApiTestApp {
  app: NestExpressApplication;
  baseUrl: string;
  config: PlatformConfig;
  /** Tokens of each role, created directly in the database. */
  tokens: Record<Role, string>;
  /** fetch against the API as `role` (JSON body when `json` is given). */
  request(path: string, options?: { role?: Role | null; method?: string; json?: unknown; headers?: Record<string, string> }): Promise<Response>;
  close(): Promise<void>;
}

/** The real API on an ephemeral port over the test file's own database and a temp artifact folder. */
export async function startApiTestApp(databaseUrl: string, env: Record<string, string> = {}): Promise<ApiTestApp> {
  const home = mkdtempSync(join(tmpdir(), 'slipway-api-test-'));
  const config = loadConfig({ DATABASE_URL: databaseUrl, SLIPWAY_HOME: home, ...env });
  const app = await createApiApp(config, { logger: false });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;
  const db = UnitOfWork.connect(databaseUrl, { poolSize: 1 });
  const tokens = {} as Record<Role, string>;
  for (const role of ['viewer', 'editor', 'admin'] as const)
    tokens[role] = (await db.read.tokens.create({ name: `test-${role}`, role, createdBy: 'test' })).token;
  await db.close();
  return {
    app,
    config,
    baseUrl,
    tokens,
    request: (path, options = {}) => {
      const role = options.role === undefined ? 'admin' : options.role;
      const headers: Record<string, string> = { ...(options.headers ?? {}) };
      if (role) headers.authorization = `Bearer ${tokens[role]}`;
      if (options.json !== undefined) headers['content-type'] = 'application/json';
      return fetch(`${baseUrl}${path}`, {
        method: options.method ?? 'GET',
        headers,
        body: options.json === undefined ? undefined : JSON.stringify(options.json),
      });
    },
    close: async () => {
      await app.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/**
 * An HTTP request sent exactly as given: unlike fetch, the path is not normalised (`../` stays), so tests can
 * send what a hostile client would. The body, when given, is sent with the headers as they are.
 */
export async function rawRequest(
  baseUrl: string,
  options: { method: string; path: string; headers?: Record<string, string>; body?: Buffer | string },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  const { request } = await import('node:http');
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method: options.method, path: options.path, headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}
