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
 * Browser-side GET of one of the console's own route handlers, which call the API on the server.
 * Resolves with the contract-checked body or throws ConsoleFetchError.
 */
export async function fetchFromConsole<S extends z.ZodType>(path: string, schema: S, signal?: AbortSignal): Promise<z.output<S>> {
  let response: Response;
  try {
    response = await fetch(path, { headers: { accept: 'application/json' }, cache: 'no-store', signal });
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
    throw new ConsoleFetchError({ url: path, status: response.status, code: ErrorCode.INTERNAL, message: `Unexpected response from ${path}: ${parsed.error.message}` });
  }
  return parsed.data;
}
