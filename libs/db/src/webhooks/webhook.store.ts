import { cursorCodec, ErrorCode, isoDateTime, SlipwayError, wireTime, type DeliveryQuery } from '@slipway/contracts';
import { z } from 'zod';
import type { Prisma, Webhook as WebhookRow, WebhookDelivery as DeliveryRow } from '../generated/prisma/client';
import type { DbClient } from '../db-client';
import { dbFailureOf } from '../unit-of-work/db-errors';

export interface WebhookEntity {
  id: string;
  name: string;
  url: string;
  events: string[];
  active: boolean;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Only the delivery path sees the secret. */
export interface WebhookWithSecret extends WebhookEntity {
  secret: string;
}

/** The database enum's own names (UPPER_CASE, docs/CONVENTIONS.md). */
export type DeliveryStatusName = 'PENDING' | 'SUCCEEDED' | 'FAILED';

export interface DeliveryEntity {
  id: string;
  webhookId: string;
  event: string;
  payload: unknown;
  status: DeliveryStatusName;
  attempts: number;
  responseStatus: number | null;
  responseBody: string | null;
  error: string | null;
  nextAttemptAt: Date | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

export interface DeliveryAttemptResult {
  attempts: number;
  status: DeliveryStatusName;
  responseStatus: number | null;
  responseBody: string | null;
  error: string | null;
  nextAttemptAt: Date | null;
}

function toWebhook(row: WebhookRow): WebhookEntity {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    events: [...row.events],
    active: row.active,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function toDelivery(row: DeliveryRow): DeliveryEntity {
  return {
    id: row.id,
    webhookId: row.webhookId,
    event: row.event,
    payload: row.payload,
    status: row.status,
    attempts: row.attempts,
    responseStatus: row.responseStatus,
    responseBody: row.responseBody,
    error: row.error,
    nextAttemptAt: row.nextAttemptAt,
    createdAt: row.createdAt,
    deliveredAt: row.deliveredAt,
  };
}

/** Keyset: the last delivery's (createdAt, id). */
const deliveryCursor = cursorCodec('webhook-deliveries', z.object({ createdAt: isoDateTime(), id: z.string().uuid() }).strict());

const notFound = (id: string) => new SlipwayError(ErrorCode.NOT_FOUND, `No webhook ${id}`);

/** Webhooks and their deliveries. Deliveries are an outbox: written in the transaction of the change they announce. */
export class WebhookStore {
  constructor(private readonly db: DbClient) {}

  async create(
    input: { name: string; url: string; events: string[]; secret: string; active: boolean; createdBy: string },
    db: DbClient = this.db,
  ): Promise<WebhookEntity> {
    return toWebhook(await db.webhook.create({ data: input }));
  }

  async get(id: string, db: DbClient = this.db): Promise<WebhookEntity | null> {
    const row = await db.webhook.findUnique({ where: { id } });
    return row ? toWebhook(row) : null;
  }

  async list(): Promise<WebhookEntity[]> {
    return (await this.db.webhook.findMany({ orderBy: { createdAt: 'asc' } })).map(toWebhook);
  }

  async update(
    id: string,
    input: { name?: string; url?: string; events?: string[]; secret?: string; active?: boolean },
    db: DbClient = this.db,
  ): Promise<WebhookEntity> {
    try {
      return toWebhook(await db.webhook.update({ where: { id }, data: input }));
    } catch (error) {
      if (dbFailureOf(error) === 'record_not_found') throw notFound(id);
      throw error;
    }
  }

  async delete(id: string, db: DbClient = this.db): Promise<void> {
    const { count } = await db.webhook.deleteMany({ where: { id } });
    if (count === 0) throw notFound(id);
  }

  /** One PENDING delivery per active webhook subscribed to `event`, in the caller's transaction; returns their ids. */
  async stageEvent(event: string, payload: unknown, tx: DbClient): Promise<string[]> {
    const hooks = await tx.webhook.findMany({ where: { active: true, events: { has: event } }, select: { id: true } });
    if (hooks.length === 0) return [];
    const rows = await tx.webhookDelivery.createManyAndReturn({
      data: hooks.map((h) => ({ webhookId: h.id, event, payload: payload as Prisma.InputJsonValue })),
      select: { id: true },
    });
    return rows.map((r) => r.id);
  }

  /** A delivery to one webhook whatever it subscribes to (the ping). */
  async stageDelivery(webhookId: string, event: string, payload: unknown, db: DbClient = this.db): Promise<string> {
    return (await db.webhookDelivery.create({ data: { webhookId, event, payload: payload as Prisma.InputJsonValue }, select: { id: true } })).id;
  }

  async getDelivery(id: string, db: DbClient = this.db): Promise<DeliveryEntity | null> {
    const row = await db.webhookDelivery.findUnique({ where: { id } });
    return row ? toDelivery(row) : null;
  }

  /** The delivery and its webhook with the secret: what the sender needs. */
  async deliveryForSending(id: string): Promise<{ delivery: DeliveryEntity; webhook: WebhookWithSecret } | null> {
    const row = await this.db.webhookDelivery.findUnique({ where: { id }, include: { webhook: true } });
    if (!row) return null;
    return { delivery: toDelivery(row), webhook: { ...toWebhook(row.webhook), secret: row.webhook.secret } };
  }

  /** Records an attempt; only a PENDING delivery changes (a late duplicate of a finished one is ignored). */
  async recordAttempt(id: string, result: DeliveryAttemptResult): Promise<DeliveryEntity | null> {
    const { count } = await this.db.webhookDelivery.updateMany({
      where: { id, status: 'PENDING' },
      data: {
        attempts: result.attempts,
        status: result.status,
        responseStatus: result.responseStatus,
        responseBody: result.responseBody,
        error: result.error,
        nextAttemptAt: result.nextAttemptAt,
        deliveredAt: result.status === 'SUCCEEDED' ? new Date() : null,
      },
    });
    return count === 0 ? null : this.getDelivery(id);
  }

  /** Newest first, keyset-paginated on (createdAt, id). */
  async listDeliveries(webhookId: string, query: DeliveryQuery): Promise<{ deliveries: DeliveryEntity[]; nextCursor: string | null }> {
    const after = query.cursor === undefined ? null : deliveryCursor.decode(query.cursor);
    const cursorDate = after ? new Date(after.createdAt) : null;
    const id = after?.id;
    const rows = await this.db.webhookDelivery.findMany({
      where: {
        webhookId,
        status: query.status,
        OR: cursorDate ? [{ createdAt: { lt: cursorDate } }, { createdAt: cursorDate, id: { lt: id } }] : undefined,
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: query.limit + 1,
    });
    const page = rows.slice(0, query.limit).map(toDelivery);
    const last = page[page.length - 1];
    return { deliveries: page, nextCursor: rows.length > query.limit ? deliveryCursor.encode({ createdAt: wireTime(last.createdAt), id: last.id }) : null };
  }

  /**
   * PENDING deliveries that should have been attempted before `cutoff`, for the outbox relay (which
   * re-queues those that really have no queue job): never tried and created before it (the enqueue after
   * the commit failed), or tried and due again before it (the retry's job was lost). Oldest first.
   */
  async stalePendingDeliveries(cutoff: Date, limit = 100, db: DbClient = this.db): Promise<{ id: string; attempts: number; createdAt: Date }[]> {
    return db.webhookDelivery.findMany({
      where: { status: 'PENDING', OR: [{ attempts: 0, createdAt: { lt: cutoff } }, { nextAttemptAt: { lt: cutoff } }] },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: limit,
      select: { id: true, attempts: true, createdAt: true },
    });
  }
}
