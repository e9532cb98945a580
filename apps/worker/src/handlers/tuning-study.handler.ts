import { ModelRegistrar } from '@slipway/model-registry';
import { QueueName } from '@slipway/queue';
import { StudyTicker } from '@slipway/tuning-studies';
import type { HandlerContext, HandlerModule } from './handler';

/** The most studies one sweep advances; the least recently changed go first, the next sweep takes the rest. */
const SWEEP_LIMIT = 100;
/**
 * A message whose study another pass holds tries this often, this far apart, before leaving it to the sweep (2.5 s
 * in all). A pass holds the lock for tens of milliseconds, so a short wait lets the next trial queue right after it:
 * with two trials ending close together, a 250 ms wait was most of a trial's time in the queue.
 */
const LOCKED_RETRIES = 100;
const LOCKED_RETRY_MS = 25;

/** The ticker a worker process shares between its tuning-study handler and its training handler's end-of-trial tick. */
export function studyTickerFor(context: HandlerContext): StudyTicker {
  let registrar: ModelRegistrar | undefined;
  return new StudyTicker({
    uow: context.uow,
    queue: context.queue,
    registrar: () => (registrar ??= new ModelRegistrar(context.uow, context.objects, context.signer(), { logger: context.logger })),
    logger: context.logger,
  });
}

/**
 * Tuning studies (the `tuning-study` queue): each message advances one study (StudyTicker: reconcile its trials
 * with their training jobs, end it, queue its next trials, register its best). The API sends one on start, stop
 * and resume; a training attempt sends one when a trial's job ends, so the next trial is queued at once. Every
 * worker also sweeps the active studies every `tuning.sweepIntervalMs`, skipping a study another pass holds
 * (tryLock): a lost message, or a trial whose job the API or a relay ended, costs at most one interval.
 */
export const tuningStudyHandler: HandlerModule = {
  queueName: QueueName.TuningStudy,
  // Passes are short transactions (no training happens here): one at a time per process is plenty.
  concurrency: () => 1,
  async start(context) {
    const ticker = studyTickerFor(context);
    await context.queue.work(QueueName.TuningStudy, 1, async (job) => {
      // Never waits on the study's row lock: a pass that holds it may be slow (a worker busy training answers its
      // queries late), and a queue of waiting passes would hold their connections all that time. A pass that finds
      // the study taken tries again shortly, since the holder may have read the trials before this message's news.
      for (let attempt = 0; attempt < LOCKED_RETRIES; attempt++) {
        if (!(await ticker.tick(job.data.studyId, { skipLocked: true })).skipped) return;
        await new Promise((resolve) => setTimeout(resolve, LOCKED_RETRY_MS));
      }
    });
    let sweeping: Promise<void> = Promise.resolve();
    let busy = false;
    const sweep = () => {
      if (busy) return;
      busy = true;
      sweeping = (async () => {
        for (const studyId of await context.uow.read.studies.active(SWEEP_LIMIT)) {
          await ticker.tick(studyId, { skipLocked: true }).catch((error: Error) => context.logger.warn(`tuning sweep: study ${studyId}: ${error.message}`));
        }
      })()
        .catch((error: Error) => context.logger.warn(`tuning sweep: ${error.message}`))
        .finally(() => {
          busy = false;
        });
    };
    const timer = setInterval(sweep, context.tuning.sweepIntervalMs);
    context.onStop(async () => {
      clearInterval(timer);
      await sweeping;
    });
  },
};
