import { getStudy } from '../../../lib/studies/studies-api';
import { toRouteResponse } from '../../../lib/route-response';

export const dynamic = 'force-dynamic';

/** A study with its trials and parameter importance, for the study page's live refresh. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  return toRouteResponse(await getStudy((await params).id));
}
