/**
 * Request plans: for one operation, a request built from its schema (so it reaches the service, not just the
 * validator) with zero or more fields replaced by hostile values. Plans are plain data; ids of rows created
 * during the run are `PoolRef`s resolved when the request is sent, so a seed replays the same requests.
 */
import fc from 'fast-check';
import {
  HOSTILE_BODIES,
  HOSTILE_CONTENT_TYPES,
  HOSTILE_CURSORS,
  HOSTILE_DATES,
  HOSTILE_FILTERS,
  HOSTILE_NUMBERS,
  HOSTILE_PATH_SEGMENTS,
  HOSTILE_QUERY_VALUES,
  HOSTILE_STRINGS,
  HUGE,
  PoolRef,
  RawJson,
  WRONG_TYPES,
  percentEncode,
  pick,
  type PoolName,
} from './hostile-values';
import { SchemaResolver, typesOf, type JsonSchema, type Operation, type OpenApiParameter } from './openapi';

export type Mutation =
  | { kind: 'body-field'; path: (string | number)[]; value: unknown }
  | { kind: 'body-missing'; path: (string | number)[] }
  | { kind: 'body-extra'; path: (string | number)[]; key: string; value: unknown }
  | { kind: 'body-raw'; text: string }
  | { kind: 'content-type'; value: string | null }
  | { kind: 'path'; name: string; raw: string }
  | { kind: 'query'; name: string; raw: string }
  | { kind: 'query-shape'; name: string; shape: 'duplicate' | 'array' | 'object' | 'bare' | 'proto'; raw: string }
  | { kind: 'query-unknown'; raw: string }
  | { kind: 'header'; name: string; raw: string }
  | { kind: 'method'; method: string };

export interface RequestPlan {
  operation: string;
  pathValues: Record<string, unknown>;
  query: [string, unknown][];
  headers: Record<string, unknown>;
  body: unknown;
  mutations: Mutation[];
}

/** Which fixture a parameter names, from the URL segment before it (`/runs/{id}` → a run). */
const PATH_POOLS: Record<string, PoolName> = {
  experiments: 'experiment',
  runs: 'run',
  webhooks: 'webhook',
  tokens: 'token',
  models: 'model',
  versions: 'version',
  aliases: 'alias',
  files: 'file',
  artifacts: 'artifact',
  metrics: 'metricKey',
  resolve: 'ref',
};

/** By the parameter's own name, where the segment before it is another parameter (`/resolve/{name}/{version}`). */
const PARAM_POOLS: Record<string, PoolName> = { name: 'model', version: 'version', alias: 'alias', key: 'metricKey' };

/** The fixture pool a path parameter of `path` draws from, if any. */
export function poolOfPathParam(path: string, param: string): PoolName | undefined {
  const segments = path.split('/');
  const before = segments[segments.indexOf(`{${param}}`) - 1] ?? '';
  const bySegment = PATH_POOLS[before];
  if (bySegment === 'ref' && param !== 'ref') return PARAM_POOLS[param];
  return bySegment ?? PARAM_POOLS[param];
}

/** Body and query fields that carry fixture references. */
const FIELD_POOLS: Record<string, PoolName> = {
  experimentId: 'experiment',
  experimentIds: 'experiment',
  runId: 'run',
  runIds: 'run',
  model: 'model',
  version: 'version',
  entityId: 'run',
  // nextCursor values the lists answered during the run: real cursors, sometimes replayed on another list.
  cursor: 'cursor',
};

/** Valid values of the search language (free text would only ever be a 400). */
const DSL_VALUES: Record<string, string[]> = {
  filter: ['', 'metrics.loss > 0', "params.depth = '4'", "attributes.status = 'RUNNING'", "tags.stage = 'fuzz' AND metrics.accuracy >= 0.5"],
  orderBy: ['attributes.created_at DESC', 'metrics.loss ASC', 'metrics.accuracy DESC', 'attributes.name ASC'],
};

const MAX_VALID_ITEMS = 3;
const MAX_DEPTH = 4;

export class PlanGenerator {
  private readonly resolver: SchemaResolver;

  constructor(
    private readonly operations: Operation[],
    document: ConstructorParameters<typeof SchemaResolver>[0],
  ) {
    this.resolver = new SchemaResolver(document);
  }

