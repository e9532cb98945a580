import { getHealth } from '../../lib/api';
import { toRouteResponse } from '../../lib/route-response';

export const dynamic = 'force-dynamic';

/** The platform's health report (database, queue, object store, workers). A `down` report is still 200 here: it is data to show. */
export async function GET(): Promise<Response> {
  return toRouteResponse(await getHealth());
}
