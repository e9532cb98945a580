import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  ErrorCode,
  feedbackRequestSchema,
  MAX_PREDICT_ROWS,
  predictRequestSchema,
  SERVING_HEADERS,
  SlipwayError,
  v2InferRequestSchema,
  type FieldError,
  type PredictRequest,
  type PredictResponse,
  type V2InferRequest,
} from '@slipway/contracts';
import type { UnitOfWork } from '@slipway/db';
import type { Logger } from 'pino';
import type { ZodType } from 'zod';
import { AnswerMemory } from './answer-memory';
import type { DeploymentRoutes } from './deployment-routes';
import type { LoadedVersion, VersionAnswer } from './loaded-version';
import { chooseRole, takesShadow, type DeploymentRoute, type ServingRole } from './routing-table';
import type { TrafficMetrics } from './traffic-metrics';
import { v2ImagesToRows, v2InputsToRows, v2Outputs } from './v2-tensors';

/** Largest request body read (bytes): 10,000 rows of a few hundred features fit; more is a 413 before parsing. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;
const MAX_JSON_DEPTH = 64;
/** Request ids remembered for feedback (oldest forgotten first). */
const FEEDBACK_MEMORY = 100_000;
const REQUEST_ID = /^[\x21-\x7e]{1,128}$/;
/** A request id this replica made up: `<uuid>.<revision>.<version>`, so feedback for it is counted on any replica. */
const MINTED_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.([1-9]\d{0,9})\.([1-9]\d{0,9})$/;
const JSON_TYPE = 'application/json; charset=utf-8';
/** Revisions searched for the version a feedback names (newest first): older answers are long past their feedback. */
const FEEDBACK_REVISIONS_SEARCHED = 1000;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly fields?: FieldError[],
  ) {
    super(message);
  }
}

const STATUS_OF: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.INVALID_ARGUMENT]: 400,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.CONFLICT]: 409,
  [ErrorCode.UNAVAILABLE]: 503,
};

export interface ServingServerOptions {
  routes: DeploymentRoutes;
  metrics: TrafficMetrics;
  uow: UnitOfWork;
  logger: Logger;
}

/** Per request: its id once known (one this replica makes up names the revision and version, so it waits for routing). */
interface RequestContext {
  id: string | null;
  /** The caller chose the id: only such ids need remembering for feedback (a made-up one says who answered). */
  given: boolean;
}

/**
 * The serving replica's HTTP edge, on node:http with a hand-written router rather than the API's NestJS/express
 * stack: a prediction is a few microseconds of model time, so per-request framework work (middleware chain,
 * interceptors, DI-resolved pipes, express's req/res decoration) would be most of the cost, and the benchmark
 * target (≥ 2× a FastAPI+uvicorn scorer's requests/s at a lower p99) leaves no room for it. What the API's edge
 * guarantees is kept: bounded bodies, JSON only, depth and `__proto__` checks, the safe primitives of the
 * contracts (no NUL, no lone surrogate), 400s naming `body.…` fields, never a 500 for bad input.
 *
 * The hot path: a predict body of numeric rows is checked by hand (what it accepts the contract accepts; anything
 * else goes through the depth/prototype walk and the zod contract, which name the field), the answer is one
 * `res.end` with its headers given as one list, and per-prediction logs are debug lines, built only when debug is on.
 */
export class ServingServer {
  readonly server: Server;
  /** Caller-chosen request id → who answered it, for feedback here; made-up ids and `version` work on any replica. */
  private readonly answered = new AnswerMemory(FEEDBACK_MEMORY);
  private readonly debug: boolean;
  /** Errors answer() already logged with the request's fields, so the edge does not log them twice. */
  private readonly logged = new WeakSet<object>();

  constructor(private readonly options: ServingServerOptions) {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 65_000;
    this.debug = options.logger.isLevelEnabled('debug');
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        const address = this.server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  }

