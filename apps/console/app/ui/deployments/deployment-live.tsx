'use client';

import type { DeploymentView } from '@slipway/contracts';
import { useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import type { ApiResult } from '../../lib/api-result';
import { fetchFromConsole } from '../../lib/console-fetch';
import { deploymentPageSchema, secondsUntil, type DeploymentPage } from '../../lib/deployment-view';
import { formatAgo, formatDateTime } from '../../lib/format';
import { ApiErrorNotice } from '../common/api-error-notice';
import { PageHeader } from '../layout/page-header';
import { useLiveQuery, useNow } from '../query/use-live-query';
import { Panel } from '../training/evaluation-panels';
import { DeploymentActions } from './deployment-actions';
import { GATE_FIELDS } from './plan-fields';
import { DriftTable, TrafficCharts } from './traffic-charts';
import { DeploymentStatusBadge, TrafficSplitBar } from './traffic-split';

/** Rollouts move on the analyser's schedule and traffic counts change by the second: poll every 2 s. */
const POLL_MS = 2000;

export function DeploymentLive({
  name,
  initial,
  versions,
  canEdit,
  renderedAt,
}: {
  name: string;
  initial: ApiResult<DeploymentPage>;
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
  if (!live.data) return live.failure ? <ApiErrorNotice title={`Could not load deployment ${name}`} failure={live.failure} testId="deployment-error" /> : null;
  const { deployment, revisions, events, metrics, metricsFailure } = live.data;
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

      <Panel id="traffic-metrics" title="Traffic per version" description="The last 15 minutes, from the serving replicas' 10 s windows.">
        {metrics ? (
          <TrafficCharts metrics={metrics} />
        ) : (
          <p className="text-sm text-amber-800">{`The traffic metrics could not be read: ${metricsFailure ?? 'unknown'}`}</p>
        )}
      </Panel>
      <Panel id="drift" title="Drift per feature" description="PSI of each input feature against the version's training profile over the same 15 minutes.">
        {metrics ? <DriftTable metrics={metrics} /> : null}
      </Panel>

      {deployment.rollout ? <RolloutProgress deployment={deployment} now={now} /> : null}

      {canEdit ? (
        <DeploymentActions deployment={deployment} versions={versions} onChanged={() => void queryClient.invalidateQueries({ queryKey })} />
      ) : (
        <p className="text-sm text-slate-600" data-testid="actions-read-only">
          Acting on a deployment needs an editor or admin token.
        </p>
      )}

      <Panel id="events" title="Events" description="Newest first: actions, the analyser's verdicts with the numbers it measured, serving replicas' reports.">
        {events.length === 0 ? (
          <p className="text-sm text-slate-600">No events yet.</p>
        ) : (
          <ol className="space-y-2" data-testid="deployment-events">
            {events.map((event) => (
              <li key={event.id} className="border-l-2 border-slate-300 pl-3" data-testid="deployment-event" data-type={event.type}>
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
              {revisions.map((r) => (
                <tr key={r.revision} data-testid="revision-row" data-action={r.action} data-revision={r.revision}>
                  <th scope="row" className="px-2 py-1 text-left font-mono">
                    {r.revision}
                  </th>
                  <td className="px-2 py-1 font-mono text-xs">{r.action}</td>
                  <td className="px-2 py-1 font-mono text-xs">{`v${r.stable.version}`}</td>
                  <td className="px-2 py-1 font-mono text-xs">{r.canary ? `v${r.canary.version} ${r.canary.percent}%` : '—'}</td>
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
      </Panel>
    </div>
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
