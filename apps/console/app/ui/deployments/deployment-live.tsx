'use client';

import {
  deploymentEventListSchema,
  deploymentMetricsSchema,
  deploymentRevisionListSchema,
  ErrorCode,
  type DeploymentMetricsView,
  type DeploymentView,
} from '@slipway/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useCallback, useState } from 'react';
import type { ApiFailure, ApiResult } from '../../lib/api-result';
import { ConsoleFetchError, fetchFromConsole } from '../../lib/console-fetch';
import {
  deploymentPageSchema,
  eventKey,
  METRICS_RANGES,
  newerEvent,
  newerRevision,
  revisionKey,
  secondsUntil,
  type DeploymentPage,
  type MetricsRange,
} from '../../lib/deployment-view';
import { formatAgo, formatDateTime } from '../../lib/format';
import { ApiErrorNotice } from '../common/api-error-notice';
import { PageHeader } from '../layout/page-header';
import { useLiveQuery, useNow } from '../query/use-live-query';
import { Panel } from '../training/evaluation-panels';
import { DeploymentActions } from './deployment-actions';
import { DeploymentSettingsPanel } from './deployment-settings';
import { GATE_FIELDS } from './plan-fields';
import { DriftTable, TrafficCharts } from './traffic-charts';
import { DeploymentStatusBadge, stickyText, TrafficSplitBar } from './traffic-split';
import { useOlderPages } from './use-older-pages';

/** Rollouts move on the analyser's schedule and traffic counts change by the second: poll every 2 s. */
const POLL_MS = 2000;