  /** Stops taking connections and lets the requests in flight finish. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const given = req.headers[SERVING_HEADERS.requestId];
    const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : null;
    const ctx: RequestContext = { id, given: id !== null };
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query < 0 ? url : url.slice(0, query);
    const v2 = path.startsWith('/v2/');
    try {
      const parts = path.split('/');
      const method = req.method ?? 'GET';
      if (parts[1] === 'v1' && parts[2] === 'deployments' && parts.length === 5) {
        const name = decodeSegment(parts[3]);
        if (parts[4] === 'predict') return this.allow(method, 'POST') && (await this.predict(req, res, name, ctx));
        if (parts[4] === 'feedback') return this.allow(method, 'POST') && (await this.feedback(req, res, name, ctx));
      }
      if (path === '/metrics') return this.allow(method, 'GET') && (await this.prometheus(res, ctx));
      if (path === '/healthz') return this.allow(method, 'GET') && send(res, 200, { status: 'OK' }, idOf(ctx));
      if (path === '/v2/health/live') return this.allow(method, 'GET') && send(res, 200, { live: true }, idOf(ctx));
      if (path === '/v2/health/ready')
        return this.allow(method, 'GET') && send(res, this.options.routes.ready ? 200 : 503, { ready: this.options.routes.ready }, idOf(ctx));
      if (path === '/v2') return this.allow(method, 'GET') && send(res, 200, { name: 'slipway-serving', version: '2', extensions: [] }, idOf(ctx));
      if (parts[1] === 'v2' && parts[2] === 'models' && parts.length >= 4) {
        const name = decodeSegment(parts[3]);
        if (parts.length === 4) return this.allow(method, 'GET') && send(res, 200, this.v2Metadata(this.route(name)), idOf(ctx));
        if (parts.length === 5 && parts[4] === 'ready') {
          this.allow(method, 'GET');
          return send(res, 200, { name, ready: this.options.routes.table.has(name) }, idOf(ctx));
        }
        if (parts.length === 5 && parts[4] === 'infer') return this.allow(method, 'POST') && (await this.infer(req, res, name, ctx));
      }
      throw new HttpError(404, ErrorCode.NOT_FOUND, `No route ${req.method} ${path}`);
    } catch (error) {
      this.fail(res, error, ctx, v2);
    }
  }

  private async prometheus(res: ServerResponse, ctx: RequestContext): Promise<void> {
    const registry = this.options.metrics.registry;
    const text = await registry.metrics();
    res.writeHead(200, ['content-type', registry.contentType, 'content-length', String(Buffer.byteLength(text)), SERVING_HEADERS.requestId, idOf(ctx)]);
    res.end(text);
  }

  private allow(method: string, allowed: string): true {
    if (method !== allowed) throw new HttpError(405, ErrorCode.INVALID_ARGUMENT, `Use ${allowed} here, not ${method}`);
    return true;
  }

  private route(name: string): DeploymentRoute {
    const route = this.options.routes.table.get(name);
    if (!route)
      throw new HttpError(404, ErrorCode.NOT_FOUND, `No deployment "${name}" is served here`, [{ field: 'params.name', message: 'no such deployment' }]);
    return route;
  }

  private async predict(req: IncomingMessage, res: ServerResponse, name: string, ctx: RequestContext): Promise<void> {
    const raw = await readJson(req);
    const body = numericPredictBody(raw) ?? validated(predictRequestSchema, raw);
    // The table is read once: a revision swapped in meanwhile does not change who answers this request.
    const route = this.route(name);
    const role = chooseRole(route, req.headers, body.inputs);
    const version = role === 'canary' && route.canary ? route.canary.version : route.stable;
    const requestId = (ctx.id ??= mintRequestId(route, version));
    const answer = this.answer(route, version, role, body.inputs, body.probabilities, requestId, 'body.inputs', ctx.given);
    const response: PredictResponse = {
      deployment: route.name,
      revision: route.revision,
      model: version.modelName,
      version: version.version,
      role,
      predictions: answer.predictions,
      probabilities: answer.probabilities,
      requestId,
    };
    send(res, 200, response, requestId, versionHeaders(route, version));
    this.shadow(route, body.inputs, requestId);
  }

  private async infer(req: IncomingMessage, res: ServerResponse, name: string, ctx: RequestContext): Promise<void> {
    const body: V2InferRequest = validated(v2InferRequestSchema, await readJson(req));
    const route = this.route(name);
    const shape = route.stable.imageShape;
    const rows = shape ? v2ImagesToRows(body, shape) : v2InputsToRows(body, route.stable.columns);
    const role = chooseRole(route, req.headers, rows);
    const version = role === 'canary' && route.canary ? route.canary.version : route.stable;
    const requestId = (ctx.id ??= mintRequestId(route, version));
    const wantsProbabilities = !body.outputs || body.outputs.some((o) => o.name === 'probabilities');
    const answer = this.answer(route, version, role, rows, wantsProbabilities, requestId, 'body.inputs', ctx.given);
    send(
      res,
      200,
      {
        model_name: route.name,
        model_version: String(version.version),
        id: body.id ?? requestId,
        parameters: { role, revision: route.revision, model: version.modelName, request_id: requestId },
        outputs: v2Outputs(
          answer,
          version,
          body.outputs?.map((o) => o.name),
        ),
      },
      requestId,
      versionHeaders(route, version),
    );
    this.shadow(route, rows, requestId);
  }

  private async feedback(req: IncomingMessage, res: ServerResponse, name: string, ctx: RequestContext): Promise<void> {
    const body = validated(feedbackRequestSchema, await readJson(req));
    const route = this.route(name);
    const versionId = await this.answeredBy(route, body.requestId, body.version);
    await this.options.uow.read.deploymentMetrics.addFeedback({
      deploymentId: route.deploymentId,
      versionId,
      requestId: body.requestId,
      metric: body.metric,
      value: body.value,
    });
    send(res, 202, { accepted: true, requestId: idOf(ctx) }, idOf(ctx));
  }

  /**
   * The version that answered a request of this deployment: remembered here (the replica that answered), read from
   * an id this replica family made up (`<uuid>.<revision>.<version>`, checked against that revision), or the
   * `version` the caller gives (checked against the versions the deployment served). A `version` that contradicts
   * what is known is a 400; an answer nobody can place is a 404.
   */
  private async answeredBy(route: DeploymentRoute, requestId: string, version: number | undefined): Promise<string> {
    const contradicts = (answeredVersion: number) =>
      new HttpError(400, ErrorCode.INVALID_ARGUMENT, `body.version: request ${requestId} was answered by version ${answeredVersion}`, [
        { field: 'body.version', message: `request ${requestId} was answered by version ${answeredVersion}` },
      ]);
    const remembered = this.answered.get(requestId);
    if (remembered && remembered.deploymentId === route.deploymentId) {
      if (version !== undefined && version !== remembered.version) throw contradicts(remembered.version);
      return remembered.versionId;
    }
    const minted = MINTED_ID.exec(requestId);
    if (minted) {
      const [revisionNumber, answeredVersion] = [Number(minted[1]), Number(minted[2])];
      if (version !== undefined && version !== answeredVersion) throw contradicts(answeredVersion);
      // The revision this replica serves needs no database read.
      if (revisionNumber === route.revision) {
        const current = [route.stable, route.canary?.version].find((v) => v?.version === answeredVersion);
        if (current) return current.id;
      }
      const revision = await this.options.uow.read.deployments.revision(route.deploymentId, revisionNumber);
      const served = revision && [revision.stable, revision.canary].find((v) => v?.version === answeredVersion);
      if (!served)
        throw new HttpError(404, ErrorCode.NOT_FOUND, `Revision ${revisionNumber} of "${route.name}" served no version ${answeredVersion}`, [
          { field: 'body.requestId', message: `revision ${revisionNumber} of the deployment served no version ${answeredVersion}` },
        ]);
      return served.versionId;
    }
    if (version !== undefined) {
      const served = await this.servedVersion(route, version);
      if (!served)
        throw new HttpError(404, ErrorCode.NOT_FOUND, `"${route.name}" never answered with version ${version}`, [
          { field: 'body.version', message: 'not a version the deployment served' },
        ]);
      return served;
    }
    throw new HttpError(
      404,
      ErrorCode.NOT_FOUND,
      `This replica answered no recent request ${requestId} of "${route.name}"; send the answer's version with it`,
      [{ field: 'body.requestId', message: 'unknown or forgotten request id (send `version` too)' }],
    );
  }

