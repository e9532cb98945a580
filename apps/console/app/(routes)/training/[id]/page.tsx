import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';
import { getWhoAmI } from '../../../lib/api';
import { canWrite } from '../../../lib/permissions';
import { getTrainingJobPage } from '../../../lib/training-api';
import { TableSkeleton } from '../../../ui/common/table-skeleton';
import { TrainingJobLive } from '../../../ui/training/job-live';

export const dynamic = 'force-dynamic';

type Params = Promise<{ id: string }>;

export const metadata: Metadata = { title: 'Training job' };

export default async function TrainingJobPage({ params }: { params: Params }) {
  const { id } = await params;
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/training" className="text-sky-700 underline-offset-2 hover:underline">
          Training
        </Link>
        <span aria-hidden="true" className="px-1 text-slate-500">
          /
        </span>
      </p>
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
