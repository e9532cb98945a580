import type { Metadata } from 'next';
import { Suspense } from 'react';
import { getWhoAmI } from '../../../lib/api';
import { canWrite } from '../../../lib/permissions';
import { getTrainingJobPage } from '../../../lib/training-api';
import { ParentLink } from '../../../ui/common/parent-link';
import { TableSkeleton } from '../../../ui/common/table-skeleton';
import { TrainingJobLive } from '../../../ui/training/job-live';

export const dynamic = 'force-dynamic';

type Params = Promise<{ id: string }>;

export const metadata: Metadata = { title: 'Training job' };

export default async function TrainingJobPage({ params }: { params: Params }) {
  const { id } = await params;
  return (
    <>
      <ParentLink href="/training" label="Training" />
      <Suspense fallback={<TableSkeleton label="Loading the training job" />}>
        <JobData id={id} />
      </Suspense>
    </>
  );
}

/** First paint from the server; the client component keeps it live while the job trains. */
async function JobData({ id }: { id: string }) {
  const [page, identity] = await Promise.all([getTrainingJobPage(id), getWhoAmI()]);
  return <TrainingJobLive id={id} initial={page} canEdit={canWrite(identity)} renderedAt={new Date().toISOString()} />;
}
