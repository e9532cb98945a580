import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadConfig } from '@slipway/config';
import { WEBHOOK_HEADERS } from '@slipway/contracts';
import { SYSTEM_ACTOR } from '@slipway/db';
import { JobQueue, QueueName } from '@slipway/queue';
import { useTestDatabase } from '@slipway/testing';
import { verifyWebhookSignature } from '@slipway/webhooks';
import { WorkerProcess } from '../worker-process';
import { connectStaging, type StagingUnitOfWork } from './support/staged-deliveries';

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
    const server: Server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => {
        received.push(
          verifyWebhookSignature(
            secret,
            String(request.headers[WEBHOOK_HEADERS.timestamp]),
            Buffer.concat(chunks).toString('utf8'),
            String(request.headers[WEBHOOK_HEADERS.signature]),
          ),
        );
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const worker = new WorkerProcess(loadConfig({ DATABASE_URL: db.url, SLIPWAY_TF_BACKEND: 'cpu', SLIPWAY_HOME: '/tmp/slipway-worker-webhook-test' }));
    const queue = await JobQueue.start({ databaseUrl: db.url, supervise: false });
    try {
      await worker.start();
      const store = staging.uow.read.webhooks;
      const hook = await staging.uow.run(SYSTEM_ACTOR, (tx) =>
        tx.webhooks.create({
          name: 'ci',
          url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
          events: ['model_version.ready'],
          secret,
          active: true,
          createdBy: 'test',
        }),
      );
      // Staged as the API stages it; the test sends the job itself, as the API's after-commit enqueue would.
      const [deliveryId] = await staging.stageReady({ model: 'm', version: 1 });
      await queue.send(QueueName.WebhookDelivery, { deliveryId });
      const deadline = Date.now() + 20_000;
      while ((await store.getDelivery(deliveryId))?.status !== 'SUCCEEDED' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      await expect(store.getDelivery(deliveryId)).resolves.toMatchObject({ status: 'SUCCEEDED', attempts: 1, responseStatus: 204, webhookId: hook.id });
      expect(received).toEqual([true]);
    } finally {
      await queue.stop(2_000);
      await worker.stop();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
