import type { OverviewResponse } from '@slipway/contracts';
import type { ReactNode } from 'react';
import { formatCount } from '../../lib/format';

function Count({ value, testId, className }: { value: number; testId: string; className: string }) {
  return (
    <span data-testid={testId} data-value={value} className={`tabular-nums ${className}`}>
      {formatCount(value)}
    </span>
  );
}

function StatCard({ label, value, testId, children }: { label: string; value: number; testId: string; children?: ReactNode }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <dt className="text-sm font-medium text-slate-600">{label}</dt>
      <dd className="mt-1">
        <Count value={value} testId={testId} className="text-3xl font-semibold text-slate-900" />
        {children}
      </dd>
    </div>
  );
}

function Breakdown({ items }: { items: { label: string; value: number; testId: string }[] }) {
  return (
    <dl className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-sm text-slate-600">
      {items.map((item) => (
        <div key={item.testId} className="flex items-baseline gap-1">
          <dt>{item.label}</dt>
          <dd>
            <Count value={item.value} testId={item.testId} className="font-semibold text-slate-900" />
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** The platform's counts, one card each; every value carries a `count-*` test id. */
export function OverviewCounts({ overview }: { overview: OverviewResponse }) {
  const { runs, trainingJobs } = overview;
  return (
    <dl className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4">
      <StatCard label="Models" value={overview.models} testId="count-models" />
      <StatCard label="Model versions" value={overview.modelVersions} testId="count-model-versions" />
      <StatCard label="Experiments" value={overview.experiments} testId="count-experiments" />
      <StatCard label="Runs" value={runs.total} testId="count-runs-total">
        <Breakdown
          items={[
            { label: 'running', value: runs.running, testId: 'count-runs-running' },
            { label: 'finished', value: runs.finished, testId: 'count-runs-finished' },
            { label: 'failed', value: runs.failed, testId: 'count-runs-failed' },
          ]}
        />
      </StatCard>
      <StatCard label="Deployments" value={overview.deployments} testId="count-deployments" />
      <StatCard label="Training jobs queued" value={trainingJobs.queued} testId="count-training-jobs-queued">
        <Breakdown items={[{ label: 'running', value: trainingJobs.running, testId: 'count-training-jobs-running' }]} />
      </StatCard>
      <StatCard label="Connected workers" value={overview.workers.connected} testId="count-workers-connected" />
    </dl>
  );
}