  /** A plan for any operation; about one in three is left valid so real rows exist for later requests. */
  plans(): fc.Arbitrary<RequestPlan> {
    // Built once per operation: building arbitraries (regexes from patterns, nested records) costs more than drawing from them.
    const perOperation = this.operations.map((operation) => this.planFor(operation));
    return fc.noBias(fc.integer({ min: 0, max: this.operations.length - 1 })).chain((index) => perOperation[index]);
  }

  planFor(operation: Operation): fc.Arbitrary<RequestPlan> {
    const pathValues = fc.record(
      Object.fromEntries(
        operation.pathParams.map((param) => {
          const pool = poolOfPathParam(operation.path, param.name);
          return [param.name, pool ? poolRef(pool, this.valueFor(param.schema, param.name, 0, true)) : this.valueFor(param.schema, param.name, 0, true)];
        }),
      ),
    );
    const query = fc
      .subarray(operation.queryParams.filter((param) => !param.required))
      .map((optional) => [...operation.queryParams.filter((param) => param.required), ...optional])
      .chain((params) => (params.length ? fc.tuple(...params.map((param) => this.queryPair(param))) : fc.constant([] as [string, unknown][])));
    const headers = fc.record(Object.fromEntries(operation.headerParams.map((param) => [param.name, this.valueFor(param.schema, param.name, 0, true)])), {
      requiredKeys: operation.headerParams.filter((param) => param.required).map((param) => param.name),
    });
    const body = operation.jsonBody
      ? this.valueFor(operation.jsonBody, '', 0, false)
      : operation.binaryBody
        ? fc.uint8Array({ maxLength: 64 })
        : fc.constant(undefined);
    return fc.record({ pathValues, query, headers, body }).chain((valid) =>
      fc
        .oneof({ weight: 2, arbitrary: fc.constant(0) }, { weight: 3, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.integer({ min: 2, max: 3 }) })
        .chain((count) =>
          count === 0 ? fc.constant([] as Mutation[]) : fc.array(this.mutation(operation, valid.body), { minLength: count, maxLength: count }),
        )
        .map((mutations) => ({ operation: operation.id, ...valid, mutations })),
    );
  }

  private queryPair(param: OpenApiParameter): fc.Arbitrary<[string, unknown]> {
    const pool = FIELD_POOLS[param.name];
    const value = pool === 'cursor' ? fc.constant(undefined) : this.valueFor(param.schema, param.name, 0, true);
    return (pool ? poolRef(pool, value) : value).map((v) => [param.name, v] as [string, unknown]);
  }

  /** A value the schema accepts. `scalarText`: path/query values, which travel as text. */
  valueFor(raw: JsonSchema | undefined, name: string, depth: number, scalarText: boolean): fc.Arbitrary<unknown> {
    const schema = this.resolver.resolve(raw);
    if (DSL_VALUES[name] && typesOf(schema).includes('string')) return fc.constantFrom(...DSL_VALUES[name]);
    const fieldPool = FIELD_POOLS[name];
    const base = this.baseValue(schema, name, depth, scalarText);
    // A cursor is either one the API answered or absent: a made-up one is only ever a 400, and mutations cover that.
    const fallback = fieldPool === 'cursor' ? fc.constant(undefined) : base;
    const withPool = fieldPool && !scalarText && typesOf(schema).some((t) => t === 'string' || t === 'integer') ? poolRef(fieldPool, fallback) : base;
    return schema.nullable ? fc.oneof({ weight: 9, arbitrary: withPool }, { weight: 1, arbitrary: fc.constant(null) }) : withPool;
  }

