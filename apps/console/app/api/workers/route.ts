import { listWorkers } from '../../lib/api';
import { toRouteResponse } from '../../lib/route-response';

export const dynamic = 'force-dynamic';

/** Registered workers and whether each is connected, for the browser's live polling. */
export async function GET(): Promise<Response> {
  return toRouteResponse(await listWorkers());
}