  /** The id of `version` when a revision of the deployment answered with it (stable or canary), newest first. */
  private async servedVersion(route: DeploymentRoute, version: number): Promise<string | null> {
    if (route.stable.version === version) return route.stable.id;
    if (route.canary?.version.version === version) return route.canary.version.id;
    let cursor: string | undefined;
    for (let searched = 0; searched < FEEDBACK_REVISIONS_SEARCHED;) {
      const page = await this.options.uow.read.deployments.revisions(route.deploymentId, { limit: 100, cursor });
      for (const revision of page.revisions) {
        const served = [revision.stable, revision.canary].find((v) => v?.version === version);
        if (served) return served.versionId;
      }
      searched += page.revisions.length;
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    return null;
  }

  /** Predicts and counts; a bad row is a 400 counted as a request (not an error: the model did not fail). */
  private answer(
    route: DeploymentRoute,
    version: LoadedVersion,
    role: ServingRole,
    rows: readonly unknown[],
    probabilities: boolean,
    requestId: string,
    field: string,
    /** Remember who answered for feedback: caller-chosen ids only (a made-up id carries it, and 100,000 entries churned per request cost GC). */
    remember = false,
  ): VersionAnswer {
    const started = performance.now();
    let failed = false;
    let answer: VersionAnswer | undefined;
    try {
      answer = version.predict(rows, probabilities, field);
      return answer;
    } catch (error) {
      failed = !(error instanceof SlipwayError && error.code === ErrorCode.INVALID_ARGUMENT);
      if (failed) {
        // Model failures are what operators look for: logged at error level with the request's coordinates.
        this.options.logger.error(
          {
            requestId,
            deployment: route.name,
            revision: route.revision,
            model: version.modelName,
            version: version.version,
            role,
            rows: rows.length,
            err: error,
          },
          `predict failed (${role})`,
        );
        if (error !== null && typeof error === 'object') this.logged.add(error);
      }
      throw error;
    } finally {
      const ms = performance.now() - started;
      const answered = answer;
      this.options.metrics.record(
        route.deploymentId,
        route.name,
        version.id,
        version.version,
        role,
        ms,
        failed,
        answered && ((bins) => version.tally(answered, bins)),
      );
      if (remember && answered && role !== 'shadow') this.remember(requestId, route.deploymentId, version);
      if (this.debug)
        this.options.logger.debug(
          {
            requestId,
            deployment: route.name,
            revision: route.revision,
            model: version.modelName,
            version: version.version,
            role,
            rows: rows.length,
            ms,
            failed,
          },
          'predict',
        );
    }
  }

  /** A copy for the shadow, after the answer went out: it never answers and its failures reach nobody but the logs. */
  private shadow(route: DeploymentRoute, rows: readonly unknown[], requestId: string): void {
    const shadow = route.shadow;
    if (!shadow || !takesShadow(route)) return;
    setImmediate(() => {
      try {
        this.answer(route, shadow.version, 'shadow', rows, false, requestId, 'body.inputs');
      } catch {
        // Counted and logged by answer().
      }
    });
  }

  private remember(requestId: string, deploymentId: string, version: LoadedVersion): void {
    this.answered.remember(requestId, { deploymentId, versionId: version.id, version: version.version });
  }

  private v2Metadata(route: DeploymentRoute) {
    const v = route.stable;
    const output = { name: 'predict', datatype: v.model.task === 'regression' ? 'FP64' : 'BYTES', shape: [-1] };
    const probabilities = v.model.predictProba ? [{ name: 'probabilities', datatype: 'FP64', shape: [-1, v.model.classLabels?.length ?? -1] }] : [];
    const base = { name: route.name, versions: [String(v.version)], platform: `slipway_${v.model.algorithm}` };
    const shape = v.imageShape;
    if (shape)
      return {
        ...base,
        inputs: [{ name: 'images', datatype: 'FP32', shape: [-1, shape.height, shape.width, shape.channels] }],
        outputs: [output, ...probabilities],
      };
    const columns = v.preprocessing.kind === 'tabular' ? v.preprocessing.inputs : [];
    return {
      ...base,
      inputs: columns.map((c) => ({
        name: c.column,
        datatype: c.encoding === 'one-hot' ? 'BYTES' : c.encoding === 'boolean' ? 'BOOL' : c.encoding === 'datetime' ? 'INT64' : 'FP64',
        shape: [-1],
      })),
      outputs: [output, ...probabilities],
    };
  }

  private fail(res: ServerResponse, error: unknown, ctx: RequestContext, v2: boolean): void {
    let status = 500;
    let code = ErrorCode.INTERNAL;
    let message = 'The serving replica failed to answer';
    let fields: FieldError[] | undefined;
    const requestId = idOf(ctx);
    if (error instanceof HttpError)
      ({ status, code, message, fields } = { status: error.status, code: error.code, message: error.message, fields: error.fields });
    else if (error instanceof SlipwayError) {
      status = STATUS_OF[error.code] ?? 500;
      ({ code, message, fields } = error);
    } else if (!(error !== null && typeof error === 'object' && this.logged.has(error))) this.options.logger.error({ err: error, requestId }, 'request failed');
    if (res.headersSent) return void res.destroy();
    // KServe clients read `error` as a string; Slipway's own routes answer the platform's error shape.
    send(res, status, v2 ? { error: message, code, fields, requestId } : { error: { code, message, fields, requestId } }, requestId);
  }
}

const idOf = (ctx: RequestContext): string => (ctx.id ??= randomUUID());

/** `<uuid>.<revision>.<version>`: the answer's coordinates travel with its id, for feedback to any replica. */
const mintRequestId = (route: DeploymentRoute, version: LoadedVersion): string => `${randomUUID()}.${route.revision}.${version.version}`;

const versionHeaders = (route: DeploymentRoute, version: LoadedVersion): string[] => [
  SERVING_HEADERS.version,
  String(version.version),
  SERVING_HEADERS.revision,
  String(route.revision),
];

/** One `res.end`: the headers as one flat list (no per-header setHeader bookkeeping), the body as one string. */
function send(res: ServerResponse, status: number, body: unknown, requestId: string, extra?: readonly string[]): void {
  const text = JSON.stringify(body);
  const headers = ['content-type', JSON_TYPE, 'content-length', String(Buffer.byteLength(text)), SERVING_HEADERS.requestId, requestId];
  if (extra) for (const h of extra) headers.push(h);
  res.writeHead(status, headers);
  res.end(text);
}

function decodeSegment(segment: string): string {
  if (segment.indexOf('%') < 0) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, ErrorCode.INVALID_ARGUMENT, 'params.name is not valid percent-encoding', [
      { field: 'params.name', message: 'not valid percent-encoding' },
    ]);
  }
}

