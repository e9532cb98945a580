import { ErrorCode } from '@slipway/contracts';
import { searchRuns } from '../../../lib/api';
import { toRouteResponse } from '../../../lib/route-response';
import { checkRunSearch } from '../../../lib/run-search';

export const dynamic = 'force-dynamic';

/** One page of a run search, for the runs page's "Load more"; the body is the API's own search request. */
export async function POST(request: Request): Promise<Response> {
  const body: unknown = await request.json().catch(() => undefined);
  // The one parse of this search in the console's server; searchRuns sends the checked text on unparsed.
  const check = checkRunSearch(body);
  if (!check.ok) {
    return Response.json(
      {
        error: {
          code: ErrorCode.INVALID_ARGUMENT,
          message: check.problems.map((problem) => `${problem.field}: ${problem.message}`).join('; '),
          fields: check.problems.map(({ field, message }) => ({ field, message })),
          url: '/api/runs/search',
          status: 400,
        },
      },
      { status: 400, headers: { 'cache-control': 'no-store' } },
    );
  }
  return toRouteResponse(await searchRuns(check.search));
}
