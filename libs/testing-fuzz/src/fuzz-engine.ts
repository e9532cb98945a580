/**
 * The hostile-input fuzzer: reads the API's own OpenAPI document, generates requests for every operation with
 * fast-check (mostly valid, one or more fields hostile), sends them exactly as written and checks each answer:
 * no 5xx, every 4xx in the error shape, every 400 naming the field, no rows left behind by a request that did not
 * succeed; afterwards every read route must still answer. Shared by the Jest spec (fixed seed, bounded) and
 * `npm run bench -- fuzz` (longer, seeded from the environment).
 */
import fc from 'fast-check';
import pg from 'pg';
import { percentEncode, PoolRef, RawJson, toJsonText, type PoolName } from './hostile-values';
import { closeHttpAgent, sendRaw, type RawHttpRequest, type RawHttpResponse } from './http';
import { operationsOf, type OpenApiDocument, type Operation } from './openapi';
import { PlanGenerator, poolOfPathParam, type Mutation, type RequestPlan } from './request-plans';

export interface FuzzOptions {
  baseUrl: string;
  /** An admin token: failed authentication is throttled, so every request carries a valid one. */
  token: string;
  /** The API's database, for the row counts around every request. */
  databaseUrl: string;
  seed: number;
  runs: number;
  /** fast-check replay path (`SLIPWAY_FUZZ_PATH`): the index of one generated request to send alone. */
  path?: string;
  /** Fresh fixtures every this many requests, so deletes early in the run do not leave later ones only 404s. */
  refreshEvery?: number;
  log?: (line: string) => void;
  /** Called with every generated request and its answer (SLIPWAY_FUZZ_TRACE in the bench writes them to a file). */
  trace?: (entry: { index: number; mutations: string[]; request: RawHttpRequest; status: number; body: string }) => void;
}

export type FailureKind =
  | '5xx'
  | 'transport'
  | 'error-shape'
  | 'unnamed-400'
  | 'unclear-message'
  | 'rows-changed'
  | 'no-allow-header'
  | 'wrong-content-type-accepted'
  | 'idempotency-replay'
  | 'read-after-run';

export interface FuzzFailure {
  kind: FailureKind;
  operation: string;
  /** Index of the generated request: replay it with the seed and `path`. */
  index: number | null;
  mutations: string[];
  request: RawHttpRequest;
  status: number;
  responseBody: string;
  detail: string;
  /** A single-mutation request that fails the same way, when the original had several. */
  minimal?: { mutations: string[]; request: RawHttpRequest; status: number; responseBody: string };
}

export interface FuzzReport {
  seed: number;
  runs: number;
  /** Tables whose row counts are compared around every request. */
  tablesCounted: string[];
  /** Operations in the document; `perOperation` says which of them the run reached. */
  operations: string[];
  requests: number;
  fixtureRequests: number;
  readSweepRequests: number;
  /** Successful creates resent with the same Idempotency-Key (each must answer the first result, writing nothing). */
  idempotentRetries: number;
  perOperation: Record<string, number>;
  /** Status histogram of each operation. */
  perOperationStatuses: Record<string, Record<string, number>>;
  statuses: Record<string, number>;
  /** Distinct failure classes (kind, operation, status, mutation kinds): the first example of each. */
  failures: FuzzFailure[];
  /** How many requests failed in each class. */
  failureCounts: Record<string, number>;
  seconds: number;
}

export type Pools = Record<PoolName, unknown[]>;

/** Pools with nothing in them yet: what a run starts from before its fixtures exist. */
export function emptyPools(): Pools {
  return {
    experiment: [],
    run: [],
    model: [],
    version: [],
    alias: [],
    webhook: [],
    token: [],
    file: [],
    artifact: [],
    metricKey: [],
    ref: [],
    cursor: [],
  };
}

