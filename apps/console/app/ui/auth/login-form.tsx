'use client';

import { useActionState } from 'react';
import { signIn } from '../../lib/actions';
import { idleFormState } from '../../lib/form-state';
import { FormMessage } from '../common/form-message';

export function LoginForm({ next }: { next: string }) {
  const [state, action, pending] = useActionState(signIn, idleFormState);
  return (
    <form action={action} className="space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <input type="hidden" name="next" value={next} />
      <div>
        <label htmlFor="token" className="block text-sm font-medium text-slate-900">
          API token
        </label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="off"
          required
          placeholder="slw_…"
          aria-describedby="token-help"
          className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-sm focus:border-sky-500 focus:outline-none focus:ring-2 focus:ring-sky-500/30"
        />
        <p id="token-help" className="mt-1 text-xs text-slate-600">
          An admin creates tokens with <code className="font-mono">POST /api/v1/tokens</code> (viewer, editor or admin).
        </p>
      </div>
      <FormMessage state={state} testId="login-message" />
      <button
        type="submit"
        disabled={pending}
        className="rounded-md bg-slate-900 px-4 py-2 text-sm font-medium text-white hover:bg-slate-800 disabled:opacity-60"
      >
        {pending ? 'Checking…' : 'Sign in'}
      </button>
    </form>
  );
}
