import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ErrorCode } from '@slipway/contracts';
import { encodePath } from '../paths';
import { SlipwayApiError, SlipwayIntegrityError } from '../slipway-api-error';
import { createSlipwayClient } from '../slipway-client';
import { useStandInApi, type SeenRequest } from './support/stand-in-api';

// A real HTTP server plays the API for what the real one cannot be made to do on demand (break the
// contract, answer late, store different bytes); apps/api/src/__tests__/client.http.spec.ts runs the
// client against the real API.

type Handler = (request: SeenRequest) => {
  status: number;
  body?: unknown;
  delayMs?: number;
};
let handler: Handler;
const api = useStandInApi((request, res) => {
  const answer = handler(request);
  const send = () => {
    if (answer.status === 204) return res.writeHead(204).end();
    res.writeHead(answer.status, { 'content-type': 'application/json', 'x-request-id': 'req-1' });
    res.end(JSON.stringify(answer.body ?? null));
  };
  // unref: a late answer nobody waits for any more must not keep Jest alive.
  if (answer.delayMs) setTimeout(send, answer.delayMs).unref();
  else send();
});
const seen = api.seen;

const whoami = { tokenId: '00000000-0000-4000-8000-000000000001', name: 'ana', role: 'viewer' };
const health = {
  status: 'DOWN',
  version: '0.1.0',
  uptimeSeconds: 5,
  checks: {
    database: { status: 'UP', latencyMs: 1 },
    queue: { status: 'UP', latencyMs: 1 },
    objectStore: { status: 'DOWN', latencyMs: 3, error: 'ECONNREFUSED' },
  },
  workers: { connected: 0, heartbeatTimeoutSeconds: 30, list: [] },
};

describe('SlipwayApiError', () => {
  it("carries the API's error body, status and request id", async () => {
    const response = new Response(
      JSON.stringify({ error: { code: 'INVALID_ARGUMENT', message: 'Invalid body', fields: [{ field: 'body.limit', message: 'too big' }], requestId: 'r-1' } }),
      {
        status: 400,
        headers: { 'content-type': 'application/json' },
      },
    );
    const error = await SlipwayApiError.fromResponse(response);
    expect(error).toMatchObject({
      status: 400,
      code: ErrorCode.INVALID_ARGUMENT,
      message: 'Invalid body',
      fields: [{ field: 'body.limit', message: 'too big' }],
      requestId: 'r-1',
    });
    expect(error.describe()).toBe('INVALID_ARGUMENT: Invalid body (body.limit: too big) [request r-1]');
  });

  it('names a body that is not a Slipway error, with the request id from the header', async () => {
    const error = await SlipwayApiError.fromResponse(new Response('<html>Bad Gateway</html>', { status: 502, headers: { 'x-request-id': 'r-2' } }));
    expect(error).toMatchObject({ status: 502, code: ErrorCode.UNAVAILABLE, requestId: 'r-2' });
    expect(error.message).toContain('HTTP 502 without a Slipway error body: <html>Bad Gateway</html>');
  });

  it('does not repeat field problems the message already names', () => {
    const error = SlipwayApiError.fromBody(400, {
      error: { code: 'INVALID_ARGUMENT', message: 'Invalid params: params.alias: bad', fields: [{ field: 'params.alias', message: 'bad' }] },
    });
    expect(error.describe()).toBe('INVALID_ARGUMENT: Invalid params: params.alias: bad');
  });
});

