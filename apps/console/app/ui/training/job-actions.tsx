'use client';

import Link from 'next/link';
import { useActionState, useState } from 'react';
import { setAliasAction } from '../../lib/actions';
import { idleFormState } from '../../lib/form-state';
import { cancelTrainingJobAction, registerTrainingJobAction, type TrainingActionOutcome } from '../../lib/training-actions';
import { ActionRefusal } from '../common/action-refusal';
import { ConfirmWithReason } from '../common/confirm-with-reason';
import { FormMessage } from '../common/form-message';

const button = 'rounded-md px-3 py-1.5 text-sm font-medium disabled:opacity-50';
const input = 'mt-1 w-48 rounded-md border border-slate-300 px-2 py-1.5 font-mono text-sm';

/** Cancel, after a second click that says what it does: a running job stops within seconds and keeps no model. */
export function CancelJob({ jobId, onDone }: { jobId: string; onDone: () => void }) {
  return (
    <ConfirmWithReason
      name="cancel"
      openLabel="Cancel job"
      question="Cancel this job? Training stops within a few seconds and nothing is registered."
      confirmLabel="Confirm cancel"
      pendingLabel="Cancelling…"
      keepLabel="Keep training"
      run={(reason) => cancelTrainingJobAction(jobId, reason)}
      onDone={onDone}
    />
  );
}

/** Registers the succeeded job's model as the next version of a model, optionally moving an alias onto it. */
export function RegisterJob({ jobId, suggestedModel, onDone }: { jobId: string; suggestedModel: string; onDone: () => void }) {
  const [model, setModel] = useState(suggestedModel);
  const [alias, setAlias] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [pending, setPending] = useState(false);
  const [outcome, setOutcome] = useState<TrainingActionOutcome<{ model: string; version: number }> | null>(null);
  const target = `${model.trim()}${alias.trim() ? `@${alias.trim()}` : ''}`;
  return (
    <form
      className="space-y-2"
      aria-labelledby="register-heading"
      onSubmit={async (event) => {
        event.preventDefault();
        if (!confirming) {
          setConfirming(true);
          return;
        }
        setPending(true);
        const result = await registerTrainingJobAction(jobId, { model, alias }).finally(() => setPending(false));
        setOutcome(result);
        setConfirming(false);
        if (result.ok) onDone();
      }}
    >
      <h3 id="register-heading" className="text-sm font-semibold text-slate-900">
        Register the model
      </h3>
      <div className="flex flex-wrap items-end gap-3">
        <label className="block text-xs font-medium text-slate-700">
          Model
          <input required value={model} onChange={(event) => (setModel(event.target.value), setConfirming(false))} className={`${input} block`} />
        </label>
        <label className="block text-xs font-medium text-slate-700">
          Alias (optional)
          <input
            value={alias}
            list="register-alias-suggestions"
            onChange={(event) => (setAlias(event.target.value), setConfirming(false))}
            className={`${input} block`}
          />
        </label>
        <datalist id="register-alias-suggestions">
          <option value="challenger" />
          <option value="champion" />
        </datalist>
        <button type="submit" disabled={pending || model.trim() === ''} className={`${button} bg-slate-900 text-white hover:bg-slate-800`}>
          {pending ? 'Registering…' : confirming ? `Confirm: register as ${target}` : 'Register'}
        </button>
        {confirming ? (
          <button type="button" onClick={() => setConfirming(false)} className={`${button} text-slate-700 ring-1 ring-slate-300 hover:bg-slate-100`}>
            Back
          </button>
        ) : null}
      </div>
      {confirming ? (
        <p role="status" className="text-xs text-slate-700" data-testid="register-confirm">
          This makes the job&apos;s model the next version of <span className="font-mono">{model.trim()}</span>
          {alias.trim() ? (
            <>
              {' '}
              and points <span className="font-mono">{alias.trim()}</span> at it
            </>
          ) : null}
          .
        </p>
      ) : null}
      <ActionRefusal outcome={outcome} testId="register-message" />
    </form>
  );
}

/** Where the job's model went, with the alias controls of that version (the registry's own alias action). */
export function RegisteredVersion({ model, version, canEdit }: { model: string; version: number; canEdit: boolean }) {
  const [state, action, pending] = useActionState(setAliasAction, idleFormState);
  const [alias, setAlias] = useState('champion');
  return (
    <div className="space-y-3" data-testid="registered-version" data-model={model} data-version={version}>
      <p className="text-sm">
        Registered as{' '}
        <Link
          href={`/models/${encodeURIComponent(model)}`}
          className="font-mono font-medium text-sky-700 underline-offset-2 hover:underline"
          data-testid="model-version-link"
        >
          {model} v{version}
        </Link>
        .
      </p>
      {canEdit ? (
        <form action={action} className="flex flex-wrap items-end gap-3" aria-label={`Move an alias to ${model} v${version}`}>
          <input type="hidden" name="model" value={model} />
          <input type="hidden" name="version" value={version} />
          <label className="block text-xs font-medium text-slate-700">
            Alias to move here
            <input
              name="alias"
              required
              value={alias}
              list="move-alias-suggestions"
              onChange={(event) => setAlias(event.target.value)}
              className={`${input} block`}
            />
          </label>
          <datalist id="move-alias-suggestions">
            <option value="champion" />
            <option value="challenger" />
          </datalist>
          <button type="submit" disabled={pending} className={`${button} text-slate-900 ring-1 ring-slate-300 hover:bg-slate-100`}>
            {pending ? 'Moving…' : 'Move alias'}
          </button>
          <FormMessage state={state} testId="move-alias-message" />
        </form>
      ) : null}
    </div>
  );
}
