import { TRAINING_JOB_STATUSES, trainingJobStatusSchema, type TrainingJobStatus } from '@slipway/contracts';
import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';
import { getWhoAmI } from '../../lib/api';
import { canWrite } from '../../lib/permissions';
import { firstParam, type SearchParams } from '../../lib/search-params';
import { listTrainingJobs } from '../../lib/training-api';
import { TableSkeleton } from '../../ui/common/table-skeleton';
import { PageHeader } from '../../ui/layout/page-header';
import { TrainingJobsLive } from '../../ui/training/jobs-live';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Training' };

export default async function TrainingPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const parsed = trainingJobStatusSchema.safeParse(firstParam((await searchParams).status));
  const status = parsed.success ? parsed.data : undefined;
  const identity = await getWhoAmI();
  return (
    <>
      <PageHeader
        title="Training"
        description="Training jobs queued for the workers: their status as they train, their evaluation once done."
        aside={
          canWrite(identity) ? (
            <Link href="/training/new" className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-800">
              New job
            </Link>
          ) : (
            <p className="text-xs text-slate-600" data-testid="training-read-only">
              {identity.ok ? `Your token's role is ${identity.data.role}: ` : ''}starting a job needs an editor or admin token.
            </p>
          )
        }
      />
      <StatusFilter status={status} />
      <Suspense key={status ?? 'all'} fallback={<TableSkeleton label="Loading training jobs" />}>
        <JobsData status={status} />
      </Suspense>
    </>
  );
}

function StatusFilter({ status }: { status?: TrainingJobStatus }) {
  const options: { label: string; value?: TrainingJobStatus }[] = [
    { label: 'All' },
    ...TRAINING_JOB_STATUSES.map((value) => ({ label: value.toLowerCase(), value })),
  ];
  return (
    <nav aria-label="Filter by status" className="mb-4">
      <ul className="flex flex-wrap gap-2 text-sm">
        {options.map((option) => {
          const current = option.value === status;
          return (
            <li key={option.label}>
              <Link
                href={option.value ? `/training?status=${option.value}` : '/training'}
                aria-current={current ? 'page' : undefined}
                className={`rounded-full px-3 py-1 ring-1 ring-inset ${current ? 'bg-slate-900 text-white ring-slate-900' : 'text-slate-700 ring-slate-300 hover:bg-slate-100'}`}
              >
                {option.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

async function JobsData({ status }: { status?: TrainingJobStatus }) {
  const jobs = await listTrainingJobs({ status, limit: 100 });
  return <TrainingJobsLive initial={jobs} status={status} renderedAt={new Date().toISOString()} />;
}