export function DeploymentLive({
  name,
  initial,
  initialMetrics,
  initialRange,
  versions,
  canEdit,
  renderedAt,
}: {
  name: string;
  initial: ApiResult<DeploymentPage>;
  /** The traffic over `initialRange`, read with the first paint. */
  initialMetrics: ApiResult<DeploymentMetricsView>;
  initialRange: MetricsRange;
  versions: number[];
  canEdit: boolean;
  renderedAt: string;
}) {
  const renderedAtMs = Date.parse(renderedAt);
  const queryKey = ['deployment', name] as const;
  const live = useLiveQuery(
    { queryKey, queryFn: ({ signal }) => fetchFromConsole(`/api/deployments/${encodeURIComponent(name)}`, deploymentPageSchema, { signal }) },
    initial,
    { intervalMs: POLL_MS, renderedAtMs },
  );
  const now = useNow(renderedAtMs);
  const queryClient = useQueryClient();
  const path = `/api/deployments/${encodeURIComponent(name)}`;
  const revisions = useOlderPages({
    first: live.data?.revisions ?? NONE,
    firstCursor: live.data?.revisionsNextCursor ?? null,
    fetchPage: useCallback(
      async (cursor: string) => {
        const page = await fetchFromConsole(`${path}/revisions?cursor=${encodeURIComponent(cursor)}`, deploymentRevisionListSchema);
        return { items: page.revisions, nextCursor: page.nextCursor };
      },
      [path],
    ),
    key: revisionKey,
    newer: newerRevision,
  });
  const events = useOlderPages({
    first: live.data?.events ?? NONE,
    firstCursor: live.data?.eventsNextCursor ?? null,
    fetchPage: useCallback(
      async (cursor: string) => {
        const page = await fetchFromConsole(`${path}/events?cursor=${encodeURIComponent(cursor)}`, deploymentEventListSchema);
        return { items: page.events, nextCursor: page.nextCursor };
      },
      [path],
    ),
    key: eventKey,
    newer: newerEvent,
  });
  if (!live.data) return live.failure ? <ApiErrorNotice title={`Could not load deployment ${name}`} failure={live.failure} testId="deployment-error" /> : null;
  const { deployment } = live.data;
  const deleted = deployment.status === 'DELETED';
  return (
    <div className="space-y-6" data-testid="deployment" data-status={deployment.status} data-revision={deployment.currentRevision}>
      <PageHeader
        title={deployment.name}
        description={deployment.description || `Serves ${deployment.model}${deployment.trackedAlias ? ` @${deployment.trackedAlias}` : ''}.`}
        aside={<DeploymentStatusBadge status={deployment.status} />}
      />
      {live.failure ? (
        <ApiErrorNotice title="Live updates failed; showing the last state received" failure={live.failure} testId="deployment-poll-error" />
      ) : null}
      <p className="text-xs text-slate-600" data-testid="deployment-freshness">
        {`Live: refreshing every ${POLL_MS / 1000} s. Updated ${formatAgo(live.updatedAt, now)}.`}
      </p>

      <Panel
        id="traffic"
        title="Traffic split"
        description={`Revision ${deployment.currentRevision}: ${deployment.revision.action.toLowerCase().replace('_', ' ')}.`}
      >
        <TrafficSplitBar revision={deployment.revision} />
        <Summary deployment={deployment} />
      </Panel>

      <TrafficPanels name={name} initialMetrics={initialMetrics} initialRange={initialRange} renderedAtMs={renderedAtMs} />

      {deployment.rollout ? <RolloutProgress deployment={deployment} now={now} /> : null}

      {deleted ? (
        <p className="rounded-md border border-slate-300 bg-slate-50 p-3 text-sm text-slate-700" data-testid="deployment-deleted">
          This deployment is deleted: nothing is served from it. Its history stays readable below.
        </p>
      ) : canEdit ? (
        <>
          <DeploymentActions deployment={deployment} versions={versions} onChanged={() => void queryClient.invalidateQueries({ queryKey })} />
          <DeploymentSettingsPanel deployment={deployment} onChanged={() => void queryClient.invalidateQueries({ queryKey })} />
        </>
      ) : (
        <p className="text-sm text-slate-600" data-testid="actions-read-only">
          Acting on a deployment needs an editor or admin token.
        </p>
      )}

      <Panel id="events" title="Events" description="Newest first: actions, the analyser's verdicts with the numbers it measured, serving replicas' reports.">
        {events.items.length === 0 ? (
          <p className="text-sm text-slate-600">No events yet.</p>
        ) : (
          <ol className="space-y-2" data-testid="deployment-events">
            {events.items.map((event) => (
              <li key={event.id} className="border-l-2 border-slate-300 pl-3" data-testid="deployment-event" data-type={event.type} data-id={event.id}>
                <p className="text-sm">
                  <span className="font-mono text-xs font-semibold text-slate-900">{event.type}</span> <span className="text-slate-800">{event.message}</span>
                </p>
                <p className="text-xs text-slate-600">
                  {formatDateTime(event.createdAt)}
                  {event.revision !== null ? ` · revision ${event.revision}` : ''}
                  {event.actor ? ` · ${event.actor}` : ''}
                </p>
                {event.data && Object.keys(event.data).length > 0 ? (
                  <dl className="mt-1 flex flex-wrap gap-x-4 gap-y-0.5 text-xs">
                    {Object.entries(event.data).map(([key, value]) => (
                      <div key={key} className="flex gap-1">
                        <dt className="font-mono text-slate-600">{key}</dt>
                        <dd className="break-all font-mono text-slate-900">{typeof value === 'string' ? value : JSON.stringify(value)}</dd>
                      </div>
                    ))}
                  </dl>
                ) : null}
              </li>
            ))}
          </ol>
        )}
        <OlderButton pages={events} what="events" one="event" />
      </Panel>

      <Panel id="revisions" title="Revision history" description="Every action writes a new immutable revision; the deployment points at its current one.">
        <div className="overflow-x-auto">
          <table className="min-w-full text-sm" data-testid="deployment-revisions">
            <caption className="sr-only">Revisions of this deployment, newest first</caption>
            <thead className="text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
              <tr>
                {['#', 'Action', 'Stable', 'Canary', 'Shadow', 'Step', 'Reason', 'By', 'At'].map((h) => (
                  <th key={h} scope="col" className="px-2 py-1">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {revisions.items.map((r) => (
                <tr key={r.revision} data-testid="revision-row" data-action={r.action} data-revision={r.revision}>
                  <th scope="row" className="px-2 py-1 text-left font-mono">
                    {r.revision}
                  </th>
                  <td className="px-2 py-1 font-mono text-xs">{r.action}</td>
                  <td className="px-2 py-1 font-mono text-xs">{`v${r.stable.version}`}</td>
                  <td className="px-2 py-1 font-mono text-xs">
                    {r.canary ? `v${r.canary.version} ${r.canary.percent}%${r.canary.sticky ? `, sticky by ${stickyText(r.canary.sticky)}` : ''}` : '—'}
                  </td>
                  <td className="px-2 py-1 font-mono text-xs">{r.shadow ? `v${r.shadow.version} ${r.shadow.percent}%` : '—'}</td>
                  <td className="px-2 py-1 font-mono text-xs">{r.rolloutStep !== null ? r.rolloutStep + 1 : '—'}</td>
                  <td className="px-2 py-1 text-xs">{r.reason || '—'}</td>
                  <td className="px-2 py-1 text-xs">{r.createdBy ?? '—'}</td>
                  <td className="whitespace-nowrap px-2 py-1 text-xs">{formatDateTime(r.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <OlderButton pages={revisions} what="revisions" one="revision" />
      </Panel>
    </div>
  );
}

const NONE: never[] = [];

/** "Show older …" under a list, while the API has more; a failed page says why and the button stays to retry. */
function OlderButton({ pages, what, one }: { pages: ReturnType<typeof useOlderPages<unknown>>; what: string; one: string }) {
  return (
    <div className="mt-3 space-y-2">
      {pages.failure ? <ApiErrorNotice title={`Could not load older ${what}`} failure={pages.failure} testId={`older-${what}-error`} /> : null}
      {pages.hasMore ? (
        <button
          type="button"
          disabled={pages.loading}
          onClick={pages.loadMore}
          className="rounded-md px-3 py-1.5 text-sm font-medium text-slate-800 ring-1 ring-slate-300 hover:bg-slate-100 disabled:opacity-50"
        >
          {pages.loading ? 'Loading…' : `Show older ${what}`}
        </button>
      ) : (
        <p
          className="text-xs text-slate-600"
          data-testid={`${what}-end`}
        >{`${pages.items.length} ${pages.items.length === 1 ? one : what}, the oldest included.`}</p>
      )}
    </div>
  );
}

function failureOf(error: Error): ApiFailure {
  return error instanceof ConsoleFetchError ? error.failure : { code: ErrorCode.INTERNAL, message: error.message, url: '' };
}

/**
 * Traffic per version and drift over the chosen range. Each range is its own query (polled at its own pace,
 * drawn in its own steps); the range goes into the URL without a navigation, so a reload or a shared link
 * opens the same range.
 */
function TrafficPanels({
  name,
  initialMetrics,
  initialRange,
  renderedAtMs,
}: {
  name: string;
  initialMetrics: ApiResult<DeploymentMetricsView>;
  initialRange: MetricsRange;
  renderedAtMs: number;
}) {
  const [range, setRange] = useState<MetricsRange>(initialRange);
  const config = METRICS_RANGES[range];
  const query = useQuery({
    queryKey: ['deployment-metrics', name, range],
    queryFn: ({ signal }) => fetchFromConsole(`/api/deployments/${encodeURIComponent(name)}/metrics?range=${range}`, deploymentMetricsSchema, { signal }),
    initialData: range === initialRange && initialMetrics.ok ? initialMetrics.data : undefined,
    initialDataUpdatedAt: renderedAtMs,
    refetchInterval: config.pollMs,
  });
  const metrics = query.data;
  const failure = query.error ? failureOf(query.error) : range === initialRange && !initialMetrics.ok && !metrics ? initialMetrics.error : null;
  const choose = (next: MetricsRange) => {
    setRange(next);
    const url = new URL(window.location.href);
    url.searchParams.set('range', next);
    window.history.replaceState(null, '', url.toString());
  };
  const steps =
    config.stepSeconds === 10
      ? "the serving replicas' 10 s windows"
      : `${config.stepSeconds >= 60 ? `${config.stepSeconds / 60} min` : `${config.stepSeconds} s`} steps (p99: the worst 10 s window in each)`;
  return (
    <>
      <Panel id="traffic-metrics" title="Traffic per version" description={`${config.label}, in ${steps}; refreshed every ${config.pollMs / 1000} s.`}>
        <div role="group" aria-label="Time range" className="mb-3 flex flex-wrap gap-1" data-testid="metrics-range" data-range={range}>
          {(Object.keys(METRICS_RANGES) as MetricsRange[]).map((r) => (
            <button
              key={r}
              type="button"
              aria-pressed={r === range}
              onClick={() => choose(r)}
              className={`rounded-md px-2.5 py-1 text-xs font-medium ring-1 ${r === range ? 'bg-slate-900 text-white ring-slate-900' : 'text-slate-800 ring-slate-300 hover:bg-slate-100'}`}
            >
              {METRICS_RANGES[r].label}
            </button>
          ))}
        </div>
        {failure ? <ApiErrorNotice title="The traffic metrics could not be read" failure={failure} testId="metrics-error" /> : null}
        {metrics ? (
          <div data-testid="traffic-metrics" data-range={range} data-since={metrics.since} data-step={metrics.windowSeconds} aria-busy={query.isFetching}>
            <TrafficCharts metrics={metrics} />
          </div>
        ) : !failure ? (
          <p className="text-sm text-slate-600" role="status">
            Loading the traffic…
          </p>
        ) : null}
      </Panel>
      <Panel
        id="drift"
        title="Drift per feature"
        description={`PSI of each input feature against the version's training profile over the same range (${config.label.toLowerCase()}).`}
      >
        {metrics ? <DriftTable metrics={metrics} /> : null}
      </Panel>
    </>
  );
}

function Summary({ deployment }: { deployment: DeploymentView }) {
  const items: [string, React.ReactNode][] = [
    [
      'Model',
      <Link key="m" href={`/models/${encodeURIComponent(deployment.model)}`} className="text-sky-700 underline-offset-2 hover:underline">
        {deployment.model}
      </Link>,
    ],
    ['Follows alias', deployment.trackedAlias ? `@${deployment.trackedAlias} (${deployment.aliasPolicy})` : '—'],
    [
      'Canary routing',
      deployment.revision.canary
        ? deployment.revision.canary.sticky
          ? `sticky by ${stickyText(deployment.revision.canary.sticky)}`
          : 'random per request'
        : '—',
    ],
    ['Predict', `POST /v1/deployments/${deployment.name}/predict`],
    ['Created', `${formatDateTime(deployment.createdAt)}${deployment.createdBy ? ` by ${deployment.createdBy}` : ''}`],
  ];
  return (
    <dl className="mt-4 grid grid-cols-2 gap-x-6 gap-y-2 text-sm sm:grid-cols-4" data-testid="deployment-summary">
      {items.map(([label, value]) => (
        <div key={label}>
          <dt className="text-xs font-medium text-slate-600">{label}</dt>
          <dd className="break-all font-mono text-xs">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The plan's steps (done, current, to come), its gates, and the countdown to the analyser's next look. */
function RolloutProgress({ deployment, now }: { deployment: DeploymentView; now: number }) {
  const rollout = deployment.rollout;
  if (!rollout) return null;
  const plan = deployment.revision.rolloutPlan;
  const wait = secondsUntil(rollout.nextAnalysisAt, now);
  return (
    <Panel
      id="rollout"
      title="Rollout progress"
      description={`Step ${rollout.step + 1} of ${rollout.steps.length}, since ${formatDateTime(rollout.stepStartedAt)}.`}
    >
      <ol className="flex flex-wrap items-center gap-2" data-testid="rollout-steps">
        {rollout.steps.map((percent, i) => {
          const state = i < rollout.step ? 'done' : i === rollout.step ? 'current' : 'next';
          return (
            <li
              key={`${i}-${percent}`}
              data-testid="rollout-step"
              data-state={state}
              className={`rounded-full px-3 py-1 font-mono text-xs ring-1 ${
                state === 'current'
                  ? 'bg-amber-100 text-amber-950 ring-amber-500'
                  : state === 'done'
                    ? 'bg-emerald-50 text-emerald-900 ring-emerald-600/40'
                    : 'bg-white text-slate-700 ring-slate-300'
              }`}
            >
              {`${percent}%${state === 'current' ? ' (now)' : ''}`}
            </li>
          );
        })}
        <li className="rounded-full bg-white px-3 py-1 font-mono text-xs text-slate-700 ring-1 ring-slate-300">promote</li>
      </ol>
      <p className="mt-3 text-sm text-slate-800" role="timer" aria-live="off" data-testid="rollout-countdown" data-seconds={wait}>
        {wait > 0 ? `Next analysis in ${wait} s` : 'Next analysis due now'}
        {plan ? ` (every ${plan.intervalSeconds} s; a step needs ${plan.minRequestsPerStep} canary requests)` : ''}.
      </p>
      {plan && Object.keys(plan.gates).length === 0 ? <p className="mt-2 text-xs text-slate-600">No gates: steps pass on request count alone.</p> : null}
      {plan ? (
        <dl className="mt-2 flex flex-wrap gap-x-6 gap-y-1 text-sm" data-testid="rollout-gates">
          {GATE_FIELDS.filter((g) => plan.gates[g.key] !== undefined).map((g) => (
            <div key={g.key}>
              <dt className="text-xs text-slate-600">{g.label}</dt>
              <dd className="font-mono tabular-nums">{String(plan.gates[g.key])}</dd>
            </div>
          ))}
        </dl>
      ) : null}
    </Panel>
  );
}
