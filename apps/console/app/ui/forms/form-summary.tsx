import type { FieldProblem } from '../../lib/hyperparameter-form';

/**
 * The foot of a form that submits through a server action: why the last submit was refused (the API's status and
 * code), or how many fields need attention once a submit was tried, the problems no field on the page can show
 * (`unplaced`), and the submit button. `testId` marks the message; its `data-state` says which it is.
 */
export function FormSummary({
  id,
  testId,
  refusal,
  attempted,
  problems,
  unplaced,
  submitting,
  disabled,
  submitLabel,
}: {
  id: string;
  testId: string;
  /** The last submit's refusal, if it was refused. */
  refusal: { message: string; httpStatus?: number; code?: string } | null;
  attempted: boolean;
  problems: readonly FieldProblem[];
  unplaced: readonly FieldProblem[];
  submitting: boolean;
  disabled: boolean;
  submitLabel: string;
}) {
  return (
    <div id={id} className="space-y-2">
      {refusal ? (
        <p role="alert" data-testid={testId} data-state="error" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900">
          {refusal.httpStatus ? <span className="font-mono text-xs">{`HTTP ${refusal.httpStatus}${refusal.code ? ` ${refusal.code}` : ''}: `}</span> : null}
          {refusal.message}
        </p>
      ) : attempted && problems.length > 0 ? (
        <p role="alert" data-testid={testId} data-state="invalid" className="text-sm text-red-800">
          {problems.length === 1 ? 'One field needs attention.' : `${problems.length} fields need attention.`}
        </p>
      ) : null}
      {unplaced.length > 0 ? (
        <ul className="list-disc pl-5 text-sm text-red-800" data-testid="unplaced-problems">
          {unplaced.map((p) => (
            <li key={`${p.field}:${p.message}`}>
              <span className="font-mono">{p.field || 'body'}</span>: {p.message}
            </li>
          ))}
        </ul>
      ) : null}
      <button
        type="submit"
        disabled={submitting || disabled}
        className="rounded-md bg-slate-900 px-4 py-2 text-sm font-medium text-white hover:bg-slate-800 disabled:opacity-50"
      >
        {submitting ? 'Starting…' : submitLabel}
      </button>
    </div>
  );
}
