'use client';

import { useEffect, useState, type ReactNode } from 'react';
import type { z } from 'zod';
import type { ApiResult } from '../../lib/api-result';
import { fetchFromConsole } from '../../lib/console-fetch';
import { formatAgo } from '../../lib/format';
import { useLiveQuery, useNow } from '../query/use-live-query';
import { ScrollRegion } from './scroll-region';
import { ApiErrorNotice } from './api-error-notice';

/** While any listed item is active the list polls this often; once every one has ended it stops. */
const POLL_MS = 2000;

/**
 * A list that polls its console route while any item in it is still active (queued, running…) and stops once
 * every one has ended, saying which it is doing and how old the data is. A failed poll keeps the last list.
 * `testIdPrefix` names the parts: `<prefix>-error`, `<prefix>-freshness`.
 */
export function LiveActiveList<S extends z.ZodType, I>({
  initial,
  renderedAt,
  queryKey,
  path,
  schema,
  itemsOf,
  isActive,
  text,
  children,
}: {
  initial: ApiResult<z.output<S>>;
  renderedAt: string;
  queryKey: readonly unknown[];
  path: string;
  schema: S;
  itemsOf: (data: z.output<S>) => I[];
  isActive: (item: I) => boolean;
  /** `loadError` titles a failed first load; `whileActive` ends "Live: refreshing every 2 s …". */
  text: { testIdPrefix: string; loadError: string; whileActive: string };
  children: (items: I[]) => ReactNode;
}) {
  const renderedAtMs = Date.parse(renderedAt);
  // Whether to keep polling follows the latest list: it stops once every item shown has ended.
  const [active, setActive] = useState(() => (initial.ok ? itemsOf(initial.data) : []).some(isActive));
  const live = useLiveQuery({ queryKey: [...queryKey], queryFn: ({ signal }) => fetchFromConsole(path, schema, { signal }) }, initial, {
    intervalMs: active ? POLL_MS : 0,
    renderedAtMs,
  });
  const now = useNow(renderedAtMs);
  const items = live.data === undefined ? undefined : itemsOf(live.data);
  const stillActive = items !== undefined && items.some(isActive);
  useEffect(() => {
    if (items !== undefined) setActive(stillActive);
  }, [items, stillActive]);
  return (
    <div className="space-y-3">
      {live.failure ? (
        <ApiErrorNotice
          title={items === undefined ? text.loadError : 'Live updates failed; showing the last list received'}
          failure={live.failure}
          testId={`${text.testIdPrefix}-error`}
        />
      ) : null}
      {items === undefined ? null : (
        <>
          <p className="text-xs text-slate-600" data-testid={`${text.testIdPrefix}-freshness`} data-live={active ? 'true' : 'false'}>
            {active ? `Live: refreshing every ${POLL_MS / 1000} s ${text.whileActive}. ` : ''}Updated {formatAgo(live.updatedAt, now)}.
          </p>
          {children(items)}
        </>
      )}
    </div>
  );
}

/** A list page's table: a dashed note when there is nothing to list, else the scrollable table with its column heads. */
export function ListTable({
  label,
  testId,
  caption,
  columns,
  empty,
  children,
}: {
  label: string;
  testId: string;
  caption: string;
  columns: string[];
  /** Given when there are no rows: the note shown instead of the table. */
  empty: { testId: string; text: string } | null;
  children: ReactNode;
}) {
  if (empty) {
    return (
      <p data-testid={empty.testId} className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-600">
        {empty.text}
      </p>
    );
  }
  return (
    <ScrollRegion label={label} className="rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid={testId}>
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
          <tr>
            {columns.map((h) => (
              <th key={h} scope="col" className="px-4 py-2">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </ScrollRegion>
  );
}
