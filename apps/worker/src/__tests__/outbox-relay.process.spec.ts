import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { WEBHOOK_HEADERS } from '@slipway/contracts';
import { SYSTEM_ACTOR, type UnitOfWork } from '@slipway/db';
import { JobQueue, QueueName } from '@slipway/queue';
import { connectTestSql, type LocalHttpServer, startLocalHttpServer, type TestSql, useTestDatabase, waitFor } from '@slipway/testing';
import { connectStaging, type StagingUnitOfWork } from './support/staged-deliveries';
import { inProcessWorker } from './support/worker-processes';

/**
 * The webhook outbox relay against a real receiver. Deliveries are staged the way the API stages them (in a
 * transaction, PENDING), but the enqueue that follows the commit "failed": no job was sent for them.
 */
describe('webhook outbox relay', () => {
  const db = useTestDatabase();
  let staging: StagingUnitOfWork;
  let uow: UnitOfWork;
  let sql: TestSql;
  let queue: JobQueue;
  let server: LocalHttpServer;
  const received: string[] = [];

  beforeAll(async () => {
    staging = connectStaging(db.url);
    uow = staging.uow;
    sql = connectTestSql(db.url);
    queue = await JobQueue.start({ databaseUrl: db.url, instanceName: 'relay-test', supervise: false });
    server = await startLocalHttpServer((request, _body, response) => {
      received.push(String(request.headers[WEBHOOK_HEADERS.delivery]));
      response.writeHead(204).end();
    });
  });
  afterAll(async () => {
    await queue?.stop(1000);
    await server?.close();
    await uow?.close();
    await sql?.close();
  });

  const jobsFor = (deliveryId: string) => sql.count('pgboss.job', 'name = $1 AND singleton_key = $2', [QueueName.WebhookDelivery, deliveryId]);

  it('delivers PENDING deliveries left without a job (never sent, retry lost), and leaves alone the fresh and the still-queued', async () => {
    await uow.run(SYSTEM_ACTOR, (tx) =>
      tx.webhooks.create({
        name: 'ci',
        url: server.url(),
        events: ['model_version.ready'],
        secret: 'relay-test-secret-0123456789',
        active: true,
        createdBy: 'test',
      }),
    );
    const stage = () => staging.stageReady({ model: 'm', version: 1 }).then(([id]) => id);
    const orphan = await stage();
    const fresh = await stage();
    const queuedLater = await stage();
    const lostRetry = await stage();
    // Ten minutes old: well past the relay's threshold. `fresh` is seconds old, under it.
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
    await sql.query('UPDATE webhook_deliveries SET created_at = $1 WHERE id = ANY($2::uuid[])', [tenMinutesAgo, [orphan, queuedLater]]);
    // Tried once, due again ten minutes ago, and its retry's job is gone (as after a queue restore).
    await sql.query(`UPDATE webhook_deliveries SET created_at = $1, attempts = 1, error = 'receiver answered 503', next_attempt_at = $1 WHERE id = $2`, [
      tenMinutesAgo,
      lostRetry,
    ]);
    // This one does have a job, only not due for an hour (a backed-up queue looks the same): no second job for it.
    await queue.send(QueueName.WebhookDelivery, { deliveryId: queuedLater }, { startAfter: 3600 });

    // The receiver is on 127.0.0.1, which webhooks reach only when the allow-list says so.
    const worker = inProcessWorker(db.url, { outboxRelay: { intervalSeconds: 1, staleAfterSeconds: 60 }, env: { SLIPWAY_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' } });
    await worker.start();
    try {
      const delivered = await waitFor(
        async () => {
          const deliveries = await Promise.all([uow.read.webhooks.getDelivery(orphan), uow.read.webhooks.getDelivery(lostRetry)]);
          return deliveries.every((d) => d?.status === 'SUCCEEDED') ? deliveries : undefined;
        },
        { what: 'the orphan and the lost retry are delivered' },
      );
      expect(delivered).toMatchObject([
        { attempts: 1, responseStatus: 204 },
        // Its attempts go on counting from the row: this was the second.
        { attempts: 2, responseStatus: 204 },
      ]);
      // A few more sweeps (one a second) must neither send the orphan again nor touch the other two.
      await new Promise((resolve) => setTimeout(resolve, 3_500));
      expect([...received].sort()).toEqual([orphan, lostRetry].sort());
      expect(await jobsFor(orphan)).toBe(1);
      expect(await jobsFor(lostRetry)).toBe(1);
      await expect(uow.read.webhooks.getDelivery(fresh)).resolves.toMatchObject({ status: 'PENDING', attempts: 0 });
      expect(await jobsFor(fresh)).toBe(0);
      await expect(uow.read.webhooks.getDelivery(queuedLater)).resolves.toMatchObject({ status: 'PENDING', attempts: 0 });
      expect(await jobsFor(queuedLater)).toBe(1);
      // Sweeps ran every interval, one at a time, on the queue (the throttle lets one through per second).
      expect(await sql.count('pgboss.job', `name = $1 AND state = 'completed'`, [QueueName.WebhookOutboxRelay])).toBeGreaterThanOrEqual(3);
    } finally {
      await worker.stop();
    }
  });
});