  private baseValue(schema: JsonSchema, name: string, depth: number, scalarText: boolean): fc.Arbitrary<unknown> {
    if (schema.enum?.length) return fc.constantFrom(...schema.enum);
    if (schema.const !== undefined) return fc.constant(schema.const);
    const alternatives = schema.anyOf ?? schema.oneOf;
    if (alternatives?.length) {
      // Past the depth limit only scalar alternatives, so recursive schemas (JSON values) terminate.
      const usable =
        depth >= MAX_DEPTH ? alternatives.filter((a) => !['object', 'array'].some((t) => typesOf(this.resolver.resolve(a)).includes(t))) : alternatives;
      return fc.oneof(...(usable.length ? usable : alternatives.slice(0, 1)).map((a) => this.valueFor(a, name, depth + 1, scalarText)));
    }
    const [type] = typesOf(schema);
    switch (type) {
      case 'string':
        return this.stringValue(schema, name);
      case 'integer': {
        const min = Math.max(schema.minimum ?? -1000, -1000);
        const max = Math.min(schema.maximum ?? 1000, 1000);
        return fc.integer({ min: Math.min(min, max), max: Math.max(min, max) });
      }
      case 'number': {
        const min = schema.minimum ?? -1e6;
        const max = schema.maximum ?? 1e6;
        return fc.oneof(
          fc.integer({ min: Math.ceil(Math.max(min, -1000)), max: Math.floor(Math.min(max, 1000)) }),
          fc.double({ min, max, noNaN: true, noDefaultInfinity: true }),
        );
      }
      case 'boolean':
        return scalarText ? fc.constantFrom('true', 'false') : fc.boolean();
      case 'array': {
        if (depth >= MAX_DEPTH + 2) return fc.constant([]);
        const minLength = schema.minItems ?? 0;
        return fc.array(this.valueFor(schema.items, singular(name), depth + 1, scalarText), {
          minLength,
          maxLength: Math.max(minLength, Math.min(schema.maxItems ?? MAX_VALID_ITEMS, MAX_VALID_ITEMS)),
        });
      }
      case 'object':
        return this.objectValue(schema, depth);
      default:
        return fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean());
    }
  }

  private objectValue(schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
    const properties = schema.properties ?? {};
    const required = new Set(schema.required ?? []);
    const requiredKeys = [...required].filter((key) => key in properties);
    const arbitraries = Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, this.valueFor(value, key, depth + 1, false)]));
    // Half the time only the required keys: schemas have cross-field rules (curve x/y lengths, histogram edges) that
    // random optional parts break, and a body that reaches the service is worth more than one more 400.
    // With nothing required, one property: an update or a batch must say what it changes.
    const keys = Object.keys(arbitraries);
    const onlyRequired = requiredKeys.length
      ? fc.record(Object.fromEntries(requiredKeys.map((key) => [key, arbitraries[key]])))
      : keys.length
        ? fc.constantFrom(...keys).chain((key) => arbitraries[key].map((value) => ({ [key]: value })))
        : fc.constant({});
    const record = fc.oneof(onlyRequired, fc.record(arbitraries, { requiredKeys }));
    const extra = schema.additionalProperties;
    if (!extra || extra === true || depth >= MAX_DEPTH + 2) return record;
    const map = fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/), this.valueFor(extra, 'value', depth + 1, false), { maxKeys: MAX_VALID_ITEMS });
    return Object.keys(properties).length ? fc.tuple(record, map).map(([a, b]) => ({ ...b, ...a })) : map;
  }

  private stringValue(schema: JsonSchema, name: string): fc.Arbitrary<string> {
    const minLength = schema.minLength ?? 0;
    const maxLength = schema.maxLength ?? 64;
    const fits = (s: string) => s.length >= minLength && s.length <= maxLength;
    if (schema.format === 'uuid') return fc.uuid({ version: 4 });
    if (schema.format === 'date-time')
      return fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
    if (schema.format === 'uri' || schema.format === 'url') return fc.stringMatching(/^[a-z]{1,12}$/).map((s) => `https://hooks.example.com/${s}`);
    if (schema.format === 'email') return fc.constant('fuzz@example.com');
    if (/sha256/i.test(name)) return fc.stringMatching(/^[0-9a-f]{64}$/);
    if (schema.pattern) {
      try {
        return fc.stringMatching(new RegExp(schema.pattern)).filter(fits);
      } catch {
        // A pattern fast-check cannot generate from (lookarounds, backrefs): fall back to plain text that fits.
      }
    }
    const floor = Math.max(minLength, 1);
    return fc
      .string({ minLength: Math.min(floor, maxLength), maxLength: Math.max(Math.min(maxLength, 24), Math.min(floor, maxLength)) })
      .map((s) => s.replace(/[^A-Za-z0-9_.-]/g, 'x') || 'x'.repeat(Math.min(floor, maxLength)));
  }

  /** One hostile change to the request. */
  private mutation(operation: Operation, body: unknown): fc.Arbitrary<Mutation> {
    const options: { weight: number; arbitrary: fc.Arbitrary<Mutation> }[] = [];
    if (operation.jsonBody) {
      const paths = bodyPaths(body, operation.jsonBody, this.resolver);
      const target = fc.constantFrom(...paths);
      options.push(
        {
          weight: 10,
          arbitrary: target.chain((at) => this.hostileFor(at.kind).map((value) => ({ kind: 'body-field' as const, path: at.path, value }))),
        },
        { weight: 2, arbitrary: target.filter((p) => p.path.length > 0).map((p) => ({ kind: 'body-missing' as const, path: p.path })) },
        {
          weight: 2,
          arbitrary: fc
            .record({
              at: target.filter((p) => p.isObject),
              key: fc.constantFrom('extra', '__proto__', 'constructor', '', '\u0000', 'a'.repeat(300)),
              value: pick(WRONG_TYPES),
            })
            .map(({ at, key, value }) => ({ kind: 'body-extra' as const, path: at.path, key, value })),
        },
        { weight: 2, arbitrary: pick(HOSTILE_BODIES).map((text) => ({ kind: 'body-raw' as const, text })) },
        { weight: 2, arbitrary: pick(HOSTILE_CONTENT_TYPES).map((value) => ({ kind: 'content-type' as const, value })) },
      );
    } else if (operation.method !== 'GET' && operation.method !== 'DELETE') {
      options.push({ weight: 1, arbitrary: pick(HOSTILE_CONTENT_TYPES).map((value) => ({ kind: 'content-type' as const, value })) });
    }
    if (operation.pathParams.length) {
      options.push({
        weight: 6,
        arbitrary: fc
          .record({ name: fc.constantFrom(...operation.pathParams.map((p) => p.name)), raw: pick(HOSTILE_PATH_SEGMENTS) })
          .map(({ name, raw }) => ({ kind: 'path' as const, name, raw })),
      });
    }
    if (operation.queryParams.length) {
      const names = fc.constantFrom(...operation.queryParams.map((p) => p.name));
      options.push(
        { weight: 6, arbitrary: fc.record({ name: names, raw: pick(HOSTILE_QUERY_VALUES) }).map(({ name, raw }) => ({ kind: 'query' as const, name, raw })) },
        ...operation.queryParams
          .filter((p) => p.name === 'filter' || p.name === 'orderBy')
          .map((p) => ({
            weight: 3,
            arbitrary: pick(HOSTILE_FILTERS).map((text) => ({ kind: 'query' as const, name: p.name, raw: percentEncode(text) })),
          })),
        ...(operation.queryParams.some((p) => p.name === 'cursor')
          ? [{ weight: 3, arbitrary: pick(HOSTILE_CURSORS).map((raw) => ({ kind: 'query' as const, name: 'cursor', raw })) }]
          : []),
        {
          weight: 2,
          arbitrary: fc
            .record({
              name: names,
              shape: fc.constantFrom('duplicate' as const, 'array' as const, 'object' as const, 'bare' as const, 'proto' as const),
              raw: pick(HOSTILE_QUERY_VALUES),
            })
            .map(({ name, shape, raw }) => ({ kind: 'query-shape' as const, name, shape, raw })),
        },
      );
    }
    options.push({
      weight: 1,
      arbitrary: fc
        .constantFrom('unknown=1', '__proto__[x]=1', 'a[b][c][d][e][f]=1', '%00=%00', '&&&', '=')
        .map((raw) => ({ kind: 'query-unknown' as const, raw })),
    });
    const declared = new Set(this.operations.filter((op) => op.path === operation.path).map((op) => op.method));
    const undeclared = ['GET', 'PUT', 'POST', 'PATCH', 'DELETE'].filter((m) => !declared.has(m));
    if (undeclared.length) options.push({ weight: 1, arbitrary: fc.constantFrom(...undeclared).map((method) => ({ kind: 'method' as const, method })) });
    const headerNames = [...operation.headerParams.map((p) => p.name), 'x-request-id', 'idempotency-key'];
    options.push({
      weight: 1,
      arbitrary: fc
        .record({ name: fc.constantFrom(...headerNames), raw: fc.constantFrom('', 'x'.repeat(8000), '%00', 'a b', '99999999999', '../..') })
        .map(({ name, raw }) => ({ kind: 'header' as const, name, raw })),
    });
    return fc.oneof(...options);
  }

  /** Hostile values, weighted towards the kind of field they replace (a number field mostly gets hostile numbers). */
  private hostileFor(kind: FieldKind): fc.Arbitrary<unknown> {
    const weight = (k: FieldKind, base: number) => (k === kind ? base * 4 : base);
    return fc.oneof(
      { weight: weight('string', 3), arbitrary: pick(HOSTILE_STRINGS) },
      { weight: weight('number', 3), arbitrary: pick(HOSTILE_NUMBERS) },
      { weight: weight('date', 2), arbitrary: pick(HOSTILE_DATES) },
      { weight: 3, arbitrary: pick(WRONG_TYPES) },
      { weight: 1, arbitrary: pick(HUGE) },
      { weight: kind === 'filter' ? 16 : 0, arbitrary: pick(HOSTILE_FILTERS) },
    );
  }
}

