import { getTrainingJobPage } from '../../../../lib/training-api';
import { toRouteResponse } from '../../../../lib/route-response';

export const dynamic = 'force-dynamic';

/** A job with its run's per-epoch and per-fold metric histories, for the job page's live refresh. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  return toRouteResponse(await getTrainingJobPage((await params).id));
}
