'use client';

import type { HealthResponse, OverviewResponse, WorkerListResponse } from '@slipway/contracts';
import type { ReactNode } from 'react';
import type { ApiFailure, ApiResult } from '../../lib/api-result';
import { formatAgo } from '../../lib/format';
import { ApiErrorNotice } from '../common/api-error-notice';
import { HealthPanel } from './health-panel';
import { OverviewCounts } from './overview-counts';
import { OVERVIEW_POLL_MS, healthQuery, overviewQuery, workersQuery } from './overview-queries';
import { useLiveQuery, useNow, type LiveData } from '../query/use-live-query';
import { WorkersTable } from './workers-table';

export interface OverviewSnapshot {
  overview: ApiResult<OverviewResponse>;
  workers: ApiResult<WorkerListResponse>;
  health: ApiResult<HealthResponse>;
  /** ISO time the server rendered the snapshot. */
  renderedAt: string;
}

function Section({ id, title, aside, children }: { id: string; title: string; aside?: ReactNode; children: ReactNode }) {
  return (
    <section aria-labelledby={`${id}-heading`}>
      <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
        <h2 id={`${id}-heading`} className="text-lg font-semibold text-slate-900">
          {title}
        </h2>
        {aside}
      </div>
      {children}
    </section>
  );
}

/** Data, stale data with the reason, or just the reason. */
function LiveContent<T>({ live, title, testId, render }: { live: LiveData<T>; title: string; testId: string; render: (data: T) => ReactNode }) {
  return (
    <>
      {live.failure ? (
        <div className={live.data === undefined ? '' : 'mb-3'}>
          <ApiErrorNotice
            title={live.data === undefined ? `Could not load ${title}` : `Live updates of ${title} failed; showing the last data received`}
            failure={live.failure}
            testId={testId}
          />
        </div>
      ) : null}
      {live.data === undefined ? null : render(live.data)}
    </>
  );
}

/** The overview page's live region: server-rendered snapshot first, then polled through the console's route handlers. */
export function OverviewLive({ snapshot }: { snapshot: OverviewSnapshot }) {
  const renderedAtMs = Date.parse(snapshot.renderedAt);
  const live = { intervalMs: OVERVIEW_POLL_MS, renderedAtMs };
  const overview = useLiveQuery(overviewQuery, snapshot.overview, live);
  const workers = useLiveQuery(workersQuery, snapshot.workers, live);
  const health = useLiveQuery(healthQuery, snapshot.health, live);
  const nowMs = useNow(renderedAtMs);
  const failures = [overview.failure, workers.failure, health.failure].filter((f) => f !== undefined);
  const nothingLoaded = overview.data === undefined && workers.data === undefined && health.data === undefined;

  return (
    <div className="space-y-8">
      <LiveStatus state={failures.length === 0 ? 'live' : overview.data === undefined ? 'waiting' : 'stale'} updated={formatAgo(overview.updatedAt, nowMs)} />

      {nothingLoaded && failures.length === 3 ? (
        // One cause, one message: the API is not answering at all.
        <ApiUnreachable failure={failures[0]} />
      ) : (
        <OverviewSections overview={overview} workers={workers} health={health} nowMs={nowMs} />
      )}
    </div>
  );
}

function LiveStatus({ state, updated }: { state: 'live' | 'stale' | 'waiting'; updated: string }) {
  const every = `${OVERVIEW_POLL_MS / 1000} s`;
  const text = {
    live: `Live · refreshes every ${every} · updated ${updated}`,
    stale: `Live updates interrupted · showing data from ${updated} · retrying every ${every}`,
    waiting: `No data yet · retrying every ${every}`,
  }[state];
  return (
    <p className="flex items-center gap-2 text-xs text-slate-600" data-testid="live-status" data-state={state}>
      <span aria-hidden="true" className={`h-2 w-2 rounded-full ${state === 'live' ? 'animate-pulse bg-emerald-500' : 'bg-amber-500'}`} />
      {text}
    </p>
  );
}

function ApiUnreachable({ failure }: { failure: ApiFailure }) {
  return (
    <div data-testid="api-unreachable" className="space-y-2">
      <ApiErrorNotice title="The console cannot get data from the Slipway API" failure={failure} />
      <p className="text-sm text-slate-600">
        Is the API running? The console&apos;s server reads it from <code className="font-mono">SLIPWAY_API_URL</code>. This page keeps retrying.
      </p>
    </div>
  );
}

function OverviewSections({
  overview,
  workers,
  health,
  nowMs,
}: {
  overview: LiveData<OverviewResponse>;
  workers: LiveData<WorkerListResponse>;
  health: LiveData<HealthResponse>;
  nowMs: number;
}) {
  return (
    <>
      {/* Only the counts are announced as they change; latencies and "x s ago" would be noise. */}
      <Section id="counts" title="Platform counts">
        <div aria-live="polite">
          <LiveContent live={overview} title="the overview counts" testId="overview-error" render={(data) => <OverviewCounts overview={data} />} />
        </div>
      </Section>

      <Section id="health" title="Platform health">
        <LiveContent live={health} title="platform health" testId="health-error" render={(data) => <HealthPanel health={data} />} />
      </Section>

      <Section
        id="workers"
        title="Workers"
        aside={
          workers.data ? (
            <span aria-live="polite" className="text-sm text-slate-600">
              {workers.data.workers.filter((w) => w.connected).length} of {workers.data.workers.length} connected
            </span>
          ) : null
        }
      >
        <LiveContent live={workers} title="workers" testId="workers-error" render={(data) => <WorkersTable workers={data.workers} nowMs={nowMs} />} />
      </Section>
    </>
  );
}
