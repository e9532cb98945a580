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
    const worker = inProcessWorker(db.url);
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
});
