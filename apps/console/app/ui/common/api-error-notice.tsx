import type { ApiFailure } from '../../lib/api-result';

/** Why data is missing (or stale), with the API URL the console tried, so the fix is obvious. */
export function ApiErrorNotice({ title, failure, testId }: { title: string; failure: ApiFailure; testId?: string }) {
  return (
    <div role="alert" data-testid={testId} className="rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-900">
      <p className="font-semibold">{title}</p>
      <p className="mt-1 break-words">{failure.message}</p>
      <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-xs text-red-800">
        <dt className="font-medium">URL tried</dt>
        <dd className="break-all font-mono">{failure.url}</dd>
        <dt className="font-medium">Error</dt>
        <dd className="font-mono">
          {failure.code}
          {failure.status ? ` (HTTP ${failure.status})` : ''}
        </dd>
      </dl>
    </div>
  );
}
