import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';
import { getWhoAmI } from '../../lib/api';
import { listDatasets, listDatasetSamples } from '../../lib/datasets-api';
import { DATASET_PAGE_SIZE } from '../../lib/dataset-view';
import { canWrite } from '../../lib/permissions';
import { firstParam, type SearchParams } from '../../lib/search-params';
import { ApiErrorNotice } from '../../ui/common/api-error-notice';
import { TableSkeleton } from '../../ui/common/table-skeleton';
import { DatasetSearchForm } from '../../ui/datasets/dataset-search-form';
import { DatasetsTable } from '../../ui/datasets/datasets-table';
import { SamplePicker } from '../../ui/datasets/sample-picker';
import { PageHeader } from '../../ui/layout/page-header';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Datasets' };

export default async function DatasetsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const search = firstParam(params.search)?.trim() || undefined;
  const cursor = firstParam(params.cursor) || undefined;
  return (
    <>
      <Suspense
        fallback={
          <PageHeader title="Datasets" description="Data to train on: uploaded CSV, Parquet and image files and the built-in samples, each profiled." />
        }
      >
        <DatasetsHeader />
      </Suspense>
      <div className="space-y-6">
        <Suspense fallback={<TableSkeleton label="Loading the built-in samples" rows={2} />}>
          <Samples />
        </Suspense>
        <section aria-labelledby="datasets-heading">
          <h2 id="datasets-heading" className="mb-3 text-lg font-semibold text-slate-900">
            Stored datasets
          </h2>
          <DatasetSearchForm search={search ?? ''} />
          <Suspense key={`${search}|${cursor}`} fallback={<TableSkeleton label="Loading datasets" />}>
            <DatasetsData search={search} cursor={cursor} />
          </Suspense>
        </section>
      </div>
    </>
  );
}

async function DatasetsHeader() {
  const identity = await getWhoAmI();
  const editor = canWrite(identity);
  return (
    <PageHeader
      title="Datasets"
      description="Data to train on: uploaded CSV, Parquet and image files and the built-in samples, each profiled."
      aside={
        editor ? (
          <Link href="/datasets/upload" className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-800">
            Upload a file
          </Link>
        ) : (
          <p className="text-sm text-slate-600" data-testid="upload-read-only">
            {identity.ok ? `Your token's role is ${identity.data.role}: ` : ''}uploading needs an editor or admin token.
          </p>
        )
      }
    />
  );
}

async function Samples() {
  // The newest 200 datasets say which samples are stored already; one older than that is still added only once
  // (same bytes, same dataset), its card just offers "Add" instead of "Open".
  const [samples, identity, recent] = await Promise.all([listDatasetSamples(), getWhoAmI(), listDatasets({ limit: 200 })]);
  if (!samples.ok) return <ApiErrorNotice title="Could not load the built-in samples" failure={samples.error} testId="samples-error" />;
  const stored: Record<string, string> = {};
  for (const dataset of recent.ok ? recent.data.datasets : []) {
    const key = dataset.source ? `${dataset.source.sample}${dataset.format === 'images' ? '/images' : ''}` : undefined;
    if (key && !(key in stored)) stored[key] = dataset.id;
  }
  return <SamplePicker samples={samples.data.samples} stored={stored} canEdit={canWrite(identity)} role={identity.ok ? identity.data.role : undefined} />;
}

async function DatasetsData({ search, cursor }: { search?: string; cursor?: string }) {
  const result = await listDatasets({ search, cursor, limit: DATASET_PAGE_SIZE });
  if (!result.ok) return <ApiErrorNotice title="Could not load datasets" failure={result.error} testId="datasets-error" />;
  const next = new URLSearchParams();
  if (search) next.set('search', search);
  if (result.data.nextCursor) next.set('cursor', result.data.nextCursor);
  return (
    <DatasetsTable datasets={result.data.datasets} filtered={Boolean(search)} nextHref={result.data.nextCursor ? `/datasets?${next.toString()}` : undefined} />
  );
}
