import { DEFAULT_RUN_ORDER_BY, ErrorCode } from '@slipway/contracts';
import type { Metadata } from 'next';
import { Suspense } from 'react';
import { searchRuns } from '../../lib/api';
import { checkRunSearch, RUN_PAGE_SIZE, type RunSearchCheck } from '../../lib/run-search';
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
  // The one parse of this search in the console's server: the form shows its errors, the data part sends it on.
  const check = checkRunSearch({ filter, orderBy, limit: RUN_PAGE_SIZE });
  return (
    <>
      <PageHeader title="Runs" description="Search every experiment's runs by metrics, params, tags and attributes." />
      <RunSearchForm
        filter={filter}
        orderBy={orderBy}
        filterError={check.ok ? undefined : check.filterError}
        orderError={check.ok ? undefined : check.orderError}
      />
      <Suspense key={`${filter}|${orderBy}`} fallback={<TableSkeleton label="Searching runs" rows={8} />}>
        <RunsData check={check} filter={filter} orderBy={orderBy} />
      </Suspense>
    </>
  );
}

async function RunsData({ check, filter, orderBy }: { check: RunSearchCheck; filter: string; orderBy: string }) {
  if (!check.ok) {
    // A filter or sort that does not parse is explained by the form, at its position; asking the API would only repeat it.
    if (check.filterError || check.orderError) return null;
    const failure = { code: ErrorCode.INVALID_ARGUMENT, message: check.problems.map((p) => `${p.field}: ${p.message}`).join('; '), url: '/runs' };
    return <ApiErrorNotice title="Could not search runs" failure={failure} testId="runs-error" />;
  }
  const result = await searchRuns(check.search);
  if (!result.ok) return <ApiErrorNotice title="Could not search runs" failure={result.error} testId="runs-error" />;
  return <RunResults key={`${filter}|${orderBy}`} initial={result.data} filter={filter} orderBy={orderBy} />;
}
