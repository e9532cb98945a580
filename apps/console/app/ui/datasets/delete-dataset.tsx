'use client';

import { useActionState, useState } from 'react';
import { deleteDatasetAction } from '../../lib/dataset-actions';
import { idleFormState } from '../../lib/form-state';
import { FormMessage } from '../common/form-message';

/** Delete with a confirm step; a dataset a run, job or study still uses is kept, with the API's 409 message. */
export function DeleteDataset({ id, name }: { id: string; name: string }) {
  const [state, action, pending] = useActionState(deleteDatasetAction, idleFormState);
  const [confirming, setConfirming] = useState(false);
  return (
    <div className="space-y-2 rounded-lg border border-red-200 bg-white p-4 shadow-sm">
      <h3 className="text-sm font-semibold text-slate-900">Delete</h3>
      {confirming ? (
        <form action={action} className="flex flex-wrap items-center gap-3">
          <input type="hidden" name="id" value={id} />
          <p className="text-sm text-slate-800">
            Delete <span className="font-mono">{name}</span> and its stored file for good?
          </p>
          <button
            type="submit"
            disabled={pending}
            className="rounded-md bg-red-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-800 disabled:opacity-50"
          >
            {pending ? 'Deleting…' : 'Yes, delete'}
          </button>
          <button
            type="button"
            onClick={() => setConfirming(false)}
            className="rounded-md px-3 py-1.5 text-sm font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-slate-100"
          >
            Keep it
          </button>
        </form>
      ) : (
        <button
          type="button"
          onClick={() => setConfirming(true)}
          className="rounded-md px-3 py-1.5 text-sm font-medium text-red-700 ring-1 ring-red-200 hover:bg-red-50"
        >
          Delete dataset…
        </button>
      )}
      <FormMessage state={state} testId="dataset-delete-message" />
    </div>
  );
}