type FieldKind = 'string' | 'number' | 'date' | 'filter' | 'other';

interface BodyPath {
  path: (string | number)[];
  isObject: boolean;
  kind: FieldKind;
}

function fieldKind(schema: JsonSchema | undefined, resolver: SchemaResolver): FieldKind {
  if (!schema) return 'other';
  const resolved = resolver.resolve(schema);
  const parts = [resolved, ...(resolved.anyOf ?? resolved.oneOf ?? []).map((part) => resolver.resolve(part))];
  if (parts.some((part) => part.format === 'date-time' || part.format === 'date')) return 'date';
  const types = parts.flatMap(typesOf);
  if (types.includes('number') || types.includes('integer')) return 'number';
  return types.includes('string') ? 'string' : 'other';
}

/**
 * Every place in the generated body a hostile value can go: each present node, and each schema property that
 * was left out (a hostile value in an optional field the valid body did not send).
 */
function bodyPaths(body: unknown, schema: JsonSchema, resolver: SchemaResolver): BodyPath[] {
  const out: BodyPath[] = [];
  const visit = (value: unknown, s: JsonSchema | undefined, path: (string | number)[], depth: number) => {
    const resolved = s ? resolver.resolve(s) : undefined;
    const isObject = !!value && typeof value === 'object' && !Array.isArray(value) && !(value instanceof PoolRef) && !(value instanceof RawJson);
    const last = path[path.length - 1];
    out.push({ path, isObject, kind: last === 'filter' || last === 'orderBy' ? 'filter' : fieldKind(s, resolver) });
    if (depth > 6) return;
    if (Array.isArray(value)) value.forEach((item, i) => visit(item, resolved?.items, [...path, i], depth + 1));
    else if (isObject) {
      const props = resolved?.properties ?? {};
      const extra = typeof resolved?.additionalProperties === 'object' ? resolved.additionalProperties : undefined;
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) visit(item, props[key] ?? extra, [...path, key], depth + 1);
      for (const [key, prop] of Object.entries(props))
        if (!(key in (value as object))) out.push({ path: [...path, key], isObject: false, kind: fieldKind(prop, resolver) });
    } else if (resolved && typesOf(resolved).includes('array') && value === undefined)
      out.push({ path: [...path, 0], isObject: false, kind: fieldKind(resolved.items, resolver) });
  };
  visit(body, schema, [], 0);
  return out;
}

function poolRef(pool: PoolName, fallback: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  // Mostly a real fixture (so the request reaches the service), sometimes a value of the right shape that names nothing.
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({ index: fc.noBias(fc.integer({ min: 0, max: 1000 })), fallback }).map(({ index, fallback: f }) => new PoolRef(pool, index, f)),
    },
    { weight: 1, arbitrary: fallback },
  );
}

function singular(name: string): string {
  return name.endsWith('Ids') ? name.slice(0, -1) : name;
}
