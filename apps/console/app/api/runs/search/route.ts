import { ErrorCode, searchRunsRequestSchema } from '@slipway/contracts';
import { z } from 'zod';
import { searchRuns } from '../../../lib/api';
import { toRouteResponse } from '../../../lib/route-response';

export const dynamic = 'force-dynamic';

/** One page of a run search, for the runs page's "Load more"; the body is the API's own search request. */
export async function POST(request: Request): Promise<Response> {
  const body: unknown = await request.json().catch(() => undefined);
  const parsed = searchRunsRequestSchema.safeParse(body);
  if (!parsed.success) {
    return Response.json(
      {
        error: {
          code: ErrorCode.INVALID_ARGUMENT,
          message: z.prettifyError(parsed.error),
          fields: parsed.error.issues.map((issue) => ({ field: issue.path.join('.') || 'body', message: issue.message })),
          url: '/api/runs/search',
          status: 400,
        },
      },
      { status: 400, headers: { 'cache-control': 'no-store' } },
    );
  }
  return toRouteResponse(await searchRuns(parsed.data));
}
