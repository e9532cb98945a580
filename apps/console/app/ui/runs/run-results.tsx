'use client';

import { ErrorCode, runSearchResultSchema, type RunSearchResult, type RunSummaryView } from '@slipway/contracts';
import Link from 'next/link';
import { useState } from 'react';
import type { ApiFailure } from '../../lib/api-result';
import { ConsoleFetchError, fetchFromConsole } from '../../lib/console-fetch';
import { formatDateTime, formatMetric } from '../../lib/format';
import { RUN_PAGE_SIZE } from '../../lib/run-search';
import { ApiErrorNotice } from '../common/api-error-notice';
import { StatusBadge } from '../common/status-badge';

/** Columns beyond these would make the table unreadable; the run page has everything. */
const MAX_KEY_COLUMNS = 12;

function keysOf(runs: RunSummaryView[], pick: (run: RunSummaryView) => { key: string }[]): string[] {
  const keys = new Set<string>();
  for (const run of runs) for (const { key } of pick(run)) keys.add(key);
  return [...keys].sort().slice(0, MAX_KEY_COLUMNS);
}

const statusTone = (status: RunSummaryView['status']) => (status === 'FINISHED' ? 'good' : status === 'FAILED' || status === 'KILLED' ? 'bad' : 'neutral');

/** The first page comes from the server; "Load more" follows the API's cursor through the console's route handler. */
export function RunResults({ initial, filter, orderBy }: { initial: RunSearchResult; filter: string; orderBy: string }) {
  const [runs, setRuns] = useState(initial.runs);
  const [cursor, setCursor] = useState(initial.nextCursor);
  const [loading, setLoading] = useState(false);
  const [failure, setFailure] = useState<ApiFailure>();

  const loadMore = async () => {
    if (!cursor) return;
    setLoading(true);
    setFailure(undefined);
    try {
      const page = await fetchFromConsole('/api/runs/search', runSearchResultSchema, { body: { filter, orderBy, limit: RUN_PAGE_SIZE, cursor } });
      setRuns((current) => [...current, ...page.runs]);
      setCursor(page.nextCursor);
    } catch (error) {
      setFailure(error instanceof ConsoleFetchError ? error.failure : { code: ErrorCode.INTERNAL, message: String(error), url: '/api/runs/search' });
    } finally {
      setLoading(false);
    }
  };

  if (runs.length === 0) {
    return (
      <p data-testid="runs-empty" className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-600">
        {filter.trim() ? 'No run matches this filter.' : 'No runs yet.'}
      </p>
    );
  }

  const paramKeys = keysOf(runs, (r) => r.params);
  const metricKeys = keysOf(runs, (r) => r.metrics);
  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-600" aria-live="polite" data-testid="runs-count">
        {runs.length} run{runs.length === 1 ? '' : 's'}
        {cursor ? ' shown, more match' : ''}
      </p>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
        <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="runs-table">
          <caption className="sr-only">Runs matching the filter</caption>
          <thead className="bg-slate-50 text-left text-xs font-semibold text-slate-600">
            <tr>
              <th scope="col" className="px-3 py-2 uppercase tracking-wide">
                Run
              </th>
              <th scope="col" className="px-3 py-2 uppercase tracking-wide">
                Status
              </th>
              <th scope="col" className="px-3 py-2 uppercase tracking-wide">
                Created
              </th>
              {paramKeys.map((key) => (
                <th key={`p-${key}`} scope="col" className="px-3 py-2 font-mono">
                  <span className="text-slate-500">params.</span>
                  {key}
                </th>
              ))}
              {metricKeys.map((key) => (
                <th key={`m-${key}`} scope="col" className="px-3 py-2 text-right font-mono">
                  <span className="text-slate-500">metrics.</span>
                  {key}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {runs.map((run) => {
              const params = new Map(run.params.map((p) => [p.key, p.value]));
              const metrics = new Map(run.metrics.map((m) => [m.key, m.value]));
              return (
                <tr key={run.id} data-testid="run-row" data-run-id={run.id}>
                  <th scope="row" className="whitespace-nowrap px-3 py-2 text-left font-medium">
                    <Link href={`/runs/${run.id}`} className="text-sky-700 underline-offset-2 hover:underline">
                      {run.name || run.id.slice(0, 8)}
                    </Link>
                  </th>
                  <td className="px-3 py-2">
                    <StatusBadge tone={statusTone(run.status)} label={run.status.toLowerCase()} />
                  </td>
                  <td className="whitespace-nowrap px-3 py-2 text-slate-600">
                    <time dateTime={run.createdAt}>{formatDateTime(run.createdAt)}</time>
                  </td>
                  {paramKeys.map((key) => (
                    <td key={`p-${key}`} className="max-w-[12rem] truncate px-3 py-2 font-mono" title={params.get(key)}>
                      {params.get(key) ?? <span className="text-slate-500">—</span>}
                    </td>
                  ))}
                  {metricKeys.map((key) => {
                    const value = metrics.get(key);
                    return (
                      <td key={`m-${key}`} className="px-3 py-2 text-right font-mono tabular-nums">
                        {value === undefined ? <span className="text-slate-500">—</span> : formatMetric(value)}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {failure ? <ApiErrorNotice title="Could not load more runs" failure={failure} testId="runs-more-error" /> : null}
      {cursor ? (
        <button
          type="button"
          onClick={loadMore}
          disabled={loading}
          className="rounded-md px-3 py-1.5 text-sm font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-slate-100 disabled:opacity-50"
        >
          {loading ? 'Loading…' : 'Load more'}
        </button>
      ) : null}
    </div>
  );
}
