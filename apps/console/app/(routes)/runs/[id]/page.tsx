import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';
import { getMetricHistory, getRun } from '../../../lib/api';
import { formatBytes, formatDateTime, formatMetric } from '../../../lib/format';
import { MAX_CHARTED_METRICS } from '../../../lib/run-search';
import { ApiErrorNotice } from '../../../ui/common/api-error-notice';
import { StatusBadge } from '../../../ui/common/status-badge';
import { TableSkeleton } from '../../../ui/common/table-skeleton';
import { PageHeader } from '../../../ui/layout/page-header';
import { RunMetricCharts } from '../../../ui/runs/run-metric-charts';

export const dynamic = 'force-dynamic';

type Params = Promise<{ id: string }>;

export const metadata: Metadata = { title: 'Run' };

export default async function RunPage({ params }: { params: Params }) {
  const { id } = await params;
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/runs" className="text-sky-700 underline-offset-2 hover:underline">
          Runs
        </Link>
        <span aria-hidden="true" className="px-1 text-slate-500">
          /
        </span>
      </p>
      <Suspense fallback={<TableSkeleton label="Loading the run" />}>
        <RunData id={id} />
      </Suspense>
    </>
  );
}

function KeyValueTable({ caption, rows, testId }: { caption: string; rows: { key: string; value: string }[]; testId: string }) {
  if (rows.length === 0) return <p className="text-sm text-slate-600">None.</p>;
  return (
    <table className="min-w-full divide-y divide-slate-100 text-sm" data-testid={testId}>
      <caption className="sr-only">{caption}</caption>
      <thead className="text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
        <tr>
          <th scope="col" className="py-1 pr-4">
            Key
          </th>
          <th scope="col" className="py-1">
            Value
          </th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-50">
        {rows.map((row) => (
          <tr key={row.key}>
            <th scope="row" className="py-1 pr-4 text-left font-mono font-medium">
              {row.key}
            </th>
            <td className="break-all py-1 font-mono">{row.value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Panel({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={`${id}-heading`} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <h2 id={`${id}-heading`} className="mb-2 text-base font-semibold text-slate-900">
        {title}
      </h2>
      {children}
    </section>
  );
}

async function RunData({ id }: { id: string }) {
  const result = await getRun(id);
  if (!result.ok) return <ApiErrorNotice title={`Could not load run ${id}`} failure={result.error} testId="run-error" />;
  const run = result.data;
  const status = run.status;
  return (
    <div className="space-y-6">
      <PageHeader
        title={run.name || `Run ${run.id.slice(0, 8)}`}
        description={`Run ${run.id} in experiment ${run.experimentId}`}
        aside={
          <StatusBadge
            tone={status === 'FINISHED' ? 'good' : status === 'FAILED' || status === 'KILLED' ? 'bad' : 'neutral'}
            label={status.toLowerCase()}
            testId="run-status"
          />
        }
      />
      {run.deletedAt ? (
        <p role="status" className="rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900">
          This run was deleted on {formatDateTime(run.deletedAt)}; it stays out of searches until restored.
        </p>
      ) : null}
      <dl className="grid grid-cols-2 gap-x-6 gap-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-sm sm:grid-cols-4">
        {[
          ['Created', formatDateTime(run.createdAt)],
          ['Started', run.startedAt ? formatDateTime(run.startedAt) : '—'],
          ['Ended', run.endedAt ? formatDateTime(run.endedAt) : '—'],
          ['Created by', run.createdBy ?? '—'],
          ['Seed', run.seed === null ? '—' : String(run.seed)],
          ['Dataset', run.datasetSha256 ? `sha256:${run.datasetSha256.slice(0, 12)}…` : '—'],
          ['Code', run.codeVersion ?? '—'],
        ].map(([label, value]) => (
          <div key={label}>
            <dt className="text-xs font-medium text-slate-600">{label}</dt>
            <dd className="break-all font-mono text-xs">{value}</dd>
          </div>
        ))}
      </dl>

      <div className="grid grid-cols-1 gap-4 lg:grid-cols-3">
        <Panel id="params" title="Parameters">
          <KeyValueTable caption="Parameters" rows={run.params} testId="run-params" />
        </Panel>
        <Panel id="latest-metrics" title="Latest metrics">
          <KeyValueTable
            caption="Latest value of each metric"
            rows={run.metrics.map((m) => ({ key: m.key, value: `${formatMetric(m.value)} (step ${m.step})` }))}
            testId="run-metrics"
          />
        </Panel>
        <Panel id="tags" title="Tags">
          <KeyValueTable caption="Tags" rows={Object.entries(run.tags).map(([key, value]) => ({ key, value }))} testId="run-tags" />
        </Panel>
      </div>

      <section aria-labelledby="history-heading">
        <h2 id="history-heading" className="mb-3 text-lg font-semibold text-slate-900">
          Metric history
        </h2>
        <Suspense
          fallback={<div aria-busy="true" aria-label="Loading metric history" className="h-60 animate-pulse rounded-lg border border-slate-200 bg-white" />}
        >
          <MetricHistories runId={run.id} keys={run.metrics.map((m) => m.key)} />
        </Suspense>
      </section>

      <Panel id="artifacts" title="Artifacts">
        {run.artifacts.length === 0 ? (
          <p className="text-sm text-slate-600">No artifacts.</p>
        ) : (
          <table className="min-w-full divide-y divide-slate-100 text-sm" data-testid="run-artifacts">
            <caption className="sr-only">Artifacts of this run</caption>
            <thead className="text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="py-1 pr-4">
                  Path
                </th>
                <th scope="col" className="py-1 pr-4 text-right">
                  Size
                </th>
                <th scope="col" className="py-1 pr-4">
                  Type
                </th>
                <th scope="col" className="py-1 pr-4">
                  sha256
                </th>
                <th scope="col" className="py-1">
                  Created
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-50">
              {run.artifacts.map((artifact) => (
                <tr key={artifact.path}>
                  <th scope="row" className="py-1 pr-4 text-left font-mono font-medium">
                    {artifact.path}
                  </th>
                  <td className="py-1 pr-4 text-right tabular-nums">{formatBytes(artifact.sizeBytes)}</td>
                  <td className="py-1 pr-4 font-mono text-xs">{artifact.contentType}</td>
                  <td className="py-1 pr-4 font-mono text-xs" title={artifact.sha256}>
                    {artifact.sha256.slice(0, 16)}…
                  </td>
                  <td className="whitespace-nowrap py-1 text-slate-600">{formatDateTime(artifact.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Panel>
    </div>
  );
}

async function MetricHistories({ runId, keys }: { runId: string; keys: string[] }) {
  if (keys.length === 0) return <p className="text-sm text-slate-600">No metrics logged.</p>;
  const charted = keys.slice(0, MAX_CHARTED_METRICS);
  const histories = await Promise.all(charted.map((key) => getMetricHistory(runId, key)));
  const failed = histories.find((h) => !h.ok);
  if (failed && !failed.ok) return <ApiErrorNotice title="Could not load metric history" failure={failed.error} testId="history-error" />;
  return (
    <>
      <RunMetricCharts
        histories={histories.flatMap((h) => (h.ok ? [{ key: h.data.key, points: h.data.points.map((p) => ({ step: p.step, value: p.value })) }] : []))}
      />
      {keys.length > charted.length ? (
        <p className="mt-2 text-xs text-slate-600">{keys.length - charted.length} more metrics are listed under latest metrics.</p>
      ) : null}
    </>
  );
}
