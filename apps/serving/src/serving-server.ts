import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  ErrorCode,
  feedbackRequestSchema,
  predictRequestSchema,
  SERVING_HEADERS,
  SlipwayError,
  v2InferRequestSchema,
  type FieldError,
  type PredictResponse,
  type V2InferRequest,
} from '@slipway/contracts';
import type { UnitOfWork } from '@slipway/db';
import type { Logger } from 'pino';
import type { ZodType } from 'zod';
import type { DeploymentRoutes } from './deployment-routes';
import type { LoadedVersion, VersionAnswer } from './loaded-version';
import { chooseRole, takesShadow, type DeploymentRoute, type ServingRole } from './routing-table';
import type { TrafficMetrics } from './traffic-metrics';
import { v2InputsToRows, v2Outputs } from './v2-tensors';

/** Largest request body read (bytes): 10,000 rows of a few hundred features fit; more is a 413 before parsing. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;
const MAX_JSON_DEPTH = 64;
/** Request ids remembered for feedback (oldest forgotten first). */
const FEEDBACK_MEMORY = 100_000;
const REQUEST_ID = /^[\x21-\x7e]{1,128}$/;

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

/**
 * The serving replica's HTTP edge, on node:http with a hand-written router rather than the API's NestJS/express
 * stack: a prediction is a few microseconds of model time, so per-request framework work (middleware chain,
 * interceptors, DI-resolved pipes, express's req/res decoration) would be most of the cost, and the benchmark
 * target (≥ 2× a FastAPI+uvicorn scorer's requests/s at a lower p99) leaves no room for it. What the API's edge
 * guarantees is kept: bounded bodies, JSON only, depth and `__proto__` checks, the safe primitives of the
 * contracts (no NUL, no lone surrogate), 400s naming `body.…` fields, never a 500 for bad input.
 */
export class ServingServer {
  readonly server: Server;
  /** request id → who answered it, for feedback. */
  private readonly answered = new Map<string, { deploymentId: string; versionId: string }>();

  constructor(private readonly options: ServingServerOptions) {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 65_000;
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
    const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader(SERVING_HEADERS.requestId, requestId);
    const url = req.url ?? '/';
    const path = url.split('?', 1)[0];
    const v2 = path.startsWith('/v2/');
    try {
      const parts = path.split('/');
      const method = req.method ?? 'GET';
      if (parts[1] === 'v1' && parts[2] === 'deployments' && parts.length === 5) {
        const name = decodeSegment(parts[3]);
        if (parts[4] === 'predict') return this.allow(method, 'POST') && (await this.predict(req, res, name, requestId));
        if (parts[4] === 'feedback') return this.allow(method, 'POST') && (await this.feedback(req, res, name, requestId));
      }
      if (path === '/metrics') return this.allow(method, 'GET') && (await this.prometheus(res));
      if (path === '/healthz') return this.allow(method, 'GET') && send(res, 200, { status: 'OK' });
      if (path === '/v2/health/live') return this.allow(method, 'GET') && send(res, 200, { live: true });
      if (path === '/v2/health/ready')
        return this.allow(method, 'GET') && send(res, this.options.routes.ready ? 200 : 503, { ready: this.options.routes.ready });
      if (path === '/v2') return this.allow(method, 'GET') && send(res, 200, { name: 'slipway-serving', version: '2', extensions: [] });
      if (parts[1] === 'v2' && parts[2] === 'models' && parts.length >= 4) {
        const name = decodeSegment(parts[3]);
        if (parts.length === 4) return this.allow(method, 'GET') && send(res, 200, this.v2Metadata(this.route(name)));
        if (parts.length === 5 && parts[4] === 'ready') {
          this.allow(method, 'GET');
          return send(res, 200, { name, ready: this.options.routes.table.has(name) });
        }
        if (parts.length === 5 && parts[4] === 'infer') return this.allow(method, 'POST') && (await this.infer(req, res, name, requestId));
      }
      throw new HttpError(404, ErrorCode.NOT_FOUND, `No route ${req.method} ${path}`);
    } catch (error) {
      this.fail(res, error, requestId, v2);
    }
  }

