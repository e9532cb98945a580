'use client';

import { updateDeploymentRequestSchema, type DeploymentView, type UpdateDeploymentRequest } from '@slipway/contracts';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { deleteDeploymentAction, updateDeploymentAction, type DeploymentActionOutcome } from '../../lib/deployment-actions';
import { changedSettings, settingsOf, type DeploymentSettings } from '../../lib/deployment-view';
import { draftOfPlan, PlanFields, planOfDraft, type PlanDraft } from './plan-fields';
import { TrafficSplitBar } from './traffic-split';

const button = 'rounded-md px-3 py-1.5 text-sm font-medium disabled:opacity-50';
const primary = `${button} bg-slate-900 text-white hover:bg-slate-800`;
const secondary = `${button} text-slate-800 ring-1 ring-slate-300 hover:bg-slate-100`;
const danger = `${button} text-red-700 ring-1 ring-red-300 hover:bg-red-50`;
const input = 'mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm';
const label = 'block text-xs font-medium text-slate-700';

interface Draft {
  description: string;
  aliasPolicy: 'redeploy' | 'rollout';
  withPlan: boolean;
  plan: PlanDraft;
}

function draftOf(settings: DeploymentSettings): Draft {
  return {
    description: settings.description,
    aliasPolicy: settings.aliasPolicy,
    withPlan: settings.rolloutPlan !== null,
    plan: draftOfPlan(settings.rolloutPlan),
  };
}

function errorsOf(fields: { field: string; message: string }[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const f of fields) errors[f.field] ??= f.message;
  return errors;
}

function FieldError({ errors, field }: { errors: Record<string, string>; field: string }) {
  return errors[field] ? (
    <span className="mt-0.5 block text-xs font-normal text-red-800" data-testid={`field-error-${field}`}>
      {errors[field]}
    </span>
  ) : null;
}

function planText(plan: DeploymentSettings['rolloutPlan']): string {
  return plan ? `steps ${plan.steps.join(' → ')}%, every ${plan.intervalSeconds} s, ${plan.minRequestsPerStep} requests a step` : 'none';
}

/** Description, alias policy and the deployment's own rollout plan (what PATCH changes; nothing that serves), then delete. */
export function DeploymentSettingsPanel({ deployment, onChanged }: { deployment: DeploymentView; onChanged: () => void }) {
  return (
    <section
      aria-labelledby="settings-heading"
      className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
      data-testid="deployment-settings"
    >
      <h2 id="settings-heading" className="text-base font-semibold text-slate-900">
        Settings
      </h2>
      <SettingsEditor deployment={deployment} onChanged={onChanged} />
      <DeleteDeployment deployment={deployment} />
    </section>
  );
}

/**
 * The editor keeps the settings it was opened on (`base`): polls do not move them, so a save compares them with
 * the deployment as it is then, and a change someone else made to a field edited here comes back as a conflict
 * showing their value, to keep or to overwrite on purpose.
 */
