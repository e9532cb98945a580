import type { FormState } from '../../lib/form-state';

/** The outcome of a form's action, announced to screen readers; API errors keep the API's own message. */
export function FormMessage({ state, testId }: { state: FormState; testId?: string }) {
  if (state.status === 'idle') return <p role="status" aria-live="polite" className="sr-only" data-testid={testId} />;
  if (state.status === 'done') {
    return (
      <p role="status" aria-live="polite" data-testid={testId} data-state="done" className="text-sm text-emerald-800">
        {state.message}
      </p>
    );
  }
  return (
    <p role="alert" data-testid={testId} data-state="error" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900">
      {state.httpStatus ? <span className="font-mono text-xs">{`HTTP ${state.httpStatus}${state.code ? ` ${state.code}` : ''}: `}</span> : null}
      {state.message}
    </p>
  );
}
