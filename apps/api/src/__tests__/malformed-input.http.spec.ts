/**
 * Bad input against EVERY route in the OpenAPI document — so a route added later is covered without
 * touching this file: missing/invalid tokens, path traversal and garbage in path parameters, malformed
 * and non-object JSON, oversized bodies, and bodies whose every declared field has the wrong type or a
 * 100 KB string. The API must answer each with a 4xx in the error shape (never a 5xx), and nothing may
 * be stored: every table's row count is the same afterwards.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { expectNamed } from '@slipway/testing-matchers';
import { errorResponseSchema } from '@slipway/contracts';
import { useTestDatabase } from '@slipway/testing';
import { startApiTestApp, type ApiTestApp } from './api-test-app';

interface OpenApiOperation {
  requestBody?: { content?: Record<string, { schema?: SchemaObject }> };
  security?: unknown[];
}
interface SchemaObject {
  type?: string | string[];
  properties?: Record<string, SchemaObject>;
  enum?: unknown[];
  $ref?: string;
  anyOf?: SchemaObject[];
  oneOf?: SchemaObject[];
  allOf?: SchemaObject[];
}
interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, SchemaObject> };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const TRAVERSALS = ['..%2F..%2Fetc%2Fpasswd', '%2e%2e%2f%2e%2e%2fsecret', '..', '%00', 'x'.repeat(3000)];
const HUGE = 'x'.repeat(100 * 1024);

function resolveSchema(doc: OpenApiDocument, schema: SchemaObject | undefined): SchemaObject | undefined {
  if (!schema) return undefined;
  if (schema.$ref) return resolveSchema(doc, doc.components?.schemas?.[schema.$ref.split('/').pop() as string]);
  if (schema.allOf?.length) return { type: 'object', properties: Object.assign({}, ...schema.allOf.map((s) => resolveSchema(doc, s)?.properties ?? {})) };
  return schema;
}

/** A value of the wrong type for `schema` (and, for strings, a second variant: 100 KB long). */
function wrongValues(schema: SchemaObject | undefined): unknown[] {
  const types = new Set([schema?.type, ...(schema?.anyOf ?? schema?.oneOf ?? []).map((s) => s.type)].flat().filter(Boolean));
  if (schema?.enum) return ['NOT_A_KNOWN_VALUE', 12345];
  if (types.has('string')) return [12345, HUGE, { nested: true }];
  if (types.has('number') || types.has('integer')) return ['not-a-number', -1e308, [1]];
  if (types.has('boolean')) return ['maybe'];
  if (types.has('array')) return ['not-an-array', [{ deeply: { wrong: [HUGE] } }]];
  if (types.has('object')) return ['not-an-object', [1, 2]];
  return [Symbol.for('skip')];
}

async function tableCounts(url: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>(
      "select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> '_prisma_migrations' order by 1",
    );
    const counts: Record<string, number> = {};
    for (const { table_name } of tables.rows) {
      const { rows } = await client.query<{ n: string }>(`select count(*) as n from "${table_name}"`);
      counts[table_name] = Number(rows[0].n);
    }
    return counts;
  } finally {
    await client.end();
  }
}