  private async prometheus(res: ServerResponse): Promise<void> {
    const registry = this.options.metrics.registry;
    const text = await registry.metrics();
    res.writeHead(200, { 'content-type': registry.contentType, 'content-length': Buffer.byteLength(text) });
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

  private async predict(req: IncomingMessage, res: ServerResponse, name: string, requestId: string): Promise<void> {
    const body = parseWith(predictRequestSchema, await readJson(req));
    // The table is read once: a revision swapped in meanwhile does not change who answers this request.
    const route = this.route(name);
    const role = chooseRole(route, req.headers, body.inputs);
    const version = role === 'canary' && route.canary ? route.canary.version : route.stable;
    const answer = this.answer(route, version, role, body.inputs, body.probabilities, requestId, 'body.inputs');
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
    this.versionHeaders(res, route, version);
    send(res, 200, response);
    this.shadow(route, body.inputs, requestId);
  }

  private async infer(req: IncomingMessage, res: ServerResponse, name: string, requestId: string): Promise<void> {
    const body: V2InferRequest = parseWith(v2InferRequestSchema, await readJson(req));
    const route = this.route(name);
    const rows = v2InputsToRows(body, route.stable.columns);
    const role = chooseRole(route, req.headers, rows);
    const version = role === 'canary' && route.canary ? route.canary.version : route.stable;
    const wantsProbabilities = !body.outputs || body.outputs.some((o) => o.name === 'probabilities');
    const answer = this.answer(route, version, role, rows, wantsProbabilities, requestId, 'body.inputs');
    this.versionHeaders(res, route, version);
    send(res, 200, {
      model_name: route.name,
      model_version: String(version.version),
      id: body.id ?? requestId,
      parameters: { role, revision: route.revision, model: version.modelName },
      outputs: v2Outputs(
        answer,
        version,
        body.outputs?.map((o) => o.name),
      ),
    });
    this.shadow(route, rows, requestId);
  }

  private async feedback(req: IncomingMessage, res: ServerResponse, name: string, requestId: string): Promise<void> {
    const body = parseWith(feedbackRequestSchema, await readJson(req));
    const route = this.route(name);
    const answered = this.answered.get(body.requestId);
    if (!answered || answered.deploymentId !== route.deploymentId)
      throw new HttpError(404, ErrorCode.NOT_FOUND, `This replica answered no recent request ${body.requestId} of "${name}"`, [
        { field: 'body.requestId', message: 'unknown or forgotten request id' },
      ]);
    await this.options.uow.read.deploymentMetrics.addFeedback({
      deploymentId: answered.deploymentId,
      versionId: answered.versionId,
      requestId: body.requestId,
      metric: body.metric,
      value: body.value,
    });
    send(res, 202, { accepted: true, requestId });
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
  ): VersionAnswer {
    const started = performance.now();
    let failed = false;
    let answer: VersionAnswer | undefined;
    try {
      answer = version.predict(rows, probabilities, field);
      return answer;
    } catch (error) {
      failed = !(error instanceof SlipwayError && error.code === ErrorCode.INVALID_ARGUMENT);
      throw error;
    } finally {
      const ms = performance.now() - started;
      const answered = answer;
      this.options.metrics.record(
        route.deploymentId,
        version.id,
        role,
        ms,
        failed,
        { deployment: route.name, version: version.version },
        answered && ((bins) => version.tally(answered, bins)),
      );
      if (role !== 'shadow') this.remember(requestId, route.deploymentId, version.id);
      this.options.logger.info(
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

  private remember(requestId: string, deploymentId: string, versionId: string): void {
    this.answered.delete(requestId);
    this.answered.set(requestId, { deploymentId, versionId });
    if (this.answered.size > FEEDBACK_MEMORY) this.answered.delete(this.answered.keys().next().value as string);
  }

  private versionHeaders(res: ServerResponse, route: DeploymentRoute, version: LoadedVersion): void {
    res.setHeader(SERVING_HEADERS.version, String(version.version));
    res.setHeader(SERVING_HEADERS.revision, String(route.revision));
  }

  private v2Metadata(route: DeploymentRoute) {
    const v = route.stable;
    const columns = v.preprocessing.inputs;
    return {
      name: route.name,
      versions: [String(v.version)],
      platform: `slipway_${v.model.algorithm}`,
      inputs: columns.map((c) => ({
        name: c.column,
        datatype: c.encoding === 'one-hot' ? 'BYTES' : c.encoding === 'boolean' ? 'BOOL' : c.encoding === 'datetime' ? 'INT64' : 'FP64',
        shape: [-1],
      })),
      outputs: [
        { name: 'predict', datatype: v.model.task === 'regression' ? 'FP64' : 'BYTES', shape: [-1] },
        ...(v.model.predictProba ? [{ name: 'probabilities', datatype: 'FP64', shape: [-1, v.model.classLabels?.length ?? -1] }] : []),
      ],
    };
  }

  private fail(res: ServerResponse, error: unknown, requestId: string, v2: boolean): void {
    let status = 500;
    let code = ErrorCode.INTERNAL;
    let message = 'The serving replica failed to answer';
    let fields: FieldError[] | undefined;
    if (error instanceof HttpError)
      ({ status, code, message, fields } = { status: error.status, code: error.code, message: error.message, fields: error.fields });
    else if (error instanceof SlipwayError) {
      status = STATUS_OF[error.code] ?? 500;
      ({ code, message, fields } = error);
    } else this.options.logger.error({ err: error, requestId }, 'predict failed');
    if (res.headersSent) return void res.destroy();
    // KServe clients read `error` as a string; Slipway's own routes answer the platform's error shape.
    send(res, status, v2 ? { error: message, code, fields, requestId } : { error: { code, message, fields, requestId } });
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function decodeSegment(segment: string): string {
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
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data');
        req.resume();
        reject(new HttpError(413, ErrorCode.INVALID_ARGUMENT, `The body is larger than ${MAX_BODY_BYTES} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.concat(chunks, size).toString('utf8'));
      } catch (error) {
        return reject(
          new HttpError(400, ErrorCode.INVALID_ARGUMENT, `The body is not JSON: ${(error as Error).message}`, [{ field: 'body', message: 'not JSON' }]),
        );
      }
      try {
        checkJson(parsed);
      } catch (error) {
        return reject(error);
      }
      resolve(parsed);
    });
  });
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

function parseWith<T>(schema: ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues.slice(0, 20).map((issue) => ({ field: ['body', ...issue.path.map(String)].join('.'), message: issue.message }));
  throw new SlipwayError(ErrorCode.INVALID_ARGUMENT, `${fields[0].field}: ${fields[0].message}`, fields);
}

function badField(field: string, message: string): SlipwayError {
  return new SlipwayError(ErrorCode.INVALID_ARGUMENT, `${field} ${message}`, [{ field, message }]);
}
