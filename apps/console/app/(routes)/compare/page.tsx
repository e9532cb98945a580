import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';
import { compare } from '../../lib/api';
import { MAX_COMPARED, MIN_COMPARED, parseVersionRefs, type VersionRef } from '../../lib/registry-view';
import type { SearchParams } from '../../lib/search-params';
import { ApiErrorNotice } from '../../ui/common/api-error-notice';
import { CompareView } from '../../ui/compare/compare-view';
import { PageHeader } from '../../ui/layout/page-header';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Compare versions' };

export default async function ComparePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { refs, invalid } = parseVersionRefs((await searchParams).v);
  const problem =
    invalid.length > 0
      ? `These are not versions (expected model:number): ${invalid.join(', ')}.`
      : refs.length < MIN_COMPARED
        ? `Pick at least ${MIN_COMPARED} versions on a model's page to compare them.`
        : refs.length > MAX_COMPARED
          ? `At most ${MAX_COMPARED} versions compare at once; this link has ${refs.length}.`
          : undefined;
  return (
    <>
      <PageHeader title="Compare versions" description={refs.map((r) => `${r.model}@${r.version}`).join(' · ') || undefined} />
      {problem ? (
        <div role="alert" data-testid="compare-problem" className="rounded-lg border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900">
          {problem}{' '}
          <Link href="/models" className="font-medium underline">
            Go to models
          </Link>
        </div>
      ) : (
        <Suspense key={refs.map((r) => `${r.model}:${r.version}`).join(',')} fallback={<CompareSkeleton />}>
          <CompareData refs={refs} />
        </Suspense>
      )}
    </>
  );
}

async function CompareData({ refs }: { refs: VersionRef[] }) {
  const result = await compare({ versions: refs });
  if (!result.ok) return <ApiErrorNotice title="Could not compare these versions" failure={result.error} testId="compare-error" />;
  return <CompareView result={result.data} />;
}

function CompareSkeleton() {
  return (
    <div aria-busy="true" aria-label="Loading the comparison" className="animate-pulse space-y-6">
      <div className="h-32 rounded-lg border border-slate-200 bg-white" />
      <div className="h-48 rounded-lg border border-slate-200 bg-white" />
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
        <div className="h-64 rounded-lg border border-slate-200 bg-white" />
        <div className="h-64 rounded-lg border border-slate-200 bg-white" />
      </div>
    </div>
  );
}
