/**
 * What the API checks at the HTTP edge, before any route's code runs: which methods a path has, which media
 * type a body must be, what a JSON body may contain, and the headers every answer carries.
 */
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Application, NextFunction, Request, Response } from 'express';
import type { Observable } from 'rxjs';
import { ErrorCode, SlipwayError } from '@slipway/contracts';

/** JSON and its structured-syntax variants (`application/merge-patch+json`), with any parameters. */
export function isJsonMediaType(contentType: string | undefined): boolean {
  return /^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(String(contentType ?? '').trim());
}

/** Whether the request carries a body at all (RFC 9112 §6.3: a Content-Length above 0, or a Transfer-Encoding). */
export function hasBody(request: Request): boolean {
  if (request.headers['transfer-encoding'] !== undefined) return true;
  const length = request.headers['content-length'];
  return length !== undefined && length !== '0';
}

// ───────────────────────────── Methods: 405 with Allow ─────────────────────────────

interface RouteLayer {
  route?: { path?: unknown; methods: Record<string, boolean> };
  match(path: string): unknown;
}

function routeLayers(app: Application): RouteLayer[] {
  let routes = routeTables.get(app);
  if (!routes) {
    const stack = ((app as unknown as { router?: { stack: RouteLayer[] } }).router?.stack ?? []) as RouteLayer[];
    routes = stack.filter((layer) => layer.route !== undefined);
    routeTables.set(app, routes);
  }
  return routes;
}

function decodes(segment: string): boolean {
  try {
    decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
}

/**
 * The request field of the path parameter that does not percent-decode (`params.id`), found by laying the
 * raw path over each route's template segment by segment; `params` when no template lines up.
 */
export function undecodableParamField(app: Application, path: string): string {
  const segments = path.split('/');
  for (const layer of routeLayers(app)) {
    const template = typeof layer.route?.path === 'string' ? layer.route.path.split('/') : null;
    if (!template) continue;
    const wildcard = template.findIndex((part) => part.startsWith('*'));
    if (wildcard === -1 ? template.length !== segments.length : segments.length < template.length) continue;
    let field: string | null = null;
    const aligned = template.every((part, index) => {
      const raw = part.startsWith('*') ? segments.slice(index).join('/') : segments[index];
      if (part.startsWith(':') || part.startsWith('*')) {
        if (field === null && !decodes(raw)) field = `params.${part.slice(1)}`;
        return true;
      }
      return part === raw;
    });
    if (aligned && field !== null) return field;
  }
  return 'params';
}

const routeTables = new WeakMap<object, RouteLayer[]>();

/**
 * The methods the app's routes answer for `path` (empty when no route has the path: a 404). Read from the
 * Express router the first time it is asked, after Nest has registered every controller, so a new route is
 * covered without anyone listing it here.
 */
export function allowedMethods(app: Application, path: string): string[] {
  const routes = routeLayers(app);
  const methods = new Set<string>();
  for (const layer of routes) {
    let matched: unknown;
    try {
      matched = layer.match(path);
    } catch {
      // A path whose parameters do not percent-decode matches nothing here; the router answers it with a 400.
      matched = false;
    }
    if (!matched) continue;
    for (const [method, on] of Object.entries(layer.route?.methods ?? {})) if (on && method !== '_all') methods.add(method.toUpperCase());
  }
  if (methods.size === 0) return [];
  // Express answers HEAD with the GET route, and the CORS layer answers OPTIONS on every path.
  if (methods.has('GET')) methods.add('HEAD');
  methods.add('OPTIONS');
  const order = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
  return [...methods].sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99) || a.localeCompare(b));
}

// ───────────────────────────── Requests Node refuses itself ─────────────────────────────

/**
 * Node's HTTP parser refuses some requests before Express sees them (a request line and headers over its
 * 16 KiB limit, bytes that are not HTTP) and by default answers with an empty body. These get the API's error
 * shape too, so a client reads a coded answer whatever it sent. Sockets already gone are just closed.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const status = tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request';
    const body = JSON.stringify({
      error: tooLarge
        ? {
            code: ErrorCode.PAYLOAD_TOO_LARGE,
            message: 'The request line and headers are larger than 16 KiB; send long inputs in a JSON body',
            fields: [{ field: 'headers', message: 'request line and headers over 16 KiB' }],
            requestId: randomUUID(),
          }
        : { code: ErrorCode.INVALID_ARGUMENT, message: 'Malformed HTTP request', requestId: randomUUID() },
    });
    socket.end(
      `HTTP/1.1 ${status}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}

// ───────────────────────────── Media type: 415 ─────────────────────────────

/**
 * Routes that take `@Body()` parse it as JSON: another media type is refused rather than read as an empty
 * body (which let a form-encoded POST /runs create a run with defaults). Which routes read a body is the
 * controllers' own parameter metadata, so nothing here lists them. Uploads read the raw stream and take any
 * type; a POST without a body is left to the route's schema.
 */
