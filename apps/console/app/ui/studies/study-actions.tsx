'use client';

import { useState } from 'react';
import { registerBestAction, resumeStudyAction, stopStudyAction, type StudyActionOutcome } from '../../lib/studies/study-actions';
import { ActionRefusal } from '../common/action-refusal';
import { ConfirmWithReason } from '../common/confirm-with-reason';

const button = 'rounded-md px-3 py-1.5 text-sm font-medium disabled:opacity-50';
const input = 'mt-1 block w-48 rounded-md border border-slate-300 px-2 py-1.5 font-mono text-sm';

/** Stop, after a confirmation that says what it does: queued trials are cancelled, running ones signalled. */
export function StopStudy({ studyId, onDone }: { studyId: string; onDone: () => void }) {
  return (
    <ConfirmWithReason
      name="stop"
      openLabel="Stop study"
      question="Stop this study? Queued trials are cancelled and running ones stop at their next report; the study can be resumed later."
      confirmLabel="Confirm stop"
      pendingLabel="Stopping…"
      keepLabel="Keep running"
      run={(reason) => stopStudyAction(studyId, reason)}
      onDone={onDone}
    />
  );
}

/**
 * Resume a STOPPED, FAILED or COMPLETED study (start a CREATED one), optionally raising its trial budget and, for
 * one that failed on too many failed trials, the failure limit.
 */
export function ResumeStudy({
  studyId,
  action,
  maxTrials,
  maxFailedTrials,
  hint,
  onDone,
}: {
  studyId: string;
  action: 'resume' | 'start';
  maxTrials: number;
  /** Shown (as the placeholder of its field) only for a FAILED study. */
  maxFailedTrials?: number;
  hint?: string;
  onDone: () => void;
}) {
  const [budget, setBudget] = useState('');
  const [failures, setFailures] = useState('');
  const [pending, setPending] = useState(false);
  const [outcome, setOutcome] = useState<StudyActionOutcome<{ status: string }> | null>(null);
  const label = action === 'start' ? 'Start study' : 'Resume study';
  return (
    <form
      className="space-y-2"
      aria-label={label}
      onSubmit={async (event) => {
        event.preventDefault();
        setPending(true);
        const result = await resumeStudyAction(studyId, { maxTrials: budget, maxFailedTrials: failures }, action).finally(() => setPending(false));
        setOutcome(result);
        if (result.ok) {
          setBudget('');
          setFailures('');
          onDone();
        }
      }}
    >
      <div className="flex flex-wrap items-end gap-3">
        <label className="block text-xs font-medium text-slate-700">
          New max trials (optional)
          <input value={budget} inputMode="numeric" onChange={(event) => setBudget(event.target.value)} placeholder={String(maxTrials)} className={input} />
        </label>
        {maxFailedTrials !== undefined ? (
          <label className="block text-xs font-medium text-slate-700">
            New max failed trials (optional)
            <input
              value={failures}
              inputMode="numeric"
              onChange={(event) => setFailures(event.target.value)}
              placeholder={String(maxFailedTrials)}
              className={input}
            />
          </label>
        ) : null}
        <button type="submit" disabled={pending} className={`${button} bg-slate-900 text-white hover:bg-slate-800`}>
          {pending ? `${label}…` : label}
        </button>
      </div>
      {hint ? <p className="text-xs text-slate-600">{hint}</p> : null}
      <ActionRefusal outcome={outcome} testId="resume-message" />
    </form>
  );
}

/** Registers the best trial's model as the next version of a model, optionally moving an alias onto it. */
export function RegisterBest({
  studyId,
  suggestedModel,
  suggestedAlias,
  onDone,
}: {
  studyId: string;
  suggestedModel: string;
  suggestedAlias: string;
  onDone: () => void;
}) {
  const [model, setModel] = useState(suggestedModel);
  const [alias, setAlias] = useState(suggestedAlias);
  const [pending, setPending] = useState(false);
  const [outcome, setOutcome] = useState<StudyActionOutcome<{ model: string; version: number } | null> | null>(null);
  return (
    <form
      className="space-y-2"
      aria-labelledby="register-best-heading"
      onSubmit={async (event) => {
        event.preventDefault();
        setPending(true);
        const result = await registerBestAction(studyId, { model, alias }).finally(() => setPending(false));
        setOutcome(result);
        if (result.ok) onDone();
      }}
    >
      <h3 id="register-best-heading" className="text-sm font-semibold text-slate-900">
        Register the best trial&apos;s model
      </h3>
      <div className="flex flex-wrap items-end gap-3">
        <label className="block text-xs font-medium text-slate-700">
          Model
          <input required value={model} onChange={(event) => setModel(event.target.value)} className={input} />
        </label>
        <label className="block text-xs font-medium text-slate-700">
          Alias (optional)
          <input value={alias} list="register-best-alias-suggestions" onChange={(event) => setAlias(event.target.value)} className={input} />
        </label>
        <datalist id="register-best-alias-suggestions">
          <option value="challenger" />
          <option value="champion" />
        </datalist>
        <button type="submit" disabled={pending || model.trim() === ''} className={`${button} bg-slate-900 text-white hover:bg-slate-800`}>
          {pending ? 'Registering…' : 'Register best'}
        </button>
      </div>
      {outcome?.ok && outcome.data === null ? (
        <p role="status" className="text-xs text-slate-700" data-testid="register-best-pending">
          Registration accepted; the version appears here once it is made.
        </p>
      ) : null}
      <ActionRefusal outcome={outcome} testId="register-best-message" />
    </form>
  );
}
