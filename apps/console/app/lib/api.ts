import 'server-only';
import { createSlipwayClient, SlipwayApiError, type SlipwayClient } from '@slipway/client';
import type {
  AliasView,
  CompareRequest,
  CompareResult,
  HealthResponse,
  MetricHistory,
  ModelList,
  ModelView,
  OverviewResponse,
  RunSearchResult,
  RunView,
  VersionList,
  WhoAmI,
  WorkerListResponse,
} from '@slipway/contracts';
import type { ApiFailure, ApiResult } from './api-result';
import { consoleConfig } from './config';
import type { CheckedRunSearch } from './run-search';
import { sessionToken } from './session';

// Server-side access to the Slipway API through the one typed client (@slipway/client): the bearer token is
// added here and nowhere else (streamed uploads, which go past fetch in api-stream.ts, take it from bearerToken), every response is checked against the shared contract by the client, and
// every failure becomes the console's plain-data ApiResult, which can cross to the browser.

/**
 * The signed-in person's token, else the console's configured one; asked for on every request. Also used by
 * api-stream.ts, which streams uploads past fetch (see there why).
 */
export async function bearerToken(): Promise<string | undefined> {
  return (await sessionToken()) ?? consoleConfig().apiToken;
}

let client: SlipwayClient | undefined;

/** One client per server process; the token is looked up per request, so one client serves every person. */
function slipway(): SlipwayClient {
  if (!client) {
    const { apiUrl, apiTimeoutMs } = consoleConfig();
    client = createSlipwayClient({
      baseUrl: apiUrl,
      token: bearerToken,
      timeoutMs: apiTimeoutMs,
      // Every page shows live data: never let Next's fetch cache answer for the API.
      fetch: (input, init) => fetch(input, { ...init, cache: 'no-store' }),
    });
  }
  return client;
}

function toFailure(error: SlipwayApiError): ApiFailure {
  return {
    code: error.code,
    message: error.message,
    url: error.url ?? slipway().baseUrl,
    // 0 means no answer at all: the failure then has no HTTP status.
    status: error.status === 0 ? undefined : error.status,
    fields: error.fields.length > 0 ? error.fields : undefined,
  };
}

/**
 * Any client call as an ApiResult: a route added to the client is usable here without more code,
 * `callApi((api) => api.versions.verify(name, 3))`. `token` acts as that token instead (checking it before sign-in).
 */
export async function callApi<T>(call: (api: SlipwayClient) => Promise<T>, options: { token?: string } = {}): Promise<ApiResult<T>> {
  try {
    return { ok: true, data: await call(options.token === undefined ? slipway() : slipway().withToken(options.token)) };
  } catch (error) {
    if (error instanceof SlipwayApiError) return { ok: false, error: toFailure(error) };
    throw error;
  }
}

// ── platform ────────────────────────────────────────────────────────────────

export function getOverview(): Promise<ApiResult<OverviewResponse>> {
  return callApi((api) => api.overview());
}

export function listWorkers(): Promise<ApiResult<WorkerListResponse>> {
  return callApi((api) => api.workers());
}

export function getHealth(): Promise<ApiResult<HealthResponse>> {
  return callApi((api) => api.health());
}

// ── identity ────────────────────────────────────────────────────────────────

/** Who the console acts as for this request; with `token`, who that token is (used to check it before signing in). */
export function getWhoAmI(token?: string): Promise<ApiResult<WhoAmI>> {
  return callApi((api) => api.whoami(), { token });
}

// ── registry ────────────────────────────────────────────────────────────────

export function listModels(query: { search?: string; tag?: string; cursor?: string; limit?: number }): Promise<ApiResult<ModelList>> {
  return callApi((api) => api.models.list(definedOnly(query)));
}

export function getModel(name: string): Promise<ApiResult<ModelView>> {
  return callApi((api) => api.models.get(name));
}

export function listVersions(name: string, query: { cursor?: number; limit?: number } = {}): Promise<ApiResult<VersionList>> {
  return callApi((api) => api.versions.list(name, { limit: query.limit, cursor: query.cursor === undefined ? undefined : String(query.cursor) }));
}

export function setAlias(name: string, alias: string, version: number): Promise<ApiResult<AliasView>> {
  return callApi((api) => api.aliases.set(name, alias, version));
}

export function deleteAlias(name: string, alias: string): Promise<ApiResult<void>> {
  return callApi((api) => api.aliases.delete(name, alias));
}

export function compare(request: CompareRequest): Promise<ApiResult<CompareResult>> {
  return callApi((api) => api.compare(request));
}

// ── experiment tracking ─────────────────────────────────────────────────────

/** Takes only a search checkRunSearch has parsed: the filter is sent as text and not parsed again in this process. */
export function searchRuns(search: CheckedRunSearch): Promise<ApiResult<RunSearchResult>> {
  return callApi((api) => api.runs.search(search));
}

export function getRun(id: string): Promise<ApiResult<RunView>> {
  return callApi((api) => api.runs.get(id));
}

export function getMetricHistory(runId: string, key: string, limit = 1000): Promise<ApiResult<MetricHistory>> {
  return callApi((api) => api.runs.metricHistory(runId, key, { limit }));
}

/** Query parameters without the empty ones (a blank search box means no search, not `search=`). */
function definedOnly<T extends Record<string, string | number | undefined>>(query: T): T {
  return Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined && value !== '')) as T;
}