function readJson(req: IncomingMessage): Promise<unknown> {
  const type = req.headers['content-type'];
  if (!type || !/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type)) {
    req.resume();
    return Promise.reject(new HttpError(415, ErrorCode.INVALID_ARGUMENT, 'The body must be JSON (content-type: application/json)'));
  }
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) {
    req.resume();
    return Promise.reject(new HttpError(413, ErrorCode.INVALID_ARGUMENT, `The body is larger than ${MAX_BODY_BYTES} bytes`));
  }
  return new Promise((resolve, reject) => {
    let first: Buffer | null = null;
    let chunks: Buffer[] | null = null;
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data');
        req.resume();
        reject(new HttpError(413, ErrorCode.INVALID_ARGUMENT, `The body is larger than ${MAX_BODY_BYTES} bytes`));
        return;
      }
      // One chunk is the common case (a small body): no array, no concat.
      if (first === null) first = chunk;
      else (chunks ??= [first]).push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => {
      const bytes = chunks ? Buffer.concat(chunks, size) : (first ?? Buffer.alloc(0));
      try {
        resolve(JSON.parse(bytes.toString('utf8')));
      } catch (error) {
        reject(new HttpError(400, ErrorCode.INVALID_ARGUMENT, `The body is not JSON: ${(error as Error).message}`, [{ field: 'body', message: 'not JSON' }]));
      }
    });
  });
}

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && v - v === 0;

