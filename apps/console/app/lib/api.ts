import 'server-only';
import {
  ErrorCode,
  errorResponseSchema,
  healthResponseSchema,
  overviewResponseSchema,
  workerListResponseSchema,
  type HealthResponse,
  type OverviewResponse,
  type WorkerListResponse,
} from '@slipway/contracts';
import { z } from 'zod';
import type { ApiFailure, ApiResult } from './api-result';
import { consoleConfig } from './config';

// Server-side access to the Slipway API: the only place the console talks to it, so the bearer token is
// added here and nowhere else, and every response is checked against the shared contract.

interface ApiGetOptions {
  /** Non-2xx statuses whose body is still a valid response (health answers 503 with its report). */
  acceptStatuses?: readonly number[];
}

async function apiGet<S extends z.ZodType>(path: string, schema: S, options: ApiGetOptions = {}): Promise<ApiResult<z.output<S>>> {
  const { apiUrl, apiToken, apiTimeoutMs } = consoleConfig();
  const url = `${apiUrl}${path}`;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (apiToken) headers.authorization = `Bearer ${apiToken}`;

  let response: Response;
  try {
    response = await fetch(url, { headers, cache: 'no-store', signal: AbortSignal.timeout(apiTimeoutMs) });
  } catch (error) {
    return failure({ url, code: ErrorCode.UNAVAILABLE, message: `Cannot reach the Slipway API at ${url} (${describeFetchError(error)}).` });
  }

  const body: unknown = await response.json().catch(() => undefined);
  if (response.ok || options.acceptStatuses?.includes(response.status)) {
    const parsed = schema.safeParse(body);
    if (parsed.success) return { ok: true, data: parsed.data };
    return failure({
      url,
      status: response.status,
      code: ErrorCode.INTERNAL,
      message: `The Slipway API at ${url} answered with a body that does not match the contract: ${z.prettifyError(parsed.error)}`,
    });
  }

  const apiError = errorResponseSchema.safeParse(body);
  if (apiError.success) {
    const { code, message, fields } = apiError.data.error;
    return failure({ url, status: response.status, code, message, fields });
  }
  return failure({
    url,
    status: response.status,
    code: response.status >= 502 && response.status <= 504 ? ErrorCode.UNAVAILABLE : ErrorCode.INTERNAL,
    message: `The Slipway API at ${url} answered HTTP ${response.status} without an error body.`,
  });
}

function failure(error: ApiFailure): { ok: false; error: ApiFailure } {
  return { ok: false, error };
}

/** fetch() hides the useful part (ECONNREFUSED, ENOTFOUND, a timeout) in `cause`. */
function describeFetchError(error: unknown): string {
  if (error instanceof DOMException && error.name === 'TimeoutError') return `no answer within ${consoleConfig().apiTimeoutMs} ms`;
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

export function getOverview(): Promise<ApiResult<OverviewResponse>> {
  return apiGet('/api/v1/overview', overviewResponseSchema);
}

export function listWorkers(): Promise<ApiResult<WorkerListResponse>> {
  return apiGet('/api/v1/workers', workerListResponseSchema);
}

export function getHealth(): Promise<ApiResult<HealthResponse>> {
  return apiGet('/health', healthResponseSchema, { acceptStatuses: [503] });
}
