import { ErrorCode } from '@slipway/contracts';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';

// The datasets pages' server actions against a real HTTP server standing in for the API: which calls they make,
// with which bodies, and how the API's refusals come back to the form.

interface Call {
  method: string;
  path: string;
  body: string;
}

let server: Server;
let baseUrl: string;
let calls: Call[] = [];
let replies: Record<string, { status: number; body?: unknown }> = {};

const id = '00000000-0000-4000-8000-00000000000b';
const dataset = {
  id,
  name: 'pets',
  sha256: 'b'.repeat(64),
  rows: 3,
  sizeBytes: 40,
  columns: [
    { name: 'weight', type: 'integer' },
    { name: 'colour', type: 'categorical' },
    { name: 'label', type: 'categorical' },
  ],
  targetColumn: 'label',
  format: 'csv',
  source: null,
  createdAt: '2026-12-01T20:00:00.000Z',
};

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const call = { method: req.method ?? '', path: req.url ?? '', body: Buffer.concat(chunks).toString() };
      calls.push(call);
      const reply = replies[`${call.method} ${call.path}`] ?? {
        status: 404,
        body: { error: { code: 'NOT_FOUND', message: `no stub for ${call.method} ${call.path}` } },
      };
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

const originalEnv = { url: process.env.SLIPWAY_API_URL, token: process.env.SLIPWAY_CONSOLE_TOKEN };
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  for (const [name, value] of [
    ['SLIPWAY_API_URL', originalEnv.url],
    ['SLIPWAY_CONSOLE_TOKEN', originalEnv.token],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

const revalidated: string[] = [];

beforeEach(() => {
  calls = [];
  replies = {};
  revalidated.length = 0;
});

async function loadActions() {
  jest.resetModules();
  process.env.SLIPWAY_API_URL = baseUrl;
  process.env.SLIPWAY_CONSOLE_TOKEN = 'console-secret';
  // Outside a Next request there is no cache to revalidate; what the action asks to refresh is recorded instead.
  jest.doMock('next/cache', () => ({ revalidatePath: (path: string) => revalidated.push(path) }));
  return import('../dataset-actions');
}

function form(entries: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(entries)) data.set(key, value);
  return data;
}

const idle = { status: 'idle' } as const;

/** Where a redirect() thrown by an action points (Next encodes it in the error's digest). */
async function redirectOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const digest = (error as { digest?: string }).digest ?? '';
    if (digest.startsWith('NEXT_REDIRECT')) return digest.split(';')[2];
    throw error;
  }
  throw new Error('the action did not redirect');
}