@Injectable()
export class JsonBodyInterceptor implements NestInterceptor {
  private readonly readsBody = new WeakMap<object, boolean>();

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const request = context.switchToHttp().getRequest<Request>();
      if (hasBody(request) && !isJsonMediaType(request.headers['content-type']) && this.handlerReadsBody(context)) {
        const given = request.headers['content-type'] ? `Content-Type ${String(request.headers['content-type']).slice(0, 100)}` : 'no Content-Type';
        throw new SlipwayError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, `This route takes a JSON body: send Content-Type application/json (got ${given})`, [
          { field: 'headers.content-type', message: 'expected application/json' },
        ]);
      }
    }
    return next.handle();
  }

  private handlerReadsBody(context: ExecutionContext): boolean {
    const handler = context.getHandler();
    let known = this.readsBody.get(handler);
    if (known === undefined) {
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), handler.name) ?? {}) as Record<string, unknown>;
      known = Object.keys(args).some((key) => Number(key.split(':')[0]) === RouteParamtypes.BODY);
      this.readsBody.set(handler, known);
    }
    return known;
  }
}

// ───────────────────────────── JSON content: ranges, depth, prototype keys ─────────────────────────────

export const MAX_JSON_DEPTH = 64;

function invalidBody(field: string, message: string): SlipwayError {
  return new SlipwayError(ErrorCode.INVALID_ARGUMENT, `Invalid body: ${field}: ${message}`, [{ field, message }]);
}

/**
 * JSON.parse reads `1e400` as Infinity, which no schema can tell from a value the client meant, and which
 * Postgres then refuses or stores as something else; it nests as deep as the input goes, and it makes
 * `"__proto__"` an own key that a later `target[key] = value` copy turns into a prototype. All three are
 * refused here, naming the field, before any schema sees the body. The walk is iterative, so a deep body
 * cannot overflow the stack either.
 */
export function checkJsonBody(body: unknown): void {
  if (body === null || typeof body !== 'object') {
    if (typeof body === 'number' && !Number.isFinite(body)) throw invalidBody('body', 'number out of range');
    return;
  }
  const pending: { value: unknown; path: string; depth: number }[] = [{ value: body, path: 'body', depth: 1 }];
  while (pending.length > 0) {
    const { value, path, depth } = pending.pop() as { value: unknown; path: string; depth: number };
    if (depth > MAX_JSON_DEPTH) throw invalidBody(path, `nested deeper than ${MAX_JSON_DEPTH} levels`);
    const entries: [string, unknown][] = Array.isArray(value) ? value.map((item, index) => [String(index), item]) : Object.entries(value as object);
    for (const [key, child] of entries) {
      const childPath = `${path}.${key}`;
      if (key === '__proto__') throw invalidBody(childPath, 'reserved key');
      if (typeof child === 'number' && !Number.isFinite(child)) throw invalidBody(childPath, 'number out of range (beyond ±1.7976931348623157e308)');
      if (child !== null && typeof child === 'object') pending.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
}

/** Runs checkJsonBody on what the JSON parser produced (nothing to do when the request had no JSON body). */
export function jsonBodyChecks(request: Request, _response: Response, next: NextFunction): void {
  try {
    if (request.body !== undefined && isJsonMediaType(request.headers['content-type'])) checkJsonBody(request.body);
    next();
  } catch (error) {
    next(error);
  }
}

// ───────────────────────────── Response headers ─────────────────────────────

/**
 * Headers on every answer, errors included. The API serves JSON and files, never pages of its own (the
 * Swagger UI at /docs excepted): nothing it sends may be sniffed into HTML, framed, or embedded by another
 * site, and a browser following a link out of it sends no referrer.
 */
export function securityHeaders(request: Request, response: Response, next: NextFunction): void {
  response.setHeader('x-content-type-options', 'nosniff');
  response.setHeader('referrer-policy', 'no-referrer');
  response.setHeader('x-frame-options', 'DENY');
  response.setHeader('cross-origin-resource-policy', 'same-site');
  // The Swagger UI runs scripts and styles of its own; everything else is data and needs no permission at all.
  if (!/^\/docs(\/|-json|$)/.test(request.path)) response.setHeader('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
  next();
}

/** CORS for the configured browser origins only; any other Origin gets no CORS headers, so its browser keeps the answer from it. */
export function corsOriginCheck(allowed: readonly string[]): (origin: string | undefined, callback: (error: Error | null, allow?: boolean) => void) => void {
  const any = allowed.includes('*');
  const origins = new Set(allowed.map((origin) => origin.toLowerCase()));
  return (origin, callback) => callback(null, origin !== undefined && (any || origins.has(origin.toLowerCase())));
}
