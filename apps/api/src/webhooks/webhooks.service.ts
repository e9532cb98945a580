import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { PlatformConfig } from '@slipway/config';
import {
  createdWebhookSchema,
  webhookSchema,
  ErrorCode,
  PING_EVENT,
  SlipwayError,
  wireTime,
  wireTimeOrNull,
  type CreatedWebhook,
  type CreateWebhookRequest,
  type DeliveryList,
  type DeliveryQuery,
  type DeliveryView,
  type UpdateWebhookRequest,
  type WebhookView,
} from '@slipway/contracts';
import { UnitOfWork, type DeliveryEntity, type WebhookEntity } from '@slipway/db';
import { WebhookAddressPolicy, WebhookAddressRefused } from '@slipway/webhooks';
import type { RequestActor } from '../auth/auth.decorators';
import { inRequestFields } from '../common/request-fields';
import { respondWithin } from '../common/respond-within';
import { PLATFORM_CONFIG } from '../infrastructure/tokens';

export function toWebhookView(hook: WebhookEntity): WebhookView {
  return {
    id: hook.id,
    name: hook.name,
    url: hook.url,
    events: hook.events,
    active: hook.active,
    createdBy: hook.createdBy,
    createdAt: wireTime(hook.createdAt),
    updatedAt: wireTime(hook.updatedAt),
  };
}

export function toDeliveryView(d: DeliveryEntity): DeliveryView {
  return {
    id: d.id,
    webhookId: d.webhookId,
    event: d.event,
    status: d.status,
    attempts: d.attempts,
    responseStatus: d.responseStatus,
    responseBody: d.responseBody,
    error: d.error,
    nextAttemptAt: wireTimeOrNull(d.nextAttemptAt),
    createdAt: wireTime(d.createdAt),
    deliveredAt: wireTimeOrNull(d.deliveredAt),
    payload: d.payload,
  };
}

@Injectable()
export class WebhooksService {
  private readonly addressPolicy: WebhookAddressPolicy;

  constructor(
    private readonly db: UnitOfWork,
    @Inject(PLATFORM_CONFIG) config: PlatformConfig,
  ) {
    this.addressPolicy = new WebhookAddressPolicy(config.webhookAllowedHosts);
  }

  /**
   * Refuses, as a 400 on body.url, a URL whose host is or resolves to a non-public address the allow-list does
   * not name. A host that does not resolve now is accepted: DNS may not know it yet, and every delivery checks
   * again (that check, at connect time, is the one that protects; this one tells the editor early).
   */
  private async checkUrl(url: string): Promise<void> {
    try {
      await this.addressPolicy.resolve(url);
    } catch (error) {
      if (!(error instanceof WebhookAddressRefused)) throw error;
      if (!error.permanent) return;
      throw new SlipwayError(ErrorCode.INVALID_ARGUMENT, `Webhook URL refused: ${error.reason}`, [{ field: 'body.url', message: error.reason }]);
    }
  }

  async create(request: CreateWebhookRequest, actor: RequestActor): Promise<CreatedWebhook> {
    await this.checkUrl(request.url);
    const secret = request.secret ?? `whsec_${randomBytes(24).toString('base64url')}`;
    return this.db.run(actor, async (tx) => {
      const hook = await tx.webhooks.create({
        name: request.name,
        url: request.url,
        events: request.events,
        active: request.active,
        secret,
        createdBy: actor.name,
      });
      const view = toWebhookView(hook);
      await tx.record({ action: 'webhook.create', entity: { type: 'webhook', id: hook.id }, after: view });
      return respondWithin(tx, createdWebhookSchema, { ...view, secret });
    });
  }

  async list(): Promise<WebhookView[]> {
    return (await this.db.read.webhooks.list()).map(toWebhookView);
  }

  async get(id: string): Promise<WebhookView> {
    const hook = await this.db.read.webhooks.get(id);
    if (!hook) throw new SlipwayError(ErrorCode.NOT_FOUND, `No webhook ${id}`);
    return toWebhookView(hook);
  }

  async update(id: string, request: UpdateWebhookRequest, actor: RequestActor): Promise<WebhookView> {
    if (request.url !== undefined) await this.checkUrl(request.url);
    return this.db.run(actor, async (tx) => {
      const before = await tx.webhooks.get(id);
      if (!before) throw new SlipwayError(ErrorCode.NOT_FOUND, `No webhook ${id}`);
      const after = toWebhookView(await tx.webhooks.update(id, request));
      // The secret itself never enters the audit log; that it changed does.
      await tx.record({
        action: 'webhook.update',
        entity: { type: 'webhook', id },
        before: toWebhookView(before),
        after: { ...after, secretRotated: request.secret !== undefined },
      });
      return respondWithin(tx, webhookSchema, after);
    });
  }

  async remove(id: string, actor: RequestActor): Promise<void> {
    await this.db.run(actor, async (tx) => {
      const before = await tx.webhooks.get(id);
      if (!before) throw new SlipwayError(ErrorCode.NOT_FOUND, `No webhook ${id}`);
      await tx.webhooks.delete(id);
      await tx.record({ action: 'webhook.delete', entity: { type: 'webhook', id }, before: toWebhookView(before) });
    });
  }

  /** Sends a `ping` delivery to this webhook now (active or not is the receiver's test, so inactive ones are refused). */
  async ping(id: string, actor: RequestActor): Promise<DeliveryView> {
    const hook = await this.db.read.webhooks.get(id);
    if (!hook) throw new SlipwayError(ErrorCode.NOT_FOUND, `No webhook ${id}`);
    if (!hook.active) throw new SlipwayError(ErrorCode.CONFLICT, `Webhook ${id} is inactive; activate it first`);
    // Not an audited change, but sent like every other delivery: staged, committed, then enqueued.
    const deliveryId = await this.db.run(actor, (tx) => tx.deliverTo(id, PING_EVENT, { webhookId: id, by: actor.name, at: new Date().toISOString() }));
    const delivery = await this.db.read.webhooks.getDelivery(deliveryId);
    if (!delivery) throw new SlipwayError(ErrorCode.NOT_FOUND, `Delivery ${deliveryId} vanished`);
    return toDeliveryView(delivery);
  }

  async deliveries(id: string, query: DeliveryQuery): Promise<DeliveryList> {
    if (!(await this.db.read.webhooks.get(id))) throw new SlipwayError(ErrorCode.NOT_FOUND, `No webhook ${id}`);
    const page = await inRequestFields({ cursor: 'query.cursor' }, () => this.db.read.webhooks.listDeliveries(id, query));
    return { deliveries: page.deliveries.map(toDeliveryView), nextCursor: page.nextCursor };
  }
}