const BODY_LEVEL: Mutation['kind'][] = ['body-raw', 'content-type'];
/** Content types a JSON route must refuse (415) whatever the body says; `+json` and charset variants are left to the route. */
const NOT_JSON = [null, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/octet-stream'];

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const document = await loadDocument(options.baseUrl);
  const operations = operationsOf(document);
  const byId = new Map(operations.map((op) => [op.id, op]));
  const generator = new PlanGenerator(operations, document);
  // Plain pg rather than @slipway/testing's TestSql: that package loads @jest/globals, which refuses to load in the bench.
  const sql = new pg.Pool({ connectionString: options.databaseUrl, max: 1 });
  sql.on('error', () => undefined);
  const counter = await RowCounter.create(sql);
  const pools = emptyPools();
  const report: FuzzReport = {
    seed: options.seed,
    runs: options.runs,
    operations: operations.map((op) => op.id),
    tablesCounted: counter.tables,
    requests: 0,
    fixtureRequests: 0,
    readSweepRequests: 0,
    idempotentRetries: 0,
    perOperation: {},
    perOperationStatuses: {},
    statuses: {},
    failures: [],
    failureCounts: {},
    seconds: 0,
  };
  const send = (req: RawHttpRequest) => sendRaw(options.baseUrl, req);
  const fixtures = new Fixtures(send, options.token, pools, () => report.fixtureRequests++);
  const record = (failure: FuzzFailure): boolean => {
    const key = classKey(failure);
    const first = !(key in report.failureCounts);
    report.failureCounts[key] = (report.failureCounts[key] ?? 0) + 1;
    if (first) {
      report.failures.push(failure);
      log(`✗ new failure class: ${key}\n${formatFailure(failure, options.seed)}`);
    }
    return first;
  };

  try {
    await fixtures.create();
    const refreshEvery = options.refreshEvery ?? 150;
    let index = options.path ? Number(options.path.split(':')[0]) : 0;
    const property = fc.asyncProperty(generator.plans(), async (plan) => {
      const at = index++;
      if (at > 0 && at % refreshEvery === 0) await fixtures.create();
      const operation = byId.get(plan.operation);
      if (!operation) throw new Error(`plan for an operation not in the document: ${plan.operation}`);
      const outcome = await execute(operation, plan, pools, options.token, send, counter, () => report.idempotentRetries++);
      report.requests++;
      options.trace?.({
        index: at,
        mutations: plan.mutations.map(describeMutation),
        request: outcome.request,
        status: outcome.response?.status ?? 0,
        body: outcome.response?.body ?? '',
      });
      report.perOperation[plan.operation] = (report.perOperation[plan.operation] ?? 0) + 1;
      collectCursor(outcome.response, pools);
      const statusKey = outcome.response ? String(outcome.response.status) : 'transport-error';
      report.statuses[statusKey] = (report.statuses[statusKey] ?? 0) + 1;
      const opStatuses = (report.perOperationStatuses[plan.operation] ??= {});
      opStatuses[statusKey] = (opStatuses[statusKey] ?? 0) + 1;
      if (outcome.failure && record({ ...outcome.failure, index: at }) && plan.mutations.length > 1) {
        const failure = report.failures[report.failures.length - 1];
        for (const mutation of plan.mutations) {
          const single = await execute(operation, { ...plan, mutations: [mutation] }, pools, options.token, send, counter);
          if (single.failure?.kind === failure.kind) {
            failure.minimal = {
              mutations: [describeMutation(mutation)],
              request: single.request,
              status: single.failure.status,
              responseBody: single.failure.responseBody,
            };
            log(`  minimal: ${describeMutation(mutation)} → ${single.failure.status}`);
            break;
          }
        }
      }
      if (report.requests % 250 === 0) log(`${report.requests} requests, ${report.failures.length} failure classes`);
      return true;
    });
    await fc.assert(property, { seed: options.seed, numRuns: options.path ? 1 : options.runs, path: options.path, endOnFailure: true });

    // One bad row must not break reads for anyone: every read route, over every fixture, after everything the run wrote.
    for (const failure of await readSweep(operations, pools, options.token, send, () => report.readSweepRequests++)) record(failure);
  } finally {
    closeHttpAgent();
    await sql.end();
  }
  report.seconds = (Date.now() - started) / 1000;
  return report;
}

/** A page's nextCursor joins the pool, so later list requests page with real cursors (and replay them on other lists). */
function collectCursor(response: RawHttpResponse | undefined, pools: Pools): void {
  if (!response || response.status !== 200 || !response.body.includes('"nextCursor"')) return;
  try {
    const cursor = (JSON.parse(response.body) as { nextCursor?: unknown }).nextCursor;
    if (typeof cursor === 'string' && !pools.cursor.includes(cursor)) pools.cursor.push(cursor);
    if (pools.cursor.length > 200) pools.cursor.shift();
  } catch {
    // Not JSON: nothing to page with.
  }
}

async function loadDocument(baseUrl: string): Promise<OpenApiDocument> {
  const response = await sendRaw(baseUrl, { method: 'GET', path: '/docs-json', headers: {} });
  if (response.status !== 200) throw new Error(`GET /docs-json answered ${response.status}: ${response.body.slice(0, 300)}`);
  return JSON.parse(response.body) as OpenApiDocument;
}

