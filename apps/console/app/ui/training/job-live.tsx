'use client';

import type { TrainingJobView } from '@slipway/contracts';
import { useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import type { ApiResult } from '../../lib/api-result';
import { fetchFromConsole } from '../../lib/console-fetch';
import { formatAgo, formatDateTime, formatMetric } from '../../lib/format';
import { epochCharts, foldTableFromHistories, formatDuration, isActiveJob, trainingJobPageSchema, type TrainingJobPage } from '../../lib/training-view';
import { MetricLineChart } from '../charts/metric-line-chart';
import { ApiErrorNotice } from '../common/api-error-notice';
import { StatusBadge } from '../common/status-badge';
import { PageHeader } from '../layout/page-header';
import { useLiveQuery, useNow } from '../query/use-live-query';
import { CvTable, EvaluationPanels, Panel } from './evaluation-panels';
import { CancelJob, RegisteredVersion, RegisterJob } from './job-actions';
import { JobProgress, JobStatusBadge } from './job-status';
import { ScrollRegion } from '../common/scroll-region';

/** While the job is queued or running the page polls this often; once it has ended it stops. */
const POLL_MS = 1500;

export function TrainingJobLive({
  id,
  initial,
  canEdit,
  renderedAt,
}: {
  id: string;
  initial: ApiResult<TrainingJobPage>;
  canEdit: boolean;
  renderedAt: string;
}) {
  const renderedAtMs = Date.parse(renderedAt);
  const [active, setActive] = useState(() => !initial.ok || isActiveJob(initial.data.job.status));
  const queryKey = ['training-job', id] as const;
  const live = useLiveQuery(
    { queryKey, queryFn: ({ signal }) => fetchFromConsole(`/api/training/jobs/${encodeURIComponent(id)}`, trainingJobPageSchema, { signal }) },
    initial,
    { intervalMs: active ? POLL_MS : 0, renderedAtMs },
  );
  const now = useNow(renderedAtMs);
  const queryClient = useQueryClient();
  const status = live.data?.job.status;
  useEffect(() => {
    if (status !== undefined) setActive(isActiveJob(status));
  }, [status]);
  const refresh = () => {
    setActive(true);
    void queryClient.invalidateQueries({ queryKey });
  };

  if (!live.data) return live.failure ? <ApiErrorNotice title={`Could not load training job ${id}`} failure={live.failure} testId="job-error" /> : null;
  const { job, histories, runFailure } = live.data;
  const charts = epochCharts(histories);
  const folds = foldTableFromHistories(histories);
  const running = isActiveJob(job.status);
  return (
    <div className="space-y-6" data-testid="training-job" data-status={job.status}>
      <PageHeader title={job.name} description={`Training job ${job.id}: ${job.algorithm} (${job.task})`} aside={<JobStatusBadge status={job.status} />} />
      {live.failure ? <ApiErrorNotice title="Live updates failed; showing the last state received" failure={live.failure} testId="job-poll-error" /> : null}
      <p className="text-xs text-slate-600" data-testid="job-freshness" data-live={running ? 'true' : 'false'}>
        {running ? `Live: refreshing every ${POLL_MS / 1000} s while the job runs. ` : ''}Updated {formatAgo(live.updatedAt, now)}.
      </p>

      <Summary job={job} />

      {job.status === 'FAILED' && job.error ? (
        <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-900" data-testid="job-failure">
          <p className="font-semibold">The job failed</p>
          <p className="mt-1 whitespace-pre-wrap break-words font-mono text-xs">{job.error}</p>
        </div>
      ) : null}
      {job.cancelRequestedAt && running ? (
        <p role="status" className="rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900" data-testid="cancel-requested">
          Cancel requested {formatAgo(job.cancelRequestedAt, now)}; the worker stops at its next progress report.
        </p>
      ) : null}

      {running || charts.length > 0 || (folds.rows.length > 0 && !job.evaluation) ? (
        <Panel
          id="progress"
          title={running ? 'Progress' : 'Training curves'}
          description={job.runId ? undefined : 'The run starts when a worker takes the job.'}
        >
          <div className="space-y-4">
            <div className="flex flex-wrap items-center justify-between gap-4">
              <JobProgress job={job} />
              {canEdit && running && !job.cancelRequestedAt ? <CancelJob jobId={job.id} onDone={refresh} /> : null}
            </div>
            {running && job.progress && Object.keys(job.progress.metrics).length > 0 ? (
              <dl className="flex flex-wrap gap-x-6 gap-y-1 text-sm" data-testid="progress-metrics">
                {Object.entries(job.progress.metrics).map(([key, value]) => (
                  <div key={key}>
                    <dt className="font-mono text-xs text-slate-600">{key}</dt>
                    <dd className="font-mono tabular-nums">{formatMetric(value)}</dd>
                  </div>
                ))}
              </dl>
            ) : null}
            {charts.length > 0 ? (
              <div className="grid grid-cols-1 gap-4 lg:grid-cols-2" data-testid="epoch-charts">
                {charts.map((chart) => (
                  <MetricLineChart key={chart.title} title={chart.title} series={chart.series} height={200} />
                ))}
              </div>
            ) : null}
            {job.evaluationPlan.kind === 'kfold' && (running || !job.evaluation) ? (
              <div>
                <h3 className="mb-1 text-sm font-semibold text-slate-900">Folds</h3>
                <CvTable table={folds} testId="fold-progress" />
              </div>
            ) : null}
            {runFailure ? <p className="text-xs text-amber-800">The run&apos;s metrics could not be read: {runFailure}</p> : null}
          </div>
        </Panel>
      ) : null}

      {job.evaluation ? <EvaluationPanels evaluation={job.evaluation} /> : null}

      {job.status === 'SUCCEEDED' ? (
        <Panel id="registry" title="Registry">
          {job.modelVersion ? (
            <RegisteredVersion model={job.modelVersion.model} version={job.modelVersion.version} canEdit={canEdit} />
          ) : canEdit ? (
            <RegisterJob jobId={job.id} suggestedModel={job.registerAs?.model ?? ''} onDone={refresh} />
          ) : (
            <p className="text-sm text-slate-600" data-testid="register-read-only">
              Not registered. Registering a model needs an editor or admin token.
            </p>
          )}
        </Panel>
      ) : null}

      <Attempts job={job} />
      {job.result ? <ResultPanel result={job.result} /> : null}
    </div>
  );
}

function Summary({ job }: { job: TrainingJobView }) {
  const plan =
    job.evaluationPlan.kind === 'kfold'
      ? `${job.evaluationPlan.folds}-fold${job.evaluationPlan.stratify ? ', stratified' : ''}`
      : `hold-out ${job.evaluationPlan.testFraction}${job.evaluationPlan.stratify ? ', stratified' : ''}`;
  const items: [string, React.ReactNode][] = [
    [
      'Dataset',
      job.dataset ? (
        <Link href={`/datasets/${job.dataset.id}`} className="text-sky-700 underline-offset-2 hover:underline">
          {job.dataset.name}
        </Link>
      ) : (
        'deleted'
      ),
    ],
    ['Target', job.targetColumn ?? '—'],
    ['Features', job.featureColumns ? `${job.featureColumns.length} chosen` : 'all but the target'],
    ['Evaluation', plan],
    ['Seed', String(job.seed)],
    [
      'Run',
      job.runId ? (
        <Link href={`/runs/${job.runId}`} className="text-sky-700 underline-offset-2 hover:underline" data-testid="job-run-link">
          {job.runId.slice(0, 8)}
        </Link>
      ) : (
        '—'
      ),
    ],
    ['Attempts', `${job.attempts}/${job.maxAttempts}`],
    ['Worker', job.workerId ?? '—'],
    ['Created', `${formatDateTime(job.createdAt)}${job.createdBy ? ` by ${job.createdBy}` : ''}`],
    ['Started', job.startedAt ? formatDateTime(job.startedAt) : '—'],
    ['Finished', job.finishedAt ? formatDateTime(job.finishedAt) : '—'],
    ['Register as', job.registerAs ? `${job.registerAs.model}${job.registerAs.alias ? `@${job.registerAs.alias}` : ''}` : '—'],
  ];
  return (
    <dl className="grid grid-cols-2 gap-x-6 gap-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-sm sm:grid-cols-4" data-testid="job-summary">
      {items.map(([label, value]) => (
        <div key={label}>
          <dt className="text-xs font-medium text-slate-600">{label}</dt>
          <dd className="break-all font-mono text-xs">{value}</dd>
        </div>
      ))}
      <div className="col-span-2 sm:col-span-4">
        <dt className="text-xs font-medium text-slate-600">Hyper-parameters</dt>
        <dd className="break-all font-mono text-xs" data-testid="job-hyperparameters">
          {JSON.stringify(job.hyperparameters)}
        </dd>
      </div>
    </dl>
  );
}

function Attempts({ job }: { job: TrainingJobView }) {
  if (job.attemptHistory.length === 0) return null;
  return (
    <Panel
      id="attempts"
      title="Attempts"
      description="Each attempt has its own run; a LOST attempt's worker stopped heartbeating and the queue retried the job."
    >
      <ScrollRegion label="Attempts table">
        <table className="min-w-full text-sm" data-testid="attempts">
          <caption className="sr-only">Attempts of this job</caption>
          <thead className="text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
            <tr>
              {['#', 'Outcome', 'Run', 'Worker', 'Started', 'Ended', 'Reason'].map((h) => (
                <th key={h} scope="col" className="px-2 py-1">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-50">
            {job.attemptHistory.map((a) => (
              <tr key={a.attempt} data-testid="attempt-row" data-outcome={a.outcome}>
                <th scope="row" className="px-2 py-1 text-left font-mono">
                  {a.attempt}
                </th>
                <td className="px-2 py-1">
                  <StatusBadge
                    tone={a.outcome === 'SUCCEEDED' ? 'good' : a.outcome === 'FAILED' || a.outcome === 'LOST' ? 'bad' : 'neutral'}
                    label={a.outcome.toLowerCase()}
                  />
                </td>
                <td className="px-2 py-1 font-mono text-xs">
                  <Link href={`/runs/${a.runId}`} className="text-sky-700 underline-offset-2 hover:underline">
                    {a.runId.slice(0, 8)}
                  </Link>
                </td>
                <td className="px-2 py-1 font-mono text-xs">{a.workerId ?? '—'}</td>
                <td className="whitespace-nowrap px-2 py-1 text-xs">{formatDateTime(a.startedAt)}</td>
                <td className="whitespace-nowrap px-2 py-1 text-xs">{a.endedAt ? formatDateTime(a.endedAt) : '—'}</td>
                <td className="px-2 py-1 text-xs">{a.reason ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </Panel>
  );
}

function ResultPanel({ result }: { result: NonNullable<TrainingJobView['result']> }) {
  const backend = result.backend;
  const rows: [string, string][] = [
    [
      'Backend',
      [backend.backend, backend.tfBackend && backend.tfBackend !== backend.backend ? `(tfjs ${backend.tfBackend})` : ''].filter(Boolean).join(' ') || '—',
    ],
    ['Device', backend.device ?? backend.adapter?.description ?? '—'],
    ['TF.js', backend.tfjsVersion ?? '—'],
    ['Worker', result.workerId],
    ['Code version', result.codeVersion],
    ['Artifact', `${result.artifact.path} (${result.artifact.files.length} files)`],
  ];
  const durations: [string, number][] = [
    ['queued', result.durationsMs.queued],
    ['load', result.durationsMs.load],
    ['fit', result.durationsMs.fit],
    ['save', result.durationsMs.save],
    ['total', result.durationsMs.total],
  ];
  return (
    <Panel
      id="result"
      title="Where and how long"
      description="What the worker recorded: the backend it trained on and the time per phase (fit includes the folds)."
    >
      <dl className="grid grid-cols-2 gap-x-6 gap-y-2 text-sm sm:grid-cols-3" data-testid="job-result">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt className="text-xs font-medium text-slate-600">{label}</dt>
            <dd className="break-all font-mono text-xs">{value}</dd>
          </div>
        ))}
      </dl>
      <dl className="mt-3 flex flex-wrap gap-x-6 gap-y-1 text-sm" data-testid="job-durations">
        {durations.map(([label, ms]) => (
          <div key={label}>
            <dt className="text-xs text-slate-600">{label}</dt>
            <dd className="font-mono tabular-nums">{formatDuration(ms)}</dd>
          </div>
        ))}
      </dl>
    </Panel>
  );
}
