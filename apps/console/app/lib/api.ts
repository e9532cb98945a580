import 'server-only';
import {
  ErrorCode,
  aliasSchema,
  compareResultSchema,
  errorResponseSchema,
  healthResponseSchema,
  metricHistorySchema,
  modelListSchema,
  modelSchema,
  overviewResponseSchema,
  runSchema,
  runSearchResultSchema,
  versionListSchema,
  whoAmISchema,
  workerListResponseSchema,
  type AliasView,
  type CompareRequest,
  type CompareResult,
  type HealthResponse,
  type MetricHistory,
  type ModelList,
  type ModelView,
  type OverviewResponse,
  type RunSearchResult,
  type RunView,
  type SearchRunsRequest,
  type VersionList,
  type WhoAmI,
  type WorkerListResponse,
} from '@slipway/contracts';
import { z } from 'zod';
import type { ApiFailure, ApiResult } from './api-result';
import { consoleConfig } from './config';
import { sessionToken } from './session';

// Server-side access to the Slipway API: the only place the console talks to it, so the bearer token is
// added here and nowhere else, and every response is checked against the shared contract.

interface ApiRequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Sent as JSON. */
  body?: unknown;
  /** Non-2xx statuses whose body is still a valid response (health answers 503 with its report). */
  acceptStatuses?: readonly number[];
  /** Use this token instead of the session's or the console's own (checking a token before signing in). */
  token?: string;
}

/** The signed-in person's token, else the console's configured one. */
async function bearerToken(): Promise<string | undefined> {
  return (await sessionToken()) ?? consoleConfig().apiToken;
}

async function apiRequest<S extends z.ZodType>(path: string, schema: S, options: ApiRequestOptions = {}): Promise<ApiResult<z.output<S>>> {
  const { apiUrl, apiTimeoutMs } = consoleConfig();
  const url = `${apiUrl}${path}`;
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = options.token ?? (await bearerToken());
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';

  let response: Response;
  try {
    response = await fetch(url, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      cache: 'no-store',
      signal: AbortSignal.timeout(apiTimeoutMs),
    });
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

/**
 * fetch() hides the useful part (ECONNREFUSED, ENOTFOUND, a timeout) in `cause`. Read by shape, not
 * `instanceof`: the error comes from Node's own fetch, whose Error and DOMException classes are not
 * this module's when it runs in another realm (a test runner's VM context, an edge runtime).
 */
function describeFetchError(error: unknown): string {
  const failure = typeof error === 'object' && error !== null ? (error as { name?: unknown; message?: unknown; cause?: unknown }) : undefined;
  if (failure?.name === 'TimeoutError') return `no answer within ${consoleConfig().apiTimeoutMs} ms`;
  const cause = typeof failure?.cause === 'object' && failure.cause !== null ? (failure.cause as { code?: unknown; message?: unknown }) : undefined;
  for (const detail of [cause?.code, cause?.message, failure?.message]) if (typeof detail === 'string' && detail !== '') return detail;
  return String(error);
}

/** `?a=1&b=x` from the defined entries only. */
function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

const seg = encodeURIComponent;

// ── platform ────────────────────────────────────────────────────────────────

export function getOverview(): Promise<ApiResult<OverviewResponse>> {
  return apiRequest('/api/v1/overview', overviewResponseSchema);
}

export function listWorkers(): Promise<ApiResult<WorkerListResponse>> {
  return apiRequest('/api/v1/workers', workerListResponseSchema);
}

export function getHealth(): Promise<ApiResult<HealthResponse>> {
  return apiRequest('/health', healthResponseSchema, { acceptStatuses: [503] });
}

// ── identity ────────────────────────────────────────────────────────────────

/** Who the console acts as for this request; with `token`, who that token is (used to check it before signing in). */
export function getWhoAmI(token?: string): Promise<ApiResult<WhoAmI>> {
  return apiRequest('/api/v1/whoami', whoAmISchema, { token });
}

// ── registry ────────────────────────────────────────────────────────────────

export function listModels(params: { search?: string; tag?: string; cursor?: string; limit?: number }): Promise<ApiResult<ModelList>> {
  return apiRequest(`/api/v1/models${query(params)}`, modelListSchema);
}

export function getModel(name: string): Promise<ApiResult<ModelView>> {
  return apiRequest(`/api/v1/models/${seg(name)}`, modelSchema);
}

export function listVersions(name: string, params: { cursor?: number; limit?: number } = {}): Promise<ApiResult<VersionList>> {
  return apiRequest(`/api/v1/models/${seg(name)}/versions${query(params)}`, versionListSchema);
}

export function setAlias(name: string, alias: string, version: number): Promise<ApiResult<AliasView>> {
  return apiRequest(`/api/v1/models/${seg(name)}/aliases/${seg(alias)}`, aliasSchema, { method: 'PUT', body: { version } });
}

export function deleteAlias(name: string, alias: string): Promise<ApiResult<unknown>> {
  return apiRequest(`/api/v1/models/${seg(name)}/aliases/${seg(alias)}`, z.unknown(), { method: 'DELETE' });
}

export function compare(request: CompareRequest): Promise<ApiResult<CompareResult>> {
  return apiRequest('/api/v1/registry/compare', compareResultSchema, { method: 'POST', body: request });
}

// ── experiment tracking ─────────────────────────────────────────────────────

export function searchRuns(request: Partial<SearchRunsRequest>): Promise<ApiResult<RunSearchResult>> {
  return apiRequest('/api/v1/runs/search', runSearchResultSchema, { method: 'POST', body: request });
}

export function getRun(id: string): Promise<ApiResult<RunView>> {
  return apiRequest(`/api/v1/runs/${seg(id)}`, runSchema);
}

export function getMetricHistory(runId: string, key: string, limit = 1000): Promise<ApiResult<MetricHistory>> {
  return apiRequest(`/api/v1/runs/${seg(runId)}/metrics/${seg(key)}/history${query({ limit })}`, metricHistorySchema);
}
