import { z } from 'zod';

/**
 * The safe primitives every request schema is built from (docs/CONVENTIONS.md, "Safe primitives"). Each one
 * refuses, with a message naming the rule, what would otherwise pass validation and then fail in the store or
 * on the way back out as a 500:
 * - text: Postgres `text`/`jsonb` refuse `\u0000`, and the driver breaks on lone UTF-16 surrogates;
 * - numbers: JSON has no NaN/Infinity (and `1e400` parses to Infinity);
 * - times: Postgres holds years far outside 0001..9999, but `Date#toISOString` writes year 10000 as
 *   `+010000-…`, which no ISO-8601 reader with 4-digit years (our own response schemas included) reads back;
 * - integers: each column has a range (int4, int8 read as a JS number), and a query string or path carries
 *   digits only — `1e3`, ` 1`, `0x10` or 20 digits are refused, not coerced.
 */

/** A high surrogate not followed by a low one, or a low one not preceded by a high one (what `String#isWellFormed` finds; ES2024, not in our lib target). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Well-formed UTF-16: no lone surrogate, so it encodes to UTF-8 (and the Postgres driver) without loss. */
export const isWellFormedText = (value: string): boolean => !LONE_SURROGATE.test(value);

/** Why a string cannot be stored as Postgres text, or null when it can. */
export function textProblem(value: string): string | null {
  if (value.includes('\u0000')) return 'NUL characters are not allowed';
  if (!isWellFormedText(value)) return 'must be well-formed Unicode (a lone UTF-16 surrogate is not allowed)';
  return null;
}

// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

export interface TextOptions {
  /** Upper bound in UTF-16 code units (what `String#length` counts). */
  max: number;
  min?: number;
  /** Trim surrounding whitespace before the length checks. */
  trim?: boolean;
  /** Refuse C0 control characters and DEL (names, keys: they end up in URLs, logs and file names). */
  noControl?: boolean;
}

