import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';
import { getWhoAmI } from '../../../lib/api';
import { canWrite } from '../../../lib/permissions';
import { firstParam, type SearchParams } from '../../../lib/search-params';
import { listDatasetsForTraining, listTrainingAlgorithms } from '../../../lib/training-api';
import { ApiErrorNotice } from '../../../ui/common/api-error-notice';
import { TableSkeleton } from '../../../ui/common/table-skeleton';
import { PageHeader } from '../../../ui/layout/page-header';
import { NewStudyForm } from '../../../ui/studies/new-study-form';
import type { DatasetChoice } from '../../../ui/training/new-job-form';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'New study' };

export default async function NewStudyPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const datasetId = firstParam((await searchParams).datasetId);
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/studies" className="text-sky-700 underline-offset-2 hover:underline">
          Studies
        </Link>
        <span aria-hidden="true" className="px-1 text-slate-500">
          /
        </span>
      </p>
      <PageHeader
        title="New study"
        description="Choose a dataset, an algorithm and the hyper-parameters to search; the workers train the trials and the page follows them live."
      />
      <Suspense fallback={<TableSkeleton label="Loading datasets and algorithms" />}>
        <NewStudyData datasetId={datasetId} />
      </Suspense>
    </>
  );
}

async function NewStudyData({ datasetId }: { datasetId?: string }) {
  const [identity, algorithms, datasets] = await Promise.all([getWhoAmI(), listTrainingAlgorithms(), listDatasetsForTraining()]);
  if (!canWrite(identity)) {
    return (
      <p className="rounded-lg border border-slate-200 bg-white p-4 text-sm text-slate-700" data-testid="new-study-read-only">
        {identity.ok ? `Your token's role is ${identity.data.role}: ` : ''}starting a study needs an editor or admin token. The{' '}
        <Link href="/studies" className="text-sky-700 underline">
          studies list
        </Link>{' '}
        shows every study and its trials.
      </p>
    );
  }
  if (!algorithms.ok) return <ApiErrorNotice title="Could not load the algorithms" failure={algorithms.error} testId="algorithms-error" />;
  if (!datasets.ok) return <ApiErrorNotice title="Could not load the datasets" failure={datasets.error} testId="datasets-error" />;
  // Slim rows for the browser: the profiles stay on the server.
  const choices: DatasetChoice[] = datasets.data.datasets.map((d) => ({
    id: d.id,
    name: d.name,
    rows: d.rows,
    columns: d.columns,
    targetColumn: d.targetColumn,
  }));
  return (
    <>
      {choices.length === 0 ? (
        <p className="mb-4 rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900" data-testid="no-datasets">
          No dataset yet: upload a CSV or add a built-in sample on the Datasets page first.
        </p>
      ) : null}
      <NewStudyForm algorithms={algorithms.data.algorithms} datasets={choices} initialDatasetId={datasetId} />
    </>
  );
}
