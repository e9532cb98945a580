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
  UNAVAILABLE = 'UNAVAILABLE',
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
