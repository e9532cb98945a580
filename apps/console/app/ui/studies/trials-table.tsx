'use client';

import type { TuningStudyDetail } from '@slipway/contracts';
import Link from 'next/link';
import { useState } from 'react';
import { formatMetric } from '../../lib/format';
import { formatParam, sortTrials, type SortDirection, type TrialSortKey } from '../../lib/studies/study-view';
import { ScrollRegion } from '../common/scroll-region';
import { TrialStatusBadge } from './study-status';

const th = 'px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-600';

/** Every trial of the study, one column per searched parameter; sortable by number, value or state. */
export function TrialsTable({ study }: { study: TuningStudyDetail }) {
  const [sort, setSort] = useState<{ key: TrialSortKey; direction: SortDirection }>({ key: 'number', direction: 'asc' });
  if (study.trials.length === 0) {
    return (
      <p data-testid="trials-empty" className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-600">
        {study.status === 'CREATED'
          ? 'No trials yet: the study has not been started.'
          : 'No trials yet: the scheduler queues the first ones as soon as it picks the study up.'}
      </p>
    );
  }
  const params = Object.keys(study.searchSpace);
  const rows = sortTrials(study.trials, sort.key, sort.direction);
  const bestId = study.best?.trialId;
  const header = (key: TrialSortKey, label: string, numeric = false) => {
    const current = sort.key === key;
    const next: SortDirection = current && sort.direction === 'asc' ? 'desc' : 'asc';
    return (
      <th scope="col" className={`${th} ${numeric ? 'text-right' : ''}`} aria-sort={current ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}>
        <button
          type="button"
          onClick={() => setSort({ key, direction: current ? next : key === 'value' && study.objective.direction === 'maximize' ? 'desc' : 'asc' })}
          className="inline-flex items-center gap-1 font-semibold uppercase hover:text-slate-900"
        >
          {label}
          <span aria-hidden="true">{current ? (sort.direction === 'asc' ? '▲' : '▼') : '↕'}</span>
        </button>
      </th>
    );
  };
  return (
    <ScrollRegion label="Trials table" className="rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="trials-table" data-sort={`${sort.key}:${sort.direction}`}>
        <caption className="sr-only">Trials of this study</caption>
        <thead className="bg-slate-50">
          <tr>
            {header('number', '#')}
            {header('status', 'State')}
            {header('value', study.objective.metric, true)}
            {params.map((p) => (
              <th key={p} scope="col" className={`${th} font-mono normal-case`}>
                {p}
              </th>
            ))}
            <th scope="col" className={th}>
              Note
            </th>
            <th scope="col" className={th}>
              Run
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((trial) => (
            <tr
              key={trial.id}
              data-testid="trial-row"
              data-trial={trial.number}
              data-status={trial.status}
              data-best={trial.id === bestId ? 'true' : undefined}
              className={trial.id === bestId ? 'bg-emerald-50/60' : undefined}
            >
              <th scope="row" className="px-3 py-1.5 text-left font-mono text-xs">
                {trial.number}
                {trial.id === bestId ? <span className="ml-1 text-emerald-800">(best)</span> : null}
              </th>
              <td className="whitespace-nowrap px-3 py-1.5">
                <TrialStatusBadge status={trial.status} />
              </td>
              <td className="whitespace-nowrap px-3 py-1.5 text-right font-mono text-xs tabular-nums" data-testid="trial-value">
                {trial.value === null ? '—' : formatMetric(trial.value)}
              </td>
              {params.map((p) => (
                <td key={p} className="whitespace-nowrap px-3 py-1.5 font-mono text-xs" data-param={p}>
                  {formatParam(trial.params[p])}
                </td>
              ))}
              <td className="max-w-72 px-3 py-1.5 text-xs text-slate-700">
                {trial.status === 'PRUNED' && trial.prunedAtStep !== null ? `pruned at step ${trial.prunedAtStep}` : ''}
                {trial.error ? (
                  <span className={trial.status === 'FAILED' ? 'text-red-800' : ''}>
                    {trial.status === 'PRUNED' && trial.prunedAtStep !== null ? `: ${trial.error}` : trial.error}
                  </span>
                ) : null}
                {trial.attempts > 1 ? <span className="block text-slate-600">{trial.attempts} attempts</span> : null}
              </td>
              <td className="whitespace-nowrap px-3 py-1.5 font-mono text-xs">
                {trial.runId ? (
                  <Link
                    href={`/runs/${trial.runId}`}
                    className="text-sky-700 underline-offset-2 hover:underline"
                    data-testid="trial-run-link"
                    aria-label={`Run of trial ${trial.number}`}
                  >
                    {trial.runId.slice(0, 8)}
                  </Link>
                ) : (
                  '—'
                )}
                {trial.trainingJobId ? (
                  <Link
                    href={`/training/${trial.trainingJobId}`}
                    className="ml-2 text-sky-700 underline-offset-2 hover:underline"
                    aria-label={`Training job of trial ${trial.number}`}
                  >
                    job
                  </Link>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
