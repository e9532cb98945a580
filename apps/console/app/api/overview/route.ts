import { getOverview } from '../../lib/api';
import { toRouteResponse } from '../../lib/route-response';

export const dynamic = 'force-dynamic';

/** The overview counts, for the browser's live polling. */
export async function GET(): Promise<Response> {
  return toRouteResponse(await getOverview());
}
