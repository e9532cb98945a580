/**
 * Values real clients send that schemas tend to forget. Some cannot be written as a JS value and sent through
 * JSON.stringify (a lone surrogate is re-encoded as U+FFFD by fetch and escaped by stringify; `1e400` parses to
 * Infinity; `-0` serialises as `0`), so they are `RawJson`: text spliced into the body verbatim.
 */
import fc from 'fast-check';

export class RawJson {
  constructor(readonly text: string) {}
}

/** A value to resolve from the fixtures at send time (ids and names of rows the run created). */
export class PoolRef {
  constructor(
    readonly pool: PoolName,
    readonly index: number,
    readonly fallback: unknown,
  ) {}
}

export type PoolName = 'experiment' | 'run' | 'model' | 'version' | 'alias' | 'webhook' | 'token' | 'file' | 'artifact' | 'metricKey' | 'ref' | 'cursor';

/** JSON text of a value with `RawJson` spliced in and `PoolRef` resolved. */
export function toJsonText(value: unknown, resolve: (ref: PoolRef) => unknown): string {
  if (value instanceof RawJson) return value.text;
  if (value instanceof PoolRef) return toJsonText(resolve(value), resolve);
  // Array.from, not map: a hole (a hostile value set past the end) must become null, not an elision JSON has no syntax for.
  if (Array.isArray(value)) return `[${Array.from(value, (item) => toJsonText(item, resolve)).join(',')}]`;
  if (value && typeof value === 'object')
    // As JSON.stringify does, a property whose value is undefined (a fixture pool still empty) is left out.
    return `{${Object.entries(value)
      .map(([key, item]) => [key, item instanceof PoolRef ? resolve(item) : item] as const)
      .filter(([, item]) => item !== undefined)
      .map(([key, item]) => `${JSON.stringify(key)}:${toJsonText(item, resolve)}`)
      .join(',')}}`;
  // undefined inside an array is not JSON: send null, as JSON.stringify would.
  return value === undefined ? 'null' : JSON.stringify(value);
}

const long = (n: number, unit = 'x') => unit.repeat(n);

function nested(depth: number, kind: 'array' | 'object'): RawJson {
  return new RawJson(kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth));
}

export const HOSTILE_STRINGS: unknown[] = [
  'a\u0000b',
  '\u0000',
  new RawJson('"\\ud800"'),
  new RawJson('"x\\udfffy"'),
  new RawJson('"\\udc00\\ud800"'),
  '',
  ' ',
  '\t\n\r',
  '\u0001\u001f\u007f',
  '\u202eevil\u202c',
  '\ufeffbom',
  '😀'.repeat(64),
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  'e\u0301',
  long(257),
  long(6001),
  long(100_000),
  long(5000, '😀'),
  '%00',
  '../../../etc/passwd',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  'null',
  '__proto__',
  '10000-01-01T00:00:00Z',
  'NaN',
];

export const HOSTILE_NUMBERS: unknown[] = [
  1.7976931348623157e308,
  -1.7976931348623157e308,
  5e-324,
  -5e-324,
  new RawJson('-0'),
  new RawJson('1e400'),
  new RawJson('-1e400'),
  new RawJson('1e-400'),
  'NaN',
  'Infinity',
  '-Infinity',
  new RawJson('9007199254740993'),
  99999999999,
  new RawJson('12345678901234567890123'),
  2147483648,
  -2147483649,
  -1,
  0,
  0.5,
  1.5,
  new RawJson('1.0'),
  new RawJson('0x10'),
  new RawJson('NaN'),
  new RawJson('Infinity'),
  '12',
];

export const HOSTILE_DATES: unknown[] = [
  '10000-01-01T00:00:00Z',
  '+010000-01-01T00:00:00.000Z',
  '-000001-01-01T00:00:00.000Z',
  '0000-01-01T00:00:00Z',
  '0001-01-01T00:00:00Z',
  '9999-12-31T23:59:59.999Z',
  '2024-13-45T25:61:61Z',
  '2023-02-29T00:00:00Z',
  '2024-01-01T00:00:00+14:00',
  '2024-01-01',
  'yesterday',
  8.64e15,
  8640000000000001,
  253402300800000,
  -1,
  0,
];

export const WRONG_TYPES: unknown[] = [null, true, false, [], {}, [1, 'two', null], { a: { b: 1 } }, 0, '', nested(120, 'array'), nested(120, 'object')];

// The last is over the API's 10 MB JSON limit: a 413 in the error shape, not a dropped connection.
export const HUGE: unknown[] = [
  nested(5000, 'array'),
  nested(2000, 'object'),
  new Array(20_000).fill(1),
  new Array(2000).fill('x'.repeat(100)),
  long(1_100_000),
  long(10_500_000),
];

/** Whole bodies that are not what the route parses. */
export const HOSTILE_BODIES: string[] = [
  '{',
  '{"a":',
  'not json',
  '',
  '[]',
  'null',
  '"a string"',
  '42',
  '{"a":1,"a":2}',
  '\ufeff{}',
  '{} trailing',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '[' + '['.repeat(10_000) + ']'.repeat(10_000) + ']',
  '{"x":"\\ud800"}',
  '{"x":1e400}',
  '\u0000',
];

