'use client';

import { setShadowRequestSchema, startCanaryRequestSchema, startRolloutRequestSchema, type DeploymentView, type StickyKey } from '@slipway/contracts';
import { useState } from 'react';
import type { z } from 'zod';
import { deploymentAction, type DeploymentActionOutcome } from '../../lib/deployment-actions';
import type { DeploymentActionKind } from '../../lib/deployments-api';
import { draftOfPlan, PlanFields, planOfDraft, type PlanDraft } from './plan-fields';
import { stickyText, TrafficSplitBar } from './traffic-split';

const button = 'rounded-md px-3 py-1.5 text-sm font-medium disabled:opacity-50';
const secondary = `${button} text-slate-800 ring-1 ring-slate-300 hover:bg-slate-100`;
const select = 'mt-1 block rounded-md border border-slate-300 px-2 py-1.5 font-mono text-sm';

/** An action the person has filled in and must confirm; the body is sent with the revision they are looking at. */
interface Pending {
  kind: DeploymentActionKind;
  body: Record<string, unknown>;
  /** What confirming does, in words. */
  summary: string;
  /** Filled in on the action form: a refusal naming its fields goes back to the form, with them marked. */
  fromForm?: boolean;
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
    } else if (!result.current && action.fromForm && result.fields.some((f) => f.field !== 'baseRevision' && f.field !== 'reason')) setPending(null);
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

      {form ? (
        // Kept mounted (hidden) while its action is confirmed, so a refusal brings the person back to what they typed.
        <div hidden={pending !== null}>
          <ActionForm
            key={form}
            kind={form}
            deployment={deployment}
            candidates={candidates}
            versions={versions}
            serverErrors={outcome && !outcome.ok && !outcome.current ? outcome.fields : []}
            onReady={ask}
            onCancel={() => setForm(null)}
          />
        </div>
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

type Routing = 'random' | 'header' | 'field';

const formSchemas = { canary: startCanaryRequestSchema, rollout: startRolloutRequestSchema, shadow: setShadowRequestSchema } as const;

function errorsOf(fields: { field: string; message: string }[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const f of fields) errors[f.field] ??= f.message;
  return errors;
}

function FieldError({ errors, field }: { errors: Record<string, string>; field: string }) {
  return errors[field] ? (
    <span className="mt-0.5 block text-xs font-normal text-red-800" data-testid={`field-error-${field}`} id={`error-${field}`}>
      {errors[field]}
    </span>
  ) : null;
}

function routingText(sticky: StickyKey | undefined): string {
  return sticky
    ? `sticky by ${stickyText(sticky)}: one value always reaches one version (a request without it is routed at random)`
    : 'chosen at random per request';
}

/**
 * The inputs of canary, rollout and shadow, checked with the API's own contract on "Review" (errors on their
 * fields, before anything is asked), then turned into a pending action to confirm. A refusal from the API
 * comes back as `serverErrors`, on the same fields.
 */
function ActionForm({
  kind,
  deployment,
  candidates,
  versions,
  serverErrors,
  onReady,
  onCancel,
}: {
  kind: DeploymentActionKind;
  deployment: DeploymentView;
  candidates: number[];
  versions: number[];
  serverErrors: { field: string; message: string }[];
  onReady: (pending: Pending) => void;
  onCancel: () => void;
}) {
  const [version, setVersion] = useState(String(candidates[0] ?? versions[0] ?? ''));
  const [percent, setPercent] = useState(kind === 'shadow' ? '100' : '10');
  const [plan, setPlan] = useState<PlanDraft>(() => draftOfPlan(deployment.rolloutPlan));
  const [routing, setRouting] = useState<Routing>('random');
  const [stickyName, setStickyName] = useState('');
  const [checked, setChecked] = useState<Record<string, string> | null>(null);
  const stable = deployment.revision.stable.version;
  const choices = kind === 'shadow' ? versions.filter((v) => v !== stable) : candidates;
  // What the contract found on the last Review, else what the API refused with.
  const errors = checked ?? errorsOf(serverErrors);
  const stickyField = routing === 'header' ? 'sticky.header' : 'sticky.field';

  const body = (): Record<string, unknown> => {
    const v = Number(version);
    const sticky = routing === 'random' ? {} : { sticky: routing === 'header' ? { header: stickyName.trim() } : { field: stickyName.trim() } };
    if (kind === 'canary') return { version: v, percent: Number(percent), ...sticky };
    if (kind === 'rollout') return { version: v, plan: planOfDraft(plan), ...sticky };
    return version === 'none' ? { version: null } : { version: v, percent: Number(percent) };
  };

  const review = () => {
    const request = body();
    const schema = formSchemas[kind as keyof typeof formSchemas] as z.ZodType<{ sticky?: StickyKey }> | undefined;
    const parsed = schema?.safeParse({ ...request, baseRevision: deployment.currentRevision });
    if (parsed && !parsed.success) {
      setChecked(errorsOf(parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message }))));
      return;
    }
    // Passed: what the API answers next (if it refuses) is what the fields show.
    setChecked(null);
    const sticky = parsed?.data.sticky;
    const v = Number(version);
    if (kind === 'canary')
      onReady({ kind, fromForm: true, body: request, summary: `v${v} gets ${percent}% of traffic (${routingText(sticky)}); v${stable} keeps the rest.` });
    else if (kind === 'rollout') {
      const steps = (request.plan as { steps: unknown[]; intervalSeconds: unknown }).steps;
      const interval = (request.plan as { intervalSeconds: unknown }).intervalSeconds;
      onReady({
        kind,
        fromForm: true,
        body: request,
        summary: `v${v} starts at the first step (${steps.join(' → ')}% of traffic), ${routingText(sticky)}; every ${String(interval)} s the analyser checks the gates and steps up, promotes after the last step, or rolls back.`,
      });
    } else if (version === 'none') onReady({ kind, fromForm: true, body: request, summary: 'Shadowing stops.' });
    else
      onReady({
        kind,
        fromForm: true,
        body: request,
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
          <FieldError errors={errors} field="version" />
        </label>
        {kind === 'canary' || (kind === 'shadow' && version !== 'none') ? (
          <label className="text-xs font-medium text-slate-700">
            {kind === 'canary' ? 'Canary traffic (%)' : 'Traffic copied (%)'}
            <input
              className={`${select} w-24`}
              name="percent"
              inputMode="numeric"
              value={percent}
              onChange={(e) => setPercent(e.target.value)}
              aria-invalid={errors.percent ? true : undefined}
              aria-describedby={errors.percent ? 'error-percent' : undefined}
            />
            <FieldError errors={errors} field="percent" />
          </label>
        ) : null}
      </div>
      {kind === 'canary' || kind === 'rollout' ? (
        <fieldset className="space-y-2 rounded-md border border-slate-200 p-3" data-testid="canary-routing">
          <legend className="px-1 text-sm font-semibold text-slate-900">Canary routing</legend>
          <div className="flex flex-wrap gap-4 text-sm">
            <label className="flex items-center gap-1">
              <input type="radio" name="routing" checked={routing === 'random'} onChange={() => setRouting('random')} /> Random per request
            </label>
            <label className="flex items-center gap-1">
              <input type="radio" name="routing" checked={routing === 'header'} onChange={() => setRouting('header')} /> Sticky by request header
            </label>
            <label className="flex items-center gap-1">
              <input type="radio" name="routing" checked={routing === 'field'} onChange={() => setRouting('field')} /> Sticky by input field
            </label>
          </div>
          {routing !== 'random' ? (
            <label className="block text-xs font-medium text-slate-700">
              {routing === 'header' ? 'Header name' : 'Input field name'}
              <input
                className={`${select} w-72`}
                name="sticky-key"
                value={stickyName}
                onChange={(e) => setStickyName(e.target.value)}
                maxLength={100}
                placeholder={routing === 'header' ? 'x-customer-id' : 'customer_id'}
                aria-invalid={errors[stickyField] ? true : undefined}
                aria-describedby={errors[stickyField] ? `error-${stickyField}` : undefined}
              />
              <span className="mt-0.5 block font-normal text-slate-600">
                {routing === 'header'
                  ? 'lower-case letters, digits and "-"; its value is hashed into 100 buckets'
                  : "a column of the model's input, read from the request's first row"}
              </span>
              <FieldError errors={errors} field={stickyField} />
            </label>
          ) : null}
        </fieldset>
      ) : null}
      {kind === 'rollout' ? <PlanFields draft={plan} onChange={setPlan} errors={errors} prefix="plan" /> : null}
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
