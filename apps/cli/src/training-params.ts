/**
 * `--param key=value` for `slipway train`: parsed and checked against the algorithm's hyper-parameter JSON Schema
 * as the API serves it (GET /api/v1/training-jobs/algorithms), so a typo or an out-of-range value is refused
 * naming the parameter before anything is sent, and the CLI follows whatever the server it talks to accepts.
 * Covers the JSON Schema the contracts produce: type, enum, const, numeric bounds, array items / prefixItems /
 * maxItems, object properties / required / additionalProperties, anyOf / oneOf.
 */

export type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema | false;
  prefixItems?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  default?: unknown;
};

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const show = (value: unknown) => (typeof value === 'string' ? `"${value}"` : JSON.stringify(value));

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function matchesType(type: string, value: unknown): boolean {
  const actual = typeOf(value);
  return type === actual || (type === 'number' && actual === 'integer');
}

/** What a schema takes, for people: `a whole number ≥ 1 and ≤ 1000 or null`. */
export function describeSchema(schema: JsonSchema): string {
  if (schema.type === 'array' && schema.prefixItems) return `[${schema.prefixItems.map(describeSchema).join(', ')}]`;
  if (schema.type === 'array' && schema.items) return `a list of ${describeSchema(schema.items)}`;
  if (schema.type === 'object' && schema.properties)
    return `{ ${Object.entries(schema.properties)
      .map(([name, property]) => `${name}${schema.required?.includes(name) ? '' : '?'}: ${describeSchema(property)}`)
      .join(', ')} }`;
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return [...new Set(alternatives.map(describeSchema))].join(' or ');
  return expected(schema);
}

function expected(schema: JsonSchema): string {
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return [...new Set(alternatives.map(expected))].join(' or ');
  if (schema.enum) return `one of ${schema.enum.map(show).join(', ')}`;
  if (schema.const !== undefined) return show(schema.const);
  const type = Array.isArray(schema.type) ? schema.type.join(' or ') : (schema.type ?? 'a value');
  const bounds: string[] = [];
  if (schema.minimum !== undefined) bounds.push(`≥ ${schema.minimum}`);
  if (schema.exclusiveMinimum !== undefined) bounds.push(`> ${schema.exclusiveMinimum}`);
  if (schema.maximum !== undefined) bounds.push(`≤ ${schema.maximum}`);
  if (schema.exclusiveMaximum !== undefined) bounds.push(`< ${schema.exclusiveMaximum}`);
  const name = type === 'null' ? 'null' : type === 'integer' ? 'a whole number' : type === 'number' ? 'a number' : `a ${type}`;
  return bounds.length > 0 ? `${name} ${bounds.join(' and ')}` : name;
}

/** The first problem with `value` against `schema`, as `path: message`, or null when it fits. */
export function validateJson(schema: JsonSchema, value: unknown, path: string): string | null {
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) {
    const problems = alternatives.map((alternative) => validateJson(alternative, value, path));
    if (problems.some((p) => p === null)) return null;
    // One alternative of the value's own type explains best what is wrong (a bound, a nested field).
    const sameType = alternatives.findIndex((a) => typeof a.type === 'string' && matchesType(a.type, value) && !a.anyOf);
    if (sameType >= 0) return problems[sameType];
    return `${path}: expected ${expected(schema)}, got ${show(value)}`;
  }
  if (schema.const !== undefined && JSON.stringify(schema.const) !== JSON.stringify(value))
    return `${path}: expected ${show(schema.const)}, got ${show(value)}`;
  if (schema.enum && !schema.enum.some((option) => JSON.stringify(option) === JSON.stringify(value)))
    return `${path}: expected ${expected(schema)}, got ${show(value)}`;
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((type) => matchesType(type, value))) return `${path}: expected ${expected(schema)}, got ${show(value)}`;
  }
  if (typeof value === 'number') {
    const outside =
      (schema.minimum !== undefined && value < schema.minimum) ||
      (schema.maximum !== undefined && value > schema.maximum) ||
      (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) ||
      (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum);
    if (outside) return `${path}: expected ${expected(schema)}, got ${value}`;
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) return `${path}: expected at least ${schema.minItems} items, got ${value.length}`;
    if (schema.maxItems !== undefined && value.length > schema.maxItems) return `${path}: expected at most ${schema.maxItems} items, got ${value.length}`;
    const prefix = schema.prefixItems ?? [];
    if (prefix.length > 0 && schema.items === undefined && value.length !== prefix.length)
      return `${path}: expected ${prefix.length} items, got ${value.length}`;
    for (let i = 0; i < value.length; i++) {
      const item = i < prefix.length ? prefix[i] : schema.items;
      if (item === false) return `${path}: expected at most ${prefix.length} items, got ${value.length}`;
      const problem = item ? validateJson(item, value[i], `${path}.${i}`) : null;
      if (problem) return problem;
    }
  }
  if (isObject(value)) {
    const properties = schema.properties ?? {};
    for (const name of schema.required ?? []) if (!(name in value)) return `${path}.${name}: required`;
    for (const [name, item] of Object.entries(value)) {
      const property = properties[name];
      if (property) {
        const problem = validateJson(property, item, `${path}.${name}`);
        if (problem) return problem;
      } else if (schema.additionalProperties === false) {
        return `${path}.${name}: unknown (known: ${Object.keys(properties).join(', ')})`;
      } else if (isObject(schema.additionalProperties)) {
        const problem = validateJson(schema.additionalProperties, item, `${path}.${name}`);
        if (problem) return problem;
      }
    }
  }
  return null;
}

