import { ModelRegistrar } from '@slipway/model-registry';
import { QueueName } from '@slipway/queue';
import type { HandlerContext, HandlerModule } from './handler';
import { actorForJob, closeAttempt, endRun, jobEventData, lostReason, TrainingAttemptRunner } from './training/training-attempt';

/** The most unqueued jobs one sweep re-sends; the next sweep takes the rest. */
const RELAY_LIMIT = 100;

/**
 * Sends a message for every QUEUED job the API committed but could not enqueue (its send failed after commit),
 * once the job is `unqueuedAfterSeconds` old. Every worker sweeps; when two send for the same job at once, the
 * job keeps the first message that claims it (TrainingJobStore.claimQueueMessage, under the job's row lock) and
 * the other message's handler does nothing.
 */
async function sweepUnqueued({ uow, queue, logger, training }: HandlerContext): Promise<void> {
  const ids = await uow.read.trainingJobs.unqueued(new Date(Date.now() - training.unqueuedAfterSeconds * 1000), RELAY_LIMIT);
  for (const trainingJobId of ids) {
    const messageId = await queue.send(QueueName.Training, { trainingJobId });
    await uow.read.trainingJobs.setQueueJobId(trainingJobId, messageId);
  }
  if (ids.length > 0) logger.warn(`training relay: sent ${ids.length} training jobs left QUEUED without a queue message: ${ids.join(', ')}`);
}

/**
 * A RUNNING job whose attempt stopped heartbeating and that the queue no longer holds a message for: the queue
 * retried it until its retries ran out, and the last attempt's worker died too, so no retry will come to close
 * it. Ends it FAILED with that attempt LOST (under the row lock, re-checked, so concurrent sweeps end it once).
 */
async function failAbandoned({ uow, queue, logger, training }: HandlerContext): Promise<void> {
  const cutoff = new Date(Date.now() - training.abandonedAfterSeconds * 1000);
  for (const id of await uow.read.trainingJobs.silentSince(cutoff, RELAY_LIMIT)) {
    if (await queue.hasLiveJob(QueueName.Training, id)) continue;
    const peek = await uow.read.trainingJobs.get(id);
    if (!peek) continue;
    const ended = await uow.run(actorForJob(peek), async (tx) => {
      const job = await tx.trainingJobs.lock(id);
      if (!job || job.status !== 'RUNNING' || !job.heartbeatAt || job.heartbeatAt >= cutoff) return false;
      const now = new Date();
      let history = job.attemptHistory;
      const reasons: string[] = [];
      for (const lost of history.filter((a) => a.outcome === 'RUNNING')) {
        const reason = lostReason(lost);
        reasons.push(reason);
        history = closeAttempt(history, lost.attempt, 'LOST', reason, now);
        await endRun(tx, lost.runId, 'FAILED', reason, now);
      }
      const error = `${reasons.join('; ') || 'the running attempt stopped heartbeating'}, and the queue has no attempts left`;
      await tx.trainingJobs.endWithoutAttempt(id, { status: 'FAILED', error, history, at: now });
      await tx.record({
        action: 'training_job.fail',
        entity: { type: 'training_job', id },
        before: { status: 'RUNNING', attempts: job.attempts },
        after: { status: 'FAILED', error, attempts: job.attempts },
        event: { name: 'training_job.failed', data: jobEventData(job, { status: 'FAILED', attempts: job.attempts }, { error }) },
      });
      return true;
    });
    if (ended) logger.warn(`training relay: job ${id} had no worker and no retry left; FAILED`);
  }
}

/**
 * Training jobs (the `training` queue): one message per job, `SLIPWAY_WORKER_CONCURRENCY` at once per worker.
 * The queue's heartbeat (30 s) hands a job whose worker died to another worker, as attempt n+1; see
 * TrainingAttemptRunner for what an attempt does and how each way it can end is recorded.
 *
 * A synchronous fit (a CART tree, a k-means run) holds the event loop: while it runs, neither the queue's
 * heartbeat nor the job's is written. A fit longer than the queue's heartbeat timeout is taken for a dead
 * worker and retried elsewhere; the fenced writes keep the first attempt from writing anything after that.
 */
export const trainingHandler: HandlerModule = {
  queueName: QueueName.Training,
  concurrency: (workerConcurrency) => workerConcurrency,
  async start(context, concurrency) {
    let registrar: ModelRegistrar | undefined;
    const runner = new TrainingAttemptRunner({
      uow: context.uow,
      objects: context.objects,
      registrar: () => (registrar ??= new ModelRegistrar(context.uow, context.objects, context.signer(), { logger: context.logger })),
      workerId: context.workerId,
      backend: context.backend,
      logger: context.logger,
      settings: context.training,
      // A trial's job started or ended: its study advances now (trial RUNNING, the next trial queued) rather than at the next sweep.
      onJobSettled: async (trainingJobId) => {
        const trial = await context.uow.read.studies.trialOfJob(trainingJobId);
        if (trial) await context.queue.trySend(QueueName.TuningStudy, { studyId: trial.studyId });
      },
    });
    await context.queue.work(QueueName.Training, concurrency, (job) => runner.handle(job));
    let sweeping: Promise<void> = Promise.resolve();
    const sweep = () => {
      sweeping = sweeping
        .then(() => sweepUnqueued(context))
        .then(() => failAbandoned(context))
        .catch((error: Error) => context.logger.warn(`training relay: ${error.message}`));
    };
    sweep();
    const timer = setInterval(sweep, context.training.relayIntervalSeconds * 1000);
    context.onStop(async () => {
      clearInterval(timer);
      await sweeping;
    });
  },
};
