'use client';

import { useState } from 'react';
import { registerBestAction, resumeStudyAction, stopStudyAction, type StudyActionOutcome } from '../../lib/studies/study-actions';

const button = 'rounded-md px-3 py-1.5 text-sm font-medium disabled:opacity-50';
const input = 'mt-1 block w-48 rounded-md border border-slate-300 px-2 py-1.5 font-mono text-sm';

function Refusal({ outcome, testId }: { outcome: StudyActionOutcome<unknown> | null; testId: string }) {
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

/** Stop, after a confirmation that says what it does: queued trials are cancelled, running ones signalled. */
export function StopStudy({ studyId, onDone }: { studyId: string; onDone: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState('');
  const [pending, setPending] = useState(false);
  const [outcome, setOutcome] = useState<StudyActionOutcome<{ status: string }> | null>(null);
  if (!confirming) {
    return (
      <button type="button" onClick={() => setConfirming(true)} className={`${button} text-red-700 ring-1 ring-red-300 hover:bg-red-50`}>
        Stop study
      </button>
    );
  }
  return (
    <div role="group" aria-labelledby="stop-heading" className="space-y-2 rounded-md border border-red-200 bg-red-50/40 p-3" data-testid="stop-confirm">
      <p id="stop-heading" className="text-sm font-medium text-red-900">
        Stop this study? Queued trials are cancelled and running ones stop at their next report; the study can be resumed later.
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
            const result = await stopStudyAction(studyId, reason).finally(() => setPending(false));
            setOutcome(result);
            if (result.ok) {
              setConfirming(false);
              onDone();
            }
          }}
          className={`${button} bg-red-700 text-white hover:bg-red-800`}
        >
          {pending ? 'Stopping…' : 'Confirm stop'}
        </button>
        <button type="button" onClick={() => setConfirming(false)} className={`${button} text-slate-700 ring-1 ring-slate-300 hover:bg-slate-100`}>
          Keep running
        </button>
      </div>
      <Refusal outcome={outcome} testId="stop-message" />
    </div>
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
      <Refusal outcome={outcome} testId="resume-message" />
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
      <Refusal outcome={outcome} testId="register-best-message" />
    </form>
  );
}
