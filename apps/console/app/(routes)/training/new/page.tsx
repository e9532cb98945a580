import type { Metadata } from 'next';
import { Suspense } from 'react';
import { firstParam, type SearchParams } from '../../../lib/search-params';
import { ParentLink } from '../../../ui/common/parent-link';
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
      <ParentLink href="/training" label="Training" />
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
