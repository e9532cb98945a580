import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { emptyPools, materialize } from './fuzz-engine';
import { HOSTILE_CURSORS, PoolRef, RawJson, toJsonText } from './hostile-values';
import { operationsOf, type OpenApiDocument } from './openapi';
import { PlanGenerator, type RequestPlan } from './request-plans';

const document: OpenApiDocument = {
  paths: {
    '/api/v1/models/{name}/versions/{version}': {
      post: {
        parameters: [
          { in: 'path', name: 'name', required: true, schema: { type: 'string', pattern: '^[a-z]+$', maxLength: 16 } },
          { in: 'path', name: 'version', required: true, schema: { type: 'string', pattern: '^[1-9]\\d{0,3}$' } },
          { in: 'query', name: 'limit', schema: { type: 'integer', minimum: 1, maximum: 10 } },
        ],
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Body' } } } },
      },
    },
  },
  components: {
    schemas: {
      Body: {
        allOf: [
          { type: 'object', properties: { status: { type: 'string', enum: ['READY', 'FAILED'] } }, required: ['status'] },
          { type: 'object', properties: { score: { type: 'number', minimum: 0, maximum: 1 }, at: { type: 'string', format: 'date-time' } } },
        ],
      },
    },
  },
};

describe('request plans from an OpenAPI document', () => {
  const operations = operationsOf(document);
  const generator = new PlanGenerator(operations, document);

  it('resolves $ref and allOf into one object schema', () => {
    expect(operations.map((op) => op.id)).toEqual(['POST /api/v1/models/{name}/versions/{version}']);
    expect(Object.keys(operations[0].jsonBody?.properties ?? {}).sort()).toEqual(['at', 'score', 'status']);
    expect(operations[0].jsonBody?.required).toEqual(['status']);
  });

  it('leaves a share of plans valid, and those satisfy the schema', () => {
    const plans = fc.sample(generator.plans(), { numRuns: 300, seed: 5 });
    const valid = plans.filter((plan) => plan.mutations.length === 0);
    expect(valid.length).toBeGreaterThan(50);
    for (const plan of valid) {
      const body = plan.body as { status: unknown; score?: number; at?: string };
      expect(['READY', 'FAILED']).toContain(body.status);
      if (body.score !== undefined) expect(body.score >= 0 && body.score <= 1).toBe(true);
      if (body.at !== undefined) expect(new Date(body.at).toISOString()).toBe(body.at);
    }
  });

  it('draws mutations from every location the operation has', () => {
    const kinds = new Set(fc.sample(generator.plans(), { numRuns: 500, seed: 9 }).flatMap((plan) => plan.mutations.map((m) => m.kind)));
    expect([...kinds].sort()).toEqual(
      expect.arrayContaining([
        'body-extra',
        'body-field',
        'body-missing',
        'body-raw',
        'content-type',
        'header',
        'method',
        'path',
        'query',
        'query-shape',
        'query-unknown',
      ]),
    );
  });

  it('sends what a hostile client writes: raw JSON spliced verbatim, path segments unnormalised, fixtures resolved', () => {
    const plan: RequestPlan = {
      operation: operations[0].id,
      pathValues: { name: new PoolRef('model', 3, 'fallback'), version: '1' },
      query: [['limit', 2]],
      headers: {},
      body: { status: 'READY' },
      mutations: [
        { kind: 'body-field', path: ['score'], value: new RawJson('1e400') },
        { kind: 'body-field', path: ['note'], value: new RawJson('"\\ud800"') },
        { kind: 'path', name: 'version', raw: '..' },
        { kind: 'query-shape', name: 'limit', shape: 'duplicate', raw: '%00' },
      ],
    };
    const pools = { ...emptyPools(), model: ['alpha', 'beta'] };
    const request = materialize(operations[0], plan, pools, 'tok');
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/api/v1/models/beta/versions/..?limit=2&limit=%00&limit=%00');
    expect(request.headers).toEqual({ authorization: 'Bearer tok', 'content-type': 'application/json' });
    expect(request.body?.toString('utf8')).toBe('{"status":"READY","score":1e400,"note":"\\ud800"}');
  });

  it('serialises values JSON.stringify cannot write', () => {
    expect(toJsonText([new RawJson('-0'), undefined, { a: new RawJson('NaN') }], () => null)).toBe('[-0,null,{"a":NaN}]');
    // A hostile value set past an array's end leaves holes: they go out as null, never as `[,,x]`.
    const sparse: unknown[] = [];
    sparse[2] = 5e-324;
    expect(toJsonText(sparse, () => null)).toBe('[null,null,5e-324]');
  });

  it('makes hostile cursors in the API envelope', () => {
    for (const cursor of HOSTILE_CURSORS) {
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))).toMatchObject({ v: 1 });
    }
  });
});
