import { ErrorCode } from '@slipway/contracts';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';

// The console's only door to the API, against a real HTTP server standing in for it (the real API needs
// the whole platform; the e2e suite covers that path).

type Reply = { status: number; body: unknown };
let reply: Reply;
let lastHeaders: IncomingHttpHeaders = {};
let lastMethod = '';
let lastBody = '';
let server: Server;
let baseUrl: string;

const overview = {
  models: 2,
  modelVersions: 3,
  experiments: 1,
  runs: { total: 4, running: 1, finished: 2, failed: 1 },
  deployments: 0,
  trainingJobs: { queued: 0, running: 1 },
  workers: { connected: 1 },
  generatedAt: '2026-11-27T04:00:00.000Z',
};
const component = { status: 'UP', latencyMs: 1.5, detail: 'postgres 17.10' };

beforeAll(async () => {
  server = createServer((req, res) => {
    lastHeaders = req.headers;
    lastMethod = req.method ?? '';
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      lastBody = Buffer.concat(chunks).toString();
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const STUBBED_ENV = ['SLIPWAY_API_URL', 'SLIPWAY_CONSOLE_TOKEN'] as const;
const originalEnv = Object.fromEntries(STUBBED_ENV.map((name) => [name, process.env[name]]));

/** A fresh module per test: configuration is parsed once per process, like in the console server. */
async function loadApi(env: { url?: string; token?: string }) {
  jest.resetModules();
  process.env.SLIPWAY_API_URL = env.url ?? baseUrl;
  process.env.SLIPWAY_CONSOLE_TOKEN = env.token ?? '';
  return import('../api');
}

beforeEach(() => {
  lastHeaders = {};
});

afterEach(() => {
  for (const name of STUBBED_ENV) {
    if (originalEnv[name] === undefined) delete process.env[name];
    else process.env[name] = originalEnv[name];
  }
});

describe('console API access', () => {
  it('parses a response with the shared contract and sends the bearer token when one is configured', async () => {
    reply = { status: 200, body: overview };
    const api = await loadApi({ token: 'console-secret' });
    await expect(api.getOverview()).resolves.toEqual({ ok: true, data: overview });
    expect(lastHeaders.authorization).toBe('Bearer console-secret');
  });

  it('sends no authorization header without a token', async () => {
    reply = { status: 200, body: { workers: [] } };
    const api = await loadApi({});
    await expect(api.listWorkers()).resolves.toEqual({ ok: true, data: { workers: [] } });
    expect(lastHeaders.authorization).toBeUndefined();
  });

  it('reads a 503 health report as data: the platform is down, the API is not', async () => {
    reply = {
      status: 503,
      body: {
        status: 'DOWN',
        version: '0.1.0',
        uptimeSeconds: 5,
        checks: { database: component, queue: component, objectStore: { status: 'DOWN', latencyMs: 3, error: 'ECONNREFUSED' } },
        workers: { connected: 0, heartbeatTimeoutSeconds: 30, list: [] },
      },
    };
    const api = await loadApi({});
    const result = await api.getHealth();
    expect(result.ok && result.data.status).toBe('DOWN');
  });

  it("keeps the API's error code, message and status", async () => {
    reply = { status: 404, body: { error: { code: 'NOT_FOUND', message: 'no such thing' } } };
    const api = await loadApi({});
    await expect(api.getOverview()).resolves.toEqual({
      ok: false,
      error: { code: ErrorCode.NOT_FOUND, message: 'no such thing', status: 404, url: `${baseUrl}/api/v1/overview`, fields: undefined },
    });
  });

  it('refuses a body that breaks the contract instead of rendering it', async () => {
    reply = { status: 200, body: { ...overview, models: 'many' } };
    const api = await loadApi({});
    const result = await api.getOverview();
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe(ErrorCode.INTERNAL);
    expect(!result.ok && result.error.message).toMatch(/models/);
  });

  it('names the URL it tried when the API cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));

    const api = await loadApi({ url: `http://127.0.0.1:${port}/` });
    const result = await api.getOverview();
    expect(result).toMatchObject({ ok: false, error: { code: ErrorCode.UNAVAILABLE, url: `http://127.0.0.1:${port}/api/v1/overview` } });
    expect(!result.ok && result.error.message).toBe(`cannot reach the Slipway API at http://127.0.0.1:${port}: ECONNREFUSED`);
    expect(!result.ok && result.error.status).toBeUndefined();
  });
});

describe('route responses', () => {
  it('answer 502 with the error shape when the API could not be reached, and keep an API status otherwise', async () => {
    const { toRouteResponse } = await import('../route-response');
    const unreachable = toRouteResponse({ ok: false, error: { code: ErrorCode.UNAVAILABLE, message: 'down', url: 'http://x/api' } });
    expect(unreachable.status).toBe(502);
    await expect(unreachable.json()).resolves.toEqual({ error: { code: 'UNAVAILABLE', message: 'down', url: 'http://x/api' } });
    expect(toRouteResponse({ ok: false, error: { code: ErrorCode.NOT_FOUND, message: 'gone', url: 'http://x/api', status: 404 } }).status).toBe(404);
    expect(toRouteResponse({ ok: true, data: { a: 1 } }).status).toBe(200);
  });
});

describe('the signed-in token', () => {
  it("is sent instead of the console's own, and a token given explicitly wins over both", async () => {
    jest.doMock('../session', () => ({ sessionToken: async () => 'signed-in-token' }));
    try {
      reply = { status: 200, body: { tokenId: '00000000-0000-4000-8000-000000000001', name: 'ana', role: 'viewer' } };
      const api = await loadApi({ token: 'console-secret' });
      await expect(api.getWhoAmI()).resolves.toMatchObject({ ok: true, data: { name: 'ana', role: 'viewer' } });
      expect(lastHeaders.authorization).toBe('Bearer signed-in-token');
      await api.getWhoAmI('pasted-token');
      expect(lastHeaders.authorization).toBe('Bearer pasted-token');
    } finally {
      jest.dontMock('../session');
    }
  });

  it('reaches any route of the shared client through callApi, with the same token and result shape', async () => {
    jest.doMock('../session', () => ({ sessionToken: async () => 'signed-in-token' }));
    try {
      reply = { status: 200, body: { key: 'loss', points: [{ value: 0.5, step: 0, timestamp: '2026-11-27T04:00:00.000Z' }], nextCursor: null } };
      const api = await loadApi({});
      // No console wrapper exists for this call: a route written once in @slipway/client is usable as is.
      await expect(api.callApi((client) => client.runs.metricHistory('r-1', 'loss', { limit: 1 }))).resolves.toMatchObject({ ok: true, data: { key: 'loss' } });
      expect(lastHeaders.authorization).toBe('Bearer signed-in-token');
    } finally {
      jest.dontMock('../session');
    }
  });

  it('sends writes as JSON with the method the API route expects', async () => {
    reply = { status: 200, body: { model: 'm', alias: 'champion', version: 2, previousVersion: 1, updatedAt: '2026-11-27T04:00:00.000Z' } };
    const api = await loadApi({});
    await expect(api.setAlias('m', 'champion', 2)).resolves.toMatchObject({ ok: true, data: { version: 2, previousVersion: 1 } });
    expect(lastMethod).toBe('PUT');
    expect(lastHeaders['content-type']).toBe('application/json');
    expect(JSON.parse(lastBody)).toEqual({ version: 2 });
  });
});