function SettingsEditor({ deployment, onChanged }: { deployment: DeploymentView; onChanged: () => void }) {
  const [base, setBase] = useState<DeploymentSettings | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [checked, setChecked] = useState<Record<string, string>>({});
  const [sending, setSending] = useState(false);
  const [outcome, setOutcome] = useState<DeploymentActionOutcome | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const open = (settings: DeploymentSettings) => {
    setBase(settings);
    setDraft(draftOf(settings));
    setChecked({});
    setOutcome(null);
    setNotice(null);
  };

  /** The fields that differ from `from`, checked with the PATCH contract; null when it finds a problem (marked on its field). */
  const changesFrom = (from: DeploymentSettings, d: Draft): UpdateDeploymentRequest | null => {
    const parsed = updateDeploymentRequestSchema.safeParse({
      description: d.description,
      aliasPolicy: d.aliasPolicy,
      rolloutPlan: d.withPlan ? planOfDraft(d.plan) : null,
    });
    if (!parsed.success) {
      setChecked(errorsOf(parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message }))));
      return null;
    }
    setChecked({});
    const wanted: DeploymentSettings = {
      description: parsed.data.description ?? '',
      aliasPolicy: parsed.data.aliasPolicy ?? from.aliasPolicy,
      rolloutPlan: parsed.data.rolloutPlan ?? null,
    };
    const changes: Record<string, unknown> = {};
    for (const key of changedSettings(from, wanted)) changes[key] = wanted[key];
    return changes as UpdateDeploymentRequest;
  };

  const save = async (from: DeploymentSettings) => {
    if (!draft) return;
    const changes = changesFrom(from, draft);
    if (!changes) return;
    if (Object.keys(changes).length === 0) {
      setOutcome(null);
      setNotice('Nothing changed.');
      return;
    }
    setSending(true);
    setNotice(null);
    const result = await updateDeploymentAction(deployment.name, from, changes).finally(() => setSending(false));
    setOutcome(result);
    if (result.ok) {
      setBase(null);
      setDraft(null);
      setNotice(`Saved: ${Object.keys(changes).join(', ')}.`);
    }
    onChanged();
  };

  const errors = { ...errorsOf(outcome && !outcome.ok && !outcome.current ? outcome.fields : []), ...checked };
  const conflict = outcome && !outcome.ok && outcome.current ? outcome.current : null;

  if (!draft || !base) {
    return (
      <div className="space-y-2">
        <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-3" data-testid="settings-summary">
          <div>
            <dt className="text-xs font-medium text-slate-600">Description</dt>
            <dd data-testid="settings-description">{deployment.description || '—'}</dd>
          </div>
          <div>
            <dt className="text-xs font-medium text-slate-600">When the followed alias moves</dt>
            <dd className="font-mono text-xs" data-testid="settings-alias-policy">
              {deployment.aliasPolicy}
            </dd>
          </div>
          <div>
            <dt className="text-xs font-medium text-slate-600">Own rollout plan</dt>
            <dd className="font-mono text-xs" data-testid="settings-plan">
              {planText(deployment.rolloutPlan)}
            </dd>
          </div>
        </dl>
        <button type="button" className={secondary} onClick={() => open(settingsOf(deployment))}>
          Edit settings…
        </button>
        {notice ? (
          <p role="status" className="text-sm text-emerald-800" data-testid="settings-saved">
            {notice}
          </p>
        ) : null}
      </div>
    );
  }

  return (
    <form
      className="space-y-3 rounded-md border border-slate-200 bg-slate-50 p-3"
      data-testid="settings-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save(base);
      }}
    >
      <label className={label}>
        Description
        <textarea
          className={input}
          name="description"
          rows={2}
          maxLength={5000}
          value={draft.description}
          onChange={(e) => setDraft({ ...draft, description: e.target.value })}
        />
        <FieldError errors={errors} field="description" />
      </label>
      <label className={label}>
        When the followed alias moves
        <select
          className={`${input} w-auto font-mono`}
          name="aliasPolicy"
          value={draft.aliasPolicy}
          onChange={(e) => setDraft({ ...draft, aliasPolicy: e.target.value === 'rollout' ? 'rollout' : 'redeploy' })}
        >
          <option value="redeploy">redeploy: serve the new version at once</option>
          <option value="rollout">rollout: start the rollout plan with it</option>
        </select>
        <span className="mt-0.5 block font-normal text-slate-600">
          {deployment.trackedAlias
            ? `This deployment follows @${deployment.trackedAlias}.`
            : 'This deployment follows no alias; the policy applies if it ever does.'}
        </span>
        <FieldError errors={errors} field="aliasPolicy" />
      </label>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="withPlan" checked={draft.withPlan} onChange={(e) => setDraft({ ...draft, withPlan: e.target.checked })} />
        Own rollout plan (for alias moves, and the default of Start rollout)
      </label>
      <FieldError errors={errors} field="rolloutPlan" />
      {draft.withPlan ? <PlanFields draft={draft.plan} onChange={(plan) => setDraft({ ...draft, plan })} errors={errors} prefix="rolloutPlan" /> : null}
      <div className="flex gap-2">
        <button type="submit" disabled={sending} className={primary}>
          {sending ? 'Saving…' : 'Save settings'}
        </button>
        <button
          type="button"
          className={secondary}
          onClick={() => {
            setDraft(null);
            setBase(null);
            setOutcome(null);
          }}
        >
          Cancel
        </button>
      </div>
      {notice ? (
        <p role="status" className="text-sm text-slate-700">
          {notice}
        </p>
      ) : null}
      {conflict ? (
        <div role="alert" className="space-y-2 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900" data-testid="settings-conflict">
          <p className="font-semibold">{outcome && !outcome.ok ? outcome.message : null}</p>
          <p>The settings are now:</p>
          <dl className="grid grid-cols-1 gap-1 text-xs sm:grid-cols-3">
            <div>
              <dt className="font-medium">Description</dt>
              <dd data-testid="conflict-description">{conflict.description || '—'}</dd>
            </div>
            <div>
              <dt className="font-medium">Alias policy</dt>
              <dd className="font-mono">{conflict.aliasPolicy}</dd>
            </div>
            <div>
              <dt className="font-medium">Rollout plan</dt>
              <dd className="font-mono">{planText(conflict.rolloutPlan)}</dd>
            </div>
          </dl>
          <div className="flex flex-wrap gap-2">
            <button
              type="button"
              disabled={sending}
              className={`${button} bg-red-700 text-white hover:bg-red-800`}
              onClick={() => void save(settingsOf(conflict))}
            >
              Save my changes over these
            </button>
            <button type="button" className={secondary} onClick={() => open(settingsOf(conflict))}>
              Discard mine, edit these
            </button>
          </div>
        </div>
      ) : outcome && !outcome.ok ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900" data-testid="settings-error">
          {outcome.httpStatus ? <span className="font-mono text-xs">{`HTTP ${outcome.httpStatus}${outcome.code ? ` ${outcome.code}` : ''}: `}</span> : null}
          {outcome.message}
        </p>
      ) : null}
    </form>
  );
}