interface Outcome {
  request: RawHttpRequest;
  response?: RawHttpResponse;
  failure?: Omit<FuzzFailure, 'index'>;
}

async function execute(
  operation: Operation,
  plan: RequestPlan,
  pools: Pools,
  token: string,
  send: (req: RawHttpRequest) => Promise<RawHttpResponse>,
  counter: RowCounter,
  onRetry: () => void = () => undefined,
): Promise<Outcome> {
  const request = materialize(operation, plan, pools, token);
  const mutations = plan.mutations.map(describeMutation);
  const fail = (kind: FailureKind, status: number, responseBody: string, detail: string): Outcome['failure'] => ({
    kind,
    operation: operation.id,
    mutations,
    request,
    status,
    responseBody,
    detail,
  });
  const before = await counter.counts();
  let response: RawHttpResponse;
  try {
    response = await send(request);
  } catch (error) {
    return { request, failure: fail('transport', 0, '', (error as Error).message) };
  }
  const { status, body } = response;
  if (status >= 500) return { request, response, failure: fail('5xx', status, body, 'a server error for client input') };
  if (status >= 400) {
    const problem = errorShapeProblem(response, plan.mutations);
    if (problem) return { request, response, failure: fail(problem.kind, status, body, problem.detail) };
  }
  const contentType = plan.mutations.find((m): m is Extract<Mutation, { kind: 'content-type' }> => m.kind === 'content-type');
  if (status >= 200 && status < 300 && operation.jsonBody && contentType && NOT_JSON.includes(contentType.value) && request.body?.length)
    return {
      request,
      response,
      failure: fail('wrong-content-type-accepted', status, body, `a JSON route accepted content-type ${contentType.value ?? '(none)'}`),
    };
  const replay = await checkIdempotentRetry(operation, request, response, send, counter, onRetry);
  if (replay) return { request, response, failure: fail('idempotency-replay', replay.status, replay.body, replay.detail) };
  // Only a successful write may add or remove rows: not a refused request, and not a read.
  if (status < 200 || status >= 300 || request.method === 'GET') {
    const changed = RowCounter.diff(before, await counter.counts());
    if (changed.length)
      return {
        request,
        response,
        failure: fail('rows-changed', status, body, `rows changed by a ${request.method} answered ${status}: ${changed.join(', ')}`),
      };
  }
  return { request, response };
}

/**
 * A client that timed out retries with the same Idempotency-Key: it must get the first answer (same status and
 * body, `Idempotent-Replayed: true`) and no second row — or, where the answer held a secret shown once, a 409.
 */
async function checkIdempotentRetry(
  operation: Operation,
  request: RawHttpRequest,
  first: RawHttpResponse,
  send: (req: RawHttpRequest) => Promise<RawHttpResponse>,
  counter: RowCounter,
  onRetry: () => void,
): Promise<{ status: number; body: string; detail: string } | null> {
  const header = operation.headerParams.find((p) => p.name.toLowerCase() === 'idempotency-key');
  const key = header && Object.entries(request.headers).find(([name]) => name.toLowerCase() === 'idempotency-key')?.[1];
  if (!key || first.status < 200 || first.status >= 300) return null;
  onRetry();
  const before = await counter.counts();
  let retry: RawHttpResponse;
  try {
    retry = await send(request);
  } catch (error) {
    return { status: 0, body: '', detail: `the retry got no answer: ${(error as Error).message}` };
  }
  const changed = RowCounter.diff(before, await counter.counts());
  if (changed.length) return { status: retry.status, body: retry.body, detail: `a retry with the same Idempotency-Key wrote again: ${changed.join(', ')}` };
  if (retry.status === 409) return null;
  if (retry.status !== first.status || retry.body !== first.body)
    return {
      status: retry.status,
      body: retry.body,
      detail: `a retry with the same Idempotency-Key answered ${retry.status} ${retry.body.slice(0, 200)} after ${first.status} ${first.body.slice(0, 200)}`,
    };
  return null;
}

