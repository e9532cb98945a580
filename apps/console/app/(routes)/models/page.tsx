import type { Metadata } from 'next';
import { Suspense } from 'react';
import { listModels } from '../../lib/api';
import { firstParam, type SearchParams } from '../../lib/search-params';
import { ApiErrorNotice } from '../../ui/common/api-error-notice';
import { TableSkeleton } from '../../ui/common/table-skeleton';
import { PageHeader } from '../../ui/layout/page-header';
import { ModelSearchForm } from '../../ui/models/model-search-form';
import { ModelsTable } from '../../ui/models/models-table';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Models' };

export default async function ModelsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const search = firstParam(params.search)?.trim() || undefined;
  const tag = firstParam(params.tag)?.trim() || undefined;
  const cursor = firstParam(params.cursor) || undefined;
  return (
    <>
      <PageHeader title="Models" description="Registered models, their latest version and where their aliases point." />
      <ModelSearchForm search={search ?? ''} tag={tag ?? ''} />
      <Suspense key={`${search}|${tag}|${cursor}`} fallback={<TableSkeleton label="Loading models" />}>
        <ModelsData search={search} tag={tag} cursor={cursor} />
      </Suspense>
    </>
  );
}

async function ModelsData({ search, tag, cursor }: { search?: string; tag?: string; cursor?: string }) {
  const result = await listModels({ search, tag, cursor });
  if (!result.ok) return <ApiErrorNotice title="Could not load models" failure={result.error} testId="models-error" />;
  const next = new URLSearchParams();
  if (search) next.set('search', search);
  if (tag) next.set('tag', tag);
  if (result.data.nextCursor) next.set('cursor', result.data.nextCursor);
  return (
    <ModelsTable models={result.data.models} filtered={Boolean(search || tag)} nextHref={result.data.nextCursor ? `/models?${next.toString()}` : undefined} />
  );
}
