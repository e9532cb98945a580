import { DEFAULT_RUN_ORDER_BY, parseRunFilter, parseRunOrderBy } from '@slipway/contracts';
import type { Metadata } from 'next';
import { Suspense } from 'react';
import { searchRuns } from '../../lib/api';
import { RUN_PAGE_SIZE } from '../../lib/run-search';
import { firstParam, type SearchParams } from '../../lib/search-params';
import { ApiErrorNotice } from '../../ui/common/api-error-notice';
import { TableSkeleton } from '../../ui/common/table-skeleton';
import { PageHeader } from '../../ui/layout/page-header';
import { RunResults } from '../../ui/runs/run-results';
import { RunSearchForm } from '../../ui/runs/run-search-form';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Runs' };

export default async function RunsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const filter = firstParam(params.filter) ?? '';
  const orderBy = firstParam(params.orderBy)?.trim() || DEFAULT_RUN_ORDER_BY;
  return (
    <>
      <PageHeader title="Runs" description="Search every experiment's runs by metrics, params, tags and attributes." />
      <RunSearchForm filter={filter} orderBy={orderBy} />
      <Suspense key={`${filter}|${orderBy}`} fallback={<TableSkeleton label="Searching runs" rows={8} />}>
        <RunsData filter={filter} orderBy={orderBy} />
      </Suspense>
    </>
  );
}

async function RunsData({ filter, orderBy }: { filter: string; orderBy: string }) {
  // A filter that does not parse is explained by the form, at its position; asking the API would only repeat it.
  if (!parseRunFilter(filter).ok || !parseRunOrderBy(orderBy).ok) return null;
  const result = await searchRuns({ filter, orderBy, limit: RUN_PAGE_SIZE });
  if (!result.ok) return <ApiErrorNotice title="Could not search runs" failure={result.error} testId="runs-error" />;
  return <RunResults key={`${filter}|${orderBy}`} initial={result.data} filter={filter} orderBy={orderBy} />;
}
