import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { ErrorCode } from '../errors/error-code';
import { CURSOR_FORMAT_VERSION, cursorCodec, cursorSchema, InvalidCursorError } from './cursor';

const models = cursorCodec('models', z.object({ name: z.string() }).strict());
const versions = cursorCodec('model-versions', z.object({ version: z.number().int().positive() }).strict());

const raw = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

describe('the page-cursor codec', () => {
  it('round-trips the payload through an opaque, URL-safe string that the query schema accepts', () => {
    const cursor = models.encode({ name: 'fraud/détection' });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursorSchema.parse(cursor)).toBe(cursor);
    expect(models.decode(cursor)).toEqual({ name: 'fraud/détection' });
    expect(JSON.parse(Buffer.from(cursor, 'base64url').toString())).toEqual({ v: CURSOR_FORMAT_VERSION, k: 'models', p: { name: 'fraud/détection' } });
  });

  it.each([
    ['not base64url', 'not a cursor!'],
    ['not JSON', Buffer.from('{nope').toString('base64url')],
    ['a bare payload (the old formats)', raw({ n: 'fraud' })],
    ['another format version', raw({ v: 2, k: 'models', p: { name: 'x' } })],
    ['another list', versions.encode({ version: 3 })],
    ['a payload of the wrong shape', raw({ v: 1, k: 'models', p: { name: 1 } })],
    ['extra payload keys', raw({ v: 1, k: 'models', p: { name: 'x', admin: true } })],
  ])('refuses %s with INVALID_ARGUMENT on the domain field `cursor`', (_what, cursor) => {
    let thrown: unknown;
    try {
      models.decode(cursor);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidCursorError);
    expect(thrown).toMatchObject({ code: ErrorCode.INVALID_ARGUMENT, fields: [{ field: 'cursor', message: 'not a cursor from this API' }] });
  });

  it('bounds what a request may carry as a cursor', () => {
    expect(cursorSchema.safeParse('').success).toBe(false);
    expect(cursorSchema.safeParse('a'.repeat(2049)).success).toBe(false);
    expect(cursorSchema.safeParse('has space').success).toBe(false);
  });
});
