import { QueueName } from '@slipway/queue';
import { deliverWebhook, WebhookAddressPolicy } from '@slipway/webhooks';
import { defineHandler } from './handler';

/**
 * Webhook deliveries (registry events): one signed POST per job. A thrown error makes the queue retry with
 * backoff; deliverWebhook counts attempts on the delivery row and marks it FAILED itself after the last one.
 * The POST has its own timeout, so a shutdown lets it finish rather than aborting it halfway.
 */
export const webhookDeliveryHandler = defineHandler({
  queue: QueueName.WebhookDelivery,
  // Network-bound, not CPU-bound: twice the training concurrency (2 at the default of 1, as before).
  concurrency: (workerConcurrency) => 2 * workerConcurrency,
  create: ({ uow, logger, webhookAllowedHosts }) => {
    // On the pool, not in a unit of work: a delivery attempt is the outbox being drained, not a change to audit.
    const webhooks = uow.read.webhooks;
    // Checked again at every delivery, not only when the webhook was saved: DNS may have changed since.
    const policy = new WebhookAddressPolicy(webhookAllowedHosts);
    return async (job) => {
      const delivery = await deliverWebhook(webhooks, job.data.deliveryId, { policy });
      if (delivery?.status === 'FAILED') logger.warn(`webhook delivery ${delivery.id} failed for good after ${delivery.attempts} attempts: ${delivery.error}`);
    };
  },
});