function errorShapeProblem(response: RawHttpResponse, mutations: Mutation[]): { kind: FailureKind; detail: string } | null {
  let parsed: { error?: { code?: unknown; message?: unknown; requestId?: unknown; fields?: { field?: unknown; message?: unknown }[] } };
  try {
    parsed = JSON.parse(response.body);
  } catch {
    return { kind: 'error-shape', detail: 'a 4xx whose body is not JSON' };
  }
  const error = parsed?.error;
  if (
    !error ||
    typeof error.code !== 'string' ||
    typeof error.message !== 'string' ||
    !error.message ||
    typeof error.requestId !== 'string' ||
    !error.requestId
  )
    return { kind: 'error-shape', detail: 'a 4xx without { error: { code, message, requestId } }' };
  if (response.status === 405 && !response.headers.allow) return { kind: 'no-allow-header', detail: 'a 405 without an Allow header' };
  if (response.status !== 400) return null;
  const fields = error.fields ?? [];
  // `1e400` is valid JSON that no double holds: the answer must say so, not "expected number, received number".
  const overflow =
    mutations.length === 1 && mutations[0].kind === 'body-field' && mutations[0].value instanceof RawJson && /^-?1e400$/.test(mutations[0].value.text);
  const aboutNumbers = [error.message, ...fields.map((f) => String(f.message ?? ''))].some((m) => /number|infinity|integer|numeric/i.test(m));
  if (overflow && aboutNumbers && ![error.message, ...fields.map((f) => String(f.message ?? ''))].some((m) => /range|too large|finite|overflow/i.test(m)))
    return { kind: 'unclear-message', detail: `1e400 refused without saying the number is out of range: ${JSON.stringify(error).slice(0, 300)}` };
  if (fields.length) {
    const bad = fields.filter((f) => typeof f.field !== 'string' || !/^(body|query|params|headers)(\.|$)/.test(f.field));
    return bad.length ? { kind: 'unnamed-400', detail: `fields not naming a request location: ${JSON.stringify(bad).slice(0, 300)}` } : null;
  }
  // A body that is not JSON at all has no field to name; the message must then say what was wrong.
  const bodyLevel = mutations.some(
    (m) => BODY_LEVEL.includes(m.kind) || ((m.kind === 'body-field' || m.kind === 'body-extra') && (m.path.length === 0 || unparsable(m.value))),
  );
  if (bodyLevel && /json|body|content|type|malformed|number|range|unicode|surrogate/i.test(error.message)) return null;
  return { kind: 'unnamed-400', detail: `a 400 without error.fields: "${error.message.slice(0, 200)}"` };
}

/** Raw text that is not JSON (`0x10`, `NaN`) or whose number JSON.parse turns into ±Infinity (`1e400`). */
function unparsable(value: unknown): boolean {
  if (!(value instanceof RawJson)) return false;
  try {
    const parsed = JSON.parse(value.text);
    return typeof parsed === 'number' && !Number.isFinite(parsed);
  } catch {
    return true;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Building the request

/** The request a plan stands for, with fixture references resolved from `pools`: exactly the bytes that are sent. */
export function materialize(operation: Operation, plan: RequestPlan, pools: Pools, token: string): RawHttpRequest {
  const resolve = (ref: PoolRef): unknown => {
    const pool = pools[ref.pool];
    return pool.length ? pool[ref.index % pool.length] : resolveDeep(ref.fallback, resolve);
  };
  const text = (value: unknown): string => {
    const v = resolveDeep(value, resolve);
    return Array.isArray(v) ? v.map(String).join(',') : String(v);
  };
  let method = operation.method;
  let path = operation.path;
  for (const param of operation.pathParams) {
    const mutation = plan.mutations.find((m): m is Extract<Mutation, { kind: 'path' }> => m.kind === 'path' && m.name === param.name);
    const model = pools.model.length ? String(pools.model[plan.mutations.length % pools.model.length]) : 'no-model';
    path = path.replace(`{${param.name}}`, mutation ? mutation.raw.replace('$model', percentEncode(model)) : percentEncode(text(plan.pathValues[param.name])));
  }
  let pairs: string[] = [];
  for (const [name, value] of plan.query) {
    const v = resolveDeep(value, resolve);
    if (v === undefined) continue;
    for (const item of Array.isArray(v) ? v : [v]) pairs.push(`${percentEncode(name)}=${percentEncode(String(item))}`);
  }
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  for (const [name, value] of Object.entries(plan.headers)) headers[name] = text(value);
  let body: Buffer | undefined;
  let rawBody: string | undefined;
  let jsonBody = plan.body;
  if (operation.jsonBody) headers['content-type'] = 'application/json';
  if (operation.binaryBody) headers['content-type'] = 'application/octet-stream';
  for (const mutation of plan.mutations) {
    switch (mutation.kind) {
      case 'query': {
        const prefix = `${percentEncode(mutation.name)}=`;
        pairs = pairs.filter((p) => !p.startsWith(prefix));
        pairs.push(prefix + mutation.raw);
        break;
      }
      case 'query-shape': {
        const key = percentEncode(mutation.name);
        if (mutation.shape !== 'duplicate') pairs = pairs.filter((p) => !p.startsWith(`${key}=`));
        if (mutation.shape === 'duplicate') pairs.push(`${key}=${mutation.raw}`, `${key}=${mutation.raw}`);
        if (mutation.shape === 'array') pairs.push(`${key}[]=${mutation.raw}`, `${key}[]=1`);
        if (mutation.shape === 'object') pairs.push(`${key}[a]=${mutation.raw}`);
        if (mutation.shape === 'bare') pairs.push(key);
        if (mutation.shape === 'proto') pairs.push(`${key}[__proto__]=${mutation.raw}`);
        break;
      }
      case 'query-unknown':
        pairs.push(mutation.raw);
        break;
      case 'header':
        headers[mutation.name] = mutation.raw;
        break;
      case 'content-type':
        if (mutation.value === null) delete headers['content-type'];
        else headers['content-type'] = mutation.value;
        if (mutation.value === 'application/x-www-form-urlencoded' && operation.jsonBody) rawBody = formEncode(resolveDeep(jsonBody, resolve));
        break;
      case 'body-raw':
        rawBody = mutation.text;
        break;
      case 'body-field':
        jsonBody = setAt(jsonBody, mutation.path, mutation.value);
        break;
      case 'body-missing':
        jsonBody = removeAt(jsonBody, mutation.path);
        break;
      case 'body-extra':
        jsonBody = setAt(jsonBody, [...mutation.path, mutation.key], mutation.value);
        break;
      case 'method':
        method = mutation.method;
        break;
      case 'path':
        break;
    }
  }
  if (rawBody !== undefined) body = Buffer.from(rawBody, 'utf8');
  else if (operation.jsonBody && jsonBody !== undefined) body = Buffer.from(toJsonText(jsonBody, resolve), 'utf8');
  else if (operation.binaryBody && plan.body instanceof Uint8Array) body = Buffer.from(plan.body);
  else if (operation.jsonBody) body = Buffer.from('{}');
  return { method, path: pairs.length ? `${path}?${pairs.join('&')}` : path, headers, body };
}

function resolveDeep(value: unknown, resolve: (ref: PoolRef) => unknown): unknown {
  if (value instanceof PoolRef) return resolveDeep(resolve(value), resolve);
  if (value instanceof RawJson || value instanceof Uint8Array) return value;
  if (Array.isArray(value)) return value.map((item) => resolveDeep(item, resolve));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveDeep(v, resolve)]));
  return value;
}

