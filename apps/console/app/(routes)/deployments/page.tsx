import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';
import { getWhoAmI } from '../../lib/api';
import { listDeployments } from '../../lib/deployments-api';
import { formatDateTime } from '../../lib/format';
import { canWrite } from '../../lib/permissions';
import { firstParam, type SearchParams } from '../../lib/search-params';
import { ApiErrorNotice } from '../../ui/common/api-error-notice';
import { TableSkeleton } from '../../ui/common/table-skeleton';
import { DeploymentStatusBadge, TrafficSplitBar } from '../../ui/deployments/traffic-split';
import { PageHeader } from '../../ui/layout/page-header';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Deployments' };

export default async function DeploymentsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const cursor = firstParam(params.cursor) || undefined;
  const deleted = firstParam(params.deleted);
  const identity = await getWhoAmI();
  return (
    <>
      <PageHeader
        title="Deployments"
        description="What serves each model's traffic: the stable version, a canary or shadow beside it, and how traffic is split."
        aside={
          canWrite(identity) ? (
            <Link href="/deployments/new" className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-800">
              New deployment
            </Link>
          ) : null
        }
      />
      {deleted ? (
        <p
          role="status"
          className="mb-3 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900"
          data-testid="deployment-deleted-notice"
        >
          {`Deleted ${deleted}: nothing is served from it any more.`}
        </p>
      ) : null}
      <Suspense key={cursor ?? ''} fallback={<TableSkeleton label="Loading deployments" />}>
        <DeploymentsTable cursor={cursor} />
      </Suspense>
    </>
  );
}

/** One page of deployments, newest first; the API's cursor leads to the next (the cursor is opaque: there is no page number). */
async function DeploymentsTable({ cursor }: { cursor?: string }) {
  const result = await listDeployments({ cursor });
  if (!result.ok) return <ApiErrorNotice title="Could not load deployments" failure={result.error} testId="deployments-error" />;
  const { deployments, nextCursor } = result.data;
  if (deployments.length === 0 && cursor) {
    return (
      <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-600" data-testid="deployments-empty">
        No more deployments.{' '}
        <Link href="/deployments" className="text-sky-700 underline">
          Back to the newest
        </Link>
      </p>
    );
  }
  if (deployments.length === 0) {
    return (
      <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-600" data-testid="deployments-empty">
        No deployments yet. Deploy a READY model version to serve it.
      </p>
    );
  }
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="min-w-full text-sm" data-testid="deployments-table">
        <caption className="sr-only">Deployments</caption>
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
          <tr>
            {['Name', 'Model', 'Status', 'Versions', 'Traffic', 'Revision', 'Updated'].map((h) => (
              <th key={h} scope="col" className="px-3 py-2">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {deployments.map((d) => (
            <tr key={d.id} data-testid="deployment-row" data-name={d.name}>
              <th scope="row" className="px-3 py-2 text-left font-mono">
                <Link href={`/deployments/${encodeURIComponent(d.name)}`} className="text-sky-700 underline-offset-2 hover:underline">
                  {d.name}
                </Link>
              </th>
              <td className="px-3 py-2 font-mono text-xs">
                <Link href={`/models/${encodeURIComponent(d.model)}`} className="text-sky-700 underline-offset-2 hover:underline">
                  {d.model}
                </Link>
                {d.trackedAlias ? <span className="ml-1 text-slate-600">@{d.trackedAlias}</span> : null}
              </td>
              <td className="px-3 py-2">
                <DeploymentStatusBadge status={d.status} />
              </td>
              <td className="px-3 py-2 font-mono text-xs" data-testid="deployment-versions">
                {[
                  `stable v${d.revision.stable.version}`,
                  d.revision.canary ? `canary v${d.revision.canary.version}` : null,
                  d.revision.shadow ? `shadow v${d.revision.shadow.version}` : null,
                ]
                  .filter(Boolean)
                  .join(', ')}
              </td>
              <td className="px-3 py-2">
                <TrafficSplitBar revision={d.revision} compact />
              </td>
              <td className="px-3 py-2 font-mono text-xs">{d.currentRevision}</td>
              <td className="whitespace-nowrap px-3 py-2 text-xs">{formatDateTime(d.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <nav aria-label="Deployment pages" className="flex gap-4 border-t border-slate-100 px-3 py-2 text-sm" data-testid="deployments-pager">
        {cursor ? (
          <Link href="/deployments" className="font-medium text-sky-700 underline">
            Newest
          </Link>
        ) : null}
        {nextCursor ? (
          <Link href={`/deployments?cursor=${encodeURIComponent(nextCursor)}`} className="font-medium text-sky-700 underline">
            Next page
          </Link>
        ) : (
          <span className="text-slate-600">{cursor ? 'Last page.' : `${deployments.length} deployments.`}</span>
        )}
      </nav>
    </div>
  );
}
