import 'server-only';
import type { ApiResult } from './api-result';

const noStore = { 'cache-control': 'no-store' };

/**
 * What a console route handler answers for an API result: the data as is, or the failure in the API's
 * error shape. An API that could not be reached becomes 502; an API error keeps its status.
 */
export function toRouteResponse<T>(result: ApiResult<T>): Response {
  if (result.ok) return Response.json(result.data, { headers: noStore });
  return Response.json({ error: result.error }, { status: result.error.status ?? 502, headers: noStore });
}
