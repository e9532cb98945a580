import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { WEBHOOK_HEADERS, webhookEnvelopeSchema } from '@slipway/contracts';
import { SYSTEM_ACTOR, UnitOfWork, type WebhookStore } from '@slipway/db';
import { startLocalHttpServer, useTestDatabase } from '@slipway/testing';
import {
  deliverWebhook,
  MAX_DELIVERY_ATTEMPTS,
  nextAttemptAt,
  signWebhookBody,
  verifyWebhookSignature,
  WebhookAddressPolicy,
  WebhookAttemptError,
} from '../index';

const SECRET = 'a-secret-of-sufficient-length';
/** The receivers listen on 127.0.0.1, which only an explicit allow-list lets a webhook reach. */
const LOOPBACK = { policy: new WebhookAddressPolicy(['127.0.0.1']) };

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
  signatureOk: boolean;
}

/** A real receiver on 127.0.0.1 that checks the HMAC and answers with the statuses it is given, in turn. */
async function startReceiver(
  statuses: number[],
  options: { hang?: boolean; stall?: boolean } = {},
): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = await startLocalHttpServer((request, body, response) => {
    const signatureOk = verifyWebhookSignature(
      SECRET,
      String(request.headers[WEBHOOK_HEADERS.timestamp]),
      body,
      String(request.headers[WEBHOOK_HEADERS.signature]),
    );
    received.push({ headers: request.headers, body, signatureOk });
    if (options.hang) return;
    if (options.stall) {
      // Starts answering, then never finishes: the timeout covers the whole answer, not only its first byte.
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write('partial');
      return;
    }
    const status = signatureOk ? (statuses[received.length - 1] ?? statuses[statuses.length - 1]) : 401;
    response.writeHead(status, { 'content-type': 'text/plain' }).end(`answer ${received.length} ${'x'.repeat(5000)}`);
  });
  return { url: server.url('/hook'), received, close: server.close };
}

