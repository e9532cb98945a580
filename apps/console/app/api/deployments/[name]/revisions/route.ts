import { listDeploymentRevisions } from '../../../../lib/deployments-api';
import { toRouteResponse } from '../../../../lib/route-response';

export const dynamic = 'force-dynamic';

/** An older page of the revision history: the API checks the cursor and names `query.cursor` when it does not decode. */
export async function GET(request: Request, { params }: { params: Promise<{ name: string }> }): Promise<Response> {
  const cursor = new URL(request.url).searchParams.get('cursor') ?? undefined;
  return toRouteResponse(await listDeploymentRevisions((await params).name, cursor));
}
