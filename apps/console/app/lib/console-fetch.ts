import { ErrorCode } from '@slipway/contracts';
import type { z } from 'zod';
import { consoleErrorResponseSchema, type ApiFailure } from './api-result';

/** A console route handler (`/api/...`) answered with a failure, or could not be reached. */
export class ConsoleFetchError extends Error {
  constructor(readonly failure: ApiFailure) {
    super(failure.message);
    this.name = 'ConsoleFetchError';
  }
}

/**
 * Browser-side call of one of the console's own route handlers, which call the API on the server: a GET,
 * or a POST when `body` is given. Resolves with the contract-checked body or throws ConsoleFetchError.
 */
export async function fetchFromConsole<S extends z.ZodType>(
  path: string,
  schema: S,
  options: { signal?: AbortSignal; body?: unknown } = {},
): Promise<z.output<S>> {
  const { signal, body: requestBody } = options;
  let response: Response;
  try {
    response = await fetch(path, {
      method: requestBody === undefined ? 'GET' : 'POST',
      headers: requestBody === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: requestBody === undefined ? undefined : JSON.stringify(requestBody),
      cache: 'no-store',
      signal,
    });
  } catch (error) {
    throw new ConsoleFetchError({
      url: path,
      code: ErrorCode.UNAVAILABLE,
      message: `Cannot reach the Slipway console server (${error instanceof Error ? error.message : String(error)}).`,
    });
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const parsed = consoleErrorResponseSchema.safeParse(body);
    throw new ConsoleFetchError(
      parsed.success
        ? parsed.data.error
        : { url: path, status: response.status, code: ErrorCode.INTERNAL, message: `The console server answered HTTP ${response.status} for ${path}.` },
    );
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new ConsoleFetchError({
      url: path,
      status: response.status,
      code: ErrorCode.INTERNAL,
      message: `Unexpected response from ${path}: ${parsed.error.message}`,
    });
  }
  return parsed.data;
}
