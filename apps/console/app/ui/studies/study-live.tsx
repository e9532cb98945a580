'use client';

import { tuningStudyDetailSchema, type TuningStudyDetail } from '@slipway/contracts';
import { useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import type { ApiResult } from '../../lib/api-result';
import { fetchFromConsole } from '../../lib/console-fetch';
import { formatAgo, formatDateTime, formatMetric } from '../../lib/format';
import { formatParam, isActiveStudy } from '../../lib/studies/study-view';
import { ApiErrorNotice } from '../common/api-error-notice';
import { PageHeader } from '../layout/page-header';
import { useLiveQuery, useNow } from '../query/use-live-query';
import { Panel } from '../training/evaluation-panels';
import { RegisteredVersion } from '../training/job-actions';
import { IntermediateValuesChart, OptimisationHistoryChart, ParallelCoordinatesChart, ParameterImportanceChart } from './study-charts';
import { RegisterBest, ResumeStudy, StopStudy } from './study-actions';
import { StudyProgress, StudyStatusBadge } from './study-status';
import { TrialsTable } from './trials-table';

/** While the study is active the page polls this often; once it has ended it stops. */
const POLL_MS = 1500;

export function StudyLive({ id, initial, canEdit, renderedAt }: { id: string; initial: ApiResult<TuningStudyDetail>; canEdit: boolean; renderedAt: string }) {
  const renderedAtMs = Date.parse(renderedAt);
  // A study that does not exist stays not found: no point polling for it.
  const [active, setActive] = useState(() => (initial.ok ? isActiveStudy(initial.data.status) : initial.error.status !== 404));
  const queryKey = ['study', id] as const;
  const live = useLiveQuery(
    { queryKey, queryFn: ({ signal }) => fetchFromConsole(`/api/studies/${encodeURIComponent(id)}`, tuningStudyDetailSchema, { signal }) },
    initial,
    { intervalMs: active ? POLL_MS : 0, renderedAtMs },
  );
  const now = useNow(renderedAtMs);
  const queryClient = useQueryClient();
  const status = live.data?.status;
  useEffect(() => {
    if (status !== undefined) setActive(isActiveStudy(status));
  }, [status]);
  const refresh = () => {
    setActive(true);
    void queryClient.invalidateQueries({ queryKey });
  };

  if (!live.data) {
    if (!live.failure) return null;
    if (live.failure.status === 404)
      return (
        <div className="rounded-lg border border-slate-200 bg-white p-6 text-sm text-slate-700" data-testid="study-not-found" role="alert">
          <h1 className="text-lg font-semibold text-slate-900">Study not found</h1>
          <p className="mt-1">
            No study has the id <span className="font-mono">{id}</span>. The{' '}
            <Link href="/studies" className="text-sky-700 underline">
              studies list
            </Link>{' '}
            shows every study.
          </p>
        </div>
      );
    return <ApiErrorNotice title={`Could not load study ${id}`} failure={live.failure} testId="study-error" />;
  }
  const study = live.data;
  const running = isActiveStudy(study.status);
  return (
    <div className="space-y-6" data-testid="study" data-status={study.status}>
      <PageHeader
        title={study.name}
        description={`Study ${study.id}: ${study.strategy} search over ${study.algorithm} (${study.task}), ${study.objective.direction} ${study.objective.metric}`}
        aside={<StudyStatusBadge status={study.status} />}
      />
      {live.failure ? <ApiErrorNotice title="Live updates failed; showing the last state received" failure={live.failure} testId="study-poll-error" /> : null}
      <p className="text-xs text-slate-600" data-testid="study-freshness" data-live={running ? 'true' : 'false'}>
        {running ? `Live: refreshing every ${POLL_MS / 1000} s while the study runs. ` : ''}Updated {formatAgo(live.updatedAt, now)}.
      </p>
      {study.error ? (
        <div
          role={study.status === 'FAILED' ? 'alert' : 'status'}
          className={`rounded-lg border p-4 text-sm ${study.status === 'FAILED' ? 'border-red-200 bg-red-50 text-red-900' : 'border-amber-200 bg-amber-50 text-amber-900'}`}
          data-testid="study-error-message"
        >
          <p className="font-semibold">{study.status === 'FAILED' ? 'The study failed' : 'Why the study stopped'}</p>
          <p className="mt-1 whitespace-pre-wrap break-words text-xs">{study.error}</p>
        </div>
      ) : null}
      {study.stopRequestedAt && running ? (
        <p role="status" className="rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900" data-testid="stop-requested">
          Stop requested {formatAgo(study.stopRequestedAt, now)}
          {study.stopRequestedBy ? ` by ${study.stopRequestedBy}` : ''}; running trials end at their next report.
        </p>
      ) : null}

      <section aria-labelledby="study-overview-heading" className="grid grid-cols-1 gap-4 lg:grid-cols-3">
        <h2 id="study-overview-heading" className="sr-only">
          Progress and best trial
        </h2>
        <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid="study-progress-panel">
          <h3 className="mb-2 text-sm font-semibold text-slate-900">Progress</h3>
          <StudyProgress study={study} />
          <dl className="mt-2 grid grid-cols-3 gap-2 text-xs" data-testid="study-counts">
            {(
              [
                ['completed', study.counts.completed],
                ['pruned', study.counts.pruned],
                ['failed', study.counts.failed],
                ['running', study.counts.running],
                ['queued', study.counts.queued],
                ['parallelism', study.parallelism],
              ] as const
            ).map(([label, value]) => (
              <div key={label}>
                <dt className="text-slate-600">{label}</dt>
                <dd className="font-mono tabular-nums" data-count={label}>
                  {value}
                </dd>
              </div>
            ))}
          </dl>
          {canEdit ? (
            <div className="mt-3" data-testid="study-controls">
              {running && !study.stopRequestedAt && study.status !== 'CREATED' ? <StopStudy studyId={study.id} onDone={refresh} /> : null}
              {study.status === 'STOPPED' || study.status === 'FAILED' || study.status === 'COMPLETED' ? (
                <ResumeStudy
                  studyId={study.id}
                  action="resume"
                  maxTrials={study.maxTrials}
                  maxFailedTrials={study.status === 'FAILED' ? study.maxFailedTrials : undefined}
                  hint={study.status === 'COMPLETED' ? 'A completed study resumes with a higher max trials.' : undefined}
                  onDone={refresh}
                />
              ) : null}
              {study.status === 'CREATED' ? <ResumeStudy studyId={study.id} action="start" maxTrials={study.maxTrials} onDone={refresh} /> : null}
            </div>
          ) : null}
        </div>
        <BestTrial study={study} />
        <Settings study={study} />
      </section>

      <Panel id="trials" title="Trials" description="Each trial is a training job with its own run; click a column header to sort.">
        <TrialsTable study={study} />
      </Panel>

      <section aria-labelledby="study-charts-heading" className="space-y-4">
        <h2 id="study-charts-heading" className="text-base font-semibold text-slate-900">
          Charts
        </h2>
        <div className="grid grid-cols-1 gap-4 xl:grid-cols-2">
          <OptimisationHistoryChart study={study} />
          <ParallelCoordinatesChart study={study} />
          <ParameterImportanceChart study={study} />
          <IntermediateValuesChart study={study} />
        </div>
      </section>

      {study.best || study.registeredVersion ? (
        <Panel id="registry" title="Registry">
          {study.registeredVersion ? (
            <RegisteredVersion model={study.registeredVersion.model} version={study.registeredVersion.version} canEdit={canEdit} />
          ) : canEdit && !running ? (
            <RegisterBest
              studyId={study.id}
              suggestedModel={study.registerBest?.model ?? ''}
              suggestedAlias={study.registerBest?.alias ?? ''}
              onDone={refresh}
            />
          ) : (
            <p className="text-sm text-slate-600" data-testid="register-best-read-only">
              {running
                ? `Not registered yet${study.registerBest ? `: the best trial becomes ${study.registerBest.model}${study.registerBest.alias ? `@${study.registerBest.alias}` : ''} when the study completes` : ''}.`
                : 'Not registered. Registering a model needs an editor or admin token.'}
            </p>
          )}
        </Panel>
      ) : null}
    </div>
  );
}

function BestTrial({ study }: { study: TuningStudyDetail }) {
  const best = study.best;
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid="study-best-panel">
      <h3 className="mb-2 text-sm font-semibold text-slate-900">Best so far</h3>
      {best ? (
        <div data-testid="study-best" data-trial={best.number} data-value={best.value}>
          <p className="text-sm">
            <span className="font-mono text-lg tabular-nums">{formatMetric(best.value)}</span>{' '}
            <span className="text-xs text-slate-600">
              {study.objective.metric}, trial {best.number}
            </span>
          </p>
          <dl className="mt-2 grid grid-cols-2 gap-x-4 gap-y-1 text-xs" data-testid="study-best-params">
            {Object.entries(best.params).map(([name, value]) => (
              <div key={name}>
                <dt className="font-mono text-slate-600">{name}</dt>
                <dd className="font-mono">{formatParam(value)}</dd>
              </div>
            ))}
          </dl>
          {best.runId ? (
            <Link
              href={`/runs/${best.runId}`}
              className="mt-2 inline-block text-sm text-sky-700 underline-offset-2 hover:underline"
              data-testid="best-run-link"
            >
              Open the best trial&apos;s run
            </Link>
          ) : null}
        </div>
      ) : (
        <p className="text-sm text-slate-600" data-testid="study-no-best">
          No completed trial yet.
        </p>
      )}
    </div>
  );
}