describe('dataset server actions', () => {
  it('stores digits as images when asked, and only digits', async () => {
    replies[`POST /api/v1/datasets/samples/digits/images`] = {
      status: 201,
      body: { ...dataset, name: 'digits-images', columns: [], targetColumn: null, format: 'images', source: { sample: 'digits', provenance: 'UCI' } },
    };
    const { addSampleAction } = await loadActions();
    await expect(redirectOf(addSampleAction(idle, form({ sample: 'digits', as: 'images' })))).resolves.toBe(`/datasets/${id}`);
    await expect(addSampleAction(idle, form({ sample: 'iris', as: 'images' }))).resolves.toMatchObject({ status: 'error' });
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['POST /api/v1/datasets/samples/digits/images']);
  });

  it('renames, and an image dataset (no target field in its form) is never sent a target', async () => {
    const images = { ...dataset, columns: [], targetColumn: null, format: 'images' };
    replies[`GET /api/v1/datasets/${id}`] = { status: 200, body: images };
    replies[`PATCH /api/v1/datasets/${id}`] = { status: 200, body: { ...images, name: 'digits 8x8' } };
    const { updateDatasetAction } = await loadActions();
    await expect(updateDatasetAction(idle, form({ id, name: ' digits 8x8 ' }))).resolves.toEqual({ status: 'done', message: 'Saved: renamed to digits 8x8.' });
    expect(JSON.parse(calls.find((c) => c.method === 'PATCH')?.body ?? '')).toEqual({ name: 'digits 8x8' });
    await expect(updateDatasetAction(idle, form({ id, name: '  ' }))).resolves.toMatchObject({ status: 'error', message: expect.stringMatching(/^Name: /) });
  });

  it('adds a sample and opens its profile', async () => {
    replies[`POST /api/v1/datasets/samples/iris`] = { status: 201, body: { ...dataset, name: 'iris', source: { sample: 'iris', provenance: 'Fisher' } } };
    const { addSampleAction } = await loadActions();
    await expect(redirectOf(addSampleAction(idle, form({ sample: 'iris' })))).resolves.toBe(`/datasets/${id}`);
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['POST /api/v1/datasets/samples/iris']);
    expect(revalidated).toEqual(['/datasets']);
  });

  it('refuses an unknown sample without calling the API, and shows a refusal (a viewer’s 403) as the API put it', async () => {
    const { addSampleAction } = await loadActions();
    await expect(addSampleAction(idle, form({ sample: 'mnist' }))).resolves.toMatchObject({ status: 'error' });
    expect(calls).toHaveLength(0);
    replies[`POST /api/v1/datasets/samples/wine`] = { status: 403, body: { error: { code: 'PERMISSION_DENIED', message: 'this needs the editor role' } } };
    await expect(addSampleAction(idle, form({ sample: 'wine' }))).resolves.toEqual({
      status: 'error',
      message: 'this needs the editor role',
      code: ErrorCode.PERMISSION_DENIED,
      httpStatus: 403,
    });
  });

  it('sends only what changed: the new target and the types that differ from the stored ones', async () => {
    replies[`GET /api/v1/datasets/${id}`] = { status: 200, body: dataset };
    replies[`PATCH /api/v1/datasets/${id}`] = { status: 200, body: { ...dataset, targetColumn: 'colour' } };
    const { updateDatasetAction } = await loadActions();
    const state = await updateDatasetAction(
      idle,
      form({ id, name: 'pets', targetColumn: 'colour', 'type:weight': 'number', 'type:colour': 'categorical', 'type:label': 'categorical' }),
    );
    expect(state).toEqual({ status: 'done', message: 'Saved: target is colour, 1 column type(s) changed; the profile was recomputed.' });
    const patch = calls.find((c) => c.method === 'PATCH');
    expect(JSON.parse(patch?.body ?? '')).toEqual({ targetColumn: 'colour', columnTypes: { weight: 'number' } });
    expect(revalidated).toEqual([`/datasets/${id}`]);
  });

  it('removes the target with an empty choice, and changes nothing for an untouched form', async () => {
    replies[`GET /api/v1/datasets/${id}`] = { status: 200, body: dataset };
    replies[`PATCH /api/v1/datasets/${id}`] = { status: 200, body: { ...dataset, targetColumn: null } };
    const { updateDatasetAction } = await loadActions();
    await expect(updateDatasetAction(idle, form({ id, name: 'pets', targetColumn: '' }))).resolves.toMatchObject({
      status: 'done',
      message: expect.stringContaining('target removed'),
    });
    expect(JSON.parse(calls.find((c) => c.method === 'PATCH')?.body ?? '')).toEqual({ targetColumn: null });

    calls = [];
    await expect(updateDatasetAction(idle, form({ id, name: 'pets', targetColumn: 'label', 'type:weight': 'integer' }))).resolves.toEqual({
      status: 'done',
      message: 'Nothing changed.',
    });
    expect(calls.map((c) => c.method)).toEqual(['GET']);
  });

  it("shows the API's 422 (a type the values cannot hold) and refuses a type it does not know before asking", async () => {
    const message = 'line 2, column 3 ("label"): "dog" is not an integer';
    replies[`GET /api/v1/datasets/${id}`] = { status: 200, body: dataset };
    replies[`PATCH /api/v1/datasets/${id}`] = { status: 422, body: { error: { code: 'FAILED_PRECONDITION', message, fields: [{ field: 'body', message }] } } };
    const { updateDatasetAction } = await loadActions();
    await expect(updateDatasetAction(idle, form({ id, name: 'pets', targetColumn: 'label', 'type:label': 'integer' }))).resolves.toEqual({
      status: 'error',
      message,
      code: ErrorCode.FAILED_PRECONDITION,
      httpStatus: 422,
    });
    calls = [];
    await expect(updateDatasetAction(idle, form({ id, name: 'pets', targetColumn: 'label', 'type:label': 'float' }))).resolves.toMatchObject({
      status: 'error',
    });
    expect(calls.filter((c) => c.method === 'PATCH')).toHaveLength(0);
  });

  it('deletes and goes back to the list; a dataset still referenced stays, with the 409 message', async () => {
    replies[`DELETE /api/v1/datasets/${id}`] = { status: 409, body: { error: { code: 'CONFLICT', message: 'Dataset pets is used by 1 training job' } } };
    const { deleteDatasetAction } = await loadActions();
    await expect(deleteDatasetAction(idle, form({ id }))).resolves.toEqual({
      status: 'error',
      message: 'Dataset pets is used by 1 training job',
      code: ErrorCode.CONFLICT,
      httpStatus: 409,
    });
    expect(revalidated).toEqual([]);

    replies[`DELETE /api/v1/datasets/${id}`] = { status: 204 };
    await expect(redirectOf(deleteDatasetAction(idle, form({ id })))).resolves.toBe('/datasets');
    expect(revalidated).toEqual(['/datasets']);
    await expect(deleteDatasetAction(idle, form({ id: 'not-a-uuid' }))).resolves.toMatchObject({ status: 'error' });
  });
});
