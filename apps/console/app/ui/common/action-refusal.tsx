import type { ActionOutcome } from '../../lib/action-result';

/** Why a server action said no: the API's status and code when it was the API, and each field it named. */
export function ActionRefusal({ outcome, testId }: { outcome: ActionOutcome<unknown> | null; testId: string }) {
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
