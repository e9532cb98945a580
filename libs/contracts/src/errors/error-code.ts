import { z } from 'zod';

/**
 * Every error the API returns carries one of these codes. They are shared with the console and the CLI,
 * which branch on the code, never on the message. The HTTP status of each lives in one place, the API's
 * error mapping (apps/api/src/common/http-error.mapping.ts), which must stay exhaustive.
 */
export enum ErrorCode {
  INVALID_ARGUMENT = 'INVALID_ARGUMENT',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  PERMISSION_DENIED = 'PERMISSION_DENIED',
  NOT_FOUND = 'NOT_FOUND',
  ALREADY_EXISTS = 'ALREADY_EXISTS',
  CONFLICT = 'CONFLICT',
  FAILED_PRECONDITION = 'FAILED_PRECONDITION',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  /** The route exists but not with this method (405, with `Allow`). */
  METHOD_NOT_ALLOWED = 'METHOD_NOT_ALLOWED',
  /** The body's content type is not the one the route reads (415). */
  UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE',
  /** Too many requests (e.g. failed authentications) from one client; retry after `Retry-After` (429). */
  RESOURCE_EXHAUSTED = 'RESOURCE_EXHAUSTED',
  /** A dependency (database, object store) is unreachable; the message names it (503). */
  UNAVAILABLE = 'UNAVAILABLE',
  /** The object store has no room for the bytes (507). */
  INSUFFICIENT_STORAGE = 'INSUFFICIENT_STORAGE',
  INTERNAL = 'INTERNAL',
}

export const fieldErrorSchema = z.object({
  /** Dotted path of the offending field, e.g. `body.metrics.3.value` or `query.limit`. */
  field: z.string(),
  message: z.string(),
});

export const errorResponseSchema = z.object({
  error: z.object({
    code: z.nativeEnum(ErrorCode),
    message: z.string(),
    fields: z.array(fieldErrorSchema).optional(),
    requestId: z.string().optional(),
  }),
});

export type FieldError = z.infer<typeof fieldErrorSchema>;
export type ErrorResponse = z.infer<typeof errorResponseSchema>;

/** A failure with a code, thrown by services and stores; the API maps it to HTTP once. */
export class SlipwayError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: FieldError[],
  ) {
    super(message);
    this.name = 'SlipwayError';
  }
}

/**
 * A CONFLICT that carries the target's current state (a stale `baseRevision`): the API answers it as
 * `{ error, current }`, so the caller can decide again without another read.
 */
export class StaleStateError extends SlipwayError {
  constructor(
    message: string,
    readonly current: unknown,
    fields?: FieldError[],
  ) {
    super(ErrorCode.CONFLICT, message, fields);
    this.name = 'StaleStateError';
  }
}