function formEncode(value: unknown): string {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'value=1';
  return (
    Object.entries(value)
      .filter(([, v]) => v === null || ['string', 'number', 'boolean'].includes(typeof v))
      .map(([k, v]) => `${percentEncode(k)}=${percentEncode(String(v))}`)
      .join('&') || 'name=fuzz'
  );
}

/** A copy of `root` with `value` at `path`; containers on the way are created, scalars on the way replaced. */
function setAt(root: unknown, path: (string | number)[], value: unknown): unknown {
  if (!path.length) return value;
  const [head, ...rest] = path;
  const container: Record<string | number, unknown> | unknown[] = Array.isArray(root)
    ? [...root]
    : root && typeof root === 'object' && !(root instanceof PoolRef) && !(root instanceof RawJson)
      ? { ...(root as object) }
      : typeof head === 'number'
        ? []
        : {};
  (container as Record<string | number, unknown>)[head] = setAt((container as Record<string | number, unknown>)[head], rest, value);
  return container;
}

function removeAt(root: unknown, path: (string | number)[]): unknown {
  if (!path.length || !root || typeof root !== 'object' || root instanceof PoolRef || root instanceof RawJson) return root;
  const [head, ...rest] = path;
  if (Array.isArray(root)) {
    const copy = [...root];
    if (rest.length) copy[head as number] = removeAt(copy[head as number], rest);
    else copy.splice(head as number, 1);
    return copy;
  }
  const copy = { ...(root as Record<string, unknown>) };
  if (rest.length) copy[head] = removeAt(copy[head], rest);
  else delete copy[head];
  return copy;
}

