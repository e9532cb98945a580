import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ErrorCode, SlipwayError, StaleStateError, type ErrorResponse } from '@slipway/contracts';
import { toSlipwayError } from '@slipway/db';
import { allowedMethods, undecodableParamField } from './http-edge';
import { errorCodeOfStatus, httpStatusOf } from './http-error.mapping';

/**
 * Every error leaves the API in one shape, `{ error: { code, message, fields?, requestId } }`, with the
 * status from the one mapping. Anything unexpected is logged with its stack and answered as INTERNAL
 * without internals in the body.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger(AllExceptionsFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const requestId = String(request.headers['x-request-id'] ?? '');
    // A database failure that escaped a read outside the unit of work gets the same coded answer as inside it.
    const { status, body, allow } = this.describe(toSlipwayError(exception), request);
    body.error.requestId = requestId || undefined;
    if (allow && !response.headersSent) response.setHeader('allow', allow.join(', '));
    if (status >= 500) this.logger.error(`${request.method} ${request.url} → ${status}`, exception instanceof Error ? exception.stack : String(exception));
    if (!response.headersSent) response.status(status).json(body);
  }

  private describe(exception: unknown, request: Request): { status: number; body: ErrorResponse & { current?: unknown }; allow?: string[] } {
    if (exception instanceof StaleStateError) {
      const error = { code: exception.code, message: exception.message, fields: exception.fields };
      return { status: httpStatusOf(exception.code), body: { error, current: exception.current } };
    }
    if (exception instanceof SlipwayError) {
      return { status: httpStatusOf(exception.code), body: { error: { code: exception.code, message: exception.message, fields: exception.fields } } };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      // Nest wraps the router's URIError for an undecodable path parameter before any filter sees it.
      if (status === 400 && /^Failed to decode param/.test(exception.message)) return this.undecodablePath(request);
      const code = errorCodeOfStatus(status);
      const raw = exception.getResponse();
      const routeMissing = status === 404 && !(typeof raw === 'object' && raw && 'slipway' in raw);
      // No route for this method, but the path has routes: the method is what is wrong.
      const allow = routeMissing ? allowedMethods(request.app, request.path) : [];
      if (allow.length > 0) {
        return {
          status: 405,
          allow,
          body: { error: { code: ErrorCode.METHOD_NOT_ALLOWED, message: `${request.method} is not allowed on ${request.path}; allowed: ${allow.join(', ')}` } },
        };
      }
      const message = routeMissing
        ? `No route ${request.method} ${request.path}`
        : typeof raw === 'string'
          ? raw
          : String((raw as { message?: unknown }).message ?? exception.message);
      // Nest reports a body that is not JSON as a bare SyntaxError message; say what was wrong with it.
      const bodyParse = status === 400 && /JSON/.test(message) && !message.startsWith('Malformed');
      return { status, body: { error: { code, message: bodyParse ? `Malformed JSON in request body: ${message}` : message } } };
    }
    // The router could not percent-decode a path parameter (`%E0%A4%A`): the client's path is wrong, not the server.
    if (exception instanceof URIError) return this.undecodablePath(request);
    // Body parser errors (malformed JSON, too large) arrive as plain errors carrying a status.
    const statusOf = (exception as { status?: number; statusCode?: number })?.status ?? (exception as { statusCode?: number })?.statusCode;
    if (typeof statusOf === 'number' && statusOf >= 400 && statusOf < 500) {
      const type = (exception as { type?: string }).type;
      const message =
        type === 'entity.parse.failed'
          ? 'Malformed JSON in request body'
          : type === 'entity.too.large'
            ? 'Request body too large'
            : (exception as Error).message;
      return { status: statusOf, body: { error: { code: errorCodeOfStatus(statusOf), message } } };
    }
    return { status: 500, body: { error: { code: ErrorCode.INTERNAL, message: 'Internal error' } } };
  }

  private undecodablePath(request: Request): { status: number; body: ErrorResponse } {
    const field = undecodableParamField(request.app, request.path);
    return {
      status: 400,
      body: {
        error: {
          code: ErrorCode.INVALID_ARGUMENT,
          message: `Malformed percent-encoding in the request path (${field}); encode the value as UTF-8`,
          fields: [{ field, message: 'malformed percent-encoding' }],
        },
      },
    };
  }
}
