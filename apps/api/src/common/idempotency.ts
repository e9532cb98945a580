import { createHash } from 'node:crypto';
import {
  applyDecorators,
  Inject,
  Injectable,
  Logger,
  SetMetadata,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { ApiHeader } from '@nestjs/swagger';
import type { Response } from 'express';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { ErrorCode, SlipwayError, type ErrorResponse } from '@slipway/contracts';
import { toSlipwayError, UnitOfWork, type IdempotencyClaim, type IdempotencyRecord, type IdempotencyScope } from '@slipway/db';
import type { PlatformConfig } from '@slipway/config';
import type { AuthenticatedRequest } from '../auth/auth.decorators';
import { PLATFORM_CONFIG } from '../infrastructure/tokens';
import { httpStatusOf } from './http-error.mapping';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';
const FIELD = 'headers.idempotency-key';
/** 1..255 visible ASCII characters: a UUID, a ULID, a hash, whatever the client generates. */
const KEY_SYNTAX = /^[\x21-\x7e]{1,255}$/;
/**
 * A key still in flight with nothing committed after this long belongs to a request that died (API killed,
 * connection lost before the work started): the key may be taken again. Longer than any create takes,
 * copies of large run artifacts included.
 */
const IN_FLIGHT_LEASE_MS = 15 * 60_000;

/**
 * A create route that honours `Idempotency-Key` (IETF httpapi idempotency-key draft, as Stripe does): the
 * first request with a key runs; a retry with the same key and the same request gets the first answer
 * (status and body, `Idempotent-Replayed: true`), never a second resource. Put it on every route that
 * creates something a client may retry after a timeout.
 */
export interface IdempotentOptions {
  /**
   * The answer holds a secret shown once (a new API token): it is not kept, and a retry with the key is told
   * the first request created it (409) instead of creating a second one.
   */
  withholdResponse?: boolean;
}

const IDEMPOTENT = 'slipway:idempotent';
/** Where nestjs-zod's @ZodResponse keeps the route's response DTO (not exported by the package). */
const ZOD_RESPONSE_DTO = 'ZOD_SERIALIZER_DTO_OPTIONS';

type ResponseSchema = { safeParse(value: unknown): { success: true; data: unknown } | { success: false } };

function responseSchemaOf(handler: object): ResponseSchema | undefined {
  const dto = Reflect.getMetadata(ZOD_RESPONSE_DTO, handler) as { schema?: ResponseSchema } | ResponseSchema | undefined;
  if (!dto || Array.isArray(dto)) return undefined;
  return 'schema' in dto && dto.schema ? dto.schema : (dto as ResponseSchema);
}

export function Idempotent(options: IdempotentOptions = {}) {
  return applyDecorators(
    SetMetadata(IDEMPOTENT, options),
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: IDEMPOTENCY_KEY_HEADER,
      required: false,
      description:
        'Optional, 1-255 visible ASCII characters. A retry with the same key and request is answered with the first response (header Idempotent-Replayed: true) instead of creating again; the same key with another request is refused (422), and while the first is still running (409).',
    }),
  );
}

/** Objects with their keys sorted: `{"a":1,"b":2}` and `{"b":2,"a":1}` are the same request. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export function requestFingerprint(method: string, url: string, body: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify([method, url, canonical(body ?? null)]))
    .digest('hex');
}

/** The error body a stored failure is answered with, in the filter's shape (requestId is the retry's own). */
function errorAnswer(error: unknown): { status: number; body: ErrorResponse } {
  const coded = toSlipwayError(error);
  if (coded instanceof SlipwayError)
    return { status: httpStatusOf(coded.code), body: { error: { code: coded.code, message: coded.message, fields: coded.fields } } };
  return { status: 500, body: { error: { code: ErrorCode.INTERNAL, message: 'Internal error' } } };
}

