import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { expectNamed } from '@slipway/testing-matchers';
import { errorResponseSchema } from '@slipway/contracts';
import { connectTestSql, useTestDatabase, type TestSql } from '@slipway/testing';
import { rawRequest, startApiTestApp, type ApiTestApp } from './api-test-app';

const CONSOLE_ORIGIN = 'https://console.example.com';

describe('the HTTP edge: methods, media types, JSON limits, encodings, headers, CORS', () => {
  const db = useTestDatabase();
  let api: ApiTestApp;
  let sql: TestSql;
  let experimentId: string;
  let runId: string;

  beforeAll(async () => {
    api = await startApiTestApp(db.url, { SLIPWAY_CORS_ORIGINS: `${CONSOLE_ORIGIN},http://127.0.0.1:4000` });
    sql = connectTestSql(db.url);
    const run = await api.request('/api/v1/runs', { role: 'editor', method: 'POST', json: { experimentName: 'edge' } });
    expect(run.status).toBe(201);
    const body = (await run.json()) as { id: string; experimentId: string };
    runId = body.id;
    experimentId = body.experimentId;
  });
  afterAll(async () => {
    await sql?.close();
    await api?.close();
  });

  const raw = (method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer) =>
    rawRequest(api.baseUrl, { method, path, headers: { authorization: `Bearer ${api.tokens.admin}`, ...headers }, body });
  const errorOf = (body: Buffer) => errorResponseSchema.parse(JSON.parse(body.toString('utf8'))).error;

  describe('methods', () => {
    it('answers an unsupported method on a known path with 405 and the methods it has', async () => {
      const cases: [string, string, string][] = [
        ['PUT', '/api/v1/runs', 'POST, OPTIONS'],
        ['DELETE', '/api/v1/experiments', 'GET, HEAD, POST, OPTIONS'],
        ['PATCH', `/api/v1/runs/${runId}`, 'GET, HEAD, DELETE, OPTIONS'],
        // `search` is also a run id as far as the path goes: /runs/:id answers GET and DELETE.
        ['PUT', '/api/v1/runs/search', 'GET, HEAD, POST, DELETE, OPTIONS'],
        ['GET', `/api/v1/runs/${runId}/log-batch`, 'POST, OPTIONS'],
        ['TRACE', '/api/v1/runs', 'POST, OPTIONS'],
        ['POST', '/health', 'GET, HEAD, OPTIONS'],
      ];
      for (const [method, path, allow] of cases) {
        const response = await raw(method, path);
        expectNamed(response.status, `${method} ${path}`).toBe(405);
        expectNamed(response.headers.allow, `${method} ${path}`).toBe(allow);
        if (method !== 'HEAD') expectNamed(errorOf(response.body).code, `${method} ${path}`).toBe('METHOD_NOT_ALLOWED');
      }
    });

    it('keeps 404 for paths no route has, whatever the method, and answers HEAD like GET', async () => {
      for (const method of ['GET', 'POST', 'PUT', 'DELETE']) {
        const response = await raw(method, '/api/v1/no-such-thing');
        expectNamed(response.status, method).toBe(404);
        expectNamed(response.headers.allow, method).toBeUndefined();
      }
      const head = await raw('HEAD', '/api/v1/experiments');
      expect(head.status).toBe(200);
      expect(head.body.length).toBe(0);
    });
  });

  describe('media types', () => {
    it('refuses a form-encoded or text body on a JSON route with 415 naming the expected type, and creates nothing', async () => {
      const runsBefore = await sql.count('runs');
      for (const [type, body] of [
        ['application/x-www-form-urlencoded', 'experimentName=form'],
        ['text/plain', '{"experimentName":"text"}'],
        ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="experimentName"\r\n\r\nmultipart\r\n--x--\r\n'],
        ['application/jsonp', '{"experimentName":"jsonp"}'],
      ]) {
        const response = await raw('POST', '/api/v1/runs', { 'content-type': type }, body);
        expectNamed(response.status, type).toBe(415);
        const error = errorOf(response.body);
        expectNamed(error.code, type).toBe('UNSUPPORTED_MEDIA_TYPE');
        expectNamed(error.message, type).toContain('application/json');
      }
      // No Content-Type at all, with a body: the same.
      const untyped = await raw('POST', '/api/v1/runs', { 'content-length': '2' }, '{}');
      expect(untyped.status).toBe(415);
      expect(await sql.count('runs')).toBe(runsBefore);
    });

    it('takes JSON with parameters and +json types, and a POST without a body where none is needed', async () => {
      const typed = await raw('POST', '/api/v1/runs', { 'content-type': 'Application/JSON; charset=utf-8' }, JSON.stringify({ experimentId }));
      expect(typed.status).toBe(201);
      const merge = await raw('PATCH', `/api/v1/experiments/${experimentId}`, { 'content-type': 'application/merge-patch+json' }, '{"description":"d"}');
      expect(merge.status).toBe(200);
      const created = JSON.parse(typed.body.toString()) as { id: string };
      await expect(api.request(`/api/v1/runs/${created.id}`, { method: 'DELETE' })).resolves.toMatchObject({ status: 200 });
      const restore = await raw('POST', `/api/v1/runs/${created.id}/restore`, { 'content-length': '0' });
      expect(restore.status).toBe(200);
      // A route that reads no body ignores a form one rather than refusing it.
      // (Content-Length given: Node frames no DELETE body by itself.)
      const deleted = await raw('DELETE', `/api/v1/runs/${created.id}`, { 'content-type': 'text/plain', 'content-length': '8' }, 'whatever');
      expect(deleted.status).toBe(200);
      expect(JSON.parse(deleted.body.toString())).toMatchObject({ id: created.id });
    });

    it('lets uploads stream any content type, JSON included', async () => {
      for (const type of ['application/json', 'application/x-www-form-urlencoded', 'text/plain']) {
        const response = await raw('PUT', `/api/v1/runs/${runId}/artifacts/file-${type.replace(/\W/g, '-')}.json`, { 'content-type': type }, '{"a":1}');
        expectNamed(response.status, type).toBe(201);
      }
    });
  });

  describe('JSON content', () => {
    it('says "number out of range" for literals beyond a double, naming the field', async () => {
      for (const literal of ['1e400', '-1e400', '1' + '0'.repeat(400)]) {
        const body = `{"metrics":[{"key":"loss","value":${literal},"step":0}]}`;
        const response = await raw('POST', `/api/v1/runs/${runId}/log-batch`, { 'content-type': 'application/json' }, body);
        expectNamed(response.status, literal.slice(0, 10)).toBe(400);
        const error = errorOf(response.body);
        expectNamed(error.fields?.[0], literal.slice(0, 10)).toMatchObject({
          field: 'body.metrics.0.value',
          message: expect.stringContaining('number out of range'),
        });
      }
      // The largest finite double is in range (what the schema then makes of it is the schema's business).
      const finite = await raw(
        'POST',
        `/api/v1/runs/${runId}/log-batch`,
        { 'content-type': 'application/json' },
        '{"metrics":[{"key":"l","value":1.7976931348623157e308,"step":0}]}',
      );
      expect(finite.status).toBeLessThan(500);
      expect(JSON.stringify(errorOrNull(finite.body))).not.toContain('out of range (beyond');
    });

    it('refuses nesting deeper than 64 levels with a 400, even a million deep', async () => {
      const nested = (depth: number) => `{"experimentName":"deep","tags":{"a":"b"},"x":${'['.repeat(depth)}${']'.repeat(depth)}}`;
      for (const depth of [64, 10_000, 1_000_000]) {
        const response = await raw('POST', '/api/v1/runs', { 'content-type': 'application/json' }, nested(depth));
        expectNamed(response.status, `depth ${depth}`).toBe(400);
        if (depth > 64) expectNamed(errorOf(response.body).message, `depth ${depth}`).toContain('nested deeper than 64 levels');
      }
    });

    it('refuses __proto__ keys and leaves every prototype alone', async () => {
      for (const body of ['{"__proto__":{"polluted":true},"experimentName":"p"}', '{"experimentName":"p","tags":{"__proto__":{"polluted":"yes"}}}']) {
        const response = await raw('POST', '/api/v1/runs', { 'content-type': 'application/json' }, body);
        expectNamed(response.status, body).toBe(400);
        expectNamed(errorOf(response.body).fields?.[0]?.message, body).toBe('reserved key');
      }
      const constructorKey = await raw(
        'POST',
        '/api/v1/runs',
        { 'content-type': 'application/json' },
        '{"experimentName":"c","tags":{"constructor":"x","prototype":"y"}}',
      );
      expect(constructorKey.status).toBeLessThan(500);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('polluted');
    });

    it('answers malformed JSON, lone surrogates and NUL escapes without a 5xx', async () => {
      for (const body of [
        '{"experimentName":',
        '{"experimentName":"a"}x',
        '"just a string"',
        '{"experimentName":"\\ud800"}',
        '{"experimentName":"a\\u0000b"}',
        '\u00ff\u00fe',
      ]) {
        const response = await raw('POST', '/api/v1/runs', { 'content-type': 'application/json' }, body);
        expectNamed(response.status, body).toBeGreaterThanOrEqual(400);
        expectNamed(response.status, body).toBeLessThan(500);
      }
      const latin1 = await raw('POST', '/api/v1/runs', { 'content-type': 'application/json; charset=latin1' }, '{}');
      expect(latin1.status).toBe(415);
      // Odd Content-Type parameters and encodings are the client's mistake, whatever the parser makes of them.
      for (const headers of [
        { 'content-type': 'application/json; charset' },
        { 'content-type': 'application/json;;' },
        { 'content-type': 'application/json; charset="utf-8' },
        { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        { 'content-type': 'application/json', 'content-encoding': 'br' },
        { 'content-type': 'application/json', 'content-encoding': 'x-unknown' },
        { 'content-type': 'application/json', 'content-encoding': 'identity, gzip' },
      ] as Record<string, string>[]) {
        const response = await raw('POST', '/api/v1/runs', { ...headers, 'content-length': '21' }, '{"experimentName":"e"}'.slice(0, 21));
        expectNamed(response.status, JSON.stringify(headers)).toBeLessThan(500);
      }
    });
  });

  describe('odd bytes in paths, queries and headers', () => {
    it('answers 4xx, never 5xx', async () => {
      const paths = [
        '/api/v1/experiments?search=%00',
        '/api/v1/experiments?search=%ff',
        '/api/v1/experiments?search=%E0%A4%A',
        '/api/v1/experiments?search=%',
        '/api/v1/experiments?search[$gt]=&search[]=a',
        `/api/v1/runs/%E0%A4%A`,
        `/api/v1/runs/%ff`,
        `/api/v1/runs/%`,
        `/api/v1/runs/${runId}/metrics/%E0%A4%A/history`,
        `/api/v1/models/%C0%AF/versions`,
        `/api/v1/experiments/${'a'.repeat(8000)}`,
        `/api/v1/experiments?search=${'a'.repeat(7000)}`,
      ];
      for (const path of paths) {
        const response = await raw('GET', path);
        expectNamed(response.status, path.slice(0, 80)).toBeGreaterThanOrEqual(200);
        expectNamed(response.status, path.slice(0, 80)).toBeLessThan(500);
      }
      const decoding = await raw('GET', '/api/v1/runs/%E0%A4%A');
      expect(decoding.status).toBe(400);
      expect(errorOf(decoding.body)).toMatchObject({ code: 'INVALID_ARGUMENT', fields: [{ field: 'params.id' }] });
      const nested = await raw('POST', `/api/v1/models/m/versions/%ff/restore`);
      expect(errorOf(nested.body)).toMatchObject({ code: 'INVALID_ARGUMENT', fields: [{ field: 'params.version' }] });
      // Node itself refuses a request line and headers over its 16 KiB limit, before Express sees them; the
      // answer still has the API's error shape.
      const overlong = await raw('GET', `/api/v1/experiments?search=${'a'.repeat(20_000)}`);
      expect(overlong.status).toBe(431);
      expect(errorOf(overlong.body)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', fields: [{ field: 'headers' }] });
      const headers = await raw('GET', '/api/v1/experiments', { 'x-request-id': '\u00ff\u00fe', 'if-none-match': '"\u00ff"', accept: 'text/html' });
      expect(headers.status).toBe(200);
    });
  });

  describe('response headers', () => {
    it('sends no X-Powered-By and the security headers on answers and errors alike', async () => {
      for (const response of [await raw('GET', '/api/v1/experiments'), await raw('GET', '/api/v1/nothing-here'), await raw('GET', '/health')]) {
        expect(response.headers['x-powered-by']).toBeUndefined();
        expect(response.headers).toMatchObject({
          'x-content-type-options': 'nosniff',
          'referrer-policy': 'no-referrer',
          'x-frame-options': 'DENY',
          'cross-origin-resource-policy': 'same-site',
          'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
        });
      }
    });

    it('still serves the Swagger UI and its document', async () => {
      const ui = await raw('GET', '/docs');
      expect(ui.status).toBe(200);
      expect(ui.body.toString()).toContain('swagger-ui');
      expect(ui.headers['content-security-policy']).toBeUndefined();
      const script = /src="\.?\/?([^"]*swagger-ui-init\.js)"/.exec(ui.body.toString());
      expect(script).not.toBeNull();
      expect((await raw('GET', `/docs/${script?.[1].replace(/^docs\//, '')}`)).status).toBe(200);
      const doc = await raw('GET', '/docs-json');
      expect(doc.status).toBe(200);
      expect(JSON.parse(doc.body.toString())).toHaveProperty('openapi');
    });
  });

  describe('CORS', () => {
    it('answers only the configured origins', async () => {
      const allowed = await raw('GET', '/api/v1/experiments', { origin: CONSOLE_ORIGIN });
      expect(allowed.headers['access-control-allow-origin']).toBe(CONSOLE_ORIGIN);
      expect(String(allowed.headers.vary)).toMatch(/origin/i);
      const other = await raw('GET', '/api/v1/experiments', { origin: 'https://evil.example' });
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
      const preflight = await raw('OPTIONS', '/api/v1/runs', {
        origin: 'http://127.0.0.1:4000',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe('http://127.0.0.1:4000');
      const refusedPreflight = await raw('OPTIONS', '/api/v1/runs', { origin: 'https://evil.example', 'access-control-request-method': 'POST' });
      expect(refusedPreflight.headers['access-control-allow-origin']).toBeUndefined();
    });
  });
});

describe('CORS defaults', () => {
  const db = useTestDatabase();
  let api: ApiTestApp;
  beforeAll(async () => {
    api = await startApiTestApp(db.url, { SLIPWAY_CONSOLE_PORT: '3111' });
  });
  afterAll(async () => api?.close());

  it("answers the console's own origin and no other", async () => {
    for (const origin of ['http://127.0.0.1:3111', 'http://localhost:3111']) {
      const response = await fetch(`${api.baseUrl}/health`, { headers: { origin } });
      expectNamed(response.headers.get('access-control-allow-origin'), origin).toBe(origin);
    }
    for (const origin of ['http://127.0.0.1:3000', 'https://example.com', 'null']) {
      const response = await fetch(`${api.baseUrl}/health`, { headers: { origin } });
      expectNamed(response.headers.get('access-control-allow-origin'), origin).toBeNull();
    }
  });
});

function errorOrNull(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
}