describe('deliverWebhook', () => {
  const db = useTestDatabase();
  let uow: UnitOfWork;
  /** What the last change staged, as the after-commit hook hands it over (the test queues nothing: it calls deliverWebhook itself). */
  let staged: readonly string[] = [];
  /** The store as the worker's delivery handler uses it: on the pool, outside any unit of work. */
  let store: WebhookStore;

  beforeAll(() => {
    uow = UnitOfWork.connect(db.url, {
      poolSize: 2,
      afterCommit: async (ids) => {
        staged = ids;
      },
    });
    store = uow.read.webhooks;
  });
  afterAll(async () => uow.close());

  async function stage(url: string): Promise<string> {
    staged = [];
    const hook = await uow.run(SYSTEM_ACTOR, async (tx) => {
      // Each test has its own receiver: earlier tests' webhooks stop listening.
      for (const earlier of await tx.webhooks.list()) if (earlier.active) await tx.webhooks.update(earlier.id, { active: false });
      return tx.webhooks.create({ name: 'ci', url, events: ['model_version.ready'], secret: SECRET, active: true, createdBy: 'test' });
    });
    // Staged as the API stages an event: with the change's audit entry, in its transaction.
    await uow.run(SYSTEM_ACTOR, (tx) =>
      tx.record({
        action: 'model_version.ready',
        entity: { type: 'model_version', id: randomUUID() },
        event: { name: 'model_version.ready', data: { model: 'fraud', version: 3 } },
      }),
    );
    const ids = [...staged];
    expect(ids).toHaveLength(1);
    expect((await store.getDelivery(ids[0]))?.webhookId).toBe(hook.id);
    return ids[0];
  }

  it('POSTs the signed envelope with the event headers and records the success', async () => {
    const receiver = await startReceiver([204]);
    try {
      const id = await stage(receiver.url);
      const result = await deliverWebhook(store, id, LOOPBACK);
      expect(result).toMatchObject({ status: 'SUCCEEDED', attempts: 1, responseStatus: 204, error: null });
      expect(result?.deliveredAt).toBeInstanceOf(Date);
      const [request] = receiver.received;
      expect(request.signatureOk).toBe(true);
      expect(request.headers[WEBHOOK_HEADERS.event]).toBe('model_version.ready');
      expect(request.headers[WEBHOOK_HEADERS.delivery]).toBe(id);
      expect(webhookEnvelopeSchema.parse(JSON.parse(request.body))).toMatchObject({ id, event: 'model_version.ready', data: { model: 'fraud', version: 3 } });
      // Finished deliveries are not sent again (a duplicate queue message does nothing).
      await expect(deliverWebhook(store, id, LOOPBACK)).resolves.toMatchObject({ status: 'SUCCEEDED', attempts: 1 });
      expect(receiver.received).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });

  it('throws on a failing answer so the queue retries, then succeeds: fails twice, third time lucky', async () => {
    const receiver = await startReceiver([500, 503, 200]);
    try {
      const id = await stage(receiver.url);
      const first = deliverWebhook(store, id, LOOPBACK);
      await expect(first).rejects.toBeInstanceOf(WebhookAttemptError);
      await expect(first).rejects.toThrow(/attempt 1\/9: receiver answered 500/);
      const afterFirst = await store.getDelivery(id);
      expect(afterFirst).toMatchObject({ status: 'PENDING', attempts: 1, responseStatus: 500, error: 'receiver answered 500' });
      expect(afterFirst?.responseBody?.length).toBe(2048);
      expect(afterFirst?.nextAttemptAt?.getTime()).toBeGreaterThan(Date.now());
      await expect(deliverWebhook(store, id, LOOPBACK)).rejects.toThrow(/attempt 2\/9: receiver answered 503/);
      await expect(deliverWebhook(store, id, LOOPBACK)).resolves.toMatchObject({
        status: 'SUCCEEDED',
        attempts: 3,
        responseStatus: 200,
        error: null,
        nextAttemptAt: null,
      });
      expect(receiver.received.map((r) => r.signatureOk)).toEqual([true, true, true]);
      // Each attempt is signed afresh: same delivery id, its own timestamp header.
      expect(new Set(receiver.received.map((r) => r.headers[WEBHOOK_HEADERS.delivery]))).toEqual(new Set([id]));
    } finally {
      await receiver.close();
    }
  });

  it('marks the delivery FAILED after the last attempt instead of throwing', async () => {
    const receiver = await startReceiver([500]);
    try {
      const id = await stage(receiver.url);
      for (let attempt = 1; attempt < 3; attempt++)
        await expect(deliverWebhook(store, id, { ...LOOPBACK, maxAttempts: 3 })).rejects.toThrow(WebhookAttemptError);
      await expect(deliverWebhook(store, id, { ...LOOPBACK, maxAttempts: 3 })).resolves.toMatchObject({ status: 'FAILED', attempts: 3, nextAttemptAt: null });
      expect(MAX_DELIVERY_ATTEMPTS).toBe(9);
    } finally {
      await receiver.close();
    }
  });

  it('records timeouts and unreachable receivers as failed attempts', async () => {
    const hanging = await startReceiver([200], { hang: true });
    try {
      const id = await stage(hanging.url);
      await expect(deliverWebhook(store, id, { ...LOOPBACK, timeoutMs: 300 })).rejects.toThrow(/no answer within 0.3 s/);
    } finally {
      await hanging.close().catch(() => undefined);
    }
    const stalling = await startReceiver([200], { stall: true });
    try {
      const id = await stage(stalling.url);
      await expect(deliverWebhook(store, id, { ...LOOPBACK, timeoutMs: 300 })).rejects.toThrow(/no answer within 0.3 s/);
      await expect(store.getDelivery(id)).resolves.toMatchObject({ status: 'PENDING', attempts: 1, responseStatus: null });
    } finally {
      await stalling.close().catch(() => undefined);
    }
    const closed = await startReceiver([200]);
    await closed.close();
    const id = await stage(closed.url);
    await expect(deliverWebhook(store, id, LOOPBACK)).rejects.toThrow(/request failed/);
    await expect(store.getDelivery(id)).resolves.toMatchObject({ status: 'PENDING', attempts: 1, responseStatus: null });
  });

  it('refuses for good, without connecting, an address the policy does not allow', async () => {
    const receiver = await startReceiver([200]);
    try {
      const port = new URL(receiver.url).port;
      for (const [url, refused] of [
        [receiver.url, '127.0.0.1 is not a public address'],
        [`http://2130706433:${port}/hook`, '127.0.0.1 is not a public address'],
        [`http://0177.0.0.1:${port}/hook`, '127.0.0.1 is not a public address'],
        [`http://[::ffff:127.0.0.1]:${port}/hook`, '::ffff:7f00:1 is not a public address'],
        [`http://localhost:${port}/hook`, 'localhost resolves to'],
      ] as const) {
        const id = await stage(url);
        const delivery = await deliverWebhook(store, id, { policy: new WebhookAddressPolicy() });
        expect(delivery).toMatchObject({ status: 'FAILED', attempts: 1, nextAttemptAt: null, responseStatus: null });
        expect(delivery?.error).toContain(`refused: ${refused}`);
      }
      expect(receiver.received).toHaveLength(0);
    } finally {
      await receiver.close();
    }
  });

  it('connects to the address it checked when the host is a name', async () => {
    const receiver = await startReceiver([204]);
    try {
      const id = await stage(receiver.url.replace('127.0.0.1', 'localhost'));
      const policy = new WebhookAddressPolicy(['127.0.0.1', '::1']);
      await expect(deliverWebhook(store, id, { policy })).resolves.toMatchObject({ status: 'SUCCEEDED', responseStatus: 204 });
      expect(receiver.received).toHaveLength(1);
      expect(receiver.received[0].headers.host).toBe(`localhost:${new URL(receiver.url).port}`);
    } finally {
      await receiver.close();
    }
  });

  it('does not send to an inactive webhook', async () => {
    const receiver = await startReceiver([200]);
    try {
      const id = await stage(receiver.url);
      const delivery = await store.getDelivery(id);
      await uow.run(SYSTEM_ACTOR, (tx) => tx.webhooks.update(delivery?.webhookId ?? '', { active: false }));
      await expect(deliverWebhook(store, id, LOOPBACK)).resolves.toMatchObject({ status: 'FAILED', error: 'webhook is inactive' });
      expect(receiver.received).toHaveLength(0);
    } finally {
      await receiver.close();
    }
  });
});

describe('webhook signatures', () => {
  it('verifies its own signature, within the replay window only', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const ts = String(now.getTime() / 1000);
    const signature = signWebhookBody(SECRET, ts, '{"a":1}');
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(SECRET, ts, '{"a":1}', signature, { now })).toBe(true);
    expect(verifyWebhookSignature(SECRET, ts, '{"a":2}', signature, { now })).toBe(false);
    expect(verifyWebhookSignature('another-secret-entirely', ts, '{"a":1}', signature, { now })).toBe(false);
    expect(verifyWebhookSignature(SECRET, ts, '{"a":1}', signature, { now: new Date(now.getTime() + 600_000) })).toBe(false);
  });

  it('backs off exponentially up to the policy maximum', () => {
    const t0 = new Date(0);
    expect(nextAttemptAt(1, t0).getTime()).toBe(5_000);
    expect(nextAttemptAt(3, t0).getTime()).toBe(20_000);
    expect(nextAttemptAt(20, t0).getTime()).toBe(3_600_000);
  });
});
