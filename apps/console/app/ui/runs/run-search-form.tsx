'use client';

import type { RunFilterError } from '@slipway/contracts';
import { useRouter } from 'next/navigation';
import { useMemo, useState, type FormEvent } from 'react';
import { filterErrorFor, orderErrorFor } from '../../lib/run-search';

const EXAMPLES = [
  "metrics.f1 > 0.9 AND (params.criterion = 'gini' OR params.maxDepth IN (4, 8))",
  "attributes.status = 'FINISHED' AND metrics.loss < 0.2",
  "params.algorithm = 'cart' AND tags.team LIKE 'fraud%'",
  "attributes.created_at > '2026-01-01T00:00:00Z'",
];

const ORDERS = ['attributes.created_at DESC', 'metrics.f1 DESC', 'metrics.accuracy DESC', 'metrics.loss ASC', 'attributes.name ASC'];

export interface RunSearchFormProps {
  filter: string;
  orderBy: string;
  /** What the server's one parse of `filter` and `orderBy` found (lib/run-search.ts checkRunSearch); not parsed again here. */
  filterError?: RunFilterError;
  orderError?: RunFilterError;
}

/**
 * The filter and sort, checked as they are typed with the same parser the API uses; a syntax error points at its
 * column. The texts the page arrived with come checked by the server, so neither the server render nor hydration
 * parses them again; an edit is parsed once, in the browser, when it changes.
 */
export function RunSearchForm({
  filter: initialFilter,
  orderBy: initialOrderBy,
  filterError: initialFilterError,
  orderError: initialOrderError,
}: RunSearchFormProps) {
  const router = useRouter();
  const [filter, setFilter] = useState(initialFilter);
  const [orderBy, setOrderBy] = useState(initialOrderBy);
  const filterError = useMemo(() => filterErrorFor(filter, { text: initialFilter, error: initialFilterError }), [filter, initialFilter, initialFilterError]);
  const orderError = useMemo(() => orderErrorFor(orderBy, { text: initialOrderBy, error: initialOrderError }), [orderBy, initialOrderBy, initialOrderError]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (filterError || orderError) return;
    const params = new URLSearchParams();
    if (filter.trim()) params.set('filter', filter.trim());
    params.set('orderBy', orderBy.trim());
    router.push(`/runs?${params.toString()}`);
  };

  return (
    <form onSubmit={submit} role="search" aria-label="Runs" className="mb-6 space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <div>
        <label htmlFor="run-filter" className="block text-sm font-medium text-slate-900">
          Filter
        </label>
        <textarea
          id="run-filter"
          name="filter"
          rows={2}
          value={filter}
          spellCheck={false}
          onChange={(event) => setFilter(event.target.value)}
          aria-invalid={filterError ? true : undefined}
          aria-describedby="run-filter-help run-filter-error"
          placeholder="metrics.f1 > 0.9 AND params.criterion = 'gini'"
          className={`mt-1 block w-full rounded-md border px-3 py-2 font-mono text-sm ${filterError ? 'border-red-400 ring-2 ring-red-200' : 'border-slate-300'}`}
        />
        <div id="run-filter-error" aria-live="polite">
          {filterError ? <SyntaxError text={filter} error={filterError} testId="filter-error" /> : null}
        </div>
        <div id="run-filter-help" className="mt-2 text-xs text-slate-600">
          <p>
            Fields: <code className="font-mono">metrics.*</code>, <code className="font-mono">params.*</code>, <code className="font-mono">tags.*</code>,{' '}
            <code className="font-mono">attributes.status|name|created_at|…</code>; operators{' '}
            <code className="font-mono">= != &lt; &lt;= &gt; &gt;= LIKE ILIKE IN</code>, combined with <code className="font-mono">AND OR NOT</code> and
            parentheses. Examples:
          </p>
          <ul className="mt-1 flex flex-wrap gap-2">
            {EXAMPLES.map((example) => (
              <li key={example}>
                <button
                  type="button"
                  onClick={() => setFilter(example)}
                  className="rounded bg-slate-100 px-2 py-0.5 text-left font-mono text-slate-800 hover:bg-slate-200"
                >
                  {example}
                </button>
              </li>
            ))}
          </ul>
        </div>
      </div>
      <div className="flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor="run-order" className="block text-sm font-medium text-slate-900">
            Order by
          </label>
          <input
            id="run-order"
            name="orderBy"
            list="run-order-suggestions"
            value={orderBy}
            onChange={(event) => setOrderBy(event.target.value)}
            aria-invalid={orderError ? true : undefined}
            aria-describedby="run-order-error"
            className={`mt-1 w-72 rounded-md border px-3 py-1.5 font-mono text-sm ${orderError ? 'border-red-400 ring-2 ring-red-200' : 'border-slate-300'}`}
          />
          <datalist id="run-order-suggestions">
            {ORDERS.map((o) => (
              <option key={o} value={o} />
            ))}
          </datalist>
        </div>
        <button
          type="submit"
          disabled={Boolean(filterError || orderError)}
          className="rounded-md bg-slate-900 px-4 py-1.5 text-sm font-medium text-white hover:bg-slate-800 disabled:opacity-50"
        >
          Search
        </button>
      </div>
      <div id="run-order-error" aria-live="polite">
        {orderError ? <SyntaxError text={orderBy} error={orderError} testId="order-error" /> : null}
      </div>
    </form>
  );
}

/** The message, and the offending line with a caret under the column the parser stopped at. */
function SyntaxError({ text, error, testId }: { text: string; error: RunFilterError; testId: string }) {
  const lineStart = text.lastIndexOf('\n', error.position - 1) + 1;
  const lineEnd = text.indexOf('\n', error.position);
  const line = text.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
  const offset = Math.min(error.position - lineStart, line.length);
  return (
    <div role="alert" data-testid={testId} data-column={error.column} className="mt-2 rounded-md border border-red-200 bg-red-50 p-2 text-sm text-red-900">
      <p>
        Syntax error at column {error.column}: {error.message}
      </p>
      {line ? (
        <pre aria-hidden="true" className="mt-1 overflow-x-auto font-mono text-xs leading-tight">
          {line}
          {'\n'}
          {' '.repeat(offset)}^
        </pre>
      ) : null}
    </div>
  );
}
