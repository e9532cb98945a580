import { describe, expect, it } from '@jest/globals';
import { healthResponseSchema } from '../platform/health.contract';
import { ErrorCode, errorResponseSchema, SlipwayError } from './error-code';

describe('error contract', () => {
  it('accepts the API error shape and rejects unknown codes', () => {
    const body = { error: { code: 'NOT_FOUND', message: 'Model "fraud" not found', requestId: 'r-1' } };
    expect(errorResponseSchema.parse(body).error.code).toBe(ErrorCode.NOT_FOUND);
    expect(errorResponseSchema.safeParse({ error: { code: 'TEAPOT', message: 'x' } }).success).toBe(false);
  });

  it('carries a code and the fields at fault on SlipwayError', () => {
    const error = new SlipwayError(ErrorCode.INVALID_ARGUMENT, 'bad', [{ field: 'body.name', message: 'required' }]);
    expect(error).toBeInstanceOf(Error);
    expect([error.code, error.fields?.[0].field]).toEqual(['INVALID_ARGUMENT', 'body.name']);
  });
});

describe('health contract', () => {
  it('requires ISO timestamps for worker heartbeats', () => {
    const worker = {
      id: 'w',
      host: 'h',
      pid: 1,
      tfBackend: 'wasm',
      device: 'cpu',
      concurrency: 1,
      version: '0.1.0',
      startedAt: '2026-11-27T04:00:00.000Z',
      lastHeartbeatAt: 'yesterday',
    };
    const component = { status: 'UP', latencyMs: 1 };
    const health = {
      status: 'OK',
      version: '0.1.0',
      uptimeSeconds: 1,
      checks: { database: component, queue: component, objectStore: component },
      workers: { connected: 1, heartbeatTimeoutSeconds: 20, list: [worker] },
    };
    expect(healthResponseSchema.safeParse(health).success).toBe(false);
    expect(
      healthResponseSchema.safeParse({ ...health, workers: { ...health.workers, list: [{ ...worker, lastHeartbeatAt: '2026-11-27T04:00:05.000Z' }] } }).success,
    ).toBe(true);
  });
});
