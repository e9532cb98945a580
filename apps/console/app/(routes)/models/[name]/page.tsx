import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';
import { getModel, getWhoAmI, listVersions } from '../../../lib/api';
import { formatDateTime } from '../../../lib/format';
import { canWrite } from '../../../lib/permissions';
import { chosenMetricColumns, metricKeysOf, versionMetrics } from '../../../lib/registry-view';
import { firstParam, type SearchParams } from '../../../lib/search-params';
import { TagList } from '../../../ui/common/alias-badge';
import { ApiErrorNotice } from '../../../ui/common/api-error-notice';
import { TableSkeleton } from '../../../ui/common/table-skeleton';
import { PageHeader } from '../../../ui/layout/page-header';
import { AliasManager } from '../../../ui/models/alias-manager';
import { VersionsTable, type VersionRow } from '../../../ui/models/versions-table';

export const dynamic = 'force-dynamic';

type Params = Promise<{ name: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: `Model ${decodeURIComponent((await params).name)}` };
}

export default async function ModelPage({ params, searchParams }: { params: Params; searchParams: Promise<SearchParams> }) {
  const name = decodeURIComponent((await params).name);
  const query = await searchParams;
  const before = Number(firstParam(query.before));
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/models" className="text-sky-700 underline-offset-2 hover:underline">
          Models
        </Link>
        <span aria-hidden="true" className="px-1 text-slate-500">
          /
        </span>
      </p>
      <PageHeader title={name} description="Versions, their metrics and lineage; pick some to compare, or move an alias." />
      <Suspense fallback={<TableSkeleton label="Loading the model's versions" />}>
        <ModelData name={name} metricsParam={firstParam(query.metrics)} before={Number.isInteger(before) && before > 0 ? before : undefined} />
      </Suspense>
    </>
  );
}

async function ModelData({ name, metricsParam, before }: { name: string; metricsParam?: string; before?: number }) {
  const [model, versions, identity] = await Promise.all([getModel(name), listVersions(name, { limit: 500, cursor: before }), getWhoAmI()]);
  if (!model.ok) return <ApiErrorNotice title={`Could not load model ${name}`} failure={model.error} testId="model-error" />;
  if (!versions.ok) return <ApiErrorNotice title={`Could not load the versions of ${name}`} failure={versions.error} testId="versions-error" />;

  const metricKeys = metricKeysOf(versions.data.versions);
  // Slim rows for the browser: manifests, curves and schemas stay on the server.
  const rows: VersionRow[] = versions.data.versions.map((v) => ({
    version: v.version,
    status: v.status,
    aliases: v.aliases,
    description: v.description,
    metrics: versionMetrics(v),
    runId: v.runId,
    runName: v.lineage?.runName ?? null,
    createdAt: v.createdAt,
    createdBy: v.createdBy,
  }));
  const { data } = model;
  return (
    <div className="space-y-8">
      <section aria-labelledby="about-heading" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
        <h2 id="about-heading" className="sr-only">
          About this model
        </h2>
        {data.description ? <p className="mb-3 text-sm text-slate-700">{data.description}</p> : null}
        <dl className="grid grid-cols-2 gap-x-6 gap-y-2 text-sm sm:grid-cols-4">
          <div>
            <dt className="text-xs font-medium text-slate-600">Versions</dt>
            <dd className="tabular-nums">{data.versionCount}</dd>
          </div>
          <div>
            <dt className="text-xs font-medium text-slate-600">Latest ready</dt>
            <dd className="font-mono">{data.latestReadyVersion === null ? '—' : `v${data.latestReadyVersion}`}</dd>
          </div>
          <div>
            <dt className="text-xs font-medium text-slate-600">Updated</dt>
            <dd>
              <time dateTime={data.updatedAt}>{formatDateTime(data.updatedAt)}</time>
            </dd>
          </div>
          <div>
            <dt className="text-xs font-medium text-slate-600">Tags</dt>
            <dd>
              <TagList tags={data.tags} />
            </dd>
          </div>
        </dl>
      </section>

      <section aria-labelledby="aliases-heading">
        <h2 id="aliases-heading" className="mb-3 text-lg font-semibold text-slate-900">
          Aliases
        </h2>
        <AliasManager
          model={name}
          aliases={data.aliases}
          versions={rows.filter((r) => r.status === 'READY').map((r) => r.version)}
          canEdit={canWrite(identity)}
          role={identity.ok ? identity.data.role : undefined}
        />
      </section>

      <section aria-labelledby="versions-heading">
        <h2 id="versions-heading" className="mb-3 text-lg font-semibold text-slate-900">
          Versions
        </h2>
        <VersionsTable model={name} rows={rows} metricKeys={metricKeys} metricColumns={chosenMetricColumns(metricsParam, metricKeys)} />
        {versions.data.nextCursor !== null ? (
          <p className="mt-3">
            <Link
              href={`/models/${encodeURIComponent(name)}?before=${versions.data.nextCursor}${metricsParam !== undefined ? `&metrics=${encodeURIComponent(metricsParam)}` : ''}`}
              className="text-sm font-medium text-sky-700 underline"
            >
              Older versions
            </Link>
          </p>
        ) : null}
      </section>
    </div>
  );
}