/** A flat row of finite numbers, or an image of nested arrays of them (rows ≤ 512 of pixels ≤ 512 of channels ≤ 3). */
function isNumericRow(row: unknown[]): boolean {
  if (row.length === 0 || !Array.isArray(row[0])) {
    if (row.length > 1_000_000) return false;
    for (let i = 0; i < row.length; i++) if (!isFiniteNumber(row[i])) return false;
    return true;
  }
  if (row.length > 512) return false;
  for (let y = 0; y < row.length; y++) {
    const line: unknown = row[y];
    if (!Array.isArray(line) || line.length > 512) return false;
    for (let x = 0; x < line.length; x++) {
      const cell: unknown = line[x];
      if (Array.isArray(cell)) {
        if (cell.length > 3) return false;
        for (let c = 0; c < cell.length; c++) if (!isFiniteNumber(cell[c])) return false;
      } else if (!isFiniteNumber(cell)) return false;
    }
  }
  return true;
}

/**
 * The hand check of a predict body whose rows are all numbers (flat rows or nested images): it accepts only what
 * predictRequestSchema accepts (no other key, 1..MAX_PREDICT_ROWS rows, finite numbers, nothing deep enough or keyed
 * for the depth and prototype checks to matter). Null for anything else, which then takes the full checks and the
 * contract, so a bad body gets the same 400 naming the field as before.
 */
