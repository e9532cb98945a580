import { tuningStudyStatusSchema } from '@slipway/contracts';
import { listStudies } from '../../lib/studies/studies-api';
import { toRouteResponse } from '../../lib/route-response';

export const dynamic = 'force-dynamic';

/** The newest studies (optionally of one status), for the studies list's live refresh. */
export async function GET(request: Request): Promise<Response> {
  const status = tuningStudyStatusSchema.safeParse(new URL(request.url).searchParams.get('status'));
  return toRouteResponse(await listStudies({ status: status.success ? status.data : undefined, limit: 100 }));
}
