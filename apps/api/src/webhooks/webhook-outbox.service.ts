import { Inject, Injectable, Logger } from '@nestjs/common';
import type { WebhookEvent } from '@slipway/contracts';
import { WebhookStore, type DbClient } from '@slipway/db';
import { QueueName, type JobQueue } from '@slipway/queue';
import { JOB_QUEUE } from '../infrastructure/tokens';

/**
 * Transactional outbox for webhook events: `stage` writes one delivery row per subscribed webhook in the
 * transaction of the change it announces (so an event exists if and only if the change committed);
 * `dispatch`, called after the commit, puts one queue message per delivery for the workers to send.
 */
@Injectable()
export class WebhookOutbox {
  private readonly logger = new Logger(WebhookOutbox.name);

  constructor(
    private readonly webhooks: WebhookStore,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
  ) {}

  stage(tx: DbClient, event: WebhookEvent, data: Record<string, unknown>): Promise<string[]> {
    return this.webhooks.stageEvent(event, data, tx);
  }

  async dispatch(deliveryIds: readonly string[]): Promise<void> {
    for (const deliveryId of deliveryIds) {
      try {
        await this.queue.send(QueueName.WebhookDelivery, { deliveryId }, { singletonKey: deliveryId });
      } catch (error) {
        // The delivery row stays PENDING with no attempts: visible in its history, and re-sent by a ping or a sweeper.
        this.logger.warn(`could not queue webhook delivery ${deliveryId}: ${(error as Error).message}`);
      }
    }
  }
}
