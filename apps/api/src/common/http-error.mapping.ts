import { HttpStatus } from '@nestjs/common';
import { ErrorCode } from '@slipway/contracts';

/** The one place an error code becomes an HTTP status. A new code without a case fails to compile. */
export function httpStatusOf(code: ErrorCode): HttpStatus {
  switch (code) {
    case ErrorCode.INVALID_ARGUMENT:
      return HttpStatus.BAD_REQUEST;
    case ErrorCode.UNAUTHENTICATED:
      return HttpStatus.UNAUTHORIZED;
    case ErrorCode.PERMISSION_DENIED:
      return HttpStatus.FORBIDDEN;
    case ErrorCode.NOT_FOUND:
      return HttpStatus.NOT_FOUND;
    case ErrorCode.ALREADY_EXISTS:
    case ErrorCode.CONFLICT:
      return HttpStatus.CONFLICT;
    case ErrorCode.FAILED_PRECONDITION:
      return HttpStatus.UNPROCESSABLE_ENTITY;
    case ErrorCode.PAYLOAD_TOO_LARGE:
      return HttpStatus.PAYLOAD_TOO_LARGE;
    case ErrorCode.METHOD_NOT_ALLOWED:
      return HttpStatus.METHOD_NOT_ALLOWED;
    case ErrorCode.UNSUPPORTED_MEDIA_TYPE:
      return HttpStatus.UNSUPPORTED_MEDIA_TYPE;
    case ErrorCode.RESOURCE_EXHAUSTED:
      return HttpStatus.TOO_MANY_REQUESTS;
    case ErrorCode.UNAVAILABLE:
      return HttpStatus.SERVICE_UNAVAILABLE;
    case ErrorCode.INSUFFICIENT_STORAGE:
      return HttpStatus.INSUFFICIENT_STORAGE;
    case ErrorCode.INTERNAL:
      return HttpStatus.INTERNAL_SERVER_ERROR;
    default: {
      const unmapped: never = code;
      throw new Error(`unmapped error code ${String(unmapped)}`);
    }
  }
}

/** For HTTP errors raised by the framework itself (unknown route, body parser, …). */
export function errorCodeOfStatus(status: number): ErrorCode {
  if (status === 401) return ErrorCode.UNAUTHENTICATED;
  if (status === 403) return ErrorCode.PERMISSION_DENIED;
  if (status === 404) return ErrorCode.NOT_FOUND;
  if (status === 409) return ErrorCode.CONFLICT;
  if (status === 405) return ErrorCode.METHOD_NOT_ALLOWED;
  if (status === 413) return ErrorCode.PAYLOAD_TOO_LARGE;
  if (status === 415) return ErrorCode.UNSUPPORTED_MEDIA_TYPE;
  if (status === 429) return ErrorCode.RESOURCE_EXHAUSTED;
  if (status === 422) return ErrorCode.FAILED_PRECONDITION;
  if (status === 503) return ErrorCode.UNAVAILABLE;
  if (status === 507) return ErrorCode.INSUFFICIENT_STORAGE;
  if (status >= 400 && status < 500) return ErrorCode.INVALID_ARGUMENT;
  return ErrorCode.INTERNAL;
}