describe('malformed input on every route', () => {
  const db = useTestDatabase();
  let api: ApiTestApp;
  let doc: OpenApiDocument;

  beforeAll(async () => {
    // Sends a forged token to every route on purpose: more failures than the default throttle lets one address make.
    api = await startApiTestApp(db.url, { SLIPWAY_AUTH_FAILURES_PER_MINUTE: '1000000' });
    doc = (await (await fetch(`${api.baseUrl}/docs-json`)).json()) as OpenApiDocument;
  });
  afterAll(async () => api?.close());

  function operations(): { method: (typeof METHODS)[number]; path: string; operation: OpenApiOperation }[] {
    return Object.entries(doc.paths).flatMap(([path, item]) =>
      METHODS.filter((m) => item[m]).map((method) => ({ method, path, operation: item[method] as OpenApiOperation })),
    );
  }

  function fill(path: string, value: string): string {
    return path.replace(/\{[^}]+\}/g, value);
  }

  /** Whether `pathname` is a route of the document for `verb` (a `{param}` matches any one segment). */
  function documented(verb: string, pathname: string): boolean {
    const segments = pathname.split('/').filter(Boolean);
    return operations().some((op) => {
      if (op.method.toUpperCase() !== verb) return false;
      const route = op.path.split('/').filter(Boolean);
      return route.length === segments.length && route.every((part, i) => part.startsWith('{') || part === segments[i]);
    });
  }

  async function expectClientError(response: Response, what: string): Promise<void> {
    expectNamed(response.status, `${what} → ${response.status}`).toBeGreaterThanOrEqual(400);
    expectNamed(response.status, `${what} → ${response.status}`).toBeLessThan(500);
    const type = response.headers.get('content-type') ?? '';
    if (type.includes('json')) expectNamed(errorResponseSchema.safeParse(await response.json()).success, `${what}: error shape`).toBe(true);
    else await response.arrayBuffer();
  }

  it('covers the documented API', () => {
    expect(operations().length).toBeGreaterThanOrEqual(8);
  });

  it('answers every route with 4xx, never 5xx, and stores nothing', async () => {
    const before = await tableCounts(db.url);
    const checked: string[] = [];
    for (const { method, path, operation } of operations()) {
      const verb = method.toUpperCase();
      const isPublic = !operation.security || operation.security.length === 0;
      const hasParams = path.includes('{');
      // 1. No token / a forged token: 401 on every protected route.
      if (!isPublic) {
        for (const headers of [{}, { authorization: 'Bearer slw_forged' }, { authorization: 'Token x' }] as Record<string, string>[]) {
          const response = await api.request(fill(path, 'x'), {
            role: null,
            method: verb,
            headers,
            json: verb === 'GET' || verb === 'DELETE' ? undefined : {},
          });
          expectNamed(response.status, `${verb} ${path} without a valid token`).toBe(401);
          await response.arrayBuffer();
        }
      }
      // 2. Garbage and traversal in path parameters.
      if (hasParams) {
        for (const bad of TRAVERSALS) {
          const target = fill(path, bad);
          // A bare `..` segment is resolved by the client's URL parser before anything is sent: `/studies/by-name/..`
          // leaves as `GET /studies`, another documented route, which rightly answers 200. The traversals that reach
          // the server (escaped, or resolving to no route) must still be refused.
          if (documented(verb, new URL(target, api.baseUrl).pathname) && new URL(target, api.baseUrl).pathname !== target) continue;
          const response = await api.request(target, { method: verb, json: verb === 'GET' || verb === 'DELETE' ? undefined : {} });
          await expectClientError(response, `${verb} ${target.slice(0, 80)}`);
        }
      }
      if (verb === 'GET' || verb === 'DELETE' || isPublic) {
        checked.push(`${verb} ${path}`);
        continue;
      }
      const target = fill(path, 'no-such-thing');
      // 3. Malformed JSON, non-object JSON, an oversized body.
      for (const raw of ['{"unterminated": ', '[]', '"a string"', '12345', 'null', '{"a":'.repeat(5000)]) {
        const response = await fetch(`${api.baseUrl}${target}`, {
          method: verb,
          headers: { authorization: `Bearer ${api.tokens.admin}`, 'content-type': 'application/json' },
          body: raw,
        });
        await expectClientError(response, `${verb} ${path} body ${raw.slice(0, 20)}`);
      }
      const oversized = await fetch(`${api.baseUrl}${target}`, {
        method: verb,
        headers: { authorization: `Bearer ${api.tokens.admin}`, 'content-type': 'application/json' },
        body: `{"x":"${'y'.repeat(11 * 1024 * 1024)}"}`,
      });
      await expectClientError(oversized, `${verb} ${path} 11 MB body`);
      // 4. Every declared body field with the wrong type or a 100 KB string (others left out).
      const schema = resolveSchema(doc, operation.requestBody?.content?.['application/json']?.schema);
      for (const [field, fieldSchema] of Object.entries(schema?.properties ?? {})) {
        for (const value of wrongValues(resolveSchema(doc, fieldSchema))) {
          if (value === Symbol.for('skip')) continue;
          const response = await api.request(target, { method: verb, json: { [field]: value } });
          await expectClientError(response, `${verb} ${path} ${field}=${JSON.stringify(value).slice(0, 30)}`);
        }
      }
      checked.push(`${verb} ${path}`);
    }
    expect(checked.length).toBe(operations().length);
    console.log(`malformed-input: ${checked.length} operations checked`);
    const after = await tableCounts(db.url);
    expect(after).toEqual(before);
  }, 240_000);
});