/**
 * Delete behind a confirm that names the deployment and the revision shown, with the name typed back. A
 * deployment that moved on since (a canary, a rollout step) comes back as it is now, to confirm again.
 */
function DeleteDeployment({ deployment }: { deployment: DeploymentView }) {
  const router = useRouter();
  const [asked, setAsked] = useState<number | null>(null);
  const [typed, setTyped] = useState('');
  const [sending, setSending] = useState(false);
  const [outcome, setOutcome] = useState<DeploymentActionOutcome | null>(null);

  const remove = async (baseRevision: number) => {
    setSending(true);
    const result = await deleteDeploymentAction(deployment.name, baseRevision, typed).finally(() => setSending(false));
    setOutcome(result);
    if (result.ok) router.push(`/deployments?deleted=${encodeURIComponent(deployment.name)}`);
    else if (result.current) setAsked(result.current.currentRevision);
  };

  const conflict = outcome && !outcome.ok && outcome.current ? outcome.current : null;
  if (asked === null) {
    return (
      <button
        type="button"
        className={danger}
        onClick={() => {
          setOutcome(null);
          setTyped('');
          setAsked(deployment.currentRevision);
        }}
      >
        Delete deployment…
      </button>
    );
  }
  return (
    <div role="group" aria-labelledby="delete-heading" className="space-y-2 rounded-md border border-red-300 bg-red-50/60 p-3" data-testid="delete-confirm">
      <p id="delete-heading" className="text-sm font-medium text-slate-900">
        {`Delete ${deployment.name} (revision ${asked})?`}
      </p>
      <p className="text-sm text-slate-800">
        Nothing is served from it any more: its predict URL answers 404. Its revisions and events stay readable, and the name stays taken.
      </p>
      {conflict ? (
        <div role="alert" className="space-y-2 rounded-md border border-red-200 bg-white p-3 text-sm text-red-900" data-testid="delete-conflict">
          <p className="font-semibold">{outcome && !outcome.ok ? outcome.message : null}</p>
          <p>{`Revision ${conflict.currentRevision} (${conflict.revision.action.toLowerCase().replace('_', ' ')}${conflict.revision.createdBy ? ` by ${conflict.revision.createdBy}` : ''}), status ${conflict.status.toLowerCase().replace('_', ' ')}:`}</p>
          <TrafficSplitBar revision={conflict.revision} />
        </div>
      ) : null}
      <label className={label}>
        {`Type ${deployment.name} to confirm`}
        <input className={`${input} w-80 font-mono`} name="confirm-name" autoComplete="off" value={typed} onChange={(e) => setTyped(e.target.value)} />
      </label>
      <div className="flex gap-2">
        <button
          type="button"
          disabled={sending || typed !== deployment.name}
          className={`${button} bg-red-700 text-white hover:bg-red-800`}
          onClick={() => void remove(asked)}
        >
          {sending ? 'Deleting…' : conflict ? `Delete at revision ${asked}` : `Delete ${deployment.name}`}
        </button>
        <button type="button" className={secondary} onClick={() => setAsked(null)}>
          Cancel
        </button>
      </div>
      {outcome && !outcome.ok && !conflict ? (
        <p role="alert" className="text-sm text-red-900" data-testid="delete-error">
          {outcome.httpStatus ? <span className="font-mono text-xs">{`HTTP ${outcome.httpStatus}${outcome.code ? ` ${outcome.code}` : ''}: `}</span> : null}
          {outcome.message}
        </p>
      ) : null}
    </div>
  );
}
