import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { WEBHOOK_HEADERS, type WebhookEnvelope } from '@slipway/contracts';
import type { DeliveryEntity, WebhookStore } from '@slipway/db';
import { QUEUE_POLICIES, QueueName } from '@slipway/queue';
import { WebhookAddressPolicy, WebhookAddressRefused, type ResolvedAddress } from './webhook-address-policy';
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
  /** Which addresses may be reached (SLIPWAY_WEBHOOK_ALLOWED_HOSTS); without one, public addresses only. */
  policy?: WebhookAddressPolicy;
}

/** When the queue will try again after `attempt` failed: exponential backoff as the queue policy has it. */
export function nextAttemptAt(attempt: number, now: Date): Date {
  const delaySeconds = Math.min(policy.retryDelay * 2 ** (attempt - 1), policy.retryDelayMax ?? Number.POSITIVE_INFINITY);
  return new Date(now.getTime() + delaySeconds * 1000);
}

class DeliveryTimeout extends Error {}

/**
 * POSTs to the URL, connecting only to `addresses` (already checked by the policy): the socket's lookup
 * answers from them instead of asking DNS again, so a name that re-resolves to 127.0.0.1 between the check
 * and the connection (DNS rebinding) cannot move the request. TLS still verifies the URL's hostname.
 * Redirects are not followed: a 3xx is the receiver's answer.
 */
function postPinned(
  url: URL,
  addresses: ResolvedAddress[],
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<{ status: number; body: string }> {
  const pinned: LookupFunction = (_hostname, options, callback) => {
    const usable = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
    if (usable.length === 0) return callback(Object.assign(new Error(`no checked address of family ${options.family}`), { code: 'ENOTFOUND' }), '', 4);
    if (options.all) return (callback as unknown as (e: null, all: ResolvedAddress[]) => void)(null, usable);
    return callback(null, usable[0].address, usable[0].family);
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(url, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, lookup: pinned });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      request.destroy(new DeliveryTimeout());
    }, timeoutMs);
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.on('response', (response: IncomingMessage) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        if (text.length < RESPONSE_BODY_LIMIT) text += chunk;
      });
      response.on('error', () => undefined);
      response.on('close', () => {
        clearTimeout(timer);
        // Cut off mid-body (the timeout, or the receiver hung up): not an answer to record as one.
        if (!response.complete) reject(timedOut ? new DeliveryTimeout() : new Error('the receiver closed the connection mid-answer'));
        else resolve({ status: response.statusCode ?? 0, body: text.slice(0, RESPONSE_BODY_LIMIT) });
      });
    });
    request.end(body);
  });
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
  const timeoutMs = options.timeoutMs ?? DELIVERY_TIMEOUT_MS;
  try {
    const addresses = await (options.policy ?? new WebhookAddressPolicy()).resolve(webhook.url);
    const response = await postPinned(
      new URL(webhook.url),
      addresses,
      {
        'content-type': 'application/json',
        'user-agent': 'Slipway-Webhooks/1',
        [WEBHOOK_HEADERS.event]: delivery.event,
        [WEBHOOK_HEADERS.delivery]: delivery.id,
        [WEBHOOK_HEADERS.timestamp]: timestamp,
        [WEBHOOK_HEADERS.signature]: signWebhookBody(webhook.secret, timestamp, body),
      },
      body,
      timeoutMs,
    );
    responseStatus = response.status;
    responseBody = response.body;
    if (response.status < 200 || response.status >= 300) error = `receiver answered ${response.status}`;
  } catch (failure) {
    if (failure instanceof WebhookAddressRefused && failure.permanent) {
      // Retrying cannot make a forbidden address allowed; the setting has to change, and then a new delivery goes out.
      return store.recordAttempt(delivery.id, {
        attempts,
        status: 'FAILED',
        responseStatus: null,
        responseBody: null,
        error: `refused: ${failure.reason}`,
        nextAttemptAt: null,
      });
    }
    const e = failure as Error;
    error =
      e instanceof DeliveryTimeout
        ? `no answer within ${timeoutMs / 1000} s`
        : failure instanceof WebhookAddressRefused
          ? `request failed: ${failure.reason}`
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
