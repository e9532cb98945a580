import { errorResponseSchema, type ErrorCode, type FieldError } from '@slipway/contracts';
import { z } from 'zod';

/**
 * Why the console could not show something from the API. It crosses from the console's server to the
 * browser, so it is plain data: the API's error code and message, plus the URL the server tried.
 */
export interface ApiFailure {
  code: ErrorCode;
  message: string;
  /** The API URL the console's server requested. */
  url: string;
  /** HTTP status the API answered with; absent when it could not be reached at all. */
  status?: number;
  fields?: FieldError[];
}

export type ApiResult<T> = { ok: true; data: T } | { ok: false; error: ApiFailure };

/** The body of a console route handler's error response: the API's error shape plus where it was asked. */
export const consoleErrorResponseSchema = z.object({
  error: errorResponseSchema.shape.error.extend({
    url: z.string(),
    status: z.number().int().optional(),
  }),
});
