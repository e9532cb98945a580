'use client';

import { COLUMN_TYPES, type DatasetView } from '@slipway/contracts';
import { useActionState, useState } from 'react';
import { updateDatasetAction } from '../../lib/dataset-actions';
import { idleFormState } from '../../lib/form-state';
import { FormMessage } from '../common/form-message';

/**
 * The name, target column and column types, for editors: saving sends what changed (PATCH), and the API recomputes
 * the profile from the stored file. A type the values cannot hold is refused with the line and column that broke it.
 * An image dataset has no columns and no target (its classes are its folders): only its name can change.
 */
export function DatasetEditor({ dataset }: { dataset: DatasetView }) {
  const [state, action, pending] = useActionState(updateDatasetAction, idleFormState);
  // Controlled, so the choice stays next to the API's answer when it is refused.
  const [name, setName] = useState(dataset.name);
  const [target, setTarget] = useState(dataset.targetColumn ?? '');
  const table = dataset.format !== 'images';
  const [types, setTypes] = useState<Record<string, string>>(() => Object.fromEntries(dataset.columns.map((c) => [c.name, c.type])));
  const changed = dataset.columns.filter((c) => types[c.name] !== c.type).length;
  return (
    <form action={action} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm" aria-labelledby="edit-heading">
      <h3 id="edit-heading" className="text-sm font-semibold text-slate-900">
        {table ? 'Name, target and column types' : 'Name'}
      </h3>
      <input type="hidden" name="id" value={dataset.id} />
      <div>
        <label htmlFor="dataset-name" className="block text-xs font-medium text-slate-700">
          Name
        </label>
        <input
          id="dataset-name"
          name="name"
          value={name}
          maxLength={256}
          onChange={(event) => setName(event.target.value)}
          className="mt-1 w-64 rounded-md border border-slate-300 px-2 py-1.5 text-sm"
        />
      </div>
      {table ? (
        <>
          <div>
            <label htmlFor="dataset-target" className="block text-xs font-medium text-slate-700">
              Target column
            </label>
            <select
              id="dataset-target"
              name="targetColumn"
              value={target}
              onChange={(event) => setTarget(event.target.value)}
              className="mt-1 w-64 rounded-md border border-slate-300 px-2 py-1.5 font-mono text-sm"
            >
              <option value="">(none)</option>
              {dataset.columns.map((c) => (
                <option key={c.name} value={c.name}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
          <details className="rounded-md border border-slate-200 p-2">
            <summary className="cursor-pointer text-sm font-medium text-slate-800">Column types{changed > 0 ? ` (${changed} changed)` : ''}</summary>
            <div className="mt-2 grid max-h-96 gap-2 overflow-y-auto sm:grid-cols-2 lg:grid-cols-3">
              {dataset.columns.map((c, index) => (
                <div key={c.name} className="flex items-center justify-between gap-2">
                  <label htmlFor={`column-type-${index}`} className="truncate font-mono text-xs text-slate-800">
                    {c.name}
                  </label>
                  <select
                    id={`column-type-${index}`}
                    name={`type:${c.name}`}
                    value={types[c.name]}
                    onChange={(event) => setTypes({ ...types, [c.name]: event.target.value })}
                    className="w-32 rounded-md border border-slate-300 px-1.5 py-1 font-mono text-xs"
                  >
                    {COLUMN_TYPES.map((t) => (
                      <option key={t} value={t}>
                        {t}
                      </option>
                    ))}
                  </select>
                </div>
              ))}
            </div>
          </details>
        </>
      ) : null}
      <button
        type="submit"
        disabled={pending}
        className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-800 disabled:opacity-50"
      >
        {pending ? 'Saving and re-profiling…' : 'Save'}
      </button>
      <FormMessage state={state} testId="dataset-edit-message" />
    </form>
  );
}
