import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { WEBHOOK_HEADERS } from '@slipway/contracts';
import { SYSTEM_ACTOR } from '@slipway/db';
import { JobQueue, QueueName } from '@slipway/queue';
import { startLocalHttpServer, useTestDatabase, waitFor } from '@slipway/testing';
import { verifyWebhookSignature } from '@slipway/webhooks';
import { connectStaging, type StagingUnitOfWork } from './support/staged-deliveries';
import { inProcessWorker } from './support/worker-processes';

describe('WorkerProcess webhook deliveries', () => {
  const db = useTestDatabase();
  let staging: StagingUnitOfWork;

  beforeAll(() => {
    staging = connectStaging(db.url);
  });
  afterAll(async () => staging.uow.close());

  it('takes webhook-delivery jobs from the queue and POSTs them signed', async () => {
    const received: boolean[] = [];
    const secret = 'worker-test-secret-0123456789';
    const server = await startLocalHttpServer((request, body, response) => {
      received.push(
        verifyWebhookSignature(secret, String(request.headers[WEBHOOK_HEADERS.timestamp]), body, String(request.headers[WEBHOOK_HEADERS.signature])),
      );
      response.writeHead(204).end();
    });
    // The receiver is on 127.0.0.1, which webhooks reach only when the allow-list says so.
    const worker = inProcessWorker(db.url, { env: { SLIPWAY_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1/32' } });
    const queue = await JobQueue.start({ databaseUrl: db.url, supervise: false });
    try {
      await worker.start();
      const store = staging.uow.read.webhooks;
      const hook = await staging.uow.run(SYSTEM_ACTOR, (tx) =>
        tx.webhooks.create({
          name: 'ci',
          url: server.url(),
          events: ['model_version.ready'],
          secret,
          active: true,
          createdBy: 'test',
        }),
      );
      // Staged as the API stages it; the test sends the job itself, as the API's after-commit enqueue would.
      const [deliveryId] = await staging.stageReady({ model: 'm', version: 1 });
      await queue.send(QueueName.WebhookDelivery, { deliveryId });
      await waitFor(async () => ((await store.getDelivery(deliveryId))?.status === 'SUCCEEDED' ? true : undefined), { what: 'the delivery succeeds' });
      await expect(store.getDelivery(deliveryId)).resolves.toMatchObject({ status: 'SUCCEEDED', attempts: 1, responseStatus: 204, webhookId: hook.id });
      expect(received).toEqual([true]);
    } finally {
      await queue.stop(2_000);
      await worker.stop();
      await server.close();
    }
  });

  it('refuses for good a delivery to a loopback receiver the allow-list does not name, without connecting', async () => {
    let connections = 0;
    const server = await startLocalHttpServer((_request, _body, response) => {
      connections++;
      response.writeHead(204).end();
    });
    // Allows a different private network only: 127.0.0.1 stays refused, in its decimal spelling too.
    const worker = inProcessWorker(db.url, { env: { SLIPWAY_WEBHOOK_ALLOWED_HOSTS: '10.0.0.0/8' } });
    const queue = await JobQueue.start({ databaseUrl: db.url, supervise: false });
    try {
      await worker.start();
      const store = staging.uow.read.webhooks;
      await staging.uow.run(SYSTEM_ACTOR, async (tx) => {
        for (const earlier of await tx.webhooks.list()) await tx.webhooks.update(earlier.id, { active: false });
        await tx.webhooks.create({
          name: 'sneaky',
          url: `http://2130706433:${new URL(server.url()).port}/slipway`,
          events: ['model_version.ready'],
          secret: 'worker-test-secret-0123456789',
          active: true,
          createdBy: 'test',
        });
      });
      const [deliveryId] = await staging.stageReady({ model: 'm', version: 2 });
      await queue.send(QueueName.WebhookDelivery, { deliveryId });
      const delivery = await waitFor(async () => ((await store.getDelivery(deliveryId))?.status === 'FAILED' ? store.getDelivery(deliveryId) : undefined), {
        what: 'the delivery is refused',
      });
      expect(delivery).toMatchObject({ status: 'FAILED', attempts: 1, nextAttemptAt: null, responseStatus: null });
      expect(delivery?.error).toBe('refused: 127.0.0.1 is not a public address (allow it with SLIPWAY_WEBHOOK_ALLOWED_HOSTS)');
      expect(connections).toBe(0);
    } finally {
      await queue.stop(2_000);
      await worker.stop();
      await server.close();
    }
  });
});
