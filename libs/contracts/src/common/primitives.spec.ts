import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  boundedJson,
  digitsInt,
  freeText,
  int32,
  int64Text,
  isoDateTime,
  isWellFormedText,
  MAX_TIMESTAMP_MS,
  MIN_TIMESTAMP_MS,
  nameText,
  queryInt,
  recordKey,
  safeInt,
  text,
  timestampSchema,
} from './primitives';
import { findUnsafeFields } from './schema-probe';
import { z } from 'zod';

const SEED = 20261201;
const params = { seed: SEED, numRuns: 300 };
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));
/** Any string with a NUL or a lone surrogate spliced in somewhere. */
const unstorable = fc
  .tuple(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.oneof(fc.constant('\u0000'), loneSurrogate), fc.string({ unit: 'grapheme', maxLength: 40 }))
  .map(([before, bad, after]) => before + bad + after);

describe('text primitives', () => {
  it('accept every well-formed, NUL-free string within the bound, astral and RTL characters included', () => {
    const schema = freeText(200);
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 100 }), (value) => {
        fc.pre(!value.includes('\u0000') && value.length <= 200);
        expect(schema.safeParse(value)).toEqual({ success: true, data: value });
      }),
      params,
    );
    expect(nameText(64).parse('模型 😀 שלום مرحبا')).toBe('模型 😀 שלום مرحبا');
  });

  it('refuse a NUL or a lone surrogate anywhere, with a message naming the rule', () => {
    for (const schema of [freeText(1000), nameText(1000), recordKey(1000), text({ max: 1000, trim: true })]) {
      fc.assert(
        fc.property(unstorable, (value) => {
          const result = schema.safeParse(value);
          expect(result.success).toBe(false);
          expect(result.error?.issues[0].message).toMatch(/NUL|surrogate|control/);
        }),
        params,
      );
    }
  });

  it('agree with String#isWellFormed on arbitrary UTF-16', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), fc.array(loneSurrogate, { maxLength: 2 }), (value, extra) => {
        const mixed = value + extra.join('');
        expect(isWellFormedText(mixed)).toBe((mixed as unknown as { isWellFormed(): boolean }).isWellFormed());
      }),
      params,
    );
  });

  it('bound the length, trim before it when asked, and keep control characters out of names', () => {
    expect(text({ max: 3 }).safeParse('abcd').success).toBe(false);
    expect(text({ max: 3, trim: true }).parse('  abc  ')).toBe('abc');
    expect(nameText(10).safeParse('a\nb').success).toBe(false);
    expect(freeText(10).parse('a\nb')).toBe('a\nb');
    expect(nameText(10).safeParse('').success).toBe(false);
    expect(nameText(10, { min: 0 }).parse('')).toBe('');
  });

  it('guard record keys', () => {
    const record = z.record(recordKey(16), z.string());
    expect(record.safeParse({ 'a\u0000': 'x' }).success).toBe(false);
    expect(record.safeParse({ '\ud800': 'x' }).success).toBe(false);
    expect(record.parse({ '😀': 'x' })).toEqual({ '😀': 'x' });
  });
});

describe('integer primitives', () => {
  it('digitsInt reads exactly the plain decimal integers in range', () => {
    const schema = digitsInt(0, 2_147_483_647);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2_147_483_647 }), (n) => {
        expect(schema.parse(String(n))).toBe(n);
      }),
      params,
    );
    for (const form of ['1e3', ' 1', '1 ', '0x10', '+1', '1.0', '01', '', '-1', '2147483648', '99999999999999999999', '１', 'NaN'])
      expect(schema.safeParse(form).success).toBe(false);
    expect(digitsInt(-5, 5).parse('-5')).toBe(-5);
    expect(digitsInt(-5, 5).safeParse('-0').success).toBe(false);
  });

  it('digitsInt refuses every string that is not the canonical decimal of an in-range integer', () => {
    const schema = digitsInt(1, 1000);
    fc.assert(
      fc.property(fc.string({ maxLength: 8 }), (value) => {
        const n = Number(value);
        const canonical = Number.isInteger(n) && String(n) === value && n >= 1 && n <= 1000;
        expect(schema.safeParse(value).success).toBe(canonical);
      }),
      params,
    );
  });

  it('queryInt fills its default only when the parameter is absent', () => {
    const limit = queryInt({ min: 1, max: 100, default: 50 });
    expect(limit.parse(undefined)).toBe(50);
    expect(limit.parse('7')).toBe(7);
    expect(limit.safeParse('0').success).toBe(false);
    expect(limit.safeParse('101').success).toBe(false);
  });

  it('int32 and safeInt keep to their column ranges', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: false }), (n) => {
        expect(int32().safeParse(n).success).toBe(Number.isInteger(n) && n >= -2_147_483_648 && n <= 2_147_483_647);
        expect(safeInt().safeParse(n).success).toBe(Number.isSafeInteger(n));
      }),
      params,
    );
    expect(int32(1, 10).safeParse(11).success).toBe(false);
  });

  it('int64Text accepts exactly the decimal texts that fit int8', () => {
    expect(int64Text().parse('9223372036854775807')).toBe('9223372036854775807');
    for (const bad of ['9223372036854775808', '9999999999999999999', '12345678901234567890123', '-1', '1e3', ''])
      expect(int64Text().safeParse(bad).success).toBe(false);
    fc.assert(
      fc.property(fc.bigInt({ min: BigInt(0), max: BigInt('9223372036854775807') }), (n) => {
        expect(int64Text().safeParse(n.toString()).success).toBe(true);
      }),
      params,
    );
  });
});

