import { describe, expect, it } from '@jest/globals';
import { ErrorCode } from '@slipway/contracts';
import { z } from 'zod';
import { idempotencyKeySchema, invalidOutcome, refusedOutcome } from '../action-result';

describe('refusedOutcome', () => {
  it("keeps the API's status and code and maps its body paths to the form's paths", () => {
    const outcome = refusedOutcome({
      code: ErrorCode.INVALID_ARGUMENT,
      message: 'Request validation failed',
      url: 'http://api/v1/studies',
      status: 400,
      fields: [
        { field: 'body.searchSpace.maxDepth.low', message: 'must be at most high' },
        { field: 'body', message: 'unknown key' },
      ],
    });
    expect(outcome).toEqual({
      ok: false,
      message: 'Request validation failed',
      code: ErrorCode.INVALID_ARGUMENT,
      httpStatus: 400,
      fields: [
        { field: 'searchSpace.maxDepth.low', message: 'must be at most high' },
        { field: '', message: 'unknown key' },
      ],
    });
  });

  it('answers no fields when the API named none (an unreachable API has no status either)', () => {
    expect(refusedOutcome({ code: ErrorCode.UNAVAILABLE, message: 'API unreachable', url: 'http://api/v1/studies' })).toEqual({
      ok: false,
      message: 'API unreachable',
      code: ErrorCode.UNAVAILABLE,
      httpStatus: undefined,
      fields: [],
    });
  });
});

describe('invalidOutcome', () => {
  it('names each issue by its dotted path', () => {
    const parsed = z.object({ limits: z.object({ maxTrials: z.number().int().min(1) }) }).safeParse({ limits: { maxTrials: 0 } });
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    const outcome = invalidOutcome(parsed.error, 'Some fields are not valid.');
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.message).toBe('Some fields are not valid.');
    expect(outcome.fields.map((f) => f.field)).toEqual(['limits.maxTrials']);
  });
});

describe('idempotencyKeySchema', () => {
  it.each([
    ['a1b2-c3', true],
    ['x'.repeat(255), true],
    ['', false],
    ['x'.repeat(256), false],
    ['has space', false],
  ])('%s → %s', (key, ok) => {
    expect(idempotencyKeySchema.safeParse(key).success).toBe(ok);
  });
});
