import { z } from 'zod';

/**
 * Building blocks for the JSON columns and job specs. Postgres `jsonb` refuses `\u0000` in strings and JSON
 * has no NaN/Infinity, so values that end up in a JSON column are finite numbers and NUL-free strings; every
 * collection has an upper bound so one row cannot grow without limit.
 */
export const finiteNumber = z.number().finite();

/** A NUL-free string of at most `max` characters. */
export const safeString = (max = 1024) =>
  z
    .string()
    .max(max)
    .refine((value) => !value.includes('\u0000'), 'NUL characters are not allowed');

/** A name (column, metric, parameter): 1..256 characters without control characters. */
export const nameString = z
  .string()
  .min(1)
  .max(256)
  // eslint-disable-next-line no-control-regex
  .refine((value) => !/[\u0000-\u001f\u007f]/.test(value), 'control characters are not allowed');

/** 32-bit unsigned seed: the range every seeded generator in the ML libs accepts. */
export const seedSchema = z.number().int().min(0).max(4_294_967_295);

/** A map from names to finite numbers (metrics, statistics), at most `max` entries. */
export const finiteRecord = (max = 1000) => z.record(nameString, finiteNumber).refine((record) => Object.keys(record).length <= max, `at most ${max} entries`);

/**
 * Any JSON value, with the same limits: finite numbers (JSON cannot hold others anyway), NUL-free strings,
 * bounded depth and size. For the parts of a column that are free-form by design (event data, extras).
 */
export const boundedJson = (options: { maxDepth?: number; maxStringLength?: number; maxEntries?: number } = {}) => {
  const maxDepth = options.maxDepth ?? 8;
  const maxStringLength = options.maxStringLength ?? 10_000;
  const maxEntries = options.maxEntries ?? 1000;
  const check = (value: unknown, depth: number): string | null => {
    if (value === null || typeof value === 'boolean') return null;
    if (typeof value === 'number') return Number.isFinite(value) ? null : 'numbers must be finite';
    if (typeof value === 'string') {
      if (value.length > maxStringLength) return `strings are at most ${maxStringLength} characters`;
      return value.includes('\u0000') ? 'NUL characters are not allowed' : null;
    }
    if (depth >= maxDepth) return `nested deeper than ${maxDepth} levels`;
    if (Array.isArray(value)) {
      if (value.length > maxEntries) return `arrays hold at most ${maxEntries} items`;
      for (const item of value) {
        const problem = check(item, depth + 1);
        if (problem) return problem;
      }
      return null;
    }
    if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      const entries = Object.entries(value as Record<string, unknown>);
      if (entries.length > maxEntries) return `objects hold at most ${maxEntries} keys`;
      for (const [key, item] of entries) {
        if (key.includes('\u0000')) return 'NUL characters are not allowed';
        const problem = check(item, depth + 1);
        if (problem) return problem;
      }
      return null;
    }
    return 'must be JSON (null, boolean, number, string, array or plain object)';
  };
  return z.json().superRefine((value, ctx) => {
    const problem = check(value, 0);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
};
