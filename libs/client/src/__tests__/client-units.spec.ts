import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { ErrorCode } from '@slipway/contracts';
import { SlipwayApiError } from '../slipway-api-error';
import { createSlipwayClient } from '../slipway-client';
import { encodePath, HashingMeter, openUploadSource } from '../transfer';

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

describe('transfers', () => {
  it('hash and count what streams through, reporting progress', async () => {
    const chunks = [Buffer.from('hello '), Buffer.from('world')];
    const seen: number[] = [];
    const meter = new HashingMeter(11, (p) => seen.push(p.bytes));
    await pipeline(Readable.from(chunks), meter, new Writable({ write: (_c, _e, done) => done() }));
    expect(meter.sha256()).toBe(createHash('sha256').update('hello world').digest('hex'));
    expect(meter.bytes).toBe(11);
    expect(seen).toEqual([0, 6, 11]);
  });

  it('know the size of buffers and not of streams unless told', async () => {
    await expect(openUploadSource(new Uint8Array([1, 2, 3]))).resolves.toMatchObject({ sizeBytes: 3 });
    await expect(openUploadSource(Readable.from([Buffer.from('x')]))).resolves.toMatchObject({ sizeBytes: null });
    await expect(openUploadSource(Readable.from([Buffer.from('x')]), 1)).resolves.toMatchObject({ sizeBytes: 1 });
    await expect(openUploadSource(__dirname)).rejects.toThrow('is not a file');
  });

  it('encode each path segment and keep the slashes', () => {
    expect(encodePath('model/weights v1.bin')).toBe('model/weights%20v1.bin');
    expect(encodePath('a/#b?/c%')).toBe('a/%23b%3F/c%25');
  });

  it('accept a base URL with or without /api/v1 and a trailing slash', () => {
    expect(createSlipwayClient({ baseUrl: 'http://h:3000/api/v1/', token: 't' }).baseUrl).toBe('http://h:3000');
    expect(createSlipwayClient({ baseUrl: 'http://h:3000', token: 't' }).baseUrl).toBe('http://h:3000');
  });
});
