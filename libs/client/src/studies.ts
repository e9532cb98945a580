import { TERMINAL_TUNING_STUDY_STATUSES, type TuningStudyDetail } from '@slipway/contracts';
import { pollUntil } from './polling';

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

/**
 * Polls a tuning study until it is COMPLETED, STOPPED or FAILED and resolves with that last detail (a failed
 * study is an answer, not an error). `get` is the client's `studies.get`; the CLI's `studies create --wait` uses it.
 */
export async function waitForStudy(get: (id: string) => Promise<TuningStudyDetail>, id: string, options: WaitForStudyOptions = {}): Promise<TuningStudyDetail> {
  const { onProgress, intervalMs = 2000, signal, maxUnavailable = 5 } = options;
  let last: string | undefined;
  return pollUntil(
    () => get(id),
    async (study) => {
      const key = progressKey(study);
      if (key !== last) {
        last = key;
        await onProgress?.(study);
      }
      return TERMINAL_TUNING_STUDY_STATUSES.includes(study.status) ? study : undefined;
    },
    { intervalMs, signal, maxUnavailable },
  );
}
