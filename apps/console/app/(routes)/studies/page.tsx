import { TUNING_STUDY_STATUSES, tuningStudyStatusSchema, type TuningStudyStatus } from '@slipway/contracts';
import type { Metadata } from 'next';
import { getWhoAmI } from '../../lib/api';
import { firstParam, type SearchParams } from '../../lib/search-params';
import { listStudies } from '../../lib/studies/studies-api';
import { StatusListPage } from '../../ui/common/status-list-page';
import { StudiesLive } from '../../ui/studies/studies-live';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Studies' };

export default async function StudiesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const parsed = tuningStudyStatusSchema.safeParse(firstParam((await searchParams).status));
  const status = parsed.success ? parsed.data : undefined;
  return (
    <StatusListPage
      title="Studies"
      description="Hyper-parameter searches: each trial is a training job on the workers; the study keeps the best."
      basePath="/studies"
      identity={await getWhoAmI()}
      create={{ label: 'New study', what: 'a study', readOnlyTestId: 'studies-read-only' }}
      statuses={TUNING_STUDY_STATUSES}
      status={status}
      loadingLabel="Loading studies"
    >
      <StudiesData status={status} />
    </StatusListPage>
  );
}

async function StudiesData({ status }: { status?: TuningStudyStatus }) {
  const studies = await listStudies({ status, limit: 100 });
  return <StudiesLive initial={studies} status={status} renderedAt={new Date().toISOString()} />;
}
