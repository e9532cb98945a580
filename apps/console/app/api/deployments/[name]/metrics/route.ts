import { ErrorCode } from '@slipway/contracts';
import { downsampleMetrics, METRICS_RANGES, metricsRangeSchema, metricsSince } from '../../../../lib/deployment-view';
import { getDeploymentMetrics } from '../../../../lib/deployments-api';
import { toRouteResponse } from '../../../../lib/route-response';

export const dynamic = 'force-dynamic';

/**
 * Traffic per version over `range` (5m, 15m, 1h, 24h), in that range's chart steps: summed here, on the server,
 * so a day-long chart crosses to the browser as a few hundred points instead of thousands of 10 s windows.
 */
export async function GET(request: Request, { params }: { params: Promise<{ name: string }> }): Promise<Response> {
  const url = new URL(request.url);
  const range = metricsRangeSchema.safeParse(url.searchParams.get('range') ?? '15m');
  if (!range.success) {
    return toRouteResponse({
      ok: false,
      error: {
        code: ErrorCode.INVALID_ARGUMENT,
        message: 'range is not one of the metrics ranges',
        url: url.pathname,
        status: 400,
        fields: [{ field: 'query.range', message: `one of ${Object.keys(METRICS_RANGES).join(', ')}` }],
      },
    });
  }
  const result = await getDeploymentMetrics((await params).name, metricsSince(range.data, Date.now()));
  return toRouteResponse(result.ok ? { ok: true, data: downsampleMetrics(result.data, METRICS_RANGES[range.data].stepSeconds) } : result);
}