/** The schema of the value at `keys` below `schema`, looking through anyOf for the object alternative. */
function schemaAt(schema: JsonSchema, keys: string[]): JsonSchema | undefined {
  let current: JsonSchema | undefined = schema;
  for (const key of keys) {
    const alternatives: JsonSchema[] = current.anyOf ?? current.oneOf ?? [current];
    const object: JsonSchema | undefined = alternatives.find((a) => a.properties !== undefined);
    current = object?.properties?.[key];
    if (!current) return undefined;
  }
  return current;
}

/**
 * The text after `=` as a value: JSON when it reads as JSON (numbers, true/false, null, arrays and objects such
 * as `[{"units":32}]`), else the text itself (`gini`). When both readings are possible the one the schema takes
 * wins, so a string parameter may still be given as `1`.
 */
function valueFor(schema: JsonSchema, text: string, path: string): { value: unknown; problem: string | null } {
  let parsed: { value: unknown } | undefined;
  try {
    parsed = { value: JSON.parse(text) as unknown };
  } catch {
    parsed = undefined;
  }
  const candidates = parsed === undefined ? [text] : [parsed.value, text];
  for (const value of candidates) if (validateJson(schema, value, path) === null) return { value, problem: null };
  return { value: candidates[0], problem: validateJson(schema, candidates[0], path) };
}

export class ParamError extends Error {}

/**
 * Applies `key=value` pairs (dotted keys reach into nested objects: `earlyStopping.patience=3`) on top of
 * `base` (the hyper-parameters a spec file gave), each value checked against `schema` and named `--param <key>`
 * when refused. A nested object that is not given starts from the algorithm's default for it, so changing
 * one field keeps the others as the defaults have them. The result is checked whole, as the API will.
 */
export function applyParams(
  algorithm: string,
  schema: JsonSchema,
  defaults: Record<string, unknown>,
  base: Record<string, unknown>,
  pairs: string[],
): Record<string, unknown> {
  const result: Record<string, unknown> = structuredClone(base);
  const known = Object.keys(schema.properties ?? {});
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new ParamError(`--param ${pair}: expected key=value, e.g. maxDepth=4`);
    const key = pair.slice(0, at);
    const text = pair.slice(at + 1);
    const keys = key.split('.');
    const leaf = schemaAt(schema, keys);
    if (!leaf) {
      const parent = keys.length > 1 ? schemaAt(schema, keys.slice(0, -1)) : schema;
      const options = Object.keys(((parent?.anyOf ?? [parent]).find((a) => a?.properties) ?? {}).properties ?? {});
      throw new ParamError(
        keys.length === 1 || !parent
          ? `--param ${key}: ${algorithm} has no hyper-parameter "${keys[0]}" (known: ${known.join(', ')})`
          : `--param ${key}: "${keys.slice(0, -1).join('.')}" has no field "${keys[keys.length - 1]}" (known: ${options.join(', ')})`,
      );
    }
    const { value, problem } = valueFor(leaf, text, key);
    if (problem) throw new ParamError(`--param ${problem}`);
    let target = result;
    let fallback: unknown = defaults;
    for (const part of keys.slice(0, -1)) {
      fallback = isObject(fallback) ? fallback[part] : undefined;
      if (!isObject(target[part])) target[part] = isObject(fallback) ? structuredClone(fallback) : {};
      target = target[part] as Record<string, unknown>;
    }
    target[keys[keys.length - 1]] = value;
  }
  // What the spec file brought is checked here too (each --param already was, naming itself).
  const problem = validateJson(schema, result, 'hyperparameters');
  if (problem) throw new ParamError(problem);
  return result;
}
