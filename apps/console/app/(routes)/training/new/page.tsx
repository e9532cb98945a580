import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';
import { firstParam, type SearchParams } from '../../../lib/search-params';
import { TableSkeleton } from '../../../ui/common/table-skeleton';
import { PageHeader } from '../../../ui/layout/page-header';
import { NewTrainingJobForm } from '../../../ui/training/new-job-form';
import { TrainingFormInputs } from '../../../ui/training/training-form-inputs';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'New training job' };

export default async function NewTrainingJobPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const datasetId = firstParam((await searchParams).datasetId);
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
      <PageHeader title="New training job" description="Pick a dataset and an algorithm; the job is queued for the workers and its run updates live." />
      <Suspense fallback={<TableSkeleton label="Loading datasets and algorithms" />}>
        <TrainingFormInputs
          readOnly={{
            testId: 'new-job-read-only',
            what: 'a training job',
            listHref: '/training',
            listLabel: 'jobs list',
            listShows: 'every job and its evaluation',
          }}
        >
          {({ algorithms, datasets }) => <NewTrainingJobForm algorithms={algorithms} datasets={datasets} initialDatasetId={datasetId} />}
        </TrainingFormInputs>
      </Suspense>
    </>
  );
}