/** Text Postgres can store: no NUL, well-formed UTF-16, at most `max` characters. */
export function text(options: TextOptions) {
  let schema = z.string();
  if (options.trim) schema = schema.trim();
  if (options.min !== undefined) schema = schema.min(options.min);
  schema = schema.max(options.max);
  return schema.superRefine((value, ctx) => {
    const problem = textProblem(value) ?? (options.noControl && CONTROL_CHARS.test(value) ? 'control characters are not allowed' : null);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}

/** A name or label: storable text without control characters, 1..`max` characters. */
export const nameText = (max = 256, options: { trim?: boolean; min?: number } = {}) =>
  text({ max, min: options.min ?? 1, trim: options.trim, noControl: true });

/** Free text (descriptions, values): storable, newlines and tabs allowed, at most `max` characters. */
export const freeText = (max: number) => text({ max });

/** A key of a `z.record` (tags, params, JSON-column maps): the same rules as a name. */
export const recordKey = (max = 256) => nameText(max);

/** A NUL-free, well-formed string of at most `max` characters. */
export const safeString = (max = 1024) => text({ max });

/** A name (column, metric, parameter): 1..256 characters without control characters. */
export const nameString = nameText(256);

/** A string matched by an anchored pattern whose alphabet has no NUL or surrogates (hex digests, identifiers). */
export const patternText = (pattern: RegExp, message: string, max = 256) => z.string().max(max).regex(pattern, message);

/**
 * An Express 5 `*path` wildcard: its decoded segments (or one string), joined with `/`. Each segment is storable
 * text and the whole is bounded before the route's own path rules look at it.
 */
export const pathSegments = z
  // Joined first, so an error names the parameter (`params.path`), not one of its segments.
  .preprocess((path) => (Array.isArray(path) ? path.join('/') : path), text({ max: 4096 }))
  .meta({ type: 'string' } as Record<string, unknown>);

/** A UUID (path ids, foreign keys in bodies). */
export const uuidText = () => z.string().uuid();

/**
 * A JSON number: finite (zod refuses NaN and ±Infinity, which JSON cannot carry anyway; the body parser answers
 * "number out of range" for literals such as 1e400). Every finite double is allowed and round-trips through
 * `float8` and `jsonb`.
 */
export const finiteNumber = z.number();
export const finiteDouble = () => z.number();

export const INT32 = { min: -2_147_483_648, max: 2_147_483_647 } as const;
/** Postgres int8 read back as a JS number: only the safe-integer part of its range is exact. */
export const SAFE_INT = { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER } as const;

/** An integer for a Postgres `integer` column (or anything that must fit one), within [min, max]. */
export const int32 = (min: number = INT32.min, max: number = INT32.max) => z.number().int().min(Math.max(min, INT32.min)).max(Math.min(max, INT32.max));
/** An integer for a `bigint` column read back as a JS number, within [min, max]. */
export const safeInt = (min: number = SAFE_INT.min, max: number = SAFE_INT.max) =>
  z.number().int().min(Math.max(min, SAFE_INT.min)).max(Math.min(max, SAFE_INT.max));

const INT64_MAX = BigInt('9223372036854775807');
/**
 * A bigint column's value as decimal text (audit ids, metric steps in cursors): 1..19 digits that fit int8.
 * 9999999999999999999 has 19 digits and does not; Postgres would refuse it as a 500.
 */
export const int64Text = () =>
  z
    .string()
    .regex(/^\d{1,19}$/, 'decimal digits')
    // zod runs every check, so this one must not assume the regex passed.
    .refine((digits) => !/^\d{1,19}$/.test(digits) || BigInt(digits) <= INT64_MAX, 'out of the 64-bit integer range');

/** 32-bit unsigned seed: the range every seeded generator in the ML libs accepts. */
export const seedSchema = z.number().int().min(0).max(4_294_967_295);

/**
 * An integer as it arrives in a query string or path segment: plain decimal digits (an optional `-` when `min`
 * is negative), no sign, exponent, blanks, hex or leading zeros, at most 16 digits, then the range. `z.coerce`
 * would read `1e3`, ` 1`, `0x10` and `''` as numbers and 20 digits as an inexact one.
 */
export function digitsInt(min: number, max: number) {
  const pattern = min < 0 ? /^(0|-?[1-9]\d{0,15})$/ : /^(0|[1-9]\d{0,15})$/;
  return (
    z
      .string()
      .max(17)
      .regex(pattern, min < 0 ? 'an integer in plain decimal digits' : 'a whole number in plain decimal digits')
      .transform(Number)
      .pipe(z.number().int().min(min).max(max))
      // The OpenAPI document (and the client types generated from it) describe the parameter as the integer it is.
      .meta({ type: 'integer', minimum: min, maximum: max, pattern: undefined, maxLength: undefined } as Record<string, unknown>)
  );
}

/** A query-string integer with a default (a page `limit`). */
export const queryInt = (options: { min: number; max: number; default?: number }) =>
  options.default === undefined ? digitsInt(options.min, options.max) : digitsInt(options.min, options.max).default(options.default);

/** The earliest and latest instants the platform stores: 0001-01-01T00:00:00.000Z to 9999-12-31T23:59:59.999Z. */
// Date.UTC maps years 0..99 to 1900..1999, so year 1 is written out.
export const MIN_TIMESTAMP_MS = -62_135_596_800_000;
export const MAX_TIMESTAMP_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** Why an epoch-ms instant is outside what every reader of the platform holds, or null. */
export function timestampProblem(ms: number): string | null {
  if (!Number.isFinite(ms)) return 'not a valid time';
  if (ms < MIN_TIMESTAMP_MS || ms > MAX_TIMESTAMP_MS) return 'must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z';
  return null;
}

/**
 * An ISO-8601 date-time (UTC `Z`, or with an offset when `offset`), whose instant lies in years 0001..9999 UTC:
 * `9999-12-31T23:00:00-05:00` is already year 10000 and is refused like `+010000-01-01T00:00:00Z`.
 */
export function isoDateTime(options: { offset?: boolean } = {}) {
  return z
    .string()
    .max(64)
    .datetime({ offset: options.offset ?? false })
    .superRefine((iso, ctx) => {
      const ms = Date.parse(iso);
      const problem = Number.isNaN(ms) ? null : timestampProblem(ms);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
}

/**
 * A stored instant on the wire. Rows written before the range was enforced can hold years past 9999 (or
 * Postgres' ±infinity, an invalid Date): they are clamped to the ends of the range, so the response still
 * parses as ISO-8601 and one such row does not break a list.
 */
export function wireTime(date: Date): string {
  const ms = date.getTime();
  // An invalid Date carries no sign: it reads as the end of the range.
  if (Number.isNaN(ms)) return new Date(MAX_TIMESTAMP_MS).toISOString();
  return new Date(Math.min(Math.max(ms, MIN_TIMESTAMP_MS), MAX_TIMESTAMP_MS)).toISOString();
}

/** wireTime for nullable columns. */
export const wireTimeOrNull = (date: Date | null | undefined): string | null => (date ? wireTime(date) : null);

/**
 * A stored bigint (a metric step) on the wire, where it is a JSON number: values past 2^53 (rows older than the
 * safe-integer bound on writes) are clamped to the largest safe integer rather than failing the response.
 */
export function wireSafeInt(value: bigint | number): number {
  const n = Number(value);
  return Math.min(Math.max(n, Number.MIN_SAFE_INTEGER), Number.MAX_SAFE_INTEGER);
}

/** Epoch milliseconds from 1970 up to the end of year 9999. */
export const epochMs = () => z.number().int().min(0).max(MAX_TIMESTAMP_MS);

/** A point in time as epoch milliseconds or an ISO-8601 string (with offset); parsed to epoch milliseconds. */
export const timestampSchema = z.union([epochMs(), isoDateTime({ offset: true }).transform((iso) => Date.parse(iso))]);

/** A map from names to finite numbers (metrics, statistics), at most `max` entries. */
export const finiteRecord = (max = 1000) => z.record(nameString, finiteNumber).refine((record) => Object.keys(record).length <= max, `at most ${max} entries`);

/**
 * Any JSON value, with the same limits: finite numbers (JSON cannot hold others anyway), storable strings and
 * keys (no NUL, no lone surrogate), bounded depth and size. For the parts of a column that are free-form by
 * design (event data, extras).
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
      return textProblem(value);
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
        if (key.length > maxStringLength) return `keys are at most ${maxStringLength} characters`;
        const keyProblem = textProblem(key);
        if (keyProblem) return keyProblem;
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