describe('the client', () => {
  it('accepts a base URL with or without /api/v1 and a trailing slash', () => {
    expect(createSlipwayClient({ baseUrl: 'http://h:3000/api/v1/', token: 't' }).baseUrl).toBe('http://h:3000');
    expect(createSlipwayClient({ baseUrl: 'http://h:3000', token: 't' }).baseUrl).toBe('http://h:3000');
  });

  it('asks a token function before every request, sends none without a token, and withToken replaces it', async () => {
    handler = () => ({ status: 200, body: whoami });
    let current: string | undefined = 'first';
    const client = createSlipwayClient({ baseUrl: api.url, token: async () => current });
    await client.whoami();
    current = 'second';
    await client.whoami();
    current = undefined;
    await client.whoami();
    await client.withToken('pasted').whoami();
    expect(seen.map((r) => r.headers.authorization)).toEqual(['Bearer first', 'Bearer second', undefined, 'Bearer pasted']);
  });

  it("reads a 503 health report as data (the platform is down, the API is not), and other errors as the API's", async () => {
    handler = () => ({ status: 503, body: health });
    await expect(createSlipwayClient({ baseUrl: api.url }).health()).resolves.toMatchObject({ status: 'DOWN' });

    handler = () => ({ status: 404, body: { error: { code: 'NOT_FOUND', message: 'no such model' } } });
    const error = await createSlipwayClient({ baseUrl: api.url })
      .models.get('x')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlipwayApiError);
    expect(error).toMatchObject({ status: 404, code: ErrorCode.NOT_FOUND, message: 'no such model', requestId: 'req-1', url: `${api.url}/api/v1/models/x` });
  });

  it('refuses a response that breaks the contract, naming the field and the URL', async () => {
    handler = () => ({ status: 200, body: { ...whoami, role: 'owner' } });
    const error = (await createSlipwayClient({ baseUrl: api.url })
      .whoami()
      .catch((e: unknown) => e)) as SlipwayApiError;
    expect(error).toMatchObject({ status: 200, code: ErrorCode.INTERNAL, url: `${api.url}/api/v1/whoami` });
    expect(error.message).toMatch(/^unexpected response from .*\/api\/v1\/whoami: role: /);
  });

  it('gives up on a JSON call after timeoutMs, as UNAVAILABLE with the URL it tried', async () => {
    handler = () => ({ status: 200, body: whoami, delayMs: 2000 });
    const error = (await createSlipwayClient({ baseUrl: api.url, timeoutMs: 100 })
      .whoami()
      .catch((e: unknown) => e)) as SlipwayApiError;
    expect(error).toMatchObject({ status: 0, code: ErrorCode.UNAVAILABLE, url: `${api.url}/api/v1/whoami` });
    expect(error.message).toBe(`cannot reach the Slipway API at ${api.url}: no answer within 100 ms`);
  });

  it('sends a run filter as the text it was given: only the API parses it', async () => {
    handler = () => ({ status: 200, body: { runs: [], nextCursor: null } });
    await createSlipwayClient({ baseUrl: api.url }).runs.search({ filter: 'metrics.f1 >>> 1', limit: 5 });
    expect(JSON.parse(seen[0].body.toString())).toEqual({ filter: 'metrics.f1 >>> 1', limit: 5 });
  });

  it('uploads bytes with a sha256 computed by WebCrypto, and refuses an answer that stored other bytes', async () => {
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    const stored = (sha256: string) => ({
      path: 'a b/model.json',
      sizeBytes: 7,
      sha256,
      contentType: 'application/json',
      createdAt: '2026-11-27T04:00:00.000Z',
    });
    handler = ({ body }) => ({ status: 201, body: stored(sha(body.toString())) });
    const client = createSlipwayClient({ baseUrl: api.url, token: 't' });
    await expect(client.artifacts.uploadBytes('run-1', 'a b/model.json', '{"v":1}', { contentType: 'application/json' })).resolves.toMatchObject({
      sha256: sha('{"v":1}'),
    });
    expect(seen[0]).toMatchObject({ method: 'PUT', url: '/api/v1/runs/run-1/artifacts/a%20b/model.json' });
    expect(seen[0].headers).toMatchObject({ authorization: 'Bearer t', 'content-type': 'application/json' });

    handler = () => ({ status: 201, body: stored(sha('something else')) });
    await expect(client.artifacts.uploadBytes('run-1', 'a b/model.json', '{"v":1}')).rejects.toBeInstanceOf(SlipwayIntegrityError);
  });

  it('encodes each path segment and keeps the slashes', () => {
    expect(encodePath('model/weights v1.bin')).toBe('model/weights%20v1.bin');
    expect(encodePath('a/#b?/c%')).toBe('a/%23b%3F/c%25');
  });
});

describe('the isomorphic core', () => {
  it('imports no Node built-in, so the console and browsers can load it (streams and files are @slipway/client-node)', () => {
    const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
    const src = join(__dirname, '..');
    const offending: string[] = [];
    for (const file of readdirSync(src, { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.ts') || file.includes('__tests__')) continue;
      for (const [, specifier] of readFileSync(join(src, file), 'utf8').matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)) {
        if (builtins.has(specifier) || specifier.startsWith('node:')) offending.push(`${file}: ${specifier}`);
      }
    }
    expect(offending).toEqual([]);
  });
});