function numericPredictBody(value: unknown): PredictRequest | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const body = value as Record<string, unknown>;
  for (const key in body) if (key !== 'inputs' && key !== 'probabilities') return null;
  const inputs = body.inputs;
  const probabilities = body.probabilities;
  if (!Array.isArray(inputs) || inputs.length === 0 || inputs.length > MAX_PREDICT_ROWS) return null;
  if (probabilities !== undefined && typeof probabilities !== 'boolean') return null;
  for (let r = 0; r < inputs.length; r++) {
    const row: unknown = inputs[r];
    if (!Array.isArray(row) || !isNumericRow(row)) return null;
  }
  return { inputs: inputs as PredictRequest['inputs'], probabilities: probabilities ?? true };
}

/** What JSON.parse lets through and the contracts must never see: deep nesting and prototype keys. */
function checkJson(body: unknown): void {
  const pending: { value: unknown; path: string; depth: number }[] = [{ value: body, path: 'body', depth: 1 }];
  while (pending.length) {
    const { value, path, depth } = pending.pop() as { value: unknown; path: string; depth: number };
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_JSON_DEPTH) throw badField(path, `nested deeper than ${MAX_JSON_DEPTH} levels`);
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const child = value[i];
        if (child !== null && typeof child === 'object') pending.push({ value: child, path: `${path}.${i}`, depth: depth + 1 });
      }
      continue;
    }
    for (const key of Object.keys(value as object)) {
      if (key === '__proto__' || key === 'constructor' || key === 'prototype') throw badField(`${path}.${key}`, 'is not an accepted key');
      const child = (value as Record<string, unknown>)[key];
      if (child !== null && typeof child === 'object') pending.push({ value: child, path: `${path}.${key}`, depth: depth + 1 });
    }
  }
}

/** The depth and prototype checks, then the contract: a 400 naming the first fields that do not match. */
function validated<T>(schema: ZodType<T>, value: unknown): T {
  checkJson(value);
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues.slice(0, 20).map((issue) => ({ field: ['body', ...issue.path.map(String)].join('.'), message: issue.message }));
  throw new SlipwayError(ErrorCode.INVALID_ARGUMENT, `${fields[0].field}: ${fields[0].message}`, fields);
}

function badField(field: string, message: string): SlipwayError {
  return new SlipwayError(ErrorCode.INVALID_ARGUMENT, `${field} ${message}`, [{ field, message }]);
}
