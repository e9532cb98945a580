import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
// Types only: erased at compile time, so nothing of @slipway/contracts loads before the mock is in place.
import type { parseRunFilter, parseRunOrderBy } from '@slipway/contracts';

// How often the console's server parses a run filter: once per request that crosses into it, never again on
// the way to the API (which parses it itself). The parser is the real one, wrapped to count its calls; the
// module is replaced by path, so the contract's own schemas count through the same wrapper. Whatever loads
// @slipway/contracts is imported inside the tests: SWC does not lift jest.mock above static imports.

const mockParses = { filter: 0, orderBy: 0 };
jest.mock('../../../../../libs/contracts/src/experiments/run-filter', () => {
  const actual = jest.requireActual<{ parseRunFilter: typeof parseRunFilter; parseRunOrderBy: typeof parseRunOrderBy }>(
    '../../../../../libs/contracts/src/experiments/run-filter',
  );
  return {
    ...actual,
    parseRunFilter: (input: string) => {
      mockParses.filter += 1;
      return actual.parseRunFilter(input);
    },
    parseRunOrderBy: (input: string) => {
      mockParses.orderBy += 1;
      return actual.parseRunOrderBy(input);
    },
  };
});

let server: Server;
let received: unknown[] = [];

beforeAll(async () => {
  // The API's place: answers every search with an empty page and keeps what it was sent.
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push(JSON.parse(Buffer.concat(chunks).toString()));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ runs: [], nextCursor: null }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.env.SLIPWAY_API_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  delete process.env.SLIPWAY_API_URL;
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  mockParses.filter = 0;
  mockParses.orderBy = 0;
  received = [];
});

const loadRoute = () => import('../../api/runs/search/route');
const post = (body: unknown) => new Request('http://console/api/runs/search', { method: 'POST', body: JSON.stringify(body) });

describe("the console's server parses a run search once", () => {
  it('in the "Load more" route handler: one parse of the filter and the sort, and the API gets the text', async () => {
    const { POST } = await loadRoute();
    const filter = "metrics.f1 > 0.9 AND params.criterion = 'gini'";
    const response = await POST(post({ filter, orderBy: 'metrics.f1 DESC', limit: 50, cursor: 'abc' }));
    expect(response.status).toBe(200);
    expect(mockParses).toEqual({ filter: 1, orderBy: 1 });
    expect(received).toEqual([{ filter, orderBy: 'metrics.f1 DESC', limit: 50, cursor: 'abc', lifecycle: 'active' }]);
  });

  it('answers a filter that does not parse with 400 naming body.filter, after one parse and without asking the API', async () => {
    const { POST } = await loadRoute();
    const response = await POST(post({ filter: 'metrics.f1 >>> 1' }));
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; fields: { field: string }[] } };
    // The wire value: this file loads nothing from @slipway/contracts itself (see the top).
    expect(body.error.code).toBe('INVALID_ARGUMENT');
    expect(body.error.fields.map((f) => f.field)).toEqual(['body.filter']);
    expect(mockParses.filter).toBe(1);
    expect(received).toEqual([]);
  });

  it('for the runs page: checkRunSearch parses once and keeps the column for the form, and searchRuns parses nothing', async () => {
    const { checkRunSearch } = await import('../run-search');
    const bad = checkRunSearch({ filter: 'metrics.f1 >>> 1', orderBy: 'metrics.f1 DESC', limit: 50 });
    expect(bad).toMatchObject({ ok: false, filterError: { column: expect.any(Number) } });
    expect(bad.ok || bad.orderError).toBeUndefined();
    expect(mockParses).toEqual({ filter: 1, orderBy: 1 });

    const good = checkRunSearch({ filter: 'metrics.f1 > 0.5', orderBy: 'metrics.f1 DESC', limit: 50 });
    if (!good.ok) throw new Error('a valid search was refused');
    const { searchRuns } = await import('../api');
    mockParses.filter = 0;
    mockParses.orderBy = 0;
    await expect(searchRuns(good.search)).resolves.toEqual({ ok: true, data: { runs: [], nextCursor: null } });
    expect(mockParses).toEqual({ filter: 0, orderBy: 0 });
    expect(received).toEqual([{ filter: 'metrics.f1 > 0.5', orderBy: 'metrics.f1 DESC', limit: 50, lifecycle: 'active' }]);
  });

  it("in the runs page's form: the texts the server checked are not parsed again, an edit is parsed once", async () => {
    const { checkRunSearch, filterErrorFor, orderErrorFor } = await import('../run-search');
    const page = checkRunSearch({ filter: 'metrics.f1 >>> 1', orderBy: 'metrics.f1 DESC', limit: 50 });
    if (page.ok) throw new Error('an invalid filter was accepted');
    mockParses.filter = 0;
    mockParses.orderBy = 0;
    // The form's first render (the server's, then hydration's) with what the page's one parse found.
    expect(filterErrorFor('metrics.f1 >>> 1', { text: 'metrics.f1 >>> 1', error: page.filterError })).toBe(page.filterError);
    expect(orderErrorFor('metrics.f1 DESC', { text: 'metrics.f1 DESC', error: page.orderError })).toBeUndefined();
    expect(mockParses).toEqual({ filter: 0, orderBy: 0 });
    // Typing in the browser: the new text is parsed there, once.
    expect(filterErrorFor('metrics.f1 > 1', { text: 'metrics.f1 >>> 1', error: page.filterError })).toBeUndefined();
    expect(mockParses).toEqual({ filter: 1, orderBy: 0 });
  });
});
