'use client';

import { ErrorCode } from '@slipway/contracts';
import { useQuery, type QueryKey } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { ApiFailure, ApiResult } from '../../lib/api-result';
import { ConsoleFetchError } from '../../lib/console-fetch';
import { OVERVIEW_POLL_MS } from './overview-queries';

export interface LiveData<T> {
  /** Latest good data, kept while later polls fail. */
  data?: T;
  /** Why the latest attempt failed; with `data` present, the data shown is stale. */
  failure?: ApiFailure;
  /** Epoch ms of the latest good data. */
  updatedAt: number;
}

/**
 * Polls a console route handler, starting from what the server rendered. A failed first paint shows its
 * error until a poll succeeds; a failed poll after that keeps the last good data alongside the error.
 */
export function useLiveQuery<T>(
  query: { queryKey: QueryKey; queryFn: (context: { signal: AbortSignal }) => Promise<T> },
  initial: ApiResult<T>,
  renderedAtMs: number,
): LiveData<T> {
  const result = useQuery({
    queryKey: query.queryKey,
    queryFn: query.queryFn,
    initialData: initial.ok ? initial.data : undefined,
    initialDataUpdatedAt: renderedAtMs,
    refetchInterval: OVERVIEW_POLL_MS,
  });
  let failure: ApiFailure | undefined;
  if (result.error) failure = result.error instanceof ConsoleFetchError ? result.error.failure : unknownFailure(result.error);
  else if (result.data === undefined && !initial.ok) failure = initial.error;
  return { data: result.data, failure, updatedAt: result.dataUpdatedAt || renderedAtMs };
}

function unknownFailure(error: Error): ApiFailure {
  return { code: ErrorCode.INTERNAL, message: error.message, url: '' };
}

/** Wall-clock time that ticks every second; starts at the server's render time so hydration matches. */
export function useNow(startMs: number, everyMs = 1000): number {
  const [now, setNow] = useState(startMs);
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