export function describeMutation(mutation: Mutation): string {
  const short = (value: unknown): string => {
    const text = value instanceof RawJson ? `raw ${value.text}` : typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
    return text.length > 60 ? `${text.slice(0, 40)}… (${text.length} chars)` : text;
  };
  switch (mutation.kind) {
    case 'body-field':
      return `body.${mutation.path.join('.')} = ${short(mutation.value)}`;
    case 'body-missing':
      return `body.${mutation.path.join('.')} removed`;
    case 'body-extra':
      return `body.${[...mutation.path, short(mutation.key)].join('.')} added = ${short(mutation.value)}`;
    case 'body-raw':
      return `raw body ${short(mutation.text)}`;
    case 'content-type':
      return `content-type ${mutation.value ?? '(none)'}`;
    case 'path':
      return `params.${mutation.name} = ${short(mutation.raw)}`;
    case 'query':
      return `query.${mutation.name} = ${short(mutation.raw)}`;
    case 'query-shape':
      return `query.${mutation.name} as ${mutation.shape} (${short(mutation.raw)})`;
    case 'query-unknown':
      return `query += ${short(mutation.raw)}`;
    case 'header':
      return `header ${mutation.name} = ${short(mutation.raw)}`;
    case 'method':
      return `method ${mutation.method}`;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Fixtures: real rows for the generated requests to meet

class Fixtures {
  private generation = 0;

  constructor(
    private readonly send: (req: RawHttpRequest) => Promise<RawHttpResponse>,
    private readonly token: string,
    private readonly pools: Pools,
    private readonly counted: () => void,
  ) {}

  private async call(method: string, path: string, body?: unknown, binary?: Buffer): Promise<Record<string, unknown>> {
    this.counted();
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (binary) headers['content-type'] = 'application/octet-stream';
    const response = await this.send({ method, path, headers, body: binary ?? (body === undefined ? undefined : Buffer.from(JSON.stringify(body))) });
    if (response.status >= 300) throw new Error(`fixture ${method} ${path} answered ${response.status}: ${response.body.slice(0, 500)}`);
    return response.body ? (JSON.parse(response.body) as Record<string, unknown>) : {};
  }

  /** One of each thing the API has, created through the API as a client would (each generation under new names). */
  async create(): Promise<void> {
    const tag = `${process.pid}-${this.generation++}`;
    const push = (pool: PoolName, ...values: unknown[]) => {
      for (const value of values) if (!this.pools[pool].includes(value)) this.pools[pool].push(value);
    };
    const experiment = await this.call('POST', '/api/v1/experiments', { name: `fuzz-exp-${tag}`, description: 'fuzz fixture', tags: { team: 'fuzz' } });
    push('experiment', experiment.id);
    const run = await this.call('POST', '/api/v1/runs', {
      experimentId: experiment.id,
      name: `fuzz-run-${tag}`,
      params: [{ key: 'lr', value: '0.1' }],
      tags: { team: 'fuzz' },
    });
    const finished = await this.call('POST', '/api/v1/runs', { experimentName: `fuzz-exp-${tag}`, name: `fuzz-finished-${tag}` });
    push('run', run.id, finished.id);
    for (const id of [run.id, finished.id]) {
      await this.call('POST', `/api/v1/runs/${id}/log-batch`, {
        metrics: [
          { key: 'loss', value: 0.25, step: 0 },
          { key: 'loss', value: 0.125, step: 1 },
          { key: 'accuracy', value: 0.9, step: 1 },
        ],
        params: [{ key: 'depth', value: '4' }],
        tags: { stage: 'fuzz' },
      });
      await this.call('PUT', `/api/v1/runs/${id}/artifacts/model.bin`, undefined, Buffer.from(`artifact ${tag}`));
    }
    await this.call('POST', `/api/v1/runs/${finished.id}/end`, { status: 'FINISHED' });
    push('metricKey', 'loss', 'accuracy');
    push('artifact', 'model.bin');
    const model = `fuzz-model-${tag}`;
    await this.call('POST', '/api/v1/models', { name: model, description: 'fuzz fixture', tags: { team: 'fuzz' } });
    push('model', model);
    for (let i = 0; i < 2; i++) {
      const version = await this.call('POST', `/api/v1/models/${model}/versions`, { description: `v${i}`, tags: { team: 'fuzz' } });
      await this.call('PUT', `/api/v1/models/${model}/versions/${version.version}/files/model.bin`, undefined, Buffer.from(`weights ${tag} ${i}`));
      await this.call('POST', `/api/v1/models/${model}/versions/${version.version}/finalize`, {});
      push('version', version.version);
    }
    await this.call('PUT', `/api/v1/models/${model}/aliases/champion`, { version: 1 });
    push('alias', 'champion');
    push('file', 'model.bin');
    push('ref', `${model}@champion`, `${model}/1`, `${model}@latest`, `${model}@2`);
    const webhook = await this.call('POST', '/api/v1/webhooks', {
      name: `fuzz-hook-${tag}`,
      url: 'https://hooks.example.com/slipway',
      events: ['model_version.ready'],
    }).catch(
      // The webhook-URL policy may refuse any host it cannot resolve here (offline): fuzz webhooks by id without one.
      () => undefined,
    );
    if (webhook) push('webhook', webhook.id);
    const token = await this.call('POST', '/api/v1/tokens', { name: `fuzz-token-${tag}`, role: 'viewer' });
    push('token', token.id);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Reads after the run

/** Reads that travel as POST (a search body, a comparison), checked with the simplest valid body. */
const POST_READS: Record<string, (pools: Pools) => unknown[]> = {
  'POST /api/v1/runs/search': (pools) => [
    {},
    { orderBy: 'metrics.loss DESC' },
    { filter: 'metrics.loss > 0', orderBy: 'metrics.loss ASC' },
    { experimentIds: pools.experiment.slice(0, 100) },
  ],
  'POST /api/v1/registry/compare': (pools) => [
    { runIds: pools.run.slice(0, 50) },
    { versions: pools.model.slice(0, 25).flatMap((model) => [1, 2].map((version) => ({ model, version }))) },
  ],
};

async function readSweep(
  operations: Operation[],
  pools: Pools,
  token: string,
  send: (req: RawHttpRequest) => Promise<RawHttpResponse>,
  counted: () => void,
): Promise<Omit<FuzzFailure, 'minimal'>[]> {
  const failures: Omit<FuzzFailure, 'minimal'>[] = [];
  const headers = { authorization: `Bearer ${token}` };
  const check = async (operation: Operation, request: RawHttpRequest) => {
    counted();
    try {
      const response = await send(request);
      if (response.status >= 500)
        failures.push({
          kind: 'read-after-run',
          operation: operation.id,
          index: null,
          mutations: [],
          request,
          status: response.status,
          responseBody: response.body,
          detail: 'a read broken by what the run wrote',
        });
    } catch (error) {
      failures.push({
        kind: 'read-after-run',
        operation: operation.id,
        index: null,
        mutations: [],
        request,
        status: 0,
        responseBody: '',
        detail: (error as Error).message,
      });
    }
  };
  for (const operation of operations) {
    if (operation.method === 'GET') {
      for (const path of fillPaths(operation, pools)) await check(operation, { method: 'GET', path, headers });
    } else if (POST_READS[operation.id]) {
      for (const body of POST_READS[operation.id](pools))
        await check(operation, {
          method: 'POST',
          path: operation.path,
          headers: { ...headers, 'content-type': 'application/json' },
          body: Buffer.from(JSON.stringify(body)),
        });
    }
  }
  return failures;
}

/** Every combination of fixtures for the operation's path parameters (the first few of each pool). */
function fillPaths(operation: Operation, pools: Pools): string[] {
  let paths = [operation.path];
  for (const param of operation.pathParams) {
    const pool = poolOfPathParam(operation.path, param.name);
    const values = pool ? pools[pool] : [];
    const chosen = values.length ? values : ['00000000-0000-0000-0000-000000000000'];
    paths = paths.flatMap((p) => chosen.map((value) => p.replace(`{${param.name}}`, percentEncode(String(value)))));
  }
  return paths.slice(0, 400);
}

// ---------------------------------------------------------------------------------------------------------
// Row counts

class RowCounter {
  private constructor(
    private readonly sql: pg.Pool,
    private readonly statement: string,
    readonly tables: string[],
  ) {}

  static async create(sql: pg.Pool): Promise<RowCounter> {
    const { rows: tables } = await sql.query<{ schema: string; name: string }>(
      `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
       WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') AND table_name <> '_prisma_migrations'
       ORDER BY 1, 2`,
    );
    const quote = (id: string) => `"${id.replace(/"/g, '""')}"`;
    const columns = tables.map((t) => `(SELECT count(*) FROM ${quote(t.schema)}.${quote(t.name)})::bigint AS ${quote(`${t.schema}.${t.name}`)}`);
    return new RowCounter(
      sql,
      `SELECT ${columns.join(', ')}`,
      tables.map((t) => `${t.schema}.${t.name}`),
    );
  }

  async counts(): Promise<Record<string, string>> {
    return (await this.sql.query<Record<string, string>>(this.statement)).rows[0];
  }

  static diff(before: Record<string, string>, after: Record<string, string>): string[] {
    return Object.keys(after)
      .filter((table) => before[table] !== after[table])
      .map((table) => `${table} ${before[table]} → ${after[table]}`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Reporting

/**
 * Failures of one cause share a class: a 4xx shape problem by its message with the values taken out (the same
 * decoding error on every route is one finding), a 5xx by route and the kinds of hostile change that caused it.
 */
function classKey(failure: Omit<FuzzFailure, 'minimal'>): string {
  let message = failure.detail;
  let code = '';
  try {
    const error = (JSON.parse(failure.responseBody) as { error?: { message?: string; code?: string } }).error;
    message = String(error?.message ?? failure.detail);
    code = String(error?.code ?? '');
  } catch {
    // Not JSON: the detail says so.
  }
  // A coded 5xx (UNAVAILABLE naming what is missing) says its cause; an INTERNAL one is told apart by what caused it.
  if (['unnamed-400', 'error-shape', 'no-allow-header', 'unclear-message'].includes(failure.kind) || (failure.status >= 500 && code && code !== 'INTERNAL')) {
    const shape = message
      .replace(/'[^']*'|"[^"]*"/g, '…')
      .replace(/\d+/g, 'N')
      .slice(0, 120);
    return `${failure.kind} | ${failure.kind === 'unnamed-400' || failure.kind === 'error-shape' ? '' : `${failure.operation} | `}${failure.status} | ${shape}`;
  }
  const kinds = [...new Set((failure.mutations.length ? failure.mutations : ['valid']).map((m) => m.split(/[ =]/)[0].replace(/\.\d+/g, '.N')))].sort();
  return `${failure.kind} | ${failure.operation} | ${failure.status} | ${kinds.join(' + ')}`;
}

function formatRequest(request: RawHttpRequest): string {
  const headers = Object.entries(request.headers)
    .map(([k, v]) => `  ${k}: ${k === 'authorization' ? 'Bearer <admin token>' : v.length > 200 ? `${v.slice(0, 200)}… (${v.length} chars)` : v}`)
    .join('\n');
  const body = request.body === undefined ? '' : request.body.toString('utf8');
  const path = request.path.length > 300 ? `${request.path.slice(0, 300)}… (${request.path.length} chars)` : request.path;
  return `${request.method} ${path}\n${headers}\n  body: ${body.length > 600 ? `${body.slice(0, 600)}… (${body.length} bytes)` : body || '(none)'}`;
}

export function formatFailure(failure: FuzzFailure, seed: number): string {
  const lines = [
    `[${failure.kind}] ${failure.operation} → ${failure.status || 'no answer'}: ${failure.detail}`,
    `  mutations: ${failure.mutations.join('; ') || '(none: a valid request)'}`,
    failure.index === null
      ? '  (after-run read sweep)'
      : `  replay: SLIPWAY_FUZZ_SEED=${seed} SLIPWAY_FUZZ_PATH=${failure.index} (fast-check seed ${seed}, path "${failure.index}")`,
    formatRequest(failure.request)
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n'),
    `  response: ${failure.responseBody.slice(0, 600)}`,
  ];
  if (failure.minimal)
    lines.push(
      `  minimal (one mutation): ${failure.minimal.mutations.join('; ')} → ${failure.minimal.status}`,
      `    ${formatRequest(failure.minimal.request).split('\n').join('\n    ')}`,
    );
  return lines.join('\n');
}

export function formatFuzzReport(report: FuzzReport): string {
  const statuses = Object.entries(report.statuses)
    .sort()
    .map(([s, n]) => `${s}: ${n}`)
    .join(', ');
  const ops = Object.entries(report.perOperation)
    .sort((a, b) => b[1] - a[1])
    .map(
      ([op, n]) =>
        `  ${String(n).padStart(5)}  ${op.padEnd(62)} ${Object.entries(report.perOperationStatuses[op] ?? {})
          .map(([s, c]) => `${s}×${c}`)
          .join(' ')}`,
    )
    .join('\n');
  const classes = Object.entries(report.failureCounts)
    .map(([key, n]) => `  ${String(n).padStart(5)}× ${key}`)
    .join('\n');
  return [
    `fuzz: seed ${report.seed}, ${report.requests} generated requests (+ ${report.fixtureRequests} fixture, ${report.idempotentRetries} idempotent retries, ${report.readSweepRequests} read-sweep) in ${report.seconds.toFixed(1)} s; row counts of ${report.tablesCounted.length} tables checked around each`,
    `statuses: ${statuses}`,
    `per operation:\n${ops}`,
    report.failures.length
      ? `failure classes (${report.failures.length}):\n${classes}\n\n${report.failures.map((f) => formatFailure(f, report.seed)).join('\n\n')}`
      : 'no failures',
  ].join('\n');
}
