import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { expectNamed } from '@slipway/testing-matchers';
import { errorResponseSchema } from '@slipway/contracts';
import { useTestDatabase } from '@slipway/testing';
import { startApiTestApp, type ApiTestApp } from './api-test-app';

/** A GET from a chosen loopback source address (all of 127/8 is local on Linux), so the API sees two clients. */
function getFrom(api: ApiTestApp, localAddress: string, path: string, token?: string): Promise<{ status: number; retryAfter?: string; body: string }> {
  const url = new URL(api.baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path, localAddress, headers: token === undefined ? {} : { authorization: `Bearer ${token}` } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string | undefined, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('throttling failed authentication', () => {
  const db = useTestDatabase();
  let api: ApiTestApp;
  const LIMIT = 5;

  beforeAll(async () => {
    api = await startApiTestApp(db.url, { SLIPWAY_AUTH_FAILURES_PER_MINUTE: String(LIMIT) });
  });
  afterAll(async () => api?.close());

  it('answers 429 with Retry-After once one address has failed too often, and only to that address', async () => {
    const guesser = '127.0.0.2';
    const bystander = '127.0.0.3';
    // Requests without any credentials guess nothing and are not counted.
    for (let i = 0; i < LIMIT * 2; i++) expect((await getFrom(api, guesser, '/api/v1/whoami')).status).toBe(401);
    for (let i = 0; i < LIMIT; i++) {
      const response = await getFrom(api, guesser, '/api/v1/whoami', `slw_guess_${i}`);
      expectNamed(response.status, `guess ${i}`).toBe(401);
    }
    const held = await getFrom(api, guesser, '/api/v1/whoami', 'slw_guess_next');
    expect(held.status).toBe(429);
    expect(Number(held.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(held.retryAfter)).toBeLessThanOrEqual(60);
    const error = errorResponseSchema.parse(JSON.parse(held.body)).error;
    expect(error).toMatchObject({ code: 'RESOURCE_EXHAUSTED', message: expect.stringContaining('retry in') });
    // While held back, even a valid token is not tried from that address: otherwise a 200 would tell the guesser it won.
    expect((await getFrom(api, guesser, '/api/v1/whoami', api.tokens.viewer)).status).toBe(429);
    // Another client, with a valid token, is not affected by the guesser's failures; public routes stay open to everyone.
    const other = await getFrom(api, bystander, '/api/v1/whoami', api.tokens.viewer);
    expect(other.status).toBe(200);
    expect(JSON.parse(other.body)).toMatchObject({ role: 'viewer' });
    expect((await getFrom(api, guesser, '/health')).status).toBe(200);
    // The bystander's own failures are counted apart from the guesser's.
    expect((await getFrom(api, bystander, '/api/v1/whoami', 'slw_wrong')).status).toBe(401);
  });
});
