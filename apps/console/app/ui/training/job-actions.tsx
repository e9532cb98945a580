'use client';

import Link from 'next/link';
import { useActionState, useState } from 'react';
import { setAliasAction } from '../../lib/actions';
import { idleFormState } from '../../lib/form-state';
import { cancelTrainingJobAction, registerTrainingJobAction, type TrainingActionOutcome } from '../../lib/training-actions';
import { FormMessage } from '../common/form-message';

const button = 'rounded-md px-3 py-1.5 text-sm font-medium disabled:opacity-50';
const input = 'mt-1 w-48 rounded-md border border-slate-300 px-2 py-1.5 font-mono text-sm';

function Refusal({ outcome, testId }: { outcome: TrainingActionOutcome<unknown> | null; testId: string }) {
  if (!outcome || outcome.ok) return null;
  const fields = outcome.fields.filter((f) => f.field !== '');
  return (
    <div role="alert" data-testid={testId} data-state="error" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900">
      {outcome.httpStatus ? <span className="font-mono text-xs">{`HTTP ${outcome.httpStatus}${outcome.code ? ` ${outcome.code}` : ''}: `}</span> : null}
      {outcome.message}
      {fields.length > 0 ? (
        <ul className="mt-1 list-disc pl-5 text-xs">
          {fields.map((f) => (
            <li key={`${f.field}:${f.message}`}>
              <span className="font-mono">{f.field}</span>: {f.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** Cancel, after a second click that says what it does: a running job stops within seconds and keeps no model. */
export function CancelJob({ jobId, onDone }: { jobId: string; onDone: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState('');
  const [pending, setPending] = useState(false);
  const [outcome, setOutcome] = useState<TrainingActionOutcome<{ status: string }> | null>(null);
  if (!confirming) {
    return (
      <button type="button" onClick={() => setConfirming(true)} className={`${button} text-red-700 ring-1 ring-red-300 hover:bg-red-50`}>
        Cancel job
      </button>
    );
  }
  return (
    <div role="group" aria-labelledby="cancel-heading" className="space-y-2 rounded-md border border-red-200 bg-red-50/40 p-3" data-testid="cancel-confirm">
      <p id="cancel-heading" className="text-sm font-medium text-red-900">
        Cancel this job? Training stops within a few seconds and nothing is registered.
      </p>
      <label className="block text-xs font-medium text-slate-700">
        Reason (optional)
        <input
          value={reason}
          onChange={(event) => setReason(event.target.value)}
          maxLength={1000}
          className="mt-1 block w-72 rounded-md border border-slate-300 px-2 py-1.5 text-sm"
        />
      </label>
      <div className="flex gap-2">
        <button
          type="button"
          disabled={pending}
          onClick={async () => {
            setPending(true);
            const result = await cancelTrainingJobAction(jobId, reason).finally(() => setPending(false));
            setOutcome(result);
            if (result.ok) {
              setConfirming(false);
              onDone();
            }
          }}
          className={`${button} bg-red-700 text-white hover:bg-red-800`}
        >
          {pending ? 'Cancelling…' : 'Confirm cancel'}
        </button>
        <button type="button" onClick={() => setConfirming(false)} className={`${button} text-slate-700 ring-1 ring-slate-300 hover:bg-slate-100`}>
          Keep training
        </button>
      </div>
      <Refusal outcome={outcome} testId="cancel-message" />
    </div>
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
      <Refusal outcome={outcome} testId="register-message" />
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