function Settings({ study }: { study: TuningStudyDetail }) {
  const plan =
    study.evaluationPlan.kind === 'kfold'
      ? `${study.evaluationPlan.folds}-fold${study.evaluationPlan.stratify ? ', stratified' : ''}`
      : `hold-out ${study.evaluationPlan.testFraction}${study.evaluationPlan.stratify ? ', stratified' : ''}`;
  const early = study.earlyStopping
    ? study.earlyStopping.rule === 'median'
      ? `median (warm-up ${study.earlyStopping.warmupSteps}, min ${study.earlyStopping.minTrials} trials)`
      : `successive halving (min resource ${study.earlyStopping.minResource}, η ${study.earlyStopping.reductionFactor})`
    : 'none';
  const items: [string, React.ReactNode][] = [
    [
      'Dataset',
      study.dataset ? (
        <Link href={`/datasets/${study.dataset.id}`} className="text-sky-700 underline-offset-2 hover:underline">
          {study.dataset.name}
        </Link>
      ) : (
        'deleted'
      ),
    ],
    ['Target', study.targetColumn ?? '—'],
    [
      'Strategy',
      study.strategy === 'tpe' && study.sampler.startupTrials !== undefined ? `tpe (${study.sampler.startupTrials} startup trials)` : study.strategy,
    ],
    ['Evaluation', plan],
    ['Early stopping', early],
    ['Seed', String(study.seed)],
    ['Created', `${formatDateTime(study.createdAt)}${study.createdBy ? ` by ${study.createdBy}` : ''}`],
    ['Finished', study.finishedAt ? formatDateTime(study.finishedAt) : '—'],
    ['Register best as', study.registerBest ? `${study.registerBest.model}${study.registerBest.alias ? `@${study.registerBest.alias}` : ''}` : '—'],
  ];
  return (
    <dl className="grid grid-cols-2 gap-x-4 gap-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-sm" data-testid="study-settings">
      {items.map(([label, value]) => (
        <div key={label}>
          <dt className="text-xs font-medium text-slate-600">{label}</dt>
          <dd className="break-all font-mono text-xs">{value}</dd>
        </div>
      ))}
      <div className="col-span-2">
        <dt className="text-xs font-medium text-slate-600">Search space</dt>
        <dd className="break-all font-mono text-xs" data-testid="study-search-space">
          {JSON.stringify(study.searchSpace)}
        </dd>
      </div>
    </dl>
  );
}
