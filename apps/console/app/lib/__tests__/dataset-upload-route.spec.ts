import { ErrorCode } from '@slipway/contracts';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';

// The console's upload route (app/api/datasets/upload) against a real HTTP server standing in for the API: what
// it forwards, with which token, and that the file travels on while it is still arriving (never collected first).

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  chunks: Buffer[];
}

let server: Server;
let baseUrl: string;
let seen: Seen[] = [];
/** Resolved each time the stand-in API receives a chunk of a body. */
let onChunk: (() => void) | undefined;
let answer: { status: number; body: unknown } = { status: 201, body: {} };

const dataset = {
  id: '00000000-0000-4000-8000-00000000000a',
  name: 'tiny',
  sha256: 'a'.repeat(64),
  rows: 2,
  sizeBytes: 20,
  columns: [
    { name: 'x', type: 'integer' },
    { name: 'label', type: 'categorical' },
  ],
  targetColumn: 'label',
  format: 'csv',
  source: null,
  createdAt: '2026-12-01T20:00:00.000Z',
};

beforeAll(async () => {
  server = createServer((req, res) => {
    const entry: Seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, chunks: [] };
    seen.push(entry);
    if (req.url?.includes('name=big')) {
      // Counts the bytes and keeps none of them: the memory measured is the route's.
      let bytes = 0;
      req.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      req.on('end', () => {
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ...dataset, sizeBytes: bytes }));
      });
      return;
    }
    if (req.url?.includes('name=huge')) {
      // As the API does for a declared length over its limit: answer at once and close, reading none of the body.
      res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
      res.end(JSON.stringify({ error: { code: ErrorCode.PAYLOAD_TOO_LARGE, message: 'The dataset is larger than the 1 KiB limit' } }));
      return;
    }
    req.on('data', (chunk: Buffer) => {
      entry.chunks.push(chunk);
      onChunk?.();
    });
    req.on('end', () => {
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const originalEnv = { url: process.env.SLIPWAY_API_URL, token: process.env.SLIPWAY_CONSOLE_TOKEN };
afterEach(() => {
  seen = [];
  onChunk = undefined;
  if (originalEnv.url === undefined) delete process.env.SLIPWAY_API_URL;
  else process.env.SLIPWAY_API_URL = originalEnv.url;
  if (originalEnv.token === undefined) delete process.env.SLIPWAY_CONSOLE_TOKEN;
  else process.env.SLIPWAY_CONSOLE_TOKEN = originalEnv.token;
});

async function loadRoute() {
  jest.resetModules();
  process.env.SLIPWAY_API_URL = baseUrl;
  process.env.SLIPWAY_CONSOLE_TOKEN = 'console-secret';
  return import('../../api/datasets/upload/route');
}

function upload(query: string, body: ReadableStream<Uint8Array> | string, headers: Record<string, string> = {}): Request {
  return new Request(`http://console.test/api/datasets/upload?${query}`, {
    method: 'PUT',
    headers: { origin: 'http://console.test', host: 'console.test', ...headers },
    body,
    duplex: 'half',
  } as RequestInit & { duplex: 'half' });
}

describe('the dataset upload route', () => {
  it('streams the body on to PUT /api/v1/datasets as it arrives, with the token and only the known query parameters', async () => {
    answer = { status: 201, body: dataset };
    const { PUT } = await loadRoute();
    const encoder = new TextEncoder();
    const first = encoder.encode('x,label\n1,a\n');
    const second = encoder.encode('2,b\n');
    const firstArrived = new Promise<void>((resolve) => {
      onChunk = resolve;
    });
    // The second chunk is produced only once the API has received the first: a route that read the whole body
    // before forwarding it would never send the first chunk on, and the stream fails after 5 s.
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(first);
      },
      async pull(controller) {
        const buffered = new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('the API got nothing while the body was still open: the route buffers uploads')), 5000).unref(),
        );
        await Promise.race([firstArrived, buffered]);
        controller.enqueue(second);
        controller.close();
      },
    });
    const response = await PUT(
      upload('name=tiny&targetColumn=label&delimiter=comma&columnTypes=%7B%22x%22%3A%22number%22%7D&evil=1', body, {
        'content-length': String(first.length + second.length),
      }),
    );
    expect(response.status).toBe(200);
    await expect(response.json()).resolves.toEqual({ dataset, created: true });

    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request.method).toBe('PUT');
    const url = new URL(request.url, baseUrl);
    expect(url.pathname).toBe('/api/v1/datasets');
    expect(Object.fromEntries(url.searchParams)).toEqual({ name: 'tiny', targetColumn: 'label', delimiter: 'comma', columnTypes: '{"x":"number"}' });
    expect(request.headers.authorization).toBe('Bearer console-secret');
    expect(request.headers['content-type']).toBe('text/csv');
    expect(request.headers['content-length']).toBe(String(first.length + second.length));
    expect(Buffer.concat(request.chunks).toString()).toBe('x,label\n1,a\n2,b\n');
  });

  it('says when the bytes were already stored (the API answers 200 with the existing dataset)', async () => {
    answer = { status: 200, body: dataset };
    const { PUT } = await loadRoute();
    const response = await PUT(upload('name=tiny', 'x,label\n1,a\n2,b\n'));
    await expect(response.json()).resolves.toEqual({ dataset, created: false });
    // A text/plain guess goes on as CSV; a Parquet file keeps its type.
    expect(seen[0].headers['content-type']).toBe('text/csv');
    await PUT(upload('name=tiny', 'PAR1', { 'content-type': 'application/vnd.apache.parquet' }));
    expect(seen[1].headers['content-type']).toBe('application/vnd.apache.parquet');
  });

  it("passes the API's 422 on with its line and column", async () => {
    const message = 'line 3, column 1 ("x"): "abc" is not a integer';
    answer = { status: 422, body: { error: { code: ErrorCode.FAILED_PRECONDITION, message, fields: [{ field: 'body', message }] } } };
    const { PUT } = await loadRoute();
    const response = await PUT(upload('name=bad', 'x\n1\nabc\n'));
    expect(response.status).toBe(422);
    await expect(response.json()).resolves.toMatchObject({
      error: { code: ErrorCode.FAILED_PRECONDITION, message, status: 422, url: `${baseUrl}/api/v1/datasets?name=bad` },
    });
  });

  it('keeps memory flat while a 512 MiB file passes through (each chunk is let go once sent on)', async () => {
    answer = { status: 201, body: dataset };
    const { PUT } = await loadRoute();
    const total = 512;
    let produced = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (produced === total) controller.close();
        else {
          produced++;
          controller.enqueue(new Uint8Array(1024 * 1024).fill(120));
        }
      },
    });
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    try {
      const response = await PUT(upload('name=big', body, { 'content-length': String(total * 1024 * 1024) }));
      expect(response.status).toBe(200);
      await expect(response.json()).resolves.toMatchObject({ dataset: { sizeBytes: total * 1024 * 1024 } });
    } finally {
      clearInterval(sampler);
    }
    // fetch with a streamed body (undici#4058) grows by the whole file here; the route must stay far below it.
    expect((peak - before) / (1024 * 1024)).toBeLessThan(160);
  });

  it("shows the API's 413 for a file over the limit, answered before the body was read", async () => {
    const { PUT } = await loadRoute();
    const chunk = new Uint8Array(64 * 1024).fill(97);
    let sent = 0;
    // 64 MiB, produced only as fast as it is read: the API's early answer must come back, not a broken pipe.
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 1024) controller.close();
        else {
          sent++;
          controller.enqueue(chunk);
        }
      },
    });
    const response = await PUT(upload('name=huge', body, { 'content-length': String(1024 * chunk.length) }));
    expect(response.status).toBe(413);
    await expect(response.json()).resolves.toMatchObject({
      error: { code: ErrorCode.PAYLOAD_TOO_LARGE, message: 'The dataset is larger than the 1 KiB limit' },
    });
    expect(sent).toBeLessThan(1024);
  });

  it('refuses a request from another origin, or with no origin, without calling the API', async () => {
    const { PUT } = await loadRoute();
    for (const headers of [{ origin: 'http://evil.test' }, { origin: 'null' }]) {
      const response = await PUT(upload('name=tiny', 'x\n1\n', headers));
      expect(response.status).toBe(403);
      await expect(response.json()).resolves.toMatchObject({ error: { code: ErrorCode.PERMISSION_DENIED } });
    }
    const noOrigin = new Request('http://console.test/api/datasets/upload?name=tiny', {
      method: 'PUT',
      headers: { host: 'console.test' },
      body: 'x\n1\n',
    });
    expect((await PUT(noOrigin)).status).toBe(403);
    expect(seen).toHaveLength(0);
  });

  it('refuses a query the API would refuse, naming the field, before any of the file travels on', async () => {
    const { PUT } = await loadRoute();
    const response = await PUT(upload('name=%20%20&delimiter=colon', 'x\n1\n'));
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { fields: { field: string }[] } };
    expect(body.error.fields.map((f) => f.field).sort()).toEqual(['query.delimiter', 'query.name']);
    expect(seen).toHaveLength(0);
  });

  it('answers 502 naming the API it tried when the API is down', async () => {
    const { PUT } = await loadRoute();
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    jest.resetModules();
    process.env.SLIPWAY_API_URL = `http://127.0.0.1:${port}`;
    const route = await import('../../api/datasets/upload/route');
    const response = await route.PUT(upload('name=tiny', 'x\n1\n'));
    expect(response.status).toBe(502);
    await expect(response.json()).resolves.toMatchObject({ error: { code: ErrorCode.UNAVAILABLE } });
    expect(PUT).toBeDefined();
  });
});
