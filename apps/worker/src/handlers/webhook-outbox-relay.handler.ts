import { QueueName } from '@slipway/queue';
import { defineHandler } from './handler';

/** The most deliveries one sweep re-queues; the next sweep takes the rest. */
const SWEEP_LIMIT = 200;

/**
 * The outbox relay. The API stages a delivery row in the transaction of the change and queues its job
 * after the commit; when that enqueue fails (queue unreachable, process killed in between), or a retry's
 * job is lost, the row would stay PENDING forever. Each sweep takes deliveries overdue by more than
 * staleAfterSeconds and queues a job for each one that has none waiting, retrying or running (a backed-up
 * queue is not a lost job). Sweeps are sent by every worker on a timer, throttled by the queue to one per
 * interval, and the queue's `singleton` policy keeps two from running at once.
 */
export const webhookOutboxRelayHandler = defineHandler({
  queue: QueueName.WebhookOutboxRelay,
  concurrency: () => 1,
  create: ({ uow, queue, logger, outboxRelay }) => {
    const webhooks = uow.read.webhooks;
    return async (job) => {
      const cutoff = new Date(Date.now() - outboxRelay.staleAfterSeconds * 1000);
      const requeued: string[] = [];
      for (const delivery of await webhooks.stalePendingDeliveries(cutoff, SWEEP_LIMIT)) {
        // A shutdown mid-sweep leaves the rest to the next sweep; nothing is half done per delivery.
        if (job.signal.aborted) break;
        if (await queue.hasLiveJob(QueueName.WebhookDelivery, delivery.id)) continue;
        await queue.send(QueueName.WebhookDelivery, { deliveryId: delivery.id });
        requeued.push(delivery.id);
      }
      if (requeued.length > 0) logger.warn(`outbox relay: re-queued ${requeued.length} webhook deliveries left without a job: ${requeued.join(', ')}`);
    };
  },
});
