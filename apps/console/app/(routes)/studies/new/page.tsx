import type { Metadata } from 'next';
import { Suspense } from 'react';
import { firstParam, type SearchParams } from '../../../lib/search-params';
import { ParentLink } from '../../../ui/common/parent-link';
import { TableSkeleton } from '../../../ui/common/table-skeleton';
import { PageHeader } from '../../../ui/layout/page-header';
import { NewStudyForm } from '../../../ui/studies/new-study-form';
import { TrainingFormInputs } from '../../../ui/training/training-form-inputs';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'New study' };

export default async function NewStudyPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const datasetId = firstParam((await searchParams).datasetId);
  return (
    <>
      <ParentLink href="/studies" label="Studies" />
      <PageHeader
        title="New study"
        description="Choose a dataset, an algorithm and the hyper-parameters to search; the workers train the trials and the page follows them live."
      />
      <Suspense fallback={<TableSkeleton label="Loading datasets and algorithms" />}>
        <TrainingFormInputs
          readOnly={{
            testId: 'new-study-read-only',
            what: 'a study',
            listHref: '/studies',
            listLabel: 'studies list',
            listShows: 'every study and its trials',
          }}
        >
          {({ algorithms, datasets }) => <NewStudyForm algorithms={algorithms} datasets={datasets} initialDatasetId={datasetId} />}
        </TrainingFormInputs>
      </Suspense>
    </>
  );
}
