import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  ErrorCode,
  PING_EVENT,
  SlipwayError,
  type CreatedWebhook,
  type CreateWebhookRequest,
  type DeliveryList,
  type DeliveryQuery,
  type DeliveryView,
  type UpdateWebhookRequest,
  type WebhookView,
} from '@slipway/contracts';
import { AuditLogStore, WebhookStore, type DeliveryEntity, type PrismaClient, type WebhookEntity } from '@slipway/db';
import type { RequestActor } from '../auth/auth.decorators';
import { PRISMA } from '../infrastructure/tokens';
import { WebhookOutbox } from './webhook-outbox.service';

export function toWebhookView(hook: WebhookEntity): WebhookView {
  return {
    id: hook.id,
    name: hook.name,
    url: hook.url,
    events: hook.events,
    active: hook.active,
    createdBy: hook.createdBy,
    createdAt: hook.createdAt.toISOString(),
    updatedAt: hook.updatedAt.toISOString(),
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
    nextAttemptAt: d.nextAttemptAt?.toISOString() ?? null,
    createdAt: d.createdAt.toISOString(),
    deliveredAt: d.deliveredAt?.toISOString() ?? null,
    payload: d.payload,
  };
}

@Injectable()
export class WebhooksService {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly webhooks: WebhookStore,
    private readonly audit: AuditLogStore,
    private readonly outbox: WebhookOutbox,
  ) {}

  async create(request: CreateWebhookRequest, actor: RequestActor): Promise<CreatedWebhook> {
    const secret = request.secret ?? `whsec_${randomBytes(24).toString('base64url')}`;
    return this.prisma.$transaction(async (tx) => {
      const hook = await this.webhooks.create(
        { name: request.name, url: request.url, events: request.events, active: request.active, secret, createdBy: actor.name },
        tx,
      );
      const view = toWebhookView(hook);
      await this.audit.record({ actor, action: 'webhook.create', entityType: 'webhook', entityId: hook.id, after: view, requestId: actor.requestId }, tx);
      return { ...view, secret };
    });
  }

  async list(): Promise<WebhookView[]> {
    return (await this.webhooks.list()).map(toWebhookView);
  }

  async get(id: string): Promise<WebhookView> {
    const hook = await this.webhooks.get(id);
    if (!hook) throw new SlipwayError(ErrorCode.NOT_FOUND, `No webhook ${id}`);
    return toWebhookView(hook);
  }

  async update(id: string, request: UpdateWebhookRequest, actor: RequestActor): Promise<WebhookView> {
    return this.prisma.$transaction(async (tx) => {
      const before = await this.webhooks.get(id, tx);
      if (!before) throw new SlipwayError(ErrorCode.NOT_FOUND, `No webhook ${id}`);
      const after = toWebhookView(await this.webhooks.update(id, request, tx));
      // The secret itself never enters the audit log; that it changed does.
      await this.audit.record(
        {
          actor,
          action: 'webhook.update',
          entityType: 'webhook',
          entityId: id,
          before: toWebhookView(before),
          after: { ...after, secretRotated: request.secret !== undefined },
          requestId: actor.requestId,
        },
        tx,
      );
      return after;
    });
  }

  async remove(id: string, actor: RequestActor): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const before = await this.webhooks.get(id, tx);
      if (!before) throw new SlipwayError(ErrorCode.NOT_FOUND, `No webhook ${id}`);
      await this.webhooks.delete(id, tx);
      await this.audit.record(
        { actor, action: 'webhook.delete', entityType: 'webhook', entityId: id, before: toWebhookView(before), requestId: actor.requestId },
        tx,
      );
    });
  }

  /** Sends a `ping` delivery to this webhook now (active or not is the receiver's test, so inactive ones are refused). */
  async ping(id: string, actor: RequestActor): Promise<DeliveryView> {
    const hook = await this.webhooks.get(id);
    if (!hook) throw new SlipwayError(ErrorCode.NOT_FOUND, `No webhook ${id}`);
    if (!hook.active) throw new SlipwayError(ErrorCode.FAILED_PRECONDITION, `Webhook ${id} is inactive; activate it first`);
    const deliveryId = await this.webhooks.stageDelivery(id, PING_EVENT, { webhookId: id, by: actor.name, at: new Date().toISOString() });
    await this.outbox.dispatch([deliveryId]);
    const delivery = await this.webhooks.getDelivery(deliveryId);
    if (!delivery) throw new SlipwayError(ErrorCode.NOT_FOUND, `Delivery ${deliveryId} vanished`);
    return toDeliveryView(delivery);
  }

  async deliveries(id: string, query: DeliveryQuery): Promise<DeliveryList> {
    if (!(await this.webhooks.get(id))) throw new SlipwayError(ErrorCode.NOT_FOUND, `No webhook ${id}`);
    const page = await this.webhooks.listDeliveries(id, query);
    return { deliveries: page.deliveries.map(toDeliveryView), nextCursor: page.nextCursor };
  }
}
