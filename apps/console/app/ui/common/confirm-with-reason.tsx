'use client';

import { useState } from 'react';
import type { ActionOutcome } from '../../lib/action-result';
import { ActionRefusal } from './action-refusal';

const button = 'rounded-md px-3 py-1.5 text-sm font-medium disabled:opacity-50';

/**
 * A destructive action that takes a second click, after a sentence saying what it does, with an optional reason
 * (cancel a training job, stop a study). `name` prefixes the test ids: `<name>-confirm`, `<name>-message`.
 */
export function ConfirmWithReason({
  name,
  openLabel,
  question,
  confirmLabel,
  pendingLabel,
  keepLabel,
  run,
  onDone,
}: {
  name: string;
  openLabel: string;
  question: string;
  confirmLabel: string;
  pendingLabel: string;
  keepLabel: string;
  run: (reason: string) => Promise<ActionOutcome<unknown>>;
  onDone: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState('');
  const [pending, setPending] = useState(false);
  const [outcome, setOutcome] = useState<ActionOutcome<unknown> | null>(null);
  if (!confirming) {
    return (
      <button type="button" onClick={() => setConfirming(true)} className={`${button} text-red-700 ring-1 ring-red-300 hover:bg-red-50`}>
        {openLabel}
      </button>
    );
  }
  const headingId = `${name}-heading`;
  return (
    <div role="group" aria-labelledby={headingId} className="space-y-2 rounded-md border border-red-200 bg-red-50/40 p-3" data-testid={`${name}-confirm`}>
      <p id={headingId} className="text-sm font-medium text-red-900">
        {question}
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
            const result = await run(reason).finally(() => setPending(false));
            setOutcome(result);
            if (result.ok) {
              setConfirming(false);
              onDone();
            }
          }}
          className={`${button} bg-red-700 text-white hover:bg-red-800`}
        >
          {pending ? pendingLabel : confirmLabel}
        </button>
        <button type="button" onClick={() => setConfirming(false)} className={`${button} text-slate-700 ring-1 ring-slate-300 hover:bg-slate-100`}>
          {keepLabel}
        </button>
      </div>
      <ActionRefusal outcome={outcome} testId={`${name}-message`} />
    </div>
  );
}
