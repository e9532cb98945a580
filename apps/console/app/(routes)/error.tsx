'use client';

/** Last resort for a bug in a page; API failures are shown by the pages themselves, not here. */
export default function RouteError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-6 text-red-900">
      <h1 className="text-lg font-semibold">Something went wrong</h1>
      <p className="mt-1 text-sm">{error.message || 'The page failed to render.'}</p>
      {error.digest ? <p className="mt-1 font-mono text-xs">Reference: {error.digest}</p> : null}
      <button type="button" onClick={reset} className="mt-4 rounded-md bg-red-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-800">
        Try again
      </button>
    </div>
  );
}
