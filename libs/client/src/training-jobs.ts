import { ErrorCode, TERMINAL_TRAINING_JOB_STATUSES, type TrainingJobView } from '@slipway/contracts';
import { SlipwayApiError } from './slipway-api-error';

export interface WaitForTrainingJobOptions {
  /** Called with the first answer and then whenever the job changed (status, progress, attempts, result); awaited before the next poll. */
  onUpdate?: (job: TrainingJobView) => void | Promise<void>;
  /** Pause between polls; default 1000 ms (the worker writes progress about once a second). */
  intervalMs?: number;
  /** Stops waiting: the promise rejects with the signal's reason. The job itself is not cancelled. */
  signal?: AbortSignal;
  /**
   * Polls in a row that may fail as UNAVAILABLE (API restarting, a network blip) before the wait gives up with
   * that error; default 5. Any other error ends the wait at once.
   */
  maxUnavailable?: number;
}

const isTerminal = (job: TrainingJobView) => TERMINAL_TRAINING_JOB_STATUSES.includes(job.status);

/** What changes while a job runs; the heartbeat alone moves every second and is no news to a watcher. */
const changeKey = (job: TrainingJobView) => JSON.stringify({ ...job, heartbeatAt: null });

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
 * Polls a training job until it is SUCCEEDED, FAILED or CANCELLED and resolves with that last view (a failed job
 * is an answer, not an error). Shared by the CLI's `--wait` and anything else that watches a job; `get` is the
 * client's `trainingJobs.get`.
 */
export async function waitForTrainingJob(
  get: (id: string) => Promise<TrainingJobView>,
  id: string,
  options: WaitForTrainingJobOptions = {},
): Promise<TrainingJobView> {
  const { onUpdate, intervalMs = 1000, signal, maxUnavailable = 5 } = options;
  let last: string | undefined;
  let unavailable = 0;
  for (;;) {
    if (signal?.aborted) throw signal.reason;
    let job: TrainingJobView;
    try {
      job = await get(id);
      unavailable = 0;
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (!(error instanceof SlipwayApiError && error.code === ErrorCode.UNAVAILABLE) || ++unavailable > maxUnavailable) throw error;
      await sleep(intervalMs, signal);
      continue;
    }
    const key = changeKey(job);
    if (key !== last) {
      last = key;
      await onUpdate?.(job);
    }
    if (isTerminal(job)) return job;
    await sleep(intervalMs, signal);
  }
}
