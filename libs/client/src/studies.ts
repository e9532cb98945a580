import { ErrorCode, TERMINAL_TUNING_STUDY_STATUSES, type TuningStudyDetail } from '@slipway/contracts';
import { SlipwayApiError } from './slipway-api-error';

export interface WaitForStudyOptions {
  /**
   * Called with the first answer and then whenever the study moved (status, trial counts, best trial, budget);
   * awaited before the next poll.
   */
  onProgress?: (study: TuningStudyDetail) => void | Promise<void>;
  /** Pause between polls; default 2000 ms (a trial takes seconds at the least). */
  intervalMs?: number;
  /** Stops waiting: the promise rejects with the signal's reason. The study itself goes on. */
  signal?: AbortSignal;
  /** Polls in a row that may fail as UNAVAILABLE (API restarting, a network blip) before the wait gives up with that error; default 5. */
  maxUnavailable?: number;
}

/** What a watcher counts as news: not a running trial's intermediate values, which move every fold. */
const progressKey = (study: TuningStudyDetail) =>
  JSON.stringify([study.status, study.counts, study.best, study.maxTrials, study.maxFailedTrials, study.error, study.registeredVersion]);

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
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

/**
 * Polls a tuning study until it is COMPLETED, STOPPED or FAILED and resolves with that last detail (a failed
 * study is an answer, not an error). `get` is the client's `studies.get`; the CLI's `studies create --wait` uses it.
 */
export async function waitForStudy(get: (id: string) => Promise<TuningStudyDetail>, id: string, options: WaitForStudyOptions = {}): Promise<TuningStudyDetail> {
  const { onProgress, intervalMs = 2000, signal, maxUnavailable = 5 } = options;
  let last: string | undefined;
  let unavailable = 0;
  for (;;) {
    if (signal?.aborted) throw signal.reason;
    let study: TuningStudyDetail;
    try {
      study = await get(id);
      unavailable = 0;
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (!(error instanceof SlipwayApiError && error.code === ErrorCode.UNAVAILABLE) || ++unavailable > maxUnavailable) throw error;
      await sleep(intervalMs, signal);
      continue;
    }
    const key = progressKey(study);
    if (key !== last) {
      last = key;
      await onProgress?.(study);
    }
    if (TERMINAL_TUNING_STUDY_STATUSES.includes(study.status)) return study;
    await sleep(intervalMs, signal);
  }
}
