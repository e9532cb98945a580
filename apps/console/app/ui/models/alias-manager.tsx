'use client';

import type { Role } from '@slipway/contracts';
import { useActionState, useState } from 'react';
import { deleteAliasAction, setAliasAction } from '../../lib/actions';
import { idleFormState } from '../../lib/form-state';
import { AliasBadge } from '../common/alias-badge';
import { FormMessage } from '../common/form-message';

const SUGGESTED = ['champion', 'challenger'];

interface Props {
  model: string;
  aliases: { alias: string; version: number }[];
  /** Versions an alias may point at (ready ones). */
  versions: number[];
  canEdit: boolean;
  role?: Role;
}

/** Where each alias points; editors and admins can point one at another version or remove it. */
export function AliasManager({ model, aliases, versions, canEdit, role }: Props) {
  return (
    <div className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      {aliases.length === 0 ? (
        <p className="text-sm text-slate-600" data-testid="aliases-empty">
          No aliases yet.
        </p>
      ) : (
        <table className="text-sm" data-testid="aliases-table">
          <caption className="sr-only">Aliases of {model}</caption>
          <thead className="text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
            <tr>
              <th scope="col" className="py-1 pr-6">
                Alias
              </th>
              <th scope="col" className="py-1 pr-6">
                Version
              </th>
              {canEdit ? (
                <th scope="col" className="py-1">
                  <span className="sr-only">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {aliases.map((a) => (
              <tr key={a.alias} data-testid="alias-row" data-alias={a.alias} data-version={a.version}>
                <th scope="row" className="py-1 pr-6 text-left font-normal">
                  <AliasBadge alias={a.alias} />
                </th>
                <td className="py-1 pr-6 font-mono">v{a.version}</td>
                {canEdit ? (
                  <td className="py-1">
                    <RemoveAlias model={model} alias={a.alias} />
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canEdit ? (
        <SetAliasForm model={model} aliases={aliases} versions={versions} />
      ) : (
        <p className="text-sm text-slate-600" data-testid="aliases-read-only">
          {role ? `Your token's role is ${role}: ` : ''}moving or removing aliases needs an editor or admin token.
        </p>
      )}
    </div>
  );
}

function SetAliasForm({ model, aliases, versions }: { model: string; aliases: Props['aliases']; versions: number[] }) {
  const [state, action, pending] = useActionState(setAliasAction, idleFormState);
  // Controlled, so what was tried stays in the form next to the API's answer (form actions reset uncontrolled fields).
  const [alias, setAlias] = useState('champion');
  const [version, setVersion] = useState(String(versions[0] ?? ''));
  // A version that stopped being ready (archived meanwhile) is no longer an option.
  const selectedVersion = versions.includes(Number(version)) ? version : String(versions[0] ?? '');
  const suggestions = [...new Set([...SUGGESTED, ...aliases.map((a) => a.alias)])];
  return (
    <form action={action} className="space-y-2 border-t border-slate-100 pt-4" aria-labelledby="set-alias-heading">
      <h3 id="set-alias-heading" className="text-sm font-semibold text-slate-900">
        Set or move an alias
      </h3>
      <input type="hidden" name="model" value={model} />
      <div className="flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor="alias-name" className="block text-xs font-medium text-slate-700">
            Alias
          </label>
          <input
            id="alias-name"
            name="alias"
            list="alias-suggestions"
            required
            value={alias}
            onChange={(event) => setAlias(event.target.value)}
            className="mt-1 w-44 rounded-md border border-slate-300 px-2 py-1.5 font-mono text-sm"
          />
          <datalist id="alias-suggestions">
            {suggestions.map((s) => (
              <option key={s} value={s} />
            ))}
          </datalist>
        </div>
        <div>
          <label htmlFor="alias-version" className="block text-xs font-medium text-slate-700">
            Version
          </label>
          <select
            id="alias-version"
            name="version"
            required
            className="mt-1 w-28 rounded-md border border-slate-300 px-2 py-1.5 font-mono text-sm"
            value={selectedVersion}
            onChange={(event) => setVersion(event.target.value)}
          >
            {versions.map((v) => (
              <option key={v} value={v}>
                v{v}
              </option>
            ))}
          </select>
        </div>
        <button
          type="submit"
          disabled={pending || versions.length === 0}
          className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-800 disabled:opacity-50"
        >
          {pending ? 'Saving…' : 'Set alias'}
        </button>
      </div>
      {versions.length === 0 ? <p className="text-xs text-slate-600">Aliases point at ready versions; this model has none yet.</p> : null}
      <FormMessage state={state} testId="alias-message" />
    </form>
  );
}

function RemoveAlias({ model, alias }: { model: string; alias: string }) {
  const [state, action, pending] = useActionState(deleteAliasAction, idleFormState);
  return (
    <form action={action} className="flex items-center gap-2">
      <input type="hidden" name="model" value={model} />
      <input type="hidden" name="alias" value={alias} />
      <button
        type="submit"
        disabled={pending}
        aria-label={`Remove alias ${alias}`}
        className="rounded px-2 py-0.5 text-xs font-medium text-red-700 ring-1 ring-red-200 hover:bg-red-50 disabled:opacity-50"
      >
        Remove
      </button>
      {state.status === 'error' ? <FormMessage state={state} /> : null}
    </form>
  );
}
