import { TRAINING_JOB_STATUSES, trainingJobStatusSchema, type TrainingJobStatus } from '@slipway/contracts';
import type { Metadata } from 'next';
import { getWhoAmI } from '../../lib/api';
import { firstParam, type SearchParams } from '../../lib/search-params';
import { listTrainingJobs } from '../../lib/training-api';
import { StatusListPage } from '../../ui/common/status-list-page';
import { TrainingJobsLive } from '../../ui/training/jobs-live';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Training' };

export default async function TrainingPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const parsed = trainingJobStatusSchema.safeParse(firstParam((await searchParams).status));
  const status = parsed.success ? parsed.data : undefined;
  return (
    <StatusListPage
      title="Training"
      description="Training jobs queued for the workers: their status as they train, their evaluation once done."
      basePath="/training"
      identity={await getWhoAmI()}
      create={{ label: 'New job', what: 'a job', readOnlyTestId: 'training-read-only' }}
      statuses={TRAINING_JOB_STATUSES}
      status={status}
      loadingLabel="Loading training jobs"
    >
      <JobsData status={status} />
    </StatusListPage>
  );
}

async function JobsData({ status }: { status?: TrainingJobStatus }) {
  const jobs = await listTrainingJobs({ status, limit: 100 });
  return <TrainingJobsLive initial={jobs} status={status} renderedAt={new Date().toISOString()} />;
}
