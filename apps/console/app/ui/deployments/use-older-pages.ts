'use client';

import { ErrorCode } from '@slipway/contracts';
import { useEffect, useState } from 'react';
import type { ApiFailure } from '../../lib/api-result';
import { ConsoleFetchError } from '../../lib/console-fetch';
import { mergeNewestFirst } from '../../lib/deployment-view';

export interface OlderPages<T> {
  /** The polled first page and every older page loaded, newest first, each item once. */
  items: T[];
  /** Whether the API has items older than the last page loaded. */
  hasMore: boolean;
  loading: boolean;
  failure: ApiFailure | null;
  loadMore: () => void;
}

/**
 * A newest-first list whose first page is polled and whose older pages load on request, following the API's
 * `nextCursor`. Once older pages are loaded every polled item is kept, so an item that a newer one pushes off the
 * first page stays between the first page and the older ones instead of vanishing.
 */
export function useOlderPages<T>({
  first,
  firstCursor,
  fetchPage,
  key,
  newer,
}: {
  first: readonly T[];
  firstCursor: string | null;
  fetchPage: (cursor: string) => Promise<{ items: T[]; nextCursor: string | null }>;
  key: (item: T) => string;
  newer: (a: T, b: T) => number;
}): OlderPages<T> {
  const [older, setOlder] = useState<{ items: T[]; nextCursor: string | null } | null>(null);
  const [kept, setKept] = useState<T[]>([]);
  const [loading, setLoading] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const paging = older !== null;

  useEffect(() => {
    if (paging) setKept((previous) => mergeNewestFirst([first, previous], key, newer));
  }, [first, paging, key, newer]);

  const cursor = older ? older.nextCursor : firstCursor;
  const loadMore = () => {
    if (cursor === null || loading) return;
    setLoading(true);
    setFailure(null);
    fetchPage(cursor)
      .then((page) => {
        setKept((previous) => mergeNewestFirst([first, previous], key, newer));
        setOlder((previous) => ({ items: [...(previous?.items ?? []), ...page.items], nextCursor: page.nextCursor }));
      })
      .catch((error: unknown) => setFailure(error instanceof ConsoleFetchError ? error.failure : { code: ErrorCode.INTERNAL, message: String(error), url: '' }))
      .finally(() => setLoading(false));
  };

  return {
    items: paging ? mergeNewestFirst([first, kept, older.items], key, newer) : [...first],
    hasMore: cursor !== null,
    loading,
    failure,
    loadMore,
  };
}
