import { TERMINAL_TRAINING_JOB_STATUSES, type TrainingJobView } from '@slipway/contracts';
import { pollUntil } from './polling';

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
  return pollUntil(
    () => get(id),
    async (job) => {
      const key = changeKey(job);
      if (key !== last) {
        last = key;
        await onUpdate?.(job);
      }
      return isTerminal(job) ? job : undefined;
    },
    { intervalMs, signal, maxUnavailable },
  );
}