/** Content types a JSON route must refuse (415) or that lie about the body. */
export const HOSTILE_CONTENT_TYPES: (string | null)[] = [
  null,
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/vnd.api+json',
  'application/xml',
  'application/octet-stream',
  '*/*',
  'application/json, text/plain',
];

/** Already-encoded path segments: fetch would normalise `..` and re-encode `%`, so these go out verbatim. */
export const HOSTILE_PATH_SEGMENTS: string[] = [
  '%00',
  'a%00b',
  '%ff',
  '%',
  '%zz',
  '%E0%A4%A',
  '%ED%A0%80',
  '..',
  '.',
  '%2e%2e',
  '%2F',
  'a%2Fb',
  long(8000, 'a'),
  'x@99999999999',
  'x%4099999999999',
  '99999999999',
  '12345678901234567890123',
  '-1',
  '0',
  '1.5',
  '1e3',
  '%20',
  encodeURIComponent('😀'),
  encodeURIComponent('\u202e'),
  'null',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  'AAAAAAAA-AAAA-4AAA-8AAA-AAAAAAAAAAAA',
  '__proto__',
  '%5Bobject%20Object%5D',
  // `$model` is replaced by a real model's name when sent: a ref to an existing model with an impossible version.
  '$model@99999999999',
  '$model%4099999999999',
  '$model/99999999999',
  '$model%2F99999999999',
  '$model%2F0',
  '$model@%00',
  '$model@LATEST',
];

/** Already-encoded query values. */
export const HOSTILE_QUERY_VALUES: string[] = [
  '%00',
  '%ff',
  '%',
  '%zz',
  '%ED%A0%80',
  '',
  '1e400',
  '99999999999',
  '12345678901234567890123',
  '-1',
  '0',
  '1.5',
  'NaN',
  'Infinity',
  'true',
  '+',
  encodeURIComponent(long(20_000)),
  encodeURIComponent('a\u0000b'),
  encodeURIComponent('10000-01-01T00:00:00Z'),
  encodeURIComponent('😀'),
  'AAAA',
  encodeURIComponent('metrics.loss > 1e400'),
  encodeURIComponent("params.x = '\u0000'"),
  encodeURIComponent('attributes.created_at DESC; DROP TABLE runs'),
];

/**
 * Cursors in the API's own envelope (base64url of `{ v: 1, k: kind, p: payload }`) whose payload is hostile:
 * a 23-digit id, an int beyond int4, NUL in a keyset name, a date past year 9999. They pass the format check and
 * reach the store, which is where a 23-digit audit cursor used to answer 500.
 */
export const HOSTILE_CURSORS: string[] = (() => {
  const kinds = ['audit', 'metric-history', 'experiments', 'model-versions', 'models', 'webhook-deliveries', 'run-search'];
  const payloads: unknown[] = [
    { id: '12345678901234567890123' },
    { id: 99999999999 },
    { id: -1 },
    { step: '99999999999999999999999', id: '1' },
    { step: -1, id: 1e308 },
    { name: 'a\u0000b' },
    { name: '\ud800' },
    { version: 99999999999 },
    { version: 0 },
    { createdAt: '10000-01-01T00:00:00Z', id: '00000000-0000-0000-0000-000000000000' },
    { createdAt: 8.64e15, id: 'x' },
    { query: '', value: 1.7976931348623157e308, id: '00000000-0000-0000-0000-000000000000' },
    { query: 'metrics.loss DESC', value: 'a\u0000', id: '00000000-0000-0000-0000-000000000000' },
    {},
    null,
    [],
  ];
  // JSON.stringify escapes NUL and lone surrogates (`\u0000`, `\ud800`), so the server's JSON.parse gets them back.
  return kinds.flatMap((k) => payloads.map((p) => Buffer.from(JSON.stringify({ v: 1, k, p }), 'utf8').toString('base64url')));
})();

/** Search filters and sort keys that parse but carry what the store must not meet raw. */
export const HOSTILE_FILTERS: string[] = [
  'metrics.loss > 1e400',
  'metrics.loss < -1e400',
  'metrics.loss = NaN',
  'metrics.loss > 1.7976931348623157e308',
  'metrics.loss > 5e-324',
  'metrics.loss > 99999999999999999999999',
  "params.lr = 'a\u0000b'",
  "tags.team = '\ud800'",
  "attributes.created_at > '10000-01-01T00:00:00Z'",
  'attributes.created_at > 8640000000000001',
  "attributes.name LIKE '%\u0000%'",
  'metrics.`a\u0000` > 0',
  'metrics.loss > 0 AND '.repeat(500) + 'metrics.loss > 0',
  '('.repeat(1000) + 'metrics.loss > 0' + ')'.repeat(1000),
  'metrics.loss DESC',
  'metrics.loss DESC, '.repeat(200) + 'attributes.created_at',
  "params.x = '' OR 1=1; --",
  'metrics.loss IN (' + '1,'.repeat(5000) + '1)',
];

/**
 * encodeURIComponent that does not throw on a lone surrogate: it goes out as the three bytes UTF-8 would give
 * it (`%ED%A0%80`), which is what a hostile client sends and what the server must refuse as invalid UTF-8.
 */
export function percentEncode(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code >= 0xd800 && code <= 0xdfff)
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    else out += encodeURIComponent(char);
  }
  return out;
}

export const pick = <T>(values: readonly T[]): fc.Arbitrary<T> => fc.constantFrom(...values);
