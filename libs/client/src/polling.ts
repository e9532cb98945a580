import { ErrorCode } from '@slipway/contracts';
import { SlipwayApiError } from './slipway-api-error';

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts (the timer is cleared then). */
export function abortableSleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface PollOptions {
  intervalMs: number;
  /** Stops polling: the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Reads in a row that may fail as UNAVAILABLE (API restarting, a network blip) before polling gives up with that error. */
  maxUnavailable: number;
}

/**
 * The loop behind every client-side wait: reads, hands the answer to `settle`, and stops with what `settle`
 * returns once that is not undefined. UNAVAILABLE reads are retried up to `maxUnavailable` times in a row because a
 * watcher should outlive an API restart; any other error ends the wait at once.
 */
export async function pollUntil<T, R>(
  read: () => Promise<T>,
  settle: (value: T) => R | undefined | Promise<R | undefined>,
  { intervalMs, signal, maxUnavailable }: PollOptions,
): Promise<R> {
  let unavailable = 0;
  for (;;) {
    if (signal?.aborted) throw signal.reason;
    let value: T;
    try {
      value = await read();
      unavailable = 0;
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (!(error instanceof SlipwayApiError && error.code === ErrorCode.UNAVAILABLE) || ++unavailable > maxUnavailable) throw error;
      await abortableSleep(intervalMs, signal);
      continue;
    }
    const settled = await settle(value);
    if (settled !== undefined) return settled;
    await abortableSleep(intervalMs, signal);
  }
}
