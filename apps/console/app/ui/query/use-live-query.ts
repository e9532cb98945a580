'use client';

import { ErrorCode } from '@slipway/contracts';
import { useQuery, type QueryKey } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { ApiFailure, ApiResult } from '../../lib/api-result';
import { ConsoleFetchError } from '../../lib/console-fetch';

export interface LiveData<T> {
  /** Latest good data, kept while later polls fail. */
  data?: T;
  /** Why the latest attempt failed; with `data` present, the data shown is stale. */
  failure?: ApiFailure;
  /** Epoch ms of the latest good data. */
  updatedAt: number;
}

export interface LiveQuery<T> {
  queryKey: QueryKey;
  /** Usually fetchFromConsole of a console route handler, which throws ConsoleFetchError. */
  queryFn: (context: { signal: AbortSignal }) => Promise<T>;
}

export interface LiveQueryOptions {
  /** How often to poll, in ms; each page chooses its own (the overview: every 3 s). */
  intervalMs: number;
  /** Epoch ms the server rendered `initial` at: the age shown until the first poll. */
  renderedAtMs: number;
}

/**
 * Polls a console route handler every `intervalMs`, starting from what the server rendered. A failed first
 * paint shows its error until a poll succeeds; a failed poll after that keeps the last good data alongside
 * the error. Any page with live data uses this one hook, so all of them degrade the same way.
 */
export function useLiveQuery<T>(query: LiveQuery<T>, initial: ApiResult<T>, { intervalMs, renderedAtMs }: LiveQueryOptions): LiveData<T> {
  const result = useQuery({
    queryKey: query.queryKey,
    queryFn: query.queryFn,
    initialData: initial.ok ? initial.data : undefined,
    initialDataUpdatedAt: renderedAtMs,
    refetchInterval: intervalMs,
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