describe('time primitives', () => {
  it('accept every instant of years 0001..9999 as ISO, and its epoch ms from 1970 on, both reading back the same instant', () => {
    fc.assert(
      fc.property(fc.integer({ min: MIN_TIMESTAMP_MS, max: MAX_TIMESTAMP_MS }), (ms) => {
        const iso = new Date(ms).toISOString();
        expect(iso).toMatch(/^\d{4}-/);
        expect(isoDateTime().safeParse(iso).success).toBe(true);
        expect(timestampSchema.parse(iso)).toBe(ms);
        if (ms >= 0) expect(timestampSchema.parse(ms)).toBe(ms);
      }),
      params,
    );
  });

  it('refuse instants Date#toISOString would write with a 6-digit year, and year 0', () => {
    // The response schemas read back what the platform writes: a year past 9999 comes out as +010000-….
    expect(new Date(MAX_TIMESTAMP_MS + 1).toISOString()).toBe('+010000-01-01T00:00:00.000Z');
    for (const bad of ['+010000-01-01T00:00:00Z', '10000-01-01T00:00:00Z', '0000-12-31T23:59:59Z', '-000001-01-01T00:00:00Z'])
      expect(isoDateTime().safeParse(bad).success).toBe(false);
    expect(isoDateTime({ offset: true }).safeParse('9999-12-31T23:00:00-05:00').success).toBe(false);
    expect(timestampSchema.safeParse('9999-12-31T23:00:00-05:00').success).toBe(false);
    expect(timestampSchema.safeParse(MAX_TIMESTAMP_MS + 1).success).toBe(false);
    expect(timestampSchema.safeParse(8_640_000_000_000_000).success).toBe(false);
    expect(timestampSchema.safeParse(-1).success).toBe(false);
    expect(timestampSchema.parse('0001-01-01T00:00:00Z')).toBe(MIN_TIMESTAMP_MS);
  });
});

describe('boundedJson', () => {
  const schema = boundedJson({ maxDepth: 4 });
  it('accepts JSON of well-formed strings and finite numbers', () => {
    fc.assert(
      fc.property(fc.json({ maxDepth: 3, noUnicodeString: false }), (text) => {
        const value = JSON.parse(text) as unknown;
        fc.pre(!text.includes('\\u0000') && !/\\ud[89a-f]/i.test(text));
        expect(schema.safeParse(value).success).toBe(true);
      }),
      params,
    );
  });

  it('refuses a NUL or lone surrogate in any string or key, however deep', () => {
    fc.assert(
      fc.property(unstorable, fc.integer({ min: 0, max: 3 }), fc.boolean(), (bad, depth, asKey) => {
        let value: unknown = asKey ? { [bad]: 1 } : bad;
        for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { k: value };
        expect(schema.safeParse(value).success).toBe(false);
      }),
      params,
    );
  });
});

describe('the schema probe', () => {
  it('flags the bare builders the primitives replace, and passes the primitives', () => {
    const bare = z.object({
      name: z.string(),
      limit: z.coerce.number().int().min(1).max(10),
      at: z.string().datetime(),
      tags: z.record(z.string().max(9), text({ max: 9 })),
    });
    expect(findUnsafeFields(bare).map((f) => f.path)).toEqual(['name', 'name', 'limit', 'at', 'tags.<key>']);
    const safe = z.object({
      name: nameText(10),
      limit: queryInt({ min: 1, max: 10, default: 5 }),
      at: isoDateTime(),
      tags: z.record(recordKey(9), text({ max: 9 })),
    });
    expect(findUnsafeFields(safe)).toEqual([]);
  });
});
