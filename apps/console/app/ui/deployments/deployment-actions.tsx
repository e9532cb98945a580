'use client';

import type { DeploymentView } from '@slipway/contracts';
import { useState } from 'react';
import { deploymentAction, type DeploymentActionOutcome } from '../../lib/deployment-actions';
import type { DeploymentActionKind } from '../../lib/deployments-api';
import { draftOfPlan, PlanFields, planOfDraft, type PlanDraft } from './plan-fields';
import { TrafficSplitBar } from './traffic-split';

const button = 'rounded-md px-3 py-1.5 text-sm font-medium disabled:opacity-50';
const secondary = `${button} text-slate-800 ring-1 ring-slate-300 hover:bg-slate-100`;
const select = 'mt-1 block rounded-md border border-slate-300 px-2 py-1.5 font-mono text-sm';

/** An action the person has filled in and must confirm; the body is sent with the revision they are looking at. */
interface Pending {
  kind: DeploymentActionKind;
  body: Record<string, unknown>;
  /** What confirming does, in words. */
  summary: string;
}

/** A pending action with the revision the person decided on: a poll that moves the page on does not move it. */
type Asked = Pending & { baseRevision: number };

const actionLabels: Record<DeploymentActionKind, string> = {
  canary: 'Start canary',
  shadow: 'Set shadow',
  rollout: 'Start rollout',
  promote: 'Promote',
  rollback: 'Roll back',
  abort: 'Abort rollout',
};

/**
 * Every action on a deployment, each behind a confirm step. Actions carry the revision shown (baseRevision): if
 * someone else acted first the API refuses with 409 and this shows the deployment as it now is, with a retry.
 */
