import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';
import { getWhoAmI, listVersions } from '../../../lib/api';
import { METRICS_RANGES, metricsRangeOf, metricsSince, downsampleMetrics, type MetricsRange } from '../../../lib/deployment-view';
import { getDeploymentMetrics, getDeploymentPage } from '../../../lib/deployments-api';
import { canWrite } from '../../../lib/permissions';
import { firstParam, type SearchParams } from '../../../lib/search-params';
import { TableSkeleton } from '../../../ui/common/table-skeleton';
import { DeploymentLive } from '../../../ui/deployments/deployment-live';

export const dynamic = 'force-dynamic';

type Params = Promise<{ name: string }>;

export const metadata: Metadata = { title: 'Deployment' };

export default async function DeploymentPage({ params, searchParams }: { params: Params; searchParams: Promise<SearchParams> }) {
  const { name } = await params;
  const range = metricsRangeOf(firstParam((await searchParams).range));
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/deployments" className="text-sky-700 underline-offset-2 hover:underline">
          Deployments
        </Link>
        <span aria-hidden="true" className="px-1 text-slate-500">
          /
        </span>
      </p>
      <Suspense fallback={<TableSkeleton label="Loading the deployment" />}>
        <DeploymentData name={decodeURIComponent(name)} range={range} />
      </Suspense>
    </>
  );
}

/** First paint from the server (with the traffic over the range in the URL); the client component keeps it live. The model's READY versions feed the action forms. */
async function DeploymentData({ name, range }: { name: string; range: MetricsRange }) {
  const [page, identity, metrics] = await Promise.all([getDeploymentPage(name), getWhoAmI(), getDeploymentMetrics(name, metricsSince(range, Date.now()))]);
  const editor = canWrite(identity);
  let versions: number[] = [];
  if (page.ok && editor) {
    const list = await listVersions(page.data.deployment.model, { limit: 100 });
    if (list.ok) versions = list.data.versions.filter((v) => v.status === 'READY').map((v) => v.version);
  }
  return (
    <DeploymentLive
      name={name}
      initial={page}
      initialMetrics={metrics.ok ? { ok: true, data: downsampleMetrics(metrics.data, METRICS_RANGES[range].stepSeconds) } : metrics}
      initialRange={range}
      versions={versions}
      canEdit={editor}
      renderedAt={new Date().toISOString()}
    />
  );
}
