import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { expectNamed } from '@slipway/testing-matchers';
import {
  auditListSchema,
  createdWebhookSchema,
  deliveryListSchema,
  deliverySchema,
  errorResponseSchema,
  WEBHOOK_HEADERS,
  webhookEnvelopeSchema,
  webhookListSchema,
  webhookSchema,
} from '@slipway/contracts';
import { UnitOfWork } from '@slipway/db';
import { JobQueue, QueueName } from '@slipway/queue';
import { useTestDatabase, waitFor } from '@slipway/testing';
import { deliverWebhook, verifyWebhookSignature, WebhookAddressPolicy } from '@slipway/webhooks';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { createModel, json, uploadVersion } from './registry-fixtures';

interface Received {
  event: string;
  body: string;
  signatureOk: boolean;
}

/** A real receiver that checks each delivery's HMAC with the secret it was given. */
async function startReceiver(): Promise<{ url: string; received: Received[]; setSecret(secret: string): void; close(): Promise<void> }> {
  let secret = '';
  const received: Received[] = [];
  const server: Server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const signatureOk = verifyWebhookSignature(
        secret,
        String(request.headers[WEBHOOK_HEADERS.timestamp]),
        body,
        String(request.headers[WEBHOOK_HEADERS.signature]),
      );
      received.push({ event: String(request.headers[WEBHOOK_HEADERS.event]), body, signatureOk });
      response.writeHead(signatureOk ? 200 : 401).end(signatureOk ? 'thanks' : 'bad signature');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slipway`,
    received,
    setSecret: (s) => (secret = s),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe('webhooks over HTTP', () => {
  const db = useTestDatabase();
  let api: ApiTestApp;
  let store: UnitOfWork;
  let queue: JobQueue;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    // The receiver listens on 127.0.0.1: only an explicit allow-list lets webhooks reach it.
    api = await startApiTestApp(db.url, { SLIPWAY_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
    store = UnitOfWork.connect(db.url, { poolSize: 2 });
    receiver = await startReceiver();
    // What a worker process runs (apps/worker subscribes the same way).
    queue = await JobQueue.start({ databaseUrl: db.url, supervise: false });
    await queue.work(QueueName.WebhookDelivery, 1, async (job) => {
      await deliverWebhook(store.read.webhooks, job.data.deliveryId, { policy: new WebhookAddressPolicy(api.config.webhookAllowedHosts) });
    });
  });
  afterAll(async () => {
    await queue?.stop(2_000);
    await receiver?.close();
    await store?.close();
    await api?.close();
  });

  const errorOf = async (response: Response, status: number) => errorResponseSchema.parse(await json(response, status)).error;

  it('is for admins only', async () => {
    for (const role of ['viewer', 'editor'] as const) {
      expect((await api.request('/api/v1/webhooks', { role })).status).toBe(403);
      expect(
        (await api.request('/api/v1/webhooks', { role, method: 'POST', json: { name: 'x', url: 'http://127.0.0.1/x', events: ['alias.moved'] } })).status,
      ).toBe(403);
    }
    expect((await api.request('/api/v1/webhooks', { role: null })).status).toBe(401);
  });

  it('shows a generated secret once, never in lists, reads or the audit log', async () => {
    const created = createdWebhookSchema.parse(
      await json(
        await api.request('/api/v1/webhooks', { method: 'POST', json: { name: 'ci', url: receiver.url, events: ['model_version.ready', 'alias.moved'] } }),
        201,
      ),
    );
    expect(created.secret).toMatch(/^whsec_[\w-]{32}$/);
    expect(created).toMatchObject({ name: 'ci', active: true, events: ['model_version.ready', 'alias.moved'], createdBy: 'test-admin' });
    const list = webhookListSchema.parse(await json(await api.request('/api/v1/webhooks'), 200));
    const one = webhookSchema.parse(await json(await api.request(`/api/v1/webhooks/${created.id}`), 200));
    const audit = auditListSchema.parse(await json(await api.request(`/api/v1/audit?entityType=webhook&entityId=${created.id}`), 200));
    expect(audit.entries.map((e) => e.action)).toEqual(['webhook.create']);
    for (const shown of [list, one, audit]) expect(JSON.stringify(shown)).not.toContain(created.secret);
    const given = createdWebhookSchema.parse(
      await json(
        await api.request('/api/v1/webhooks', {
          method: 'POST',
          json: { name: 'given', url: receiver.url, events: ['alias.deleted'], secret: 'my-own-secret-0123456789' },
        }),
        201,
      ),
    );
    expect(given.secret).toBe('my-own-secret-0123456789');
  });

  it('validates webhooks: URL scheme, known events, no duplicates, secret length, unknown fields', async () => {
    for (const body of [
      { name: 'x', url: 'ftp://example.com/h', events: ['alias.moved'] },
      { name: 'x', url: 'not a url', events: ['alias.moved'] },
      { name: 'x', url: 'http://example.com', events: ['model.exploded'] },
      { name: 'x', url: 'http://example.com', events: [] },
      { name: 'x', url: 'http://example.com', events: ['alias.moved', 'alias.moved'] },
      { name: 'x', url: 'http://example.com', events: ['alias.moved'], secret: 'short' },
      { name: 'x', url: 'http://example.com', events: ['alias.moved'], colour: 'red' },
    ]) {
      const error = await errorOf(await api.request('/api/v1/webhooks', { method: 'POST', json: body }), 400);
      expectNamed(error.fields?.length, JSON.stringify(body)).toBeGreaterThan(0);
    }
  });

  it('delivers registry events through the queue, signed with the webhook secret, and keeps the history', async () => {
    const hook = createdWebhookSchema.parse(
      await json(
        await api.request('/api/v1/webhooks', { method: 'POST', json: { name: 'e2e', url: receiver.url, events: ['model_version.ready', 'alias.moved'] } }),
        201,
      ),
    );
    // Only this webhook answers to the receiver's secret; the others were made for the earlier tests.
    for (const other of webhookListSchema.parse(await json(await api.request('/api/v1/webhooks'), 200)).webhooks) {
      if (other.id !== hook.id) await json(await api.request(`/api/v1/webhooks/${other.id}`, { method: 'PATCH', json: { active: false } }), 200);
    }
    receiver.setSecret(hook.secret);
    await createModel(api, 'announced');
    const version = await uploadVersion(api, 'announced', { 'm.json': '{}' });
    await json(await api.request('/api/v1/models/announced/aliases/champion', { role: 'editor', method: 'PUT', json: { version: 1 } }), 200);
    const history = await waitFor(async () => {
      const page = deliveryListSchema.parse(await json(await api.request(`/api/v1/webhooks/${hook.id}/deliveries`), 200));
      return page.deliveries.length === 2 && page.deliveries.every((d) => d.status === 'SUCCEEDED') ? page : undefined;
    });
    expect(history.deliveries.map((d) => [d.event, d.status, d.attempts, d.responseStatus, d.responseBody])).toEqual([
      ['alias.moved', 'SUCCEEDED', 1, 200, 'thanks'],
      ['model_version.ready', 'SUCCEEDED', 1, 200, 'thanks'],
    ]);
    expect(receiver.received.map((r) => [r.event, r.signatureOk])).toEqual(
      expect.arrayContaining([
        ['model_version.ready', true],
        ['alias.moved', true],
      ]),
    );
    const ready = webhookEnvelopeSchema.parse(JSON.parse(receiver.received.find((r) => r.event === 'model_version.ready')?.body ?? '{}'));
    expect(ready.data).toMatchObject({ model: 'announced', version: 1, sha256: version.sha256, signature: version.signature });
    // Paging and filtering the history.
    const first = deliveryListSchema.parse(await json(await api.request(`/api/v1/webhooks/${hook.id}/deliveries?limit=1`), 200));
    expect(first.deliveries).toHaveLength(1);
    const second = deliveryListSchema.parse(
      await json(await api.request(`/api/v1/webhooks/${hook.id}/deliveries?limit=1&cursor=${encodeURIComponent(first.nextCursor ?? '')}`), 200),
    );
    expect(second.deliveries[0].event).toBe('model_version.ready');
    expect(deliveryListSchema.parse(await json(await api.request(`/api/v1/webhooks/${hook.id}/deliveries?status=FAILED`), 200)).deliveries).toEqual([]);
    expect((await api.request(`/api/v1/webhooks/${hook.id}/deliveries?cursor=garbage`)).status).toBe(400);
  });

  it('pings, rotates the secret, deactivates and deletes', async () => {
    const hook = createdWebhookSchema.parse(
      await json(await api.request('/api/v1/webhooks', { method: 'POST', json: { name: 'pinged', url: receiver.url, events: ['alias.deleted'] } }), 201),
    );
    receiver.setSecret(hook.secret);
    const ping = deliverySchema.parse(await json(await api.request(`/api/v1/webhooks/${hook.id}/ping`, { method: 'POST' }), 201));
    expect(ping).toMatchObject({ event: 'ping', webhookId: hook.id });
    await waitFor(async () => ((await store.read.webhooks.getDelivery(ping.id))?.status === 'SUCCEEDED' ? true : undefined));
    const rotated = 'a-rotated-secret-0123456789';
    const updated = webhookSchema.parse(
      await json(await api.request(`/api/v1/webhooks/${hook.id}`, { method: 'PATCH', json: { secret: rotated, url: `${receiver.url}?v=2` } }), 200),
    );
    expect(updated.url).toBe(`${receiver.url}?v=2`);
    const [entry] = auditListSchema.parse(await json(await api.request(`/api/v1/audit?action=webhook.update&entityId=${hook.id}`), 200)).entries;
    expect(entry.after).toMatchObject({ secretRotated: true });
    expect(JSON.stringify(entry)).not.toContain(rotated);
    receiver.setSecret(rotated);
    const second = deliverySchema.parse(await json(await api.request(`/api/v1/webhooks/${hook.id}/ping`, { method: 'POST' }), 201));
    await waitFor(async () => ((await store.read.webhooks.getDelivery(second.id))?.status === 'SUCCEEDED' ? true : undefined));
    expect(receiver.received.filter((r) => r.event === 'ping').map((r) => r.signatureOk)).toEqual([true, true]);
    await json(await api.request(`/api/v1/webhooks/${hook.id}`, { method: 'PATCH', json: { active: false } }), 200);
    expect(await errorOf(await api.request(`/api/v1/webhooks/${hook.id}/ping`, { method: 'POST' }), 409)).toMatchObject({ code: 'CONFLICT' });
    expect((await api.request(`/api/v1/webhooks/${hook.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api.request(`/api/v1/webhooks/${hook.id}`)).status).toBe(404);
    expect((await api.request(`/api/v1/webhooks/${hook.id}/deliveries`)).status).toBe(404);
    expect((await api.request(`/api/v1/webhooks/${hook.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await store.read.webhooks.listDeliveries(hook.id, { limit: 50 })).deliveries).toHaveLength(0);
  });
});