export function DeploymentActions({
  deployment,
  versions,
  onChanged,
}: {
  deployment: DeploymentView;
  /** READY versions of the model, newest first. */
  versions: number[];
  onChanged: () => void;
}) {
  const [form, setForm] = useState<DeploymentActionKind | null>(null);
  const [pending, setPending] = useState<Asked | null>(null);
  const [sending, setSending] = useState(false);
  const [reason, setReason] = useState('');
  const [outcome, setOutcome] = useState<DeploymentActionOutcome | null>(null);
  const revision = deployment.revision;
  const candidates = versions.filter((v) => v !== revision.stable.version);

  const send = async (action: Asked, baseRevision: number) => {
    setSending(true);
    const body = { ...action.body, baseRevision, ...(reason.trim() === '' ? {} : { reason: reason.trim() }) };
    const result = await deploymentAction(deployment.name, action.kind, body).finally(() => setSending(false));
    setOutcome(result);
    if (result.ok) {
      setPending(null);
      setForm(null);
      setReason('');
    }
    onChanged();
  };

  const conflict = outcome && !outcome.ok && outcome.current ? outcome.current : null;
  return (
    <section aria-labelledby="actions-heading" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid="deployment-actions">
      <h2 id="actions-heading" className="text-base font-semibold text-slate-900">
        Actions
      </h2>
      <div className="flex flex-wrap gap-2">
        {!revision.canary ? (
          <>
            <button type="button" className={secondary} onClick={() => openForm('canary')} disabled={candidates.length === 0}>
              Start canary…
            </button>
            <button type="button" className={secondary} onClick={() => openForm('rollout')} disabled={candidates.length === 0}>
              Start rollout…
            </button>
          </>
        ) : null}
        <button type="button" className={secondary} onClick={() => openForm('shadow')}>
          Set shadow…
        </button>
        {revision.canary ? (
          <button
            type="button"
            className={secondary}
            onClick={() => ask({ kind: 'promote', body: {}, summary: `v${revision.canary?.version} becomes stable and takes all traffic.` })}
          >
            Promote…
          </button>
        ) : null}
        <button
          type="button"
          className={`${button} text-red-700 ring-1 ring-red-300 hover:bg-red-50`}
          onClick={() =>
            ask({
              kind: 'rollback',
              body: {},
              summary: revision.canary
                ? `The canary v${revision.canary.version} is dropped; v${revision.stable.version} takes all traffic.`
                : `The previous stable version takes all traffic back from v${revision.stable.version}.`,
            })
          }
        >
          Roll back…
        </button>
        {deployment.status === 'ROLLING_OUT' ? (
          <button
            type="button"
            className={`${button} text-red-700 ring-1 ring-red-300 hover:bg-red-50`}
            onClick={() => ask({ kind: 'abort', body: {}, summary: `The rollout stops; v${revision.stable.version} keeps all traffic.` })}
          >
            Abort rollout…
          </button>
        ) : null}
      </div>

      {form && !pending ? (
        <ActionForm kind={form} deployment={deployment} candidates={candidates} versions={versions} onReady={ask} onCancel={() => setForm(null)} />
      ) : null}

      {pending ? (
        <div
          role="group"
          aria-labelledby="confirm-heading"
          className="space-y-2 rounded-md border border-amber-300 bg-amber-50/60 p-3"
          data-testid="action-confirm"
          data-action={pending.kind}
        >
          <p id="confirm-heading" className="text-sm font-medium text-slate-900">
            {`${actionLabels[pending.kind]} on ${deployment.name} (revision ${pending.baseRevision})?`}
          </p>
          <p className="text-sm text-slate-800">{pending.summary}</p>
          <label className="block text-xs font-medium text-slate-700">
            Reason (optional, kept in the revision history)
            <input
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              maxLength={1000}
              className="mt-1 block w-80 rounded-md border border-slate-300 px-2 py-1.5 text-sm"
            />
          </label>
          <div className="flex gap-2">
            <button
              type="button"
              disabled={sending}
              onClick={() => void send(pending, pending.baseRevision)}
              className={`${button} bg-slate-900 text-white hover:bg-slate-800`}
            >
              {sending ? 'Sending…' : `Confirm ${actionLabels[pending.kind].toLowerCase()}`}
            </button>
            <button type="button" onClick={() => setPending(null)} className={secondary}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}

      {outcome && outcome.ok ? (
        <p role="status" className="text-sm text-emerald-800" data-testid="action-done">
          {`Done: revision ${outcome.deployment.currentRevision} (${outcome.deployment.revision.action.toLowerCase().replace('_', ' ')}).`}
        </p>
      ) : null}
      {conflict && pending ? (
        <div role="alert" className="space-y-2 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900" data-testid="action-conflict">
          <p className="font-semibold">Someone else changed this deployment</p>
          <p>{`It is now at revision ${conflict.currentRevision} (${conflict.revision.action.toLowerCase().replace('_', ' ')}${conflict.revision.createdBy ? ` by ${conflict.revision.createdBy}` : ''}), status ${conflict.status.toLowerCase().replace('_', ' ')}:`}</p>
          <TrafficSplitBar revision={conflict.revision} />
          <button
            type="button"
            disabled={sending}
            onClick={() => void send(pending, conflict.currentRevision)}
            className={`${button} bg-red-700 text-white hover:bg-red-800`}
          >
            {`Retry ${actionLabels[pending.kind].toLowerCase()} on revision ${conflict.currentRevision}`}
          </button>
        </div>
      ) : outcome && !outcome.ok ? (
        <div role="alert" data-testid="action-error" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900">
          {outcome.httpStatus ? <span className="font-mono text-xs">{`HTTP ${outcome.httpStatus}${outcome.code ? ` ${outcome.code}` : ''}: `}</span> : null}
          {outcome.message}
          {outcome.fields.length > 0 ? (
            <ul className="mt-1 list-disc pl-5 text-xs">
              {outcome.fields.map((f) => (
                <li key={`${f.field}:${f.message}`}>
                  <span className="font-mono">{f.field}</span>: {f.message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </section>
  );

  function openForm(kind: DeploymentActionKind) {
    setOutcome(null);
    setPending(null);
    setForm(kind);
  }
  function ask(action: Pending) {
    setOutcome(null);
    setPending({ ...action, baseRevision: deployment.currentRevision });
  }
}

/** The inputs of canary, rollout and shadow; "Review" turns them into a pending action to confirm. */
function ActionForm({
  kind,
  deployment,
  candidates,
  versions,
  onReady,
  onCancel,
}: {
  kind: DeploymentActionKind;
  deployment: DeploymentView;
  candidates: number[];
  versions: number[];
  onReady: (pending: Pending) => void;
  onCancel: () => void;
}) {
  const [version, setVersion] = useState(String(candidates[0] ?? versions[0] ?? ''));
  const [percent, setPercent] = useState(kind === 'shadow' ? '100' : '10');
  const [plan, setPlan] = useState<PlanDraft>(() => draftOfPlan(deployment.rolloutPlan));
  const stable = deployment.revision.stable.version;
  const choices = kind === 'shadow' ? versions.filter((v) => v !== stable) : candidates;

  const review = () => {
    const v = Number(version);
    if (kind === 'canary')
      onReady({
        kind,
        body: { version: v, percent: Number(percent) },
        summary: `v${v} gets ${percent}% of traffic (chosen at random per request); v${stable} keeps the rest.`,
      });
    else if (kind === 'rollout') {
      const body = planOfDraft(plan) as { steps: unknown[]; intervalSeconds: unknown };
      onReady({
        kind,
        body: { version: v, plan: body },
        summary: `v${v} starts at the first step (${body.steps.join(' → ')}% of traffic); every ${String(body.intervalSeconds)} s the analyser checks the gates and steps up, promotes after the last step, or rolls back.`,
      });
    } else if (version === 'none') onReady({ kind, body: { version: null }, summary: 'Shadowing stops.' });
    else
      onReady({
        kind,
        body: { version: v, percent: Number(percent) },
        summary: `A copy of ${percent}% of requests goes to v${v}; its answers are recorded, never returned.`,
      });
  };

  return (
    <div className="space-y-3 rounded-md border border-slate-200 bg-slate-50 p-3" data-testid={`action-form-${kind}`}>
      <div className="flex flex-wrap items-end gap-3">
        <label className="text-xs font-medium text-slate-700">
          Version
          <select className={select} name="version" value={version} onChange={(e) => setVersion(e.target.value)}>
            {kind === 'shadow' && deployment.revision.shadow ? <option value="none">stop shadowing</option> : null}
            {choices.map((v) => (
              <option key={v} value={v}>{`v${v}`}</option>
            ))}
          </select>
        </label>
        {kind === 'canary' || (kind === 'shadow' && version !== 'none') ? (
          <label className="text-xs font-medium text-slate-700">
            {kind === 'canary' ? 'Canary traffic (%)' : 'Traffic copied (%)'}
            <input className={`${select} w-24`} name="percent" inputMode="numeric" value={percent} onChange={(e) => setPercent(e.target.value)} />
          </label>
        ) : null}
      </div>
      {kind === 'rollout' ? <PlanFields draft={plan} onChange={setPlan} errors={{}} prefix="plan" /> : null}
      <div className="flex gap-2">
        <button type="button" onClick={review} disabled={version === ''} className={`${button} bg-slate-900 text-white hover:bg-slate-800`}>
          Review
        </button>
        <button type="button" onClick={onCancel} className={secondary}>
          Cancel
        </button>
      </div>
    </div>
  );
}
