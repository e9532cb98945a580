import { WEBHOOK_HEADERS, type WebhookEnvelope } from '@slipway/contracts';
import type { DeliveryEntity, WebhookStore } from '@slipway/db';
import { QUEUE_POLICIES, QueueName } from '@slipway/queue';
import { signWebhookBody } from './webhook-signature';

/** A failed attempt that the queue should retry; its message says why. */
export class WebhookAttemptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookAttemptError';
  }
}

const policy = QUEUE_POLICIES[QueueName.WebhookDelivery];
/** The first try and every retry the queue makes. */
export const MAX_DELIVERY_ATTEMPTS = policy.retryLimit + 1;
export const DELIVERY_TIMEOUT_MS = 10_000;
const RESPONSE_BODY_LIMIT = 2048;

export interface DeliverOptions {
  maxAttempts?: number;
  timeoutMs?: number;
  now?: () => Date;
}

/** When the queue will try again after `attempt` failed: exponential backoff as the queue policy has it. */
export function nextAttemptAt(attempt: number, now: Date): Date {
  const delaySeconds = Math.min(policy.retryDelay * 2 ** (attempt - 1), policy.retryDelayMax ?? Number.POSITIVE_INFINITY);
  return new Date(now.getTime() + delaySeconds * 1000);
}

async function readLimited(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  return text.slice(0, RESPONSE_BODY_LIMIT);
}

/**
 * One delivery attempt: POSTs the signed envelope and records the outcome. Returns quietly when the
 * delivery succeeded, is already finished, or has used its last attempt (then it is FAILED, for the caller
 * to log); throws
 * WebhookAttemptError otherwise, so the queue retries with backoff.
 */
export async function deliverWebhook(store: WebhookStore, deliveryId: string, options: DeliverOptions = {}): Promise<DeliveryEntity | null> {
  const found = await store.deliveryForSending(deliveryId);
  if (!found || found.delivery.status !== 'PENDING') return found?.delivery ?? null;
  const { delivery, webhook } = found;
  const now = options.now ?? (() => new Date());
  const maxAttempts = options.maxAttempts ?? MAX_DELIVERY_ATTEMPTS;
  const attempts = delivery.attempts + 1;
  if (!webhook.active) {
    return store.recordAttempt(delivery.id, {
      attempts: delivery.attempts,
      status: 'FAILED',
      responseStatus: null,
      responseBody: null,
      error: 'webhook is inactive',
      nextAttemptAt: null,
    });
  }
  const envelope: WebhookEnvelope = { id: delivery.id, event: delivery.event, createdAt: delivery.createdAt.toISOString(), data: delivery.payload };
  const body = JSON.stringify(envelope);
  const timestamp = String(Math.floor(now().getTime() / 1000));
  let responseStatus: number | null = null;
  let responseBody: string | null = null;
  let error: string | null = null;
  try {
    const response = await fetch(webhook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Slipway-Webhooks/1',
        [WEBHOOK_HEADERS.event]: delivery.event,
        [WEBHOOK_HEADERS.delivery]: delivery.id,
        [WEBHOOK_HEADERS.timestamp]: timestamp,
        [WEBHOOK_HEADERS.signature]: signWebhookBody(webhook.secret, timestamp, body),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? DELIVERY_TIMEOUT_MS),
    });
    responseStatus = response.status;
    responseBody = await readLimited(response);
    if (response.status < 200 || response.status >= 300) error = `receiver answered ${response.status}`;
  } catch (failure) {
    const e = failure as Error;
    error =
      e.name === 'TimeoutError'
        ? `no answer within ${(options.timeoutMs ?? DELIVERY_TIMEOUT_MS) / 1000} s`
        : `request failed: ${(e.cause as Error | undefined)?.message ?? e.message}`;
  }
  if (!error) {
    return store.recordAttempt(delivery.id, { attempts, status: 'SUCCEEDED', responseStatus, responseBody, error: null, nextAttemptAt: null });
  }
  const last = attempts >= maxAttempts;
  const recorded = await store.recordAttempt(delivery.id, {
    attempts,
    status: last ? 'FAILED' : 'PENDING',
    responseStatus,
    responseBody,
    error,
    nextAttemptAt: last ? null : nextAttemptAt(attempts, now()),
  });
  if (last) return recorded;
  throw new WebhookAttemptError(`delivery ${delivery.id} attempt ${attempts}/${maxAttempts}: ${error}`);
}
