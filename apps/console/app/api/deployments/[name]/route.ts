import { getDeploymentPage } from '../../../lib/deployments-api';
import { toRouteResponse } from '../../../lib/route-response';

export const dynamic = 'force-dynamic';

/** A deployment with its newest revisions and events, for the deployment page's live refresh. */
export async function GET(_request: Request, { params }: { params: Promise<{ name: string }> }): Promise<Response> {
  return toRouteResponse(await getDeploymentPage((await params).name));
}
