import { trainingJobStatusSchema } from '@slipway/contracts';
import { listTrainingJobs } from '../../../lib/training-api';
import { toRouteResponse } from '../../../lib/route-response';

export const dynamic = 'force-dynamic';

/** The newest training jobs (optionally of one status), for the jobs list's live refresh. */
export async function GET(request: Request): Promise<Response> {
  const status = trainingJobStatusSchema.safeParse(new URL(request.url).searchParams.get('status'));
  return toRouteResponse(await listTrainingJobs({ status: status.success ? status.data : undefined, limit: 100 }));
}
