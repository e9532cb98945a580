import type { z } from 'zod';

/**
 * Probes a request schema for fields that accept what the store or the response cannot hold: the check behind
 * the "Safe primitives" convention, run by specs over every request schema and every DTO the API binds, so a
 * field built from bare `z.string()` / `z.coerce.number()` fails a test instead of reaching Postgres.
 *
 * It walks the schema's structure (objects, arrays, records, tuples, wrappers, unions of structures) and
 * probes every leaf by behaviour, not by how it was built: a leaf that accepts a plausible value must refuse
 * that value with a NUL or a lone surrogate in it, must refuse a million characters, and, when it reads
 * digits, the forms `z.coerce` would misread; a date-time leaf must refuse years outside 0001..9999.
 */
export interface UnsafeField {
  /** Dotted path inside the schema (`*` for any array item or record value, `<key>` for a record key). */
  path: string;
  problem: string;
}

type Def = { type: string; [key: string]: unknown };
const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;
const accepts = (schema: z.ZodType, value: unknown): boolean => {
  try {
    return schema.safeParse(value).success;
  } catch {
    // A transform that throws on odd input is a 500 in the making, not a refusal.
    return true;
  }
};

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'nonoptional', 'catch']);
const STRUCTURES = new Set(['object', 'array', 'tuple', 'record']);
const isStructural = (schema: unknown): boolean => {
  const def = defOf(schema);
  if (WRAPPERS.has(def.type)) return isStructural(def.innerType);
  if (def.type === 'pipe') return isStructural(defOf(def.in).type === 'transform' ? def.out : def.in);
  if (def.type === 'union') return (def.options as unknown[]).some(isStructural);
  return STRUCTURES.has(def.type);
};

const SAMPLE_STRINGS = [
  'a',
  'A1',
  'name',
  'a b',
  'x.y',
  'team',
  'true',
  'x@alias',
  'x@latest',
  'x/1',
  'x=y',
  'v1',
  '3fa85f64-5717-4562-b3fc-2c963f66afa6',
  'a'.repeat(64),
  'https://example.com/hook',
  'metrics.f1 > 0.5',
  "params.x = 'abc'",
  'attributes.created_at DESC',
  'eyJ2IjoxfQ',
  '2020-01-01T00:00:00Z',
  '2020-01-01T00:00:00.000+02:00',
  'aaaaaaaaaaaaaaaa',
];
const DIGIT_FORMS = ['1e3', ' 1', '1 ', '0x10', '+1', '1.0', '01', '', '99999999999999999999', '１'];
const BAD_DATES = ['10000-01-01T00:00:00Z', '+010000-01-01T00:00:00Z', '0000-12-31T00:00:00Z', '9999-12-31T23:00:00-05:00'];

const withBadCharacters = (sample: string): string[] => {
  const mid = Math.floor(sample.length / 2);
  const variants: string[] = [];
  for (const bad of ['\u0000', '\ud800', '\udc00']) variants.push(sample + bad, bad + sample, sample.slice(0, mid) + bad + sample.slice(mid));
  // The middle of a quoted literal, where a filter parser would carry it through.
  const quote = sample.indexOf("'");
  if (quote >= 0)
    variants.push(sample.slice(0, quote + 1) + '\u0000' + sample.slice(quote + 1), sample.slice(0, quote + 1) + '\ud800' + sample.slice(quote + 1));
  return variants;
};

function probeLeaf(schema: z.ZodType, path: string, out: UnsafeField[]): void {
  const def = defOf(schema);
  if (def.type === 'any' || def.type === 'unknown') {
    out.push({ path, problem: 'accepts any value: bound it (boundedJson, text, …)' });
    return;
  }
  if (def.type === 'number' && def.coerce) out.push({ path, problem: 'coerces strings (1e3, " 1", "0x10" pass): use digitsInt/queryInt' });
  for (const value of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
    if (accepts(schema, value)) out.push({ path, problem: `accepts the number ${value}` });
  }
  if (accepts(schema, 1) && !accepts(schema, 1.5) && accepts(schema, 2 ** 53)) out.push({ path, problem: 'accepts integers beyond 2^53' });

  const accepted = SAMPLE_STRINGS.filter((sample) => accepts(schema, sample));
  if (accepted.length === 0) return;
  for (const sample of accepted) {
    const bad = withBadCharacters(sample).find((variant) => accepts(schema, variant));
    if (bad !== undefined) {
      out.push({ path, problem: `accepts ${JSON.stringify(bad)} (NUL or lone surrogate)` });
      break;
    }
  }
  const long = `${accepted[0]}${'a'.repeat(1_000_000)}`;
  if (accepts(schema, long)) out.push({ path, problem: 'accepts a string of a million characters: bound it' });
  if (accepted.includes('1') || accepts(schema, '1')) {
    const loose = DIGIT_FORMS.find((form) => accepts(schema, form) && !accepts(schema, 'a'));
    if (loose !== undefined) out.push({ path, problem: `reads ${JSON.stringify(loose)} as a number: use digitsInt` });
  }
  if (accepted.some((sample) => sample.startsWith('2020-')) && !accepts(schema, 'a') && !accepts(schema, 'x'.repeat(24))) {
    const date = BAD_DATES.find((bad) => accepts(schema, bad));
    if (date !== undefined) out.push({ path, problem: `accepts ${date}: use isoDateTime` });
  }
}

function walk(schema: z.ZodType, path: string, out: UnsafeField[], seen: Set<unknown>): void {
  if (seen.has(schema)) return;
  seen.add(schema);
  const def = defOf(schema);
  const at = (suffix: string) => (path === '' ? suffix : `${path}.${suffix}`);
  if (WRAPPERS.has(def.type)) return walk(def.innerType as z.ZodType, path, out, seen);
  switch (def.type) {
    case 'object':
      for (const [key, field] of Object.entries(def.shape as Record<string, z.ZodType>)) walk(field, at(key), out, seen);
      if (def.catchall && defOf(def.catchall).type !== 'never') walk(def.catchall as z.ZodType, at('*'), out, seen);
      return;
    case 'array':
      return walk(def.element as z.ZodType, at('*'), out, seen);
    case 'tuple':
      (def.items as z.ZodType[]).forEach((item, index) => walk(item, at(String(index)), out, seen));
      if (def.rest) walk(def.rest as z.ZodType, at('*'), out, seen);
      return;
    case 'record':
      probeLeaf(def.keyType as z.ZodType, at('<key>'), out);
      return walk(def.valueType as z.ZodType, at('*'), out, seen);
    case 'intersection':
      walk(def.left as z.ZodType, path, out, seen);
      return walk(def.right as z.ZodType, path, out, seen);
    case 'union':
      if ((def.options as z.ZodType[]).some(isStructural)) {
        (def.options as z.ZodType[]).forEach((option) => walk(option, path, out, seen));
        return;
      }
      return probeLeaf(schema, path, out);
    case 'pipe':
      // A preprocess or transform in front: what matters is the schema the value is checked by afterwards.
      if (defOf(def.in).type === 'transform') return walk(def.out as z.ZodType, path, out, seen);
      if (isStructural(def.in)) return walk(def.in as z.ZodType, path, out, seen);
      return probeLeaf(schema, path, out);
    default:
      return probeLeaf(schema, path, out);
  }
}

/** Every field of `schema` that accepts an unsafe value, with why; empty when the schema is safe. */
export function findUnsafeFields(schema: z.ZodType): UnsafeField[] {
  const out: UnsafeField[] = [];
  walk(schema, '', out, new Set());
  return out;
}