@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger(IdempotencyInterceptor.name);

  constructor(
    private readonly db: UnitOfWork,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const raw = request.headers['idempotency-key'];
    if (raw === undefined) return next.handle();
    // Node joins a repeated header with ", ": the space makes it fail the syntax, as two keys should.
    const key = Array.isArray(raw) ? raw.join(', ') : raw;
    if (!KEY_SYNTAX.test(key)) {
      throw new SlipwayError(ErrorCode.INVALID_ARGUMENT, 'Idempotency-Key must be 1 to 255 visible ASCII characters', [
        { field: FIELD, message: 'not 1-255 visible ASCII characters' },
      ]);
    }
    const response = context.switchToHttp().getResponse<Response>();
    const status = (Reflect.getMetadata(HTTP_CODE_METADATA, context.getHandler()) as number | undefined) ?? (request.method === 'POST' ? 201 : 200);
    const scope: IdempotencyScope = {
      principal: request.actor?.tokenId ?? 'anonymous',
      method: request.method,
      route: String((request.route as { path?: unknown } | undefined)?.path ?? request.path),
      key,
    };
    const fingerprint = requestFingerprint(request.method, request.originalUrl, request.body);
    const options = (Reflect.getMetadata(IDEMPOTENT, context.getHandler()) as IdempotentOptions | undefined) ?? {};
    const schema = responseSchemaOf(context.getHandler());
    // The answer exactly as the serializer will send it; null for anything that is not the route's answer.
    const render = (value: unknown): string | null => {
      const checked = schema?.safeParse(value);
      if (!checked?.success) return null;
      return options.withholdResponse ? 'null' : JSON.stringify(checked.data);
    };
    return from(this.handle(scope, fingerprint, status, options, schema ? render : null, request, response, next));
  }

  private async handle(
    scope: IdempotencyScope,
    fingerprint: string,
    status: number,
    options: IdempotentOptions,
    render: ((value: unknown) => string | null) | null,
    request: AuthenticatedRequest,
    response: Response,
    next: CallHandler,
  ): Promise<unknown> {
    const now = Date.now();
    const claimed = await this.db.read.idempotency.claim(
      scope,
      fingerprint,
      new Date(now + this.config.idempotencyTtlHours * 3_600_000),
      new Date(now - IN_FLIGHT_LEASE_MS),
    );
    if (!claimed.claimed) return this.answerFrom(claimed.record, fingerprint, options, response);

    const claim: IdempotencyClaim = { id: claimed.record.id, status, render: render ?? undefined };
    // The services hand the actor to the unit of work as its change context: with the claim on it, every
    // transaction of this request marks the key committed, and Transaction.respond stores the answer.
    if (request.actor) request.actor = { ...request.actor, idempotency: claim } as typeof request.actor;
    let body: unknown;
    try {
      body = await lastValueFrom(next.handle(), { defaultValue: undefined });
    } catch (error) {
      await this.settleFailure(claim, error);
      throw error;
    }
    const answer = render ? render(body) : options.withholdResponse ? 'null' : JSON.stringify(body ?? null);
    if (answer === null) {
      // Not what the route answers: the serializer refuses it with a 500, so the key must not keep it.
      await this.settleFailure(claim, new SlipwayError(ErrorCode.INTERNAL, 'The response could not be rendered'));
      return body;
    }
    if (claim.storedBody !== answer) {
      // Normally the transaction that produced the answer stored it (Transaction.respond, or the unit of
      // work rendering what its work returned). Not so for a route whose last transaction returned something
      // else, or none: stored now. A crash in between leaves the key committed without an answer, which a
      // retry is told (409) rather than creating again.
      await this.db.read.idempotency.storeResponse(claim.id, status, answer).catch((error: Error) => {
        this.logger.warn(`could not store the response for Idempotency-Key ${scope.key}: ${error.message}`);
      });
    }
    return body;
  }

  /**
   * Nothing committed, or a 5xx (an outage the retry may not meet): the key is given up, so a retry runs
   * afresh. A 4xx after something committed (a copied artifact that proved corrupt): that is the first answer.
   */
  private async settleFailure(claim: IdempotencyClaim, error: unknown): Promise<void> {
    try {
      const answer = errorAnswer(error);
      if (await this.db.read.idempotency.release(claim.id, answer.status >= 500)) return;
      await this.db.read.idempotency.storeResponse(claim.id, answer.status, JSON.stringify(answer.body));
    } catch (bookkeeping) {
      this.logger.warn(`could not settle Idempotency-Key ${claim.id} after a failure: ${(bookkeeping as Error).message}`);
    }
  }

  private answerFrom(record: IdempotencyRecord, fingerprint: string, options: IdempotentOptions, response: Response): unknown {
    if (record.fingerprint !== fingerprint) {
      throw new SlipwayError(
        ErrorCode.FAILED_PRECONDITION,
        'This Idempotency-Key was already used with a different request (method, path, query or body); use a new key for a new request',
        [{ field: FIELD, message: 'reused with a different request' }],
      );
    }
    if (!record.response) {
      throw new SlipwayError(
        ErrorCode.CONFLICT,
        record.committedAt
          ? 'The first request with this Idempotency-Key is still finishing (or its answer was lost); look the result up instead of creating again'
          : 'A request with this Idempotency-Key is still in progress; retry once it has finished',
        [{ field: FIELD, message: 'in flight' }],
      );
    }
    if (options.withholdResponse && record.response.status < 400) {
      throw new SlipwayError(
        ErrorCode.CONFLICT,
        'The first request with this Idempotency-Key succeeded; its answer held a secret that is shown once and not kept, so it cannot be sent again',
        [{ field: FIELD, message: 'already used; answer not kept' }],
      );
    }
    response.setHeader(IDEMPOTENT_REPLAYED_HEADER, 'true');
    const body: unknown = JSON.parse(record.response.body);
    if (record.response.status >= 400) {
      const { error } = body as ErrorResponse;
      throw new SlipwayError(error.code, error.message, error.fields);
    }
    response.status(record.response.status);
    return body;
  }
}
